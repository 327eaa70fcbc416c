/*
 * The CapSet page: a read-only page the kernel maps into a process at
 * spawn, listing the capabilities it was granted, by name, in grant order.
 * It is how `main` finds "console" or "spawner" without any ambient lookup:
 * the names are the manifest's (or the spawner's) names for the grants and
 * carry no authority; the CapId in an entry is what the process uses.
 *
 *   offset  size             what
 *   0       64               struct capos_capset_header
 *   64      48 * count       struct capos_capset_entry[count]
 *   ...                      zero up to 4096
 *
 * The runtime checks an entry's interface id against the interface it
 * expects before using the cap, so a misconfigured grant fails by name.
 */
#ifndef CAPOS_CAPSET_H
#define CAPOS_CAPSET_H

#include <stddef.h>
#include <stdint.h>

#include <capos/capid.h>

/* "CSET" as bytes in memory, little-endian. */
#define CAPOS_CAPSET_MAGIC 0x54455343u

#define CAPOS_CAPSET_PAGE_SIZE   4096u
#define CAPOS_CAPSET_HEADER_SIZE 64u
#define CAPOS_CAPSET_ENTRY_SIZE  48u
/* Name field size; a name is at most CAPOS_CAPSET_NAME_MAX bytes and is
 * always followed by at least one NUL, so it is a C string. */
#define CAPOS_CAPSET_NAME_SIZE 32u
#define CAPOS_CAPSET_NAME_MAX  (CAPOS_CAPSET_NAME_SIZE - 1)
/* Grants one spawn may name.  The page would hold 84; raising the limit up
 * to that is a minor ABI change. */
#define CAPOS_CAPSET_MAX_ENTRIES    64u
#define CAPOS_CAPSET_ENTRIES_OFFSET CAPOS_CAPSET_HEADER_SIZE

struct capos_capset_header {
	uint32_t magic;          /* CAPOS_CAPSET_MAGIC */
	uint16_t abi_major;      /* CAPOS_ABI_MAJOR of the kernel */
	uint16_t abi_minor;      /* CAPOS_ABI_MINOR of the kernel */
	uint32_t count;          /* entries in use, <= MAX_ENTRIES */
	uint32_t entry_size;     /* CAPOS_CAPSET_ENTRY_SIZE */
	uint32_t entries_offset; /* CAPOS_CAPSET_ENTRIES_OFFSET */
	uint8_t reserved[44];    /* 0 */
};

struct capos_capset_entry {
	char name[CAPOS_CAPSET_NAME_SIZE]; /* NUL-padded */
	capos_capid_t cap;                 /* id in the process's own table */
	uint32_t reserved;                 /* 0 */
	uint64_t interface_id;             /* Cap'n Proto interface id */
};

struct capos_capset_page {
	struct capos_capset_header hdr;
	struct capos_capset_entry entries[CAPOS_CAPSET_MAX_ENTRIES];
	uint8_t unused[CAPOS_CAPSET_PAGE_SIZE - CAPOS_CAPSET_HEADER_SIZE -
	               CAPOS_CAPSET_MAX_ENTRIES * CAPOS_CAPSET_ENTRY_SIZE];
};

_Static_assert(sizeof(struct capos_capset_header) == CAPOS_CAPSET_HEADER_SIZE,
               "CapSet header size");
_Static_assert(offsetof(struct capos_capset_header, magic) == 0, "magic");
_Static_assert(offsetof(struct capos_capset_header, abi_major) == 4,
               "abi_major");
_Static_assert(offsetof(struct capos_capset_header, abi_minor) == 6,
               "abi_minor");
_Static_assert(offsetof(struct capos_capset_header, count) == 8, "count");
_Static_assert(offsetof(struct capos_capset_header, entry_size) == 12,
               "entry_size");
_Static_assert(offsetof(struct capos_capset_header, entries_offset) == 16,
               "entries_offset");
_Static_assert(offsetof(struct capos_capset_header, reserved) == 20,
               "reserved");

_Static_assert(sizeof(struct capos_capset_entry) == CAPOS_CAPSET_ENTRY_SIZE,
               "CapSet entry size");
_Static_assert(offsetof(struct capos_capset_entry, name) == 0, "name");
_Static_assert(offsetof(struct capos_capset_entry, cap) == 32, "cap");
_Static_assert(offsetof(struct capos_capset_entry, reserved) == 36, "reserved");
_Static_assert(offsetof(struct capos_capset_entry, interface_id) == 40,
               "interface_id");

_Static_assert(sizeof(struct capos_capset_page) == CAPOS_CAPSET_PAGE_SIZE,
               "CapSet is one page");
_Static_assert(offsetof(struct capos_capset_page, entries) ==
                   CAPOS_CAPSET_ENTRIES_OFFSET,
               "entries offset");
_Static_assert(CAPOS_CAPSET_HEADER_SIZE +
                       CAPOS_CAPSET_MAX_ENTRIES * CAPOS_CAPSET_ENTRY_SIZE <=
                   CAPOS_CAPSET_PAGE_SIZE,
               "entries fit the page");

#endif
