/* suggest.c - "did you mean ...?": the known word that a mistyped one was meant to be
 *
 * Used for config file keys and command-line words, where a typo must not pass unnoticed and
 * the list of right words is short.  The distance is the optimal string alignment distance
 * (Damerau-Levenshtein without repeated edits of one substring), over ASCII case-folded words.
 */
#include "config.h"

#include <string.h>

#include "suggest.h"

#define MAX_WORD 64 /* longer words get no suggestion: nothing we know is that long */

/* normalize - @word lower-cased, '_' as '-', into @out (MAX_WORD + 1 bytes); FALSE if too long */
static gboolean
normalize (const char *word, char *out)
{
  gsize n = strlen (word);

  if (n > MAX_WORD)
    return FALSE;
  for (gsize i = 0; i <= n; i++)
    out[i] = word[i] == '_' ? '-' : g_ascii_tolower (word[i]);
  return TRUE;
}

/* distance - the optimal string alignment distance of @a and @b */
static guint
distance (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guint d[MAX_WORD + 1][MAX_WORD + 1];

  for (gsize i = 0; i <= la; i++)
    d[i][0] = (guint) i;
  for (gsize j = 0; j <= lb; j++)
    d[0][j] = (guint) j;
  for (gsize i = 1; i <= la; i++)
    for (gsize j = 1; j <= lb; j++)
      {
        guint cost = a[i - 1] != b[j - 1];
        guint best = MIN (d[i - 1][j] + 1, d[i][j - 1] + 1);

        best = MIN (best, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          best = MIN (best, d[i - 2][j - 2] + 1);
        d[i][j] = best;
      }
  return d[la][lb];
}

/* tr_suggest - the candidate @word is most likely a typo of, or NULL */
const char *
tr_suggest (const char *word, const char *const *candidates, guint n_candidates)
{
  char w[MAX_WORD + 1], c[MAX_WORD + 1];
  const char *best = NULL, *prefix_of = NULL;
  guint best_distance = G_MAXUINT, n_prefix = 0, allowed;
  gsize len;

  if (word == NULL || !normalize (word, w) || *w == '\0')
    return NULL;
  len = strlen (w);
  allowed = CLAMP ((guint) len / 4, 1, 3);
  for (guint i = 0; i < n_candidates; i++)
    {
      guint d;

      if (!normalize (candidates[i], c))
        continue;
      if (strcmp (w, c) == 0)
        return candidates[i];
      if (len >= 3 && g_str_has_prefix (c, w) && n_prefix++ == 0)
        prefix_of = candidates[i];
      d = distance (w, c);
      if (d < best_distance)
        best_distance = d, best = candidates[i];
    }
  if (n_prefix == 1)
    return prefix_of;
  return best_distance <= allowed ? best : NULL;
}
