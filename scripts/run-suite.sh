#!/bin/sh
# run-suite.sh RESULTS NAME CMD [ARGS...]
#
# Runs one test suite whose output uses TAP lines ("ok N - name",
# "not ok N - name"), keeps the whole transcript in RESULTS/NAME.log and the
# TAP result lines in RESULTS/NAME.tap.  A suite that exits non-zero
# without reporting a failure, or reports no test at all, gets a failing
# line of its own, so a crash can never pass.  Always exits 0 so that the
# other suites still run; scripts/test-summary.sh does the counting.
set -u
results=$1
name=$2
shift 2
mkdir -p "$results"
log=$results/$name.log
tap=$results/$name.tap

echo "== suite $name"
"$@" >"$log" 2>&1
status=$?
grep -E '^(not )?ok ' "$log" | sed "s/^\(\(not \)\?ok\) [0-9]* *-\? */\1 - $name: /" >"$tap"

if [ "$status" -ne 0 ] && ! grep -q '^not ok' "$tap"; then
	echo "not ok - $name: exited with status $status" >>"$tap"
fi
if ! grep -q '^ok' "$tap" && ! grep -q '^not ok' "$tap"; then
	echo "not ok - $name: ran no test" >>"$tap"
fi
grep '^not ok' "$tap" | sed 's/^/   /'
if grep -q '^not ok' "$tap"; then
	echo "   (transcript: $log)"
fi
exit 0
