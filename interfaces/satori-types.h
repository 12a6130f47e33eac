/* satori-types.h — forward declarations shared by the interfaces
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SatoriMultiaddr SatoriMultiaddr;
typedef struct _SatoriPeerId SatoriPeerId;
typedef struct _SatoriPeerInfo SatoriPeerInfo;
typedef struct _SatoriPublicKey SatoriPublicKey;
typedef struct _SatoriPrivateKey SatoriPrivateKey;
typedef struct _SatoriPubsubMessage SatoriPubsubMessage;
typedef struct _SatoriRegistry SatoriRegistry;
typedef struct _SatoriPlugin SatoriPlugin;
typedef struct _SatoriHost SatoriHost;

/**
 * SatoriRank:
 * @SATORI_RANK_NONE: never chosen unless named
 * @SATORI_RANK_MARGINAL: chosen when nothing better is there
 * @SATORI_RANK_SECONDARY: a good fallback
 * @SATORI_RANK_PRIMARY: the preferred implementation
 *
 * How strongly a feature should be preferred when the configuration does
 * not say. Any value in between is allowed.
 */
typedef enum {
  SATORI_RANK_NONE = 0,
  SATORI_RANK_MARGINAL = 64,
  SATORI_RANK_SECONDARY = 128,
  SATORI_RANK_PRIMARY = 256,
} SatoriRank;

G_END_DECLS
