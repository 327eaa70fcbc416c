#!/bin/sh
# The manifest suite (TAP):
#
#   run.sh TEST CASES_DIR UNENCODABLE_DIR SCHEMA_DIR TOOL HOSTILE.bin...
#
# Runs the lib/manifest unit tests (cmocka), then checks that the
# build-time tool refuses every deliberately hostile system manifest
# (system/tests/hostile/) with init's message, as init does in the guest.
set -u
test=$1 cases=$2 unencodable=$3 schema=$4 tool=$5
shift 5
status=0
CMOCKA_MESSAGE_OUTPUT=TAP "$test" "$cases" "$unencodable" "$schema" || status=1
n=0
for bin in "$@"; do
	n=$((n + 1))
	name=$(basename "$bin" .manifest.bin)
	if out=$("$tool" "$bin" 2>&1); then
		echo "not ok $n - tool refuses $name: accepted"
		status=1
	elif printf '%s\n' "$out" | grep -q 'manifest refused: service "'; then
		echo "ok $n - tool refuses $name: ${out#*manifest refused: }"
	else
		echo "not ok $n - tool refuses $name: $out"
		status=1
	fi
done
exit $status
