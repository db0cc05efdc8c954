/* trust.h - is a report for us, and did its sender prove who it is?  (after validate) */
#pragma once

#include <glib.h>

#include "report.h"

/* tr_trust_judge - set report->dkim_result, dkim_domain and dkim_aligned from the topmost
 * Authentication-Results header of @info written by one of @trusted_ids (authserv-ids); headers
 * below it are never read.  Aligned means: the signing domain has the organizational domain of
 * report->reporter_key (validated first).  With no @trusted_ids nothing is judged (dkim_result
 * stays NULL); with them but no such header, or one without a DKIM result, dkim_result is
 * "none". */
void tr_trust_judge (TrReport *report, const TrMailInfo *info, char **trusted_ids);

/* tr_trust_in_scope - whether a policy domain of @report (or, where a policy names none, the
 * TLS-Report-Domain of @info) matches @domains ("example.com" itself, "*.example.com" its
 * subdomains).  NULL @domains accepts everything.  When FALSE, *@seen lists the domains. */
gboolean tr_trust_in_scope (const TrReport *report, const TrMailInfo *info, char **domains,
                            char **seen);

/* tr_trust_keep_in_scope - remove the policies of @report (and their failure details) whose
 * domain does not match @domains; the number removed */
guint tr_trust_keep_in_scope (TrReport *report, const TrMailInfo *info, char **domains);

/* tr_trust_org_domain - the organizational domain of @domain (RFC 7489 §3.2): the public suffix
 * list of Debian's publicsuffix package when installed, else the last two labels */
char *tr_trust_org_domain (const char *domain);
