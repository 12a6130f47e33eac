/* satori-store-test-util.h — peer ids and envelopes for the store tests */
#pragma once

#include "satorip2p.h"
#include "satori-store-message.h"

G_BEGIN_DECLS

/* A store service through its contract. */
#define STORE(service) SATORI_OFFLINE_STORE (service)

/* 1 January 2026, 00:00 UTC: the fake wall clock's origin. */
#define STORE_TEST_NOW (G_GINT64_CONSTANT (1767225600) * G_USEC_PER_SEC)

char                *store_test_peer (guint8 fill);
SatoriStoreEnvelope *store_test_envelope (const char *message_id, guint8 target, guint8 source,
                                          const char *payload, gint64 timestamp_us);
void                 store_test_assert_pushed (GBytes *pushed, const char *payload,
                                               SatoriPeerId *source);

G_END_DECLS
