/* satori-protocol-counters.h — the traffic of one protocol id
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*< private >
 * SatoriProtocolCounters:
 * @streams: streams negotiated, by who opened them (#SatoriDirection)
 * @bytes: application bytes, received [0] and sent [1]
 * @messages: messages, received [0] and sent [1]
 *
 * An atomic reference-counted box (g_atomic_rc_box_*), shared by the
 * host's table and the counted streams of the protocol, which add to it
 * on the host's main context without locking.
 */
typedef struct
{
  guint64 streams[2];
  guint64 bytes[2];
  guint64 messages[2];
} SatoriProtocolCounters;

#define SATORI_COUNTED_RECEIVED 0
#define SATORI_COUNTED_SENT     1

G_END_DECLS
