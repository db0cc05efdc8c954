/* names.c - domain and host names: one normal form and one wildcard rule, shared by ingest's
 * `domains` scope and the filters of query */
#include "config.h"

#include <string.h>

#include "names.h"

/* tr_name_normalize - lower case, no trailing dot */
char *
tr_name_normalize (const char *name)
{
  char *normal = g_ascii_strdown (name, -1);
  gsize len = strlen (normal);

  if (len > 1 && normal[len - 1] == '.')
    normal[len - 1] = '\0';
  return normal;
}

gboolean
tr_name_is_wildcard (const char *pattern)
{
  return g_str_has_prefix (pattern, "*.") && pattern[2] != '\0';
}

/* tr_name_matches - @name is @pattern, or under the wildcard @pattern */
gboolean
tr_name_matches (const char *name, const char *pattern)
{
  gsize nlen = strlen (name), plen;

  if (nlen > 0 && name[nlen - 1] == '.')
    nlen--;
  if (tr_name_is_wildcard (pattern))
    pattern += 1; /* ".example.com" */
  plen = strlen (pattern);
  if (plen > 0 && pattern[plen - 1] == '.')
    plen--;
  if (pattern[0] == '.')
    return nlen > plen && g_ascii_strncasecmp (name + nlen - plen, pattern, plen) == 0;
  return nlen == plen && g_ascii_strncasecmp (name, pattern, plen) == 0;
}
