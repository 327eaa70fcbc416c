# Shared build configuration: directories, toolchains and flags.

BUILD ?= build
RESULTS := $(BUILD)/results
RUN_SUITE := sh scripts/run-suite.sh $(RESULTS)

# Host tools and host tests.
HOST_CC ?= gcc
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Ilib -Iinclude -I$(BUILD)/gen
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
CMOCKA_LIBS := -lcmocka

# Freestanding code: the kernel and userspace.
KCC ?= gcc
FREESTANDING_CFLAGS := -std=gnu11 -ffreestanding -fno-builtin-printf \
	-fno-stack-protector -fno-pic -fno-pie -mno-red-zone \
	-fno-omit-frame-pointer -fno-tree-loop-distribute-patterns \
	-Wall -Wextra -Werror -O2 -g -Ilib -Iinclude -I$(BUILD)/gen
# The kernel never uses the FP/SIMD registers: they hold the user thread's
# state, which the kernel only saves and restores (kernel/arch/x86_64/fpu.c).
# User code may use x87, SSE and SSE2 (the x86-64 baseline).
KERNEL_FREESTANDING_CFLAGS := $(FREESTANDING_CFLAGS) \
	-mno-mmx -mno-sse -mno-sse2 -mno-80387

# The spinlock debug checks (kernel/core/lockcheck.c, docs/smp.md "The
# debug build"): interrupts off and the lock order checked on every
# spin_lock and spin_unlock.  On for every build (make all, run, test and
# the single suites) except the benchmarks', which measure the kernel
# without them; `make LOCKCHECK=0 ...` turns them off by hand.  The kernel
# is rebuilt when the setting changes (mk/kernel.mk).
ifneq ($(filter bench bench-%,$(MAKECMDGOALS)),)
LOCKCHECK ?= 0
endif
LOCKCHECK ?= 1

ALL_TARGETS :=
SUITES :=
