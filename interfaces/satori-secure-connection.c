/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-secure-connection.h"

/**
 * SatoriSecureConnection:
 *
 * An authenticated, encrypted connection. See
 * #SatoriSecureConnectionInterface.
 */
G_DEFINE_INTERFACE (SatoriSecureConnection, satori_secure_connection, G_TYPE_OBJECT)

static const char *
satori_secure_connection_default_get_early_muxer (SatoriSecureConnection *connection)
{
  return NULL;
}

static void
satori_secure_connection_default_init (SatoriSecureConnectionInterface *iface)
{
  iface->get_early_muxer = satori_secure_connection_default_get_early_muxer;
}

/**
 * satori_secure_connection_get_remote_peer:
 * @connection: a #SatoriSecureConnection
 *
 * Returns: (transfer none): the authenticated remote peer
 */
SatoriPeerId *
satori_secure_connection_get_remote_peer (SatoriSecureConnection *connection)
{
  g_return_val_if_fail (SATORI_IS_SECURE_CONNECTION (connection), NULL);
  return SATORI_SECURE_CONNECTION_GET_IFACE (connection)->get_remote_peer (connection);
}

/**
 * satori_secure_connection_get_remote_public_key:
 * @connection: a #SatoriSecureConnection
 *
 * Returns: (transfer none): the remote peer's identity key
 */
SatoriPublicKey *
satori_secure_connection_get_remote_public_key (SatoriSecureConnection *connection)
{
  g_return_val_if_fail (SATORI_IS_SECURE_CONNECTION (connection), NULL);
  return SATORI_SECURE_CONNECTION_GET_IFACE (connection)->get_remote_public_key (connection);
}

/**
 * satori_secure_connection_get_early_muxer:
 * @connection: a #SatoriSecureConnection
 *
 * Returns: (nullable): the muxer protocol id agreed in the handshake, or
 *   %NULL when none was
 */
const char *
satori_secure_connection_get_early_muxer (SatoriSecureConnection *connection)
{
  g_return_val_if_fail (SATORI_IS_SECURE_CONNECTION (connection), NULL);
  return SATORI_SECURE_CONNECTION_GET_IFACE (connection)->get_early_muxer (connection);
}
