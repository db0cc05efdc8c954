/* explain.h - what the RFC 8460 result types mean and how to chase them down */
#pragma once

#include <glib.h>

#include "printer.h"
#include "store.h"

typedef struct
{
  const char *result_type; /* NULL for the text used for unknown types */
  const char *category;    /* "TLS negotiation", "DANE policy", "MTA-STS policy", ... */
  const char *short_form;  /* one line */
  const char *meaning;
  const char *causes;
  const char *check; /* commands; MX, DOMAIN stand for the receiving MX and the policy domain */
  const char *fix;
} TrExplanation;

/* tr_explain_lookup - the explanation of @result_type (compared case-insensitively); the
 * generic one for a type we do not know */
const TrExplanation *tr_explain_lookup (const char *result_type);
/* tr_explain_all - the explanations of the known types, in RFC 8460 order */
const TrExplanation *tr_explain_all (guint *n);
/* tr_explain_notes - add "TYPE: short form" notes for @result_types (NULL-terminated, any
 * order; may be NULL) to a text listing, sorted, each once */
void tr_explain_notes (TrPrinter *printer, const char *const *result_types);
/* tr_explain_suggest - the known result type that @result_type (an unknown one) is probably a
 * typo of (three edits at most), or NULL */
const char *tr_explain_suggest (const char *result_type);
/* tr_explain_fill - the commands of an explanation with the placeholders MX and DOMAIN replaced
 * by @mx and @domain (either may be NULL); a name that is not a plain host name (letters,
 * digits, '-', '.') is not put in: the commands are meant to be pasted into a shell */
char *tr_explain_fill (const char *commands, const char *mx, const char *domain);

/* Where a result type was seen lately (explain-seen.c). */
#define TR_SEEN_MAX 5 /* names of each kind, the most failed first */
typedef struct
{
  char *name;
  gint64 count; /* failed sessions */
} TrSeenName;

typedef struct
{
  gint64 failed;   /* failed sessions of the type, all MX hosts */
  GArray *mx;      /* of TrSeenName: receiving MX hosts, lower case */
  GArray *domains; /* of TrSeenName: domain keys */
} TrSeen;

void tr_seen_name_clear (TrSeenName *name);
void tr_seen_clear (TrSeen *seen);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrSeen, tr_seen_clear)

/* tr_explain_seen - the failure details of @result_type from @since_day ("YYYY-MM-DD") on:
 * their failed sessions, and the MX hosts and domains with the most of them */
gboolean tr_explain_seen (TrStore *store, const char *result_type, const char *since_day,
                          TrSeen *seen, GError **error);
