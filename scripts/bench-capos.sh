#!/bin/sh
# bench-capos.sh OUT MODE BOOTS BENCH.iso
#
# Boots the capOS benchmark image BOOTS times with ringbench as init of
# the bench manifest (under the test supervisor, so its exit ends QEMU),
# then BOOTS times with the default system (until it has started every
# service: it runs its shell from then on), through scripts/qemu.sh.
# MODE is icount (deterministic instruction counting) or tcg (plain TCG,
# wall time).  Transcripts: OUT/capos-MODE-N.log and
# OUT/capos-default-MODE-N.log, N = 1..BOOTS.  Every boot is a whole
# benchmark run; the report takes the per-operation rows from the first
# and the boot rows from all of them.
#
# Fails when a boot does not end normally or a transcript lacks what the
# report reads.  A benchmark boot that ran to its end (BENCH_DONE) with a
# failed row (BENCH_ERROR; ringbench then exits with 1) is kept: the
# report shows the error and fails.
set -eu
out=$1
mode=$2
boots=$3
iso=$4

case $mode in
icount) flags=--icount ;;
tcg) flags= ;;
*) echo "bench-capos: unknown mode $mode" >&2; exit 2 ;;
esac
mkdir -p "$out"

# boot LOG ARGS: one boot, its transcript in LOG; prints QEMU's status.
boot() {
	rm -f "$1"
	status=0
	# shellcheck disable=SC2086
	sh scripts/qemu.sh --iso "$iso" $flags --args "$2" --serial "$1" \
		--timeout 600 >/dev/null || status=$?
	echo "$status"
}

# boot_until LOG ARGS PATTERN: a boot of a system that does not end by
# itself (the default system runs its shell until someone types
# `shutdown`): once the transcript has a line matching PATTERN, QEMU is
# stopped.  Prints "started" then, or QEMU's status when it ended first.
boot_until() {
	rm -f "$1"
	# shellcheck disable=SC2086
	setsid sh scripts/qemu.sh --iso "$iso" $flags --args "$2" \
		--serial "$1" --timeout 600 >/dev/null 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if grep -q "$3" "$1" 2>/dev/null; then
			kill -- "-$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
			echo started
			return
		fi
		sleep 1
	done
	status=0
	wait "$pid" || status=$?
	echo "$status"
}

# has LOG WHAT PATTERN: the transcript has a line matching PATTERN.
has() {
	grep -q "$3" "$1" || {
		echo "bench: $1 lacks $2" >&2
		exit 1
	}
}

n=1
while [ "$n" -le "$boots" ]; do
	log=$out/capos-$mode-$n.log
	echo "bench: booting capos, benchmarks ($mode, $n of $boots)"
	status=$(boot "$log" "test=init manifest=bench")
	# 33: init exited with 0; 35: with 1 (a BENCH_ERROR).
	if [ "$status" -ne 33 ] && [ "$status" -ne 35 ]; then
		echo "bench: capos ($mode) ended with status $status;" \
			"see $log" >&2
		exit 1
	fi
	has "$log" "BENCH_DONE (ringbench did not finish)" 'BENCH_DONE'
	has "$log" "the kernel's entry TSC" 'boot: kernel entry tsc [0-9]'

	log=$out/capos-default-$mode-$n.log
	echo "bench: booting capos, default system ($mode, $n of $boots)"
	status=$(boot_until "$log" "test=init" 'services started (tsc [0-9]')
	if [ "$status" != started ]; then
		echo "bench: capos-default ($mode) ended with status" \
			"$status before every service started; see $log" >&2
		exit 1
	fi
	has "$log" "the kernel's entry TSC" 'boot: kernel entry tsc [0-9]'
	has "$log" "init's start line" 'services started (tsc [0-9]'
	n=$((n + 1))
done
