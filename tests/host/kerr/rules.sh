#!/bin/sh
# rules.sh
#
# Prints TAP.  Checks the kernel's error convention over the tree
# (docs/architecture.md, "Errors in the kernel"): only kernel/core/kerr.h
# names the ABI's error codes, and no module keeps an error enum of its
# own or answers -1.
set -u
. "$(dirname "$0")/../tap.sh"

bad=$(grep -rlE 'CAPOS_E_[A-Z_]+|CAPOS_OK|capos/errors\.h' kernel \
	--include='*.[ch]' | grep -vx kernel/core/kerr.h)
[ -n "$bad" ] && echo "# names ABI error codes:" $bad
[ -z "$bad" ]
report $? "only kernel/core/kerr.h names the ABI's error codes"

bad=$(grep -rnE '^enum [a-z_]*(error|status)\b|cap_error_to_transport' \
	kernel --include='*.[ch]')
[ -n "$bad" ] && printf '%s\n' "$bad" | sed 's/^/# /'
[ -z "$bad" ]
report $? "no kernel module keeps an error enum of its own"

bad=$(grep -rnE 'return -1;' kernel --include='*.c')
[ -n "$bad" ] && printf '%s\n' "$bad" | sed 's/^/# /'
[ -z "$bad" ]
report $? "no kernel function answers -1"
echo "1..$n"
