/* health.h - what `check` judges and `metrics` exposes, read once above the storage interface
 * (health.c): per policy domain its sessions in a window (by the counting rule), the result types
 * it had then and in the history before, the days its reporters covered and how regularly, the
 * mode of its policy; and the messages kept in `rejected` since the window began
 *
 * Days are report days (UTC), and silence is measured from the end of the date range the latest
 * report covered, never from when it arrived: importing old mail gives the verdict that receiving
 * it on time would have given.
 */
#pragma once

#include <glib.h>

#include "store.h"

typedef enum
{
  TR_POLICY_MODE_UNKNOWN, /* no MTA-STS policy string with a mode seen */
  TR_POLICY_MODE_NONE,
  TR_POLICY_MODE_TESTING,
  TR_POLICY_MODE_ENFORCE,
} TrPolicyMode;

/* Regularity: a reporter (or a domain, or all of them) is regular when it reported on most of
 * the TR_HEALTH_REGULAR_DAYS days up to its latest report: more than half of them.  Days before
 * the first report in the database are not counted, and fewer than TR_HEALTH_REGULAR_MIN_DAYS
 * tell no pattern yet (a new database, or a reporter that sent one report on its first day). */
#define TR_HEALTH_REGULAR_DAYS 14
#define TR_HEALTH_REGULAR_MIN_DAYS 7

/* What to read. */
typedef struct
{
  GDateTime *now;          /* the command's now (UTC) */
  const char *since_day;   /* the window: report days from this one on ("YYYY-MM-DD") */
  const char *history_day; /* the history: report days from this one to the window */
  char **domains;          /* domain keys named by the user (lower case), or NULL: every one */
  gboolean authenticated;  /* only reports with an aligned DKIM pass */
  gboolean totals;         /* also the sessions of every stored report, per domain (metrics) */
} TrHealthQuery;

/* A result type of a domain's failure details. */
typedef struct
{
  char *name;          /* lower case; "(none)" for details without one */
  gint64 failed;       /* failed sessions in the window, by the counting rule */
  char *first_day;     /* its first report day in the window, or NULL: in the history only */
  gboolean in_history; /* in a report of the history before the window */
  char *top_mx;        /* the receiving MX with the most of them in the window ("" if none named) */
  gint64 top_mx_failed;
  GHashTable *mxs; /* (private) MX -> gint64 * */
} TrHealthType;

/* What the reports of one sender about one domain covered. */
typedef struct
{
  char *name;       /* the reporter key */
  char *last_end;   /* the end of the latest date range it covered ("YYYY-MM-DDTHH:MM:SSZ") */
  char *last_day;   /* its latest report day */
  guint active;     /* days with a report among the regularity days up to last_day */
  guint considered; /* those days (fewer when the database is younger) */
  gboolean regular; /* active > considered / 2, over at least TR_HEALTH_REGULAR_MIN_DAYS */
  gint64 window_reports;
  guint64 *days; /* (private) */
} TrHealthReporter;

typedef struct
{
  char *name;        /* the domain key */
  gboolean named;    /* given by the user (TrHealthQuery.domains) */
  gboolean known;    /* some report in the database is about it */
  gboolean recent;   /* a report in the history or the window */
  gint64 successful; /* sessions in the window, by the counting rule */
  gint64 failed;
  gint64 reports;    /* reports in the window */
  guint window_days; /* days of the window with a report */
  guint window_reporters;
  gboolean has_history; /* a report in the history before the window */
  GPtrArray *types;     /* of TrHealthType, most failed in the window first */
  GPtrArray *reporters; /* of TrHealthReporter, by name */
  char *last_end;       /* the latest end of a date range any report covered, or NULL */
  char *last_day;
  guint active, considered;
  gboolean regular;
  TrPolicyMode sts_mode;                 /* of the latest MTA-STS policy that says */
  gboolean dane;                         /* a tlsa policy was reported */
  gint64 total_successful, total_failed; /* every stored report (TrHealthQuery.totals) */
  guint64 *days;                         /* (private) */
  GHashTable *reporter_map;              /* (private) */
  GHashTable *type_map;                  /* (private) */
  char *policy_day;                      /* (private) */
  gint64 policy_row;                     /* (private) */
} TrHealthDomain;

typedef struct
{
  TrStoreInfo info;
  guint window_length; /* days from the window's first to yesterday (at least 1) */
  GPtrArray *domains;  /* of TrHealthDomain, by name: every one with a report in the history or
                        * the window, and every one named */
  /* all of them together: the receiving pipeline */
  char *last_end;
  char *last_day;
  guint active, considered;
  gboolean regular;
  /* `rejected` */
  gint64 rejected;         /* messages first kept since the window began */
  char *rejected_reason;   /* the most common reason, as far as its first ": " */
  gint64 rejected_reasons; /* how many had it */
  char *rejected_example;  /* the newest full reason of that kind */
  /* (private) */
  GHashTable *domain_map;
  guint64 *days;
  guint32 first_number; /* the day number of the first bit of the day sets */
  guint n_days;
} TrHealth;

/* tr_health_read - read what @query asks into @health (cleared first), in one snapshot of the
 * database (call it outside a transaction).  Errors: those of the reads (TR_ERROR_TEMPORARY,
 * TR_ERROR_INTERNAL). */
gboolean tr_health_read (TrStore *store, const TrHealthQuery *query, TrHealth *health,
                         GError **error);
void tr_health_clear (TrHealth *health);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrHealth, tr_health_clear)

/* tr_health_domain - the domain @name of @health, or NULL */
TrHealthDomain *tr_health_domain (const TrHealth *health, const char *name);

/* tr_health_silence - the seconds from @last_end ("YYYY-MM-DDTHH:MM:SSZ", may be NULL: -1) to
 * @now; 0 if it lies ahead */
gint64 tr_health_silence (const char *last_end, GDateTime *now);

/* tr_policy_mode_parse - the mode an MTA-STS policy string states: the JSON array text as stored
 * (["version: STSv1","mode: enforce",...]), also when a sender put a whole array into one string
 * (Microsoft); UNKNOWN if it states none */
TrPolicyMode tr_policy_mode_parse (const char *policy_string);
/* tr_policy_mode_name - "unknown", "none", "testing", "enforce" */
const char *tr_policy_mode_name (TrPolicyMode mode);

/* tr_result_type_blocks - whether a failure of @result_type stops delivery under an enforced
 * MTA-STS policy or DANE (the TLS and DANE failures); the policy fetch and validity errors do
 * not: the sender then goes on with its cached policy, or none */
gboolean tr_result_type_blocks (const char *result_type);
