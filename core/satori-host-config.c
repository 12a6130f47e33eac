/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "satori-host-config.h"

#include <glib/gi18n-lib.h>

#include "satori-config-plugins.h"
#include "satori-errors.h"
#include "satori-host-discovery.h"
#include "satori-plugin.h"

/* Creates the features a [host] list names, in its order, configured by
 * their groups, and hands each to @add with its preferred protocol id. */
static gboolean
add_listed (SatoriHost *host, SatoriConfig *config, SatoriRegistry *registry, const char *key,
            GType iface, void (*add) (SatoriHost *, const char *, gpointer), GError **error)
{
  g_auto(GStrv) names = satori_config_get_string_list (config, "host", key, NULL);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      SatoriFeature *feature = satori_registry_lookup (registry, iface, names[i]);
      if (feature == NULL)
        {
          g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE,
                       _("[host] %s: no loaded plugin provides “%s”"), key, names[i]);
          return FALSE;
        }
      const char *protocol_id = satori_feature_get_protocol_ids (feature)[0];
      if (protocol_id == NULL && iface != SATORI_TYPE_TRANSPORT)
        {
          g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE,
                       _("[host] %s: “%s” has no protocol id to negotiate"), key, names[i]);
          return FALSE;
        }
      g_autoptr(GObject) instance = satori_config_create_feature (config, feature, error);
      if (instance == NULL)
        return FALSE;
      add (host, protocol_id, instance);
    }
  return TRUE;
}

static void
add_transport (SatoriHost *host, const char *protocol_id, gpointer transport)
{
  satori_host_add_transport (host, transport);
}

static void
add_security (SatoriHost *host, const char *protocol_id, gpointer security)
{
  satori_host_add_security (host, protocol_id, security);
}

static void
add_muxer (SatoriHost *host, const char *protocol_id, gpointer muxer)
{
  satori_host_add_muxer (host, protocol_id, muxer);
}

/* Serves the protocols of a handler feature with a new instance,
 * configured by its group. */
static gboolean
serve_feature (SatoriHost *host, SatoriConfig *config, SatoriFeature *feature, GError **error)
{
  g_autoptr(GObject) handler = satori_config_create_feature (config, feature, error);
  if (handler == NULL)
    return FALSE;
  const char * const *ids = satori_feature_get_protocol_ids (feature);
  for (guint j = 0; ids[j] != NULL; j++)
    satori_host_set_handler (host, ids[j], SATORI_PROTOCOL_HANDLER (handler));
  return TRUE;
}

/* Every stream protocol of the loaded plugins is served. */
static gboolean
add_handlers (SatoriHost *host, SatoriConfig *config, SatoriRegistry *registry, GError **error)
{
  g_autoptr(GPtrArray) features = satori_registry_list_features (registry,
                                                                  SATORI_TYPE_PROTOCOL_HANDLER);
  for (guint i = 0; i < features->len; i++)
    if (!serve_feature (host, config, g_ptr_array_index (features, i), error))
      return FALSE;
  return TRUE;
}

/* `[host]` keys that set the host property of the same name. */
static const char * const host_properties[] = {
  "upgrade-timeout", "max-connections", "low-water", "high-water", "grace-period", NULL
};

static void
prefix_origin (GError **error, SatoriConfig *config, const char *key)
{
  const char *file = NULL;
  int line = 0;

  if (!satori_config_get_origin (config, "host", key, &file, &line))
    g_prefix_error (error, _("[host] %s: "), key);
  else if (line > 0)
    g_prefix_error (error, _("%s:%d: [host] %s: "), file, line, key);
  else
    g_prefix_error (error, _("%s: [host] %s: "), file, key);
}

/* Reads the limits into @host, each checked against its property's range
 * (the reader only knows an unsigned integer). */
static gboolean
apply_limits (SatoriHost *host, SatoriConfig *config, GError **error)
{
  for (guint i = 0; host_properties[i] != NULL; i++)
    {
      const char *key = host_properties[i];
      guint64 value;

      if (!satori_config_has_key (config, "host", key))
        continue;
      if (!satori_config_get_uint64 (config, "host", key, &value, error))
        return FALSE;
      GParamSpecUInt *pspec = G_PARAM_SPEC_UINT (
        g_object_class_find_property (G_OBJECT_GET_CLASS (host), key));
      if (value < pspec->minimum || value > pspec->maximum)
        {
          g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE,
                       _("expected an unsigned integer between %u and %u, got %llu"),
                       pspec->minimum, pspec->maximum, (unsigned long long) value);
          prefix_origin (error, config, key);
          return FALSE;
        }
      g_object_set (host, key, (guint) value, NULL);
    }

  guint low, high;
  g_object_get (host, "low-water", &low, "high-water", &high, NULL);
  if (high < low)
    {
      g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE,
                   _("%u is below low-water (%u)"), high, low);
      prefix_origin (error, config, satori_config_has_key (config, "host", "high-water")
                                    ? "high-water" : "low-water");
      return FALSE;
    }
  return TRUE;
}

/* The pubsub router `[host] pubsub=` names, if any, serves its protocol ids. */
static gboolean
add_pubsub (SatoriHost *host, SatoriConfig *config, SatoriRegistry *registry, GError **error)
{
  g_autofree char *name = satori_config_get_string (config, "host", "pubsub", NULL);

  if (name == NULL || *name == '\0')
    return TRUE;
  SatoriFeature *feature = satori_registry_lookup (registry, SATORI_TYPE_PUBSUB, name);
  if (feature == NULL)
    {
      g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE,
                   _("[host] pubsub: no loaded plugin provides “%s”"), name);
      return FALSE;
    }
  g_autoptr(GObject) router = satori_config_create_feature (config, feature, error);
  if (router == NULL)
    return FALSE;
  if (!SATORI_IS_PROTOCOL_HANDLER (router))
    {
      g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE,
                   _("[host] pubsub: “%s” cannot serve streams"), name);
      return FALSE;
    }
  const char * const *ids = satori_feature_get_protocol_ids (feature);
  for (guint i = 0; ids[i] != NULL; i++)
    satori_host_set_handler (host, ids[i], SATORI_PROTOCOL_HANDLER (router));
  return TRUE;
}

/* The handler @host already serves for @feature, so that a protocol that
 * also discovers (kad, rendezvous) is one object. */
static GObject *
served_instance (SatoriHost *host, SatoriFeature *feature)
{
  const char * const *ids = satori_feature_get_protocol_ids (feature);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      SatoriProtocolHandler *handler = satori_host_get_handler (host, ids[i]);
      if (handler != NULL &&
          G_TYPE_CHECK_INSTANCE_TYPE (handler, satori_feature_get_implementation_type (feature)))
        return G_OBJECT (handler);
    }
  return NULL;
}

/* The discoveries `[host] discovery=` names, in its order: a served handler
 * that discovers is reused; any other is created and, when it has a `host`
 * property, given the host. */
static gboolean
add_discoveries (SatoriHost *host, SatoriConfig *config, SatoriRegistry *registry,
                 GError **error)
{
  g_auto(GStrv) names = satori_config_get_string_list (config, "host", "discovery", NULL);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      SatoriFeature *feature = satori_registry_lookup (registry, SATORI_TYPE_DISCOVERY, names[i]);
      if (feature == NULL)
        {
          g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE,
                       _("[host] discovery: no loaded plugin provides “%s”"), names[i]);
          prefix_origin (error, config, "discovery");
          return FALSE;
        }
      g_autoptr(GObject) discovery = NULL;
      GObject *served = served_instance (host, feature);
      if (served != NULL)
        discovery = g_object_ref (served);
      else
        {
          discovery = satori_config_create_feature (config, feature, error);
          if (discovery == NULL)
            return FALSE;
          if (g_object_class_find_property (G_OBJECT_GET_CLASS (discovery), "host") != NULL)
            g_object_set (discovery, "host", host, NULL);
        }
      satori_host_add_discovery (host, SATORI_DISCOVERY (discovery));
    }
  return TRUE;
}

/**
 * satori_host_new_from_config:
 * @config: a configuration whose plugins are loaded (satori_config_load_plugins())
 * @registry: the registry they are loaded in
 * @key: the host's identity key
 * @error: %SATORI_CONFIG_ERROR_INVALID_VALUE for a name no loaded feature
 *   has, or a configuration error of a feature's group
 *
 * Creates a host with the transports, security protocols and muxers that
 * `[host] transports=`, `security=` and `muxers=` name, in that order of
 * preference, each configured by its own group, and serving every stream
 * protocol handler the loaded plugins provide. `[host] upgrade-timeout=`,
 * `max-connections=`, `low-water=`, `high-water=` and `grace-period=`
 * set the host properties of those names; `[host] pubsub=` names the pubsub
 * router to serve (satori_host_get_pubsub()); `[host] discovery=` the
 * discoveries the host runs (satori_host_get_discoveries()), a protocol
 * handler among them being the instance that serves its protocol.
 *
 * Returns: (transfer full) (nullable): the host, or %NULL
 */
SatoriHost *
satori_host_new_from_config (SatoriConfig *config, SatoriRegistry *registry,
                             SatoriPrivateKey *key, GError **error)
{
  g_autoptr(SatoriHost) host = satori_host_new (key);

  if (!apply_limits (host, config, error) ||
      !add_listed (host, config, registry, "transports", SATORI_TYPE_TRANSPORT, add_transport,
                   error) ||
      !add_listed (host, config, registry, "security", SATORI_TYPE_SECURITY, add_security, error) ||
      !add_listed (host, config, registry, "muxers", SATORI_TYPE_MUXER, add_muxer, error) ||
      !add_handlers (host, config, registry, error) ||
      !add_pubsub (host, config, registry, error) ||
      !add_discoveries (host, config, registry, error))
    return NULL;
  return g_steal_pointer (&host);
}

/* --- serving a plugin's protocols while the host runs --- */

/* The handler features of @plugin: what can be served and stopped at run
 * time. Transports, security, muxers and the like are wired by [host]. */
static GPtrArray *
handler_features (SatoriPlugin *plugin)
{
  GPtrArray *handlers = g_ptr_array_new ();
  GPtrArray *features = satori_plugin_get_features (plugin);

  for (guint i = 0; features != NULL && i < features->len; i++)
    {
      SatoriFeature *feature = g_ptr_array_index (features, i);
      if (satori_feature_get_interface_type (feature) == SATORI_TYPE_PROTOCOL_HANDLER)
        g_ptr_array_add (handlers, feature);
    }
  return handlers;
}

/* Whether @host serves a protocol of @feature with an instance of it. */
static gboolean
serves_feature (SatoriHost *host, SatoriFeature *feature)
{
  return served_instance (host, feature) != NULL;
}

/**
 * satori_host_serves_plugin:
 * @host: a #SatoriHost
 * @registry: the registry its plugins are loaded in
 * @name: a plugin name
 *
 * Returns: whether @name is loaded and @host serves a stream protocol of
 *   it
 */
gboolean
satori_host_serves_plugin (SatoriHost *host, SatoriRegistry *registry, const char *name)
{
  SatoriPlugin *plugin = satori_registry_find_plugin (registry, name);

  if (plugin == NULL || !satori_plugin_is_loaded (plugin))
    return FALSE;
  g_autoptr(GPtrArray) features = handler_features (plugin);
  for (guint i = 0; i < features->len; i++)
    if (serves_feature (host, g_ptr_array_index (features, i)))
      return TRUE;
  return FALSE;
}

/**
 * satori_host_serve_plugin:
 * @host: a running #SatoriHost
 * @config: the configuration whose groups configure the plugin's features
 * @registry: where to load the plugin
 * @name: a plugin name
 * @error: %SATORI_PLUGIN_ERROR when it cannot be loaded,
 *   %G_IO_ERROR_NOT_SUPPORTED when it has no stream protocol to serve, or
 *   a configuration error of its group
 *
 * Loads the plugin @name (if it is not loaded) and serves its stream
 * protocols that @host does not serve yet: enabling a protocol such as
 * ping or kad while the host runs. A plugin of transports, security
 * protocols or muxers takes effect only through `[host]` and a restart.
 *
 * Returns: whether @host now serves the plugin's protocols
 */
gboolean
satori_host_serve_plugin (SatoriHost *host, SatoriConfig *config, SatoriRegistry *registry,
                          const char *name, GError **error)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), FALSE);
  g_return_val_if_fail (SATORI_IS_CONFIG (config), FALSE);

  SatoriPlugin *plugin = satori_registry_load (registry, name, error);
  if (plugin == NULL)
    return FALSE;
  g_autoptr(GPtrArray) features = handler_features (plugin);
  if (features->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Plugin “%s” serves no stream protocol: it takes effect through [host] "
                     "and a restart"), name);
      return FALSE;
    }
  for (guint i = 0; i < features->len; i++)
    {
      SatoriFeature *feature = g_ptr_array_index (features, i);
      if (!serves_feature (host, feature) && !serve_feature (host, config, feature, error))
        return FALSE;
    }
  return TRUE;
}

/* Why stopping @handler would break what the host is wired with, or %NULL. */
static const char *
in_use_by (SatoriHost *host, SatoriProtocolHandler *handler)
{
  if ((gpointer) handler == (gpointer) satori_host_get_pubsub (host))
    return "[host] pubsub=";
  g_autoptr(GPtrArray) discoveries = satori_host_get_discoveries (host);
  if (g_ptr_array_find (discoveries, handler, NULL))
    return "[host] discovery=";
  return NULL;
}

/**
 * satori_host_unserve_plugin:
 * @host: a running #SatoriHost
 * @registry: the registry its plugins are loaded in
 * @name: a plugin name
 * @error: %SATORI_PLUGIN_ERROR_NOT_FOUND for a plugin that is not loaded,
 *   %G_IO_ERROR_NOT_SUPPORTED when the host is wired with one of its
 *   protocols (its pubsub router, a discovery) or it has none to stop
 *
 * Stops serving the stream protocols of plugin @name; open streams of
 * them finish. The plugin stays in memory (a module cannot be unloaded
 * safely) and satori_host_serve_plugin() serves it again.
 *
 * Returns: whether @host serves none of the plugin's protocols now
 */
gboolean
satori_host_unserve_plugin (SatoriHost *host, SatoriRegistry *registry, const char *name,
                            GError **error)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), FALSE);

  SatoriPlugin *plugin = satori_registry_find_plugin (registry, name);
  if (plugin == NULL || !satori_plugin_is_loaded (plugin))
    {
      g_set_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_NOT_FOUND,
                   _("Plugin “%s” is not loaded"), name);
      return FALSE;
    }
  g_autoptr(GPtrArray) features = handler_features (plugin);
  if (features->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Plugin “%s” serves no stream protocol: it takes effect through [host] "
                     "and a restart"), name);
      return FALSE;
    }
  /* Check everything before stopping anything. */
  for (guint i = 0; i < features->len; i++)
    {
      GObject *served = served_instance (host, g_ptr_array_index (features, i));
      const char *wiring = served ? in_use_by (host, SATORI_PROTOCOL_HANDLER (served)) : NULL;
      if (wiring != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("Plugin “%s” is in use by %s: change the configuration and restart"),
                       name, wiring);
          return FALSE;
        }
    }
  for (guint i = 0; i < features->len; i++)
    {
      SatoriFeature *feature = g_ptr_array_index (features, i);
      const char * const *ids = satori_feature_get_protocol_ids (feature);
      for (guint j = 0; ids[j] != NULL; j++)
        {
          SatoriProtocolHandler *handler = satori_host_get_handler (host, ids[j]);
          if (handler != NULL &&
              G_TYPE_CHECK_INSTANCE_TYPE (handler, satori_feature_get_implementation_type (feature)))
            satori_host_remove_handler (host, ids[j]);
        }
    }
  return TRUE;
}
