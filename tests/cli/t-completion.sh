# t-completion.sh - the bash and zsh completion scripts load, and complete a command, an option,
# an option's values and the domains of a database, through the program (help --complete)
# shellcheck shell=bash disable=SC2016 # the scripts below are for the shells they are given to
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
COMPLETION=$SRCDIR/completion
# the program as the shells find it: "tlsrptdb" on the PATH
mkdir -p "$TESTTMP/bin"
ln -s "$TLSRPTDB" "$TESTTMP/bin/tlsrptdb"
export PATH="$TESTTMP/bin:$PATH" COMPLETION
db=$(newdb)
ingest "$db" "$SAMPLES/google.eml"
ingest "$db" "$SAMPLES/mox.eml"
export DB=$db

# --- the program's answers -----------------------------------------------------------------------
words () { "$TLSRPTDB" help --complete "$@" | tr '\n' ' '; }
is "help --complete: the commands" "$(words '')" \
  "$("$TLSRPTDB" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' | tr '\n' ' ')--help --version "
is "help --complete: a subcommand" "$(words query s)" "summary "
is "help --complete: an option" "$(words query summary --res)" "--result-type "
is "help --complete: an option's values" "$(words query --by day,re)" "day,reporter day,result-type "
is "help --complete: --option=value" "$(words show --format=cs)" "--format=csv --format=csv-exact "
is "help --complete: a setting" "$(words config max-r)" "max-reports max-rejected-size max-rejected-requests "
is "help --complete: the domains of the database" "$(words query --db "$db" --domain '')" "example.com example.org sub.example.org "
is "help --complete: the reporters of the database" "$(words query --db="$db" summary --reporter '')" "google.example mail.example.net "
is "help --complete: a path is the shell's" "$(words import --db '')" ""
is "help --complete: an unknown command, nothing" "$(words frobnicate --x)" ""

# --- bash ------------------------------------------------------------------------------------------
# bash_comp LINE CURRENT-WORD : COMPREPLY for LINE as typed, the cursor at its end
bash_comp () {
  bash -c '. "$COMPLETION/tlsrptdb.bash" || exit 1
    COMP_LINE=$1 COMP_POINT=${#1} COMP_WORDS=(x "$2") COMP_CWORD=1
    _tlsrptdb; printf "%s " "${COMPREPLY[@]}"' bash "$1" "$2"
}
is "bash: the script registers" "$(bash -c '. "$COMPLETION/tlsrptdb.bash" && complete -p tlsrptdb')" \
  "complete -o default -F _tlsrptdb tlsrptdb"
is "bash: a command" "$(bash_comp 'tlsrptdb qu' qu)" "query "
is "bash: an option" "$(bash_comp 'tlsrptdb query --for' --for)" "--format "
is "bash: its values" "$(bash_comp 'tlsrptdb query --format ' '')" "text json csv csv-exact "
is "bash: a value after = (bash completes the part after it)" "$(bash_comp 'tlsrptdb query --format=cs' cs)" "csv csv-exact "
is "bash: right after =" "$(bash_comp 'tlsrptdb query --format=' =)" "=text =json =csv =csv-exact "
is "bash: the domains of the database" "$(bash_comp "tlsrptdb query --db $db --domain ex" ex)" "example.com example.org "

# --- zsh ---------------------------------------------------------------------------------------------
if command -v zsh >/dev/null; then
  # zsh_comp WORD... : what _tlsrptdb offers for the last WORD (compadd and _files stand in)
  zsh_comp () {
    zsh -f -c 'fpath=("$COMPLETION" $fpath); autoload -Uz _tlsrptdb || exit 1
      compadd () { shift $(( ${@[(i)--]} )); print -rn -- "$* " }
      _files () { print -rn -- "(files) " }
      compset () { : }
      words=("$@") CURRENT=$# PREFIX=${@[-1]}
      _tlsrptdb' zsh "$@"
  }
  is "zsh: the script loads" "$(zsh -f -c 'fpath=("$COMPLETION" $fpath); autoload -Uz +X _tlsrptdb && echo loaded')" loaded
  is "zsh: a command" "$(zsh_comp tlsrptdb qu)" "query "
  is "zsh: an option" "$(zsh_comp tlsrptdb query --for)" "--format "
  is "zsh: its values" "$(zsh_comp tlsrptdb query --format '')" "text json csv csv-exact "
  is "zsh: --option=value" "$(zsh_comp tlsrptdb query --format=cs)" "--format=csv --format=csv-exact "
  is "zsh: the domains of the database" "$(zsh_comp tlsrptdb query --db "$db" --domain ex)" "example.com example.org "
  is "zsh: a path: file names" "$(zsh_comp tlsrptdb import --db '')" "(files) "
else
  echo "# no zsh: its completion is not tested (contrib/test.sh installs it)"
fi

done_testing
