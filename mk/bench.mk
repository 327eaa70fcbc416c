# Benchmarks: `make bench` measures capOS and Linux under the same QEMU
# command line and writes a table, a plot and the transcripts to
# $(BUILD)/bench, and rewrites the generated table of docs/benchmarks.md.
# See docs/benchmarks.md.  It is not part of `make test`.  It fails when a
# boot fails, a transcript lacks results, or a benchmark reports an error
# (BENCH_ERROR: an operation's result was wrong); a number never fails it,
# and whether a target (bench/targets.txt) is met is a verdict in the table.
#
#   BENCH_TCG=0    skip the second, plain-TCG (wall time) pass
#   BENCH_BOOTS=N  boots per system and pass, for the boot rows (3)
#   BENCH_SMP_BOOTS=N  boots per system and CPU count of the SMP scaling
#                  bench (5); `make bench-smp` runs that bench alone
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
CAPOS_BENCH_ISO := $(BENCH_BUILD)/capos-bench.iso

LINUX_BENCH := $(BENCH_BUILD)/linux/linuxbench
LINUX_NOTHING := $(BENCH_BUILD)/linux/nothing
# The C library rows: one program, built on each system's musl.
CAPOS_LIBCBENCH := $(BENCH_BUILD)/capos/libcbench.elf
LINUX_LIBCBENCH := $(BENCH_BUILD)/linux/libcbench
# mk/libc.mk's CAPOS_CC and what it links:
BENCH_CAPOS_CC := $(BUILD)/libc/bin/capos-cc
LINUX_CFLAGS := -std=gnu11 -O2 -static -Wall -Wextra -Werror

BENCH_TCG ?= 1
BENCH_BOOTS ?= 3
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

$(CAPOS_LIBCBENCH): bench/libc/libcbench.c bench/bench.h $(BENCH_CAPOS_CC) \
		$(BUILD)/libc/libcapos-libc.a $(BUILD)/libc/libcapos-core.a \
		$(BUILD)/libc/sysroot/lib/libc.a
	@mkdir -p $(@D)
	$(BENCH_CAPOS_CC) -O2 -Wall -Wextra -Werror -o $@ $<

# ringbench runs as init of this manifest, with the programs it spawns.
BENCH_CAPOS_MANIFEST := $(BENCH_BUILD)/capos/bench.manifest.bin

# The SMP scaling bench (scripts/bench-smp.sh): primes runs as init of its
# own manifest in the same image, and as its own child processes.
CAPOS_PRIMES := $(BENCH_BUILD)/capos/primes.elf
BENCH_PRIMES_MANIFEST := $(BENCH_BUILD)/capos/primes.manifest.bin

$(BUILD)/user/bench/capos/primes.o: bench/primes.h

$(CAPOS_PRIMES): $(BUILD)/user/bench/capos/primes.o $(BENCH_LIBCAPOS) \
		user/user.ld
	@mkdir -p $(@D)
	ld $(USER_LDFLAGS) -o $@ $(BENCH_CRT0) $< $(BENCH_LIBCAPOS)

$(BENCH_PRIMES_MANIFEST): bench/capos/primes.capnp schema/capos.capnp
	@mkdir -p $(@D)
	capnp eval -I schema -b $< manifest > $@.tmp && mv $@.tmp $@
# The programs ringbench spawns, and the default system's (for its boot;
# the credential service is built on the C library, mk/services.mk).
BENCH_USER_PROGRAMS := nop init terminal broker shell login hello echo cat \
	spin now
BENCH_PROGRAM_ELFS := $(foreach p,$(BENCH_USER_PROGRAMS),\
	$(BUILD)/user/$(p).elf) $(BUILD)/services/credentials.elf
BENCH_PROGRAMS := $(foreach p,$(BENCH_USER_PROGRAMS),\
	$(BUILD)/user/$(p).elf=$(p)) \
	$(BUILD)/services/credentials.elf=credentials

$(BENCH_CAPOS_MANIFEST): bench/capos/bench.capnp schema/capos.capnp
	@mkdir -p $(@D)
	capnp eval -I schema -b $< manifest > $@.tmp && mv $@.tmp $@

# The benchmark image: the kernel, the manifests, ringbench and its peers.
$(CAPOS_BENCH_ISO): $(BENCH_KERNEL) $(BENCH_MANIFEST) $(RINGBENCH) \
		$(BENCH_CAPOS_MANIFEST) $(BENCH_PROGRAM_ELFS) $(CAPOS_LIBCBENCH) \
		$(CAPOS_PRIMES) $(BENCH_PRIMES_MANIFEST) \
		mk/bench.mk \
		scripts/mkiso.sh
	sh scripts/mkiso.sh $@ $(BENCH_KERNEL) "" \
		$(BENCH_MANIFEST)=manifest $(RINGBENCH)=ringbench \
		$(BENCH_CAPOS_MANIFEST)=manifest-bench $(BENCH_PROGRAMS) \
		$(CAPOS_LIBCBENCH)=libcbench \
		$(CAPOS_PRIMES)=primes $(BENCH_PRIMES_MANIFEST)=manifest-primes

# --- Linux ------------------------------------------------------------------

$(LINUX_BENCH): bench/linux/linuxbench.c bench/bench.h bench/linux/console.h
	@mkdir -p $(@D)
	$(HOST_CC) $(LINUX_CFLAGS) -Wl,-e,bench_entry -o $@ $<

$(LINUX_LIBCBENCH): bench/libc/libcbench.c bench/bench.h
	@mkdir -p $(@D)
	musl-gcc -std=gnu11 -O2 -static -Wall -Wextra -Werror -o $@ $<

$(LINUX_NOTHING): bench/linux/nothing.c
	@mkdir -p $(@D)
	$(HOST_CC) $(LINUX_CFLAGS) -nostdlib -o $@ $<

LINUX_PRIMES := $(BENCH_BUILD)/linux/primes
$(LINUX_PRIMES): bench/linux/primes.c bench/primes.h bench/linux/console.h
	@mkdir -p $(@D)
	$(HOST_CC) $(LINUX_CFLAGS) -pthread -o $@ $<

# --- running ----------------------------------------------------------------

.PHONY: bench bench-setup bench-build bench-run bench-report bench-smp \
	bench-smp-run

bench-setup:
	@sh scripts/setup.sh bench

bench-build: $(CAPOS_BENCH_ISO) $(LINUX_BENCH) $(LINUX_NOTHING) \
	$(LINUX_LIBCBENCH) $(LINUX_PRIMES)

# Each pass boots capOS (the benchmarks, then the default system) and
# Linux BENCH_BOOTS times each and keeps the serial transcripts.
bench-run: bench-build
	@[ "$(KERNEL_ELF) $(LIBCAPOS) $(CAPNP_MANIFEST)" = \
	   "$(BENCH_KERNEL) $(BENCH_LIBCAPOS) $(BENCH_MANIFEST)" ] || \
		{ echo "bench: mk/bench.mk paths are out of date" >&2; exit 1; }
	@for mode in $(BENCH_MODES); do \
		sh scripts/bench-capos.sh $(BENCH_BUILD) $$mode $(BENCH_BOOTS) \
			$(CAPOS_BENCH_ISO) || exit 1; \
		sh scripts/bench-linux.sh $(BENCH_BUILD) $$mode $(BENCH_BOOTS) \
			$(LINUX_BENCH) $(LINUX_NOTHING) $(LINUX_LIBCBENCH) \
			|| exit 1; \
	done

bench-report:
	@sh scripts/bench-report.sh $(BENCH_BUILD) $(BENCH_BOOTS) \
		bench/targets.txt docs/benchmarks.md $(BENCH_MODES)

# The SMP scaling bench: capOS and Linux under multi-threaded TCG at -smp 1
# and -smp 2, BENCH_SMP_BOOTS boots each; it writes its own table
# (OUT/smp/results.txt and the bench:smp region of docs/benchmarks.md).
BENCH_SMP_BOOTS ?= 5

bench-smp-run: bench-build
	@sh scripts/bench-smp.sh $(BENCH_BUILD) $(BENCH_SMP_BOOTS) \
		$(CAPOS_BENCH_ISO) bench/targets.txt docs/benchmarks.md \
		$(LINUX_BENCH) $(LINUX_NOTHING) $(LINUX_LIBCBENCH) $(LINUX_PRIMES)

bench-smp: bench-setup
	@$(MAKE) --no-print-directory bench-smp-run

bench: bench-setup
	@$(MAKE) --no-print-directory bench-run
	@$(MAKE) --no-print-directory bench-report
	@$(MAKE) --no-print-directory bench-smp-run

# --- soak -------------------------------------------------------------------
# make soak: the long leak soak (scripts/soak.sh; docs/testing.md).
# `make test` boots the short version (manifest soak) in the boot suite.
.PHONY: soak
soak: all
	@sh scripts/soak.sh $(BUILD)/capos.iso $(BUILD)/soak
