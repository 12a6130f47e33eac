/* satori-security.h — the security contract: authenticate and encrypt
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-secure-connection.h"
#include "satori-types.h"

G_BEGIN_DECLS

#define SATORI_TYPE_SECURITY (satori_security_get_type ())
G_DECLARE_INTERFACE (SatoriSecurity, satori_security, SATORI, SECURITY, GObject)

/**
 * SatoriSecurityInterface:
 * @g_iface: the parent interface
 * @secure_async: runs the handshake over @base_stream
 * @secure_finish: the secured connection: a #GIOStream implementing
 *   #SatoriSecureConnection
 *
 * Noise, TLS, plaintext. The host negotiates the protocol id with
 * multistream-select, then hands the raw stream over.
 */
struct _SatoriSecurityInterface
{
  GTypeInterface g_iface;

  void                    (*secure_async)  (SatoriSecurity      *security,
                                            GIOStream           *base_stream,
                                            gboolean             is_initiator,
                                            SatoriPrivateKey    *local_key,
                                            SatoriPeerId        *expected_peer,
                                            const char * const  *muxer_ids,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
  SatoriSecureConnection *(*secure_finish) (SatoriSecurity      *security,
                                            GAsyncResult        *result,
                                            GError             **error);
};

void                    satori_security_secure_async (SatoriSecurity      *security,
                                                      GIOStream           *base_stream,
                                                      gboolean             is_initiator,
                                                      SatoriPrivateKey    *local_key,
                                                      SatoriPeerId        *expected_peer,
                                                      const char * const  *muxer_ids,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
SatoriSecureConnection *satori_security_secure_finish (SatoriSecurity  *security,
                                                       GAsyncResult    *result,
                                                       GError         **error);

G_END_DECLS
