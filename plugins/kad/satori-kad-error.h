/* satori-kad-error.h — errors of the DHT core
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SatoriKadError:
 * @SATORI_KAD_ERROR_INVALID_RECORD: a record failed its namespace's validator
 * @SATORI_KAD_ERROR_NO_VALIDATOR: no validator for the record's namespace
 * @SATORI_KAD_ERROR_BAD_REQUEST: a request that breaks the protocol
 * @SATORI_KAD_ERROR_CLIENT_MODE: we are a DHT client and answer no requests
 * @SATORI_KAD_ERROR_FULL: a store limit is reached
 * @SATORI_KAD_ERROR_STORE: the database failed
 * @SATORI_KAD_ERROR_NOT_FOUND: a lookup ended without what it looked for
 *
 * Errors of the DHT core.
 */
typedef enum {
  SATORI_KAD_ERROR_INVALID_RECORD,
  SATORI_KAD_ERROR_NO_VALIDATOR,
  SATORI_KAD_ERROR_BAD_REQUEST,
  SATORI_KAD_ERROR_CLIENT_MODE,
  SATORI_KAD_ERROR_FULL,
  SATORI_KAD_ERROR_STORE,
  SATORI_KAD_ERROR_NOT_FOUND,
} SatoriKadError;
#define SATORI_KAD_ERROR (satori_kad_error_quark ())
GQuark satori_kad_error_quark (void);

G_END_DECLS
