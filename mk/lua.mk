# Lua 5.4: Debian's lua5.4 source package, fetched at build time
# (scripts/debsrc.sh), built twice with the same configuration: for capOS
# with capos-cc (boot module "lua", its argv built in: lua -e
# tests/lua/test.lua) and for Linux with Debian's musl-gcc, the reference
# the lua suite compares the in-guest output with (docs/libc.md, "Lua").
# Included after libc.mk: the objects depend on capos-cc.
#
# Debian's patches make Lua's makefile a libtool build that also compiles
# every file as C++ and links -ldl; we compile the files it lists with a
# rule of our own, and check at build time that the list is still its.

LUA_SRC := $(BUILD)/debsrc/lua5.4
LUA_BUILD := $(BUILD)/lua
LUA_SCRIPT := tests/lua/test.lua

# src/Makefile's CORE_O and LIB_O (the core and the standard libraries),
# then lua.o (the interpreter).
LUA_CORE := lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject \
	lopcodes lparser lstate lstring ltable ltm lundump lvm lzio
LUA_LIB := lauxlib lbaselib lcorolib ldblib liolib lmathlib loadlib loslib \
	lstrlib ltablib lutf8lib linit
LUA_FILES := $(LUA_CORE) $(LUA_LIB) lua

# Lua's own flags (LUA_COMPAT_5_3, as Debian builds it), POSIX rather than
# Linux's configuration: LUA_USE_LINUX adds only dlopen.  Lua's makefile
# builds the compiler modules with -Os.
LUA_CFLAGS := -std=gnu99 -O2 -Wall -Wextra -DLUA_COMPAT_5_3 -DLUA_USE_POSIX \
	-I$(LUA_BUILD)/include
LUA_OS_FILES := llex lparser lcode

$(LUA_SRC)/.unpacked:
	sh scripts/debsrc.sh $(BUILD)/debsrc lua5.4 >/dev/null

# The source, checked: Lua's makefile still lists exactly our files.
$(LUA_BUILD)/source.ok: $(LUA_SRC)/.unpacked mk/lua.mk
	@mkdir -p $(@D)
	@theirs=$$(sed -n 's/^\(CORE_O\|LIB_O\|LUA_O\)=//p' $(LUA_SRC)/src/Makefile | \
		tr -s ' \t' '\n' | sed '/^$$/d; s/\.o$$//'); \
	if [ "$$(echo $$theirs)" != "$(LUA_FILES)" ]; then \
		echo "lua.mk: Lua's makefile lists other files: $$(echo $$theirs)"; \
		exit 1; \
	fi
	touch $@

# luaconf.h includes the header debian/rules writes (the multiarch
# triplet of its C module paths, which capOS, without files, never uses).
$(LUA_BUILD)/include/lua5.4-deb-multiarch.h:
	@mkdir -p $(@D)
	printf '#define DEB_HOST_MULTIARCH "x86_64-linux-musl"\n' >$@

LUA_PREREQS := $(LUA_BUILD)/source.ok $(LUA_BUILD)/include/lua5.4-deb-multiarch.h

# --- for capOS -----------------------------------------------------------
LUA_CAPOS_OBJS := $(LUA_FILES:%=$(LUA_BUILD)/capos/%.o)
LUA_ELF := $(LUA_BUILD)/lua.elf

$(LUA_CAPOS_OBJS): $(LUA_BUILD)/capos/%.o: $(LUA_PREREQS) $(LIBC_DEPS)
	@mkdir -p $(@D)
	$(CAPOS_CC) $(LUA_CFLAGS) $(if $(filter $*,$(LUA_OS_FILES)),-Os) \
		-c $(LUA_SRC)/src/$*.c -o $@

# The interpreter's argv (user/lua/argv.c): the script's text linked in.
$(LUA_BUILD)/capos/argv.o: user/lua/argv.c $(LUA_SCRIPT) $(LIBC_DEPS)
	@mkdir -p $(@D)
	$(CAPOS_CC) -Wall -Wextra -Werror \
		-DLUA_SCRIPT_FILE='"$(abspath $(LUA_SCRIPT))"' -c $< -o $@

$(LUA_ELF): $(LUA_CAPOS_OBJS) $(LUA_BUILD)/capos/argv.o
	$(CAPOS_CC) -o $@ $^

USER_ELFS += $(LUA_ELF)
USER_MODULES += $(LUA_ELF)=lua
ALL_TARGETS += $(LUA_ELF)

# --- for Linux, the reference --------------------------------------------
MUSL_GCC ?= musl-gcc
LUA_LINUX_OBJS := $(LUA_FILES:%=$(LUA_BUILD)/linux/%.o)
LUA_LINUX := $(LUA_BUILD)/lua-linux

$(LUA_LINUX_OBJS): $(LUA_BUILD)/linux/%.o: $(LUA_PREREQS)
	@mkdir -p $(@D)
	$(MUSL_GCC) $(LUA_CFLAGS) $(if $(filter $*,$(LUA_OS_FILES)),-Os) \
		-c $(LUA_SRC)/src/$*.c -o $@

$(LUA_LINUX): $(LUA_LINUX_OBJS)
	$(MUSL_GCC) -static -o $@ $^ -lm

ALL_TARGETS += $(LUA_LINUX)

# --- the suite -------------------------------------------------------------
SUITES += lua
suite-lua: $(BUILD)/capos.iso $(LUA_ELF) $(LUA_LINUX)
	@$(RUN_SUITE) lua bash tests/lua/run.sh $(BUILD)/capos.iso $(LUA_ELF) \
		$(LUA_LINUX) $(LUA_SCRIPT) $(BUILD)/lua-test
