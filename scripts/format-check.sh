#!/bin/sh
# format-check.sh [--tap] FILE...
#
# Checks that every FILE is exactly what clang-format makes of it under
# the tree's .clang-format (Debian 12's clang-format 14; other versions
# format some constructs differently).  Lists the files that are not,
# with the fix: `make format`.  With --tap, prints the result as one TAP
# line for the suite `format` and each file's differences after it.
# Exits non-zero when a file is not formatted or clang-format is missing.
set -u
tap=
if [ "${1:-}" = --tap ]; then
	tap=1
	shift
fi
clang_format=${CLANG_FORMAT:-clang-format}

if ! command -v "$clang_format" >/dev/null 2>&1; then
	msg="$clang_format not found (Debian package clang-format; make setup)"
	if [ -n "$tap" ]; then
		echo "not ok 1 - $msg"
	else
		echo "format-check: $msg" >&2
	fi
	exit 1
fi

bad=
nbad=0
for f in "$@"; do
	if ! "$clang_format" --style=file "$f" | cmp -s "$f" -; then
		bad="$bad $f"
		nbad=$((nbad + 1))
	fi
done

what="$# C files formatted as .clang-format says ($("$clang_format" --version | sed 's/.*version \([0-9.]*\).*/clang-format \1/'))"
if [ "$nbad" -eq 0 ]; then
	if [ -n "$tap" ]; then
		echo "ok 1 - $what"
	else
		echo "format-check: $what"
	fi
	exit 0
fi

if [ -n "$tap" ]; then
	# The first few names on the result line, every one in the diff below.
	some=$(echo $bad | cut -d' ' -f1-5)
	[ "$nbad" -gt 5 ] && some="$some and $((nbad - 5)) more"
	echo "not ok 1 - $nbad of $# C files not formatted (make format): $some"
	for f in $bad; do
		"$clang_format" --style=file "$f" | diff -u "$f" - |
			sed "2s|^+++ -|+++ $f (make format)|"
	done
else
	echo "format-check: $nbad of $# C files not formatted:" >&2
	for f in $bad; do
		echo "    $f" >&2
	done
	echo "format-check: run \`make format\` to rewrite them in place" >&2
fi
exit 1
