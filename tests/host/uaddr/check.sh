#!/bin/sh
# check.sh SNIPPET
#
# Prints TAP.  Compiles each case of SNIPPET (tests/host/uaddr/misuse.c)
# with the kernel's flags: case 0 must compile, every other case must be
# refused by the compiler on the line marked "refused".  Then checks the
# tree: the number inside a uaddr_t is read only in kernel/mm/aspace.c,
# and raw values become user addresses only where they enter the kernel.
#
# Environment: CC and CFLAGS, the kernel's compiler and flags.
set -u
src=$1
. "$(dirname "$0")/../tap.sh"

cases=$(sed -n 's/^#\(el\)\{0,1\}if CASE == \([0-9]*\)$/\2/p' "$src")
[ -n "$cases" ] || { echo "not ok 1 - no cases in $src"; echo "1..1"; exit 0; }
for c in $cases; do
	# shellcheck disable=SC2086
	out=$($CC $CFLAGS -DCASE="$c" -fsyntax-only "$src" 2>&1)
	rc=$?
	if [ "$c" -eq 0 ]; then
		[ $rc -eq 0 ] || printf '%s\n' "$out" | sed 's/^/# /'
		report $rc "case 0: the ordinary use compiles"
		continue
	fi
	# The line of this case marked "refused".
	line=$(awk -v c="$c" '
		$0 ~ "^#(el)?if CASE == " c "$" { on = 1; next }
		on && /^#/ { exit }
		on && /refused/ { print NR; exit }' "$src")
	if [ $rc -ne 0 ] && printf '%s\n' "$out" |
		grep -q "misuse.c:$line:[0-9]*: error"; then
		report 0 "case $c: refused on line $line"
	else
		printf '%s\n' "$out" | sed 's/^/# /'
		report 1 "case $c: refused on line $line"
	fi
done

# The number inside is read only by the address-space code.
bad=$(grep -rlE 'uaddr_raw|UADDR_RAW|[.>]va\b' kernel --include='*.[ch]' |
	grep -vx -e kernel/mm/aspace.c -e kernel/mm/vmspace.c -e kernel/mm/uaddr.h)
[ -n "$bad" ] && echo "# reads a user address's number:" $bad
[ -z "$bad" ]
report $? "only the address-space code (kernel/mm/aspace.c, vmspace.c) reads the number inside a uaddr_t"

# Raw values become user addresses only where they enter the kernel: the
# SQE fields, the page-fault address, the ELF image and layout while a
# process is built, and VirtualMemory's params (and the regions
# mm/vmspace.c keeps of them).
entries="kernel/mm/uaddr.h kernel/ipc/sqe.h kernel/arch/x86_64/trap.c kernel/proc/process.c kernel/kobj/vm.c kernel/mm/vmspace.c"
bad=""
for f in $(grep -rlE '\buaddr\(' kernel --include='*.[ch]'); do
	case " $entries " in
	*" $f "*) ;;
	*) bad="$bad $f" ;;
	esac
done
[ -n "$bad" ] && echo "# makes user addresses from raw values:$bad"
[ -z "$bad" ]
report $? "raw values become user addresses only where they enter"
echo "1..$n"
