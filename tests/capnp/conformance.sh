#!/bin/sh
# Conformance of lib/capnp and tools/capnpc-c with the reference `capnp`
# tool (Debian's capnproto).  Usage:
#
#   conformance.sh CONFORMANCE-BINARY WORKDIR MANIFEST-BIN PLUGIN
#
# Each check prints one TAP line; details of a failure go to stderr.
# Messages are compared with the reference both as decoded text and as
# canonical bytes (`capnp convert binary:canonical`), so a difference in
# any field, pointer or list element fails.
set -u
bin=$1
work=$2
manifest=$3
plugin=$4
capnp=${CAPNP:-capnp}
dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$dir/../.." && pwd)
schema=$dir/conformance.capnp
capos=$root/schema/capos.capnp

n=0
failed=0
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=1
	fi
}

enc() { "$capnp" encode --no-standard-import "$schema" "$@"; }
dec() { "$capnp" decode --no-standard-import "$schema" "$@"; }
canon() { "$capnp" convert binary:canonical <"$1"; }
# Segment count of a framed message.
nseg() { echo $(($(od -An -tu4 -N4 "$1") + 1)); }

# same TYPE OURS REF: the reference reads OURS as exactly REF.
same() {
	dec "$1" <"$2" >"$2.txt" && dec "$1" <"$3" >"$3.txt" &&
		diff -u "$3.txt" "$2.txt" >&2 &&
		canon "$2" >"$2.canon" && canon "$3" >"$3.canon" &&
		cmp "$3.canon" "$2.canon" >&2
}

mkdir -p "$work"
cd "$work" || exit 1
rm -f ./*.bin ./*.txt ./*.canon

# The reference writes, we read.
enc TestAll <"$dir/testall.txt" >all.bin &&
	"$bin" check-all all.bin
result $? "reference TestAll: every field read back"

"$capnp" convert --no-standard-import --segment-size=16 text:binary \
	"$schema" TestAll <"$dir/testall.txt" >all-seg.bin &&
	[ "$(nseg all-seg.bin)" -gt 1 ] && "$bin" check-all all-seg.bin
result $? "reference multi-segment TestAll: every field read back"

echo '()' | enc Defaults >defaults-empty.bin &&
	"$bin" check-defaults defaults-empty.bin
result $? "reference empty Defaults: schema defaults returned"

enc Defaults <"$dir/defaults-set.txt" >defaults-set.bin &&
	"$bin" check-defaults-set defaults-set.bin
result $? "reference Defaults with values over defaults: read back"

"$capnp" convert --no-standard-import --segment-size=1 text:binary \
	"$schema" TestAll <"$dir/testall.txt" >all-many.bin &&
	[ "$(nseg all-many.bin)" -gt 32 ] && "$bin" check-all all-many.bin
result $? "reference TestAll in more than 32 segments: every field read back"

# Hand-built edge cases: we refuse exactly what the reference refuses,
# and read what it reads as it reads it.
"$bin" hand .
for f in no-root no-root-first far-zero-list; do
	! dec Defaults <$f.bin >$f.ref 2>&1 &&
		"$bin" read-defaults $f.bin >$f.ours &&
		grep -q '^error: ' $f.ours || { cat $f.ref $f.ours >&2; false; }
	result $? "$f: refused by the reference and by us ($(cat $f.ours))"
done
for f in far-zero far-zero-double; do
	dec Defaults <$f.bin >$f.ref 2>&1 &&
		grep -q 'structField = (a = 0)' $f.ref &&
		"$bin" read-defaults $f.bin >$f.ours &&
		[ "$(cat $f.ours)" = "ok a=0 s=" ] ||
		{ cat $f.ref $f.ours >&2; false; }
	result $? "$f: a zero landing pad reads as an empty struct, not the default"
done

"$bin" check-manifest "$manifest"
result $? "default manifest (capnp eval) read through capos accessors"

# We write, the reference reads.
"$bin" build-all ours.bin 0 0 && [ "$(nseg ours.bin)" -eq 1 ] &&
	same TestAll ours.bin all.bin
result $? "built TestAll (one segment) decodes as the reference's"

"$bin" build-all ours-seg.bin 4 0 && [ "$(nseg ours-seg.bin)" -gt 4 ] &&
	same TestAll ours-seg.bin all.bin
result $? "built TestAll (many segments, far pointers) decodes as the reference's"

"$bin" check-all ours-seg.bin
result $? "built multi-segment TestAll read back by our runtime"

"$bin" build-all ours-dfar.bin 16 1 && [ "$(nseg ours-dfar.bin)" -gt 1 ] &&
	same TestAll ours-dfar.bin all.bin && "$bin" check-all ours-dfar.bin
result $? "built TestAll (double-far pointers) decodes as the reference's"

"$bin" build-defaults-set ours-defaults.bin &&
	same Defaults ours-defaults.bin defaults-set.bin
result $? "built Defaults (values XOR defaults) decodes as the reference's"

"$bin" build-exception exception.bin &&
	[ "$("$capnp" decode --short --no-standard-import "$capos" CapException \
		<exception.bin)" = '(type = invalidArgument, message = "bad length")' ]
result $? "built CapException decodes as expected"

"$bin" copy all.bin copy-seg.bin 8 && same TestAll copy-seg.bin all.bin &&
	"$bin" copy all-seg.bin copy.bin 0 && same TestAll copy.bin all.bin
result $? "deep copy between single- and multi-segment messages"

"$bin" check-consts
result $? "generated constants match the schema"

# Generated ids and struct sizes against the reference's own listing
# (every type the test prints must appear there exactly so).
"$bin" ids | sed 's/ capos_/ /; s/ conformance_/ /' | sort >ids.ours &&
	for s in "$capos" "$schema"; do
		"$capnp" compile --no-standard-import -ocapnp "$s"
	done | sed -n -e 's/^\(struct\|enum\|interface\) \([A-Za-z0-9]*\) @0x\([0-9a-f]*\) {\(  # \([0-9]*\) bytes, \([0-9]*\) ptrs\)\{0,1\}$/\1 \2 \3 \5 \6/p' \
		-e 's/^@0x\([0-9a-f]*\);$/file \1/p' \
		-e 's/^const \([A-Za-z0-9]*\) @0x\([0-9a-f]*\) :.*$/const \1 \2/p' |
	sed 's/ *$//' | sort >ids.ref &&
	[ -s ids.ours ] && comm -23 ids.ours ids.ref >ids.diff &&
	[ ! -s ids.diff ] || { cat ids.diff >&2; false; }
result $? "generated file, type and constant ids and struct sizes match capnp compile"

# The plugin makes the subdirectories a requested file's path names, as
# the reference plugins do, and its output is strict ISO C.
rm -rf plugin && mkdir -p plugin/src/sub/dir plugin/out &&
	cp "$schema" plugin/src/sub/dir/x.capnp &&
	(cd plugin/src && "$capnp" compile --no-standard-import \
		-o"$plugin":../out sub/dir/x.capnp) &&
	[ -f plugin/out/sub/dir/x.capnp.h ] &&
	printf '#include "sub/dir/x.capnp.h"\nint main(void) { return (int)(x_FILE_ID & 0); }\n' \
		>plugin/t.c &&
	${CC:-cc} -std=c11 -Wpedantic -Wall -Wextra -Werror -I"$root/lib" \
		-Iplugin/out -o plugin/t plugin/t.c && ./plugin/t
result $? "plugin writes out/sub/dir/x.capnp.h for sub/dir/x.capnp (strict C11)"

exit $failed
