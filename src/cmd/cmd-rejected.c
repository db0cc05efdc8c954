/* cmd-rejected.c - tlsrptdb rejected show|raw|delete: the messages kept in `rejected`, one by one
 *
 * `query rejected` lists them (with the filters and formats of the other listings); this command
 * acts on them: show one with its header fields, write one to stdout byte for byte (to feed it
 * to ingest again, or to look at it with other tools), delete some by id or by filter.  Deleting
 * goes in batches of one transaction each, as prune does, so that ingests never wait long; the
 * triggers of `rejected` keep the count of its bytes (counters.rejected_bytes) right.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "command.h"
#include "escape.h"
#include "mail.h"
#include "query.h"

#define DELETE_BATCH 1000 /* rows deleted in one transaction, at most */
/* bytes of messages deleted in one transaction, about: freeing 256 MiB took 11 s in one, and an
 * ingest waits 10 s for the lock (TR_STORE_BUSY_TIMEOUT_MS) */
#define DELETE_BATCH_BYTES (16 * 1024 * 1024)
#define SHOW_HEADER_FIELDS 1000

typedef enum
{
  REJECTED_SHOW,
  REJECTED_RAW,
  REJECTED_DELETE,
} RejectedAction;

static const char *const actions[] = { "show", "raw", "delete" };

/* The options of rejected, and what prepare makes of them. */
typedef struct
{
  char *since, *until, *reason, *from;
  gboolean all, dry_run;
  RejectedAction action;
  GArray *ids; /* of gint64: the IDs given */
  TrRejectedFilter filter;
} RejectedOptions;

static void
rejected_options (TrContext *ctx, GOptionGroup *group)
{
  RejectedOptions *o = ctx->options;
  const GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &o->dry_run, "delete: only say what would be deleted",
      NULL },
    { "since", 's', 0, G_OPTION_ARG_STRING, &o->since,
      "delete: the messages received on this day or later (as query rejected --since)", "WHEN" },
    { "until", 'u', 0, G_OPTION_ARG_STRING, &o->until,
      "delete: the messages received on this day or earlier", "WHEN" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &o->reason,
      "delete: the messages whose reason holds TEXT (any case)", "TEXT" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &o->from,
      "delete: the messages whose From header holds TEXT (any case)", "TEXT" },
    { "all", 0, 0, G_OPTION_ARG_NONE, &o->all, "delete: every message in `rejected`", NULL },
    G_OPTION_ENTRY_NULL,
  };

  o->filter = (TrRejectedFilter) TR_REJECTED_FILTER_INIT;
  o->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_option_group_add_entries (group, entries);
}

static void
rejected_free_options (gpointer options)
{
  RejectedOptions *o = options;

  g_free (o->since);
  g_free (o->until);
  g_free (o->reason);
  g_free (o->from);
  g_clear_pointer (&o->ids, g_array_unref);
  tr_rejected_filter_clear (&o->filter);
}

/* parse_ids - the IDs after the action, each a row id of `rejected` */
static gboolean
parse_ids (TrContext *ctx, RejectedOptions *o, GError **error)
{
  for (int i = 2; i < ctx->argc; i++)
    {
      guint64 id;

      if (!g_ascii_string_to_unsigned (ctx->argv[i], 10, 1, G_MAXINT64, &id, NULL))
        {
          g_autofree char *shown = tr_escape_text (ctx->argv[i]);

          g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                       "expected the ID of a rejected message (a number, see tlsrptdb query "
                       "rejected), not \"%s\"",
                       shown);
          return FALSE;
        }
      g_array_append_val (o->ids, id);
    }
  return TRUE;
}

/* check_action - what the action takes: IDs, a filter or --all */
static gboolean
check_action (RejectedOptions *o, GError **error)
{
  gboolean filtered = o->since || o->until || o->reason || o->from;
  const char *action = actions[o->action];

  if (o->action != REJECTED_DELETE && (filtered || o->all || o->dry_run))
    g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                 "rejected %s takes IDs only (tlsrptdb query rejected selects by time, reason "
                 "and sender)",
                 action);
  else if (o->action == REJECTED_RAW && o->ids->len != 1)
    g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "rejected raw: expected one ID, got %u",
                 o->ids->len);
  else if (o->action == REJECTED_SHOW && o->ids->len == 0)
    g_set_error (error, TR_ERROR, TR_ERROR_USAGE, "rejected show: expected one ID or more");
  else if (o->action == REJECTED_DELETE && o->ids->len > 0 && (filtered || o->all))
    g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                 "rejected delete: give IDs, or --since, --until, --reason, --from, or --all; "
                 "not both");
  else if (o->action == REJECTED_DELETE && o->ids->len == 0 && !filtered && !o->all)
    g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                 "rejected delete: expected IDs, or --since, --until, --reason or --from to "
                 "select messages, or --all for every one");
  return error == NULL || *error == NULL;
}

/* rejected_prepare - the action, its IDs and its filter, checked; read-only unless deleting */
static gboolean
rejected_prepare (TrContext *ctx, GError **error)
{
  RejectedOptions *o = ctx->options;
  guint a;

  for (a = 0; a < G_N_ELEMENTS (actions); a++)
    if (strcmp (ctx->argv[1], actions[a]) == 0)
      break;
  if (a == G_N_ELEMENTS (actions))
    {
      g_autofree char *shown = tr_escape_text (ctx->argv[1]);

      g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                   "expected show, raw or delete after \"rejected\", not \"%s\" (tlsrptdb query "
                   "rejected lists the messages)",
                   shown);
      return FALSE;
    }
  o->action = (RejectedAction) a;
  if (!parse_ids (ctx, o, error) || !check_action (o, error)
      || !tr_query_rejected_filter (&o->filter, o->since, o->until, o->reason, o->from, ctx->now,
                                    error))
    return FALSE;
  if (o->action != REJECTED_DELETE || o->dry_run)
    ctx->store_mode = TR_STORE_READ_ONLY;
  if (o->action == REJECTED_DELETE)
    tr_catch_stop_signals ();
  return TRUE;
}

/* not_found - TR_ERROR_NOT_FOUND for the missing row @id */
static gboolean
not_found (gint64 id, GError **error)
{
  g_set_error (error, TR_ERROR, TR_ERROR_NOT_FOUND,
               "no rejected message with ID %" G_GINT64_FORMAT " (see tlsrptdb query rejected)",
               id);
  return FALSE;
}

/* show_run - the messages asked for, as blocks; an ID that is not there is an error after the
 * others are shown */
static gboolean
show_run (TrContext *ctx, const GArray *ids, GError **error)
{
  gint64 missing = 0;

  tr_query_rejected_begin_show (ctx->printer);
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      TrRejectedRow row = { 0 };
      g_autoptr (GPtrArray) headers = NULL;
      gboolean found = FALSE;
      guint more = 0;

      if (!tr_store_find_rejected (ctx->store, id, TRUE, &row, &found, error))
        return FALSE;
      if (!found && missing == 0)
        missing = id;
      if (found)
        {
          headers = tr_mail_header_fields (row.raw, SHOW_HEADER_FIELDS, &more);
          tr_query_rejected_show_row (ctx->printer, &row, headers, more);
        }
      tr_rejected_row_clear (&row);
    }
  if (!tr_printer_end (ctx->printer, error))
    return FALSE;
  return missing == 0 || not_found (missing, error);
}

/* raw_run - the message's bytes as they were kept, to stdout; never to a terminal */
static gboolean
raw_run (TrContext *ctx, gint64 id, GError **error)
{
  TrRejectedRow row = { 0 };
  gboolean found = FALSE, ok;
  gsize size;
  const guint8 *bytes;

  if (isatty (STDOUT_FILENO))
    {
      g_set_error (error, TR_ERROR, TR_ERROR_USAGE,
                   "standard output is a terminal: the message is written byte for byte, so "
                   "redirect it (rejected raw %" G_GINT64_FORMAT " >message.eml, or | less); "
                   "rejected show %" G_GINT64_FORMAT " shows it escaped",
                   id, id);
      return FALSE;
    }
  if (!tr_store_find_rejected (ctx->store, id, TRUE, &row, &found, error))
    return FALSE;
  if (!found)
    return not_found (id, error);
  if (row.raw_dropped)
    {
      g_set_error (
          error, TR_ERROR, TR_ERROR_DATA,
          "rejected message %" G_GINT64_FORMAT ": its bytes were not kept (the rejected "
          "budget, --max-rejected-size, was full), only its facts: rejected show %" G_GINT64_FORMAT,
          id, id);
      tr_rejected_row_clear (&row);
      return FALSE;
    }
  bytes = g_bytes_get_data (row.raw, &size);
  if (size > 0)
    fwrite (bytes, 1, size, stdout);
  ok = tr_printer_flush_file (stdout, error);
  if (ok && row.truncated)
    g_printerr ("%s rejected: message %" G_GINT64_FORMAT ": only its first %" G_GSIZE_FORMAT
                " of %" G_GUINT64_FORMAT " bytes were kept (--max-message-size)\n",
                PACKAGE_NAME, id, size, row.message_size);
  tr_rejected_row_clear (&row);
  return ok;
}

/* What delete did (or would do). */
typedef struct
{
  gint64 messages;
  gint64 bytes;
} Deleted;

/* delete_ids - the rows @ids, in one transaction: all of them, or none when one is missing */
static gboolean
delete_ids (TrStore *store, const GArray *ids, gboolean dry_run, Deleted *done, GError **error)
{
  gboolean ok = dry_run || tr_store_begin (store, error);

  for (guint i = 0; ok && i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      TrRejectedRow row = { 0 };
      gboolean found = FALSE;

      ok = tr_store_find_rejected (store, id, FALSE, &row, &found, error)
           && (found || not_found (id, error))
           && (dry_run || tr_store_delete_rejected (store, id, error));
      if (ok)
        {
          done->messages++;
          done->bytes += (gint64) row.kept_size;
        }
      tr_rejected_row_clear (&row);
    }
  if (dry_run)
    return ok;
  if (!ok)
    {
      tr_store_rollback (store);
      memset (done, 0, sizeof *done);
      return FALSE;
    }
  return tr_store_commit (store, error);
}

typedef struct
{
  GArray *ids;
  gint64 bytes;
  gboolean full; /* DELETE_BATCH_BYTES reached */
} Batch;

/* on_batch_row - one more row for the batch, until it holds DELETE_BATCH_BYTES */
static gboolean
on_batch_row (const TrRejectedRow *row, gpointer data, GError **error)
{
  Batch *batch = data;

  g_array_append_val (batch->ids, row->id);
  batch->bytes += (gint64) row->kept_size;
  batch->full = batch->bytes >= DELETE_BATCH_BYTES;
  return !batch->full;
}

/* delete_batch - delete up to DELETE_BATCH rows (or DELETE_BATCH_BYTES) that @filter selects
 * below filter->below_id, in one transaction; *@last is TRUE when no more are left */
static gboolean
delete_batch (TrStore *store, TrRejectedFilter *filter, Deleted *done, gboolean *last,
              GError **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  Batch batch = { ids, 0, FALSE };
  gboolean ok;

  filter->limit = DELETE_BATCH;
  if (!tr_store_begin (store, error))
    return FALSE;
  ok = tr_store_each_rejected (store, filter, on_batch_row, &batch, error);
  for (guint i = 0; ok && i < ids->len; i++) /* the statement is done: no row is read twice */
    ok = tr_store_delete_rejected (store, g_array_index (ids, gint64, i), error);
  if (!ok)
    {
      tr_store_rollback (store);
      return FALSE;
    }
  if (!tr_store_commit (store, error))
    return FALSE;
  done->messages += ids->len;
  done->bytes += batch.bytes;
  *last = ids->len < DELETE_BATCH && !batch.full;
  if (ids->len > 0)
    filter->below_id = g_array_index (ids, gint64, ids->len - 1); /* newest first */
  return TRUE;
}

/* delete_matching - every row @filter selects, in batches (or their count, with @dry_run) */
static gboolean
delete_matching (TrStore *store, TrRejectedFilter *filter, gboolean dry_run, Deleted *done,
                 GError **error)
{
  gboolean last = FALSE;

  if (dry_run)
    return tr_store_count_rejected (store, filter, &done->messages, &done->bytes, error);
  while (!last)
    {
      if (tr_stop_requested ())
        {
          g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY, "interrupted: run it again");
          return FALSE;
        }
      if (!delete_batch (store, filter, done, &last, error))
        return FALSE;
    }
  return TRUE;
}

/* delete_run - delete by IDs or by filter, and say what was deleted */
static gboolean
delete_run (TrContext *ctx, RejectedOptions *o, GError **error)
{
  Deleted done = { 0 };
  gboolean ok = o->ids->len > 0
                    ? delete_ids (ctx->store, o->ids, o->dry_run, &done, error)
                    : delete_matching (ctx->store, &o->filter, o->dry_run, &done, error);

  if (ok || done.messages > 0)
    printf ("%s %" G_GINT64_FORMAT " rejected message%s (%" G_GINT64_FORMAT " bytes of messages)\n",
            o->dry_run ? "would delete"
            : ok       ? "deleted"
                       : "deleted (then stopped)",
            done.messages, done.messages == 1 ? "" : "s", done.bytes);
  return ok && tr_printer_flush_file (stdout, error);
}

/* rejected_run - tlsrptdb rejected show|raw|delete ... */
static gboolean
rejected_run (TrContext *ctx, GError **error)
{
  RejectedOptions *o = ctx->options;

  switch (o->action)
    {
      case REJECTED_SHOW:
        return show_run (ctx, o->ids, error);
      case REJECTED_RAW:
        return raw_run (ctx, g_array_index (o->ids, gint64, 0), error);
      case REJECTED_DELETE:
      default:
        return delete_run (ctx, o, error);
    }
}

const TrCommand tr_command_rejected = {
  .name = "rejected",
  .parameter = "show ID...|raw ID|delete ID...|delete --since/--until/--reason/--from/--all",
  .summary = "show, extract or delete the messages kept without a usable report",
  .description = "Act on the messages kept in `rejected` (tlsrptdb query rejected lists them): "
                 "show: their facts and header fields; raw: one message byte for byte on "
                 "standard output (never to a terminal), e.g. to feed it to ingest again; "
                 "delete: by ID, or every message the options select (--dry-run: only count "
                 "them).  See tlsrptdb-rejected(1).",
  .flags = TR_COMMAND_SETTINGS | TR_COMMAND_FORMAT,
  .store = TR_COMMAND_WRITE,
  .min_args = 1,
  .max_args = G_MAXUINT,
  .options_size = sizeof (RejectedOptions),
  .options = rejected_options,
  .free_options = rejected_free_options,
  .prepare = rejected_prepare,
  .run = rejected_run,
};
