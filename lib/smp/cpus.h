/*
 * Which CPUs the boot CPU starts: the MADT's list filtered by the boot
 * CPU's own APIC id, duplicates, the kernel's MAX_CPUS and the cpus=N
 * kernel argument.  Pure, so the host tests can feed it any table.
 */
#ifndef SMP_CPUS_H
#define SMP_CPUS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Writes to aps[] the APIC ids of the application processors to start,
 * in MADT order, and returns how many.  The boot CPU (boot_apic_id)
 * counts as one of the limit CPUs whether or not the MADT lists it; an id
 * listed twice is started once.  limit is min(MAX_CPUS, cpus=N); 0 means
 * no cpus= was given and is treated as max_cpus.  aps has room for
 * max_cpus - 1 ids.
 */
unsigned smp_choose_aps(const uint32_t *madt_ids, unsigned n,
                        uint32_t boot_apic_id, unsigned max_cpus,
                        unsigned limit, uint32_t *aps);

/*
 * Parses the value of cpus=N: a decimal count of at least 1, with
 * nothing after it.  Returns false (and leaves *out) for anything else,
 * so a typo never silently starts a different number of CPUs.
 */
bool smp_parse_cpus(const char *s, unsigned *out);

#endif
