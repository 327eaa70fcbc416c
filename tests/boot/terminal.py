#!/usr/bin/python3
"""Types into capOS's serial port for the terminal test.

    terminal.py SOCKET TRANSCRIPT

SOCKET is the Unix socket QEMU serves COM1 on (scripts/qemu.sh
--serial-socket).  Everything the guest wrote is saved to TRANSCRIPT when
QEMU closes the socket: the bytes as they came, which the checks read
(QEMU's own log of a socket chardev can repeat a byte whose write the
host's reader held back).  termtest (user/tests/termtest.c) writes a prompt
"[termtest:STEP]" before each step; this script waits for it and types
that step's keys, while a thread reads everything the guest writes (QEMU
would stall the guest's output otherwise).  The verdicts are termtest's
KTEST lines; this script only fails when a prompt never comes.  It ends
when QEMU closes the socket.
"""
import socket
import sys
import threading
import time

CONNECT_WAIT = 30  # seconds for QEMU to open the socket
PROMPT_WAIT = 60   # seconds for each prompt

BURST_LINES = 400
BURST_WIDTH = 25   # bytes per line with its "\r" (termtest.c)
HIDDEN = b"s3cret-Pa55word"

LEFT = b"\x1b[D"
UP = b"\x1b[A"
DEL = b"\x7f"
CTRL_C = b"\x03"
CTRL_D = b"\x04"
CTRL_U = b"\x15"


def burst_line(i):
    """Line i of the burst, as termtest expects it, with its "\\r"."""
    text = "burst %04u " % i
    while len(text) < BURST_WIDTH - 1:
        text += chr(ord("a") + (len(text) + i) % 26)
    return text.encode() + b"\r"


STEPS = [
    ("edit", b"garbage" + CTRL_U + b"abcdef" + DEL + DEL + LEFT + LEFT
     + b"XY\r"),
    ("history", UP + b"\r"),
    ("hidden", HIDDEN + b"\r"),
    ("interrupt", b"partial" + CTRL_C),
    ("eof", CTRL_D),
    ("stdio", b"raw!\r"),
    ("facet", b"via!"),
    ("watch", CTRL_C),
    ("watchread", CTRL_C),
    ("after", b"ok\r"),
    ("burst", b"".join(burst_line(i) for i in range(BURST_LINES))),
    ("done", b""),
]


class Transcript:
    """Everything the guest wrote so far, filled by a reading thread."""

    def __init__(self, sock):
        self.sock = sock
        self.data = bytearray()
        self.closed = False
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                chunk = b""
            with self.cond:
                if not chunk:
                    self.closed = True
                else:
                    self.data += chunk
                self.cond.notify_all()
            if not chunk:
                return

    def wait_for(self, text, start, timeout):
        """The offset after text's first place at or after start, or -1."""
        end = time.monotonic() + timeout
        with self.cond:
            while True:
                at = self.data.find(text, start)
                if at >= 0:
                    return at + len(text)
                left = end - time.monotonic()
                if self.closed or left <= 0:
                    return -1
                self.cond.wait(left)

    def wait_closed(self, timeout):
        end = time.monotonic() + timeout
        with self.cond:
            while not self.closed and time.monotonic() < end:
                self.cond.wait(end - time.monotonic())


def connect(path):
    end = time.monotonic() + CONNECT_WAIT
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > end:
                raise
            time.sleep(0.1)


def type_steps(sock, out):
    pos = 0
    for step, keys in STEPS:
        pos = out.wait_for(("[termtest:%s]" % step).encode(), pos,
                           PROMPT_WAIT)
        if pos < 0:
            print("terminal.py: no prompt for step %s" % step)
            return 1
        print("terminal.py: step %s, typing %d bytes" % (step, len(keys)))
        sock.sendall(keys)
    return 0


def main():
    sock = connect(sys.argv[1])
    out = Transcript(sock)
    status = type_steps(sock, out)
    out.wait_closed(PROMPT_WAIT)
    with out.cond:
        data = bytes(out.data)
    with open(sys.argv[2], "wb") as f:
        f.write(data)
    return status


if __name__ == "__main__":
    sys.exit(main())
