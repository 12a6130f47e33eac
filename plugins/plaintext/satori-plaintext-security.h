/* satori-plaintext-security.h — /plaintext/2.0.0: identities, no encryption
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-security.h"

G_BEGIN_DECLS

#define SATORI_TYPE_PLAINTEXT_SECURITY (satori_plaintext_security_get_type ())
G_DECLARE_FINAL_TYPE (SatoriPlaintextSecurity, satori_plaintext_security,
                      SATORI, PLAINTEXT_SECURITY, GObject)

G_END_DECLS
