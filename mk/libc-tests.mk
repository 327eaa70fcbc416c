# The differential suite of the C library (tests/libc, docs/libc.md):
# each program is built for Linux with Debian's musl-gcc and run on the
# host, and built for capOS with capos-cc and booted; the outputs must be
# identical.
#
#   make libc-diff         both sides (the suite libc-diff of make test)
#   make libc-diff-linux   build and run the Linux side only

LIBC_DIFF_BUILD := $(BUILD)/libc-tests
LIBC_TESTS := $(basename $(notdir $(wildcard tests/libc/*.c)))
# The same flags on both sides.  No builtins: every call reaches the C
# library instead of being folded or expanded by the compiler.
LIBC_TEST_CFLAGS := -std=gnu11 -O2 -fno-builtin -pthread -Wall -Wextra \
	-Werror -Wno-format-truncation

LIBC_LINUX_BINS := $(addprefix $(LIBC_DIFF_BUILD)/linux/,$(LIBC_TESTS))

$(LIBC_DIFF_BUILD)/linux/%: tests/libc/%.c tests/libc/check.h
	@mkdir -p $(@D)
	musl-gcc -static $(LIBC_TEST_CFLAGS) -o $@ $< -lm

.PHONY: libc-diff-linux
libc-diff-linux: setup $(LIBC_LINUX_BINS)
	bash tests/libc/run.sh $(LIBC_DIFF_BUILD)/linux $(LIBC_TESTS)

ALL_TARGETS += $(LIBC_LINUX_BINS)

# capOS: each program built by capos-cc (mk/libc.mk, which the top
# Makefile includes before this file) and booted from an image of its own
# that holds the kernel, the boot manifest (which the kernel requires) and
# the programs as modules libc_NAME.
LIBC_CAPOS_ELFS := $(LIBC_TESTS:%=$(LIBC_DIFF_BUILD)/capos/%.elf)
LIBC_DIFF_ISO := $(LIBC_DIFF_BUILD)/capos.iso

$(LIBC_DIFF_BUILD)/capos/%.elf: tests/libc/%.c tests/libc/check.h $(LIBC_DEPS)
	@mkdir -p $(@D)
	$(CAPOS_CC) $(LIBC_TEST_CFLAGS) -o $@ $< -lm

$(LIBC_DIFF_ISO): $(KERNEL_ELF) $(BOOT_MANIFEST) $(LIBC_CAPOS_ELFS) \
	scripts/mkiso.sh
	sh scripts/mkiso.sh $@ $(KERNEL_ELF) "" $(BOOT_MANIFEST)=manifest \
		$(foreach t,$(LIBC_TESTS),$(LIBC_DIFF_BUILD)/capos/$(t).elf=libc_$(t))

# Old transcripts go first, so that a program dropped from the run
# cannot pass on what an earlier run left.
LIBC_DIFF_RUN := rm -rf $(LIBC_DIFF_BUILD)/capos-run && \
	mkdir -p $(LIBC_DIFF_BUILD)/capos-run && \
	bash tests/libc/run.sh $(LIBC_DIFF_BUILD)/linux --capos $(LIBC_DIFF_ISO) \
	$(LIBC_DIFF_BUILD)/capos-run $(LIBC_TESTS)

.PHONY: libc-diff
libc-diff: setup $(LIBC_LINUX_BINS) $(LIBC_DIFF_ISO)
	$(LIBC_DIFF_RUN)

SUITES += libc-diff
suite-libc-diff: $(LIBC_LINUX_BINS) $(LIBC_DIFF_ISO)
	@$(RUN_SUITE) libc-diff sh -c '$(LIBC_DIFF_RUN)'

ALL_TARGETS += $(LIBC_CAPOS_ELFS) $(LIBC_DIFF_ISO)
