# The kernel: freestanding objects, a two-pass link that embeds the symbol
# table used by backtraces, and the bootable ISO images.

KERNEL_BUILD := $(BUILD)/kernel
KERNEL_ELF := $(BUILD)/capos.elf
KERNEL_CFLAGS := $(KERNEL_FREESTANDING_CFLAGS) -mcmodel=kernel -D__KERNEL__ \
	-DCAPOS_KERNEL -DLOCKCHECK=$(LOCKCHECK) -Ikernel
KERNEL_ASFLAGS := -D__ASSEMBLER__ -D__KERNEL__ -Ikernel -Iinclude -g
KERNEL_LDFLAGS := -nostdlib -static -n -z max-page-size=0x1000 \
	-z noexecstack -T kernel/arch/x86_64/kernel.ld

# Pure code from lib/ that the kernel links; host tests cover it.
KERNEL_LIB_SRCS := lib/base/mem.c lib/fmt/fmt.c lib/boot/mb2.c \
	lib/crypto/chacha20.c lib/time/rtc.c lib/time/calibrate.c \
	lib/log/logring.c \
	lib/boot/args.c lib/mm/frame.c lib/mm/heap.c lib/mm/region.c \
	lib/acpi/acpi.c lib/acpi/s5.c lib/smp/cpus.c lib/sched/place.c \
	lib/lockorder/lockorder.c \
	$(ELF_SRCS) $(CAPTABLE_SRCS) $(RING_SRCS) $(CAPNP_RT_SRCS) \
	lib/rpc/dispatch.c $(BUILD)/gen/capos.capnp.c

KERNEL_SRCS := $(wildcard kernel/arch/x86_64/*.c kernel/core/*.c \
	kernel/mm/*.c kernel/proc/*.c kernel/ipc/*.c kernel/kobj/*.c) \
	$(KERNEL_LIB_SRCS)
KERNEL_ASM := $(wildcard kernel/arch/x86_64/*.S)
KERNEL_OBJS := $(patsubst %.c,$(KERNEL_BUILD)/%.o,$(KERNEL_SRCS)) \
	$(patsubst %.S,$(KERNEL_BUILD)/%.o,$(KERNEL_ASM))
# Generated headers (from the schema) must exist before kernel objects.
KERNEL_GEN_DEPS = $(CAPNP_GEN_HDRS)

# The build settings that change the kernel's code (LOCKCHECK): a stamp
# rewritten only when they change, so switching between the test build
# and the benchmark build rebuilds the kernel and nothing else does.
KERNEL_CONFIG := $(KERNEL_BUILD)/config.stamp
KERNEL_CONFIG_TEXT := LOCKCHECK=$(LOCKCHECK)

.PHONY: kernel-config-force
$(KERNEL_CONFIG): kernel-config-force
	@mkdir -p $(dir $@)
	@echo '$(KERNEL_CONFIG_TEXT)' | cmp -s - $@ || \
		echo '$(KERNEL_CONFIG_TEXT)' > $@

$(KERNEL_BUILD)/%.o: %.c $(KERNEL_CONFIG) | $(KERNEL_GEN_DEPS)
	@mkdir -p $(dir $@)
	$(KCC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

$(KERNEL_BUILD)/%.o: %.S
	@mkdir -p $(dir $@)
	$(KCC) $(KERNEL_ASFLAGS) -MMD -MP -c $< -o $@

# Pass 1 links without symbol names; pass 2 adds the table generated from
# pass 1.  The table sits at the end of .rodata, so text addresses are the
# same in both passes — checked below, since backtraces depend on it.
$(KERNEL_BUILD)/pass1.elf: $(KERNEL_OBJS) kernel/arch/x86_64/kernel.ld
	ld $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS)

$(KERNEL_BUILD)/ksyms.S: $(KERNEL_BUILD)/pass1.elf scripts/gen-ksyms.sh
	sh scripts/gen-ksyms.sh $< > $@

$(KERNEL_ELF): $(KERNEL_BUILD)/pass1.elf $(KERNEL_BUILD)/ksyms.o
	ld $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(KERNEL_BUILD)/ksyms.o
	@nm -n $< | grep ' [tT] ' > $(KERNEL_BUILD)/text1.syms
	@nm -n $@ | grep ' [tT] ' > $(KERNEL_BUILD)/text2.syms
	@cmp -s $(KERNEL_BUILD)/text1.syms $(KERNEL_BUILD)/text2.syms || \
		{ echo "kernel: text moved between link passes" >&2; rm -f $@; exit 1; }

$(KERNEL_BUILD)/ksyms.o: $(KERNEL_BUILD)/ksyms.S
	$(KCC) -c $< -o $@

-include $(KERNEL_OBJS:.o=.d)
