/* test-svg-chart.c - the SVG charts (src/print/svg-chart*.c) and markup escaping (markup.c)
 *
 * Every chart drawn here is parsed with GMarkup, which rejects malformed XML, and checked to hold
 * only the elements and attributes the charts write: whatever a label holds, it stays text.
 * With TR_SVG_CHART_PAGE=FILE set, /svg-chart/page writes a page of example charts, to look at
 * in a browser or to check with `tidy -errors` (doc/design.md, "Charts").
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "print/markup.h"
#include "print/svg-chart.h"

/* ---- structure: a GMarkup parser that keeps what it saw ---- */

typedef struct
{
  guint depth, elements, svgs;
  GHashTable *names; /* element name -> count */
  GString *text;     /* all text, and all attribute values, as parsed (unescaped) */
} Seen;

static const char *const allowed_elements[] = {
  "svg", "title", "desc", "defs", "pattern", "rect", "path", "g", "text", NULL,
};
static const char *const allowed_attributes[] = {
  "xmlns",
  "class",
  "id",
  "viewBox",
  "width",
  "height",
  "preserveAspectRatio",
  "role",
  "aria-labelledby",
  "aria-describedby",
  "font-family",
  "font-size",
  "fill",
  "stroke",
  "stroke-width",
  "stroke-opacity",
  "stroke-linejoin",
  "stroke-linecap",
  "stroke-dasharray",
  "patternUnits",
  "d",
  "x",
  "y",
  "text-anchor",
  "transform",
  "font-weight",
  NULL,
};

static void
on_start (GMarkupParseContext *ctx, const char *name, const char **attr_names,
          const char **attr_values, gpointer data, GError **error)
{
  Seen *seen = data;

  g_assert_true (g_strv_contains (allowed_elements, name));
  if (seen->depth == 0)
    {
      g_assert_cmpstr (name, ==, "svg");
      seen->svgs++;
    }
  else
    g_assert_cmpstr (name, !=, "svg");
  for (guint i = 0; attr_names[i] != NULL; i++)
    {
      if (!g_strv_contains (allowed_attributes, attr_names[i]))
        g_error ("attribute %s", attr_names[i]);
      g_string_append (seen->text, attr_values[i]);
      g_string_append_c (seen->text, '\n');
    }
  g_hash_table_insert (
      seen->names, (gpointer) g_intern_string (name),
      GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (seen->names, g_intern_string (name)))
                        + 1));
  seen->depth++;
  seen->elements++;
}

static void
on_end (GMarkupParseContext *ctx, const char *name, gpointer data, GError **error)
{
  ((Seen *) data)->depth--;
}

static void
on_text (GMarkupParseContext *ctx, const char *text, gsize len, gpointer data, GError **error)
{
  g_string_append_len (((Seen *) data)->text, text, (gssize) len);
}

static guint
count (const Seen *seen, const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (seen->names, g_intern_string (name)));
}

/* parse - @svg parsed: well-formed, one <svg> with role, title and desc; what it holds */
static Seen
parse (const char *svg)
{
  static const GMarkupParser parser = { on_start, on_end, on_text, NULL, NULL };
  Seen seen = { 0 };
  g_autoptr (GMarkupParseContext) ctx = NULL;
  g_autoptr (GError) error = NULL;

  seen.names = g_hash_table_new (NULL, NULL);
  seen.text = g_string_new (NULL);
  ctx = g_markup_parse_context_new (&parser, 0, &seen, NULL);
  g_assert_true (g_markup_parse_context_parse (ctx, svg, -1, &error));
  g_assert_no_error (error);
  g_assert_true (g_markup_parse_context_end_parse (ctx, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen.svgs, ==, 1);
  g_assert_cmpuint (count (&seen, "title"), ==, 1);
  g_assert_cmpuint (count (&seen, "desc"), ==, 1);
  g_assert_true (g_str_has_prefix (svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
  g_assert_nonnull (strstr (svg, " role=\"img\""));
  g_assert_nonnull (strstr (svg, " viewBox=\"0 0 640 "));
  g_assert_nonnull (strstr (svg, " width=\"100%\" preserveAspectRatio=\"xMidYMid meet\""));
  g_assert_true (g_utf8_validate (svg, -1, NULL));
  return seen;
}

static void
seen_clear (Seen *seen)
{
  g_hash_table_unref (seen->names);
  g_string_free (seen->text, TRUE);
}

/* has - whether @out holds @needle */
static gboolean
has (const GString *out, const char *needle)
{
  return strstr (out->str, needle) != NULL;
}

/* ---- data ---- */

static const char *const days3[] = { "2026-03-01", "2026-03-02", "2026-03-03" };
static const gint64 ok3[] = { 1000, 2000, 500 };
static const gint64 failed3[] = { 10, 0, TR_CHART_MISSING };
static const double rate3[] = { 0.99, 0.0, NAN };

/* days - @n days from @y-@m-@d, as strings (a NULL-terminated GStrv) */
static GStrv
days (guint n, guint y, guint m, guint d)
{
  GStrv v = g_new0 (char *, n + 1);
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  for (guint i = 0; i < n; i++)
    {
      v[i] = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&date), g_date_get_month (&date),
                              g_date_get_day (&date));
      g_date_add_days (&date, 1);
    }
  return v;
}

/* ---- numbers ---- */

static char *
ticks_text (double max, gboolean counts, gboolean percent)
{
  TrChartTicks t;
  GString *s = g_string_new (NULL);

  tr_chart_ticks (max, counts, &t);
  for (guint i = 0; i <= t.n; i++)
    {
      if (i > 0)
        g_string_append_c (s, ' ');
      tr_chart_append_tick (s, &t, i, percent);
    }
  return g_string_free (s, FALSE);
}

static void
test_ticks (void)
{
  static const struct
  {
    double max;
    gboolean counts, percent;
    const char *ticks;
  } cases[] = {
    { 0, TRUE, FALSE, "0 1" },
    { 0, FALSE, TRUE, "0% 0.2% 0.4% 0.6% 0.8% 1%" },
    { 1, TRUE, FALSE, "0 1" },
    { 7, TRUE, FALSE, "0 2 4 6 8" },
    { 10, TRUE, FALSE, "0 2 4 6 8 10" },
    { 95, FALSE, TRUE, "0% 20% 40% 60% 80% 100%" },
    { 100, FALSE, TRUE, "0% 20% 40% 60% 80% 100%" },
    { 0.37, FALSE, TRUE, "0% 0.1% 0.2% 0.3% 0.4%" },
    { 0.0004, FALSE, FALSE, "0 0.0001 0.0002 0.0003 0.0004" },
    { 2500, TRUE, FALSE, "0 500 1,000 1,500 2,000 2,500" },
    { 9999, TRUE, FALSE, "0 2k 4k 6k 8k 10k" },
    { 12345, TRUE, FALSE, "0 5k 10k 15k" },
    { 1.5e6, TRUE, FALSE, "0 0.5M 1M 1.5M" },
    { 3.3e9, TRUE, FALSE, "0 1G 2G 3G 4G" },
    { (double) G_MAXINT64, TRUE, FALSE, "0 2E 4E 6E 8E 10E" },
    { 30.0 * (double) G_MAXINT64, TRUE, FALSE, "0 100E 200E 300E" },
    { NAN, TRUE, FALSE, "0 1" },
    { INFINITY, FALSE, FALSE, "0 0.2 0.4 0.6 0.8 1" },
    { -5, TRUE, FALSE, "0 1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *s = ticks_text (cases[i].max, cases[i].counts, cases[i].percent);
      TrChartTicks t;

      g_assert_cmpstr (s, ==, cases[i].ticks);
      tr_chart_ticks (cases[i].max, cases[i].counts, &t);
      g_assert_true (!isfinite (cases[i].max) || t.max >= cases[i].max);
      g_assert_cmpuint (t.n, >=, 1);
      g_assert_cmpuint (t.n, <=, 10);
    }
}

static void
test_format (void)
{
  static const struct
  {
    gint64 v;
    const char *s;
  } counts[] = {
    { 0, "0" },
    { 999, "999" },
    { 1000, "1,000" },
    { 1234567, "1,234,567" },
    { G_MAXINT64, "9,223,372,036,854,775,807" },
    { -1, "-1" },
    { G_MININT64, "-9,223,372,036,854,775,808" },
  };
  static const struct
  {
    double v;
    guint decimals;
    const char *s;
  } fixed[] = {
    { 2.5, 0, "3" },
    { 1234.5, 1, "1,234.5" },
    { -0.04, 1, "0.0" },
    { -1.25, 1, "-1.3" },
    { 0.5, 6, "0.500000" },
    { NAN, 1, "0.0" },
    { 1e30, 0, "9,000,000,000,000,000,000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autoptr (GString) s = g_string_new (NULL);

      tr_chart_append_count (s, counts[i].v);
      g_assert_cmpstr (s->str, ==, counts[i].s);
    }
  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    {
      g_autoptr (GString) s = g_string_new (NULL);

      tr_chart_append_fixed (s, fixed[i].v, fixed[i].decimals);
      g_assert_cmpstr (s->str, ==, fixed[i].s);
    }
}

/* ---- markup ---- */

static void
test_markup (void)
{
  static const struct
  {
    const char *raw;
    gsize max;
    const char *clean;
  } cases[] = {
    { "example.com", 0, "example.com" },
    { NULL, 5, "" },
    { "abcdef", 6, "abcdef" },
    { "abcdefg", 6, "abcde\xe2\x80\xa6" },
    { "\xc3\xa9\xc3\xa9\xc3\xa9", 2, "\xc3\xa9\xe2\x80\xa6" },
    { "a\xff"
      "b",
      0,
      "a\xef\xbf\xbd"
      "b" },
    { "\xe2\x80\xae"
      "evil",
      0, "\\u202eevil" },
    { "a\nb\tc\r\x01\x1b\x7f", 0, "a\\nb\\tc\\r\\x01\\x1b\\x7f" },
    { "\xc2\x85|\xef\xbf\xbe|\xef\xb7\x90", 0, "\\u0085|\\ufffe|\\ufdd0" },
    { "\xed\xa0\x80", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* a UTF-8 surrogate */
    { "\xf0\x9f\x98\x80", 1, "\xf0\x9f\x98\x80" },
  };
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *clean = tr_markup_clean (cases[i].raw, cases[i].max);

      g_assert_cmpstr (clean, ==, cases[i].clean);
    }
  tr_markup_append (s, "<a href='x'>&amp;\"</a>]]>", 0);
  g_assert_cmpstr (s->str, ==, "&lt;a href=&#39;x&#39;&gt;&amp;amp;&quot;&lt;/a&gt;]]&gt;");
}

/* test_markup_long - a label of a megabyte is read only as far as it is shown */
static void
test_markup_long (void)
{
  gsize n = 1024 * 1024;
  g_autofree char *big = g_malloc (n + 1);
  g_autofree char *clean = NULL;

  memset (big, 'x', n);
  big[n] = '\0';
  clean = tr_markup_clean (big, 40);
  g_assert_cmpuint (g_utf8_strlen (clean, -1), ==, 40);
  g_assert_true (g_str_has_suffix (clean, "\xe2\x80\xa6"));
}

/* ---- the kinds ---- */

static void
test_stacked (void)
{
  TrChartSeries series[] = { { "successful", ok3, NULL }, { "failed", failed3, NULL } };
  TrChartSeries rate = { "failure rate", NULL, rate3 };
  TrChart chart = {
    .id = "sessions",
    .title = "Sessions per day",
    .categories = days3,
    .n_categories = 3,
    .series = series,
    .n_series = 2,
    .rate = &rate,
    .y_title = "sessions per day",
    .y2_title = "failure rate (%)",
  };
  g_autoptr (GString) out = g_string_new (NULL);
  Seen seen;

  tr_svg_chart_stacked (out, &chart, TR_CHART_BARS);
  seen = parse (out->str);
  g_assert_true (has (out, " id=\"sessions\""));
  g_assert_true (
      has (out, " aria-labelledby=\"sessions-title\" aria-describedby=\"sessions-desc\""));
  g_assert_true (has (out, "<title>Sessions per day</title>"));
  g_assert_true (has (out, "<text id=\"sessions-title\" class=\"tr-heading\""));
  g_assert_true (has (out, "<desc id=\"sessions-desc\">Stacked bars from 2026-03-01 to 2026-03-03 "
                           "(3 days): 3,510 in all; successful 3,500 (99.7%), failed 10 (0.3%); "
                           "failure rate highest 1% on 2026-03-01.</desc>"));
  g_assert_true (has (out, "<pattern id=\"sessions-p1\""));
  g_assert_true (has (out, "fill=\"url(#sessions-p1)\""));
  g_assert_true (has (out, "class=\"tr-f0\""));
  g_assert_true (has (out, "class=\"tr-rate\""));
  g_assert_true (has (out, ">1 Mar</text>"));
  g_assert_true (has (out, ">3 Mar</text>"));
  g_assert_true (has (out, ">2026</text>"));
  g_assert_true (has (out, ">day (UTC)</text>"));
  g_assert_true (has (out, ">failure rate (%)</text>"));
  g_assert_true (has (out, ">2,000</text>"));
  /* two series, a legend swatch and its outline each, the axes, the grid, halo and rate */
  g_assert_cmpuint (count (&seen, "path"), ==, 2 + 2 * 2 + 1 + 1 + 1 + 2 + 1);
  g_assert_cmpuint (count (&seen, "g"), ==, 1 + 1 + 2 + 1);
  seen_clear (&seen);
}

static void
test_area (void)
{
  TrChartSeries series[] = { { "a", ok3, NULL }, { "b", failed3, NULL }, { "c", ok3, NULL } };
  TrChart chart = {
    .id = "types",
    .title = "Result types",
    .categories = days3,
    .n_categories = 3,
    .series = series,
    .n_series = 3,
  };
  g_autoptr (GString) out = g_string_new (NULL);
  Seen seen;

  tr_svg_chart_stacked (out, &chart, TR_CHART_AREA);
  seen = parse (out->str);
  g_assert_true (has (out, "Stacked areas from 2026-03-01"));
  g_assert_true (has (out, "<pattern id=\"types-p2\""));
  g_assert_false (has (out, "tr-rate"));
  /* an area per series: its top left to right, then back */
  g_assert_true (has (out, " fill=\"url(#types-p2)\" d=\"M"));
  g_assert_cmpuint (count (&seen, "pattern"), ==, 2);
  seen_clear (&seen);
}

static void
test_lines (void)
{
  static const double a[] = { 1.5, NAN, 3.25 }, b[] = { 0, 50, 100 };
  TrChartSeries series[] = { { "example.com", NULL, a }, { "example.net", NULL, b } };
  TrChart chart = {
    .id = "rates",
    .title = "Failure rate per domain",
    .categories = days3,
    .n_categories = 3,
    .series = series,
    .n_series = 2,
    .percent = TRUE,
    .y_title = "failure rate (%)",
  };
  g_autoptr (GString) out = g_string_new (NULL);
  Seen seen;

  tr_svg_chart_lines (out, &chart);
  seen = parse (out->str);
  g_assert_true (has (out, "Lines from 2026-03-01 to 2026-03-03 (3 days); highest: example.com "
                           "3.3% on 2026-03-03, example.net 100% on 2026-03-03."));
  g_assert_true (has (out, "class=\"tr-l0\""));
  g_assert_true (has (out, "class=\"tr-l1\""));
  g_assert_true (has (out, "stroke-dasharray=\"7 3\""));
  g_assert_true (has (out, ">100%</text>"));
  /* a point between two gaps is a dot */
  g_assert_true (has (out, "h0"));
  seen_clear (&seen);
}

static void
test_grid (void)
{
  static const char *const rows[] = { "google.com", "microsoft.com", "silent.example" };
  static const gint64 cells[] = {
    5,  50, 5000, /* every day */
    0,  -1, 7,    /* a gap */
    12, -1, -1,   /* silent since the first day */
  };
  static const gint64 marks[] = { 0, 1, 0, 0, 0, 3, 0, 0, 0 };
  TrChartGrid grid = {
    .id = "who",
    .title = "Reporters by day",
    .columns = days3,
    .n_columns = 3,
    .rows = rows,
    .n_rows = 3,
    .cells = cells,
    .marks = marks,
    .value_name = "sessions:",
    .mark_name = "with failures",
  };
  g_autoptr (GString) out = g_string_new (NULL);
  Seen seen;

  tr_svg_chart_grid (out, &grid);
  seen = parse (out->str);
  g_assert_true (has (out, "3 rows from 2026-03-01 to 2026-03-03 (3 days): 1 with a value in "
                           "every column, 2 with gaps."));
  g_assert_true (has (out, ">google.com</text>"));
  g_assert_true (has (out, "class=\"tr-g0\""));
  g_assert_true (has (out, "class=\"tr-g3\""));
  g_assert_true (has (out, "class=\"tr-gmark\""));
  g_assert_true (has (out, ">1,000+</text>"));
  g_assert_true (has (out, ">no report</text>"));
  seen_clear (&seen);
}

/* test_grid_silent - who sent nothing in the last week is named */
static void
test_grid_silent (void)
{
  g_auto (GStrv) cols = days (30, 2026, 3, 1);
  static const char *const rows[] = { "steady", "gone" };
  gint64 cells[60];
  TrChartGrid grid = {
    .id = "who",
    .title = "Reporters",
    .columns = (const char *const *) cols,
    .n_columns = 30,
    .rows = rows,
    .n_rows = 2,
    .cells = cells,
  };
  g_autoptr (GString) out = g_string_new (NULL);
  Seen seen;

  for (guint i = 0; i < 30; i++)
    cells[i] = 100, cells[30 + i] = i < 20 ? 100 : -1;
  tr_svg_chart_grid (out, &grid);
  seen = parse (out->str);
  g_assert_true (has (out, "; nothing in the last 7 days from gone."));
  /* a reporter every day is one rectangle: one run */
  g_assert_true (has (out, "class=\"tr-g3\" fill=\"#0072B2\" d=\"M"));
  seen_clear (&seen);
}

static void
test_top (void)
{
  static const char *const names[] = { "mx1.example.com", "192.0.2.1", "mx2.example.com" };
  static const gint64 values[] = { G_MAXINT64, 1234, TR_CHART_MISSING };
  TrChartTop top = {
    .id = "mx",
    .title = "Top failing MX hosts",
    .names = names,
    .values = values,
    .n_items = 3,
    .x_title = "failed sessions",
    .max_items = 2,
  };
  g_autoptr (GString) out = g_string_new (NULL);
  Seen seen;

  tr_svg_chart_top (out, &top);
  seen = parse (out->str);
  g_assert_true (has (out, "failed sessions: mx1.example.com 9,223,372,036,854,775,807, "
                           "192.0.2.1 1,234. 1 more item is not drawn."));
  g_assert_true (has (out, ">9,223,372,036,854,775,807</text>"));
  g_assert_true (has (out, ">1 more not shown</text>"));
  g_assert_true (has (out, "class=\"tr-bar\""));
  g_assert_false (has (out, "mx2.example.com"));
  seen_clear (&seen);
}

/* ---- edges ---- */

static void
assert_no_data (GString *out)
{
  Seen seen = parse (out->str);

  g_assert_true (has (out, ">No data</text>"));
  g_assert_true (has (out, "<desc id=\"e-desc\">No data.</desc>"));
  seen_clear (&seen);
  g_string_truncate (out, 0);
}

static void
test_no_data (void)
{
  static const gint64 none[] = { -1, -1, -1 };
  TrChartSeries missing[] = { { "a", none, NULL } };
  TrChart empty = { .id = "e", .title = "Empty" };
  TrChart all_missing
      = { .id = "e", .categories = days3, .n_categories = 3, .series = missing, .n_series = 1 };
  TrChartGrid grid = { .id = "e", .title = "Empty" };
  TrChartTop top = { .id = "e", .title = "Empty" };
  TrChartTop top_missing = { .id = "e", .names = days3, .values = none, .n_items = 3 };
  g_autoptr (GString) out = g_string_new (NULL);

  tr_svg_chart_stacked (out, &empty, TR_CHART_BARS);
  assert_no_data (out);
  tr_svg_chart_stacked (out, &all_missing, TR_CHART_AREA);
  assert_no_data (out);
  tr_svg_chart_lines (out, &empty);
  assert_no_data (out);
  tr_svg_chart_lines (out, &all_missing);
  assert_no_data (out);
  tr_svg_chart_grid (out, &grid);
  assert_no_data (out);
  tr_svg_chart_top (out, &top);
  assert_no_data (out);
  tr_svg_chart_top (out, &top_missing);
  assert_no_data (out);
}

/* test_small - one category, all zero: valid charts with an axis of 0 to 1 */
static void
test_small (void)
{
  static const char *const one[] = { "2026-01-01" };
  static const gint64 zero[] = { 0, 0, 0 };
  static const double zero_rate[] = { 0, 0, 0 };
  TrChartSeries series[] = { { "ok", zero, NULL }, { "failed", zero, NULL } };
  TrChartSeries rate = { "rate", NULL, zero_rate };
  TrChart chart = { .id = "z",
                    .title = "Zero",
                    .categories = days3,
                    .n_categories = 3,
                    .series = series,
                    .n_series = 2,
                    .rate = &rate };
  g_autoptr (GString) out = g_string_new (NULL);
  Seen seen;

  for (guint n = 1; n <= 3; n += 2)
    for (guint shape = TR_CHART_BARS; shape <= TR_CHART_AREA; shape++)
      {
        chart.categories = n == 1 ? one : days3;
        chart.n_categories = n;
        g_string_truncate (out, 0);
        tr_svg_chart_stacked (out, &chart, shape);
        seen = parse (out->str);
        g_assert_true (has (out, ">1</text>"));
        g_assert_true (has (out, ": 0 in all; ok 0, failed 0; rate highest 0%"));
        seen_clear (&seen);
        g_string_truncate (out, 0);
        tr_svg_chart_lines (out, &chart);
        seen = parse (out->str);
        g_assert_true (n > 1
                       || has (out, "Lines on 2026-01-01; highest: ok 0 on 2026-01-01, "
                                    "failed 0 on 2026-01-01."));
        seen_clear (&seen);
      }
}

/* test_names - categories that are not days: a name axis, thinned to what fits */
static void
test_names (void)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree gint64 *v = g_new (gint64, 100);
  TrChartSeries series[] = { { "sessions", v, NULL } };
  TrChart chart = { .id = "n", .title = "Per domain", .series = series, .n_series = 1 };
  g_autoptr (GString) out = g_string_new (NULL);
  Seen seen;

  for (guint i = 0; i < 100; i++)
    {
      g_ptr_array_add (names, g_strdup_printf ("domain-%u.example", i));
      v[i] = i;
    }
  chart.categories = (const char *const *) names->pdata;
  chart.n_categories = names->len;
  tr_svg_chart_stacked (out, &chart, TR_CHART_BARS);
  seen = parse (out->str);
  g_assert_true (has (out, "over 100 categories from domain-0.example to domain-99.example"));
  g_assert_true (has (out, ">domain-0.example</text>"));
  g_assert_false (has (out, ">domain-1.example</text>")); /* no room next to the first */
  g_assert_false (has (out, "day (UTC)"));
  seen_clear (&seen);
}

/* test_day_axis - days labelled by the span: each day, Mondays, months, quarters, years */
static void
test_day_axis (void)
{
  static const struct
  {
    guint n, y, m, d;
    const char *label, *not_label;
  } cases[] = {
    { 10, 2026, 3, 1, ">2 Mar</text>", ">Mar</text>" },
    { 60, 2026, 3, 1, ">2 Mar</text>", ">3 Mar</text>" }, /* 2026-03-02 is a Monday */
    { 365, 2026, 1, 1, ">Feb</text>", ">2 Mar</text>" },
    { 365 * 2, 2025, 6, 15, ">Jan</text>", ">1 Jan</text>" },
    { 365 * 3, 2023, 1, 1, ">Apr</text>", ">Feb</text>" },
    { 365 * 5, 2022, 1, 1, ">2024</text>", ">Apr</text>" }, /* quarters do not fit */
    { 365 * 10, 2016, 1, 1, ">2020</text>", ">Jan</text>" },
  };
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (GStrv) cat = days (cases[i].n, cases[i].y, cases[i].m, cases[i].d);
      g_autofree gint64 *v = g_new (gint64, cases[i].n);
      TrChartSeries series[] = { { "sessions", v, NULL } };
      TrChart chart = { .id = "d",
                        .title = "Days",
                        .categories = (const char *const *) cat,
                        .n_categories = cases[i].n,
                        .series = series,
                        .n_series = 1 };
      Seen seen;

      for (guint j = 0; j < cases[i].n; j++)
        v[j] = j;
      g_string_truncate (out, 0);
      tr_svg_chart_stacked (out, &chart, TR_CHART_BARS);
      seen = parse (out->str);
      if (!has (out, cases[i].label))
        g_error ("case %u: no %s", i, cases[i].label);
      g_assert_false (has (out, cases[i].not_label));
      g_assert_true (has (out, ">day (UTC)</text>"));
      if (cases[i].n > TR_CHART_MAX_COLUMNS)
        g_assert_true (has (out, " Each column combines "));
      seen_clear (&seen);
    }
}

/* ---- hostile input ---- */

static const char *const hostile[] = {
  "<script>alert(1)</script>",
  "\"><svg onload=alert(1)>",
  "' onmouseover='alert(1)",
  "</svg></title></desc><p>",
  "]]><![CDATA[x",
  "<!-- x --> &amp; &#0; &#x1; &nbsp;",
  "\xe2\x80\xae"
  "moc.elgoog\xe2\x80\xac",
  "\x01\x02\x1b[2J\x7f\xc2\x9b",
  "\xff\xfe\xc0\x80\xed\xa0\x80",
  "\xef\xbf\xbe\xef\xbf\xbf\xef\xb7\x90",
  "a\nb\rc\td",
  "",
};

/* assert_harmless - nothing of the hostile strings arrives as markup or as a bad character */
static void
assert_harmless (const GString *out)
{
  Seen seen = parse (out->str);

  g_assert_false (has (out, "<script"));
  g_assert_false (has (out, "<svg onload")); /* as text it is fine; parse() allows no on* */
  g_assert_false (has (out, "]]>"));
  g_assert_false (has (out, "<!--"));
  g_assert_false (has (out, "&#0;"));
  g_assert_false (has (out, "&nbsp;"));
  g_assert_false (has (out, "\xe2\x80\xae"));
  g_assert_false (has (out, "\xef\xbf\xbe"));
  g_assert_false (has (out, "\xc2\x9b"));
  g_assert_cmpuint (count (&seen, "svg"), ==, 1);
  g_assert_cmpuint (count (&seen, "title"), ==, 1);
  for (const char *p = out->str; *p != '\0'; p++)
    g_assert_true ((guchar) *p >= 0x20 || *p == '\n');
  /* the strings are there, as text */
  g_assert_nonnull (strstr (seen.text->str, "<script>alert(1)</script>"));
  g_assert_nonnull (strstr (seen.text->str, "\\u202emoc.elgoog"));
  seen_clear (&seen);
}

static void
test_hostile (void)
{
  guint n = G_N_ELEMENTS (hostile);
  g_autofree gint64 *v = g_new (gint64, n * n);
  g_autofree TrChartSeries *series = g_new0 (TrChartSeries, n);
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *huge = g_strnfill (1 << 20, 'x');

  for (guint i = 0; i < n * n; i++)
    v[i] = i % 3 == 0 ? -1 : (gint64) i * 1000;
  for (guint i = 0; i < n; i++)
    series[i] = (TrChartSeries){ hostile[i], v + i * n, NULL };
  for (guint i = 0; i < n; i++)
    {
      TrChart chart = { .id = hostile[i],
                        .title = hostile[(i + 1) % n],
                        .desc = i % 2 ? hostile[i] : NULL,
                        .categories = hostile,
                        .n_categories = n,
                        .series = series,
                        .n_series = n,
                        .rate = &series[i],
                        .x_title = hostile[i],
                        .y_title = i == 0 ? huge : hostile[i],
                        .y2_title = hostile[i] };
      TrChartGrid grid = { .id = hostile[i],
                           .title = hostile[i],
                           .columns = hostile,
                           .n_columns = n,
                           .rows = hostile,
                           .n_rows = n,
                           .cells = v,
                           .marks = v,
                           .value_name = hostile[i],
                           .mark_name = hostile[(i + 2) % n] };
      TrChartTop top = { .id = hostile[i],
                         .title = hostile[i],
                         .names = hostile,
                         .values = v,
                         .n_items = n,
                         .x_title = hostile[i] };

      g_string_truncate (out, 0);
      tr_svg_chart_stacked (out, &chart, i % 2 ? TR_CHART_AREA : TR_CHART_BARS);
      assert_harmless (out);
      g_string_truncate (out, 0);
      tr_svg_chart_lines (out, &chart);
      assert_harmless (out);
      g_string_truncate (out, 0);
      tr_svg_chart_grid (out, &grid);
      assert_harmless (out);
      g_string_truncate (out, 0);
      tr_svg_chart_top (out, &top);
      assert_harmless (out);
    }
}

/* ---- bounds, size, time, determinism ---- */

#define BIG_DAYS 366
#define BIG_SERIES 30
#define BIG_ROWS 1000

/* big_charts - a year of days x 30 series, 1,000 grid rows, 1,000 top items, each chart's
 * size in @sizes; values up to G_MAXINT64 when @huge */
static void
big_charts (GString *out, gsize sizes[4], gboolean huge)
{
  g_auto (GStrv) cat = days (BIG_DAYS, 2026, 1, 1);
  g_autofree gint64 *v = g_new (gint64, (gsize) BIG_ROWS * BIG_DAYS);
  g_autofree double *rate = g_new (double, BIG_DAYS);
  g_autofree TrChartSeries *series = g_new0 (TrChartSeries, BIG_SERIES);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gsize before = out->len;

  for (gsize i = 0; i < (gsize) BIG_ROWS * BIG_DAYS; i++)
    v[i] = huge ? G_MAXINT64 : (gint64) ((i * 7919) % 100000) - (i % 13 == 0);
  for (guint i = 0; i < BIG_DAYS; i++)
    rate[i] = (i * 37) % 1000 / 10.0;
  for (guint i = 0; i < BIG_ROWS; i++)
    g_ptr_array_add (names, g_strdup_printf ("reporter-%u.example", i));
  for (guint i = 0; i < BIG_SERIES; i++)
    series[i] = (TrChartSeries){ names->pdata[i], v + i * BIG_DAYS, NULL };
  {
    TrChartSeries r = { "failure rate", NULL, rate };
    TrChart chart = { .id = "big",
                      .title = "Big",
                      .categories = (const char *const *) cat,
                      .n_categories = BIG_DAYS,
                      .series = series,
                      .n_series = BIG_SERIES,
                      .rate = &r,
                      .y_title = "sessions per day" };
    TrChartGrid grid = { .id = "biggrid",
                         .title = "Big grid",
                         .columns = (const char *const *) cat,
                         .n_columns = BIG_DAYS,
                         .rows = (const char *const *) names->pdata,
                         .n_rows = BIG_ROWS,
                         .cells = v,
                         .marks = v };
    TrChartTop top = { .id = "bigtop",
                       .title = "Big top",
                       .names = (const char *const *) names->pdata,
                       .values = v,
                       .n_items = BIG_ROWS };

    tr_svg_chart_stacked (out, &chart, TR_CHART_BARS);
    sizes[0] = out->len - before;
    chart.percent = FALSE;
    tr_svg_chart_lines (out, &chart);
    sizes[1] = out->len - before - sizes[0];
    tr_svg_chart_grid (out, &grid);
    sizes[2] = out->len - before - sizes[0] - sizes[1];
    tr_svg_chart_top (out, &top);
    sizes[3] = out->len - before - sizes[0] - sizes[1] - sizes[2];
  }
}

/* split_check - each <svg> of @out parsed on its own */
static void
split_check (const GString *out)
{
  g_auto (GStrv) parts = g_strsplit (out->str, "</svg>\n", -1);

  for (guint i = 0; parts[i] != NULL && parts[i][0] != '\0'; i++)
    {
      g_autofree char *svg = g_strconcat (parts[i], "</svg>\n", NULL);
      Seen seen = parse (svg);

      seen_clear (&seen);
    }
}

static void
test_bounds (void)
{
  g_autoptr (GString) out = g_string_new (NULL);
  gsize sizes[4];
  double seconds;

  g_test_timer_start ();
  big_charts (out, sizes, FALSE);
  seconds = g_test_timer_elapsed ();
  g_test_message ("366 days x 30 series: bars %zu, lines %zu bytes; grid of 1000 rows x 366 "
                  "days %zu; top of 1000 %zu; %.3f s",
                  sizes[0], sizes[1], sizes[2], sizes[3], seconds);
  g_assert_cmpuint (sizes[0], <, 64 * 1024);
  g_assert_cmpuint (sizes[1], <, 64 * 1024);
  g_assert_cmpuint (sizes[2], <, 256 * 1024);
  g_assert_cmpuint (sizes[3], <, 16 * 1024);
  g_assert_cmpfloat (seconds, <, 1.0);
  g_assert_true (has (out, " The last 23 series are summed as \xe2\x80\x9cother\xe2\x80\x9d."));
  g_assert_true (has (out, " 22 more series are not drawn.") == FALSE);
  g_assert_true (has (out, " The last row sums 951 rows."));
  g_assert_true (has (out, ">951 others</text>"));
  g_assert_true (has (out, " 975 more items are not drawn."));
  split_check (out);

  /* G_MAXINT64 everywhere: sums saturate, nothing overflows (UBSan would say) */
  g_string_truncate (out, 0);
  big_charts (out, sizes, TRUE);
  g_assert_true (has (out, ": 9,223,372,036,854,775,807 in all;"));
  split_check (out);
}

/* test_worst_grid - the largest a grid can be: 400 columns x 50 rows, every cell a new level
 * and every other one marked, 100-character labels */
static void
test_worst_grid (void)
{
  enum
  {
    C = TR_CHART_MAX_COLUMNS,
    R = 60
  };
  static const gint64 level[] = { 0, 1, 100, 10000, -1 };
  g_auto (GStrv) cat = days (C, 2024, 1, 1);
  g_autofree gint64 *v = g_new (gint64, (gsize) R * C);
  g_autofree gint64 *m = g_new (gint64, (gsize) R * C);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) out = g_string_new (NULL);
  Seen seen;

  for (guint i = 0; i < R; i++)
    g_ptr_array_add (names, g_strnfill (100, 'W'));
  for (gsize i = 0; i < (gsize) R * C; i++)
    {
      v[i] = level[(i + i / C) % 4]; /* the folded row sums to a level too */
      m[i] = i % 2;
    }
  {
    TrChartGrid grid = { .id = "worst",
                         .title = "Worst",
                         .columns = (const char *const *) cat,
                         .n_columns = C,
                         .rows = (const char *const *) names->pdata,
                         .n_rows = R,
                         .cells = v,
                         .marks = m };

    tr_svg_chart_grid (out, &grid);
  }
  seen = parse (out->str);
  g_test_message ("worst grid: %zu bytes", out->len);
  g_assert_cmpuint (out->len, <, 1024 * 1024);
  seen_clear (&seen);
}

static void
test_deterministic (void)
{
  g_autoptr (GString) a = g_string_new (NULL);
  g_autoptr (GString) b = g_string_new (NULL);
  gsize sizes[4];

  big_charts (a, sizes, FALSE);
  /* a locale with a decimal comma, when the machine has one, must change nothing */
  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL && setlocale (LC_ALL, "fr_FR.UTF-8") == NULL)
    g_test_message ("no locale with a decimal comma here: same locale twice");
  big_charts (b, sizes, FALSE);
  setlocale (LC_ALL, "C");
  g_assert_cmpuint (a->len, ==, b->len);
  g_assert_true (memcmp (a->str, b->str, a->len) == 0);
}

/* figure - append @svg to @page as a figure with a caption */
static void
figure (GString *page, const char *caption, GString *svg)
{
  Seen seen = parse (svg->str);

  seen_clear (&seen);
  g_string_append_printf (
      page,
      "<figure>\n<figcaption>%s</figcaption>\n<div class=\"tr-chart-wrap\">\n%s</div>\n</figure>\n",
      caption, svg->str);
  g_string_truncate (svg, 0);
}

#define DEMO_DAYS 90
#define DEMO_ROWS 12

/* the data of the demo page: 90 days of sessions and failures, result types, rates per
 * domain, reporters by day */
typedef struct
{
  GStrv days;
  gint64 ok[DEMO_DAYS], failed[DEMO_DAYS], type[4][DEMO_DAYS];
  gint64 cells[DEMO_ROWS * DEMO_DAYS], marks[DEMO_ROWS * DEMO_DAYS];
  double rate[DEMO_DAYS], drate[3][DEMO_DAYS];
  char *reporters[DEMO_ROWS];
} Demo;

/* demo_data - @d filled with invented, varied data; a hostile reporter name among it */
static void
demo_data (Demo *d)
{
  enum
  {
    N = DEMO_DAYS,
    R = DEMO_ROWS
  };

  d->days = days (N, 2026, 9, 1);
  for (guint i = 0; i < N; i++)
    {
      d->ok[i] = 40000 + (i * 7919) % 9000 - (i % 7 >= 5 ? 15000 : 0);
      d->failed[i] = i >= 30 && i < 45 ? 3000 + (i * 131) % 2000 : (i * 97) % 300;
      d->rate[i] = 100.0 * d->failed[i] / (d->ok[i] + d->failed[i]);
      for (guint t = 0; t < 4; t++)
        d->type[t][i]
            = t == 0 && i >= 30 && i < 45 ? d->failed[i] : (i * (t + 3) * 37) % (200 / (t + 1));
      for (guint k = 0; k < 3; k++)
        d->drate[k][i] = k == 1 && i % 10 == 3 ? NAN : d->rate[i] * (k + 1) / 3.0 + k;
    }
  for (guint r = 0; r < R; r++)
    {
      d->reporters[r] = r == 5 ? g_strdup ("<script>alert(1)</script> \xe2\x80\xae"
                                           "evil")
                               : g_strdup_printf ("reporter%u.example", r);
      for (guint i = 0; i < N; i++)
        {
          gboolean silent = (r == 3 && i > 70) || (r == 7 && i % 9 == 4) || (r == 11 && i < 50);

          d->cells[r * N + i] = silent ? -1 : (gint64) ((r + 1) * (r + 1) * 37 + i % 5) % 100000;
          d->marks[r * N + i] = r % 4 == 1 && i >= 30 && i < 45;
        }
    }
}

static void
demo_clear (Demo *d)
{
  g_strfreev (d->days);
  for (guint r = 0; r < DEMO_ROWS; r++)
    g_free (d->reporters[r]);
}

/* demo_time_charts - sessions with the rate, result types as areas and bars, rates per domain */
static void
demo_time_charts (GString *page, GString *svg, const Demo *d)
{
  static const char *const types[] = { "certificate-expired", "starttls-not-supported",
                                       "validation-failure", "sts-policy-fetch-error" };
  static const char *const domains[] = { "example.com", "example.net", "example.org" };
  TrChartSeries s[] = { { "successful", d->ok, NULL }, { "failed", d->failed, NULL } };
  TrChartSeries r = { "failure rate", NULL, d->rate }, ts[4], ds[3];
  TrChart c = { .id = "sessions",
                .title = "Sessions per day",
                .categories = (const char *const *) d->days,
                .n_categories = DEMO_DAYS,
                .series = s,
                .n_series = 2,
                .rate = &r,
                .y_title = "sessions per day",
                .y2_title = "failure rate (%)" };

  tr_svg_chart_stacked (svg, &c, TR_CHART_BARS);
  figure (page, "Sessions per day, with the failure rate", svg);
  for (guint t = 0; t < 4; t++)
    ts[t] = (TrChartSeries){ types[t], d->type[t], NULL };
  c = (TrChart){ .id = "types",
                 .title = "Failed sessions by result type",
                 .categories = (const char *const *) d->days,
                 .n_categories = DEMO_DAYS,
                 .series = ts,
                 .n_series = 4,
                 .y_title = "failed sessions per day" };
  tr_svg_chart_stacked (svg, &c, TR_CHART_AREA);
  figure (page, "Failed sessions by result type (areas)", svg);
  c.id = "types-bars";
  tr_svg_chart_stacked (svg, &c, TR_CHART_BARS);
  figure (page, "Failed sessions by result type (bars)", svg);
  for (guint k = 0; k < 3; k++)
    ds[k] = (TrChartSeries){ domains[k], NULL, d->drate[k] };
  c = (TrChart){ .id = "rates",
                 .title = "Failure rate per domain",
                 .categories = (const char *const *) d->days,
                 .n_categories = DEMO_DAYS,
                 .series = ds,
                 .n_series = 3,
                 .percent = TRUE,
                 .y_title = "failure rate (%)" };
  tr_svg_chart_lines (svg, &c);
  figure (page, "Failure rate per domain", svg);
  c.id = "rates-short";
  c.n_categories = 14;
  tr_svg_chart_lines (svg, &c);
  figure (page, "Failure rate per domain, two weeks", svg);
}

/* demo_charts - a page's worth of charts, a hostile label and an empty chart among them */
static void
demo_charts (GString *page)
{
  static const char *const mx[] = { "mx1.example.com", "mx2.example.com", "192.0.2.25",
                                    "2001:db8::25", "mx.backup.example.net" };
  static const gint64 mx_failed[] = { 48210, 9120, 880, 75, 3 };
  g_autoptr (GString) svg = g_string_new (NULL);
  Demo d;

  demo_data (&d);
  demo_time_charts (page, svg, &d);
  {
    TrChartGrid g = { .id = "reporters",
                      .title = "Reports by reporter and day",
                      .columns = (const char *const *) d.days,
                      .n_columns = DEMO_DAYS,
                      .rows = (const char *const *) d.reporters,
                      .n_rows = DEMO_ROWS,
                      .cells = d.cells,
                      .marks = d.marks,
                      .value_name = "sessions:",
                      .mark_name = "with failures" };

    tr_svg_chart_grid (svg, &g);
    figure (page, "Who reported when", svg);
  }
  {
    TrChartTop t = { .id = "mx",
                     .title = "Top failing MX hosts",
                     .names = mx,
                     .values = mx_failed,
                     .n_items = 5,
                     .x_title = "failed sessions",
                     .max_items = 4 };

    tr_svg_chart_top (svg, &t);
    figure (page, "Top failing MX hosts", svg);
  }
  {
    TrChart c = { .id = "empty", .title = "Nothing" };

    tr_svg_chart_lines (svg, &c);
    figure (page, "No data", svg);
  }
  demo_clear (&d);
}

/* test_page - the demo charts in one HTML page, written to $TR_SVG_CHART_PAGE when set */
static void
test_page (void)
{
  g_autoptr (GString) page = g_string_new (NULL);
  g_autoptr (GString) html = g_string_new (
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>tlsrptdb charts</title>\n<style>\n"
      "body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}\n"
      "figure{margin:1.5rem 0}\n"
      "@media (prefers-color-scheme:dark){body{background:#121212;color:#e6e6e6}}\n");
  const char *path = g_getenv ("TR_SVG_CHART_PAGE");
  g_autoptr (GError) error = NULL;

  demo_charts (page);
  tr_svg_chart_css (html);
  g_string_append_printf (html, "</style>\n</head>\n<body>\n<h1>Charts</h1>\n%s</body>\n</html>\n",
                          page->str);
  if (path == NULL)
    return;
  g_assert_true (g_file_set_contents (path, html->str, (gssize) html->len, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/svg-chart/ticks", test_ticks);
  g_test_add_func ("/svg-chart/format", test_format);
  g_test_add_func ("/svg-chart/markup", test_markup);
  g_test_add_func ("/svg-chart/markup-long", test_markup_long);
  g_test_add_func ("/svg-chart/stacked", test_stacked);
  g_test_add_func ("/svg-chart/area", test_area);
  g_test_add_func ("/svg-chart/lines", test_lines);
  g_test_add_func ("/svg-chart/grid", test_grid);
  g_test_add_func ("/svg-chart/grid-silent", test_grid_silent);
  g_test_add_func ("/svg-chart/top", test_top);
  g_test_add_func ("/svg-chart/no-data", test_no_data);
  g_test_add_func ("/svg-chart/small", test_small);
  g_test_add_func ("/svg-chart/names", test_names);
  g_test_add_func ("/svg-chart/day-axis", test_day_axis);
  g_test_add_func ("/svg-chart/hostile", test_hostile);
  g_test_add_func ("/svg-chart/bounds", test_bounds);
  g_test_add_func ("/svg-chart/worst-grid", test_worst_grid);
  g_test_add_func ("/svg-chart/deterministic", test_deterministic);
  g_test_add_func ("/svg-chart/page", test_page);
  return g_test_run ();
}
