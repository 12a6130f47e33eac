/* Fuzz target: the Noise plugin's decoders. The first byte picks one:
 * 0: a responder session's handshake input, in chunks;
 * 1: an established session's transport decryptor, in chunks;
 * 2: the NoiseHandshakePayload parser and signature check.
 * None may crash; each either waits for more or fails with an error.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-noise-error.h"
#include "satori-noise-payload.h"
#include "satori-noise-session.h"
#include "satori-test-util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
counting_random (guint8 *buffer, gsize len, gpointer user_data)
{
  guint8 *seed = user_data;

  for (gsize i = 0; i < len; i++)
    buffer[i] = (*seed)++;
}

static GLogWriterOutput
quiet_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static SatoriNoiseSession *
new_session (SatoriNoiseRole role, SatoriPrivateKey *key, guint8 seed)
{
  g_autoptr(GError) error = NULL;
  guint8 static_private[SATORI_NOISE_KEY_LENGTH];

  counting_random (static_private, sizeof static_private, &seed);
  g_autoptr(SatoriNoiseIdentity) identity = satori_noise_identity_new (key, static_private,
                                                                       &error);
  g_assert_no_error (error);
  SatoriNoiseSession *session = satori_noise_session_new (role, identity, NULL, NULL,
                                                          counting_random, &seed, &error);
  g_assert_no_error (error);
  return session;
}

static void
move (SatoriNoiseSession *from, SatoriNoiseSession *to)
{
  guint8 buffer[1024];
  gsize n, consumed;

  while ((n = satori_noise_session_poll_transmit (from, buffer, sizeof buffer)) > 0)
    g_assert_true (satori_noise_session_handle_input (to, buffer, n, &consumed, NULL));
}

static void
fuzz_handshake (SatoriPrivateKey *key, const guint8 *data, gsize size, gsize chunk)
{
  g_autoptr(SatoriNoiseSession) responder = new_session (SATORI_NOISE_ROLE_RESPONDER, key, 1);
  guint8 buffer[256];

  for (gsize pos = 0; pos < size; pos += chunk)
    {
      g_autoptr(GError) error = NULL;
      gsize consumed, n = MIN (chunk, size - pos);

      if (!satori_noise_session_handle_input (responder, data + pos, n, &consumed, &error))
        {
          g_assert_true (error->domain == SATORI_NOISE_ERROR);
          return;
        }
      g_assert_cmpuint (consumed, <=, n);
      while (satori_noise_session_poll_transmit (responder, buffer, sizeof buffer) > 0)
        ;
    }
}

static void
fuzz_transport (SatoriPrivateKey *key, const guint8 *data, gsize size, gsize chunk)
{
  g_autoptr(SatoriNoiseSession) initiator = new_session (SATORI_NOISE_ROLE_INITIATOR, key, 1);
  g_autoptr(SatoriNoiseSession) responder = new_session (SATORI_NOISE_ROLE_RESPONDER, key, 2);
  g_autoptr(GByteArray) plaintext = g_byte_array_new ();

  move (initiator, responder);
  move (responder, initiator);
  move (initiator, responder);
  g_assert_true (satori_noise_session_is_handshake_complete (responder));
  for (gsize pos = 0; pos < size; pos += chunk)
    {
      g_autoptr(GError) error = NULL;

      if (!satori_noise_session_decrypt (responder, data + pos, MIN (chunk, size - pos),
                                         plaintext, &error))
        {
          g_assert_true (error->domain == SATORI_NOISE_ERROR);
          return;
        }
    }
  g_assert_cmpuint (plaintext->len, <=, size);
}

static void
fuzz_payload (const guint8 *data, gsize size)
{
  static const guint8 remote_static[SATORI_NOISE_KEY_LENGTH] = { 9 };
  g_autoptr(SatoriPublicKey) key = NULL;
  g_auto(GStrv) muxers = NULL;
  g_autoptr(GError) error = NULL;

  if (satori_noise_payload_verify (data, size, remote_static, &key, &muxers, &error))
    g_assert_nonnull (muxers);
  else
    g_assert_true (error->domain == SATORI_NOISE_ERROR);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static SatoriPrivateKey *key;

  if (size < 2)
    return 0;
  if (key == NULL)
    {
      /* Every failure is logged with g_message(): keep the output quiet. */
      g_log_set_writer_func (quiet_writer, NULL, NULL);
      key = satori_test_secp256k1_key_filled (7);
    }
  gsize chunk = data[1] == 0 ? size : data[1];
  switch (data[0] % 3)
    {
    case 0:
      fuzz_handshake (key, data + 2, size - 2, chunk);
      break;
    case 1:
      fuzz_transport (key, data + 2, size - 2, chunk);
      break;
    default:
      fuzz_payload (data + 2, size - 2);
      break;
    }
  return 0;
}
