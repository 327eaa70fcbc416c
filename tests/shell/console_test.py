#!/usr/bin/python3
"""Host tests for tests/shell/console.py, against a local Unix socket
standing in for QEMU's serial port.  Prints TAP (suite host-console)."""
import os
import socket
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import console  # noqa: E402


class Guest:
    """The QEMU side: a listening Unix socket and its one connection."""

    def __init__(self, path, delay=0.0):
        self.path = path
        self.conn = None
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._serve, args=(delay,),
                                       daemon=True)
        self.thread.start()

    def _serve(self, delay):
        time.sleep(delay)  # QEMU opens the socket a little later
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(self.path)
        srv.listen(1)
        self.conn, _ = srv.accept()
        srv.close()
        self.ready.set()

    def write(self, data):
        self.ready.wait(10)
        self.conn.sendall(data)

    def read(self, n):
        self.ready.wait(10)
        got = b""
        while len(got) < n:
            chunk = self.conn.recv(n - len(got))
            if not chunk:
                break
            got += chunk
        return got

    def close(self):
        self.ready.wait(10)
        self.conn.close()


class ConsoleTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "serial.sock")

    def tearDown(self):
        self.dir.cleanup()

    def pair(self, delay=0.0):
        guest = Guest(self.path, delay)
        con = console.Console().connect(self.path, timeout=5)
        guest.ready.wait(5)
        self.addCleanup(con.close)
        return guest, con

    def test_connect_waits_for_the_socket(self):
        start = time.monotonic()
        guest, con = self.pair(delay=0.3)
        self.assertGreaterEqual(time.monotonic() - start, 0.25)
        guest.write(b"up\r\n")
        con.expect(r"up")

    def test_connect_gives_up(self):
        start = time.monotonic()
        with self.assertRaises(OSError):
            console.Console().connect(self.path, timeout=0.3)
        self.assertLess(time.monotonic() - start, 3)

    def test_send_reaches_the_guest(self):
        guest, con = self.pair()
        con.send("login\r")
        con.send(b"\x03")
        con.sendline("pw")
        con.send("ab", delay=0.01)
        self.assertEqual(guest.read(12), b"login\r\x03pw\rab")

    def test_expect_walks_forward(self):
        guest, con = self.pair()
        guest.write(b"login: x\r\nlogin: y\r\n")
        m1 = con.expect(r"login: (\w)")
        m2 = con.expect(r"login: (\w)")
        self.assertEqual((m1.group(1), m2.group(1)), ("x", "y"))
        self.assertEqual(con.pos, m2.end())
        guest.write(b"later")
        self.assertEqual(con.expect(rb"lat(er)").group(1), b"er")

    def test_expect_waits_for_output_in_pieces(self):
        guest, con = self.pair()

        def trickle():
            for ch in b"Hello from capOS!\r\n":
                guest.write(bytes([ch]))
                time.sleep(0.005)
        threading.Thread(target=trickle, daemon=True).start()
        m = con.expect(r"Hello from (\w+)!\r\n", timeout=5)
        self.assertEqual(m.group(1), "capOS")

    def test_timeout_shows_the_last_2k(self):
        guest, con = self.pair()
        guest.write(b"A" * 5000 + b"the end\r\n")
        con.expect("the end")
        start = time.monotonic()
        with self.assertRaises(console.ExpectFailed) as cm:
            con.expect("never", timeout=0.3)
        self.assertGreaterEqual(time.monotonic() - start, 0.25)
        e = cm.exception
        self.assertEqual(len(e.tail), console.TAIL)
        self.assertTrue(e.tail.endswith(b"the end\r\n"))
        self.assertIn("'never'", str(e))
        self.assertIn("the end", str(e))

    def test_a_closed_port_fails_at_once(self):
        guest, con = self.pair()
        guest.write(b"bye\r\n")
        guest.close()
        self.assertTrue(con.wait_closed(5))
        start = time.monotonic()
        with self.assertRaises(console.ExpectFailed) as cm:
            con.expect("more", timeout=30)
        self.assertLess(time.monotonic() - start, 5)
        self.assertIn("closed", cm.exception.reason)

    def test_transcript_keeps_everything(self):
        guest, con = self.pair()
        data = bytes(range(256)) * 300
        guest.write(data)
        guest.close()
        self.assertTrue(con.wait_closed(5))
        self.assertEqual(con.transcript(), data)
        out = os.path.join(self.dir.name, "t.log")
        con.save(out)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), data)

    def test_absent(self):
        guest, con = self.pair()
        guest.write(b"Password: \r\nwelcome\r\n")
        con.expect("welcome")
        con.absent("s3cret")
        with self.assertRaises(console.ExpectFailed):
            con.absent(rb"welc")

    def test_clean(self):
        self.assertEqual(console.clean(b"ab\x1b[2D\x1b[KXY\r\n"), b"abXY\n")
        self.assertEqual(console.clean("a\x1b[1;31mb\r\n"), "ab\n")


class Tap(unittest.TextTestResult):
    """unittest's results as TAP lines, one per test."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.n = 0

    def _line(self, ok, test, why=""):
        self.n += 1
        name = test.id().rsplit(".", 1)[-1]
        print("%s %d - console.%s%s" % ("ok" if ok else "not ok", self.n,
                                         name, why), flush=True)

    def addSuccess(self, test):
        super().addSuccess(test)
        self._line(True, test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._line(False, test, ": " + str(err[1]).splitlines()[0])

    def addError(self, test, err):
        super().addError(test, err)
        self._line(False, test, ": " + repr(err[1]))


if __name__ == "__main__":
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(ConsoleTest)
    runner = unittest.TextTestRunner(resultclass=Tap, stream=sys.stderr,
                                     verbosity=0)
    result = runner.run(suite)
    print("1..%d" % result.testsRun)
    sys.exit(0 if result.wasSuccessful() else 1)
