/* Fuzz target: Satori wallet files (YAML). Whatever parses gives a key
 * whose address, public key and WIF are consistent.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-evrmore-wallet.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriEvrmoreKey) key = satori_evrmore_wallet_parse ((const char *) data, size,
                                                                 &error);

  g_assert_true ((key == NULL) == (error != NULL));
  if (key != NULL)
    {
      g_autofree char *wif = satori_evrmore_key_to_wif (key);
      g_autoptr(SatoriEvrmoreKey) again = satori_evrmore_key_new_from_wif (wif, NULL);
      g_autofree char *address = satori_evrmore_key_get_address (key);
      g_autofree char *again_address = satori_evrmore_key_get_address (again);
      g_assert_cmpstr (address, ==, again_address);
    }
  return 0;
}
