/* satori-perf-result.c — what one perf run measured
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-perf-result.h"

G_DEFINE_BOXED_TYPE (SatoriPerfResult, satori_perf_result,
                     satori_perf_result_copy, satori_perf_result_free)

/**
 * satori_perf_result_copy:
 * @result: a result
 *
 * Returns: (transfer full): a copy of @result
 */
SatoriPerfResult *
satori_perf_result_copy (const SatoriPerfResult *result)
{
  return g_memdup2 (result, sizeof *result);
}

/**
 * satori_perf_result_free:
 * @result: (transfer full): a result
 */
void
satori_perf_result_free (SatoriPerfResult *result)
{
  g_free (result);
}
