/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-feature.h"

/**
 * SatoriFeature:
 *
 * One implementation of one interface that a plugin registers: for example
 * the `yamux` muxer with protocol id `/yamux/1.0.0`. The host looks features
 * up by name (for the configuration), by protocol id (for negotiation) or
 * by rank, and creates instances with satori_feature_create().
 */
struct _SatoriFeature
{
  GObject parent_instance;

  char *plugin_name;
  char *name;
  GType interface_type;
  GType implementation_type;
  guint rank;
  GStrv protocol_ids;
};

G_DEFINE_FINAL_TYPE (SatoriFeature, satori_feature, G_TYPE_OBJECT)

static void
satori_feature_finalize (GObject *object)
{
  SatoriFeature *self = SATORI_FEATURE (object);

  g_free (self->plugin_name);
  g_free (self->name);
  g_strfreev (self->protocol_ids);
  G_OBJECT_CLASS (satori_feature_parent_class)->finalize (object);
}

static void
satori_feature_class_init (SatoriFeatureClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_feature_finalize;
}

static void
satori_feature_init (SatoriFeature *self)
{
}

SatoriFeature *
_satori_feature_new (const char         *plugin_name,
                     GType               interface_type,
                     const char         *name,
                     const char * const *protocol_ids,
                     guint               rank,
                     GType               implementation_type)
{
  SatoriFeature *self = g_object_new (SATORI_TYPE_FEATURE, NULL);
  const char * const empty[] = { NULL };

  self->plugin_name = g_strdup (plugin_name);
  self->name = g_strdup (name);
  self->interface_type = interface_type;
  self->implementation_type = implementation_type;
  self->rank = rank;
  self->protocol_ids = g_strdupv ((char **) (protocol_ids ? protocol_ids : empty));
  return self;
}

/**
 * satori_feature_get_name:
 * @feature: a #SatoriFeature
 *
 * Returns: the feature's name, unique per interface (for example `tcp`)
 */
const char *
satori_feature_get_name (SatoriFeature *feature)
{
  g_return_val_if_fail (SATORI_IS_FEATURE (feature), NULL);
  return feature->name;
}

/**
 * satori_feature_get_interface_type:
 * @feature: a #SatoriFeature
 *
 * Returns: the interface it implements, such as %SATORI_TYPE_MUXER
 */
GType
satori_feature_get_interface_type (SatoriFeature *feature)
{
  g_return_val_if_fail (SATORI_IS_FEATURE (feature), G_TYPE_INVALID);
  return feature->interface_type;
}

/**
 * satori_feature_get_implementation_type:
 * @feature: a #SatoriFeature
 *
 * Returns: the #GObject type that satori_feature_create() instantiates
 */
GType
satori_feature_get_implementation_type (SatoriFeature *feature)
{
  g_return_val_if_fail (SATORI_IS_FEATURE (feature), G_TYPE_INVALID);
  return feature->implementation_type;
}

/**
 * satori_feature_get_rank:
 * @feature: a #SatoriFeature
 *
 * Returns: the rank (see #SatoriRank); higher is preferred
 */
guint
satori_feature_get_rank (SatoriFeature *feature)
{
  g_return_val_if_fail (SATORI_IS_FEATURE (feature), 0);
  return feature->rank;
}

/**
 * satori_feature_get_protocol_ids:
 * @feature: a #SatoriFeature
 *
 * Returns: (transfer none) (array zero-terminated=1): the protocol ids it
 *   speaks, in preference order; possibly empty
 */
const char * const *
satori_feature_get_protocol_ids (SatoriFeature *feature)
{
  g_return_val_if_fail (SATORI_IS_FEATURE (feature), NULL);
  return (const char * const *) feature->protocol_ids;
}

/**
 * satori_feature_has_protocol_id:
 * @feature: a #SatoriFeature
 * @protocol_id: a protocol id such as `/noise`
 *
 * Returns: whether @feature speaks @protocol_id
 */
gboolean
satori_feature_has_protocol_id (SatoriFeature *feature, const char *protocol_id)
{
  g_return_val_if_fail (SATORI_IS_FEATURE (feature), FALSE);
  g_return_val_if_fail (protocol_id != NULL, FALSE);
  return g_strv_contains ((const char * const *) feature->protocol_ids, protocol_id);
}

/**
 * satori_feature_get_plugin_name:
 * @feature: a #SatoriFeature
 *
 * Returns: the name of the plugin that registered it
 */
const char *
satori_feature_get_plugin_name (SatoriFeature *feature)
{
  g_return_val_if_fail (SATORI_IS_FEATURE (feature), NULL);
  return feature->plugin_name;
}

/**
 * satori_feature_create:
 * @feature: a #SatoriFeature
 *
 * Creates an instance of the implementation with default properties; the
 * caller applies the plugin's configuration group to it afterwards.
 *
 * Returns: (transfer full) (type GObject): a new instance
 */
gpointer
satori_feature_create (SatoriFeature *feature)
{
  g_return_val_if_fail (SATORI_IS_FEATURE (feature), NULL);
  return g_object_new (feature->implementation_type, NULL);
}
