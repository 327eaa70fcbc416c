# The differential suite of the C library (tests/libc, docs/libc.md):
# each program is built for Linux with Debian's musl-gcc and run on the
# host, and built for capOS with capos-cc and booted; the outputs must be
# identical.
#
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
