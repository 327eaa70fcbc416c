#include "core/kernel.h"
#include "core/bootinfo.h"
#include "arch/x86_64/layout.h"

/* What the boot image must carry; later issues load it. */
#define REQUIRED_MODULE "manifest"
#define EARLY_MAP_END   (4ull << 30)

static struct mb2_info boot_info;

struct mb2_info *
bootinfo_parse_at(const void *info, size_t avail)
{
	int err = mb2_parse(info, avail, &boot_info);

	if (err)
		panic("boot information from the loader is malformed: %s",
		      mb2_strerror(err));
	return &boot_info;
}

struct mb2_info *
bootinfo_parse(uint64_t info_phys)
{
	uint32_t total;

	if (info_phys == 0 || info_phys + 8 > EARLY_MAP_END ||
	    (info_phys & 7) != 0)
		panic("boot information address %#lx is unusable",
		      (unsigned long)info_phys);
	memcpy(&total, phys_to_virt(info_phys), sizeof(total));
	if (total > MB2_MAX_INFO_SIZE || info_phys + total > EARLY_MAP_END)
		panic("boot information from the loader is malformed: size "
		      "%u is implausible",
		      total);
	return bootinfo_parse_at(phys_to_virt(info_phys), total);
}

void
bootinfo_print_memory_map(const struct mb2_info *mb)
{
	uint64_t avail = 0;
	uint32_t i;

	kprintf("memory map (%u entries):\n", mb->mmap_count);
	for (i = 0; i < mb->mmap_count; i++) {
		struct mb2_mmap_entry e = mb2_mmap_get(mb, i);

		kprintf(
		    "  0x%012lx-0x%012lx %8lu KiB %s\n", (unsigned long)e.base,
		    (unsigned long)(e.base + e.len - 1),
		    (unsigned long)(e.len >> 10), mb2_mem_type_name(e.type));
		if (e.type == MB2_MEM_AVAILABLE)
			avail += e.len;
	}
	kprintf("memory: %lu MiB available\n", (unsigned long)(avail >> 20));
}

void
bootinfo_check_modules(const struct mb2_info *mb)
{
	uint32_t i;

	if (mb->module_count == 0)
		panic("no boot modules: the loader handed over no module list "
		      "(the boot image must carry a '%s' module)",
		      REQUIRED_MODULE);
	for (i = 0; i < mb->module_count; i++) {
		const struct mb2_module *m = &mb->modules[i];

		if (m->end > EARLY_MAP_END)
			panic("boot module %u ('%s') lies above 4 GiB", i,
			      m->cmdline);
		if (m->cmdline[0] == '\0')
			panic("boot module %u at %#lx has no name", i,
			      (unsigned long)m->start);
	}
	if (!bootinfo_module(mb, REQUIRED_MODULE))
		panic("boot modules lack the '%s' module", REQUIRED_MODULE);
}

/* The list is long (every program of the image) and each line is a few
 * thousand instructions of formatting and, on hardware, half a
 * millisecond of serial port per line: at the info level only the
 * count, the size and the required module; loglevel=debug lists all. */
void
bootinfo_print_modules(const struct mb2_info *mb)
{
	uint64_t bytes = 0;
	uint32_t i;

	for (i = 0; i < mb->module_count; i++)
		bytes += mb->modules[i].end - mb->modules[i].start;
	kprintf("boot modules (%u, %lu KiB; loglevel=debug lists them):\n",
	        mb->module_count, (unsigned long)(bytes >> 10));
	for (i = 0; i < mb->module_count; i++) {
		const struct mb2_module *m = &mb->modules[i];

		klog(strcmp(m->cmdline, REQUIRED_MODULE) == 0 ? LOG_INFO
		                                              : LOG_DEBUG,
		     "  %-16s 0x%08lx-0x%08lx %lu bytes\n", m->cmdline,
		     (unsigned long)m->start, (unsigned long)m->end,
		     (unsigned long)(m->end - m->start));
	}
}

const struct mb2_module *
bootinfo_module(const struct mb2_info *mb, const char *name)
{
	uint32_t i;

	for (i = 0; i < mb->module_count; i++)
		if (strcmp(mb->modules[i].cmdline, name) == 0)
			return &mb->modules[i];
	return NULL;
}
