/* query.h - the read-only questions query and show ask of the database
 *
 * Every value is bound; the SQL is put together from fixed fragments only.  Results go to a
 * TrPrinter (output.h).  Counting rule: doc/schema.md, "Counting sessions".
 */
#pragma once

#include <glib.h>

#include "output.h"
#include "store.h"

/* The filters every listing takes (all optional; string arrays are NULL-terminated). */
typedef struct
{
  char **domains;         /* policy domain keys, lower case */
  char *since_day;        /* "YYYY-MM-DD": report_day >= it */
  char *until_day;        /* "YYYY-MM-DD": report_day <= it */
  char **reporters;       /* reporter keys, lower case */
  char **result_types;    /* compared case-insensitively */
  char **mxs;             /* receiving MX host names, lower case */
  gint64 limit;           /* rows at most; -1: no limit */
  gboolean authenticated; /* only reports with an aligned dkim=pass (doc/schema.md) */
} TrQueryFilter;

#define TR_QUERY_FILTER_INIT                                                                       \
  {                                                                                                \
    NULL, NULL, NULL, NULL, NULL, NULL, -1                                                         \
  }

void tr_query_filter_clear (TrQueryFilter *filter);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrQueryFilter, tr_query_filter_clear)

typedef enum
{
  TR_GROUP_DAY,
  TR_GROUP_DOMAIN,
  TR_GROUP_REPORTER,
  TR_GROUP_RESULT_TYPE,
  TR_GROUP_MX,
  TR_N_GROUPS
} TrGroup;

/* tr_query_parse_group - "day", "domain", "reporter", "result-type" or "mx" */
gboolean tr_query_parse_group (const char *name, TrGroup *group, GError **error);

/* tr_query_parse_time - a date (2026-11-20), a date-time (2026-11-20T10:00:00Z; no offset is
 * UTC) or a span back from @now (30d, 24h, 90m, 2w, 3600s) as the UTC day "YYYY-MM-DD" it falls
 * on.  @option names the option in the TR_ERROR_USAGE message. */
char *tr_query_parse_time (const char *option, const char *text, GDateTime *now, GError **error);

/* tr_query_check_value - validate a filter value: a domain or host name for --domain and --mx
 * (letters, digits, "-", ".", "_", "*"), anything printable for the others.  TR_ERROR_USAGE. */
gboolean tr_query_check_value (const char *option, const char *value, gboolean host_name,
                               GError **error);

/* tr_query_open - open the database read-only and check that it has the current schema:
 * TR_ERROR_NOT_FOUND if it does not exist, TR_ERROR_TEMPORARY if it cannot be read or has an
 * older schema (the message says how to upgrade it) */
TrStore *tr_query_open (const char *path, GError **error);

/* tr_query_summary - sessions per group over @groups (1 to TR_N_GROUPS of them) */
gboolean tr_query_summary (TrStore *store, const TrQueryFilter *filter, const TrGroup *groups,
                           guint n_groups, TrPrinter *printer, GError **error);
/* tr_query_failures - the failure details, newest first */
gboolean tr_query_failures (TrStore *store, const TrQueryFilter *filter, TrPrinter *printer,
                            GError **error);
/* tr_query_reports - one row per report, newest first */
gboolean tr_query_reports (TrStore *store, const TrQueryFilter *filter, TrPrinter *printer,
                           GError **error);
/* tr_query_show - the reports whose report-id is @which, or whose row id it is; *@found is
 * the number of reports shown */
gboolean tr_query_show (TrStore *store, const char *which, TrPrinter *printer, guint *found,
                        GError **error);

/* --- for the read-only commands (cmd-query.c) ---------------------------------------------- */

/* tr_cmd_open_db - tr_query_open() of --db, else $TLSRPTDB_DB, else the config file's db, else
 * the default (TR_ERROR_CONFIG for a bad config file) */
TrStore *tr_cmd_open_db (const char *opt_db, const char *opt_config, GError **error);
/* tr_cmd_fail - print @error as one line on stderr; its exit status */
int tr_cmd_fail (const GError *error);
