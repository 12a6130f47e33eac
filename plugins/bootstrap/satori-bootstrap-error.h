/* satori-bootstrap-error.h — errors of the bootstrap plugin
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SatoriBootstrapError:
 * @SATORI_BOOTSTRAP_ERROR_BAD_ADDRESS: a configured address is not a
 *   multiaddr with `/p2p/` or `/dnsaddr/`
 * @SATORI_BOOTSTRAP_ERROR_BAD_RECORD: a dnsaddr TXT record is malformed
 *
 * Errors of the bootstrap plugin.
 */
typedef enum {
  SATORI_BOOTSTRAP_ERROR_BAD_ADDRESS,
  SATORI_BOOTSTRAP_ERROR_BAD_RECORD,
} SatoriBootstrapError;
#define SATORI_BOOTSTRAP_ERROR (satori_bootstrap_error_quark ())
GQuark satori_bootstrap_error_quark (void);

G_END_DECLS
