/* Tests of the sans-I/O Noise core: two sessions against each other in
 * memory with deterministic Noise keys, a known-answer test of the XX
 * handshake, and failure cases. */
#include <string.h>

#include "satori-noise-error.h"
#include "satori-noise-handshake.h"
#include "satori-noise-payload.h"
#include "satori-noise-session.h"
#include "noise-test-log.h"
#include "satori-test-util.h"

#define YAMUX "/yamux/1.0.0"
#define MPLEX "/mplex/6.7.0"

/* libp2p/specs peer-ids/peer-ids.md: the spec's Ed25519 private key. */
static const char spec_ed25519_private[] =
  "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
  "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

/* Deterministic "randomness": bytes counting up from a seed. */
static void
seeded_random (guint8 *buffer, gsize len, gpointer user_data)
{
  guint8 *seed = user_data;

  for (gsize i = 0; i < len; i++)
    buffer[i] = (*seed)++;
}

static SatoriPrivateKey *
identity (SatoriKeyType type, guint8 fill)
{
  g_autoptr(GError) error = NULL;
  SatoriPrivateKey *key;

  switch (type)
    {
    case SATORI_KEY_TYPE_SECP256K1:
      return satori_test_secp256k1_key_filled (fill);
    case SATORI_KEY_TYPE_ED25519:
      if (fill == 1)
        return satori_test_private_key_from_hex (spec_ed25519_private);
      G_GNUC_FALLTHROUGH;
    default:
      key = satori_private_key_generate (type, &error);
      g_assert_no_error (error);
      return key;
    }
}

/* A Noise identity of @key whose static key comes from @seed. */
static SatoriNoiseIdentity *
noise_identity (SatoriPrivateKey *key, guint8 *seed)
{
  g_autoptr(GError) error = NULL;
  guint8 static_private[32];

  seeded_random (static_private, sizeof static_private, seed);
  SatoriNoiseIdentity *identity = satori_noise_identity_new (key, static_private, &error);
  g_assert_no_error (error);
  return identity;
}

static SatoriPeerId *
peer_of (SatoriPrivateKey *key)
{
  return satori_peer_id_new_from_public_key (satori_private_key_get_public_key (key));
}

typedef struct
{
  SatoriPrivateKey *initiator_key;
  SatoriPrivateKey *responder_key;
  SatoriNoiseSession *initiator;
  SatoriNoiseSession *responder;
  guint8 initiator_seed;
  guint8 responder_seed;
} Pair;

static void
pair_init (Pair *pair, SatoriKeyType type, SatoriPeerId *initiator_expects,
           SatoriPeerId *responder_expects, const char * const *initiator_muxers,
           const char * const *responder_muxers)
{
  g_autoptr(GError) error = NULL;

  pair->initiator_key = identity (type, 1);
  pair->responder_key = identity (type, 2);
  pair->initiator_seed = 0x10;
  pair->responder_seed = 0x80;
  g_autoptr(SatoriNoiseIdentity) initiator_identity =
    noise_identity (pair->initiator_key, &pair->initiator_seed);
  g_autoptr(SatoriNoiseIdentity) responder_identity =
    noise_identity (pair->responder_key, &pair->responder_seed);
  pair->initiator = satori_noise_session_new (SATORI_NOISE_ROLE_INITIATOR, initiator_identity,
                                              initiator_expects, initiator_muxers,
                                              seeded_random, &pair->initiator_seed, &error);
  g_assert_no_error (error);
  pair->responder = satori_noise_session_new (SATORI_NOISE_ROLE_RESPONDER, responder_identity,
                                              responder_expects, responder_muxers,
                                              seeded_random, &pair->responder_seed, &error);
  g_assert_no_error (error);
}

static void
pair_clear (Pair *pair)
{
  g_clear_object (&pair->initiator_key);
  g_clear_object (&pair->responder_key);
  g_clear_pointer (&pair->initiator, satori_noise_session_unref);
  g_clear_pointer (&pair->responder, satori_noise_session_unref);
}

/* Takes everything @from has to send. */
static GByteArray *
take_transmit (SatoriNoiseSession *from)
{
  GByteArray *bytes = g_byte_array_new ();
  guint8 buffer[7];   /* small on purpose: poll_transmit in pieces */
  gsize n;

  while ((n = satori_noise_session_poll_transmit (from, buffer, sizeof buffer)) > 0)
    g_byte_array_append (bytes, buffer, n);
  return bytes;
}

/* Moves @from's output into @to, @chunk bytes at a time. */
static gboolean
deliver (SatoriNoiseSession *from, SatoriNoiseSession *to, gsize chunk, gboolean *moved,
         GError **error)
{
  g_autoptr(GByteArray) bytes = take_transmit (from);

  for (gsize pos = 0; pos < bytes->len; pos += chunk)
    {
      gsize consumed, n = MIN (chunk, bytes->len - pos);
      if (!satori_noise_session_handle_input (to, bytes->data + pos, n, &consumed, error))
        return FALSE;
      g_assert_cmpuint (consumed, ==, n);
      *moved = TRUE;
    }
  return TRUE;
}

/* Runs the handshake; returns FALSE with the first error. */
static gboolean
pair_handshake (Pair *pair, gsize chunk, GError **initiator_error, GError **responder_error)
{
  gboolean moved = TRUE;

  while (moved)
    {
      moved = FALSE;
      if (!deliver (pair->initiator, pair->responder, chunk, &moved, responder_error)
          || !deliver (pair->responder, pair->initiator, chunk, &moved, initiator_error))
        return FALSE;
    }
  return satori_noise_session_is_handshake_complete (pair->initiator)
         && satori_noise_session_is_handshake_complete (pair->responder);
}

static void
check_transport (SatoriNoiseSession *from, SatoriNoiseSession *to, gsize len, gsize chunk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) frames = g_byte_array_new ();
  g_autoptr(GByteArray) plaintext = g_byte_array_new ();
  g_autofree guint8 *data = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    data[i] = i * 7 + 3;
  g_assert_true (satori_noise_session_encrypt (from, data, len, frames, &error));
  g_assert_no_error (error);
  gsize chunks = (len + SATORI_NOISE_MAX_PLAINTEXT - 1) / SATORI_NOISE_MAX_PLAINTEXT;
  g_assert_cmpuint (frames->len, ==, len + chunks * 18);
  for (gsize pos = 0; pos < frames->len; pos += chunk)
    {
      g_assert_true (satori_noise_session_decrypt (to, frames->data + pos,
                                                   MIN (chunk, frames->len - pos), plaintext,
                                                   &error));
      g_assert_no_error (error);
    }
  g_assert_false (satori_noise_session_has_partial_input (to));
  g_assert_cmpmem (plaintext->data, plaintext->len, data, len);
}

static void
test_handshake_xx (gconstpointer data)
{
  SatoriKeyType type = GPOINTER_TO_INT (data);
  Pair pair = { 0 };
  SatoriNoiseEvent event;

  pair_init (&pair, type, NULL, NULL, NULL, NULL);
  g_assert_false (satori_noise_session_poll_event (pair.initiator, &event));
  g_assert_true (pair_handshake (&pair, G_MAXSIZE, NULL, NULL));

  g_autoptr(SatoriPeerId) initiator_peer = peer_of (pair.initiator_key);
  g_autoptr(SatoriPeerId) responder_peer = peer_of (pair.responder_key);
  g_assert_true (satori_noise_session_poll_event (pair.initiator, &event));
  g_assert_cmpint (event.type, ==, SATORI_NOISE_EVENT_HANDSHAKE_COMPLETE);
  g_assert_true (satori_peer_id_equal (event.remote_peer, responder_peer));
  g_assert_true (satori_public_key_equal (event.remote_key,
                                          satori_private_key_get_public_key (pair.responder_key)));
  g_assert_null (event.early_muxer);
  g_assert_false (satori_noise_session_poll_event (pair.initiator, &event));
  g_assert_true (satori_noise_session_poll_event (pair.responder, &event));
  g_assert_true (satori_peer_id_equal (event.remote_peer, initiator_peer));
  g_assert_true (satori_peer_id_equal (satori_noise_session_get_remote_peer (pair.responder),
                                       initiator_peer));

  check_transport (pair.initiator, pair.responder, 11, G_MAXSIZE);
  check_transport (pair.responder, pair.initiator, 3 * SATORI_NOISE_MAX_PLAINTEXT + 5, 4096);
  check_transport (pair.initiator, pair.responder, SATORI_NOISE_MAX_PLAINTEXT, 1000);
  check_transport (pair.initiator, pair.responder, 0, 1);
  pair_clear (&pair);
}

/* Handshake and transport messages fed one byte at a time. */
static void
test_handshake_byte_by_byte (void)
{
  Pair pair = { 0 };

  pair_init (&pair, SATORI_KEY_TYPE_SECP256K1, NULL, NULL, NULL, NULL);
  g_assert_true (pair_handshake (&pair, 1, NULL, NULL));
  check_transport (pair.initiator, pair.responder, 100, 1);
  check_transport (pair.responder, pair.initiator, 70000, 1);
  pair_clear (&pair);
}

/* The same seeds give the same bytes on the wire. */
static void
test_handshake_deterministic (void)
{
  g_autoptr(GByteArray) first = NULL;

  for (guint round = 0; round < 2; round++)
    {
      Pair pair = { 0 };
      pair_init (&pair, SATORI_KEY_TYPE_SECP256K1, NULL, NULL, NULL, NULL);
      g_autoptr(GByteArray) message1 = take_transmit (pair.initiator);
      g_assert_cmpuint (message1->len, ==, 2 + 32);
      g_assert_cmpuint (message1->data[1], ==, 32);
      if (first == NULL)
        first = g_byte_array_ref (message1);
      else
        g_assert_cmpmem (first->data, first->len, message1->data, message1->len);
      pair_clear (&pair);
    }
}

typedef struct
{
  const char *initiator[3];
  const char *responder[3];
  const char *expected;
} MuxerCase;

static const MuxerCase muxer_cases[] = {
  { { YAMUX, MPLEX, NULL }, { MPLEX, YAMUX, NULL }, YAMUX },
  { { MPLEX, YAMUX, NULL }, { YAMUX, NULL }, YAMUX },
  { { YAMUX, NULL }, { MPLEX, NULL }, NULL },
  { { NULL }, { YAMUX, NULL }, NULL },
  { { YAMUX, NULL }, { NULL }, NULL },
};

static void
test_handshake_muxers (gconstpointer data)
{
  const MuxerCase *c = data;
  Pair pair = { 0 };

  pair_init (&pair, SATORI_KEY_TYPE_ED25519, NULL, NULL, c->initiator, c->responder);
  g_assert_true (pair_handshake (&pair, G_MAXSIZE, NULL, NULL));
  g_assert_cmpstr (satori_noise_session_get_early_muxer (pair.initiator), ==, c->expected);
  g_assert_cmpstr (satori_noise_session_get_early_muxer (pair.responder), ==, c->expected);
  pair_clear (&pair);
}

static void
test_handshake_wrong_peer (void)
{
  g_autoptr(SatoriPrivateKey) other = identity (SATORI_KEY_TYPE_SECP256K1, 9);
  g_autoptr(SatoriPeerId) other_peer = peer_of (other);
  g_autoptr(GError) initiator_error = NULL;
  g_autoptr(GError) responder_error = NULL;
  Pair pair = { 0 };

  /* The initiator dials someone else. */
  pair_init (&pair, SATORI_KEY_TYPE_SECP256K1, other_peer, NULL, NULL, NULL);
  noise_test_expect ("*not the expected*");
  g_assert_false (pair_handshake (&pair, G_MAXSIZE, &initiator_error, &responder_error));
  noise_test_assert_logged ();
  g_assert_error (initiator_error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_PEER_MISMATCH);
  g_assert_no_error (responder_error);
  g_assert_false (satori_noise_session_is_handshake_complete (pair.responder));
  /* A failed session stays failed. */
  gsize consumed;
  g_clear_error (&initiator_error);
  g_assert_false (satori_noise_session_handle_input (pair.initiator, (const guint8 *) "x", 1,
                                                     &consumed, &initiator_error));
  g_assert_error (initiator_error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_PEER_MISMATCH);
  pair_clear (&pair);

  /* The responder expects someone else. */
  g_clear_error (&initiator_error);
  pair_init (&pair, SATORI_KEY_TYPE_SECP256K1, NULL, other_peer, NULL, NULL);
  noise_test_expect ("*not the expected*");
  g_assert_false (pair_handshake (&pair, G_MAXSIZE, &initiator_error, &responder_error));
  noise_test_assert_logged ();
  g_assert_error (responder_error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_PEER_MISMATCH);
  pair_clear (&pair);
}

/* Each flipped byte of message 2 or 3 fails the reader's handshake. */
static void
test_handshake_tampered (void)
{
  for (guint message = 2; message <= 3; message++)
    for (guint position = 2; position < 170; position += 37)
      {
        g_autoptr(GError) error = NULL;
        Pair pair = { 0 };
        gsize consumed;

        pair_init (&pair, SATORI_KEY_TYPE_ED25519, NULL, NULL, NULL, NULL);
        SatoriNoiseSession *writer = pair.responder, *reader = pair.initiator;
        g_autoptr(GByteArray) bytes = take_transmit (pair.initiator);
        g_assert_true (satori_noise_session_handle_input (pair.responder, bytes->data, bytes->len,
                                                          &consumed, &error));
        g_byte_array_unref (bytes);
        if (message == 3)
          {
            bytes = take_transmit (pair.responder);
            g_assert_true (satori_noise_session_handle_input (pair.initiator, bytes->data,
                                                              bytes->len, &consumed, &error));
            g_byte_array_unref (bytes);
            writer = pair.initiator;
            reader = pair.responder;
          }
        bytes = take_transmit (writer);
        g_assert_cmpuint (position, <, bytes->len);
        bytes->data[position] ^= 0x01;
        noise_test_expect ("Noise handshake failed*");
        g_assert_false (satori_noise_session_handle_input (reader, bytes->data, bytes->len,
                                                           &consumed, &error));
        noise_test_assert_logged ();
        g_assert_true (g_error_matches (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_DECRYPT)
                       || g_error_matches (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_CRYPTO));
        g_assert_false (satori_noise_session_is_handshake_complete (reader));
        pair_clear (&pair);
      }
}

/* A responder that signs something other than its static key. */
static void
test_handshake_bad_signature (void)
{
  g_autoptr(SatoriPrivateKey) initiator_key = identity (SATORI_KEY_TYPE_ED25519, 1);
  g_autoptr(SatoriPrivateKey) responder_key = identity (SATORI_KEY_TYPE_SECP256K1, 3);
  g_autoptr(GError) error = NULL;
  guint8 seed = 1, s[32], s_pub[32], e[32], wrong[32];
  gsize consumed;

  g_autoptr(SatoriNoiseIdentity) initiator_identity = noise_identity (initiator_key, &seed);
  g_autoptr(SatoriNoiseSession) initiator = satori_noise_session_new (
    SATORI_NOISE_ROLE_INITIATOR, initiator_identity, NULL, NULL, seeded_random, &seed, &error);
  g_assert_no_error (error);
  seeded_random (s, sizeof s, &seed);
  seeded_random (e, sizeof e, &seed);
  satori_noise_x25519_public (s, s_pub);
  memset (wrong, 0x42, sizeof wrong);
  g_autoptr(SatoriNoiseHandshake) fake = satori_noise_handshake_new (FALSE, NULL, 0, s, s_pub, e);
  g_autoptr(GByteArray) message1 = take_transmit (initiator);
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  g_assert_true (satori_noise_handshake_read_message (fake, message1->data + 2,
                                                      message1->len - 2, payload, &error));
  g_autoptr(GBytes) signature = satori_noise_payload_sign (responder_key, wrong, &error);
  g_assert_no_error (error);
  g_autoptr(GBytes) public_key = satori_public_key_to_protobuf (
    satori_private_key_get_public_key (responder_key));
  g_autoptr(GBytes) forged = satori_noise_payload_encode (public_key, signature, NULL);
  g_autoptr(GByteArray) message2 = g_byte_array_new ();
  g_byte_array_set_size (message2, 2);
  g_assert_true (satori_noise_handshake_write_message (fake, g_bytes_get_data (forged, NULL),
                                                       g_bytes_get_size (forged), message2,
                                                       &error));
  message2->data[0] = (message2->len - 2) >> 8;
  message2->data[1] = (message2->len - 2) & 0xff;

  noise_test_expect ("*signature*");
  g_assert_false (satori_noise_session_handle_input (initiator, message2->data, message2->len,
                                                     &consumed, &error));
  noise_test_assert_logged ();
  g_assert_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_BAD_SIGNATURE);
}

/* A first message shorter than an ephemeral key; an oversized payload. */
static void
test_handshake_truncated (void)
{
  g_autoptr(SatoriPrivateKey) key = identity (SATORI_KEY_TYPE_SECP256K1, 4);
  g_autoptr(GError) error = NULL;
  static const guint8 short_message[] = { 0, 3, 1, 2, 3 };
  guint8 seed = 1;
  gsize consumed;

  g_autoptr(SatoriNoiseIdentity) noise_key = noise_identity (key, &seed);
  g_autoptr(SatoriNoiseSession) responder = satori_noise_session_new (
    SATORI_NOISE_ROLE_RESPONDER, noise_key, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  /* Cut short, it only waits. */
  g_assert_true (satori_noise_session_handle_input (responder, short_message, 4, &consumed,
                                                    &error));
  g_assert_cmpuint (consumed, ==, 4);
  noise_test_expect ("*truncated*");
  g_assert_false (satori_noise_session_handle_input (responder, short_message + 4, 1, &consumed,
                                                     &error));
  noise_test_assert_logged ();
  g_assert_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_PROTOCOL);
  g_clear_error (&error);

  g_autofree char *huge = g_strnfill (SATORI_NOISE_MAX_MESSAGE, 'm');
  const char *muxers[] = { huge, NULL };
  SatoriNoiseSession *session = satori_noise_session_new (SATORI_NOISE_ROLE_INITIATOR, noise_key,
                                                          NULL, muxers, NULL, NULL, &error);
  g_assert_null (session);
  g_assert_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_TOO_LARGE);
}

/* The payload an identity makes carries its key and muxers and a
 * signature over its static key, and over no other. */
static void
test_identity_payload (void)
{
  g_autoptr(SatoriPrivateKey) key = identity (SATORI_KEY_TYPE_ED25519, 1);
  const char *muxers[] = { YAMUX, MPLEX, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPublicKey) remote_key = NULL;
  g_auto(GStrv) remote_muxers = NULL;
  guint8 seed = 7, other[32];

  g_autoptr(SatoriNoiseIdentity) noise_key = noise_identity (key, &seed);
  g_autoptr(GBytes) payload = satori_noise_identity_encode_payload (noise_key, muxers);
  g_assert_true (satori_noise_payload_verify (
    g_bytes_get_data (payload, NULL), g_bytes_get_size (payload),
    satori_noise_identity_get_static_public (noise_key), &remote_key, &remote_muxers, &error));
  g_assert_no_error (error);
  g_assert_true (satori_public_key_equal (remote_key, satori_private_key_get_public_key (key)));
  g_assert_cmpstrv (remote_muxers, muxers);

  memcpy (other, satori_noise_identity_get_static_public (noise_key), sizeof other);
  other[0] ^= 1;
  g_clear_object (&remote_key);
  g_clear_pointer (&remote_muxers, g_strfreev);
  g_assert_false (satori_noise_payload_verify (g_bytes_get_data (payload, NULL),
                                               g_bytes_get_size (payload), other, &remote_key,
                                               &remote_muxers, &error));
  g_assert_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_BAD_SIGNATURE);
}

/* One identity serves any number of handshakes, each with a fresh
 * ephemeral key: their transport keys differ. */
static void
test_identity_shared (void)
{
  g_autoptr(SatoriPrivateKey) server_key = identity (SATORI_KEY_TYPE_ED25519, 2);
  guint8 seed = 0x40;
  g_autoptr(SatoriNoiseIdentity) server = noise_identity (server_key, &seed);
  g_autoptr(GByteArray) first = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SatoriPrivateKey) client_key = identity (SATORI_KEY_TYPE_ED25519, 3 + i);
      g_autoptr(SatoriNoiseIdentity) client = noise_identity (client_key, &seed);
      g_autoptr(GError) error = NULL;
      g_autoptr(SatoriNoiseSession) initiator = satori_noise_session_new (
        SATORI_NOISE_ROLE_INITIATOR, client, NULL, NULL, seeded_random, &seed, &error);
      g_autoptr(SatoriNoiseSession) responder = satori_noise_session_new (
        SATORI_NOISE_ROLE_RESPONDER, server, NULL, NULL, seeded_random, &seed, &error);
      g_assert_no_error (error);

      for (guint message = 0; message < 3; message++)
        {
          SatoriNoiseSession *from = message % 2 == 0 ? initiator : responder;
          SatoriNoiseSession *to = message % 2 == 0 ? responder : initiator;
          g_autoptr(GByteArray) bytes = take_transmit (from);
          gsize consumed;

          g_assert_true (satori_noise_session_handle_input (to, bytes->data, bytes->len,
                                                            &consumed, &error));
          g_assert_no_error (error);
        }
      g_assert_true (satori_noise_session_is_handshake_complete (initiator));
      g_assert_true (satori_public_key_equal (satori_noise_session_get_remote_public_key (initiator),
                                              satori_private_key_get_public_key (server_key)));

      g_autoptr(GByteArray) sealed = g_byte_array_new ();
      g_assert_true (satori_noise_session_encrypt (initiator, (const guint8 *) "same", 4, sealed,
                                                   &error));
      if (first == NULL)
        first = g_steal_pointer (&sealed);
      else
        g_assert_false (sealed->len == first->len
                        && memcmp (sealed->data, first->data, first->len) == 0);
    }
}

static void
established (Pair *pair)
{
  pair_init (pair, SATORI_KEY_TYPE_ED25519, NULL, NULL, NULL, NULL);
  g_assert_true (pair_handshake (pair, G_MAXSIZE, NULL, NULL));
}

static void
test_transport_flipped_bit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) frames = g_byte_array_new ();
  g_autoptr(GByteArray) plaintext = g_byte_array_new ();
  Pair pair = { 0 };

  established (&pair);
  g_assert_true (satori_noise_session_encrypt (pair.initiator, (const guint8 *) "hello", 5,
                                               frames, &error));
  frames->data[4] ^= 0x10;
  noise_test_expect ("Noise transport failed*");
  g_assert_false (satori_noise_session_decrypt (pair.responder, frames->data, frames->len,
                                                plaintext, &error));
  noise_test_assert_logged ();
  g_assert_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_DECRYPT);
  g_assert_cmpuint (plaintext->len, ==, 0);
  /* Failed for good, even for the genuine message. */
  g_clear_error (&error);
  frames->data[4] ^= 0x10;
  g_assert_false (satori_noise_session_decrypt (pair.responder, frames->data, frames->len,
                                                plaintext, &error));
  g_assert_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_DECRYPT);
  pair_clear (&pair);
}

static void
test_transport_short_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) plaintext = g_byte_array_new ();
  static const guint8 frame[] = { 0, 5, 1, 2, 3, 4, 5 };
  Pair pair = { 0 };

  established (&pair);
  noise_test_expect ("*shorter than its tag*");
  g_assert_false (satori_noise_session_decrypt (pair.responder, frame, sizeof frame, plaintext,
                                                &error));
  noise_test_assert_logged ();
  g_assert_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_PROTOCOL);
  pair_clear (&pair);
}

static void
test_transport_replay (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) frames = g_byte_array_new ();
  g_autoptr(GByteArray) plaintext = g_byte_array_new ();
  Pair pair = { 0 };

  established (&pair);
  g_assert_true (satori_noise_session_encrypt (pair.initiator, (const guint8 *) "once", 4,
                                               frames, &error));
  g_assert_true (satori_noise_session_decrypt (pair.responder, frames->data, frames->len,
                                               plaintext, &error));
  noise_test_expect ("Noise transport failed*");
  g_assert_false (satori_noise_session_decrypt (pair.responder, frames->data, frames->len,
                                                plaintext, &error));
  noise_test_assert_logged ();
  g_assert_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_DECRYPT);
  pair_clear (&pair);
}

static void
test_transport_before_handshake (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  Pair pair = { 0 };

  pair_init (&pair, SATORI_KEY_TYPE_SECP256K1, NULL, NULL, NULL, NULL);
  g_assert_false (satori_noise_session_encrypt (pair.initiator, (const guint8 *) "x", 1, out,
                                                &error));
  g_assert_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_PROTOCOL);
  pair_clear (&pair);
}

/* Noise_XX_25519_ChaChaPoly_SHA256 from the cacophony test vectors
 * (haskell-cryptography/cacophony vectors/cacophony.txt): prologue
 * "John Galt", three handshake messages, then transport messages. */
static const struct
{
  const char *payload;
  const char *ciphertext;
} kat_messages[] = {
  { "4c756477696720766f6e204d69736573",
    "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e20"
    "4d69736573" },
  { "4d757272617920526f746862617264",
    "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f14480884381cbad1f276e038c48378f"
    "fce2b65285e08d6b68aaa3629a5a8639392490e5b9bd5269c2f1e4f488ed8831161f19b7815528f8982ffe"
    "09be9b5c412f8a0db50f8814c7194e83f23dbd8d162c9326ad" },
  { "462e20412e20486179656b",
    "c7195ffacac1307ff99046f219750fc47693e23c3cb08b89c2af808b444850a80ae475b9df0f169ae80a89"
    "be0865b57f58c9fea0d4ec82a286427402f113e4b6ae769a1d95941d49b25030" },
  { "4361726c204d656e676572", "96763ed773f8e47bb3712f0e29b3060ffc956ffc146cee53d5e1df" },
  { "4a65616e2d426170746973746520536179",
    "3e40f15f6f3a46ae446b253bf8b1d9ffb6ed9b174d272328ff91a7e2e5c79c07f5" },
  { "457567656e2042f6686d20766f6e2042617765726b",
    "eb3f3515110702e047a6c9da4478b6ead94873c11c0f2d710ddb3f09fce024b3a58502ae3f" },
};

static void
test_handshake_known_answer (void)
{
  g_autoptr(GBytes) prologue = satori_test_bytes_from_hex ("4a6f686e2047616c74");
  g_autoptr(GBytes) init_s = satori_test_bytes_from_hex (
    "e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1");
  g_autoptr(GBytes) init_e = satori_test_bytes_from_hex (
    "893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a");
  g_autoptr(GBytes) resp_s = satori_test_bytes_from_hex (
    "4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893");
  g_autoptr(GBytes) resp_e = satori_test_bytes_from_hex (
    "bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b");
  g_autoptr(GBytes) hash = satori_test_bytes_from_hex (
    "c8e5f64e846193be2a834104c2a009868d6c9f3bd3c186299888b488b2f1f58e");
  g_autoptr(GError) error = NULL;
  SatoriNoiseCipher *ciphers[2][2];   /* [side][send, receive] */
  guint8 init_s_pub[32], resp_s_pub[32];

  satori_noise_x25519_public (g_bytes_get_data (init_s, NULL), init_s_pub);
  satori_noise_x25519_public (g_bytes_get_data (resp_s, NULL), resp_s_pub);
  SatoriNoiseHandshake *sides[2] = {
    satori_noise_handshake_new (TRUE, g_bytes_get_data (prologue, NULL),
                                g_bytes_get_size (prologue), g_bytes_get_data (init_s, NULL),
                                init_s_pub, g_bytes_get_data (init_e, NULL)),
    satori_noise_handshake_new (FALSE, g_bytes_get_data (prologue, NULL),
                                g_bytes_get_size (prologue), g_bytes_get_data (resp_s, NULL),
                                resp_s_pub, g_bytes_get_data (resp_e, NULL)),
  };
  for (guint i = 0; i < G_N_ELEMENTS (kat_messages); i++)
    {
      g_autoptr(GBytes) payload = satori_test_bytes_from_hex (kat_messages[i].payload);
      g_autoptr(GBytes) expected = satori_test_bytes_from_hex (kat_messages[i].ciphertext);
      g_autoptr(GByteArray) message = g_byte_array_new ();
      g_autoptr(GByteArray) decrypted = g_byte_array_new ();
      guint sender = i % 2, receiver = 1 - sender;
      gsize len = g_bytes_get_size (payload);

      if (i < 3)
        {
          g_assert_true (satori_noise_handshake_write_message (
            sides[sender], g_bytes_get_data (payload, NULL), len, message, &error));
          g_assert_true (satori_noise_handshake_read_message (
            sides[receiver], message->data, message->len, decrypted, &error));
          if (i == 2)
            for (guint side = 0; side < 2; side++)
              {
                g_assert_true (satori_noise_handshake_is_complete (sides[side]));
                g_assert_cmpmem (satori_noise_handshake_get_hash (sides[side]), 32,
                                 g_bytes_get_data (hash, NULL), 32);
                satori_noise_handshake_split (sides[side], &ciphers[side][0], &ciphers[side][1]);
              }
        }
      else
        {
          g_byte_array_set_size (message, len + 16);
          g_assert_true (satori_noise_cipher_encrypt (ciphers[sender][0], NULL, 0,
                                                      g_bytes_get_data (payload, NULL), len,
                                                      message->data, &error));
          g_byte_array_set_size (decrypted, len);
          g_assert_true (satori_noise_cipher_decrypt (ciphers[receiver][1], NULL, 0,
                                                      message->data, message->len,
                                                      decrypted->data, &error));
        }
      g_assert_no_error (error);
      g_assert_cmpmem (message->data, message->len, g_bytes_get_data (expected, NULL),
                       g_bytes_get_size (expected));
      g_assert_cmpmem (decrypted->data, decrypted->len, g_bytes_get_data (payload, NULL), len);
    }
  for (guint side = 0; side < 2; side++)
    {
      satori_noise_handshake_free (sides[side]);
      satori_noise_cipher_free (ciphers[side][0]);
      satori_noise_cipher_free (ciphers[side][1]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  noise_test_log_init ();

  g_test_add_data_func ("/noise/handshake/xx", GINT_TO_POINTER (SATORI_KEY_TYPE_ED25519),
                        test_handshake_xx);
  g_test_add_data_func ("/noise/handshake/xx-secp256k1",
                        GINT_TO_POINTER (SATORI_KEY_TYPE_SECP256K1), test_handshake_xx);
  g_test_add_data_func ("/noise/handshake/xx-ecdsa", GINT_TO_POINTER (SATORI_KEY_TYPE_ECDSA),
                        test_handshake_xx);
  g_test_add_func ("/noise/handshake/known-answer", test_handshake_known_answer);
  g_test_add_func ("/noise/handshake/byte-by-byte", test_handshake_byte_by_byte);
  g_test_add_func ("/noise/handshake/deterministic", test_handshake_deterministic);
  for (guint i = 0; i < G_N_ELEMENTS (muxer_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/noise/handshake/early-muxer/%u", i);
      g_test_add_data_func (path, &muxer_cases[i], test_handshake_muxers);
    }
  g_test_add_func ("/noise/handshake/wrong-peer", test_handshake_wrong_peer);
  g_test_add_func ("/noise/handshake/tampered", test_handshake_tampered);
  g_test_add_func ("/noise/handshake/bad-signature", test_handshake_bad_signature);
  g_test_add_func ("/noise/handshake/truncated", test_handshake_truncated);
  g_test_add_func ("/noise/identity/payload", test_identity_payload);
  g_test_add_func ("/noise/identity/shared", test_identity_shared);
  g_test_add_func ("/noise/transport/flipped-bit", test_transport_flipped_bit);
  g_test_add_func ("/noise/transport/short-message", test_transport_short_message);
  g_test_add_func ("/noise/transport/replay", test_transport_replay);
  g_test_add_func ("/noise/transport/before-handshake", test_transport_before_handshake);

  return g_test_run ();
}
