/* cmd-ingest.h - the ingest pipeline, shared with the commands that feed it messages */
#pragma once

#include <glib.h>

#include "bounds.h"
#include "store.h"

/* What one message gave. */
typedef struct
{
  guint stored;      /* new reports */
  guint duplicates;  /* reports we had: deliveries counted */
  gboolean rejected; /* the message was kept in `rejected` */
  char *reason;      /* why, when rejected */
  GPtrArray *lines;  /* of char *: one line per report or rejection, for --verbose */
  char *message_id;  /* for logs, or NULL */
} TrIngestResult;

void tr_ingest_result_clear (TrIngestResult *result);

/* tr_ingest_message - run one message through mail -> decode -> validate -> store in one
 * transaction.  @message holds the bytes kept (at most limits->max_message_size),
 * @message_size the true size.  An unusable message is kept in `rejected` and is no error.
 * Errors: those of the store (TR_ERROR_TEMPORARY, ...): nothing was written. */
gboolean tr_ingest_message (TrStore *store, GBytes *message, guint64 message_size,
                            const TrLimits *limits, TrIngestResult *result, GError **error);
