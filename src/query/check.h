/* check.h - the verdict of tlsrptdb check on what health.c read: the rules, each problem found
 * with its state (check.c), and the verdict as a monitoring plugin's output or as a JSON document
 * (check-output.c)
 *
 * The rules (doc/design.md, "Alerts: what is WARNING and what is CRITICAL"):
 *   failure-rate     a domain's failed sessions in the window, in percent, against --warning and
 *                    --critical (ranges of the plugin guidelines); below --min-sessions not judged
 *   new-result-type  a result type a domain did not have in its history: WARNING; CRITICAL when
 *                    the domain's policy is enforced (MTA-STS enforce or DANE) and the type stops
 *                    delivery (tr_result_type_blocks)
 *   silent-reporter  a regular reporter silent longer than --silent-after: WARNING
 *   silent-domain    no report at all about a domain (named, or regular) for that long: CRITICAL
 *   silent           no report about any of them for that long: CRITICAL (one line for all)
 *   rejected         at least --rejected messages kept in `rejected` since the window: WARNING
 *   unknown-domain   a named domain no report is about: UNKNOWN
 *   no-reports       an empty database: UNKNOWN
 *   enforce-ready    --enforce-ready DOMAIN: WARNING with what stands against enforcing
 */
#pragma once

#include <glib.h>

#include "health.h"
#include "perfdata.h"
#include "printer.h"

/* the service name the plugin's output begins with ("TLSRPT OK - ...") */
#define TR_CHECK_SERVICE "TLSRPT"

typedef struct
{
  TrRange warning, critical;  /* the failure rate, in percent */
  gint64 min_sessions;        /* a rate over fewer sessions is not judged */
  gint64 silent_after;        /* seconds */
  gint64 rejected;            /* messages in `rejected` since the window that warn; 0: never */
  const char *since_day;      /* the window (and for --enforce-ready its evidence) */
  const char *history_day;    /* the history before it */
  const char *enforce_domain; /* --enforce-ready, or NULL */
  gint64 min_reporters;       /* --enforce-ready: distinct reporters needed */
  gboolean authenticated;     /* only authenticated reports were read (for what is said) */
} TrCheckRules;

typedef enum
{
  TR_CHECK_SILENT,
  TR_CHECK_SILENT_DOMAIN,
  TR_CHECK_FAILURE_RATE,
  TR_CHECK_NEW_RESULT_TYPE,
  TR_CHECK_SILENT_REPORTER,
  TR_CHECK_REJECTED,
  TR_CHECK_UNKNOWN_DOMAIN,
  TR_CHECK_NO_REPORTS,
  TR_CHECK_ENFORCE_READY,
} TrCheckRule;

typedef struct
{
  TrPluginStatus status;
  TrCheckRule rule;
  char *domain;      /* what it is about, or NULL */
  char *reporter;    /* silent-reporter */
  char *result_type; /* new-result-type */
  double value;      /* percent, sessions, seconds of silence or messages, by the rule */
  char *brief;       /* a few words for the first line */
  char *text;        /* everything, for the long output */
} TrCheckProblem;

typedef struct
{
  TrPluginStatus status;
  GPtrArray *problems; /* of TrCheckProblem, worst first */
  char *summary;       /* the text of the first line */
} TrCheckVerdict;

void tr_check_verdict_clear (TrCheckVerdict *verdict);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrCheckVerdict, tr_check_verdict_clear)

/* The keys of [check] (check's long options) with their defaults (doc/design.md, "Alerts"), in
 * the order they are applied: --history counts back from the day --since names. */
typedef struct
{
  const char *key;
  const char *fallback; /* NULL: none */
} TrCheckKey;
extern const TrCheckKey tr_check_keys[];
extern const guint tr_check_n_keys;

/* tr_check_default - the default of [check] @key, or NULL */
const char *tr_check_default (const char *key);

/* tr_check_threshold - set @key's field of @rules from @value, for the keys that are a
 * threshold: warning, critical (ranges), min-sessions, rejected, min-reporters (whole numbers).
 * Errors: TR_ERROR_USAGE naming the option. */
gboolean tr_check_threshold (TrCheckRules *rules, const char *key, const char *value,
                             GError **error);

/* tr_check_judge - apply the rules to @health (read with the window and history of @rules) */
void tr_check_judge (const TrHealth *health, const TrCheckRules *rules, GDateTime *now,
                     TrCheckVerdict *verdict);
/* tr_check_enforce_ready - whether rules->enforce_domain may switch to enforce: no failed
 * session since rules->since_day, from at least rules->min_reporters reporters, on most of the
 * days, over at least rules->min_sessions sessions */
void tr_check_enforce_ready (const TrHealth *health, const TrCheckRules *rules, GDateTime *now,
                             TrCheckVerdict *verdict);
/* tr_check_rule_name - "failure-rate", "new-result-type", ... */
const char *tr_check_rule_name (TrCheckRule rule);

/* tr_check_plugin_text - the plugin output: "TLSRPT STATE - summary | perfdata", then the long
 * output (newly allocated) */
char *tr_check_plugin_text (const TrHealth *health, const TrCheckRules *rules,
                            const TrCheckVerdict *verdict);
/* tr_check_print - the verdict as a document of kind "check" */
gboolean tr_check_print (const TrHealth *health, const TrCheckRules *rules,
                         const TrCheckVerdict *verdict, GDateTime *now, TrPrinter *printer,
                         GError **error);

/* Text helpers shared by check.c and check-output.c */
/* tr_check_rate - @failed of @total sessions in percent, rounded to two decimals as it is shown
 * and judged (NAN for no session) */
double tr_check_rate (gint64 failed, gint64 total);
/* tr_check_percent - @value with two decimals and a decimal point, whatever the locale */
char *tr_check_percent (double value);
/* tr_check_duration - "50 h" below three days, else "4 days" */
char *tr_check_duration (gint64 seconds);
/* tr_check_judged - whether @d is judged: named, or with a report in the history or window */
gboolean tr_check_judged (const TrHealthDomain *d);
