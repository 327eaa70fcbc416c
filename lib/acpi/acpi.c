/*
 * ACPI table reader: the RSDP, the root table (XSDT or RSDT), the MADT and
 * the FADT, and through the FADT the DSDT for lib/acpi/s5.c.  Every table
 * is mapped twice through the caller's map function: its header first
 * (to learn the length), then the whole table, whose checksum must be 0.
 * The root table is never followed recursively, so a root that lists
 * itself, or tables that point at each other, cannot make a loop.
 */
#include "acpi/acpi.h"

#include "base/mem.h"

/* Offsets of the fields read, from the ACPI specification. */
#define RSDP_CHECKSUM_LEN 20u
#define RSDP_OEM          9u
#define RSDP_REVISION     15u
#define RSDP_RSDT         16u
#define RSDP_LENGTH       20u
#define RSDP_XSDT         24u

#define HDR_LENGTH 4u

#define MADT_LAPIC   36u
#define MADT_FLAGS   40u
#define MADT_ENTRIES 44u

#define FADT_SMI_CMD     48u
#define FADT_ACPI_ENABLE 52u
#define FADT_DSDT        40u
#define FADT_PM1A_CNT    64u
#define FADT_PM1B_CNT    68u
#define FADT_CENTURY     108u
#define FADT_FLAGS       112u
#define FADT_RESET_REG   116u
#define FADT_RESET_VALUE 128u
#define FADT_X_DSDT      140u
#define FADT_X_PM1A_CNT  172u
#define FADT_X_PM1B_CNT  184u
#define GAS_LEN          12u

#define FADT_RESET_REG_SUP (1u << 10)
#define CMOS_FIRST_FREE    0x0e

/* MADT entry types and the length each must at least have. */
enum {
	MADT_LOCAL_APIC = 0,
	MADT_IO_APIC = 1,
	MADT_OVERRIDE = 2,
	MADT_LAPIC_ADDRESS = 5,
	MADT_LOCAL_X2APIC = 9,
};
#define MADT_LOCAL_APIC_LEN    8u
#define MADT_IO_APIC_LEN       12u
#define MADT_OVERRIDE_LEN      10u
#define MADT_LAPIC_ADDRESS_LEN 12u
#define MADT_LOCAL_X2APIC_LEN  16u

#define CPU_ENABLED        (1u << 0)
#define CPU_ONLINE_CAPABLE (1u << 1)

#define IO_PORT_MAX 0xffffu

static uint16_t
rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

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

static struct acpi_gas
rd_gas(const uint8_t *p)
{
	return (struct acpi_gas){
	    .space = p[0],
	    .bit_width = p[1],
	    .bit_offset = p[2],
	    .access_size = p[3],
	    .address = rd64(p + 4),
	};
}

uint8_t
acpi_checksum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (n--)
		sum += *b++;
	return sum;
}

/*
 * Maps the table at phys and checks it: signature sig (4 bytes), a length
 * between the header's and ACPI_MAX_TABLE_LEN that reads the same through
 * the second mapping, and a zero checksum.
 */
static int
map_table(acpi_map_fn map, void *ctx, uint64_t phys, const char *sig,
          const uint8_t **out, uint32_t *len_out)
{
	const uint8_t *t;
	uint32_t len;

	if (phys == 0)
		return ACPI_E_MISSING;
	t = map(ctx, phys, ACPI_HEADER_LEN);
	if (!t)
		return ACPI_E_UNMAPPED;
	if (memcmp(t, sig, 4) != 0)
		return ACPI_E_SIGNATURE;
	len = rd32(t + HDR_LENGTH);
	if (len < ACPI_HEADER_LEN || len > ACPI_MAX_TABLE_LEN)
		return ACPI_E_TABLE_LENGTH;
	t = map(ctx, phys, len);
	if (!t)
		return ACPI_E_UNMAPPED;
	if (rd32(t + HDR_LENGTH) != len)
		return ACPI_E_TABLE_LENGTH;
	if (acpi_checksum(t, len) != 0)
		return ACPI_E_TABLE_CHECKSUM;
	*out = t;
	*len_out = len;
	return ACPI_OK;
}

static void
add_cpu(struct acpi_madt *m, uint32_t apic_id, uint32_t flags)
{
	if (!(flags & (CPU_ENABLED | CPU_ONLINE_CAPABLE)))
		return;
	if (m->ncpus == ACPI_MAX_CPUS) {
		m->dropped++;
		return;
	}
	m->cpu_apic_ids[m->ncpus++] = apic_id;
}

/* The minimum length of an entry of a type we read; 2 for the others. */
static uint32_t
madt_entry_min(uint8_t type)
{
	switch (type) {
	case MADT_LOCAL_APIC:
		return MADT_LOCAL_APIC_LEN;
	case MADT_IO_APIC:
		return MADT_IO_APIC_LEN;
	case MADT_OVERRIDE:
		return MADT_OVERRIDE_LEN;
	case MADT_LAPIC_ADDRESS:
		return MADT_LAPIC_ADDRESS_LEN;
	case MADT_LOCAL_X2APIC:
		return MADT_LOCAL_X2APIC_LEN;
	}
	return 2;
}

static int
parse_madt(const uint8_t *t, uint32_t len, struct acpi_madt *m)
{
	uint32_t off;

	if (len < MADT_ENTRIES)
		return ACPI_E_TABLE_LENGTH;
	m->lapic_address = rd32(t + MADT_LAPIC);
	m->flags = rd32(t + MADT_FLAGS);
	/* Every entry is at least 2 bytes long, so the walk ends. */
	for (off = MADT_ENTRIES; off < len;) {
		const uint8_t *e = t + off;
		uint8_t type, elen;

		if (len - off < 2)
			return ACPI_E_MADT_ENTRY;
		type = e[0];
		elen = e[1];
		if (elen < madt_entry_min(type) || elen > len - off)
			return ACPI_E_MADT_ENTRY;
		switch (type) {
		case MADT_LOCAL_APIC:
			add_cpu(m, e[3], rd32(e + 4));
			break;
		case MADT_LOCAL_X2APIC:
			add_cpu(m, rd32(e + 4), rd32(e + 8));
			break;
		case MADT_IO_APIC:
			if (m->nioapics == ACPI_MAX_IOAPICS) {
				m->dropped++;
				break;
			}
			m->ioapics[m->nioapics++] = (struct acpi_ioapic){
			    .id = e[2],
			    .address = rd32(e + 4),
			    .gsi_base = rd32(e + 8),
			};
			break;
		case MADT_OVERRIDE:
			if (m->noverrides == ACPI_MAX_OVERRIDES) {
				m->dropped++;
				break;
			}
			m->overrides[m->noverrides++] = (struct acpi_override){
			    .bus = e[2],
			    .source = e[3],
			    .gsi = rd32(e + 4),
			    .flags = rd16(e + 8),
			};
			break;
		case MADT_LAPIC_ADDRESS:
			m->lapic_address = rd64(e + 4);
			break;
		default:
			break;
		}
		off += elen;
	}
	return ACPI_OK;
}

/* A 32-bit port field, or else the I/O-space GAS at gas_off when the
 * table is long enough to hold it; 0 when neither names a port. */
static uint16_t
fadt_port(const uint8_t *t, uint32_t len, uint32_t off, uint32_t gas_off)
{
	uint32_t port = rd32(t + off);

	if (port == 0 && len >= gas_off + GAS_LEN) {
		struct acpi_gas g = rd_gas(t + gas_off);

		if (g.space == ACPI_GAS_IO && g.address <= IO_PORT_MAX)
			port = (uint32_t)g.address;
	}
	return port <= IO_PORT_MAX ? (uint16_t)port : 0;
}

static int
parse_fadt(const uint8_t *t, uint32_t len, struct acpi_fadt *f)
{
	uint32_t smi;

	if (len < ACPI_FADT_MIN_LEN)
		return ACPI_E_FADT_SHORT;
	f->dsdt = rd32(t + FADT_DSDT);
	if (len >= FADT_X_DSDT + 8 && rd64(t + FADT_X_DSDT) != 0)
		f->dsdt = rd64(t + FADT_X_DSDT);
	f->pm1a_cnt = fadt_port(t, len, FADT_PM1A_CNT, FADT_X_PM1A_CNT);
	f->pm1b_cnt = fadt_port(t, len, FADT_PM1B_CNT, FADT_X_PM1B_CNT);
	smi = rd32(t + FADT_SMI_CMD);
	f->smi_cmd = smi <= IO_PORT_MAX ? (uint16_t)smi : 0;
	f->acpi_enable = t[FADT_ACPI_ENABLE];
	/* Indices 0-13 are the clock's time and status registers. */
	f->century =
	    t[FADT_CENTURY] >= CMOS_FIRST_FREE && t[FADT_CENTURY] < 0x80
	        ? t[FADT_CENTURY]
	        : 0;
	if (len > FADT_RESET_VALUE &&
	    (rd32(t + FADT_FLAGS) & FADT_RESET_REG_SUP)) {
		f->reset_reg = rd_gas(t + FADT_RESET_REG);
		f->reset_value = t[FADT_RESET_VALUE];
		f->reset_supported = f->reset_reg.address != 0;
	}
	return ACPI_OK;
}

/*
 * Looks through the root table's entries for the first table with
 * signature sig that maps and checks; returns it, or the error of the
 * last candidate (ACPI_E_MISSING when there was none).  Entries that
 * point back at the root table are skipped.
 */
static int
find_table(const struct acpi_info *info, const uint8_t *root, uint32_t esize,
           acpi_map_fn map, void *ctx, const char *sig, const uint8_t **out,
           uint32_t *len)
{
	int err = ACPI_E_MISSING;
	uint32_t i;

	for (i = 0; i < info->root_entries; i++) {
		const uint8_t *e = root + ACPI_HEADER_LEN + (size_t)i * esize;
		uint64_t pa = esize == 8 ? rd64(e) : rd32(e);
		const uint8_t *h;

		if (pa == 0 || pa == info->root_address)
			continue;
		h = map(ctx, pa, ACPI_HEADER_LEN);
		if (!h || memcmp(h, sig, 4) != 0)
			continue;
		err = map_table(map, ctx, pa, sig, out, len);
		if (err == ACPI_OK)
			return ACPI_OK;
	}
	return err;
}

/* The RSDP's checks; fills revision, OEM and which root table to use. */
static int
check_rsdp(const uint8_t *p, size_t n, struct acpi_info *out, uint64_t *xsdt,
           uint64_t *rsdt)
{
	uint32_t len;

	if (!p)
		return ACPI_E_NO_RSDP;
	if (n < ACPI_RSDP_V1_LEN)
		return ACPI_E_RSDP_LENGTH;
	if (memcmp(p, "RSD PTR ", 8) != 0)
		return ACPI_E_RSDP_SIGNATURE;
	if (acpi_checksum(p, RSDP_CHECKSUM_LEN) != 0)
		return ACPI_E_RSDP_CHECKSUM;
	out->revision = p[RSDP_REVISION];
	memcpy(out->oem_id, p + RSDP_OEM, 6);
	out->oem_id[6] = '\0';
	*rsdt = rd32(p + RSDP_RSDT);
	*xsdt = 0;
	/* A loader may copy only the ACPI 1.0 part of a newer RSDP (the
	 * old Multiboot2 tag): then the RSDT is all there is. */
	if (out->revision >= 2 && n >= ACPI_RSDP_V2_LEN) {
		len = rd32(p + RSDP_LENGTH);
		if (len < ACPI_RSDP_V2_LEN || len > n)
			return ACPI_E_RSDP_LENGTH;
		if (acpi_checksum(p, len) != 0)
			return ACPI_E_RSDP_CHECKSUM;
		*xsdt = rd64(p + RSDP_XSDT);
	}
	return ACPI_OK;
}

int
acpi_parse(const void *rsdp, size_t rsdp_len, acpi_map_fn map, void *ctx,
           struct acpi_info *out)
{
	const uint8_t *root = NULL, *t;
	uint64_t xsdt, rsdt;
	uint32_t root_len = 0, len, esize;
	int err;

	memset(out, 0, sizeof(*out));
	err = check_rsdp(rsdp, rsdp_len, out, &xsdt, &rsdt);
	if (err)
		return err;
	/* The XSDT when there is one that reads; else the RSDT. */
	err = ACPI_E_MISSING;
	if (xsdt) {
		err = map_table(map, ctx, xsdt, "XSDT", &root, &root_len);
		if (err == ACPI_OK) {
			out->xsdt = true;
			out->root_address = xsdt;
		}
	}
	if (err && rsdt) {
		err = map_table(map, ctx, rsdt, "RSDT", &root, &root_len);
		out->root_address = rsdt;
	}
	if (err) {
		out->root_address = 0;
		return err;
	}
	esize = out->xsdt ? 8 : 4;
	out->root_entries = (root_len - ACPI_HEADER_LEN) / esize;
	if (out->root_entries > ACPI_MAX_ROOT_ENTRIES)
		out->root_entries = ACPI_MAX_ROOT_ENTRIES;

	out->madt_error =
	    find_table(out, root, esize, map, ctx, "APIC", &t, &len);
	if (out->madt_error == ACPI_OK)
		out->madt_error = parse_madt(t, len, &out->madt);
	if (out->madt_error)
		memset(&out->madt, 0, sizeof(out->madt));

	out->fadt_error =
	    find_table(out, root, esize, map, ctx, "FACP", &t, &len);
	if (out->fadt_error == ACPI_OK)
		out->fadt_error = parse_fadt(t, len, &out->fadt);
	if (out->fadt_error) {
		memset(&out->fadt, 0, sizeof(out->fadt));
		out->s5_error = out->fadt_error;
		return ACPI_OK;
	}

	out->s5_error = map_table(map, ctx, out->fadt.dsdt, "DSDT", &t, &len);
	if (out->s5_error == ACPI_OK)
		out->s5_error =
		    acpi_find_s5(t + ACPI_HEADER_LEN, len - ACPI_HEADER_LEN,
		                 &out->slp_typa, &out->slp_typb);
	return ACPI_OK;
}

const char *
acpi_strerror(int err)
{
	switch (err) {
	case ACPI_OK:
		return "ok";
	case ACPI_E_NO_RSDP:
		return "the loader gave no RSDP";
	case ACPI_E_RSDP_SIGNATURE:
		return "the RSDP's signature is wrong";
	case ACPI_E_RSDP_CHECKSUM:
		return "the RSDP's checksum is wrong";
	case ACPI_E_RSDP_LENGTH:
		return "the RSDP is truncated or its length field is bad";
	case ACPI_E_UNMAPPED:
		return "a table lies outside firmware memory";
	case ACPI_E_TABLE_LENGTH:
		return "a table's length is implausible";
	case ACPI_E_TABLE_CHECKSUM:
		return "a table's checksum is wrong";
	case ACPI_E_SIGNATURE:
		return "a pointer leads to a table of another kind";
	case ACPI_E_MISSING:
		return "the table is not listed";
	case ACPI_E_MADT_ENTRY:
		return "a MADT entry's length is bad";
	case ACPI_E_FADT_SHORT:
		return "the FADT is too short";
	case ACPI_E_NO_S5:
		return "the DSDT names no \\_S5_ package";
	case ACPI_E_S5_FORMAT:
		return "\\_S5_ is not a package of two small integers";
	case ACPI_E_NO_PM1:
		return "the FADT gives no PM1a control port";
	}
	return "unknown error";
}
