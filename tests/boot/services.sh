#!/bin/bash
# The services suite: boots the image with init running each test
# manifest (system/tests/, kernel argument manifest=NAME) under the
# kernel's test supervisor (test=init), and checks the exit status and the
# serial transcript.  Prints TAP.
#
#   services.sh ISO OUTDIR
#
# Exit statuses (isa-debug-exit): 33 pass, 35 fail, 37 panic; 124 is our
# timeout.  The supervisor passes when init's exit code is the expected
# one (expect_exit=N, default 0) and every frame came back.  init exits 0
# only when every service ended with its expectExit, 1 when it refused the
# manifest or a service did not.
set -u
iso=$1
out=$2
# Old transcripts go first: a run dropped from this file must not pass on
# what an earlier run left.
rm -rf "$out"
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)
qemu="$here/../../scripts/qemu.sh"

TIMEOUT=${BIOS_TIMEOUT:-60}
n=0

. "$here/lib.sh"

# boot NAME STATUS-WANTED ARGS: one test=init run; the transcript is
# $out/NAME.log.
boot() {
	local name=$1 want=$2
	shift 2
	qemu_run "$name" "$want" "$TIMEOUT" --iso "$iso" --args "test=init $*"
	refuse "$name" 'PANIC' "no panic"
	expect "$name" 'KTEST done: [0-9]+ checks, 0 failed' \
		"supervisor: init's exit code as expected, no leaks"
}

# Every KTEST line a service printed becomes a TAP line of its own.
ktests() {
	ktest_lines "$1" ipc.
}

# The kernel starts init and nothing else; init starts the services.
only_init() {
	count "$1" 'started init .* as process 1$' 1 "the kernel started init"
	count "$1" '\] started .* as process' 1 "the kernel started nothing else"
}

# --- echo_copy: the echo demo, a console cap copied -----------------------
# (The default manifest, what `make run` boots, runs the shell until
# someone types `shutdown`: the suite `shell` boots it, tests/shell/.)
boot echo_copy 33 manifest=echo_copy
only_init echo_copy
expect echo_copy "manifest: manifest-echo_copy, 3 binaries, init 'init'" \
	"the kernel read manifest-echo_copy"
expect echo_copy 'init: started echo_server \(echo_server\)' "server started"
expect echo_copy 'init: started echo_client \(echo_client\)' "client started"
expect echo_copy 'echo_server: printed through the console cap echo_client copied to it' \
	"the server printed through a console cap passed to it"
ktests echo_copy

# --- echo: calls, copy and move of caps, result caps ----------------------
boot echo 33 manifest=echo
only_init echo
expect echo "manifest: manifest-echo, 3 binaries" "the kernel read manifest-echo"
expect echo 'init: manifest accepted: 3 binaries, 2 services' "init accepted the graph"
expect echo 'echo_server: printed through the console cap echo_client moved to it' \
	"the server printed through a console cap moved to it"
expect echo 'echo_client: 0 check\(s\) failed' "the client's checks ran"
expect echo 'init: echo_client exited with code 0' "init saw the client exit"
expect echo 'init: stopping echo_server' "init stops the server once the client is done"
expect echo 'init: all services ended as expected' "init's verdict"
ktests echo

# --- flood: a bounded endpoint queue ----------------------------------------
boot flood 33 manifest=flood
expect flood 'flood_client: [0-9]+ answered, [1-9][0-9]* refused with CAPOS_E_QUOTA' \
	"calls past the queue bound were refused"
ktests flood

# --- disconnect: the server dies with a call in flight ---------------------
boot disconnect 33 manifest=disconnect
expect disconnect 'init: dying_server exited with code 0' \
	"a server's own exit is seen and counted"
ktests disconnect

# --- launchers: a spawner narrowed to named binaries ------------------------
boot launcher 33 manifest=launcher
ktests launcher
expect launcher 'launchertest: 0 failures' "every launcher check passed"
expect launcher 'hello from capOS process' "the launcher started hello"

# --- revocable caps: forwarders, a child's copies, revoke ------------------
boot revocable 33 manifest=revocable
ktests revocable
expect revocable 'revoketest: 0 failures' "every revocable-cap check passed"
# (The child's clean exit is revoketest's the_child_exits_cleanly: a
# clean exit is no console line, only a record of the log ring.)

# --- programs: what a shell user runs, with a scripted StdIO -------------
# progtest runs hello, echo, cat, spin and now with a stdio_script in
# place of the terminal and checks what each wrote and its exit code;
# what they say on the Console instead is checked here.
boot programs 33 manifest=programs
ktests programs
expect programs 'progtest: 0 failures' "every program check passed"
expect programs '\] Hello from capOS!$' "hello without stdio greets on the Console"
expect programs '\] echo: no stdio cap$' "echo without stdio says so on the Console"

# --- the authority broker: sessions, bundles, end ---------------------------
boot broker 33 manifest=broker
ktests broker
expect broker 'brokertest: 0 failures' "every broker check passed"
expect broker 'broker: session [0-9]+ issued \(alice, profile operator, 3 caps\)' \
	"the operator session was issued"
expect broker 'broker: session [0-9]+ ended \(alice\)' "and ended"

# --- restart policies and the crash-loop budget ----------------------------
boot restart 33 manifest=restart
count restart 'init: started crasher \(crasher\)' 4 "crasher ran 1 + 3 times"
count restart 'init: restarting crasher \(restart [1-3] of 3\)' 3 \
	"onFailure restarts a failing service 3 times"
expect restart 'init: crasher crash loop, giving up' "then gives up on it"
count restart 'init: restarting again ' 3 "always restarts a service that exits 0"
expect restart 'init: again crash loop, giving up' "within the same budget"
count restart 'init: started once \(nop\)' 1 "never does not restart"
count restart 'init: restarting once' 0 "never means never"
expect restart 'init: all services ended as expected' "final codes as expected"

# --- readiness: dependents start only after their server reported ready ----
boot ready 33 manifest=ready
ktests ready
expect ready 'init: ready_server is ready' "the server reported ready"
expect ready 'ready_server: reported ready' "through capos_service_ready"
if awk '/init: ready_server is ready/ { r = NR }
	/init: started ready_client/ { c = NR }
	END { exit !(r && c > r) }' "$out/ready.log"; then
	tap OK "ready: the client was started only after that"
else
	tap FAIL "ready: the client was started only after that" "order"
fi
boot never_ready 33 manifest=never_ready expect_exit=1
expect never_ready 'init: stuck did not report ready within 300 ms' \
	"a service that never reports ready is named, with its timeout"
expect never_ready 'init: cannot start client: service stuck, which it imports from, never reported ready' \
	"its dependent is not started"
count never_ready 'init: started client' 0 "and never runs"

# --- terminal: a script on the host types into the serial port -----------
# QEMU serves COM1 on a Unix socket and starts the guest once
# tests/boot/terminal.py has connected; the script answers termtest's
# prompts with keys (line editing, a hidden password, Ctrl-C, Ctrl-D, a
# StdIO read, a 10,000-byte burst) and termtest checks what the terminal
# service returned.  The transcript is what the guest wrote.
terminal_run() {
	local name=terminal sock="$out/terminal.sock" status=0 driver=0 pid
	rm -f "$sock"
	# The checks read what the typing script received (terminal.py).
	sh "$qemu" --timeout "$TIMEOUT" --serial "$out/$name.serial" \
		--serial-socket "$sock" --iso "$iso" \
		--args "test=init manifest=terminal" >"$out/$name.qemu.log" 2>&1 &
	pid=$!
	/usr/bin/python3 "$here/terminal.py" "$sock" "$out/$name.log" \
		>"$out/$name.driver.log" 2>&1 || driver=$?
	wait "$pid" || status=$?
	rm -f "$sock"
	sed -i 's/\x1b\[[0-9;]*[A-Za-z]//g; s/\r//g' "$out/$name.log"
	if [ "$status" -eq 33 ]; then
		tap OK "$name: exit status $status"
	else
		tap FAIL "$name: exit status $status, expected 33" \
			"$(tail -n 3 "$out/$name.log" | tr '\n' '|')"
	fi
	if [ "$driver" -eq 0 ]; then
		tap OK "$name: the host typed every step"
	else
		tap FAIL "$name: the host typed every step" \
			"$(tail -n 2 "$out/$name.driver.log" | tr '\n' '|')"
	fi
	refuse "$name" 'PANIC' "no panic"
	expect "$name" 'KTEST done: [0-9]+ checks, 0 failed' \
		"supervisor: init's exit code as expected, no leaks"
}
terminal_run
ktest_lines terminal terminal.
expect terminal '\] serial: input on COM1 through ISA IRQ 4' "serial input routed through the I/O APIC"
expect terminal 'garbage' "typed text is echoed"
expect terminal 'partial\^C' "Ctrl-C is shown as ^C"
expect terminal 'facet: written' "a write through the stdio() facet is shown"
refuse terminal 's3cret' "the hidden line was never echoed"
expect terminal 'termtest: 0 failures' "every terminal check passed"

# --- credentials: the credential service, with and without accounts -------
# The service reads the accounts from the manifest; the fixture password
# (system/tests/operator.password) is only in credtest, and never printed.
boot credentials 33 manifest=credentials
ktests credentials
expect credentials 'credentials: 1 account\(s\), serving' \
	"the service read the manifest's account"
expect credentials 'init: credentials is ready' "and reported ready"
expect credentials 'credtest: 0 failures' "every credential check passed"
refuse credentials 'capos-operator-1' "the password never reached the console"
refuse credentials 'argon2id' "nor a verifier"
boot credentials_empty 33 manifest=credentials_empty
ktests credentials_empty
expect credentials_empty 'credentials: 0 account\(s\), serving' \
	"the service started without accounts"
expect credentials_empty 'credentials: account "admin" made by setup' \
	"setup made the first account"
expect credentials_empty 'credtest: 0 failures' "every credential check passed"
refuse credentials_empty 'setup-password' "no password reached the console"

# --- the verdict can fail -----------------------------------------------------
boot mismatch 33 manifest=mismatch expect_exit=1
expect mismatch 'init: crasher exited with code 3, expected 0' "init names the service"
expect mismatch 'process 1 \(init\) exited with code 1' "and exits 1"

# --- hostile manifests: refused before anything starts ---------------------
hostile() { # hostile NAME MESSAGE-REGEX
	local name=hostile-$1
	boot "$name" 33 "manifest=$name" expect_exit=1
	expect "$name" "init: manifest refused: $2" "refused with its own message"
	refuse "$name" 'init: started' "nothing was started"
	only_init "$name"
}
hostile missing_binary 'service "echo_client": binary "echo_client" is not in binaries$'
hostile cycle 'service "ping": grant "peer" imports "pong.echo", but service "pong" imports back \(import cycle ping -> pong -> ping\)$'
hostile unresolved_import 'service "echo_client": grant "echo" imports "echo_server.shout", but service "echo_server" exports no "shout"$'
hostile wrong_interface 'service "echo_client": grant "console" imports "echo_server.echo" as "Console", but that export serves "Echo"$'

# --- every run reports exactly the checks it declares -------------------
declared "$here/expected/services"

echo "1..$n"
