/* satori-peers-streams.c — the network map's memory of streams: peer ids
 * seen as subscribers (pubsub subscriptions, discovery under satori/sub/)
 * or publishers (authors of messages, discovery under satori/pub/), in the
 * order first seen, bounded so that a busy network cannot grow it without
 * end.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-peers-streams.h"

typedef struct
{
  GQueue order[2];        /* char * peer id strings, oldest first, per role */
  GHashTable *members[2]; /* peer id string → its GList link in order */
  GList *link;            /* in SatoriPeersStreams.recent */
} Stream;

struct _SatoriPeersStreams
{
  GHashTable *streams;  /* stream id → Stream */
  GQueue recent;        /* stream ids (owned by the table), least recently seen first */
};

static void
stream_free (Stream *stream)
{
  for (guint role = 0; role < 2; role++)
    {
      g_queue_clear_full (&stream->order[role], g_free);
      g_hash_table_unref (stream->members[role]);
    }
  g_free (stream);
}

SatoriPeersStreams *
satori_peers_streams_new (void)
{
  SatoriPeersStreams *streams = g_new0 (SatoriPeersStreams, 1);

  streams->streams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) stream_free);
  g_queue_init (&streams->recent);
  return streams;
}

void
satori_peers_streams_free (SatoriPeersStreams *streams)
{
  g_queue_clear (&streams->recent);
  g_hash_table_unref (streams->streams);
  g_free (streams);
}

static Stream *
lookup_stream (SatoriPeersStreams *streams, const char *stream_id)
{
  char *key;
  Stream *stream;

  if (g_hash_table_lookup_extended (streams->streams, stream_id, (gpointer *) &key,
                                    (gpointer *) &stream))
    {
      g_queue_unlink (&streams->recent, stream->link);
      g_queue_push_tail_link (&streams->recent, stream->link);
      return stream;
    }
  if (g_queue_get_length (&streams->recent) >= SATORI_PEERS_STREAMS_MAX_STREAMS)
    g_hash_table_remove (streams->streams, g_queue_pop_head (&streams->recent));
  stream = g_new0 (Stream, 1);
  for (guint role = 0; role < 2; role++)
    {
      g_queue_init (&stream->order[role]);
      stream->members[role] = g_hash_table_new (g_str_hash, g_str_equal);
    }
  key = g_strdup (stream_id);
  g_hash_table_insert (streams->streams, key, stream);
  g_queue_push_tail (&streams->recent, key);
  stream->link = streams->recent.tail;
  return stream;
}

void
satori_peers_streams_add (SatoriPeersStreams *streams, const char *stream_id,
                          SatoriPeersRole role, SatoriPeerId *peer)
{
  Stream *stream = lookup_stream (streams, stream_id);
  g_autofree char *id = satori_peer_id_to_string (peer);

  if (g_hash_table_contains (stream->members[role], id))
    return;
  if (g_queue_get_length (&stream->order[role]) >= SATORI_PEERS_STREAMS_MAX_PEERS)
    {
      g_autofree char *oldest = g_queue_pop_head (&stream->order[role]);
      g_hash_table_remove (stream->members[role], oldest);
    }
  g_queue_push_tail (&stream->order[role], g_strdup (id));
  g_hash_table_insert (stream->members[role], stream->order[role].tail->data,
                       stream->order[role].tail);
}

/* The stream ids, least recently seen first. */
GStrv
satori_peers_streams_get_ids (SatoriPeersStreams *streams)
{
  GStrvBuilder *builder = g_strv_builder_new ();

  for (GList *l = streams->recent.head; l != NULL; l = l->next)
    g_strv_builder_add (builder, l->data);
  GStrv ids = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return ids;
}

/* The peers seen in @role of @stream_id, oldest first (none for a stream
 * never seen). */
GPtrArray *
satori_peers_streams_get_peers (SatoriPeersStreams *streams, const char *stream_id,
                                SatoriPeersRole role)
{
  Stream *stream = g_hash_table_lookup (streams->streams, stream_id);
  GPtrArray *peers = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_peer_id_unref);

  for (GList *l = stream ? stream->order[role].head : NULL; l != NULL; l = l->next)
    {
      /* Stored from satori_peer_id_to_string(): it parses back. */
      SatoriPeerId *peer = satori_peer_id_new_from_string (l->data, NULL);
      if (peer != NULL)
        g_ptr_array_add (peers, peer);
    }
  return peers;
}

/* The streams @peer was seen in @role of, least recently seen first. */
GStrv
satori_peers_streams_get_peer_streams (SatoriPeersStreams *streams, SatoriPeersRole role,
                                       SatoriPeerId *peer)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *id = satori_peer_id_to_string (peer);

  for (GList *l = streams->recent.head; l != NULL; l = l->next)
    {
      Stream *stream = g_hash_table_lookup (streams->streams, l->data);
      if (g_hash_table_contains (stream->members[role], id))
        g_strv_builder_add (builder, l->data);
    }
  return g_strv_builder_end (builder);
}

static JsonArray *
queue_to_array (GQueue *queue)
{
  JsonArray *array = json_array_sized_new (g_queue_get_length (queue));

  for (GList *l = queue->head; l != NULL; l = l->next)
    json_array_add_string_element (array, l->data);
  return array;
}

/* {"subscribers": [...], "publishers": [...]} for @stream_id (empty lists
 * for a stream never seen). */
JsonNode *
satori_peers_streams_to_json (SatoriPeersStreams *streams, const char *stream_id)
{
  Stream *stream = g_hash_table_lookup (streams->streams, stream_id);
  JsonObject *object = json_object_new ();
  GQueue empty = G_QUEUE_INIT;

  json_object_set_array_member (object, "subscribers",
                                queue_to_array (stream ? &stream->order[0] : &empty));
  json_object_set_array_member (object, "publishers",
                                queue_to_array (stream ? &stream->order[1] : &empty));
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}
