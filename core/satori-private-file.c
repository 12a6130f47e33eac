/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "satori-private-file.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* Secrets (identity keys, the REST token) live in regular files that only
 * their owner can read or write: anything looser is refused rather than
 * silently used. */

/**
 * satori_private_file_read:
 * @path: a file holding a secret
 * @contents: (out) (transfer full): its bytes, NUL-terminated
 * @length: (out): their length
 * @error: %G_IO_ERROR_PERMISSION_DENIED when it is not a regular file or
 *   group or others may read or write it, or another %G_IO_ERROR
 *
 * Reads @path if only its owner may use it.
 *
 * Returns: %TRUE when read
 */
gboolean
satori_private_file_read (const char *path, char **contents, gsize *length, GError **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot read %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode) || (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("%s may be read by others (mode %04o); make it 0600"),
                   path, (guint) (st.st_mode & 07777));
      return FALSE;
    }
  return g_file_get_contents (path, contents, length, error);
}

/**
 * satori_private_file_write:
 * @path: where to write; its folder is created (mode 0700) if missing
 * @data: (array length=length): the bytes
 * @length: their length
 * @error: a %G_IO_ERROR
 *
 * Writes @data to a new file of mode 0600, replacing @path atomically.
 *
 * Returns: %TRUE when written
 */
gboolean
satori_private_file_write (const char *path, const guint8 *data, gsize length, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *temp = g_strdup_printf ("%s.XXXXXX", path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  /* g_mkstemp creates the file with mode 0600. */
  int fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
  gboolean ok = fd >= 0 && write (fd, data, length) == (gssize) length && fsync (fd) == 0;
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
                   _("Cannot write %s: %s"), path, g_strerror (saved_errno));
    }
  return ok;
}
