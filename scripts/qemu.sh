#!/bin/sh
# qemu.sh --iso IMAGE [options] — boots a capOS image in QEMU (TCG).
#
#   --uefi           boot through OVMF instead of the BIOS
#   --interactive    serial console on this terminal (Ctrl-A X quits)
#   --serial FILE    write the serial console to FILE (headless)
#   --serial-socket SOCK
#                    the serial port is a Unix socket QEMU listens on; it
#                    starts the guest once a program has connected (a
#                    test driver that types).  With --serial FILE too,
#                    what the guest writes is also logged to FILE.
#   --args "A=B .."  extra kernel arguments (QEMU fw_cfg opt/capos/cmdline)
#   --timeout SECS   kill QEMU after SECS seconds (exit status 124)
#   --icount         deterministic instruction counting (benchmarks)
#   --gdb            wait for gdb on localhost:1234 before the first instruction
#   --gdb-port PORT  the same on another port (two debugged boots at once)
#   --no-exit-device leave out isa-debug-exit (a panic then halts)
#   --memory SIZE    guest memory (default 256M)
#   --smp N          N CPUs (default: $CAPOS_SMP, else 1); more than one
#                    runs multi-threaded TCG unless --icount is given
#   --no-acpi        QEMU builds no ACPI tables (SeaBIOS then makes its own,
#                    without \_S5_: a machine that cannot power off)
#
# Exit status from isa-debug-exit: 33 pass, 35 fail, 37 kernel panic;
# QEMU's own 0 when the guest powers off (ACPI S5) or resets (-no-reboot).
set -eu

iso= uefi= interactive= serial= socket= args= timeout= icount= gdb= exitdev=1
machine=q35
gdbport=1234
memory=256M
smp=${CAPOS_SMP:-1}
while [ $# -gt 0 ]; do
	case $1 in
	--iso) iso=$2; shift ;;
	--uefi) uefi=1 ;;
	--interactive) interactive=1 ;;
	--serial) serial=$2; shift ;;
	--serial-socket) socket=$2; shift ;;
	--args) args=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--icount) icount=1 ;;
	--gdb) gdb=1 ;;
	--gdb-port) gdb=1; gdbport=$2; shift ;;
	--no-exit-device) exitdev= ;;
	--memory) memory=$2; shift ;;
	--smp) smp=$2; shift ;;
	--no-acpi) machine=q35,acpi=off ;;
	*) echo "qemu.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$iso" ] || { echo "qemu.sh: --iso IMAGE is required" >&2; exit 2; }

set -- qemu-system-x86_64 -machine "$machine" -cpu max -m "$memory" -smp "$smp" \
	-display none -no-reboot -cdrom "$iso" -boot d
if [ -n "$icount" ]; then
	set -- "$@" -accel tcg,thread=single -icount shift=0,sleep=off
else
	# Multi-threaded TCG (a host thread per CPU) is QEMU's default for
	# this guest; spelled out so the SMP bench's line says what it runs.
	set -- "$@" -accel tcg,thread=multi
fi
[ -n "$exitdev" ] && set -- "$@" -device isa-debug-exit,iobase=0xf4,iosize=0x04
# QEMU option values escape a comma by doubling it.
[ -n "$args" ] && set -- "$@" -fw_cfg \
	"name=opt/capos/cmdline,string=$(printf '%s' "$args" | sed 's/,/,,/g')"
[ -n "$gdb" ] && set -- "$@" -gdb "tcp:localhost:$gdbport" -S

if [ -n "$uefi" ]; then
	code=/usr/share/OVMF/OVMF_CODE_4M.fd
	vars=/usr/share/OVMF/OVMF_VARS_4M.fd
	# The firmware writes its variables: give each run its own copy.
	tmpvars=$(mktemp "${TMPDIR:-/tmp}/capos-ovmf-vars.XXXXXX")
	trap 'rm -f "$tmpvars"' EXIT
	cp "$vars" "$tmpvars"
	set -- "$@" -drive "if=pflash,format=raw,readonly=on,file=$code" \
		-drive "if=pflash,format=raw,file=$tmpvars"
fi

if [ -n "$interactive" ]; then
	set -- "$@" -serial mon:stdio
elif [ -n "$socket" ]; then
	set -- "$@" -chardev \
		"socket,id=com1,path=$socket,server=on,wait=on${serial:+,logfile=$serial}" \
		-serial chardev:com1 -monitor none
elif [ -n "$serial" ]; then
	set -- "$@" -serial "file:$serial" -monitor none
else
	set -- "$@" -serial stdio -monitor none
fi

if [ -n "$timeout" ]; then
	status=0
	timeout --foreground -k 5 "$timeout" "$@" </dev/null || status=$?
	exit $status
fi
exec "$@"
