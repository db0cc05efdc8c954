/* test-perfdata.c - monitoring plugin output: the guidelines' ranges and examples, hostile labels
 * and text, the C locale's numbers under a decimal-comma locale, bounds (print/perfdata.c) */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "perfdata.h"
#include "error.h"
#include "helpers.h"

/* the guidelines' table "Example ranges", and the endpoints */
static void
test_range_guidelines (void)
{
  static const struct
  {
    const char *range;
    double value;
    gboolean alerts;
  } cases[] = {
    /* 10: < 0 or > 10 */
    { "10", -0.5, TRUE },
    { "10", 0, FALSE },
    { "10", 5, FALSE },
    { "10", 10, FALSE },
    { "10", 10.01, TRUE },
    /* 10: < 10 */
    { "10:", 9.99, TRUE },
    { "10:", 10, FALSE },
    { "10:", 1e300, FALSE },
    { "10:", INFINITY, FALSE },
    /* ~:10: > 10 */
    { "~:10", -1e300, FALSE },
    { "~:10", 10, FALSE },
    { "~:10", 10.5, TRUE },
    /* 10:20: < 10 or > 20 */
    { "10:20", 9, TRUE },
    { "10:20", 10, FALSE },
    { "10:20", 20, FALSE },
    { "10:20", 21, TRUE },
    /* @10:20: >= 10 and <= 20 */
    { "@10:20", 9.999, FALSE },
    { "@10:20", 10, TRUE },
    { "@10:20", 15, TRUE },
    { "@10:20", 20, TRUE },
    { "@10:20", 20.001, FALSE },
    /* decimals, signs, the whole line */
    { "2.5", 2.5, FALSE },
    { "2.5", 2.51, TRUE },
    { "-1.5:.5", -1.6, TRUE },
    { "-1.5:.5", 0.5, FALSE },
    { "+3.:4", 3, FALSE },
    { "~:", -1e300, FALSE },
    { "@~:", 0, TRUE },
    { "@5", 0, TRUE },
    { "@5", -1, FALSE },
    { "7:7", 7, FALSE },
    { "7:7", 7.000001, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TrRange range;
      g_autoptr (GError) error = NULL;

      g_test_message ("%s with %g", cases[i].range, cases[i].value);
      g_assert_true (tr_range_parse (cases[i].range, &range, &error));
      g_assert_no_error (error);
      g_assert_cmpint (tr_range_alerts (&range, cases[i].value), ==, cases[i].alerts);
    }
}

/* the guidelines' command-line examples: -w and -c together */
static void
test_range_examples (void)
{
  static const struct
  {
    const char *warning, *critical;
    double value;
    TrPluginStatus status;
  } cases[] = {
    /* -w10 -c20: critical over 20, else warning over 10; critical below 0 */
    { "10", "20", 5, TR_PLUGIN_OK },
    { "10", "20", 15, TR_PLUGIN_WARNING },
    { "10", "20", 25, TR_PLUGIN_CRITICAL },
    { "10", "20", -1, TR_PLUGIN_CRITICAL },
    /* -w~:10 -c~:20: the same, negative is OK */
    { "~:10", "~:20", 15, TR_PLUGIN_WARNING },
    { "~:10", "~:20", 25, TR_PLUGIN_CRITICAL },
    { "~:10", "~:20", -1, TR_PLUGIN_OK },
    /* -w10: -c20: critical over 20, else warning below 10; critical below 0 */
    { "10:", "20", 5, TR_PLUGIN_WARNING },
    { "10:", "20", 15, TR_PLUGIN_OK },
    { "10:", "20", 25, TR_PLUGIN_CRITICAL },
    { "10:", "20", -1, TR_PLUGIN_CRITICAL },
    /* -c1: critical below 1 */
    { NULL, "1:", 0.5, TR_PLUGIN_CRITICAL },
    { NULL, "1:", 1, TR_PLUGIN_OK },
    /* -w~:0 -c10: critical over 10, warning over 0; critical below 0 */
    { "~:0", "10", 0, TR_PLUGIN_OK },
    { "~:0", "10", 0.1, TR_PLUGIN_WARNING },
    { "~:0", "10", 11, TR_PLUGIN_CRITICAL },
    { "~:0", "10", -1, TR_PLUGIN_CRITICAL },
    /* -c5:6: critical below 5 or over 6 */
    { NULL, "5:6", 4, TR_PLUGIN_CRITICAL },
    { NULL, "5:6", 5.5, TR_PLUGIN_OK },
    { NULL, "5:6", 7, TR_PLUGIN_CRITICAL },
    /* -c@1:2: critical from 1 to 2 */
    { NULL, "@1:2", 1.5, TR_PLUGIN_CRITICAL },
    { NULL, "@1:2", 3, TR_PLUGIN_OK },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TrRange warning, critical;

      if (cases[i].warning != NULL)
        g_assert_true (tr_range_parse (cases[i].warning, &warning, NULL));
      g_assert_true (tr_range_parse (cases[i].critical, &critical, NULL));
      g_assert_cmpint (tr_plugin_status_for (cases[i].value,
                                             cases[i].warning != NULL ? &warning : NULL, &critical),
                       ==, cases[i].status);
    }
  g_assert_cmpint (tr_plugin_status_for (-5, NULL, NULL), ==, TR_PLUGIN_OK);
}

static void
test_range_invalid (void)
{
  static const char *const bad[] = {
    "",         "@",
    "~",        "~10",
    ":10",      ":",
    "10:20:30", "20:10",
    "-5",       "@20:10",
    " 10",      "10 ",
    "1e3",      "0x10",
    "inf",      "nan",
    "10,5",     "1.2.3",
    "--1",      "@@1",
    "10:~",     "~:-",
    ".",        "-",
    "10%",      "0000000000000000000000000000000000000000000000000000000000000000001",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      TrRange range = { .start = 42 };
      g_autoptr (GError) error = NULL;

      g_test_message ("\"%s\"", bad[i]);
      g_assert_false (tr_range_parse (bad[i], &range, &error));
      g_assert_error (error, TR_ERROR, TR_ERROR_USAGE);
      g_assert_nonnull (strstr (error->message, "invalid threshold range"));
      g_assert_cmpfloat (range.start, ==, 42); /* untouched */
    }
  {
    g_autoptr (GError) error = NULL;

    g_assert_false (tr_range_parse ("\x1b[2J\n5\xff", &(TrRange){ 0 }, &error));
    g_assert_cmpstr (error->message, ==,
                     "invalid threshold range \"\\x1b[2J\\n5\xef\xbf\xbd\": expected N, N:, "
                     "~:N, N:M or @N:M with decimal numbers");
  }
  {
    g_autoptr (GError) error = NULL;

    g_assert_false (tr_range_parse ("20:10", &(TrRange){ 0 }, &error));
    g_assert_nonnull (strstr (error->message, "its start is above its end"));
  }
}

/* a range written back reads back the same */
static void
test_range_to_string (void)
{
  static const char *const cases[][2] = {
    { "10", "10" },          { "0:10", "10" },      { "10:", "10:" },       { "0:", "0:" },
    { "~:10", "~:10" },      { "10:20", "10:20" },  { "@10:20", "@10:20" }, { "~:", "~:" },
    { "+2.50:3.", "2.5:3" }, { "-.5:0", "-0.5:0" }, { "@0", "@0" },         { "@~:-1", "@~:-1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TrRange range, again;
      g_autofree char *text = NULL;

      g_assert_true (tr_range_parse (cases[i][0], &range, NULL));
      text = tr_range_to_string (&range);
      g_assert_cmpstr (text, ==, cases[i][1]);
      g_assert_true (tr_range_parse (text, &again, NULL));
      g_assert_true (memcmp (&range, &again, sizeof range) == 0);
    }
}

static void
test_number (void)
{
  static const struct
  {
    double value;
    const char *text;
  } cases[] = {
    { 0, "0" },
    { -0.0, "0" },
    { 5, "5" },
    { -5, "-5" },
    { 2.5, "2.5" },
    { 0.1, "0.1" },
    { 100, "100" },
    { 123.456, "123.456" },
    { 1.0 / 3, "0.3333333333333333" },
    { 1e20, "100000000000000000000" },
    { 1e-7, "0.0000001" },
    { -1.25e-3, "-0.00125" },
    { 4503599627370497.0, "4503599627370497" },
    { NAN, "U" },
    { INFINITY, "U" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tr_perfdata_number (cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  /* extremes: never an exponent, only [-0-9.], and they read back */
  {
    const double extremes[] = { 1.7976931348623157e308, -4.9e-324, 2.2250738585072014e-308 };

    for (guint i = 0; i < G_N_ELEMENTS (extremes); i++)
      {
        g_autofree char *text = tr_perfdata_number (extremes[i]);

        g_assert_cmpuint (strspn (text, "-0123456789."), ==, strlen (text));
        g_assert_cmpuint (strlen (text), <, 400);
        g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==, extremes[i]);
      }
  }
}

static void
test_label (void)
{
  static const char *const cases[][2] = {
    { "example.com", "example.com" },
    { "/var/log", "/var/log" },
    { "example.com sessions", "'example.com sessions'" },
    { "it's", "'it''s'" },
    { "''", "''''''" },
    { "a=b", "'a\\x3db'" },
    { "a|b", "'a\\x7cb'" },
    { "evil::x", "'evil\\x3a\\x3ax'" },
    { "x\ny z", "'x\\ny z'" },
    { "\r\x1b[2J\xe2\x80\xae", "'\\r\\x1b[2J\\u202e'" },
    { "bad\xff", "'bad\xef\xbf\xbd'" },
    { "b\xc3\xbc"
      "cher.example",
      "'b\xc3\xbc"
      "cher.example'" },
    { "", "''" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label = tr_perfdata_label (cases[i][0]);

      g_assert_cmpstr (label, ==, cases[i][1]);
    }
}

/* a long label is cut in its middle, before its quotes are doubled: an odd cut cannot end the
 * quoting early, and labels that differ at their end stay different */
static void
test_label_bounds (void)
{
  g_autofree char *quotes = g_strnfill (1000, '\'');
  g_autofree char *label = tr_perfdata_label (quotes);
  g_autofree char *domain = g_strnfill (253, 'd');
  g_autofree char *longest = g_strdup_printf ("%s failure rate", domain);
  g_autofree char *plain = tr_perfdata_label (longest);
  g_autofree char *hostile = g_strnfill (1000, '\x1b');
  const char *suffixes[] = { " sessions", " failed", " failure rate" };
  GString *accents = g_string_new (NULL);
  g_auto (GStrv) halves = NULL;

  g_assert_cmpuint (strlen (label), ==, 2 + 2 * (TR_PERFDATA_MAX_LABEL - 3) + 3);
  halves = g_strsplit (label, "...", -1);
  g_assert_cmpuint (g_strv_length (halves), ==, 2);
  /* the quotes inside come in pairs: a parser sees one quoted label */
  g_assert_cmpuint ((strlen (halves[0]) - 1) % 2, ==, 0);
  g_assert_cmpuint ((strlen (halves[1]) - 1) % 2, ==, 0);
  /* the longest domain name with a suffix is not cut */
  g_assert_cmpuint (strlen (plain), ==, strlen (longest) + 2);
  /* a hostile domain's labels are cut, and stay three */
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *text = g_strconcat (hostile, suffixes[i], NULL);
      g_autofree char *cut = tr_perfdata_label (text);
      g_autofree char *want = g_strconcat (suffixes[i], "'", NULL);

      g_assert_cmpuint (strlen (cut), <=, TR_PERFDATA_MAX_LABEL + 2);
      g_assert_true (g_str_has_suffix (cut, want));
    }
  for (guint i = 0; i < 300; i++)
    g_string_append (accents, "\xc3\xa9"); /* é: 600 bytes */
  {
    g_autofree char *wide = tr_perfdata_label (accents->str);

    g_assert_true (g_utf8_validate (wide, -1, NULL));
    g_assert_cmpuint (strlen (wide), <=, TR_PERFDATA_MAX_LABEL + 2);
  }
  g_string_free (accents, TRUE);
}

static void
test_item (void)
{
  TrRange warning, critical;
  const TrPerfdata full
      = { "example.com failure rate", 2.5, TR_UOM_PERCENT, &warning, &critical, 0, 100 };
  const TrPerfdata bare = { "sessions", 12, TR_UOM_NONE, NULL, NULL, NAN, NAN };
  const TrPerfdata min = { "sessions", 12, TR_UOM_COUNTER, NULL, NULL, 0, NAN };
  const TrPerfdata unknown = { "rate", NAN, TR_UOM_PERCENT, NULL, &critical, 0, 100 };
  const TrPerfdata units[] = {
    { "t", 0.25, TR_UOM_SECONDS, NULL, NULL, NAN, NAN },
    { "b", 1024, TR_UOM_BYTES, NULL, NULL, NAN, NAN },
  };
  const char *want[] = { "'example.com failure rate'=2.5%;5;~:10;0;100",
                         "sessions=12",
                         "sessions=12c;;;0",
                         "rate=U;;~:10;0;100",
                         "t=0.25s",
                         "b=1024B" };
  const TrPerfdata *items[] = { &full, &bare, &min, &unknown, &units[0], &units[1] };

  g_assert_true (tr_range_parse ("5", &warning, NULL));
  g_assert_true (tr_range_parse ("~:10", &critical, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autofree char *text = tr_perfdata_format (items[i]);

      g_assert_cmpstr (text, ==, want[i]);
    }
}

/* numbers stay C-locale numbers whatever LC_NUMERIC says (the commands call setlocale) */
static void
test_locale (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-perfdata.XXXXXX", NULL);
  char printed[32];
  TrRange range;
  const TrPerfdata item = { "rate", 2.5, TR_UOM_PERCENT, &range, &range, 0.5, 100 };

  g_assert_nonnull (dir);
  if (!use_comma_locale (dir))
    {
      remove_tree (dir);
      g_test_skip ("no locale with a decimal comma could be set");
      return;
    }
  g_snprintf (printed, sizeof printed, "%.1f", 2.5);
  g_assert_cmpstr (printed, ==, "2,5"); /* the locale is in force */
  g_assert_true (tr_range_parse ("@0.5:1.25", &range, NULL));
  g_assert_true (tr_range_alerts (&range, 1.1));
  {
    g_autofree char *text = tr_perfdata_format (&item);
    g_autofree char *number = tr_perfdata_number (-1234567.125);

    g_assert_cmpstr (text, ==, "rate=2.5%;@0.5:1.25;@0.5:1.25;0.5;100");
    g_assert_cmpstr (number, ==, "-1234567.125");
  }
  g_assert_false (tr_range_parse ("0,5", &range, NULL)); /* a comma is never a decimal point */
  setlocale (LC_NUMERIC, "C");
  g_unsetenv ("LOCPATH");
  remove_tree (dir);
}

static void
test_status (void)
{
  const TrPluginStatus all[]
      = { TR_PLUGIN_OK, TR_PLUGIN_WARNING, TR_PLUGIN_CRITICAL, TR_PLUGIN_UNKNOWN };
  const char *words[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_assert_cmpstr (tr_plugin_status_word (all[i]), ==, words[i]);
      g_assert_cmpint (tr_plugin_exit_code (all[i]), ==, (int) i);
      g_assert_cmpint (tr_plugin_status_worst (all[i], TR_PLUGIN_OK), ==, all[i]);
      g_assert_cmpint (tr_plugin_status_worst (TR_PLUGIN_CRITICAL, all[i]), ==, TR_PLUGIN_CRITICAL);
    }
  g_assert_cmpint (tr_plugin_status_worst (TR_PLUGIN_UNKNOWN, TR_PLUGIN_WARNING), ==,
                   TR_PLUGIN_WARNING);
  g_assert_cmpint (tr_plugin_exit_code ((TrPluginStatus) 7), ==, 3);
}

static void
test_plugin (void)
{
  g_autoptr (TrPlugin) plugin = tr_plugin_new ("TLSRPT");
  TrRange warning, critical;
  const TrPerfdata rate
      = { "example.com failure rate", 12.5, TR_UOM_PERCENT, &warning, &critical, 0, 100 };
  const TrPerfdata sessions = { "example.com sessions", 8, TR_UOM_NONE, NULL, NULL, 0, NAN };
  g_autofree char *empty = NULL;
  g_autofree char *text = NULL;

  {
    g_autoptr (TrPlugin) bare = tr_plugin_new ("TLSRPT");

    empty = tr_plugin_format (bare);
    g_assert_cmpstr (empty, ==, "TLSRPT OK\n");
    g_assert_cmpint (tr_plugin_exit_code (tr_plugin_get_status (bare)), ==, 0);
  }
  g_assert_true (tr_range_parse ("10", &warning, NULL));
  g_assert_true (tr_range_parse ("20", &critical, NULL));
  tr_plugin_raise (plugin, tr_plugin_status_for (rate.value, &warning, &critical));
  tr_plugin_raise (plugin, TR_PLUGIN_OK); /* never lowers */
  tr_plugin_set_summary (plugin, "1 of 2 domains over 10% failed sessions: example.com");
  tr_plugin_add_line (plugin, "example.com: 12.5% of 8 sessions failed");
  tr_plugin_add_line (plugin, "example.net: 0% of 3 sessions failed");
  tr_plugin_add_perfdata (plugin, &sessions);
  tr_plugin_add_perfdata (plugin, &rate);
  text = tr_plugin_format (plugin);
  g_assert_cmpstr (text, ==,
                   "TLSRPT WARNING - 1 of 2 domains over 10% failed sessions: example.com | "
                   "'example.com sessions'=8;;;0 'example.com failure rate'=12.5%;10;20;0;100\n"
                   "example.com: 12.5% of 8 sessions failed\n"
                   "example.net: 0% of 3 sessions failed\n");
  g_assert_cmpint (tr_plugin_exit_code (tr_plugin_get_status (plugin)), ==, 1);
}

/* text from senders stays where it belongs: one summary line, no '|' outside perfdata */
static void
test_plugin_hostile (void)
{
  g_autoptr (TrPlugin) plugin = tr_plugin_new ("TLSRPT");
  const TrPerfdata evil = { "x'| y=1\n::", 1, TR_UOM_NONE, NULL, NULL, NAN, NAN };
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  tr_plugin_raise (plugin, TR_PLUGIN_CRITICAL);
  tr_plugin_set_summary (plugin, "evil\n| 'a'=1\rTLSRPT OK\xe2\x80\xa8\xc2\x85\x1b[2J\xff");
  tr_plugin_add_line (plugin, "line\nwith | pipe\r\n");
  tr_plugin_add_perfdata (plugin, &evil);
  text = tr_plugin_format (plugin);
  g_assert_cmpstr (text, ==,
                   "TLSRPT CRITICAL - evil\\n\\x7c 'a'=1\\rTLSRPT OK\\u2028\\u0085\\x1b[2J"
                   "\xef\xbf\xbd | 'x''\\x7c y\\x3d1\\n\\x3a\\x3a'=1\n"
                   "line\\nwith \\x7c pipe\\r\\n\n");
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpint (strchr (strchr (lines[0], '|') + 1, '|') == NULL, ==, TRUE);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpint (tr_plugin_exit_code (tr_plugin_get_status (plugin)), ==, 2);
}

static void
test_plugin_bounds (void)
{
  g_autoptr (TrPlugin) plugin = tr_plugin_new ("TLSRPT");
  GString *summary = g_string_new (NULL);
  const TrPerfdata item = { "a", 1, TR_UOM_NONE, NULL, NULL, NAN, NAN };
  g_autofree char *long_line = g_strnfill (5000, 'x');
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  const char *first_text;

  for (guint i = 0; i < 300; i++)
    g_string_append (summary, "\xc3\xa9"); /* é: 600 bytes */
  tr_plugin_set_summary (plugin, summary->str);
  g_string_free (summary, TRUE);
  tr_plugin_add_line (plugin, long_line);
  for (guint i = 1; i < TR_PLUGIN_MAX_LINES + 5; i++)
    tr_plugin_add_line (plugin, "l");
  for (guint i = 0; i < TR_PLUGIN_MAX_PERFDATA + 2; i++)
    tr_plugin_add_perfdata (plugin, &item);
  text = tr_plugin_format (plugin);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  lines = g_strsplit (text, "\n", -1);
  /* the summary: at most TR_PLUGIN_MAX_SUMMARY bytes at a character boundary, "..." at the end */
  first_text = lines[0] + strlen ("TLSRPT OK - ");
  g_assert_cmpuint ((gsize) (strstr (first_text, " | ") - first_text), <=, TR_PLUGIN_MAX_SUMMARY);
  g_assert_nonnull (strstr (first_text, "\xc3\xa9... | a=1 a=1"));
  g_assert_cmpuint (strlen (lines[1]), ==, TR_PLUGIN_MAX_LINE);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + TR_PLUGIN_MAX_LINES + 2 + 1);
  g_assert_cmpstr (lines[TR_PLUGIN_MAX_LINES + 1], ==, "(5 more lines left out)");
  g_assert_cmpstr (lines[TR_PLUGIN_MAX_LINES + 2], ==, "(2 more performance data items left out)");
  g_assert_cmpstr (lines[TR_PLUGIN_MAX_LINES + 3], ==, "");
}

/* what Nagios 4 would cut (it keeps 8 KB) is left out whole, first lines, then perfdata items */
static void
test_plugin_output_bound (void)
{
  g_autoptr (TrPlugin) plugin = tr_plugin_new ("TLSRPT");
  g_autofree char *line = g_strnfill (399, 'l');
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *note = NULL;
  guint n;

  tr_plugin_set_summary (plugin, "s");
  for (guint i = 0; i < 30; i++)
    tr_plugin_add_line (plugin, line);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *label = g_strdup_printf ("d%u.example sessions", i);
      const TrPerfdata item = { label, 1, TR_UOM_NONE, NULL, NULL, 0, NAN };

      tr_plugin_add_perfdata (plugin, &item);
    }
  text = tr_plugin_format (plugin);
  g_assert_cmpuint (strlen (text), <=, TR_PLUGIN_MAX_OUTPUT);
  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);
  g_assert_nonnull (strstr (lines[0], "'d9.example sessions'=1;;;0"));
  g_assert_cmpstr (lines[n - 1], ==, "");
  note = g_strdup_printf ("(%u more lines left out)", 30 - (n - 3));
  g_assert_cmpstr (lines[n - 2], ==, note);
  g_assert_cmpuint (strlen (lines[n - 3]), ==, 399);
  g_assert_cmpuint (n - 3, >=, 18); /* 18 * 400 bytes fit beside a first line of 300 */

  /* performance data that alone would pass the bound: whole items, counted */
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&lines, g_strfreev);
  {
    g_autoptr (TrPlugin) many = tr_plugin_new ("TLSRPT");

    for (guint i = 0; i < 500; i++)
      {
        g_autofree char *label = g_strdup_printf ("d%03u.example failure rate", i);
        const TrPerfdata item = { label, 1.5, TR_UOM_PERCENT, NULL, NULL, 0, 100 };

        tr_plugin_add_perfdata (many, &item);
      }
    tr_plugin_add_line (many, "a line");
    text = tr_plugin_format (many);
  }
  g_assert_cmpuint (strlen (text), <=, TR_PLUGIN_MAX_OUTPUT);
  lines = g_strsplit (text, "\n", -1);
  g_assert_true (g_str_has_suffix (lines[0], "%;;;0;100"));
  g_assert_cmpstr (lines[1], ==, "a line");
  g_assert_true (g_str_has_prefix (lines[2], "("));
  g_assert_true (g_str_has_suffix (lines[2], " more performance data items left out)"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/perfdata/range/guidelines", test_range_guidelines);
  g_test_add_func ("/perfdata/range/examples", test_range_examples);
  g_test_add_func ("/perfdata/range/invalid", test_range_invalid);
  g_test_add_func ("/perfdata/range/to-string", test_range_to_string);
  g_test_add_func ("/perfdata/number", test_number);
  g_test_add_func ("/perfdata/label", test_label);
  g_test_add_func ("/perfdata/label/bounds", test_label_bounds);
  g_test_add_func ("/perfdata/item", test_item);
  g_test_add_func ("/perfdata/locale", test_locale);
  g_test_add_func ("/perfdata/status", test_status);
  g_test_add_func ("/perfdata/plugin", test_plugin);
  g_test_add_func ("/perfdata/plugin/hostile", test_plugin_hostile);
  g_test_add_func ("/perfdata/plugin/bounds", test_plugin_bounds);
  g_test_add_func ("/perfdata/plugin/output-bound", test_plugin_output_bound);
  return g_test_run ();
}
