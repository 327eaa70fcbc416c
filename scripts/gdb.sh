#!/bin/sh
# gdb.sh ISO KERNEL.elf — boots ISO paused with QEMU's gdbstub and attaches
# gdb with the kernel's symbols, stopped at kmain.  Without the debug-exit
# device, so a panic halts and can be inspected.  Quit gdb to end QEMU.
set -eu
iso=$1
kernel=$2
sh "$(dirname "$0")/qemu.sh" --iso "$iso" --gdb --no-exit-device \
	--serial "$(dirname "$kernel")/gdb-serial.log" &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT
echo "gdb: serial console goes to $(dirname "$kernel")/gdb-serial.log"
gdb -q "$kernel" \
	-ex "target remote localhost:1234" \
	-ex "hbreak kmain" \
	-ex "continue" "$@"
