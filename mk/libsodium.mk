# libsodium for capOS programs: Debian's source package, fetched at build
# time (scripts/debsrc.sh), built static with capos-cc as its compiler
# (docs/crypto.md).  Nothing of it is changed; configure is told it is a
# cross build, so it runs nothing it compiles.  Included after libc.mk:
# its rules need capos-cc.
#
# Also here: tools/mkverifier, which makes Argon2id password verifiers on
# the host with Debian's libsodium-dev, and the sodium_test boot program.

SODIUM_SRC := $(BUILD)/debsrc/libsodium
SODIUM_BUILD := $(BUILD)/sodium
SODIUM_TREE := $(SODIUM_BUILD)/libsodium
SODIUM_PREFIX := $(abspath $(SODIUM_BUILD)/prefix)
SODIUM_A := $(SODIUM_PREFIX)/lib/libsodium.a

# The cost of every password verifier capOS makes: Argon2id with
# PWHASH_OPSLIMIT passes over PWHASH_MEMLIMIT bytes (19 MiB, 2 passes,
# one lane: OWASP's minimum for Argon2id).  One verification takes about
# 0.3 s in a guest under QEMU's TCG; docs/crypto.md has the measurements
# and the trade-off.
PWHASH_OPSLIMIT := 2
PWHASH_MEMLIMIT := 19922944

$(SODIUM_SRC)/.unpacked:
	sh scripts/debsrc.sh $(BUILD)/debsrc libsodium >/dev/null

# Debian's source has no generated configure: autoreconf makes it, in a
# copy of the source.  musl's headers are a prerequisite; the rest of the
# C library is only needed to exist (configure links its test programs),
# so changes to the shim do not rebuild libsodium.
# --disable-pie, --disable-ssp and the cache variable that keeps -fPIC
# out match capos-cc's own -fno-pie and -fno-stack-protector (capOS
# images load at a fixed address).  The CPU-specific variants stay in:
# sodium_init picks among them at run time by CPUID.
SODIUM_CONFIGURE := --build=x86_64-pc-linux-gnu --host=x86_64-linux-musl \
	--prefix=$(SODIUM_PREFIX) --disable-shared --enable-static \
	--disable-pie --disable-ssp ax_cv_check_cflags___fPIC=no \
	CC=$(abspath $(CAPOS_CC)) CFLAGS="-O2 -g"

# The configure line as a file that changes only when the line does, so
# that editing this makefile for anything else does not rebuild libsodium.
$(SODIUM_BUILD)/configure.args: FORCE
	@mkdir -p $(@D)
	@echo '$(SODIUM_CONFIGURE)' | cmp -s - $@ 2>/dev/null || \
		echo '$(SODIUM_CONFIGURE)' >$@

$(SODIUM_A): $(SODIUM_SRC)/.unpacked $(SODIUM_BUILD)/configure.args \
		$(LIBC_A) | $(LIBC_DEPS)
	rm -rf $(SODIUM_TREE) $(SODIUM_PREFIX)
	@mkdir -p $(SODIUM_BUILD)
	cp -a $(SODIUM_SRC) $(SODIUM_TREE)
	cd $(SODIUM_TREE) && autoreconf -if >autoreconf.log 2>&1 \
		|| { cat autoreconf.log; exit 1; }
	cd $(SODIUM_TREE) && ./configure $(SODIUM_CONFIGURE) >configure.log 2>&1 \
		|| { cat configure.log; exit 1; }
	$(MAKE) -C $(SODIUM_TREE) install >$(SODIUM_BUILD)/build.log 2>&1 \
		|| { tail -n 30 $(SODIUM_BUILD)/build.log; exit 1; }
	touch $@

.PHONY: libsodium
libsodium: $(SODIUM_A)
ALL_TARGETS += $(SODIUM_A)

# --- host side: verifiers and the values sodium_test checks against ---------
MKVERIFIER := $(BUILD)/tools/mkverifier
SODIUM_HOST_BLAKE2B := $(SODIUM_BUILD)/host_blake2b
SODIUM_GEN := $(SODIUM_BUILD)/gen
SODIUM_VECTORS := $(SODIUM_GEN)/sodium_vectors.h

$(MKVERIFIER): tools/mkverifier/main.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $< -lsodium

$(SODIUM_BUILD)/host_%: tests/sodium/host_%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $< -lsodium

# The verifier has a fresh salt each time: the header is made again only
# when one of its makers changes.
$(SODIUM_VECTORS): tests/sodium/vectors.sh $(MKVERIFIER) \
		$(SODIUM_HOST_BLAKE2B) mk/libsodium.mk
	@mkdir -p $(@D)
	sh tests/sodium/vectors.sh $(MKVERIFIER) $(SODIUM_HOST_BLAKE2B) \
		$(PWHASH_OPSLIMIT) $(PWHASH_MEMLIMIT) >$@.tmp
	mv $@.tmp $@

# sodium_test is one of libc.mk's programs (user/libc/tests), linked with
# libsodium too: this rule replaces the pattern rule there.
$(LIBC_BUILD)/sodium_test.elf: user/libc/tests/sodium_test.c $(LIBC_DEPS) \
		$(SODIUM_A) $(SODIUM_VECTORS)
	$(CAPOS_CC) -Wall -Wextra -Werror -I$(SODIUM_PREFIX)/include \
		-I$(SODIUM_GEN) -o $@ $< -L$(SODIUM_PREFIX)/lib -lsodium

# Suite mkverifier: the tool's input, output and refusals, its verifiers
# checked by the host's libsodium.
SODIUM_HOST_VERIFY := $(SODIUM_BUILD)/host_verify
SUITES += mkverifier
.PHONY: suite-mkverifier
suite-mkverifier: $(MKVERIFIER) $(SODIUM_HOST_VERIFY)
	@$(RUN_SUITE) mkverifier sh tests/sodium/mkverifier_test.sh \
		$(MKVERIFIER) $(SODIUM_HOST_VERIFY)

ALL_TARGETS += $(MKVERIFIER) $(SODIUM_HOST_VERIFY)
