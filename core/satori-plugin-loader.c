/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-plugin-loader.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "satori-errors.h"

#define PREFIX "libsatori-"
#define SUFFIX ".so"

/* "…/libsatori-circuit-relay.so" → "circuit-relay"; NULL for other names. */
char *
_satori_plugin_name_from_filename (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  gsize len = strlen (base);

  if (!g_str_has_prefix (base, PREFIX) || !g_str_has_suffix (base, SUFFIX) ||
      len <= strlen (PREFIX) + strlen (SUFFIX))
    return NULL;
  return g_strndup (base + strlen (PREFIX), len - strlen (PREFIX) - strlen (SUFFIX));
}

gboolean
_satori_plugin_check_abi (const SatoriPluginDesc *desc, const char *what, GError **error)
{
  if (desc->abi_major != SATORI_PLUGIN_ABI_MAJOR || desc->abi_minor > SATORI_PLUGIN_ABI_MINOR)
    {
      g_set_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_ABI,
                   "%s was built for plugin ABI %u.%u, but this is ABI %u.%u "
                   "(the major must be equal and the minor not newer)",
                   what, desc->abi_major, desc->abi_minor,
                   SATORI_PLUGIN_ABI_MAJOR, SATORI_PLUGIN_ABI_MINOR);
      return FALSE;
    }
  return TRUE;
}

/* Refuse what anyone but its owner could have replaced: a plugin runs with
 * the host's rights, so a writable plugin file is a way in. */
static gboolean
check_file (const char *path, GError **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_NOT_FOUND,
                   "%s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_INSECURE_FILE,
                   "%s is not a regular file", path);
      return FALSE;
    }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    {
      g_set_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_INSECURE_FILE,
                   "%s is writable by its group or by others (mode %04o); "
                   "refusing to load it", path, (guint) (st.st_mode & 07777));
      return FALSE;
    }
  if (st.st_uid != 0 && st.st_uid != geteuid ())
    {
      g_set_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_INSECURE_FILE,
                   "%s is owned by uid %u, neither root nor this user; "
                   "refusing to load it", path, (guint) st.st_uid);
      return FALSE;
    }
  return TRUE;
}

/* Checks the file, opens it, finds its descriptor — a data symbol, so no
 * plugin function runs — and checks the ABI. On success the module is
 * resident and the descriptor valid for the life of the process. */
const SatoriPluginDesc *
_satori_plugin_loader_open (const char *path, GError **error)
{
  g_autofree char *name = _satori_plugin_name_from_filename (path);

  if (name == NULL)
    {
      g_set_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_OPEN,
                   "%s: plugin files are named libsatori-NAME.so", path);
      return NULL;
    }
  if (!check_file (path, error))
    return NULL;

  GModule *module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_set_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_OPEN,
                   "%s", g_module_error ());
      return NULL;
    }

  /* Names in C identifiers: dashes become underscores. */
  g_autofree char *file_id = g_strdelimit (g_strdup (name), "-", '_');
  g_autofree char *symbol = g_strdup_printf ("satori_plugin_%s_desc", file_id);
  gpointer address = NULL;
  if (!g_module_symbol (module, symbol, &address) || address == NULL)
    {
      g_set_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_NO_DESCRIPTOR,
                   "%s exports no descriptor '%s'", path, symbol);
      g_module_close (module);
      return NULL;
    }

  const SatoriPluginDesc *desc = address;
  if (!_satori_plugin_check_abi (desc, path, error))
    {
      g_module_close (module);
      return NULL;
    }
  g_autofree char *desc_id = desc->name ? g_strdelimit (g_strdup (desc->name), "-", '_') : NULL;
  if (g_strcmp0 (desc_id, file_id) != 0)
    {
      g_set_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_NO_DESCRIPTOR,
                   "%s: descriptor names plugin '%s', the file name says '%s'",
                   path, desc->name ? desc->name : "(null)", name);
      g_module_close (module);
      return NULL;
    }

  /* Types a plugin registers can never be unregistered. */
  g_module_make_resident (module);
  return desc;
}
