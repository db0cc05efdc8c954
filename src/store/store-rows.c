/* store-rows.c - the plain row structs of the storage interface (store.h): what clears and
 * frees them.  Apart from store.c, so that a backend module (store-pg) links them without the
 * dispatch, which would bring the SQLite backend along. */
#include "config.h"

#include <string.h>

#include "store.h"

void
tr_rejected_row_clear (TrRejectedRow *row)
{
  g_clear_pointer (&row->raw, g_bytes_unref);
  g_free (row->received_at);
  g_free (row->last_received_at);
  g_free (row->reason);
  g_free (row->message_id);
  g_free (row->subject);
  g_free (row->mail_from);
  g_free (row->received_via);
  g_free (row->client_address);
  g_free (row->fingerprint);
  g_free (row->media_type);
  g_free (row->content_encoding);
  g_free (row->user_agent);
  memset (row, 0, sizeof *row);
}

void
tr_query_filter_clear (TrQueryFilter *filter)
{
  g_clear_pointer (&filter->domains, g_strfreev);
  g_clear_pointer (&filter->since_day, g_free);
  g_clear_pointer (&filter->until_day, g_free);
  g_clear_pointer (&filter->reporters, g_strfreev);
  g_clear_pointer (&filter->result_types, g_strfreev);
  g_clear_pointer (&filter->mxs, g_strfreev);
  g_clear_pointer (&filter->warnings, g_strfreev);
  filter->limit = -1;
  filter->authenticated = FALSE;
}

void
tr_stored_report_free (TrStoredReport *stored)
{
  if (stored == NULL)
    return;
  tr_report_free (stored->report);
  tr_mail_info_free (stored->info);
  g_free (stored->received_at);
  g_free (stored->last_received_at);
  g_free (stored->received_via);
  g_free (stored->client_address);
  if (stored->conflicts != NULL)
    g_array_unref (stored->conflicts);
  g_free (stored);
}

void
tr_store_info_clear (TrStoreInfo *info)
{
  g_clear_pointer (&info->last_received_at, g_free);
  g_clear_pointer (&info->first_report_day, g_free);
  g_clear_pointer (&info->last_report_day, g_free);
  memset (info, 0, sizeof *info);
}
