/* satori-upgrader.h — raw connection → secured, multiplexed connection
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-connection.h"
#include "satori-muxer.h"
#include "satori-security.h"

G_BEGIN_DECLS

#define SATORI_TYPE_UPGRADER (satori_upgrader_get_type ())
G_DECLARE_FINAL_TYPE (SatoriUpgrader, satori_upgrader, SATORI, UPGRADER, GObject)

SatoriUpgrader   *satori_upgrader_new (SatoriPrivateKey *local_key);
void              satori_upgrader_add_security (SatoriUpgrader *upgrader,
                                                const char     *protocol_id,
                                                SatoriSecurity *security);
void              satori_upgrader_add_muxer (SatoriUpgrader *upgrader,
                                             const char     *protocol_id,
                                             SatoriMuxer    *muxer);
void              satori_upgrader_upgrade_async (SatoriUpgrader      *upgrader,
                                                 GObject             *raw,
                                                 SatoriMultiaddr     *remote_address,
                                                 SatoriDirection      direction,
                                                 SatoriPeerId        *expected_peer,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
SatoriConnection *satori_upgrader_upgrade_finish (SatoriUpgrader  *upgrader,
                                                  GAsyncResult    *result,
                                                  GError         **error);

G_END_DECLS
