/* prometheus.h - the Prometheus text exposition format, version 0.0.4 (prometheus.c)
 *
 *   # HELP tlsrpt_sessions_total Sessions reported, by policy domain.
 *   # TYPE tlsrpt_sessions_total counter
 *   tlsrpt_sessions_total{domain="example.com"} 1234
 *
 * Metric and label names are ours and are checked; label values may be any bytes (a sender's
 * domain name): they are made valid UTF-8, escaped and cut, and a sample whose labels come out
 * the same as an earlier one's is refused: of two such series node_exporter's textfile collector
 * serves the first and logs an error at every scrape (node_exporter 1.5), so the other's value
 * would be lost.  No timestamps: the collector refuses files with them.
 */
#pragma once

#include <glib.h>

typedef enum
{
  TR_METRIC_COUNTER,
  TR_METRIC_GAUGE,
  TR_METRIC_UNTYPED,
} TrMetricType;

typedef struct
{
  const char *name;  /* [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" */
  const char *value; /* any bytes */
} TrMetricLabel;

/* label values longer than this many bytes are cut at a character boundary and end in "..." */
#define TR_METRICS_MAX_LABEL_VALUE 1024

typedef struct _TrMetrics TrMetrics;

TrMetrics *tr_metrics_new (void);
void tr_metrics_free (TrMetrics *metrics);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrMetrics, tr_metrics_free)

/* tr_metrics_family - start the family @name ([a-zA-Z_:][a-zA-Z0-9_:]*): its HELP (@help, any
 * text; required, promtool wants it) and TYPE lines.  FALSE with TR_ERROR_INTERNAL for an invalid
 * name or a family started twice (the format wants each family's lines together, once). */
gboolean tr_metrics_family (TrMetrics *metrics, const char *name, TrMetricType type,
                            const char *help, GError **error);
/* tr_metrics_sample - a sample of the current family with @n_labels @labels and @value (NaN and
 * infinities allowed).  FALSE with TR_ERROR_INTERNAL for an invalid or repeated label name, and
 * with TR_ERROR_DATA, writing nothing, when the family has a sample with the same labels as
 * written (two values that differ only in invalid UTF-8 or beyond the cut). */
gboolean tr_metrics_sample (TrMetrics *metrics, const TrMetricLabel *labels, guint n_labels,
                            double value, GError **error);
/* tr_metrics_sample_int - the same with an integer value, written exactly */
gboolean tr_metrics_sample_int (TrMetrics *metrics, const TrMetricLabel *labels, guint n_labels,
                                gint64 value, GError **error);
/* tr_metrics_text - the exposition so far (owned by @metrics); @len may be NULL */
const char *tr_metrics_text (const TrMetrics *metrics, gsize *len);

/* Helpers, exposed for the unit tests */
gboolean tr_metrics_valid_metric_name (const char *name);
gboolean tr_metrics_valid_label_name (const char *name);
/* tr_metrics_escape_help - @text valid UTF-8, '\' and line feeds escaped (newly allocated) */
char *tr_metrics_escape_help (const char *text);
/* tr_metrics_escape_label_value - @value valid UTF-8, cut, '\', '"' and line feeds escaped
 * (newly allocated) */
char *tr_metrics_escape_label_value (const char *value);
/* tr_metrics_format_value - the fewest significant digits that read back as @value, as "%g"
 * writes them ("0.1", "2.5e-07"), or "NaN", "+Inf", "-Inf"; in the C locale (newly allocated) */
char *tr_metrics_format_value (double value);
