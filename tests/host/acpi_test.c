/*
 * Host tests for lib/acpi.  A fake physical memory holds tables built
 * field by field; each test then damages them the way broken or hostile
 * firmware could.  The map function hands out an exact-size copy of each
 * range asked for, so AddressSanitizer catches any read past what the
 * parser mapped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "acpi/acpi.h"

#define MEM_BASE 0x100000u
#define MEM_SIZE 0x10000u
#define MAX_MAPS 4096

static uint8_t mem[MEM_SIZE];
static uint32_t mem_used;
static void *maps[MAX_MAPS];
static unsigned nmaps;

static const void *
map(void *ctx, uint64_t phys, uint64_t len)
{
	void *copy;

	(void)ctx;
	assert_true(len > 0);
	if (phys < MEM_BASE || len > MEM_SIZE ||
	    phys - MEM_BASE > MEM_SIZE - len)
		return NULL;
	assert_true(nmaps < MAX_MAPS);
	copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, mem + (phys - MEM_BASE), len);
	maps[nmaps++] = copy;
	return copy;
}

static int
setup(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	mem_used = 0;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	while (nmaps)
		free(maps[--nmaps]);
	return 0;
}

static void
put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void
put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint8_t *
at(uint64_t phys)
{
	return mem + (phys - MEM_BASE);
}

/* Room for a table of len bytes; returns its physical address. */
static uint64_t
alloc(uint32_t len)
{
	uint64_t pa = MEM_BASE + mem_used;

	mem_used += (len + 15) & ~15u;
	assert_true(mem_used <= MEM_SIZE);
	return pa;
}

static void
fix_checksum(uint64_t pa)
{
	uint8_t *t = at(pa);
	uint32_t len;

	memcpy(&len, t + 4, 4);
	t[9] = 0;
	t[9] = (uint8_t)-acpi_checksum(t, len);
}

/* A table with a header and body, checksum fixed. */
static uint64_t
table(const char *sig, const void *body, uint32_t body_len)
{
	uint64_t pa = alloc(ACPI_HEADER_LEN + body_len);
	uint8_t *t = at(pa);

	memcpy(t, sig, 4);
	put32(t + 4, ACPI_HEADER_LEN + body_len);
	t[8] = 1;
	memcpy(t + 10, "CAPOS ", 6);
	if (body_len)
		memcpy(t + ACPI_HEADER_LEN, body, body_len);
	fix_checksum(pa);
	return pa;
}

struct rsdp {
	uint8_t b[36];
};

static struct rsdp
make_rsdp(uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
	struct rsdp r;

	memset(&r, 0, sizeof(r));
	memcpy(r.b, "RSD PTR ", 8);
	memcpy(r.b + 9, "CAPOS ", 6);
	r.b[15] = revision;
	put32(r.b + 16, rsdt);
	r.b[8] = (uint8_t)-acpi_checksum(r.b, 20);
	if (revision >= 2) {
		put32(r.b + 20, 36);
		put64(r.b + 24, xsdt);
		r.b[32] = (uint8_t)-acpi_checksum(r.b, 36);
	}
	return r;
}

/* The root table: XSDT (8-byte entries) or RSDT (4-byte ones). */
static uint64_t
root(bool x, const uint64_t *entries, unsigned n)
{
	uint8_t body[8 * 300];
	unsigned i;

	for (i = 0; i < n; i++) {
		if (x)
			put64(body + 8 * i, entries[i]);
		else
			put32(body + 4 * i, (uint32_t)entries[i]);
	}
	return table(x ? "XSDT" : "RSDT", body, n * (x ? 8 : 4));
}

/* q35-like MADT: one CPU, one I/O APIC, overrides for IRQ 0 and 9. */
static uint64_t
madt(void)
{
	uint8_t b[8 + 8 + 12 + 10 + 10];

	memset(b, 0, sizeof(b));
	put32(b, 0xfee00000);
	put32(b + 4, 1);
	b[8] = 0, b[9] = 8, b[10] = 0, b[11] = 0, put32(b + 12, 1);
	b[16] = 1, b[17] = 12, b[18] = 0, put32(b + 20, 0xfec00000);
	put32(b + 24, 0);
	b[28] = 2, b[29] = 10, b[30] = 0, b[31] = 0, put32(b + 32, 2);
	put16(b + 36, 0);
	b[38] = 2, b[39] = 10, b[40] = 0, b[41] = 9, put32(b + 42, 9);
	put16(b + 46, 0xd);
	return table("APIC", b, sizeof(b));
}

/* An AML body that names \_S5_ as Package (4) { 5, 7, 0, 0 }. */
static const uint8_t s5_aml[] = {
    0x10, 0x05, 0x5c, 0x00, /* some unrelated AML first */
    0x08, 0x5c, '_',  'S',  '5',  '_',  0x12, 0x08,
    0x04, 0x0a, 0x05, 0x0a, 0x07, 0x00, 0x00,
};

/* An ACPI 2.0-sized FADT (244 bytes) with the fields we read. */
static uint64_t
fadt(uint64_t dsdt, uint16_t pm1a, uint16_t pm1b, bool reset)
{
	uint8_t b[244 - ACPI_HEADER_LEN];

	memset(b, 0, sizeof(b));
#define F(off) (b + (off)-ACPI_HEADER_LEN)
	put32(F(40), (uint32_t)dsdt);
	put32(F(48), 0xb2);
	*F(52) = 0xf1;
	put32(F(64), pm1a);
	put32(F(68), pm1b);
	*F(108) = 0x32; /* the century register, as QEMU's */
	if (reset) {
		put32(F(112), 1u << 10);
		*F(116) = ACPI_GAS_IO;
		*F(117) = 8;
		put64(F(120), 0xcf9);
		*F(128) = 0x06;
	}
	put64(F(140), dsdt);
#undef F
	return table("FACP", b, sizeof(b));
}

struct machine {
	struct rsdp rsdp;
	uint64_t xsdt, rsdt, madt, fadt, dsdt;
};

static struct machine
good_machine(void)
{
	struct machine m;
	uint64_t e[2];

	m.dsdt = table("DSDT", s5_aml, sizeof(s5_aml));
	m.madt = madt();
	m.fadt = fadt(m.dsdt, 0x604, 0, true);
	e[0] = m.fadt;
	e[1] = m.madt;
	m.xsdt = root(true, e, 2);
	m.rsdt = root(false, e, 2);
	m.rsdp = make_rsdp(2, (uint32_t)m.rsdt, m.xsdt);
	return m;
}

static int
parse(const struct rsdp *r, struct acpi_info *info)
{
	return acpi_parse(r->b, sizeof(r->b), map, NULL, info);
}

static void
test_good_machine(void **state)
{
	struct machine m = good_machine();
	struct acpi_info info;

	(void)state;
	assert_int_equal(parse(&m.rsdp, &info), ACPI_OK);
	assert_int_equal(info.revision, 2);
	assert_string_equal(info.oem_id, "CAPOS ");
	assert_true(info.xsdt);
	assert_int_equal(info.root_address, m.xsdt);
	assert_int_equal(info.root_entries, 2);

	assert_int_equal(info.madt_error, ACPI_OK);
	assert_int_equal(info.madt.lapic_address, 0xfee00000);
	assert_int_equal(info.madt.flags, 1);
	assert_int_equal(info.madt.ncpus, 1);
	assert_int_equal(info.madt.cpu_apic_ids[0], 0);
	assert_int_equal(info.madt.nioapics, 1);
	assert_int_equal(info.madt.ioapics[0].address, 0xfec00000);
	assert_int_equal(info.madt.ioapics[0].gsi_base, 0);
	assert_int_equal(info.madt.noverrides, 2);
	assert_int_equal(info.madt.overrides[0].source, 0);
	assert_int_equal(info.madt.overrides[0].gsi, 2);
	assert_int_equal(info.madt.overrides[1].source, 9);
	assert_int_equal(info.madt.overrides[1].flags, 0xd);
	assert_int_equal(info.madt.dropped, 0);

	assert_int_equal(info.fadt_error, ACPI_OK);
	assert_int_equal(info.fadt.pm1a_cnt, 0x604);
	assert_int_equal(info.fadt.pm1b_cnt, 0);
	assert_int_equal(info.fadt.smi_cmd, 0xb2);
	assert_int_equal(info.fadt.acpi_enable, 0xf1);
	assert_true(info.fadt.reset_supported);
	assert_int_equal(info.fadt.reset_reg.space, ACPI_GAS_IO);
	assert_int_equal(info.fadt.reset_reg.address, 0xcf9);
	assert_int_equal(info.fadt.reset_value, 6);
	assert_int_equal(info.fadt.dsdt, m.dsdt);
	assert_int_equal(info.fadt.century, 0x32);

	assert_int_equal(info.s5_error, ACPI_OK);
	assert_int_equal(info.slp_typa, 5);
	assert_int_equal(info.slp_typb, 7);
}

static void
test_rsdt_only(void **state)
{
	struct machine m = good_machine();
	struct rsdp r = make_rsdp(0, (uint32_t)m.rsdt, 0);
	struct acpi_info info;

	(void)state;
	assert_int_equal(parse(&r, &info), ACPI_OK);
	assert_false(info.xsdt);
	assert_int_equal(info.root_address, m.rsdt);
	assert_int_equal(info.madt_error, ACPI_OK);
	assert_int_equal(info.s5_error, ACPI_OK);
	/* An ACPI 1.0 RSDP is 20 bytes: a 20-byte copy is enough. */
	assert_int_equal(acpi_parse(r.b, 20, map, NULL, &info), ACPI_OK);
}

static void
test_no_rsdp(void **state)
{
	struct acpi_info info;

	(void)state;
	assert_int_equal(acpi_parse(NULL, 0, map, NULL, &info), ACPI_E_NO_RSDP);
}

static void
test_bad_rsdp(void **state)
{
	struct machine m = good_machine();
	struct acpi_info info;
	struct rsdp r;

	(void)state;
	r = m.rsdp;
	r.b[0] = 'X';
	assert_int_equal(parse(&r, &info), ACPI_E_RSDP_SIGNATURE);
	r = m.rsdp;
	r.b[8]++;
	assert_int_equal(parse(&r, &info), ACPI_E_RSDP_CHECKSUM);
	/* The extended checksum covers the XSDT address. */
	r = m.rsdp;
	r.b[24]++;
	assert_int_equal(parse(&r, &info), ACPI_E_RSDP_CHECKSUM);
	/* Truncated copies. */
	assert_int_equal(acpi_parse(m.rsdp.b, 19, map, NULL, &info),
	                 ACPI_E_RSDP_LENGTH);
	/* Only the ACPI 1.0 part of a newer RSDP: the RSDT is used. */
	assert_int_equal(acpi_parse(m.rsdp.b, 35, map, NULL, &info), ACPI_OK);
	assert_false(info.xsdt);
	assert_int_equal(info.root_address, m.rsdt);
	/* A length field past the copy, or below the v2 size. */
	r = m.rsdp;
	put32(r.b + 20, 4096);
	assert_int_equal(parse(&r, &info), ACPI_E_RSDP_LENGTH);
	put32(r.b + 20, 20);
	assert_int_equal(parse(&r, &info), ACPI_E_RSDP_LENGTH);
}

static void
test_bad_root(void **state)
{
	struct machine m = good_machine();
	struct acpi_info info;
	struct rsdp r;

	(void)state;
	/* A broken XSDT falls back to the RSDT. */
	at(m.xsdt)[20]++;
	assert_int_equal(parse(&m.rsdp, &info), ACPI_OK);
	assert_false(info.xsdt);
	assert_int_equal(info.root_address, m.rsdt);
	assert_int_equal(info.s5_error, ACPI_OK);
	/* With no RSDT to fall back on, the checksum error stands. */
	r = make_rsdp(2, 0, m.xsdt);
	assert_int_equal(parse(&r, &info), ACPI_E_TABLE_CHECKSUM);
	fix_checksum(m.xsdt);

	/* Lengths that are implausible, or run off the end of memory. */
	put32(at(m.xsdt) + 4, 0xffffffffu);
	assert_int_equal(parse(&r, &info), ACPI_E_TABLE_LENGTH);
	put32(at(m.xsdt) + 4, 35);
	assert_int_equal(parse(&r, &info), ACPI_E_TABLE_LENGTH);
	put32(at(m.xsdt) + 4, MEM_BASE + MEM_SIZE - m.xsdt + 8);
	assert_int_equal(parse(&r, &info), ACPI_E_UNMAPPED);

	/* Pointers outside memory, near the top of the address space, or
	 * to a table of another kind. */
	r = make_rsdp(2, 0, 0x1000);
	assert_int_equal(parse(&r, &info), ACPI_E_UNMAPPED);
	r = make_rsdp(2, 0, UINT64_MAX - 8);
	assert_int_equal(parse(&r, &info), ACPI_E_UNMAPPED);
	r = make_rsdp(2, 0, m.madt);
	assert_int_equal(parse(&r, &info), ACPI_E_SIGNATURE);
	r = make_rsdp(2, 0, 0);
	assert_int_equal(parse(&r, &info), ACPI_E_MISSING);
}

/* A root that lists itself (and nothing else) ends, finding nothing. */
static void
test_root_lists_itself(void **state)
{
	struct acpi_info info;
	uint64_t self = MEM_BASE, e[3] = {self, self, 0};
	struct rsdp r;

	(void)state;
	assert_int_equal(root(true, e, 3), self);
	r = make_rsdp(2, 0, self);
	assert_int_equal(parse(&r, &info), ACPI_OK);
	assert_int_equal(info.root_entries, 3);
	assert_int_equal(info.madt_error, ACPI_E_MISSING);
	assert_int_equal(info.fadt_error, ACPI_E_MISSING);
	assert_int_equal(info.s5_error, ACPI_E_MISSING);
}

/* Only the first ACPI_MAX_ROOT_ENTRIES entries are looked at. */
static void
test_huge_root(void **state)
{
	struct machine m = good_machine();
	uint64_t e[300];
	struct acpi_info info;
	struct rsdp r;
	unsigned i;

	(void)state;
	for (i = 0; i < 300; i++)
		e[i] = m.dsdt;
	e[299] = m.fadt;
	r = make_rsdp(2, 0, root(true, e, 300));
	assert_int_equal(parse(&r, &info), ACPI_OK);
	assert_int_equal(info.root_entries, ACPI_MAX_ROOT_ENTRIES);
	assert_int_equal(info.fadt_error, ACPI_E_MISSING);
}

/* A bad first FADT: the next one listed is used. */
static void
test_second_fadt(void **state)
{
	struct machine m = good_machine();
	uint64_t bad = fadt(m.dsdt, 0x700, 0, false), e[3];
	struct acpi_info info;
	struct rsdp r;

	(void)state;
	at(bad)[100]++;
	e[0] = bad;
	e[1] = m.fadt;
	e[2] = m.madt;
	r = make_rsdp(2, 0, root(true, e, 3));
	assert_int_equal(parse(&r, &info), ACPI_OK);
	assert_int_equal(info.fadt_error, ACPI_OK);
	assert_int_equal(info.fadt.pm1a_cnt, 0x604);
	/* Alone, the bad one's error is reported. */
	r = make_rsdp(2, 0, root(true, e, 1));
	assert_int_equal(parse(&r, &info), ACPI_OK);
	assert_int_equal(info.fadt_error, ACPI_E_TABLE_CHECKSUM);
	assert_int_equal(info.s5_error, ACPI_E_TABLE_CHECKSUM);
	assert_int_equal(info.fadt.pm1a_cnt, 0);
	assert_int_equal(info.madt_error, ACPI_E_MISSING);
}

static void
test_bad_madt(void **state)
{
	struct machine m = good_machine();
	struct acpi_info info;
	uint8_t *t = at(m.madt);

	(void)state;
	/* A zero-length entry would loop forever. */
	t[44 + 1] = 0;
	fix_checksum(m.madt);
	assert_int_equal(parse(&m.rsdp, &info), ACPI_OK);
	assert_int_equal(info.madt_error, ACPI_E_MADT_ENTRY);
	assert_int_equal(info.madt.nioapics, 0);
	/* The facts of other tables stand. */
	assert_int_equal(info.fadt_error, ACPI_OK);
	/* An entry running past the table. */
	t[44 + 1] = 200;
	fix_checksum(m.madt);
	assert_int_equal(parse(&m.rsdp, &info), ACPI_OK);
	assert_int_equal(info.madt_error, ACPI_E_MADT_ENTRY);
	/* An I/O APIC entry too short for its fields. */
	t[44 + 1] = 8;
	t[52 + 1] = 6;
	fix_checksum(m.madt);
	assert_int_equal(parse(&m.rsdp, &info), ACPI_OK);
	assert_int_equal(info.madt_error, ACPI_E_MADT_ENTRY);
	/* A single trailing byte. */
	put32(t + 4, 45);
	fix_checksum(m.madt);
	assert_int_equal(parse(&m.rsdp, &info), ACPI_OK);
	assert_int_equal(info.madt_error, ACPI_E_MADT_ENTRY);
	/* Shorter than its fixed fields. */
	put32(t + 4, 40);
	fix_checksum(m.madt);
	assert_int_equal(parse(&m.rsdp, &info), ACPI_OK);
	assert_int_equal(info.madt_error, ACPI_E_TABLE_LENGTH);
}

/* More CPUs, I/O APICs and overrides than kept: the rest counted. */
static void
test_madt_limits(void **state)
{
	uint8_t b[8 + 70 * 8 + 10 * 12 + 20 * 10 + 12 + 16];
	struct acpi_info info;
	uint64_t e[1];
	struct rsdp r;
	uint32_t off = 8, i;

	(void)state;
	memset(b, 0, sizeof(b));
	put32(b, 0xfee00000);
	for (i = 0; i < 70; i++, off += 8) {
		b[off] = 0, b[off + 1] = 8, b[off + 3] = (uint8_t)i;
		/* Every tenth CPU is disabled and not online-capable. */
		put32(b + off + 4, i % 10 == 9 ? 0 : 1);
	}
	for (i = 0; i < 10; i++, off += 12)
		b[off] = 1, b[off + 1] = 12, b[off + 2] = (uint8_t)i;
	for (i = 0; i < 20; i++, off += 10)
		b[off] = 2, b[off + 1] = 10, b[off + 3] = (uint8_t)i;
	b[off] = 5, b[off + 1] = 12, put64(b + off + 4, 0xfed00000);
	off += 12;
	b[off] = 9, b[off + 1] = 16, put32(b + off + 4, 300);
	put32(b + off + 8, 2);
	e[0] = table("APIC", b, sizeof(b));
	r = make_rsdp(2, 0, root(true, e, 1));
	assert_int_equal(parse(&r, &info), ACPI_OK);
	assert_int_equal(info.madt_error, ACPI_OK);
	assert_int_equal(info.madt.lapic_address, 0xfed00000);
	assert_int_equal(info.madt.ncpus, ACPI_MAX_CPUS);
	assert_int_equal(info.madt.cpu_apic_ids[8], 8);
	assert_int_equal(info.madt.cpu_apic_ids[9], 10);
	assert_int_equal(info.madt.nioapics, ACPI_MAX_IOAPICS);
	assert_int_equal(info.madt.noverrides, ACPI_MAX_OVERRIDES);
	/* 63 enabled CPUs + the x2APIC one = 64; 2 I/O APICs; 4 overrides. */
	assert_int_equal(info.madt.dropped, 0 + 2 + 4);
}

static void
test_fadt(void **state)
{
	struct machine m = good_machine();
	struct acpi_info info;
	uint8_t *t = at(m.fadt);

	(void)state;
	/* The X_ GAS gives PM1a when the 32-bit field is 0. */
	put32(t + 64, 0);
	t[172] = ACPI_GAS_IO;
	put64(t + 176, 0x1004);
	t[184] = ACPI_GAS_MEMORY;
	put64(t + 188, 0xfed80000);
	fix_checksum(m.fadt);
	assert_int_equal(parse(&m.rsdp, &info), ACPI_OK);
	assert_int_equal(info.fadt.pm1a_cnt, 0x1004);
	assert_int_equal(info.fadt.pm1b_cnt, 0);
	/* Not a port: none. */
	put32(t + 64, 0x10000);
	put64(t + 176, 0);
	fix_checksum(m.fadt);
	assert_int_equal(parse(&m.rsdp, &info), ACPI_OK);
	assert_int_equal(info.fadt.pm1a_cnt, 0);
	/* Without RESET_REG_SUP the reset register is not used. */
	put32(t + 112, 0);
	fix_checksum(m.fadt);
	assert_int_equal(parse(&m.rsdp, &info), ACPI_OK);
	assert_false(info.fadt.reset_supported);
	/* ACPI 1.0 size: no X_DSDT, the 32-bit DSDT is used. */
	put32(t + 4, ACPI_FADT_MIN_LEN);
	fix_checksum(m.fadt);
	assert_int_equal(parse(&m.rsdp, &info), ACPI_OK);
	assert_int_equal(info.fadt_error, ACPI_OK);
	assert_int_equal(info.fadt.dsdt, m.dsdt);
	assert_int_equal(info.s5_error, ACPI_OK);
	/* Too short. */
	put32(t + 4, ACPI_FADT_MIN_LEN - 1);
	fix_checksum(m.fadt);
	assert_int_equal(parse(&m.rsdp, &info), ACPI_OK);
	assert_int_equal(info.fadt_error, ACPI_E_FADT_SHORT);
	assert_int_equal(info.s5_error, ACPI_E_FADT_SHORT);
}

static void
test_bad_dsdt(void **state)
{
	struct machine m = good_machine();
	struct acpi_info info;

	(void)state;
	at(m.dsdt)[40]++;
	assert_int_equal(parse(&m.rsdp, &info), ACPI_OK);
	assert_int_equal(info.fadt_error, ACPI_OK);
	assert_int_equal(info.s5_error, ACPI_E_TABLE_CHECKSUM);
	/* A DSDT pointer to the FADT itself. */
	put32(at(m.fadt) + 40, (uint32_t)m.fadt);
	put64(at(m.fadt) + 140, m.fadt);
	fix_checksum(m.fadt);
	assert_int_equal(parse(&m.rsdp, &info), ACPI_OK);
	assert_int_equal(info.s5_error, ACPI_E_SIGNATURE);
	/* No DSDT at all. */
	put32(at(m.fadt) + 40, 0);
	put64(at(m.fadt) + 140, 0);
	fix_checksum(m.fadt);
	assert_int_equal(parse(&m.rsdp, &info), ACPI_OK);
	assert_int_equal(info.s5_error, ACPI_E_MISSING);
}

static int
s5(const uint8_t *aml, size_t len, uint8_t *a, uint8_t *b)
{
	/* An exact-size copy, so a read past len is caught. */
	uint8_t *copy = malloc(len ? len : 1);
	int err;

	assert_non_null(copy);
	memcpy(copy, aml, len);
	err = acpi_find_s5(copy, len, a, b);
	free(copy);
	return err;
}

static void
test_s5_encodings(void **state)
{
	/* Name (_S5_, Package () { Zero, One }) without the root prefix. */
	static const uint8_t plain[] = {0x08, '_',  'S',  '5',  '_',
	                                0x12, 0x04, 0x02, 0x00, 0x01};
	/* Word and DWord prefixes, two-byte PkgLength. */
	static const uint8_t wide[] = {0x08, '_',  'S',  '5',  '_',  0x12,
	                               0x4d, 0x00, 0x04, 0x0b, 0x03, 0x00,
	                               0x0c, 0x06, 0x00, 0x00, 0x00, 0x00,
	                               0x00, 0x00, 0x00, 0x00, 0x00};
	/* _S5_ as a method (no NameOp) comes first and is skipped. */
	static const uint8_t method[] = {
	    0x14, 0x06, '_', 'S',  '5',  '_',  0x00, 0xa4, 0x08, '_',
	    'S',  '5',  '_', 0x12, 0x06, 0x02, 0x0a, 0x02, 0x0a, 0x03};
	uint8_t a = 0xee, b = 0xee;

	(void)state;
	assert_int_equal(s5(plain, sizeof(plain), &a, &b), ACPI_OK);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	assert_int_equal(s5(wide, sizeof(wide), &a, &b), ACPI_OK);
	assert_int_equal(a, 3);
	assert_int_equal(b, 6);
	assert_int_equal(s5(method, sizeof(method), &a, &b), ACPI_OK);
	assert_int_equal(a, 2);
	assert_int_equal(b, 3);
	assert_int_equal(s5(s5_aml, sizeof(s5_aml), &a, &b), ACPI_OK);
	assert_int_equal(a, 5);
	assert_int_equal(b, 7);
}

static void
test_s5_hostile(void **state)
{
	uint8_t a = 0xee, b = 0xee, buf[32] = {0};
	size_t i;

	(void)state;
	assert_int_equal(s5(buf, 0, &a, &b), ACPI_E_NO_S5);
	assert_int_equal(s5((const uint8_t *)"_S5_", 4, &a, &b), ACPI_E_NO_S5);
	/* Every truncation of a good package is refused, never over-read. */
	for (i = 5; i < sizeof(s5_aml) - 4; i++)
		assert_int_equal(s5(s5_aml, i, &a, &b),
		                 i < 10 ? ACPI_E_NO_S5 : ACPI_E_S5_FORMAT);
	/* PkgLength beyond the table, or too short for its contents. */
	memcpy(buf, s5_aml, sizeof(s5_aml));
	buf[11] = 0x3f;
	assert_int_equal(s5(buf, sizeof(s5_aml), &a, &b), ACPI_E_S5_FORMAT);
	buf[11] = 0xcf; /* three more bytes, beyond the table */
	assert_int_equal(s5(buf, 13, &a, &b), ACPI_E_S5_FORMAT);
	buf[11] = 0x02;
	assert_int_equal(s5(buf, sizeof(s5_aml), &a, &b), ACPI_E_S5_FORMAT);
	/* One element only; a value too big for SLP_TYP; a named element. */
	memcpy(buf, s5_aml, sizeof(s5_aml));
	buf[12] = 1;
	assert_int_equal(s5(buf, sizeof(s5_aml), &a, &b), ACPI_E_S5_FORMAT);
	memcpy(buf, s5_aml, sizeof(s5_aml));
	buf[14] = 8;
	assert_int_equal(s5(buf, sizeof(s5_aml), &a, &b), ACPI_E_S5_FORMAT);
	buf[13] = 0xff; /* Ones */
	assert_int_equal(s5(buf, sizeof(s5_aml), &a, &b), ACPI_E_S5_FORMAT);
	buf[13] = 'X';
	assert_int_equal(s5(buf, sizeof(s5_aml), &a, &b), ACPI_E_S5_FORMAT);
	/* Nothing was written on a refusal. */
	assert_int_equal(a, 0xee);
	assert_int_equal(b, 0xee);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_good_machine, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rsdt_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_rsdp, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_rsdp, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_root, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_root_lists_itself, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_huge_root, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_second_fadt, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_madt, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_madt_limits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fadt, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_dsdt, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_s5_encodings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_s5_hostile, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
