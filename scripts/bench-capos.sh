#!/bin/sh
# bench-capos.sh OUT MODE BENCH.iso PROBE.iso
#
# Boots the capOS benchmark image (ringbench as init of the bench
# manifest, under the test supervisor so its exit ends QEMU) and then the entry probe
# image, through scripts/qemu.sh.  MODE is icount (deterministic
# instruction counting) or tcg (plain TCG, wall time).  Transcripts:
# OUT/capos-MODE.log and OUT/capos-probe-MODE.log.  Fails when a boot does
# not end with the pass status or a transcript has no results.
set -eu
out=$1
mode=$2
iso=$3
probe=$4

case $mode in
icount) flags=--icount ;;
tcg) flags= ;;
*) echo "bench-capos: unknown mode $mode" >&2; exit 2 ;;
esac
mkdir -p "$out"

# boot NAME ISO ARGS: one boot, its transcript in OUT/NAME-MODE.log.
boot() {
	log=$out/$1-$mode.log
	rm -f "$log"
	echo "bench: booting $1 ($mode)"
	status=0
	# shellcheck disable=SC2086
	sh scripts/qemu.sh --iso "$2" $flags --args "$3" --serial "$log" \
		--timeout 600 || status=$?
	if [ "$status" -ne 33 ]; then
		echo "bench: $1 ($mode) ended with status $status, not 33;" \
			"see $log" >&2
		exit 1
	fi
}

boot capos "$iso" "test=init manifest=bench"
if ! grep -q 'BENCH_DONE' "$out/capos-$mode.log" ||
	grep -q 'BENCH_ERROR' "$out/capos-$mode.log"; then
	echo "bench: $out/capos-$mode.log has no complete results" >&2
	exit 1
fi
# The default system (init and the manifest's services), for the boot to
# "every service started" figure.
boot capos-default "$iso" "test=init"
grep -q 'services started (tsc' "$out/capos-default-$mode.log" || {
	echo "bench: $out/capos-default-$mode.log lacks init's start line" >&2
	exit 1
}
boot capos-probe "$probe" ""
grep -q 'BENCH_PROBE entry_tsc' "$out/capos-probe-$mode.log" || {
	echo "bench: $out/capos-probe-$mode.log has no entry TSC" >&2
	exit 1
}
