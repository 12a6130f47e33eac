/* satori-i18n.h — the library's message catalogue (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void _satori_i18n_init (void);

G_END_DECLS
