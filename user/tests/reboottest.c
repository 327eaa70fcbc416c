/*
 * reboottest: ShutdownControl.reboot (boot suite case reboot-bios,
 * manifest=reboot).  Runs as init holding the cap and asks for a reset,
 * which never answers: QEMU runs with -no-reboot, so the reset ends it
 * with status 0, and the suite checks the transcript for the method used.
 */
#include "capos.h"
#include "capos_call.h"

#include "capos.capnp.client.h"

static struct capos_call c;

int
main(void)
{
	capos_capid_t sd;
	int err;

	ktest_prefix("reboot.");
	err = capos_ShutdownControl_find("shutdown", &sd);
	ktest_check(err == 0, "capset.found", "%s", capos_strerror(err));
	if (err)
		return 1;
	printf("reboottest: resetting the machine\n");
	capos_ShutdownControl_reboot_begin(&c);
	err = capos_ShutdownControl_reboot_send(&c, sd);
	ktest_check(false, "never_answers", "answered %s", capos_strerror(err));
	return 1;
}
