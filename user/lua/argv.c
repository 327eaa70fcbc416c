/*
 * The lua boot module's arguments, since capOS starts processes without
 * any (capos_libc.h): `lua -eSCRIPT`, the script's text being the file
 * the build names in LUA_SCRIPT_FILE (mk/lua.mk), linked in whole after
 * the option's two bytes and NUL-terminated, so no byte of it needs
 * escaping.  The joined form because lua.c refuses a separate -e
 * argument that starts with '-', as a script's first comment does.
 */
#include <stddef.h>

#include "capos_libc.h"

__asm__(".section .rodata\n"
        ".type lua_option_e, @object\n"
        "lua_option_e:\n"
        ".ascii \"-e\"\n"
        ".incbin \"" LUA_SCRIPT_FILE "\"\n"
        ".byte 0\n"
        ".size lua_option_e, . - lua_option_e\n"
        ".previous\n");

extern const char lua_option_e[];

char *const capos_libc_argv[] = {"lua", (char *)lua_option_e, NULL};
