/* satori-test-prometheus.c — parses an exposition, asserting it is well
 * formed: HELP/TYPE lines, sample names, quoted and escaped label values,
 * float values; every sample belongs to a family with a TYPE. */
#include "satori-test-prometheus.h"

#include <math.h>
#include <string.h>

static void
sample_free (SatoriTestSample *sample)
{
  g_free (sample->name);
  g_hash_table_unref (sample->labels);
  g_free (sample);
}

static gboolean
is_name_char (char c, gboolean first)
{
  return g_ascii_isalpha (c) || c == '_' || c == ':' || (!first && g_ascii_isdigit (c));
}

/* Reads a metric or label name at *p. */
static char *
read_name (const char **p)
{
  const char *start = *p;

  g_assert_true (is_name_char (**p, TRUE));
  while (is_name_char (**p, FALSE))
    (*p)++;
  return g_strndup (start, *p - start);
}

static double
parse_value (const char *text)
{
  char *end;

  if (strcmp (text, "+Inf") == 0)
    return INFINITY;
  if (strcmp (text, "-Inf") == 0)
    return -INFINITY;
  if (strcmp (text, "NaN") == 0)
    return NAN;
  double value = g_ascii_strtod (text, &end);
  g_assert_true (end != text && *end == '\0');
  return value;
}

static void
parse_labels (const char **p, GHashTable *labels)
{
  g_assert_cmpint (**p, ==, '{');
  (*p)++;
  while (**p != '}')
    {
      char *name = read_name (p);
      GString *value = g_string_new (NULL);
      g_assert_cmpint (*(*p)++, ==, '=');
      g_assert_cmpint (*(*p)++, ==, '"');
      while (**p != '"')
        {
          g_assert_cmpint (**p, !=, '\0');
          if (**p == '\\')
            {
              (*p)++;
              g_assert_true (**p == '\\' || **p == '"' || **p == 'n');
              g_string_append_c (value, **p == 'n' ? '\n' : **p);
            }
          else
            g_string_append_c (value, **p);
          (*p)++;
        }
      (*p)++;
      g_assert_false (g_hash_table_contains (labels, name));
      g_hash_table_insert (labels, name, g_string_free (value, FALSE));
      if (**p == ',')
        (*p)++;
    }
  (*p)++;
}

/* The family a sample belongs to: histograms' _bucket, _sum and _count
 * belong to the histogram. */
static const char *
family_of (GHashTable *types, const char *name, char **owned)
{
  static const char * const suffixes[] = { "_bucket", "_sum", "_count" };

  if (g_hash_table_contains (types, name))
    return name;
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (name, suffixes[i]))
      {
        *owned = g_strndup (name, strlen (name) - strlen (suffixes[i]));
        if (g_strcmp0 (g_hash_table_lookup (types, *owned), "histogram") == 0)
          return *owned;
        g_clear_pointer (owned, g_free);
      }
  return NULL;
}

static void
parse_comment (const char *line, GHashTable *types)
{
  g_auto(GStrv) words = g_strsplit (line, " ", 4);

  if (g_strv_length (words) < 3 ||
      (strcmp (words[1], "TYPE") != 0 && strcmp (words[1], "HELP") != 0))
    return;
  if (strcmp (words[1], "TYPE") == 0)
    {
      static const char * const known[] = { "counter", "gauge", "histogram", "summary",
                                            "untyped", NULL };
      g_assert_cmpuint (g_strv_length (words), ==, 4);
      g_assert_true (g_strv_contains (known, words[3]));
      g_assert_false (g_hash_table_contains (types, words[2]));
      g_hash_table_insert (types, g_strdup (words[2]), g_strdup (words[3]));
    }
}

/* Parses @text, asserting it is a valid exposition. */
SatoriTestExposition *
satori_test_prometheus_parse (const char *text)
{
  SatoriTestExposition *exposition = g_new0 (SatoriTestExposition, 1);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  exposition->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) sample_free);
  exposition->types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_assert_true (g_str_has_suffix (text, "\n"));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *p = lines[i];
      if (*p == '\0')
        continue;
      if (*p == '#')
        {
          parse_comment (p, exposition->types);
          continue;
        }
      SatoriTestSample *sample = g_new0 (SatoriTestSample, 1);
      sample->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      sample->name = read_name (&p);
      if (*p == '{')
        parse_labels (&p, sample->labels);
      g_assert_cmpint (*p++, ==, ' ');
      g_auto(GStrv) rest = g_strsplit (p, " ", 2);   /* value [timestamp] */
      sample->value = parse_value (rest[0]);
      g_autofree char *owned = NULL;
      g_assert_nonnull (family_of (exposition->types, sample->name, &owned));
      g_ptr_array_add (exposition->samples, sample);
    }
  return exposition;
}

void
satori_test_exposition_free (SatoriTestExposition *exposition)
{
  g_ptr_array_unref (exposition->samples);
  g_hash_table_unref (exposition->types);
  g_free (exposition);
}

/* The value of the sample @name whose @label is @value (any sample of
 * @name when @label is NULL); FALSE when there is none. */
gboolean
satori_test_prometheus_find (SatoriTestExposition *exposition, const char *name,
                             const char *label, const char *value, double *result)
{
  for (guint i = 0; i < exposition->samples->len; i++)
    {
      SatoriTestSample *sample = g_ptr_array_index (exposition->samples, i);
      if (strcmp (sample->name, name) != 0 ||
          (label != NULL && g_strcmp0 (g_hash_table_lookup (sample->labels, label), value) != 0))
        continue;
      *result = sample->value;
      return TRUE;
    }
  return FALSE;
}

static gboolean
has_labels (SatoriTestSample *sample, const char *first_label, va_list pairs)
{
  for (const char *label = first_label; label != NULL; label = va_arg (pairs, const char *))
    if (g_strcmp0 (g_hash_table_lookup (sample->labels, label), va_arg (pairs, const char *)) != 0)
      return FALSE;
  return TRUE;
}

/* Finds the sample of @name with every label given (label, value pairs,
 * then NULL). */
gboolean
satori_test_prometheus_find_series (SatoriTestExposition *exposition, const char *name,
                                    double *result, const char *first_label, ...)
{
  for (guint i = 0; i < exposition->samples->len; i++)
    {
      SatoriTestSample *sample = g_ptr_array_index (exposition->samples, i);
      va_list pairs;

      if (strcmp (sample->name, name) != 0)
        continue;
      va_start (pairs, first_label);
      gboolean found = has_labels (sample, first_label, pairs);
      va_end (pairs);
      if (found)
        {
          *result = sample->value;
          return TRUE;
        }
    }
  return FALSE;
}

/* Asserts the histogram invariants: buckets in increasing `le` order with
 * non-decreasing counts, the last `le="+Inf"` and equal to `_count`, and a
 * `_sum`. */
void
satori_test_prometheus_check_histogram (SatoriTestExposition *exposition, const char *name)
{
  g_autofree char *bucket = g_strconcat (name, "_bucket", NULL);
  g_autofree char *sum = g_strconcat (name, "_sum", NULL);
  g_autofree char *count = g_strconcat (name, "_count", NULL);
  double last_le = -INFINITY, last_count = 0, total, sum_value;
  guint buckets = 0;

  g_assert_cmpstr (g_hash_table_lookup (exposition->types, name), ==, "histogram");
  for (guint i = 0; i < exposition->samples->len; i++)
    {
      SatoriTestSample *sample = g_ptr_array_index (exposition->samples, i);
      if (strcmp (sample->name, bucket) != 0)
        continue;
      const char *le = g_hash_table_lookup (sample->labels, "le");
      g_assert_nonnull (le);
      double bound = parse_value (le);
      g_assert_cmpfloat (bound, >, last_le);
      g_assert_cmpfloat (sample->value, >=, last_count);
      last_le = bound;
      last_count = sample->value;
      buckets++;
    }
  g_assert_cmpuint (buckets, >=, 1);
  g_assert_true (isinf (last_le) && last_le > 0);
  g_assert_true (satori_test_prometheus_find (exposition, count, NULL, NULL, &total));
  g_assert_cmpfloat (total, ==, last_count);
  g_assert_true (satori_test_prometheus_find (exposition, sum, NULL, NULL, &sum_value));
}
