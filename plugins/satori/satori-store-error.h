/* satori-store-error.h — errors of the offline message store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SatoriStoreError:
 * @SATORI_STORE_ERROR_MALFORMED: bytes that are not the store protocol's JSON
 * @SATORI_STORE_ERROR_INVALID: a well-formed request or envelope with a
 *   field that fails its check (peer id, base64, TTL, timestamp)
 * @SATORI_STORE_ERROR_TOO_LARGE: a request or response over its size limit
 * @SATORI_STORE_ERROR_REFUSED: the remote answered `{"status":"error"}`
 * @SATORI_STORE_ERROR_DATABASE: the SQLite store failed
 *
 * Errors of the `/satori/store/1.0.0` codec, store and service.
 */
typedef enum {
  SATORI_STORE_ERROR_MALFORMED,
  SATORI_STORE_ERROR_INVALID,
  SATORI_STORE_ERROR_TOO_LARGE,
  SATORI_STORE_ERROR_REFUSED,
  SATORI_STORE_ERROR_DATABASE,
} SatoriStoreError;

#define SATORI_STORE_ERROR (satori_store_error_quark ())
GQuark satori_store_error_quark (void);

G_END_DECLS
