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
dec() { "$capnp" decode --quiet --no-standard-import "$schema" "$@"; }
canon() { "$capnp" convert --quiet binary:canonical <"$1"; }
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

# Hundreds of segments: the reference writes one object per segment, we
# read every word of it (our canonical form equals the reference's) and
# write the same with our own one-word segments.
big() {
	printf '( textField = "big", textList = ['
	i=0; while [ $i -lt 250 ]; do printf '"t%d", ' $i; i=$((i + 1)); done
	printf '"end"], structList = ['
	i=0; while [ $i -lt 120 ]; do
		printf '(a = %d, s = "s%d", deeper = (a = %d)), ' $i $i $i
		i=$((i + 1))
	done
	printf '()] )\n'
}
big >big.txt
"$capnp" convert --no-standard-import --segment-size=1 text:binary \
	"$schema" TestAll <big.txt >big.bin &&
	[ "$(nseg big.bin)" -gt 400 ] && [ "$(nseg big.bin)" -le 512 ] &&
	"$bin" canonical big.bin big.ours-canon && canon big.bin >big.canon &&
	cmp big.canon big.ours-canon >&2
result $? "reference message in $(nseg big.bin) segments: read back exactly"

"$bin" copy big.bin big-ours.bin 1 && [ "$(nseg big-ours.bin)" -gt 400 ] &&
	same TestAll big-ours.bin big.bin
result $? "built message in $(nseg big-ours.bin) segments decodes as the reference's"

# Canonical form: ours is byte for byte the reference's, from one
# segment, many segments, double-far pointers and defaults.
for f in all all-seg all-many ours-dfar defaults-set defaults-empty; do
	"$bin" canonical $f.bin $f.ours-canon && canon $f.bin >$f.canon &&
		cmp $f.canon $f.ours-canon >&2
	result $? "canonical form of $f.bin is the reference's"
done
"$bin" canonical "$manifest" manifest.ours-canon &&
	canon "$manifest" >manifest.canon && cmp manifest.canon manifest.ours-canon
result $? "canonical form of the default manifest is the reference's"

# Packed encoding, both ways, one segment and many.
for sz in 0 16 1; do
	if [ $sz -eq 0 ]; then opt=; else opt=--segment-size=$sz; fi
	"$capnp" convert --no-standard-import $opt text:packed "$schema" \
		TestAll <"$dir/testall.txt" >p$sz.ref-packed &&
		"$capnp" convert --no-standard-import $opt text:binary \
			"$schema" TestAll <"$dir/testall.txt" >p$sz.bin &&
		"$bin" unpack p$sz.ref-packed p$sz.ours-unpacked &&
		cmp p$sz.bin p$sz.ours-unpacked >&2
	result $? "reference packed TestAll ($(nseg p$sz.bin) segments): unpacked exactly"
	"$bin" pack p$sz.bin p$sz.ours-packed &&
		cmp p$sz.ref-packed p$sz.ours-packed >&2
	result $? "packed TestAll ($(nseg p$sz.bin) segments): the reference's bytes"
done

"$bin" copy-packed p16.ref-packed copy-packed 0 &&
	"$capnp" convert --quiet packed:binary <copy-packed >copy-packed.bin &&
	same TestAll copy-packed.bin all.bin
result $? "packed message read, copied and written packed; the reference reads it"

"$bin" build-all ours-packed 3 0 packed &&
	dec --packed TestAll <ours-packed >ours-packed.txt &&
	dec TestAll <all.bin >all.txt && diff -u all.txt ours-packed.txt >&2 &&
	"$bin" copy-packed ours-packed ours-packed.copy 0
result $? "built TestAll written packed (many segments) decodes as the reference's"

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
	[ -f plugin/out/sub/dir/x.capnp.c ] &&
	(for c in plugin/t.c plugin/out/sub/dir/x.capnp.c; do
		${CC:-cc} -std=c11 -Wpedantic -Wall -Wextra -Werror \
			-I"$root/lib" -Iplugin/out -c -o "$c.o" "$c" || exit 1
	done)
result $? "plugin writes out/sub/dir/x.capnp.h and .c for sub/dir/x.capnp (strict C11)"

exit $failed
