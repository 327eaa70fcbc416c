#!/bin/sh
# test-summary.sh RESULTS SUITE...
# Counts the TAP result lines of every suite; a suite with no result file
# did not build or did not run, and counts as one failure.  The last line
# is "N passed, N failed"; the exit status is non-zero on any failure.
set -u
results=$1
shift
passed=0
failed=0
echo "== summary"
for suite in "$@"; do
	tap=$results/$suite.tap
	if [ ! -f "$tap" ]; then
		echo "   $suite: FAILED TO BUILD OR RUN"
		failed=$((failed + 1))
		continue
	fi
	p=$(grep -c '^ok' "$tap")
	f=$(grep -c '^not ok' "$tap")
	printf '   %-24s %4d passed %4d failed\n' "$suite" "$p" "$f"
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
