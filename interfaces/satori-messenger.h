/* satori-messenger.h — the direct-message contract: send, request, answer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-messenger-request.h"
#include "satori-types.h"

G_BEGIN_DECLS

/**
 * SatoriMessengerFlags:
 * @SATORI_MESSENGER_FLAGS_NONE: a plain message
 * @SATORI_MESSENGER_FLAGS_ENCRYPTED: encrypt end to end for the peer's
 *   secp256k1 key (ECDH, HKDF-SHA256 "evrmore-ecdh", AES-256-GCM)
 *
 * How a message is sent.
 */
typedef enum /*< flags >*/ {
  SATORI_MESSENGER_FLAGS_NONE = 0,
  SATORI_MESSENGER_FLAGS_ENCRYPTED = 1 << 0,
} SatoriMessengerFlags;

/**
 * SatoriMessengerError:
 * @SATORI_MESSENGER_ERROR_INVALID: the message is not a JSON text, or a
 *   reply or envelope that does not parse
 * @SATORI_MESSENGER_ERROR_UNSUPPORTED_KEY: encryption was asked for, but a
 *   key (ours or the peer's) is not secp256k1
 * @SATORI_MESSENGER_ERROR_DECRYPT: an encrypted message failed to decrypt
 *   (tampered, or not for us)
 * @SATORI_MESSENGER_ERROR_REFUSED: the peer answered the request with an
 *   error (nobody there handles requests, or the handler refused)
 *
 * Errors of a #SatoriMessenger. I/O failures use %G_IO_ERROR codes
 * (%G_IO_ERROR_TIMED_OUT for a request without answer,
 * %G_IO_ERROR_MESSAGE_TOO_LARGE for a message over the size limit).
 */
typedef enum {
  SATORI_MESSENGER_ERROR_INVALID,
  SATORI_MESSENGER_ERROR_UNSUPPORTED_KEY,
  SATORI_MESSENGER_ERROR_DECRYPT,
  SATORI_MESSENGER_ERROR_REFUSED,
} SatoriMessengerError;
#define SATORI_MESSENGER_ERROR (satori_messenger_error_quark ())
GQuark satori_messenger_error_quark (void);

#define SATORI_TYPE_MESSENGER (satori_messenger_get_type ())
G_DECLARE_INTERFACE (SatoriMessenger, satori_messenger, SATORI, MESSENGER, GObject)

/**
 * SatoriMessengerInterface:
 * @g_iface: the parent interface
 * @send_async: sends one JSON message to a peer
 * @send_finish: whether it was written
 * @request_async: sends one JSON message as a request and waits for the
 *   peer's answer
 * @request_finish: the answer, a JSON text
 * @message_received: class closure of #SatoriMessenger::message-received
 * @request_received: class closure of #SatoriMessenger::request-received
 *
 * Direct messages between peers: the Satori `/satori/1.0.0` protocol.
 * Messages are JSON texts (UTF-8). Inbound messages are announced by
 * #SatoriMessenger::message-received; inbound requests by
 * #SatoriMessenger::request-received, whose handler answers with
 * satori_messenger_request_reply().
 */
struct _SatoriMessengerInterface
{
  GTypeInterface g_iface;

  void     (*send_async)       (SatoriMessenger        *messenger,
                                SatoriPeerId           *peer,
                                GBytes                 *message,
                                SatoriMessengerFlags    flags,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data);
  gboolean (*send_finish)      (SatoriMessenger        *messenger,
                                GAsyncResult           *result,
                                GError                **error);
  void     (*request_async)    (SatoriMessenger        *messenger,
                                SatoriPeerId           *peer,
                                GBytes                 *message,
                                SatoriMessengerFlags    flags,
                                guint                   timeout_ms,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data);
  GBytes  *(*request_finish)   (SatoriMessenger        *messenger,
                                GAsyncResult           *result,
                                GError                **error);

  /* signals */
  void     (*message_received) (SatoriMessenger        *messenger,
                                SatoriPeerId           *peer,
                                GBytes                 *message,
                                gboolean                encrypted);
  gboolean (*request_received) (SatoriMessenger        *messenger,
                                SatoriMessengerRequest *request);
};

void     satori_messenger_send_async (SatoriMessenger      *messenger,
                                      SatoriPeerId         *peer,
                                      GBytes               *message,
                                      SatoriMessengerFlags  flags,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean satori_messenger_send_finish (SatoriMessenger  *messenger,
                                       GAsyncResult     *result,
                                       GError          **error);
void     satori_messenger_request_async (SatoriMessenger      *messenger,
                                         SatoriPeerId         *peer,
                                         GBytes               *message,
                                         SatoriMessengerFlags  flags,
                                         guint                 timeout_ms,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
GBytes  *satori_messenger_request_finish (SatoriMessenger  *messenger,
                                          GAsyncResult     *result,
                                          GError          **error);

G_END_DECLS
