#!/bin/sh
# Fetches and unpacks a Debian source package for the build, without
# touching the machine's own apt state: a private apt directory whose
# deb-src list is derived from the machine's existing apt sources, then
# `apt-get source --download-only` and `dpkg-source -x`.  Third-party code
# is never committed; it arrives here at build time.
#
#   debsrc.sh DIR PACKAGE
#
# Unpacks PACKAGE into DIR/PACKAGE (a fresh copy each time it is fetched)
# and prints that path.  A second call with the source already there only
# prints the path.  apt verifies the signed index and the files' checksums.
set -eu
mkdir -p "$1"
dir=$(cd "$1" && pwd) # apt takes relative paths from /etc/apt
pkg=$2
out=$dir/$pkg

# One fetch at a time: parallel make may fetch several packages, and they
# share the apt directory and the download folder.
exec 9>"$dir/.lock"
flock 9

if [ -f "$out/.unpacked" ]; then
	echo "$out"
	exit 0
fi

apt=$dir/.apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" \
	"$apt/sources.list.d" "$apt/preferences.d" "$dir/.dl"

# deb-src twins of every source the machine uses: one-line lists and
# deb822 files alike.  Third-party repositories with no sources are
# dropped by apt's update as a warning, not an error.
: >"$apt/sources.list"
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
	[ -f "$f" ] || continue
	sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f" >>"$apt/sources.list"
done
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	sed 's/^Types:.*/Types: deb-src/' "$f" >"$apt/sources.list.d/$(basename "$f")"
	echo >>"$apt/sources.list.d/$(basename "$f")"
done

opts="-o Dir::Etc::SourceList=$apt/sources.list
-o Dir::Etc::SourceParts=$apt/sources.list.d
-o Dir::Etc::Preferences=/dev/null
-o Dir::Etc::PreferencesParts=$apt/preferences.d
-o Dir::State::Lists=$apt/lists
-o Dir::Cache=$apt/cache
-o APT::Sandbox::User=root"

if ! ls "$apt/lists/"*Sources* >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	apt-get -q $opts update >"$apt/update.log" 2>&1 || {
		cat "$apt/update.log" >&2
		echo "debsrc: apt-get update of the deb-src lists failed" >&2
		exit 1
	}
fi

rm -rf "$dir/.dl" "$out"
mkdir -p "$dir/.dl"
# shellcheck disable=SC2086
(cd "$dir/.dl" && apt-get -q $opts source --download-only "$pkg") \
	>"$apt/source-$pkg.log" 2>&1 || {
	cat "$apt/source-$pkg.log" >&2
	echo "debsrc: cannot fetch the source package $pkg" >&2
	exit 1
}
dsc=$(ls "$dir/.dl/${pkg}_"*.dsc | head -n 1)
dpkg-source --no-check -x "$dsc" "$out" >"$apt/unpack-$pkg.log" 2>&1 || {
	cat "$apt/unpack-$pkg.log" >&2
	echo "debsrc: cannot unpack $dsc" >&2
	exit 1
}
rm -rf "$dir/.dl"
touch "$out/.unpacked"
echo "$out"
