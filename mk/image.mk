# Boot images, running capOS in QEMU, and the QEMU boot suite.  Included
# after every other fragment: it collects the kernel, the manifest and the
# user programs they define.

# capos.iso boots through GRUB (BIOS and UEFI) with the manifest as a
# module.  capos-nomodules.iso lacks it: the boot suite checks that the
# kernel refuses to go on without its module list.

# The boot manifest: system/default.capnp, or an operator's
# system/local.capnp (mk/system.mk).
MANIFEST_BIN ?= $(BOOT_MANIFEST)
ISO := $(BUILD)/capos.iso
ISO_NOMODULES := $(BUILD)/capos-nomodules.iso
KERNEL_CMDLINE ?=

# Kernel test manifests (tests/boot/manifests), each a module
# "manifest-NAME" selected with the kernel argument manifest=NAME.
KTEST_MANIFESTS := $(patsubst tests/boot/manifests/%.capnp,%,\
	$(wildcard tests/boot/manifests/*.capnp))
KTEST_MANIFEST_BINS := $(foreach m,$(KTEST_MANIFESTS),$(BUILD)/system/ktest-$(m).manifest.bin)
KTEST_MANIFEST_MODULES := $(foreach m,$(KTEST_MANIFESTS),$(BUILD)/system/ktest-$(m).manifest.bin=manifest-$(m))

$(BUILD)/system/ktest-%.manifest.bin: tests/boot/manifests/%.capnp $(CAPNP_SCHEMAS)
	@mkdir -p $(@D)
	$(CAPNP) eval -I schema -b $< manifest > $@.tmp && mv $@.tmp $@

$(ISO): $(KERNEL_ELF) $(MANIFEST_BIN) $(USER_ELFS) $(KTEST_MANIFEST_BINS) \
	$(SYSTEM_MANIFEST_BINS) scripts/mkiso.sh
	sh scripts/mkiso.sh $@ $(KERNEL_ELF) "$(KERNEL_CMDLINE)" \
		$(MANIFEST_BIN)=manifest $(USER_MODULES) \
		$(KTEST_MANIFEST_MODULES) $(SYSTEM_MANIFEST_MODULES)

$(ISO_NOMODULES): $(KERNEL_ELF) scripts/mkiso.sh
	sh scripts/mkiso.sh $@ $(KERNEL_ELF) "$(KERNEL_CMDLINE)"

ALL_TARGETS += $(KERNEL_ELF) $(ISO)

# --- running ---------------------------------------------------------------
QEMU := sh scripts/qemu.sh

.PHONY: run run-uefi gdb iso
iso: $(ISO)

# Two CPUs, as a small machine has (RUN_SMP=1 for one).
RUN_SMP ?= 2
run: setup $(ISO)
	$(QEMU) --iso $(ISO) --smp $(RUN_SMP) --interactive

run-uefi: setup $(ISO)
	$(QEMU) --iso $(ISO) --smp $(RUN_SMP) --uefi --interactive

gdb: setup $(ISO)
	sh scripts/gdb.sh $(ISO) $(KERNEL_ELF)

# --- the harness's own checks (no QEMU) --------------------------------------
SUITES += harness
suite-harness:
	$(RUN_SUITE) harness bash tests/boot/harness_test.sh

# make expected: the declared checks of every QEMU run, from the last
# `make test` (tests/boot/expected/; docs/testing.md).
.PHONY: expected
expected:
	sh scripts/update-expected.sh $(BUILD)

# --- the QEMU boot suite ---------------------------------------------------
SUITES += boot
suite-boot: $(ISO) $(ISO_NOMODULES)
	$(RUN_SUITE) boot bash tests/boot/run.sh $(ISO) $(ISO_NOMODULES) $(KERNEL_ELF) $(BUILD)/boot-test
