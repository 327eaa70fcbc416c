#!/bin/sh
# gen-ksyms.sh KERNEL.elf — prints an assembly file holding the kernel's
# text symbols sorted by address, for backtraces (kernel/core/ksyms.c).
set -eu
nm -n --defined-only "$1" | awk '
$2 ~ /^[tT]$/ { addr[n] = $1; name[n] = $3; n++ }
END {
	print "\t.section .ksyms, \"a\""
	print "\t.balign 8"
	print "\t.global ksyms_table, ksyms_count"
	print "ksyms_count:"
	printf "\t.quad %d\n", n
	print "ksyms_table:"
	for (i = 0; i < n; i++)
		printf "\t.quad 0x%s, ksym_name_%d\n", addr[i], i
	for (i = 0; i < n; i++)
		printf "ksym_name_%d:\t.asciz \"%s\"\n", i, name[i]
}'
