/* satori-kad-dht-inbound.c — the DHT streams SatoriKadDht answers, one
 * request after the other
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-kad-dht-private.h"
#include "satori-frame-stream.h"

#include <string.h>

typedef struct
{
  SatoriKadDht *dht;
  GIOStream *stream;
  SatoriPeerId *peer;
} Inbound;

static void
inbound_free (Inbound *inbound)
{
  g_io_stream_close_async (inbound->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (inbound->stream);
  satori_peer_id_unref (inbound->peer);
  g_object_unref (inbound->dht);
  g_free (inbound);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Inbound, inbound_free)

static void read_request (Inbound *inbound);

/* A `/pk/<peer id>` GET_VALUE is answered from the peerstore when the
 * store has no record: the key is put there first. */
static void
offer_public_key (SatoriKadDht *self, const guint8 *data, gsize len)
{
  g_autoptr(SatoriKadMessage) message = satori_kad_message_decode (data, len,
                                                                   SATORI_KAD_MAX_MESSAGE_SIZE,
                                                                   NULL);
  gsize key_len;

  if (message == NULL || message->type != SATORI_KAD_GET_VALUE || message->key == NULL)
    return;
  const guint8 *key = g_bytes_get_data (message->key, &key_len);
  if (key_len <= 4 || memcmp (key, "/pk/", 4) != 0)
    return;
  g_autoptr(GBytes) stored = satori_kad_store_get_record (self->store, message->key, NULL);
  if (stored != NULL)
    return;
  g_autoptr(SatoriPeerId) peer = satori_peer_id_new_from_bytes (key + 4, key_len - 4, NULL);
  if (peer == NULL)
    return;
  SatoriPublicKey *public_key = satori_peerstore_get_public_key (
    satori_host_get_peerstore (self->host), peer);
  if (satori_peer_id_equal (peer, satori_host_get_peer_id (self->host)))
    public_key = satori_private_key_get_public_key (satori_host_get_private_key (self->host));
  if (public_key == NULL)
    return;
  g_autoptr(GBytes) value = satori_public_key_to_protobuf (public_key);
  satori_kad_store_put_record (self->store, message->key, value, g_get_real_time (), NULL);
}

static void
on_response_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Inbound) inbound = user_data;
  g_autoptr(GError) error = NULL;

  if (!satori_frame_stream_write_finish (G_IO_STREAM (source), result, &error))
    {
      g_debug ("DHT response not sent: %s", error->message);
      return;
    }
  read_request (g_steal_pointer (&inbound));
}

static void
on_request_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Inbound) inbound = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = NULL;
  SatoriKadDht *self = inbound->dht;

  g_autoptr(GBytes) request = satori_frame_stream_read_finish (G_IO_STREAM (source), result,
                                                             &error);
  if (request == NULL || self->session == NULL)
    {
      g_autofree char *text = satori_peer_id_to_string (inbound->peer);
      if (error != NULL && error->domain != G_IO_ERROR)
        g_message ("Closing a DHT stream from %s: %s", text, error->message);
      else if (error != NULL)
        g_debug ("DHT stream from %s ended: %s", text, error->message);
      return;
    }
  gsize len;
  const guint8 *data = g_bytes_get_data (request, &len);
  GBytes *from = satori_peer_id_get_bytes (inbound->peer);
  offer_public_key (self, data, len);
  if (!satori_kad_session_handle_request (self->session, from, data, len, g_get_real_time (),
                                          &response, &error))
    {
      g_autofree char *text = satori_peer_id_to_string (inbound->peer);
      g_message ("Closing a DHT stream from %s: %s", text, error->message);
      return;
    }
  _satori_kad_dht_drive (self);
  if (response == NULL)
    {
      read_request (g_steal_pointer (&inbound));
      return;
    }
  GIOStream *stream = inbound->stream;
  GCancellable *cancellable = self->cancellable;
  satori_frame_stream_write_async (stream, response, cancellable, on_response_written,
                                 g_steal_pointer (&inbound));
}

static void
read_request (Inbound *inbound)
{
  satori_frame_stream_read_async (inbound->stream, SATORI_KAD_MAX_MESSAGE_SIZE,
                                inbound->dht->cancellable, on_request_read, inbound);
}

/* SatoriProtocolHandler::handle_stream: a DHT server answers it. */
void
_satori_kad_dht_handle_stream (SatoriProtocolHandler *handler, GIOStream *stream,
                               const char *protocol_id, SatoriPeerId *remote_peer,
                               SatoriMultiaddr *remote_address)
{
  SatoriKadDht *self = SATORI_KAD_DHT (handler);
  Inbound *inbound = g_new0 (Inbound, 1);

  inbound->dht = g_object_ref (self);
  inbound->stream = g_object_ref (stream);
  inbound->peer = satori_peer_id_ref (remote_peer);
  if (!satori_kad_dht_is_serving (self) || self->session == NULL ||
      g_strcmp0 (protocol_id, self->protocol_id) != 0)
    {
      g_debug ("Refusing a %s stream: not a DHT server on it", protocol_id);
      inbound_free (inbound);
      return;
    }
  read_request (inbound);
}
