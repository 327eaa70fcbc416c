# Generated method dispatch: lib/rpc (pure; linked into the kernel and
# libcapos), the FILE.capnp.c files the plugin writes beside each header
# (interface descriptors and dispatch functions), their kernel-flags
# check and the host tests.  See docs/ipc.md, "Generated dispatch".
#
#   RPC_SRCS        lib/rpc sources (freestanding; compile with your flags)
#   RPC_GEN_SRCS    the generated FILE.capnp.c, one per schema file
#
# Suite: rpc (tests/rpc, cmocka with ASan and UBSan).

RPC_SRCS := $(sort $(wildcard lib/rpc/*.c))
RPC_HDRS := $(sort $(wildcard lib/rpc/*.h))
RPC_GEN_SRCS := $(patsubst schema/%,$(BUILD)/gen/%.c,$(CAPNP_SCHEMAS))

RPC_TEST := $(BUILD)/rpc
RPC_KCHECK := $(RPC_TEST)/kernel-flags.ok

ALL_TARGETS += $(RPC_GEN_SRCS) $(RPC_KCHECK) $(RPC_TEST)/rpc_test
SUITES += rpc

.PHONY: suite-rpc

# The plugin writes FILE.capnp.c in the run that writes FILE.capnp.h.
$(BUILD)/gen/%.capnp.c: $(BUILD)/gen/%.capnp.h
	@test -f $@ || { echo "$@: not written by capnpc-c" >&2; exit 1; }

# lib/rpc and every generated dispatch file build with the kernel's flags.
$(RPC_KCHECK): $(RPC_SRCS) $(RPC_HDRS) $(RPC_GEN_SRCS) $(CAPNP_GEN_HDRS) \
		$(CAPNP_RT_HDRS)
	@mkdir -p $(RPC_TEST)/kcheck
	@for f in $(RPC_SRCS) $(RPC_GEN_SRCS); do \
		echo "  KCC $$f"; \
		$(KCC) $(FREESTANDING_CFLAGS) -mcmodel=kernel -c $$f \
			-o $(RPC_TEST)/kcheck/$$(basename $$f .c).o || exit 1; \
	done
	@touch $@

$(RPC_TEST)/rpc_test: tests/rpc/rpc_test.c $(RPC_SRCS) $(RPC_HDRS) \
		$(RPC_GEN_SRCS) $(CAPNP_GEN_HDRS) $(CAPNP_SAN_OBJS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(SAN_FLAGS) -o $@ $< $(RPC_SRCS) \
		$(RPC_GEN_SRCS) $(CAPNP_SAN_OBJS) $(CMOCKA_LIBS)

suite-rpc: $(RPC_TEST)/rpc_test
	@CMOCKA_MESSAGE_OUTPUT=TAP $(RUN_SUITE) rpc $<
