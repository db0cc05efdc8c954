/* explain.h - what the RFC 8460 result types mean and how to chase them down */
#pragma once

#include <glib.h>

#include "printer.h"

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
