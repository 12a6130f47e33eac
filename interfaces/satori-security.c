/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-security.h"

/**
 * SatoriSecurity:
 *
 * The contract of a security plugin. See #SatoriSecurityInterface.
 */
G_DEFINE_INTERFACE (SatoriSecurity, satori_security, G_TYPE_OBJECT)

static void
satori_security_default_init (SatoriSecurityInterface *iface)
{
}

/**
 * satori_security_secure_async:
 * @security: a #SatoriSecurity
 * @base_stream: the raw connection, after multistream-select chose @security
 * @is_initiator: %TRUE on the dialing side
 * @local_key: the host's identity key
 * @expected_peer: (nullable): the peer the dialer meant to reach; the
 *   handshake fails when the remote proves another identity
 * @muxer_ids: (nullable) (array zero-terminated=1): muxers to offer inside
 *   the handshake, in preference order, where the protocol can
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the handshake is done or failed
 * @user_data: data for @callback
 *
 * Runs the security handshake.
 */
void
satori_security_secure_async (SatoriSecurity      *security,
                              GIOStream           *base_stream,
                              gboolean             is_initiator,
                              SatoriPrivateKey    *local_key,
                              SatoriPeerId        *expected_peer,
                              const char * const  *muxer_ids,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (SATORI_IS_SECURITY (security));
  g_return_if_fail (G_IS_IO_STREAM (base_stream));
  g_return_if_fail (local_key != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_SECURITY_GET_IFACE (security)->secure_async (security, base_stream, is_initiator,
                                                      local_key, expected_peer, muxer_ids,
                                                      cancellable, callback, user_data);
}

/**
 * satori_security_secure_finish:
 * @security: a #SatoriSecurity
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the secured connection, a #GIOStream
 *   implementing #SatoriSecureConnection, or %NULL on error
 */
SatoriSecureConnection *
satori_security_secure_finish (SatoriSecurity *security, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SATORI_IS_SECURITY (security), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  return SATORI_SECURITY_GET_IFACE (security)->secure_finish (security, result, error);
}
