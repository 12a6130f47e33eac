/* satori-config-value.c — config values converted by a GParamSpec
 *
 * One place decides how the text of a key becomes a typed value, and how
 * a refusal is worded, for satori_config_apply() and the typed getters
 * alike (these describe their type with a GParamSpec of their own).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-config-value.h"

#include <glib/gi18n-lib.h>

#include "satori-errors.h"

static char *
describe_signed (gint64 min, gint64 max, gint64 type_min, gint64 type_max)
{
  char low[32], high[32];

  if (min == type_min && max == type_max)
    return g_strdup (_("an integer"));
  g_snprintf (low, sizeof low, "%" G_GINT64_FORMAT, min);
  g_snprintf (high, sizeof high, "%" G_GINT64_FORMAT, max);
  return g_strdup_printf (_("an integer between %s and %s"), low, high);
}

static char *
describe_unsigned (guint64 min, guint64 max, guint64 type_max)
{
  char low[32], high[32];

  if (min == 0 && max == type_max)
    return g_strdup (_("an unsigned integer"));
  g_snprintf (low, sizeof low, "%" G_GUINT64_FORMAT, min);
  g_snprintf (high, sizeof high, "%" G_GUINT64_FORMAT, max);
  return g_strdup_printf (_("an unsigned integer between %s and %s"), low, high);
}

static char *
describe_number (double min, double max, double type_max)
{
  char low[G_ASCII_DTOSTR_BUF_SIZE], high[G_ASCII_DTOSTR_BUF_SIZE];

  if (min == -type_max && max == type_max)
    return g_strdup (_("a number"));
  /* the decimal point of the file, whatever the locale */
  g_ascii_formatd (low, sizeof low, "%g", min);
  g_ascii_formatd (high, sizeof high, "%g", max);
  return g_strdup_printf (_("a number between %s and %s"), low, high);
}

static char *
enum_nicks (GEnumClass *klass)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < klass->n_values; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", klass->values[i].value_nick);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
flags_nicks (GFlagsClass *klass)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < klass->n_values; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", klass->values[i].value_nick);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* What a value of @pspec's type looks like, or NULL if config files
 * cannot express that type. */
static char *
describe (GParamSpec *pspec)
{
  if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    return g_strdup (_("a boolean (true, false, yes, no, 1 or 0)"));
  if (G_IS_PARAM_SPEC_INT (pspec))
    return describe_signed (G_PARAM_SPEC_INT (pspec)->minimum,
                            G_PARAM_SPEC_INT (pspec)->maximum, G_MININT, G_MAXINT);
  if (G_IS_PARAM_SPEC_LONG (pspec))
    return describe_signed (G_PARAM_SPEC_LONG (pspec)->minimum,
                            G_PARAM_SPEC_LONG (pspec)->maximum, G_MINLONG, G_MAXLONG);
  if (G_IS_PARAM_SPEC_INT64 (pspec))
    return describe_signed (G_PARAM_SPEC_INT64 (pspec)->minimum,
                            G_PARAM_SPEC_INT64 (pspec)->maximum, G_MININT64, G_MAXINT64);
  if (G_IS_PARAM_SPEC_UINT (pspec))
    return describe_unsigned (G_PARAM_SPEC_UINT (pspec)->minimum,
                              G_PARAM_SPEC_UINT (pspec)->maximum, G_MAXUINT);
  if (G_IS_PARAM_SPEC_ULONG (pspec))
    return describe_unsigned (G_PARAM_SPEC_ULONG (pspec)->minimum,
                              G_PARAM_SPEC_ULONG (pspec)->maximum, G_MAXULONG);
  if (G_IS_PARAM_SPEC_UINT64 (pspec))
    return describe_unsigned (G_PARAM_SPEC_UINT64 (pspec)->minimum,
                              G_PARAM_SPEC_UINT64 (pspec)->maximum, G_MAXUINT64);
  if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    return describe_number (G_PARAM_SPEC_DOUBLE (pspec)->minimum,
                            G_PARAM_SPEC_DOUBLE (pspec)->maximum, G_MAXDOUBLE);
  if (G_IS_PARAM_SPEC_FLOAT (pspec))
    return describe_number (G_PARAM_SPEC_FLOAT (pspec)->minimum,
                            G_PARAM_SPEC_FLOAT (pspec)->maximum, G_MAXFLOAT);
  if (G_IS_PARAM_SPEC_STRING (pspec))
    return g_strdup (_("a string"));
  if (G_IS_PARAM_SPEC_BOXED (pspec) && pspec->value_type == G_TYPE_STRV)
    return g_strdup (_("a list of strings separated by ';'"));
  if (G_IS_PARAM_SPEC_ENUM (pspec))
    {
      g_autofree char *nicks = enum_nicks (G_PARAM_SPEC_ENUM (pspec)->enum_class);
      return g_strdup_printf (_("one of %s"), nicks);
    }
  if (G_IS_PARAM_SPEC_FLAGS (pspec))
    {
      g_autofree char *nicks = flags_nicks (G_PARAM_SPEC_FLAGS (pspec)->flags_class);
      return g_strdup_printf (_("a list separated by ';' of %s"), nicks);
    }
  return NULL;
}

static gboolean
parse_boolean (const char *text, gboolean *out)
{
  static const char *const yes[] = { "true", "yes", "1" };
  static const char *const no[] = { "false", "no", "0" };

  for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (text, yes[i]) == 0)
        {
          *out = TRUE;
          return TRUE;
        }
      if (g_ascii_strcasecmp (text, no[i]) == 0)
        {
          *out = FALSE;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
parse_signed (const char *text, gint64 min, gint64 max, gint64 *out)
{
  return g_ascii_string_to_signed (text, 10, min, max, out, NULL);
}

static gboolean
parse_unsigned (const char *text, guint64 min, guint64 max, guint64 *out)
{
  return g_ascii_string_to_unsigned (text, 10, min, max, out, NULL);
}

static gboolean
parse_number (const char *text, double min, double max, double *out)
{
  char *end;
  double number = g_ascii_strtod (text, &end);

  /* the negated test also refuses NaN */
  if (*text == '\0' || *end != '\0' || !(number >= min && number <= max))
    return FALSE;
  *out = number;
  return TRUE;
}

static gboolean
parse_flags (GFlagsClass *klass, char **items, guint *out)
{
  guint flags = 0;

  for (char **item = items; *item != NULL; item++)
    {
      const char *name = g_strstrip (*item);
      GFlagsValue *value;

      if (*name == '\0')
        continue;
      value = g_flags_get_value_by_nick (klass, name);
      if (value == NULL)
        value = g_flags_get_value_by_name (klass, name);
      if (value == NULL)
        return FALSE;
      flags |= value->value;
    }
  *out = flags;
  return TRUE;
}

/* Booleans, numbers and enums: the types whose text is one word. */
static gboolean
parse_scalar (GParamSpec *pspec, const char *text, GValue *value)
{
  gboolean boolean;
  gint64 sint;
  guint64 uint;
  double number;
  GEnumValue *enum_value;

  if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    {
      if (!parse_boolean (text, &boolean))
        return FALSE;
      g_value_set_boolean (value, boolean);
    }
  else if (G_IS_PARAM_SPEC_INT (pspec))
    {
      if (!parse_signed (text, G_PARAM_SPEC_INT (pspec)->minimum,
                         G_PARAM_SPEC_INT (pspec)->maximum, &sint))
        return FALSE;
      g_value_set_int (value, (int) sint);
    }
  else if (G_IS_PARAM_SPEC_LONG (pspec))
    {
      if (!parse_signed (text, G_PARAM_SPEC_LONG (pspec)->minimum,
                         G_PARAM_SPEC_LONG (pspec)->maximum, &sint))
        return FALSE;
      g_value_set_long (value, (glong) sint);
    }
  else if (G_IS_PARAM_SPEC_INT64 (pspec))
    {
      if (!parse_signed (text, G_PARAM_SPEC_INT64 (pspec)->minimum,
                         G_PARAM_SPEC_INT64 (pspec)->maximum, &sint))
        return FALSE;
      g_value_set_int64 (value, sint);
    }
  else if (G_IS_PARAM_SPEC_UINT (pspec))
    {
      if (!parse_unsigned (text, G_PARAM_SPEC_UINT (pspec)->minimum,
                           G_PARAM_SPEC_UINT (pspec)->maximum, &uint))
        return FALSE;
      g_value_set_uint (value, (guint) uint);
    }
  else if (G_IS_PARAM_SPEC_ULONG (pspec))
    {
      if (!parse_unsigned (text, G_PARAM_SPEC_ULONG (pspec)->minimum,
                           G_PARAM_SPEC_ULONG (pspec)->maximum, &uint))
        return FALSE;
      g_value_set_ulong (value, (gulong) uint);
    }
  else if (G_IS_PARAM_SPEC_UINT64 (pspec))
    {
      if (!parse_unsigned (text, G_PARAM_SPEC_UINT64 (pspec)->minimum,
                           G_PARAM_SPEC_UINT64 (pspec)->maximum, &uint))
        return FALSE;
      g_value_set_uint64 (value, uint);
    }
  else if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    {
      if (!parse_number (text, G_PARAM_SPEC_DOUBLE (pspec)->minimum,
                         G_PARAM_SPEC_DOUBLE (pspec)->maximum, &number))
        return FALSE;
      g_value_set_double (value, number);
    }
  else if (G_IS_PARAM_SPEC_FLOAT (pspec))
    {
      if (!parse_number (text, G_PARAM_SPEC_FLOAT (pspec)->minimum,
                         G_PARAM_SPEC_FLOAT (pspec)->maximum, &number))
        return FALSE;
      g_value_set_float (value, (float) number);
    }
  else
    {
      GEnumClass *klass = G_PARAM_SPEC_ENUM (pspec)->enum_class;

      enum_value = g_enum_get_value_by_nick (klass, text);
      if (enum_value == NULL)
        enum_value = g_enum_get_value_by_name (klass, text);
      if (enum_value == NULL)
        return FALSE;
      g_value_set_enum (value, enum_value->value);
    }
  return TRUE;
}

/* Fills @value (initialized to @pspec's type); FALSE if the text does not
 * fit, with @detail set when GKeyFile could not even unescape it. */
static gboolean
convert (GParamSpec  *pspec,
         GKeyFile    *keyfile,
         const char  *group,
         const char  *key,
         GValue      *value,
         GError     **detail)
{
  /* GKeyFile may return a value and an error both, for a bad escape */
  g_autoptr(GError) local_error = NULL;

  if (G_IS_PARAM_SPEC_BOXED (pspec) || G_IS_PARAM_SPEC_FLAGS (pspec))
    {
      g_auto(GStrv) items = g_key_file_get_string_list (keyfile, group, key, NULL, &local_error);
      guint flags;

      if (local_error != NULL)
        {
          g_propagate_error (detail, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (G_IS_PARAM_SPEC_BOXED (pspec))
        {
          g_value_take_boxed (value, g_steal_pointer (&items));
          return TRUE;
        }
      if (!parse_flags (G_PARAM_SPEC_FLAGS (pspec)->flags_class, items, &flags))
        return FALSE;
      g_value_set_flags (value, flags);
      return TRUE;
    }

  g_autofree char *text = g_key_file_get_string (keyfile, group, key, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (detail, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (G_IS_PARAM_SPEC_STRING (pspec))
    {
      g_value_take_string (value, g_steal_pointer (&text));
      return TRUE;
    }

  /* Blanks around a number or a name are never meant: GKeyFile keeps
   * trailing ones. */
  return parse_scalar (pspec, g_strstrip (text), value);
}

/**
 * satori_config_value_parse:
 * @pspec: the type and range the value must have
 * @keyfile: the key file holding the value
 * @group: its group
 * @key: its key, which must be set
 * @value: (out caller-allocates): an unset #GValue, initialized to
 *   @pspec's value type on success
 * @error: return location for a %SATORI_CONFIG_ERROR_INVALID_VALUE
 *
 * Converts the value of @key to @pspec's type: booleans (`true`, `false`,
 * `yes`, `no`, `1`, `0`), integers and numbers within @pspec's range,
 * strings, string lists, enums by nick or name, and flags as a list of
 * nicks or names. The error says what was expected and what was found;
 * it does not say where: the caller prefixes that.
 *
 * Returns: whether @value was set
 */
gboolean
satori_config_value_parse (GParamSpec  *pspec,
                           GKeyFile    *keyfile,
                           const char  *group,
                           const char  *key,
                           GValue      *value,
                           GError     **error)
{
  GParamSpec *target = g_param_spec_get_redirect_target (pspec);
  g_autofree char *raw = g_key_file_get_value (keyfile, group, key, NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) detail = NULL;

  g_return_val_if_fail (raw != NULL, FALSE);

  /* an interface property a class overrides */
  if (target != NULL)
    pspec = target;

  expected = describe (pspec);
  if (expected == NULL)
    {
      g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE,
                   _("properties of type %s cannot be set from a config file"),
                   g_type_name (pspec->value_type));
      return FALSE;
    }

  g_value_init (value, pspec->value_type);
  if (convert (pspec, keyfile, group, key, value, &detail))
    return TRUE;
  g_value_unset (value);

  if (detail != NULL)
    g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE,
                 _("expected %s, got \"%s\" (%s)"), expected, raw, detail->message);
  else
    g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE,
                 _("expected %s, got \"%s\""), expected, raw);
  return FALSE;
}
