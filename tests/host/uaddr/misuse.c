/*
 * Uses of a user address the compiler must refuse (run by check.sh).  Each
 * case is compiled alone with -DCASE=n and the kernel's flags; every case
 * but 0 must fail, on the line marked "refused".  Case 0 is the ordinary
 * use and must compile, so a failure elsewhere means the type refused it,
 * not that the setup is broken.
 */
#include "core/kernel.h"
#include "mm/aspace.h"

uint64_t use(struct aspace *as, uaddr_t u, uint64_t raw, uint64_t pa,
             char *kbuf);

uint64_t
use(struct aspace *as, uaddr_t u, uint64_t raw, uint64_t pa, char *kbuf)
{
	(void)raw;
	(void)pa;
	(void)kbuf;
#if CASE == 0
	/* The ordinary use: through the address-space functions. */
	uaddr_t v = uaddr_add(u, 8);

	aspace_copy_in(as, kbuf, v, 8);
	aspace_lookup(as, u, &pa);
	return pa;
#elif CASE == 1
	/* Dereferenced as if it were kernel memory. */
	return *(uint64_t *)u; /* refused */
#elif CASE == 2
	/* Used as a plain integer. */
	return u; /* refused */
#elif CASE == 3
	/* A raw integer handed where a user address is expected. */
	return aspace_copy_in(as, kbuf, raw, 8); /* refused */
#elif CASE == 4
	/* A physical address handed where a user address is expected. */
	return aspace_fault(as, pa); /* refused */
#elif CASE == 5
	/* A user address handed where a physical address is expected. */
	return aspace_map_shared(as, u, u, 1, 0); /* refused */
#elif CASE == 6
	/* Added to a kernel pointer. */
	return (uint64_t)(kbuf + u); /* refused */
#elif CASE == 7
	/* Compared with an integer. */
	return u == 0; /* refused */
#elif CASE == 8
	/* Copied through memcpy as if it were a kernel pointer. */
	memcpy(kbuf, u, 8); /* refused */
	return 0;
#elif CASE == 9
	/* The number inside read outside mm/aspace.c. */
	return uaddr_raw(u); /* refused */
#elif CASE == 10
	/* A kernel pointer handed where a user address is expected. */
	return aspace_copy_out(as, kbuf, kbuf, 8); /* refused */
#else
#error unknown case
#endif
}
