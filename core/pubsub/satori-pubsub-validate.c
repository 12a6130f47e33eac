/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-pubsub-validate.h"

#include "satori-pubsub-error.h"
#include "satori-pubsub-signing.h"

static gboolean
fail (GError **error, const char *reason)
{
  g_set_error (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_POLICY,
               "message rejected: %s", reason);
  return FALSE;
}

/**
 * satori_pubsub_check_message:
 * @message: a received message
 * @policy: the signature policy of the router
 * @error: %SATORI_PUBSUB_ERROR_POLICY for missing or forbidden fields,
 *   %SATORI_PUBSUB_ERROR_SIGNATURE for a bad signature
 *
 * The checks every router does before anything else with a message: a
 * topic that is valid UTF-8, and the fields the policy asks for (with the
 * signature verified under StrictSign and an 8-byte seqno).
 *
 * Returns: whether @message may go on to the application's validation
 */
gboolean
satori_pubsub_check_message (const Satori__Pubsub__Message *message,
                             SatoriPubsubSignaturePolicy policy, GError **error)
{
  return satori_pubsub_check_message_full (message, policy, 0, error);
}

static gboolean
seqno_fits (const Satori__Pubsub__Message *message, SatoriPubsubCheckFlags flags)
{
  if (!message->has_seqno)
    return FALSE;
  if (flags & SATORI_PUBSUB_CHECK_SHORT_SEQNO)
    return message->seqno.len >= 1 && message->seqno.len <= SATORI_PUBSUB_SEQNO_LENGTH;
  return message->seqno.len == SATORI_PUBSUB_SEQNO_LENGTH;
}

/**
 * satori_pubsub_check_message_full:
 * @message: a received message
 * @policy: the signature policy of the router
 * @flags: what the router tolerates beyond the spec
 * @error: as for satori_pubsub_check_message()
 *
 * satori_pubsub_check_message() with @flags.
 *
 * Returns: whether @message may go on to the application's validation
 */
gboolean
satori_pubsub_check_message_full (const Satori__Pubsub__Message *message,
                                  SatoriPubsubSignaturePolicy policy,
                                  SatoriPubsubCheckFlags flags, GError **error)
{
  g_return_val_if_fail (message != NULL, FALSE);

  if (message->topic == NULL || !g_utf8_validate (message->topic, -1, NULL))
    return fail (error, "no topic, or one that is not UTF-8");

  switch (policy)
    {
    case SATORI_PUBSUB_STRICT_SIGN:
      if (!message->has_from)
        return fail (error, "no from under StrictSign");
      if (!seqno_fits (message, flags))
        return fail (error, "no 8-byte seqno under StrictSign");
      if (!message->has_signature)
        return fail (error, "no signature under StrictSign");
      return satori_pubsub_verify_message (message, error);
    case SATORI_PUBSUB_STRICT_NO_SIGN:
      if (message->has_from || message->has_seqno || message->has_signature
          || message->has_key)
        return fail (error, "from, seqno, signature or key under StrictNoSign");
      return TRUE;
    }
  g_return_val_if_reached (FALSE);
}
