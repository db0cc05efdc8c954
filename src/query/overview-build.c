/* overview-build.c - tr_overview_build: the window, the passes over the store (overview.c,
 * overview-listings.c), then the gathered maps shaped into a TrOverview: sorted as query
 * summary sorts, capped, and the time series of what is drawn made dense */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "explain.h"
#include "overview-private.h"

/* each_pair - call @func for every (id, low) key of @m with its pair */
static void
each_pair (const PairMap *m, void (*func) (guint id, guint low, const Pair *p, gpointer data),
           gpointer data)
{
  for (gsize h = 0; h <= m->mask; h++)
    if (m->keys[h] != 0)
      func ((guint) ((m->keys[h] - 1) >> 32), (guint) (m->keys[h] - 1),
            &g_array_index (m->pairs, Pair, m->slots[h]), data);
}

/* --- domains ------------------------------------------------------------------------------ */

/* compare_domains - as query summary: most failed, then most successful, then by name */
static int
compare_domains (gconstpointer a, gconstpointer b)
{
  const TrOverviewDomain *x = *(const TrOverviewDomain *const *) a;
  const TrOverviewDomain *y = *(const TrOverviewDomain *const *) b;

  if (x->failed != y->failed)
    return x->failed > y->failed ? -1 : 1;
  if (x->successful != y->successful)
    return x->successful > y->successful ? -1 : 1;
  return strcmp (x->name, y->name);
}

static int
compare_counts (gconstpointer a, gconstpointer b)
{
  const TrOverviewCount *x = a, *y = b;

  if (x->value != y->value)
    return x->value > y->value ? -1 : 1;
  return strcmp (x->name, y->name);
}

typedef struct
{
  Gather *g;
  TrOverviewDomain **by_id; /* the domain of each id (or NULL) */
  TrOverviewType **types;   /* by type id */
  guint *series_of;         /* by type id: its series, or G_MAXUINT */
} Shape;

/* add_domain_type - a (domain, type) of the window: to the type, and to the domain's types,
 * new or not */
static void
add_domain_type (guint domain, guint type, const Pair *p, gpointer data)
{
  Shape *s = data;
  TrOverviewDomain *d = s->by_id[domain];
  TrOverviewCount c = { g_ptr_array_index (s->g->types.names, type), p->a };
  Pair *old = pairmap_get (&s->g->old_types, pairmap_key (domain, type), NULL);
  TrOverviewType *t = s->types[type];

  if (t == NULL)
    {
      t = s->types[type] = g_new0 (TrOverviewType, 1);
      t->name = c.name;
      t->failed = g_array_index (s->g->type_failed, gint64, type);
      t->meaning = tr_explain_lookup (t->name)->short_form;
      t->fix = tr_explain_lookup (t->name)->fix;
      g_ptr_array_add (s->g->ov->types, t);
    }
  t->domains++;
  if (d == NULL)
    return;
  g_array_append_val (d->types, c);
  if (p->a > 0 && old->a == 0 && g_array_index (s->g->domain_acc, DomainAcc, domain).in_lookback)
    {
      g_ptr_array_add (d->new_types, (gpointer) c.name);
      t->is_new = TRUE;
    }
}

/* add_domain_day - a (domain, day) of the window: to the day arrays of a charted domain */
static void
add_domain_day (guint domain, guint day, const Pair *p, gpointer data)
{
  Shape *s = data;
  TrOverviewDomain *d = s->by_id[domain];

  if (d != NULL && d->day_successful != NULL)
    {
      d->day_successful[day] = p->a;
      d->day_failed[day] = p->b;
    }
}

/* policy_text - the labels of @acc's newest policies, "sts enforce, tlsa" */
static const char *
policy_text (Gather *g, const DomainAcc *acc)
{
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint k = 0; k < 3; k++)
    {
      const char *label = acc->policy[(k + 1) % 3]; /* sts, tlsa, then the others */

      if (label != NULL)
        g_string_append_printf (s, "%s%s", s->len ? ", " : "", label);
    }
  return s->len ? g_string_chunk_insert_const (g->ov->strings, s->str) : NULL;
}

/* make_domain - the domain of id @id */
static TrOverviewDomain *
make_domain (Gather *g, guint id)
{
  const DomainAcc *acc = &g_array_index (g->domain_acc, DomainAcc, id);
  TrOverviewDomain *d = g_new0 (TrOverviewDomain, 1);
  int newest = MAX (acc->last_day, acc->prev_last_day);

  d->name = g_ptr_array_index (g->domains.names, id);
  d->successful = acc->successful;
  d->failed = acc->failed;
  d->reports = acc->reports;
  d->prev_successful = acc->prev_successful;
  d->prev_failed = acc->prev_failed;
  d->prev_reports = acc->prev_reports;
  d->policy = policy_text (g, acc);
  d->last_day = acc->last_day ? julian_text (g, acc->last_day) : NULL;
  d->silent = newest != 0 && newest <= g->until - (int) TR_OVERVIEW_SILENT_DAYS;
  d->types = g_array_new (FALSE, FALSE, sizeof (TrOverviewCount));
  d->new_types = g_ptr_array_new ();
  return d;
}

/* shape_domains - the domains of the window in query summary's order, those only of the window
 * before, their result types and the day arrays of the first TR_OVERVIEW_DOMAIN_CHARTS */
static void
shape_domains (Gather *g, Shape *s)
{
  TrOverview *ov = g->ov;

  s->by_id = g_new0 (TrOverviewDomain *, g->domain_acc->len + 1);
  for (guint id = 0; id < g->domain_acc->len; id++)
    {
      const DomainAcc *acc = &g_array_index (g->domain_acc, DomainAcc, id);

      if (acc->in_window)
        g_ptr_array_add (ov->domains, s->by_id[id] = make_domain (g, id));
      else if (acc->in_prev)
        g_ptr_array_add (ov->silent_domains, make_domain (g, id));
    }
  g_ptr_array_sort (ov->domains, compare_domains);
  g_ptr_array_sort (ov->silent_domains, compare_domains);
  ov->n_charted = MIN (ov->domains->len, TR_OVERVIEW_DOMAIN_CHARTS);
  for (guint i = 0; i < ov->n_charted; i++)
    {
      TrOverviewDomain *d = g_ptr_array_index (ov->domains, i);

      d->day_successful = g_new0 (gint64, ov->n_days);
      d->day_failed = g_new0 (gint64, ov->n_days);
    }
  each_pair (&g->domain_days, add_domain_day, s);
}

/* --- result types ------------------------------------------------------------------------- */

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* type_id - the id of @t (its name is interned) */
static guint
type_id (Gather *g, const TrOverviewType *t)
{
  return interner_find (&g->types, t->name);
}

static int
compare_types (gconstpointer a, gconstpointer b)
{
  const TrOverviewType *x = *(const TrOverviewType *const *) a;
  const TrOverviewType *y = *(const TrOverviewType *const *) b;

  if (x->failed != y->failed)
    return x->failed > y->failed ? -1 : 1;
  return strcmp (x->name, y->name);
}

/* add_type_day - a (type, day): to its series */
static void
add_type_day (guint type, guint day, const Pair *p, gpointer data)
{
  Shape *s = data;
  guint k = s->series_of[type];

  if (k != G_MAXUINT)
    s->g->ov->series_days[k][day] = tr_count_add (s->g->ov->series_days[k][day], p->a);
}

/* shape_types - the result types, most failed first, and their series over time */
static void
shape_types (Gather *g, Shape *s)
{
  TrOverview *ov = g->ov;
  guint n = g->types.names->len, drawn = 0;

  s->types = g_new0 (TrOverviewType *, n + 1);
  g_array_set_size (g->type_failed, n);
  each_pair (&g->domain_types, add_domain_type, s);
  for (guint i = 0; i < ov->domains->len; i++)
    {
      TrOverviewDomain *d = g_ptr_array_index (ov->domains, i);

      g_array_sort (d->types, compare_counts);
      g_ptr_array_sort (d->new_types, compare_names);
    }
  g_ptr_array_sort (ov->types, compare_types);
  while (drawn < ov->types->len && ((TrOverviewType *) ov->types->pdata[drawn])->failed > 0)
    drawn++;
  ov->n_series = MIN (drawn, TR_OVERVIEW_TYPE_SERIES);
  s->series_of = g_new (guint, n + 1);
  for (guint id = 0; id <= n; id++)
    s->series_of[id] = G_MAXUINT;
  for (guint k = 0; k < drawn; k++)
    s->series_of[type_id (g, ov->types->pdata[k])] = MIN (k, ov->n_series - 1);
  ov->series_names = g_new0 (char *, ov->n_series + 1);
  ov->series_days = g_new0 (gint64 *, ov->n_series + 1);
  for (guint k = 0; k < ov->n_series; k++)
    {
      const TrOverviewType *t = ov->types->pdata[k];

      ov->series_days[k] = g_new0 (gint64, ov->n_days);
      ov->series_names[k] = k + 1 == ov->n_series && drawn > ov->n_series
                                ? g_strdup_printf ("%u other types", drawn - k)
                                : g_strdup (t->name);
    }
  each_pair (&g->type_days, add_type_day, s);
}

/* --- reporters ---------------------------------------------------------------------------- */

static int
compare_reporters (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(const TrOverviewReporter *const *) a)->name,
                 (*(const TrOverviewReporter *const *) b)->name);
}

/* compare_by_sessions - most sessions first, then by name */
static int
compare_by_sessions (gconstpointer a, gconstpointer b)
{
  const TrOverviewReporter *x = *(const TrOverviewReporter *const *) a;
  const TrOverviewReporter *y = *(const TrOverviewReporter *const *) b;
  gint64 sx = tr_count_add (x->successful, x->failed), sy = tr_count_add (y->successful, y->failed);

  if (sx != sy)
    return sx > sy ? -1 : 1;
  return strcmp (x->name, y->name);
}

/* add_reporter_day - a (reporter, day): to its grid row */
static void
add_reporter_day (guint reporter, guint day, const Pair *p, gpointer data)
{
  Shape *s = data;
  TrOverview *ov = s->g->ov;
  guint row = s->series_of[reporter];
  gint64 *cell = &ov->grid_cells[row * ov->n_days + day];

  if (row == G_MAXUINT)
    return;
  *cell = tr_count_add (MAX (*cell, 0), p->a);
  ov->grid_marks[row * ov->n_days + day]
      = tr_count_add (ov->grid_marks[row * ov->n_days + day], p->b);
}

/* make_reporter - the reporter of id @id */
static TrOverviewReporter *
make_reporter (Gather *g, guint id)
{
  const ReporterAcc *acc = &g_array_index (g->reporter_acc, ReporterAcc, id);
  TrOverviewReporter *r = g_new0 (TrOverviewReporter, 1);
  int newest = MAX (acc->last_day, acc->prev_last_day);

  r->name = g_ptr_array_index (g->reporters.names, id);
  r->reports = acc->reports;
  r->successful = acc->successful;
  r->failed = acc->failed;
  r->days = acc->days;
  r->first_day = acc->first_day ? julian_text (g, acc->first_day) : NULL;
  r->last_day = acc->last_day ? julian_text (g, acc->last_day) : NULL;
  r->prev_last_day = acc->prev_last_day ? julian_text (g, acc->prev_last_day) : NULL;
  r->silent = newest != 0 && newest <= g->until - (int) TR_OVERVIEW_SILENT_DAYS
              && (acc->days >= 2 || (acc->prev_last_day != 0 && acc->last_day != 0)
                  || acc->last_day == 0);
  return r;
}

/* shape_reporters - the reporters by name, and the grid: the reporters of the window by name,
 * or, when there are more than TR_OVERVIEW_GRID_ROWS, the largest ones and one row of others */
static void
shape_reporters (Gather *g, Shape *s)
{
  TrOverview *ov = g->ov;
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  guint n = g->reporter_acc->len, shown;

  for (guint id = 0; id < n; id++)
    {
      TrOverviewReporter *r = make_reporter (g, id);

      g_ptr_array_add (ov->reporters, r);
      if (r->reports > 0)
        g_ptr_array_add (rows, r);
    }
  g_ptr_array_sort (rows, compare_by_sessions);
  shown = rows->len > TR_OVERVIEW_GRID_ROWS ? TR_OVERVIEW_GRID_ROWS - 1 : rows->len;
  if (shown > 0) /* no pdata to pass to qsort otherwise */
    qsort (rows->pdata, shown, sizeof (gpointer), compare_reporters);
  ov->n_grid_rows = MIN (rows->len, TR_OVERVIEW_GRID_ROWS);
  g_free (s->series_of);
  s->series_of = g_new (guint, n + 1);
  for (guint id = 0; id <= n; id++)
    s->series_of[id] = G_MAXUINT;
  ov->grid_rows = g_new0 (char *, ov->n_grid_rows + 1);
  ov->grid_cells = g_new (gint64, (gsize) ov->n_grid_rows * ov->n_days + 1);
  ov->grid_marks = g_new0 (gint64, (gsize) ov->n_grid_rows * ov->n_days + 1);
  for (gsize i = 0; i < (gsize) ov->n_grid_rows * ov->n_days; i++)
    ov->grid_cells[i] = -1;
  for (guint i = 0; i < rows->len; i++)
    {
      const TrOverviewReporter *r = rows->pdata[i];
      guint row = MIN (i, ov->n_grid_rows - 1);

      s->series_of[interner_find (&g->reporters, r->name)] = row;
      if (ov->grid_rows[row] == NULL)
        ov->grid_rows[row] = row + 1 == ov->n_grid_rows && rows->len > ov->n_grid_rows
                                 ? g_strdup_printf ("%u others", rows->len - row)
                                 : g_strdup (r->name);
    }
  each_pair (&g->reporter_days, add_reporter_day, s);
  g_ptr_array_sort (ov->reporters, compare_reporters);
}

/* --- the top MX hosts and IPs ------------------------------------------------------------- */

/* shape_top - the names of @in with their counts in @counts above 0, most first, the first
 * TR_OVERVIEW_TOP of them in @out; how many there were */
static guint
shape_top (const Interner *in, GArray *counts, GArray *out)
{
  guint n = 0;

  for (guint id = 0; id < counts->len; id++)
    {
      const char *name = g_ptr_array_index (in->names, id);
      TrOverviewCount c = { *name ? name : "(none)", g_array_index (counts, gint64, id) };

      if (c.value > 0)
        g_array_append_val (out, c);
    }
  g_array_sort (out, compare_counts);
  n = out->len;
  if (out->len > TR_OVERVIEW_TOP)
    g_array_set_size (out, TR_OVERVIEW_TOP);
  return n;
}

/* --- the whole ---------------------------------------------------------------------------- */

/* window - the window's days, the window before, and the days drawn */
static gboolean
window (Gather *g, const TrQueryFilter *filter, GError **error)
{
  TrOverview *ov = g->ov;

  g->since = julian (filter->since_day);
  g->until = julian (filter->until_day);
  if (g->since == 0 || g->until == 0 || g->since > g->until
      || g->since <= (int) (TR_OVERVIEW_NEW_TYPE_DAYS + 1) + (g->until - g->since + 1))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "no such window: %s to %s",
                   filter->since_day ? filter->since_day : "?",
                   filter->until_day ? filter->until_day : "?");
      return FALSE;
    }
  ov->window_days = (guint) (g->until - g->since + 1);
  g->prev_since = g->since - (int) ov->window_days;
  g->drawn_since = MAX (g->since, g->until - (int) TR_OVERVIEW_MAX_DAYS + 1);
  ov->since_day = g_strdup (julian_text (g, g->since));
  ov->until_day = g_strdup (julian_text (g, g->until));
  ov->prev_since_day = g_strdup (julian_text (g, g->prev_since));
  ov->prev_until_day = g_strdup (julian_text (g, g->since - 1));
  ov->n_days = (guint) (g->until - g->drawn_since + 1);
  ov->days = g_new0 (char *, ov->n_days + 1);
  for (guint i = 0; i < ov->n_days; i++)
    ov->days[i] = g_strdup (julian_text (g, g->drawn_since + (int) i));
  ov->day_successful = g_new0 (gint64, ov->n_days);
  ov->day_failed = g_new0 (gint64, ov->n_days);
  ov->day_reports = g_new0 (gint64, ov->n_days);
  return TRUE;
}

static void
gather_init (Gather *g, TrOverview *ov)
{
  Interner *interners[] = { &g->domains, &g->types, &g->reporters, &g->mxs, &g->ips };
  PairMap *maps[] = { &g->reports,   &g->prev_reports, &g->domain_days, &g->reporter_days,
                      &g->type_days, &g->domain_types, &g->old_types };

  g->ov = ov;
  for (guint i = 0; i < G_N_ELEMENTS (interners); i++)
    interner_init (interners[i]);
  for (guint i = 0; i < G_N_ELEMENTS (maps); i++)
    pairmap_init (maps[i]);
  g->domain_acc = g_array_new (FALSE, TRUE, sizeof (DomainAcc));
  g->reporter_acc = g_array_new (FALSE, TRUE, sizeof (ReporterAcc));
  g->type_failed = g_array_new (FALSE, TRUE, sizeof (gint64));
  g->mx_failed = g_array_new (FALSE, TRUE, sizeof (gint64));
  g->ip_failed = g_array_new (FALSE, TRUE, sizeof (gint64));
  g->items = g_array_new (FALSE, FALSE, sizeof (SourceItem));
  g->reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
gather_clear (Gather *g)
{
  Interner *interners[] = { &g->domains, &g->types, &g->reporters, &g->mxs, &g->ips };
  PairMap *maps[] = { &g->reports,   &g->prev_reports, &g->domain_days, &g->reporter_days,
                      &g->type_days, &g->domain_types, &g->old_types };

  for (guint i = 0; i < G_N_ELEMENTS (interners); i++)
    interner_clear (interners[i]);
  for (guint i = 0; i < G_N_ELEMENTS (maps); i++)
    pairmap_clear (maps[i]);
  g_array_unref (g->domain_acc);
  g_array_unref (g->reporter_acc);
  g_array_unref (g->type_failed);
  g_array_unref (g->mx_failed);
  g_array_unref (g->ip_failed);
  g_array_unref (g->items);
  g_hash_table_unref (g->reasons);
}

/* tr_overview_build - the passes over the store, then the shaping */
TrOverview *
tr_overview_build (TrStore *store, const TrQueryFilter *filter, GError **error)
{
  g_autoptr (TrOverview) ov = tr_overview_new ();
  Gather g = { 0 };
  Shape s = { &g };
  gboolean ok;

  gather_init (&g, ov);
  ok = window (&g, filter, error) && gather_window (&g, store, filter, error)
       && gather_before (&g, store, filter, error) && gather_listings (&g, store, filter, error);
  if (ok)
    {
      shape_domains (&g, &s);
      shape_types (&g, &s);
      shape_reporters (&g, &s);
      ov->n_mxs = shape_top (&g.mxs, g.mx_failed, ov->mxs);
      ov->n_ips = shape_top (&g.ips, g.ip_failed, ov->ips);
    }
  g_free (s.by_id);
  g_free (s.types);
  g_free (s.series_of);
  gather_clear (&g);
  return ok ? g_steal_pointer (&ov) : NULL;
}
