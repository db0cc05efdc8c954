/* window-options.h - the options of the commands that look at a window of report days (report,
 * digest): --since, --until, --domain, --reporter, --authenticated, checked as query checks
 * them, into a TrQueryFilter (window-options.c) */
#pragma once

#include <glib.h>

#include "command.h"

typedef struct
{
  char *since, *until;
  char **domains, **reporters;
  gboolean authenticated;
  TrQueryFilter filter; /* made by tr_window_options_apply */
  char *described;      /* what was selected, for people ("domain example.com"), or NULL */
} TrWindowOptions;

/* tr_window_options_add - the options into @group, their values into @o; @since_help: the help
 * of --since, with its default (static) */
void tr_window_options_add (TrWindowOptions *o, GOptionGroup *group, const char *since_help);
void tr_window_options_clear (TrWindowOptions *o);
/* tr_window_options_apply - the filter of @o: the values checked (TR_ERROR_USAGE), the window
 * from --since (else @default_span back from --until, else from now) to --until (else today) */
gboolean tr_window_options_apply (TrWindowOptions *o, GDateTime *now, const char *default_span,
                                  GError **error);

/* tr_option_values - the values of a repeatable option, each checked (tr_query_check_value) and
 * split at commas for a host name, in lower case (*@out newly allocated; NULL if none given) */
gboolean tr_option_values (const char *option, char **given, gboolean host_name, char ***out,
                           GError **error);
