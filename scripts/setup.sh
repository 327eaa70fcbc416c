#!/bin/sh
# Install what the build, the tests and the benchmarks use, from Debian's
# packages only.  Called by the make targets and by .ci/run; cheap when
# everything is already present.
set -eu

# Each entry: a command or file we need, and the Debian package that has it.
need="
gcc:gcc
ld:binutils
make:make
clang:clang
clang-format:clang-format
/usr/share/doc/libclang-rt-14-dev/copyright:libclang-rt-14-dev
ld.lld:lld
qemu-system-x86_64:qemu-system-x86
grub-mkrescue:grub-common
/usr/lib/grub/i386-pc/multiboot2.mod:grub-pc-bin
/usr/lib/grub/x86_64-efi/multiboot2.mod:grub-efi-amd64-bin
xorriso:xorriso
mformat:mtools
/usr/share/OVMF/OVMF_CODE.fd:ovmf
capnp:capnproto
/usr/bin/python3:python3
/usr/include/cmocka.h:libcmocka-dev
gdb:gdb
dpkg-source:dpkg-dev
musl-gcc:musl-tools
autoreconf:autoconf
automake:automake
libtoolize:libtool
/usr/include/sodium.h:libsodium-dev
"
# `sh scripts/setup.sh bench` (make bench) adds what only the benchmarks
# use: static glibc for the Linux programs, cpio for their initramfs,
# apt-get download and dpkg-deb for Debian's kernel and busybox-static
# (fetched, never installed), gnuplot for the plot.
if [ "${1:-}" = bench ]; then
	need="$need
/usr/lib/x86_64-linux-gnu/libc.a:libc6-dev
cpio:cpio
apt-get:apt
dpkg-deb:dpkg
gnuplot:gnuplot-nox
"
fi

missing=""
for entry in $need; do
	what=${entry%%:*}
	pkg=${entry#*:}
	case $what in
	/*) [ -e "$what" ] && continue ;;
	*) command -v "$what" >/dev/null 2>&1 && continue ;;
	esac
	case " $missing " in
	*" $pkg "*) ;;
	*) missing="$missing $pkg" ;;
	esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "setup: missing Debian packages:$missing" >&2
	echo "setup: install them with:" >&2
	echo "    sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi

echo "setup: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
echo "setup: done"
