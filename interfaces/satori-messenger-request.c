/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "satori-messenger-request.h"

#include <glib/gi18n-lib.h>

#include "satori-peer-id.h"

/**
 * SatoriMessengerRequest:
 *
 * A request a peer sent, as #SatoriMessenger::request-received carries it.
 * It is answered exactly once: by satori_messenger_request_reply(), by
 * satori_messenger_request_refuse(), or — when the last reference goes
 * without either — refused on its own, so that the peer is never left
 * waiting for its timeout. A handler may keep a reference and answer later.
 */
struct _SatoriMessengerRequest
{
  GObject parent_instance;

  SatoriPeerId *peer;
  GBytes *message;
  gboolean encrypted;
  SatoriMessengerReplyFunc reply_func;   /* NULL once answered */
  gpointer user_data;
  GDestroyNotify destroy;
};

G_DEFINE_FINAL_TYPE (SatoriMessengerRequest, satori_messenger_request, G_TYPE_OBJECT)

static void
answer (SatoriMessengerRequest *self, GBytes *reply, const char *error_message)
{
  SatoriMessengerReplyFunc func = g_steal_pointer (&self->reply_func);

  func (reply, error_message, self->user_data);
  if (self->destroy != NULL)
    self->destroy (self->user_data);
  self->user_data = NULL;
}

static void
satori_messenger_request_finalize (GObject *object)
{
  SatoriMessengerRequest *self = SATORI_MESSENGER_REQUEST (object);

  if (self->reply_func != NULL)
    answer (self, NULL, _("The request was not answered"));
  satori_peer_id_unref (self->peer);
  g_bytes_unref (self->message);
  G_OBJECT_CLASS (satori_messenger_request_parent_class)->finalize (object);
}

static void
satori_messenger_request_class_init (SatoriMessengerRequestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_messenger_request_finalize;
}

static void
satori_messenger_request_init (SatoriMessengerRequest *self)
{
}

/**
 * satori_messenger_request_new:
 * @peer: the peer that sent the request
 * @message: the request as the application sees it, a JSON text
 * @encrypted: whether it came encrypted end to end
 * @reply_func: sends the answer; called exactly once
 * @user_data: data for @reply_func
 * @destroy: (nullable): frees @user_data after @reply_func ran
 *
 * For implementations of #SatoriMessenger.
 *
 * Returns: (transfer full): a request to hand to the application
 */
SatoriMessengerRequest *
satori_messenger_request_new (SatoriPeerId *peer, GBytes *message, gboolean encrypted,
                              SatoriMessengerReplyFunc reply_func, gpointer user_data,
                              GDestroyNotify destroy)
{
  g_return_val_if_fail (peer != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (reply_func != NULL, NULL);

  SatoriMessengerRequest *self = g_object_new (SATORI_TYPE_MESSENGER_REQUEST, NULL);
  self->peer = satori_peer_id_ref (peer);
  self->message = g_bytes_ref (message);
  self->encrypted = encrypted;
  self->reply_func = reply_func;
  self->user_data = user_data;
  self->destroy = destroy;
  return self;
}

/**
 * satori_messenger_request_get_peer:
 * @request: a #SatoriMessengerRequest
 *
 * Returns: (transfer none): the peer that sent it
 */
SatoriPeerId *
satori_messenger_request_get_peer (SatoriMessengerRequest *request)
{
  g_return_val_if_fail (SATORI_IS_MESSENGER_REQUEST (request), NULL);
  return request->peer;
}

/**
 * satori_messenger_request_get_message:
 * @request: a #SatoriMessengerRequest
 *
 * Returns: (transfer none): the request, a JSON text
 */
GBytes *
satori_messenger_request_get_message (SatoriMessengerRequest *request)
{
  g_return_val_if_fail (SATORI_IS_MESSENGER_REQUEST (request), NULL);
  return request->message;
}

/**
 * satori_messenger_request_get_encrypted:
 * @request: a #SatoriMessengerRequest
 *
 * Returns: whether the request came encrypted end to end; the answer then
 *   goes back encrypted too
 */
gboolean
satori_messenger_request_get_encrypted (SatoriMessengerRequest *request)
{
  g_return_val_if_fail (SATORI_IS_MESSENGER_REQUEST (request), FALSE);
  return request->encrypted;
}

/**
 * satori_messenger_request_get_answered:
 * @request: a #SatoriMessengerRequest
 *
 * Returns: whether it was answered (replied to or refused)
 */
gboolean
satori_messenger_request_get_answered (SatoriMessengerRequest *request)
{
  g_return_val_if_fail (SATORI_IS_MESSENGER_REQUEST (request), FALSE);
  return request->reply_func == NULL;
}

/**
 * satori_messenger_request_reply:
 * @request: a #SatoriMessengerRequest not answered yet
 * @reply: the answer, a JSON text
 *
 * Sends @reply to the peer that asked.
 */
void
satori_messenger_request_reply (SatoriMessengerRequest *request, GBytes *reply)
{
  g_return_if_fail (SATORI_IS_MESSENGER_REQUEST (request));
  g_return_if_fail (reply != NULL);
  g_return_if_fail (request->reply_func != NULL);
  answer (request, reply, NULL);
}

/**
 * satori_messenger_request_refuse:
 * @request: a #SatoriMessengerRequest not answered yet
 * @reason: why, for the peer
 *
 * Answers with an error: the peer's request fails with
 * %SATORI_MESSENGER_ERROR_REFUSED.
 */
void
satori_messenger_request_refuse (SatoriMessengerRequest *request, const char *reason)
{
  g_return_if_fail (SATORI_IS_MESSENGER_REQUEST (request));
  g_return_if_fail (reason != NULL);
  g_return_if_fail (request->reply_func != NULL);
  answer (request, NULL, reason);
}
