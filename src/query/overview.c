/* overview.c - gather what the page and the digest show: one pass over the window's session
 * rows and one over its failure details, by the counting rule, into sparse maps
 *
 * The counting rule is applied as query summary applies it (summary.c): per report and domain
 * key to the sessions; per report, domain and result type to the failed sessions of a type
 * (over its MX hosts), per report, domain, type and MX to those of an MX host (as `summary --by
 * mx`), and per report, domain, type and sending IP to those of an IP.  The details of a report
 * are sorted once to find those groups (n log n), so that a report of 10,000 details costs no
 * more than 10,000 small ones.  overview-build.c sorts and shapes the result.
 */
#include "config.h"

#include <string.h>

#include "overview-private.h"

/* --- a map of 64-bit keys ----------------------------------------------------------------- */

void
pairmap_init (PairMap *m)
{
  m->mask = 63;
  m->keys = g_new0 (guint64, m->mask + 1);
  m->slots = g_new0 (guint, m->mask + 1);
  m->pairs = g_array_new (FALSE, TRUE, sizeof (Pair));
}

void
pairmap_clear (PairMap *m)
{
  g_clear_pointer (&m->keys, g_free);
  g_clear_pointer (&m->slots, g_free);
  g_clear_pointer (&m->pairs, g_array_unref);
}

static gsize
pairmap_hash (guint64 key, gsize mask)
{
  key ^= key >> 29;
  key *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  key ^= key >> 32;
  return (gsize) key & mask;
}

/* pairmap_grow - twice the slots */
static void
pairmap_grow (PairMap *m)
{
  gsize old_size = m->mask + 1;
  guint64 *old_keys = m->keys;
  guint *old_slots = m->slots;

  m->mask = old_size * 2 - 1;
  m->keys = g_new0 (guint64, m->mask + 1);
  m->slots = g_new0 (guint, m->mask + 1);
  for (gsize i = 0; i < old_size; i++)
    if (old_keys[i] != 0)
      {
        gsize h = pairmap_hash (old_keys[i], m->mask);

        while (m->keys[h] != 0)
          h = (h + 1) & m->mask;
        m->keys[h] = old_keys[i];
        m->slots[h] = old_slots[i];
      }
  g_free (old_keys);
  g_free (old_slots);
}

Pair *
pairmap_get (PairMap *m, guint64 key, gboolean *created)
{
  guint64 stored = key + 1; /* a key of G_MAXUINT64 would be 0: ids never get there */
  gsize h = pairmap_hash (stored, m->mask);

  while (m->keys[h] != 0 && m->keys[h] != stored)
    h = (h + 1) & m->mask;
  if (created != NULL)
    *created = m->keys[h] == 0;
  if (m->keys[h] == 0)
    {
      if ((gsize) m->pairs->len * 2 >= m->mask)
        {
          pairmap_grow (m);
          return pairmap_get (m, key, created);
        }
      m->keys[h] = stored;
      m->slots[h] = m->pairs->len;
      g_array_set_size (m->pairs, m->pairs->len + 1);
    }
  return &g_array_index (m->pairs, Pair, m->slots[h]);
}

/* --- names and days ----------------------------------------------------------------------- */

void
interner_init (Interner *in)
{
  in->names = g_ptr_array_new ();
  in->mask = 63;
  in->hashes = g_new0 (guint32, in->mask + 1);
  in->ids = g_new0 (guint, in->mask + 1);
  in->seed = ((guint64) g_random_int () << 32) | g_random_int ();
}

void
interner_clear (Interner *in)
{
  g_clear_pointer (&in->names, g_ptr_array_unref);
  g_clear_pointer (&in->hashes, g_free);
  g_clear_pointer (&in->ids, g_free);
}

/* name_hash - a hash of @name's bytes, eight at a time (names are short, and many), from
 * @seed: the names are the senders', and a seed they cannot know keeps them from choosing
 * names that all fall in one slot */
static guint32
name_hash (guint64 seed, const char *name)
{
  gsize len = strlen (name);
  guint64 h = seed ^ len, word;

  for (; len >= 8; len -= 8, name += 8)
    {
      memcpy (&word, name, 8);
      h = (h ^ word) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
      h ^= h >> 32;
    }
  word = 0;
  memcpy (&word, name, len);
  h = (h ^ word) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  return (guint32) (h ^ (h >> 29));
}

/* slot_of - the slot of @name (of hash @h): where it is, or the empty one where it would go */
static gsize
slot_of (const Interner *in, const char *name, guint32 h)
{
  gsize slot = h & in->mask;

  while (in->ids[slot] != 0
         && (in->hashes[slot] != h
             || strcmp (g_ptr_array_index (in->names, in->ids[slot] - 1), name) != 0))
    slot = (slot + 1) & in->mask;
  return slot;
}

/* interner_grow - twice the slots */
static void
interner_grow (Interner *in)
{
  gsize old_size = in->mask + 1;
  guint32 *old_hashes = in->hashes;
  guint *old_ids = in->ids;

  in->mask = old_size * 2 - 1;
  in->hashes = g_new0 (guint32, in->mask + 1);
  in->ids = g_new0 (guint, in->mask + 1);
  for (gsize i = 0; i < old_size; i++)
    if (old_ids[i] != 0)
      {
        gsize slot = old_hashes[i] & in->mask;

        while (in->ids[slot] != 0)
          slot = (slot + 1) & in->mask;
        in->hashes[slot] = old_hashes[i];
        in->ids[slot] = old_ids[i];
      }
  g_free (old_hashes);
  g_free (old_ids);
}

guint
intern (Gather *g, Interner *in, const char *name)
{
  guint32 h;
  gsize slot;

  if (name == NULL)
    name = "";
  if (in->last != NULL && strcmp (in->last, name) == 0)
    return in->last_id;
  h = name_hash (in->seed, name);
  slot = slot_of (in, name, h);
  if (in->ids[slot] == 0)
    {
      g_ptr_array_add (in->names, (gpointer) g_string_chunk_insert_const (g->ov->strings, name));
      in->hashes[slot] = h;
      in->ids[slot] = in->names->len;
      if ((gsize) in->names->len * 2 > in->mask)
        {
          interner_grow (in);
          slot = slot_of (in, name, h);
        }
    }
  in->last_id = in->ids[slot] - 1;
  in->last = g_ptr_array_index (in->names, in->last_id);
  return in->last_id;
}

guint
interner_find (const Interner *in, const char *name)
{
  gsize slot = slot_of (in, name, name_hash (in->seed, name));

  return in->ids[slot] != 0 ? in->ids[slot] - 1 : G_MAXUINT;
}

/* digits - the number in @n digits at @p, or -1 */
static int
digits (const char *p, guint n)
{
  int v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return -1;
      v = v * 10 + (p[i] - '0');
    }
  return v;
}

int
julian (const char *day)
{
  int y, m, d;

  if (day == NULL || strlen (day) < 10 || day[4] != '-' || day[7] != '-')
    return 0;
  y = digits (day, 4);
  m = digits (day + 5, 2);
  d = digits (day + 8, 2);
  if (y < 1 || m < 1 || m > 12 || d < 1
      || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return 0;
  /* days from the civil date (H. Hinnant), shifted so that 0001-01-01 is 1 */
  {
    int yy = m <= 2 ? y - 1 : y;
    int era = yy / 400;
    int yoe = yy - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 305;
  }
}

const char *
julian_text (Gather *g, int j)
{
  GDate date;
  char text[16];

  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) j);
  g_snprintf (text, sizeof text, "%04u-%02u-%02u", g_date_get_year (&date),
              g_date_get_month (&date), g_date_get_day (&date));
  return g_string_chunk_insert_const (g->ov->strings, text);
}

int
day_of (Gather *g, const char *day)
{
  if (day != NULL && strncmp (day, g->last_day_text, 10) == 0 && g->last_day_text[0] != '\0')
    return g->last_day_value;
  g->last_day_value = julian (day);
  g_strlcpy (g->last_day_text, g->last_day_value != 0 ? day : "", 11);
  return g->last_day_value;
}

/* drawn - the index of julian day @j among the days drawn, or -1 */
static int
drawn (const Gather *g, int j)
{
  return j >= g->drawn_since && j <= g->until ? j - g->drawn_since : -1;
}

/* --- sessions ----------------------------------------------------------------------------- */

static DomainAcc *
domain_acc (Gather *g, const char *name)
{
  guint id = intern (g, &g->domains, name);

  if (id >= g->domain_acc->len)
    g_array_set_size (g->domain_acc, id + 1);
  return &g_array_index (g->domain_acc, DomainAcc, id);
}

static ReporterAcc *
reporter_acc (Gather *g, const char *name)
{
  guint id = intern (g, &g->reporters, name);

  if (id >= g->reporter_acc->len)
    g_array_set_size (g->reporter_acc, id + 1);
  return &g_array_index (g->reporter_acc, ReporterAcc, id);
}

/* on_session - one report and domain key of the window, or of the window before */
static gboolean
on_session (const TrSessionRow *row, gpointer data, GError **error)
{
  Gather *g = data;
  gint64 ok = tr_count_rule (&row->successful), failed = tr_count_rule (&row->failed);
  int j = day_of (g, row->day), i = drawn (g, j);
  DomainAcc *d = domain_acc (g, row->domain);
  guint domain_id = g->domains.last_id;
  ReporterAcc *r = reporter_acc (g, row->reporter);
  guint reporter_id = g->reporters.last_id;
  TrOverview *ov = g->ov;
  gboolean new_report, new_day;

  if (g->previous)
    {
      d->in_prev = TRUE;
      d->prev_successful = tr_count_add (d->prev_successful, ok);
      d->prev_failed = tr_count_add (d->prev_failed, failed);
      d->prev_reports++;
      pairmap_get (&g->prev_reports, (guint64) row->report_row, &new_report);
      ov->prev_reports += new_report;
      d->prev_last_day = MAX (d->prev_last_day, j);
      r->prev_last_day = MAX (r->prev_last_day, j);
      ov->prev_successful = tr_count_add (ov->prev_successful, ok);
      ov->prev_failed = tr_count_add (ov->prev_failed, failed);
      return TRUE;
    }
  d->in_window = TRUE;
  d->successful = tr_count_add (d->successful, ok);
  d->failed = tr_count_add (d->failed, failed);
  d->reports++;
  d->last_day = MAX (d->last_day, j);
  ov->successful = tr_count_add (ov->successful, ok);
  ov->failed = tr_count_add (ov->failed, failed);
  r->successful = tr_count_add (r->successful, ok);
  r->failed = tr_count_add (r->failed, failed);
  r->last_day = MAX (r->last_day, j);
  r->first_day = r->first_day == 0 ? j : MIN (r->first_day, j);
  pairmap_get (&g->reports, (guint64) row->report_row, &new_report);
  if (new_report)
    {
      r->reports++;
      ov->reports++;
    }
  if (i < 0)
    return TRUE;
  if (new_report)
    ov->day_reports[i]++;
  ov->day_successful[i] = tr_count_add (ov->day_successful[i], ok);
  ov->day_failed[i] = tr_count_add (ov->day_failed[i], failed);
  {
    Pair *p = pairmap_get (&g->domain_days, pairmap_key (domain_id, i), NULL);

    p->a = tr_count_add (p->a, ok);
    p->b = tr_count_add (p->b, failed);
    p = pairmap_get (&g->reporter_days, pairmap_key (reporter_id, i), &new_day);
    p->a = tr_count_add (p->a, tr_count_add (ok, failed));
    p->b = tr_count_add (p->b, failed);
    r->days += new_day;
  }
  return TRUE;
}

/* on_lookback_session - a report of a domain in the days before the window, whose result
 * types are the old ones: only a domain seen then can have a new one */
static gboolean
on_lookback_session (const TrSessionRow *row, gpointer data, GError **error)
{
  domain_acc (data, row->domain)->in_lookback = TRUE;
  return TRUE;
}

/* --- failure details ---------------------------------------------------------------------- */

static int
compare_by_mx (gconstpointer a, gconstpointer b)
{
  const SourceItem *x = a, *y = b;

  if (x->domain != y->domain)
    return x->domain < y->domain ? -1 : 1;
  if (x->type != y->type)
    return x->type < y->type ? -1 : 1;
  if (x->mx != y->mx)
    return x->mx < y->mx ? -1 : 1;
  return 0;
}

static int
compare_by_ip (gconstpointer a, gconstpointer b)
{
  const SourceItem *x = a, *y = b;

  if (x->domain != y->domain)
    return x->domain < y->domain ? -1 : 1;
  if (x->type != y->type)
    return x->type < y->type ? -1 : 1;
  if (x->ip != y->ip)
    return x->ip < y->ip ? -1 : 1;
  return 0;
}

static void
add_at (GArray *counts, guint id, gint64 n)
{
  if (id >= counts->len)
    g_array_set_size (counts, id + 1);
  g_array_index (counts, gint64, id) = tr_count_add (g_array_index (counts, gint64, id), n);
}

/* add_type - @n failed sessions of domain @domain and type @type in the report being summed */
static void
add_type (Gather *g, guint domain, guint type, gint64 n)
{
  Pair *p;
  int i = drawn (g, g->report_day);

  if (g->previous)
    {
      pairmap_get (&g->old_types, pairmap_key (domain, type), NULL)->a = 1;
      return;
    }
  p = pairmap_get (&g->domain_types, pairmap_key (domain, type), NULL);
  p->a = tr_count_add (p->a, n);
  add_at (g->type_failed, type, n);
  if (i >= 0)
    {
      p = pairmap_get (&g->type_days, pairmap_key (type, i), NULL);
      p->a = tr_count_add (p->a, n);
    }
}

/* sort_items - @items in the order of @compare.  A report has a few details as a rule, and a
 * year's page sorts 100,000 of them twice: an insertion sort for up to 16 (no calls to set up),
 * GLib's merge sort beyond, so that a report of 10,000 details stays n log n. */
static void
sort_items (GArray *items, GCompareFunc compare)
{
  SourceItem *a = (SourceItem *) (gpointer) items->data;

  if (items->len > 16)
    {
      g_array_sort (items, compare);
      return;
    }
  for (guint i = 1; i < items->len; i++)
    {
      SourceItem it = a[i];
      guint k = i;

      for (; k > 0 && compare (&a[k - 1], &it) > 0; k--)
        a[k] = a[k - 1];
      a[k] = it;
    }
}

/* flush_by_mx - the details sorted by domain, type, MX: the rule per domain and type, and per
 * domain, type and MX */
static void
flush_by_mx (Gather *g, GArray *items)
{
  TrClassCounts type_counts = { 0 }, mx_counts = { 0 };

  sort_items (items, compare_by_mx);
  for (guint k = 0; k < items->len; k++)
    {
      const SourceItem *it = &g_array_index (items, SourceItem, k);
      const SourceItem *next = k + 1 < items->len ? it + 1 : NULL;
      gboolean end_type = next == NULL || next->domain != it->domain || next->type != it->type;

      tr_class_counts_add (&type_counts, it->klass, it->failed);
      tr_class_counts_add (&mx_counts, it->klass, it->failed);
      if (end_type || next->mx != it->mx)
        {
          if (!g->previous)
            add_at (g->mx_failed, it->mx, tr_count_rule (&mx_counts));
          mx_counts = (TrClassCounts){ 0 };
        }
      if (end_type)
        {
          add_type (g, it->domain, it->type, tr_count_rule (&type_counts));
          type_counts = (TrClassCounts){ 0 };
        }
    }
}

/* flush_by_ip - the rule per domain, type and sending IP */
static void
flush_by_ip (Gather *g, GArray *items)
{
  TrClassCounts counts = { 0 };

  sort_items (items, compare_by_ip);
  for (guint k = 0; k < items->len; k++)
    {
      const SourceItem *it = &g_array_index (items, SourceItem, k);
      const SourceItem *next = k + 1 < items->len ? it + 1 : NULL;

      tr_class_counts_add (&counts, it->klass, it->failed);
      if (next == NULL || next->domain != it->domain || next->type != it->type
          || next->ip != it->ip)
        {
          add_at (g->ip_failed, it->ip, tr_count_rule (&counts));
          counts = (TrClassCounts){ 0 };
        }
    }
}

/* flush_report - the details of the report summed so far, by the rule */
static void
flush_report (Gather *g)
{
  if (!g->have_report)
    return;
  flush_by_mx (g, g->items);
  if (!g->previous)
    flush_by_ip (g, g->items);
  g_array_set_size (g->items, 0);
  g->have_report = FALSE;
}

/* on_source - one failure detail: into the report being summed */
static gboolean
on_source (const TrSourceRow *row, gpointer data, GError **error)
{
  Gather *g = data;
  SourceItem it;

  if (!g->have_report || row->report_row != g->report_row)
    {
      flush_report (g);
      g->have_report = TRUE;
      g->report_row = row->report_row;
      g->report_day = day_of (g, row->day);
    }
  it.domain = intern (g, &g->domains, row->domain);
  it.type = intern (g, &g->types, row->result_type);
  it.mx = g->previous ? 0 : intern (g, &g->mxs, row->mx);
  it.ip = g->previous ? 0 : intern (g, &g->ips, row->sending_ip);
  it.klass = row->klass;
  it.failed = row->failed;
  g_array_append_val (g->items, it);
  return TRUE;
}

/* gather_window - the sessions and failure details of the window */
gboolean
gather_window (Gather *g, TrStore *store, const TrQueryFilter *filter, GError **error)
{
  gboolean ok;

  g->previous = FALSE;
  ok = tr_store_each_session (store, filter, on_session, g, error)
       && tr_store_each_source (store, filter, on_source, g, error);
  flush_report (g);
  return ok;
}

/* gather_before - the sessions of the window before (as long as the window), and the result
 * types of the TR_OVERVIEW_NEW_TYPE_DAYS days before the window */
gboolean
gather_before (Gather *g, TrStore *store, const TrQueryFilter *filter, GError **error)
{
  TrQueryFilter before = *filter;
  g_autofree char *types_since = NULL;
  gboolean ok;

  g->previous = TRUE;
  before.since_day = g->ov->prev_since_day;
  before.until_day = g->ov->prev_until_day;
  before.limit = -1;
  ok = tr_store_each_session (store, &before, on_session, g, error);
  types_since = g_strdup (julian_text (g, g->since - (int) TR_OVERVIEW_NEW_TYPE_DAYS));
  before.since_day = types_since;
  ok = ok && tr_store_each_session (store, &before, on_lookback_session, g, error)
       && tr_store_each_source (store, &before, on_source, g, error);
  flush_report (g);
  g->previous = FALSE;
  return ok;
}
