#!/bin/sh
# Turns Debian's musl source (scripts/debsrc.sh) into the capOS C library's
# source tree: a fresh copy with our small set of changes, each listed
# here and in docs/libc.md.  Nothing of musl is committed.
#
#   prepare.sh MUSL_SOURCE OUT_DIR
set -eu
src=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$out"
cp -a "$src" "$out"

# 1. System calls are function calls into the shim, not SYSCALL.
cp "$here/syscall_arch.h" "$out/arch/x86_64/syscall_arch.h"

# 2. The pieces that set up or end threads by hand, in assembly or C, are
#    the shim's (user/libc/shim/thread.c): the TLS pointer, clone, a
#    thread unmapping its own stack, and the cancellable system call.
#    vfork goes to its generic C version (fork, which is ENOSYS).
rm -f "$out/src/thread/x86_64/__set_thread_area.s" \
	"$out/src/thread/x86_64/clone.s" \
	"$out/src/thread/x86_64/__unmapself.s" \
	"$out/src/thread/x86_64/syscall_cp.s" \
	"$out/src/thread/__set_thread_area.c" \
	"$out/src/thread/clone.c" \
	"$out/src/thread/__unmapself.c" \
	"$out/src/process/x86_64/vfork.s"
