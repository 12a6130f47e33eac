/* satori-rendezvous-message.c — rendezvous messages: decoding with the
 * checks every message needs (pure)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-rendezvous-message.h"

G_DEFINE_QUARK (satori-rendezvous-error-quark, satori_rendezvous_error)

/* Whether the body the type names is there. */
static gboolean
has_body (const SatoriRendezvousMessage *message)
{
  switch (message->type)
    {
    case SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__REGISTER:
      return message->register_ != NULL;
    case SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__REGISTER_RESPONSE:
      return message->registerresponse != NULL;
    case SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__UNREGISTER:
      return message->unregister != NULL;
    case SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__DISCOVER:
      return message->discover != NULL;
    case SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__DISCOVER_RESPONSE:
      return message->discoverresponse != NULL;
    default:
      return FALSE;
    }
}

/**
 * satori_rendezvous_message_decode:
 * @data: (array length=len): one message, without its length prefix
 * @len: its size
 * @max_size: the largest size accepted
 * @error: a %SATORI_CODEC_ERROR
 *
 * Decodes a message and checks that it has a known type and the body that
 * type names. Fields inside the body are checked by whoever uses them.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL
 */
SatoriRendezvousMessage *
satori_rendezvous_message_decode (const guint8 *data, gsize len, gsize max_size, GError **error)
{
  g_autoptr(SatoriRendezvousMessage) message = (SatoriRendezvousMessage *) satori_protobuf_unpack (
    &satori__rendezvous__message__descriptor, data, len, max_size, error);

  if (message == NULL)
    return NULL;
  if (!message->has_type || !has_body (message))
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                   "A rendezvous message of type %d without its body", message->type);
      return NULL;
    }
  return g_steal_pointer (&message);
}

/**
 * satori_rendezvous_message_free:
 * @message: (nullable): a decoded message
 *
 * Frees what satori_rendezvous_message_decode() returned.
 */
void
satori_rendezvous_message_free (SatoriRendezvousMessage *message)
{
  if (message != NULL)
    protobuf_c_message_free_unpacked (&message->base, NULL);
}

/**
 * satori_rendezvous_namespace_is_valid:
 * @namespace_: (nullable): a namespace from the wire
 * @allow_empty: whether %NULL or "" means "every namespace" (discover)
 *
 * Returns: whether @namespace_ is UTF-8 of at most
 *   %SATORI_RENDEZVOUS_MAX_NAMESPACE bytes, and not empty unless allowed
 */
gboolean
satori_rendezvous_namespace_is_valid (const char *namespace_, gboolean allow_empty)
{
  if (namespace_ == NULL || namespace_[0] == '\0')
    return allow_empty;
  gsize len = strlen (namespace_);
  return len <= SATORI_RENDEZVOUS_MAX_NAMESPACE && g_utf8_validate (namespace_, len, NULL);
}
