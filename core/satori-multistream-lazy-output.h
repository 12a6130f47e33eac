/* satori-multistream-lazy-output.h — the writing half of a lazily negotiated stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-multistream-lazy.h"

G_BEGIN_DECLS

#define SATORI_TYPE_MULTISTREAM_LAZY_OUTPUT (satori_multistream_lazy_output_get_type ())
G_DECLARE_FINAL_TYPE (SatoriMultistreamLazyOutput, satori_multistream_lazy_output,
                      SATORI, MULTISTREAM_LAZY_OUTPUT, GOutputStream)

GOutputStream *satori_multistream_lazy_output_new (SatoriMultistreamLazy *lazy);

G_END_DECLS
