/* store-pg-exec.c - the PostgreSQL backend: statements in libpq's pipeline, values in and out,
 * cursors, and what a failure means
 *
 * The connection is in pipeline mode (libpq 14): a statement goes with whatever must precede it
 * (the BEGIN of tr_store_begin, the preparing of a kept statement) in one round trip.  Every
 * value is a parameter: nothing a sender wrote is ever part of SQL text.  Text values are made
 * valid UTF-8 on the way in, because PostgreSQL refuses invalid UTF-8 and NUL, and a value it
 * refuses at every retry would make an MTA defer a message until it bounces.
 */
#include "config.h"

#include <string.h>

#include "error.h"
#include "store-pg.h"

/* How many rows a cursor fetches at a time: a few hundred KiB of rows. */
#define PG_FETCH_ROWS 2000

/* --- parameters ---------------------------------------------------------------------------- */

void
tr_pg_params_init (TrPgParams *p)
{
  p->values = g_ptr_array_new ();
  p->lengths = g_array_new (FALSE, TRUE, sizeof (int));
  p->formats = g_array_new (FALSE, TRUE, sizeof (int));
  p->owned = g_ptr_array_new_with_free_func (g_free);
}

void
tr_pg_params_clear (TrPgParams *p)
{
  g_clear_pointer (&p->values, g_ptr_array_unref);
  g_clear_pointer (&p->lengths, g_array_unref);
  g_clear_pointer (&p->formats, g_array_unref);
  g_clear_pointer (&p->owned, g_ptr_array_unref);
}

/* add - one value of @len bytes in @format */
static int
add (TrPgParams *p, const char *value, int len, int format)
{
  g_ptr_array_add (p->values, (gpointer) value);
  g_array_append_val (p->lengths, len);
  g_array_append_val (p->formats, format);
  return (int) p->values->len;
}

int
tr_pg_add_owned (TrPgParams *p, char *text)
{
  if (text != NULL)
    g_ptr_array_add (p->owned, text);
  return add (p, text, 0, 0);
}

int
tr_pg_add_text (TrPgParams *p, const char *text)
{
  if (text == NULL || g_utf8_validate (text, -1, NULL))
    return add (p, text, 0, 0);
  return tr_pg_add_owned (p, g_utf8_make_valid (text, -1));
}

int
tr_pg_add_text_len (TrPgParams *p, const char *text, gsize len)
{
  if (text == NULL)
    return add (p, NULL, 0, 0);
  /* g_utf8_validate_len refuses NUL too: make_valid replaces it */
  if (g_utf8_validate_len (text, len, NULL))
    return tr_pg_add_owned (p, g_strndup (text, len));
  return tr_pg_add_owned (p, g_utf8_make_valid (text, (gssize) len));
}

int
tr_pg_add_int (TrPgParams *p, gint64 value)
{
  return tr_pg_add_owned (p, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

int
tr_pg_add_count (TrPgParams *p, gint64 count)
{
  return count == TR_COUNT_ABSENT ? add (p, NULL, 0, 0) : tr_pg_add_int (p, count);
}

int
tr_pg_add_bool (TrPgParams *p, gboolean value)
{
  return add (p, value ? "t" : "f", 0, 0);
}

int
tr_pg_add_bytes (TrPgParams *p, const void *data, gsize len)
{
  g_return_val_if_fail (len <= G_MAXINT, 0);
  return add (p, data != NULL ? data : "", (int) len, 1);
}

/* --- arrays -------------------------------------------------------------------------------- */

void
tr_pg_array_init (TrPgArray *a)
{
  a->text = g_string_new ("{");
  a->n = 0;
}

/* element - start the next element */
static void
element (TrPgArray *a)
{
  if (a->n++ > 0)
    g_string_append_c (a->text, ',');
}

void
tr_pg_array_text (TrPgArray *a, const char *text)
{
  g_autofree char *valid = NULL;

  element (a);
  if (text == NULL)
    {
      g_string_append (a->text, "NULL");
      return;
    }
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  g_string_append_c (a->text, '"');
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '"' || *c == '\\')
        g_string_append_c (a->text, '\\');
      g_string_append_c (a->text, *c);
    }
  g_string_append_c (a->text, '"');
}

void
tr_pg_array_int (TrPgArray *a, gint64 value)
{
  element (a);
  g_string_append_printf (a->text, "%" G_GINT64_FORMAT, value);
}

void
tr_pg_array_count (TrPgArray *a, gint64 count)
{
  if (count == TR_COUNT_ABSENT)
    {
      element (a);
      g_string_append (a->text, "NULL");
    }
  else
    tr_pg_array_int (a, count);
}

int
tr_pg_add_array (TrPgParams *p, TrPgArray *a)
{
  g_string_append_c (a->text, '}');
  a->n = 0;
  return tr_pg_add_owned (p, g_string_free (g_steal_pointer (&a->text), FALSE));
}

/* --- errors -------------------------------------------------------------------------------- */

/* tr_pg_sqlstate_error - for a delivery agent nearly every failure of the server is something
 * an administrator can fix, and then a retry succeeds: TEMPORARY.  What can only be our own
 * mistake (a statement the server cannot run, a value it refuses) is INTERNAL. */
int
tr_pg_sqlstate_error (const char *sqlstate)
{
  static const char *const temporary[] = {
    "08",    /* connection exception */
    "53",    /* insufficient resources: disk full, out of memory, too many connections */
    "57",    /* operator intervention: statement_timeout, shutdown, cannot connect now */
    "58",    /* system error: I/O */
    "40",    /* transaction rollback: serialization failure, deadlock */
    "28",    /* invalid authorization */
    "55P03", /* lock_not_available: lock_timeout */
    "55006", /* object_in_use */
    "25006", /* read_only_sql_transaction: a read-only server, role or database */
    "25P02", /* in_failed_sql_transaction: after one of these */
    "42501", /* insufficient_privilege: a role without the GRANTs of doc/schema.md */
    "42P01", /* undefined_table: no schema yet */
    "3D000", /* invalid_catalog_name: no such database */
    "XX001", /* data_corrupted */
    "XX002", /* index_corrupted */
  };

  if (sqlstate == NULL || strlen (sqlstate) != 5)
    return TR_ERROR_TEMPORARY;
  for (guint i = 0; i < G_N_ELEMENTS (temporary); i++)
    if (strncmp (sqlstate, temporary[i], strlen (temporary[i])) == 0)
      return TR_ERROR_TEMPORARY;
  return TR_ERROR_INTERNAL;
}

/* tr_pg_error_line - libpq's @message on one line, without its final newline */
char *
tr_pg_error_line (const char *message)
{
  g_autoptr (GString) line = g_string_new (NULL);

  for (const char *c = message ? message : ""; *c != '\0'; c++)
    {
      if (*c == '\n' || *c == '\t' || *c == '\r')
        {
          while (c[1] == '\n' || c[1] == '\t' || c[1] == '\r' || c[1] == ' ')
            c++;
          if (c[1] != '\0')
            g_string_append (line, "; ");
        }
      else
        g_string_append_c (line, *c);
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* tr_pg_result_message - what failed in @res, on one line: the server's primary message
 * (without its "ERROR:" and the statement it quotes), else libpq's */
char *
tr_pg_result_message (const PGresult *res)
{
  const char *primary = PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY);

  return tr_pg_error_line (primary ? primary : PQresultErrorMessage (res));
}

/* set_error - @error from the failed result @res (NULL: the connection's own message) */
static void
set_error (TrPgStore *s, const PGresult *res, const char *what, GError **error)
{
  const char *sqlstate = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  g_autofree char *message
      = res ? tr_pg_result_message (res) : tr_pg_error_line (PQerrorMessage (s->conn));

  if (PQstatus (s->conn) == CONNECTION_BAD)
    sqlstate = NULL; /* the server went away: whatever the last statement said */
  g_set_error (error, TR_ERROR, tr_pg_sqlstate_error (sqlstate), "%s: %s: %s", s->name, what,
               *message ? message : "the connection to the server was lost");
}

/* --- statements ---------------------------------------------------------------------------- */

/* statement_name - the name of kept statement @stmt */
static void
statement_name (int stmt, char name[16])
{
  g_snprintf (name, 16, "tr%d", stmt);
}

/* send - queue @sql (with BEGIN, PREPARE first as needed); the number of queries queued */
static int
send (TrPgStore *s, int stmt, const char *sql, TrPgParams *p)
{
  int n = p ? (int) p->values->len : 0, queued = 0;
  const char *const *values = p ? (const char *const *) p->values->pdata : NULL;
  const int *lengths = p ? (const int *) (gpointer) p->lengths->data : NULL;
  const int *formats = p ? (const int *) (gpointer) p->formats->data : NULL;
  char name[16];

  if (s->begin_pending)
    {
      if (!PQsendQueryParams (s->conn, "BEGIN", 0, NULL, NULL, NULL, NULL, 0))
        return -1;
      s->begin_pending = FALSE;
      s->in_block = TRUE;
      queued++;
    }
  if (stmt < 0)
    return PQsendQueryParams (s->conn, sql, n, NULL, values, lengths, formats, 0) ? queued + 1 : -1;
  statement_name (stmt, name);
  if (!s->prepared[stmt])
    {
      if (!PQsendPrepare (s->conn, name, sql, n, NULL))
        return -1;
      s->prepared[stmt] = TRUE; /* undone if it fails */
      queued++;
    }
  return PQsendQueryPrepared (s->conn, name, n, values, lengths, formats, 0) ? queued + 1 : -1;
}

/* collect - the results of @queued queries and the sync; the last query's result, or NULL with
 * the first failure in @error */
static PGresult *
collect (TrPgStore *s, int stmt, int queued, const char *what, GError **error)
{
  g_autoptr (PGresult) last = NULL;
  gboolean failed = FALSE;
  PGresult *res;

  for (int q = 0; q < queued; q++)
    {
      res = PQgetResult (s->conn);
      if (res == NULL)
        break; /* the connection failed */
      switch (PQresultStatus (res))
        {
          case PGRES_COMMAND_OK:
          case PGRES_TUPLES_OK:
            g_clear_pointer (&last, PQclear);
            last = res;
            break;
          case PGRES_PIPELINE_ABORTED:
            PQclear (res);
            break;
          default:
            if (!failed)
              set_error (s, res, what, error);
            failed = TRUE;
            if (stmt >= 0)
              s->prepared[stmt] = FALSE; /* perhaps it was the PREPARE */
            PQclear (res);
        }
      while ((res = PQgetResult (s->conn)) != NULL) /* the NULL after each query's result */
        PQclear (res);
    }
  res = PQgetResult (s->conn);
  if (res == NULL || PQresultStatus (res) != PGRES_PIPELINE_SYNC)
    {
      if (!failed)
        set_error (s, NULL, what, error);
      failed = TRUE;
    }
  g_clear_pointer (&res, PQclear);
  return failed ? NULL : g_steal_pointer (&last);
}

/* tr_pg_exec - @sql in the pipeline, with what must go first; its result */
PGresult *
tr_pg_exec (TrPgStore *s, int stmt, const char *sql, TrPgParams *params, const char *what,
            GError **error)
{
  int queued = send (s, stmt, sql, params);

  if (queued < 0 || !PQpipelineSync (s->conn))
    {
      set_error (s, NULL, what, error);
      return NULL;
    }
  return collect (s, stmt, queued, what, error);
}

/* tr_pg_command - @sql without parameters or rows */
gboolean
tr_pg_command (TrPgStore *s, const char *sql, const char *what, GError **error)
{
  g_autoptr (PGresult) res = tr_pg_exec (s, -1, sql, NULL, what, error);

  return res != NULL;
}

/* --- values out ---------------------------------------------------------------------------- */

const char *
tr_pg_text (const PGresult *res, int row, int column)
{
  return PQgetisnull (res, row, column) ? NULL : PQgetvalue (res, row, column);
}

char *
tr_pg_dup (const PGresult *res, int row, int column)
{
  return g_strdup (tr_pg_text (res, row, column));
}

gint64
tr_pg_int (const PGresult *res, int row, int column)
{
  const char *text = tr_pg_text (res, row, column);

  return text ? g_ascii_strtoll (text, NULL, 10) : 0;
}

gint64
tr_pg_count (const PGresult *res, int row, int column)
{
  return PQgetisnull (res, row, column) ? TR_COUNT_ABSENT : tr_pg_int (res, row, column);
}

int
tr_pg_flag (const PGresult *res, int row, int column)
{
  const char *text = tr_pg_text (res, row, column);

  return text == NULL ? -1 : text[0] == 't';
}

GBytes *
tr_pg_bytes (const PGresult *res, int row, int column)
{
  size_t len = 0;
  const char *text = tr_pg_text (res, row, column);
  unsigned char *data = text ? PQunescapeBytea ((const unsigned char *) text, &len) : NULL;
  GBytes *bytes = g_bytes_new (data, data ? len : 0);

  PQfreemem (data);
  return bytes;
}

/* --- read transactions and cursors --------------------------------------------------------- */

gboolean
tr_pg_read_begin (TrPgStore *s, gboolean *own, GError **error)
{
  *own = !s->in_block && !s->begin_pending;
  if (s->begin_pending)
    return TRUE; /* a write transaction: the BEGIN goes with the next statement */
  if (!*own)
    return TRUE;
  if (!tr_pg_command (s, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", "beginning a read",
                      error))
    return FALSE;
  s->in_block = TRUE;
  return TRUE;
}

void
tr_pg_read_end (TrPgStore *s, gboolean own)
{
  if (!own || !s->in_block)
    return;
  s->in_block = FALSE;
  tr_pg_command (s, "COMMIT", "ending a read", NULL); /* it only read */
}

gboolean
tr_pg_cursor_open (TrPgStore *s, TrPgCursor *c, const char *sql, TrPgParams *params, GError **error)
{
  g_autofree char *declare = NULL;
  g_autoptr (PGresult) res = NULL;

  memset (c, 0, sizeof *c);
  c->store = s;
  c->name = g_strdup_printf ("tr_cursor_%u", ++s->cursors);
  declare = g_strdup_printf ("DECLARE %s NO SCROLL CURSOR FOR %s", c->name, sql);
  res = tr_pg_exec (s, -1, declare, params, "reading", error);
  c->done = res == NULL;
  return res != NULL;
}

/* fetch - the next batch of @c's rows */
static gboolean
fetch (TrPgCursor *c, GError **error)
{
  g_autofree char *sql
      = g_strdup_printf ("FETCH FORWARD " G_STRINGIFY (PG_FETCH_ROWS) " FROM %s", c->name);

  g_clear_pointer (&c->batch, PQclear);
  c->row = 0;
  c->batch = tr_pg_exec (c->store, -1, sql, NULL, "reading", error);
  if (c->batch == NULL || PQntuples (c->batch) == 0)
    c->done = TRUE;
  return c->batch != NULL;
}

gboolean
tr_pg_cursor_peek (TrPgCursor *c, const PGresult **res, int *row, GError **error)
{
  if (c->done)
    return FALSE;
  if ((c->batch == NULL || c->row >= PQntuples (c->batch)) && (!fetch (c, error) || c->done))
    return FALSE;
  *res = c->batch;
  *row = c->row;
  return TRUE;
}

gboolean
tr_pg_cursor_next (TrPgCursor *c, const PGresult **res, int *row, GError **error)
{
  if (!tr_pg_cursor_peek (c, res, row, error))
    return FALSE;
  c->row++;
  return TRUE;
}

void
tr_pg_cursor_close (TrPgCursor *c)
{
  g_clear_pointer (&c->batch, PQclear);
  if (c->name != NULL && c->store->in_block)
    {
      g_autofree char *sql = g_strdup_printf ("CLOSE %s", c->name);

      tr_pg_command (c->store, sql, "closing a cursor", NULL);
    }
  g_clear_pointer (&c->name, g_free);
}
