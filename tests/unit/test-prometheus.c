/* test-prometheus.c - the text exposition format: names, escapes, values, duplicates, bounds,
 * numbers under a decimal-comma locale (print/prometheus.c) */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "prometheus.h"
#include "error.h"
#include "helpers.h"

static void
test_names (void)
{
  static const char *const metrics_ok[]
      = { "a", "_", ":", "tlsrpt_sessions_total", "a:b_c9", "A1" };
  static const char *const metrics_bad[] = { "", "1a", "a-b", "a b", "a.b", "é", "a\n" };
  static const char *const labels_ok[] = { "domain", "_x", "a1", "Result_Type" };
  static const char *const labels_bad[] = { "", "__name__", "__x", "a:b", "1a", "a-b", "\"" };

  for (guint i = 0; i < G_N_ELEMENTS (metrics_ok); i++)
    g_assert_true (tr_metrics_valid_metric_name (metrics_ok[i]));
  for (guint i = 0; i < G_N_ELEMENTS (metrics_bad); i++)
    g_assert_false (tr_metrics_valid_metric_name (metrics_bad[i]));
  for (guint i = 0; i < G_N_ELEMENTS (labels_ok); i++)
    g_assert_true (tr_metrics_valid_label_name (labels_ok[i]));
  for (guint i = 0; i < G_N_ELEMENTS (labels_bad); i++)
    g_assert_false (tr_metrics_valid_label_name (labels_bad[i]));
  g_assert_false (tr_metrics_valid_metric_name (NULL));
}

static void
test_escape (void)
{
  static const char *const values[][2] = {
    { "example.com", "example.com" },
    { "a\\b", "a\\\\b" },
    { "say \"hi\"", "say \\\"hi\\\"" },
    { "two\nlines", "two\\nlines" },
    { "\\n", "\\\\n" },                             /* a backslash and an n stay two characters */
    { "cr\r tab\t esc\x1b", "cr\r tab\t esc\x1b" }, /* the format has no other escapes */
    { "bad\xff\xfe", "bad\xef\xbf\xbd\xef\xbf\xbd" },
    { "", "" },
  };
  g_autofree char *help = tr_metrics_escape_help ("a \"quoted\" \\ help\nline\xff");

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *escaped = tr_metrics_escape_label_value (values[i][0]);

      g_assert_cmpstr (escaped, ==, values[i][1]);
    }
  g_assert_cmpstr (help, ==, "a \"quoted\" \\\\ help\\nline\xef\xbf\xbd");
}

static void
test_values (void)
{
  static const struct
  {
    double value;
    const char *text;
  } cases[] = {
    { 0, "0" },
    { 1, "1" },
    { -2.5, "-2.5" },
    { 0.1, "0.1" },
    { 1e-7, "1e-07" },
    { 1e21, "1e+21" },
    { 123456789, "123456789" },
    { 1.0 / 3, "0.3333333333333333" },
    { NAN, "NaN" },
    { INFINITY, "+Inf" },
    { -INFINITY, "-Inf" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = tr_metrics_format_value (cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
      if (isfinite (cases[i].value))
        g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==, cases[i].value);
    }
}

/* a whole exposition, as promtool and node_exporter read it */
static void
test_exposition (void)
{
  g_autoptr (TrMetrics) metrics = tr_metrics_new ();
  g_autoptr (GError) error = NULL;
  const TrMetricLabel example[] = { { "domain", "example.com" }, { "policy", "sts" } };
  const TrMetricLabel hostile[]
      = { { "domain", "evil\"} 1\n# TYPE x counter\\" }, { "policy", "\xff" } };
  gsize len;

  g_assert_true (tr_metrics_family (metrics, "tlsrpt_sessions_total", TR_METRIC_COUNTER,
                                    "Sessions reported, by policy domain.\nSee doc\\schema.md.",
                                    &error));
  g_assert_true (
      tr_metrics_sample_int (metrics, example, 2, G_GINT64_CONSTANT (4503599627370497), &error));
  g_assert_true (tr_metrics_sample_int (metrics, hostile, 2, 0, &error));
  g_assert_true (tr_metrics_family (metrics, "tlsrpt_failure_ratio", TR_METRIC_GAUGE,
                                    "Failed sessions over all sessions.", &error));
  g_assert_true (tr_metrics_sample (metrics, example, 1, 0.125, &error));
  g_assert_true (tr_metrics_sample (metrics, hostile, 1, NAN, &error));
  g_assert_true (tr_metrics_family (metrics, "tlsrpt_up", TR_METRIC_UNTYPED, "Up.", &error));
  g_assert_true (tr_metrics_sample (metrics, NULL, 0, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tr_metrics_text (metrics, &len), ==,
                   "# HELP tlsrpt_sessions_total Sessions reported, by policy domain.\\n"
                   "See doc\\\\schema.md.\n"
                   "# TYPE tlsrpt_sessions_total counter\n"
                   "tlsrpt_sessions_total{domain=\"example.com\",policy=\"sts\"} 4503599627370497\n"
                   "tlsrpt_sessions_total{domain=\"evil\\\"} 1\\n# TYPE x counter\\\\\","
                   "policy=\"\xef\xbf\xbd\"} 0\n"
                   "# HELP tlsrpt_failure_ratio Failed sessions over all sessions.\n"
                   "# TYPE tlsrpt_failure_ratio gauge\n"
                   "tlsrpt_failure_ratio{domain=\"example.com\"} 0.125\n"
                   "tlsrpt_failure_ratio{domain=\"evil\\\"} 1\\n# TYPE x counter\\\\\"} NaN\n"
                   "# HELP tlsrpt_up Up.\n"
                   "# TYPE tlsrpt_up untyped\n"
                   "tlsrpt_up 1\n");
  g_assert_cmpuint (len, ==, strlen (tr_metrics_text (metrics, NULL)));
}

/* what the format or the collector would refuse is refused here, and nothing is written */
static void
test_refused (void)
{
  g_autoptr (TrMetrics) metrics = tr_metrics_new ();
  const TrMetricLabel one[] = { { "domain", "bad\xff" } };
  const TrMetricLabel same[] = { { "domain", "bad\xfe" } }; /* both are "bad\ufffd" */
  const TrMetricLabel reserved[] = { { "__name__", "x" } };
  const TrMetricLabel twice[] = { { "a", "x" }, { "a", "y" } };
  g_autofree char *before = NULL;

  g_assert_true (tr_metrics_family (metrics, "m", TR_METRIC_GAUGE, "M.", NULL));
  g_assert_true (tr_metrics_sample (metrics, one, 1, 1, NULL));
  before = g_strdup (tr_metrics_text (metrics, NULL));
  {
    g_autoptr (GError) error = NULL;

    g_assert_false (tr_metrics_sample (metrics, same, 1, 2, &error));
    g_assert_error (error, TR_ERROR, TR_ERROR_DATA);
    g_assert_cmpstr (error->message, ==,
                     "m{domain=\"bad\xef\xbf\xbd\"}: a sample with these labels was written");
  }
  {
    g_autoptr (GError) error = NULL;

    g_assert_false (tr_metrics_sample (metrics, reserved, 1, 1, &error));
    g_assert_error (error, TR_ERROR, TR_ERROR_INTERNAL);
  }
  {
    g_autoptr (GError) error = NULL;

    g_assert_false (tr_metrics_sample (metrics, twice, 2, 1, &error));
    g_assert_error (error, TR_ERROR, TR_ERROR_INTERNAL);
    g_assert_cmpstr (error->message, ==, "label a given twice");
  }
  {
    g_autoptr (GError) error = NULL;

    g_assert_false (tr_metrics_family (metrics, "m", TR_METRIC_GAUGE, "Again.", &error));
    g_assert_error (error, TR_ERROR, TR_ERROR_INTERNAL);
    g_assert_false (tr_metrics_family (metrics, "9m", TR_METRIC_GAUGE, "Bad.", NULL));
  }
  g_assert_cmpstr (tr_metrics_text (metrics, NULL), ==, before);
  /* the same labels in another family are another series */
  g_assert_true (tr_metrics_family (metrics, "n", TR_METRIC_GAUGE, "N.", NULL));
  g_assert_true (tr_metrics_sample (metrics, same, 1, 2, NULL));
}

/* a long value is cut at a character boundary before escaping: no escape is cut in half */
static void
test_bounds (void)
{
  GString *value = g_string_new (NULL);
  g_autofree char *escaped = NULL;

  for (guint i = 0; i < 2000; i++)
    g_string_append (value, i % 2 ? "\"" : "\xc3\xa9");
  escaped = tr_metrics_escape_label_value (value->str);
  g_assert_true (g_utf8_validate (escaped, -1, NULL));
  g_assert_true (g_str_has_suffix (escaped, "..."));
  g_assert_cmpuint (strlen (escaped), <=, 2 * TR_METRICS_MAX_LABEL_VALUE);
  /* every quote is escaped: none ends the value early */
  for (const char *p = strchr (escaped, '"'); p != NULL; p = strchr (p + 1, '"'))
    g_assert_cmpint (p[-1], ==, '\\');
  g_string_free (value, TRUE);
}

static void
test_locale (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-prometheus.XXXXXX", NULL);
  g_autoptr (TrMetrics) metrics = tr_metrics_new ();
  char printed[32];

  g_assert_nonnull (dir);
  if (!use_comma_locale (dir))
    {
      remove_tree (dir);
      g_test_skip ("no locale with a decimal comma could be set");
      return;
    }
  g_snprintf (printed, sizeof printed, "%.1f", 0.5);
  g_assert_cmpstr (printed, ==, "0,5");
  g_assert_true (tr_metrics_family (metrics, "r", TR_METRIC_GAUGE, "R.", NULL));
  g_assert_true (tr_metrics_sample (metrics, NULL, 0, 1234.5, NULL));
  g_assert_cmpstr (tr_metrics_text (metrics, NULL), ==, "# HELP r R.\n# TYPE r gauge\nr 1234.5\n");
  setlocale (LC_NUMERIC, "C");
  g_unsetenv ("LOCPATH");
  remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/prometheus/names", test_names);
  g_test_add_func ("/prometheus/escape", test_escape);
  g_test_add_func ("/prometheus/values", test_values);
  g_test_add_func ("/prometheus/exposition", test_exposition);
  g_test_add_func ("/prometheus/refused", test_refused);
  g_test_add_func ("/prometheus/bounds", test_bounds);
  g_test_add_func ("/prometheus/locale", test_locale);
  return g_test_run ();
}
