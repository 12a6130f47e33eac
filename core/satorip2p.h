/* satorip2p.h — the one header applications and plugins include
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-types.h"
#include "satori-errors.h"
#include "satori-enum-types.h"

/* The contracts. */
#include "satori-plugin-desc.h"
#include "satori-transport.h"
#include "satori-listener.h"
#include "satori-security.h"
#include "satori-secure-connection.h"
#include "satori-muxer.h"
#include "satori-muxed-connection.h"
#include "satori-discovery.h"
#include "satori-routing.h"
#include "satori-pubsub.h"
#include "satori-pubsub-message.h"
#include "satori-bridge.h"
#include "satori-protocol-handler.h"

/* The runtime. */
#include "satori-registry.h"
#include "satori-host.h"
#include "satori-connection.h"
#include "satori-upgrader.h"
#include "satori-peerstore.h"
#include "satori-conn-manager.h"
#include "satori-envelope.h"
#include "satori-peer-record.h"
#include "satori-feature.h"
#include "satori-plugin.h"
#include "satori-config.h"
#include "satori-crypto.h"
#include "satori-private-key.h"
#include "satori-public-key.h"
#include "satori-peer-id.h"
#include "satori-evrmore-address.h"
#include "satori-evrmore-key.h"
#include "satori-evrmore-message.h"
#include "satori-evrmore-ecdh.h"
#include "satori-evrmore-wallet.h"
#include "satori-peer-info.h"
#include "satori-multiaddr.h"
#include "satori-multibase.h"
#include "satori-pipe.h"
#include "satori-multistream-io.h"
#include "satori-multistream-lazy-stream.h"

/* The codecs. */
#include "satori-varint.h"
#include "satori-frame.h"
#include "satori-frame-stream.h"
#include "satori-multistream.h"
#include "satori-protobuf.h"
