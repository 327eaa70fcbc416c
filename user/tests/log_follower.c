/*
 * log_follower: spawned by logtest with a Console and the LogReader
 * twice (as "logread" and "logread2").  It starts a follow that must
 * wait (at the log's next record) and releases the cap: the wait ends
 * CANCELLED.  Then it starts another through the second cap and exits
 * with it waiting: the kernel cancels it (the boot case's leak check
 * sees that every taken SQE was completed).  Exit code: its failures.
 */
#include "capos.h"

#include "capos.capnp.client.h"

#define MS 1000000ull

static struct capos_log_follow f1, f2;

int
main(void)
{
	capos_capid_t r1, r2;
	struct capos_log_stats s;
	struct capos_cqe cqe;
	uint64_t tag = capos_next_tag();
	int err;

	ktest_prefix("log.follower.");
	if (capos_capset_find("logread", capos_LogReader_TYPE_ID, &r1) ||
	    capos_capset_find("logread2", capos_LogReader_TYPE_ID, &r2)) {
		printf("KTEST not ok log.follower.capset: no readers\n");
		return 1;
	}
	err = capos_log_stats(r1, &s);
	if (!err)
		err = capos_log_follow_submit(&f1, r1, s.next, tag);
	ktest_check(err == 0, "follow_submitted", "%s", capos_strerror(err));
	if (err)
		return ktest_failures();
	err = capos_release_sync(r1);
	ktest_check(err == 0, "released", "%s", capos_strerror(err));
	err = capos_wait(tag, 5000 * MS, &cqe);
	ktest_check(err == 0 && cqe.result == CAPOS_E_CANCELLED,
	            "release_cancels_follow", "%s, CQE result %d",
	            capos_strerror(err), err ? 0 : cqe.result);
	tag = capos_next_tag();
	err = capos_log_stats(r2, &s);
	if (!err)
		err = capos_log_follow_submit(&f2, r2, s.next, tag);
	/* The kernel takes it now (cap_enter runs every pending SQE): it
	 * waits, so it has no CQE yet. */
	if (!err)
		err = capos_flush();
	ktest_check(err == 0 && capos_wait(tag, 0, &cqe) == CAPOS_E_TIMED_OUT,
	            "second_follow_waits", "%s", capos_strerror(err));
	/* Exits with the second follow waiting. */
	return ktest_failures();
}
