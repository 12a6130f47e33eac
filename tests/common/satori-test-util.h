/* satori-test-util.h — small helpers shared by the test suites */
#pragma once

#include <gio/gio.h>

#include "satori-private-key.h"
#include "satori-public-key.h"

G_BEGIN_DECLS

GBytes           *satori_test_bytes_from_hex (const char *hex);
SatoriPrivateKey *satori_test_secp256k1_key_filled (guint8 fill);
SatoriPrivateKey *satori_test_private_key_from_hex (const char *hex);
SatoriPublicKey  *satori_test_public_key_from_hex (const char *hex);

void    satori_test_store_result (GObject      *source,
                                  GAsyncResult *result,
                                  gpointer      user_data);
GAsyncResult *satori_test_wait (GAsyncResult **slot);

typedef gboolean (*SatoriTestDone) (gpointer data);
void    satori_test_wait_until (SatoriTestDone done, gpointer data, guint limit_s);
void    satori_test_wait_length (GPtrArray *array, guint len, guint limit_s);
void    satori_test_remove_tree (const char *path);
GBytes *satori_test_echo_round_trip (GIOStream    *stream,
                                     const guint8 *data,
                                     gsize         len);

G_END_DECLS
