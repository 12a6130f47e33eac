/* satori-evrmore-message.h — Evrmore signed messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-crypto.h"
#include "satori-evrmore-key.h"

G_BEGIN_DECLS

/**
 * SATORI_EVRMORE_SIGNATURE_LENGTH:
 *
 * The length of a compact recoverable message signature (header ‖ r ‖ s).
 */
#define SATORI_EVRMORE_SIGNATURE_LENGTH 65

void      satori_evrmore_message_digest (const char *message, gsize len,
                                         guint8 digest[SATORI_SHA256_LENGTH]);
char     *satori_evrmore_message_sign (SatoriEvrmoreKey *key,
                                       const char *message, gsize len,
                                       GError **error);
char     *satori_evrmore_message_recover_address (const char *message, gsize len,
                                                  const char *signature,
                                                  GError **error);
gboolean  satori_evrmore_message_verify_address (const char *message, gsize len,
                                                 const char *signature,
                                                 const char *address,
                                                 GError **error);
gboolean  satori_evrmore_message_verify_public_key (const char *message, gsize len,
                                                    const char *signature,
                                                    const guint8 *public_key,
                                                    gsize public_key_len,
                                                    GError **error);

G_END_DECLS
