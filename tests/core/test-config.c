/* Tests of SatoriConfig: loading and merging key files, origins, typed
 * reading, checking, and mapping groups onto GObject properties.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "satori-config.h"
#include "satori-config-scan.h"
#include "satori-errors.h"

/* ---- a test object with a property of every type config files set ---- */

typedef enum {
  TEST_MODE_FAST,
  TEST_MODE_SLOW,
} TestMode;

typedef enum {
  TEST_FEATURE_RELAY = 1 << 0,
  TEST_FEATURE_HOLE_PUNCH = 1 << 1,
  TEST_FEATURE_NAT = 1 << 2,
} TestFeatures;

static GType
test_mode_get_type (void)
{
  static gsize type;
  static const GEnumValue values[] = {
    { TEST_MODE_FAST, "TEST_MODE_FAST", "fast" },
    { TEST_MODE_SLOW, "TEST_MODE_SLOW", "slow" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("TestMode", values));
  return type;
}

static GType
test_features_get_type (void)
{
  static gsize type;
  static const GFlagsValue values[] = {
    { TEST_FEATURE_RELAY, "TEST_FEATURE_RELAY", "relay" },
    { TEST_FEATURE_HOLE_PUNCH, "TEST_FEATURE_HOLE_PUNCH", "hole-punch" },
    { TEST_FEATURE_NAT, "TEST_FEATURE_NAT", "nat" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_flags_register_static ("TestFeatures", values));
  return type;
}

#define TEST_TYPE_TARGET (test_target_get_type ())
G_DECLARE_FINAL_TYPE (TestTarget, test_target, TEST, TARGET, GObject)

struct _TestTarget
{
  GObject parent_instance;

  gboolean enabled;
  int level;
  guint count;
  guint port;
  gint64 offset;
  guint64 limit;
  double ratio;
  char *name;
  char **tags;
  TestMode mode;
  TestFeatures features;
  int seed;
};

G_DEFINE_FINAL_TYPE (TestTarget, test_target, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENABLED,
  PROP_LEVEL,
  PROP_COUNT,
  PROP_PORT,
  PROP_OFFSET,
  PROP_LIMIT,
  PROP_RATIO,
  PROP_NAME,
  PROP_TAGS,
  PROP_MODE,
  PROP_FEATURES,
  PROP_SEED,
  PROP_ID,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
test_target_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  TestTarget *self = TEST_TARGET (object);

  switch (id)
    {
    case PROP_ENABLED: g_value_set_boolean (value, self->enabled); break;
    case PROP_LEVEL: g_value_set_int (value, self->level); break;
    case PROP_COUNT: g_value_set_uint (value, self->count); break;
    case PROP_PORT: g_value_set_uint (value, self->port); break;
    case PROP_OFFSET: g_value_set_int64 (value, self->offset); break;
    case PROP_LIMIT: g_value_set_uint64 (value, self->limit); break;
    case PROP_RATIO: g_value_set_double (value, self->ratio); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_TAGS: g_value_set_boxed (value, self->tags); break;
    case PROP_MODE: g_value_set_enum (value, self->mode); break;
    case PROP_FEATURES: g_value_set_flags (value, self->features); break;
    case PROP_SEED: g_value_set_int (value, self->seed); break;
    case PROP_ID: g_value_set_string (value, "fixed"); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
test_target_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  TestTarget *self = TEST_TARGET (object);

  switch (id)
    {
    case PROP_ENABLED: self->enabled = g_value_get_boolean (value); break;
    case PROP_LEVEL: self->level = g_value_get_int (value); break;
    case PROP_COUNT: self->count = g_value_get_uint (value); break;
    case PROP_PORT: self->port = g_value_get_uint (value); break;
    case PROP_OFFSET: self->offset = g_value_get_int64 (value); break;
    case PROP_LIMIT: self->limit = g_value_get_uint64 (value); break;
    case PROP_RATIO: self->ratio = g_value_get_double (value); break;
    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;
    case PROP_TAGS:
      g_strfreev (self->tags);
      self->tags = g_value_dup_boxed (value);
      break;
    case PROP_MODE: self->mode = g_value_get_enum (value); break;
    case PROP_FEATURES: self->features = g_value_get_flags (value); break;
    case PROP_SEED: self->seed = g_value_get_int (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
test_target_finalize (GObject *object)
{
  TestTarget *self = TEST_TARGET (object);

  g_free (self->name);
  g_strfreev (self->tags);
  G_OBJECT_CLASS (test_target_parent_class)->finalize (object);
}

static void
test_target_class_init (TestTargetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = test_target_get_property;
  object_class->set_property = test_target_set_property;
  object_class->finalize = test_target_finalize;

  props[PROP_ENABLED] = g_param_spec_boolean ("enabled", NULL, NULL, FALSE, rw);
  props[PROP_LEVEL] = g_param_spec_int ("level", NULL, NULL, -10, 10, 0, rw);
  props[PROP_COUNT] = g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0, rw);
  props[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 1, 65535, 4001, rw);
  props[PROP_OFFSET] = g_param_spec_int64 ("offset", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  props[PROP_LIMIT] = g_param_spec_uint64 ("limit", NULL, NULL, 0, G_MAXUINT64, 0, rw);
  props[PROP_RATIO] = g_param_spec_double ("ratio", NULL, NULL, 0.0, 1.0, 0.5, rw);
  props[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  props[PROP_TAGS] = g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, rw);
  props[PROP_MODE] = g_param_spec_enum ("mode", NULL, NULL, test_mode_get_type (),
                                        TEST_MODE_FAST, rw);
  props[PROP_FEATURES] = g_param_spec_flags ("features", NULL, NULL, test_features_get_type (),
                                             0, rw);
  props[PROP_SEED] = g_param_spec_int ("seed", NULL, NULL, 0, 100, 0,
                                       rw | G_PARAM_CONSTRUCT_ONLY);
  props[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL,
                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
test_target_init (TestTarget *self)
{
  self->port = 4001;
  self->ratio = 0.5;
}

/* ---- files in a temporary directory ---- */

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("satori-config-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_assert_cmpint (g_rmdir (path), ==, 0);
    }
  else
    g_assert_cmpint (g_unlink (path), ==, 0);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  /* an unreadable file must be made readable again to be removed */
  g_autofree char *locked = g_build_filename (fixture->dir, "satorip2p.conf.d", NULL);
  if (g_file_test (locked, G_FILE_TEST_IS_DIR))
    g_chmod (locked, 0700);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Writes @contents to @name in the fixture's directory; returns its path. */
static char *
write_file (Fixture *fixture, const char *name, const char *contents)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
assert_origin (SatoriConfig *config,
               const char   *group,
               const char   *key,
               const char   *file,
               int           line)
{
  const char *found_file = NULL;
  int found_line = -1;

  g_assert_true (satori_config_get_origin (config, group, key, &found_file, &found_line));
  g_assert_cmpstr (found_file, ==, file);
  g_assert_cmpint (found_line, ==, line);
}

static void
assert_string (SatoriConfig *config, const char *group, const char *key, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = satori_config_get_string (config, group, key, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, expected);
}

/* ---- loading ---- */

static void
test_load_data (void)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) keys = NULL;
  static const char defaults[] =
    "# satorip2p defaults\n"
    "[plugins]\n"
    "load=tcp;noise;yamux\n"
    "\n"
    "[host]\n"
    "transports=tcp\n"
    "listen=/ip4/0.0.0.0/tcp/4001\n";

  g_test_summary ("Embedded data loads, and its origin is the name given with lines counted");

  g_assert_true (satori_config_load_data (config, "<defaults>", defaults, -1, &error));
  g_assert_no_error (error);

  groups = satori_config_get_groups (config);
  g_assert_cmpstrv (groups, ((const char *const[]) { "plugins", "host", NULL }));
  keys = satori_config_get_keys (config, "host");
  g_assert_cmpstrv (keys, ((const char *const[]) { "transports", "listen", NULL }));
  g_assert_true (satori_config_has_group (config, "host"));
  g_assert_false (satori_config_has_group (config, "yamux"));
  g_assert_true (satori_config_has_key (config, "host", "listen"));
  g_assert_false (satori_config_has_key (config, "host", "security"));

  assert_string (config, "host", "listen", "/ip4/0.0.0.0/tcp/4001");
  assert_origin (config, "plugins", NULL, "<defaults>", 2);
  assert_origin (config, "plugins", "load", "<defaults>", 3);
  assert_origin (config, "host", NULL, "<defaults>", 5);
  assert_origin (config, "host", "listen", "<defaults>", 7);
  g_assert_false (satori_config_get_origin (config, "host", "security", NULL, NULL));

  /* a length shorter than the text: only the first group */
  g_autoptr(SatoriConfig) partial = satori_config_new ();
  g_assert_true (satori_config_load_data (partial, "<part>", defaults,
                                          strstr (defaults, "\n[host]") - defaults, &error));
  g_assert_no_error (error);
  g_assert_false (satori_config_has_group (partial, "host"));
}

static void
test_load_dropins_order (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *main_file = NULL, *a = NULL, *b = NULL;
  g_auto(GStrv) keys = NULL;
  g_auto(GStrv) groups = NULL;

  g_test_summary ("The main file, then conf.d/*.conf in sorted order, later values winning "
                  "key by key; hidden and non-.conf files are skipped");

  main_file = write_file (fixture, "satorip2p.conf",
                          "[host]\n"
                          "first=main\n"
                          "second=main\n"
                          "third=main\n");
  /* written out of order: sorting, not directory order, decides */
  b = write_file (fixture, "satorip2p.conf.d/20-b.conf",
                  "[host]\n"
                  "\n"
                  "second=b\n"
                  "[yamux]\n"
                  "window=b\n");
  a = write_file (fixture, "satorip2p.conf.d/10-a.conf",
                  "[host]\n"
                  "first=a\n"
                  "second=a\n"
                  "[yamux]\n"
                  "window=a\n");
  g_free (write_file (fixture, "satorip2p.conf.d/.30-hidden.conf", "[host]\nthird=hidden\n"));
  g_free (write_file (fixture, "satorip2p.conf.d/40-c.conf.bak", "[host]\nthird=bak\n"));
  g_free (write_file (fixture, "satorip2p.conf.d/README", "not a key file\n"));

  g_assert_true (satori_config_load_file_with_dropins (config, main_file, &error));
  g_assert_no_error (error);

  assert_string (config, "host", "first", "a");
  assert_string (config, "host", "second", "b");
  assert_string (config, "host", "third", "main");
  assert_string (config, "yamux", "window", "b");
  assert_origin (config, "host", "first", a, 2);
  assert_origin (config, "host", "second", b, 3);
  assert_origin (config, "host", "third", main_file, 4);
  assert_origin (config, "yamux", "window", b, 5);
  /* a group keeps the place and header where it first appeared */
  assert_origin (config, "host", NULL, main_file, 1);
  assert_origin (config, "yamux", NULL, a, 4);

  keys = satori_config_get_keys (config, "host");
  g_assert_cmpstrv (keys, ((const char *const[]) { "first", "second", "third", NULL }));
  groups = satori_config_get_groups (config);
  g_assert_cmpstrv (groups, ((const char *const[]) { "host", "yamux", NULL }));
}

static void
test_load_override (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *system = NULL, *user = NULL;

  g_test_summary ("Defaults, then a system file, then a user file: each overrides only "
                  "the keys it sets");

  system = write_file (fixture, "etc/satorip2p.conf", "[host]\nmuxers=mplex\n");
  user = write_file (fixture, "home/satorip2p.conf", "[host]\nsecurity=tls\n");

  g_assert_true (satori_config_load_data (config, "<defaults>",
                                          "[host]\nmuxers=yamux\nsecurity=noise\n"
                                          "transports=tcp\n", -1, &error));
  g_assert_true (satori_config_load_file_with_dropins (config, system, &error));
  g_assert_true (satori_config_load_file (config, user, &error));
  g_assert_no_error (error);

  assert_string (config, "host", "muxers", "mplex");
  assert_string (config, "host", "security", "tls");
  assert_string (config, "host", "transports", "tcp");
  assert_origin (config, "host", "muxers", system, 2);
  assert_origin (config, "host", "security", user, 2);
  assert_origin (config, "host", "transports", "<defaults>", 4);
}

static void
test_load_missing (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "satorip2p.conf", NULL);
  g_autofree char *dropin = NULL;
  g_auto(GStrv) groups = NULL;

  g_test_summary ("A missing file or drop-in directory is skipped by "
                  "load_file_with_dropins, and an error for load_file");

  g_assert_true (satori_config_load_file_with_dropins (config, path, &error));
  g_assert_no_error (error);
  groups = satori_config_get_groups (config);
  g_assert_cmpuint (g_strv_length (groups), ==, 0);

  g_assert_false (satori_config_load_file (config, path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* drop-ins without the main file still load */
  dropin = write_file (fixture, "satorip2p.conf.d/50-only.conf", "[host]\nlisten=x\n");
  g_assert_true (satori_config_load_file_with_dropins (config, path, &error));
  g_assert_no_error (error);
  assert_origin (config, "host", "listen", dropin, 2);
}

static void
test_load_unreadable (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file (fixture, "satorip2p.conf", "[host]\nlisten=x\n");
  g_autofree char *dir = g_strconcat (path, ".d", NULL);
  g_autofree char *not_a_file = g_build_filename (dir, "20-dir.conf", NULL);

  g_test_summary ("A drop-in or drop-in directory that is present but cannot be read "
                  "is an error, and nothing is merged");

  g_free (write_file (fixture, "satorip2p.conf.d/10.conf", "[host]\nlisten=y\n"));
  g_assert_cmpint (g_mkdir (not_a_file, 0700), ==, 0);

  g_assert_false (satori_config_load_file_with_dropins (config, path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_false (satori_config_has_group (config, "host"));
  g_clear_error (&error);
  g_assert_cmpint (g_rmdir (not_a_file), ==, 0);

  if (geteuid () == 0)
    {
      g_test_message ("root reads any directory: skipping the unreadable directory");
      return;
    }
  g_assert_cmpint (g_chmod (dir, 0), ==, 0);
  g_assert_false (satori_config_load_file_with_dropins (config, path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_false (satori_config_has_group (config, "host"));
}

static void
test_load_parse_error (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *main_file = NULL, *bad = NULL, *expected = NULL;

  g_test_summary ("A malformed file is reported with its name and the line GKeyFile "
                  "stops at; the files loaded with it are not merged");

  main_file = write_file (fixture, "satorip2p.conf", "[host]\nlisten=x\n");
  g_free (write_file (fixture, "satorip2p.conf.d/10-good.conf", "[yamux]\nwindow=1\n"));
  bad = write_file (fixture, "satorip2p.conf.d/20-bad.conf",
                    "# comment\n"
                    "[host]\n"
                    "listen=y\n"
                    "this line is not a key\n"
                    "security=noise\n");

  g_assert_false (satori_config_load_file_with_dropins (config, main_file, &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_PARSE);
  expected = g_strconcat (bad, ":4: ", NULL);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_assert_nonnull (strstr (error->message, "this line is not a key"));
  /* atomic: neither the main file nor the good drop-in was merged */
  g_assert_false (satori_config_has_group (config, "host"));
  g_assert_false (satori_config_has_group (config, "yamux"));
  g_clear_error (&error);

  g_assert_false (satori_config_load_data (config, "<defaults>", "listen=x\n[host]\n", -1,
                                           &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "<defaults>:1: "));
  g_clear_error (&error);

  g_assert_false (satori_config_load_data (config, "<data>", "[host]\n\n[bad[name]\n", -1,
                                           &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "<data>:3: "));
}

static void
test_load_origins (void)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) keys = NULL;
  static const char text[] =
    "# header comment\r\n"                /* 1 */
    "\r\n"                                /* 2 */
    "  [host]  \r\n"                      /* 3 */
    "   # indented comment\n"             /* 4 */
    "listen = /ip4/1.2.3.4/tcp/1\n"       /* 5 */
    "name[de]=Gastgeber\n"                /* 6 */
    "name=host\n"                         /* 7 */
    "name[fr]=hôte\n"                     /* 8 */
    "[yamux]\n"                           /* 9 */
    "window=1\n"                          /* 10 */
    "[host]\n"                            /* 11 */
    "listen=/ip4/5.6.7.8/tcp/2\n"         /* 12 */
    "\tsecurity\t=\tnoise";               /* 13, no final newline */

  g_test_summary ("Origins follow GKeyFile's line rules: CRLF, comments, blanks, "
                  "indentation, translations, repeated keys and reopened groups");

  g_assert_true (satori_config_load_data (config, "<text>", text, -1, &error));
  g_assert_no_error (error);

  assert_origin (config, "host", NULL, "<text>", 3);
  assert_origin (config, "host", "listen", "<text>", 12);
  assert_origin (config, "host", "name", "<text>", 7);
  assert_origin (config, "yamux", "window", "<text>", 10);
  assert_origin (config, "host", "security", "<text>", 13);
  assert_string (config, "host", "listen", "/ip4/5.6.7.8/tcp/2");
  assert_string (config, "host", "name", "host");
  assert_string (config, "host", "security", "noise");

  /* translations are not configuration */
  keys = satori_config_get_keys (config, "host");
  g_assert_cmpstrv (keys, ((const char *const[]) { "listen", "name", "security", NULL }));
}

static void
test_scan_error_line (void)
{
  static const struct {
    const char *text;
    int line;
  } cases[] = {
    { "[a]\nk=v\n", 0 },
    { "", 0 },
    { "k=v\n", 1 },
    { "[a]\nk=v\nbad\n", 3 },
    { "[a]\nk=v\nbad", 3 },
    { "[a]\r\n\r\n=v\r\n", 3 },
    { "[a]\nk[=v\n", 2 },
    { "#\n#\n#\n#\n#\n#\n#\n[a b]\n[c]\nx\n", 10 },
  };

  g_test_summary ("The error line is the first line GKeyFile refuses");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (satori_config_find_error_line (cases[i].text, strlen (cases[i].text)),
                     ==, cases[i].line);
}

static void
test_scan_lines (void)
{
  static const char text[] = "[a]\nk[de]=1\n\0[b]\n[c]\nx=1\0y=2\n";
  g_autoptr(GArray) lines = satori_config_scan (text, sizeof text - 1);
  const SatoriConfigLine *line;

  g_test_summary ("The scanner reports headers and keys, splits locales, and ends a "
                  "line at a NUL as GKeyFile does");

  g_assert_cmpuint (lines->len, ==, 4);
  line = &g_array_index (lines, SatoriConfigLine, 0);
  g_assert_cmpint (line->kind, ==, SATORI_CONFIG_LINE_GROUP);
  g_assert_cmpstr (line->group, ==, "a");
  g_assert_cmpint (line->line, ==, 1);
  line = &g_array_index (lines, SatoriConfigLine, 1);
  g_assert_cmpint (line->kind, ==, SATORI_CONFIG_LINE_KEY);
  g_assert_cmpstr (line->key, ==, "k");
  g_assert_cmpstr (line->locale, ==, "de");
  line = &g_array_index (lines, SatoriConfigLine, 2);
  g_assert_cmpstr (line->group, ==, "c");
  g_assert_cmpint (line->line, ==, 4);
  line = &g_array_index (lines, SatoriConfigLine, 3);
  g_assert_cmpstr (line->group, ==, "c");
  g_assert_cmpstr (line->key, ==, "x");
  g_assert_null (line->locale);
  g_assert_cmpint (line->line, ==, 5);
}

/* ---- typed reading ---- */

static void
test_get_typed (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL, *expected = NULL;
  g_auto(GStrv) list = NULL;
  gboolean boolean = FALSE;
  int number = 0;
  guint64 big = 0;

  g_test_summary ("Typed getters convert or fail with file, line, group, key and "
                  "the type expected");

  path = write_file (fixture, "satorip2p.conf",
                     "[host]\n"
                     "listen-port=abc\n"
                     "max-peers= 42 \n"
                     "relay=yes\n"
                     "upnp=maybe\n"
                     "limit=18446744073709551615\n"
                     "big=2147483648\n"
                     "transports=tcp;quic\\;v1;;memory\n"
                     "empty=\n"
                     "escape=a\\qb\n"
                     "bad-list=a;b\\q\n");
  g_assert_true (satori_config_load_file (config, path, &error));
  g_assert_no_error (error);

  g_assert_false (satori_config_get_uint64 (config, "host", "listen-port", &big, &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE);
  expected = g_strdup_printf ("%s:2: [host] listen-port: expected an unsigned integer, "
                              "got \"abc\"", path);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_assert_true (satori_config_get_int (config, "host", "max-peers", &number, &error));
  g_assert_no_error (error);
  g_assert_cmpint (number, ==, 42);

  g_assert_true (satori_config_get_boolean (config, "host", "relay", &boolean, &error));
  g_assert_no_error (error);
  g_assert_true (boolean);

  g_assert_false (satori_config_get_boolean (config, "host", "upnp", &boolean, &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE);
  g_free (expected);
  expected = g_strdup_printf ("%s:5: [host] upnp: expected a boolean", path);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_clear_error (&error);

  g_assert_true (satori_config_get_uint64 (config, "host", "limit", &big, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (big, ==, G_MAXUINT64);

  g_assert_false (satori_config_get_int (config, "host", "big", &number, &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, ":7: [host] big: expected an integer, "
                                            "got \"2147483648\""));
  g_clear_error (&error);

  list = satori_config_get_string_list (config, "host", "transports", &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (list, ((const char *const[]) { "tcp", "quic;v1", "", "memory", NULL }));
  g_clear_pointer (&list, g_strfreev);
  list = satori_config_get_string_list (config, "host", "empty", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (list), ==, 0);

  g_assert_null (satori_config_get_string (config, "host", "escape", &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, ":10: [host] escape: expected a string"));
  g_clear_error (&error);
  g_assert_null (satori_config_get_string_list (config, "host", "bad-list", &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, ":11: [host] bad-list: expected a list of strings"));
  g_clear_error (&error);

  g_assert_false (satori_config_get_int (config, "host", "missing", &number, &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (satori_config_get_string (config, "nogroup", "key", &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_NOT_FOUND);
}

/* ---- checking ---- */

static void
test_check_groups (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL, *expected = NULL;
  const char *const known[] = { "plugins", "host", "yamux", NULL };
  const char *const more[] = { "plugins", "host", "yamux", "yamuxx", "noise", NULL };

  g_test_summary ("check_groups names the file and line of the first unknown group");

  path = write_file (fixture, "satorip2p.conf",
                     "[plugins]\nload=tcp\n\n[yamuxx]\nwindow=1\n[noise]\n");
  g_assert_true (satori_config_load_data (config, "<defaults>", "[host]\n", -1, &error));
  g_assert_true (satori_config_load_file (config, path, &error));
  g_assert_no_error (error);

  g_assert_false (satori_config_check_groups (config, known, &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_UNKNOWN_GROUP);
  expected = g_strdup_printf ("%s:4: unknown group [yamuxx]; known groups are: "
                              "plugins, host, yamux", path);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_assert_true (satori_config_check_groups (config, more, &error));
  g_assert_no_error (error);
}

static void
test_check_keys (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL, *expected = NULL;
  const char *const known[] = { "transports", "security", "muxers", "listen", NULL };

  g_test_summary ("check_keys names the file, line, group and key of the first "
                  "unknown key and lists the known ones");

  path = write_file (fixture, "satorip2p.conf",
                     "[host]\ntransports=tcp\nsecurty=noise\nlisten=x\n");
  g_assert_true (satori_config_load_file (config, path, &error));
  g_assert_no_error (error);

  g_assert_false (satori_config_check_keys (config, "host", known, &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_UNKNOWN_KEY);
  expected = g_strdup_printf ("%s:3: [host] securty: unknown key; valid keys are: "
                              "transports, security, muxers, listen", path);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_assert_true (satori_config_check_keys (config, "absent", known, &error));
  g_assert_no_error (error);
}

/* ---- mapping onto objects ---- */

static const char all_types[] =
  "[target]\n"
  "enabled=true\n"
  "level=-7\n"
  "count=4000000000\n"
  "port=65535\n"
  "offset=-9000000000\n"
  "limit=18446744073709551615\n"
  "ratio=0.25\n"
  "name=peer\\sone\n"
  "tags=a;b\\;c;d\n"
  "mode=slow\n"
  "features=relay;nat\n";

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  guint *count = data;

  (*count)++;
}

static void
test_apply_all_types (void)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(TestTarget) target = g_object_new (TEST_TYPE_TARGET, NULL);
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  g_test_summary ("apply sets a property of every supported type, notifying each once");

  g_assert_true (satori_config_load_data (config, "<test>", all_types, -1, &error));
  g_assert_no_error (error);

  g_signal_connect (target, "notify", G_CALLBACK (count_notify), &notified);
  g_assert_true (satori_config_apply (config, "target", G_OBJECT (target), &error));
  g_assert_no_error (error);

  g_assert_true (target->enabled);
  g_assert_cmpint (target->level, ==, -7);
  g_assert_cmpuint (target->count, ==, 4000000000u);
  g_assert_cmpuint (target->port, ==, 65535);
  g_assert_cmpint (target->offset, ==, -9000000000);
  g_assert_cmpuint (target->limit, ==, G_MAXUINT64);
  g_assert_cmpfloat (target->ratio, ==, 0.25);
  g_assert_cmpstr (target->name, ==, "peer one");
  g_assert_cmpstrv (target->tags, ((const char *const[]) { "a", "b;c", "d", NULL }));
  g_assert_cmpint (target->mode, ==, TEST_MODE_SLOW);
  g_assert_cmpint (target->features, ==, TEST_FEATURE_RELAY | TEST_FEATURE_NAT);
  g_assert_cmpuint (notified, ==, 11);
}

static void
test_apply_spellings (void)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(TestTarget) target = g_object_new (TEST_TYPE_TARGET, NULL);
  g_autoptr(GError) error = NULL;

  g_test_summary ("Booleans as yes/no/1/0, enums and flags by name, blanks around "
                  "numbers, empty flags and a group that is not there");

  g_assert_true (satori_config_load_data (config, "<test>",
                                          "[target]\n"
                                          "enabled=YES\n"
                                          "level= 10\t\n"
                                          "mode=TEST_MODE_SLOW\n"
                                          "features=TEST_FEATURE_HOLE_PUNCH; relay ;\n"
                                          "[none]\n"
                                          "features=\n",
                                          -1, &error));
  g_assert_true (satori_config_apply (config, "target", G_OBJECT (target), &error));
  g_assert_no_error (error);
  g_assert_true (target->enabled);
  g_assert_cmpint (target->level, ==, 10);
  g_assert_cmpint (target->mode, ==, TEST_MODE_SLOW);
  g_assert_cmpint (target->features, ==, TEST_FEATURE_HOLE_PUNCH | TEST_FEATURE_RELAY);

  g_assert_true (satori_config_apply (config, "none", G_OBJECT (target), &error));
  g_assert_no_error (error);
  g_assert_cmpint (target->features, ==, 0);

  g_assert_true (satori_config_apply (config, "absent", G_OBJECT (target), &error));
  g_assert_no_error (error);
}

/* Applies `[target] key=value` from a file and checks the error message
 * names the file, the line, the group, the key and what was expected. */
static void
assert_bad_value (Fixture    *fixture,
                  const char *key,
                  const char *value,
                  const char *expected)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(TestTarget) target = g_object_new (TEST_TYPE_TARGET, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("# bad %s\n[target]\n%s=%s\n", key, key, value);
  g_autofree char *path = write_file (fixture, "satorip2p.conf", text);
  g_autofree char *message = g_strdup_printf ("%s:3: [target] %s: expected %s, got \"%s\"",
                                              path, key, expected, value);

  g_assert_true (satori_config_load_file (config, path, &error));
  g_assert_no_error (error);
  g_assert_false (satori_config_apply (config, "target", G_OBJECT (target), &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_apply_range_error (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("Values outside a property's range are refused, naming the range");

  assert_bad_value (fixture, "level", "11", "an integer between -10 and 10");
  assert_bad_value (fixture, "level", "-11", "an integer between -10 and 10");
  assert_bad_value (fixture, "port", "0", "an unsigned integer between 1 and 65535");
  assert_bad_value (fixture, "port", "65536", "an unsigned integer between 1 and 65535");
  assert_bad_value (fixture, "ratio", "1.5", "a number between 0 and 1");
  assert_bad_value (fixture, "ratio", "-0.1", "a number between 0 and 1");
  assert_bad_value (fixture, "count", "4294967296", "an unsigned integer");
  assert_bad_value (fixture, "offset", "9223372036854775808", "an integer");
  assert_bad_value (fixture, "limit", "18446744073709551616", "an unsigned integer");
}

static void
test_apply_type_error (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("Values that are not of a property's type are refused, naming the type");

  assert_bad_value (fixture, "enabled", "maybe", "a boolean (true, false, yes, no, 1 or 0)");
  assert_bad_value (fixture, "level", "five", "an integer between -10 and 10");
  assert_bad_value (fixture, "level", "1.0", "an integer between -10 and 10");
  assert_bad_value (fixture, "count", "-1", "an unsigned integer");
  assert_bad_value (fixture, "offset", "0x10", "an integer");
  assert_bad_value (fixture, "limit", "", "an unsigned integer");
  assert_bad_value (fixture, "ratio", "half", "a number between 0 and 1");
  assert_bad_value (fixture, "ratio", "nan", "a number between 0 and 1");
  assert_bad_value (fixture, "mode", "medium", "one of fast, slow");
  assert_bad_value (fixture, "features", "relay;teleport",
                    "a list separated by ';' of relay, hole-punch, nat");
}

static void
test_apply_unknown_key (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(TestTarget) target = g_object_new (TEST_TYPE_TARGET, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL, *expected = NULL;
  static const char valid[] = "count, enabled, features, level, limit, mode, name, offset, "
                              "port, ratio, tags";

  g_test_summary ("An unknown key, a read-only and a construct-only property are refused, "
                  "listing the keys that can be set");

  path = write_file (fixture, "satorip2p.conf",
                     "[target]\nlevel=1\nlevle=2\n[ro]\nid=x\n[co]\nseed=3\n");
  g_assert_true (satori_config_load_file (config, path, &error));
  g_assert_no_error (error);

  g_assert_false (satori_config_apply (config, "target", G_OBJECT (target), &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_UNKNOWN_KEY);
  expected = g_strdup_printf ("%s:3: [target] levle: unknown key; valid keys are: %s",
                              path, valid);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_assert_false (satori_config_apply (config, "ro", G_OBJECT (target), &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_UNKNOWN_KEY);
  g_free (expected);
  expected = g_strdup_printf ("%s:5: [ro] id: the property is read-only; valid keys are: %s",
                              path, valid);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_assert_false (satori_config_apply (config, "co", G_OBJECT (target), &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_UNKNOWN_KEY);
  g_free (expected);
  expected = g_strdup_printf ("%s:7: [co] seed: the property can only be set when the "
                              "object is created; valid keys are: %s", path, valid);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpint (target->level, ==, 0);
}

static void
test_apply_atomic (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(TestTarget) target = g_object_new (TEST_TYPE_TARGET, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint notified = 0;

  g_test_summary ("One bad key, even the last, leaves every property unchanged "
                  "and notifies nothing");

  path = write_file (fixture, "satorip2p.conf",
                     "[target]\nenabled=true\nlevel=5\nname=changed\nmode=slow\n"
                     "port=99999\n");
  g_assert_true (satori_config_load_file (config, path, &error));
  g_assert_no_error (error);

  g_signal_connect (target, "notify", G_CALLBACK (count_notify), &notified);
  g_assert_false (satori_config_apply (config, "target", G_OBJECT (target), &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, ":6: [target] port: "));

  g_assert_false (target->enabled);
  g_assert_cmpint (target->level, ==, 0);
  g_assert_null (target->name);
  g_assert_cmpint (target->mode, ==, TEST_MODE_FAST);
  g_assert_cmpuint (target->port, ==, 4001);
  g_assert_cmpuint (notified, ==, 0);
}

static void
test_apply_new_object (void)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TestTarget) target = NULL;

  g_test_summary ("new_object constructs with the group's properties, construct-only "
                  "ones included, and constructs nothing on error");

  g_assert_true (satori_config_load_data (config, "<test>",
                                          "[good]\nseed=42\nport=80\n"
                                          "[bad]\nseed=101\n", -1, &error));
  target = satori_config_new_object (config, "good", TEST_TYPE_TARGET, &error);
  g_assert_no_error (error);
  g_assert_nonnull (target);
  g_assert_cmpint (target->seed, ==, 42);
  g_assert_cmpuint (target->port, ==, 80);

  g_assert_null (satori_config_new_object (config, "bad", TEST_TYPE_TARGET, &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "<test>:5: [bad] seed: expected an integer "
                                       "between 0 and 100, got \"101\"");
}

static void
test_check_object (void)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("check_object takes what new_object would, construct-only keys included, "
                  "and names the key it would refuse; a missing group is fine");
  g_assert_true (satori_config_load_data (config, "<test>",
                                          "[good]\nseed=42\nport=80\n"
                                          "[bad]\nseed=101\n"
                                          "[unknown]\ncolour=red\n", -1, &error));
  g_assert_true (satori_config_check_object (config, "good", TEST_TYPE_TARGET, &error));
  g_assert_no_error (error);
  g_assert_true (satori_config_check_object (config, "absent", TEST_TYPE_TARGET, &error));
  g_assert_no_error (error);

  g_assert_false (satori_config_check_object (config, "bad", TEST_TYPE_TARGET, &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "<test>:5: [bad] seed: expected an integer "
                                       "between 0 and 100, got \"101\"");
  g_clear_error (&error);
  g_assert_false (satori_config_check_object (config, "unknown", TEST_TYPE_TARGET, &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_UNKNOWN_KEY);
  g_assert_nonnull (strstr (error->message, "<test>:7: [unknown] colour: "));
}

#define ADD_FIXTURE_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/config/load/data", test_load_data);
  ADD_FIXTURE_TEST ("/config/load/dropins-order", test_load_dropins_order);
  ADD_FIXTURE_TEST ("/config/load/override", test_load_override);
  ADD_FIXTURE_TEST ("/config/load/missing", test_load_missing);
  ADD_FIXTURE_TEST ("/config/load/unreadable", test_load_unreadable);
  ADD_FIXTURE_TEST ("/config/load/parse-error", test_load_parse_error);
  g_test_add_func ("/config/load/origins", test_load_origins);
  g_test_add_func ("/config/scan/error-line", test_scan_error_line);
  g_test_add_func ("/config/scan/lines", test_scan_lines);
  ADD_FIXTURE_TEST ("/config/get/typed", test_get_typed);
  ADD_FIXTURE_TEST ("/config/check/groups", test_check_groups);
  ADD_FIXTURE_TEST ("/config/check/keys", test_check_keys);
  g_test_add_func ("/config/apply/all-types", test_apply_all_types);
  g_test_add_func ("/config/apply/spellings", test_apply_spellings);
  ADD_FIXTURE_TEST ("/config/apply/range-error", test_apply_range_error);
  ADD_FIXTURE_TEST ("/config/apply/type-error", test_apply_type_error);
  ADD_FIXTURE_TEST ("/config/apply/unknown-key", test_apply_unknown_key);
  ADD_FIXTURE_TEST ("/config/apply/atomic", test_apply_atomic);
  g_test_add_func ("/config/apply/new-object", test_apply_new_object);
  g_test_add_func ("/config/apply/check-object", test_check_object);

  return g_test_run ();
}
