/* satori-js-peer.h — a js-libp2p peer (js-peer.mjs) run as a subprocess and
 * driven by JSON lines, for the interop tests */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _SatoriJsPeer SatoriJsPeer;

SatoriJsPeer *satori_js_peer_start (const char * const *args);
SatoriJsPeer *satori_js_peer_start_wrapped (const char * const *wrapper,
                                            const char * const *args);
const char   *satori_js_peer_get_pid (SatoriJsPeer *peer);
void          satori_js_peer_send (SatoriJsPeer *peer,
                                   const char   *json);
JsonObject   *satori_js_peer_wait_event (SatoriJsPeer *peer,
                                         const char   *event);
void          satori_js_peer_stop (SatoriJsPeer *peer);

G_END_DECLS
