# tests/shell/console.py, the driver for interactive tests over QEMU's
# serial socket, tested on the host against a local Unix socket (Python 3
# standard library only; nothing to build).

SUITES += host-console
suite-host-console:
	$(RUN_SUITE) host-console /usr/bin/python3 tests/shell/console_test.py
