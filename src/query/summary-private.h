/* summary-private.h - what summary.c gathers and summary-print.c prints (query summary) */
#pragma once

#include "counting.h"
#include "query.h"

/* One group of the summary: its values, its sessions, its result types. */
typedef struct
{
  char **values; /* n_groups strings */
  gint64 successful;
  gint64 failed;
  gboolean has_successful;
  gboolean no_report;      /* a day of the range without any report (filled in) */
  GHashTable *reports;     /* report row (gint64 *) set, when reports must be told apart */
  gint64 n_reports;        /* when every row is another report */
  GHashTable *type_counts; /* result type -> gint64 * */
  gint64 warnings;         /* of its reports (with_warnings) */
  GHashTable *days;        /* the days with a report, "YYYY-MM-DD" (with_days) */
  char *first_day;         /* (with_days) */
  char *last_day;
} TrSummaryGroup;

/* The whole summary, once gathered: its groups in printing order. */
typedef struct
{
  const TrGroup *groups;
  guint n_groups;
  gboolean with_warnings; /* grouped by reporter (and day) only: the warnings column */
  gboolean with_days;     /* grouped by reporter, not by day: first and last day, days */
  GPtrArray *order;       /* of TrSummaryGroup, sorted */
} TrSummaryResult;

/* tr_summary_print - the listing of @result, then the explanations of its result types */
gboolean tr_summary_print (const TrSummaryResult *result, const TrQueryFilter *filter,
                           TrPrinter *printer, GError **error);
