/* satori-p2pd-duration.h — Go duration strings ("1s", "700ms", "1m30s"),
 * as go's p2pd takes them in its -gossipsub… flags
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean satori_p2pd_parse_duration (const char *text, gint64 *us_out, GError **error);

G_END_DECLS
