/* satori-config.c — satorip2p.conf and its drop-ins, merged
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "satori-i18n.h"
#include <string.h>

#include "satori-config-scan.h"
#include "satori-config-value.h"
#include "satori-errors.h"

/**
 * SatoriConfig:
 *
 * The configuration of a satorip2p host: key files (`satorip2p.conf` and
 * `*.conf` drop-ins in `satorip2p.conf.d`) merged in the order they are
 * loaded, a later value replacing an earlier one key by key.
 *
 * For every group and key the config remembers the file and line its
 * current value came from, and every error it reports names them, the
 * group and the key: `/etc/satorip2p/satorip2p.conf:12: [host]
 * listen-port: expected an unsigned integer, got "abc"`.
 *
 * Which files to load, and in which order, is the caller's choice;
 * satori_config_apply() maps a group onto the properties of an object.
 *
 * Translated values (`key[de]=`) are accepted and ignored: configuration
 * is not translated.
 */

/* Where a value or group header came from. */
typedef struct {
  const char *file;  /* an element of SatoriConfig.files */
  int line;          /* from 1; 0 if the scanner did not find it */
} Origin;

struct _SatoriConfig
{
  GObject parent_instance;

  GKeyFile *values;     /* the merged raw values */
  GPtrArray *files;     /* the name of every source merged, for Origin.file */
  GPtrArray *groups;    /* group names, in order of first appearance */
  GHashTable *origins;  /* origin_key() → Origin */
};

G_DEFINE_FINAL_TYPE (SatoriConfig, satori_config, G_TYPE_OBJECT)

/* A key file parsed but not yet merged, so that a set of files either
 * all merge or none does. */
typedef struct {
  char *name;
  GKeyFile *keyfile;
  GHashTable *lines;  /* origin_key() → line number */
} Source;

static void
source_free (Source *source)
{
  g_free (source->name);
  g_key_file_unref (source->keyfile);
  g_hash_table_unref (source->lines);
  g_free (source);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Source, source_free)

/* "group" names a group's header, "group\nkey" a key: neither names
 * nor keys can hold a newline. */
static char *
origin_key (const char *group, const char *key)
{
  return key != NULL ? g_strconcat (group, "\n", key, NULL) : g_strdup (group);
}

static void
satori_config_finalize (GObject *object)
{
  SatoriConfig *self = SATORI_CONFIG (object);

  g_key_file_unref (self->values);
  g_ptr_array_unref (self->files);
  g_ptr_array_unref (self->groups);
  g_hash_table_unref (self->origins);

  G_OBJECT_CLASS (satori_config_parent_class)->finalize (object);
}

static void
satori_config_class_init (SatoriConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_config_finalize;
  _satori_i18n_init ();
}

static void
satori_config_init (SatoriConfig *self)
{
  self->values = g_key_file_new ();
  self->files = g_ptr_array_new_with_free_func (g_free);
  self->groups = g_ptr_array_new_with_free_func (g_free);
  self->origins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * satori_config_new:
 *
 * Returns: (transfer full): an empty configuration
 */
SatoriConfig *
satori_config_new (void)
{
  return g_object_new (SATORI_TYPE_CONFIG, NULL);
}

/* ---- loading ---- */

static Source *
parse_source (const char  *name,
              const char  *data,
              gsize        len,
              GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_data (keyfile, data, len, G_KEY_FILE_NONE, &local_error))
    {
      int line = satori_config_find_error_line (data, len);

      if (line > 0)
        g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_PARSE,
                     _("%s:%d: %s"), name, line, local_error->message);
      else
        g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_PARSE,
                     _("%s: %s"), name, local_error->message);
      return NULL;
    }

  g_autoptr(Source) source = g_new0 (Source, 1);
  g_autoptr(GArray) scanned = satori_config_scan (data, len);

  source->name = g_strdup (name);
  source->keyfile = g_steal_pointer (&keyfile);
  source->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < scanned->len; i++)
    {
      const SatoriConfigLine *line = &g_array_index (scanned, SatoriConfigLine, i);

      if (line->kind == SATORI_CONFIG_LINE_GROUP)
        {
          /* a group reopened later in the file keeps its first header */
          if (!g_hash_table_contains (source->lines, line->group))
            g_hash_table_insert (source->lines, g_strdup (line->group),
                                 GINT_TO_POINTER (line->line));
        }
      else if (line->locale == NULL)
        {
          /* as in GKeyFile, the last of repeated keys wins */
          g_hash_table_insert (source->lines, origin_key (line->group, line->key),
                               GINT_TO_POINTER (line->line));
        }
    }
  return g_steal_pointer (&source);
}

static Source *
read_source (const char *path, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_load_contents (file, NULL, &contents, &len, NULL, error))
    return NULL;
  return parse_source (path, contents, len, error);
}

static void
set_origin (SatoriConfig *self,
            Source       *source,
            const char   *file,
            const char   *group,
            const char   *key)
{
  char *name = origin_key (group, key);
  Origin *origin = g_new (Origin, 1);

  origin->file = file;
  origin->line = GPOINTER_TO_INT (g_hash_table_lookup (source->lines, name));
  g_hash_table_insert (self->origins, name, origin);
}

static void
merge_source (SatoriConfig *self, Source *source)
{
  g_auto(GStrv) groups = g_key_file_get_groups (source->keyfile, NULL);
  const char *file;

  g_ptr_array_add (self->files, g_strdup (source->name));
  file = g_ptr_array_index (self->files, self->files->len - 1);

  for (char **group = groups; *group != NULL; group++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (source->keyfile, *group, NULL, NULL);

      if (!satori_config_has_group (self, *group))
        {
          g_ptr_array_add (self->groups, g_strdup (*group));
          set_origin (self, source, file, *group, NULL);
        }

      for (char **key = keys; *key != NULL; key++)
        {
          g_autofree char *raw = NULL;

          /* a translation, `key[locale]` */
          if (strchr (*key, '[') != NULL)
            continue;
          raw = g_key_file_get_value (source->keyfile, *group, *key, NULL);
          g_key_file_set_value (self->values, *group, *key, raw);
          set_origin (self, source, file, *group, *key);
        }
    }
}

/**
 * satori_config_load_data:
 * @config: a #SatoriConfig
 * @origin: what to call the data in origins and errors, such as `<defaults>`
 * @data: (array length=len): key file text
 * @len: its length in bytes, or -1 if @data is nul-terminated
 * @error: return location for a %SATORI_CONFIG_ERROR_PARSE
 *
 * Merges key file text, such as the defaults built into a program, into
 * @config. On error @config is left unchanged.
 *
 * Returns: whether @data parsed
 */
gboolean
satori_config_load_data (SatoriConfig  *config,
                         const char    *origin,
                         const char    *data,
                         gssize         len,
                         GError       **error)
{
  g_autoptr(Source) source = NULL;

  g_return_val_if_fail (SATORI_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (origin != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  source = parse_source (origin, data != NULL ? data : "",
                         len >= 0 ? (gsize) len : strlen (data), error);
  if (source == NULL)
    return FALSE;
  merge_source (config, source);
  return TRUE;
}

/**
 * satori_config_load_file:
 * @config: a #SatoriConfig
 * @path: (type filename): a key file
 * @error: return location for a #GError: a %G_IO_ERROR if the file
 *   cannot be read, %SATORI_CONFIG_ERROR_PARSE if it does not parse
 *
 * Merges the key file at @path into @config. On error @config is left
 * unchanged.
 *
 * Returns: whether the file was read and parsed
 */
gboolean
satori_config_load_file (SatoriConfig  *config,
                         const char    *path,
                         GError       **error)
{
  g_autoptr(Source) source = NULL;

  g_return_val_if_fail (SATORI_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  source = read_source (path, error);
  if (source == NULL)
    return FALSE;
  merge_source (config, source);
  return TRUE;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The `*.conf` names in @dir, sorted bytewise; none if @dir is missing. */
static GPtrArray *
list_dropins (const char *dir, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) local_error = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (children == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return g_steal_pointer (&names);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  for (;;)
    {
      GFileInfo *info;
      const char *name;

      if (!g_file_enumerator_iterate (children, &info, NULL, NULL, error))
        return NULL;
      if (info == NULL)
        break;
      name = g_file_info_get_name (info);
      /* hidden files are editor and package manager leftovers, as a shell
       * glob `*.conf` would skip them */
      if (name[0] != '.' && g_str_has_suffix (name, ".conf"))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  return g_steal_pointer (&names);
}

/**
 * satori_config_load_file_with_dropins:
 * @config: a #SatoriConfig
 * @path: (type filename): a key file, such as `/etc/satorip2p/satorip2p.conf`
 * @error: return location for a #GError: a %G_IO_ERROR if a file or
 *   the drop-in directory cannot be read, %SATORI_CONFIG_ERROR_PARSE if a
 *   file does not parse
 *
 * Merges into @config the key file at @path, then the files `*.conf` in
 * the directory `@path.d` (such as `/etc/satorip2p/satorip2p.conf.d`)
 * in bytewise order of their names. A missing file or directory is
 * skipped; one that is present but cannot be read or parsed is an
 * error, and then nothing is merged.
 *
 * Returns: whether every file present was read and parsed
 */
gboolean
satori_config_load_file_with_dropins (SatoriConfig  *config,
                                      const char    *path,
                                      GError       **error)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) source_free);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) dropins = NULL;
  g_autofree char *dir = NULL;
  Source *source;

  g_return_val_if_fail (SATORI_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  source = read_source (path, &local_error);
  if (source != NULL)
    g_ptr_array_add (sources, source);
  else if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  dir = g_strconcat (path, ".d", NULL);
  dropins = list_dropins (dir, error);
  if (dropins == NULL)
    return FALSE;
  for (guint i = 0; i < dropins->len; i++)
    {
      g_autofree char *dropin = g_build_filename (dir, g_ptr_array_index (dropins, i), NULL);

      source = read_source (dropin, error);
      if (source == NULL)
        return FALSE;
      g_ptr_array_add (sources, source);
    }

  for (guint i = 0; i < sources->len; i++)
    merge_source (config, g_ptr_array_index (sources, i));
  return TRUE;
}

/* ---- reading ---- */

/**
 * satori_config_get_groups:
 * @config: a #SatoriConfig
 *
 * Returns: (transfer full): the groups, in the order they first appeared
 */
char **
satori_config_get_groups (SatoriConfig *config)
{
  char **groups;

  g_return_val_if_fail (SATORI_IS_CONFIG (config), NULL);

  groups = g_new (char *, config->groups->len + 1);
  for (guint i = 0; i < config->groups->len; i++)
    groups[i] = g_strdup (g_ptr_array_index (config->groups, i));
  groups[config->groups->len] = NULL;
  return groups;
}

/**
 * satori_config_has_group:
 * @config: a #SatoriConfig
 * @group: a group name
 *
 * Returns: whether some file loaded has a `[@group]` header
 */
gboolean
satori_config_has_group (SatoriConfig *config, const char *group)
{
  g_return_val_if_fail (SATORI_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (group != NULL, FALSE);

  return g_hash_table_contains (config->origins, group);
}

/**
 * satori_config_get_keys:
 * @config: a #SatoriConfig
 * @group: a group name
 *
 * Returns: (transfer full): the keys of @group, in the order they first
 *   appeared; empty if there is no such group
 */
char **
satori_config_get_keys (SatoriConfig *config, const char *group)
{
  char **keys;

  g_return_val_if_fail (SATORI_IS_CONFIG (config), NULL);
  g_return_val_if_fail (group != NULL, NULL);

  keys = g_key_file_get_keys (config->values, group, NULL, NULL);
  return keys != NULL ? keys : g_new0 (char *, 1);
}

/**
 * satori_config_has_key:
 * @config: a #SatoriConfig
 * @group: a group name
 * @key: a key
 *
 * Returns: whether @key is set in @group
 */
gboolean
satori_config_has_key (SatoriConfig *config,
                       const char   *group,
                       const char   *key)
{
  g_return_val_if_fail (SATORI_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (group != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return g_key_file_has_key (config->values, group, key, NULL);
}

/**
 * satori_config_get_origin:
 * @config: a #SatoriConfig
 * @group: a group name
 * @key: (nullable): a key, or %NULL for the group's header
 * @file: (out) (optional) (transfer none): the file (or the origin given
 *   to satori_config_load_data()) the current value came from; valid as
 *   long as @config
 * @line: (out) (optional): its line, from 1, or 0 if not known
 *
 * Finds where the current value of @key came from; with no @key, where
 * @group first appeared.
 *
 * Returns: whether @key (or @group) is set
 */
gboolean
satori_config_get_origin (SatoriConfig  *config,
                          const char    *group,
                          const char    *key,
                          const char   **file,
                          int           *line)
{
  g_autofree char *name = NULL;
  const Origin *origin;

  g_return_val_if_fail (SATORI_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (group != NULL, FALSE);

  name = origin_key (group, key);
  origin = g_hash_table_lookup (config->origins, name);
  if (file != NULL)
    *file = origin != NULL ? origin->file : NULL;
  if (line != NULL)
    *line = origin != NULL ? origin->line : 0;
  return origin != NULL;
}

/* Prefixes @error with where @key of @group (or, with no @key, @group's
 * header) was set: "file:line: [group] key: ". */
static void
prefix_location (SatoriConfig  *self,
                 GError       **error,
                 const char    *group,
                 const char    *key)
{
  const char *file;
  int line;

  satori_config_get_origin (self, group, key, &file, &line);
  /* TRANSLATORS: where a config error is: file, line, group and key */
  if (key != NULL && line > 0)
    g_prefix_error (error, _("%s:%d: [%s] %s: "), file, line, group, key);
  else if (key != NULL)
    g_prefix_error (error, _("%s: [%s] %s: "), file, group, key);
  else if (line > 0)
    g_prefix_error (error, _("%s:%d: "), file, line);
  else
    g_prefix_error (error, _("%s: "), file);
}

/* Reads @key by @pspec, a description of the type to convert to, so the
 * typed getters convert and word their errors as satori_config_apply(). */
static gboolean
get_value (SatoriConfig  *self,
           const char    *group,
           const char    *key,
           GParamSpec    *pspec,
           GValue        *value,
           GError       **error)
{
  g_autoptr(GParamSpec) owned = g_param_spec_ref_sink (pspec);

  if (!g_key_file_has_key (self->values, group, key, NULL))
    {
      g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_NOT_FOUND,
                   _("[%s] %s: not set"), group, key);
      return FALSE;
    }
  if (!satori_config_value_parse (owned, self->values, group, key, value, error))
    {
      prefix_location (self, error, group, key);
      return FALSE;
    }
  return TRUE;
}

/* The typed getters' shared body: checks their arguments (@has_out is
 * whether the caller's out argument, if it has one, is set), then reads
 * @key by @pspec, which is sunk even when a check fails. */
static gboolean
get_typed_value (SatoriConfig  *config,
                 const char    *group,
                 const char    *key,
                 gboolean       has_out,
                 GParamSpec    *pspec,
                 GValue        *value,
                 GError       **error)
{
  g_autoptr(GParamSpec) owned = g_param_spec_ref_sink (pspec);

  g_return_val_if_fail (SATORI_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (group != NULL && key != NULL && has_out, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return get_value (config, group, key, owned, value, error);
}

/**
 * satori_config_get_string:
 * @config: a #SatoriConfig
 * @group: a group name
 * @key: a key
 * @error: return location for a #GError: %SATORI_CONFIG_ERROR_NOT_FOUND
 *   if @key is not set, %SATORI_CONFIG_ERROR_INVALID_VALUE if it is not
 *   valid UTF-8 or holds an invalid escape
 *
 * Returns: (transfer full) (nullable): the value of @key, unescaped as
 *   g_key_file_get_string() does, or %NULL on error
 */
char *
satori_config_get_string (SatoriConfig  *config,
                          const char    *group,
                          const char    *key,
                          GError       **error)
{
  g_auto(GValue) value = G_VALUE_INIT;

  if (!get_typed_value (config, group, key, TRUE,
                        g_param_spec_string ("value", NULL, NULL, NULL, G_PARAM_READWRITE),
                        &value, error))
    return NULL;
  return g_value_dup_string (&value);
}

/**
 * satori_config_get_string_list:
 * @config: a #SatoriConfig
 * @group: a group name
 * @key: a key
 * @error: return location for a #GError, as for satori_config_get_string()
 *
 * Reads a list as g_key_file_get_string_list() does: items end at `;`,
 * and `\;` is a `;` inside an item.
 *
 * Returns: (transfer full) (nullable): the items of @key, or %NULL on error
 */
char **
satori_config_get_string_list (SatoriConfig  *config,
                               const char    *group,
                               const char    *key,
                               GError       **error)
{
  g_auto(GValue) value = G_VALUE_INIT;

  if (!get_typed_value (config, group, key, TRUE,
                        g_param_spec_boxed ("value", NULL, NULL, G_TYPE_STRV, G_PARAM_READWRITE),
                        &value, error))
    return NULL;
  return g_value_dup_boxed (&value);
}

/**
 * satori_config_get_boolean:
 * @config: a #SatoriConfig
 * @group: a group name
 * @key: a key
 * @value: (out): where to store the value
 * @error: return location for a #GError: %SATORI_CONFIG_ERROR_NOT_FOUND
 *   if @key is not set, %SATORI_CONFIG_ERROR_INVALID_VALUE if it is not
 *   a boolean
 *
 * Reads `true`, `yes` or `1`, or `false`, `no` or `0`, in any case.
 *
 * Returns: whether @value was set
 */
gboolean
satori_config_get_boolean (SatoriConfig  *config,
                           const char    *group,
                           const char    *key,
                           gboolean      *value,
                           GError       **error)
{
  g_auto(GValue) parsed = G_VALUE_INIT;

  if (!get_typed_value (config, group, key, value != NULL,
                        g_param_spec_boolean ("value", NULL, NULL, FALSE, G_PARAM_READWRITE),
                        &parsed, error))
    return FALSE;
  *value = g_value_get_boolean (&parsed);
  return TRUE;
}

/**
 * satori_config_get_int:
 * @config: a #SatoriConfig
 * @group: a group name
 * @key: a key
 * @value: (out): where to store the value
 * @error: return location for a #GError: %SATORI_CONFIG_ERROR_NOT_FOUND
 *   if @key is not set, %SATORI_CONFIG_ERROR_INVALID_VALUE if it is not
 *   a decimal integer that fits an int
 *
 * Returns: whether @value was set
 */
gboolean
satori_config_get_int (SatoriConfig  *config,
                       const char    *group,
                       const char    *key,
                       int           *value,
                       GError       **error)
{
  g_auto(GValue) parsed = G_VALUE_INIT;

  if (!get_typed_value (config, group, key, value != NULL,
                        g_param_spec_int ("value", NULL, NULL, G_MININT, G_MAXINT, 0,
                                          G_PARAM_READWRITE),
                        &parsed, error))
    return FALSE;
  *value = g_value_get_int (&parsed);
  return TRUE;
}

/**
 * satori_config_get_uint64:
 * @config: a #SatoriConfig
 * @group: a group name
 * @key: a key
 * @value: (out): where to store the value
 * @error: return location for a #GError: %SATORI_CONFIG_ERROR_NOT_FOUND
 *   if @key is not set, %SATORI_CONFIG_ERROR_INVALID_VALUE if it is not
 *   a decimal unsigned integer below 2⁶⁴
 *
 * Returns: whether @value was set
 */
gboolean
satori_config_get_uint64 (SatoriConfig  *config,
                          const char    *group,
                          const char    *key,
                          guint64       *value,
                          GError       **error)
{
  g_auto(GValue) parsed = G_VALUE_INIT;

  if (!get_typed_value (config, group, key, value != NULL,
                        g_param_spec_uint64 ("value", NULL, NULL, 0, G_MAXUINT64, 0,
                                             G_PARAM_READWRITE),
                        &parsed, error))
    return FALSE;
  *value = g_value_get_uint64 (&parsed);
  return TRUE;
}

/* ---- checking ---- */

static char *
join_names (const char *const *names)
{
  if (names[0] == NULL)
    return g_strdup (_("(none)"));
  return g_strjoinv (", ", (char **) names);
}

/**
 * satori_config_check_groups:
 * @config: a #SatoriConfig
 * @known_groups: (array zero-terminated=1): the groups something reads
 * @error: return location for a %SATORI_CONFIG_ERROR_UNKNOWN_GROUP
 *
 * Checks that every group of @config is one of @known_groups, so that a
 * misspelt group is reported rather than ignored. The error names the
 * file and line of the first unknown group.
 *
 * Returns: whether all groups are known
 */
gboolean
satori_config_check_groups (SatoriConfig       *config,
                            const char *const  *known_groups,
                            GError            **error)
{
  g_return_val_if_fail (SATORI_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (known_groups != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < config->groups->len; i++)
    {
      const char *group = g_ptr_array_index (config->groups, i);
      g_autofree char *known = NULL;

      if (g_strv_contains (known_groups, group))
        continue;
      known = join_names (known_groups);
      g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_UNKNOWN_GROUP,
                   _("unknown group [%s]; known groups are: %s"), group, known);
      prefix_location (config, error, group, NULL);
      return FALSE;
    }
  return TRUE;
}

/**
 * satori_config_check_keys:
 * @config: a #SatoriConfig
 * @group: a group name
 * @known_keys: (array zero-terminated=1): the keys something reads in @group
 * @error: return location for a %SATORI_CONFIG_ERROR_UNKNOWN_KEY
 *
 * Checks that every key of @group is one of @known_keys. The error names
 * the file and line of the first unknown key and lists @known_keys. A
 * group that is not there passes.
 *
 * Returns: whether all keys are known
 */
gboolean
satori_config_check_keys (SatoriConfig       *config,
                          const char         *group,
                          const char *const  *known_keys,
                          GError            **error)
{
  g_auto(GStrv) keys = NULL;

  g_return_val_if_fail (SATORI_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (group != NULL, FALSE);
  g_return_val_if_fail (known_keys != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  keys = satori_config_get_keys (config, group);
  for (char **key = keys; *key != NULL; key++)
    {
      g_autofree char *known = NULL;

      if (g_strv_contains (known_keys, *key))
        continue;
      known = join_names (known_keys);
      g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_UNKNOWN_KEY,
                   _("unknown key; valid keys are: %s"), known);
      prefix_location (config, error, group, *key);
      return FALSE;
    }
  return TRUE;
}

/* ---- mapping onto objects ---- */

static gboolean
is_settable (GParamSpec *pspec, gboolean constructing)
{
  return (pspec->flags & G_PARAM_WRITABLE) != 0 &&
         (constructing || (pspec->flags & G_PARAM_CONSTRUCT_ONLY) == 0);
}

static char *
settable_names (GObjectClass *klass, gboolean constructing)
{
  guint n_pspecs;
  g_autofree GParamSpec **pspecs = g_object_class_list_properties (klass, &n_pspecs);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < n_pspecs; i++)
    if (is_settable (pspecs[i], constructing))
      g_ptr_array_add (names, (gpointer) pspecs[i]->name);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return join_names ((const char *const *) names->pdata);
}

/* Converts every key of @group to a value for the property of that name:
 * all are checked before anything is set. */
static gboolean
collect_properties (SatoriConfig  *self,
                    const char    *group,
                    GObjectClass  *klass,
                    gboolean       constructing,
                    GPtrArray     *names,
                    GArray        *values,
                    GError       **error)
{
  g_auto(GStrv) keys = satori_config_get_keys (self, group);

  for (char **key = keys; *key != NULL; key++)
    {
      GParamSpec *pspec = g_object_class_find_property (klass, *key);
      GValue value = G_VALUE_INIT;

      if (pspec == NULL || !is_settable (pspec, constructing))
        {
          g_autofree char *valid = settable_names (klass, constructing);

          if (pspec == NULL)
            g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_UNKNOWN_KEY,
                         _("unknown key; valid keys are: %s"), valid);
          else if ((pspec->flags & G_PARAM_WRITABLE) == 0)
            g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_UNKNOWN_KEY,
                         _("the property is read-only; valid keys are: %s"), valid);
          else
            g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_UNKNOWN_KEY,
                         _("the property can only be set when the object is created; "
                           "valid keys are: %s"), valid);
          prefix_location (self, error, group, *key);
          return FALSE;
        }

      if (!satori_config_value_parse (pspec, self->values, group, *key, &value, error))
        {
          prefix_location (self, error, group, *key);
          return FALSE;
        }
      g_ptr_array_add (names, (gpointer) pspec->name);
      g_array_append_val (values, value);
    }
  return TRUE;
}

static GArray *
value_array_new (void)
{
  GArray *values = g_array_new (FALSE, TRUE, sizeof (GValue));

  g_array_set_clear_func (values, (GDestroyNotify) g_value_unset);
  return values;
}

/**
 * satori_config_apply:
 * @config: a #SatoriConfig
 * @group: a group name, such as a plugin's
 * @object: the object whose properties @group sets
 * @error: return location for a #GError: %SATORI_CONFIG_ERROR_UNKNOWN_KEY
 *   for a key that names no property @object lets one set (the message
 *   lists those that it does), %SATORI_CONFIG_ERROR_INVALID_VALUE for a
 *   value that does not fit its property
 *
 * Sets the properties of @object from the keys of @group, each key naming
 * a property. The text of a value is read by the property's #GParamSpec:
 * booleans (`true`, `false`, `yes`, `no`, `1`, `0`); integers and numbers
 * within the property's range; strings; string lists (`a;b;c`); enums by
 * nick or name; flags as a list of nicks or names.
 *
 * Either every key applies or none does: all are checked first, then set
 * with one batch of notifications. A missing @group sets nothing.
 * Construct-only properties cannot be set here: see
 * satori_config_new_object().
 *
 * Returns: whether the properties were set
 */
gboolean
satori_config_apply (SatoriConfig  *config,
                     const char    *group,
                     GObject       *object,
                     GError       **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) values = value_array_new ();

  g_return_val_if_fail (SATORI_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (group != NULL, FALSE);
  g_return_val_if_fail (G_IS_OBJECT (object), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!collect_properties (config, group, G_OBJECT_GET_CLASS (object), FALSE,
                           names, values, error))
    return FALSE;

  g_object_freeze_notify (object);
  for (guint i = 0; i < names->len; i++)
    g_object_set_property (object, g_ptr_array_index (names, i),
                           &g_array_index (values, GValue, i));
  g_object_thaw_notify (object);
  return TRUE;
}

/* collect_properties() for constructing an object of @object_type
 * (property names are interned: they outlive the class reference). */
static gboolean
collect_construct_properties (SatoriConfig  *config,
                              const char    *group,
                              GType          object_type,
                              GPtrArray     *names,
                              GArray        *values,
                              GError       **error)
{
  g_return_val_if_fail (SATORI_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (group != NULL, FALSE);
  g_return_val_if_fail (G_TYPE_IS_OBJECT (object_type), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_autoptr(GTypeClass) klass = g_type_class_ref (object_type);
  return collect_properties (config, group, G_OBJECT_CLASS (klass), TRUE, names, values, error);
}

/**
 * satori_config_new_object:
 * @config: a #SatoriConfig
 * @group: a group name, such as a plugin's
 * @object_type: a #GObject type that can be instantiated
 * @error: return location for a #GError, as for satori_config_apply()
 *
 * Creates an object of @object_type with the properties @group sets, as
 * satori_config_apply() reads them; construct-only properties can be set
 * too.
 *
 * Returns: (transfer full) (type GObject) (nullable): the new object, or
 *   %NULL if a key does not apply
 */
gpointer
satori_config_new_object (SatoriConfig  *config,
                          const char    *group,
                          GType          object_type,
                          GError       **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) values = value_array_new ();

  g_return_val_if_fail (G_TYPE_IS_INSTANTIATABLE (object_type), NULL);
  g_return_val_if_fail (!G_TYPE_IS_ABSTRACT (object_type), NULL);
  if (!collect_construct_properties (config, group, object_type, names, values, error))
    return NULL;
  return g_object_new_with_properties (object_type, names->len,
                                       (const char **) names->pdata,
                                       (const GValue *) values->data);
}

/**
 * satori_config_check_object:
 * @config: a #SatoriConfig
 * @group: a group name, such as a feature's
 * @object_type: a #GObject type
 * @error: return location for a #GError, as for satori_config_apply()
 *
 * Checks that satori_config_new_object() would take every key of @group
 * for an object of @object_type, without making one: a configuration
 * read again can be refused before anything is changed.
 *
 * Returns: whether every key applies
 */
gboolean
satori_config_check_object (SatoriConfig  *config,
                            const char    *group,
                            GType          object_type,
                            GError       **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) values = value_array_new ();

  return collect_construct_properties (config, group, object_type, names, values, error);
}
