/* satori-peers-namespace.c — the names the Python Satori nodes use for a
 * stream (satori-protocols.md §1.5, §1.6): topic satori/stream/<id>,
 * rendezvous namespaces satori/sub/<id> and satori/pub/<id>, and the same
 * with a leading slash as DHT provider keys (/satori/sub/<id>, raw bytes).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-peers-namespace.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* A stream id is a name inside a topic: not empty, UTF-8, no control
 * characters; longer than this is no stream id (they are UUIDs). */
#define MAX_STREAM_ID 256

gboolean
satori_peers_check_stream_id (const char *stream_id, GError **error)
{
  gsize len = stream_id != NULL ? strlen (stream_id) : 0;
  gboolean valid = len > 0 && len <= MAX_STREAM_ID && g_utf8_validate (stream_id, len, NULL);

  for (gsize i = 0; valid && i < len; i++)
    valid = !g_ascii_iscntrl (stream_id[i]);
  if (!valid)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("“%s” is not a stream id (1 to %u printable characters)"),
                 stream_id != NULL ? stream_id : "", MAX_STREAM_ID);
  return valid;
}

char *
satori_peers_stream_topic (const char *stream_id)
{
  return g_strconcat (SATORI_PEERS_STREAM_PREFIX, stream_id, NULL);
}

/* The stream id of a stream topic, or %NULL for another topic. */
const char *
satori_peers_stream_of_topic (const char *topic)
{
  if (!g_str_has_prefix (topic, SATORI_PEERS_STREAM_PREFIX))
    return NULL;
  return topic + strlen (SATORI_PEERS_STREAM_PREFIX);
}

/* A DHT takes the namespace as a provider key, which the Python nodes
 * write with a leading slash (and kad accepts as a path key); the kad
 * plugin's type is the only DHT discovery. Other discoveries take the
 * namespace as it is. */
static gboolean
is_dht (SatoriDiscovery *discovery)
{
  return g_strcmp0 (G_OBJECT_TYPE_NAME (discovery), "SatoriKadDht") == 0;
}

char *
satori_peers_discovery_namespace (SatoriDiscovery *discovery, const char *namespace_)
{
  if (namespace_ == NULL)
    return NULL;
  return is_dht (discovery) ? g_strconcat ("/", namespace_, NULL) : g_strdup (namespace_);
}
