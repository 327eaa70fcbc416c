# Host unit tests (cmocka, AddressSanitizer + UBSan) for the pure code in
# lib/ that the kernel links: formatting, boot information, arguments,
# frames, heap, the region list, ChaCha20 (RFC 8439's vectors), the
# RTC's decoding, the log ring, the shell's command line and the timer
# calibration's arithmetic, the choice of CPUs to start, the
# scheduler's placement across them and the lock-order rule.  One test
# program per library; each is its own suite.

HOST_TEST_BUILD := $(BUILD)/host-tests
HOST_TESTS := fmt mb2 args frame heap region chacha20 rtc logring acpi \
	cmdline calibrate smpcpus place lockorder

host_test_srcs_fmt := lib/fmt/fmt.c
host_test_srcs_mb2 := lib/boot/mb2.c
host_test_srcs_acpi := lib/acpi/acpi.c lib/acpi/s5.c
host_test_srcs_args := lib/boot/args.c
host_test_srcs_cmdline := lib/shell/cmdline.c lib/fmt/fmt.c
host_test_srcs_frame := lib/mm/frame.c
host_test_srcs_heap := lib/mm/heap.c
host_test_srcs_region := lib/mm/region.c
host_test_srcs_chacha20 := lib/crypto/chacha20.c
host_test_srcs_rtc := lib/time/rtc.c lib/fmt/fmt.c
host_test_srcs_calibrate := lib/time/calibrate.c
host_test_srcs_place := lib/sched/place.c
host_test_srcs_smpcpus := lib/smp/cpus.c
host_test_srcs_logring := lib/log/logring.c
host_test_srcs_lockorder := lib/lockorder/lockorder.c
# The host tests check poison over every allocation, not just its start;
# host-heap-kernel runs the same tests in the kernel's configuration (a
# sampled check), so what the kernel runs is what is tested.
host_test_flags_heap := -DHEAP_FULL_POISON_CHECK=1

define host_test_rule
$(HOST_TEST_BUILD)/$(1)_test: tests/host/$(1)_test.c $$(host_test_srcs_$(1)) $$(wildcard lib/*/*.h)
	@mkdir -p $$(dir $$@)
	$$(HOST_CC) $$(HOST_CFLAGS) $$(SAN_FLAGS) $$(host_test_flags_$(1)) -o $$@ tests/host/$(1)_test.c $$(host_test_srcs_$(1)) $$(CMOCKA_LIBS)

SUITES += host-$(1)
suite-host-$(1): $(HOST_TEST_BUILD)/$(1)_test
	CMOCKA_MESSAGE_OUTPUT=TAP $$(RUN_SUITE) host-$(1) $$<
endef
$(foreach t,$(HOST_TESTS),$(eval $(call host_test_rule,$(t))))

ALL_TARGETS += $(foreach t,$(HOST_TESTS),$(HOST_TEST_BUILD)/$(t)_test)

$(HOST_TEST_BUILD)/heap_kernel_test: tests/host/heap_test.c $(host_test_srcs_heap) $(wildcard lib/*/*.h)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(SAN_FLAGS) -o $@ tests/host/heap_test.c $(host_test_srcs_heap) $(CMOCKA_LIBS)

SUITES += host-heap-kernel
suite-host-heap-kernel: $(HOST_TEST_BUILD)/heap_kernel_test
	CMOCKA_MESSAGE_OUTPUT=TAP $(RUN_SUITE) host-heap-kernel $<

ALL_TARGETS += $(HOST_TEST_BUILD)/heap_kernel_test

# lib/base/mem.c replaces the C library's functions in freestanding code;
# on the host it is compiled under other names and compared with them.
MEM_RENAMES := $(foreach f,memcpy memmove memset memcmp memchr strlen strnlen \
	strchr strcmp strncmp,-D$(f)=base_$(f))

$(HOST_TEST_BUILD)/base_mem.o: lib/base/mem.c lib/base/mem.h
	@mkdir -p $(dir $@)
	$(HOST_CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -ffreestanding \
		-fno-builtin $(MEM_RENAMES) -Ilib -c $< -o $@

$(HOST_TEST_BUILD)/mem_test: tests/host/mem_test.c $(HOST_TEST_BUILD)/base_mem.o
	$(HOST_CC) $(HOST_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(CMOCKA_LIBS)

SUITES += host-mem
suite-host-mem: $(HOST_TEST_BUILD)/mem_test
	CMOCKA_MESSAGE_OUTPUT=TAP $(RUN_SUITE) host-mem $<

ALL_TARGETS += $(HOST_TEST_BUILD)/mem_test

# User addresses (kernel/mm/uaddr.h): misuses the compiler must refuse,
# compiled with the kernel's own flags, and where the tree may look
# inside one or make one from a raw value.
SUITES += host-uaddr
suite-host-uaddr:
	@$(RUN_SUITE) host-uaddr env CC="$(KCC)" CFLAGS="$(KERNEL_CFLAGS)" \
		sh tests/host/uaddr/check.sh tests/host/uaddr/misuse.c

# The kernel's error enum and its one mapping to the ABI (a header, pure
# enough for the host), and the tree rules of that convention.
$(HOST_TEST_BUILD)/kerr_test: tests/host/kerr/kerr_test.c kernel/core/kerr.h \
	include/capos/errors.h lib/cap/captable.h
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -Ikernel $(SAN_FLAGS) -o $@ $< $(CMOCKA_LIBS)

SUITES += host-kerr
suite-host-kerr: $(HOST_TEST_BUILD)/kerr_test
	@CMOCKA_MESSAGE_OUTPUT=TAP $(RUN_SUITE) host-kerr sh -c \
		'$< && sh tests/host/kerr/rules.sh'

ALL_TARGETS += $(HOST_TEST_BUILD)/kerr_test
