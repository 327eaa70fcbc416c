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

# Freestanding code (kernel, and later userspace).
KCC ?= gcc
FREESTANDING_CFLAGS := -std=gnu11 -ffreestanding -fno-builtin-printf \
	-fno-stack-protector -fno-pic -fno-pie -mno-red-zone \
	-mno-mmx -mno-sse -mno-sse2 -mno-80387 -fno-omit-frame-pointer -fno-tree-loop-distribute-patterns \
	-Wall -Wextra -Werror -O2 -g -Ilib -Iinclude -I$(BUILD)/gen

ALL_TARGETS :=
SUITES :=
