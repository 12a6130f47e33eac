/* satori-message-framing.h — which protocol ids carry which framing, for
 * counting their messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-frame-counter.h"

G_BEGIN_DECLS

void                 satori_message_framing_register (const char * const   *protocol_ids,
                                                      SatoriMessageFraming  framing);
SatoriMessageFraming satori_message_framing_lookup (const char *protocol_id);

G_END_DECLS
