/* cmd-reprocess.c - tlsrptdb reprocess: the messages kept in `rejected`, through today's parser
 *
 * After an upgrade (a parser fix) or a change of settings (a limit raised, a domain added), the
 * messages in `rejected` may yield reports.  Each goes through the same pipeline as ingest
 * (tr_ingest_prepare, then tr_ingest_store through tr_import_message); its reports that are not
 * stored yet are stored, with the time the message was first received.  A message that is now
 * wholly usable leaves `rejected`; the others stay, with today's reason.  Reports we have are
 * not counted as deliveries again, so reprocess can be run any number of times.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "commands.h"
#include "error.h"
#include "escape.h"
#include "import.h"
#include "log.h"
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
  const char *received_at = row->received_at ? row->received_at : "";

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
  message = tr_ingest_prepare (row->raw, row->message_size, row->received_at, settings);
  /* it leaves `rejected` only when every report it holds is stored with the same content */
  if (!tr_import_message (store, message, FALSE, received_at, &done->store, lines, error))
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
      done->store.stored += batch.store.stored;
      done->store.duplicates += batch.store.duplicates;
    }
  return TRUE;
}

/* cmd_reprocess - tlsrptdb reprocess [OPTION...] */
int
cmd_reprocess (int argc, char **argv)
{
  g_autofree char *opt_config = NULL;
  gboolean opt_verbose = FALSE, exit_now = FALSE;
  const GOptionEntry entries[] = {
    TR_SETTING_OPTION ("db", TRUE, "Database file", "PATH"),
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
      "Config file (default $TLSRPTDB_CONFIG, else " TR_SETTINGS_DEFAULT_FILE " if present)",
      "PATH" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "Print what happened to each message",
      NULL },
    TR_PIPELINE_OPTIONS,
    G_OPTION_ENTRY_NULL,
  };
  g_auto (TrSettings) settings = TR_SETTINGS_INIT;
  g_autoptr (GError) error = NULL;
  g_autoptr (TrStore) store = NULL;
  g_autofree char *path = NULL;
  Reprocess done = { 0 };

  tr_log_open ("reprocess", FALSE);
  if (!tr_parse_options ("reprocess", NULL,
                         "Run the messages kept in `rejected` through the current parser and "
                         "settings; store the reports they now yield.",
                         entries, &argc, &argv, &exit_now, &error))
    {
      tr_log_error (NULL, NULL, "%s", error->message);
      return tr_exit_code (error, TR_EXIT_MODE_TOOL);
    }
  if (exit_now)
    return EX_OK;
  if (argc > 1)
    {
      g_set_error (&error, TR_ERROR, TR_ERROR_USAGE, "unexpected argument \"%s\"", argv[1]);
      tr_log_error (NULL, NULL, "%s", error->message);
      return tr_exit_code (error, TR_EXIT_MODE_TOOL);
    }
  if (!tr_cli_settings_load (&settings, opt_config, &path, &error))
    {
      tr_log_error (NULL, NULL, "%s", error->message);
      return tr_exit_code (error, TR_EXIT_MODE_TOOL);
    }

  tr_mail_init ();
  tr_catch_stop_signals ();
  store = tr_store_open (path, TR_STORE_READ_WRITE, &error);
  if (store != NULL)
    reprocess_all (store, &settings, opt_verbose, &done, &error);
  if (store != NULL)
    printf ("%s %" G_GUINT64_FORMAT " rejected message%s: %" G_GUINT64_FORMAT
            " removed from rejected, %" G_GUINT64_FORMAT " kept (%" G_GUINT64_FORMAT
            " with a new reason); %" G_GUINT64_FORMAT " report%s stored, %" G_GUINT64_FORMAT
            " already stored\n",
            error != NULL          ? "stopped after"
            : tr_stop_requested () ? "interrupted after"
                                   : "reprocessed",
            done.messages, done.messages == 1 ? "" : "s", done.recovered, done.still,
            done.new_reason, done.store.stored, done.store.stored == 1 ? "" : "s",
            done.store.duplicates);
  if (error == NULL && tr_stop_requested ())
    g_set_error (&error, TR_ERROR, TR_ERROR_TEMPORARY, "interrupted: run reprocess again");
  if (error != NULL)
    tr_log_error (NULL, NULL, "%s", error->message);
  return tr_exit_code (error, TR_EXIT_MODE_TOOL);
}
