# Userspace: libcapos and the programs built on it.  Programs are static
# ELF executables linked by user/user.ld; each becomes a boot module.

USER_BUILD := $(BUILD)/user
# Every program is a static executable whose TLS the kernel or the
# runtime lays out: thread-local variables are plain FS-relative accesses.
USER_CFLAGS := $(FREESTANDING_CFLAGS) -ftls-model=local-exec -Iuser/lib \
	-Iinclude
USER_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 \
	-z noexecstack -T user/user.ld

# The runtime every program links (crt0 first), with the shared pure code.
# lib/manifest is init's manifest check and lib/ring the ring's rules (the
# hostile test predicts the kernel's answers with them); as archive members
# they are linked only into programs that use them.
LIBCAPOS_SRCS := $(sort $(wildcard user/lib/*.c)) lib/base/mem.c lib/ring/ring.c \
	lib/fmt/fmt.c lib/mm/heap.c lib/time/rtc.c $(CAPNP_RT_SRCS) \
	lib/manifest/manifest.c \
	$(RPC_SRCS) $(RPC_GEN_SRCS)
LIBCAPOS_OBJS := $(USER_BUILD)/user/lib/crt0.o \
	$(patsubst %.c,$(USER_BUILD)/%.o,$(LIBCAPOS_SRCS))
LIBCAPOS := $(USER_BUILD)/libcapos.a

$(USER_BUILD)/%.o: %.c | $(KERNEL_GEN_DEPS)
	@mkdir -p $(dir $@)
	$(KCC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(USER_BUILD)/%.o: %.S
	@mkdir -p $(dir $@)
	$(KCC) -D__ASSEMBLER__ -Iinclude -c $< -o $@

$(LIBCAPOS): $(LIBCAPOS_OBJS)
	@rm -f $@
	ar rcs $@ $^

# A program is user/programs/NAME.c or user/tests/NAME.c.
USER_PROGRAMS := $(basename $(notdir $(wildcard user/programs/*.c)))
USER_TESTS := $(basename $(notdir $(wildcard user/tests/*.c)))

# smoke runs without the runtime: it tests the kernel paths on their own.
$(USER_BUILD)/smoke.elf: $(USER_BUILD)/user/programs/smoke.o user/user.ld
	ld $(USER_LDFLAGS) -e capos_start -o $@ $<

# fpu_start saves the FP/SIMD registers before the runtime starts.
$(USER_BUILD)/fpu_start.elf: $(USER_BUILD)/user/tests/fpu_start.o $(LIBCAPOS) \
		user/user.ld
	ld $(USER_LDFLAGS) -e fpu_start_entry -o $@ \
		$(USER_BUILD)/user/lib/crt0.o $< $(LIBCAPOS)

# The shell: user/shell/*.c with its command-line parser (lib/shell).
SHELL_SRCS := $(sort $(wildcard user/shell/*.c)) lib/shell/cmdline.c
SHELL_OBJS := $(patsubst %.c,$(USER_BUILD)/%.o,$(SHELL_SRCS))
$(USER_BUILD)/shell.elf: $(SHELL_OBJS) $(LIBCAPOS) user/user.ld
	ld $(USER_LDFLAGS) -o $@ $(USER_BUILD)/user/lib/crt0.o $(SHELL_OBJS) \
		$(LIBCAPOS)
USER_PROGRAMS += shell

# Static pattern rules, each program from its own directory: an object
# left in the build tree by a program that moved (user/tests/spin.c to
# user/programs/spin.c) is never linked in its place.
$(foreach p,$(filter-out smoke shell,$(USER_PROGRAMS)),$(USER_BUILD)/$(p).elf): \
		$(USER_BUILD)/%.elf: $(USER_BUILD)/user/programs/%.o $(LIBCAPOS) \
		user/user.ld
	ld $(USER_LDFLAGS) -o $@ $(USER_BUILD)/user/lib/crt0.o $< $(LIBCAPOS)

$(foreach p,$(filter-out fpu_start,$(USER_TESTS)),$(USER_BUILD)/$(p).elf): \
		$(USER_BUILD)/%.elf: $(USER_BUILD)/user/tests/%.o $(LIBCAPOS) \
		user/user.ld
	ld $(USER_LDFLAGS) -o $@ $(USER_BUILD)/user/lib/crt0.o $< $(LIBCAPOS)

# Only the dependencies of sources that still exist: a stale one would
# name a removed source as a prerequisite.
-include $(LIBCAPOS_OBJS:.o=.d) $(SHELL_OBJS:.o=.d) $(foreach d,$(wildcard \
	$(USER_BUILD)/user/*/*.d),$(if $(wildcard \
	$(patsubst $(USER_BUILD)/%.d,%.c,$(d))),$(d)))

USER_ELFS := $(foreach p,$(USER_PROGRAMS) $(USER_TESTS),$(USER_BUILD)/$(p).elf)
# Boot modules: FILE=NAME pairs for scripts/mkiso.sh.
USER_MODULES := $(foreach p,$(USER_PROGRAMS) $(USER_TESTS),$(USER_BUILD)/$(p).elf=$(p))

ALL_TARGETS += $(USER_ELFS)
