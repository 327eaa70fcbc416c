/*
 * quota_child: spawned by ipctest with a small budget and a copy of the
 * ProcessSpawner.  Whatever spawner it holds, it cannot give a child more
 * than it has left: asks beyond that are refused before anything exists,
 * a carve stays taken while its child lives and comes back when it dies.
 * ipctest spawns it with frames = 600, capSlots = 40, outstandingCalls = 4,
 * endpointQueue = 4, virtualPages = 4096.  KTEST lines; exits with the number of failures.
 */
#include "capos.h"

#include "capos.capnp.h"

#define MS 1000000ull

static capos_capid_t spawner, console;

/* Spawns binary (ipc_echo gets a "mute" endpoint it never serves). */
static int
spawn(const char *binary, const struct capos_spawn_limits *lim,
      capos_capid_t *handle, capos_capid_t *client)
{
	struct capos_spawn_grant g = {"console", console};
	struct capos_spawn_endpoint ep = {"mute", capos_Echo_TYPE_ID};
	bool echo = strcmp(binary, "ipc_echo") == 0;

	return capos_spawn(spawner, binary, binary, &g, 1, &ep, echo ? 1 : 0,
	                   lim, handle, client);
}

static void
refused(const char *name, struct capos_spawn_limits lim)
{
	capos_capid_t h, cl;
	int r = spawn("nop", &lim, &h, &cl);

	ktest_check(r == CAPOS_E_QUOTA, name, "spawn %d (%s)", r,
	            capos_strerror(r));
	if (r == 0)
		capos_release_sync(h);
}

int
main(void)
{
	struct capos_spawn_limits lim;
	capos_capid_t a, a_client, b, b_client, c;
	int32_t code = -1;
	int r;

	ktest_prefix("quota.");
	if (capos_capset_find("spawner", capos_ProcessSpawner_TYPE_ID,
	                      &spawner) ||
	    capos_capset_find("console", capos_Console_TYPE_ID, &console))
		return 99;

	refused("child_frames_over_budget_refused",
	        (struct capos_spawn_limits){.frames = 601});
	refused("child_cap_slots_over_budget_refused",
	        (struct capos_spawn_limits){.cap_slots = 41});
	refused("child_outstanding_calls_over_own_refused",
	        (struct capos_spawn_limits){.outstanding_calls = 5});
	refused("child_endpoint_queue_over_own_refused",
	        (struct capos_spawn_limits){.endpoint_queue = 5});
	refused("child_virtual_pages_over_own_refused",
	        (struct capos_spawn_limits){.virtual_pages = 4097});

	/* A child holding 300 frames: the next 300 do not fit beside it
	 * and our own use. */
	lim = (struct capos_spawn_limits){.frames = 300, .cap_slots = 8};
	r = spawn("ipc_echo", &lim, &a, &a_client);
	ktest_check(r == 0, "carve_fits", "spawn %d (%s)", r,
	            capos_strerror(r));
	if (r)
		return ktest_failures();
	r = spawn("ipc_echo", &lim, &b, &b_client);
	ktest_check(r == CAPOS_E_QUOTA, "carve_not_granted_twice",
	            "second spawn %d (%s)", r, capos_strerror(r));
	if (r == 0)
		capos_handle_kill(b);
	/* Defaults take at most half of what is left: it fits. */
	r = spawn("nop", NULL, &c, NULL);
	ktest_check(r == 0 && capos_handle_wait(c, &code) == 0 && code == 0,
	            "default_limits_fit_in_what_is_left", "spawn %d, exit %d",
	            r, code);
	if (r == 0)
		capos_release_sync(c);
	/* The carve comes back when its child is gone. */
	capos_handle_kill(a);
	capos_handle_wait(a, &code);
	capos_release_sync(a);
	capos_release_sync(a_client);
	r = spawn("ipc_echo", &lim, &b, &b_client);
	ktest_check(r == 0, "carve_returned_when_child_dies", "spawn %d (%s)",
	            r, capos_strerror(r));
	if (r == 0) {
		capos_handle_kill(b);
		capos_handle_wait(b, &code);
		capos_release_sync(b);
		capos_release_sync(b_client);
	}
	return ktest_failures();
}
