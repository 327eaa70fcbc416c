#ifndef MM_KHEAP_H
#define MM_KHEAP_H

#include <stddef.h>

#include "mm/heap.h"

void kheap_init(void);
/* Returns NULL when memory is exhausted; callers handle it. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
/* A bad free (double free, overflow, foreign pointer) panics. */
void kfree(void *p);
/* Verifies every chunk; panics on corruption. */
void kheap_check(void);
const struct heap *kheap_stats(void);

#endif
