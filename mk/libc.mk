# The C library: Debian's musl, fetched as a source package at build time
# (scripts/debsrc.sh), changed by user/libc/musl/prepare.sh, built static,
# with its system calls answered by the shim (user/libc/shim) on top of
# libcapos.  capos-cc compiles and links a program against all of it
# (docs/libc.md).  Included after user.mk: it reuses libcapos's objects.

LIBC_BUILD := $(BUILD)/libc
LIBC_SYSROOT := $(abspath $(LIBC_BUILD)/sysroot)
LIBC_A := $(LIBC_SYSROOT)/lib/libc.a
MUSL_SRC := $(BUILD)/debsrc/musl
MUSL_TREE := $(LIBC_BUILD)/musl
GCC_INCLUDE := $(shell $(KCC) -print-file-name=include)
LIBGCC := $(shell $(KCC) -print-libgcc-file-name)

$(MUSL_SRC)/.unpacked:
	sh scripts/debsrc.sh $(BUILD)/debsrc musl >/dev/null

# One stamp for the whole musl build: it installs headers and libraries
# into the sysroot.
$(LIBC_A): $(MUSL_SRC)/.unpacked user/libc/musl/prepare.sh \
		user/libc/musl/syscall_arch.h
	sh user/libc/musl/prepare.sh $(MUSL_SRC) $(MUSL_TREE)
	cd $(MUSL_TREE) && ./configure --prefix=$(LIBC_SYSROOT) \
		--disable-shared CC=$(KCC) CFLAGS="-O2 -g" >configure.log 2>&1 \
		|| { cat configure.log; exit 1; }
	$(MAKE) -C $(MUSL_TREE) install >$(LIBC_BUILD)/musl-build.log 2>&1 \
		|| { tail -n 30 $(LIBC_BUILD)/musl-build.log; exit 1; }
	cp user/libc/include/capos_libc.h $(LIBC_SYSROOT)/include/
	touch $@

# Flags of every C file built against the library: its headers first
# (GCC's own only for what musl leaves to the compiler), static, not
# position-independent (capOS images load at a fixed address).
LIBC_CFLAGS := -std=gnu11 -O2 -g -nostdinc -isystem $(LIBC_SYSROOT)/include \
	-isystem $(GCC_INCLUDE) -fno-pie -fno-stack-protector
LIBC_LDFLAGS := -nostdlib -static -no-pie -L$(LIBC_SYSROOT)/lib \
	-Wl,-T,$(abspath user/user.ld),-z,max-page-size=0x1000,-z,noexecstack \
	-Wl,--build-id=none

# The shim, built against musl's headers and libcapos's.
LIBC_SHIM_SRCS := $(sort $(wildcard user/libc/shim/*.c))
LIBC_SHIM_OBJS := $(patsubst %.c,$(LIBC_BUILD)/%.o,$(LIBC_SHIM_SRCS))
LIBC_SHIM := $(LIBC_BUILD)/libcapos-libc.a

$(LIBC_BUILD)/user/libc/shim/%.o: user/libc/shim/%.c $(LIBC_A) | $(KERNEL_GEN_DEPS)
	@mkdir -p $(dir $@)
	$(KCC) $(LIBC_CFLAGS) -Wall -Wextra -Werror -Wno-unused-parameter \
		-Iuser/libc/include -Iuser/lib -Iinclude -Ilib -I$(BUILD)/gen \
		-MMD -MP -c $< -o $@

$(LIBC_SHIM): $(LIBC_SHIM_OBJS)
	@rm -f $@
	ar rcs $@ $^

# libcapos without what musl provides (its own start, heap, printf and
# string functions).
LIBCAPOS_CORE_OBJS := $(filter-out $(USER_BUILD)/user/lib/crt0.o \
	$(USER_BUILD)/user/lib/start.o $(USER_BUILD)/user/lib/heap.o \
	$(USER_BUILD)/user/lib/stdio.o $(USER_BUILD)/lib/base/mem.o, \
	$(LIBCAPOS_OBJS))
LIBCAPOS_CORE := $(LIBC_BUILD)/libcapos-core.a

$(LIBCAPOS_CORE): $(LIBCAPOS_CORE_OBJS)
	@rm -f $@
	ar rcs $@ $^

# capos-cc: the compiler driver for capOS programs on the C library.
CAPOS_CC := $(LIBC_BUILD)/bin/capos-cc
LIBC_DEPS := $(CAPOS_CC) $(LIBC_A) $(LIBC_SHIM) $(LIBCAPOS_CORE) \
	$(USER_BUILD)/user/lib/crt0.o user/user.ld

$(CAPOS_CC): user/libc/capos-cc.in mk/libc.mk
	@mkdir -p $(dir $@)
	sed -e 's|@CC@|$(KCC)|' -e 's|@CFLAGS@|$(LIBC_CFLAGS)|' \
		-e 's|@LDFLAGS@|$(LIBC_LDFLAGS)|' \
		-e 's|@CRT0@|$(abspath $(USER_BUILD)/user/lib/crt0.o)|' \
		-e 's|@LIBS@|$(abspath $(LIBC_SHIM) $(LIBCAPOS_CORE)) $(LIBC_A) $(LIBGCC)|' \
		-e 's|@INCLUDE@|$(abspath user/libc/include)|' $< >$@.tmp
	chmod +x $@.tmp
	mv $@.tmp $@

.PHONY: libc
libc: $(LIBC_DEPS)

# Programs of our own on the library: user/libc/tests/NAME.c, each a boot
# module NAME.
LIBC_PROGRAMS := $(basename $(notdir $(wildcard user/libc/tests/*.c)))
LIBC_ELFS := $(foreach p,$(LIBC_PROGRAMS),$(LIBC_BUILD)/$(p).elf)

# They may use libcapos's own API too.
$(LIBC_BUILD)/%.elf: user/libc/tests/%.c $(LIBC_DEPS) | $(KERNEL_GEN_DEPS)
	$(CAPOS_CC) -Wall -Wextra -Werror -Iuser/lib -Iinclude -Ilib \
		-I$(BUILD)/gen -o $@ $<

USER_ELFS += $(LIBC_ELFS)
USER_MODULES += $(foreach p,$(LIBC_PROGRAMS),$(LIBC_BUILD)/$(p).elf=$(p))
ALL_TARGETS += $(LIBC_DEPS) $(LIBC_ELFS)

-include $(LIBC_SHIM_OBJS:.o=.d)
