/* prometheus.c - the Prometheus text exposition format, version 0.0.4
 *
 * https://prometheus.io/docs/instrumenting/exposition_formats/: one "# HELP" and one "# TYPE"
 * line per family, then its samples, "name{label="value",...} value".  The format has three
 * escapes in label values (\\, \", \n) and two in HELP text (\\, \n); everything else is taken
 * as it is, so a value needs only those and valid UTF-8 (the parser refuses invalid UTF-8).
 *
 * Numbers come from g_ascii_formatd and are written in the C locale whatever the commands'
 * setlocale says; integers (session counts) are written exactly.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "prometheus.h"
#include "error.h"
#include "escape.h"

struct _TrMetrics
{
  GString *text;
  GHashTable *families; /* names of the families started */
  const char *family;   /* the current one, owned by families */
  GHashTable *series;   /* the escaped label sets of its samples */
};

TrMetrics *
tr_metrics_new (void)
{
  TrMetrics *metrics = g_new0 (TrMetrics, 1);

  metrics->text = g_string_new (NULL);
  metrics->families = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  metrics->series = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return metrics;
}

void
tr_metrics_free (TrMetrics *metrics)
{
  if (metrics == NULL)
    return;
  g_string_free (metrics->text, TRUE);
  g_hash_table_unref (metrics->families);
  g_hash_table_unref (metrics->series);
  g_free (metrics);
}

/* valid_name - @name matches [a-zA-Z_@extra][a-zA-Z0-9_@extra]* (@extra: ':' or 0) */
static gboolean
valid_name (const char *name, char extra)
{
  if (name == NULL || *name == '\0' || g_ascii_isdigit (*name))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && (extra == 0 || *p != extra))
      return FALSE;
  return TRUE;
}

gboolean
tr_metrics_valid_metric_name (const char *name)
{
  return valid_name (name, ':');
}

/* tr_metrics_valid_label_name - names starting with "__" are Prometheus' own */
gboolean
tr_metrics_valid_label_name (const char *name)
{
  return valid_name (name, 0) && !g_str_has_prefix (name, "__");
}

/* escape - @text (valid UTF-8) with '\', line feeds and, if @quote, '"' escaped, appended */
static void
escape (GString *s, const char *text, gboolean quote)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\\')
        g_string_append (s, "\\\\");
      else if (*p == '\n')
        g_string_append (s, "\\n");
      else if (*p == '"' && quote)
        g_string_append (s, "\\\"");
      else
        g_string_append_c (s, *p);
    }
}

char *
tr_metrics_escape_help (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *s = g_string_sized_new (strlen (valid));

  escape (s, valid, FALSE);
  return g_string_free (s, FALSE);
}

/* tr_metrics_escape_label_value - cut before escaping, so that no escape is cut in half */
char *
tr_metrics_escape_label_value (const char *value)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);
  g_autofree char *cut = tr_escape_cut (valid, TR_METRICS_MAX_LABEL_VALUE);
  GString *s = g_string_sized_new (strlen (cut));

  escape (s, cut, TRUE);
  return g_string_free (s, FALSE);
}

/* tr_metrics_format_value - the Go parser Prometheus uses takes NaN, +Inf, -Inf and exponents */
char *
tr_metrics_format_value (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    return g_strdup ("NaN");
  if (isinf (value))
    return g_strdup (value > 0 ? "+Inf" : "-Inf");
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return g_strdup (buf);
}

/* type_word - the TYPE line's word */
static const char *
type_word (TrMetricType type)
{
  switch (type)
    {
      case TR_METRIC_COUNTER:
        return "counter";
      case TR_METRIC_GAUGE:
        return "gauge";
      case TR_METRIC_UNTYPED:
      default:
        return "untyped";
    }
}

/* tr_metrics_family - HELP and TYPE; the samples that follow belong to @name */
gboolean
tr_metrics_family (TrMetrics *metrics, const char *name, TrMetricType type, const char *help,
                   GError **error)
{
  g_autofree char *escaped = NULL;
  char *key;

  g_return_val_if_fail (metrics != NULL && help != NULL && *help != '\0', FALSE);
  if (!tr_metrics_valid_metric_name (name))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_INTERNAL, "invalid metric name \"%s\"",
                   name != NULL ? name : "(null)");
      return FALSE;
    }
  if (g_hash_table_contains (metrics->families, name))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_INTERNAL, "metric family %s written twice", name);
      return FALSE;
    }
  key = g_strdup (name);
  g_hash_table_add (metrics->families, key);
  metrics->family = key;
  g_hash_table_remove_all (metrics->series);
  escaped = tr_metrics_escape_help (help);
  g_string_append_printf (metrics->text, "# HELP %s %s\n# TYPE %s %s\n", name, escaped, name,
                          type_word (type));
  return TRUE;
}

/* check_label_names - each name valid and given once (a handful: quadratic is fine) */
static gboolean
check_label_names (const TrMetricLabel *labels, guint n_labels, GError **error)
{
  for (guint i = 0; i < n_labels; i++)
    {
      if (!tr_metrics_valid_label_name (labels[i].name))
        {
          g_set_error (error, TR_ERROR, TR_ERROR_INTERNAL, "invalid label name \"%s\"",
                       labels[i].name != NULL ? labels[i].name : "(null)");
          return FALSE;
        }
      for (guint j = 0; j < i; j++)
        if (strcmp (labels[i].name, labels[j].name) == 0)
          {
            g_set_error (error, TR_ERROR, TR_ERROR_INTERNAL, "label %s given twice",
                         labels[i].name);
            return FALSE;
          }
    }
  return TRUE;
}

/* plain_value - @value needs no change: short printable ASCII without '\\' and '"' (most label
 * values: domain and reporter names), appended as it is without the copies of the general way */
static gboolean
plain_value (const char *value)
{
  gsize n = 0;

  for (const char *p = value; *p != '\0'; p++, n++)
    if ((guchar) *p < 0x20 || (guchar) *p > 0x7e || *p == '\\' || *p == '"')
      return FALSE;
  return n <= TR_METRICS_MAX_LABEL_VALUE;
}

/* add_sample - the sample line with @value (already formatted), unless its labels repeat; built
 * with appends, not printf: a large exposition is tens of thousands of samples */
static gboolean
add_sample (TrMetrics *metrics, const TrMetricLabel *labels, guint n_labels, const char *value,
            GError **error)
{
  GString *set;

  g_return_val_if_fail (metrics != NULL && metrics->family != NULL, FALSE);
  g_return_val_if_fail (labels != NULL || n_labels == 0, FALSE);
  if (!check_label_names (labels, n_labels, error))
    return FALSE;
  set = g_string_new (NULL);
  for (guint i = 0; i < n_labels; i++)
    {
      g_string_append_c (set, i == 0 ? '{' : ',');
      g_string_append (set, labels[i].name);
      g_string_append (set, "=\"");
      if (plain_value (labels[i].value))
        g_string_append (set, labels[i].value);
      else
        {
          g_autofree char *escaped = tr_metrics_escape_label_value (labels[i].value);
          g_string_append (set, escaped);
        }
      g_string_append_c (set, '"');
    }
  if (n_labels > 0)
    g_string_append_c (set, '}');
  if (g_hash_table_contains (metrics->series, set->str))
    {
      g_autofree char *shown = tr_escape_text (set->str);

      g_set_error (error, TR_ERROR, TR_ERROR_DATA, "%s%s: a sample with these labels was written",
                   metrics->family, shown);
      g_string_free (set, TRUE);
      return FALSE;
    }
  g_string_append (metrics->text, metrics->family);
  g_string_append (metrics->text, set->str);
  g_string_append_c (metrics->text, ' ');
  g_string_append (metrics->text, value);
  g_string_append_c (metrics->text, '\n');
  g_hash_table_add (metrics->series, g_string_free (set, FALSE));
  return TRUE;
}

gboolean
tr_metrics_sample (TrMetrics *metrics, const TrMetricLabel *labels, guint n_labels, double value,
                   GError **error)
{
  g_autofree char *text = tr_metrics_format_value (value);

  return add_sample (metrics, labels, n_labels, text, error);
}

/* tr_metrics_sample_int - digit by digit: printf was a fifth of an exposition's time */
gboolean
tr_metrics_sample_int (TrMetrics *metrics, const TrMetricLabel *labels, guint n_labels,
                       gint64 value, GError **error)
{
  char text[24];
  char *p = text + sizeof text - 1;
  guint64 n = value < 0 ? 0 - (guint64) value : (guint64) value;

  *p = '\0';
  do
    *--p = (char) ('0' + n % 10);
  while ((n /= 10) > 0);
  if (value < 0)
    *--p = '-';
  return add_sample (metrics, labels, n_labels, p, error);
}

const char *
tr_metrics_text (const TrMetrics *metrics, gsize *len)
{
  if (len != NULL)
    *len = metrics->text->len;
  return metrics->text->str;
}
