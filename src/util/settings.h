/* settings.h - what an administrator sets for ingest: defaults, then the config file
 * (GLib key file, group [tlsrptdb]), then the command line; and a command's own settings (group
 * [check]: the options of tlsrptdb check), kept as text for the command to read */
#pragma once

#include <glib.h>

#include "bounds.h"

#define TR_SETTINGS_DEFAULT_FILE "/etc/tlsrptdb.conf"

typedef struct
{
  TrLimits limits;
  char *db;                    /* the database, or NULL for the default */
  char **domains;              /* our policy domains ("example.com", "*.example.com"); NULL: all */
  char **trusted_authserv_ids; /* Authentication-Results written by these hosts are believed */
  gboolean require_dkim;       /* keep reports without an aligned dkim=pass in `rejected` */
  gboolean reject;             /* exit 65 for an unusable message (after keeping it) */
  gboolean verbose;            /* say what was stored */
  const char *command;         /* the command running: its group ([check]) is read too */
  GHashTable *command_values;  /* the keys of that group, file then options: key -> text */
} TrSettings;

#define TR_SETTINGS_INIT                                                                           \
  {                                                                                                \
    .limits = TR_LIMITS_INIT                                                                       \
  }

/* tr_settings_clear - free what @settings holds (not @settings itself) */
void tr_settings_clear (TrSettings *settings);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TrSettings, tr_settings_clear)

/* tr_settings_set - set @key ("max-message-size", "domains", "require-dkim", ...: the long
 * option names, which are also the config file's keys) from its text form; for the list keys
 * "domains" and "trusted-authserv-id", @append adds to the list instead of replacing it.
 * Errors: TR_ERROR_CONFIG (unknown key, bad value). */
gboolean tr_settings_set (TrSettings *settings, const char *key, const char *value, gboolean append,
                          GError **error);

/* tr_settings_command_value - the text of @key of the command's own group ([check]): the
 * option if given, else the config file's, else NULL */
const char *tr_settings_command_value (const TrSettings *settings, const char *key);

/* tr_settings_parse_bool - true/false, yes/no, 1/0, on/off (case-insensitive) */
gboolean tr_settings_parse_bool (const char *text, gboolean *out);

/* tr_settings_load - read the config file @path (NULL: $TLSRPTDB_CONFIG, else
 * /etc/tlsrptdb.conf when it exists): [tlsrptdb], and the group of settings->command if it has
 * one ([check]; the others' groups are left alone, so that a mistake there cannot stop ingest).
 * A file named explicitly must exist.
 * Errors: TR_ERROR_CONFIG, with the file name and what is wrong. */
gboolean tr_settings_load (TrSettings *settings, const char *path, GError **error);
