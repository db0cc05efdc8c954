/* perfdata.c - monitoring plugin output: ranges, performance data, status, exit code
 *
 * Everything follows the Monitoring Plugins Development Guidelines
 * (https://www.monitoring-plugins.org/doc/guidelines.html), with the ranges read and evaluated as
 * their reference implementation does (lib/utils_base.c), but strictly: "10" is 0..10, "10:" is
 * 10..infinity, "~:10" is minus infinity..10, "@" alerts inside instead of outside, endpoints
 * included; anything else (spaces, exponents, ":10", a start above the end) is refused rather
 * than read as something the user did not mean.
 *
 * Numbers are written by hand from g_ascii_formatd's digits: printf would use the locale's
 * decimal comma (the commands call setlocale), and the guidelines' number class [-0-9.] has no
 * exponent.
 *
 * What the engines do with hostile text, and why each escape is here:
 * - the first '|' of the output starts the performance data (Nagios, Icinga 2), so text never
 *   holds a raw '|';
 * - Nagios reads the first line as the summary and Icinga 2 reads output line by line, so text
 *   never holds a line break (CR, LF, U+0085, U+2028 are escaped like every control character);
 * - Icinga 2 splits performance data at the first '=' after a label's start and reads "::" in a
 *   label as a check_multi prefix for the labels after it, so labels hold neither '=' nor ':';
 * - a label with spaces or quotes is quoted, quotes inside doubled (guidelines, note 5).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "perfdata.h"
#include "error.h"
#include "escape.h"

#define RANGE_SYNTAX "expected N, N:, ~:N, N:M or @N:M with decimal numbers"

struct _TrPlugin
{
  char *service;
  TrPluginStatus status;
  char *summary;    /* made safe and cut */
  GPtrArray *lines; /* of char *, made safe and cut */
  guint lines_left_out;
  GPtrArray *perfdata; /* of char *, formatted */
  guint perfdata_left_out;
};

/* parse_number - @text[0..@len) as a decimal number: an optional sign, then digits with at most
 * one point ("10", "-2.5", ".5", "5."); no exponent, hex, "inf", "nan" or spaces, which
 * g_ascii_strtod alone would take */
static gboolean
parse_number (const char *text, gsize len, double *value)
{
  char buf[TR_RANGE_MAX_TEXT + 1];
  gsize i = 0, digits = 0;
  gboolean point = FALSE;

  if (len == 0 || len > TR_RANGE_MAX_TEXT)
    return FALSE;
  if (text[0] == '-' || text[0] == '+')
    i++;
  for (; i < len; i++)
    {
      if (g_ascii_isdigit (text[i]))
        digits++;
      else if (text[i] == '.' && !point)
        point = TRUE;
      else
        return FALSE;
    }
  if (digits == 0)
    return FALSE;
  memcpy (buf, text, len);
  buf[len] = '\0';
  *value = g_ascii_strtod (buf, NULL); /* at most 64 digits: always finite */
  return TRUE;
}

/* range_error - set TR_ERROR_USAGE for the range @text, saying @why */
static gboolean
range_error (const char *text, const char *why, GError **error)
{
  g_autofree char *shown = tr_escape_text (text);
  g_autofree char *cut = tr_escape_cut (shown, TR_RANGE_MAX_TEXT + 16);

  g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "invalid threshold range \"%s\": %s", cut, why);
  return FALSE;
}

/* tr_range_parse - a range in the guidelines' syntax */
gboolean
tr_range_parse (const char *text, TrRange *range, GError **error)
{
  TrRange r = { .start = 0, .end = 0, .end_infinite = TRUE };
  const char *p = text, *colon;

  g_return_val_if_fail (text != NULL && range != NULL, FALSE);
  if (strlen (text) > TR_RANGE_MAX_TEXT)
    return range_error (text, "longer than 64 characters", error);
  if (*p == '@')
    {
      r.inside = TRUE;
      p++;
    }
  colon = strchr (p, ':');
  if (colon == NULL)
    {
      /* "N" is 0..N */
      if (!parse_number (p, strlen (p), &r.end))
        return range_error (text, RANGE_SYNTAX, error);
      r.end_infinite = FALSE;
    }
  else
    {
      if (colon == p + 1 && *p == '~')
        r.start_infinite = TRUE;
      else if (!parse_number (p, (gsize) (colon - p), &r.start))
        return range_error (text, RANGE_SYNTAX, error);
      if (colon[1] != '\0')
        {
          if (!parse_number (colon + 1, strlen (colon + 1), &r.end))
            return range_error (text, RANGE_SYNTAX, error);
          r.end_infinite = FALSE;
        }
    }
  if (!r.start_infinite && !r.end_infinite && r.start > r.end)
    return range_error (text, "its start is above its end (a bare N means 0:N)", error);
  *range = r;
  return TRUE;
}

/* tr_range_alerts - outside the range (endpoints included), or inside it with '@' */
gboolean
tr_range_alerts (const TrRange *range, double value)
{
  gboolean in;

  g_return_val_if_fail (range != NULL && !isnan (value), FALSE);
  in = (range->start_infinite || value >= range->start)
       && (range->end_infinite || value <= range->end);
  return range->inside ? in : !in;
}

/* tr_range_to_string - the shortest text that reads back as @range */
char *
tr_range_to_string (const TrRange *range)
{
  GString *s = g_string_new (range->inside ? "@" : "");

  if (range->start_infinite)
    g_string_append (s, "~:");
  else if (range->start != 0 || range->end_infinite)
    {
      g_autofree char *start = tr_perfdata_number (range->start);
      g_string_append_printf (s, "%s:", start);
    }
  if (!range->end_infinite)
    {
      g_autofree char *end = tr_perfdata_number (range->end);
      g_string_append (s, end);
    }
  return g_string_free (s, FALSE);
}

/* tr_plugin_status_for - critical first: a value over both thresholds is CRITICAL */
TrPluginStatus
tr_plugin_status_for (double value, const TrRange *warning, const TrRange *critical)
{
  if (critical != NULL && tr_range_alerts (critical, value))
    return TR_PLUGIN_CRITICAL;
  if (warning != NULL && tr_range_alerts (warning, value))
    return TR_PLUGIN_WARNING;
  return TR_PLUGIN_OK;
}

/* tr_plugin_status_worst - the reference implementation's max_state_alt: a check that found a
 * CRITICAL domain is CRITICAL even if another could not be evaluated (UNKNOWN) */
TrPluginStatus
tr_plugin_status_worst (TrPluginStatus a, TrPluginStatus b)
{
  static const TrPluginStatus order[]
      = { TR_PLUGIN_CRITICAL, TR_PLUGIN_WARNING, TR_PLUGIN_UNKNOWN };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (a == order[i] || b == order[i])
      return order[i];
  return TR_PLUGIN_OK;
}

/* tr_plugin_status_word - the word after the service name */
const char *
tr_plugin_status_word (TrPluginStatus status)
{
  switch (status)
    {
      case TR_PLUGIN_OK:
        return "OK";
      case TR_PLUGIN_WARNING:
        return "WARNING";
      case TR_PLUGIN_CRITICAL:
        return "CRITICAL";
      case TR_PLUGIN_UNKNOWN:
      default:
        return "UNKNOWN";
    }
}

/* tr_plugin_exit_code - the states are their exit codes; anything else is UNKNOWN */
int
tr_plugin_exit_code (TrPluginStatus status)
{
  return status <= TR_PLUGIN_UNKNOWN ? (int) status : TR_PLUGIN_UNKNOWN;
}

/* shortest_digits - the fewest significant digits of @value (finite, not 0) that read back as
 * it: its sign, digits (at most 17) and decimal exponent (value = d.ddd x 10^exponent) */
static void
shortest_digits (double value, gboolean *negative, char digits[18], int *exponent)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const char *p;
  guint n = 0;

  for (int precision = 0; precision <= 16; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%de", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  p = buf;
  *negative = *p == '-';
  for (p += *negative; *p != 'e' && *p != '\0'; p++)
    if (g_ascii_isdigit (*p) && n < 17)
      digits[n++] = *p;
  digits[n] = '\0';
  *exponent = *p == 'e' ? (int) g_ascii_strtoll (p + 1, NULL, 10) : 0;
}

/* tr_perfdata_number - positional notation: at most 17 digits and some 320 zeros */
char *
tr_perfdata_number (double value)
{
  char digits[18];
  gboolean negative;
  int exponent, n;
  GString *s;

  if (!isfinite (value))
    return g_strdup ("U");
  if (value == 0)
    return g_strdup ("0");
  shortest_digits (value, &negative, digits, &exponent);
  n = (int) strlen (digits);
  s = g_string_new (negative ? "-" : "");
  if (exponent < 0)
    {
      g_string_append (s, "0.");
      for (int i = 0; i < -exponent - 1; i++)
        g_string_append_c (s, '0');
      g_string_append (s, digits);
    }
  else if (exponent >= n - 1)
    {
      g_string_append (s, digits);
      for (int i = 0; i < exponent - (n - 1); i++)
        g_string_append_c (s, '0');
    }
  else
    {
      g_string_append_len (s, digits, exponent + 1);
      g_string_append_c (s, '.');
      g_string_append (s, digits + exponent + 1);
    }
  return g_string_free (s, FALSE);
}

/* plain_label - whether @label can go unquoted: not empty, only letters, digits and "_.-/" */
static gboolean
plain_label (const char *label)
{
  if (*label == '\0')
    return FALSE;
  for (const char *p = label; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.' && *p != '-' && *p != '/')
      return FALSE;
  return TRUE;
}

/* cut_middle - @text (valid UTF-8) cut to @max bytes by leaving out its middle, at character
 * boundaries: the labels of one domain differ at their end ("sessions", "failed"), so a cut
 * at the end would make them one (newly allocated) */
static char *
cut_middle (const char *text, gsize max)
{
  gsize len = strlen (text), head = (max - 3) / 2, tail;
  GString *s;

  if (len <= max)
    return g_strdup (text);
  tail = len - (max - 3 - head);
  while (head > 0 && ((guchar) text[head] & 0xc0) == 0x80)
    head--;
  while (((guchar) text[tail] & 0xc0) == 0x80)
    tail++;
  s = g_string_new_len (text, (gssize) head);
  g_string_append (s, "...");
  g_string_append (s, text + tail);
  return g_string_free (s, FALSE);
}

/* tr_perfdata_label - escape, then cut (so that no escape and no doubled quote is cut in
 * half), then quote */
char *
tr_perfdata_label (const char *label)
{
  g_autofree char *escaped = tr_escape_text (label);
  g_autofree char *cut = NULL;
  GString *safe = g_string_sized_new (strlen (escaped));
  GString *s;

  for (const char *p = escaped; *p != '\0'; p++)
    if (*p == '=' || *p == '|' || *p == ':')
      g_string_append_printf (safe, "\\x%02x", (guint) *p);
    else
      g_string_append_c (safe, *p);
  cut = cut_middle (safe->str, TR_PERFDATA_MAX_LABEL);
  g_string_free (safe, TRUE);
  if (plain_label (cut))
    return g_steal_pointer (&cut);
  s = g_string_new ("'");
  for (const char *p = cut; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append_c (s, '\'');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '\'');
  return g_string_free (s, FALSE);
}

/* uom_text - the unit as the guidelines spell it */
static const char *
uom_text (TrUom uom)
{
  switch (uom)
    {
      case TR_UOM_PERCENT:
        return "%";
      case TR_UOM_SECONDS:
        return "s";
      case TR_UOM_BYTES:
        return "B";
      case TR_UOM_COUNTER:
        return "c";
      case TR_UOM_NONE:
      default:
        return "";
    }
}

/* tr_perfdata_format - label=value[UOM] and the fields up to the last one that is set */
char *
tr_perfdata_format (const TrPerfdata *item)
{
  g_autofree char *label = tr_perfdata_label (item->label);
  g_autofree char *value = tr_perfdata_number (item->value);
  char *fields[4] = {
    item->warning != NULL ? tr_range_to_string (item->warning) : NULL,
    item->critical != NULL ? tr_range_to_string (item->critical) : NULL,
    isnan (item->min) ? NULL : tr_perfdata_number (item->min),
    isnan (item->max) ? NULL : tr_perfdata_number (item->max),
  };
  GString *s = g_string_new (label);
  int last = -1;

  g_string_append_printf (s, "=%s%s", value, isfinite (item->value) ? uom_text (item->uom) : "");
  for (int i = 0; i < 4; i++)
    if (fields[i] != NULL)
      last = i;
  for (int i = 0; i <= last; i++)
    g_string_append_printf (s, ";%s", fields[i] != NULL ? fields[i] : "");
  for (int i = 0; i < 4; i++)
    g_free (fields[i]);
  return g_string_free (s, FALSE);
}

/* one_line - @text (any bytes) as one line of at most @max bytes that holds no '|' */
static char *
one_line (const char *text, gsize max)
{
  g_autofree char *escaped = tr_escape_text (text);
  GString *s = g_string_sized_new (strlen (escaped));
  char *cut;

  for (const char *p = escaped; *p != '\0'; p++)
    if (*p == '|')
      g_string_append (s, "\\x7c");
    else
      g_string_append_c (s, *p);
  cut = tr_escape_cut (s->str, max);
  g_string_free (s, TRUE);
  return cut;
}

/* tr_plugin_new - an empty OK output */
TrPlugin *
tr_plugin_new (const char *service)
{
  TrPlugin *plugin;

  g_return_val_if_fail (service != NULL && plain_label (service), NULL);
  plugin = g_new0 (TrPlugin, 1);
  plugin->service = g_strdup (service);
  plugin->status = TR_PLUGIN_OK;
  plugin->lines = g_ptr_array_new_with_free_func (g_free);
  plugin->perfdata = g_ptr_array_new_with_free_func (g_free);
  return plugin;
}

void
tr_plugin_free (TrPlugin *plugin)
{
  if (plugin == NULL)
    return;
  g_free (plugin->service);
  g_free (plugin->summary);
  g_ptr_array_unref (plugin->lines);
  g_ptr_array_unref (plugin->perfdata);
  g_free (plugin);
}

void
tr_plugin_raise (TrPlugin *plugin, TrPluginStatus status)
{
  plugin->status = tr_plugin_status_worst (plugin->status, status);
}

TrPluginStatus
tr_plugin_get_status (const TrPlugin *plugin)
{
  return plugin->status;
}

void
tr_plugin_set_summary (TrPlugin *plugin, const char *summary)
{
  g_free (plugin->summary);
  plugin->summary = one_line (summary, TR_PLUGIN_MAX_SUMMARY);
}

/* tr_plugin_add_line - kept up to TR_PLUGIN_MAX_LINES, counted beyond */
void
tr_plugin_add_line (TrPlugin *plugin, const char *line)
{
  if (plugin->lines->len >= TR_PLUGIN_MAX_LINES)
    plugin->lines_left_out++;
  else
    g_ptr_array_add (plugin->lines, one_line (line, TR_PLUGIN_MAX_LINE));
}

/* tr_plugin_add_perfdata - kept up to TR_PLUGIN_MAX_PERFDATA, counted beyond */
void
tr_plugin_add_perfdata (TrPlugin *plugin, const TrPerfdata *item)
{
  if (plugin->perfdata->len >= TR_PLUGIN_MAX_PERFDATA)
    plugin->perfdata_left_out++;
  else
    g_ptr_array_add (plugin->perfdata, tr_perfdata_format (item));
}

/* NOTES_RESERVE - room kept within TR_PLUGIN_MAX_OUTPUT for the two "left out" lines */
#define NOTES_RESERVE 120

/* tr_plugin_format - the performance data go on the first line: Nagios also reads them after a
 * '|' in the long output, but Icinga 2 reads a '|' line by line and would take the lines after
 * it for text.  The whole stays within TR_PLUGIN_MAX_OUTPUT: whole items and lines are left out
 * from the end, and counted, rather than cut by the engine in the middle of one. */
char *
tr_plugin_format (const TrPlugin *plugin)
{
  GString *s = g_string_new (plugin->service);
  const gsize budget = TR_PLUGIN_MAX_OUTPUT - NOTES_RESERVE;
  guint perfdata_left_out = plugin->perfdata_left_out;
  guint lines_left_out = plugin->lines_left_out;

  g_string_append_printf (s, " %s", tr_plugin_status_word (plugin->status));
  if (plugin->summary != NULL && plugin->summary[0] != '\0')
    g_string_append_printf (s, " - %s", plugin->summary);
  for (guint i = 0; i < plugin->perfdata->len; i++)
    {
      const char *item = g_ptr_array_index (plugin->perfdata, i);

      if (s->len + 3 + strlen (item) + 1 > budget)
        {
          perfdata_left_out += plugin->perfdata->len - i;
          break;
        }
      g_string_append_printf (s, "%s%s", i == 0 ? " | " : " ", item);
    }
  g_string_append_c (s, '\n');
  for (guint i = 0; i < plugin->lines->len; i++)
    {
      const char *line = g_ptr_array_index (plugin->lines, i);

      if (s->len + strlen (line) + 1 > budget)
        {
          lines_left_out += plugin->lines->len - i;
          break;
        }
      g_string_append_printf (s, "%s\n", line);
    }
  if (lines_left_out > 0)
    g_string_append_printf (s, "(%u more lines left out)\n", lines_left_out);
  if (perfdata_left_out > 0)
    g_string_append_printf (s, "(%u more performance data items left out)\n", perfdata_left_out);
  return g_string_free (s, FALSE);
}
