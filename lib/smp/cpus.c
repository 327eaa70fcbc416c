#include "smp/cpus.h"

static bool
listed(const uint32_t *ids, unsigned n, uint32_t id)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

unsigned
smp_choose_aps(const uint32_t *madt_ids, unsigned n, uint32_t boot_apic_id,
               unsigned max_cpus, unsigned limit, uint32_t *aps)
{
	unsigned i, naps = 0;

	if (max_cpus == 0)
		return 0;
	if (limit == 0 || limit > max_cpus)
		limit = max_cpus;
	/* The boot CPU is one of the limit. */
	for (i = 0; i < n && naps + 1 < limit; i++) {
		if (madt_ids[i] == boot_apic_id ||
		    listed(aps, naps, madt_ids[i]))
			continue;
		aps[naps++] = madt_ids[i];
	}
	return naps;
}

bool
smp_parse_cpus(const char *s, unsigned *out)
{
	unsigned v = 0;

	if (!s || !*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v > 100000)
			return false; /* absurd, and no overflow below */
		v = v * 10 + (unsigned)(*s - '0');
	}
	if (v == 0)
		return false;
	*out = v;
	return true;
}
