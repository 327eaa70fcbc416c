/*
 * The boot information from the loader: parsed once, checked, printed.
 * A malformed structure, an unusable memory map or a missing module list
 * ends in a panic that says which.
 */
#ifndef CORE_BOOTINFO_H
#define CORE_BOOTINFO_H

#include <stddef.h>
#include <stdint.h>

#include "boot/mb2.h"

struct mb2_info *bootinfo_parse(uint64_t info_phys);
/* Parses a copy (used by the self-test that feeds a corrupted one). */
struct mb2_info *bootinfo_parse_at(const void *info, size_t avail);
void bootinfo_print_memory_map(const struct mb2_info *mb);
void bootinfo_check_modules(const struct mb2_info *mb);
void bootinfo_print_modules(const struct mb2_info *mb);

/* The module whose command line is name, or NULL. */
const struct mb2_module *bootinfo_module(const struct mb2_info *mb,
                                         const char *name);

#endif
