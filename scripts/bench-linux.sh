#!/bin/sh
# bench-linux.sh OUT MODE LINUXBENCH NOTHING PROBE
#
# The Linux side of make bench.  Fetches Debian's packaged kernel (the
# package linux-image-amd64 depends on) and busybox-static with
# `apt-get download` into OUT/linux/pkg (kept as a cache; nothing is
# installed), unpacks them with dpkg-deb -x, builds an initramfs whose
# /init is LINUXBENCH, and boots it under the QEMU command line of
# scripts/qemu.sh (same machine, CPU, memory, CPU count, accelerator and
# icount setting, isa-debug-exit), with -kernel instead of a CD image.
# The entry probe (PROBE, a stand-in bzImage) boots first with the same
# initramfs and command line.  MODE is icount or tcg.  Transcripts:
# OUT/linux-MODE.log and OUT/linux-probe-MODE.log.
set -eu
out=$1
mode=$2
bench=$3
nothing=$4
probe=$5

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
# TSC); busybox is there for a shell when debugging (rdinit=/bin/sh).
# /dev/console comes from the kernel's built-in initramfs.
root=$dir/initramfs
rm -rf "$root"
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys"
cp "$bench" "$root/init"
cp "$nothing" "$root/nothing"
cp "$dir/busybox/bin/busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
(cd "$root" && find . | LC_ALL=C sort |
	cpio -o -H newc --quiet --reproducible) >"$dir/initramfs.cpio"

# --- boots --------------------------------------------------------------------
case $mode in
icount) accel="-accel tcg,thread=single -icount shift=0,sleep=off" ;;
tcg) accel="-accel tcg" ;;
*) echo "bench-linux: unknown mode $mode" >&2; exit 2 ;;
esac

# boot NAME KERNEL: the QEMU line of scripts/qemu.sh, kernel by -kernel.
boot() {
	log=$out/$1-$mode.log
	rm -f "$log"
	echo "bench: booting $1 ($mode)"
	status=0
	# shellcheck disable=SC2086
	timeout --foreground -k 5 900 qemu-system-x86_64 -machine q35 \
		-cpu max -m 256M -smp 1 -display none -no-reboot $accel \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$2" -initrd "$dir/initramfs.cpio" \
		-append "console=ttyS0 quiet panic=-1" \
		-serial "file:$log" -monitor none </dev/null || status=$?
	if [ "$status" -ne 33 ]; then
		echo "bench: $1 ($mode) ended with status $status, not 33;" \
			"see $log" >&2
		exit 1
	fi
}

boot linux-probe "$probe"
grep -q 'BENCH_PROBE entry_tsc' "$out/linux-probe-$mode.log" || {
	echo "bench: $out/linux-probe-$mode.log has no entry TSC" >&2
	exit 1
}
boot linux "$vmlinuz"
if ! grep -q 'BENCH_DONE' "$out/linux-$mode.log" ||
	grep -q 'BENCH_ERROR' "$out/linux-$mode.log"; then
	echo "bench: $out/linux-$mode.log has no complete results" >&2
	exit 1
fi
