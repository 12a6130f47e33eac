/* Fuzz target: /satori/store/1.0.0 as a holder reads requests (scanned
 * in chunks as a stream delivers them, then answered from an in-memory
 * store) and as a client reads responses. Nothing may crash or leak, the
 * scanner finds the same end however the bytes are split, and every
 * response the holder writes is one a client reads.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-peer-id.h"
#include "satori-store-scanner.h"
#include "satori-store-server.h"
#include "satori-test-util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* 1 January 2026: requests are checked against a fixed clock. */
#define NOW (G_GINT64_CONSTANT (1767225600) * G_USEC_PER_SEC)

static char *
peer_of (guint8 fill)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (fill);
  SatoriPublicKey *public_key = satori_private_key_get_public_key (key);   /* transfer none */
  g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_public_key (public_key);

  return satori_peer_id_to_string (id);
}

/* The first byte sets the chunk size; the scanner must agree with a
 * single feed of the rest. */
static void
scan_in_chunks (const guint8 *data, gsize size)
{
  SatoriStoreScanner whole = { 0 }, chunked = { 0 };
  gsize step = size > 0 ? data[0] % 16 + 1 : 1;
  gboolean whole_ok = satori_store_scanner_feed (&whole, data, size, NULL);
  gboolean chunked_ok = TRUE;

  for (gsize offset = 0; offset < size && chunked_ok && !chunked.done; offset += step)
    chunked_ok = satori_store_scanner_feed (&chunked, data + offset, MIN (step, size - offset),
                                            NULL);
  g_assert_true (whole_ok == chunked_ok);
  g_assert_true (whole.done == chunked.done);
  if (whole.done)
    g_assert_cmpuint (whole.length, ==, chunked.length);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *remote;
  static const SatoriStoreLimits limits = { 24 * SATORI_STORE_HOUR_US,
                                            5 * 60 * G_USEC_PER_SEC, 16 };

  if (remote == NULL)
    remote = peer_of (2);

  scan_in_chunks (data, size);

  g_autoptr(SatoriStoreDb) db = satori_store_db_open (":memory:", 16, NULL);
  g_assert_nonnull (db);
  g_autoptr(SatoriStoreReply) reply = satori_store_server_handle (db, &limits, remote, data, size,
                                                                  NOW);
  g_autoptr(GError) error = NULL;
  GPtrArray *answer = satori_store_response_decode (g_bytes_get_data (reply->response, NULL),
                                                    g_bytes_get_size (reply->response), remote,
                                                    &error);
  g_assert_true (answer != NULL || g_error_matches (error, SATORI_STORE_ERROR,
                                                    SATORI_STORE_ERROR_REFUSED));
  g_clear_pointer (&answer, g_ptr_array_unref);
  g_assert_true ((reply->stored_for != NULL) == (satori_store_db_count (db, NULL) == 1));

  GPtrArray *messages = satori_store_response_decode (data, size, remote, NULL);
  g_clear_pointer (&messages, g_ptr_array_unref);
  return 0;
}
