/*
 * Anonymous memory on VirtualMemory (docs/memory.md):
 *
 *	mmap		reserve (a small mapping: pages of a shared
 *			reservation, chunks.c), then commit unless PROT_NONE
 *			(frames now, zeroed), then protect when not
 *			read-write
 *	mprotect	commit what is not yet (contents kept), then protect
 *	munmap		unmap; a range cutting a reservation is decommitted
 *			instead (its frames freed, the addresses kept)
 *	brk		there is no break: it stays 0 and cannot move, so
 *			musl's malloc takes all its memory from mmap
 *	madvise		advice only: nothing is freed early
 *	mremap		ENOSYS: realloc copies instead
 *
 * No files can be mapped (there are none to name).  Writable and
 * executable at once is refused: capOS never maps a page both.
 *
 * A process granted no VirtualMemory still starts: musl's start maps the
 * main thread's TLS block.  Mappings then come from a small static pool,
 * never given back, whose pages are always read-write (PROT_NONE, which
 * musl's malloc asks for before mprotect, is not enforced there); once it
 * is used up mmap is ENOMEM, so malloc returns NULL.
 */
#include <sys/mman.h>

#include "shim.h"

#include "capos.capnp.h"

static capos_capid_t vm_cap;
static uint8_t vm_looked;

#define POOL_SIZE (32u * 1024)
static uint8_t pool[POOL_SIZE] __attribute__((aligned(CAPOS_PAGE_SIZE)));
static uint32_t pool_used;

static capos_capid_t
vm(void)
{
	return shim_cap(capos_VirtualMemory_TYPE_ID, &vm_cap, &vm_looked);
}

/* A Linux PROT_ value as a capos_Protection, or -1 when capOS has no
 * such protection. */
static int
protection(long prot)
{
	switch (prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) {
	case PROT_NONE:
		return capos_Protection_none;
	case PROT_READ:
		return capos_Protection_read;
	case PROT_WRITE:
	case PROT_READ | PROT_WRITE:
		return capos_Protection_readWrite;
	case PROT_EXEC:
	case PROT_READ | PROT_EXEC:
		return capos_Protection_readExecute;
	default:
		return -1;
	}
}

static int
page_range(long addr, unsigned long len, uint64_t *pages)
{
	if (len == 0 || (addr & (CAPOS_PAGE_SIZE - 1)))
		return -EINVAL;
	if (len > CAPOS_USER_HEAP_END - CAPOS_USER_HEAP_BASE)
		return -ENOMEM;
	*pages = (len + CAPOS_PAGE_SIZE - 1) / CAPOS_PAGE_SIZE;
	return 0;
}

/* Commits [addr, +pages) and sets its protection. */
static long
make_accessible(capos_capid_t cap, uint64_t addr, uint64_t pages, int p)
{
	int err = capos_vm_commit(cap, addr, pages);

	/* A MemoryObject's mapping has no pages to commit: only its
	 * protection changes. */
	if (err && err != CAPOS_E_APP_EXCEPTION)
		return shim_errno(err);
	if (p != capos_Protection_readWrite || err)
		err = capos_vm_protect(cap, addr, pages, p);
	return err == CAPOS_E_QUOTA ? -ENOMEM : err ? -ENOMEM : 0;
}

/* Anonymous pages from the pool, or 0. */
static long
pool_map(uint64_t pages, int p)
{
	uint32_t size = (uint32_t)pages * CAPOS_PAGE_SIZE, old;

	if (p == capos_Protection_readExecute ||
	    pages > POOL_SIZE / CAPOS_PAGE_SIZE)
		return 0;
	old = __atomic_load_n(&pool_used, __ATOMIC_RELAXED);
	do {
		if (size > POOL_SIZE - old)
			return 0;
	} while (!__atomic_compare_exchange_n(&pool_used, &old, old + size, 0,
	                                      __ATOMIC_RELAXED,
	                                      __ATOMIC_RELAXED));
	return (long)(pool + old);
}

static int
in_pool(long addr)
{
	return (uintptr_t)addr >= (uintptr_t)pool &&
	       (uintptr_t)addr < (uintptr_t)pool + POOL_SIZE;
}

long
shim_sys_mmap(SHIM_ARGS)
{
	long addr = a0, prot = a2, flags = a3;
	capos_capid_t cap = vm();
	uint64_t pages, base;
	int p = protection(prot);
	long r;
	int err;

	if (!(flags & MAP_ANONYMOUS))
		return (a4 >= 0 && a4 <= 2) ? -ENODEV : -EBADF;
	if ((flags & MAP_TYPE) != MAP_PRIVATE &&
	    (flags & MAP_TYPE) != MAP_SHARED)
		return -EINVAL;
	if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)))
		addr = 0;
	if ((r = page_range(addr, (unsigned long)a1, &pages)))
		return r;
	if (p < 0)
		return -EACCES;
	if (!cap) {
		if (addr)
			return -ENOMEM;
		r = pool_map(pages, p);
		return r ? r : -ENOMEM;
	}
	if (!addr && (base = shim_chunk_alloc(cap, pages))) {
		if (p != capos_Protection_none) {
			r = make_accessible(cap, base, pages, p);
			if (r) {
				shim_chunk_free(cap, base, pages);
				return r;
			}
		}
		return (long)base;
	}
	err = capos_vm_reserve(cap, pages, (uint64_t)addr, &base);
	if (err == CAPOS_E_APP_EXCEPTION && addr)
		return (flags & MAP_FIXED_NOREPLACE) ? -EEXIST : -EINVAL;
	if (err)
		return -ENOMEM;
	if (p != capos_Protection_none) {
		r = make_accessible(cap, base, pages, p);
		if (r) {
			capos_vm_unmap(cap, base, pages);
			return r;
		}
	}
	return (long)base;
}

long
shim_sys_munmap(SHIM_ARGS)
{
	capos_capid_t cap = vm();
	uint64_t pages;
	long r;

	if ((r = page_range(a0, (unsigned long)a1, &pages)))
		return r;
	if (!cap || in_pool(a0))
		return 0; /* the pool's pages stay the process's */
	if (shim_chunk_free(cap, (uint64_t)a0, pages))
		return 0;
	if (capos_vm_unmap(cap, (uint64_t)a0, pages) == CAPOS_E_APP_EXCEPTION)
		capos_vm_decommit(cap, (uint64_t)a0, pages);
	/* Nothing there is no error for Linux's munmap either. */
	return 0;
}

long
shim_sys_mprotect(SHIM_ARGS)
{
	capos_capid_t cap = vm();
	int p = protection(a2);
	uint64_t pages;
	long r;

	if ((r = page_range(a0, (unsigned long)a1, &pages)))
		return r;
	if (p < 0)
		return -EACCES;
	if (in_pool(a0))
		return p == capos_Protection_readExecute ? -EACCES : 0;
	if (!cap)
		return -ENOMEM;
	if (p == capos_Protection_none)
		return capos_vm_protect(cap, (uint64_t)a0, pages, p) ? -ENOMEM
		                                                     : 0;
	return make_accessible(cap, (uint64_t)a0, pages, p);
}

long
shim_sys_brk(SHIM_ARGS)
{
	return 0;
}

long
shim_sys_madvise(SHIM_ARGS)
{
	uint64_t pages;

	return page_range(a0, (unsigned long)a1, &pages);
}
