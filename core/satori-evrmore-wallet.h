/* satori-evrmore-wallet.h — keys from Satori wallet files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-evrmore-key.h"

G_BEGIN_DECLS

/**
 * SATORI_EVRMORE_WALLET_MAX_SIZE:
 *
 * The largest wallet file read, in bytes; a real one is well under 1 KiB.
 */
#define SATORI_EVRMORE_WALLET_MAX_SIZE 65536

SatoriEvrmoreKey *satori_evrmore_wallet_parse (const char *data, gsize len, GError **error);
SatoriEvrmoreKey *satori_evrmore_wallet_load (const char *path, GError **error);

G_END_DECLS
