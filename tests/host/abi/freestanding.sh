#!/bin/sh
# freestanding.sh OUT HEADER... -- SOURCE... -- ASM_HEADER...
#
# Prints TAP.  Each ABI header must compile on its own (nothing it needs is
# left to the includer) in three dialects: the kernel's freestanding flags,
# strict ISO C11, and clang for a bare x86_64 target.  Each library source
# must compile with the freestanding flags and reference no symbol outside
# lib/base/mem.h, so the kernel can link it without a libc.  Each
# ASM_HEADER must also be includable from assembly (__ASSEMBLER__), so
# entry code uses the same syscall numbers and addresses as C.
#
# Environment: CC and CFLAGS, the freestanding compiler and flags.
set -u
out=$1
shift
mkdir -p "$out"

# What lib/base provides to freestanding code.
allowed="memcpy memmove memset memcmp strlen strnlen strcmp strncmp"

. "$(dirname "$0")/../tap.sh"

while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	h=$1
	shift
	name=${h#include/}
	tu=$out/$(echo "$name" | tr '/.' '__').c
	# The typedef keeps the unit non-empty for headers with only macros.
	printf '#include <%s>\ntypedef int header_check_t;\n' "$name" >"$tu"

	# shellcheck disable=SC2086
	$CC $CFLAGS -fsyntax-only "$tu"
	report $? "$name alone, freestanding"
	# shellcheck disable=SC2086
	$CC $CFLAGS -std=c11 -pedantic-errors -fsyntax-only "$tu"
	report $? "$name alone, ISO C11 pedantic"
	if command -v clang >/dev/null 2>&1; then
		clang --target=x86_64-unknown-none-elf -ffreestanding \
			-Wall -Wextra -Werror -Iinclude -fsyntax-only "$tu"
		report $? "$name alone, clang"
	fi
done
[ $# -gt 0 ] && shift

while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	src=$1
	shift
	obj=$out/$(echo "$src" | tr '/.' '__').o
	# shellcheck disable=SC2086
	if ! $CC $CFLAGS -c -o "$obj" "$src"; then
		report 1 "$src compiles freestanding"
		continue
	fi
	report 0 "$src compiles freestanding"
	bad=""
	for sym in $(nm -u "$obj" | awk '{print $2}'); do
		case " $allowed " in
		*" $sym "*) ;;
		*) bad="$bad $sym" ;;
		esac
	done
	[ -n "$bad" ] && echo "# $src needs:$bad"
	[ -z "$bad" ]
	report $? "$src needs only lib/base"
done
[ $# -gt 0 ] && shift

for h in "$@"; do
	name=${h#include/}
	asm=$out/$(echo "$name" | tr '/.' '__').S
	printf '#include <%s>\n.text\nnop\n' "$name" >"$asm"
	# shellcheck disable=SC2086
	$CC $CFLAGS -D__ASSEMBLER__ -c -o "$asm.o" "$asm"
	report $? "$name from assembly"
done
echo "1..$n"
