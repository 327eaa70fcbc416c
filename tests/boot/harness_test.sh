#!/bin/bash
# The harness's own checks: fake transcripts that the declared-checks rule
# (lib.sh) must call a pass or a failure.  A check that disappears from a
# program, one printed twice, or one nobody declared fails a QEMU suite;
# this shows it without booting anything.  Prints TAP.
set -u
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$work/logs
mkdir -p "$out" "$work/expected"
n=0
. "$here/lib.sh"

printf 'a.first\na.second\nb.third\n' >"$work/expected/run.checks"

# transcript LINES...: the fake run's serial output.
transcript() {
	printf '%s\n' "$@" >"$out/run.log"
}

# want OK|FAIL DESCRIPTION: what declared_run says of the fake run.
want() {
	local got
	got=$(n=0; declared_run run "$work/expected/run.checks")
	case $1:$got in
	OK:"ok "*|FAIL:"not ok "*) tap OK "harness: $2" ;;
	*) tap FAIL "harness: $2" "declared_run said: $got" ;;
	esac
}

transcript '[ 0.1] KTEST ok a.first' '[ 0.2] KTEST ok a.second' \
	'[ 0.3] KTEST ok b.third' '[ 0.4] KTEST done: 3 checks, 0 failed'
want OK "every declared check reported once passes"
transcript '[ 0.1] KTEST ok a.first' '[ 0.2] KTEST not ok a.second: why' \
	'[ 0.3] KTEST ok b.third'
want OK "a failing check still counts as reported (ktest_lines fails it)"
transcript '[ 0.1] KTEST ok a.first' '[ 0.3] KTEST ok b.third'
want FAIL "a declared check that never reports fails"
transcript '[ 0.1] KTEST ok a.first' '[ 0.2] KTEST ok a.second' \
	'[ 0.2] KTEST ok a.second' '[ 0.3] KTEST ok b.third'
want FAIL "a check reported twice fails"
transcript '[ 0.1] KTEST ok a.first' '[ 0.2] KTEST ok a.second' \
	'[ 0.3] KTEST ok b.third' '[ 0.4] KTEST ok c.surprise'
want FAIL "a check nobody declared fails"
transcript 'no checks at all'
want FAIL "a run that reports nothing fails"
rm -f "$out/run.log"
want FAIL "a missing transcript fails"
printf 'b.third\na.first\na.second\n' >"$work/expected/run.checks"
transcript '[ 0.1] KTEST ok a.first' '[ 0.2] KTEST ok a.second' \
	'[ 0.3] KTEST ok b.third'
want FAIL "an unsorted declaration fails"

# A run reporting checks without any declaration.
rm -f "$work/expected/run.checks"
got=$(n=0; declared "$work/expected")
case $got in
*"not ok "*"no "*) tap OK "harness: checks without a declaration fail" ;;
*) tap FAIL "harness: checks without a declaration fail" "declared said: $got" ;;
esac

echo "1..$n"
