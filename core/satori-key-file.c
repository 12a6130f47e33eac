/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "satori-key-file.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "satori-errors.h"

/* Key files hold a libp2p PrivateKey protobuf, as go-libp2p-daemon's `-id`
 * files do. They must be regular files that only their owner can read or
 * write: anything looser is refused rather than silently used. */

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
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot read key file %s: %s"), path, g_strerror (saved_errno));
      return NULL;
    }
  if (!S_ISREG (st.st_mode) || (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("Key file %s may be read by others (mode %04o); make it 0600"),
                   path, (guint) (st.st_mode & 07777));
      return NULL;
    }

  g_autofree char *contents = NULL;
  gsize len;
  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
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
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *temp = g_strdup_printf ("%s.XXXXXX", path);
  g_autoptr(GBytes) data = satori_private_key_to_protobuf (key);
  gsize len;
  const guint8 *bytes = g_bytes_get_data (data, &len);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  /* g_mkstemp creates the file with mode 0600. */
  int fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
  gboolean ok = fd >= 0 && write (fd, bytes, len) == (gssize) len && fsync (fd) == 0;
  int saved_errno = errno;
  if (fd >= 0)
    close (fd);
  if (ok && g_rename (temp, path) != 0)
    {
      ok = FALSE;
      saved_errno = errno;
    }
  if (!ok)
    {
      g_unlink (temp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write key file %s: %s"), path, g_strerror (saved_errno));
    }
  return ok;
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
