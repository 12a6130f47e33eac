/* satori-pubsub-core.c: helpers shared by every pubsub router core */
#include "satori-pubsub-core.h"

#include <string.h>

void
satori_pubsub_core_event_clear (SatoriPubsubCoreEvent *event)
{
  g_clear_pointer (&event->peer, g_bytes_unref);
  g_clear_pointer (&event->topic, g_free);
  g_clear_pointer (&event->message_id, g_bytes_unref);
  g_clear_pointer (&event->from, g_bytes_unref);
  g_clear_pointer (&event->data, g_bytes_unref);
  g_clear_pointer (&event->seqno, g_bytes_unref);
  g_clear_pointer (&event->signature, g_bytes_unref);
  g_clear_pointer (&event->key, g_bytes_unref);
  g_clear_pointer (&event->signed_peer_record, g_bytes_unref);
  g_clear_pointer (&event->reason, g_free);
  memset (event, 0, sizeof *event);
}
