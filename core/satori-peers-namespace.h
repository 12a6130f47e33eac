/* satori-peers-namespace.h — the names Satori streams use on pubsub and
 * in discovery (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-peers.h"

G_BEGIN_DECLS

/* Discovery namespaces of a stream's subscribers and publishers. */
#define SATORI_PEERS_SUBSCRIBERS_PREFIX "satori/sub/"
#define SATORI_PEERS_PUBLISHERS_PREFIX "satori/pub/"

gboolean    satori_peers_check_stream_id (const char  *stream_id,
                                          GError     **error);
char       *satori_peers_stream_topic (const char *stream_id);
const char *satori_peers_stream_of_topic (const char *topic);
char       *satori_peers_discovery_namespace (SatoriDiscovery *discovery,
                                              const char      *namespace_);

G_END_DECLS
