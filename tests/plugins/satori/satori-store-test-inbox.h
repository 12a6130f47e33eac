/* satori-store-test-inbox.h — a /satori/1.0.0 receiver for the store tests */
#pragma once

#include "satorip2p.h"

G_BEGIN_DECLS

#define TEST_TYPE_INBOX (test_inbox_get_type ())
G_DECLARE_FINAL_TYPE (TestInbox, test_inbox, TEST, INBOX, GObject)

/* messages: GBytes, one a stream, in arrival order */
struct _TestInbox
{
  GObject parent_instance;
  GPtrArray *messages;
};

G_END_DECLS
