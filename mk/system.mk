# The system: boot manifests (system/), init's manifest checks
# (lib/manifest), the build-time manifest tool and their tests.  See
# docs/services.md.
#
#   SYSTEM_MANIFEST_MODULES  FILE=manifest-NAME pairs for the boot image:
#                            every system/tests/NAME.capnp, and every
#                            deliberately hostile system/tests/hostile/NAME.capnp
#                            as manifest-hostile-NAME
#   SYSTEM_MANIFEST_BINS     the encoded manifests and the checks the boot
#                            image depends on
#   SYSTEM_BINARIES          the boot modules the (non-hostile) manifests
#                            name, read from the text with `capnp eval`
#                            (computed when used)
#   MANIFEST_SRCS            lib/manifest sources
#
# Every non-hostile manifest, system/default.capnp included, is checked at
# build time by tools/manifest-binaries: init's own validation of the whole
# service graph, then every module it names must be a program of
# user/programs or user/tests.  A manifest that fails stops the build.
# Hostile manifests are meant to be refused by init in the guest, so they
# are only encoded (the manifest suite checks that the tool refuses them).
#
# Suites: manifest (host: lib/manifest with hostile manifests, the
# reference encoder refusing unknown fields, the tool refusing the hostile
# system manifests) and services (QEMU: init runs each test manifest).

# The interface table it reads points at the generated descriptors.
MANIFEST_SRCS := lib/manifest/manifest.c lib/rpc/dispatch.c \
	$(BUILD)/gen/capos.capnp.c
# kernel_caps.h: the registry of kernel caps, whose names the checks know.
MANIFEST_HDRS := lib/manifest/manifest.h include/capos/kernel_caps.h

SYSTEM_OUT := $(BUILD)/system
SYSTEM_TEST_SRCS := $(sort $(wildcard system/tests/*.capnp))
SYSTEM_HOSTILE_SRCS := $(sort $(wildcard system/tests/hostile/*.capnp))
SYSTEM_TEST_NAMES := $(patsubst system/tests/%.capnp,%,$(SYSTEM_TEST_SRCS))
SYSTEM_HOSTILE_NAMES := $(patsubst system/tests/hostile/%.capnp,hostile-%,\
	$(SYSTEM_HOSTILE_SRCS))

SYSTEM_TEST_BINS := $(foreach n,$(SYSTEM_TEST_NAMES) $(SYSTEM_HOSTILE_NAMES),\
	$(SYSTEM_OUT)/$(n).manifest.bin)
SYSTEM_MANIFEST_MODULES := $(foreach n,$(SYSTEM_TEST_NAMES) \
	$(SYSTEM_HOSTILE_NAMES),$(SYSTEM_OUT)/$(n).manifest.bin=manifest-$(n))
# An operator's own manifest, system/local.capnp (ignored by git, never
# committed), replaces system/default.capnp in the boot image; it is
# checked like every other.  BOOT_MANIFEST is what boots as "manifest".
LOCAL_MANIFEST_SRC := $(wildcard system/local.capnp)
ifneq ($(LOCAL_MANIFEST_SRC),)
BOOT_MANIFEST := $(SYSTEM_OUT)/local.manifest.bin
BOOT_MANIFEST_NAME := local
$(SYSTEM_OUT)/local.manifest.bin: system/local.capnp $(CAPNP_SCHEMAS)
	@mkdir -p $(@D)
	$(CAPNP) eval $(CAPNP_FLAGS) -Ischema -I$(SYSTEM_GEN) -b $< manifest \
		>$@.tmp
	@mv $@.tmp $@
else
BOOT_MANIFEST := $(CAPNP_MANIFEST)
BOOT_MANIFEST_NAME :=
endif

# One check per non-hostile manifest: the list of its binaries, written
# only when the manifest passed.
SYSTEM_CHECKS := $(foreach n,default $(BOOT_MANIFEST_NAME) $(SYSTEM_TEST_NAMES),\
	$(SYSTEM_OUT)/$(n).binaries)
SYSTEM_MANIFEST_BINS := $(SYSTEM_TEST_BINS) $(SYSTEM_CHECKS)

SYSTEM_BINARIES = $(sort $(foreach f,system/default.capnp $(LOCAL_MANIFEST_SRC) $(SYSTEM_TEST_SRCS),\
	$(shell $(CAPNP) eval $(CAPNP_FLAGS) -Ischema -I$(SYSTEM_GEN) $(f) manifest.binaries | \
		grep -o 'module = "[^"]*"' | cut -d'"' -f2)))

MANIFEST_TOOL := $(BUILD)/tools/manifest-binaries

# Test accounts (for system/tests only: a known password has no place in
# a real boot).  A test manifest that needs an account with a known
# password says `using Accounts = import "/test_accounts.capnp";` and
# `accounts = [Accounts.operator]`: the file is written here, into
# SYSTEM_GEN (on the manifests' import path), with a verifier of the
# fixture password system/tests/operator.password that tools/mkverifier
# makes at the build's costs (PWHASH_* in mk/libsodium.mk).  The password
# stays out of every image; the test program that logs in knows it.
# Each verifier has a fresh salt, so the file is made again only when the
# password or the tool changes, and only the manifests that import it
# (found by grep) are encoded again then.
SYSTEM_GEN := $(SYSTEM_OUT)/gen
TEST_ACCOUNTS := $(SYSTEM_GEN)/test_accounts.capnp
TEST_PASSWORD := system/tests/operator.password
ACCOUNT_MANIFESTS := $(shell grep -l '"/test_accounts.capnp"' \
	$(SYSTEM_TEST_SRCS) /dev/null)
# mk/libsodium.mk, included later, builds the tool.
TEST_MKVERIFIER := $(BUILD)/tools/mkverifier

$(TEST_ACCOUNTS): $(TEST_PASSWORD) $(TEST_MKVERIFIER)
	@mkdir -p $(@D)
	@v=$$($(TEST_MKVERIFIER) --opslimit $(PWHASH_OPSLIMIT) \
		--memlimit $(PWHASH_MEMLIMIT) <$(TEST_PASSWORD)) || exit 1; \
	{ echo "# Made by mk/system.mk from $(TEST_PASSWORD): do not edit."; \
	  echo '@0xc7e2a4d1b3f50617;'; \
	  echo 'using Capos = import "/capos.capnp";'; \
	  echo "const operator :Capos.Account = (name = \"operator\","; \
	  echo "  verifier = \"$$v\", profile = \"operator\");"; \
	} >$@.tmp
	@mv $@.tmp $@
	@echo "  GEN     $@"

$(patsubst system/tests/%.capnp,$(SYSTEM_OUT)/%.manifest.bin,\
	$(filter system/tests/%,$(ACCOUNT_MANIFESTS))): $(TEST_ACCOUNTS)

ALL_TARGETS += $(MANIFEST_TOOL) $(SYSTEM_MANIFEST_BINS)
SUITES += manifest services

.PHONY: suite-manifest suite-services system-binaries

# Shows what the manifests ask the boot image for.
system-binaries:
	@echo $(SYSTEM_BINARIES)

$(SYSTEM_OUT)/%.manifest.bin: system/tests/%.capnp $(CAPNP_SCHEMAS)
	@mkdir -p $(@D) $(SYSTEM_GEN)
	$(CAPNP) eval $(CAPNP_FLAGS) -Ischema -I$(SYSTEM_GEN) -b $< manifest \
		>$@.tmp
	@mv $@.tmp $@

$(SYSTEM_OUT)/hostile-%.manifest.bin: system/tests/hostile/%.capnp \
		$(CAPNP_SCHEMAS)
	@mkdir -p $(@D)
	$(CAPNP) eval $(CAPNP_FLAGS) -Ischema -b $< manifest >$@.tmp
	@mv $@.tmp $@

# USER_MODULES, the FILE=NAME boot modules of the image, comes from
# mk/user.mk, mk/libc.mk and mk/services.mk (included later; the recipe is
# expanded when it runs).
BOOT_MODULE_NAMES = $(foreach m,$(USER_MODULES),$(lastword $(subst =, ,$(m))))
$(SYSTEM_OUT)/%.binaries: $(SYSTEM_OUT)/%.manifest.bin $(MANIFEST_TOOL)
	$(MANIFEST_TOOL) $< >$@.tmp || { rm -f $@.tmp; exit 1; }
	@missing=; for m in $$(cut -d' ' -f2 $@.tmp); do \
		case " $(BOOT_MODULE_NAMES) " in \
		*" $$m "*) ;; *) missing="$$missing $$m" ;; esac; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "$<: no program builds the module(s):$$missing" \
			"(user/programs/NAME.c, user/tests/NAME.c," \
			"user/libc/tests/NAME.c or user/services/NAME.c)" >&2; \
		rm -f $@.tmp; exit 1; \
	fi
	@mv $@.tmp $@

# The boot image carries the manifests only once they passed (mk/image.mk
# names the image; this adds to its prerequisites).  The stamp changes
# when system/local.capnp appears or goes, so the image follows.
BOOT_MANIFEST_STAMP := $(SYSTEM_OUT)/boot-manifest.src
$(BUILD)/capos.iso: $(SYSTEM_CHECKS) $(BOOT_MANIFEST_STAMP)

$(BOOT_MANIFEST_STAMP): FORCE
	@mkdir -p $(@D)
	@echo "$(or $(LOCAL_MANIFEST_SRC),system/default.capnp)" | \
		cmp -s - $@ 2>/dev/null || \
		echo "$(or $(LOCAL_MANIFEST_SRC),system/default.capnp)" >$@

.PHONY: FORCE
FORCE:

$(MANIFEST_TOOL): tools/manifest-binaries/main.c $(MANIFEST_SRCS) \
		$(MANIFEST_HDRS) lib/fmt/fmt.c $(CAPNP_RT_SRCS) $(CAPNP_RT_HDRS) \
		$(CAPNP_GEN_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ tools/manifest-binaries/main.c \
		$(MANIFEST_SRCS) lib/fmt/fmt.c $(CAPNP_RT_SRCS)

# --- host tests ---------------------------------------------------------------
MANIFEST_TEST := $(BUILD)/manifest-tests
MANIFEST_CASES_SRC := tests/manifest/cases.capnp
# Every `const NAME :Capos.SystemManifest` of the cases file.
MANIFEST_CASES := $(shell sed -n \
	's/^const \([A-Za-z0-9]*\) :Capos\.SystemManifest.*/\1/p' \
	$(MANIFEST_CASES_SRC))

$(MANIFEST_TEST)/cases.ok: $(MANIFEST_CASES_SRC) $(CAPNP_SCHEMAS)
	@mkdir -p $(@D)
	@for c in $(MANIFEST_CASES); do \
		echo "  CAPNP $$c"; \
		$(CAPNP) eval $(CAPNP_FLAGS) -Ischema -b $< $$c \
			>$(@D)/$$c.bin || exit 1; \
	done
	@touch $@

$(MANIFEST_TEST)/manifest_test: tests/manifest/manifest_test.c \
		$(MANIFEST_SRCS) $(MANIFEST_HDRS) lib/fmt/fmt.c \
		$(CAPNP_SAN_OBJS) $(CAPNP_GEN_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(SAN_FLAGS) -o $@ $< $(MANIFEST_SRCS) \
		lib/fmt/fmt.c $(CAPNP_SAN_OBJS) $(CMOCKA_LIBS)

suite-manifest: $(MANIFEST_TEST)/manifest_test $(MANIFEST_TEST)/cases.ok \
		$(MANIFEST_TOOL) $(SYSTEM_TEST_BINS)
	@$(RUN_SUITE) manifest sh tests/manifest/run.sh \
		$(MANIFEST_TEST)/manifest_test $(MANIFEST_TEST) \
		tests/manifest/unencodable schema $(MANIFEST_TOOL) \
		$(foreach n,$(SYSTEM_HOSTILE_NAMES),$(SYSTEM_OUT)/$(n).manifest.bin)

# --- in-guest: init runs the test manifests ----------------------------------
suite-services: $(BUILD)/capos.iso
	@$(RUN_SUITE) services bash tests/boot/services.sh $(BUILD)/capos.iso \
		$(BUILD)/services-test
