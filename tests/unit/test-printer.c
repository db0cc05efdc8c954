/* test-printer.c - the printer interface (printer.c) and its formats: escaping, listings, and
 * nested structure */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "printer-class.h"

/* hostile - quotes, commas, CR LF, TAB, C0 and C1 controls, DEL, a bidi override, invalid UTF-8 */
static const char hostile[] = "a,\"b\"\r\nc\td\x01\x7f\xc2\x85\xe2\x80\xae|\xff!";

static void
test_json (void)
{
  g_autofree char *s = tr_print_json_string (hostile);

  g_assert_cmpstr (s, ==,
                   "\"a,\\\"b\\\"\\r\\nc\\td\\u0001\\u007f\xc2\x85\xe2\x80\xae|\xef\xbf\xbd!\"");
  g_assert_true (g_utf8_validate (s, -1, NULL));
  {
    g_autofree char *t = tr_print_json_string ("\\ \x1f \xe2\x80\xa8");
    g_assert_cmpstr (t, ==, "\"\\\\ \\u001f \\u2028\"");
  }
}

static void
test_csv (void)
{
  g_autofree char *plain = tr_print_csv_field ("example.com", TRUE);
  g_autofree char *quoted = tr_print_csv_field (hostile, TRUE);
  g_autofree char *space = tr_print_csv_field (" x", TRUE);
  g_autofree char *empty = tr_print_csv_field ("", TRUE);

  g_assert_cmpstr (plain, ==, "example.com");
  g_assert_cmpstr (quoted, ==, "\"a,\"\"b\"\"\r\nc\td\x01\x7f\xc2\x85\xe2\x80\xae|\xef\xbf\xbd!\"");
  g_assert_cmpstr (space, ==, "\" x\"");
  g_assert_cmpstr (empty, ==, "");
}

/* test_csv_formulas - cells a spreadsheet would evaluate are neutralised, unless exact */
static void
test_csv_formulas (void)
{
  static const struct
  {
    const char *value, *guarded;
  } cases[] = {
    { "=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
    { "+cmd|' /C calc'!A0", "\"'+cmd|' /C calc'!A0\"" },
    { "-2+3", "\"'-2+3\"" },
    { "@SUM(A1)", "\"'@SUM(A1)\"" },
    { "\t=1", "\"'\t=1\"" },
    { "\r=1", "\"'\r=1\"" },
    { "a=b", "a=b" },
    { "'quoted", "'quoted" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *guarded = tr_print_csv_field (cases[i].value, TRUE);
      g_autofree char *exact = tr_print_csv_field (cases[i].value, FALSE);

      g_autofree char *plain = tr_print_csv_field (
          cases[i].value + (cases[i].value[0] == '\t' || cases[i].value[0] == '\r'), TRUE);

      g_assert_cmpstr (guarded, ==, cases[i].guarded);
      /* exact: no quote is added; quoted only where RFC 4180 needs it */
      g_assert_true (strchr (exact, '\'') == NULL || strchr (cases[i].value, '\'') != NULL);
      (void) plain;
    }
}

static void
test_text (void)
{
  g_autofree char *s = tr_escape_text (hostile);

  g_assert_cmpstr (s, ==, "a,\"b\"\\r\\nc\\td\\x01\\x7f\\u0085\\u202e|\xef\xbf\xbd!");
  g_assert_null (strchr (s, '\n'));
  g_assert_cmpuint (tr_escape_text_width ("abc"), ==, 3);
  g_assert_cmpuint (tr_escape_text_width ("\xe6\x97\xa5\xe6\x9c\xac"), ==, 4); /* wide */
}

/* run_listing - a two-row listing in @format, as text */
static char *
run_listing (const char *format, guint width)
{
  static const TrColumn columns[] = {
    { "name", "NAME", TR_COLUMN_TEXT, FALSE },
    { "count", "COUNT", TR_COLUMN_NUMBER, FALSE },
    { "hidden", "HIDDEN", TR_COLUMN_TEXT, TRUE },
    { "note", "NOTE", TR_COLUMN_LONG, FALSE },
  };
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);
  g_autoptr (TrPrinter) printer = tr_printer_new (format, out, width, NULL);
  static const char *const names[] = { "x", "y\n" };
  static const gint64 counts[] = { 3, 1 };

  tr_printer_begin_listing (printer, "test", columns, G_N_ELEMENTS (columns));
  tr_printer_field_str (printer, "first, \"one\"");
  tr_printer_field_int (printer, 12345);
  tr_printer_field_str (printer, "h");
  tr_printer_field_counts (printer, "k", "n", names, counts, 2);
  tr_printer_end_row (printer);
  tr_printer_field_str (printer, "a somewhat longer name");
  tr_printer_field_null (printer);
  tr_printer_end_row (printer); /* the rest are null */
  tr_printer_note (printer, "a note");
  g_assert_true (tr_printer_end (printer, NULL));
  fclose (out);
  return buf;
}

static void
test_listing (void)
{
  g_autofree char *json = run_listing ("json", 0);
  g_autofree char *csv = run_listing ("csv", 0);
  g_autofree char *text = run_listing ("text", 0);
  g_autofree char *narrow = run_listing ("text", 30);

  g_assert_cmpstr (json, ==,
                   "{\"version\":2,\"kind\":\"test\",\"rows\":[\n"
                   "{\"name\":\"first, \\\"one\\\"\",\"count\":12345,\"hidden\":\"h\",\"note\":"
                   "[{\"k\":\"x\",\"n\":3},{\"k\":\"y\\n\",\"n\":1}]},\n"
                   "{\"name\":\"a somewhat longer name\",\"count\":null,\"hidden\":null,"
                   "\"note\":null}\n]}\n");
  g_assert_cmpstr (csv, ==,
                   "name,count,hidden,note\r\n"
                   "\"first, \"\"one\"\"\",12345,h,\"x 3, y\n 1\"\r\n"
                   "a somewhat longer name,,,\r\n");
  g_assert_cmpstr (text, ==,
                   "NAME                    COUNT  NOTE\n"
                   "first, \"one\"            12345  x 3, y\\n 1\n"
                   "a somewhat longer name      -  -\n"); /* notes: for a terminal only */
  /* fitted to 30 columns: text columns are cut ("~"), numbers never */
  {
    g_auto (GStrv) lines = g_strsplit (narrow, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      g_assert_cmpuint (tr_escape_text_width (lines[i]), <=, 30);
    g_assert_nonnull (strstr (narrow, "~"));
    g_assert_nonnull (strstr (narrow, "12345"));
  }
}

static void
test_empty (void)
{
  static const TrColumn columns[] = { { "a", "A", TR_COLUMN_TEXT, FALSE } };
  const char *formats[] = { "text", "json", "csv" };
  const char *want[] = { "", "{\"version\":2,\"kind\":\"e\",\"rows\":[]}\n", "a\r\n" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      char *buf = NULL;
      size_t len = 0;
      FILE *out = open_memstream (&buf, &len);
      TrPrinter *printer = tr_printer_new (formats[i], out, 0, NULL);

      tr_printer_begin_listing (printer, "e", columns, 1);
      tr_printer_note (printer, "never shown for an empty listing");
      g_assert_true (tr_printer_end (printer, NULL));
      tr_printer_free (printer);
      fclose (out);
      g_assert_cmpstr (buf, ==, want[i]);
      free (buf);
    }
}

static void
test_format_names (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrPrinter) csv = tr_printer_new ("csv-exact", stdout, 0, NULL);
  TrPrinter *xml = tr_printer_new ("xml", stdout, 0, &error);

  g_assert_nonnull (csv);
  g_assert_false (tr_printer_for_people (csv));
  g_assert_null (xml);
  g_assert_nonnull (strstr (error->message, "expected text, json, csv or csv-exact"));
}

/* run_fit - a wide row of key, normal and low columns in text at @width */
static char *
run_fit (guint width)
{
  static const TrColumn columns[] = {
    { "day", "DAY", TR_COLUMN_TEXT, FALSE, TR_FIT_KEY },
    { "reporter", "REPORTER", TR_COLUMN_TEXT, FALSE, TR_FIT_NORMAL },
    { "type", "RESULT TYPE", TR_COLUMN_TEXT, FALSE, TR_FIT_KEY },
    { "ip", "IP", TR_COLUMN_TEXT, FALSE, TR_FIT_LOW },
    { "count", "COUNT", TR_COLUMN_NUMBER, FALSE, TR_FIT_KEY },
    { "reason", "REASON", TR_COLUMN_LONG, FALSE, TR_FIT_LOW },
  };
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);
  g_autoptr (TrPrinter) p = tr_printer_new ("text", out, width, NULL);

  tr_printer_begin_listing (p, "fit", columns, G_N_ELEMENTS (columns));
  tr_printer_field_str (p, "2026-11-20");
  tr_printer_field_str (p, "a-rather-long-reporter.example");
  tr_printer_field_str (p, "certificate-host-mismatch");
  tr_printer_field_str (p, "2001:db8:4860:4864::1b");
  tr_printer_field_int (p, 12345);
  tr_printer_field_str (p, "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY");
  tr_printer_end_row (p);
  g_assert_true (tr_printer_end (p, NULL));
  fclose (out);
  return buf;
}

/* test_fit - too wide: low columns go first, then normal ones are cut; key columns never */
static void
test_fit (void)
{
  g_autofree char *wide = run_fit (0);
  g_autofree char *w80 = run_fit (80);
  g_autofree char *w60 = run_fit (60);

  g_assert_nonnull (strstr (wide, "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY"));
  g_assert_nonnull (strstr (w80, "certificate-host-mismatch"));
  g_assert_nonnull (strstr (w80, "a-rather-long-reporter.example")); /* it fits once low go */
  g_assert_null (strstr (w80, "REASON"));
  g_assert_null (strstr (w80, "2001:"));
  g_assert_nonnull (strstr (w60, "certificate-host-mismatch"));
  g_assert_nonnull (strstr (w60, "2026-11-20"));
  g_assert_nonnull (strstr (w60, "12345"));
  g_assert_nonnull (strstr (w60, "~"));
  g_assert_null (strstr (w60, "a-rather-long-reporter.example"));
  {
    g_auto (GStrv) lines80 = g_strsplit (w80, "\n", -1);
    g_auto (GStrv) lines60 = g_strsplit (w60, "\n", -1);

    for (guint i = 0; lines80[i] != NULL; i++)
      g_assert_cmpuint (tr_escape_text_width (lines80[i]), <=, 80);
    for (guint i = 0; lines60[i] != NULL; i++)
      g_assert_cmpuint (tr_escape_text_width (lines60[i]), <=, 60);
  }
}

/* run_structure - a report-like row with nested maps, lists and tables, in @format */
static char *
run_structure (const char *format, gboolean vertical)
{
  static const TrColumn columns[] = {
    { "id", "Id", TR_COLUMN_NUMBER },
    { "name", "Name", TR_COLUMN_TEXT },
    { "raw", "Raw", TR_COLUMN_LONG, TRUE },
    { "steps", "Steps", TR_COLUMN_LONG },
    { "policies", "Policies", TR_COLUMN_NESTED },
  };
  static const TrColumn detail_columns[] = {
    { "type", "TYPE", TR_COLUMN_TEXT },
    { "count", "COUNT", TR_COLUMN_NUMBER },
  };
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);
  g_autoptr (TrPrinter) p = tr_printer_new (format, out, 0, NULL);

  tr_printer_set_vertical (p, vertical);
  tr_printer_begin_listing (p, "report", columns, G_N_ELEMENTS (columns));
  tr_printer_field_int (p, 7);
  tr_printer_field_str (p, "evil\x1b[2J\n");
  tr_printer_field_json (p, "{ \"a\" : 1 }", "{\"a\":1}");
  tr_printer_field_lines (p, "first line\nsecond line");
  tr_printer_field (p);
  tr_printer_begin_list (p);
  tr_printer_begin_map (p);
  tr_printer_key (p, "domain", "Domain");
  tr_printer_str (p, "example.com");
  tr_printer_key (p, "mx", "MX hosts");
  tr_printer_begin_list (p);
  tr_printer_str (p, "mx1");
  tr_printer_str (p, "mx2");
  tr_printer_close (p);
  tr_printer_key (p, "rate", "Rate");
  tr_printer_percent (p, 0.125);
  tr_printer_key (p, "details", "Details");
  tr_printer_begin_table (p, detail_columns, G_N_ELEMENTS (detail_columns));
  tr_printer_field_str (p, "starttls-not-supported");
  tr_printer_field_int (p, 3);
  tr_printer_end_row (p);
  tr_printer_field_str (p, "x");
  tr_printer_end_row (p);
  tr_printer_close (p);
  tr_printer_close (p);
  tr_printer_close (p);
  tr_printer_end_row (p);
  g_assert_true (tr_printer_end (p, NULL));
  fclose (out);
  return buf;
}

/* test_structure - nested maps, lists and tables in every format */
static void
test_structure (void)
{
  g_autofree char *json = run_structure ("json", FALSE);
  g_autofree char *csv = run_structure ("csv", FALSE);
  g_autofree char *text = run_structure ("text", TRUE);

  g_assert_cmpstr (json, ==,
                   "{\"version\":2,\"kind\":\"report\",\"rows\":[\n"
                   "{\"id\":7,\"name\":\"evil\\u001b[2J\\n\",\"raw\":{\"a\":1},"
                   "\"steps\":\"first line\\nsecond line\",\"policies\":[{\"domain\":"
                   "\"example.com\",\"mx\":[\"mx1\",\"mx2\"],\"rate\":0.1250,\"details\":["
                   "{\"type\":\"starttls-not-supported\",\"count\":3},"
                   "{\"type\":\"x\",\"count\":null}]}]}\n]}\n");
  g_assert_cmpstr (
      csv, ==,
      "id,name,raw,steps,policies\r\n"
      "7,\"evil\x1b[2J\n\",\"{ \"\"a\"\" : 1 }\",\"first line\nsecond line\","
      "\"[{\"\"domain\"\":\"\"example.com\"\",\"\"mx\"\":[\"\"mx1\"\",\"\"mx2\"\"],"
      "\"\"rate\"\":0.1250,\"\"details\"\":[{\"\"type\"\":\"\"starttls-not-supported\"\","
      "\"\"count\"\":3},{\"\"type\"\":\"\"x\"\",\"\"count\"\":null}]}]\"\r\n");
  g_assert_cmpstr (text, ==,
                   "Id:       7\n"
                   "Name:     evil\\x1b[2J\\n\n"
                   "Steps:\n"
                   "first line\n"
                   "second line\n"
                   "Policies:\n"
                   "  Domain:   example.com\n"
                   "  MX hosts: mx1, mx2\n"
                   "  Rate:     12.50%\n"
                   "  Details:\n"
                   "    TYPE                    COUNT\n"
                   "    starttls-not-supported      3\n"
                   "    x                           -\n");
}

/* test_misuse - a value without its key is refused (a critical), not printed */
static void
test_misuse (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (TrPrinter) p = tr_printer_new ("json", stdout, 0, NULL);

      tr_printer_begin (p, "x");
      tr_printer_str (p, "no key");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/printer/json/escape", test_json);
  g_test_add_func ("/printer/csv/escape", test_csv);
  g_test_add_func ("/printer/csv/formulas", test_csv_formulas);
  g_test_add_func ("/printer/text/escape", test_text);
  g_test_add_func ("/printer/listing", test_listing);
  g_test_add_func ("/printer/empty", test_empty);
  g_test_add_func ("/printer/formats", test_format_names);
  g_test_add_func ("/printer/structure", test_structure);
  g_test_add_func ("/printer/fit", test_fit);
  g_test_add_func ("/printer/misuse", test_misuse);
  return g_test_run ();
}
