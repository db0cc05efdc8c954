/* prepare-queue.h - tr_ingest_prepare() on worker threads, results in the order given
 *
 * import reads messages on the main thread and stores them there (SQLite stays on one thread);
 * taking a message apart (GMime, zlib, json-glib: four fifths of the work) runs meanwhile on
 * worker threads, each on its own objects.  Results come back in the order the messages went
 * in, so an import stores the same rows whatever the number of workers.
 */
#pragma once

#include <glib.h>

#include "ingest.h"
#include "settings.h"

typedef struct _TrPrepareQueue TrPrepareQueue;

/* tr_prepare_queue_new - @workers threads (0 or 1: prepare on the caller's thread, in push);
 * @settings must outlive the queue */
TrPrepareQueue *tr_prepare_queue_new (const TrSettings *settings, guint workers);

/* tr_prepare_queue_push - queue @bytes (a reference is taken) of true size @size, read at
 * @where (taken) */
void tr_prepare_queue_push (TrPrepareQueue *queue, GBytes *bytes, guint64 size, char *where);

/* tr_prepare_queue_length - messages pushed and not popped yet */
guint tr_prepare_queue_length (TrPrepareQueue *queue);

/* tr_prepare_queue_pop - the oldest message, prepared (waits for it), and its @where; NULL
 * when the queue is empty */
TrMessage *tr_prepare_queue_pop (TrPrepareQueue *queue, char **where);

/* tr_prepare_queue_release - free @message (popped) on a worker: it was allocated there, and
 * freeing memory of another thread's malloc arena is the slower way */
void tr_prepare_queue_release (TrPrepareQueue *queue, TrMessage *message);

/* tr_prepare_queue_free - wait for the workers, drop what was not popped */
void tr_prepare_queue_free (TrPrepareQueue *queue);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrPrepareQueue, tr_prepare_queue_free)
