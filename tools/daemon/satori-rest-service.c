/* satori-rest-service.c — starts the REST API from the `[rest]` group:
 * enabled, listen-address, port, token-file.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-rest-service.h"

#include <glib/gi18n.h>

#include "satori-metrics.h"
#include "satori-rest-token.h"

static const char * const rest_keys[] = { "enabled", "listen-address", "port", "token-file",
                                          NULL };

static char *
token_path (SatoriConfig *config, GError **error)
{
  if (satori_config_has_key (config, "rest", "token-file"))
    return satori_config_get_string (config, "rest", "token-file", error);
  return g_build_filename (g_get_user_data_dir (), "satorip2p", "rest-token", NULL);
}

/**
 * satori_rest_service_start:
 * @config: the daemon's configuration
 * @model: the node to serve
 * @server: (out) (transfer full) (nullable): the server, or %NULL when
 *   `[rest] enabled=false` or it could not start
 * @error: a %SATORI_CONFIG_ERROR for a bad `[rest]` group
 *
 * Starts the REST API. A bad `[rest]` group is an error; a token file
 * others may read, or a port in use, is logged and leaves the daemon
 * running without REST.
 *
 * Returns: %FALSE when `[rest]` is not valid
 */
gboolean
satori_rest_service_start (SatoriConfig *config, SatoriDaemonModel *model,
                           SatoriRestServer **server, GError **error)
{
  gboolean enabled = TRUE;
  int port = 0;
  g_autoptr(GError) local_error = NULL;

  *server = NULL;
  if (!satori_config_check_keys (config, "rest", rest_keys, error) ||
      !satori_config_get_boolean (config, "rest", "enabled", &enabled, error))
    return FALSE;
  if (!enabled)
    return TRUE;
  g_autofree char *address = satori_config_get_string (config, "rest", "listen-address", error);
  g_autofree char *path = address ? token_path (config, error) : NULL;
  if (path == NULL || !satori_config_get_int (config, "rest", "port", &port, error))
    return FALSE;
  if (port < 0 || port > G_MAXUINT16)
    {
      g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE,
                   _("[rest] port: %d is not a TCP port"), port);
      return FALSE;
    }

  g_autofree char *token = satori_rest_token_load_or_create (path, &local_error);
  if (token == NULL)
    {
      g_warning (_("REST API disabled: %s"), local_error->message);
      return TRUE;
    }
  g_autoptr(SatoriMetrics) metrics = satori_metrics_new (model);
  g_autoptr(SatoriRestHandler) handler = satori_rest_handler_new (model, metrics, token);
  g_autoptr(SatoriRestServer) rest = satori_rest_server_new (handler);
  if (!satori_rest_server_listen (rest, address, port, &local_error))
    {
      g_warning (_("REST API disabled: cannot listen on %s port %d: %s"), address, port,
                 local_error->message);
      return TRUE;
    }
  g_message (_("REST API on http://%s:%u/"), address, satori_rest_server_get_port (rest));
  *server = g_steal_pointer (&rest);
  return TRUE;
}
