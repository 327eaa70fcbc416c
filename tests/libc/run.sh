#!/bin/bash
# The differential suite of the C library: every program of tests/libc
# runs on Linux (built against Debian's musl) and on capOS (built by
# capos-cc against the capability-backed musl), and the two standard
# outputs must be identical byte for byte.  Prints TAP.
#
#   run.sh LINUX_DIR [--capos ISO CAPOS_DIR] NAME...
#
# LINUX_DIR holds the Linux executables; each runs natively, its output
# kept as LINUX_DIR/NAME.out.  With --capos, each program also boots on
# capOS as the boot module libc_NAME (test=user run=libc_NAME); the
# serial transcript is CAPOS_DIR/NAME.log and the program's output,
# taken out of it, CAPOS_DIR/NAME.out.
set -u
here=$(cd "$(dirname "$0")" && pwd)
qemu="$here/../../scripts/qemu.sh"
linux=$1
shift
iso= capos=
if [ "${1:-}" = --capos ]; then
	iso=$2
	capos=$3
	shift 3
fi
TIMEOUT=${LIBC_TIMEOUT:-120}
n=0

# tap, shared with the QEMU suites.
. "$here/../boot/lib.sh"

# run_linux NAME: runs the program with an empty environment, as a
# capOS program starts; prints its exit status.
run_linux() {
	local status=0
	(cd "$linux" && env -i "./$1" >"$1.out" 2>"$1.err") || status=$?
	echo "$status"
}

# capos_output LOG PROGRAM: what PROGRAM wrote to its Console, from a
# serial transcript.  Every line on the serial port starts with the
# kernel's "[ seconds.micros] " stamp, the program's lines as well as the
# kernel's, so the program's are told apart by where they are: after the
# kernel's "started PROGRAM as process P" and before its "process P
# (PROGRAM) exited ..." (or "killed ...") line, or, after a clean exit
# (which is no console line, only a log record), before the kernel's
# "capOS: every process has exited" or the supervisor's "program
# PROGRAM: exit code"; the C library flushes stdout before the exit.
# A kernel line printed in between would show up as a difference.
capos_output() {
	sed 's/\x1b\[[0-9;]*[A-Za-z]//g; s/\r$//' "$1" | awk -v prog="$2" '
		{ line = $0; sub(/^\[ *[0-9]+\.[0-9]+\] /, "", line) }
		!inside && line ~ "^started " prog " as process [0-9]+$" {
			pid = line; sub(/.* as process /, "", pid)
			inside = 1; next
		}
		inside && (index(line, "process " pid " (" prog ") ") == 1 ||
		           index(line, "capOS: every process has exited") == 1 ||
		           index(line, "program " prog ": exit code ") == 1) {
			exit
		}
		inside { print line }'
}

# capos_status LOG PROGRAM: the exit code the supervisor reported.
capos_status() {
	sed -n "s/.*\] program $2: exit code \(-\?[0-9]*\).*/\1/p" "$1" | tail -n 1
}

for name in "$@"; do
	status=$(run_linux "$name")
	if [ "$status" -eq 0 ]; then
		tap OK "$name: exit status 0 on Linux"
	else
		tap FAIL "$name: exit status 0 on Linux" "status $status $(grep -m1 FAIL "$linux/$name.out")"
	fi
	[ -n "$iso" ] || continue

	log=$capos/$name.log
	rm -f "$log" "$capos/$name.out"
	qstatus=0
	sh "$qemu" --iso "$iso" --timeout "$TIMEOUT" \
		--args "test=user run=libc_$name" --serial "$log" \
		>"$capos/$name.qemu.log" 2>&1 || qstatus=$?
	capos_output "$log" "libc_$name" >"$capos/$name.out"
	code=$(capos_status "$log" "libc_$name")
	if [ "$code" = 0 ]; then
		tap OK "$name: exit status 0 on capOS"
	else
		tap FAIL "$name: exit status 0 on capOS" "${code:-no exit code} (QEMU status $qstatus) $(grep -m1 FAIL "$capos/$name.out")"
	fi
	if [ "$qstatus" -eq 33 ]; then
		tap OK "$name: capOS supervisor passed (no leak, every SQE completed)"
	else
		tap FAIL "$name: capOS supervisor passed (no leak, every SQE completed)" \
			"QEMU status $qstatus $(grep -m1 -E 'KTEST not ok|PANIC' "$log")"
	fi
	if cmp -s "$linux/$name.out" "$capos/$name.out"; then
		tap OK "$name: Linux and capOS outputs are identical"
	else
		tap FAIL "$name: Linux and capOS outputs are identical" \
			"$(diff "$linux/$name.out" "$capos/$name.out" | sed -n '2,5p' | tr '\n' '|')"
	fi
done
echo "1..$n"
