# System services on the C library: user/services/NAME.c, each built by
# capos-cc and linked with libsodium, each a boot module NAME.  They may
# use libcapos's own API and its generated clients and servers too.
# Included after mk/libsodium.mk (its library and PWHASH_* costs) and
# before mk/image.mk (which takes USER_MODULES).
#
#   credentials   the credential service (docs/sessions.md): Argon2id
#                 verifiers of the manifest's accounts, CredentialStore

SERVICES_BUILD := $(BUILD)/services
SERVICE_PROGRAMS := $(basename $(notdir $(wildcard user/services/*.c)))
SERVICE_ELFS := $(foreach p,$(SERVICE_PROGRAMS),$(SERVICES_BUILD)/$(p).elf)

# The costs every verifier the system makes uses, so that setup's
# verifiers cost what tools/mkverifier's do.
$(SERVICES_BUILD)/%.elf: user/services/%.c $(LIBC_DEPS) $(SODIUM_A) \
		mk/libsodium.mk | $(KERNEL_GEN_DEPS)
	@mkdir -p $(@D)
	$(CAPOS_CC) -Wall -Wextra -Werror -Iuser/lib -Iinclude -Ilib \
		-I$(BUILD)/gen -I$(SODIUM_PREFIX)/include \
		-DPWHASH_OPSLIMIT=$(PWHASH_OPSLIMIT) \
		-DPWHASH_MEMLIMIT=$(PWHASH_MEMLIMIT) \
		-o $@ $< -L$(SODIUM_PREFIX)/lib -lsodium

USER_ELFS += $(SERVICE_ELFS)
USER_MODULES += $(foreach p,$(SERVICE_PROGRAMS),$(SERVICES_BUILD)/$(p).elf=$(p))
ALL_TARGETS += $(SERVICE_ELFS)
