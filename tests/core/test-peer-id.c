/* Tests of SatoriPeerId: the libp2p/specs peer-ids examples, both text
 * forms, the identity/SHA-256 choice and malformed ids.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-errors.h"
#include "satori-multibase.h"
#include "satori-peer-id.h"
#include "satori-private-key.h"
#include "satori-test-util.h"
#include "satori-test-vectors.h"

/* libp2p/specs peer-ids/peer-ids.md, "Decoding": one SHA-256 peer id in
 * both forms, and an Ed25519 (identity) one. */
static const char spec_sha256_base58[] = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";
static const char spec_sha256_cid[] = "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe";
static const char spec_ed25519_base58[] = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

/* The spec's key test vectors (PublicKey protobufs). */

/* go-libp2p core/crypto/test_data/3.pub (ECDSA) and its peer id. */
static const char go_ecdsa_peer_id[] = "QmYod9tQDX9rLCrs7au5um1aDrBXTnaHGbh1W6bxNGeEut";

/* The Satori wallet fixture: secp256k1 secret 32 × 0x01. */
static const char satori_wallet_peer_id[] = "16Uiu2HAmEWQnHq2jLKJypwVnVoQeFCULuyop6atvq2eWjYSUjzNi";

static SatoriPeerId *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  SatoriPeerId *id = satori_peer_id_new_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static void
assert_string_refused (const char *text, const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_string (text, &error);

  g_assert_null (id);
  g_assert_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED);
  if (words != NULL && strstr (error->message, words) == NULL)
    g_error ("message \"%s\" lacks \"%s\"", error->message, words);
}

static void
assert_bytes_refused (const char *hex, const char *words)
{
  g_autoptr(GBytes) bytes = satori_test_bytes_from_hex (hex);
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_bytes (g_bytes_get_data (bytes, NULL),
                                                              g_bytes_get_size (bytes), &error);

  g_assert_null (id);
  g_assert_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED);
  if (words != NULL && strstr (error->message, words) == NULL)
    g_error ("message \"%s\" lacks \"%s\"", error->message, words);
}

/* Both text forms of @id parse back to @id. */
static void
assert_text_round_trip (const SatoriPeerId *id)
{
  g_autofree char *base58 = satori_peer_id_to_string (id);
  g_autofree char *cid = satori_peer_id_to_cid_string (id);
  g_autoptr(SatoriPeerId) from_base58 = parse (base58);
  g_autoptr(SatoriPeerId) from_cid = parse (cid);

  g_assert_true (g_str_has_prefix (cid, "bafz"));
  g_assert_true (satori_peer_id_equal (id, from_base58));
  g_assert_true (satori_peer_id_equal (id, from_cid));
}

static void
test_spec_sha256 (void)
{
  g_autoptr(SatoriPeerId) id = parse (spec_sha256_base58);
  g_autofree char *base58 = satori_peer_id_to_string (id);
  g_autofree char *cid = satori_peer_id_to_cid_string (id);

  g_assert_cmpstr (base58, ==, spec_sha256_base58);
  g_assert_cmpstr (cid, ==, spec_sha256_cid);
  GBytes *bytes = satori_peer_id_get_bytes (id);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 34);
  g_assert_cmpint (((const guint8 *) g_bytes_get_data (bytes, NULL))[0], ==, 0x12);
  /* A hash holds no key. */
  g_assert_null (satori_peer_id_extract_public_key (id));
}

static void
test_string_cid (void)
{
  g_autoptr(SatoriPeerId) from_cid = parse (spec_sha256_cid);
  g_autoptr(SatoriPeerId) from_base58 = parse (spec_sha256_base58);
  g_autofree char *base58 = satori_peer_id_to_string (from_cid);

  g_assert_true (satori_peer_id_equal (from_cid, from_base58));
  g_assert_cmpstr (base58, ==, spec_sha256_base58);

  /* Other multibases of the same CID parse too: here base58btc ('z'). */
  g_autoptr(GBytes) multihash = g_bytes_ref (satori_peer_id_get_bytes (from_cid));
  GByteArray *cid = g_byte_array_new ();
  g_byte_array_append (cid, (const guint8 *) "\x01\x72", 2);
  g_byte_array_append (cid, g_bytes_get_data (multihash, NULL), g_bytes_get_size (multihash));
  g_autofree char *z_text = satori_multibase_encode (SATORI_MULTIBASE_BASE58BTC, cid->data, cid->len);
  g_byte_array_unref (cid);
  g_autoptr(SatoriPeerId) from_z = parse (z_text);
  g_assert_true (satori_peer_id_equal (from_z, from_base58));
}

static void
test_spec_ed25519 (void)
{
  g_autoptr(SatoriPeerId) id = parse (spec_ed25519_base58);
  g_autofree char *base58 = satori_peer_id_to_string (id);
  g_autoptr(SatoriPublicKey) key = satori_peer_id_extract_public_key (id);

  g_assert_cmpstr (base58, ==, spec_ed25519_base58);
  g_assert_nonnull (key);
  g_assert_cmpint (satori_public_key_get_key_type (key), ==, SATORI_KEY_TYPE_ED25519);
  g_assert_true (satori_peer_id_matches_public_key (id, key));
  g_autoptr(SatoriPeerId) again = satori_peer_id_new_from_public_key (key);
  g_assert_true (satori_peer_id_equal (id, again));
  assert_text_round_trip (id);
}

static void
test_key_vectors (void)
{
  g_autoptr(SatoriPublicKey) ed25519 = satori_test_public_key_from_hex (spec_ed25519_public);
  g_autoptr(SatoriPublicKey) secp256k1 = satori_test_public_key_from_hex (spec_secp256k1_public);
  g_autoptr(SatoriPublicKey) ecdsa = satori_test_public_key_from_hex (spec_ecdsa_public);
  g_autoptr(SatoriPublicKey) go_ecdsa = satori_test_public_key_from_hex (go_ecdsa_public);
  g_autoptr(SatoriPeerId) ed25519_id = satori_peer_id_new_from_public_key (ed25519);
  g_autoptr(SatoriPeerId) secp256k1_id = satori_peer_id_new_from_public_key (secp256k1);
  g_autoptr(SatoriPeerId) ecdsa_id = satori_peer_id_new_from_public_key (ecdsa);
  g_autoptr(SatoriPeerId) go_ecdsa_id = satori_peer_id_new_from_public_key (go_ecdsa);
  g_autofree char *ed25519_text = satori_peer_id_to_string (ed25519_id);
  g_autofree char *secp256k1_text = satori_peer_id_to_string (secp256k1_id);
  g_autofree char *ecdsa_text = satori_peer_id_to_string (ecdsa_id);
  g_autofree char *go_ecdsa_text = satori_peer_id_to_string (go_ecdsa_id);

  /* The usual prefixes of each kind. */
  g_assert_true (g_str_has_prefix (ed25519_text, "12D3KooW"));
  g_assert_true (g_str_has_prefix (secp256k1_text, "16Uiu2HA"));
  g_assert_true (g_str_has_prefix (ecdsa_text, "Qm"));
  g_assert_cmpstr (go_ecdsa_text, ==, go_ecdsa_peer_id);

  /* Identity ids hold the very protobuf. */
  g_autoptr(GBytes) ed25519_pb = satori_test_bytes_from_hex (spec_ed25519_public);
  GBytes *ed25519_bytes = satori_peer_id_get_bytes (ed25519_id);
  const guint8 *data = g_bytes_get_data (ed25519_bytes, NULL);
  g_assert_cmpint (data[0], ==, 0x00);
  g_assert_cmpint (data[1], ==, 36);
  g_assert_cmpmem (data + 2, 36, g_bytes_get_data (ed25519_pb, NULL), 36);

  g_autoptr(SatoriPublicKey) extracted = satori_peer_id_extract_public_key (secp256k1_id);
  g_assert_true (satori_public_key_equal (extracted, secp256k1));
  g_assert_true (satori_peer_id_matches_public_key (ecdsa_id, ecdsa));
  g_assert_false (satori_peer_id_matches_public_key (ecdsa_id, go_ecdsa));
  g_assert_false (satori_peer_id_matches_public_key (ed25519_id, secp256k1));

  assert_text_round_trip (ed25519_id);
  assert_text_round_trip (secp256k1_id);
  assert_text_round_trip (ecdsa_id);
}

static void
test_satori_wallet (void)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (0x01);
  g_autoptr(SatoriPeerId) id =
    satori_peer_id_new_from_public_key (satori_private_key_get_public_key (key));
  g_autofree char *text = satori_peer_id_to_string (id);
  g_assert_cmpstr (text, ==, satori_wallet_peer_id);
  assert_text_round_trip (id);
}

static void
test_boundary (void)
{
  /* Ed25519 (36 bytes) and secp256k1 (37 bytes) keys are inlined, P-256
   * (95 bytes) and RSA keys hashed. */
  const struct { const char *hex; gsize pb_len; guint8 code; } cases[] = {
    { spec_ed25519_public, 36, 0x00 },
    { spec_secp256k1_public, 37, 0x00 },
    { spec_ecdsa_public, 95, 0x12 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SatoriPublicKey) key = satori_test_public_key_from_hex (cases[i].hex);
      g_autoptr(GBytes) pb = satori_public_key_to_protobuf (key);
      g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_public_key (key);
      GBytes *bytes = satori_peer_id_get_bytes (id);
      const guint8 *data = g_bytes_get_data (bytes, NULL);

      g_assert_cmpuint (g_bytes_get_size (pb), ==, cases[i].pb_len);
      g_assert_cmpint (data[0], ==, cases[i].code);
      g_assert_cmpuint (g_bytes_get_size (bytes), ==,
                        cases[i].code == 0x00 ? 2 + cases[i].pb_len : 34);
    }

  /* No key type serializes to 42 or 43 bytes; the reader draws the line
   * there: a 43-byte inline key is refused before it is parsed, a 42-byte
   * one is parsed (and this one is no key). */
  GString *hex43 = g_string_new ("002b");
  GString *hex42 = g_string_new ("002a");
  for (int i = 0; i < 43; i++)
    g_string_append (hex43, "00");
  for (int i = 0; i < 42; i++)
    g_string_append (hex42, "00");
  assert_bytes_refused (hex43->str, "1 to 42 bytes");
  assert_bytes_refused (hex42->str, "inline public key");
  g_string_free (hex43, TRUE);
  g_string_free (hex42, TRUE);
}

static void
test_bytes_round_trip (void)
{
  g_autoptr(SatoriPeerId) id = parse (spec_ed25519_base58);
  GBytes *bytes = satori_peer_id_get_bytes (id);
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPeerId) again = satori_peer_id_new_from_bytes (g_bytes_get_data (bytes, NULL),
                                                                 g_bytes_get_size (bytes), &error);

  g_assert_no_error (error);
  g_assert_true (satori_peer_id_equal (id, again));
  g_assert_true (g_bytes_equal (bytes, satori_peer_id_get_bytes (again)));
}

static void
test_bytes_malformed (void)
{
  const char *digest = "a4e1a1f1b6a0c6e53a5e7c6b8ef8f5d7f7a79b9ee3a1f2e8a3c5b7e9f0a2b4c6";
  g_autofree char *sha256_short = g_strconcat ("121f", digest + 2, NULL);
  g_autofree char *sha256_long = g_strconcat ("1220", digest, "00", NULL);
  g_autofree char *sha3 = g_strconcat ("1620", digest, NULL);
  g_autofree char *padded_code = g_strconcat ("920020", digest, NULL);
  g_autofree char *ed25519 = g_strconcat ("0024", spec_ed25519_public, NULL);
  g_autofree char *ed25519_cut = g_strndup (ed25519, strlen (ed25519) - 2);

  assert_bytes_refused ("", "multihash header");
  assert_bytes_refused ("12", "multihash header");
  assert_bytes_refused (sha256_short, "32 bytes");
  assert_bytes_refused (sha256_long, "follow");
  assert_bytes_refused (sha3, "neither identity");
  assert_bytes_refused (padded_code, "multihash header");
  assert_bytes_refused (ed25519_cut, "follow");
  /* An inline key must be a valid PublicKey: here a point off the curve. */
  assert_bytes_refused ("0024080112200200000000000000000000000000000000000000000000000000000000000000",
                        "inline public key");
}

static void
test_string_malformed (void)
{
  assert_string_refused ("", NULL);
  assert_string_refused ("1", NULL);
  assert_string_refused ("Qm", NULL);
  /* '0' is not base58. */
  assert_string_refused ("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx50", "base58");
  /* One character short. */
  assert_string_refused ("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5", NULL);
  /* A dag-pb CID is no peer id. */
  assert_string_refused ("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", "libp2p-key");
  /* Unknown multibase, bad base32, upper case. */
  assert_string_refused ("xyz", "multibase");
  assert_string_refused ("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqx1", "multibase");
  assert_string_refused ("BAFZBEIE5745RPV2M6TJYUUGYWY4D5EWRQGQQHFNF445HE3OMZPJBX5XQXE", NULL);
  /* CID version 0 inside a multibase: 0x00 then the codec. */
  g_autofree char *v0 = satori_multibase_encode (SATORI_MULTIBASE_BASE32, (const guint8 *) "\x00\x72\x12\x20", 4);
  assert_string_refused (v0, "version");
}

static void
test_compare_hash (void)
{
  g_autoptr(SatoriPeerId) a = parse (spec_ed25519_base58);
  g_autoptr(SatoriPeerId) a2 = parse (spec_ed25519_base58);
  g_autoptr(SatoriPeerId) b = parse (spec_sha256_base58);

  g_assert_true (satori_peer_id_equal (a, a2));
  g_assert_false (satori_peer_id_equal (a, b));
  g_assert_cmpuint (satori_peer_id_hash (a), ==, satori_peer_id_hash (a2));
  g_assert_cmpint (satori_peer_id_compare (a, a2), ==, 0);
  /* Identity (0x00...) sorts before SHA-256 (0x12...). */
  g_assert_cmpint (satori_peer_id_compare (a, b), <, 0);
  g_assert_cmpint (satori_peer_id_compare (b, a), >, 0);

  g_autoptr(GHashTable) table = g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal,
                                                       (GDestroyNotify) satori_peer_id_unref, NULL);
  g_hash_table_add (table, satori_peer_id_ref (a));
  g_assert_true (g_hash_table_contains (table, a2));
  g_assert_false (g_hash_table_contains (table, b));
}

static void
test_boxed (void)
{
  g_autoptr(SatoriPeerId) id = parse (spec_sha256_base58);
  SatoriPeerId *copy = g_boxed_copy (SATORI_TYPE_PEER_ID, id);

  g_assert_true (copy == id);
  g_boxed_free (SATORI_TYPE_PEER_ID, copy);

  g_auto(GValue) value = G_VALUE_INIT;
  g_value_init (&value, SATORI_TYPE_PEER_ID);
  g_value_set_boxed (&value, id);
  g_assert_true (satori_peer_id_equal (g_value_get_boxed (&value), id));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_summary ("libp2p peer ids: the spec's examples, both text forms, identity versus "
                  "SHA-256, and malformed ids");

  g_test_add_func ("/peer-id/spec/sha256", test_spec_sha256);
  g_test_add_func ("/peer-id/spec/ed25519", test_spec_ed25519);
  g_test_add_func ("/peer-id/spec/key-vectors", test_key_vectors);
  g_test_add_func ("/peer-id/satori/wallet", test_satori_wallet);
  g_test_add_func ("/peer-id/string/cid", test_string_cid);
  g_test_add_func ("/peer-id/string/malformed", test_string_malformed);
  g_test_add_func ("/peer-id/bytes/round-trip", test_bytes_round_trip);
  g_test_add_func ("/peer-id/bytes/malformed", test_bytes_malformed);
  g_test_add_func ("/peer-id/boundary/identity-or-sha256", test_boundary);
  g_test_add_func ("/peer-id/compare-hash", test_compare_hash);
  g_test_add_func ("/peer-id/boxed", test_boxed);

  return g_test_run ();
}
