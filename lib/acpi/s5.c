/*
 * The \_S5_ (soft-off) sleep types from a DSDT's AML, by a small bounded
 * byte-pattern match, not an AML interpreter.  What it reads:
 *
 *   NameOp (0x08) ['\' (0x5c)] "_S5_" PackageOp (0x12) PkgLength
 *       NumElements Integer Integer ...
 *
 * where each Integer is ZeroOp, OneOp, OnesOp, or a Byte/Word/DWord/
 * QWord prefix with its value, and both values fit SLP_TYP's 3 bits.
 * The first NameOp "_S5_" in the table decides; the package must lie
 * inside the table.
 *
 * Not handled (the answer is then ACPI_E_NO_S5 or ACPI_E_S5_FORMAT and
 * power-off is unavailable): \_S5_ defined in an SSDT, returned by a
 * method, inside a conditional the firmware means to skip, or a package
 * whose elements are named objects or expressions rather than constants.
 */
#include "acpi/acpi.h"

#include "base/mem.h"

enum {
	AML_ZERO = 0x00,
	AML_ONE = 0x01,
	AML_NAME = 0x08,
	AML_BYTE = 0x0a,
	AML_WORD = 0x0b,
	AML_DWORD = 0x0c,
	AML_QWORD = 0x0e,
	AML_PACKAGE = 0x12,
	AML_ROOT = 0x5c,
	AML_ONES = 0xff,
};

#define SLP_TYP_MAX 7u

/* Reads one constant integer at *pos (before end); advances *pos. */
static int
read_integer(const uint8_t *p, size_t *pos, size_t end, uint64_t *v)
{
	size_t width, i;
	uint8_t op;

	if (*pos >= end)
		return ACPI_E_S5_FORMAT;
	op = p[(*pos)++];
	switch (op) {
	case AML_ZERO:
		*v = 0;
		return ACPI_OK;
	case AML_ONE:
		*v = 1;
		return ACPI_OK;
	case AML_ONES:
		*v = ~(uint64_t)0;
		return ACPI_OK;
	case AML_BYTE:
		width = 1;
		break;
	case AML_WORD:
		width = 2;
		break;
	case AML_DWORD:
		width = 4;
		break;
	case AML_QWORD:
		width = 8;
		break;
	default:
		return ACPI_E_S5_FORMAT;
	}
	if (end - *pos < width)
		return ACPI_E_S5_FORMAT;
	*v = 0;
	for (i = 0; i < width; i++)
		*v |= (uint64_t)p[*pos + i] << (8 * i);
	*pos += width;
	return ACPI_OK;
}

/* The package right after the name: p[0, n). */
static int
read_package(const uint8_t *p, size_t n, uint8_t *a, uint8_t *b)
{
	size_t pos = 1, end, extra, i, pkglen;
	uint64_t va, vb;
	uint8_t lead;

	if (n < 2 || p[0] != AML_PACKAGE)
		return ACPI_E_S5_FORMAT;
	/* PkgLength: bits 7-6 of the lead byte count the bytes after it;
	 * it counts itself and everything up to the package's end. */
	lead = p[pos];
	extra = lead >> 6;
	if (n - pos < 1 + extra)
		return ACPI_E_S5_FORMAT;
	if (extra == 0) {
		pkglen = lead & 0x3f;
	} else {
		pkglen = lead & 0x0f;
		for (i = 1; i <= extra; i++)
			pkglen |= (size_t)p[pos + i] << (4 + 8 * (i - 1));
	}
	/* Room for the PkgLength, NumElements and two one-byte integers. */
	if (pkglen < 1 + extra + 3 || pkglen > n - pos)
		return ACPI_E_S5_FORMAT;
	end = pos + pkglen;
	pos += 1 + extra;
	if (p[pos++] < 2)
		return ACPI_E_S5_FORMAT;
	if (read_integer(p, &pos, end, &va) || read_integer(p, &pos, end, &vb))
		return ACPI_E_S5_FORMAT;
	if (va > SLP_TYP_MAX || vb > SLP_TYP_MAX)
		return ACPI_E_S5_FORMAT;
	*a = (uint8_t)va;
	*b = (uint8_t)vb;
	return ACPI_OK;
}

int
acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa,
             uint8_t *slp_typb)
{
	size_t i;

	/* The DSDT is kilobytes of AML scanned at every boot: the first
	 * byte is tested inline, and only a '_' costs a compare. */
	for (i = 1; i + 4 <= len; i++) {
		if (aml[i] != '_' || memcmp(aml + i, "_S5_", 4) != 0)
			continue;
		if (aml[i - 1] != AML_NAME &&
		    !(i >= 2 && aml[i - 1] == AML_ROOT &&
		      aml[i - 2] == AML_NAME))
			continue;
		return read_package(aml + i + 4, len - i - 4, slp_typa,
		                    slp_typb);
	}
	return ACPI_E_NO_S5;
}
