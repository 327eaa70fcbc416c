#!/bin/sh
# bench-report.sh OUT BOOTS TARGETS DOC MODE...
#
# Collects the results of the transcripts make bench left in OUT
# (capos-MODE-N.log, capos-default-MODE-N.log, linux-MODE-N.log for
# N = 1..BOOTS; MODE icount, and tcg when that pass ran) and writes:
#   OUT/results.txt   the table (Markdown): operation, capOS, Linux, ratio
#                     in guest instructions (icount), then plain-TCG
#                     nanoseconds; then a verdict for each target of
#                     TARGETS, computed from the icount medians
#   OUT/results.dat   the icount medians, for gnuplot
#   OUT/results.png   the plot (log scale)
# and then rewrites the region of DOC between the lines
# "<!-- bench:table begin -->" and "<!-- bench:table end -->" with
# results.txt (scripts/bench-region.sh: it says whether that changed the
# file, and checks that the region now equals results.txt).
#
# The per-operation rows come from the first boot of each system; the
# boot rows from all BOOTS boots (median [min-max]).
#
# Fails, and leaves DOC alone, when a transcript is missing, lacks a
# result it should have, or reports a BENCH_ERROR (the row then reads
# "ERROR: why" in results.txt, never a number).  A number never fails it;
# a target missed is a verdict, not a failure.
set -eu
out=$1
boots=$2
targets=$3
doc=$4
shift 4
modes=$*

# --- one file of values per mode ---------------------------------------------
# Lines: "OS val NAME MEDIAN MIN MAX" (a per-operation row),
# "OS err NAME WHY..." (a BENCH_ERROR), "OS sample NAME VALUE" (one boot's
# figure), "OS clock TICKS NS".  Serial lines may carry a timestamp prefix
# (capOS) and CRs.
extract() {
	[ -s "$1" ] || { echo "bench-report: $1 missing" >&2; exit 1; }
	sed -e 's/\r$//' -e 's/^\[[ 0-9.]*\] //' "$1"
}

for mode in $modes; do
	tsv=$out/values-$mode.tsv
	: >"$tsv"
	n=1
	while [ "$n" -le "$boots" ]; do
		# capOS, ringbench as init: kernel entry and the first user
		# instruction, and (first boot) the per-operation rows.
		extract "$out/capos-$mode-$n.log" | awk -v first=$((n == 1)) '
			/^boot: kernel entry tsc [0-9]+$/ { entry = $5 }
			$1 == "BENCH" && $2 == "boot_reset_to_user" { user = $3 }
			first && $1 == "BENCH" && $2 != "boot_reset_to_user" {
				print "capos val", $2, $3, $4, $5 }
			first && $1 == "BENCH_ERROR" {
				name = $2; sub(/:$/, "", name)
				$1 = ""; $2 = ""; sub(/^ +/, "")
				print "capos err", name, $0 }
			first && $1 == "BENCH_CLOCK" { print "capos clock", $2, $3 }
			END {
				if (entry != "") print "capos sample boot_kernel_entry", entry
				if (user != "") print "capos sample boot_user", user
				if (entry != "" && user != "")
					print "capos sample boot_entry_to_user", user - entry
			}' >>"$tsv"
		# capOS, the default system: kernel entry and init's line
		# after it has started every service of the manifest.
		extract "$out/capos-default-$mode-$n.log" | awk '
			/^boot: kernel entry tsc [0-9]+$/ { entry = $5 }
			/^init: all [0-9]+ services started \(tsc [0-9]+\)$/ {
				s = $7; sub(/\)$/, "", s) }
			END {
				if (entry != "" && s != "")
					print "capos sample boot_entry_to_services", s - entry
			}' >>"$tsv"
		# Linux: /init's first instruction; the first boot ran the
		# benchmarks.
		extract "$out/linux-$mode-$n.log" | awk -v first=$((n == 1)) '
			$1 == "BENCH" && $2 == "boot_reset_to_user" {
				print "linux sample boot_user", $3 }
			first && $1 == "BENCH" && $2 != "boot_reset_to_user" {
				print "linux val", $2, $3, $4, $5 }
			first && $1 == "BENCH_ERROR" {
				name = $2; sub(/:$/, "", name)
				$1 = ""; $2 = ""; sub(/^ +/, "")
				print "linux err", name, $0 }
			first && $1 == "BENCH_CLOCK" { print "linux clock", $2, $3 }
		' >>"$tsv"
		n=$((n + 1))
	done
done

kernel_pkg=$(cat "$out/linux/kernel-package.txt" 2>/dev/null || echo unknown)
qemu_version=$(qemu-system-x86_64 --version | head -n 1)
host_cpus=$(nproc)

# --- the table ------------------------------------------------------------------
# Rows: key | operation | capOS name | Linux name.  "-": not measured on
# that side (the cell reads "not measured", the ratio "-", and the plot
# leaves the bar out); the FP/SIMD switch rows have no Linux
# counterpart.  The memory rows are described in docs/benchmarks.md.  The boot_* names are the per-boot samples.
rows='nop1|ring NOP, 1 per enter (Linux: io_uring NOP)|nop_single|nop_single
nop16|ring NOP, 16 per enter, per NOP (Linux: io_uring)|nop_batch16|nop_batch16
enter|cap_enter, empty ring (Linux: io_uring_enter, empty)|enter_empty|enter_empty
call|CALL Null.ping, raw ring (Linux: getpid)|null_call|getpid
callrt|CALL Null.ping via libcapos (Linux: getpid)|null_ping_rt|getpid
ipc0|IPC round trip, 0 bytes, raw server (Linux: pipe, 1 byte)|ipc_rtt0|pipe_rtt
ipc0f|IPC round trip, 0 bytes, raw server (Linux: futex ping-pong)|ipc_rtt0|futex_rtt
ipc64|IPC round trip, 64 bytes, raw server (Linux: pipe, 64 bytes)|ipc_rtt64|pipe_rtt64
park|PARK/UNPARK ping-pong, two threads (Linux: futex ping-pong)|park_rtt|futex_rtt
swclean|PARK/UNPARK ping-pong holding YMM0-15, upper halves clean (VZEROUPPER)|switch_avx_clean|-
swlive|PARK/UNPARK ping-pong holding YMM0-15, AVX state live|switch_avx_live|-
ipc0rt|IPC round trip, 0 bytes, libcapos server (Linux: pipe, 1 byte)|ipc_rtt0_rt|pipe_rtt
ipc64rt|IPC round trip, 64 bytes, libcapos server (Linux: pipe, 64 bytes)|ipc_rtt64_rt|pipe_rtt64
xfer|IPC round trip moving a cap each way (Linux: SCM_RIGHTS)|ipc_xfer|scm_rights_rtt
spawn|spawn + wait, minimal process (Linux: fork+exec+wait)|spawn_wait|spawn_wait
spawnv|spawn + wait, minimal process (Linux: vfork+exec+wait)|spawn_wait|vfork_wait
spawnp|spawn + wait, minimal process (Linux: posix_spawn+wait)|spawn_wait|posix_spawn_wait
thread|thread create + join, libcapos (Linux: pthread_create+pthread_join)|thread_create_join|thread_create_join
vmpage|reserve + commit + touch + unmap, 1 page (Linux: mmap+touch+munmap)|vm_page|vm_page
vm1m|reserve + commit + touch + unmap, 1 MiB, a word a page (Linux: mmap+touch+munmap)|vm_1m|vm_1m
shm1m|1 MiB to another process: shared MemoryObject + IPC call (Linux: pipe)|shm_1m|pipe_1m
shm1mfd|1 MiB to another process: shared MemoryObject + IPC call (Linux: memfd+mmap, pipe bytes)|shm_1m|memfd_1m
printf|printf of one line to stdout, musl (capOS: Console cap; Linux: serial tty)|libc_printf|libc_printf
write|write(1) of one line, musl (capOS: Console cap; Linux: serial tty)|libc_write|libc_write
malloc|malloc + free, 32 bytes, musl|libc_malloc32|libc_malloc32
bootk|boot: reset -> kernel entry|boot_kernel_entry|-
bootu|boot: reset -> first user instruction|boot_user|boot_user
boote|boot: kernel entry -> first user instruction|boot_entry_to_user|-
boots|boot: kernel entry -> every service started (default system)|boot_entry_to_services|-'

echo "$rows" | awk -F'|' -v out="$out" -v modes="$modes" -v boots="$boots" \
	-v kpkg="$kernel_pkg" -v qemu="$qemu_version" -v cpus="$host_cpus" \
	-v targets="$targets" '
# A goal line: goal NAME LIMIT DESCRIPTION, NAME a capOS benchmark or
# A-B (the difference of two); met when its icount median <= LIMIT.
function goal(line, a,    desc, n, v, p) {
	desc = line
	sub(/^[ \t]*goal[ \t]+[^ \t]+[ \t]+[^ \t]+[ \t]+/, "", desc)
	if (a[3] !~ /^[0-9]+$/ || desc == line) {
		failed = failed "\n  " targets ": cannot read: " line
		return
	}
	n = split(a[2], p, "-")
	if (!has("icount", "capos", p[1]) ||
	    (n == 2 && !has("icount", "capos", p[2])) || n > 2) {
		failed = failed "\n  goal without results: " line
		goals = goals sprintf("| %s | - | %s | no result |\n", desc,
		                      group(a[3] + 0))
		ng++
		return
	}
	v = med["icount", "capos", p[1]]
	if (n == 2)
		v -= med["icount", "capos", p[2]]
	goals = goals sprintf("| %s | %s | %s | **%s** |\n", desc, group(v),
	                      group(a[3] + 0), v <= a[3] + 0 ? "met" : "missed")
	ng++
}

function load(mode,    f, line, a, k, i, j, x, cnt, why) {
	f = out "/values-" mode ".tsv"
	while ((getline line < f) > 0) {
		split(line, a, " ")
		if (a[2] == "val") {
			med[mode, a[1], a[3]] = a[4]
			lo[mode, a[1], a[3]] = a[5]
			hi[mode, a[1], a[3]] = a[6]
		} else if (a[2] == "err") {
			why = line
			sub(/^[a-z]+ err [^ ]+ /, "", why)
			err[mode, a[1], a[3]] = why
		} else if (a[2] == "sample") {
			k = mode SUBSEP a[1] SUBSEP a[3]
			ns[k]++
			smp[k, ns[k]] = a[4] + 0
		} else if (a[2] == "clock") {
			clk_t[mode, a[1]] = a[3]
			clk_n[mode, a[1]] = a[4]
		}
	}
	close(f)
	# The boot samples: median (the lower middle for an even count),
	# min and max; every boot must have given its sample.
	for (k in ns) {
		split(k, a, SUBSEP)
		if (a[1] != mode)
			continue
		cnt = ns[k]
		for (i = 2; i <= cnt; i++) {
			x = smp[k, i]
			for (j = i; j > 1 && smp[k, j - 1] > x; j--)
				smp[k, j] = smp[k, j - 1]
			smp[k, j] = x
		}
		if (cnt != boots)
			err[k] = sprintf("%d of %d boots gave this figure",
					 cnt, boots)
		med[k] = smp[k, int((cnt + 1) / 2)]
		lo[k] = smp[k, 1]
		hi[k] = smp[k, cnt]
	}
}
function has(mode, os, name) {
	return name != "-" && ((mode, os, name) in med) &&
	       !((mode, os, name) in err)
}
function cell(mode, os, name) {
	if (name == "-")
		return "not measured"
	if ((mode, os, name) in err) {
		failed = failed "\n  " os " " name ": " err[mode, os, name]
		return "ERROR: " err[mode, os, name]
	}
	if (!((mode, os, name) in med)) {
		failed = failed "\n  " os " " name ": no result"
		return "ERROR: no result"
	}
	if (lo[mode, os, name] == hi[mode, os, name])
		return sprintf("%.0f", med[mode, os, name])
	return sprintf("%.0f [%.0f-%.0f]", med[mode, os, name],
		       lo[mode, os, name], hi[mode, os, name])
}
# Ticks to nanoseconds by the BENCH_CLOCK line of the first boot: its
# TSC ticks against the nanoseconds of its OS clock over the same span.
function nscell(mode, os, name,    v) {
	if (!has(mode, os, name) || !((mode, os) in clk_t) ||
	    clk_t[mode, os] == 0)
		return "-"
	v = med[mode, os, name] * clk_n[mode, os] / clk_t[mode, os]
	if (v >= 1e6)
		return sprintf("%.1f ms", v / 1e6)
	return sprintf("%.0f", v)
}
function ratio(mode, c, l,    r) {
	if (!has(mode, "capos", c) || !has(mode, "linux", l) ||
	    med[mode, "linux", l] == 0)
		return "-"
	r = med[mode, "capos", c] / med[mode, "linux", l]
	# Two significant digits below 0.01, so no ratio reads 0.00.
	return sprintf(r < 0.01 ? "%.2g" : "%.2f", r)
}
function group(v,    s, r) {
	s = sprintf("%.0f", v)
	r = ""
	while (length(s) > 3) {
		r = "," substr(s, length(s) - 2) r
		s = substr(s, 1, length(s) - 3)
	}
	return s r
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
	printf "- QEMU: %s; `-machine q35 -cpu max -m 256M -smp 1`\n", qemu > txt
	printf "- Linux: Debian package %s\n", kpkg > txt
	printf "- Instructions: `-accel tcg,thread=single -icount " \
	       "shift=0,sleep=off`; median [min-max] of 7 runs of the first " \
	       "boot, or of %d boots for the boot rows; ratio = capOS / Linux\n",
	       boots > txt
	if (tcg)
		printf "- TCG ns: `-accel tcg`, host wall time through the " \
		       "guest TSC, medians as above, on a host with %d CPUs " \
		       "(noisy)\n", cpus > txt
	printf "\n" > txt
	if (tcg) {
		printf "| operation | capOS insns | Linux insns | ratio | " \
		       "capOS ns (TCG) | Linux ns (TCG) |\n" > txt
		printf "| --- | ---: | ---: | ---: | ---: | ---: |\n" > txt
	} else {
		printf "| operation | capOS insns | Linux insns | ratio |\n" > txt
		printf "| --- | ---: | ---: | ---: |\n" > txt
	}
	print "# operation capos linux  (guest instructions, icount medians; ? = not measured)" > dat
	for (i = 1; i <= n; i++) {
		lab = label[i]
		gsub(/->/, "→", lab)
		c = cell("icount", "capos", cname[i])
		l = cell("icount", "linux", lname[i])
		r = ratio("icount", cname[i], lname[i])
		if (tcg)
			printf "| %s | %s | %s | %s | %s | %s |\n", lab, c, l, r,
			       nscell("tcg", "capos", cname[i]),
			       nscell("tcg", "linux", lname[i]) > txt
		else
			printf "| %s | %s | %s | %s |\n", lab, c, l, r > txt
		cv = has("icount", "capos", cname[i]) ? med["icount", "capos", cname[i]] : "?"
		lv = has("icount", "linux", lname[i]) ? med["icount", "linux", lname[i]] : "?"
		# The plot names each row in words: the operation, and what
		# Linux is measured by after "vs".
		short = label[i]
		if (sub(/ \(Linux: /, " vs ", short))
			sub(/\)$/, "", short)
		gsub(/->/, "to", short)
		gsub(/"/, "\047", short)
		printf "\"%s\" %s %s\n", short, cv, lv > dat
	}
	# The verdicts, from TARGETS (see that file for the format).
	printf "\nTargets (`bench/targets.txt`), judged on the instruction " \
	       "medians:\n\n" > txt
	printf "| target | capOS | Linux | Linux / capOS | verdict |\n" > txt
	printf "| --- | ---: | ---: | ---: | --- |\n" > txt
	nt = 0
	ng = 0
	while ((getline line < targets) > 0) {
		if (line ~ /^[ \t]*(#|$)/)
			continue
		# SMP scaling targets: scripts/bench-smp.sh judges them.
		if (line ~ /^[ \t]*speedup[ \t]/)
			continue
		nt++
		split(line, a, " ")
		if (a[1] == "goal") {
			goal(line, a)
			continue
		}
		desc = line
		sub(/^[ \t]*[^ \t]+[ \t]+[^ \t]+[ \t]+[^ \t]+[ \t]+[^ \t]+[ \t]+/,
		    "", desc)
		tc = a[1]; f = a[2] + 0; op = a[3]; tl = a[4]
		if ((op != "<" && op != "<=") || f <= 0 || desc == line) {
			failed = failed "\n  " targets ": cannot read: " line
			continue
		}
		if (!has("icount", "capos", tc) || !has("icount", "linux", tl)) {
			failed = failed "\n  target without results: " line
			printf "| %s | - | - | - | no result |\n", desc > txt
			continue
		}
		cv = med["icount", "capos", tc]
		lv = med["icount", "linux", tl]
		met = op == "<" ? f * cv < lv : f * cv <= lv
		printf "| %s | %s | %s | %.2fx (needs %s %gx) | **%s** |\n",
		       desc, group(cv), group(lv), lv / cv,
		       op == "<" ? ">" : ">=", f,
		       met ? "met" : "missed" > txt
	}
	close(targets)
	if (nt == 0)
		failed = failed "\n  " targets ": no targets"
	if (ng) {
		printf "\nGoals (`bench/targets.txt`), capOS alone, judged on " \
		       "the instruction medians:\n\n" > txt
		printf "| goal | capOS | at most | verdict |\n" > txt
		printf "| --- | ---: | ---: | --- |\n" > txt
		printf "%s", goals > txt
	}
	close(txt)
	close(dat)
	if (failed != "") {
		print "bench-report: failed:" failed > "/dev/stderr"
		exit 1
	}
}' || failed=1

cat "$out/results.txt"
if [ "${failed:-0}" = 1 ]; then
	echo "bench: FAILED; $doc left as it was" >&2
	exit 1
fi

cat >"$out/results.gnuplot" <<GP
set terminal pngcairo size 1500,950 font "sans,10"
set output "$out/results.png"
set title "capOS vs Linux, guest instructions per operation (QEMU icount, log scale)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [100:*]
set ylabel "guest instructions"
set xtics rotate by 40 right noenhanced font "sans,9"
set bmargin 24
set lmargin 38
set key top left
set rmargin 10
set datafile missing "?"
plot "$out/results.dat" using 2:xtic(1) title "capOS", \
     "" using 3 title "Linux 6.1 (Debian)"
GP
gnuplot "$out/results.gnuplot"
echo "bench: table in $out/results.txt, plot in $out/results.png"

# --- the generated region of DOC ------------------------------------------------
sh scripts/bench-region.sh "$doc" table "$out/results.txt"
