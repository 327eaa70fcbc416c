#!/bin/bash
# The SMP suite: boots the stress manifest (smpstress as init,
# tests/boot/manifests/smpstress.capnp) with 1, 2 and 4 CPUs and judges
# each boot by its exit status and transcript, as run.sh does.  Prints
# TAP.  docs/testing.md, "The SMP matrix".
#
#   smp.sh ISO OUTDIR
#       the suite smp of `make test`: runs smp1, smp2, smp4
#   smp.sh --stress ISO OUTDIR BOOTS CPUS
#       `make stress-smp`: BOOTS boots of the long version
#       (smpstress_long) with CPUS CPUs, stopping at the first failure
#       with its transcript
#
# Exit statuses (isa-debug-exit): 33 pass, 35 fail, 37 panic; 124 is our
# timeout.  More than one CPU runs QEMU's multi-threaded TCG
# (scripts/qemu.sh), so the guest's CPUs really run at once on the host.
set -u
stress=
if [ "${1:-}" = --stress ]; then
	stress=1
	shift
fi
iso=$1
out=$2
# Old transcripts go first: a run dropped from this file must not pass on
# what an earlier run left.
rm -rf "$out"
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
qemu="$here/../../scripts/qemu.sh"

# A boot at -smp 4 takes well under a minute on a loaded two-core host;
# the long version about ten times as long.
TIMEOUT=${SMP_TIMEOUT:-120}
n=0

. "$here/lib.sh"

# stress_run NAME CPUS MANIFEST: one boot of MANIFEST's stress program as
# init with CPUS CPUs; every KTEST line becomes a TAP line.
stress_run() {
	local name=$1 cpus=$2 manifest=$3
	qemu_run "$name" 33 "$TIMEOUT" --iso "$iso" --smp "$cpus" \
		--args "test=init manifest=$manifest"
	ktest_lines "$name" ""
	refuse "$name" 'PANIC' "no panic"
	expect "$name" '^\[.*\] acpi: MADT: '"$cpus"' CPUs?, ' \
		"the firmware lists $cpus CPUs"
	expect "$name" '\] smpstress: baseline: [1-9][0-9]* free cap slots, [1-9][0-9]* threads' \
		"the ledgers' baseline was taken"
	expect "$name" '\] smpstress: 0 failures$' "every stress case passed"
	expect "$name" 'KTEST done: [0-9]+ checks, 0 failed' \
		"supervisor: init exited 0, every ledger back"
}

if [ -z "$stress" ]; then
	for cpus in 1 2 4; do
		stress_run "smp$cpus" "$cpus" smpstress
	done
	# --- every run reports exactly the checks it declares ------------
	declared "$here/expected/smp"
	echo "1..$n"
	exit 0
fi

# --- make stress-smp: repeated long boots, stop at the first failure ----
boots=$3
cpus=$4
start=$(date +%s)
for i in $(seq 1 "$boots"); do
	name=stress$i
	t0=$(date +%s)
	stress_run "$name" "$cpus" smpstress_long >"$out/$name.tap"
	if grep -q '^not ok' "$out/$name.tap"; then
		echo "stress-smp: boot $i of $boots (-smp $cpus) FAILED after $(($(date +%s) - t0)) s:"
		grep '^not ok' "$out/$name.tap"
		echo "--- transcript $out/$name.log (last 40 lines):"
		tail -n 40 "$out/$name.log"
		exit 1
	fi
	echo "stress-smp: boot $i of $boots (-smp $cpus) passed in $(($(date +%s) - t0)) s: $(grep -Eo 'KTEST done: [0-9]+ checks' "$out/$name.log")"
done
echo "stress-smp: $boots boots at -smp $cpus passed in $(($(date +%s) - start)) s; transcripts in $out"
