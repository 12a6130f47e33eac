/* satori-perf-result.h — what one perf run measured
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SatoriPerfResult:
 * @upload_bytes: payload bytes sent to the server
 * @download_bytes: payload bytes received from it
 * @seconds: from asking for the stream until it was closed
 * @stream_open_seconds: from asking for the stream until it was
 *   negotiated (includes dialling if there was no connection)
 * @upload_seconds: from the negotiated stream until the write side was
 *   closed
 * @time_to_first_byte_seconds: from asking for the stream until the first
 *   downloaded byte, or 0 if nothing was downloaded
 *
 * The measurements of one /perf/1.0.0 exchange, seen by the client.
 */
typedef struct
{
  guint64 upload_bytes;
  guint64 download_bytes;
  double seconds;
  double stream_open_seconds;
  double upload_seconds;
  double time_to_first_byte_seconds;
} SatoriPerfResult;

#define SATORI_TYPE_PERF_RESULT (satori_perf_result_get_type ())
GType             satori_perf_result_get_type (void) G_GNUC_CONST;
SatoriPerfResult *satori_perf_result_copy (const SatoriPerfResult *result);
void              satori_perf_result_free (SatoriPerfResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriPerfResult, satori_perf_result_free)

G_END_DECLS
