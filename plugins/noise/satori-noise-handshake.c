/* satori-noise-handshake.c — the Noise XX handshake state (Noise rev 34, section 5.3)
 *
 *   -> e
 *   <- e, ee, s, es
 *   -> s, se
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-noise-handshake.h"

#include <string.h>

#include "satori-noise-error.h"

#define KEY SATORI_NOISE_KEY_LENGTH
#define TAG SATORI_NOISE_TAG_LENGTH

struct _SatoriNoiseHandshake
{
  gboolean initiator;
  guint message;                /* the index of the next message, 0..3 */
  guint8 h[KEY];
  guint8 ck[KEY];
  SatoriNoiseCipher *cipher;    /* NULL until the first MixKey */
  guint8 s[KEY], s_pub[KEY];
  guint8 e[KEY], e_pub[KEY];
  guint8 rs[KEY], re[KEY];
  gboolean has_rs;
};

/**
 * satori_noise_handshake_new:
 * @initiator: whether this side sends the first message
 * @prologue: (array length=prologue_len) (nullable): the prologue (libp2p
 *   uses none)
 * @prologue_len: its length
 * @static_private: the static X25519 private key
 * @static_public: its public key
 * @ephemeral_private: the ephemeral X25519 private key
 *
 * Returns: (transfer full): a handshake state
 */
SatoriNoiseHandshake *
satori_noise_handshake_new (gboolean initiator, const guint8 *prologue, gsize prologue_len,
                            const guint8 static_private[KEY], const guint8 static_public[KEY],
                            const guint8 ephemeral_private[KEY])
{
  SatoriNoiseHandshake *hs = g_new0 (SatoriNoiseHandshake, 1);

  hs->initiator = initiator;
  G_STATIC_ASSERT (sizeof SATORI_NOISE_PROTOCOL_NAME - 1 == KEY);
  memcpy (hs->h, SATORI_NOISE_PROTOCOL_NAME, KEY);
  memcpy (hs->ck, hs->h, KEY);
  satori_noise_sha256_2 (hs->h, KEY, prologue, prologue_len, hs->h);
  memcpy (hs->s, static_private, KEY);
  memcpy (hs->s_pub, static_public, KEY);
  memcpy (hs->e, ephemeral_private, KEY);
  satori_noise_x25519_public (hs->e, hs->e_pub);
  return hs;
}

/**
 * satori_noise_handshake_free:
 * @handshake: (transfer full) (nullable): a handshake state
 */
void
satori_noise_handshake_free (SatoriNoiseHandshake *handshake)
{
  if (handshake == NULL)
    return;
  satori_noise_cipher_free (handshake->cipher);
  explicit_bzero (handshake, sizeof *handshake);
  g_free (handshake);
}

static void
mix_hash (SatoriNoiseHandshake *hs, const guint8 *data, gsize len)
{
  satori_noise_sha256_2 (hs->h, KEY, data, len, hs->h);
}

static gboolean
mix_dh (SatoriNoiseHandshake *hs, const guint8 *private_key, const guint8 *public_key,
        GError **error)
{
  guint8 shared[KEY], key[KEY];

  if (!satori_noise_x25519 (private_key, public_key, shared, error))
    return FALSE;
  satori_noise_hkdf (hs->ck, shared, KEY, hs->ck, key, NULL);
  satori_noise_cipher_free (hs->cipher);
  hs->cipher = satori_noise_cipher_new (key);
  explicit_bzero (shared, KEY);
  explicit_bzero (key, KEY);
  return TRUE;
}

/* EncryptAndHash: appends the ciphertext of @len bytes to @out. */
static gboolean
encrypt_and_hash (SatoriNoiseHandshake *hs, const guint8 *plaintext, gsize len, GByteArray *out,
                  GError **error)
{
  gsize start = out->len;

  if (hs->cipher == NULL)
    g_byte_array_append (out, plaintext, len);
  else
    {
      g_byte_array_set_size (out, start + len + TAG);
      if (!satori_noise_cipher_encrypt (hs->cipher, hs->h, KEY, plaintext, len,
                                        out->data + start, error))
        return FALSE;
    }
  mix_hash (hs, out->data + start, out->len - start);
  return TRUE;
}

/* DecryptAndHash into @out (len - TAG bytes, or len without a key). */
static gboolean
decrypt_and_hash (SatoriNoiseHandshake *hs, const guint8 *ciphertext, gsize len, guint8 *out,
                  GError **error)
{
  if (hs->cipher == NULL)
    {
      if (len > 0)
        memcpy (out, ciphertext, len);
    }
  else if (!satori_noise_cipher_decrypt (hs->cipher, hs->h, KEY, ciphertext, len, out, error))
    return FALSE;
  mix_hash (hs, ciphertext, len);
  return TRUE;
}

/**
 * satori_noise_handshake_is_my_turn:
 * @handshake: a handshake state
 *
 * Returns: whether the next message is this side's to write
 */
gboolean
satori_noise_handshake_is_my_turn (SatoriNoiseHandshake *handshake)
{
  return handshake->message < 3 && (handshake->message % 2 == 0) == handshake->initiator;
}

/**
 * satori_noise_handshake_is_complete:
 * @handshake: a handshake state
 *
 * Returns: whether all three messages were written or read
 */
gboolean
satori_noise_handshake_is_complete (SatoriNoiseHandshake *handshake)
{
  return handshake->message == 3;
}

/**
 * satori_noise_handshake_write_message:
 * @handshake: a handshake state whose turn it is to write
 * @payload: (array length=len) (nullable): the payload
 * @len: its length
 * @out: the message is appended here
 * @error: a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
satori_noise_handshake_write_message (SatoriNoiseHandshake *handshake, const guint8 *payload,
                                      gsize len, GByteArray *out, GError **error)
{
  SatoriNoiseHandshake *hs = handshake;

  g_return_val_if_fail (satori_noise_handshake_is_my_turn (hs), FALSE);
  switch (hs->message)
    {
    case 0:   /* -> e */
      g_byte_array_append (out, hs->e_pub, KEY);
      mix_hash (hs, hs->e_pub, KEY);
      break;
    case 1:   /* <- e, ee, s, es */
      g_byte_array_append (out, hs->e_pub, KEY);
      mix_hash (hs, hs->e_pub, KEY);
      if (!mix_dh (hs, hs->e, hs->re, error)
          || !encrypt_and_hash (hs, hs->s_pub, KEY, out, error)
          || !mix_dh (hs, hs->s, hs->re, error))
        return FALSE;
      break;
    default:  /* -> s, se */
      if (!encrypt_and_hash (hs, hs->s_pub, KEY, out, error)
          || !mix_dh (hs, hs->s, hs->re, error))
        return FALSE;
      break;
    }
  if (!encrypt_and_hash (hs, payload, len, out, error))
    return FALSE;
  hs->message++;
  return TRUE;
}

/**
 * satori_noise_handshake_read_message:
 * @handshake: a handshake state whose turn it is to read
 * @message: (array length=len): the message
 * @len: its length
 * @payload: the decrypted payload is appended here
 * @error: a #GError: %SATORI_NOISE_ERROR_PROTOCOL if the message is too
 *   short, %SATORI_NOISE_ERROR_DECRYPT if it is not authentic
 *
 * Returns: %TRUE on success
 */
gboolean
satori_noise_handshake_read_message (SatoriNoiseHandshake *handshake, const guint8 *message,
                                     gsize len, GByteArray *payload, GError **error)
{
  SatoriNoiseHandshake *hs = handshake;
  static const gsize fixed[3] = { KEY, KEY + KEY + TAG, KEY + TAG };

  g_return_val_if_fail (hs->message < 3 && !satori_noise_handshake_is_my_turn (hs), FALSE);
  gsize min = fixed[hs->message] + (hs->message == 0 ? 0 : TAG);
  if (len < min)
    {
      g_set_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_PROTOCOL,
                   "Noise handshake message %u is truncated: %" G_GSIZE_FORMAT
                   " bytes, at least %" G_GSIZE_FORMAT " needed", hs->message + 1, len, min);
      return FALSE;
    }
  switch (hs->message)
    {
    case 0:   /* -> e */
      memcpy (hs->re, message, KEY);
      mix_hash (hs, hs->re, KEY);
      break;
    case 1:   /* <- e, ee, s, es */
      memcpy (hs->re, message, KEY);
      mix_hash (hs, hs->re, KEY);
      if (!mix_dh (hs, hs->e, hs->re, error)
          || !decrypt_and_hash (hs, message + KEY, KEY + TAG, hs->rs, error)
          || !mix_dh (hs, hs->e, hs->rs, error))
        return FALSE;
      hs->has_rs = TRUE;
      break;
    default:  /* -> s, se */
      if (!decrypt_and_hash (hs, message, KEY + TAG, hs->rs, error)
          || !mix_dh (hs, hs->e, hs->rs, error))
        return FALSE;
      hs->has_rs = TRUE;
      break;
    }
  gsize offset = fixed[hs->message];
  gsize body = len - offset - (hs->cipher != NULL ? TAG : 0);
  gsize start = payload->len;
  g_byte_array_set_size (payload, start + body);
  /* An empty array may have no data at all. */
  guint8 *out = payload->data != NULL ? payload->data + start : NULL;
  if (!decrypt_and_hash (hs, message + offset, len - offset, out, error))
    {
      g_byte_array_set_size (payload, start);
      return FALSE;
    }
  hs->message++;
  return TRUE;
}

/**
 * satori_noise_handshake_get_static_public:
 * @handshake: a handshake state
 *
 * Returns: (array fixed-size=32): this side's static public key
 */
const guint8 *
satori_noise_handshake_get_static_public (SatoriNoiseHandshake *handshake)
{
  return handshake->s_pub;
}

/**
 * satori_noise_handshake_get_remote_static:
 * @handshake: a handshake state
 *
 * Returns: (array fixed-size=32) (nullable): the remote's static public
 *   key, once its message carrying it was read
 */
const guint8 *
satori_noise_handshake_get_remote_static (SatoriNoiseHandshake *handshake)
{
  return handshake->has_rs ? handshake->rs : NULL;
}

/**
 * satori_noise_handshake_get_hash:
 * @handshake: a handshake state
 *
 * Returns: (array fixed-size=32): the handshake hash h
 */
const guint8 *
satori_noise_handshake_get_hash (SatoriNoiseHandshake *handshake)
{
  return handshake->h;
}

/**
 * satori_noise_handshake_split:
 * @handshake: a complete handshake state
 * @send: (out) (transfer full): the cipher for this side's messages
 * @receive: (out) (transfer full): the cipher for the remote's messages
 *
 * Split(): derives the transport keys.
 */
void
satori_noise_handshake_split (SatoriNoiseHandshake *handshake, SatoriNoiseCipher **send,
                              SatoriNoiseCipher **receive)
{
  guint8 k1[KEY], k2[KEY];

  g_return_if_fail (satori_noise_handshake_is_complete (handshake));
  satori_noise_hkdf (handshake->ck, NULL, 0, k1, k2, NULL);
  *send = satori_noise_cipher_new (handshake->initiator ? k1 : k2);
  *receive = satori_noise_cipher_new (handshake->initiator ? k2 : k1);
  explicit_bzero (k1, KEY);
  explicit_bzero (k2, KEY);
}
