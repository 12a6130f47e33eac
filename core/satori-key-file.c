/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "satori-key-file.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "satori-errors.h"
#include "satori-private-file.h"

/* Key files hold a libp2p PrivateKey protobuf, as go-libp2p-daemon's `-id`
 * files do, in a private file (satori_private_file_read()): one others may
 * read or write is refused rather than silently used. */

/**
 * satori_key_file_load:
 * @path: a key file
 * @error: %G_IO_ERROR_PERMISSION_DENIED when group or others may read or
 *   write it, a %G_IO_ERROR from reading it, or a %SATORI_KEY_ERROR when it
 *   holds no valid key
 *
 * Returns: (transfer full) (nullable): the key
 */
SatoriPrivateKey *
satori_key_file_load (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize len;

  if (!satori_private_file_read (path, &contents, &len, error))
    {
      g_prefix_error (error, _("Key file: "));
      return NULL;
    }
  SatoriPrivateKey *key = satori_private_key_new_from_protobuf ((const guint8 *) contents, len,
                                                                error);
  explicit_bzero (contents, len);
  if (key == NULL)
    g_prefix_error (error, _("Key file %s: "), path);
  return key;
}

/**
 * satori_key_file_save:
 * @key: a key
 * @path: where to write it; its folder is created (mode 0700) if missing
 * @error: a %G_IO_ERROR
 *
 * Writes @key to a new file of mode 0600, replacing @path atomically.
 *
 * Returns: %TRUE when saved
 */
gboolean
satori_key_file_save (SatoriPrivateKey *key, const char *path, GError **error)
{
  g_autoptr(GBytes) data = satori_private_key_to_protobuf (key);
  gsize len;
  const guint8 *bytes = g_bytes_get_data (data, &len);

  if (!satori_private_file_write (path, bytes, len, error))
    {
      g_prefix_error (error, _("Key file: "));
      return FALSE;
    }
  return TRUE;
}

/**
 * satori_key_file_load_or_create:
 * @path: a key file
 * @type: the key type to generate when @path does not exist
 * @error: as satori_key_file_load() and satori_key_file_save()
 *
 * Loads the key at @path, or, when there is no file there, generates one
 * and saves it.
 *
 * Returns: (transfer full) (nullable): the key
 */
SatoriPrivateKey *
satori_key_file_load_or_create (const char *path, SatoriKeyType type, GError **error)
{
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return satori_key_file_load (path, error);

  g_autoptr(SatoriPrivateKey) key = satori_private_key_generate (type, error);
  if (key == NULL || !satori_key_file_save (key, path, error))
    return NULL;
  g_message (_("Created a new identity key in %s"), path);
  return g_steal_pointer (&key);
}
