#!/bin/sh
# make soak: one boot under instruction counting runs soak_long as init
# (10,000 spawn+exit cycles, 1,000,000 IPC round trips, spawn storms past
# the limits); the kernel's supervisor prints every ledger before and
# after and fails the run unless they are equal.
#
#   soak.sh ISO OUTDIR
set -u
iso=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
log=$out/soak.log
status=0
start=$(date +%s)
sh "$here/qemu.sh" --iso "$iso" --icount --timeout "${SOAK_TIMEOUT:-5400}" \
	--serial "$log" --args "test=init manifest=soak_long irqtrace" \
	>"$out/soak.qemu.log" 2>&1 || status=$?
sed -i 's/\x1b\[[0-9;]*[A-Za-z]//g; s/\r//g' "$log"
grep -E 'soak:|ledgers|completions:|KTEST' "$log"
echo "soak: $(($(date +%s) - start)) s wall time; transcript $log"
# The bound on a cap_enter stretch with interrupts off (docs/abi.md); the
# TSC counts instructions under --icount.
bound=${IRQ_OFF_BOUND:-5000}
longest=$(sed -n 's/.*interrupts off: \([0-9]*\) TSC cycles.*/\1/p' "$log" | tail -n 1)
if [ -z "$longest" ] || [ "$longest" -gt "$bound" ]; then
	echo "soak: FAILED (longest stretch with interrupts off: ${longest:-none}, bound $bound instructions)"
	exit 1
fi
echo "soak: longest stretch with interrupts off $longest instructions (bound $bound)"
if [ "$status" -ne 33 ]; then
	echo "soak: FAILED (QEMU exit status $status; 33 is a pass)"
	exit 1
fi
echo "soak: passed, every ledger back at its baseline"
