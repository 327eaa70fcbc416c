/*
 * init: the first and only process the kernel starts (docs/services.md).
 *
 * It reads the boot manifest through BootPackage, checks the whole
 * service graph (lib/manifest) before anything runs, then starts every
 * service in manifest order through ProcessSpawner with exactly the caps
 * its grants name: kernel caps from init's own CapSet, imports as the
 * client facet init holds for the exporter's endpoint, and a fresh
 * endpoint for every export and every `endpoint` grant.  Then it waits on
 * all ProcessHandles at once and applies each service's restart policy,
 * with a budget of RESTART_BUDGET restarts and a doubling back-off.
 *
 * Readiness: a service with awaitReady also gets an endpoint named
 * "ready" (CAPOS_SERVICE_READY_NAME), on which init calls
 * ServiceReady.ready at once; the service answers it when it serves
 * (capos_service_ready).  init starts no service listed after it until
 * it has answered, or has finished for good without ever answering.  An
 * instance that does not answer within its readyTimeoutMs is killed and
 * its restart policy applies; a service importing from one that never
 * reported ready is not started.
 *
 * Shutdown: services that export nothing are the ones that do the work;
 * once every one of them has finished for good, the rest (servers, which
 * would wait for calls forever) are killed, and their exit codes do not
 * count.  init's own exit code is 0 when every other service's final
 * exit code equals its expectExit, else 1 — which is what test manifests
 * check — and 1 at once when the manifest is refused.
 */
#include "capos.h"
#include "manifest/manifest.h"

#include <capos/kernel_caps.h>

#include "capos.capnp.h"

#define RESTART_BUDGET 3
/* readyTimeoutMs when the manifest leaves it 0. */
#define READY_TIMEOUT_DEFAULT_MS 5000u
#define MS                       1000000ull
#define BACKOFF_BASE_NS          10000000ull /* 10 ms, doubled per restart */
#define ANSWER_BUF               256
/* What a killed process's exit code is (the kernel's kill code). */
#define KILLED_CODE (-9)

_Static_assert(MANIFEST_MAX_GRANTS <= CAPOS_XFER_MAX,
               "every kernel and import grant fits one spawn CALL");

/* What init waits on for each service (supervise's tag slots). */
enum wait_kind {
	WAIT_RUN,   /* ProcessHandle.wait or the back-off sleep */
	WAIT_READY, /* ServiceReady.ready on the "ready" endpoint */
	WAIT_KINDS,
};

enum phase {
	PH_NEW,     /* not started yet */
	PH_RUNNING, /* a ProcessHandle.wait is in flight */
	PH_BACKOFF, /* a Timer.sleep before the restart is in flight */
	PH_DONE,    /* finished for good */
};

struct service {
	const struct manifest_service *cfg;
	enum phase phase;
	capos_capid_t handle;
	/* Client facets of the current instance's endpoints: exports (to
	 * hand to importers) and endpoint grants (kept, unused). */
	capos_capid_t exports[MANIFEST_MAX_EXPORTS];
	capos_capid_t privates[MANIFEST_MAX_ENDPOINTS];
	uint32_t nprivates;
	uint32_t restarts;
	int32_t code; /* exit code of the last run */
	bool ran;     /* has exited at least once */
	bool never_started;
	bool kill_sent; /* init stopped it at shutdown */
	/* Readiness (cfg->await_ready): the client facet of the current
	 * instance's "ready" endpoint, whether its ready call is in flight
	 * and when it must have been answered, and whether any instance
	 * has answered. */
	capos_capid_t ready_facet;
	bool ready_inflight;
	bool ready;
	bool ready_late; /* killed for missing its deadline */
	uint64_t ready_deadline;
	struct capos_call_desc ready_call;
	uint64_t ready_tag;
	uint8_t ready_answer[ANSWER_BUF] __attribute__((aligned(8)));
	/* The call in flight (ProcessHandle.wait or a back-off sleep) and
	 * its user_data. */
	struct capos_call_desc call;
	uint64_t tag;
	uint8_t answer[ANSWER_BUF] __attribute__((aligned(8)));
};

static struct manifest mf;
static struct service services[MANIFEST_MAX_SERVICES];
static capos_capid_t bootpkg, spawner, timer;
static bool have_timer, shutting_down;
/* Services [0, next_start) have been started (or given up on). */
static uint32_t next_start;

static const char *
why(int err)
{
	if (err == CAPOS_E_APP_EXCEPTION)
		return capos_last_exception()->message;
	return capos_strerror(err);
}

/* The kernel cap init holds under name (validation checked it exists). */
static capos_capid_t
kernel_cap(struct capnp_text name)
{
	capos_capid_t cap = 0;

	capos_capset_find(name.str, manifest_kernel_cap_interface(name), &cap);
	return cap;
}

/* Releases the caps of a finished instance before a new one is made. */
static void
drop_instance(struct service *s)
{
	uint32_t i;

	if (s->handle)
		capos_release(s->handle);
	for (i = 0; i < s->cfg->nexports; i++)
		if (s->exports[i])
			capos_release(s->exports[i]);
	for (i = 0; i < s->nprivates; i++)
		capos_release(s->privates[i]);
	if (s->ready_facet)
		capos_release(s->ready_facet);
	s->ready_facet = 0;
	s->handle = 0;
	memset(s->exports, 0, sizeof(s->exports));
	s->nprivates = 0;
}

static void
release_all(const capos_capid_t *caps, uint32_t n)
{
	while (n--)
		capos_release(caps[n]);
}

/* A launcher grant: init's spawner narrowed to the listed binaries. */
static int
make_launcher(const struct manifest_grant *g, capos_capid_t *out)
{
	const char *names[CAPOS_LAUNCHER_BINARIES_MAX];
	uint32_t i, n = capnp_list_len(g->launcher);

	if (n > CAPOS_LAUNCHER_BINARIES_MAX)
		return CAPOS_E_BAD_ARG; /* the manifest check refuses it */
	for (i = 0; i < n; i++)
		names[i] = capnp_ref_text(capnp_elem(g->launcher, i)).str;
	return capos_spawner_narrow(spawner, names, n, out);
}

/* How long s has to answer its ready call. */
static uint64_t
ready_timeout_ns(const struct service *s)
{
	uint32_t ms = s->cfg->ready_timeout_ms ? s->cfg->ready_timeout_ms
	                                       : READY_TIMEOUT_DEFAULT_MS;

	return ms * MS;
}

/* Calls ServiceReady.ready on the new instance's "ready" endpoint; the
 * service answers once it serves.  The deadline starts now. */
static int
ask_ready(struct service *s)
{
	uint64_t now = 0;
	int err;

	s->ready_late = false;
	s->ready_call = (struct capos_call_desc){
	    .cap = s->ready_facet,
	    .interface_id = capos_ServiceReady_TYPE_ID,
	    .method = capos_ServiceReady_METHOD_ready,
	    .result = s->ready_answer,
	    .result_cap = sizeof(s->ready_answer),
	};
	err = capos_timer_now(timer, &now);
	if (err)
		return err;
	s->ready_deadline = now + ready_timeout_ns(s);
	s->ready_tag = capos_next_tag();
	err = capos_call_submit(&s->ready_call, s->ready_tag);
	if (err)
		return err;
	s->ready_inflight = true;
	return 0;
}

/*
 * Spawns one instance of s with exactly its grants, in CapSet order:
 * kernel and import grants, then the owner sides of its endpoint grants,
 * then of its exports.  Then waits on it asynchronously.
 */
static int
start(struct service *s)
{
	const struct manifest_service *c = s->cfg;
	struct capos_spawn_grant grants[MANIFEST_MAX_GRANTS];
	struct capos_spawn_endpoint eps[MANIFEST_MAX_ENDPOINTS];
	capos_capid_t clients[MANIFEST_MAX_ENDPOINTS];
	struct capos_spawn_limits limits = {
	    c->limits.cap_slots,      c->limits.outstanding_calls,
	    c->limits.endpoint_queue, c->limits.frames,
	    c->limits.threads,        c->limits.virtual_pages};
	/* Launchers made for this spawn: the child gets its own copies. */
	capos_capid_t launchers[MANIFEST_MAX_GRANTS];
	uint32_t i, ng = 0, ne = 0, nl = 0;
	int err;

	for (i = 0; i < c->ngrants; i++) {
		const struct manifest_grant *g = &c->grants[i];
		capos_capid_t cap;

		if (g->source == MANIFEST_SRC_ENDPOINT)
			continue;
		if (g->source == MANIFEST_SRC_KERNEL) {
			cap = kernel_cap(g->kernel);
		} else if (g->source == MANIFEST_SRC_LAUNCHER) {
			err = make_launcher(g, &cap);
			if (err) {
				printf("init: cannot start %s: its launcher "
				       "%s: %s\n",
				       c->name.str, g->name.str, why(err));
				release_all(launchers, nl);
				return err;
			}
			launchers[nl++] = cap;
		} else {
			const struct service *from = &services[g->from_service];

			cap = from->exports[g->from_export];
			if (from->cfg->await_ready && !from->ready) {
				printf("init: cannot start %s: service %s, "
				       "which it imports from, never reported "
				       "ready\n",
				       c->name.str, g->import_service.str);
				return CAPOS_E_BAD_CAP;
			}
			if (!cap) {
				printf("init: cannot start %s: service %s, "
				       "which it imports from, did not "
				       "start\n",
				       c->name.str, g->import_service.str);
				return CAPOS_E_BAD_CAP;
			}
		}
		grants[ng++] = (struct capos_spawn_grant){g->name.str, cap};
	}
	for (i = 0; i < c->ngrants; i++)
		if (c->grants[i].source == MANIFEST_SRC_ENDPOINT)
			eps[ne++] = (struct capos_spawn_endpoint){
			    c->grants[i].name.str, c->grants[i].interface_id};
	for (i = 0; i < c->nexports; i++)
		eps[ne++] = (struct capos_spawn_endpoint){
		    c->exports[i].name.str, c->exports[i].interface_id};
	if (c->await_ready)
		eps[ne++] = (struct capos_spawn_endpoint){
		    CAPOS_SERVICE_READY_NAME, capos_ServiceReady_TYPE_ID};

	drop_instance(s);
	err = capos_spawn(spawner, c->name.str, c->binary.str, grants, ng, eps,
	                  ne, &limits, &s->handle, clients);
	release_all(launchers, nl);
	if (err) {
		printf("init: cannot start %s (%s): %s\n", c->name.str,
		       c->binary.str, why(err));
		s->handle = 0;
		return err;
	}
	s->nprivates = ne - c->nexports - (c->await_ready ? 1 : 0);
	for (i = 0; i < s->nprivates; i++)
		s->privates[i] = clients[i];
	for (i = 0; i < c->nexports; i++)
		s->exports[i] = clients[s->nprivates + i];
	printf("init: started %s (%s)\n", c->name.str, c->binary.str);
	if (c->await_ready) {
		s->ready_facet = clients[ne - 1];
		err = ask_ready(s);
		if (err) {
			printf("init: cannot ask %s whether it is ready: %s\n",
			       c->name.str, why(err));
			capos_handle_kill(s->handle);
		}
	}
	s->tag = capos_next_tag();
	err = capos_handle_wait_submit(&s->call, s->handle, s->answer,
	                               sizeof(s->answer), s->tag);
	if (err) {
		printf("init: cannot wait for %s: %s\n", c->name.str, why(err));
		capos_handle_kill(s->handle);
		return err;
	}
	s->phase = PH_RUNNING;
	return 0;
}

static void
start_or_give_up(struct service *s)
{
	if (start(s)) {
		s->phase = PH_DONE;
		if (!s->ran)
			s->never_started = true;
	}
}

static bool
wants_restart(const struct service *s)
{
	switch (s->cfg->restart) {
	case capos_RestartPolicy_always:
		return true;
	case capos_RestartPolicy_onFailure:
		return s->code != 0;
	default:
		return false;
	}
}

/*
 * The instance is gone: its ready call, if still in flight, can only end
 * in failure.  Dropping the facet cancels it, so its one completion is
 * there to take now, and no late answer is mistaken for the next
 * instance's.
 */
static void
ready_abandon(struct service *s)
{
	struct capos_cqe cqe;

	if (!s->ready_inflight)
		return;
	capos_release_sync(s->ready_facet);
	s->ready_facet = 0;
	capos_wait(s->ready_tag, CAPOS_TIMEOUT_INFINITE, &cqe);
	s->ready_inflight = false;
}

/* The ready call of s completed: the service is ready, or will not be. */
static void
ready_answered(struct service *s, const struct capos_cqe *cqe)
{
	struct capos_reply r;
	int err = capos_call_complete(&s->ready_call, cqe, &r);

	s->ready_inflight = false;
	if (err) {
		/* It exits or dropped the endpoint: its exit says the rest. */
		printf("init: %s did not report ready: %s\n", s->cfg->name.str,
		       why(err));
		return;
	}
	s->ready = true;
	printf("init: %s is ready\n", s->cfg->name.str);
}

/* Kills every instance whose ready deadline has passed; returns the
 * time to the nearest deadline still ahead (CAPOS_TIMEOUT_INFINITE when
 * none is). */
static uint64_t
ready_deadlines(void)
{
	uint64_t now = 0, next = CAPOS_TIMEOUT_INFINITE;
	uint32_t i;
	bool any = false;

	for (i = 0; i < mf.nservices; i++)
		any |= services[i].ready_inflight;
	if (!any || capos_timer_now(timer, &now))
		return CAPOS_TIMEOUT_INFINITE;
	for (i = 0; i < mf.nservices; i++) {
		struct service *s = &services[i];

		if (!s->ready_inflight || s->ready_late)
			continue;
		if (now >= s->ready_deadline) {
			printf("init: %s did not report ready within %lu "
			       "ms\n",
			       s->cfg->name.str,
			       (unsigned long)(ready_timeout_ns(s) / MS));
			s->ready_late = true;
			capos_handle_kill(s->handle);
			continue;
		}
		if (s->ready_deadline - now < next)
			next = s->ready_deadline - now;
	}
	return next;
}

/* A run of s ended with code: restart it (after a back-off) or not. */
static void
exited(struct service *s, int32_t code)
{
	const char *name = s->cfg->name.str;

	s->code = code;
	s->ran = true;
	printf("init: %s exited with code %d\n", name, code);
	ready_abandon(s);
	if (shutting_down || !wants_restart(s)) {
		s->phase = PH_DONE;
		return;
	}
	if (s->restarts == RESTART_BUDGET) {
		printf("init: %s crash loop, giving up\n", name);
		s->phase = PH_DONE;
		return;
	}
	s->restarts++;
	printf("init: restarting %s (restart %u of %u)\n", name, s->restarts,
	       RESTART_BUDGET);
	s->tag = capos_next_tag();
	if (have_timer &&
	    capos_timer_sleep_submit(
	        &s->call, timer, BACKOFF_BASE_NS << (s->restarts - 1),
	        s->answer, sizeof(s->answer), s->tag) == 0) {
		s->phase = PH_BACKOFF;
		return;
	}
	start_or_give_up(s); /* no timer: restart at once */
}

static void
completed(struct service *s, const struct capos_cqe *cqe)
{
	struct capos_reply r;
	int32_t code = 0;
	int err;

	if (s->phase == PH_BACKOFF) {
		capos_call_complete(&s->call, cqe, &r);
		if (shutting_down)
			s->phase = PH_DONE;
		else
			start_or_give_up(s);
		return;
	}
	err = capos_handle_wait_complete(&s->call, cqe, &code);
	if (err) {
		/* We cannot learn how it ended: count it as a failure. */
		printf("init: waiting for %s failed: %s\n", s->cfg->name.str,
		       why(err));
		code = -1;
	}
	exited(s, code);
}

/* Every service that exports nothing has finished for good. */
static bool
workers_done(void)
{
	uint32_t i;

	for (i = 0; i < mf.nservices; i++)
		if (services[i].cfg->nexports == 0 &&
		    services[i].phase != PH_DONE)
			return false;
	return true;
}

static void
shut_down(void)
{
	uint32_t i;

	shutting_down = true;
	for (i = 0; i < mf.nservices; i++) {
		struct service *s = &services[i];

		if (s->phase != PH_RUNNING)
			continue;
		printf("init: stopping %s\n", s->cfg->name.str);
		s->kill_sent = true;
		capos_handle_kill(s->handle);
	}
}

static uint64_t
read_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Whether the next service may start: every service started before it
 * that must report ready has, or has finished for good. */
static bool
gate_open(void)
{
	uint32_t i;

	for (i = 0; i < next_start; i++) {
		const struct service *s = &services[i];

		if (s->cfg->await_ready && !s->ready && s->phase != PH_DONE)
			return false;
	}
	return true;
}

/* Starts services in manifest order as far as the readiness gate lets. */
static void
start_next(void)
{
	static bool announced;

	if (announced)
		return;
	while (!shutting_down && next_start < mf.nservices && gate_open())
		start_or_give_up(&services[next_start++]);
	/* The TSC counts guest instructions under QEMU's icount: make
	 * bench reads this line for the boot-to-services-started figure. */
	if (next_start < mf.nservices)
		return;
	announced = true;
	printf("init: all %u services started (tsc %lu)\n", mf.nservices,
	       (unsigned long)read_tsc());
}

static void
supervise(void)
{
	uint64_t tags[MANIFEST_MAX_SERVICES * WAIT_KINDS];
	struct capos_cqe cqe;
	uint32_t i, which, n;
	int err;

	for (;;) {
		start_next();
		if (!shutting_down && workers_done())
			shut_down();
		n = 0;
		for (i = 0; i < mf.nservices; i++) {
			const struct service *s = &services[i];
			bool busy =
			    s->phase == PH_RUNNING || s->phase == PH_BACKOFF;

			tags[i * WAIT_KINDS + WAIT_RUN] = busy ? s->tag : 0;
			tags[i * WAIT_KINDS + WAIT_READY] =
			    s->ready_inflight ? s->ready_tag : 0;
			n += busy;
		}
		if (n == 0)
			return;
		err = capos_wait_any(tags, mf.nservices * WAIT_KINDS,
		                     ready_deadlines(), &which, &cqe);
		if (err == CAPOS_E_TIMED_OUT)
			continue; /* a ready deadline: checked next round */
		if (err) {
			/* Only a broken ring gets here; retrying would spin. */
			printf("init: waiting for services failed: %s\n",
			       why(err));
			return;
		}
		if (which % WAIT_KINDS == WAIT_READY)
			ready_answered(&services[which / WAIT_KINDS], &cqe);
		else
			completed(&services[which / WAIT_KINDS], &cqe);
	}
}

/* The test-mode verdict: every final exit code as expected. */
static int
verdict(void)
{
	uint32_t i, bad = 0;

	for (i = 0; i < mf.nservices; i++) {
		struct service *s = &services[i];
		const char *name = s->cfg->name.str;

		if (s->never_started) {
			printf("init: %s never started\n", name);
			bad++;
		} else if (s->kill_sent && s->code == KILLED_CODE) {
			continue; /* stopped at shutdown: not counted */
		} else if (s->code != s->cfg->expect_exit) {
			printf("init: %s exited with code %d, expected %d\n",
			       name, s->code, s->cfg->expect_exit);
			bad++;
		}
	}
	if (bad) {
		printf("init: %u service(s) did not end as expected\n", bad);
		return 1;
	}
	printf("init: all services ended as expected\n");
	return 0;
}

int
main(void)
{
	struct manifest_error merr;
	void *buf;
	size_t len;
	uint32_t i;
	int err;

	if (capos_capset_find("bootpkg", capos_BootPackage_TYPE_ID, &bootpkg) ||
	    capos_capset_find("spawner", capos_ProcessSpawner_TYPE_ID,
	                      &spawner)) {
		printf("init: no BootPackage or ProcessSpawner in my CapSet\n");
		return 2;
	}
	have_timer =
	    capos_capset_find("timer", capos_Timer_TYPE_ID, &timer) == 0;
	err = capos_bootpkg_read_manifest(bootpkg, &buf, &len);
	if (err) {
		printf("init: cannot read the manifest: %s\n", why(err));
		return 2;
	}
	/* The whole graph is checked before anything is started. */
	if (manifest_check(&mf, buf, len, &merr)) {
		printf("init: manifest refused: %s\n", merr.msg);
		return 1;
	}
	printf("init: manifest accepted: %u binaries, %u services\n",
	       mf.nbinaries, mf.nservices);
	for (i = 0; i < mf.nservices; i++)
		services[i].cfg = &mf.services[i];
	supervise();
	return verdict();
}
