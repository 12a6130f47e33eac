/* satori-test-util.h — small helpers shared by the test suites */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *satori_test_bytes_from_hex (const char *hex);

G_END_DECLS
