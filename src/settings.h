/* settings.h - what an administrator can set for ingest (command line, then config file) */
#pragma once

#include <glib.h>

#include "bounds.h"

typedef struct
{
  TrLimits limits;
  char **domains;              /* our policy domains ("example.com", "*.example.com"); NULL: all */
  char **trusted_authserv_ids; /* Authentication-Results written by these hosts are believed */
  gboolean require_dkim;       /* keep reports without an aligned dkim=pass in `rejected` */
} TrSettings;

#define TR_SETTINGS_INIT                                                                           \
  {                                                                                                \
    .limits = TR_LIMITS_INIT                                                                       \
  }

/* tr_settings_clear - free what @settings holds (not @settings itself) */
void tr_settings_clear (TrSettings *settings);
