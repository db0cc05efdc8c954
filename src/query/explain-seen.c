/* explain-seen.c - where this database saw a result type lately: the receiving MX hosts and the
 * policy domains of its failure details, most failed sessions first, so that explain can fill its
 * commands in with the host to look at */
#include "config.h"

#include <string.h>

#include "counting.h"
#include "explain.h"

typedef struct
{
  GHashTable *mx;      /* name -> gint64 * */
  GHashTable *domains; /* name -> gint64 * */
  gint64 failed;
} Tally;

/* add - @n more sessions for @name in @table */
static void
add (GHashTable *table, const char *name, gint64 n)
{
  gint64 *count = g_hash_table_lookup (table, name);

  if (count == NULL)
    {
      count = g_new0 (gint64, 1);
      g_hash_table_insert (table, g_ascii_strdown (name, -1), count);
    }
  *count = tr_count_add (*count, n);
}

static gboolean
on_failure (const TrFailureRow *row, gpointer data, GError **error)
{
  Tally *t = data;
  gint64 n = row->failure->failed_session_count == TR_COUNT_ABSENT
                 ? 0
                 : row->failure->failed_session_count;

  t->failed = tr_count_add (t->failed, n);
  if (row->failure->receiving_mx_hostname != NULL)
    add (t->mx, row->failure->receiving_mx_hostname, n);
  if (row->domain != NULL)
    add (t->domains, row->domain, n);
  return TRUE;
}

static int
compare_counts (gconstpointer a, gconstpointer b)
{
  const TrSeenName *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->name, y->name);
}

/* sorted - @table as TrSeenNames, most sessions first, at most @max */
static GArray *
sorted (GHashTable *table, guint max)
{
  GArray *list = g_array_new (FALSE, FALSE, sizeof (TrSeenName));
  GHashTableIter iter;
  gpointer key, value;

  g_array_set_clear_func (list, (GDestroyNotify) tr_seen_name_clear);
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TrSeenName n = { g_strdup (key), *(gint64 *) value };
      g_array_append_val (list, n);
    }
  g_array_sort (list, compare_counts);
  if (list->len > max)
    g_array_set_size (list, max);
  return list;
}

void
tr_seen_name_clear (TrSeenName *name)
{
  g_clear_pointer (&name->name, g_free);
}

void
tr_seen_clear (TrSeen *seen)
{
  g_clear_pointer (&seen->mx, g_array_unref);
  g_clear_pointer (&seen->domains, g_array_unref);
}

/* tr_explain_seen - where @result_type was seen since @since_day */
gboolean
tr_explain_seen (TrStore *store, const char *result_type, const char *since_day, TrSeen *seen,
                 GError **error)
{
  char *types[] = { g_ascii_strdown (result_type, -1), NULL };
  TrQueryFilter filter = TR_QUERY_FILTER_INIT;
  Tally t = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
              g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free), 0 };
  gboolean ok;

  filter.result_types = types;
  filter.since_day = (char *) since_day;
  ok = tr_store_each_failure (store, &filter, on_failure, &t, error);
  if (ok)
    {
      seen->failed = t.failed;
      seen->mx = sorted (t.mx, TR_SEEN_MAX);
      seen->domains = sorted (t.domains, TR_SEEN_MAX);
    }
  g_hash_table_unref (t.mx);
  g_hash_table_unref (t.domains);
  g_free (types[0]);
  return ok;
}
