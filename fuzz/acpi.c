/*
 * libFuzzer target for the ACPI table reader (lib/acpi).  The input:
 *
 *   byte 0       flags: bit 0 set = every table mapped whole gets its
 *                checksum fixed, so mutations reach past the checksums
 *   byte 1       the RSDP copy's length (mod 37)
 *   bytes 2-37   the RSDP copy (its checksums are fixed under bit 0 too)
 *   bytes 38-    physical memory from FUZZ_PHYS_BASE on
 *
 * Each mapped range is an exact-size copy, so a read past what the reader
 * mapped is an AddressSanitizer report.  Checked beyond memory safety: the
 * error codes are documented ones; the counts stay within their limits and
 * a part that failed says nothing; sleep types fit 3 bits; a table pointer
 * can make the reader map at most a bounded number of ranges; reading
 * twice gives the same answer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/acpi.h"

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			abort();                                               \
	} while (0)

#define FUZZ_PHYS_BASE 0x1000u
#define RSDP_AT        2u
#define MEM_AT         (RSDP_AT + ACPI_RSDP_V2_LEN)
/* XSDT and RSDT (header, whole), then for MADT and FADT each entry's
 * header looked at, mapped again and whole, then the DSDT's two. */
#define MAX_MAPS (2 * 2 + 2 * 3 * ACPI_MAX_ROOT_ENTRIES + 2)

struct fuzz_mem {
	const uint8_t *mem;
	size_t size;
	int fix;
	void *maps[MAX_MAPS];
	unsigned nmaps;
};

static const void *
map(void *ctx, uint64_t phys, uint64_t len)
{
	struct fuzz_mem *m = ctx;
	uint8_t *copy;
	uint32_t tlen;

	CHECK(len > 0);
	CHECK(m->nmaps < MAX_MAPS);
	if (phys < FUZZ_PHYS_BASE || len > m->size ||
	    phys - FUZZ_PHYS_BASE > m->size - len)
		return NULL;
	copy = malloc(len);
	CHECK(copy != NULL);
	memcpy(copy, m->mem + (phys - FUZZ_PHYS_BASE), len);
	m->maps[m->nmaps++] = copy;
	if (m->fix && len > ACPI_HEADER_LEN) {
		memcpy(&tlen, copy + 4, 4);
		if (tlen == len) {
			copy[9] = 0;
			copy[9] = (uint8_t)-acpi_checksum(copy, len);
		}
	}
	return copy;
}

static void
unmap_all(struct fuzz_mem *m)
{
	while (m->nmaps)
		free(m->maps[--m->nmaps]);
}

static void
check_info(int err, const struct acpi_info *a)
{
	static const struct acpi_madt no_madt;
	static const struct acpi_fadt no_fadt;
	CHECK(err <= ACPI_OK && err >= ACPI_E_NO_PM1);
	CHECK(strcmp(acpi_strerror(err), "unknown error") != 0);
	if (err)
		return;
	CHECK(a->root_address != 0);
	CHECK(a->root_entries <= ACPI_MAX_ROOT_ENTRIES);
	CHECK(a->oem_id[6] == '\0');
	CHECK(a->madt_error <= ACPI_OK && a->madt_error >= ACPI_E_NO_PM1);
	CHECK(a->fadt_error <= ACPI_OK && a->fadt_error >= ACPI_E_NO_PM1);
	CHECK(a->s5_error <= ACPI_OK && a->s5_error >= ACPI_E_NO_PM1);
	CHECK(a->madt.ncpus <= ACPI_MAX_CPUS);
	CHECK(a->madt.nioapics <= ACPI_MAX_IOAPICS);
	CHECK(a->madt.noverrides <= ACPI_MAX_OVERRIDES);
	if (a->madt_error)
		CHECK(memcmp(&a->madt, &no_madt, sizeof(no_madt)) == 0);
	if (a->fadt_error) {
		CHECK(memcmp(&a->fadt, &no_fadt, sizeof(no_fadt)) == 0);
		CHECK(a->s5_error == a->fadt_error);
	}
	if (a->fadt.reset_supported)
		CHECK(a->fadt.reset_reg.address != 0);
	if (a->s5_error == ACPI_OK)
		CHECK(a->slp_typa <= 7 && a->slp_typb <= 7);
	else
		CHECK(a->slp_typa == 0 && a->slp_typb == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_mem m;
	static struct acpi_info a, b;
	uint8_t rsdp[ACPI_RSDP_V2_LEN], ta, tb;
	size_t rsdp_len;
	int ra, rb, rs;

	if (size < MEM_AT)
		return 0;
	m.fix = data[0] & 1;
	rsdp_len = data[1] % (ACPI_RSDP_V2_LEN + 1);
	memcpy(rsdp, data + RSDP_AT, sizeof(rsdp));
	if (m.fix) {
		rsdp[8] = 0;
		rsdp[8] = (uint8_t)-acpi_checksum(rsdp, 20);
		rsdp[32] = 0;
		rsdp[32] = (uint8_t)-acpi_checksum(rsdp, 36);
	}
	m.mem = data + MEM_AT;
	m.size = size - MEM_AT;

	ra = acpi_parse(rsdp_len ? rsdp : NULL, rsdp_len, map, &m, &a);
	unmap_all(&m);
	check_info(ra, &a);
	rb = acpi_parse(rsdp_len ? rsdp : NULL, rsdp_len, map, &m, &b);
	unmap_all(&m);
	CHECK(ra == rb && a.root_address == b.root_address &&
	      a.madt_error == b.madt_error && a.madt.ncpus == b.madt.ncpus &&
	      a.fadt_error == b.fadt_error &&
	      a.fadt.pm1a_cnt == b.fadt.pm1a_cnt && a.s5_error == b.s5_error &&
	      a.slp_typa == b.slp_typa && a.slp_typb == b.slp_typb);

	/* The raw memory as a DSDT body. */
	ta = tb = 0xee;
	rs = acpi_find_s5(m.mem, m.size, &ta, &tb);
	CHECK(rs == ACPI_OK || rs == ACPI_E_NO_S5 || rs == ACPI_E_S5_FORMAT);
	if (rs == ACPI_OK)
		CHECK(ta <= 7 && tb <= 7);
	else
		CHECK(ta == 0xee && tb == 0xee);
	return 0;
}
