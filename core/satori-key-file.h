/* satori-key-file.h — identity keys in files only their owner can read
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-private-key.h"

G_BEGIN_DECLS

SatoriPrivateKey *satori_key_file_load (const char  *path,
                                        GError     **error);
gboolean          satori_key_file_save (SatoriPrivateKey  *key,
                                        const char        *path,
                                        GError           **error);
SatoriPrivateKey *satori_key_file_load_or_create (const char     *path,
                                                  SatoriKeyType   type,
                                                  GError        **error);

G_END_DECLS
