/* satori-p2pd-cid.h — the provider key of a FIND_PROVIDERS or PROVIDE
 * request's `cid` field
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *satori_p2pd_cid_to_key (const guint8  *data,
                                gsize          len,
                                GError       **error);

G_END_DECLS
