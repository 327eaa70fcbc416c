# Cap'n Proto: the wire-format runtime (lib/capnp), the C code generator
# plugin (tools/capnpc-c), the headers generated from schema/*.capnp, the
# encoded boot manifest, and their tests and fuzzer.  See docs/capnp.md.
#
# For the kernel build:
#   CAPNP_RT_SRCS   runtime sources (freestanding; compile with kernel flags)
#   CAPNP_GEN_HDRS  generated headers, in $(BUILD)/gen (on the include path)
#   capnp-gen       builds them

CAPNP ?= capnp
CAPNP_FLAGS := --no-standard-import
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60

CAPNP_RT_SRCS := $(sort $(wildcard lib/capnp/*.c))
CAPNP_RT_HDRS := $(sort $(wildcard lib/capnp/*.h)) lib/base/mem.h
CAPNP_SCHEMAS := $(sort $(wildcard schema/*.capnp))
CAPNP_GEN_HDRS := $(patsubst schema/%,$(BUILD)/gen/%.h,$(CAPNP_SCHEMAS))

CAPNPC_C := $(BUILD)/tools/capnpc-c
CAPNPC_C_SRCS := $(sort $(wildcard tools/capnpc-c/*.c))
CAPNPC_C_HDRS := $(sort $(wildcard tools/capnpc-c/*.h))

CAPNP_MANIFEST := $(BUILD)/system/default.manifest.bin

# Test-only outputs live apart from the real generated headers.
CAPNP_TEST := $(BUILD)/capnp
CAPNP_TEST_GEN := $(CAPNP_TEST)/gen/conformance.capnp.h
CAPNP_UNIT_SRCS := $(sort $(wildcard tests/capnp/unit_*.c))
CAPNP_UNIT_BINS := $(patsubst tests/capnp/%.c,$(CAPNP_TEST)/%,$(CAPNP_UNIT_SRCS))
CAPNP_CONFORMANCE := $(CAPNP_TEST)/conformance
CAPNP_KCHECK := $(CAPNP_TEST)/kernel-flags.ok
CAPNP_FUZZER := $(BUILD)/fuzz/capnp_reader

ALL_TARGETS += $(CAPNPC_C) $(CAPNP_GEN_HDRS) $(CAPNP_MANIFEST) $(CAPNP_KCHECK)
SUITES += capnp-unit capnp-conformance capnp-fuzz-seeds

.PHONY: capnp-gen fuzz suite-capnp-unit suite-capnp-conformance \
	suite-capnp-fuzz-seeds

capnp-gen: $(CAPNP_GEN_HDRS)

$(CAPNPC_C): $(CAPNPC_C_SRCS) $(CAPNPC_C_HDRS) $(CAPNP_RT_SRCS) $(CAPNP_RT_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Itools/capnpc-c -o $@ $(CAPNPC_C_SRCS) \
		$(CAPNP_RT_SRCS)

# capnp runs the plugin from the output directory: give it an absolute path.
$(BUILD)/gen/%.capnp.h: schema/%.capnp $(CAPNPC_C)
	@mkdir -p $(@D)
	$(CAPNP) compile $(CAPNP_FLAGS) -Ischema --src-prefix=schema \
		-o$(abspath $(CAPNPC_C)):$(@D) $<

$(CAPNP_TEST_GEN): tests/capnp/conformance.capnp $(CAPNPC_C)
	@mkdir -p $(@D)
	$(CAPNP) compile $(CAPNP_FLAGS) --src-prefix=tests/capnp \
		-o$(abspath $(CAPNPC_C)):$(@D) $<

# The reference tool checks the manifest against the schema as it encodes.
$(CAPNP_MANIFEST): system/default.capnp $(CAPNP_SCHEMAS)
	@mkdir -p $(@D)
	$(CAPNP) eval $(CAPNP_FLAGS) -Ischema -b $< manifest >$@.tmp
	@mv $@.tmp $@

# The runtime and every generated header must build with kernel flags.
$(CAPNP_KCHECK): $(CAPNP_RT_SRCS) $(CAPNP_RT_HDRS) $(CAPNP_GEN_HDRS) \
		$(CAPNP_TEST_GEN)
	@mkdir -p $(CAPNP_TEST)/kcheck
	@for f in $(CAPNP_RT_SRCS); do \
		echo "  KCC $$f"; \
		$(KCC) $(FREESTANDING_CFLAGS) -mcmodel=kernel -c $$f \
			-o $(CAPNP_TEST)/kcheck/$$(basename $$f .c).o || exit 1; \
	done
	@printf '%s\n' $(patsubst %,'#include "%"',$(notdir $(CAPNP_GEN_HDRS) \
		$(CAPNP_TEST_GEN))) >$(CAPNP_TEST)/kcheck/gen.c
	$(KCC) $(FREESTANDING_CFLAGS) -mcmodel=kernel -I$(CAPNP_TEST)/gen \
		-c $(CAPNP_TEST)/kcheck/gen.c -o $(CAPNP_TEST)/kcheck/gen.o
	@touch $@

# Host tests: runtime objects with ASan and UBSan.
CAPNP_SAN_OBJS := $(patsubst lib/capnp/%.c,$(CAPNP_TEST)/san/%.o,$(CAPNP_RT_SRCS))

$(CAPNP_TEST)/san/%.o: lib/capnp/%.c $(CAPNP_RT_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(CAPNP_TEST)/unit_%: tests/capnp/unit_%.c tests/capnp/words.h \
		$(CAPNP_SAN_OBJS) $(CAPNP_TEST_GEN)
	$(HOST_CC) $(HOST_CFLAGS) $(SAN_FLAGS) -I$(CAPNP_TEST)/gen -o $@ $< \
		$(CAPNP_SAN_OBJS) $(CMOCKA_LIBS)

$(CAPNP_CONFORMANCE): tests/capnp/conformance.c $(CAPNP_SAN_OBJS) \
		$(CAPNP_GEN_HDRS) $(CAPNP_TEST_GEN)
	$(HOST_CC) $(HOST_CFLAGS) $(SAN_FLAGS) -I$(CAPNP_TEST)/gen -o $@ $< \
		$(CAPNP_SAN_OBJS) -lm

suite-capnp-unit: $(CAPNP_UNIT_BINS)
	@$(RUN_SUITE) capnp-unit env CMOCKA_MESSAGE_OUTPUT=TAP sh -c \
		'rc=0; for t in "$$@"; do "$$t" || rc=1; done; exit $$rc' \
		sh $(CAPNP_UNIT_BINS)

suite-capnp-conformance: $(CAPNP_CONFORMANCE) $(CAPNP_MANIFEST)
	@$(RUN_SUITE) capnp-conformance env CAPNP=$(CAPNP) \
		sh tests/capnp/conformance.sh $(abspath $(CAPNP_CONFORMANCE)) \
		$(abspath $(CAPNP_TEST)/conformance.d) \
		$(abspath $(CAPNP_MANIFEST))

# The fuzzer: libFuzzer with ASan and UBSan, over the runtime and the
# generated accessors.  make fuzz runs it for FUZZ_SECONDS; new inputs go
# to $(BUILD)/fuzz/corpus, crashes to $(BUILD)/fuzz/ (a crash fails make).
$(CAPNP_FUZZER): fuzz/capnp_reader.c $(CAPNP_RT_SRCS) $(CAPNP_RT_HDRS) \
		$(CAPNP_GEN_HDRS) $(CAPNP_TEST_GEN)
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -Ilib -I$(BUILD)/gen \
		-I$(CAPNP_TEST)/gen -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -o $@ $< $(CAPNP_RT_SRCS)

fuzz: $(CAPNP_FUZZER)
	@mkdir -p $(BUILD)/fuzz/corpus
	$(CAPNP_FUZZER) -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus \
		fuzz/corpus/capnp

# In make test: every committed seed (and any crash reproducer committed
# beside them) still runs clean; each file is run once, nothing is mutated.
CAPNP_FUZZ_SEEDS := $(sort $(wildcard fuzz/corpus/capnp/*))

suite-capnp-fuzz-seeds: $(CAPNP_FUZZER)
	@$(RUN_SUITE) capnp-fuzz-seeds sh -c '"$$0" "$$@" && \
		echo "ok 1 - $$# seeds in fuzz/corpus/capnp run clean"' \
		$(CAPNP_FUZZER) $(CAPNP_FUZZ_SEEDS)
