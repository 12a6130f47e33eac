/* satori-mdns-error.h — errors of the mdns plugin
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SatoriMdnsError:
 * @SATORI_MDNS_ERROR_MALFORMED: a DNS message is truncated or breaks the
 *   format (bad name, pointer loop, record data of the wrong length)
 * @SATORI_MDNS_ERROR_TOO_LARGE: a message to encode does not fit
 *
 * Errors of the mdns plugin.
 */
typedef enum {
  SATORI_MDNS_ERROR_MALFORMED,
  SATORI_MDNS_ERROR_TOO_LARGE,
} SatoriMdnsError;
#define SATORI_MDNS_ERROR (satori_mdns_error_quark ())
GQuark satori_mdns_error_quark (void);

G_END_DECLS
