/*
 * MemoryObject (kobj/memory_object.c), as FrameAllocator and
 * VirtualMemory see it.
 */
#ifndef KOBJ_MEMORY_OBJECT_H
#define KOBJ_MEMORY_OBJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/kerr.h"

struct kobject;
struct process;

/* The most pages one object holds (64 MiB): its frame list is one
 * kernel allocation. */
#define MEMOBJ_PAGES_MAX 16384

/*
 * A new object of npages zeroed frames, with one reference, paid for by
 * payer.  KERR_BAD_ARG (0 or over MEMOBJ_PAGES_MAX), KERR_QUOTA (over
 * payer's frame limit) or KERR_NOMEM; nothing is taken on failure.
 */
enum kerr memory_object_create(struct process *payer, uint32_t npages,
                               struct kobject **out);
/* Whether obj is a MemoryObject; its frames if so. */
bool memory_object_frames(struct kobject *obj, const uint64_t **frames,
                          uint32_t *npages);

#endif
