/* query.h - the questions query, show and the alerts ask, above the storage interface
 *
 * The filters are checked here, the counting rule (counting.h) is applied here, the grouping
 * and sorting are done here, once for every backend; the store only hands out rows (store.h).
 * Results go to a TrPrinter (printer.h).
 */
#pragma once

#include <glib.h>

#include "printer.h"
#include "store.h"

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
/* tr_query_group_name - the name of @group, NULL past the last (completion) */
const char *tr_query_group_name (guint group);

/* tr_query_check_value - validate a filter value: a domain or host name for --domain and --mx
 * (letters, digits, "-", ".", "_", "*"), anything printable for the others.  TR_ERROR_USAGE. */
gboolean tr_query_check_value (const char *option, const char *value, gboolean host_name,
                               GError **error);

/* tr_query_check_warnings - every one of @codes (NULL-terminated, may be NULL) is a warning code
 * (report.h); TR_ERROR_USAGE naming the codes otherwise */
gboolean tr_query_check_warnings (char **codes, GError **error);

/* tr_query_filter_resolve - replace the wildcards of filter->domains and filter->mxs
 * ("*.example.org": the names under it) and the values of filter->reporters (a reporter key or
 * an organization name, any case) by the names the database holds that they match; @hints (may
 * be NULL) gets a line for each value that matches nothing (for reporters, with the known keys).
 * A list that matches nothing selects nothing. */
gboolean tr_query_filter_resolve (TrStore *store, TrQueryFilter *filter, GPtrArray *hints,
                                  GError **error);

/* tr_query_summary - sessions per group over @groups (1 to TR_N_GROUPS of them); grouped by
 * day, every day from the filter's since_day (else the first day with a report) to its
 * until_day (else @today, "YYYY-MM-DD") is listed, days without a report as such */
gboolean tr_query_summary (TrStore *store, const TrQueryFilter *filter, const TrGroup *groups,
                           guint n_groups, const char *today, TrPrinter *printer, GError **error);
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
/* tr_query_show_raw - the JSON texts of the same reports, exactly as they were received (escaped
 * for a terminal if @escape), one after the other */
gboolean tr_query_show_raw (TrStore *store, const char *which, FILE *out, gboolean escape,
                            guint *found, GError **error);

/* tr_query_rejected_filter - @filter from the options --since, --until, --reason and --from
 * (each NULL when not given), checked (TR_ERROR_USAGE); times count back from @now */
gboolean tr_query_rejected_filter (TrRejectedFilter *filter, const char *since, const char *until,
                                   const char *reason, const char *from, GDateTime *now,
                                   GError **error);
/* tr_query_rejected - the messages in `rejected` that @filter selects, newest first */
gboolean tr_query_rejected (TrStore *store, const TrRejectedFilter *filter, TrPrinter *printer,
                            GError **error);
/* tr_query_rejected_begin_show - begin the document of rejected show; then one
 * tr_query_rejected_show_row per message, and tr_printer_end */
void tr_query_rejected_begin_show (TrPrinter *printer);
/* tr_query_rejected_show_row - @row (from tr_store_find_rejected) with its header fields
 * @headers (pairs of name and value, tr_mail_header_fields; may be NULL), @headers_left_out
 * more not shown */
void tr_query_rejected_show_row (TrPrinter *printer, const TrRejectedRow *row,
                                 const GPtrArray *headers, guint headers_left_out);
/* tr_query_rejected_note - for people (text): a note that messages received from @since_day to
 * @until_day ("YYYY-MM-DD", either NULL: open) are kept in `rejected`, if there are any */
gboolean tr_query_rejected_note (TrStore *store, const char *since_day, const char *until_day,
                                 TrPrinter *printer, GError **error);

/* A message taken apart as ingest would (tr_ingest_prepare) but not stored: inspect. */
typedef struct
{
  const char *input;        /* where it was read: "PATH", "PATH:N" (mbox), "stdin" */
  guint64 size;             /* its size */
  const char *reason;       /* what `rejected` would record, or NULL: every part is usable */
  const TrMailInfo *info;   /* its mail facts */
  const GPtrArray *reports; /* of TrReport: what would be stored (validated, judged, in scope) */
} TrInspected;

/* tr_query_inspect_begin - begin the document of inspect; then one tr_query_inspect_message per
 * message, and tr_printer_end */
void tr_query_inspect_begin (TrPrinter *printer);
/* tr_query_inspect_message - @message as show prints a stored report: its mail facts, each
 * report with its trust verdict, policies, failure details and warnings, and what the result
 * types of its failure details mean */
void tr_query_inspect_message (TrPrinter *printer, const TrInspected *message);
