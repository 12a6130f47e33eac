/* satori-rest-token.h — the bearer token of the REST API's mutating calls
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *satori_rest_token_load_or_create (const char  *path,
                                            GError     **error);
gboolean  satori_rest_token_check (const char *token,
                                   const char *authorization);

G_END_DECLS
