/* satori-gossipsub-outbox.h — what the router has to send to one peer:
 * mesh state, gossip and a bounded message queue, made into frames as the
 * peer takes them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SatoriGossipsubOutbox SatoriGossipsubOutbox;

SatoriGossipsubOutbox *satori_gossipsub_outbox_new  (gsize max_rpc_size, guint max_queue,
                                                     guint max_ids);
void                   satori_gossipsub_outbox_free (SatoriGossipsubOutbox *outbox);
void     satori_gossipsub_outbox_add_subscription (SatoriGossipsubOutbox *outbox,
                                                   const char *topic, gboolean subscribe);
gboolean satori_gossipsub_outbox_add_message  (SatoriGossipsubOutbox *outbox, GBytes *id,
                                                GBytes *message);
gboolean satori_gossipsub_outbox_drop_message  (SatoriGossipsubOutbox *outbox, GBytes *id);
void     satori_gossipsub_outbox_add_graft     (SatoriGossipsubOutbox *outbox, const char *topic);
void     satori_gossipsub_outbox_add_prune     (SatoriGossipsubOutbox *outbox, const char *topic,
                                                GPtrArray *px_peers, gboolean with_backoff,
                                                guint64 backoff_s);
void     satori_gossipsub_outbox_add_ihave     (SatoriGossipsubOutbox *outbox, const char *topic,
                                                GPtrArray *ids);
void     satori_gossipsub_outbox_add_iwant     (SatoriGossipsubOutbox *outbox, GBytes *id);
void     satori_gossipsub_outbox_add_idontwant (SatoriGossipsubOutbox *outbox, GBytes *id);
GBytes  *satori_gossipsub_outbox_pop           (SatoriGossipsubOutbox *outbox);
gboolean satori_gossipsub_outbox_has_pending   (SatoriGossipsubOutbox *outbox);
guint    satori_gossipsub_outbox_get_queued    (SatoriGossipsubOutbox *outbox);
guint64  satori_gossipsub_outbox_take_dropped  (SatoriGossipsubOutbox *outbox);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriGossipsubOutbox, satori_gossipsub_outbox_free)

G_END_DECLS
