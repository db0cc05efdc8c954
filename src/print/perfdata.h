/* perfdata.h - the output of a monitoring plugin, as the Monitoring Plugins Development
 * Guidelines define it: threshold ranges, performance data, status and exit code (perfdata.c)
 *
 * Nagios, Icinga, Naemon and Checkmk run a plugin and read its exit code (0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN) and its output:
 *
 *   TLSRPT WARNING - one-line summary | 'label'=value[UOM];[warn];[crit];[min];[max] ...
 *   long output line
 *   ...
 *
 * Labels and text come from report senders (policy domains): whatever they hold, the summary
 * stays on the first line, a label stays one label, and a '|' never starts performance data.
 */
#pragma once

#include <glib.h>

/* The plugin states; their values are the exit codes. */
typedef enum
{
  TR_PLUGIN_OK = 0,
  TR_PLUGIN_WARNING = 1,
  TR_PLUGIN_CRITICAL = 2,
  TR_PLUGIN_UNKNOWN = 3,
} TrPluginStatus;

/* A threshold range, "[@]start:end" in the guidelines' syntax: an alert is raised when the value
 * is outside start..end (endpoints included), or inside it when @inside. */
typedef struct
{
  double start, end;
  gboolean start_infinite; /* "~:": from minus infinity */
  gboolean end_infinite;   /* "10:": to infinity */
  gboolean inside;         /* "@": alert inside the range */
} TrRange;

/* Units of measurement of a performance data value */
typedef enum
{
  TR_UOM_NONE,    /* a number of things */
  TR_UOM_PERCENT, /* "%" */
  TR_UOM_SECONDS, /* "s" */
  TR_UOM_BYTES,   /* "B" */
  TR_UOM_COUNTER, /* "c": a continuous counter */
} TrUom;

/* One performance data item.  @label is any text (it is made safe); @value NaN or infinite is
 * written "U" (could not be determined); @warning, @critical NULL and @min, @max NaN are left
 * empty. */
typedef struct
{
  const char *label;
  double value;
  TrUom uom;
  const TrRange *warning, *critical;
  double min, max;
} TrPerfdata;

/* Bounds, in bytes, of what the output holds; longer text is cut at a character boundary and
 * ends in "...", what is over a count is left out and said so in a last line.  A label holds a
 * domain name (253 bytes at most) and a word or two: only hostile ones are cut. */
#define TR_PLUGIN_MAX_SUMMARY 200
/* the whole output: Nagios 4.4 reads what a plugin prints in 8 KB pieces and, once the plugin
 * has exited, may keep only the first one or two and drop the rest, in the middle of a line or of
 * a performance data item (tests/monitoring/nagios.sh measured 20 KB kept whole, cut at 8193 and
 * at 16310 bytes) */
#define TR_PLUGIN_MAX_OUTPUT 8000
#define TR_PLUGIN_MAX_LINE 500
#define TR_PLUGIN_MAX_LINES 1000
#define TR_PLUGIN_MAX_PERFDATA 1000
#define TR_PERFDATA_MAX_LABEL 320
#define TR_RANGE_MAX_TEXT 64

/* tr_range_parse - @text ("10", "10:", "~:10", "10:20", "@10:20"; decimals, signs) into @range;
 * FALSE with TR_ERROR_USAGE, naming @text and the syntax, if it is none of those */
gboolean tr_range_parse (const char *text, TrRange *range, GError **error);
/* tr_range_alerts - whether @value (not NaN) raises an alert for @range */
gboolean tr_range_alerts (const TrRange *range, double value);
/* tr_range_to_string - @range in the guidelines' syntax, as perfdata writes it (newly allocated) */
char *tr_range_to_string (const TrRange *range);

/* tr_plugin_status_for - CRITICAL if @critical alerts for @value, else WARNING if @warning does,
 * else OK; either range may be NULL */
TrPluginStatus tr_plugin_status_for (double value, const TrRange *warning, const TrRange *critical);
/* tr_plugin_status_worst - the worse of @a and @b: CRITICAL, then WARNING, then UNKNOWN, then OK */
TrPluginStatus tr_plugin_status_worst (TrPluginStatus a, TrPluginStatus b);
/* tr_plugin_status_word - "OK", "WARNING", "CRITICAL" or "UNKNOWN" */
const char *tr_plugin_status_word (TrPluginStatus status);
/* tr_plugin_exit_code - the exit code of @status: 0, 1, 2 or 3 */
int tr_plugin_exit_code (TrPluginStatus status);

/* tr_perfdata_number - @value in the guidelines' number class [-0-9.], in the C locale, without
 * an exponent, with the fewest digits that read back as @value (newly allocated) */
char *tr_perfdata_number (double value);
/* tr_perfdata_label - @label (any bytes) as a perfdata label: valid UTF-8, control characters
 * and '=', '|', ':' shown as \xNN escapes, cut to TR_PERFDATA_MAX_LABEL bytes by leaving out
 * the middle ("..."), in single quotes (quotes inside doubled) unless it is only letters, digits
 * and "_.-/" (newly allocated) */
char *tr_perfdata_label (const char *label);
/* tr_perfdata_format - one item: 'label'=value[UOM];[warn];[crit];[min];[max], the trailing
 * empty fields left out (newly allocated) */
char *tr_perfdata_format (const TrPerfdata *item);

typedef struct _TrPlugin TrPlugin;

/* tr_plugin_new - an output of the service @service (ours: letters, digits, '_'), status OK */
TrPlugin *tr_plugin_new (const char *service);
void tr_plugin_free (TrPlugin *plugin);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrPlugin, tr_plugin_free)
/* tr_plugin_raise - make the status the worse of the current one and @status */
void tr_plugin_raise (TrPlugin *plugin, TrPluginStatus status);
TrPluginStatus tr_plugin_get_status (const TrPlugin *plugin);
/* tr_plugin_set_summary - the text after "SERVICE STATUS - " on the first line (any bytes) */
void tr_plugin_set_summary (TrPlugin *plugin, const char *summary);
/* tr_plugin_add_line - a long output line (any bytes; made one safe line) */
void tr_plugin_add_line (TrPlugin *plugin, const char *line);
/* tr_plugin_add_perfdata - a performance data item, written after the '|' of the first line */
void tr_plugin_add_perfdata (TrPlugin *plugin, const TrPerfdata *item);
/* tr_plugin_format - the whole output, each line ending in "\n" (newly allocated) */
char *tr_plugin_format (const TrPlugin *plugin);
