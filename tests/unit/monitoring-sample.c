/* monitoring-sample.c - output of print/perfdata.c and print/prometheus.c for the real-engine
 * tests in tests/monitoring/, until `tlsrptdb check` and `tlsrptdb metrics` exist
 *
 *   monitoring-sample plugin         a plugin's output for two policy domains, one of them
 *                                    hostile; exits with its status (2, CRITICAL)
 *   monitoring-sample metrics FILE   an exposition with hostile label values, written with
 *                                    tr_atomic_file_write (FILE "-": stdout)
 *
 * Both follow the environment's locale, as the commands will (setlocale (LC_ALL, "")), so that
 * the tests can run them under a decimal-comma locale.
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "perfdata.h"
#include "prometheus.h"
#include "atomic-file.h"

/* a sender-chosen "domain" with everything that could break a line, a label or a quote */
#define HOSTILE_DOMAIN "evil'| x=1\n::\r\x1b[2J\xe2\x80\xae\xff.example"

typedef struct
{
  const char *domain;
  gint64 sessions, failed;
} Domain;

static const Domain domains[] = {
  { "example.com", 8, 1 },
  { HOSTILE_DOMAIN, 3, 3 },
};

/* add_domain - a domain's long output line and its three perfdata items */
static void
add_domain (TrPlugin *plugin, const Domain *d, const TrRange *warning, const TrRange *critical)
{
  double rate = 100.0 * (double) d->failed / (double) d->sessions;
  g_autofree char *sessions = g_strdup_printf ("%s sessions", d->domain);
  g_autofree char *failed = g_strdup_printf ("%s failed", d->domain);
  g_autofree char *rate_label = g_strdup_printf ("%s failure rate", d->domain);
  g_autofree char *line = g_strdup_printf ("%s: %.2f%% of %" G_GINT64_FORMAT " sessions failed",
                                           d->domain, rate, d->sessions);
  const TrPerfdata items[] = {
    { sessions, (double) d->sessions, TR_UOM_NONE, NULL, NULL, 0, NAN },
    { failed, (double) d->failed, TR_UOM_NONE, NULL, NULL, 0, NAN },
    { rate_label, rate, TR_UOM_PERCENT, warning, critical, 0, 100 },
  };

  tr_plugin_raise (plugin, tr_plugin_status_for (rate, warning, critical));
  tr_plugin_add_line (plugin, line);
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    tr_plugin_add_perfdata (plugin, &items[i]);
}

static int
plugin_main (void)
{
  g_autoptr (TrPlugin) plugin = tr_plugin_new ("TLSRPT");
  g_autofree char *summary = g_strdup_printf ("2 domains, worst 100%% failed: %s", HOSTILE_DOMAIN);
  g_autofree char *text = NULL;
  TrRange warning, critical;

  g_assert_true (tr_range_parse ("12.5", &warning, NULL));
  g_assert_true (tr_range_parse ("~:50.5", &critical, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (domains); i++)
    add_domain (plugin, &domains[i], &warning, &critical);
  tr_plugin_set_summary (plugin, summary);
  text = tr_plugin_format (plugin);
  fputs (text, stdout);
  return tr_plugin_exit_code (tr_plugin_get_status (plugin));
}

/* add_samples - the families of the exposition; a refused duplicate is reported and skipped,
 * as the metrics command will */
static void
add_samples (TrMetrics *metrics, const char *const *values, guint n)
{
  g_assert_true (tr_metrics_family (metrics, "tlsrpt_sample_sessions_total", TR_METRIC_COUNTER,
                                    "Sessions reported (sample of the \"metrics\" format\\).",
                                    NULL));
  for (guint i = 0; i < n; i++)
    {
      const TrMetricLabel labels[] = { { "domain", values[i] }, { "policy_type", "sts" } };
      g_autoptr (GError) error = NULL;

      if (!tr_metrics_sample_int (metrics, labels, 2, (gint64) i * 1000, &error))
        fprintf (stderr, "monitoring-sample: %s\n", error->message);
    }
  g_assert_true (tr_metrics_family (metrics, "tlsrpt_sample_failure_ratio", TR_METRIC_GAUGE,
                                    "Failed over all sessions.\nA second line.", NULL));
  for (guint i = 0; i < n; i++)
    {
      const TrMetricLabel labels[] = { { "domain", values[i] } };
      const double ratios[] = { 0.125, 1234.5, NAN, INFINITY, 1e-7 };

      tr_metrics_sample (metrics, labels, 1, ratios[i % G_N_ELEMENTS (ratios)], NULL);
    }
}

static int
metrics_main (const char *path)
{
  g_autoptr (TrMetrics) metrics = tr_metrics_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *long_value = g_strnfill (3000, 'l');
  const char *values[] = {
    "example.com",
    "back\\slash",
    "quote\"d",
    "new\nline",
    "cr\r",
    "} 1\n# TYPE tlsrpt_sample_sessions_total gauge",
    "bad\xff",
    "bad\xfe" /* the same once valid: refused */,
    "\xe2\x80\xae\xf0\x9f\x94\x92 \x1b[2J",
    long_value,
  };
  const char *text;
  gsize len;

  add_samples (metrics, values, G_N_ELEMENTS (values));
  text = tr_metrics_text (metrics, &len);
  if (strcmp (path, "-") == 0)
    return fwrite (text, 1, len, stdout) == len ? 0 : 1;
  if (!tr_atomic_file_write (path, text, len, 0644, &error))
    {
      fprintf (stderr, "monitoring-sample: %s\n", error->message);
      return 1;
    }
  return 0;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  if (argc == 2 && strcmp (argv[1], "plugin") == 0)
    return plugin_main ();
  if (argc == 3 && strcmp (argv[1], "metrics") == 0)
    return metrics_main (argv[2]);
  fprintf (stderr, "usage: monitoring-sample plugin | monitoring-sample metrics FILE\n");
  return 64;
}
