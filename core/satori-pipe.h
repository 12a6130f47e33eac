/* satori-pipe.h — an in-memory, bidirectional GIOStream pair
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void satori_pipe_new_pair (gsize       capacity,
                           GIOStream **a,
                           GIOStream **b);

G_END_DECLS
