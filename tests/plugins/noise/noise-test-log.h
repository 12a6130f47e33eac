/* noise-test-log.h — checks the plugin's log lines. g_test_expect_message()
 * does not see structured logging (G_LOG_USE_STRUCTURED) in GLib 2.74, so
 * the tests install a writer that keeps the noise domain's messages. */
#pragma once

#include <glib.h>
#include <string.h>

static GPtrArray *noise_test_logged;
static GPtrArray *noise_test_expected;

static GLogWriterOutput
noise_test_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
                   gpointer user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (strcmp (fields[i].key, "GLIB_DOMAIN") == 0)
      domain = fields[i].value;
    else if (strcmp (fields[i].key, "MESSAGE") == 0)
      message = fields[i].value;
  if ((level & G_LOG_LEVEL_MESSAGE) && g_strcmp0 (domain, "satori-noise") == 0)
    {
      g_ptr_array_add (noise_test_logged, g_strdup (message));
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
noise_test_log_init (void)
{
  noise_test_logged = g_ptr_array_new_with_free_func (g_free);
  noise_test_expected = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (noise_test_writer, NULL, NULL);
}

/* Expects a g_message() of the plugin matching @pattern before the next
 * noise_test_assert_logged(). */
static void
noise_test_expect (const char *pattern)
{
  g_ptr_array_add (noise_test_expected, g_strdup (pattern));
}

static void
noise_test_assert_logged (void)
{
  for (guint i = 0; i < noise_test_expected->len; i++)
    {
      const char *pattern = g_ptr_array_index (noise_test_expected, i);
      gboolean found = FALSE;
      for (guint j = 0; j < noise_test_logged->len && !found; j++)
        found = g_pattern_match_simple (pattern, g_ptr_array_index (noise_test_logged, j));
      if (!found)
        g_error ("no log line matches \"%s\"", pattern);
    }
  g_ptr_array_set_size (noise_test_expected, 0);
  g_ptr_array_set_size (noise_test_logged, 0);
}
