#!/bin/sh
# make expected: writes the declared checks of every QEMU run
# (tests/boot/expected/SUITE/RUN.checks) from the transcripts of the last
# `make test`.  Run it only after a deliberate change to the checks, and
# read the diff: a check that disappears from a declaration is a test
# that no longer runs.
#
#   update-expected.sh BUILD
set -eu
build=$1
for pair in boot:boot-test services:services-test lua:lua-test smp:smp-test; do
	suite=${pair%%:*}
	dir=$build/${pair#*:}
	dest=tests/boot/expected/$suite
	mkdir -p "$dest"
	rm -f "$dest"/*.checks
	for log in "$dir"/*.log; do
		name=$(basename "$log" .log)
		case $name in *.qemu) continue ;; esac
		grep -Eq 'KTEST (ok|not ok) ' "$log" || continue
		sed -n 's/.*KTEST \(ok\|not ok\) \([^: ]*\).*/\2/p' "$log" |
			LC_ALL=C sort >"$dest/$name.checks"
	done
	echo "update-expected: $(ls "$dest" | wc -l) runs of suite $suite in $dest"
done
