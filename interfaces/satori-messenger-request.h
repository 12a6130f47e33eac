/* satori-messenger-request.h — one inbound request, to be answered once
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

#include "satori-types.h"

G_BEGIN_DECLS

/**
 * SatoriMessengerReplyFunc:
 * @reply: (nullable): the answer, a JSON text; %NULL to refuse
 * @error_message: (nullable): why it was refused, when @reply is %NULL
 * @user_data: the data given to satori_messenger_request_new()
 *
 * How a messenger sends the answer to a request. Called exactly once.
 */
typedef void (*SatoriMessengerReplyFunc) (GBytes     *reply,
                                          const char *error_message,
                                          gpointer    user_data);

#define SATORI_TYPE_MESSENGER_REQUEST (satori_messenger_request_get_type ())
G_DECLARE_FINAL_TYPE (SatoriMessengerRequest, satori_messenger_request,
                      SATORI, MESSENGER_REQUEST, GObject)

SatoriMessengerRequest *satori_messenger_request_new (SatoriPeerId            *peer,
                                                      GBytes                  *message,
                                                      gboolean                 encrypted,
                                                      SatoriMessengerReplyFunc reply_func,
                                                      gpointer                 user_data,
                                                      GDestroyNotify           destroy);

SatoriPeerId *satori_messenger_request_get_peer (SatoriMessengerRequest *request);
GBytes       *satori_messenger_request_get_message (SatoriMessengerRequest *request);
gboolean      satori_messenger_request_get_encrypted (SatoriMessengerRequest *request);
gboolean      satori_messenger_request_get_answered (SatoriMessengerRequest *request);
void          satori_messenger_request_reply (SatoriMessengerRequest *request,
                                              GBytes                 *reply);
void          satori_messenger_request_refuse (SatoriMessengerRequest *request,
                                               const char             *reason);

G_END_DECLS
