/* A Satori wallet key. The wallet's 32 bytes of entropy are the secp256k1
 * secret of both the Evrmore key (compressed, P2PKH address version 33)
 * and the libp2p identity (PeerID 16Uiu2HA…).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-evrmore-key.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "satori-crypto.h"
#include "satori-errors.h"
#include "satori-key-backend.h"
#include "satori-evrmore-base64.h"

#define SECRET_LEN SATORI_SECP256K1_SECRET_LENGTH
#define COMPRESSED_FLAG 0x01

/**
 * SatoriEvrmoreKey:
 *
 * A Satori wallet key: one secp256k1 secret that is both an Evrmore key
 * (address, WIF, message signatures, encrypted messages) and a libp2p
 * identity (#SatoriPrivateKey, #SatoriPeerId). Immutable.
 */
struct _SatoriEvrmoreKey
{
  GObject parent_instance;

  SatoriPrivateKey *private_key;
  GBytes *secret;               /* SECRET_LEN bytes of secure memory */
};

G_DEFINE_FINAL_TYPE (SatoriEvrmoreKey, satori_evrmore_key, G_TYPE_OBJECT)

static void
satori_evrmore_key_finalize (GObject *object)
{
  SatoriEvrmoreKey *self = SATORI_EVRMORE_KEY (object);

  g_clear_object (&self->private_key);
  g_clear_pointer (&self->secret, g_bytes_unref);
  G_OBJECT_CLASS (satori_evrmore_key_parent_class)->finalize (object);
}

static void
satori_evrmore_key_class_init (SatoriEvrmoreKeyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_evrmore_key_finalize;
}

static void
satori_evrmore_key_init (SatoriEvrmoreKey *self)
{
}

/**
 * satori_evrmore_key_new_from_private_key:
 * @key: a libp2p private key
 * @error: %SATORI_KEY_ERROR_UNSUPPORTED when @key is not a secp256k1 key
 *
 * Wraps a libp2p secp256k1 key, such as the daemon's identity key file
 * holds, as a wallet key.
 *
 * Returns: (transfer full) (nullable): the key
 */
SatoriEvrmoreKey *
satori_evrmore_key_new_from_private_key (SatoriPrivateKey *key, GError **error)
{
  g_return_val_if_fail (SATORI_IS_PRIVATE_KEY (key), NULL);

  if (satori_private_key_get_key_type (key) != SATORI_KEY_TYPE_SECP256K1)
    {
      g_set_error_literal (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_UNSUPPORTED,
                           _("Only a secp256k1 key can be an Evrmore key"));
      return NULL;
    }
  g_autoptr(GBytes) protobuf = satori_private_key_to_protobuf (key);
  SatoriKeyType type;
  g_autoptr(GBytes) secret = NULL;
  if (!satori_key_protobuf_decode (TRUE, g_bytes_get_data (protobuf, NULL),
                                   g_bytes_get_size (protobuf), &type, &secret, error))
    return NULL;
  g_assert (type == SATORI_KEY_TYPE_SECP256K1 && g_bytes_get_size (secret) == SECRET_LEN);

  SatoriEvrmoreKey *self = g_object_new (SATORI_TYPE_EVRMORE_KEY, NULL);
  self->private_key = g_object_ref (key);
  self->secret = g_steal_pointer (&secret);
  return self;
}

/**
 * satori_evrmore_key_new_from_secret:
 * @secret: (array fixed-size=32): a secp256k1 secret, big-endian
 * @error: %SATORI_KEY_ERROR_MALFORMED when @secret is zero or not below
 *   the curve order
 *
 * Returns: (transfer full) (nullable): the key
 */
SatoriEvrmoreKey *
satori_evrmore_key_new_from_secret (const guint8 secret[SATORI_SECP256K1_SECRET_LENGTH],
                                    GError **error)
{
  g_autoptr(SatoriPrivateKey) key = satori_private_key_new_secp256k1 (secret, error);

  return key ? satori_evrmore_key_new_from_private_key (key, error) : NULL;
}

/* Hex (64 digits) or standard base64 with its padding (44 characters);
 * %NULL for anything else. */
static GBytes *
decode_entropy (const char *text)
{
  gsize len = strlen (text);

  if (len == 2 * SECRET_LEN)
    {
      guint8 bytes[SECRET_LEN];
      gboolean ok = TRUE;
      for (gsize i = 0; i < SECRET_LEN && ok; i++)
        {
          int high = g_ascii_xdigit_value (text[2 * i]);
          int low = g_ascii_xdigit_value (text[2 * i + 1]);
          ok = high >= 0 && low >= 0;
          bytes[i] = ok ? (guint8) (high << 4 | low) : 0;
        }
      GBytes *secret = ok ? satori_crypto_secure_bytes_new (bytes, sizeof bytes) : NULL;
      explicit_bzero (bytes, sizeof bytes);
      return secret;
    }
  return satori_evrmore_base64_decode (text, SECRET_LEN);
}

/**
 * satori_evrmore_key_new_from_entropy:
 * @text: 32 bytes of wallet entropy, as 64 hex digits or as 44 characters
 *   of standard base64 (how the Satori wallet file stores it)
 * @error: %SATORI_EVRMORE_ERROR_MALFORMED when @text is neither, or a
 *   %SATORI_KEY_ERROR when the bytes are not a valid secret
 *
 * Returns: (transfer full) (nullable): the key whose secret is the entropy
 */
SatoriEvrmoreKey *
satori_evrmore_key_new_from_entropy (const char *text, GError **error)
{
  g_return_val_if_fail (text != NULL, NULL);

  g_autoptr(GBytes) secret = decode_entropy (text);
  if (secret == NULL)
    {
      g_set_error_literal (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED,
                           _("Entropy must be 32 bytes as 64 hex digits or 44 characters of base64"));
      return NULL;
    }
  return satori_evrmore_key_new_from_secret (g_bytes_get_data (secret, NULL), error);
}

/**
 * satori_evrmore_key_new_from_wif:
 * @wif: a mainnet WIF private key (version 128, compressed: `K…` or `L…`)
 * @error: %SATORI_EVRMORE_ERROR_MALFORMED, %SATORI_EVRMORE_ERROR_CHECKSUM
 *   or %SATORI_EVRMORE_ERROR_WRONG_NETWORK
 *
 * Uncompressed WIF keys are refused: their address would not be the one
 * Satori derives from the same secret.
 *
 * Returns: (transfer full) (nullable): the key
 */
SatoriEvrmoreKey *
satori_evrmore_key_new_from_wif (const char *wif, GError **error)
{
  g_return_val_if_fail (wif != NULL, NULL);

  guint8 version;
  g_autoptr(GBytes) payload = satori_base58check_decode (wif, &version, error);
  if (payload == NULL)
    {
      g_prefix_error (error, _("WIF key: "));
      return NULL;
    }
  if (version != SATORI_EVRMORE_WIF_VERSION)
    {
      g_set_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_WRONG_NETWORK,
                   _("WIF key has version %u, not %u (Evrmore mainnet)"),
                   version, SATORI_EVRMORE_WIF_VERSION);
      return NULL;
    }
  gsize len;
  const guint8 *bytes = g_bytes_get_data (payload, &len);
  if (len != SECRET_LEN + 1 || bytes[SECRET_LEN] != COMPRESSED_FLAG)
    {
      g_set_error_literal (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED,
                           _("WIF key is not a compressed-key WIF (32 bytes and the flag 0x01)"));
      return NULL;
    }
  return satori_evrmore_key_new_from_secret (bytes, error);
}

/**
 * satori_evrmore_key_get_private_key:
 * @key: a wallet key
 *
 * Returns: (transfer none): the libp2p secp256k1 key with the same secret
 */
SatoriPrivateKey *
satori_evrmore_key_get_private_key (SatoriEvrmoreKey *key)
{
  g_return_val_if_fail (SATORI_IS_EVRMORE_KEY (key), NULL);
  return key->private_key;
}

/**
 * satori_evrmore_key_get_secret:
 * @key: a wallet key
 *
 * Returns: (transfer full): the 32-byte secret, in secure memory
 */
GBytes *
satori_evrmore_key_get_secret (SatoriEvrmoreKey *key)
{
  g_return_val_if_fail (SATORI_IS_EVRMORE_KEY (key), NULL);
  return g_bytes_ref (key->secret);
}

/**
 * satori_evrmore_key_get_public_key:
 * @key: a wallet key
 *
 * Returns: (transfer full): the 33-byte compressed public key
 */
GBytes *
satori_evrmore_key_get_public_key (SatoriEvrmoreKey *key)
{
  g_return_val_if_fail (SATORI_IS_EVRMORE_KEY (key), NULL);

  SatoriPublicKey *public_key = satori_private_key_get_public_key (key->private_key);
  return g_bytes_ref (satori_public_key_get_raw (public_key));
}

/**
 * satori_evrmore_key_get_public_key_hex:
 * @key: a wallet key
 *
 * Returns: (transfer full): the compressed public key in lower-case hex, as
 *   the wallet file and the central server write it
 */
char *
satori_evrmore_key_get_public_key_hex (SatoriEvrmoreKey *key)
{
  g_autoptr(GBytes) public_key = satori_evrmore_key_get_public_key (key);
  gsize len;
  const guint8 *bytes = g_bytes_get_data (public_key, &len);
  GString *text = g_string_sized_new (2 * len);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (text, "%02x", bytes[i]);
  return g_string_free (text, FALSE);
}

/**
 * satori_evrmore_key_get_address:
 * @key: a wallet key
 *
 * Returns: (transfer full): the Evrmore P2PKH address (`E…`)
 */
char *
satori_evrmore_key_get_address (SatoriEvrmoreKey *key)
{
  g_autoptr(GBytes) public_key = satori_evrmore_key_get_public_key (key);

  return satori_evrmore_address_from_public_key (g_bytes_get_data (public_key, NULL),
                                                 g_bytes_get_size (public_key));
}

/**
 * satori_evrmore_key_get_peer_id:
 * @key: a wallet key
 *
 * Returns: (transfer full): the libp2p PeerID of the key (`16Uiu2HA…`)
 */
SatoriPeerId *
satori_evrmore_key_get_peer_id (SatoriEvrmoreKey *key)
{
  g_return_val_if_fail (SATORI_IS_EVRMORE_KEY (key), NULL);

  SatoriPublicKey *public_key = satori_private_key_get_public_key (key->private_key);
  return satori_peer_id_new_from_public_key (public_key);
}

/**
 * satori_evrmore_key_to_wif:
 * @key: a wallet key
 *
 * Returns: (transfer full): the compressed mainnet WIF of the secret; a
 *   secret, so wipe and free it when done
 */
char *
satori_evrmore_key_to_wif (SatoriEvrmoreKey *key)
{
  g_return_val_if_fail (SATORI_IS_EVRMORE_KEY (key), NULL);

  guint8 payload[SECRET_LEN + 1];
  memcpy (payload, g_bytes_get_data (key->secret, NULL), SECRET_LEN);
  payload[SECRET_LEN] = COMPRESSED_FLAG;
  char *wif = satori_base58check_encode (SATORI_EVRMORE_WIF_VERSION, payload, sizeof payload);
  explicit_bzero (payload, sizeof payload);
  return wif;
}
