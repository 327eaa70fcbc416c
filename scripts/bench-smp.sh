#!/bin/sh
# bench-smp.sh OUT BOOTS CAPOS.iso TARGETS DOC LINUXBENCH NOTHING LIBCBENCH PRIMES
#
# The SMP scaling bench (docs/benchmarks.md, "SMP scaling"): boots capOS
# (CAPOS.iso with `test=init manifest=primes`, through scripts/qemu.sh)
# and Linux (PRIMES as /init of scripts/bench-linux.sh's initramfs, mode
# smpN) under multi-threaded TCG with -smp 1 and -smp 2 (BENCH_SMP_CPUS,
# default "1 2", the first of them the baseline), BOOTS times each.  The
# boots go round the configurations in turn (capOS -smp 1, Linux -smp 1,
# capOS -smp 2, Linux -smp 2, then again), so a change in the host's load
# falls on all of them alike.  Every boot runs the four runs of the primes
# programs (bench/capos/primes.c, bench/linux/primes.c): 1 and 2 child
# processes, 1 and 2 threads, each printing its prime count and wall time.
#
# Writes OUT/smp/{capos,linux}-smpN-K.log (K = 1..BOOTS), OUT/smp/results.txt
# (for each run and CPU count the median wall time of the BOOTS boots with
# [min-max], the speedup from the first CPU count to each other, and a
# verdict for each `speedup` line of TARGETS), and rewrites the "smp"
# region of DOC with it (scripts/bench-region.sh).
#
# Fails loudly, leaving DOC alone, when a boot does not end normally or
# lacks SMP_DONE, when any run reports SMP_ERROR (a worker failed, or the
# counts did not add up to the known prime count of the range), or when a
# run is missing from a transcript.  A speedup never fails it: a target
# missed is a verdict.
set -eu
[ $# -eq 9 ] || {
	echo "usage: bench-smp.sh OUT BOOTS CAPOS.iso TARGETS DOC" \
		"LINUXBENCH NOTHING LIBCBENCH PRIMES" >&2
	exit 2
}
out=$1
boots=$2
iso=$3
targets=$4
doc=$5
linuxbench=$6
nothing=$7
libcbench=$8
primes=$9
cpus=${BENCH_SMP_CPUS:-1 2}

dir=$out/smp
mkdir -p "$dir"
rm -f "$dir"/*.log "$dir/results.txt"
load0=$(cut -d' ' -f1-3 /proc/loadavg)

# ended LOG STATUS WHAT: the boot ended normally (33: every run passed;
# 35: one failed, kept for the report to show) and reached SMP_DONE.
ended() {
	if [ "$2" -ne 33 ] && [ "$2" -ne 35 ]; then
		echo "bench-smp: $3 ended with status $2; see $1" >&2
		exit 1
	fi
	grep -q 'SMP_DONE' "$1" || {
		echo "bench-smp: $1 lacks SMP_DONE ($3 did not finish)" >&2
		exit 1
	}
}

k=1
while [ "$k" -le "$boots" ]; do
	for n in $cpus; do
		log=$dir/capos-smp$n-$k.log
		echo "bench-smp: capos, -smp $n ($k of $boots)"
		status=0
		sh scripts/qemu.sh --iso "$iso" --smp "$n" \
			--args "test=init manifest=primes" --serial "$log" \
			--timeout 600 >/dev/null || status=$?
		ended "$log" "$status" "capos -smp $n"

		log=$dir/linux-smp$n-$k.log
		echo "bench-smp: linux, -smp $n ($k of $boots)"
		sh scripts/bench-linux.sh "$out" "smp$n" 1 "$linuxbench" \
			"$nothing" "$libcbench" "$primes" >/dev/null
		mv "$out/linux-smp$n-1.log" "$log"
	done
	k=$((k + 1))
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the table ------------------------------------------------------------------
# One line per run: "OS CPUS KIND WORKERS NS" or "OS CPUS err WHY...";
# serial lines may carry capOS's timestamp prefix and CRs.
for f in "$dir"/*.log; do
	base=${f##*/}
	os=${base%%-*}
	n=${base#*-smp}
	n=${n%%-*}
	sed -e 's/\r$//' -e 's/^\[[ 0-9.]*\] //' "$f" | awk -v os="$os" \
		-v n="$n" -v f="$f" '
		$1 == "SMP_RUN" { print os, n, $2, $3, $5 }
		$1 == "SMP_ERROR" { $1 = ""; print os, n, "err", f ":" $0 }'
done >"$dir/values.txt"

# The range and its count, as bench/primes.h defines them.
range=$(sed -n 's/^#define PRIMES_\(LO\|HI\|EXPECTED\)[[:space:]]*\([0-9]*\)u$/\2/p' \
	bench/primes.h | tr '\n' ' ')
kernel_pkg=$(cat "$out/linux/kernel-package.txt" 2>/dev/null || echo unknown)
qemu_version=$(qemu-system-x86_64 --version | head -n 1)

awk -v boots="$boots" -v cpus="$cpus" -v targets="$targets" \
	-v txt="$dir/results.txt" -v qemu="$qemu_version" -v kpkg="$kernel_pkg" \
	-v hostcpus="$(nproc)" -v load0="$load0" -v load1="$load1" \
	-v range="$range" '
$3 == "err" {
	$1 = $2 = $3 = ""
	sub(/^ +/, "")
	failed = failed "\n  " $0
	next
}
{
	k = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4
	ns[k]++
	v[k, ns[k]] = $5 / 1e6
}
# Median (the lower middle for an even count), min and max of key k.
function stats(k,    i, j, x, c) {
	c = ns[k]
	for (i = 2; i <= c; i++) {
		x = v[k, i]
		for (j = i; j > 1 && v[k, j - 1] > x; j--)
			v[k, j] = v[k, j - 1]
		v[k, j] = x
	}
	med[k] = v[k, int((c + 1) / 2)]
	lo[k] = v[k, 1]
	hi[k] = v[k, c]
}
function key(os, n, kind, w) {
	return os SUBSEP n SUBSEP kind SUBSEP w
}
function cell(k) {
	if (!(k in med))
		return "-"
	return sprintf("%.0f [%.0f-%.0f]", med[k], lo[k], hi[k])
}
function speedup(os, n, kind, w,    a, b) {
	a = key(os, c[1], kind, w)
	b = key(os, n, kind, w)
	if (!(a in med) || !(b in med) || med[b] == 0)
		return ""
	return med[a] / med[b]
}
END {
	nc = split(cpus, c, " ")
	split(range, r, " ")
	split("capos linux", oses, " ")
	split("procs threads", kinds, " ")
	kname["procs"] = "processes"
	kname["threads"] = "threads"
	osname["capos"] = "capOS"
	osname["linux"] = "Linux"
	# Every run of every configuration, once per boot.
	for (o = 1; o <= 2; o++)
		for (i = 1; i <= nc; i++)
			for (kk = 1; kk <= 2; kk++)
				for (w = 1; w <= 2; w++) {
					k = key(oses[o], c[i], kinds[kk], w)
					if (ns[k] != boots)
						failed = failed sprintf("\n  %s -smp %s, %s %d: %d of %d boots gave a time",
							oses[o], c[i], kinds[kk], w, ns[k] + 0, boots)
					if (ns[k])
						stats(k)
				}
	printf "- QEMU: %s; `-machine q35 -cpu max -m 256M -smp N " \
	       "-accel tcg,thread=multi` (wall time; no icount)\n", qemu > txt
	printf "- Linux: Debian package %s\n", kpkg > txt
	printf "- Workload: the primes in [%s, %s) by trial division, %s of " \
	       "them; every run counted exactly that many\n", r[1], r[2], r[3] > txt
	printf "- Wall milliseconds of a run, median [min-max] of %d boots " \
	       "per system and CPU count; speedup = the median at -smp %s / " \
	       "the median at -smp N\n", boots, c[1] > txt
	printf "- Host: %d CPUs, shared with other work (load average %s at " \
	       "the start, %s at the end)\n\n", hostcpus, load0, load1 > txt
	printf "| run |" > txt
	sep = "| --- |"
	for (o = 1; o <= 2; o++) {
		for (i = 1; i <= nc; i++) {
			printf " %s -smp %s, ms |", osname[oses[o]], c[i] > txt
			sep = sep " ---: |"
		}
		for (i = 2; i <= nc; i++) {
			printf " %s speedup %s→%s |", osname[oses[o]], c[1], c[i] > txt
			sep = sep " ---: |"
		}
	}
	printf "\n%s\n", sep > txt
	for (kk = 1; kk <= 2; kk++)
		for (w = 1; w <= 2; w++) {
			printf "| %s, %d worker%s |", kname[kinds[kk]], w,
			       (w > 1 ? "s" : "") > txt
			for (o = 1; o <= 2; o++) {
				for (i = 1; i <= nc; i++)
					printf " %s |", cell(key(oses[o], c[i], kinds[kk], w)) > txt
				for (i = 2; i <= nc; i++) {
					s = speedup(oses[o], c[i], kinds[kk], w)
					printf " %s |", (s == "" ? "-" : sprintf("%.2f", s)) > txt
				}
			}
			printf "\n" > txt
		}
	# The targets: speedup KIND FACTOR DESCRIPTION, met when capOS'"'"'s
	# speedup of KIND with 2 workers from the first CPU count to the
	# second is at least FACTOR times Linux'"'"'s.
	nt = 0
	while ((getline line < targets) > 0) {
		if (line !~ /^[ \t]*speedup[ \t]/)
			continue
		split(line, a, " ")
		desc = line
		sub(/^[ \t]*speedup[ \t]+[^ \t]+[ \t]+[^ \t]+[ \t]+/, "", desc)
		if ((a[2] != "procs" && a[2] != "threads") ||
		    a[3] !~ /^[0-9.]+$/ || desc == line || nc < 2) {
			failed = failed "\n  " targets ": cannot read: " line
			continue
		}
		if (!nt++) {
			printf "\nTargets (`bench/targets.txt`), judged on the " \
			       "2-worker medians, -smp %s→%s:\n\n", c[1], c[2] > txt
			printf "| target | capOS speedup | Linux speedup | verdict |\n" > txt
			printf "| --- | ---: | ---: | --- |\n" > txt
		}
		cs = speedup("capos", c[2], a[2], 2)
		ls = speedup("linux", c[2], a[2], 2)
		if (cs == "" || ls == "") {
			printf "| %s | - | - | no result |\n", desc > txt
			continue
		}
		printf "| %s | %.2f | %.2f | **%s** |\n", desc, cs, ls,
		       (cs >= a[3] * ls ? "met" : "missed") > txt
	}
	close(targets)
	close(txt)
	if (failed != "") {
		print "bench-smp: failed:" failed > "/dev/stderr"
		exit 1
	}
}' "$dir/values.txt" || failed=1

[ -s "$dir/results.txt" ] && cat "$dir/results.txt"
if [ "${failed:-0}" = 1 ]; then
	echo "bench-smp: FAILED; $doc left as it was" >&2
	exit 1
fi
echo "bench-smp: table in $dir/results.txt"
sh scripts/bench-region.sh "$doc" smp "$dir/results.txt"
