/* satori-p2pd-splice.h — copies two GIOStreams into each other, passing
 * on half-closes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     satori_p2pd_splice_async (GIOStream           *a,
                                   GIOStream           *b,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean satori_p2pd_splice_finish (GAsyncResult  *result,
                                    GError       **error);

G_END_DECLS
