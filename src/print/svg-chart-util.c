/* svg-chart-util.c - numbers, ticks, the x axis's columns and days, for the SVG charts
 *
 * Everything here is written by hand or with integer formats, never with a printf of a double:
 * a report must not come out with "2,5" under a German locale, nor differ from one machine to
 * the next.  Counts are added saturating, since a hostile report can claim G_MAXINT64 sessions.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "markup.h"
#include "svg-chart-private.h"

/* tr_chart_add - @a + @b (both >= 0), G_MAXINT64 when that overflows */
gint64
tr_chart_add (gint64 a, gint64 b)
{
  return b > G_MAXINT64 - a ? G_MAXINT64 : a + b;
}

/* append_grouped - @v in decimal, with "," between thousands */
static void
append_grouped (GString *out, guint64 v)
{
  char digits[24];
  int n = 0;

  do
    {
      digits[n++] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v > 0);
  while (n-- > 0)
    {
      g_string_append_c (out, digits[n]);
      if (n > 0 && n % 3 == 0)
        g_string_append_c (out, ',');
    }
}

/* tr_chart_append_count - @value in full */
void
tr_chart_append_count (GString *out, gint64 value)
{
  if (value < 0)
    {
      g_string_append_c (out, '-');
      append_grouped (out, (guint64) (-(value + 1)) + 1); /* -G_MININT64 does not fit */
    }
  else
    append_grouped (out, (guint64) value);
}

/* tr_chart_append_fixed - @value rounded to @decimals places, thousands grouped */
void
tr_chart_append_fixed (GString *out, double value, guint decimals)
{
  static const guint64 scale[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
  double a;
  guint64 r;

  decimals = MIN (decimals, 6u);
  if (!isfinite (value))
    value = 0;
  a = floor (fabs (value) * (double) scale[decimals] + 0.5);
  r = a >= 9e18 ? G_GUINT64_CONSTANT (9000000000000000000) : (guint64) a;
  if (value < 0 && r > 0)
    g_string_append_c (out, '-');
  append_grouped (out, r / scale[decimals]);
  if (decimals > 0)
    g_string_append_printf (out, ".%0*" G_GUINT64_FORMAT, (int) decimals, r % scale[decimals]);
}

/* strip_zeros - drop trailing zeros after a decimal point at @from in @out, and the point */
static void
strip_zeros (GString *out, gsize from)
{
  if (memchr (out->str + from, '.', out->len - from) == NULL)
    return;
  while (out->len > from && out->str[out->len - 1] == '0')
    g_string_truncate (out, out->len - 1);
  if (out->len > from && out->str[out->len - 1] == '.')
    g_string_truncate (out, out->len - 1);
}

/* tr_chart_append_coord - @v rounded to a tenth of a unit: exact enough, and short; the digits
 * written by hand, as printf took three quarters of the time of a chart */
void
tr_chart_append_coord (GString *out, double v)
{
  char digits[24];
  int n = 0;
  gint64 t;

  if (!isfinite (v))
    v = 0;
  t = (gint64) floor (CLAMP (v, -1e7, 1e7) * 10 + 0.5);
  if (t < 0)
    {
      g_string_append_c (out, '-');
      t = -t;
    }
  if (t % 10 != 0)
    {
      digits[n++] = (char) ('0' + t % 10);
      digits[n++] = '.';
    }
  t /= 10;
  do
    {
      digits[n++] = (char) ('0' + t % 10);
      t /= 10;
    }
  while (t > 0);
  while (n-- > 0)
    g_string_append_c (out, digits[n]);
}

static const char suffixes[] = " kMGTPE";

/* thousands - 1000^@s */
static double
thousands (guint s)
{
  double p = 1;

  while (s-- > 0)
    p *= 1000;
  return p;
}

/* tr_chart_append_short - @value (>= 0) in full below 10,000, else as "12k", "1.5M" */
void
tr_chart_append_short (GString *out, gint64 value)
{
  guint s = 0;
  gsize from = out->len;

  if (value < 10000)
    {
      tr_chart_append_count (out, value);
      return;
    }
  while (s < 6 && (double) value >= thousands (s + 1))
    s++;
  tr_chart_append_fixed (out, (double) value / thousands (s), 1);
  strip_zeros (out, from);
  g_string_append_c (out, suffixes[s]);
}

/* tr_chart_append_percent - @value (a percentage) with one decimal, "<0.1%" for a little */
void
tr_chart_append_percent (GString *out, double value)
{
  gsize from = out->len;

  if (value > 0 && value < 0.05)
    {
      g_string_append (out, "<0.1%");
      return;
    }
  tr_chart_append_fixed (out, value, 1);
  strip_zeros (out, from);
  g_string_append_c (out, '%');
}

/* pow10i - 10^@e: exact for 0 <= e <= 22, and 1 / 10^-e (correctly rounded) below */
static double
pow10i (int e)
{
  double p = 1;

  for (int i = 0; i < ABS (e); i++)
    p *= 10;
  return e < 0 ? 1 / p : p;
}

/* tr_chart_ticks - about five 1/2/5 x 10^n steps from 0 past @data_max */
void
tr_chart_ticks (double data_max, gboolean counts, TrChartTicks *t)
{
  double raw, norm;
  int e = 0, m;

  if (!isfinite (data_max) || data_max <= 0)
    data_max = 1;
  data_max = CLAMP (data_max, 1e-6, 1e21);
  raw = data_max / 5;
  /* raw = norm x 10^e with 1 <= norm < 10; counted, so that it does not hang on log10's
   * rounding */
  while (pow10i (e + 1) <= raw)
    e++;
  while (pow10i (e) > raw)
    e--;
  norm = raw / pow10i (e);
  m = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
  if (m == 10)
    m = 1, e++;
  if (counts && e < 0)
    m = 1, e = 0;
  t->step = e >= 0 ? m * pow10i (e) : m / pow10i (-e);
  t->n = (guint) MAX (1.0, ceil (data_max / t->step - 1e-9));
  t->max = e >= 0 ? t->n * t->step : (double) t->n * m / pow10i (-e);
  t->counts = counts;
  t->decimals = e < 0 ? (guint) -e : 0;
  t->suffix = 0;
  if (counts && t->max >= 10000)
    {
      while (t->suffix < 6 && t->max >= thousands (t->suffix + 1))
        t->suffix++;
      t->decimals = e < (int) (3 * t->suffix) ? 3 * t->suffix - (guint) e : 0;
    }
}

/* tr_chart_append_tick - the label of tick @i */
void
tr_chart_append_tick (GString *out, const TrChartTicks *t, guint i, gboolean percent)
{
  gsize from = out->len;
  double v = (double) i * t->step;

  if (i == t->n)
    v = t->max; /* the same rounding as the axis end */
  tr_chart_append_fixed (out, v / thousands (t->suffix), t->decimals);
  strip_zeros (out, from);
  if (t->suffix > 0 && v > 0)
    g_string_append_c (out, suffixes[t->suffix]);
  if (percent)
    g_string_append_c (out, '%');
}

/* char_em - the width of @c in em, about DejaVu Sans's (Debian's sans-serif, one of the widest):
 * there are no font metrics without a browser, and too wide is better than overlapping */
static double
char_em (gunichar c)
{
  if (g_unichar_iszerowidth (c))
    return 0;
  if (c >= 0x80)
    return g_unichar_iswide (c) ? 1.0 : 0.7;
  if (strchr ("il.,:;'|!`", (int) c) != NULL)
    return 0.32;
  if (strchr ("fjrtI()[]{} -/\\\"", (int) c) != NULL)
    return 0.42;
  if (strchr ("%mwMW@", (int) c) != NULL)
    return 0.95;
  return g_ascii_isupper (c) ? 0.72 : 0.63;
}

/* tr_chart_text_width - an estimate of @clean's width in viewBox units */
double
tr_chart_text_width (const char *clean)
{
  double em = 0;

  for (const char *p = clean; *p != '\0'; p = g_utf8_next_char (p))
    em += char_em (g_utf8_get_char (p));
  return em * TR_CHART_FONT;
}

/* tr_chart_id - @raw kept to [A-Za-z0-9_-], at most 40 of them, starting with a letter */
char *
tr_chart_id (const char *raw)
{
  GString *s = g_string_new (NULL);

  for (const char *p = raw ? raw : ""; *p != '\0' && s->len < 40; p++)
    if (g_ascii_isalnum (*p) || *p == '_' || *p == '-')
      g_string_append_c (s, *p);
  if (s->len == 0)
    g_string_append (s, "chart");
  else if (!g_ascii_isalpha (s->str[0]))
    g_string_prepend_c (s, 'c');
  return g_string_free (s, FALSE);
}
