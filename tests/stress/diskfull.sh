#!/bin/bash
# diskfull.sh [TLSRPTDB] - ingest into a database on a full filesystem (a 4 MiB tmpfs)
#
# The disk fills up (1) before the database exists, (2) under an existing database, (3) while
# the WAL is long.  Each time: exit 75 with one line on stderr, nothing partial
# (integrity_check ok, the report absent), and once space is freed the redelivery stores it,
# once.  Needs root to mount the tmpfs: skips otherwise.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then skip_all "not root: cannot mount a tmpfs"; fi
mnt=$TESTTMP/small
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=4m,mode=0755 tlsrptdb-diskfull "$mnt" 2>"$TESTTMP/mount.err"; then
  skip_all "cannot mount a tmpfs: $(cat "$TESTTMP/mount.err")"
fi
trap 'umount "$mnt" 2>/dev/null; rm -rf "$TESTTMP"' EXIT
db=$mnt/db/reports.db

# fill : take every free block of the filesystem
fill () {
  dd if=/dev/zero of="$mnt/filler" bs=64k 2>/dev/null
  dd if=/dev/zero of="$mnt/filler2" bs=1k 2>/dev/null
  dd if=/dev/zero of="$mnt/filler3" bs=1 count=4096 2>/dev/null
  :
}
unfill () { rm -f "$mnt"/filler*; }
# present DB ID : how many reports ID has (0 also when the schema was never written)
present () {
  if [ "$(sql "$1" "SELECT count(*) FROM sqlite_master WHERE name = 'reports'")" = 0 ]; then echo 0
  else sql "$1" "SELECT count(*) FROM reports WHERE report_id = '$2'"; fi
}
# expect_full DESC FILE ID : ingest on the full disk exits 75, one line, nothing partial;
# after freeing, the redelivery stores report ID once
expect_full () {
  ingest "$db" "$2"
  is "$1: exit 75" "$status" 75
  is "$1: one line on stderr" "$(printf '%s\n' "$err" | grep -c .)" 1
  echo "#   stderr: $err"
  unfill
  if [ -f "$db" ]; then # looked at once there is room to open it again
    is "$1: integrity_check" "$(integrity "$db")" ok
    is "$1: report absent" "$(present "$db" "$3")" 0
  fi
  ingest "$db" "$2"
  is "$1: after freeing space, redelivery exits 0" "$status" 0
  is "$1: stored once, whole" "$(sql "$db" "SELECT count(*), sum(deliveries) FROM reports WHERE report_id = '$3'") $(sql "$db" "SELECT count(*) FROM failures f JOIN policies p ON f.policy_ref = p.id JOIN reports r ON p.report_ref = r.id WHERE r.report_id = '$3'")" "1|1 $4"
  is "$1: integrity_check after redelivery" "$(integrity "$db")" ok
}

# (1) no database yet
fill
report_failures full-1 10 >"$TESTTMP/r1.json"
expect_full "new database on a full disk" "$TESTTMP/r1.json" full-1 10

# (2) an existing database, a large new report
report_failures full-2 3000 >"$TESTTMP/r2.json"
mail_gzip full-2 "$TESTTMP/r2.json" >"$TESTTMP/r2.eml"
"$TLSRPTDB" ingest --db "$db" <"$SAMPLES/google.eml" # the last to close: it leaves -wal and -shm
fill
expect_full "large report, full disk" "$TESTTMP/r2.eml" full-2 3000

# (3) the disk fills up as reports come in: 400 KiB free, reports of 300 failure-details each
fill
unfill
free_kb=$(df -k --output=avail "$mnt" | tail -1)
dd if=/dev/zero of="$mnt/filler" bs=1k count=$((free_kb - 400)) 2>/dev/null
n=0 first75=
while [ "$n" -lt 200 ]; do
  n=$((n + 1))
  report_failures "fill-$n" 300 >"$TESTTMP/f.json"
  ingest "$db" "$TESTTMP/f.json"
  [ "$status" = 0 ] || { first75=$n; break; }
done
is "filling up: the first failure is exit 75 (after $n reports)" "${status}" 75
echo "#   stderr: $err"
unfill
is "filling up: integrity_check" "$(integrity "$db")" ok
is "filling up: the failed report absent" "$(present "$db" "fill-${first75:-x}")" 0
is "filling up: the others whole" "$(sql "$db" "SELECT count(*) FROM reports r WHERE report_id LIKE 'fill-%' AND (SELECT count(*) FROM failures f JOIN policies p ON f.policy_ref = p.id WHERE p.report_ref = r.id) != 300")" 0
ingest "$db" "$TESTTMP/f.json"
is "filling up: redelivery after freeing space stores it" "$status $(sql "$db" "SELECT count(*) FROM reports WHERE report_id = 'fill-${first75:-x}'")" "0 1"
is "filling up: integrity_check after redelivery" "$(integrity "$db")" ok
done_testing
