# The shell's tests (docs/shell.md).
#
# host-console: tests/shell/console.py, the driver for interactive tests
# over QEMU's serial socket, tested on the host against a local Unix
# socket (Python 3 standard library only; nothing to build).
#
# shell: a script on the host types into the shell of two boots, the
# default system with a test operator (system/tests/shell.capnp) and the
# default system itself (no accounts: setup), and checks every answer.

SUITES += host-console shell
.PHONY: suite-host-console suite-shell

suite-host-console:
	$(RUN_SUITE) host-console /usr/bin/python3 tests/shell/console_test.py

# The test manifest is the default system with an account.
$(BUILD)/system/shell.manifest.bin: system/default.capnp

suite-shell: $(BUILD)/capos.iso
	@$(RUN_SUITE) shell /usr/bin/python3 tests/shell/shell_test.py \
		scripts/qemu.sh $(BUILD)/capos.iso $(BUILD)/shell-test
