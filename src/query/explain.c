/* explain.c - the result types of RFC 8460 section 4.3 explained for a mail administrator:
 * what happened, why it usually happens, how to look, how to fix (our own words) */
#include "config.h"

#include <string.h>

#include "escape.h"
#include "explain.h"

#define CHECK_TLS                                                                                  \
  "openssl s_client -starttls smtp -connect MX:25 -servername MX -verify_hostname MX "             \
  "-verify_return_error </dev/null"

static const TrExplanation explanations[] = {
  { "starttls-not-supported", "TLS negotiation",
    "the MX did not offer STARTTLS, so the sender could not encrypt",
    "The sending MTA connected to the MX but STARTTLS was missing from the EHLO answer (or the "
    "TLS handshake could not even start), while a policy required TLS.",
    "TLS switched off or broken in the MTA configuration; a missing or unreadable certificate "
    "or key file, so the MTA quietly disables STARTTLS; a firewall, proxy or load balancer in "
    "front of the MX that strips STARTTLS; a backup MX that was never set up for TLS.",
    "openssl s_client -starttls smtp -connect MX:25 -servername MX </dev/null\n"
    "(echo 'EHLO test'; sleep 2) | nc MX 25   # STARTTLS must be listed",
    "Enable STARTTLS on every MX named by the policy (Postfix: smtpd_tls_security_level = may "
    "with smtpd_tls_chain_files set), make the key and certificate readable by the MTA, and "
    "remove whatever middlebox strips the command." },
  { "certificate-host-mismatch", "TLS negotiation",
    "the MX certificate does not name the host the sender connected to",
    "The certificate the MX presented has no subject alternative name matching the MX host name "
    "(or, for MTA-STS, the name matched the policy's mx patterns but not the certificate).",
    "A certificate issued for another name (the web site, the old host name); an MX record that "
    "points at a shared or provider host; a new MX added to DNS before its certificate was; SNI "
    "not configured, so the MTA serves its default certificate.",
    CHECK_TLS "\nopenssl s_client -starttls smtp -connect MX:25 -servername MX </dev/null "
              "2>/dev/null | openssl x509 -noout -ext subjectAltName",
    "Issue a certificate whose subjectAltName contains every MX host name, install it with its "
    "chain, and reload the MTA; keep the MX records, the MTA-STS mx lines and the certificate "
    "names in step." },
  { "certificate-expired", "TLS negotiation", "the MX presented an expired certificate",
    "The certificate (or one in its chain) was past its notAfter date when the sender "
    "connected.",
    "Automatic renewal (ACME) failed or renewed a file the MTA does not read; the MTA was not "
    "reloaded after renewal; one MX of several was forgotten; an expired intermediate in the "
    "chain file.",
    "openssl s_client -starttls smtp -connect MX:25 -servername MX </dev/null 2>/dev/null | "
    "openssl x509 -noout -dates",
    "Renew the certificate, install the new chain on every MX and reload the MTA; make the "
    "renewal hook reload it, and monitor the expiry date." },
  { "certificate-not-trusted", "TLS negotiation",
    "the sender could not build a trusted chain for the MX certificate",
    "The certificate did not chain to a certificate authority the sender trusts: self-signed, a "
    "private CA, or an incomplete chain.",
    "A self-signed or private-CA certificate with an MTA-STS policy (MTA-STS needs a public "
    "WebPKI chain); the intermediate certificate missing from the chain file; a chain in the "
    "wrong order.",
    CHECK_TLS "\n# look at \"Verify return code\" and the \"Certificate chain\" it prints",
    "Use a certificate from a public CA and serve the full chain (leaf first, then "
    "intermediates), or, with DANE only, publish TLSA records that match it." },
  { "validation-failure", "TLS negotiation",
    "TLS failed for another reason; the failure-reason-code says which",
    "A catch-all: the TLS session could not be set up or validated for a reason not covered by "
    "the other types. Senders should say why in failure-reason-code.",
    "Protocol or cipher mismatch (an MX that only offers old TLS versions), handshake errors, "
    "timeouts during the handshake, unusual certificate problems (e.g. "
    "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: a missing intermediate).",
    CHECK_TLS "\nopenssl s_client -starttls smtp -connect MX:25 -servername MX -tls1_2 </dev/null",
    "Read the failure-reason-code, reproduce it with openssl s_client, and fix the TLS "
    "configuration of the MX (TLS 1.2 or later, a complete chain, modern ciphers)." },
  { "tlsa-invalid", "DANE policy", "the TLSA records do not match the MX certificate",
    "The sender found DNSSEC-signed TLSA records for the MX, but none of them matched the "
    "certificate (or key) the MX presented.",
    "The certificate or key was replaced (often by automatic renewal with a new key) without "
    "publishing the new TLSA record first; a TLSA record with a wrong usage, selector or "
    "matching type; records for port 25 missing on one MX.",
    "dig +dnssec +short TLSA _25._tcp.MX\n"
    "openssl s_client -starttls smtp -connect MX:25 -servername MX </dev/null 2>/dev/null | "
    "openssl x509 -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256\n"
    "# for \"3 1 1\" records the digest must equal the record's data",
    "Publish a TLSA record matching the current key, and on renewal publish the next key's "
    "record before switching (\"3 1 1\" with key reuse, or two records during a rollover)." },
  { "dnssec-invalid", "DANE policy", "DNSSEC validation failed for the MX's TLSA lookup",
    "The sender's resolver could not validate the DNSSEC chain for the TLSA records (or the MX "
    "address), so the DANE policy could not be used safely.",
    "Expired RRSIG signatures (the zone was not re-signed), a DS record in the parent that does "
    "not match the DNSKEY after a key rollover, broken NSEC/NSEC3 answers from the name "
    "servers.",
    "dig +dnssec TLSA _25._tcp.MX\ndelv TLSA _25._tcp.MX\n# or https://dnsviz.net/ for the "
    "whole chain",
    "Re-sign the zone, fix the DS record at the registrar after a key rollover, and monitor "
    "signature expiry." },
  { "dane-required", "DANE policy", "the sender required DANE but found no usable TLSA records",
    "The sending side was configured to require DANE for this destination, but no valid TLSA "
    "records were found, so it would not deliver.",
    "TLSA records removed while the sender still requires them; an unsigned zone; a "
    "destination that a sender pinned to DANE by local configuration.",
    "dig +dnssec +short TLSA _25._tcp.MX\ndig +dnssec +short MX DOMAIN",
    "Publish DNSSEC-signed TLSA records for every MX again, or ask the sender to drop its "
    "local DANE requirement." },
  { "sts-policy-fetch-error", "MTA-STS policy", "the sender could not fetch the MTA-STS policy",
    "The _mta-sts TXT record announced a policy, but fetching "
    "https://mta-sts.DOMAIN/.well-known/mta-sts.txt failed (DNS, connection, TLS, HTTP status or "
    "timeout).",
    "No mta-sts host in DNS or no web server behind it; a 404 or redirect (redirects are not "
    "allowed); the web server's certificate does not cover mta-sts.DOMAIN; timeouts.",
    "dig +short TXT _mta-sts.DOMAIN\ncurl -sv https://mta-sts.DOMAIN/.well-known/mta-sts.txt",
    "Serve the policy over HTTPS at that exact URL with a valid certificate for "
    "mta-sts.DOMAIN and status 200, without redirects; or remove the _mta-sts record if you "
    "no longer publish a policy." },
  { "sts-policy-invalid", "MTA-STS policy", "the fetched MTA-STS policy did not parse",
    "The policy file was fetched but is not a valid RFC 8461 policy.",
    "A missing version: STSv1 line, a bad mode or max_age, no mx lines, an HTML error page "
    "served with status 200, a wrong Content-Type (it must be text/plain).",
    "curl -s https://mta-sts.DOMAIN/.well-known/mta-sts.txt\n"
    "curl -sI https://mta-sts.DOMAIN/.well-known/mta-sts.txt   # Content-Type: text/plain",
    "Serve a plain-text policy with \"version: STSv1\", \"mode:\", one \"mx:\" line per MX "
    "pattern and \"max_age:\"; bump the id in the _mta-sts TXT record after changing it." },
  { "sts-webpki-invalid", "MTA-STS policy",
    "the certificate of the MTA-STS policy web server did not validate",
    "The HTTPS server at mta-sts.DOMAIN presented a certificate that failed WebPKI validation, "
    "so the policy could not be trusted.",
    "A certificate for another name (the web site's), expired, self-signed, or an incomplete "
    "chain on the policy host.",
    "curl -sv https://mta-sts.DOMAIN/.well-known/mta-sts.txt 2>&1 | grep -i -e subject -e "
    "expire -e verify\nopenssl s_client -connect mta-sts.DOMAIN:443 -servername mta-sts.DOMAIN "
    "</dev/null",
    "Install a publicly trusted certificate covering mta-sts.DOMAIN, with its full chain, on "
    "the policy web server." },
};

static const TrExplanation unknown = {
  NULL,
  "unknown",
  "a result type that RFC 8460 does not define; read the failure-reason-code",
  "The sender used a result type that is not in the RFC 8460 registry (a newer type, a typo, "
  "or a private extension). tlsrptdb stores and shows it as sent.",
  "Look at the failure-reason-code and additional-information of the failure details, and at "
  "the sender's documentation.",
  CHECK_TLS,
  "Treat it like validation-failure: reproduce the session with openssl s_client and fix what "
  "it shows; ask the sender what the type means if it stays unclear.",
};

/* tr_explain_lookup - the explanation of @result_type */
const TrExplanation *
tr_explain_lookup (const char *result_type)
{
  for (guint i = 0; result_type != NULL && i < G_N_ELEMENTS (explanations); i++)
    if (g_ascii_strcasecmp (result_type, explanations[i].result_type) == 0)
      return &explanations[i];
  return &unknown;
}

/* tr_explain_all - the known types */
const TrExplanation *
tr_explain_all (guint *n)
{
  *n = G_N_ELEMENTS (explanations);
  return explanations;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* tr_explain_notes - the short forms of @result_types as notes after a text listing */
void
tr_explain_notes (TrPrinter *printer, const char *const *result_types)
{
  g_autoptr (GPtrArray) sorted = g_ptr_array_new ();

  for (guint i = 0; result_types != NULL && result_types[i] != NULL; i++)
    g_ptr_array_add (sorted, (gpointer) result_types[i]);
  g_ptr_array_sort (sorted, compare_strings);
  for (guint i = 0; i < sorted->len; i++)
    {
      const char *type = g_ptr_array_index (sorted, i);
      g_autofree char *shown = tr_escape_text (type);
      g_autofree char *note
          = g_strdup_printf ("  %s: %s", shown, tr_explain_lookup (type)->short_form);

      if (i == 0)
        tr_printer_note (printer, "Result types (tlsrptdb explain TYPE tells more):");
      tr_printer_note (printer, note);
    }
}

/* distance - the edit distance of @a and @b (both short), at most @cap + 1 */
static guint
distance (const char *a, const char *b, guint cap)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  if (la > 64 || lb > 64)
    return cap + 1;
  for (gsize j = 0; j <= lb; j++)
    row[j] = (guint) j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = (guint) i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return MIN (row[lb], cap + 1);
}

/* tr_explain_suggest - the known type @result_type is probably a typo of, or NULL */
const char *
tr_explain_suggest (const char *result_type)
{
  const char *best = NULL;
  guint best_distance = 4; /* three edits at most */

  if (tr_explain_lookup (result_type)->result_type != NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (explanations); i++)
    {
      guint d = distance (result_type, explanations[i].result_type, best_distance);

      if (d < best_distance)
        {
          best_distance = d;
          best = explanations[i].result_type;
        }
    }
  return best;
}

/* is_plain_host - a host name that is safe to paste into a shell command */
static gboolean
is_plain_host (const char *name)
{
  if (name == NULL || *name == '\0' || *name == '-' || *name == '.' || strlen (name) > 253)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

/* replace_word - @text with the placeholder @word (a whole word) replaced by @value */
static char *
replace_word (const char *text, const char *word, const char *value)
{
  GString *s = g_string_new (NULL);
  gsize n = strlen (word);

  for (const char *p = text; *p != '\0';)
    {
      gboolean before = p == text || !(g_ascii_isalnum (p[-1]) || p[-1] == '_');

      if (before && strncmp (p, word, n) == 0 && !(g_ascii_isalnum (p[n]) || p[n] == '_'))
        {
          g_string_append (s, value);
          p += n;
        }
      else
        g_string_append_c (s, *p++);
    }
  return g_string_free (s, FALSE);
}

/* tr_explain_fill - @commands with MX and DOMAIN replaced by @mx and @domain, each only when it
 * is a plain host name (a name from a report is never pasted into a shell otherwise) */
char *
tr_explain_fill (const char *commands, const char *mx, const char *domain)
{
  g_autofree char *with_mx
      = is_plain_host (mx) ? replace_word (commands, "MX", mx) : g_strdup (commands);

  return is_plain_host (domain) ? replace_word (with_mx, "DOMAIN", domain)
                                : g_steal_pointer (&with_mx);
}
