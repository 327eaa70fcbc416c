# capOS top-level Makefile.
#
#   make run     build and boot capOS in QEMU (BIOS), serial on the terminal
#   make run-uefi  the same through OVMF
#   make test    build everything and run every suite; last line "N passed, N failed"
#   make gdb     boot paused with QEMU's gdbstub and attach gdb
#   make fuzz    run every parser fuzzer (docs/fuzzing.md) for a bounded time
#   make format  format the C sources (make format-check: list what differs)
#
# Each mk/*.mk file owns one part of the tree; they append to SUITES the
# names of the test suites they define (target suite-NAME).

.DEFAULT_GOAL := all
SHELL := /bin/bash

include mk/config.mk
LATE_MK := mk/libc.mk mk/libc-tests.mk mk/lua.mk mk/libsodium.mk \
	mk/services.mk mk/image.mk
include $(filter-out mk/config.mk $(LATE_MK),$(sort $(wildcard mk/*.mk)))
# The C library builds on libcapos (mk/user.mk); its tests, Lua and
# libsodium on the library and the boot manifest (mk/system.mk); the
# services of user/services on the library and libsodium; the image takes
# every program defined before it.
include $(LATE_MK)

.PHONY: all setup test suites clean
all: $(ALL_TARGETS)

# The set-up step: installs missing Debian packages (or says how to).
setup:
	@sh scripts/setup.sh

# Every suite runs even when another fails to build (-k); the summary
# counts a suite that produced no result file as a failure.
test: setup
	@rm -rf $(RESULTS)
	@mkdir -p $(RESULTS)
	@$(MAKE) --no-print-directory -k suites || true
	@sh scripts/test-summary.sh $(RESULTS) $(SUITES)

suites: $(addprefix suite-,$(SUITES))

clean:
	rm -rf $(BUILD)
