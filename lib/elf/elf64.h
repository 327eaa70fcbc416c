/*
 * The parts of the ELF64 file format (System V gABI, x86_64 psABI) the
 * capOS loader reads.  Written out here rather than taken from a host's
 * <elf.h>, because the parser is freestanding.  Names are prefixed elf64_/
 * ELF64_ so host tests can include the system header beside this one.
 */
#ifndef ELF_ELF64_H
#define ELF_ELF64_H

#include <stddef.h>
#include <stdint.h>

#define ELF64_NIDENT 16

/* e_ident[] indices and values. */
#define ELF64_EI_MAG0    0
#define ELF64_EI_CLASS   4
#define ELF64_EI_DATA    5
#define ELF64_EI_VERSION 6
#define ELF64_CLASS64    2
#define ELF64_DATA2LSB   1
#define ELF64_EV_CURRENT 1

#define ELF64_ET_EXEC   2
#define ELF64_EM_X86_64 62

/* Program header types. */
#define ELF64_PT_NULL      0
#define ELF64_PT_LOAD      1
#define ELF64_PT_DYNAMIC   2
#define ELF64_PT_INTERP    3
#define ELF64_PT_NOTE      4
#define ELF64_PT_SHLIB     5
#define ELF64_PT_PHDR      6
#define ELF64_PT_TLS       7
#define ELF64_PT_GNU_STACK 0x6474e551u

/* Program header flags. */
#define ELF64_PF_X 1u
#define ELF64_PF_W 2u
#define ELF64_PF_R 4u

struct elf64_ehdr {
	uint8_t e_ident[ELF64_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

/* A note entry's fixed part; name and descriptor follow, each padded. */
struct elf64_nhdr {
	uint32_t n_namesz;
	uint32_t n_descsz;
	uint32_t n_type;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header size");
_Static_assert(offsetof(struct elf64_ehdr, e_entry) == 24, "e_entry");
_Static_assert(offsetof(struct elf64_ehdr, e_phoff) == 32, "e_phoff");
_Static_assert(offsetof(struct elf64_ehdr, e_ehsize) == 52, "e_ehsize");
_Static_assert(offsetof(struct elf64_ehdr, e_phentsize) == 54, "e_phentsize");
_Static_assert(offsetof(struct elf64_ehdr, e_phnum) == 56, "e_phnum");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 phdr size");
_Static_assert(offsetof(struct elf64_phdr, p_offset) == 8, "p_offset");
_Static_assert(offsetof(struct elf64_phdr, p_vaddr) == 16, "p_vaddr");
_Static_assert(offsetof(struct elf64_phdr, p_filesz) == 32, "p_filesz");
_Static_assert(offsetof(struct elf64_phdr, p_memsz) == 40, "p_memsz");
_Static_assert(offsetof(struct elf64_phdr, p_align) == 48, "p_align");
_Static_assert(sizeof(struct elf64_nhdr) == 12, "note header size");

#endif
