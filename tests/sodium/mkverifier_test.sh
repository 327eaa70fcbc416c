#!/bin/sh
# The mkverifier suite: what tools/mkverifier reads as the password, what
# it prints, and what it refuses.  Its verifiers are checked by the host's
# libsodium (host_verify); cheap costs keep the suite fast.  Prints TAP.
#
#   mkverifier_test.sh MKVERIFIER HOST_VERIFY
set -u
mkv=$1
verify=$2
n=0
failed=0

tap() { # tap CONDITION-STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

# verifier_of INPUT: a verifier at the cheapest costs for INPUT (printf format).
verifier_of() {
	# shellcheck disable=SC2059
	printf "$1" | "$mkv" --opslimit 1 --memlimit 8192
}

v=$(verifier_of 'a pass: phrase\n')
case $v in '$argon2id$v=19$m=8,t=1,p=1$'*) r=0 ;; *) r=1 ;; esac
tap $r "prints an Argon2id verifier with the costs asked for"
"$verify" "$v" 'a pass: phrase'
tap $? "the host's libsodium accepts its password, spaces and colon kept"
"$verify" "$v" 'a pass: phrase
'
[ $? -eq 1 ]
tap $? "the newline is not part of the password"
"$verify" "$(verifier_of 'no newline')" 'no newline'
tap $? "a last line without a newline is the password"
"$verify" "$(verifier_of 'crlf\r\n')" 'crlf'
tap $? "a CRLF line end is not part of the password"
[ "$(verifier_of 'same\n')" != "$(verifier_of 'same\n')" ]
tap $? "two verifiers of one password have different salts"
long=$(head -c 1024 /dev/zero | tr '\0' x)
"$verify" "$(verifier_of "$long\n")" "$long"
tap $? "a 1024-byte password is taken whole"

# refused STATUS NAME CMD...: CMD exits STATUS and prints nothing.
refused() {
	local want=$1 name=$2 out status
	shift 2
	out=$("$@" 2>/dev/null)
	status=$?
	[ "$status" -eq "$want" ] && [ -z "$out" ]
	tap $? "$name (exit $status)"
}
refused 1 "an empty password is refused" verifier_of '\n'
refused 1 "a 1025-byte password is refused, not cut" verifier_of "${long}x\n"
refused 2 "zero passes are refused" \
	sh -c "echo pw | '$mkv' --opslimit 0 --memlimit 8192"
refused 2 "less than Argon2id's 8 KiB is refused" \
	sh -c "echo pw | '$mkv' --opslimit 1 --memlimit 8191"
refused 2 "a cost that is not a decimal number is refused" \
	sh -c "echo pw | '$mkv' --opslimit 1 --memlimit 1e6"
refused 2 "a missing cost is refused" sh -c "echo pw | '$mkv' --opslimit 1"
refused 2 "an unknown option is refused" \
	sh -c "echo pw | '$mkv' --opslimit 1 --memlimit 8192 --salt x"
echo "1..$n"
[ "$failed" -eq 0 ]
