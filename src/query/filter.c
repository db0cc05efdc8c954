/* filter.c - the filters that query (and the commands like it) take: values checked, names
 * normalised, and resolved against what the database holds -- wildcards ("*.example.org") to
 * the domains and MX hosts under them, reporters given by organization name to their keys -- so
 * that a backend only ever matches exact names
 */
#include "config.h"

#include <string.h>

#include "error.h"
#include "names.h"
#include "query.h"

/* tr_query_check_value - reject values that cannot match anything stored (or are garbage) */
gboolean
tr_query_check_value (const char *option, const char *value, gboolean host_name, GError **error)
{
  gsize len = strlen (value);
  gboolean ok = len > 0 && len <= 1024 && g_utf8_validate (value, -1, NULL);

  for (const char *p = value; ok && *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      if (host_name)
        ok = g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '*';
      else
        ok = c >= 0x20 && c != 0x7f;
    }
  if (host_name && !ok && strcmp (value, "(none)") == 0)
    ok = TRUE;
  if (!ok)
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "%s: expected %s, not \"%s\"", option,
                   host_name ? "a domain name such as example.com" : "a non-empty printable value",
                   value);
      return FALSE;
    }
  return TRUE;
}

/* tr_query_check_warnings - known warning codes only */
gboolean
tr_query_check_warnings (char **codes, GError **error)
{
  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    if (!tr_warning_code_known (codes[i]))
      {
        g_autoptr (GString) known = g_string_new (NULL);

        for (guint k = 0; tr_warning_codes[k].code != NULL; k++)
          g_string_append_printf (known, "%s%s", k > 0 ? ", " : "", tr_warning_codes[k].code);
        g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                     "--warning: \"%s\" is not a warning code; the codes are %s", codes[i],
                     known->str);
        return FALSE;
      }
  return TRUE;
}

/* A list of the filter being resolved: the values given, and the names they match. */
typedef struct
{
  TrNameKind kind;
  char **given;
  GPtrArray *names;  /* matched, each once */
  GHashTable *seen;  /* of names */
  gboolean *matched; /* per given value */
  GHashTable *known; /* reporter keys, for the hint */
} Resolve;

/* on_name - a name of the database: kept if a given value matches it */
static gboolean
on_name (const char *name, const char *organization, gpointer data, GError **error)
{
  Resolve *r = data;

  if (r->known != NULL)
    g_hash_table_add (r->known, g_strdup (name));
  for (guint i = 0; r->given[i] != NULL; i++)
    {
      gboolean match = r->kind == TR_NAME_REPORTER
                           ? g_ascii_strcasecmp (name, r->given[i]) == 0
                                 || (organization != NULL
                                     && g_ascii_strcasecmp (organization, r->given[i]) == 0)
                           : tr_name_matches (name, r->given[i]);

      if (!match)
        continue;
      r->matched[i] = TRUE;
      if (!g_hash_table_contains (r->seen, name))
        {
          g_hash_table_add (r->seen, g_strdup (name));
          g_ptr_array_add (r->names, g_strdup (name));
        }
    }
  return TRUE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* hint - a line for a given value that matches nothing */
static void
hint (Resolve *r, const char *option, const char *value, GPtrArray *hints)
{
  g_autoptr (GString) line = g_string_new (NULL);

  g_string_printf (line, "%s %s matches nothing in the database", option, value);
  if (r->known != NULL && g_hash_table_size (r->known) > 0)
    {
      g_autofree const char **keys
          = (const char **) g_hash_table_get_keys_as_array (r->known, NULL);
      guint n = g_hash_table_size (r->known);

      qsort (keys, n, sizeof *keys, compare_strings);
      g_string_append (line, "; the reporters are");
      for (guint i = 0; i < n && i < 20; i++)
        g_string_append_printf (line, "%s %s", i > 0 ? "," : "", keys[i]);
      if (n > 20)
        g_string_append_printf (line, " and %u more", n - 20);
    }
  g_ptr_array_add (hints, g_string_free (g_steal_pointer (&line), FALSE));
}

/* resolve - one list of @filter: *@values replaced by the names they match */
static gboolean
resolve (TrStore *store, TrNameKind kind, const char *option, char ***values, GPtrArray *hints,
         GError **error)
{
  Resolve r = { kind, *values };
  gboolean ok;

  r.names = g_ptr_array_new_with_free_func (g_free);
  r.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r.matched = g_new0 (gboolean, g_strv_length (*values));
  if (kind == TR_NAME_REPORTER)
    r.known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ok = tr_store_each_name (store, kind, on_name, &r, error);
  for (guint i = 0; ok && hints != NULL && (*values)[i] != NULL; i++)
    if (!r.matched[i])
      hint (&r, option, (*values)[i], hints);
  if (ok)
    {
      g_ptr_array_add (r.names, NULL);
      g_strfreev (*values);
      *values = (char **) g_ptr_array_free (g_steal_pointer (&r.names), FALSE);
    }
  if (r.names != NULL)
    g_ptr_array_unref (r.names);
  g_hash_table_unref (r.seen);
  g_clear_pointer (&r.known, g_hash_table_unref);
  g_free (r.matched);
  return ok;
}

/* has_wildcard - whether one of @values is a wildcard */
static gboolean
has_wildcard (char **values)
{
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    if (tr_name_is_wildcard (values[i]))
      return TRUE;
  return FALSE;
}

/* tr_query_filter_resolve - the wildcards and reporter names of @filter as stored names */
gboolean
tr_query_filter_resolve (TrStore *store, TrQueryFilter *filter, GPtrArray *hints, GError **error)
{
  return (!has_wildcard (filter->domains)
          || resolve (store, TR_NAME_DOMAIN, "--domain", &filter->domains, hints, error))
         && (!has_wildcard (filter->mxs)
             || resolve (store, TR_NAME_MX, "--mx", &filter->mxs, hints, error))
         && (filter->reporters == NULL
             || resolve (store, TR_NAME_REPORTER, "--reporter", &filter->reporters, hints, error));
}
