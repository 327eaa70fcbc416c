# Shared by the QEMU suites (run.sh, services.sh): TAP output and checks
# on serial transcripts.  The caller sets $out (the transcript folder) and
# $qemu (scripts/qemu.sh) and starts n at 0.

tap() { # tap OK|FAIL NAME [why]
	n=$((n + 1))
	if [ "$1" = OK ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2${3:+: $3}"
	fi
}

# qemu_run NAME STATUS-WANTED TIMEOUT [qemu.sh options...]: one boot; the
# transcript, cleaned of the loader's escape sequences, is $out/NAME.log.
# Reports whether the exit status (33 pass, 35 fail, 37 panic, 124 our
# timeout, 0 the guest powered off) is the wanted one.
qemu_run() {
	local name=$1 want=$2 timeout=$3 status=0
	shift 3
	rm -f "$out/$name.log" "$out/$name.qemu.log"
	sh "$qemu" --timeout "$timeout" --serial "$out/$name.log" "$@" \
		>"$out/$name.qemu.log" 2>&1 || status=$?
	sed -i 's/\x1b\[[0-9;]*[A-Za-z]//g; s/\r//g' "$out/$name.log"
	if [ "$status" -eq "$want" ]; then
		tap OK "$name: exit status $status"
	else
		tap FAIL "$name: exit status $status, expected $want" \
			"$(tail -n 3 "$out/$name.log" | tr '\n' '|')"
	fi
}

# expect NAME REGEX DESCRIPTION: some line of the transcript matches.
expect() {
	if grep -Eq -- "$2" "$out/$1.log"; then
		tap OK "$1: $3"
	else
		tap FAIL "$1: $3" "no line matches /$2/"
	fi
}

# refuse NAME REGEX DESCRIPTION: no line of the transcript matches.
refuse() {
	if grep -Eq -- "$2" "$out/$1.log"; then
		tap FAIL "$1: $3" "$(grep -Em1 -- "$2" "$out/$1.log")"
	else
		tap OK "$1: $3"
	fi
}

# count NAME REGEX N DESCRIPTION: exactly N lines match.
count() {
	local got
	got=$(grep -Ec -- "$2" "$out/$1.log")
	if [ "$got" -eq "$3" ]; then
		tap OK "$1: $4"
	else
		tap FAIL "$1: $4" "$got lines match /$2/, expected $3"
	fi
}

# ktest_lines NAME PREFIX: every "KTEST ok PREFIX..." / "KTEST not ok
# PREFIX..." line of the transcript becomes a TAP line of its own.
ktest_lines() {
	local name=$1 prefix=$2 line
	while IFS= read -r line; do
		case $line in
		*"KTEST ok $prefix"*) tap OK "$name: ${line#*KTEST ok }" ;;
		*"KTEST not ok $prefix"*) tap FAIL "$name: ${line#*KTEST not ok }" ;;
		esac
	done <"$out/$name.log"
}

# --- declared checks -----------------------------------------------------
# Every run that reports in-guest checks has a declaration,
# tests/boot/expected/SUITE/RUN.checks: the names of every check the run
# must report, one per line, sorted (LC_ALL=C).  A declared check that
# never reports, one reported twice, and one not declared are failures, so
# a test dropped from a program cannot just vanish from the results.
# scripts/update-expected.sh writes the declarations from the last run
# (after a deliberate change to the tests).

# ktest_names LOG: the check names a transcript reports, one per line.
ktest_names() {
	sed -n 's/.*KTEST \(ok\|not ok\) \([^: ]*\).*/\2/p' "$1"
}

# declared_run NAME FILE: run NAME reports exactly the checks of FILE.
declared_run() {
	local name=$1 file=$2 log=$out/$1.log what got dups missing extra
	what="$name: every declared check reported once"
	if [ ! -f "$log" ]; then
		tap FAIL "$what" "no transcript"
		return
	fi
	if [ "$(cat "$file")" != "$(LC_ALL=C sort "$file")" ]; then
		tap FAIL "$what" "$file is not sorted (LC_ALL=C)"
		return
	fi
	got=$(ktest_names "$log" | LC_ALL=C sort)
	dups=$(printf '%s\n' "$got" | sed '/^$/d' | uniq -d | tr '\n' ' ')
	missing=$(printf '%s\n' "$got" | sed '/^$/d' | uniq |
		LC_ALL=C comm -13 - "$file" | tr '\n' ' ')
	extra=$(printf '%s\n' "$got" | sed '/^$/d' | uniq |
		LC_ALL=C comm -23 - "$file" | tr '\n' ' ')
	if [ -n "$dups$missing$extra" ]; then
		tap FAIL "$what" "${missing:+never reported: $missing}${dups:+reported twice: $dups}${extra:+not declared: $extra}"
	else
		tap OK "$what ($(sed '/^$/d' "$file" | wc -l))"
	fi
}

# declared DIR: every declaration in DIR matches its run, and every run of
# this suite that reports checks has a declaration.
declared() {
	local dir=$1 f name
	for f in "$dir"/*.checks; do
		[ -f "$f" ] || continue
		declared_run "$(basename "$f" .checks)" "$f"
	done
	for f in "$out"/*.log; do
		name=$(basename "$f" .log)
		case $name in *.qemu) continue ;; esac
		[ -f "$dir/$name.checks" ] && continue
		if grep -Eq 'KTEST (ok|not ok) ' "$f"; then
			tap FAIL "$name: its checks are declared" \
				"no $dir/$name.checks"
		fi
	done
}
