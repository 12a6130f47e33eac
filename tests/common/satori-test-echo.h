/* satori-test-echo.h — an echo protocol handler for host-level tests */
#pragma once

#include "satori-protocol-handler.h"

G_BEGIN_DECLS

#define SATORI_TYPE_TEST_ECHO (satori_test_echo_get_type ())
G_DECLARE_FINAL_TYPE (SatoriTestEcho, satori_test_echo, SATORI, TEST_ECHO, GObject)

SatoriTestEcho *satori_test_echo_new (void);
guint           satori_test_echo_get_streams (SatoriTestEcho *echo);
SatoriPeerId   *satori_test_echo_get_last_peer (SatoriTestEcho *echo);

G_END_DECLS
