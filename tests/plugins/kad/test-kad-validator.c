/* Record validation per namespace (/pk/ built in, others registered) and
 * the provider keys accepted (multihashes and raw Satori keys).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "kad-test-util.h"
#include "satori-kad-error.h"
#include "satori-kad-validator.h"
#include "satori-peer-id.h"
#include "satori-test-util.h"

static GBytes *
pk_key_of (SatoriPublicKey *key)
{
  g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_public_key (key);
  GBytes *id_bytes = satori_peer_id_get_bytes (id);
  GByteArray *out = g_byte_array_new ();
  g_byte_array_append (out, (const guint8 *) "/pk/", 4);
  g_byte_array_append (out, g_bytes_get_data (id_bytes, NULL), g_bytes_get_size (id_bytes));
  return g_byte_array_free_to_bytes (out);
}

static void
test_public_key (void)
{
  g_autoptr(SatoriKadValidator) validator = satori_kad_validator_new ();
  g_autoptr(SatoriPrivateKey) a = satori_test_secp256k1_key_filled (0x11);
  g_autoptr(SatoriPrivateKey) b = satori_test_secp256k1_key_filled (0x22);
  g_autoptr(GBytes) key_a = pk_key_of (satori_private_key_get_public_key (a));
  g_autoptr(GBytes) value_a = satori_public_key_to_protobuf (satori_private_key_get_public_key (a));
  g_autoptr(GBytes) value_b = satori_public_key_to_protobuf (satori_private_key_get_public_key (b));
  g_autoptr(GError) error = NULL;

  g_assert_true (satori_kad_validator_validate (validator, key_a, value_a, &error));
  g_assert_no_error (error);
  g_assert_false (satori_kad_validator_validate (validator, key_a, value_b, &error));
  g_assert_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_INVALID_RECORD);
  g_clear_error (&error);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("\x08\x99garbage", 9);
  g_assert_false (satori_kad_validator_validate (validator, key_a, garbage, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_autoptr(GBytes) bare = g_bytes_new_static ("/pk/", 4);
  g_assert_false (satori_kad_validator_validate (validator, bare, value_a, NULL));
}

static void
test_namespaces (void)
{
  g_autoptr(SatoriKadValidator) validator = satori_kad_validator_new ();
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/x", 7);
  g_autoptr(GBytes) v1 = g_bytes_new_static ("v1", 2);
  g_autoptr(GBytes) v2 = g_bytes_new_static ("v2", 2);
  g_autoptr(GBytes) bad = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;

  g_assert_false (satori_kad_validator_validate (validator, key, v1, &error));
  g_assert_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_NO_VALIDATOR);
  g_clear_error (&error);

  satori_kad_validator_add_namespace (validator, "test", kad_test_validate_versioned, kad_test_select_highest, NULL);
  g_assert_true (satori_kad_validator_validate (validator, key, v1, NULL));
  g_assert_false (satori_kad_validator_validate (validator, key, bad, NULL));
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_ptr_array_add (values, v1);
  g_ptr_array_add (values, v2);
  g_assert_cmpuint (satori_kad_validator_select (validator, key, values), ==, 1);

  /* Keys without a namespace are refused. */
  g_autoptr(GBytes) flat = g_bytes_new_static ("test", 4);
  g_autoptr(GBytes) slash_only = g_bytes_new_static ("/test", 5);
  g_assert_false (satori_kad_validator_validate (validator, flat, v1, NULL));
  g_assert_false (satori_kad_validator_validate (validator, slash_only, v1, NULL));
}

static void
test_provider_keys (void)
{
  static const struct { const char *data; gsize len; gboolean valid; } cases[] = {
    { "/satori/sub/1234", 16, TRUE },          /* the Python nodes' raw keys */
    { "\x12\x03" "abc", 5, TRUE },             /* a multihash */
    { "\x12\x04" "abc", 5, FALSE },            /* a multihash that lies about its length */
    { "\x12", 1, FALSE },
    { "/\xff\xfe", 3, FALSE },                 /* not UTF-8 */
    { "", 0, FALSE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) key = g_bytes_new (cases[i].data, cases[i].len);
      g_assert_cmpint (satori_kad_provider_key_is_valid (key), ==, cases[i].valid);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_summary ("DHT record validators and provider keys");
  g_test_add_func ("/kad/validator/public-key", test_public_key);
  g_test_add_func ("/kad/validator/namespaces", test_namespaces);
  g_test_add_func ("/kad/validator/provider-keys", test_provider_keys);
  return g_test_run ();
}
