#!/bin/sh
# bench-linux.sh OUT MODE BOOTS LINUXBENCH NOTHING LIBCBENCH [PRIMES]
#
# The Linux side of make bench.  Fetches Debian's packaged kernel (the
# package linux-image-amd64 depends on) and busybox-static with
# `apt-get download` into OUT/linux/pkg (kept as a cache; nothing is
# installed), unpacks them with dpkg-deb -x, builds an initramfs whose
# /init is LINUXBENCH, and boots it under the QEMU command line of
# scripts/qemu.sh (same machine, CPU, memory, CPU count, accelerator and
# icount setting, isa-debug-exit), with -kernel instead of a CD image.
# It boots BOOTS times: the first boot runs every benchmark, the others
# (linuxbench=boot on the command line, which the kernel hands to /init
# in its environment) only report the TSC at /init's first instruction,
# for the boot row.  MODE is icount or tcg.  Transcripts:
# OUT/linux-MODE-N.log, N = 1..BOOTS.  A run that reached its end
# (BENCH_DONE) with a failed row (BENCH_ERROR) is kept: the report shows
# the error and fails.
#
# MODE smpN is the SMP scaling bench's (scripts/bench-smp.sh): PRIMES is
# in the initramfs as /primes and every boot runs it as init
# (rdinit=/primes) on N CPUs under multi-threaded TCG, and must reach
# SMP_DONE (an SMP_ERROR run is kept for the report, as above).
set -eu
out=$1
mode=$2
boots=$3
bench=$4
nothing=$5
libcbench=$6
primes=${7:-}

dir=$out/linux
pkgdir=$dir/pkg
mkdir -p "$pkgdir"

# --- the packages (cached) --------------------------------------------------
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }')
if [ -z "$kpkg" ]; then
	# No package lists (apt-get update not run): use the cache if any.
	kdeb=$(ls "$pkgdir"/linux-image-*.deb 2>/dev/null | tail -n 1)
	[ -n "$kdeb" ] || {
		echo "bench-linux: cannot resolve linux-image-amd64;" \
			"run apt-get update" >&2
		exit 1
	}
else
	kdeb=$(ls "$pkgdir/${kpkg}"_*.deb 2>/dev/null | tail -n 1)
	if [ -z "$kdeb" ]; then
		echo "bench: downloading $kpkg"
		(cd "$pkgdir" && apt-get download -q "$kpkg" >/dev/null 2>&1) || {
			echo "bench-linux: apt-get download $kpkg failed" >&2
			exit 1
		}
		kdeb=$(ls "$pkgdir/${kpkg}"_*.deb | tail -n 1)
	fi
fi
bdeb=$(ls "$pkgdir"/busybox-static_*.deb 2>/dev/null | tail -n 1)
if [ -z "$bdeb" ]; then
	echo "bench: downloading busybox-static"
	(cd "$pkgdir" && apt-get download -q busybox-static >/dev/null 2>&1) || {
		echo "bench-linux: apt-get download busybox-static failed" >&2
		exit 1
	}
	bdeb=$(ls "$pkgdir"/busybox-static_*.deb | tail -n 1)
fi

# Unpacked once per package file.
unpack() {
	if [ ! -e "$2/.from" ] || [ "$(cat "$2/.from")" != "$1" ]; then
		rm -rf "$2"
		dpkg-deb -x "$1" "$2"
		echo "$1" >"$2/.from"
	fi
}
unpack "$kdeb" "$dir/kernel"
unpack "$bdeb" "$dir/busybox"
vmlinuz=$(ls "$dir"/kernel/boot/vmlinuz-* | head -n 1)
printf '%s %s\n' "$(dpkg-deb -f "$kdeb" Package)" \
	"$(dpkg-deb -f "$kdeb" Version)" >"$dir/kernel-package.txt"

# --- the initramfs ----------------------------------------------------------
# /init is the benchmark program itself (its first instruction reads the
# TSC); /nothing is what its spawn rows run, /libcbench its C library
# rows (built with musl-gcc); busybox is there for a shell when debugging
# (rdinit=/bin/sh).
# /dev/console comes from the kernel's built-in initramfs.
root=$dir/initramfs
rm -rf "$root"
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys"
cp "$bench" "$root/init"
cp "$nothing" "$root/nothing"
cp "$libcbench" "$root/libcbench"
[ -z "$primes" ] || cp "$primes" "$root/primes"
cp "$dir/busybox/bin/busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
(cd "$root" && find . | LC_ALL=C sort |
	cpio -o -H newc --quiet --reproducible) >"$dir/initramfs.cpio"

# --- boots --------------------------------------------------------------------
# smp: the CPU count; done: the line that says /init ran to its end.
smp=1
done=BENCH_DONE
case $mode in
icount) accel="-accel tcg,thread=single -icount shift=0,sleep=off" ;;
tcg) accel="-accel tcg,thread=multi" ;;
smp[1-9])
	[ -n "$primes" ] || {
		echo "bench-linux: mode $mode needs PRIMES" >&2
		exit 2
	}
	accel="-accel tcg,thread=multi"
	smp=${mode#smp}
	done=SMP_DONE
	;;
*) echo "bench-linux: unknown mode $mode" >&2; exit 2 ;;
esac

# boot LOG APPEND: the QEMU line of scripts/qemu.sh, the kernel by
# -kernel, APPEND added to the command line.  33: /init passed; 35: a
# benchmark failed (the report says which).
boot() {
	rm -f "$1"
	status=0
	# shellcheck disable=SC2086
	timeout --foreground -k 5 900 qemu-system-x86_64 -machine q35 \
		-cpu max -m 256M -smp "$smp" -display none -no-reboot $accel \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$vmlinuz" -initrd "$dir/initramfs.cpio" \
		-append "console=ttyS0 quiet panic=-1$2" \
		-serial "file:$1" -monitor none </dev/null || status=$?
	if [ "$status" -ne 33 ] && [ "$status" -ne 35 ]; then
		echo "bench: linux ($mode) ended with status $status;" \
			"see $1" >&2
		exit 1
	fi
	grep -q "$done" "$1" || {
		echo "bench: $1 lacks $done (/init did not finish)" >&2
		exit 1
	}
}

n=1
while [ "$n" -le "$boots" ]; do
	if [ "$done" = SMP_DONE ]; then
		echo "bench: booting linux, primes on $smp CPUs ($n of $boots)"
		boot "$out/linux-$mode-$n.log" " rdinit=/primes"
	elif [ "$n" -eq 1 ]; then
		echo "bench: booting linux, benchmarks ($mode, 1 of $boots)"
		boot "$out/linux-$mode-1.log" ""
	else
		echo "bench: booting linux, boot only ($mode, $n of $boots)"
		boot "$out/linux-$mode-$n.log" " linuxbench=boot"
	fi
	n=$((n + 1))
done
