/* A plugin whose init registers a feature and then fails: the registry must
 * refuse it and forget the feature. */
#include "satori-errors.h"
#include "satori-plugin.h"
#include "satori-protocol-handler.h"
#include "satori-transport.h"

#define TEST_TYPE_HALF_HANDLER (test_half_handler_get_type ())
G_DECLARE_FINAL_TYPE (TestHalfHandler, test_half_handler, TEST, HALF_HANDLER, GObject)

struct _TestHalfHandler
{
  GObject parent_instance;
};

static void
test_half_handler_iface_init (SatoriProtocolHandlerInterface *iface)
{
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestHalfHandler, test_half_handler, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_PROTOCOL_HANDLER, test_half_handler_iface_init))

static void
test_half_handler_class_init (TestHalfHandlerClass *klass)
{
}

static void
test_half_handler_init (TestHalfHandler *self)
{
}

static gboolean
testfailinit_init (SatoriPlugin *plugin, GError **error)
{
  if (!satori_plugin_add_feature (plugin, SATORI_TYPE_PROTOCOL_HANDLER, "half", NULL,
                                  SATORI_RANK_MARGINAL, TEST_TYPE_HALF_HANDLER, error))
    return FALSE;
  /* A transport feature whose type is no transport. */
  return satori_plugin_add_feature (plugin, SATORI_TYPE_TRANSPORT, "not-a-transport", NULL,
                                    SATORI_RANK_MARGINAL, TEST_TYPE_HALF_HANDLER, error);
}

SATORI_PLUGIN_DEFINE (testfailinit, "0.1", "LGPL-2.1-or-later", "A plugin whose init fails",
                      testfailinit_init)
