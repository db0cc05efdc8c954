/* suggest.h - "did you mean ...?": the known word that a mistyped one was meant to be */
#pragma once

#include <glib.h>

/* tr_suggest - of the @n_candidates words of @candidates, the one that @word is most likely a
 * typo of, or NULL: the same word but for case and '_' for '-'; the only candidate that @word
 * begins (at least three letters of it); or the closest by edit distance (a letter added, left
 * out, changed, or two swapped), at most a quarter of @word's length away (one to three edits).
 * Ties go to the earlier candidate. */
const char *tr_suggest (const char *word, const char *const *candidates, guint n_candidates);
