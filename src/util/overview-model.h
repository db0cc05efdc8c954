/* overview-model.h - everything the report page and the digest show about a window, as plain C
 * data: the model that query/overview*.c fills (tr_overview_build, query/overview.h) and that the
 * page and digest writers in print/ read (overview-model.c: allocation and two helpers)
 *
 * Gathered above the store interface with the counting rule of query (counting.h): a domain's
 * sessions, failed sessions, reports and result types are those of `query summary` with the
 * same filter (tested: tests/cli/t-report.sh).  Time series are per report day, UTC; a day
 * without reports is 0.  Listings are capped (TR_OVERVIEW_*), and the totals say how many
 * there were.  Every string may hold anything a sender wrote: the printers escape them.
 */
#pragma once

#include <glib.h>

#define TR_OVERVIEW_MAX_DAYS 3660u    /* days drawn: ten years; older days count in totals */
#define TR_OVERVIEW_DOMAIN_CHARTS 20u /* domains with a chart of their own */
#define TR_OVERVIEW_TYPE_SERIES 8u    /* result types drawn over time (the 8th on: "other") */
#define TR_OVERVIEW_GRID_ROWS 50u     /* reporters in the grid (the 50th on: one row) */
#define TR_OVERVIEW_TOP 25u           /* MX hosts and sending IPs listed */
#define TR_OVERVIEW_FAILURES 50u      /* newest failure details listed */
#define TR_OVERVIEW_REJECTED 50u      /* newest rejected messages listed */
#define TR_OVERVIEW_PROBLEMS 25u      /* problems listed (the worst first), the rest counted */
#define TR_OVERVIEW_NEW_TYPE_DAYS 30u /* a result type is new if a domain had none of it before */
#define TR_OVERVIEW_SILENT_DAYS                                                                    \
  3u /* the window's last report days without a report that                                        \
      * make a silence: its end is usually today, whose                                            \
      * reports come tomorrow */

typedef struct
{
  const char *name;
  gint64 value;
} TrOverviewCount;

typedef struct
{
  const char *name;
  gint64 successful, failed, reports;                /* by the counting rule, as query summary */
  gint64 prev_successful, prev_failed, prev_reports; /* the window before, of the same length */
  const char *policy;   /* "sts enforce", "sts testing, tlsa", ...: the newest policy of each
                         * type in the window's last 30 days; NULL if none */
  const char *last_day; /* its newest report day in the window; NULL: none (see silent) */
  GArray *types;        /* of TrOverviewCount: its result types, most failed sessions first */
  GPtrArray *new_types; /* names: its result types it had none of in the 30 days before,
                         * when it had reports then */
  gboolean silent;      /* reported before (in the window or the one before), not in the
                         * last TR_OVERVIEW_SILENT_DAYS days of the window */
  gint64 *day_successful, *day_failed; /* n_days each: only for the charted domains, else NULL */
} TrOverviewDomain;

typedef struct
{
  const char *name;
  gint64 failed;             /* failed sessions, summed over the domains by the rule */
  guint domains;             /* domains that had it */
  gboolean is_new;           /* new for one of them (TR_OVERVIEW_NEW_TYPE_DAYS) */
  const char *meaning, *fix; /* explain's short form and fix (static) */
} TrOverviewType;

typedef struct
{
  const char *name;
  gint64 reports, successful, failed;
  guint days;                       /* report days with a report from it */
  const char *first_day, *last_day; /* in the window; NULL if only in the window before */
  const char *prev_last_day;        /* its newest report day in the window before, or NULL */
  gboolean silent;                  /* as for domains */
} TrOverviewReporter;

/* A failure detail of the newest ones, copied. */
typedef struct
{
  gint64 report_row, failed;
  char *day, *reporter, *report_id, *domain, *policy_type, *result_type, *sending_ip, *mx,
      *receiving_ip, *reason_code, *additional;
} TrOverviewFailure;

/* A message kept in `rejected`, copied. */
typedef struct
{
  gint64 deliveries;
  guint64 message_size;
  char *received_at, *last_received_at, *reason, *message_id, *subject, *mail_from, *via;
} TrOverviewRejected;

typedef enum
{
  TR_LEVEL_OK,
  TR_LEVEL_WARNING,
  TR_LEVEL_CRITICAL,
} TrLevel;

/* A problem found (query/verdict.c): what a monitoring check would say. */
typedef struct
{
  TrLevel level;
  char *subject; /* the domain, the reporter, or NULL: any bytes */
  char *text;    /* our words, with numbers; no sender bytes */
  char *detail;  /* NULL, or what follows the text (a reason kept in `rejected`): any bytes */
} TrOverviewProblem;

typedef struct
{
  /* the window: report days since_day..until_day, and the one before it */
  char *since_day, *until_day, *prev_since_day, *prev_until_day;
  guint window_days;
  char **days; /* the days drawn (the window, at most TR_OVERVIEW_MAX_DAYS of it, to its end) */
  guint n_days;
  gint64 successful, failed, reports, prev_successful, prev_failed, prev_reports;
  gint64 *day_successful, *day_failed, *day_reports; /* n_days each */

  GPtrArray *domains; /* of TrOverviewDomain, as query summary orders them: most failed first */
  GPtrArray *silent_domains; /* of TrOverviewDomain: no report in the window, some before */
  guint n_charted;           /* domains[0..n_charted) have day arrays */
  GPtrArray *types;          /* of TrOverviewType, most failed first */
  char **series_names;       /* the result types drawn over time, "other" last if combined */
  gint64 **series_days;      /* n_series arrays of n_days */
  guint n_series;
  GPtrArray *reporters; /* of TrOverviewReporter, by name (those of the window and before) */
  char **grid_rows;     /* reporters of the window in the grid: by name, "N others" last */
  gint64 *grid_cells;   /* n_grid_rows * n_days: sessions, -1: nothing reported */
  gint64 *grid_marks;   /* the same: failed sessions */
  guint n_grid_rows;
  GArray *mxs, *ips;     /* of TrOverviewCount: the top TR_OVERVIEW_TOP, most failed first */
  guint n_mxs, n_ips;    /* how many there were */
  GPtrArray *failures;   /* of TrOverviewFailure, newest first, at most TR_OVERVIEW_FAILURES */
  GPtrArray *rejected;   /* of TrOverviewRejected, newest first, at most TR_OVERVIEW_REJECTED */
  gint64 n_rejected;     /* messages kept in the window */
  char *rejected_reason; /* the most common reason, or NULL */
  gint64 rejected_reason_count;
  GPtrArray *problems;   /* of TrOverviewProblem, worst first (tr_overview_judge) */
  TrLevel level;         /* the worst of them */
  GStringChunk *strings; /* of the names above */
} TrOverview;

/* tr_overview_new - an empty overview */
TrOverview *tr_overview_new (void);
void tr_overview_free (TrOverview *overview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrOverview, tr_overview_free)

/* tr_overview_rate - @failed / (@successful + @failed), or NAN when both are 0 */
double tr_overview_rate (gint64 successful, gint64 failed);
/* tr_overview_domains_failing - how many domains had failed sessions */
guint tr_overview_domains_failing (const TrOverview *overview);
