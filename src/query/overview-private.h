/* overview-private.h - what overview.c and overview-listings.c gather, and overview-build.c
 * turns into a TrOverview */
#pragma once

#include "overview.h"

/* Two counts under a key. */
typedef struct
{
  gint64 a, b;
} Pair;

/* A map of 64-bit keys to Pairs: open addressing, the pairs in one array (sparse time series:
 * a domain, type or reporter by day, only where there is data). */
typedef struct
{
  guint64 *keys; /* key + 1; 0: empty */
  guint *slots;  /* index into pairs */
  gsize mask;
  GArray *pairs;
} PairMap;

/* Strings to dense ids (0, 1, ... as first seen), the strings kept in the overview's chunk:
 * open addressing over a hash of each name's bytes, kept beside its id so that a look-up
 * compares the bytes of the one name that matches (a year's page interns 4,000,000 names). */
typedef struct
{
  GPtrArray *names; /* by id */
  guint32 *hashes;  /* by slot */
  guint *ids;       /* by slot: id + 1; 0: empty */
  gsize mask;
  guint64 seed;     /* of the hash: random */
  const char *last; /* the last name asked for, and its id: rows of a report repeat them */
  guint last_id;
} Interner;

typedef struct
{
  gint64 successful, failed, reports, prev_successful, prev_failed, prev_reports;
  gboolean in_window, in_prev;
  gboolean in_lookback;        /* had reports in the TR_OVERVIEW_NEW_TYPE_DAYS before the window */
  int last_day, prev_last_day; /* julian days; 0: none */
  int policy_day[3];           /* per policy class: the day of the newest policy kept */
  const char *policy[3];
} DomainAcc;

typedef struct
{
  gint64 reports, successful, failed;
  guint days;
  int first_day, last_day, prev_last_day;
} ReporterAcc;

/* One failure detail of the report being summed. */
typedef struct
{
  guint domain, type, mx, ip;
  TrPolicyClass klass;
  gint64 failed;
} SourceItem;

typedef struct
{
  TrOverview *ov;
  int since, until, prev_since, drawn_since; /* julian days */
  gboolean previous;                         /* the rows are of the window before */
  Interner domains, types, reporters, mxs, ips;
  GArray *domain_acc;    /* of DomainAcc, by domain id */
  GArray *reporter_acc;  /* of ReporterAcc, by reporter id */
  GArray *type_failed;   /* gint64 by type id */
  GArray *mx_failed;     /* gint64 by mx id */
  GArray *ip_failed;     /* gint64 by ip id */
  PairMap reports;       /* report rows seen (window) */
  PairMap prev_reports;  /* report rows seen (the window before) */
  PairMap domain_days;   /* (domain, day): successful, failed */
  PairMap reporter_days; /* (reporter, day): sessions, failed */
  PairMap type_days;     /* (type, day): failed */
  PairMap domain_types;  /* (domain, type): failed */
  PairMap old_types;     /* (domain, type) seen in the days before the window */
  /* the report being summed (failure details) */
  gint64 report_row;
  int report_day;
  gboolean have_report;
  GArray *items; /* of SourceItem */
  /* rejected messages */
  GHashTable *reasons; /* reason -> count */
  /* day strings to julian days: the last one asked */
  char last_day_text[16];
  int last_day_value;
} Gather;

void pairmap_init (PairMap *m);
void pairmap_clear (PairMap *m);
/* pairmap_get - the pair of @key, made (0, 0) if new (*@created) */
Pair *pairmap_get (PairMap *m, guint64 key, gboolean *created);
/* pairmap_key - the key of @id and @low (< 2^32) */
#define pairmap_key(id, low) (((guint64) (id) << 32) | (guint32) (low))

void interner_init (Interner *in);
void interner_clear (Interner *in);
guint intern (Gather *g, Interner *in, const char *name);
/* interner_find - the id of @name, or G_MAXUINT if it was never interned */
guint interner_find (const Interner *in, const char *name);
/* julian - the julian day of "YYYY-MM-DD" (any later bytes ignored), 0 if it is not one */
int julian (const char *day);
/* julian_text - the "YYYY-MM-DD" of julian day @j, in the overview's chunk */
const char *julian_text (Gather *g, int j);
/* day_of - the julian day of @day (cached), 0 if not a day */
int day_of (Gather *g, const char *day);

gboolean gather_window (Gather *g, TrStore *store, const TrQueryFilter *filter, GError **error);
gboolean gather_before (Gather *g, TrStore *store, const TrQueryFilter *filter, GError **error);
gboolean gather_listings (Gather *g, TrStore *store, const TrQueryFilter *filter, GError **error);
