/* settings.h - what an administrator sets for ingest: defaults, then the config file
 * (GLib key file, group [tlsrptdb]), then the command line; where each value came from; and a
 * command's own settings (group [check]: the options of tlsrptdb check), kept as text for the
 * command to read */
#pragma once

#include <glib.h>

#include "bounds.h"

#define TR_SETTINGS_DEFAULT_FILE "/etc/tlsrptdb.conf"

/* Where a setting's value came from (tlsrptdb config). */
typedef enum
{
  TR_SOURCE_DEFAULT,
  TR_SOURCE_FILE,         /* where: "FILE:LINE" */
  TR_SOURCE_ENVIRONMENT,  /* where: the variable's name */
  TR_SOURCE_COMMAND_LINE, /* where: the option, "--db" */
} TrSettingSource;

typedef struct
{
  TrLimits limits;
  char *db;                    /* the database, or NULL for the default */
  char **domains;              /* our policy domains ("example.com", "*.example.com"); NULL: all */
  char **trusted_authserv_ids; /* Authentication-Results written by these hosts are believed */
  gboolean require_dkim;       /* keep reports without an aligned dkim=pass in `rejected` */
  gboolean reject;             /* exit 65 for an unusable message (after keeping it) */
  gboolean verbose;            /* say what was stored */
  char *file;                  /* the config file read, or NULL for none */
  GHashTable *origins;         /* key -> where its value came from, if not the default */
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

/* tr_settings_key_name - the @i-th key ("db", "domains", ..., "max-rejected-size": the long
 * option names, which are also the config file's keys), in the order of tr_settings_set's
 * table; NULL past the last */
const char *tr_settings_key_name (guint i);

/* tr_settings_set - set @key from its text form; for the list keys "domains" and
 * "trusted-authserv-id", @append adds to the list instead of replacing it.
 * Errors: TR_ERROR_CONFIG (unknown key, with the known key it is likely a typo of; bad value). */
gboolean tr_settings_set (TrSettings *settings, const char *key, const char *value, gboolean append,
                          GError **error);

/* tr_settings_value - the value of @key in the config file's syntax ("25M", "true",
 * "example.com; *.example.com"), or NULL when it has none (no db, no domains).  Newly
 * allocated. */
char *tr_settings_value (const TrSettings *settings, const char *key);

/* tr_settings_command_value - the text of @key of the command's own group ([check]): the
 * option if given, else the config file's, else NULL */
const char *tr_settings_command_value (const TrSettings *settings, const char *key);

/* tr_settings_parse_bool - true/false, yes/no, 1/0, on/off (case-insensitive) */
gboolean tr_settings_parse_bool (const char *text, gboolean *out);

/* tr_settings_set_origin - record where @key's value came from (@where as for TrSettingSource;
 * TR_SOURCE_DEFAULT forgets it) */
void tr_settings_set_origin (TrSettings *settings, const char *key, TrSettingSource source,
                             const char *where);
/* tr_settings_origin - where @key's value came from; *@where (may be NULL) as set */
TrSettingSource tr_settings_origin (const TrSettings *settings, const char *key,
                                    const char **where);
/* tr_setting_source_name - "default", "file", "environment", "command-line" */
const char *tr_setting_source_name (TrSettingSource source);

/* tr_settings_config_file - the config file to read for --config @option (may be NULL): @option,
 * else $TLSRPTDB_CONFIG, else /etc/tlsrptdb.conf; with its *@source (the variable's name in
 * *@where for the environment) */
const char *tr_settings_config_file (const char *option, TrSettingSource *source,
                                     const char **where);

/* tr_settings_load - read the config file @path (NULL: $TLSRPTDB_CONFIG, else
 * /etc/tlsrptdb.conf when it exists), recording the file and the line of each key: [tlsrptdb],
 * and the group of settings->command if it has one ([check]; the others' groups are left alone,
 * so that a mistake there cannot stop ingest).  A file named explicitly must exist.
 * Errors: TR_ERROR_CONFIG, "FILE:LINE: what is wrong" (the line when there is one). */
gboolean tr_settings_load (TrSettings *settings, const char *path, GError **error);
