/* satori-store-scanner.h — where one JSON object ends in a byte stream
 * that has no framing (pure)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SATORI_STORE_MAX_DEPTH:
 *
 * The deepest nesting of objects and arrays accepted; the store's JSON
 * needs three levels.
 */
#define SATORI_STORE_MAX_DEPTH 16

/**
 * SatoriStoreScanner:
 * @length: once @done, the bytes up to and including the object's
 *   closing brace
 * @done: whether the object ended
 *
 * Follows strings and nesting, byte by byte, across as many feeds as the
 * stream takes. Initialise with zeros.
 */
typedef struct {
  gsize length;
  gboolean done;
  /*< private >*/
  guint depth;
  gboolean started;
  gboolean in_string;
  gboolean escaped;
} SatoriStoreScanner;

gboolean satori_store_scanner_feed (SatoriStoreScanner *scanner,
                                    const guint8       *data,
                                    gsize               len,
                                    GError            **error);

G_END_DECLS
