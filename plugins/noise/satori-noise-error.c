/* satori-noise-error.c — the Noise plugin's error domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-noise-error.h"

G_DEFINE_QUARK (satori-noise-error-quark, satori_noise_error)
