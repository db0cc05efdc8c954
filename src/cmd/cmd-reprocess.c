/* cmd-reprocess.c - tlsrptdb reprocess: the messages kept in `rejected`, through today's parser
 *
 * After an upgrade (a parser fix) or a change of settings (a limit raised, a domain added), the
 * messages in `rejected` may yield reports.  Each goes through the same pipeline as ingest
 * (tr_ingest_prepare, or tr_ingest_prepare_request for a request over HTTPS, then
 * tr_ingest_store through tr_import_message); its reports that are not stored yet are stored,
 * with the time and the way the message first came.  A message that is now
 * wholly usable leaves `rejected`; the others stay, with today's reason.  Reports we have are
 * not counted as deliveries again, so reprocess can be run any number of times.
 */
#include "config.h"

#include <stdio.h>

#include "batch.h"
#include "command.h"
#include "escape.h"
#include "mail.h"

#define BATCH_ROWS 100 /* rows can be 25 MiB each: fewer than import's messages */

/* What reprocess did. */
typedef struct
{
  guint64 messages;     /* rows looked at */
  guint64 recovered;    /* rows removed from `rejected`: wholly usable now */
  guint64 still;        /* rows kept */
  guint64 new_reason;   /* ... with another reason than before */
  TrImportCounts store; /* the reports */
} Reprocess;

/* reprocess_row - one row of `rejected`, inside the open transaction */
static gboolean
reprocess_row (TrStore *store, const TrRejectedRow *row, const TrSettings *settings,
               gboolean verbose, Reprocess *done, GError **error)
{
  g_autoptr (TrMessage) message = NULL;
  g_autoptr (GPtrArray) lines = verbose ? g_ptr_array_new_with_free_func (g_free) : NULL;
  gboolean https = g_strcmp0 (row->received_via, "https") == 0;
  TrArrival arrival = { .received_at = row->received_at ? row->received_at : "",
                        .via = row->received_via ? row->received_via : "mail",
                        .client_address = row->client_address,
                        .media_type = row->media_type,
                        .content_encoding = row->content_encoding,
                        .user_agent = row->user_agent };

  done->messages++;
  if (row->raw_dropped || row->message_size > g_bytes_get_size (row->raw))
    {
      /* only the first bytes, or none, were kept: nothing new can come of them */
      done->still++;
      if (verbose)
        printf ("rejected %" G_GINT64_FORMAT ": %s when it was kept: left as it is\n", row->id,
                row->raw_dropped ? "only its facts kept" : "truncated");
      return TRUE;
    }
  /* a request over HTTPS again as the report itself, never as a mail (whose headers it could
   * plant) */
  message = https ? tr_ingest_prepare_request (row->raw, row->content_encoding, row->received_at,
                                               settings)
                  : tr_ingest_prepare (row->raw, row->message_size, row->received_at, settings);
  /* it leaves `rejected` only when every report it holds is stored with the same content */
  if (!tr_import_message (store, message, FALSE, &arrival, &done->store, lines, error))
    return FALSE;
  if (message->reason == NULL)
    {
      if (!tr_store_delete_rejected (store, row->id, error))
        return FALSE;
      done->recovered++;
      if (lines != NULL)
        g_ptr_array_add (lines, g_strdup ("removed from rejected"));
    }
  else
    {
      done->still++;
      if (g_strcmp0 (message->reason, row->reason) != 0)
        {
          if (!tr_store_set_rejected_reason (store, row->id, message->reason, error))
            return FALSE;
          done->new_reason++;
        }
    }
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      g_autofree char *shown = tr_escape_text (g_ptr_array_index (lines, i));

      printf ("rejected %" G_GINT64_FORMAT ": %s\n", row->id, shown);
    }
  return TRUE;
}

/* reprocess_all - every row of `rejected`, in batches; *@done counts the committed ones */
static gboolean
reprocess_all (TrStore *store, const TrSettings *settings, gboolean verbose, Reprocess *done,
               GError **error)
{
  gint64 after_id = 0;
  gboolean more = TRUE;

  while (more && !tr_stop_requested ())
    {
      Reprocess batch = { 0 };
      gint64 started = g_get_monotonic_time ();
      guint n = 0;

      if (!tr_store_begin (store, error))
        return FALSE;
      while (!tr_batch_due (n, BATCH_ROWS, started) && !tr_stop_requested ())
        {
          TrRejectedRow row = { 0 };
          gboolean ok = tr_store_next_rejected (store, after_id, &row, &more, error);

          if (ok && more)
            {
              after_id = row.id;
              ok = reprocess_row (store, &row, settings, verbose, &batch, error);
              if (!ok)
                g_prefix_error (error, "rejected message %" G_GINT64_FORMAT ": ", row.id);
            }
          tr_rejected_row_clear (&row);
          if (!ok)
            {
              tr_store_rollback (store);
              return FALSE;
            }
          if (!more)
            break;
          n++;
        }
      if (!tr_store_commit (store, error))
        return FALSE;
      done->messages += batch.messages;
      done->recovered += batch.recovered;
      done->still += batch.still;
      done->new_reason += batch.new_reason;
      tr_import_counts_add (&done->store, &batch.store);
    }
  return TRUE;
}

static void
reprocess_options (TrContext *ctx, GOptionGroup *group)
{
  gboolean *verbose = ctx->options;
  const GOptionEntry entries[] = {
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, verbose, "Print what happened to each message", NULL },
    G_OPTION_ENTRY_NULL,
  };

  g_option_group_add_entries (group, entries);
}

static gboolean
reprocess_prepare (TrContext *ctx, GError **error)
{
  tr_mail_init ();
  tr_catch_stop_signals ();
  return TRUE;
}

/* reprocess_run - tlsrptdb reprocess [OPTION...] */
static gboolean
reprocess_run (TrContext *ctx, GError **error)
{
  Reprocess done = { 0 };

  reprocess_all (ctx->store, &ctx->settings, *(gboolean *) ctx->options, &done, error);
  printf ("%s %" G_GUINT64_FORMAT " rejected message%s: %" G_GUINT64_FORMAT
          " removed from rejected, %" G_GUINT64_FORMAT " kept (%" G_GUINT64_FORMAT
          " with a new reason); %" G_GUINT64_FORMAT " report%s stored, %" G_GUINT64_FORMAT
          " already stored\n",
          *error != NULL         ? "stopped after"
          : tr_stop_requested () ? "interrupted after"
                                 : "reprocessed",
          done.messages, done.messages == 1 ? "" : "s", done.recovered, done.still, done.new_reason,
          done.store.stored, done.store.stored == 1 ? "" : "s", done.store.duplicates);
  if (*error == NULL && tr_stop_requested ())
    g_set_error (error, TR_ERROR, TR_ERROR_TEMPORARY, "interrupted: run reprocess again");
  return *error == NULL;
}

const TrCommand tr_command_reprocess = {
  .name = "reprocess",
  .summary = "run the messages kept in `rejected` through the parser again",
  .description = "Run the messages kept in `rejected` through the current parser and settings; "
                 "store the reports they now yield.",
  .flags = TR_COMMAND_SETTINGS | TR_COMMAND_PIPELINE,
  .store = TR_COMMAND_WRITE,
  .max_args = 0,
  .options_size = sizeof (gboolean),
  .options = reprocess_options,
  .prepare = reprocess_prepare,
  .run = reprocess_run,
};
