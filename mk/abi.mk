# The kernel/user ABI headers (include/capos), the pure libraries the
# kernel builds on (lib/elf, lib/cap, lib/ring), and their host tests.
#
# Suites:
#   abi               ABI layout checked at run time (sizes, offsets, values)
#   abi-freestanding  every ABI header compiles alone, freestanding, under
#                     gcc, strict C11 and clang; every library source
#                     compiles freestanding and needs nothing but lib/base
#   elf               ELF parser: real linker output, hostile inputs, fuzz
#   captable          capability table
#   ring              ring protocol: indices, validation, SQ/CQ on a page

ABI_HEADERS := $(sort $(wildcard include/capos/*.h))
# The headers assembly may include (numbers and addresses, no structs).
ABI_ASM_HEADERS := $(addprefix include/capos/,version.h errors.h syscall.h \
	layout.h)

# Library sources for the kernel (and userspace) to compile in.
ELF_SRCS := lib/elf/elf.c
CAPTABLE_SRCS := lib/cap/captable.c
RING_SRCS := lib/ring/ring.c

ABI_OUT := $(BUILD)/abi
ABI_TEST_CFLAGS = $(HOST_CFLAGS) $(SAN_FLAGS) -Iinclude
ABI_TAP := env CMOCKA_MESSAGE_OUTPUT=TAP
# Any change to a shared header rebuilds every test.
ABI_TEST_DEPS := $(ABI_HEADERS) lib/base/mem.h mk/abi.mk

$(ABI_OUT)/abi_test: tests/host/abi/abi_test.c
$(ABI_OUT)/elf_test: tests/host/elf/elf_test.c $(ELF_SRCS) \
	lib/elf/elf.h lib/elf/elf64.h
$(ABI_OUT)/captable_test: tests/host/cap/captable_test.c $(CAPTABLE_SRCS) \
	lib/cap/captable.h
$(ABI_OUT)/ring_test: tests/host/ring/ring_test.c $(RING_SRCS) \
	lib/ring/ring.h lib/ring/validate.h

$(ABI_OUT)/%_test: $(ABI_TEST_DEPS)
	@mkdir -p $(@D)
	$(HOST_CC) $(ABI_TEST_CFLAGS) -o $@ $(filter %.c,$^) $(CMOCKA_LIBS)

# Real executables for the ELF tests, linked the way capOS programs are:
# static, not PIE, no libc.  Variants exercise what the parser must accept
# (TLS) and refuse (no note, W+X, executable stack, PIE, dynamic).
ELF_FIXTURE_DIR := $(ABI_OUT)/elf-fixtures
ELF_FIXTURE_SRC := tests/host/elf/tiny.c
ELF_FIXTURE_CFLAGS := -std=gnu11 -ffreestanding -fno-stack-protector -O1 \
	-Wall -Wextra -Werror -Iinclude -nostdlib -Wl,--build-id=none
ELF_FIXTURE_STATIC := -static -no-pie -fno-pie
ELF_TINY_FIXTURES := $(addprefix $(ELF_FIXTURE_DIR)/,tiny.elf tiny-tls.elf \
	tiny-nonote.elf tiny-wx.elf tiny-execstack.elf tiny-pie.elf)
ELF_FIXTURES := $(ELF_TINY_FIXTURES) $(ELF_FIXTURE_DIR)/dynamic.elf

$(ELF_FIXTURE_DIR)/tiny.elf: ELF_VARIANT := $(ELF_FIXTURE_STATIC)
$(ELF_FIXTURE_DIR)/tiny-tls.elf: ELF_VARIANT := $(ELF_FIXTURE_STATIC) \
	-DTINY_TLS
$(ELF_FIXTURE_DIR)/tiny-nonote.elf: ELF_VARIANT := $(ELF_FIXTURE_STATIC) \
	-DTINY_NO_NOTE
$(ELF_FIXTURE_DIR)/tiny-wx.elf: ELF_VARIANT := $(ELF_FIXTURE_STATIC) \
	-Wl,--omagic -Wl,--no-warn-rwx-segments
$(ELF_FIXTURE_DIR)/tiny-execstack.elf: ELF_VARIANT := $(ELF_FIXTURE_STATIC) \
	-Wl,-z,execstack -Wl,--no-warn-execstack
$(ELF_FIXTURE_DIR)/tiny-pie.elf: ELF_VARIANT := -static-pie -fpie

$(ELF_TINY_FIXTURES): $(ELF_FIXTURE_SRC) $(ABI_HEADERS) mk/abi.mk
	@mkdir -p $(@D)
	$(KCC) $(ELF_FIXTURE_CFLAGS) $(ELF_VARIANT) -o $@ $<

# An ordinary hosted program: dynamically linked, with PT_INTERP.
$(ELF_FIXTURE_DIR)/dynamic.elf: $(ELF_FIXTURE_SRC) mk/abi.mk
	@mkdir -p $(@D)
	$(HOST_CC) -DTINY_HOSTED -no-pie -o $@ $<

SUITES += abi abi-freestanding elf captable ring

.PHONY: suite-abi suite-abi-freestanding suite-elf suite-captable suite-ring

suite-abi: $(ABI_OUT)/abi_test
	@$(RUN_SUITE) abi $(ABI_TAP) $<

suite-abi-freestanding:
	@$(RUN_SUITE) abi-freestanding env CC="$(KCC)" \
		CFLAGS="$(KERNEL_FREESTANDING_CFLAGS)" \
		sh tests/host/abi/freestanding.sh $(ABI_OUT)/freestanding \
		$(ABI_HEADERS) -- $(ELF_SRCS) $(CAPTABLE_SRCS) $(RING_SRCS) \
		-- $(ABI_ASM_HEADERS)

suite-elf: $(ABI_OUT)/elf_test $(ELF_FIXTURES)
	@$(RUN_SUITE) elf $(ABI_TAP) $< $(ELF_FIXTURE_DIR)

suite-captable: $(ABI_OUT)/captable_test
	@$(RUN_SUITE) captable $(ABI_TAP) $<

suite-ring: $(ABI_OUT)/ring_test
	@$(RUN_SUITE) ring $(ABI_TAP) $<
