/*
 * Boot-time reading of the ACPI tables.  The reader (lib/acpi) asks for
 * physical ranges; a range is read through the direct map only when it
 * lies inside one memory map entry the firmware keeps for itself
 * (reserved, ACPI reclaimable, ACPI NVS): never available RAM, which the
 * frame allocator hands out, and never a hole, which may be a device.
 */
#include "core/kernel.h"
#include "core/acpi.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"

static struct acpi_info tables;
static bool tables_read;

static bool
firmware_memory(uint32_t type)
{
	return type == MB2_MEM_RESERVED || type == MB2_MEM_ACPI ||
	       type == MB2_MEM_NVS;
}

static const void *
map_phys(void *ctx, uint64_t phys, uint64_t len)
{
	const struct mb2_info *mb = ctx;
	uint32_t i;

	if (len == 0 || phys + len < phys ||
	    phys + len > paging_direct_map_size())
		return NULL;
	for (i = 0; i < mb->mmap_count; i++) {
		struct mb2_mmap_entry e = mb2_mmap_get(mb, i);

		if (!firmware_memory(e.type) || phys < e.base)
			continue;
		if (phys - e.base <= e.len && len <= e.len - (phys - e.base))
			return phys_to_virt(phys);
	}
	return NULL;
}

static void
log_madt(const struct acpi_madt *m)
{
	uint32_t i;

	kprintf("acpi: MADT: %u CPU%s, local APIC at %#lx, %u I/O APIC%s, "
	        "%u interrupt override%s\n",
	        m->ncpus, m->ncpus == 1 ? "" : "s",
	        (unsigned long)m->lapic_address, m->nioapics,
	        m->nioapics == 1 ? "" : "s", m->noverrides,
	        m->noverrides == 1 ? "" : "s");
	for (i = 0; i < m->nioapics; i++)
		kprintf("acpi:   I/O APIC %u at %#x, GSI base %u\n",
		        m->ioapics[i].id, m->ioapics[i].address,
		        m->ioapics[i].gsi_base);
	for (i = 0; i < m->noverrides; i++)
		kprintf("acpi:   IRQ %u -> GSI %u, flags %#x\n",
		        m->overrides[i].source, m->overrides[i].gsi,
		        m->overrides[i].flags);
	if (m->dropped)
		kprintf("acpi:   %u more entries than capOS keeps, ignored\n",
		        m->dropped);
}

static void
log_fadt(const struct acpi_fadt *f)
{
	kprintf("acpi: FADT: PM1a control %#x, PM1b control %#x, DSDT at "
	        "%#lx\n",
	        f->pm1a_cnt, f->pm1b_cnt, (unsigned long)f->dsdt);
	if (f->reset_supported)
		kprintf("acpi: FADT: reset register %s %#lx, value %#x\n",
		        f->reset_reg.space == ACPI_GAS_IO       ? "I/O port"
		        : f->reset_reg.space == ACPI_GAS_MEMORY ? "memory"
		                                                : "other space",
		        (unsigned long)f->reset_reg.address, f->reset_value);
	else
		kprintf("acpi: FADT: no reset register\n");
}

void
acpi_init(const struct mb2_info *mb)
{
	int err =
	    acpi_parse(mb->rsdp, mb->rsdp_len, map_phys, (void *)mb, &tables);

	if (err) {
		kprintf("acpi: no usable tables (%s): CPUs and I/O APICs "
		        "unknown, no ACPI power off\n",
		        acpi_strerror(err));
		return;
	}
	tables_read = true;
	kprintf("acpi: RSDP revision %u (OEM '%s'), %s at %#lx with %u "
	        "entries\n",
	        tables.revision, tables.oem_id, tables.xsdt ? "XSDT" : "RSDT",
	        (unsigned long)tables.root_address, tables.root_entries);
	if (tables.madt_error)
		kprintf("acpi: MADT unusable (%s): CPUs and I/O APICs unknown, "
		        "the boot CPU's local APIC runs alone\n",
		        acpi_strerror(tables.madt_error));
	else
		log_madt(&tables.madt);
	if (tables.fadt_error)
		kprintf("acpi: FADT unusable (%s): no ACPI power off or "
		        "reset register\n",
		        acpi_strerror(tables.fadt_error));
	else
		log_fadt(&tables.fadt);
	if (tables.s5_error)
		kprintf("acpi: no \\_S5_ sleep type (%s): no ACPI power off\n",
		        acpi_strerror(tables.s5_error));
	else
		kprintf("acpi: \\_S5_: SLP_TYPa %u, SLP_TYPb %u\n",
		        tables.slp_typa, tables.slp_typb);
}

const struct acpi_info *
acpi_tables(void)
{
	return tables_read ? &tables : NULL;
}
