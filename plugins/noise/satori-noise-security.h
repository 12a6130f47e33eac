/* satori-noise-security.h — the /noise security protocol
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-security.h"

G_BEGIN_DECLS

#define SATORI_TYPE_NOISE_SECURITY (satori_noise_security_get_type ())
G_DECLARE_FINAL_TYPE (SatoriNoiseSecurity, satori_noise_security,
                      SATORI, NOISE_SECURITY, GObject)

G_END_DECLS
