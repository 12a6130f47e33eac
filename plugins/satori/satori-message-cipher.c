/* End-to-end encryption between the host's secp256k1 key and the one a
 * peer's id inlines (16Uiu2HA…): satorilib's ECDH, HKDF-SHA256
 * "evrmore-ecdh", AES-256-GCM with nonce ‖ ciphertext ‖ tag. The peer is
 * the one the connection authenticated, so the envelope needs no key.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-message-cipher.h"

#include <glib/gi18n-lib.h>

#include "satori-message-envelope.h"

/* The compressed secp256k1 key of @peer, from its id. */
static GBytes *
peer_key (SatoriPeerId *peer, GError **error)
{
  g_autoptr(SatoriPublicKey) key = satori_peer_id_extract_public_key (peer);

  if (key == NULL || satori_public_key_get_key_type (key) != SATORI_KEY_TYPE_SECP256K1)
    {
      g_autofree char *text = satori_peer_id_to_string (peer);
      g_set_error (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_UNSUPPORTED_KEY,
                   _("Peer %s has no secp256k1 key: messages to it cannot be encrypted"),
                   text);
      return NULL;
    }
  return g_bytes_ref (satori_public_key_get_raw (key));
}

/* The peer's key, once ours is known to be secp256k1 too. */
static GBytes *
their_key (SatoriEvrmoreKey *ours, SatoriPeerId *peer, GError **error)
{
  if (ours == NULL)
    {
      g_set_error_literal (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_UNSUPPORTED_KEY,
                           _("This host's key is not a secp256k1 key: it cannot encrypt"));
      return NULL;
    }
  return peer_key (peer, error);
}

/**
 * satori_message_cipher_seal:
 * @ours: (nullable): the host's key as a wallet key; %NULL when the host's
 *   key is not secp256k1
 * @peer: the peer the envelope is for
 * @envelope: a whole envelope (request, response or message)
 * @error: %SATORI_MESSENGER_ERROR_UNSUPPORTED_KEY when either key is not
 *   secp256k1
 *
 * Returns: (transfer full): the encrypted envelope to write
 */
GBytes *
satori_message_cipher_seal (SatoriEvrmoreKey *ours, SatoriPeerId *peer, GBytes *envelope,
                            GError **error)
{
  g_autoptr(GBytes) theirs = their_key (ours, peer, error);
  if (theirs == NULL)
    return NULL;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (envelope, &len);
  g_autoptr(GBytes) sealed = satori_evrmore_encrypt (ours, g_bytes_get_data (theirs, NULL),
                                                     g_bytes_get_size (theirs), data, len,
                                                     error);
  return sealed != NULL ? satori_message_envelope_new_encrypted (sealed) : NULL;
}

/**
 * satori_message_cipher_open:
 * @ours: (nullable): the host's key as a wallet key
 * @peer: the peer that sent it
 * @sealed: nonce ‖ ciphertext ‖ tag
 * @error: %SATORI_MESSENGER_ERROR_UNSUPPORTED_KEY when either key is not
 *   secp256k1, %SATORI_MESSENGER_ERROR_DECRYPT when it does not decrypt
 *
 * Returns: (transfer full): the envelope inside
 */
GBytes *
satori_message_cipher_open (SatoriEvrmoreKey *ours, SatoriPeerId *peer, GBytes *sealed,
                            GError **error)
{
  g_autoptr(GBytes) theirs = their_key (ours, peer, error);
  if (theirs == NULL)
    return NULL;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (sealed, &len);
  g_autoptr(GError) local = NULL;
  GBytes *plain = satori_evrmore_decrypt (ours, g_bytes_get_data (theirs, NULL),
                                          g_bytes_get_size (theirs), data, len, &local);
  if (plain == NULL)
    g_set_error (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_DECRYPT,
                 _("The encrypted message does not decrypt: %s"), local->message);
  return plain;
}
