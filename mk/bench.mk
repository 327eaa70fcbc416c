# Benchmarks: `make bench` measures capOS and Linux under the same QEMU
# command line and writes a table, a plot and the transcripts to
# $(BUILD)/bench.  See docs/benchmarks.md.  A benchmark, never a test: it is
# not part of `make test` and no number fails it; a boot that fails or a
# transcript without results does.
#
#   BENCH_TCG=0   skip the second, plain-TCG (wall time) pass
#
# This file is read before mk/capnp.mk, mk/kernel.mk and mk/user.mk (the
# Makefile includes fragments in name order), so the paths those define
# are not set yet where a rule's prerequisites are read; the ones needed
# here are spelled out, and `bench` checks they still agree.

BENCH_BUILD := $(BUILD)/bench
# KERNEL_ELF, LIBCAPOS and its crt0, CAPNP_MANIFEST:
BENCH_KERNEL := $(BUILD)/capos.elf
BENCH_LIBCAPOS := $(BUILD)/user/libcapos.a
BENCH_CRT0 := $(BUILD)/user/user/lib/crt0.o
BENCH_MANIFEST := $(BUILD)/system/default.manifest.bin

RINGBENCH := $(BENCH_BUILD)/capos/ringbench.elf
CAPOS_PROBE := $(BENCH_BUILD)/capos/entryprobe.elf
CAPOS_BENCH_ISO := $(BENCH_BUILD)/capos-bench.iso
CAPOS_PROBE_ISO := $(BENCH_BUILD)/capos-probe.iso

LINUX_BENCH := $(BENCH_BUILD)/linux/linuxbench
LINUX_NOTHING := $(BENCH_BUILD)/linux/nothing
LINUX_PROBE := $(BENCH_BUILD)/linux/entryprobe.bin
LINUX_CFLAGS := -std=gnu11 -O2 -static -Wall -Wextra -Werror

BENCH_TCG ?= 1
BENCH_MODES := icount $(if $(filter 1,$(BENCH_TCG)),tcg)

# --- capOS ------------------------------------------------------------------

# The object comes from mk/user.mk's pattern rule (user flags, generated
# headers); the entry point is ringbench's own TSC read, not _start.
$(BUILD)/user/bench/capos/ringbench.o: bench/bench.h

$(RINGBENCH): $(BUILD)/user/bench/capos/ringbench.o $(BENCH_LIBCAPOS) \
		user/user.ld
	@mkdir -p $(@D)
	ld $(USER_LDFLAGS) -e bench_entry -o $@ $(BENCH_CRT0) $< \
		$(BENCH_LIBCAPOS)

$(CAPOS_PROBE): bench/capos/entryprobe.S
	@mkdir -p $(@D)
	$(KCC) -m32 -c -o $(@:.elf=.o) $<
	ld -m elf_i386 -Ttext=0x200000 -z noexecstack -o $@ $(@:.elf=.o)

# ringbench runs as init of this manifest, with the programs it spawns.
BENCH_CAPOS_MANIFEST := $(BENCH_BUILD)/capos/bench.manifest.bin
# The programs ringbench spawns, and the default system's (for its boot).
BENCH_PROGRAM_ELFS := $(foreach p,ipc_echo nop init echo_server echo_client,\
	$(BUILD)/user/$(p).elf)
BENCH_PROGRAMS := $(foreach p,ipc_echo nop init echo_server echo_client,\
	$(BUILD)/user/$(p).elf=$(p))

$(BENCH_CAPOS_MANIFEST): bench/capos/bench.capnp schema/capos.capnp
	@mkdir -p $(@D)
	capnp eval -I schema -b $< manifest > $@.tmp && mv $@.tmp $@

# The benchmark image: the kernel, the manifests, ringbench and its peers.
$(CAPOS_BENCH_ISO): $(BENCH_KERNEL) $(BENCH_MANIFEST) $(RINGBENCH) \
		$(BENCH_CAPOS_MANIFEST) $(BENCH_PROGRAM_ELFS) scripts/mkiso.sh
	sh scripts/mkiso.sh $@ $(BENCH_KERNEL) "" \
		$(BENCH_MANIFEST)=manifest $(RINGBENCH)=ringbench \
		$(BENCH_CAPOS_MANIFEST)=manifest-bench $(BENCH_PROGRAMS)

# The probe image carries what the benchmark image does, the kernel as a
# module (stripped: GRUB reads only the loadable part of a kernel), so the
# firmware and GRUB do the same work before they enter the probe.
$(CAPOS_PROBE_ISO): $(CAPOS_PROBE) $(BENCH_KERNEL) $(BENCH_MANIFEST) \
		$(RINGBENCH) $(BENCH_CAPOS_MANIFEST) scripts/mkiso.sh
	strip -o $(BENCH_BUILD)/capos/capos-stripped.elf $(BENCH_KERNEL)
	sh scripts/mkiso.sh $@ $(CAPOS_PROBE) "" \
		$(BENCH_BUILD)/capos/capos-stripped.elf=kernel \
		$(BENCH_MANIFEST)=manifest $(RINGBENCH)=ringbench \
		$(BENCH_CAPOS_MANIFEST)=manifest-bench $(BENCH_PROGRAMS)

# --- Linux ------------------------------------------------------------------

$(LINUX_BENCH): bench/linux/linuxbench.c bench/bench.h
	@mkdir -p $(@D)
	$(HOST_CC) $(LINUX_CFLAGS) -Wl,-e,bench_entry -o $@ $<

$(LINUX_NOTHING): bench/linux/nothing.c
	@mkdir -p $(@D)
	$(HOST_CC) $(LINUX_CFLAGS) -nostdlib -o $@ $<

$(LINUX_PROBE): bench/linux/entryprobe.S
	@mkdir -p $(@D)
	$(HOST_CC) -c -o $(@:.bin=.o) $<
	ld -Ttext=0 -z noexecstack -o $(@:.bin=.elf) $(@:.bin=.o)
	objcopy -O binary -j .text $(@:.bin=.elf) $@

# --- running ----------------------------------------------------------------

.PHONY: bench bench-setup bench-build bench-run bench-report

bench-setup:
	@sh scripts/setup.sh bench

bench-build: $(CAPOS_BENCH_ISO) $(CAPOS_PROBE_ISO) $(LINUX_BENCH) \
		$(LINUX_NOTHING) $(LINUX_PROBE)

# Each pass boots capOS (the benchmark, then the entry probe) and Linux
# (the probe, then the benchmark) and keeps the serial transcripts.
bench-run: bench-build
	@[ "$(KERNEL_ELF) $(LIBCAPOS) $(CAPNP_MANIFEST)" = \
	   "$(BENCH_KERNEL) $(BENCH_LIBCAPOS) $(BENCH_MANIFEST)" ] || \
		{ echo "bench: mk/bench.mk paths are out of date" >&2; exit 1; }
	@for mode in $(BENCH_MODES); do \
		sh scripts/bench-capos.sh $(BENCH_BUILD) $$mode \
			$(CAPOS_BENCH_ISO) $(CAPOS_PROBE_ISO) || exit 1; \
		sh scripts/bench-linux.sh $(BENCH_BUILD) $$mode $(LINUX_BENCH) \
			$(LINUX_NOTHING) $(LINUX_PROBE) || exit 1; \
	done

bench-report:
	@sh scripts/bench-report.sh $(BENCH_BUILD) $(BENCH_MODES)

bench: bench-setup
	@$(MAKE) --no-print-directory bench-run
	@$(MAKE) --no-print-directory bench-report

# --- soak -------------------------------------------------------------------
# make soak: the long leak soak (scripts/soak.sh; docs/build-boot-test.md).
# `make test` boots the short version (manifest soak) in the boot suite.
.PHONY: soak
soak: all
	@sh scripts/soak.sh $(BUILD)/capos.iso $(BUILD)/soak
