/* window-options.c - --since, --until, --domain, --reporter, --authenticated for report and
 * digest, and the checked values of a repeatable option (query's too) */
#include "config.h"

#include <string.h>

#include "error.h"
#include "names.h"
#include "query.h"
#include "timespec.h"
#include "window-options.h"

gboolean
tr_option_values (const char *option, char **given, gboolean host_name, char ***out, GError **error)
{
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

  if (given == NULL)
    return TRUE;
  for (guint i = 0; given[i] != NULL; i++)
    {
      g_auto (GStrv) parts
          = host_name ? g_strsplit (given[i], ",", -1) : g_strdupv ((char *[]){ given[i], NULL });

      if (parts[0] == NULL && !tr_query_check_value (option, "", host_name, error))
        return FALSE;
      for (guint j = 0; parts[j] != NULL; j++)
        {
          if (!tr_query_check_value (option, parts[j], host_name, error))
            return FALSE;
          g_ptr_array_add (values, host_name ? tr_name_normalize (parts[j])
                                             : g_ascii_strdown (parts[j], -1));
        }
    }
  g_ptr_array_add (values, NULL);
  *out = (char **) g_ptr_array_free (g_steal_pointer (&values), FALSE);
  return TRUE;
}

void
tr_window_options_add (TrWindowOptions *o, GOptionGroup *group, const char *since_help)
{
  const GOptionEntry entries[] = {
    { "since", 's', 0, G_OPTION_ARG_STRING, &o->since, since_help, "WHEN" },
    { "until", 'u', 0, G_OPTION_ARG_STRING, &o->until, "Report days up to this one (default today)",
      "WHEN" },
    { "domain", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &o->domains,
      "Only this policy domain (repeatable, or D1,D2)", "D" },
    { "reporter", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &o->reporters,
      "Only reports from this reporter (its reporter key; repeatable)", "R" },
    { "authenticated", 'a', 0, G_OPTION_ARG_NONE, &o->authenticated,
      "Only reports with a DKIM signature aligned with the reporter, as verified by the MTA",
      NULL },
    G_OPTION_ENTRY_NULL,
  };

  g_option_group_add_entries (group, entries);
  o->filter = (TrQueryFilter) TR_QUERY_FILTER_INIT;
}

void
tr_window_options_clear (TrWindowOptions *o)
{
  g_free (o->since);
  g_free (o->until);
  g_strfreev (o->domains);
  g_strfreev (o->reporters);
  tr_query_filter_clear (&o->filter);
  g_free (o->described);
}

/* describe - what was selected, for the page ("domain a.example, b.example; authenticated") */
static char *
describe (const TrQueryFilter *f)
{
  g_autoptr (GString) s = g_string_new (NULL);
  g_autofree char *domains = f->domains ? g_strjoinv (", ", f->domains) : NULL;
  g_autofree char *reporters = f->reporters ? g_strjoinv (", ", f->reporters) : NULL;

  if (domains != NULL)
    g_string_append_printf (s, "policy domain %s", domains);
  if (reporters != NULL)
    g_string_append_printf (s, "%sreporter %s", s->len ? "; " : "", reporters);
  if (f->authenticated)
    g_string_append_printf (s, "%sreports with an aligned DKIM pass", s->len ? "; " : "");
  return s->len ? g_string_free (g_steal_pointer (&s), FALSE) : NULL;
}

gboolean
tr_window_options_apply (TrWindowOptions *o, GDateTime *now, const char *default_span,
                         GError **error)
{
  TrQueryFilter *f = &o->filter;
  g_autoptr (GDateTime) end = NULL;

  f->authenticated = o->authenticated;
  if (!tr_option_values ("--domain", o->domains, TRUE, &f->domains, error)
      || !tr_option_values ("--reporter", o->reporters, FALSE, &f->reporters, error))
    return FALSE;
  end = o->until ? tr_time_parse ("--until", o->until, now, error) : g_date_time_ref (now);
  if (end == NULL)
    return FALSE;
  f->until_day = tr_time_day (end);
  f->since_day = tr_time_parse_day ("--since", o->since ? o->since : default_span,
                                    o->since ? now : end, error);
  if (f->since_day == NULL)
    return FALSE;
  if (strcmp (f->since_day, f->until_day) > 0)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "--since %s is after --until %s", f->since_day,
                   f->until_day);
      return FALSE;
    }
  o->described = describe (f);
  return TRUE;
}
