/*
 * shutdowntest: ShutdownControl seen from a program (boot suite cases
 * shutdown-bios and shutdown-uefi, manifest=shutdown).  As init it holds
 * the cap: it logs and checks what the kernel read from the ACPI tables
 * (describe), then starts a copy of itself as "noshutdown" with only the
 * console.  The copy has no way to the cap: the CapSet lookup fails, and
 * every cap id it can forge is refused.  Last, init powers the machine
 * off; the suite wants QEMU's own exit status 0, which isa-debug-exit
 * (the kernel's test verdicts) cannot give.  On a machine the kernel
 * cannot power off (shutdown-noacpi), powerOff must fail instead, and
 * init exits 0.
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"

/* Slots and generations swept with forged ids: the whole default table,
 * and the first generations a slot takes. */
#define FORGE_SLOTS 256u
#define FORGE_GENS  4u

static struct capos_call c;

static const char *
power_off_name(uint16_t m)
{
	return m == capos_PowerOffMethod_acpiS5 ? "ACPI S5" : "unavailable";
}

static const char *
reboot_name(uint16_t m)
{
	switch (m) {
	case capos_RebootMethod_resetRegister:
		return "the FADT reset register";
	case capos_RebootMethod_keyboardController:
		return "the keyboard controller";
	}
	return "a triple fault";
}

/* Returns whether the kernel says it can power off (ACPI S5). */
static bool
test_describe(capos_capid_t sd)
{
	capos_ShutdownControl_describe_Results_reader r;
	uint16_t off, reboot;
	int err;

	capos_ShutdownControl_describe_begin(&c);
	err = capos_ShutdownControl_describe_send(&c, sd);
	ktest_check(err == 0, "describe.answers", "%s", capos_strerror(err));
	if (err)
		return false;
	r = capos_ShutdownControl_describe_results(&c);
	off = capos_ShutdownControl_describe_Results_get_powerOff(r);
	reboot = capos_ShutdownControl_describe_Results_get_reboot(r);
	printf(
	    "shutdowntest: ACPI revision %u; power off: %s (PM1a %#x, "
	    "PM1b %#x, SLP_TYP %u/%u); reboot: %s; %u CPU(s), %u I/O "
	    "APIC(s), %u interrupt override(s)\n",
	    capos_ShutdownControl_describe_Results_get_acpiRevision(r),
	    power_off_name(off),
	    capos_ShutdownControl_describe_Results_get_pm1aControl(r),
	    capos_ShutdownControl_describe_Results_get_pm1bControl(r),
	    capos_ShutdownControl_describe_Results_get_sleepTypeA(r),
	    capos_ShutdownControl_describe_Results_get_sleepTypeB(r),
	    reboot_name(reboot),
	    capos_ShutdownControl_describe_Results_get_cpus(r),
	    capos_ShutdownControl_describe_Results_get_ioApics(r),
	    capos_ShutdownControl_describe_Results_get_interruptOverrides(r));
	/* The two machines the boot suite gives (the suite checks which
	 * one ran): QEMU q35, with ACPI S5 through the ICH9's PM1a and a
	 * reset register at 0xcf9; and q35 without QEMU's ACPI tables, whose
	 * SeaBIOS tables have no \_S5_ and no reset register.  Both: one
	 * CPU (-smp 1), one I/O APIC, IRQ 0 overridden to GSI 2. */
	if (off == capos_PowerOffMethod_acpiS5) {
		ktest_check(
		    capos_ShutdownControl_describe_Results_get_pm1aControl(r) !=
		        0,
		    "describe.power_off_acpi_s5", "no PM1a control port");
		ktest_check(reboot == capos_RebootMethod_resetRegister,
		            "describe.reboot_reset_register",
		            "see the line above");
	} else {
		ktest_check(off == capos_PowerOffMethod_unavailable,
		            "describe.power_off_unavailable",
		            "see the line above");
		ktest_check(reboot == capos_RebootMethod_keyboardController,
		            "describe.reboot_keyboard_controller",
		            "see the line above");
	}
	/* As many as QEMU's -smp gave (CAPOS_SMP; the boot suite checks
	 * the kernel's MADT line against it). */
	ktest_check(capos_ShutdownControl_describe_Results_get_cpus(r) >= 1,
	            "describe.cpus_listed", "see the line above");
	ktest_check(capos_ShutdownControl_describe_Results_get_ioApics(r) >= 1,
	            "describe.io_apic", "see the line above");
	ktest_check(
	    capos_ShutdownControl_describe_Results_get_interruptOverrides(r) >=
	        1,
	    "describe.interrupt_overrides", "see the line above");
	ktest_check(capnp_msg_error(&c.result_msg) == 0, "describe.well_formed",
	            "the answer did not read");
	return off == capos_PowerOffMethod_acpiS5;
}

static void
test_refusals(capos_capid_t sd)
{
	capos_capid_t other;

	capos_call_begin(&c);
	ktest_check_exception(
	    capos_call_send(&c, sd, capos_ShutdownControl_TYPE_ID, 3),
	    capos_ExceptionType_unimplemented, "unknown_ordinal.unimplemented");
	ktest_check(capos_capset_find("shutdown", capos_Timer_TYPE_ID,
	                              &other) == CAPOS_E_NOT_SUPPORTED,
	            "capset.other_interface_refused", "found as a Timer");
}

/* A call on a cap id the process did not get: refused before any
 * object, or (an id of its own, another interface) unimplemented. */
static bool
refused(int32_t r)
{
	return r == CAPOS_E_BAD_CAP ||
	       (r == CAPOS_E_APP_EXCEPTION && capos_last_exception() &&
	        capos_last_exception()->type ==
	            capos_ExceptionType_unimplemented);
}

/* The copy started without the cap. */
static int
no_cap(void)
{
	capos_capid_t sd, console;
	uint32_t slot, gen, accepted = 0;
	int32_t r;

	ktest_prefix("noshutdown.");
	ktest_check(capos_ShutdownControl_find("shutdown", &sd) ==
	                CAPOS_E_BAD_CAP,
	            "capset.no_shutdown", "a ShutdownControl named shutdown");
	ktest_check(capos_capset_find_interface(capos_ShutdownControl_TYPE_ID,
	                                        &sd) == CAPOS_E_BAD_CAP,
	            "capset.no_shutdown_interface",
	            "a ShutdownControl under another name");
	if (capos_Console_find("console", &console))
		return 1;
	/* Its own console's id, asked to power off. */
	capos_call_begin(&c);
	r = capos_call_send(&c, console, capos_ShutdownControl_TYPE_ID,
	                    capos_ShutdownControl_METHOD_powerOff);
	ktest_check_exception(r, capos_ExceptionType_unimplemented,
	                      "forged.console_id_unimplemented");
	/* Every id of the table, asked what describe answers (harmless,
	 * so a wrong acceptance shows as a failed check, not a power off). */
	for (slot = 0; slot < FORGE_SLOTS; slot++) {
		for (gen = 0; gen < FORGE_GENS; gen++) {
			capos_ShutdownControl_describe_begin(&c);
			r = capos_ShutdownControl_describe_send(
			    &c, capos_capid_make(slot, gen));
			if (!refused(r))
				accepted++;
		}
	}
	ktest_check(accepted == 0, "forged.every_id_refused",
	            "%u of %u ids answered as a ShutdownControl", accepted,
	            FORGE_SLOTS * FORGE_GENS);
	capos_ShutdownControl_powerOff_begin(&c);
	ktest_check_code(capos_ShutdownControl_powerOff_send(
	                     &c, capos_capid_make(FORGE_SLOTS - 1, 1)),
	                 CAPOS_E_BAD_CAP, "forged.free_slot_bad_cap");
	printf("noshutdown: %d failures\n", ktest_failures());
	return ktest_failures();
}

int
main(void)
{
	struct capos_spawn_grant g;
	capos_capid_t sd, spawner, console, handle;
	int32_t code = -1;
	bool can_power_off;
	int err;

	if (capos_ProcessSpawner_find("spawner", &spawner))
		return no_cap();
	ktest_prefix("shutdown.");
	err = capos_ShutdownControl_find("shutdown", &sd);
	ktest_check(err == 0, "capset.found", "%s", capos_strerror(err));
	if (err || capos_Console_find("console", &console))
		return 1;
	can_power_off = test_describe(sd);
	test_refusals(sd);

	g = (struct capos_spawn_grant){"console", console};
	err = capos_spawn(spawner, "noshutdown", "shutdowntest", &g, 1, NULL, 0,
	                  NULL, &handle, NULL);
	ktest_check(err == 0, "spawn.noshutdown", "%s", capos_strerror(err));
	if (!err) {
		err = capos_handle_wait(handle, &code);
		ktest_check(err == 0 && code == 0, "noshutdown.exit_0",
		            "%s, exit code %d", capos_strerror(err), code);
	}

	if (!can_power_off) {
		/* The call fails and the machine runs on. */
		capos_ShutdownControl_powerOff_begin(&c);
		ktest_check_exception(
		    capos_ShutdownControl_powerOff_send(&c, sd),
		    capos_ExceptionType_failed, "power_off.unavailable_fails");
		printf("shutdowntest: %d failures\n", ktest_failures());
		return ktest_failures();
	}
	printf("shutdowntest: %d failures\n", ktest_failures());
	if (ktest_failures())
		return ktest_failures();
	capos_ShutdownControl_powerOff_begin(&c);
	err = capos_ShutdownControl_powerOff_send(&c, sd);
	ktest_check(false, "power_off.never_answers", "answered %s",
	            capos_strerror(err));
	return 1;
}
