/* A plugin that loads: one protocol-handler feature. */
#include "satori-plugin.h"
#include "satori-protocol-handler.h"

#define TEST_TYPE_GOOD_HANDLER (test_good_handler_get_type ())
G_DECLARE_FINAL_TYPE (TestGoodHandler, test_good_handler, TEST, GOOD_HANDLER, GObject)

struct _TestGoodHandler
{
  GObject parent_instance;
};

static void
test_good_handler_handle_stream (SatoriProtocolHandler *handler, GIOStream *stream,
                                 const char *protocol_id, SatoriPeerId *remote_peer,
                                 SatoriMultiaddr *remote_address)
{
}

static void
test_good_handler_iface_init (SatoriProtocolHandlerInterface *iface)
{
  iface->handle_stream = test_good_handler_handle_stream;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestGoodHandler, test_good_handler, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_PROTOCOL_HANDLER, test_good_handler_iface_init))

static void
test_good_handler_class_init (TestGoodHandlerClass *klass)
{
}

static void
test_good_handler_init (TestGoodHandler *self)
{
}

static gboolean
testgood_init (SatoriPlugin *plugin, GError **error)
{
  const char *ids[] = { "/test/good/1.0.0", NULL };
  return satori_plugin_add_feature (plugin, SATORI_TYPE_PROTOCOL_HANDLER, "good", ids,
                                    SATORI_RANK_PRIMARY, TEST_TYPE_GOOD_HANDLER, error);
}

SATORI_PLUGIN_DEFINE (testgood, "1.2.3", "LGPL-2.1-or-later", "A plugin that loads",
                      testgood_init)
