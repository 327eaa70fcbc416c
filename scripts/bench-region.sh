#!/bin/sh
# bench-region.sh DOC NAME FILE
#
# Rewrites the region of DOC between the lines "<!-- bench:NAME begin -->"
# and "<!-- bench:NAME end -->" with FILE, says whether that changed DOC,
# and checks that the region now equals FILE.  The generated tables of
# docs/benchmarks.md are such regions: "table" (scripts/bench-report.sh)
# and "smp" (scripts/bench-smp.sh).  Fails, leaving DOC alone, when DOC
# lacks exactly one of each marker line.
set -eu
doc=$1
name=$2
file=$3

begin="<!-- bench:$name begin -->"
end="<!-- bench:$name end -->"
if [ "$(grep -cx "$begin" "$doc")" != 1 ] ||
	[ "$(grep -cx "$end" "$doc")" != 1 ]; then
	echo "bench-region: $doc needs one line '$begin' and one '$end'" >&2
	exit 1
fi
awk -v b="$begin" -v e="$end" -v res="$file" '
	$0 == e { inside = 0 }
	!inside { print }
	$0 == b {
		inside = 1
		while ((getline l < res) > 0)
			print l
	}' "$doc" >"$doc.tmp"
if cmp -s "$doc" "$doc.tmp"; then
	rm -f "$doc.tmp"
	echo "$doc: $name unchanged"
else
	mv "$doc.tmp" "$doc"
	echo "$doc: $name updated"
fi
# The region must now be FILE, byte for byte.
awk -v b="$begin" -v e="$end" '
	$0 == e { inside = 0 }
	inside { print }
	$0 == b { inside = 1 }' "$doc" | cmp -s - "$file" || {
	echo "bench-region: the $name region of $doc differs from $file" >&2
	exit 1
}
