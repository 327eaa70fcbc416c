# Formatting: every C source and header of our own (not build/, where the
# generated code goes) follows .clang-format, as Debian 12's clang-format
# 14 prints it (scripts/setup.sh installs it).  docs/testing.md.
#
#   make format        rewrite the files in place
#   make format-check  list the files that differ, fail if any
#
# Suite: format (the same check, one TAP line).

CLANG_FORMAT ?= clang-format
FORMAT_DIRS := bench fuzz include kernel lib tests tools user
# Computed when used, so a file added since make started is included.
FORMAT_SRCS = $(shell find $(FORMAT_DIRS) -name '*.[ch]' | LC_ALL=C sort)

SUITES += format

.PHONY: format format-check suite-format

format:
	$(CLANG_FORMAT) --style=file -i $(FORMAT_SRCS)

format-check:
	@CLANG_FORMAT=$(CLANG_FORMAT) sh scripts/format-check.sh $(FORMAT_SRCS)

suite-format:
	@CLANG_FORMAT=$(CLANG_FORMAT) $(RUN_SUITE) format \
		sh scripts/format-check.sh --tap $(FORMAT_SRCS)
