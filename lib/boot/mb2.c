/*
 * Multiboot2 boot information parser.  Layout: a u32 total size, a u32
 * reserved word, then 8-byte aligned tags, each a u32 type and a u32 size
 * (header included), ending with a tag of type 0 and size 8.
 */
#include "boot/mb2.h"

#include "base/mem.h"

enum {
	TAG_END = 0,
	TAG_CMDLINE = 1,
	TAG_LOADER_NAME = 2,
	TAG_MODULE = 3,
	TAG_MMAP = 6,
	TAG_ACPI_OLD = 14,
	TAG_ACPI_NEW = 15,
};

#define TAG_HDR_SIZE    8u
#define MMAP_HDR_SIZE   16u /* tag header + entry_size + entry_version */
#define MODULE_HDR_SIZE 16u /* tag header + mod_start + mod_end */
#define MMAP_ENTRY_MIN  24u

static uint32_t
rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t
rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* A string field occupies the rest of its tag and must end inside it. */
static int
tag_string(const uint8_t *tag, uint32_t size, uint32_t offset, const char **out)
{
	if (size <= offset)
		return MB2_E_BAD_STRING;
	if (memchr(tag + offset, '\0', size - offset) == NULL)
		return MB2_E_BAD_STRING;
	*out = (const char *)(tag + offset);
	return MB2_OK;
}

int
mb2_parse(const void *info, size_t avail, struct mb2_info *out)
{
	const uint8_t *base = info;
	uint32_t total, off;
	bool seen_end = false;
	int err;

	memset(out, 0, sizeof(*out));
	if (avail < TAG_HDR_SIZE)
		return MB2_E_TRUNCATED;
	total = rd32(base);
	if (total < TAG_HDR_SIZE * 2 || total > avail ||
	    total > MB2_MAX_INFO_SIZE)
		return MB2_E_TRUNCATED;
	out->total_size = total;

	for (off = TAG_HDR_SIZE; off + TAG_HDR_SIZE <= total;) {
		const uint8_t *tag = base + off;
		uint32_t type = rd32(tag), size = rd32(tag + 4);

		if (size < TAG_HDR_SIZE || size > total - off)
			return MB2_E_BAD_TAG;

		switch (type) {
		case TAG_END:
			if (size != TAG_HDR_SIZE)
				return MB2_E_BAD_TAG;
			seen_end = true;
			break;
		case TAG_CMDLINE:
			if (out->cmdline)
				return MB2_E_DUPLICATE_TAG;
			err =
			    tag_string(tag, size, TAG_HDR_SIZE, &out->cmdline);
			if (err)
				return err;
			break;
		case TAG_LOADER_NAME:
			if (out->loader_name)
				return MB2_E_DUPLICATE_TAG;
			err = tag_string(tag, size, TAG_HDR_SIZE,
			                 &out->loader_name);
			if (err)
				return err;
			break;
		case TAG_MODULE: {
			struct mb2_module *m;

			if (size < MODULE_HDR_SIZE)
				return MB2_E_BAD_TAG;
			if (out->module_count == MB2_MAX_MODULES)
				return MB2_E_TOO_MANY_MODULES;
			m = &out->modules[out->module_count];
			m->start = rd32(tag + 8);
			m->end = rd32(tag + 12);
			if (m->end < m->start)
				return MB2_E_BAD_MODULE;
			err =
			    tag_string(tag, size, MODULE_HDR_SIZE, &m->cmdline);
			if (err)
				return err;
			out->module_count++;
			break;
		}
		case TAG_MMAP: {
			uint32_t esize;

			if (out->mmap)
				return MB2_E_DUPLICATE_TAG;
			if (size < MMAP_HDR_SIZE)
				return MB2_E_BAD_TAG;
			esize = rd32(tag + 8);
			if (esize < MMAP_ENTRY_MIN || esize % 8 != 0)
				return MB2_E_BAD_MMAP;
			out->mmap_count = (size - MMAP_HDR_SIZE) / esize;
			if (out->mmap_count == 0)
				return MB2_E_BAD_MMAP;
			out->mmap_entry_size = esize;
			out->mmap = tag + MMAP_HDR_SIZE;
			break;
		}
		case TAG_ACPI_OLD:
		case TAG_ACPI_NEW:
			/* Prefer the ACPI 2.0 RSDP when both are given. */
			if (out->rsdp && type == TAG_ACPI_OLD)
				break;
			out->rsdp = tag + TAG_HDR_SIZE;
			out->rsdp_len = size - TAG_HDR_SIZE;
			break;
		default:
			/* Tags we do not use are skipped by size. */
			break;
		}
		if (seen_end)
			break;
		/* Tags start on 8-byte boundaries.  No overflow: size is at
		 * most total - off and total is at most MB2_MAX_INFO_SIZE. */
		off += (size + 7) & ~7u;
	}
	if (!seen_end)
		return MB2_E_NO_END;
	if (!out->mmap)
		return MB2_E_NO_MMAP;
	return MB2_OK;
}

struct mb2_mmap_entry
mb2_mmap_get(const struct mb2_info *mb, uint32_t i)
{
	const uint8_t *e = mb->mmap + (size_t)i * mb->mmap_entry_size;
	struct mb2_mmap_entry r;

	r.base = rd64(e);
	r.len = rd64(e + 8);
	r.type = rd32(e + 16);
	return r;
}

const char *
mb2_strerror(int err)
{
	switch (err) {
	case MB2_OK:
		return "ok";
	case MB2_E_TRUNCATED:
		return "total size is truncated or implausible";
	case MB2_E_BAD_TAG:
		return "a tag's size runs outside the structure";
	case MB2_E_NO_END:
		return "no end tag";
	case MB2_E_BAD_STRING:
		return "a string is not terminated inside its tag";
	case MB2_E_BAD_MMAP:
		return "memory map has a bad entry size or no entries";
	case MB2_E_NO_MMAP:
		return "no memory map";
	case MB2_E_BAD_MODULE:
		return "a module ends before it starts";
	case MB2_E_TOO_MANY_MODULES:
		return "too many modules";
	case MB2_E_DUPLICATE_TAG:
		return "a unique tag is repeated";
	}
	return "unknown error";
}

const char *
mb2_mem_type_name(uint32_t type)
{
	switch (type) {
	case MB2_MEM_AVAILABLE:
		return "available";
	case MB2_MEM_RESERVED:
		return "reserved";
	case MB2_MEM_ACPI:
		return "ACPI reclaimable";
	case MB2_MEM_NVS:
		return "ACPI NVS";
	case MB2_MEM_BADRAM:
		return "bad RAM";
	}
	return "unknown";
}
