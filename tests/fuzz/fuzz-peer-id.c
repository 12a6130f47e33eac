/* Fuzz target: peer ids in binary and text form. Whatever parses prints
 * and parses back to the same id; text in the canonical forms prints back
 * as the same text.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "satori-peer-id.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_text_forms (const SatoriPeerId *id)
{
  g_autofree char *base58 = satori_peer_id_to_string (id);
  g_autofree char *cid = satori_peer_id_to_cid_string (id);
  g_autoptr(SatoriPeerId) from_base58 = satori_peer_id_new_from_string (base58, NULL);
  g_autoptr(SatoriPeerId) from_cid = satori_peer_id_new_from_string (cid, NULL);

  g_assert_nonnull (from_base58);
  g_assert_nonnull (from_cid);
  g_assert_true (satori_peer_id_equal (id, from_base58));
  g_assert_true (satori_peer_id_equal (id, from_cid));

  g_autoptr(SatoriPublicKey) key = satori_peer_id_extract_public_key (id);
  GBytes *bytes = satori_peer_id_get_bytes (id);
  gboolean inline_key = ((const guint8 *) g_bytes_get_data (bytes, NULL))[0] == 0x00;
  g_assert_true ((key != NULL) == inline_key);
  if (key != NULL)
    g_assert_true (satori_peer_id_matches_public_key (id, key));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_bytes (data, size, NULL);
  if (id != NULL)
    {
      GBytes *bytes = satori_peer_id_get_bytes (id);
      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), data, size);
      check_text_forms (id);
    }

  /* Text stops at the first NUL, as a C string would. */
  g_autofree char *text = g_malloc0 (size + 1);
  if (size > 0)
    memcpy (text, data, size);
  g_autoptr(SatoriPeerId) from_text = satori_peer_id_new_from_string (text, NULL);
  if (from_text != NULL)
    {
      check_text_forms (from_text);
      /* base58btc and base32 decoding are strict, so the canonical forms
       * print back verbatim. */
      g_autofree char *base58 = satori_peer_id_to_string (from_text);
      g_autofree char *cid = satori_peer_id_to_cid_string (from_text);
      if (text[0] == '1' || g_str_has_prefix (text, "Qm"))
        g_assert_cmpstr (base58, ==, text);
      else if (text[0] == 'b')
        g_assert_cmpstr (cid, ==, text);
    }
  return 0;
}
