/*
 * The firmware's ACPI tables, read once at boot through lib/acpi and kept
 * for the kernel's later use (power, interrupt routing).  A missing or
 * malformed table is a boot log line and a fallback, never a panic.
 */
#ifndef CORE_ACPI_H
#define CORE_ACPI_H

#include "acpi/acpi.h"
#include "boot/mb2.h"

/* Reads the tables the loader's RSDP leads to and logs what was found;
 * after paging_init (tables are read through the direct map). */
void acpi_init(const struct mb2_info *mb);

/* What acpi_init found, or NULL when no root table could be read. */
const struct acpi_info *acpi_tables(void);

#endif
