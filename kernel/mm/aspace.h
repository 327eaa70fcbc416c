/*
 * User address spaces.  The kernel half of every address space is the
 * kernel's own (shared PML4 entries); the user half belongs to the address
 * space, and tearing it down frees every frame and page-table page in it.
 *
 * User memory is never touched through a user pointer: aspace_copy_in and
 * aspace_copy_out walk the page tables, check that each page is present,
 * user-accessible (and writable, for copy-out), and copy through the
 * kernel's direct map.  A bad pointer is an error code, never a fault.
 */
#ifndef MM_ASPACE_H
#define MM_ASPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/paging.h"

struct aspace {
	uint64_t root;	      /* physical address of the PML4 */
	uint64_t user_frames; /* frames mapped in the user half */
	uint64_t table_pages; /* page-table pages of the user half */
};

enum aspace_error {
	AS_OK = 0,
	AS_E_NOMEM = -1,
	AS_E_RANGE = -2,    /* outside the user half, or wraps */
	AS_E_FAULT = -3,    /* a page is not mapped, or lacks permission */
	AS_E_EXISTS = -4,
};

int aspace_create(struct aspace *as);
void aspace_destroy(struct aspace *as);

/* Maps npages fresh zeroed frames at va with VM_* flags (VM_USER added). */
int aspace_map_anon(struct aspace *as, uint64_t va, uint64_t npages,
		    unsigned flags);
/* Physical address behind va, for the kernel's own use of a page. */
int aspace_lookup(struct aspace *as, uint64_t va, uint64_t *pa);
/* Changes the permissions of the mapped pages in [va, va + npages). */
int aspace_protect(struct aspace *as, uint64_t va, uint64_t npages,
		   unsigned flags);

/* Checks that [uva, uva + len) is mapped user memory (and writable). */
int aspace_check(struct aspace *as, uint64_t uva, size_t len, bool write);
int aspace_copy_in(struct aspace *as, void *dst, uint64_t uva, size_t len);
int aspace_copy_out(struct aspace *as, uint64_t uva, const void *src,
		    size_t len);
/* Copies into user pages ignoring write protection (loader only). */
int aspace_fill(struct aspace *as, uint64_t uva, const void *src, size_t len);

#endif
