/*
 * The ABI note a capOS binary carries, so the loader can tell which ABI it
 * was built for before running a single instruction of it.
 *
 * It is an ordinary ELF note (in a PT_NOTE segment): owner "CAPOS", type
 * CAPOS_ELFNOTE_TYPE_ABI, descriptor = struct capos_elfnote_abi_desc.  The
 * loader refuses a binary without it, with another major version, or with
 * a newer minor version than the kernel's (it may use opcodes, flags or
 * fields this kernel does not know).  docs/abi.md has the policy.
 */
#ifndef CAPOS_ELFNOTE_H
#define CAPOS_ELFNOTE_H

#include <stddef.h>
#include <stdint.h>

#include <capos/version.h>

/* Owner name, NUL included in the note's namesz. */
#define CAPOS_ELFNOTE_NAME   "CAPOS"
#define CAPOS_ELFNOTE_NAMESZ 6u
/* Note types with owner "CAPOS".  Other types are ignored by loaders that
 * do not know them, so new ones can be added. */
#define CAPOS_ELFNOTE_TYPE_ABI 1u

struct capos_elfnote_abi_desc {
	uint32_t abi_major;
	uint32_t abi_minor;
};

/* The whole note as it appears in the file: 4-byte aligned header, name
 * padded to 4, descriptor. */
struct capos_elfnote_abi {
	uint32_t namesz; /* CAPOS_ELFNOTE_NAMESZ */
	uint32_t descsz; /* sizeof(struct capos_elfnote_abi_desc) */
	uint32_t type;   /* CAPOS_ELFNOTE_TYPE_ABI */
	char name[8];    /* "CAPOS", NUL-padded to a multiple of 4 */
	struct capos_elfnote_abi_desc desc;
};

_Static_assert(sizeof(struct capos_elfnote_abi_desc) == 8, "desc size");
_Static_assert(sizeof(struct capos_elfnote_abi) == 28, "note size");
_Static_assert(offsetof(struct capos_elfnote_abi, name) == 12, "name");
_Static_assert(offsetof(struct capos_elfnote_abi, desc) == 20, "desc");
_Static_assert(sizeof(CAPOS_ELFNOTE_NAME) == CAPOS_ELFNOTE_NAMESZ,
               "namesz counts the NUL");

/*
 * Emits the note into the binary being compiled; the runtime's start file
 * uses it once per program.  The assembler gives any ".note.*" section the
 * SHT_NOTE type, and the linker puts allocated notes into a PT_NOTE
 * segment.
 */
#define CAPOS_ELFNOTE_ABI_DEFINE(ident)                                        \
	__attribute__((section(".note.capos"), aligned(4),                     \
	               used)) static const struct capos_elfnote_abi ident = {  \
	    .namesz = CAPOS_ELFNOTE_NAMESZ,                                    \
	    .descsz = sizeof(struct capos_elfnote_abi_desc),                   \
	    .type = CAPOS_ELFNOTE_TYPE_ABI,                                    \
	    .name = CAPOS_ELFNOTE_NAME,                                        \
	    .desc = {CAPOS_ABI_MAJOR, CAPOS_ABI_MINOR},                        \
	}

#endif
