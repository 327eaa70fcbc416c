#!/bin/bash
# The Lua suite: Lua 5.4 built for capOS runs tests/lua/test.lua in-guest
# (boot module lua, its argv built in: user/lua/argv.c); the same Lua
# built for Linux with musl-gcc runs the same script on this machine; the
# lines the script prints ("lua: ...") must be equal byte for byte.
# Prints TAP.
#
#   run.sh ISO LUA_ELF LUA_LINUX SCRIPT OUTDIR
set -u
iso=$1
lua_elf=$2
lua_linux=$3
script=$4
out=$5
rm -rf "$out"
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
qemu="$here/../../scripts/qemu.sh"
n=0

. "$here/../boot/lib.sh"

# A capOS program: a static executable, loaded where user/user.ld puts it
# (no interpreter, no dynamic section, not position-independent).
elf_ok=0
readelf -h "$lua_elf" | grep -q 'Type: *EXEC' || elf_ok=1
readelf -l "$lua_elf" | grep -Eq 'INTERP|DYNAMIC' && elf_ok=1
readelf -h "$lua_elf" | grep -q 'Entry point address: *0x400000$' || elf_ok=1
if [ "$elf_ok" -eq 0 ]; then
	tap OK "Lua builds for capOS (a static capOS executable)"
else
	tap FAIL "Lua builds for capOS (a static capOS executable)" \
		"$(readelf -hl "$lua_elf" | grep -E 'Type|Entry|INTERP|DYNAMIC' | tr '\n' '|')"
fi

# The reference, first: in UTC, as capOS (no time zone) is.  The script
# goes in whole, as user/lua/argv.c passes it: -e joined to its text.
text=$(cat "$script"; printf x)
TZ=UTC "$lua_linux" "-e${text%x}" >"$out/linux.out" 2>&1
status=$?
if [ "$status" -eq 0 ]; then
	tap OK "the script exits 0 on Linux+musl"
else
	tap FAIL "the script exits 0 on Linux+musl" "status $status: $(grep -m3 -v '^lua: [a-z]' "$out/linux.out" | tr '\n' '|')"
fi

# In-guest: the test supervisor passes (33) when the program exits 0 and
# every frame, page table, kernel stack and heap allocation came back.
qemu_run capos 33 120 --iso "$iso" --args "test=user run=lua"
ktest_lines capos "user."
expect capos 'KTEST done: [0-9]+ checks, 0 failed' "the script exits 0 in-guest (no leaks)"
refuse capos 'PANIC' "no panic"

# The script's lines, without the kernel's timestamp.
sed -n 's/^\[ *[0-9]*\.[0-9]*\] \(lua: \)/\1/p' "$out/capos.log" >"$out/capos.out"
if [ -s "$out/capos.out" ] && cmp -s "$out/linux.out" "$out/capos.out"; then
	tap OK "in-guest output equals Linux+musl output ($(wc -l <"$out/capos.out") lines)"
else
	tap FAIL "in-guest output equals Linux+musl output" \
		"$(diff "$out/linux.out" "$out/capos.out" | head -n 6 | tr '\n' '|')"
fi

# One line per section of the script, as it judged itself in-guest; the
# sections are the reference's, so one missing in-guest fails.
for s in $(sed -n 's/^lua: section \([a-z]*\): .*/\1/p' "$out/linux.out"); do
	line=$(grep -m1 "^lua: section $s: " "$out/capos.out")
	case $line in
	*" checks, 0 failed") tap OK "${line#lua: }" ;;
	"") tap FAIL "section $s" "never reported in-guest" ;;
	*) tap FAIL "${line#lua: }" "$(grep '^lua: FAILED' "$out/capos.out" | head -n 3 | tr '\n' '|')" ;;
	esac
done

# The supervisor's checks are declared (tests/boot/expected/lua), so one
# dropped from the run cannot vanish from the results.
declared "$here/../boot/expected/lua"
