#ifndef CORE_KSYMS_H
#define CORE_KSYMS_H

#include <stdint.h>

/*
 * Kernel text symbols, generated at link time (scripts/gen-ksyms.sh) so a
 * backtrace can name functions.  Returns the symbol containing addr and its
 * offset, or NULL.
 */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);

#endif
