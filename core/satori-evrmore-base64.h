/* satori-evrmore-base64.h — strict padded base64 of a known length (internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *satori_evrmore_base64_decode (const char *text, gsize expected_len);

G_END_DECLS
