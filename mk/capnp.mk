# Cap'n Proto: the wire-format runtime (lib/capnp), the C code generator
# plugin (tools/capnpc-c), the headers generated from schema/*.capnp, the
# encoded boot manifest, and their tests (the fuzzer is in mk/fuzz.mk).
# See docs/capnp.md.
#
# For the kernel build:
#   CAPNP_RT_SRCS   runtime sources (freestanding; compile with kernel flags)
#   CAPNP_GEN_HDRS  generated headers, in $(BUILD)/gen (on the include path)
#   capnp-gen       builds them

CAPNP ?= capnp
CAPNP_FLAGS := --no-standard-import

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
CAPNP_STRICT := $(CAPNP_TEST)/strict-c11.ok
CAPNP_STRICT_CFLAGS := -std=c11 -Wpedantic -Wall -Wextra -Werror

ALL_TARGETS += $(CAPNPC_C) $(CAPNP_GEN_HDRS) $(CAPNP_MANIFEST) $(CAPNP_KCHECK) \
	$(CAPNP_STRICT)
SUITES += capnp-unit capnp-conformance

.PHONY: capnp-gen suite-capnp-unit suite-capnp-conformance

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
		$(KCC) $(KERNEL_FREESTANDING_CFLAGS) -mcmodel=kernel -c $$f \
			-o $(CAPNP_TEST)/kcheck/$$(basename $$f .c).o || exit 1; \
	done
	@printf '%s\n' $(patsubst %,'#include "%"',$(notdir $(CAPNP_GEN_HDRS) \
		$(CAPNP_TEST_GEN))) >$(CAPNP_TEST)/kcheck/gen.c
	$(KCC) $(KERNEL_FREESTANDING_CFLAGS) -mcmodel=kernel -I$(CAPNP_TEST)/gen \
		-c $(CAPNP_TEST)/kcheck/gen.c -o $(CAPNP_TEST)/kcheck/gen.o
	@touch $@

# Generated headers and the runtime also build as strict ISO C (hosted),
# for programs outside this tree that include them.
$(CAPNP_STRICT): $(CAPNP_RT_SRCS) $(CAPNP_RT_HDRS) $(CAPNP_GEN_HDRS) \
		$(CAPNP_TEST_GEN) $(RPC_SRCS) $(RPC_GEN_SRCS)
	@mkdir -p $(CAPNP_TEST)/strict
	@for f in $(CAPNP_RT_SRCS) $(RPC_SRCS) $(RPC_GEN_SRCS); do \
		echo "  CC (c11) $$f"; \
		$(HOST_CC) $(CAPNP_STRICT_CFLAGS) -Ilib -I$(BUILD)/gen -c $$f \
			-o $(CAPNP_TEST)/strict/$$(basename $$f .c).o || exit 1; \
	done
	@printf '%s\n' $(patsubst %,'#include "%"',$(notdir $(CAPNP_GEN_HDRS) \
		$(CAPNP_TEST_GEN))) >$(CAPNP_TEST)/strict/gen.c
	$(HOST_CC) $(CAPNP_STRICT_CFLAGS) -Ilib -I$(BUILD)/gen -I$(CAPNP_TEST)/gen \
		-c $(CAPNP_TEST)/strict/gen.c -o $(CAPNP_TEST)/strict/gen.o
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

suite-capnp-conformance: $(CAPNP_CONFORMANCE) $(CAPNP_MANIFEST) $(CAPNPC_C)
	@$(RUN_SUITE) capnp-conformance env CAPNP=$(CAPNP) CC=$(HOST_CC) \
		sh tests/capnp/conformance.sh $(abspath $(CAPNP_CONFORMANCE)) \
		$(abspath $(CAPNP_TEST)/conformance.d) \
		$(abspath $(CAPNP_MANIFEST)) $(abspath $(CAPNPC_C))
