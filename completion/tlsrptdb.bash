# tlsrptdb.bash - bash completion for tlsrptdb
#
# The program itself says what fits ("tlsrptdb help --complete WORD..."): its commands, each
# command's options, their values, and the domains and reporters of the database, so that this
# file keeps no list that could drift.  When it offers nothing, bash completes file names.
# Installed as bash-completion/completions/tlsrptdb; or: source this file.

_tlsrptdb () {
  local line=${COMP_LINE:0:COMP_POINT} cur=${COMP_WORDS[COMP_CWORD]} word before c
  local -a words candidates
  read -r -a words <<<"$line"
  if [[ -z $line || $line == *[[:space:]] ]]; then words+=(""); fi
  ((${#words[@]} > 1)) || return 0
  mapfile -t candidates < <("${words[0]}" help --complete "${words[@]:1}" 2>/dev/null)
  # bash splits words at "=" (COMP_WORDBREAKS): of "--db=x" it replaces only "x", or "=" itself
  word=${words[${#words[@]} - 1]}
  before=${word%"$cur"}
  COMPREPLY=()
  for c in "${candidates[@]}"; do
    [[ $c == "$before"* ]] && COMPREPLY+=("${c#"$before"}")
  done
  return 0
}
complete -o default -F _tlsrptdb tlsrptdb
