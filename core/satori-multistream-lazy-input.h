/* satori-multistream-lazy-input.h — the reading half of a lazily negotiated stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-multistream-lazy.h"

G_BEGIN_DECLS

#define SATORI_TYPE_MULTISTREAM_LAZY_INPUT (satori_multistream_lazy_input_get_type ())
G_DECLARE_FINAL_TYPE (SatoriMultistreamLazyInput, satori_multistream_lazy_input,
                      SATORI, MULTISTREAM_LAZY_INPUT, GInputStream)

GInputStream *satori_multistream_lazy_input_new (SatoriMultistreamLazy *lazy);

G_END_DECLS
