/*
 * Symbol lookup over the table the second link pass embeds: entries sorted
 * by address, so a binary search finds the last symbol at or below addr.
 */
#include "core/kernel.h"
#include "core/ksyms.h"

struct ksym {
	uint64_t addr;
	const char *name;
};

/* Defined by the generated table; weak so the first link pass works. */
extern const struct ksym ksyms_table[] __attribute__((weak));
extern const uint64_t ksyms_count __attribute__((weak));
extern char __text_start[], __text_end[];

const char *
ksym_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t lo = 0, hi;

	if (!&ksyms_count || ksyms_count == 0)
		return NULL;
	if (addr < (uint64_t)(uintptr_t)__text_start ||
	    addr >= (uint64_t)(uintptr_t)__text_end)
		return NULL;
	hi = ksyms_count;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (ksyms_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (ksyms_table[lo].addr > addr)
		return NULL;
	*offset = addr - ksyms_table[lo].addr;
	return ksyms_table[lo].name;
}
