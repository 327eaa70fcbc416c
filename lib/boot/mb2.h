/*
 * Multiboot2 boot information: a bounds-checked parser.  The loader's
 * structure is input like any other: every tag size, string and array is
 * checked against the total size before it is used, and a malformed
 * structure is an error, never a wild read.
 */
#ifndef BOOT_MB2_H
#define BOOT_MB2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MB2_BOOT_MAGIC    0x36d76289u /* in EAX at entry */
#define MB2_MAX_INFO_SIZE (1u << 20)  /* larger is treated as corrupt */
#define MB2_MAX_MODULES   128

/* Memory map entry types defined by the Multiboot2 specification. */
#define MB2_MEM_AVAILABLE 1
#define MB2_MEM_RESERVED  2
#define MB2_MEM_ACPI      3
#define MB2_MEM_NVS       4
#define MB2_MEM_BADRAM    5

enum mb2_error {
	MB2_OK = 0,
	MB2_E_TRUNCATED = -1,  /* total size too small or beyond buffer */
	MB2_E_BAD_TAG = -2,    /* tag header or size out of bounds */
	MB2_E_NO_END = -3,     /* no end tag inside the total size */
	MB2_E_BAD_STRING = -4, /* string not terminated inside its tag */
	MB2_E_BAD_MMAP = -5,   /* bad entry size, or no entries */
	MB2_E_NO_MMAP = -6,    /* the loader gave no memory map */
	MB2_E_BAD_MODULE = -7, /* module end before its start */
	MB2_E_TOO_MANY_MODULES = -8,
	MB2_E_DUPLICATE_TAG = -9, /* a tag that must be unique is repeated */
};

struct mb2_module {
	uint64_t start; /* physical address of the first byte */
	uint64_t end;   /* physical address one past the last byte */
	const char *cmdline;
};

struct mb2_mmap_entry {
	uint64_t base;
	uint64_t len;
	uint32_t type;
};

struct mb2_info {
	uint32_t total_size;
	const char *cmdline;     /* NULL when absent */
	const char *loader_name; /* NULL when absent */
	const uint8_t *mmap;     /* first memory map entry */
	uint32_t mmap_entry_size;
	uint32_t mmap_count;
	struct mb2_module modules[MB2_MAX_MODULES];
	uint32_t module_count;
	const void *rsdp; /* ACPI RSDP copy, NULL when absent */
	uint32_t rsdp_len;
};

/*
 * Parses the boot information at info, of which avail bytes are readable.
 * On success fills *out (pointers point into info) and returns MB2_OK.
 */
int mb2_parse(const void *info, size_t avail, struct mb2_info *out);

/* Returns entry i of the memory map (i < out->mmap_count). */
struct mb2_mmap_entry mb2_mmap_get(const struct mb2_info *mb, uint32_t i);

const char *mb2_strerror(int err);
const char *mb2_mem_type_name(uint32_t type);

#endif
