#!/bin/sh
# bench-report.sh OUT MODE...
#
# Collects the BENCH lines of the transcripts make bench left in OUT
# (capos-MODE.log, capos-probe-MODE.log, linux-MODE.log,
# linux-probe-MODE.log; MODE icount, and tcg when that pass ran) and
# writes:
#   OUT/results.txt   the table: operation, capOS, Linux, ratio, in guest
#                     instructions (icount), then plain-TCG nanoseconds
#   OUT/results.dat   the icount medians, for gnuplot
#   OUT/results.png   the plot (log scale)
# Fails when a transcript is missing or lacks a result it should have; a
# number is never a reason to fail.
set -eu
out=$1
shift
modes=$*

# --- one table of values per mode: "os name median min max" ------------------
# Serial lines may carry a timestamp prefix (capOS) and CRs.
extract() {
	sed -e 's/\r$//' -e 's/^\[[ 0-9.]*\] //' "$1"
}

for mode in $modes; do
	tsv=$out/values-$mode.tsv
	: >"$tsv"
	for os in capos linux; do
		log=$out/$os-$mode.log
		probe=$out/$os-probe-$mode.log
		for f in "$log" "$probe"; do
			[ -s "$f" ] || { echo "bench-report: $f missing" >&2; exit 1; }
		done
		extract "$log" | awk -v os=$os '
			$1 == "BENCH" { print os, $2, $3, $4, $5 }
			$1 == "BENCH_CLOCK" { print os, "clock", $2, $3, 0 }' \
			>>"$tsv"
		# The default system's boot: init reports when every
		# service has been started.
		if [ "$os" = capos ] && [ -s "$out/capos-default-$mode.log" ]; then
			extract "$out/capos-default-$mode.log" | sed -n \
				's/^init: all [0-9]* services started (tsc \([0-9]*\)).*/capos boot_services_tsc \1 \1 \1/p' \
				>>"$tsv"
		fi
		hex=$(extract "$probe" | sed -n 's/.*BENCH_PROBE entry_tsc \([0-9a-f]*\).*/\1/p')
		[ -n "$hex" ] || { echo "bench-report: no entry TSC in $probe" >&2; exit 1; }
		echo "$os entry_tsc $(printf '%d' "0x$hex") 0 0" >>"$tsv"
		grep -q "^$os clock " "$tsv" || {
			echo "bench-report: no BENCH_CLOCK in $log" >&2
			exit 1
		}
	done
done

kernel_pkg=$(cat "$out/linux/kernel-package.txt" 2>/dev/null || echo unknown)
qemu_version=$(qemu-system-x86_64 --version | head -n 1)

# --- the table ------------------------------------------------------------------
# Rows: key | operation | capOS name | Linux name.  "-" is a benchmark not
# built yet on that side; boot_entry is derived (first user TSC minus
# the probe's entry TSC).
rows='nop1|ring NOP, 1 per enter (Linux: io_uring NOP)|nop_single|nop_single
nop16|ring NOP, 16 per enter, per NOP (Linux: io_uring)|nop_batch16|nop_batch16
enter|cap_enter, empty ring (Linux: io_uring_enter, empty)|enter_empty|enter_empty
call|CALL Null.ping, raw ring (Linux: getpid)|null_call|getpid
callrt|CALL Null.ping via libcapos (Linux: getpid)|null_ping_rt|getpid
ipc|endpoint IPC round trip, 0 bytes (Linux: pipe ping-pong)|ipc_rtt0|pipe_rtt
ipcf|endpoint IPC round trip, 0 bytes (Linux: futex ping-pong)|ipc_rtt0|futex_rtt
ipc64|endpoint IPC round trip, 64 bytes (Linux: pipe ping-pong)|ipc_rtt64|pipe_rtt
xfer|IPC round trip moving a cap each way (Linux: SCM_RIGHTS)|ipc_xfer|scm_rights_rtt
spawn|spawn + wait, minimal process (Linux: fork+exec+wait)|spawn_wait|spawn_wait
bootr|boot: reset -> first user instruction|boot_reset_to_user|boot_reset_to_user
boote|boot: kernel entry -> first user instruction (7a)|boot_entry|boot_entry
bootm|boot: kernel entry -> last manifest service started|boot_services|-'

echo "$rows" | awk -F'|' -v out="$out" -v modes="$modes" \
	-v kpkg="$kernel_pkg" -v qemu="$qemu_version" '
function load(mode,    f, line, a) {
	f = out "/values-" mode ".tsv"
	while ((getline line < f) > 0) {
		split(line, a, " ")
		med[mode, a[1], a[2]] = a[3]
		lo[mode, a[1], a[2]] = a[4]
		hi[mode, a[1], a[2]] = a[5]
	}
	close(f)
	for (o = 1; o <= 2; o++) {
		os = o == 1 ? "capos" : "linux"
		k = mode SUBSEP os SUBSEP "boot_reset_to_user"
		if (k in med) {
			e = med[mode, os, "entry_tsc"]
			med[mode, os, "boot_entry"] = med[k] - e
			lo[mode, os, "boot_entry"] = lo[k] - e
			hi[mode, os, "boot_entry"] = hi[k] - e
			# Without icount the probe and the run see different
			# wall clocks; a negative difference means nothing.
			if (med[mode, os, "boot_entry"] < 0)
				delete med[mode, os, "boot_entry"]
			k = mode SUBSEP os SUBSEP "boot_services_tsc"
			if (k in med) {
				med[mode, os, "boot_services"] = med[k] - e
				lo[mode, os, "boot_services"] = lo[k] - e
				hi[mode, os, "boot_services"] = hi[k] - e
				if (med[mode, os, "boot_services"] < 0)
					delete med[mode, os, "boot_services"]
			}
		}
	}
}
function cell(mode, os, name) {
	if (name == "-")
		return "n/a (not built yet)"
	if (!((mode, os, name) in med)) {
		missing = missing " " os ":" name
		return "missing"
	}
	if (lo[mode, os, name] == hi[mode, os, name])
		return sprintf("%.0f", med[mode, os, name])
	return sprintf("%.0f [%.0f-%.0f]", med[mode, os, name], lo[mode, os, name],
		       hi[mode, os, name])
}
# Ticks to nanoseconds by the BENCH_CLOCK line of the program: its TSC ticks
# (median field) against the nanoseconds of its OS clock (min field).
function nscell(mode, os, name,    t, n, v) {
	if (name == "-" || !((mode, os, name) in med))
		return "-"
	t = med[mode, os, "clock"]
	n = lo[mode, os, "clock"]
	v = med[mode, os, name] * n / t
	if (v >= 1e6)
		return sprintf("%.1f ms", v / 1e6)
	return sprintf("%.0f", v)
}
function ratio(mode, c, l) {
	if (c == "-" || l == "-" || !((mode, "capos", c) in med) ||
	    !((mode, "linux", l) in med) || med[mode, "linux", l] == 0)
		return "-"
	return sprintf("%.2f", med[mode, "capos", c] / med[mode, "linux", l])
}
BEGIN {
	nm = split(modes, m, " ")
	for (i = 1; i <= nm; i++)
		load(m[i])
	tcg = 0
	for (i = 1; i <= nm; i++)
		if (m[i] == "tcg")
			tcg = 1
}
{
	n++
	key[n] = $1; label[n] = $2; cname[n] = $3; lname[n] = $4
}
END {
	txt = out "/results.txt"
	dat = out "/results.dat"
	printf "capOS vs Linux under the same QEMU command line\n" > txt
	printf "QEMU: %s; -machine q35 -cpu max -m 256M -smp 1\n", qemu > txt
	printf "Linux: Debian package %s\n", kpkg > txt
	printf "Guest instructions: -accel tcg,thread=single " \
	       "-icount shift=0,sleep=off (median [min-max] of 7 runs; " \
	       "ratio = capOS / Linux)\n" > txt
	if (tcg)
		printf "Plain-TCG ns: -accel tcg, median of 7 runs, host " \
		       "wall time through the guest TSC (noisy)\n" > txt
	printf "\n" > txt
	fmt = "%-58s %-22s %-22s %-6s"
	if (tcg)
		fmt = fmt " %-12s %-12s"
	fmt = fmt "\n"
	printf fmt, "operation", "capOS insns", "Linux insns", "ratio",
	       "capOS ns", "Linux ns" > txt
	print "# key capos linux  (guest instructions, icount medians; ? = not measured)" > dat
	for (i = 1; i <= n; i++) {
		c = cell("icount", "capos", cname[i])
		l = cell("icount", "linux", lname[i])
		if (lname[i] == "-")
			l = "-"
		r = ratio("icount", cname[i], lname[i])
		if (tcg)
			printf fmt, label[i], c, l, r,
			       nscell("tcg", "capos", cname[i]),
			       nscell("tcg", "linux", lname[i]) > txt
		else
			printf fmt, label[i], c, l, r > txt
		cv = lv = "?"
		if (cname[i] != "-" && ("icount", "capos", cname[i]) in med)
			cv = med["icount", "capos", cname[i]]
		if (lname[i] != "-" && ("icount", "linux", lname[i]) in med)
			lv = med["icount", "linux", lname[i]]
		printf "%s %s %s\n", key[i], cv, lv > dat
	}
	close(txt)
	close(dat)
	if (missing != "") {
		print "bench-report: results missing:" missing > "/dev/stderr"
		exit 1
	}
}'

cat >"$out/results.gnuplot" <<GP
set terminal pngcairo size 1100,600 font "sans,10"
set output "$out/results.png"
set title "capOS vs Linux, guest instructions per operation (QEMU icount, log scale)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [100:*]
set ylabel "guest instructions"
set xtics rotate by -30 left
set key top left
set rmargin 10
set datafile missing "?"
plot "$out/results.dat" using 2:xtic(1) title "capOS", \
     "" using 3 title "Linux 6.1 (Debian)"
GP
gnuplot "$out/results.gnuplot"
cat "$out/results.txt"
echo "bench: table in $out/results.txt, plot in $out/results.png"
