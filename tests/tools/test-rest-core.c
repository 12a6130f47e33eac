/* Tests of the REST API's pure parts: routes, the token, the metrics
 * text and histogram. */
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <string.h>

#include "satori-metrics-histogram.h"
#include "satori-metrics-text.h"
#include "satori-rest-route.h"
#include "satori-rest-token.h"
#include "satori-test-prometheus.h"

typedef struct
{
  const char *method;
  const char *path;
  SatoriRestMatch match;
  SatoriRestRoute route;
  const char *param;
} RouteCase;

static void
test_route_match (void)
{
  static const RouteCase cases[] = {
    { "GET", "/", SATORI_REST_MATCH_OK, SATORI_REST_ROUTE_INDEX, NULL },
    { "GET", "/health", SATORI_REST_MATCH_OK, SATORI_REST_ROUTE_HEALTH, NULL },
    { "GET", "/metrics", SATORI_REST_MATCH_OK, SATORI_REST_ROUTE_METRICS, NULL },
    { "POST", "/peers/16Uiu2HAm/ping", SATORI_REST_MATCH_OK, SATORI_REST_ROUTE_PING,
      "16Uiu2HAm" },
    { "GET", "/subscriptions", SATORI_REST_MATCH_OK, SATORI_REST_ROUTE_LIST_SUBSCRIPTIONS,
      NULL },
    { "POST", "/subscriptions", SATORI_REST_MATCH_OK, SATORI_REST_ROUTE_SUBSCRIBE, NULL },
    { "DELETE", "/subscriptions/a%20b%C3%A9", SATORI_REST_MATCH_OK,
      SATORI_REST_ROUTE_UNSUBSCRIBE, "a bé" },
    { "POST", "/publish/stream-1", SATORI_REST_MATCH_OK, SATORI_REST_ROUTE_PUBLISH,
      "stream-1" },
    /* Wrong method on a known path. */
    { "DELETE", "/subscriptions", SATORI_REST_MATCH_BAD_METHOD, 0, NULL },
    { "GET", "/publish/x", SATORI_REST_MATCH_BAD_METHOD, 0, NULL },
    /* Unknown, or a parameter that cannot be one. */
    { "GET", "/nope", SATORI_REST_MATCH_NOT_FOUND, 0, NULL },
    { "GET", "", SATORI_REST_MATCH_NOT_FOUND, 0, NULL },
    { "GET", "health", SATORI_REST_MATCH_NOT_FOUND, 0, NULL },
    { "GET", "/health/", SATORI_REST_MATCH_NOT_FOUND, 0, NULL },
    { "GET", "//health", SATORI_REST_MATCH_NOT_FOUND, 0, NULL },
    { "POST", "/publish/a%2Fb", SATORI_REST_MATCH_NOT_FOUND, 0, NULL },
    { "POST", "/publish/%00", SATORI_REST_MATCH_NOT_FOUND, 0, NULL },
    { "POST", "/publish/%ff", SATORI_REST_MATCH_NOT_FOUND, 0, NULL },
    { "POST", "/publish/%zz", SATORI_REST_MATCH_NOT_FOUND, 0, NULL },
    { "POST", "/publish/a/b", SATORI_REST_MATCH_NOT_FOUND, 0, NULL },
    { "POST", "/peers/x/ping/y/z", SATORI_REST_MATCH_NOT_FOUND, 0, NULL },
  };

  g_test_summary ("Routes match by method and path; parameters are decoded, and one that "
                  "is empty, holds '/' or NUL, or is not UTF-8 matches nothing");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SatoriRestRoute route = 0;
      g_autofree char *param = NULL;
      g_autofree char *allow = NULL;
      SatoriRestMatch match =
        satori_rest_route_match (cases[i].method, cases[i].path, &route, &param, &allow);
      g_test_message ("%s %s", cases[i].method, cases[i].path);
      g_assert_cmpint (match, ==, cases[i].match);
      if (match == SATORI_REST_MATCH_OK)
        g_assert_cmpint (route, ==, cases[i].route);
      g_assert_cmpstr (param, ==, cases[i].param);
      g_assert_true ((allow != NULL) == (match == SATORI_REST_MATCH_BAD_METHOD));
    }
}

static void
test_route_allow (void)
{
  SatoriRestRoute route;
  g_autofree char *allow = NULL;

  g_test_summary ("A 405 names every method the path takes");
  g_assert_cmpint (satori_rest_route_match ("PUT", "/subscriptions", &route, NULL, &allow), ==,
                   SATORI_REST_MATCH_BAD_METHOD);
  g_assert_cmpstr (allow, ==, "GET, POST");
}

static void
test_route_mutating (void)
{
  g_test_summary ("Ping, subscribe, unsubscribe and publish need the token; reads do not");
  g_assert_true (satori_rest_route_is_mutating (SATORI_REST_ROUTE_PING));
  g_assert_true (satori_rest_route_is_mutating (SATORI_REST_ROUTE_SUBSCRIBE));
  g_assert_true (satori_rest_route_is_mutating (SATORI_REST_ROUTE_UNSUBSCRIBE));
  g_assert_true (satori_rest_route_is_mutating (SATORI_REST_ROUTE_PUBLISH));
  g_assert_false (satori_rest_route_is_mutating (SATORI_REST_ROUTE_LIST_SUBSCRIPTIONS));
  g_assert_false (satori_rest_route_is_mutating (SATORI_REST_ROUTE_METRICS));
  g_assert_false (satori_rest_route_is_mutating (SATORI_REST_ROUTE_STATUS));
}

static void
remove_dir (const char *dir, const char *file)
{
  g_autofree char *sub = g_path_get_dirname (file);

  g_remove (file);
  if (strcmp (sub, dir) != 0)
    g_rmdir (sub);
  g_rmdir (dir);
}

static void
test_token_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("satori-token-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "sub", "rest-token", NULL);
  GStatBuf st;

  g_test_summary ("The token file is created 0600 with a random token, read back, and "
                  "refused when others may read it or it is too short");
  g_autofree char *token = satori_rest_token_load_or_create (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (token), ==, 64);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_autofree char *again = satori_rest_token_load_or_create (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, token);

  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_autofree char *loose = satori_rest_token_load_or_create (path, &error);
  g_assert_null (loose);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "0644"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "short\n", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_autofree char *short_token = satori_rest_token_load_or_create (path, &error);
  g_assert_null (short_token);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  remove_dir (dir, path);
}

static void
test_token_check (void)
{
  const char *token = "0123456789abcdef0123";

  g_test_summary ("Only “Bearer <token>” (scheme in any case) passes");
  g_assert_true (satori_rest_token_check (token, "Bearer 0123456789abcdef0123"));
  g_assert_true (satori_rest_token_check (token, "bearer 0123456789abcdef0123"));
  g_assert_false (satori_rest_token_check (token, NULL));
  g_assert_false (satori_rest_token_check (token, ""));
  g_assert_false (satori_rest_token_check (token, "0123456789abcdef0123"));
  g_assert_false (satori_rest_token_check (token, "Basic 0123456789abcdef0123"));
  g_assert_false (satori_rest_token_check (token, "Bearer 0123456789abcdef012"));
  g_assert_false (satori_rest_token_check (token, "Bearer 0123456789abcdef01234"));
  g_assert_false (satori_rest_token_check (token, "Bearer 0123456789abcdef0124"));
}

static void
test_histogram (void)
{
  static const double bounds[] = { 0.001, 0.005, 0.01, 0.25, 5 };
  static const double observations[] = { 0.0005, 0.001, 0.003, 0.2, 0.2, 7 };
  g_autoptr(SatoriMetricsHistogram) histogram =
    satori_metrics_histogram_new (bounds, G_N_ELEMENTS (bounds));
  g_autoptr(GString) out = g_string_new (NULL);
  double value, sum = 0;

  g_test_summary ("Buckets are cumulative once: each le counts the observations ≤ it, +Inf "
                  "and _count all of them, _sum their total");
  for (guint i = 0; i < G_N_ELEMENTS (observations); i++)
    {
      satori_metrics_histogram_observe (histogram, observations[i]);
      sum += observations[i];
    }
  satori_metrics_histogram_write (histogram, out, "test_seconds", "Test");
  g_autoptr(SatoriTestExposition) exposition = satori_test_prometheus_parse (out->str);
  satori_test_prometheus_check_histogram (exposition, "test_seconds");

  static const struct { const char *le; double count; } expected[] = {
    { "0.001", 2 }, { "0.005", 3 }, { "0.01", 3 }, { "0.25", 5 }, { "5", 5 }, { "+Inf", 6 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_true (satori_test_prometheus_find (exposition, "test_seconds_bucket", "le",
                                                  expected[i].le, &value));
      g_assert_cmpfloat (value, ==, expected[i].count);
    }
  g_assert_true (satori_test_prometheus_find (exposition, "test_seconds_count", NULL, NULL,
                                              &value));
  g_assert_cmpfloat (value, ==, 6);
  g_assert_true (satori_test_prometheus_find (exposition, "test_seconds_sum", NULL, NULL,
                                              &value));
  g_assert_cmpfloat_with_epsilon (value, sum, 1e-9);
}

static void
test_text_labels (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) labels = g_string_new (NULL);
  double value;

  g_test_summary ("Label values are escaped (\\, \", newline) and read back unchanged");
  satori_metrics_text_header (out, "test_total", "counter", "Test");
  satori_metrics_text_label (labels, "topic", "a\"b\\c\nd");
  satori_metrics_text_label (labels, "direction", "inbound");
  satori_metrics_text_uint (out, "test_total", labels, 42);
  g_assert_nonnull (strstr (out->str, "topic=\"a\\\"b\\\\c\\nd\""));
  g_autoptr(SatoriTestExposition) exposition = satori_test_prometheus_parse (out->str);
  g_assert_true (satori_test_prometheus_find (exposition, "test_total", "topic", "a\"b\\c\nd",
                                              &value));
  g_assert_cmpfloat (value, ==, 42);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rest/route/match", test_route_match);
  g_test_add_func ("/rest/route/allow", test_route_allow);
  g_test_add_func ("/rest/route/mutating", test_route_mutating);
  g_test_add_func ("/rest/token/file", test_token_file);
  g_test_add_func ("/rest/token/check", test_token_check);
  g_test_add_func ("/metrics/histogram/cumulative-once", test_histogram);
  g_test_add_func ("/metrics/text/labels", test_text_labels);
  return g_test_run ();
}
