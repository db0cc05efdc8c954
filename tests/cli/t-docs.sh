# t-docs.sh - the manual pages match the program: one page per command, installed, named by
# "help COMMAND", documenting every option the command takes; the pages are valid mdoc
# shellcheck shell=bash
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
DOC=$SRCDIR/doc

# the commands, as "tlsrptdb --help" lists them (help itself aside)
commands=$("$TLSRPTDB" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' | grep -vx help)
[ -n "$commands" ] || fail "tlsrptdb --help lists commands"
for c in $commands; do
  page=$DOC/tlsrptdb-$c.1
  if [ ! -f "$page" ]; then fail "$c: has a page, doc/tlsrptdb-$c.1"; continue; fi
  pass "$c: has a page, doc/tlsrptdb-$c.1"
  grep -q "'tlsrptdb-$c.1'" "$DOC/meson.build" && pass "$c: meson installs its page" \
    || fail "$c: meson installs its page (doc/meson.build)"
  grep -q "^\.Xr tlsrptdb-$c 1\$" "$DOC/tlsrptdb.1" && pass "$c: tlsrptdb(1) points to its page" \
    || fail "$c: tlsrptdb(1) points to its page (COMMANDS)"
  is "$c: its page is named for it" "$(sed -n 's/^\.Dt \([^ ]*\) 1$/\1/p; s/^\.Nm \(tlsrptdb-[a-z-]*\)$/\1/p' "$page" | tr '\n' ' ')" \
    "TLSRPTDB-$(echo "$c" | tr '[:lower:]' '[:upper:]') tlsrptdb-$c "
  "$TLSRPTDB" help "$c" >"$TESTTMP/help" 2>&1
  is "$c: help $c names its page" "$(tail -n 1 "$TESTTMP/help")" "The manual: tlsrptdb-$c(1) (man tlsrptdb-$c)."
  # every long option (but --help) is documented on the page: \-name in an Fl macro's line
  missing=
  for o in $(sed -n 's/^  \(-[a-zA-Z], \)\{0,1\}--\([a-z][a-z-]*\).*/\2/p' "$TESTTMP/help" | grep -vx help); do
    F=" \\-${o//-/\\-}" awk 'BEGIN { f = ENVIRON["F"] } { l = $0 " " }
      /Fl / && (index(l, f " ") || index(l, f ",")) { found = 1 } END { exit !found }' "$page" || missing="$missing --$o"
  done
  is "$c: its page documents every option" "$missing" ""
done
is "no page for a command that does not exist" \
  "$(cd "$DOC" && for p in tlsrptdb-*.1; do n=${p#tlsrptdb-}; n=${n%.1}; printf '%s\n' "$commands" | grep -qx "$n" || echo "$p"; done)" ""
is "meson installs every page" "$(cd "$DOC" && for p in *.1; do grep -q "'$p'" meson.build || echo "$p"; done)" ""

# valid mdoc, without warnings (mandoc's lint, else groff's)
for p in "$DOC"/*.1; do
  if command -v mandoc >/dev/null; then
    is "$(basename "$p"): mandoc -Tlint" "$(mandoc -Tlint -W warning "$p" 2>&1)" ""
  elif command -v groff >/dev/null; then
    is "$(basename "$p"): groff -ww" "$(groff -mandoc -Tutf8 -ww -z "$p" 2>&1)" ""
  fi
done

# what the pages and the README once said that is no longer true
is "nothing is 'not written yet' or 'still to come'" \
  "$(grep -ln 'not written yet\|still to come\|is not written' "$DOC"/*.1 "$DOC"/design.md "$SRCDIR/README.md")" ""
is "no page claims database files of mode 0600" "$(grep -ln '0600' "$DOC"/*.1)" ""

done_testing
