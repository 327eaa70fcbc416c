/*
 * ACPI tables: a bounds-checked reader of what the firmware describes.
 * The tables are input like any other: every length, count and pointer is
 * checked before it is used, every table's checksum is verified, and a
 * malformed or missing table is an error code, never a wild read or a
 * loop.
 *
 * The reader never touches physical memory itself.  The caller passes a
 * map function that turns a physical range into a readable pointer, or
 * NULL when the range is not one the caller agrees to read (the kernel
 * checks it against the memory map; the host tests and the fuzzer serve
 * it from a buffer).
 *
 * What is read (docs/acpi.md):
 *   RSDP   from the loader's copy (Multiboot2 tags 14 and 15)
 *   RSDT / XSDT   the root table, XSDT when the RSDP is ACPI 2.0 or later
 *   MADT ("APIC") the local APIC address, CPUs, I/O APICs, overrides
 *   FADT ("FACP") PM1a/PM1b control ports, the reset register, the DSDT
 *   DSDT   only the \_S5_ package (acpi_find_s5, lib/acpi/s5.c)
 */
#ifndef ACPI_ACPI_H
#define ACPI_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits: larger is treated as corrupt, or (counts) kept up to the limit
 * and the rest counted as dropped. */
#define ACPI_MAX_TABLE_LEN    (4u << 20) /* a table of more bytes is bad */
#define ACPI_MAX_ROOT_ENTRIES 256        /* root entries looked at */
#define ACPI_MAX_CPUS         64
#define ACPI_MAX_IOAPICS      8
#define ACPI_MAX_OVERRIDES    16

#define ACPI_HEADER_LEN   36u
#define ACPI_RSDP_V1_LEN  20u
#define ACPI_RSDP_V2_LEN  36u
#define ACPI_FADT_MIN_LEN 116u /* ACPI 1.0's FADT: up to the flags */

/* Address spaces of a Generic Address Structure. */
#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO     1

/* PM1 control register bits. */
#define ACPI_PM1_SCI_EN     (1u << 0)
#define ACPI_PM1_SLP_TYP(t) (((uint16_t)(t)&7u) << 10)
#define ACPI_PM1_SLP_EN     (1u << 13)

enum acpi_error {
	ACPI_OK = 0,
	ACPI_E_NO_RSDP = -1, /* the loader gave no RSDP */
	ACPI_E_RSDP_SIGNATURE = -2,
	ACPI_E_RSDP_CHECKSUM = -3,
	ACPI_E_RSDP_LENGTH = -4,  /* truncated, or a bad length field */
	ACPI_E_UNMAPPED = -5,     /* a table lies outside readable memory */
	ACPI_E_TABLE_LENGTH = -6, /* shorter than its header or implausible */
	ACPI_E_TABLE_CHECKSUM = -7,
	ACPI_E_SIGNATURE = -8,   /* a pointer leads to another table */
	ACPI_E_MISSING = -9,     /* the root table does not list it */
	ACPI_E_MADT_ENTRY = -10, /* an entry's length is 0 or runs out */
	ACPI_E_FADT_SHORT = -11, /* too short for the fields we need */
	ACPI_E_NO_S5 = -12,      /* the DSDT names no \_S5_ package */
	ACPI_E_S5_FORMAT = -13,  /* \_S5_ is not a package we can read */
	ACPI_E_NO_PM1 = -14,     /* no PM1a control block in I/O space */
};

/*
 * Returns a pointer through which len bytes at physical address phys can
 * be read, or NULL when the range is not readable.  len is at least 1.
 */
typedef const void *(*acpi_map_fn)(void *ctx, uint64_t phys, uint64_t len);

/* A Generic Address Structure (a register's place). */
struct acpi_gas {
	uint8_t space; /* ACPI_GAS_MEMORY, ACPI_GAS_IO, ... */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
};

struct acpi_ioapic {
	uint8_t id;
	uint32_t address;
	uint32_t gsi_base;
};

/* An ISA interrupt that is not wired to the GSI of the same number. */
struct acpi_override {
	uint8_t bus;
	uint8_t source; /* the ISA IRQ */
	uint32_t gsi;
	uint16_t flags; /* polarity (bits 0-1), trigger mode (bits 2-3) */
};

struct acpi_madt {
	uint64_t lapic_address;
	uint32_t flags; /* bit 0: dual 8259 PICs present */
	uint32_t ncpus; /* usable (enabled or online-capable) CPUs kept */
	uint32_t cpu_apic_ids[ACPI_MAX_CPUS];
	uint32_t nioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	uint32_t noverrides;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	uint32_t dropped; /* entries beyond the limits above */
};

struct acpi_fadt {
	uint16_t pm1a_cnt; /* I/O port; 0 none */
	uint16_t pm1b_cnt; /* I/O port; 0 none */
	uint16_t smi_cmd;  /* I/O port to switch to ACPI mode; 0 none */
	uint8_t acpi_enable;
	bool reset_supported; /* RESET_REG_SUP and a reset register given */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint64_t dsdt; /* physical address; 0 none */
	/* CMOS index of the RTC's century register; 0 none (or an index
	 * inside the clock's own registers, which cannot be one). */
	uint8_t century;
};

struct acpi_info {
	uint8_t revision; /* the RSDP's */
	char oem_id[7];   /* NUL-terminated */
	bool xsdt;        /* the root table is the XSDT (else the RSDT) */
	uint64_t root_address;
	uint32_t root_entries;
	/* Each part: ACPI_OK with its facts, or why it is missing. */
	int madt_error;
	struct acpi_madt madt;
	int fadt_error;
	struct acpi_fadt fadt;
	int s5_error;
	uint8_t slp_typa, slp_typb; /* the \_S5_ sleep types */
};

/*
 * Reads the tables from the RSDP copy at rsdp (rsdp_len bytes; NULL when
 * the loader gave none).  Returns ACPI_OK when the root table was read,
 * then each of madt_error, fadt_error and s5_error says whether that part
 * was found; otherwise the error that stopped it and *out says nothing.
 */
int acpi_parse(const void *rsdp, size_t rsdp_len, acpi_map_fn map, void *ctx,
               struct acpi_info *out);

/*
 * Finds the \_S5_ package in the AML body of a DSDT (aml, len bytes,
 * after the table header) and reads its first two integers, the
 * SLP_TYPa and SLP_TYPb values for soft-off (lib/acpi/s5.c).
 */
int acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa,
                 uint8_t *slp_typb);

/* The 8-bit sum of n bytes (0 for a valid ACPI checksum). */
uint8_t acpi_checksum(const void *p, size_t n);

const char *acpi_strerror(int err);

#endif
