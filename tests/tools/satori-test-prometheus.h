/* satori-test-prometheus.h — a strict reader of the Prometheus text
 * format (0.0.4), for tests of /metrics */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *name;
  GHashTable *labels;   /* name → value, unescaped */
  double value;
} SatoriTestSample;

typedef struct
{
  GPtrArray *samples;   /* SatoriTestSample */
  GHashTable *types;    /* family → counter, gauge, histogram, ... */
} SatoriTestExposition;

SatoriTestExposition *satori_test_prometheus_parse (const char *text);
void                  satori_test_exposition_free (SatoriTestExposition *exposition);
gboolean              satori_test_prometheus_find (SatoriTestExposition *exposition,
                                                   const char           *name,
                                                   const char           *label,
                                                   const char           *value,
                                                   double               *result);
gboolean              satori_test_prometheus_find_series (SatoriTestExposition *exposition,
                                                          const char           *name,
                                                          double               *result,
                                                          const char           *first_label,
                                                          ...) G_GNUC_NULL_TERMINATED;
void                  satori_test_prometheus_check_histogram (SatoriTestExposition *exposition,
                                                              const char           *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriTestExposition, satori_test_exposition_free)

G_END_DECLS
