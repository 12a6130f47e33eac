/* satori-test-log.h — the log lines of one domain, for assertions.
 * g_test_expect_message() does not see structured logging. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void     satori_test_log_capture (const char *domain);
void     satori_test_log_clear (void);
guint    satori_test_log_count (void);
gboolean satori_test_log_contains (const char *needle);
void     satori_test_log_wait_for (const char *needle);

G_END_DECLS
