/* prepare-queue.c - tr_ingest_prepare() on worker threads, results in the order given
 *
 * A job is pushed to the FIFO and to a GThreadPool; a worker prepares it and marks it done; pop
 * waits until the oldest job is done; release hands a stored message back to a worker to be
 * freed in the malloc arena it came from.  The stages are safe to run this way: each job has its
 * own GMime, json-glib and zlib objects, the shared TrSettings are only read, and the two
 * one-time initialisations (GMime, the public suffix list) are g_once.
 */
#include "config.h"

#include "prepare-queue.h"

typedef struct
{
  GBytes *bytes;
  guint64 size;
  char *where;
  TrMessage *message; /* set by the worker, under the queue's lock */
  gboolean release;   /* a job of tr_prepare_queue_release: free message, nothing else */
} Job;

struct _TrPrepareQueue
{
  const TrSettings *settings;
  GThreadPool *pool; /* NULL: prepare in push */
  GQueue jobs;       /* of Job, oldest first */
  GMutex lock;
  GCond done;
  gboolean waiting; /* pop waits on done: only then is it worth a wake-up (a system call) */
};

static void
job_free (Job *job)
{
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_free (job->where);
  tr_message_free (job->message);
  g_free (job);
}

/* prepare - a worker's task */
static void
prepare (gpointer data, gpointer user_data)
{
  Job *job = data;
  TrPrepareQueue *queue = user_data;
  TrMessage *message;

  if (job->release)
    {
      job_free (job);
      return;
    }
  message = tr_ingest_prepare (job->bytes, job->size, NULL, queue->settings);

  g_mutex_lock (&queue->lock);
  job->message = message;
  if (queue->waiting)
    g_cond_broadcast (&queue->done);
  g_mutex_unlock (&queue->lock);
}

TrPrepareQueue *
tr_prepare_queue_new (const TrSettings *settings, guint workers)
{
  TrPrepareQueue *queue = g_new0 (TrPrepareQueue, 1);

  queue->settings = settings;
  g_queue_init (&queue->jobs);
  g_mutex_init (&queue->lock);
  g_cond_init (&queue->done);
  if (workers > 1)
    queue->pool = g_thread_pool_new (prepare, queue, (int) workers, TRUE, NULL);
  return queue;
}

void
tr_prepare_queue_push (TrPrepareQueue *queue, GBytes *bytes, guint64 size, char *where)
{
  Job *job = g_new0 (Job, 1);

  job->bytes = g_bytes_ref (bytes);
  job->size = size;
  job->where = where;
  g_queue_push_tail (&queue->jobs, job); /* only the caller's thread touches the FIFO */
  if (queue->pool == NULL)
    job->message = tr_ingest_prepare (bytes, size, NULL, queue->settings);
  else
    g_thread_pool_push (queue->pool, job, NULL);
}

guint
tr_prepare_queue_length (TrPrepareQueue *queue)
{
  return queue->jobs.length;
}

TrMessage *
tr_prepare_queue_pop (TrPrepareQueue *queue, char **where)
{
  Job *job = g_queue_pop_head (&queue->jobs);
  TrMessage *message;

  if (job == NULL)
    return NULL;
  g_mutex_lock (&queue->lock);
  while (job->message == NULL)
    {
      queue->waiting = TRUE;
      g_cond_wait (&queue->done, &queue->lock);
    }
  queue->waiting = FALSE;
  message = g_steal_pointer (&job->message);
  g_mutex_unlock (&queue->lock);
  *where = g_steal_pointer (&job->where);
  job_free (job);
  return message;
}

void
tr_prepare_queue_release (TrPrepareQueue *queue, TrMessage *message)
{
  Job *job;

  if (queue->pool == NULL)
    {
      tr_message_free (message);
      return;
    }
  job = g_new0 (Job, 1);
  job->message = message;
  job->release = TRUE;
  g_thread_pool_push (queue->pool, job, NULL);
}

void
tr_prepare_queue_free (TrPrepareQueue *queue)
{
  if (queue == NULL)
    return;
  if (queue->pool != NULL)
    g_thread_pool_free (queue->pool, FALSE, TRUE); /* runs what is queued (releases too), joins */
  g_queue_clear_full (&queue->jobs, (GDestroyNotify) job_free);
  g_mutex_clear (&queue->lock);
  g_cond_clear (&queue->done);
  g_free (queue);
}
