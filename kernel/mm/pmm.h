/*
 * Physical memory: the frame allocator of lib/mm/frame.c set up from the
 * boot memory map, with the kernel's own reservations applied.
 */
#ifndef MM_PMM_H
#define MM_PMM_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/mb2.h"
#include "core/kerr.h"
#include "mm/frame.h"

/* Smallest amount of free memory capOS agrees to boot with. */
#define PMM_MIN_FREE_BYTES (8ull << 20)

void pmm_init(const struct mb2_info *mb, uint64_t info_phys);

/* Returns KERR_OK and a zeroed frame's physical address, or KERR_NOMEM. */
enum kerr pmm_alloc(enum frame_kind kind, uint64_t *pa);
/* Freeing a frame twice or under the wrong kind is a kernel bug: panics. */
void pmm_free(enum frame_kind kind, uint64_t pa);

uint64_t pmm_free_frames(void);
uint64_t pmm_total_frames(void);
uint64_t pmm_outstanding(enum frame_kind kind);
/* One past the highest physical address the memory map describes. */
uint64_t pmm_phys_end(void);
void pmm_print_summary(void);
/* Whether the page at AP_TRAMPOLINE_PHYS is RAM free for the application
 * processors' start-up code (pmm.c says when it is not). */
bool pmm_ap_page_usable(void);

#endif
