/* trust.c - scope (our domains) and authenticity (DKIM, as our MTA saw it)
 *
 * tlsrptdb does not verify DKIM itself: the MTA in front of it does (OpenDKIM, rspamd, Exim)
 * and says so in an Authentication-Results header (RFC 8601).  Anyone can write such a header
 * into a message, so only those whose authserv-id the administrator trusts count, and of those
 * only the topmost one: verifiers prepend theirs, so one planted by the sender sits below it.
 * A planted header below ours is not believed even when ours has no DKIM result.  This holds
 * as long as the MTA checks DKIM on every message; if it does not, a planted header would be
 * the topmost (doc/design.md, "Threat model").
 *
 * Alignment: RFC 8460 section 3 wants the report signed by the reporting domain.  The report
 * is filed under its reporter key (validate.c: the contact-info domain, else the
 * organization-name), so the signing domain is aligned when it shares its organizational domain
 * with that key (relaxed alignment, as in DMARC; mail.ru signs as corp.mail.ru).  Nothing else
 * the sender writes (TLS-Report-Submitter) counts: a signature must cover the name the report is
 * filed under, or a forger could sign as themselves and be filed as someone else.
 */
#include "config.h"

#include <string.h>

#include "names.h"
#include "trust.h"

#define PSL_PATH "/usr/share/publicsuffix/public_suffix_list.dat"

typedef struct
{
  char *result; /* lower case: pass, fail, neutral, none, policy, temperror, permerror */
  char *domain; /* header.d (or the domain of header.i), lower case, or NULL */
} DkimResult;

static void
dkim_result_free (DkimResult *r)
{
  g_free (r->result);
  g_free (r->domain);
  g_free (r);
}

/* strip_comments - @value without RFC 5322 comments "( ... )", which may nest; quoted strings
 * and backslash escapes are respected */
static char *
strip_comments (const char *value)
{
  GString *out = g_string_sized_new (strlen (value));
  int depth = 0;
  gboolean quoted = FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          if (depth == 0)
            g_string_append_len (out, p, 2);
          p++;
          continue;
        }
      if (!quoted && *p == '(')
        depth++;
      else if (!quoted && *p == ')' && depth > 0)
        depth--;
      else if (depth == 0)
        {
          if (*p == '"')
            quoted = !quoted;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

/* split_outside_quotes - split @text at @sep where it is not inside a quoted string */
static GPtrArray *
split_outside_quotes (const char *text, char sep)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  gboolean quoted = FALSE;
  const char *start = text;

  for (const char *p = text;; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      if (*p == '\0' || (*p == sep && !quoted))
        {
          g_ptr_array_add (parts, g_strstrip (g_strndup (start, (gsize) (p - start))));
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
  return parts;
}

/* unquote - a value without its surrounding double quotes */
static char *
unquote (const char *value)
{
  gsize len = strlen (value);

  if (len >= 2 && value[0] == '"' && value[len - 1] == '"')
    return g_strndup (value + 1, len - 2);
  return g_strdup (value);
}

/* squeeze_equals - @text without the white space around "=" ("dkim = pass": CFWS may stand
 * there), so that each "key=value" is one word */
static char *
squeeze_equals (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '=')
        {
          while (out->len > 0 && g_ascii_isspace (out->str[out->len - 1]))
            g_string_truncate (out, out->len - 1);
          g_string_append_c (out, '=');
          while (g_ascii_isspace (p[1]))
            p++;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* parse_authres - the authserv-id of an Authentication-Results value, and its DKIM results
 * (added to @dkim); NULL when the value has no authserv-id */
static char *
parse_authres (const char *value, GPtrArray *dkim)
{
  g_autofree char *clean = strip_comments (value);
  g_autoptr (GPtrArray) parts = split_outside_quotes (clean, ';');
  g_auto (GStrv) head = NULL;

  head = g_strsplit_set (g_ptr_array_index (parts, 0), " \t", 2);
  if (head[0] == NULL || head[0][0] == '\0')
    return NULL;

  for (guint i = 1; i < parts->len; i++)
    {
      g_autofree char *resinfo = squeeze_equals (g_ptr_array_index (parts, i));
      g_auto (GStrv) words = g_strsplit_set (resinfo, " \t", -1);
      DkimResult *r;

      if (words[0] == NULL || g_ascii_strncasecmp (words[0], "dkim=", 5) != 0)
        continue; /* also "dkim/1=": versions are not used in practice */
      r = g_new0 (DkimResult, 1);
      r->result = g_ascii_strdown (words[0] + 5, -1);
      for (guint w = 1; words[w] != NULL; w++)
        {
          g_autofree char *v = NULL;

          if (g_ascii_strncasecmp (words[w], "header.d=", 9) == 0)
            {
              v = unquote (words[w] + 9);
              g_free (r->domain);
              r->domain = g_ascii_strdown (v, -1);
            }
          else if (r->domain == NULL && g_ascii_strncasecmp (words[w], "header.i=", 9) == 0)
            {
              const char *at;

              v = unquote (words[w] + 9);
              at = strrchr (v, '@');
              r->domain = g_ascii_strdown (at ? at + 1 : v, -1);
            }
        }
      g_ptr_array_add (dkim, r);
    }
  return g_strdup (head[0]);
}

/* psl_rules - the public suffix list as a set of rules ("com", "*.ck", "!www.ck"), or NULL */
static GHashTable *
psl_rules (void)
{
  static GHashTable *rules;
  static gsize loaded;

  if (g_once_init_enter (&loaded))
    {
      g_autofree char *text = NULL;

      if (g_file_get_contents (PSL_PATH, &text, NULL, NULL))
        {
          g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

          rules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          for (guint i = 0; lines[i] != NULL; i++)
            {
              char *rule = g_strstrip (lines[i]);

              if (*rule != '\0' && !g_str_has_prefix (rule, "//"))
                g_hash_table_add (rules, g_utf8_strdown (rule, -1));
            }
        }
      g_once_init_leave (&loaded, 1);
    }
  return rules;
}

/* tr_trust_org_domain - the organizational domain of @domain */
char *
tr_trust_org_domain (const char *domain)
{
  g_autofree char *lower = NULL;
  g_auto (GStrv) labels = NULL;
  GHashTable *rules = psl_rules ();
  guint n, suffix;

  if (domain == NULL || *domain == '\0')
    return NULL;
  lower = g_ascii_strdown (domain, -1);
  g_strstrip (lower);
  if (g_str_has_suffix (lower, "."))
    lower[strlen (lower) - 1] = '\0';
  labels = g_strsplit (lower, ".", -1);
  n = g_strv_length (labels);
  if (n == 0)
    return NULL;

  suffix = 1; /* the implicit rule "*": the last label is a public suffix */
  if (rules != NULL)
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *candidate = g_strjoinv (".", labels + i);
        g_autofree char *exception = g_strconcat ("!", candidate, NULL);
        g_autofree char *wildcard
            = i + 1 < n ? g_strconcat ("*.", candidate + strlen (labels[i]) + 1, NULL) : NULL;

        if (g_hash_table_contains (rules, exception))
          {
            suffix = n - i - 1;
            break;
          }
        if (g_hash_table_contains (rules, candidate)
            || (wildcard != NULL && g_hash_table_contains (rules, wildcard)))
          {
            suffix = n - i;
            break;
          }
      }
  else
    suffix = 1; /* without the list: the last two labels (wrong for co.uk and the like) */
  if (suffix >= n)
    return g_strdup (lower);
  return g_strjoinv (".", labels + (n - suffix - 1));
}

/* aligned - whether @dkim_domain shares its organizational domain with @reporter */
static gboolean
aligned (const char *dkim_domain, const char *reporter)
{
  g_autofree char *a = tr_trust_org_domain (dkim_domain);
  g_autofree char *b = tr_trust_org_domain (reporter);

  return a != NULL && b != NULL && strcmp (a, b) == 0;
}

static gboolean
is_trusted (const char *authserv_id, char **trusted_ids)
{
  for (guint i = 0; trusted_ids[i] != NULL; i++)
    if (g_ascii_strcasecmp (authserv_id, trusted_ids[i]) == 0)
      return TRUE;
  return FALSE;
}

/* topmost_trusted - the DKIM results of the topmost Authentication-Results header of @info
 * whose authserv-id is trusted (none if that header has no DKIM result) */
static GPtrArray *
topmost_trusted (const TrMailInfo *info, char **trusted_ids)
{
  for (guint i = 0; info != NULL && i < info->auth_results->len; i++)
    {
      g_autoptr (GPtrArray) found
          = g_ptr_array_new_with_free_func ((GDestroyNotify) dkim_result_free);
      g_autofree char *id = parse_authres (g_ptr_array_index (info->auth_results, i), found);

      if (id != NULL && is_trusted (id, trusted_ids))
        return g_steal_pointer (&found);
    }
  return g_ptr_array_new_with_free_func ((GDestroyNotify) dkim_result_free);
}

/* tr_trust_judge - the DKIM verdict of our MTA on @report's message */
void
tr_trust_judge (TrReport *report, const TrMailInfo *info, char **trusted_ids)
{
  g_autoptr (GPtrArray) dkim = NULL;
  const DkimResult *best = NULL;
  int best_score = -1;

  if (trusted_ids == NULL || trusted_ids[0] == NULL)
    return;
  dkim = topmost_trusted (info, trusted_ids);

  /* several signatures: prefer an aligned pass, then any pass, then the first result */
  for (guint i = 0; i < dkim->len; i++)
    {
      const DkimResult *r = g_ptr_array_index (dkim, i);
      gboolean pass = g_strcmp0 (r->result, "pass") == 0;
      gboolean ok = aligned (r->domain, report->reporter_key);
      int score = (pass ? 2 : 0) + (ok ? 1 : 0);

      if (score > best_score)
        best = r, best_score = score;
    }
  g_free (report->dkim_result);
  g_free (report->dkim_domain);
  if (best == NULL)
    {
      report->dkim_result = g_strdup ("none");
      report->dkim_domain = NULL;
      report->dkim_aligned = -1;
      return;
    }
  report->dkim_result = g_strdup (best->result);
  report->dkim_domain = g_strdup (best->domain);
  report->dkim_aligned = best->domain != NULL ? (best_score & 1) : -1;
}

/* in_domains - whether @name matches one of @domains */
static gboolean
in_domains (const char *name, char **domains)
{
  for (guint d = 0; name != NULL && domains[d] != NULL; d++)
    if (tr_name_matches (name, domains[d]))
      return TRUE;
  return FALSE;
}

/* policy_name - the domain a policy is about: its policy-domain, else the TLS-Report-Domain */
static const char *
policy_name (const TrPolicy *policy, const TrMailInfo *info)
{
  if (policy->policy_domain != NULL)
    return policy->policy_domain;
  return info ? info->tls_report_domain : NULL;
}

/* TR_TRUST_SEEN_MAX - domains named in the "not our domain" reason, at most */
#define TR_TRUST_SEEN_MAX 8

/* tr_trust_in_scope - whether @report is about one of @domains */
gboolean
tr_trust_in_scope (const TrReport *report, const TrMailInfo *info, char **domains, char **seen)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  const char *header = info ? info->tls_report_domain : NULL;
  guint n_names = 0;

  if (domains == NULL || domains[0] == NULL)
    return TRUE;
  for (guint i = 0; i < report->policies->len; i++)
    {
      const char *name = policy_name (g_ptr_array_index (report->policies, i), info);

      if (in_domains (name, domains))
        return TRUE;
      if (name != NULL && n_names++ < TR_TRUST_SEEN_MAX)
        g_ptr_array_add (names, (gpointer) name);
    }
  if (n_names == 0 && header != NULL)
    {
      if (in_domains (header, domains))
        return TRUE;
      g_ptr_array_add (names, (gpointer) header);
      n_names = 1;
    }
  if (seen != NULL)
    {
      g_autofree char *listed = NULL;

      g_ptr_array_add (names, NULL);
      listed = g_strjoinv (", ", (char **) names->pdata);
      *seen = n_names == 0 ? g_strdup ("none")
              : n_names > TR_TRUST_SEEN_MAX
                  ? g_strdup_printf ("%s and %u more", listed, n_names - TR_TRUST_SEEN_MAX)
                  : g_steal_pointer (&listed);
    }
  return FALSE;
}

/* tr_trust_keep_in_scope - remove the policies of @report that are not about @domains */
guint
tr_trust_keep_in_scope (TrReport *report, const TrMailInfo *info, char **domains)
{
  GPtrArray *kept;
  guint removed = 0;

  if (domains == NULL || domains[0] == NULL)
    return 0;
  /* one pass into a new array: removing from the middle would be quadratic */
  kept = g_ptr_array_new_full (report->policies->len, (GDestroyNotify) tr_policy_free);
  for (guint i = 0; i < report->policies->len; i++)
    {
      TrPolicy *policy = g_ptr_array_index (report->policies, i);

      if (in_domains (policy_name (policy, info), domains))
        g_ptr_array_add (kept, policy);
      else
        {
          tr_policy_free (policy);
          removed++;
        }
    }
  g_ptr_array_set_free_func (report->policies, NULL);
  g_ptr_array_unref (report->policies);
  report->policies = kept;
  return removed;
}
