/* Fuzz target: the Evrmore texts a user or a peer hands us — WIF keys,
 * addresses, wallet entropy and base64 message signatures. Whatever
 * parses prints back to the same text.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "satori-evrmore-message.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* Text stops at the first NUL, as a C string would. */
  g_autofree char *text = g_malloc0 (size + 1);
  if (size > 0)
    memcpy (text, data, size);

  g_autoptr(SatoriEvrmoreKey) from_wif = satori_evrmore_key_new_from_wif (text, NULL);
  if (from_wif != NULL)
    {
      g_autofree char *wif = satori_evrmore_key_to_wif (from_wif);
      g_assert_cmpstr (wif, ==, text);
    }

  guint8 hash[SATORI_EVRMORE_HASH160_LENGTH];
  if (satori_evrmore_address_decode (text, hash, NULL))
    {
      g_autofree char *address = satori_base58check_encode (SATORI_EVRMORE_P2PKH_VERSION,
                                                            hash, sizeof hash);
      g_assert_cmpstr (address, ==, text);
    }

  g_autoptr(SatoriEvrmoreKey) from_entropy = satori_evrmore_key_new_from_entropy (text, NULL);
  if (from_entropy != NULL)
    {
      g_autoptr(GBytes) secret = satori_evrmore_key_get_secret (from_entropy);
      g_autofree char *base64 = g_base64_encode (g_bytes_get_data (secret, NULL), 32);
      g_assert_true (strlen (text) == 64 || strcmp (base64, text) == 0);
    }

  /* The signature over a fixed message; a valid one recovers an address
   * that then verifies. */
  g_autofree char *signer = satori_evrmore_message_recover_address ("m", 1, text, NULL);
  if (signer != NULL)
    g_assert_true (satori_evrmore_message_verify_address ("m", 1, text, signer, NULL));
  return 0;
}
