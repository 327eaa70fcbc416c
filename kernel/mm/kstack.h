#ifndef MM_KSTACK_H
#define MM_KSTACK_H

#include <stdint.h>

#include "core/kerr.h"

#define KSTACK_SIZE  (16u << 10)
#define KSTACK_SLOT  (KSTACK_SIZE + 4096u) /* stack plus unmapped guard */
#define KSTACK_CACHE 16 /* freed stacks kept ready, at most */

/*
 * Kernel stacks live in their own area, each below an unmapped guard page
 * so an overflow faults (and, on the IST double-fault stack, is reported)
 * instead of corrupting the neighbour.  Returns KERR_OK and the stack's
 * top, or KERR_NOMEM (no frame, or every slot in use).
 */
enum kerr kstack_alloc(uint64_t *top);
void kstack_free(uint64_t top);
/* Gives the frames of the stacks kept ready back (a cache, not a leak:
 * the leak checks drain it before they count). */
void kstack_cache_drain(void);
/* Stack slots handed out and not freed (kept ready ones are free). */
uint32_t kstack_in_use(void);

#endif
