/* Tests of the Evrmore identity bridge: satori-protocols.md §5.6 vectors,
 * WIF, wallet files, message signatures and encrypted messages. */
#include <glib/gstdio.h>
#include <string.h>

#include "satori-errors.h"
#include "satori-evrmore-ecdh.h"
#include "satori-evrmore-message.h"
#include "satori-evrmore-wallet.h"

#define SEED1_PUBLIC "031b84c5567b126440995d3ed5aaba0565d71e1834604819ff9c17f5e9d5dd078f"
#define SEED1_ADDRESS "EUFL6dmXWSapcMEC2RmRtipd6ALqKwwqVY"
#define SEED1_WIF "KwFfNUhSDaASSAwtG7ssQM1uVX8RgX5GHWnnLfhfiQDigjioWXHH"
#define SEED1_BASE64 "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="
#define SIGNED_MESSAGE "Login to Satori: challenge-12345"
#define SIGNED_SIGNATURE \
  "IAK4Yn9ZzIxqjsEcYR0QQqdHKEd4ppRliPpw+q1RqaQNVO51GbchvDyFMjBfGMqC6Gp4Cv+1ogRXjWL+UVLH22o="
#define SIGNED_PUBLIC "0324653eac434488002cc06bbfb7f10fe18991e35f9fe4302dbea6d2353dc0ab1c"
#define SIGNED_ADDRESS "EK4BfWWMPTW82ig57MyGk6JCJgT8D9JTr5"

static SatoriEvrmoreKey *
seed_key (guint8 byte)
{
  guint8 secret[SATORI_SECP256K1_SECRET_LENGTH];
  g_autoptr(GError) error = NULL;

  memset (secret, byte, sizeof secret);
  SatoriEvrmoreKey *key = satori_evrmore_key_new_from_secret (secret, &error);
  g_assert_no_error (error);
  return key;
}

static GBytes *
from_hex (const char *hex)
{
  gsize len = strlen (hex) / 2;
  guint8 *bytes = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    bytes[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 |
                         g_ascii_xdigit_value (hex[2 * i + 1]));
  return g_bytes_new_take (bytes, len);
}

static void
assert_identity (SatoriEvrmoreKey *key, const char *public_hex, const char *address,
                 const char *peer_id)
{
  g_autofree char *hex = satori_evrmore_key_get_public_key_hex (key);
  g_autofree char *text = satori_evrmore_key_get_address (key);
  g_autoptr(SatoriPeerId) id = satori_evrmore_key_get_peer_id (key);
  g_autofree char *id_text = satori_peer_id_to_string (id);

  g_assert_cmpstr (hex, ==, public_hex);
  g_assert_cmpstr (text, ==, address);
  g_assert_cmpstr (id_text, ==, peer_id);
}

static void
test_key_vectors (void)
{
  g_test_summary ("The §5.6 keys give their public keys, addresses and 16Uiu2HA PeerIDs");

  g_autoptr(SatoriEvrmoreKey) one = seed_key (0x01);
  g_autoptr(SatoriEvrmoreKey) two = seed_key (0x02);
  g_autoptr(SatoriEvrmoreKey) three = seed_key (0x03);
  g_autoptr(SatoriEvrmoreKey) signer = seed_key (0x42);
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriEvrmoreKey) counting = satori_evrmore_key_new_from_entropy (
    "0123456789abcdef0123456789abcdef0123456789ABCDEF0123456789abcdef", &error);
  g_assert_no_error (error);

  assert_identity (one, SEED1_PUBLIC, SEED1_ADDRESS,
                   "16Uiu2HAmEWQnHq2jLKJypwVnVoQeFCULuyop6atvq2eWjYSUjzNi");
  g_autofree char *two_address = satori_evrmore_key_get_address (two);
  g_autoptr(SatoriPeerId) two_id = satori_evrmore_key_get_peer_id (two);
  g_autofree char *two_id_text = satori_peer_id_to_string (two_id);
  g_assert_cmpstr (two_address, ==, "EeeTQfaHH6bLEMWjCQHvmSEGUEuqHz43FY");
  g_assert_cmpstr (two_id_text, ==, "16Uiu2HAkzdQ5Y9SYT91K1ue5SxXwgmajXntfScGnLYeip5hHyWmT");
  g_autofree char *three_address = satori_evrmore_key_get_address (three);
  g_autoptr(SatoriPeerId) three_id = satori_evrmore_key_get_peer_id (three);
  g_autofree char *three_id_text = satori_peer_id_to_string (three_id);
  g_assert_cmpstr (three_address, ==, "EP8BWoqXoVSzoycUs2Adx2WVYpxgdeza2N");
  g_assert_cmpstr (three_id_text, ==, "16Uiu2HAm12A2heuphsgWqFjE3jcHVXNBfte9HU1fuQYRSKh6JSpN");
  assert_identity (signer, SIGNED_PUBLIC, SIGNED_ADDRESS,
                   "16Uiu2HAmF74ZxxivURHDa1HucDgANiTcywV2pAfAhJfsSHr5yPyu");
  assert_identity (counting, "034646ae5047316b4230d0086c8acec687f00b1cd9d1dc634f6cb358ac0a9a8fff",
                   "EdHKEdvjrpgmEC7BzGRkTDMS3fhsUoQb6x",
                   "16Uiu2HAmHPKQ9x3HUnkPvqN1s6Akj3BryqeQQZfNpdokA2yQ98aS");

  /* The libp2p key is the same secret. */
  SatoriPublicKey *libp2p = satori_private_key_get_public_key (
    satori_evrmore_key_get_private_key (one));
  g_assert_cmpint (satori_public_key_get_key_type (libp2p), ==, SATORI_KEY_TYPE_SECP256K1);
}

static void
test_key_entropy (void)
{
  g_test_summary ("Entropy reads as hex or padded base64; anything else is a clear error");

  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriEvrmoreKey) key = satori_evrmore_key_new_from_entropy (SEED1_BASE64, &error);
  g_assert_no_error (error);
  assert_identity (key, SEED1_PUBLIC, SEED1_ADDRESS,
                   "16Uiu2HAmEWQnHq2jLKJypwVnVoQeFCULuyop6atvq2eWjYSUjzNi");

  const char *bad[] = {
    "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE",     /* padding missing */
    "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQF=",    /* trailing bits set */
    "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB AQEBAQ=",    /* a space */
    "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ==",    /* 31 bytes */
    "0101010101010101010101010101010101010101010101010101010101010g",
    "01010101",
    "",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) bad_error = NULL;
      g_autoptr(SatoriEvrmoreKey) bad_key = satori_evrmore_key_new_from_entropy (bad[i], &bad_error);
      g_assert_null (bad_key);
      g_assert_error (bad_error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED);
    }

  /* Zero is no secp256k1 secret. */
  g_autoptr(SatoriEvrmoreKey) zero = satori_evrmore_key_new_from_entropy (
    "0000000000000000000000000000000000000000000000000000000000000000", &error);
  g_assert_null (zero);
  g_assert_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED);
}

static void
test_key_private_key (void)
{
  g_test_summary ("A libp2p secp256k1 key wraps as the same wallet key; an Ed25519 key is refused");

  g_autoptr(SatoriEvrmoreKey) one = seed_key (0x01);
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriEvrmoreKey) again = satori_evrmore_key_new_from_private_key (
    satori_evrmore_key_get_private_key (one), &error);
  g_assert_no_error (error);
  g_autoptr(GBytes) a = satori_evrmore_key_get_secret (one);
  g_autoptr(GBytes) b = satori_evrmore_key_get_secret (again);
  g_assert_true (g_bytes_equal (a, b));

  g_autoptr(SatoriPrivateKey) ed25519 = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, &error);
  g_assert_no_error (error);
  g_autoptr(SatoriEvrmoreKey) refused = satori_evrmore_key_new_from_private_key (ed25519, &error);
  g_assert_null (refused);
  g_assert_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_UNSUPPORTED);
}

static void
test_wif_round_trip (void)
{
  g_test_summary ("WIF keys print and parse back; the §5.6 WIF is the seed-1 key");

  g_autoptr(SatoriEvrmoreKey) one = seed_key (0x01);
  g_autofree char *wif = satori_evrmore_key_to_wif (one);
  g_assert_cmpstr (wif, ==, SEED1_WIF);

  for (guint8 byte = 0x02; byte < 0x50; byte += 0x11)
    {
      g_autoptr(SatoriEvrmoreKey) key = seed_key (byte);
      g_autofree char *text = satori_evrmore_key_to_wif (key);
      g_autoptr(GError) error = NULL;
      g_autoptr(SatoriEvrmoreKey) back = satori_evrmore_key_new_from_wif (text, &error);
      g_assert_no_error (error);
      g_assert_true (text[0] == 'K' || text[0] == 'L');
      g_autofree char *address = satori_evrmore_key_get_address (key);
      g_autofree char *back_address = satori_evrmore_key_get_address (back);
      g_assert_cmpstr (address, ==, back_address);
    }
}

static void
test_wif_bad (void)
{
  g_test_summary ("A WIF with a bad checksum, another version or no compressed flag is refused");

  g_autoptr(GError) error = NULL;
  g_autofree char *typo = g_strdup (SEED1_WIF);
  typo[10] = typo[10] == 'a' ? 'b' : 'a';
  g_autoptr(SatoriEvrmoreKey) key = satori_evrmore_key_new_from_wif (typo, &error);
  g_assert_null (key);
  g_assert_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_CHECKSUM);
  g_clear_error (&error);

  guint8 payload[33];
  memset (payload, 0x01, sizeof payload);
  g_autofree char *testnet = satori_base58check_encode (239, payload, sizeof payload);
  key = satori_evrmore_key_new_from_wif (testnet, &error);
  g_assert_null (key);
  g_assert_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_WRONG_NETWORK);
  g_clear_error (&error);

  g_autofree char *uncompressed = satori_base58check_encode (128, payload, 32);
  key = satori_evrmore_key_new_from_wif (uncompressed, &error);
  g_assert_null (key);
  g_assert_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED);
  g_clear_error (&error);

  key = satori_evrmore_key_new_from_wif ("KwFfNUhSDaASSAwtG7ssQM1uVX8RgX5GHWnnLfhfiQDigjioWXH0", &error);
  g_assert_null (key);
  g_assert_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED);
}

static void
test_address_decode (void)
{
  g_test_summary ("Addresses decode to their key hash; typos and P2SH addresses are refused");

  guint8 hash[SATORI_EVRMORE_HASH160_LENGTH];
  guint8 expected[SATORI_EVRMORE_HASH160_LENGTH];
  g_autoptr(GBytes) public_key = from_hex (SEED1_PUBLIC);
  g_autoptr(GError) error = NULL;

  satori_evrmore_hash160 (g_bytes_get_data (public_key, NULL), g_bytes_get_size (public_key),
                          expected);
  g_assert_true (satori_evrmore_address_decode (SEED1_ADDRESS, hash, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (hash, sizeof hash, expected, sizeof expected);

  g_assert_false (satori_evrmore_address_decode ("EUFL6dmXWSapcMEC2RmRtipd6ALqKwwqVZ", hash, &error));
  g_assert_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_CHECKSUM);
  g_clear_error (&error);

  g_autofree char *p2sh = satori_base58check_encode (92, expected, sizeof expected);
  g_assert_true (p2sh[0] == 'e');
  g_assert_false (satori_evrmore_address_decode (p2sh, hash, &error));
  g_assert_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_WRONG_NETWORK);
  g_clear_error (&error);

  g_assert_false (satori_evrmore_address_decode ("E0OIl", hash, &error));
  g_assert_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED);
}

static void
test_message_vector (void)
{
  g_test_summary ("The §5.6 signed message: digest, our deterministic signature, verification");

  guint8 digest[SATORI_SHA256_LENGTH];
  g_autoptr(GBytes) expected = from_hex (
    "42ce95fae56b0ce15bf3101f7f7b81e455c839c22e89f11daa98b1e062d8ad14");
  satori_evrmore_message_digest (SIGNED_MESSAGE, strlen (SIGNED_MESSAGE), digest);
  g_assert_cmpmem (digest, sizeof digest, g_bytes_get_data (expected, NULL), 32);

  g_autoptr(SatoriEvrmoreKey) key = seed_key (0x42);
  g_autoptr(GError) error = NULL;
  g_autofree char *signature = satori_evrmore_message_sign (key, SIGNED_MESSAGE,
                                                            strlen (SIGNED_MESSAGE), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (signature, ==, SIGNED_SIGNATURE);

  g_assert_true (satori_evrmore_message_verify_address (SIGNED_MESSAGE, strlen (SIGNED_MESSAGE),
                                                        SIGNED_SIGNATURE, SIGNED_ADDRESS, &error));
  g_assert_no_error (error);
  g_autoptr(GBytes) public_key = from_hex (SIGNED_PUBLIC);
  g_assert_true (satori_evrmore_message_verify_public_key (
    SIGNED_MESSAGE, strlen (SIGNED_MESSAGE), SIGNED_SIGNATURE,
    g_bytes_get_data (public_key, NULL), g_bytes_get_size (public_key), &error));
  g_assert_no_error (error);
}

static void
test_message_long (void)
{
  g_test_summary ("Messages of 253 bytes and more (3-byte length prefix) sign and verify");

  g_autoptr(SatoriEvrmoreKey) key = seed_key (0x01);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = g_strnfill (70000, 'x');   /* a 5-byte prefix */

  for (gsize len = 250; len <= 70000; len += 69750 / 5)
    {
      g_autofree char *signature = satori_evrmore_message_sign (key, message, len, &error);
      g_assert_no_error (error);
      g_assert_true (satori_evrmore_message_verify_address (message, len, signature,
                                                            SEED1_ADDRESS, &error));
      g_assert_no_error (error);
      g_assert_false (satori_evrmore_message_verify_address (message, len - 1, signature,
                                                             SEED1_ADDRESS, &error));
      g_assert_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_BAD_SIGNATURE);
      g_clear_error (&error);
    }
}

static void
assert_verify_fails (const char *message, const char *signature, const char *address, int code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (satori_evrmore_message_verify_address (message, strlen (message), signature,
                                                         address, &error));
  g_assert_error (error, SATORI_EVRMORE_ERROR, code);
}

static void
test_message_tampered (void)
{
  g_test_summary ("Tampered signatures and messages, wrong signers and bad encodings do not verify");

  /* Each changed character of r or s gives another key, or none. */
  for (gsize i = 4; i < 86; i += 9)
    {
      g_autofree char *tampered = g_strdup (SIGNED_SIGNATURE);
      tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
      g_autoptr(GError) error = NULL;
      g_assert_false (satori_evrmore_message_verify_address (
        SIGNED_MESSAGE, strlen (SIGNED_MESSAGE), tampered, SIGNED_ADDRESS, &error));
      g_assert_nonnull (error);
    }
  assert_verify_fails ("Login to Satori: challenge-12346", SIGNED_SIGNATURE, SIGNED_ADDRESS,
                       SATORI_EVRMORE_ERROR_BAD_SIGNATURE);
  assert_verify_fails (SIGNED_MESSAGE, SIGNED_SIGNATURE, SEED1_ADDRESS,
                       SATORI_EVRMORE_ERROR_BAD_SIGNATURE);
  assert_verify_fails (SIGNED_MESSAGE, SIGNED_SIGNATURE, "EK4BfWWMPTW82ig57MyGk6JCJgT8D9JTr6",
                       SATORI_EVRMORE_ERROR_CHECKSUM);
  assert_verify_fails (SIGNED_MESSAGE, "not base64", SIGNED_ADDRESS,
                       SATORI_EVRMORE_ERROR_MALFORMED);
  assert_verify_fails (SIGNED_MESSAGE, SIGNED_SIGNATURE "=", SIGNED_ADDRESS,
                       SATORI_EVRMORE_ERROR_MALFORMED);

  /* Header bytes outside 27–34; then the uncompressed header (0x1c), which
   * recovers the same point but another address. */
  gsize len;
  g_autofree guint8 *raw = g_base64_decode (SIGNED_SIGNATURE, &len);
  g_assert_cmpuint (len, ==, SATORI_EVRMORE_SIGNATURE_LENGTH);
  g_assert_cmpuint (raw[0], ==, 0x20);
  raw[0] = 35;
  g_autofree char *high = g_base64_encode (raw, len);
  assert_verify_fails (SIGNED_MESSAGE, high, SIGNED_ADDRESS, SATORI_EVRMORE_ERROR_MALFORMED);
  raw[0] = 0x20 - 4;
  g_autofree char *uncompressed = g_base64_encode (raw, len);
  assert_verify_fails (SIGNED_MESSAGE, uncompressed, SIGNED_ADDRESS,
                       SATORI_EVRMORE_ERROR_BAD_SIGNATURE);
  g_autoptr(GBytes) public_key = from_hex (SIGNED_PUBLIC);
  g_autoptr(GError) error = NULL;
  g_assert_true (satori_evrmore_message_verify_public_key (
    SIGNED_MESSAGE, strlen (SIGNED_MESSAGE), uncompressed,
    g_bytes_get_data (public_key, NULL), g_bytes_get_size (public_key), &error));
  g_assert_no_error (error);

  g_autoptr(GBytes) other = from_hex (SEED1_PUBLIC);
  g_assert_false (satori_evrmore_message_verify_public_key (
    SIGNED_MESSAGE, strlen (SIGNED_MESSAGE), SIGNED_SIGNATURE,
    g_bytes_get_data (other, NULL), g_bytes_get_size (other), &error));
  g_assert_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_BAD_SIGNATURE);
}

/* Made with Python cryptography as satorilib does (seed 1 to seed 2,
 * nonce 00…0b): ECDH X, HKDF-SHA256 "evrmore-ecdh", AES-256-GCM. */
#define PYTHON_BLOB "000102030405060708090a0b8c0a0325c07d9e954c548292f9178d2e475df7b6" \
                    "21801ee867e52d96a98b66de21"
#define SEED2_PUBLIC "024d4b6cd1361032ca9bd2aeb9d900aa4d45d9ead80ac9423374c451a7254d0766"

static void
test_ecdh_python_vector (void)
{
  g_test_summary ("A message satorilib encrypted decrypts, by either side");

  g_autoptr(SatoriEvrmoreKey) one = seed_key (0x01);
  g_autoptr(SatoriEvrmoreKey) two = seed_key (0x02);
  g_autoptr(GBytes) blob = from_hex (PYTHON_BLOB);
  g_autoptr(GBytes) one_public = from_hex (SEED1_PUBLIC);
  g_autoptr(GBytes) two_public = from_hex (SEED2_PUBLIC);
  g_autoptr(GError) error = NULL;

  g_autoptr(GBytes) by_two = satori_evrmore_decrypt (
    two, g_bytes_get_data (one_public, NULL), g_bytes_get_size (one_public),
    g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (by_two, NULL), g_bytes_get_size (by_two),
                   "hello from seed 1", 17);
  g_autoptr(GBytes) by_one = satori_evrmore_decrypt (
    one, g_bytes_get_data (two_public, NULL), g_bytes_get_size (two_public),
    g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (by_one, by_two));
}

static void
test_ecdh_round_trip (void)
{
  g_test_summary ("Encrypted both ways, read by the peer; a third key cannot read it");

  SatoriEvrmoreKey *keys[3] = { seed_key (0x01), seed_key (0x02), seed_key (0x03) };
  GBytes *publics[3];
  for (guint i = 0; i < 3; i++)
    publics[i] = satori_evrmore_key_get_public_key (keys[i]);
  const char *texts[] = { "", "{\"type\":\"dm\",\"body\":\"hi\"}" };

  for (guint from = 0; from < 2; from++)
    for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
      {
        guint to = 1 - from;
        g_autoptr(GError) error = NULL;
        gsize len = strlen (texts[t]);
        g_autoptr(GBytes) blob = satori_evrmore_encrypt (
          keys[from], g_bytes_get_data (publics[to], NULL), 33,
          (const guint8 *) texts[t], len, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (g_bytes_get_size (blob), ==, 12 + len + 16);

        g_autoptr(GBytes) plain = satori_evrmore_decrypt (
          keys[to], g_bytes_get_data (publics[from], NULL), 33,
          g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), &error);
        g_assert_no_error (error);
        g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), texts[t], len);

        g_autoptr(GBytes) stolen = satori_evrmore_decrypt (
          keys[2], g_bytes_get_data (publics[from], NULL), 33,
          g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), &error);
        g_assert_null (stolen);
        g_assert_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_DECRYPT);
      }
  for (guint i = 0; i < 3; i++)
    {
      g_bytes_unref (publics[i]);
      g_object_unref (keys[i]);
    }
}

static void
test_ecdh_tamper (void)
{
  g_test_summary ("A changed nonce, ciphertext or tag byte, or a short message, is refused");

  g_autoptr(SatoriEvrmoreKey) one = seed_key (0x01);
  g_autoptr(SatoriEvrmoreKey) two = seed_key (0x02);
  g_autoptr(GBytes) one_public = from_hex (SEED1_PUBLIC);
  g_autoptr(GBytes) blob = from_hex (PYTHON_BLOB);
  gsize len;
  const guint8 *original = g_bytes_get_data (blob, &len);

  for (gsize i = 0; i < len; i++)
    {
      g_autofree guint8 *copy = g_memdup2 (original, len);
      g_autoptr(GError) error = NULL;
      copy[i] ^= 0x01;
      g_autoptr(GBytes) plain = satori_evrmore_decrypt (
        two, g_bytes_get_data (one_public, NULL), 33, copy, len, &error);
      g_assert_null (plain);
      g_assert_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_DECRYPT);
    }

  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) shortened = satori_evrmore_decrypt (
    two, g_bytes_get_data (one_public, NULL), 33, original, 27, &error);
  g_assert_null (shortened);
  g_assert_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED);
  g_clear_error (&error);

  guint8 not_a_point[33] = { 0x02 };
  memset (not_a_point + 1, 0xff, 32);
  g_autoptr(GBytes) refused = satori_evrmore_encrypt (one, not_a_point, 33,
                                                      (const guint8 *) "x", 1, &error);
  g_assert_null (refused);
  g_assert_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED);
}

#define WALLET_GOOD \
  "entropy: " SEED1_BASE64 "\n" \
  "words: abandon abandon abandon\n" \
  "privateKey: " SEED1_WIF "\n" \
  "publicKey: " SEED1_PUBLIC "\n" \
  "address: " SEED1_ADDRESS "\n" \
  "scripthash: 0000\n"

static void
test_wallet_good (void)
{
  g_test_summary ("Wallet files with entropy, or only a WIF privateKey, give their key");

  const char *wallets[] = {
    WALLET_GOOD,
    "---\n# satorilib\nprivateKey: '" SEED1_WIF "'\naddress: \"" SEED1_ADDRESS "\"\n",
    "{entropy: \"" SEED1_BASE64 "\", publicKey: 031B84C5567B126440995D3ED5AABA0565D71E1834604819FF9C17F5E9D5DD078F}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (wallets); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SatoriEvrmoreKey) key = satori_evrmore_wallet_parse (wallets[i],
                                                                     strlen (wallets[i]), &error);
      g_assert_no_error (error);
      g_autofree char *address = satori_evrmore_key_get_address (key);
      g_assert_cmpstr (address, ==, SEED1_ADDRESS);
    }
}

static void
test_wallet_malformed (void)
{
  g_test_summary ("Malformed wallet files are errors that say what is wrong");

  const struct { const char *text; const char *says; } cases[] = {
    { "- entropy\n- " SEED1_BASE64 "\n", "not a YAML mapping" },
    { "entropy: [\n", "YAML error at line" },
    { "", "not a YAML mapping" },
    { "words: a b c\n", "neither “entropy” nor “privateKey”" },
    { "entropy: " SEED1_BASE64 "\nentropy: " SEED1_BASE64 "\n", "“entropy” appears twice" },
    { "entropy: [1, 2]\n", "“entropy” is not a plain text value" },
    { "entropy: gAAAAABlEncryptedFernetTokenThatIsLongerThan44==\n", "is the wallet encrypted?" },
    { "privateKey: KwFfNUhSDaASSAwtG7ssQM1uVX8RgX5GHWnnLfhfiQDigjioWXHJ\n", "checksum" },
    { "entropy: " SEED1_BASE64 "\naddress: EeeTQfaHH6bLEMWjCQHvmSEGUEuqHz43FY\n",
      "“address” EeeTQfaHH6bLEMWjCQHvmSEGUEuqHz43FY is not the address" },
    { "entropy: " SEED1_BASE64 "\npublicKey: 02aa\n", "“publicKey” is not the public key" },
    { "entropy: " SEED1_BASE64 "\nprivateKey: KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn\n",
      "“privateKey” is not the key of “entropy”" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SatoriEvrmoreKey) key = satori_evrmore_wallet_parse (cases[i].text,
                                                                     strlen (cases[i].text),
                                                                     &error);
      g_assert_null (key);
      g_assert_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_WALLET);
      if (strstr (error->message, cases[i].says) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, cases[i].says);
    }
}

static void
test_wallet_load (void)
{
  g_test_summary ("Wallet files load from disk; a missing file is an I/O error naming it");

  g_autofree char *dir = g_dir_make_tmp ("satori-evrmore-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "wallet.yaml", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, WALLET_GOOD, -1, NULL));
  g_autoptr(SatoriEvrmoreKey) key = satori_evrmore_wallet_load (path, &error);
  g_assert_no_error (error);
  g_autofree char *address = satori_evrmore_key_get_address (key);
  g_assert_cmpstr (address, ==, SEED1_ADDRESS);

  g_remove (path);
  g_autoptr(SatoriEvrmoreKey) missing = satori_evrmore_wallet_load (path, &error);
  g_assert_null (missing);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/evrmore/key/vectors", test_key_vectors);
  g_test_add_func ("/evrmore/key/entropy", test_key_entropy);
  g_test_add_func ("/evrmore/key/private-key", test_key_private_key);
  g_test_add_func ("/evrmore/wif/round-trip", test_wif_round_trip);
  g_test_add_func ("/evrmore/wif/bad", test_wif_bad);
  g_test_add_func ("/evrmore/address/decode", test_address_decode);
  g_test_add_func ("/evrmore/message/vector", test_message_vector);
  g_test_add_func ("/evrmore/message/long", test_message_long);
  g_test_add_func ("/evrmore/message/tampered", test_message_tampered);
  g_test_add_func ("/evrmore/ecdh/python-vector", test_ecdh_python_vector);
  g_test_add_func ("/evrmore/ecdh/round-trip", test_ecdh_round_trip);
  g_test_add_func ("/evrmore/ecdh/tamper", test_ecdh_tamper);
  g_test_add_func ("/evrmore/wallet/good", test_wallet_good);
  g_test_add_func ("/evrmore/wallet/malformed", test_wallet_malformed);
  g_test_add_func ("/evrmore/wallet/load", test_wallet_load);

  return g_test_run ();
}
