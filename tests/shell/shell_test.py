#!/usr/bin/python3
"""The shell's interactive test: a person at the serial console.

    shell_test.py QEMU_SH ISO OUTDIR

Boots two systems and types into their shells over QEMU's serial socket
(tests/shell/console.py), printing one TAP line per check:

  operator  system/tests/shell.capnp: the default system with a test
            operator (password in system/tests/operator.password).
            The anonymous prompt, refusals (a missing cap, a cap of the
            wrong interface, a program not allowed or not there), programs
            and their caps,
            hostile lines, a wrong and a right login, the operator's
            bundle, the audit trail, Ctrl-C, logout revoking a background
            program's caps, and `shutdown` ending QEMU with status 0.
  setup     system/default.capnp, which has no account: `setup` makes
            the operator, a second `setup` is refused, Ctrl-D logs out,
            the new account logs in, then `shutdown`.
"""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console import Console  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BOOT_WAIT = 120   # seconds from QEMU's start to the first prompt
STEP_WAIT = 60    # seconds for any one answer
ANON = r"anonymous@capos\$ "
OPER = r"operator@capos\$ "

n = 0
failed = 0


def tap(ok, name, why=""):
    global n, failed
    n += 1
    if ok:
        print("ok %d - %s" % (n, name))
    else:
        failed += 1
        print("not ok %d - %s%s" % (n, name, ": " + why if why else ""))
    sys.stdout.flush()


class Boot:
    """One QEMU with the shell on its serial socket."""

    current = None

    def __init__(self, qemu, iso, out, name, manifest):
        self.name = name
        self.sock = os.path.join(out, name + ".sock")
        self.transcript = os.path.join(out, name + ".log")
        if os.path.exists(self.sock):
            os.unlink(self.sock)
        args = "manifest=" + manifest if manifest else ""
        cmd = ["sh", qemu, "--timeout", "600", "--serial-socket",
               self.sock, "--iso", iso]
        if args:
            cmd += ["--args", args]
        self.qemu = subprocess.Popen(
            cmd, stdout=open(os.path.join(out, name + ".qemu.log"), "w"),
            stderr=subprocess.STDOUT)
        self.con = Console()
        self.con.connect(self.sock, 60)
        self.broken = None  # the first failed step: the rest are skipped
        Boot.current = self

    def abandon(self):
        """After an exception: keep the transcript, stop QEMU."""
        self.con.save(self.transcript)
        self.qemu.kill()
        self.qemu.wait()

    def step(self, what, send, want, wait=STEP_WAIT):
        """Types send (a line, or raw bytes), then checks want appears.
        After a failure the boot's later steps fail at once (the guest
        is not where they expect it)."""
        if self.broken:
            tap(False, "%s: %s" % (self.name, what),
                "skipped after \"%s\" failed" % self.broken)
            return False
        if send is not None:
            if isinstance(send, str):
                send = send.encode() + b"\r"
            self.con.send(send)
        try:
            self.con.expect(want, wait)
            tap(True, "%s: %s" % (self.name, what))
            return True
        except Exception as e:  # the driver's timeout names the output
            self.broken = what
            tap(False, "%s: %s" % (self.name, what),
                str(e).replace("\n", "|")[-300:])
            return False

    def refuse_since(self, what, pattern, start):
        text = self.con.transcript()[start:]
        m = re.search(pattern.encode(), text)
        tap(m is None, "%s: %s" % (self.name, what),
            m.group(0).decode(errors="replace") if m else "")

    def mark(self):
        return len(self.con.transcript())

    def finish(self, want_status):
        if self.broken:
            self.qemu.kill()
        try:
            status = self.qemu.wait(120)
        except subprocess.TimeoutExpired:
            self.qemu.kill()
            status = self.qemu.wait()
        self.con.save(self.transcript)
        tap(status == want_status, "%s: QEMU exit status %d" %
            (self.name, status), "expected %d" % want_status)


def login(b, password, want):
    b.step("login asks the username", "login", r"username> ")
    b.step("login asks the password", "operator", r"password> ")
    return b.step("login: " + want, password, want, 90)


def operator_boot(qemu, iso, out):
    password = open(os.path.join(ROOT, "system/tests/operator.password")) \
        .read().strip()
    b = Boot(qemu, iso, out, "operator", "shell")
    b.step("boots to the anonymous prompt with the motd", None,
           r"Welcome to capOS\.(.|\n)*" + ANON, BOOT_WAIT)
    b.step("whoami is anonymous", "whoami", r"\nanonymous\r?\n")
    b.step("caps lists the anonymous bundle", "caps",
           r"stdio +StdIO +session(.|\n)*launcher +ProcessSpawner")
    b.step("shutdown is refused as anonymous", "shutdown",
           r"shutdown: not permitted: this session holds no "
           r"ShutdownControl cap")
    b.step("run hello with stdio prints", 'run "hello" with { stdio: @stdio }',
           r"Hello from capOS")
    b.step("run without the cap it needs fails clearly", 'run "hello"',
           r"hello: exited with [0-9]+")
    b.step("a cap of another interface than the program expects is "
           "refused", 'run "hello" with { stdio: @timer }',
           r'run: hello: spawn: the program expects "stdio" to be a StdIO')
    b.step("an unknown cap name is refused",
           'run "hello" with { stdio: @nosuch }',
           r"run: no cap named @nosuch in this session")
    b.step("a program the session may not start is refused",
           'run "spin" with { stdio: @stdio }', r"run: spin: .+")
    b.step("a missing program is refused", 'run "nosuch"',
           r"run: nosuch: .+")
    b.step("an unknown command is refused", "frobnicate",
           r"shell: unknown command `frobnicate`")
    # Hostile lines: each gets a one-line error and the shell goes on.
    # The terminal keeps the first 1,024 bytes of a line.
    b.step("a 100 KiB line gets one line of error",
           b"x" * (100 * 1024) + b"\r",
           r"shell: unknown command `x{40}\.\.\.` \(try `help`\)", 120)
    b.step("control bytes are dropped", b"\x01\x02who\x1bxami\x0b\r",
           r"anonymous")
    b.step("an unterminated string is refused", 'run "hello',
           r"shell: column [0-9]+: .*string")
    b.step("deeply nested braces are refused", "run x with " + "{" * 200,
           r"shell: column [0-9]+: ")
    b.step("the shell still answers", "whoami", r"\nanonymous\r?\n")
    # Logins.
    start = b.mark()
    login(b, "not-the-password", r"login: incorrect username or password")
    b.refuse_since("the hidden password was not echoed", "not-the-password",
                   start)
    login(b, password, r"logged in as operator")
    b.step("the operator prompt", "", OPER)
    b.step("caps lists the operator bundle", "caps",
           r"shutdown +ShutdownControl +session")
    b.step("the bundle has the log and audit readers", "caps",
           r"logread +LogReader(.|\n)*audit +AuditLog")
    b.step("the audit trail has the failed login", "audit",
           r"loginFailure(.|\n)*loginSuccess")
    b.step("date shows the time", "date",
           r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC")
    b.step("uptime", "uptime", r"up [0-9]+:[0-9]{2}:[0-9]{2}")
    b.step("hostname", "hostname", r"\ncapos\r?\n")
    # Ctrl-C ends the foreground program.
    b.step("spin runs in the foreground", 'run "spin" with { stdio: @stdio }',
           r"spinning")
    b.step("Ctrl-C stops it", b"\x03", r"spin: stopped by Ctrl-C")
    b.step("the prompt is back", "", OPER)
    # A background program loses its bundle caps at logout.
    b.step("spawn puts a program in the background",
           'spawn "spin" with { stdio: @stdio, timer: @timer }',
           r"\[1\] spin")
    b.step("jobs lists it", "jobs", r"\[1\] spin: running")
    b.step("logout ends the session", "logout", r"session of operator ended")
    b.step("the background program lost its stdio (reported by the next "
           "prompt)", None, r"\[1\] spin: done, exit code 3(.|\n)*" + ANON, 30)
    b.step("the session is anonymous again", "whoami", r"\nanonymous\r?\n")
    # Shutdown as the operator ends QEMU with status 0.
    login(b, password, r"logged in as operator")
    b.step("shutdown as operator", "shutdown", r"shutdown: as operator")
    b.finish(0)


def setup_boot(qemu, iso, out):
    b = Boot(qemu, iso, out, "setup", None)
    b.step("the default system boots to the prompt", None, ANON, BOOT_WAIT)
    b.step("setup asks for a username", "setup", r"new username> ")
    b.step("setup asks for a password", "operator", r"password> ")
    b.step("setup asks for it again", "first-boot-pw", r"password again> ")
    b.step("setup makes the operator", "first-boot-pw",
           r"logged in as operator", 120)
    b.step("whoami is the new operator", "whoami", r"\noperator\r?\n")
    b.step("a second setup asks", "setup", r"new username> ")
    b.step("a second setup asks a password", "someone", r"password> ")
    b.step("and again", "second-pw-1", r"password again> ")
    b.step("a second setup is refused", "second-pw-1",
           r"setup: .*(exist|already)", 90)
    b.step("Ctrl-D at an empty prompt logs out", b"\x04",
           r"logout(.|\n)*session of operator ended(.|\n)*" + ANON)
    b.step("the account setup made logs in", "login", r"username> ")
    b.step("its password is asked", "operator", r"password> ")
    b.step("and accepted", "first-boot-pw", r"logged in as operator", 90)
    b.step("shutdown as the new operator", "shutdown",
           r"shutdown: as operator")
    b.finish(0)


def main():
    qemu, iso, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    for boot in (operator_boot, setup_boot):
        try:
            boot(qemu, iso, out)
        except Exception as e:
            tap(False, "%s ran to its end" % boot.__name__,
                str(e).replace("\n", "|")[-300:])
            if Boot.current:
                Boot.current.abandon()
        Boot.current = None
    print("%d checks, %d failed" % (n, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
