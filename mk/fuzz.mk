# Fuzzing: one libFuzzer target per parser that takes untrusted bytes
# (fuzz/*.c), built with clang and -fsanitize=fuzzer,address,undefined.
# See docs/fuzzing.md.
#
#   make fuzz                       every target for FUZZ_SECONDS (60) each,
#                                   one after the other
#   make fuzz FUZZ_TARGETS=elf      only some targets
#   make fuzz-elf                   one target
#
# Target NAME is built to $(BUILD)/fuzz/NAME and starts from the seeds in
# fuzz/corpus/NAME/; new inputs go to $(BUILD)/fuzz/corpus/NAME, a crash
# to $(BUILD)/fuzz/NAME-crash-* (and fails make).  The suite fuzz-seeds
# (make test) runs every target once over its seeds, so the targets keep
# building and every committed seed or crash reproducer stays clean.
#
# The libraries' variables (ELF_SRCS, RING_SRCS, CAPNP_*) come from
# mk/abi.mk and mk/capnp.mk, included before this file; lib/manifest's
# from mk/system.mk, after it, so those paths are spelled out here.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_OUT := $(BUILD)/fuzz
FUZZ_ALL := acpi capnp capnp_packed cmdline elf manifest mb2 ring
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Ilib -Iinclude \
	-I$(BUILD)/gen -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all
FUZZ_RUN_FLAGS := -timeout=10 -rss_limit_mb=2048 -print_final_stats=1

# Per target: sources (the fuzz/*.c first), headers, extra flags.
fuzz_srcs_capnp := fuzz/capnp_reader.c $(CAPNP_RT_SRCS)
fuzz_deps_capnp := $(CAPNP_RT_HDRS) $(CAPNP_GEN_HDRS) $(CAPNP_TEST_GEN)
fuzz_flags_capnp := -I$(CAPNP_TEST)/gen
fuzz_srcs_capnp_packed := fuzz/capnp_packed.c $(CAPNP_RT_SRCS)
fuzz_deps_capnp_packed := $(CAPNP_RT_HDRS)
fuzz_srcs_elf := fuzz/elf.c $(ELF_SRCS)
fuzz_deps_elf := lib/elf/elf.h lib/elf/elf64.h $(ABI_HEADERS)
fuzz_srcs_manifest := fuzz/manifest.c lib/manifest/manifest.c lib/fmt/fmt.c \
	$(CAPNP_RT_SRCS) lib/rpc/dispatch.c $(BUILD)/gen/capos.capnp.c
fuzz_deps_manifest := lib/manifest/manifest.h lib/fmt/fmt.h \
	$(CAPNP_RT_HDRS) $(CAPNP_GEN_HDRS)
fuzz_srcs_acpi := fuzz/acpi.c lib/acpi/acpi.c lib/acpi/s5.c
fuzz_deps_acpi := lib/acpi/acpi.h lib/base/mem.h
fuzz_srcs_mb2 := fuzz/mb2.c lib/boot/mb2.c
fuzz_deps_mb2 := lib/boot/mb2.h lib/base/mem.h
fuzz_srcs_cmdline := fuzz/cmdline.c lib/shell/cmdline.c lib/fmt/fmt.c
fuzz_deps_cmdline := lib/shell/cmdline.h lib/fmt/fmt.h
fuzz_srcs_ring := fuzz/ring.c $(RING_SRCS)
fuzz_deps_ring := lib/ring/ring.h $(ABI_HEADERS)

FUZZ_BINS := $(addprefix $(FUZZ_OUT)/,$(FUZZ_ALL))

SUITES += fuzz-seeds

.PHONY: fuzz suite-fuzz-seeds $(addprefix fuzz-,$(FUZZ_ALL))

define fuzz_rule
$(FUZZ_OUT)/$(1): $$(fuzz_srcs_$(1)) $$(fuzz_deps_$(1)) mk/fuzz.mk
	@mkdir -p $$(@D)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) $$(fuzz_flags_$(1)) -o $$@ \
		$$(fuzz_srcs_$(1))

fuzz-$(1): $(FUZZ_OUT)/$(1)
	@mkdir -p $(FUZZ_OUT)/corpus/$(1)
	$(FUZZ_OUT)/$(1) -max_total_time=$$(FUZZ_SECONDS) $$(FUZZ_RUN_FLAGS) \
		-artifact_prefix=$(FUZZ_OUT)/$(1)- $(FUZZ_OUT)/corpus/$(1) \
		fuzz/corpus/$(1)
endef
$(foreach t,$(FUZZ_ALL),$(eval $(call fuzz_rule,$(t))))

# One target after the other, whatever -j says: the machine's cores are
# better spent on one fuzzer at a time.
fuzz: $(addprefix $(FUZZ_OUT)/,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
		$(MAKE) --no-print-directory fuzz-$$t || exit 1; \
	done

# Each committed seed runs once through its target; nothing is mutated.
suite-fuzz-seeds: $(FUZZ_BINS)
	@$(RUN_SUITE) fuzz-seeds sh -c 'n=0; rc=0; \
		for t in $(FUZZ_ALL); do \
			n=$$((n + 1)); \
			set -- fuzz/corpus/$$t/*; \
			if $(FUZZ_OUT)/$$t "$$@" >$(FUZZ_OUT)/$$t.seeds.log 2>&1; \
			then echo "ok $$n - $$t: $$# seeds run clean"; \
			else echo "not ok $$n - $$t: see $(FUZZ_OUT)/$$t.seeds.log"; \
				rc=1; fi; \
		done; echo "1..$$n"; exit $$rc'
