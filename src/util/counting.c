/* counting.c - the counting rule and the domain key (counting.h) */
#include "config.h"

#include "counting.h"

/* tr_policy_class - sts, tlsa or other */
TrPolicyClass
tr_policy_class (const char *policy_type)
{
  if (policy_type == NULL)
    return TR_CLASS_OTHER;
  if (g_ascii_strcasecmp (policy_type, "sts") == 0)
    return TR_CLASS_STS;
  if (g_ascii_strcasecmp (policy_type, "tlsa") == 0)
    return TR_CLASS_TLSA;
  return TR_CLASS_OTHER;
}

/* tr_domain_key - the lower-cased policy-domain, else TLS-Report-Domain, else "(none)".  ASCII
 * folding only, as SQL's lower() does in the views and the migration that filled the column. */
char *
tr_domain_key (const char *policy_domain, const char *tls_report_domain)
{
  if (policy_domain != NULL && *policy_domain != '\0')
    return g_ascii_strdown (policy_domain, -1);
  if (tls_report_domain != NULL && *tls_report_domain != '\0')
    return g_ascii_strdown (tls_report_domain, -1);
  return g_strdup ("(none)");
}

/* tr_count_add - saturating addition of counts */
gint64
tr_count_add (gint64 a, gint64 b)
{
  if (b > 0 && a > G_MAXINT64 - b)
    return G_MAXINT64;
  return a + b;
}

/* tr_count_rule - max(sts, tlsa) + other */
gint64
tr_count_rule (const TrClassCounts *counts)
{
  return tr_count_add (MAX (counts->by_class[TR_CLASS_STS], counts->by_class[TR_CLASS_TLSA]),
                       counts->by_class[TR_CLASS_OTHER]);
}

/* tr_class_counts_add - one more count in a class */
void
tr_class_counts_add (TrClassCounts *counts, TrPolicyClass klass, gint64 n)
{
  counts->by_class[klass] = tr_count_add (counts->by_class[klass], n);
}
