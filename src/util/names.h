/* names.h - domain and host names as people type them and as tlsrptdb stores them */
#pragma once

#include <glib.h>

/* tr_name_normalize - @name lower-cased, without a trailing dot (newly allocated) */
char *tr_name_normalize (const char *name);
/* tr_name_matches - whether @name is @pattern ("example.com", either may end in a dot), or lies
 * under it when it is a wildcard ("*.example.com": a subdomain, not example.com itself);
 * compared case-insensitively */
gboolean tr_name_matches (const char *name, const char *pattern);
/* tr_name_is_wildcard - whether @pattern is "*.DOMAIN" */
gboolean tr_name_is_wildcard (const char *pattern);
