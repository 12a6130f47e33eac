/* autonat-test-ask.h — one hand-made AutoNAT DIAL and its answer, for the
 * tests (the dial-back test, the js interop test)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-autonat-message.h"

G_BEGIN_DECLS

SatoriAutonatMessage *autonat_test_ask (SatoriHost    *from,
                                        SatoriPeerId  *to,
                                        const char    *address,
                                        GError       **error);

G_END_DECLS
