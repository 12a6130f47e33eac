/* satori-pubsub-error.h — errors of the pubsub message code
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SatoriPubsubError:
 * @SATORI_PUBSUB_ERROR_MALFORMED: an RPC frame or message that does not decode
 * @SATORI_PUBSUB_ERROR_TOO_LARGE: a frame or message over its size limit
 * @SATORI_PUBSUB_ERROR_POLICY: a message whose fields break the signature policy
 * @SATORI_PUBSUB_ERROR_SIGNATURE: a signature that does not verify, or a
 *   `from` that does not match the signing key
 * @SATORI_PUBSUB_ERROR_SIGN: signing our own message failed
 *
 * Errors of the pubsub message code shared by the routers.
 */
typedef enum {
  SATORI_PUBSUB_ERROR_MALFORMED,
  SATORI_PUBSUB_ERROR_TOO_LARGE,
  SATORI_PUBSUB_ERROR_POLICY,
  SATORI_PUBSUB_ERROR_SIGNATURE,
  SATORI_PUBSUB_ERROR_SIGN,
} SatoriPubsubError;

#define SATORI_PUBSUB_ERROR (satori_pubsub_error_quark ())
GQuark satori_pubsub_error_quark (void);

G_END_DECLS
