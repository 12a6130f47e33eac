/* satori-i18n.h — the message catalogue
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void satori_i18n_init_program (void);

void _satori_i18n_init (void);

G_END_DECLS
