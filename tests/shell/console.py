#!/usr/bin/python3
"""A driver for interactive tests over capOS's serial port.

QEMU serves COM1 on a Unix socket (scripts/qemu.sh --serial-socket SOCK)
and starts the guest once a program has connected.  A test connects a
Console to that socket, types with send(), and waits for what the guest
writes with expect():

    import console
    qemu = console.start_qemu("build/capos.iso", "test=init manifest=X",
                              sock)
    con = console.Console()
    con.connect(sock, timeout=30)
    con.expect(r"login: ")
    con.sendline("operator")
    m = con.expect(r"Hello from capOS!\\r?\\n")
    ...
    con.wait_closed(60)
    con.save(path)

A thread reads everything the guest writes from the moment of the
connection (QEMU would stall the guest's output otherwise) and keeps the
whole transcript.  expect() searches from where the last match ended, so
a test walks through the output in order; on a timeout, or when QEMU
closes the socket first, it raises ExpectFailed with the pattern and the
last 2 KiB of output.

Patterns are regular expressions.  A bytes pattern is matched against
the raw bytes; a str pattern against the bytes read as Latin-1 (one
character per byte, so positions agree; write non-ASCII text as a bytes
pattern).  Output is raw: the terminal writes "\\r\\n" for a line end and
ANSI escape sequences when it edits a line; clean() takes both out.
Python 3 standard library only.
"""
import os
import re
import socket
import subprocess
import threading
import time

TAIL = 2048  # bytes of output an ExpectFailed shows

_ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1bO.")

CTRL_C = b"\x03"
CTRL_D = b"\x04"
ENTER = b"\r"


class ExpectFailed(AssertionError):
    """expect() found no match in time (or the guest went away first)."""

    def __init__(self, pattern, reason, tail):
        self.pattern = pattern
        self.reason = reason
        self.tail = tail
        super().__init__("expected %r: %s; the last %d bytes of output:\n%s"
                         % (pattern, reason, len(tail),
                            tail.decode("utf-8", "backslashreplace")))


def clean(data):
    """data without ANSI escape sequences and carriage returns."""
    if isinstance(data, str):
        return clean(data.encode("latin-1")).decode("latin-1")
    return _ANSI.sub(b"", data).replace(b"\r", b"")


def _bytes(data):
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


class Console:
    """One connection to the guest's serial port."""

    def __init__(self):
        self.sock = None
        self.pos = 0  # where the next expect() starts searching
        self._data = bytearray()
        self._closed = False
        self._cond = threading.Condition()
        self._reader = None

    # --- connection -----------------------------------------------------

    def connect(self, path, timeout=30):
        """Connects to the Unix socket at path, retrying until QEMU has
        opened it; raises OSError (the last refusal) after timeout
        seconds.  Returns self."""
        end = time.monotonic() + timeout
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(path)
                break
            except OSError:
                s.close()
                if time.monotonic() > end:
                    raise
                time.sleep(0.05)
        self.attach(s)
        return self

    def attach(self, sock):
        """Drives an already connected socket (tests use a socket pair)."""
        self.sock = sock
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def _read(self):
        while True:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                chunk = b""
            with self._cond:
                if chunk:
                    self._data += chunk
                else:
                    self._closed = True
                self._cond.notify_all()
            if not chunk:
                return

    def close(self):
        """Closes our end (QEMU then sees the port hang up)."""
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()
        if self._reader is not None:
            self._reader.join(5)

    @property
    def closed(self):
        """Whether the guest's side has gone (QEMU exited)."""
        with self._cond:
            return self._closed

    def wait_closed(self, timeout):
        """Waits up to timeout seconds for QEMU to close the socket;
        returns whether it did."""
        end = time.monotonic() + timeout
        with self._cond:
            while not self._closed:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    # --- typing ---------------------------------------------------------

    def send(self, data, delay=0.0):
        """Types data (bytes, or str sent as UTF-8).  With delay, one byte
        at a time, delay seconds apart, as a slow typist would."""
        data = _bytes(data)
        if not delay:
            self.sock.sendall(data)
            return
        for i in range(len(data)):
            self.sock.sendall(data[i:i + 1])
            time.sleep(delay)

    def sendline(self, text=""):
        """Types text and Enter ("\\r", what a terminal sends)."""
        self.send(_bytes(text) + ENTER)

    # --- reading --------------------------------------------------------

    def expect(self, pattern, timeout=30):
        """Waits for pattern in the output after the last match.  Returns
        the re.Match (positions are offsets into transcript(); the search
        starts at self.pos) and moves self.pos to its end.  Raises
        ExpectFailed after timeout seconds, or at once when the guest has
        gone and the output cannot match."""
        regex = re.compile(pattern) if isinstance(pattern, (str, bytes)) \
            else pattern
        text = isinstance(regex.pattern, str)
        end = time.monotonic() + timeout
        with self._cond:
            while True:
                data = bytes(self._data)
                m = regex.search(data.decode("latin-1") if text else data,
                                 self.pos)
                if m:
                    self.pos = m.end()
                    return m
                if self._closed:
                    reason = "the guest closed the port"
                    break
                left = end - time.monotonic()
                if left <= 0:
                    reason = "no match within %g s" % timeout
                    break
                self._cond.wait(left)
        raise ExpectFailed(regex.pattern, reason, data[-TAIL:])

    def absent(self, pattern, start=0):
        """Raises ExpectFailed when pattern occurs in the output so far
        (from offset start): for text that must never appear, such as a
        password typed with echo off."""
        regex = re.compile(pattern) if isinstance(pattern, (str, bytes)) \
            else pattern
        data = self.transcript()
        subject = data.decode("latin-1") if isinstance(regex.pattern, str) \
            else data
        m = regex.search(subject, start)
        if m:
            raise ExpectFailed(regex.pattern,
                               "it appeared at offset %d" % m.start(),
                               data[max(0, m.start() - TAIL // 2):
                                    m.end() + TAIL // 2])

    def transcript(self):
        """Everything the guest wrote so far, as bytes."""
        with self._cond:
            return bytes(self._data)

    def tail(self, n=TAIL):
        """The last n bytes of output."""
        with self._cond:
            return bytes(self._data[-n:])

    def save(self, path):
        """Writes the transcript to path, raw, as the guest wrote it."""
        with open(path, "wb") as f:
            f.write(self.transcript())


def start_qemu(iso, args, sock, serial_log=None, timeout=120, log=None):
    """Starts scripts/qemu.sh on iso with kernel arguments args, its
    serial port on the Unix socket sock (an old one is removed first);
    the guest starts once a Console connects.  Returns the Popen; its exit
    status is QEMU's (33 pass, 35 fail, 37 panic, 124 timeout).  QEMU's
    own messages go to the file log (default: discarded)."""
    here = os.path.dirname(os.path.abspath(__file__))
    qemu = os.path.join(here, "..", "..", "scripts", "qemu.sh")
    if os.path.exists(sock):
        os.unlink(sock)
    cmd = ["sh", qemu, "--timeout", str(timeout), "--serial-socket", sock,
           "--iso", iso, "--args", args]
    if serial_log:
        cmd += ["--serial", serial_log]
    out = open(log, "wb") if log else subprocess.DEVNULL
    try:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    finally:
        if log:
            out.close()
