/* test-settings.c - the config file and the settings table (util/settings.c), and the typo
 * suggestions (util/suggest.c): every key set and shown back, the line of a mistake, the key
 * a typo was meant to be, and where each value came from */
#include "config.h"

#include <glib/gstdio.h>

#include "error.h"
#include "helpers.h"
#include "settings.h"
#include "suggest.h"

static const char *const words[] = { "db",           "domains",        "trusted-authserv-id",
                                     "require-dkim", "max-json-depth", "max-json-values",
                                     "max-reports" };

static void
test_suggest (void)
{
  static const struct
  {
    const char *typo, *meant;
  } cases[] = {
    { "require-dkm", "require-dkim" },     /* a letter left out */
    { "requrie-dkim", "require-dkim" },    /* two swapped */
    { "Require_DKIM", "require-dkim" },    /* case and '_' */
    { "domain", "domains" },               /* the only word it begins */
    { "trusted", "trusted-authserv-id" },  /* the same */
    { "maxreports", "max-reports" },       /* a letter left out */
    { "max-json-dpth", "max-json-depth" }, /* near one of two with the same beginning */
    { "max-json", NULL },                  /* begins two */
    { "dv", "db" },                        /* one edit in two letters */
    { "database", NULL },                  /* too far */
    { "x", NULL },                         /* too short to tell */
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (tr_suggest (cases[i].typo, words, G_N_ELEMENTS (words)), ==, cases[i].meant);
  g_assert_null (
      tr_suggest ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", words,
                  G_N_ELEMENTS (words)));
}

/* Every key from text and back: the value as the file would write it. */
static void
test_keys_round_trip (void)
{
  static const struct
  {
    const char *key, *value, *shown;
  } cases[] = {
    { "db", "/var/lib/tlsrptdb/reports.db", "/var/lib/tlsrptdb/reports.db" },
    { "domains", "example.com, *.example.com", "example.com; *.example.com" },
    { "trusted-authserv-id", "mx.example.com", "mx.example.com" },
    { "require-dkim", "yes", "true" },
    { "reject", "off", "false" },
    { "verbose", "1", "true" },
    { "max-message-size", "10485760", "10M" },
    { "max-inflated-size", "1000", "1000" },
    { "max-json-depth", "8", "8" },
    { "max-json-values", "2048", "2048" }, /* no suffix: a count */
    { "max-reports", "2", "2" },
    { "max-storage-ratio", "50", "50" },
    { "max-rejected-size", "3G", "3G" },
    { "max-rejected-requests", "500", "500" },
  };
  g_auto (TrSettings) settings = TR_SETTINGS_INIT;
  const char *key;
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *shown = NULL;

      g_assert_true (tr_settings_set (&settings, cases[i].key, cases[i].value, FALSE, &error));
      g_assert_no_error (error);
      shown = tr_settings_value (&settings, cases[i].key);
      g_assert_cmpstr (shown, ==, cases[i].shown);
    }
  for (guint i = 0; (key = tr_settings_key_name (i)) != NULL; i++)
    n++;
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (cases)); /* every key is tested */
  g_assert_cmpuint (settings.limits.max_rejected_size, ==, G_GUINT64_CONSTANT (3) << 30);
  g_assert_cmpuint (settings.limits.max_json_values, ==, 2048);
}

static void
test_defaults_shown (void)
{
  g_auto (TrSettings) settings = TR_SETTINGS_INIT;
  g_autofree char *size = tr_settings_value (&settings, "max-message-size");
  g_autofree char *rejected = tr_settings_value (&settings, "max-rejected-size");
  g_autofree char *domains = tr_settings_value (&settings, "domains");
  g_autofree char *db = tr_settings_value (&settings, "db");

  g_assert_cmpstr (size, ==, "25M");
  g_assert_cmpstr (rejected, ==, "256M");
  g_assert_null (domains);
  g_assert_null (db);
  g_assert_cmpint (tr_settings_origin (&settings, "db", NULL), ==, TR_SOURCE_DEFAULT);
}

/* load - write @text to a config file in @dir and load it */
static gboolean
load (const char *dir, const char *text, TrSettings *settings, char **path, GError **error)
{
  *path = g_build_filename (dir, "tlsrptdb.conf", NULL);
  g_assert_true (g_file_set_contents (*path, text, -1, NULL));
  return tr_settings_load (settings, *path, error);
}

static void
test_file_errors (void)
{
  static const struct
  {
    const char *text, *message; /* after "PATH:" */
  } cases[] = {
    { "[tlsrptdb]\n# one\n\nrequire-dkm = true\n",
      "4: unknown setting \"require-dkm\": did you mean require-dkim?" },
    { "[tlsrptdb]\ndb = x\n  Max_Reports=3\n",
      "3: unknown setting \"Max_Reports\": did you mean max-reports?" },
    { "[tlsrptdb]\nsomething = 1\n", "2: unknown setting \"something\" (the settings: db, " },
    { "[tlsrptdb]\nmax-reports = 3\nmax-reports = lots\n",
      "3: max-reports wants a positive whole number, not \"lots\"" },
    { "[tlsrptdb]\ndb = x\n\n[other]\ndb = y\n", "4: unknown group [other] (use [tlsrptdb])" },
    { "not a key file\n", " " }, /* GLib's message, without a line of ours */
  };
  g_autofree char *dir = g_dir_make_tmp ("test-settings.XXXXXX", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (TrSettings) settings = TR_SETTINGS_INIT;
      g_autoptr (GError) error = NULL;
      g_autofree char *path = NULL;
      g_autofree char *want = NULL;

      g_assert_false (load (dir, cases[i].text, &settings, &path, &error));
      g_assert_error (error, TR_ERROR, TR_ERROR_CONFIG);
      want = g_strconcat (path, ":", cases[i].message, NULL);
      if (!g_str_has_prefix (error->message, want))
        g_error ("case %u: \"%s\" does not begin \"%s\"", i, error->message, want);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_file_origins (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-settings.XXXXXX", NULL);
  g_auto (TrSettings) settings = TR_SETTINGS_INIT;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *want = NULL;
  const char *where;

  g_assert_true (load (dir, "# set-up\n[tlsrptdb]\n\n  db = /srv/r.db\nmax-reports=4\n", &settings,
                       &path, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (settings.file, ==, path);
  g_assert_cmpstr (settings.db, ==, "/srv/r.db");
  g_assert_cmpint (tr_settings_origin (&settings, "db", &where), ==, TR_SOURCE_FILE);
  want = g_strconcat (path, ":4", NULL);
  g_assert_cmpstr (where, ==, want);
  g_assert_cmpint (tr_settings_origin (&settings, "max-reports", NULL), ==, TR_SOURCE_FILE);
  g_assert_cmpint (tr_settings_origin (&settings, "domains", &where), ==, TR_SOURCE_DEFAULT);
  g_assert_null (where);
  g_assert_cmpint (tr_settings_origin (&settings, "config", &where), ==, TR_SOURCE_COMMAND_LINE);
  g_assert_cmpstr (where, ==, "--config");
  tr_settings_set_origin (&settings, "max-reports", TR_SOURCE_DEFAULT, NULL);
  g_assert_cmpint (tr_settings_origin (&settings, "max-reports", NULL), ==, TR_SOURCE_DEFAULT);
  g_assert_cmpstr (tr_setting_source_name (TR_SOURCE_ENVIRONMENT), ==, "environment");
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/suggest/typos", test_suggest);
  g_test_add_func ("/settings/keys-round-trip", test_keys_round_trip);
  g_test_add_func ("/settings/defaults-shown", test_defaults_shown);
  g_test_add_func ("/settings/file-errors", test_file_errors);
  g_test_add_func ("/settings/file-origins", test_file_origins);
  return g_test_run ();
}
