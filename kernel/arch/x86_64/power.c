/*
 * Power off and reset (power.h).  Each step waits a bounded time for the
 * machine to act before it gives up: a firmware that ignores the write
 * must not hang the kernel.
 */
#include "core/kernel.h"
#include "core/clock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/power.h"
#include "arch/x86_64/serial.h"

#define KBC_STATUS        0x64
#define KBC_INPUT_FULL    0x02
#define KBC_RESET_PULSE   0xfe
#define ACT_WAIT_NS       100000000ull /* 100 ms for a write to take effect */
#define ACPI_MODE_WAIT_NS 300000000ull /* 300 ms for SMM to enter ACPI mode */
#define POLL_NS           1000000ull

static struct power_methods methods;
static const struct acpi_info *acpi;

static const char *
reset_name(enum power_reset_method m)
{
	switch (m) {
	case POWER_RESET_ACPI:
		return "the FADT reset register";
	case POWER_RESET_KEYBOARD:
		return "the keyboard controller";
	case POWER_RESET_TRIPLE_FAULT:
		return "a triple fault";
	}
	return "?";
}

void
power_init(const struct acpi_info *tables)
{
	acpi = tables;
	methods.reset = POWER_RESET_KEYBOARD;
	if (tables && tables->fadt_error == ACPI_OK &&
	    tables->fadt.reset_supported &&
	    tables->fadt.reset_reg.space == ACPI_GAS_IO &&
	    tables->fadt.reset_reg.address <= 0xffff)
		methods.reset = POWER_RESET_ACPI;
	if (tables && tables->fadt_error == ACPI_OK &&
	    tables->s5_error == ACPI_OK && tables->fadt.pm1a_cnt != 0) {
		methods.acpi_off = true;
		methods.pm1a_cnt = tables->fadt.pm1a_cnt;
		methods.pm1b_cnt = tables->fadt.pm1b_cnt;
		methods.slp_typa = tables->slp_typa;
		methods.slp_typb = tables->slp_typb;
		kprintf("power: off through ACPI S5 (PM1a control %#x, SLP_TYP "
		        "%u); reboot through %s\n",
		        methods.pm1a_cnt, methods.slp_typa,
		        reset_name(methods.reset));
	} else {
		kprintf("power: no ACPI S5, power off unavailable; reboot "
		        "through %s\n",
		        reset_name(methods.reset));
	}
}

const struct power_methods *
power_methods(void)
{
	return &methods;
}

/* SCI_EN set means ACPI mode; else ask the firmware through SMI_CMD. */
static void
enter_acpi_mode(void)
{
	uint64_t waited;

	if (inw(methods.pm1a_cnt) & ACPI_PM1_SCI_EN)
		return;
	if (!acpi->fadt.smi_cmd || !acpi->fadt.acpi_enable)
		return;
	outb(acpi->fadt.smi_cmd, acpi->fadt.acpi_enable);
	for (waited = 0; waited < ACPI_MODE_WAIT_NS; waited += POLL_NS) {
		if (inw(methods.pm1a_cnt) & ACPI_PM1_SCI_EN)
			return;
		clock_spin_ns(POLL_NS);
	}
}

static void
write_sleep(uint16_t port, uint8_t slp_typ)
{
	uint16_t v = inw(port);

	v &= (uint16_t) ~(ACPI_PM1_SLP_TYP(7) | ACPI_PM1_SLP_EN);
	outw(port, v | ACPI_PM1_SLP_TYP(slp_typ) | ACPI_PM1_SLP_EN);
}

const char *
power_off(void)
{
	bool irq;

	if (!methods.acpi_off)
		return "no ACPI S5: the firmware gave no PM1a control port "
		       "or \\_S5_ sleep type";
	kprintf("power: off (ACPI S5)\n");
	serial_flush();
	irq = irq_save();
	enter_acpi_mode();
	write_sleep(methods.pm1a_cnt, methods.slp_typa);
	if (methods.pm1b_cnt)
		write_sleep(methods.pm1b_cnt, methods.slp_typb);
	clock_spin_ns(ACT_WAIT_NS);
	irq_restore(irq);
	kprintf("power: the machine is still on after the ACPI S5 write\n");
	return "the machine did not power off after the ACPI S5 write";
}

static void
reset_keyboard(void)
{
	uint64_t waited;

	/* A missing controller reads all ones: nothing to ask. */
	for (waited = 0; waited < ACT_WAIT_NS; waited += POLL_NS) {
		uint8_t st = inb(KBC_STATUS);

		if (st == 0xff)
			return;
		if (!(st & KBC_INPUT_FULL))
			break;
		clock_spin_ns(POLL_NS);
	}
	outb(KBC_STATUS, KBC_RESET_PULSE);
	clock_spin_ns(ACT_WAIT_NS);
}

/* An empty IDT: the next exception cannot be delivered, nor the double
 * fault after it, and the CPU resets. */
static void __attribute__((noreturn)) triple_fault(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = {0, 0};

	__asm__ volatile("lidt %0; int3" : : "m"(idtr));
	for (;;)
		__asm__ volatile("hlt");
}

/* One method did not reset the machine: say so before the next. */
static void
still_running(enum power_reset_method next)
{
	kprintf("power: still running; reboot through %s\n", reset_name(next));
	serial_flush();
}

void
power_reboot(void)
{
	kprintf("power: reboot through %s\n", reset_name(methods.reset));
	serial_flush();
	cli();
	if (methods.reset == POWER_RESET_ACPI) {
		outb((uint16_t)acpi->fadt.reset_reg.address,
		     acpi->fadt.reset_value);
		clock_spin_ns(ACT_WAIT_NS);
		still_running(POWER_RESET_KEYBOARD);
	}
	if (methods.reset != POWER_RESET_TRIPLE_FAULT) {
		reset_keyboard();
		still_running(POWER_RESET_TRIPLE_FAULT);
	}
	triple_fault();
}
