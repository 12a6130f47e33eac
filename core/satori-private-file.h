/* satori-private-file.h — files only their owner may read: keys, tokens
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean satori_private_file_read (const char  *path,
                                   char       **contents,
                                   gsize       *length,
                                   GError     **error);
gboolean satori_private_file_write (const char    *path,
                                    const guint8  *data,
                                    gsize          length,
                                    GError       **error);

G_END_DECLS
