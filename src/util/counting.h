/* counting.h - the counting rule and the domain key, defined once (doc/schema.md, "The counting
 * rule"): the store writes by them, query reads by them, and each backend's views for people
 * with SQL say the same (tested: tests/cli/t-query.sh compares them)
 */
#pragma once

#include <glib.h>

#include "report.h"

/* The classes a policy's sessions are counted in. */
typedef enum
{
  TR_CLASS_OTHER, /* no-policy-found, unknown types, none */
  TR_CLASS_STS,
  TR_CLASS_TLSA,
  TR_N_CLASSES
} TrPolicyClass;

/* Session counts split by class; the counting rule makes one count of them. */
typedef struct
{
  gint64 by_class[TR_N_CLASSES];
} TrClassCounts;

/* tr_policy_class - the class of a policy-type (case-insensitive; NULL is other) */
TrPolicyClass tr_policy_class (const char *policy_type);

/* tr_domain_key - the domain a policy's sessions belong to: its policy-domain, else the
 * TLS-Report-Domain of its message (@tls_report_domain, may be NULL), else "(none)", in ASCII
 * lower case (newly allocated) */
char *tr_domain_key (const char *policy_domain, const char *tls_report_domain);

/* tr_count_rule - the sessions of one report and domain key: max(sts, tlsa) + other (Microsoft
 * reports the same sessions under an sts and a tlsa policy); saturating */
gint64 tr_count_rule (const TrClassCounts *counts);

/* tr_count_add - @a + @b for counts (>= 0), at most G_MAXINT64: one report's counts are bounded
 * (validate.c), sums over many reports saturate instead of overflowing */
gint64 tr_count_add (gint64 a, gint64 b);

/* tr_class_counts_add - add @n to the class @klass of @counts, saturating */
void tr_class_counts_add (TrClassCounts *counts, TrPolicyClass klass, gint64 n);
