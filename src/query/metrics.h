/* metrics.h - what tlsrptdb metrics exposes, from what health.c read, as Prometheus families
 * (metrics.c; the text format is print/prometheus.c's)
 *
 * Bounded cardinality: labels are the policy domain, the reporter, the result type and the
 * policy type, never an IP address or an MX; at most TR_METRICS_MAX_DOMAINS domains (those with
 * the most sessions in the last day first, then the most sessions ever), and at most
 * TR_METRICS_MAX_PAIRS (domain, reporter) and as many (domain, result type) pairs (the most
 * recent, the most failed first); what is left out is counted in tlsrpt_metrics_left_out.
 * tlsrptdb-metrics(1) lists the families; doc/design.md, "Alerts", says why they are so.
 */
#pragma once

#include <glib.h>

#include "health.h"
#include "prometheus.h"

#define TR_METRICS_MAX_DOMAINS 2000
#define TR_METRICS_MAX_PAIRS 20000

/* tr_metrics_add_health - the families of @health (read with totals) into @metrics.  A sample whose
 * labels come out the same as an earlier one's once made valid (two hostile names) is left out and
 * counted in *@refused.  FALSE only for our own bug (TR_ERROR_INTERNAL). */
gboolean tr_metrics_add_health (const TrHealth *health, TrMetrics *metrics, guint *refused,
                                GError **error);
