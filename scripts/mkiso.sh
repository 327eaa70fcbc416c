#!/bin/sh
# mkiso.sh OUT.iso KERNEL.elf "CMDLINE" [FILE=MODULE-NAME ...]
#
# Builds a GRUB rescue image that boots KERNEL through Multiboot2 with the
# given command line and one Multiboot2 module per FILE=NAME pair (the
# module's command line is NAME).  grub-mkrescue makes the image bootable
# from BIOS and from UEFI when both GRUB platforms are installed.
set -eu
out=$1
kernel=$2
cmdline=$3
shift 3

root=$out.d
rm -rf "$root"
mkdir -p "$root/boot/grub"
cp "$kernel" "$root/boot/capos.elf"

modules=""
for pair in "$@"; do
	file=${pair%%=*}
	name=${pair#*=}
	cp "$file" "$root/boot/$name"
	modules="$modules	module2 /boot/$name $name
"
done

cat >"$root/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
menuentry "capOS" {
	multiboot2 /boot/capos.elf $cmdline
$modules	boot
}
CFG

log=$out.log
if ! grub-mkrescue -o "$out" "$root" >"$log" 2>&1; then
	cat "$log" >&2
	exit 1
fi
