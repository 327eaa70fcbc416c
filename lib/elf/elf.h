/*
 * ELF64 executable parser for the capOS loader.
 *
 * Pure and freestanding: it reads a byte buffer the caller owns, trusts
 * nothing in it, allocates nothing, and fills a struct elf_image the caller
 * provides.  Every field it reports has been checked, so the loader can
 * copy [offset, offset + filesz) to vaddr and zero up to memsz without any
 * further arithmetic checks.
 *
 * Policy (capOS accepts less than the gABI allows):
 *   - static x86_64 little-endian ET_EXEC only; PT_INTERP and PT_DYNAMIC
 *     are refused;
 *   - no segment both writable and executable, no executable stack;
 *   - PT_LOAD segments inside a caller-given user range, never sharing a
 *     page with each other;
 *   - the entry point inside an executable segment.
 */
#ifndef ELF_ELF_H
#define ELF_ELF_H

#include <stddef.h>
#include <stdint.h>

#include <capos/layout.h>

/* Program headers a binary may have: enough for a static program (text,
 * rodata, data, TLS, notes, stack, relro), small enough to bound the
 * parse. */
#define ELF_MAX_PHNUM 32
/* PT_LOAD segments a binary may have. */
#define ELF_MAX_LOAD 8
/* Granularity of the overlap and range checks: the loader maps pages. */
#define ELF_PAGE_SIZE 4096ull
/* TLS block limits, so a binary cannot make every thread creation
 * allocate without bound; the loader maps the main thread's block in an
 * area of the fixed layout sized for these. */
#define ELF_TLS_MAX_MEMSZ CAPOS_USER_TLS_MAX
#define ELF_TLS_MAX_ALIGN ELF_PAGE_SIZE

/* Segment permissions as reported in struct elf_segment.flags. */
#define ELF_SEG_X 1u
#define ELF_SEG_W 2u
#define ELF_SEG_R 4u

/* Results.  Each rejection has its own code so tests and the loader's log
 * can say exactly what was wrong. */
enum elf_result {
	ELF_OK = 0,
	ELF_E_ARG = -1,              /* NULL pointer, or bad user range */
	ELF_E_TRUNCATED = -2,        /* file shorter than the ELF header */
	ELF_E_MAGIC = -3,            /* not "\x7fELF" */
	ELF_E_CLASS = -4,            /* not ELFCLASS64 */
	ELF_E_ENDIAN = -5,           /* not little-endian */
	ELF_E_VERSION = -6,          /* EI_VERSION or e_version not current */
	ELF_E_MACHINE = -7,          /* not x86_64 */
	ELF_E_TYPE = -8,             /* not ET_EXEC (PIE, relocatable, core) */
	ELF_E_EHSIZE = -9,           /* e_ehsize is not 64 */
	ELF_E_PHENTSIZE = -10,       /* e_phentsize is not 56 */
	ELF_E_PHNUM = -11,           /* more than ELF_MAX_PHNUM headers */
	ELF_E_PHDRS_TRUNCATED = -12, /* headers reach past the file end */
	ELF_E_DYNAMIC = -13,         /* PT_INTERP or PT_DYNAMIC present */
	ELF_E_SEG_TRUNCATED = -14,   /* offset + filesz past the file end */
	ELF_E_FILESZ = -15,          /* filesz > memsz */
	ELF_E_OVERFLOW = -16,       /* offset + filesz or vaddr + memsz wraps */
	ELF_E_RANGE = -17,          /* segment outside the user range */
	ELF_E_ALIGN = -18,          /* p_align bad or vaddr != offset mod
	                               p_align or mod ELF_PAGE_SIZE */
	ELF_E_OVERLAP = -19,        /* two PT_LOAD segments share a page */
	ELF_E_TOO_MANY_LOADS = -20, /* more than ELF_MAX_LOAD PT_LOAD */
	ELF_E_WX = -21,             /* segment both writable and executable */
	ELF_E_NO_LOAD = -22,        /* nothing to load */
	ELF_E_ENTRY = -23,          /* entry not in an executable segment */
	ELF_E_TLS = -24,            /* bad or duplicate PT_TLS */
	ELF_E_EXEC_STACK = -25,     /* PT_GNU_STACK asks for PF_X */
	ELF_E_NOTE = -26,           /* malformed PT_NOTE or capOS note */
	ELF_E_NO_ABI_NOTE = -27,    /* no capOS ABI note (elf_check_abi) */
	ELF_E_ABI_MAJOR = -28,      /* built for another major ABI */
	ELF_E_ABI_MINOR = -29,      /* built for a newer minor ABI */
};

struct elf_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t filesz;
	uint64_t offset; /* in the file */
	uint64_t align;  /* p_align as given, 0 and 1 meaning none */
	uint32_t flags;  /* ELF_SEG_R | ELF_SEG_W | ELF_SEG_X */
};

struct elf_image {
	uint64_t entry;
	/* PT_LOAD segments with memsz > 0, sorted by vaddr. */
	uint32_t nload;
	struct elf_segment load[ELF_MAX_LOAD];
	/* The TLS template, when the binary has a PT_TLS. */
	int has_tls;
	struct elf_segment tls;
	/* The capOS ABI note (<capos/elfnote.h>), when present. */
	int has_abi_note;
	uint32_t abi_major;
	uint32_t abi_minor;
};

/*
 * Parses and validates the executable in file[0, size).  user_lo and
 * user_hi (page aligned, user_lo < user_hi) bound where PT_LOAD segments
 * may be placed; the kernel passes CAPOS_USER_IMAGE_BASE/END.
 * Returns ELF_OK with *out filled, or a negative enum elf_result, in which
 * case *out holds nothing useful.
 */
int elf_parse(const void *file, size_t size, uint64_t user_lo, uint64_t user_hi,
              struct elf_image *out);

/*
 * The loader's ABI policy: a binary must carry the capOS ABI note, for the
 * same major version as the kernel and a minor version no newer than the
 * kernel's.  Returns ELF_OK or ELF_E_NO_ABI_NOTE / ELF_E_ABI_MAJOR /
 * ELF_E_ABI_MINOR.
 */
int elf_check_abi(const struct elf_image *img, uint32_t kernel_major,
                  uint32_t kernel_minor);

/* Symbolic name of a result, e.g. "ELF_E_WX"; "ELF_E_UNKNOWN" otherwise. */
const char *elf_strerror(int result);

#endif
