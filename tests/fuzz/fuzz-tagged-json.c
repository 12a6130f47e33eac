/* Fuzz target: a Satori pubsub or direct-message payload with the Python
 * peers' tagged values. Nothing may crash or leak; every tagged value
 * found at the top level or one level down is decoded by its kind, and
 * what decodes encodes back to a value of the same kind.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-tagged-json.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
decode (JsonNode *node)
{
  JsonNode *again = NULL;

  switch (satori_tagged_json_classify (node))
    {
    case SATORI_TAGGED_KIND_BYTES:
      {
        g_autoptr(GBytes) bytes = satori_tagged_json_decode_bytes (node, NULL);
        if (bytes != NULL)
          again = satori_tagged_json_new_bytes (bytes);
        break;
      }
    case SATORI_TAGGED_KIND_DATETIME:
      {
        g_autoptr(GDateTime) datetime = satori_tagged_json_decode_datetime (node, NULL);
        if (datetime != NULL)
          again = satori_tagged_json_new_datetime (datetime);
        break;
      }
    case SATORI_TAGGED_KIND_SET:
      {
        g_autoptr(JsonArray) members = satori_tagged_json_decode_set (node, NULL);
        if (members != NULL)
          again = satori_tagged_json_new_set (members);
        break;
      }
    case SATORI_TAGGED_KIND_DATAFRAME:
      {
        g_autoptr(JsonArray) records = NULL;
        g_autoptr(JsonArray) index = NULL;
        g_auto(GStrv) columns = NULL;
        if (satori_tagged_json_decode_dataframe (node, &records, &columns, &index, NULL))
          again = satori_tagged_json_new_dataframe (records, (const char * const *) columns,
                                                    index);
        break;
      }
    case SATORI_TAGGED_KIND_NONE:
    case SATORI_TAGGED_KIND_UNKNOWN:
      break;
    }
  if (again != NULL)
    {
      g_assert_cmpint (satori_tagged_json_classify (again), ==,
                       satori_tagged_json_classify (node));
      json_node_unref (again);
    }
}

static void
decode_member (JsonObject *object, const char *name, JsonNode *node, gpointer user_data)
{
  decode (node);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(JsonNode) root = satori_tagged_json_parse_payload (data, size, NULL);

  if (root == NULL)
    return 0;
  decode (root);
  if (JSON_NODE_HOLDS_OBJECT (root))
    json_object_foreach_member (json_node_get_object (root), decode_member, NULL);
  return 0;
}
