/* svg-chart-data.c - the data as the SVG charts draw it: columns, days, aggregated series
 *
 * However many categories it is given, a chart draws at most TR_CHART_MAX_COLUMNS columns: more
 * are combined in groups of consecutive ones (counts summed, other values averaged), so that
 * ten years of days draw as fast, and as small, as one.  Every loop here is one pass over the
 * input.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "markup.h"
#include "svg-chart-private.h"

static const char *const month_names[]
    = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* parse_day - a "YYYY-MM-DD" day as a Julian day number and its TR_DAY_* flags */
static gboolean
parse_day (const char *s, guint32 *julian, guint8 *flags)
{
  guint v[3] = { 0, 0, 0 };
  GDate date;

  if (s == NULL)
    return FALSE;
  for (guint i = 0, field = 0; i < 10; i++)
    {
      if (i == 4 || i == 7)
        {
          if (s[i] != '-')
            return FALSE;
          field++;
        }
      else if (g_ascii_isdigit (s[i]))
        v[field] = v[field] * 10 + (guint) (s[i] - '0');
      else
        return FALSE; /* also the end of a shorter string */
    }
  if (s[10] != '\0' || v[0] == 0 || !g_date_valid_dmy (v[2], v[1], v[0]))
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) v[2], (GDateMonth) v[1], (GDateYear) v[0]);
  *julian = g_date_get_julian (&date);
  *flags = g_date_get_weekday (&date) == G_DATE_MONDAY ? TR_DAY_MONDAY : 0;
  if (v[2] == 1)
    *flags |= TR_DAY_MONTH | ((v[1] - 1) % 3 == 0 ? TR_DAY_QUARTER : 0)
              | (v[1] == 1 ? TR_DAY_YEAR : 0);
  return TRUE;
}

/* columns_days - the day facts of each column, or FALSE when some category is not a day */
static gboolean
columns_days (TrColumns *c, const char *const *labels)
{
  c->julian = g_new0 (guint32, c->n);
  c->flags = g_new0 (guint8, c->n);
  for (guint i = 0; i < c->n_cat; i++)
    {
      guint col = i / c->group;
      guint32 julian;
      guint8 flags;

      if (!parse_day (labels[i], &julian, &flags))
        return FALSE;
      /* a column is named by its first day, or by its most important boundary */
      if (i % c->group == 0 || flags > c->flags[col])
        c->julian[col] = julian;
      c->flags[col] |= flags;
    }
  return TRUE;
}

/* tr_columns_init - the columns for @n_cat categories @labels, at most @max of them */
void
tr_columns_init (TrColumns *c, const char *const *labels, guint n_cat, guint max)
{
  static const char *const none[] = { "" };

  memset (c, 0, sizeof *c);
  if (labels == NULL)
    n_cat = 0;
  if (max == 0 || max > TR_CHART_MAX_COLUMNS)
    max = TR_CHART_MAX_COLUMNS;
  c->n_cat = n_cat;
  c->group = n_cat > max ? (n_cat + max - 1) / max : 1;
  c->n = (n_cat + c->group - 1) / c->group;
  c->label = g_new0 (char *, c->n + 1);
  for (guint col = 0; col < c->n; col++)
    c->label[col] = tr_markup_clean (labels[col * c->group], TR_CHART_MAX_LABEL);
  c->last = tr_markup_clean (n_cat > 0 ? labels[n_cat - 1] : none[0], TR_CHART_MAX_LABEL);
  c->days = n_cat > 0 && columns_days (c, labels);
  if (!c->days)
    {
      g_clear_pointer (&c->julian, g_free);
      g_clear_pointer (&c->flags, g_free);
    }
}

/* tr_columns_clear - free what @c holds */
void
tr_columns_clear (TrColumns *c)
{
  g_strfreev (c->label);
  g_free (c->last);
  g_free (c->julian);
  g_free (c->flags);
  memset (c, 0, sizeof *c);
}

/* tr_columns_append_range - "from A to B (N days)", "on A", "over N categories from A to B" */
void
tr_columns_append_range (GString *s, const TrColumns *c)
{
  if (c->n_cat == 1)
    g_string_append_printf (s, c->days ? "on %s" : "for %s", c->label[0]);
  else if (c->days)
    {
      g_string_append_printf (s, "from %s to %s (", c->label[0], c->last);
      tr_chart_append_count (s, c->n_cat);
      g_string_append (s, " days)");
    }
  else
    {
      g_string_append (s, "over ");
      tr_chart_append_count (s, c->n_cat);
      g_string_append_printf (s, " categories from %s to %s", c->label[0], c->last);
    }
}

/* tr_columns_append_at - where column @col is: "on A", "in the N days from A" */
void
tr_columns_append_at (GString *s, const TrColumns *c, guint col)
{
  if (c->group == 1)
    g_string_append_printf (s, c->days ? " on %s" : " for %s", c->label[col]);
  else
    g_string_append_printf (s, " in the %u %s from %s", c->group, c->days ? "days" : "categories",
                            c->label[col]);
}

/* tr_columns_append_group_note - " Each column combines N consecutive days (@how)." */
void
tr_columns_append_group_note (GString *s, const TrColumns *c, const char *how)
{
  if (c->group > 1)
    g_string_append_printf (s, " Each column combines %u consecutive %s (%s).", c->group,
                            c->days ? "days" : "categories", how);
}

/* tr_columns_tick_mode - the days that get a labelled tick: 0 for every column, else the
 * TR_DAY_* flag of the boundary (Mondays, months, quarters, years) that suits the span */
guint
tr_columns_tick_mode (const TrColumns *c)
{
  if (!c->days || c->n_cat <= 16)
    return 0;
  if (c->n_cat <= 70)
    return TR_DAY_MONDAY;
  if (c->n_cat <= 750)
    return TR_DAY_MONTH;
  if (c->n_cat <= 2200)
    return TR_DAY_QUARTER;
  return TR_DAY_YEAR;
}

/* tr_columns_wants_tick - whether column @col gets a labelled tick in @mode */
gboolean
tr_columns_wants_tick (const TrColumns *c, guint col, guint mode)
{
  return mode == 0 || (c->flags[col] & mode) != 0;
}

/* tr_columns_tick_label - the label of column @col in @mode ("5 Mar", "Mar", "2026", a name);
 * *@year: its year, 0 when the columns are not days or the label is the year */
char *
tr_columns_tick_label (const TrColumns *c, guint col, guint mode, guint *year)
{
  GDate date;

  *year = 0;
  if (!c->days)
    return tr_markup_clean (c->label[col], TR_CHART_X_LABEL); /* clean already: only cut */
  g_date_clear (&date, 1);
  g_date_set_julian (&date, c->julian[col]);
  if (mode == TR_DAY_YEAR)
    return g_strdup_printf ("%u", (guint) g_date_get_year (&date));
  *year = g_date_get_year (&date);
  if (mode == TR_DAY_MONTH || mode == TR_DAY_QUARTER)
    return g_strdup (month_names[g_date_get_month (&date) - 1]);
  return g_strdup_printf ("%u %s", (guint) g_date_get_day (&date),
                          month_names[g_date_get_month (&date) - 1]);
}

/* count_at - count @i of @s, or -1 when missing (values taken as counts when there are none) */
static gint64
count_at (const TrChartSeries *s, guint i)
{
  if (s->counts != NULL)
    return s->counts[i] < 0 ? -1 : s->counts[i];
  if (s->values != NULL && isfinite (s->values[i]) && s->values[i] >= 0)
    return s->values[i] >= 9.2e18 ? G_MAXINT64 : (gint64) s->values[i];
  return -1;
}

/* value_at - value @i of @s, or NaN (counts preferred, as in count_at) */
static double
value_at (const TrChartSeries *s, guint i)
{
  if (s->counts != NULL)
    return s->counts[i] < 0 ? NAN : (double) s->counts[i];
  if (s->values != NULL && isfinite (s->values[i]))
    return s->values[i];
  return NAN;
}

/* tr_chart_series_init - an empty series @name (raw) of @c's columns, of counts or values */
void
tr_chart_series_init (TrChartSeriesData *d, const char *name, const TrColumns *c, gboolean counts)
{
  memset (d, 0, sizeof *d);
  d->name = tr_markup_clean (name, TR_CHART_MAX_LABEL);
  d->v = g_new (double, MAX (c->n, 1u));
  for (guint col = 0; col < c->n; col++)
    d->v[col] = NAN;
  d->counts = counts;
}

/* add_counts - @s's counts summed into @d's columns and total */
static void
add_counts (TrChartSeriesData *d, const TrChartSeries *s, const TrColumns *c)
{
  for (guint i = 0; i < c->n_cat; i++)
    {
      gint64 x = count_at (s, i);
      guint col = i / c->group;

      if (x < 0)
        continue;
      d->v[col] = isnan (d->v[col]) ? (double) x : d->v[col] + (double) x;
      d->total = tr_chart_add (d->total, x);
    }
}

/* tr_chart_series_add - @s added to @d: counts summed per column; values averaged per column,
 * clamped to 0..100 when @percent (a series of values is added once) */
void
tr_chart_series_add (TrChartSeriesData *d, const TrChartSeries *s, const TrColumns *c,
                     gboolean percent)
{
  if (s == NULL || (s->counts == NULL && s->values == NULL))
    return;
  if (d->counts)
    {
      add_counts (d, s, c);
      return;
    }
  for (guint col = 0; col < c->n; col++)
    {
      guint first = col * c->group, end = MIN (first + c->group, c->n_cat), n = 0;
      double sum = 0;

      for (guint i = first; i < end; i++)
        {
          double x = value_at (s, i);

          if (isnan (x))
            continue;
          sum += CLAMP (x, 0, percent ? 100 : G_MAXDOUBLE);
          n++;
        }
      d->v[col] = n > 0 ? sum / n : NAN;
    }
}

/* tr_chart_series_finish - @d's peak and whether it has any value, over its @n columns */
void
tr_chart_series_finish (TrChartSeriesData *d, guint n)
{
  for (guint col = 0; col < n; col++)
    {
      if (isnan (d->v[col]))
        continue;
      if (!d->any || d->v[col] > d->peak)
        d->peak = d->v[col], d->peak_col = col;
      d->any = TRUE;
    }
}

/* tr_chart_series_clear - free what @d holds */
void
tr_chart_series_clear (TrChartSeriesData *d)
{
  g_free (d->name);
  g_free (d->v);
  memset (d, 0, sizeof *d);
}
