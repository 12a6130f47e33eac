/* satori-test-log.c — captures the message-level log lines of one domain;
 * everything else goes to the default writer. */
#include "satori-test-log.h"

#include <string.h>

static char *captured_domain;
static GPtrArray *lines;

static GLogWriterOutput
writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (strcmp (fields[i].key, "GLIB_DOMAIN") == 0)
      domain = fields[i].value;
    else if (strcmp (fields[i].key, "MESSAGE") == 0)
      message = fields[i].value;
  if (!(level & G_LOG_LEVEL_MESSAGE) || g_strcmp0 (domain, captured_domain) != 0)
    return g_log_writer_default (level, fields, n_fields, user_data);
  g_ptr_array_add (lines, g_strdup (message));
  return G_LOG_WRITER_HANDLED;
}

/* Captures @domain's g_message() lines from now on; call once, before any
 * logging (GLib allows one writer a process). */
void
satori_test_log_capture (const char *domain)
{
  captured_domain = g_strdup (domain);
  lines = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (writer, NULL, NULL);
}

void
satori_test_log_clear (void)
{
  g_ptr_array_set_size (lines, 0);
}

guint
satori_test_log_count (void)
{
  return lines->len;
}

gboolean
satori_test_log_contains (const char *needle)
{
  for (guint i = 0; i < lines->len; i++)
    if (strstr (g_ptr_array_index (lines, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

/* Spins the default main context until a line containing @needle came. */
void
satori_test_log_wait_for (const char *needle)
{
  while (!satori_test_log_contains (needle))
    g_main_context_iteration (NULL, TRUE);
}
