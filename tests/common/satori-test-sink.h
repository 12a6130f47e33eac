/* satori-test-sink.h — a protocol handler that takes streams and never
 * reads or answers them: a peer that is there but does not respond
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-protocol-handler.h"

G_BEGIN_DECLS

#define SATORI_TYPE_TEST_SINK (satori_test_sink_get_type ())
G_DECLARE_FINAL_TYPE (SatoriTestSink, satori_test_sink, SATORI, TEST_SINK, GObject)

SatoriTestSink *satori_test_sink_new (void);
GPtrArray      *satori_test_sink_get_streams (SatoriTestSink *sink);

G_END_DECLS
