/* timespec.c - the one parser of every option that takes a time or a span (--since, --until,
 * --older-than, --silent-after, ...): units that cannot be confused
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "error.h"
#include "timespec.h"

/* The units of a span, longest name first where one is a prefix of another. */
static const struct
{
  const char *name;
  gint64 seconds; /* 0: calendar months, -1: calendar years */
} units[] = {
  { "min", 60 },  { "mo", 0 },        { "s", 1 },  { "h", 3600 },
  { "d", 86400 }, { "w", 7 * 86400 }, { "y", -1 },
};

/* parse_span - "30d", "24h", "90min", "13mo", "1y": the number and the unit's index; FALSE for
 * anything else (*@ambiguous for a bare "m") */
static gboolean
parse_span (const char *text, guint64 *n, guint *unit, gboolean *ambiguous)
{
  gsize digits = strspn (text, "0123456789");
  g_autofree char *number = g_strndup (text, digits);
  const char *name = text + digits;

  *ambiguous = digits > 0 && strcmp (name, "m") == 0;
  if (digits == 0 || digits > 9 || !g_ascii_string_to_unsigned (number, 10, 0, 999999999, n, NULL))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (name, units[i].name) == 0)
      {
        *unit = i;
        return TRUE;
      }
  return FALSE;
}

/* span_back - @now less @n of unit @unit, or NULL past the year 1 */
static GDateTime *
span_back (GDateTime *now, guint64 n, guint unit)
{
  if (n > 200000)
    return NULL; /* more than any calendar GLib can count back */
  if (units[unit].seconds == 0)
    return g_date_time_add_months (now, -(gint) n);
  if (units[unit].seconds < 0)
    return g_date_time_add_years (now, -(gint) n);
  if (n > (guint64) (G_MAXINT64 / G_USEC_PER_SEC / units[unit].seconds))
    return NULL;
  return g_date_time_add (now, -(GTimeSpan) n * units[unit].seconds * G_USEC_PER_SEC);
}

/* parse_date - "YYYY-MM-DD" as its midnight, UTC */
static GDateTime *
parse_date (const char *text)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  int y, m, d;
  char tail;

  if (strlen (text) != 10 || !g_ascii_isdigit (text[0]) || text[4] != '-' || text[7] != '-'
      || sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return NULL;
  return g_date_time_new (utc, y, m, d, 0, 0, 0);
}

/* midnight - the start of the UTC day of @t */
static GDateTime *
midnight (GDateTime *t)
{
  g_autoptr (GDateTime) u = g_date_time_to_utc (t);

  return g_date_time_new_utc (g_date_time_get_year (u), g_date_time_get_month (u),
                              g_date_time_get_day_of_month (u), 0, 0, 0);
}

/* parse_word - today, yesterday, or an absolute time */
static GDateTime *
parse_word (const char *text, GDateTime *now)
{
  g_autoptr (GTimeZone) utc = NULL;

  if (g_ascii_strcasecmp (text, "today") == 0)
    return midnight (now);
  if (g_ascii_strcasecmp (text, "yesterday") == 0)
    {
      g_autoptr (GDateTime) today = midnight (now);
      return g_date_time_add_days (today, -1);
    }
  if (strlen (text) == 10)
    return parse_date (text);
  if (strlen (text) > 10 && (text[10] == 'T' || text[10] == 't' || text[10] == ' '))
    {
      g_autofree char *iso = g_ascii_strup (text, -1); /* GLib 2.74 refuses lower-case t and z */

      iso[10] = 'T';
      utc = g_time_zone_new_utc ();
      return g_date_time_new_from_iso8601 (iso, utc);
    }
  return NULL;
}

/* tr_time_parse - a point in time from an option's value */
GDateTime *
tr_time_parse (const char *option, const char *text, GDateTime *now, GError **error)
{
  g_autoptr (GDateTime) when = NULL;
  gboolean ambiguous = FALSE;
  guint64 n;
  guint unit;

  if (parse_span (text, &n, &unit, &ambiguous))
    when = span_back (now, n, unit);
  else if (!ambiguous)
    when = parse_word (text, now);
  if (ambiguous)
    {
      g_autofree char *number = g_strndup (text, strlen (text) - 1);

      g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                   "%s: \"%s\" could be minutes or months: write %smin or %smo", option, text,
                   number, number);
    }
  else if (when == NULL || g_date_time_get_year (when) < 1970 || g_date_time_get_year (when) > 9999)
    g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                 "%s: expected a date (2026-11-20), a date-time (2026-11-20T10:00:00Z), today, "
                 "yesterday, or a span back from now such as 30d, 24h, 90min, 2w, 13mo or 1y, "
                 "not \"%s\"",
                 option, text);
  else
    return g_date_time_to_utc (when);
  return NULL;
}

/* tr_time_parse_span - a span, not a point in time */
gboolean
tr_time_parse_span (const char *option, const char *text, GDateTime *now, GTimeSpan *seconds,
                    GError **error)
{
  g_autoptr (GDateTime) when = NULL;
  gboolean ambiguous = FALSE;
  guint64 n;
  guint unit;

  if (!parse_span (text, &n, &unit, &ambiguous))
    {
      if (ambiguous)
        return tr_time_parse (option, text, now, error) != NULL; /* sets its error */
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                   "%s: expected a span such as 48h, 2d, 90min, 2w or 1mo, not \"%s\"", option,
                   text);
      return FALSE;
    }
  when = tr_time_parse (option, text, now, error);
  if (when == NULL)
    return FALSE;
  *seconds = g_date_time_difference (now, when) / G_USEC_PER_SEC;
  return TRUE;
}

/* tr_time_day - the UTC day of @t */
char *
tr_time_day (GDateTime *t)
{
  g_autoptr (GDateTime) u = g_date_time_to_utc (t);

  return g_date_time_format (u, "%Y-%m-%d");
}

/* tr_time_parse_day - tr_time_parse(), as the UTC day it falls on */
char *
tr_time_parse_day (const char *option, const char *text, GDateTime *now, GError **error)
{
  g_autoptr (GDateTime) when = tr_time_parse (option, text, now, error);

  return when ? tr_time_day (when) : NULL;
}
