/*
 * smpstress: the SMP stress cases (docs/testing.md, "The SMP matrix"),
 * run as init of tests/boot/manifests/smpstress.capnp.  Every case is
 * threads of this one process (libcapos threads) racing on one kernel
 * object; on one CPU they interleave by preemption, and once the kernel
 * runs threads on several CPUs they race for real.  The suite smp
 * (tests/boot/smp.sh) boots it at -smp 1, 2 and 4; booted as init of
 * smpstress_long.capnp (hostname "smpstress-long") it runs every case
 * LONG_SCALE times as long, for `make stress-smp`.  The same binary is
 * its own server and victim (the boot image has room for few more
 * modules: lib/boot/mb2.h), chosen by the endpoint it was granted:
 * "peer" or "victim".
 *
 *   - ipc: NCLIENTS threads CALL one endpoint served by several threads
 *     of the peer (this binary); every call is answered once with its own
 *     payload, and the server counted each exactly once;
 *   - caps: threads copy caps into the table (Echo.bounce of a copy),
 *     move them (bounce of a move: the old id goes stale), use them and
 *     release them (at once and queued); then all threads race to
 *     release the same copies: each is released exactly once;
 *   - mem: threads map one MemoryObject, write through their mapping and
 *     read it back through the main mapping (and the other way), touch
 *     every page, unmap, while other threads write and check their own
 *     pages through the main mapping; no touch ever lands on an unmapped
 *     range, but the unmaps race with touches of other ranges;
 *   - overlap: one echo is held by its server thread after its handler
 *     built the answer, until another server thread has built another
 *     answer; both callers get their own payload back (server threads
 *     once shared one answer buffer, user/lib/serve.c);
 *   - kill: the victim (this binary) spins on several threads; threads here
 *     hammer its endpoint while it is killed through its ProcessHandle:
 *     wait answers -9, every call was answered with its payload or
 *     disconnected, and the endpoint is disconnected afterwards.
 *
 * After each case the ledgers must be back at the baseline taken before
 * the first: free cap slots (counted by filling the table with
 * ProcessSpawner.narrow copies until QUOTA), free thread slots (threads
 * started until QUOTA), free frames (SystemInfo.memory) and processes
 * (SystemInfo.processCount).  KTEST lines ("smp."); exits with the
 * number of failures, and the kernel's supervisor checks every ledger of
 * its own after everything has exited.
 */
#include "capos.h"
#include "capos_call.h"
#include "capos_serve.h"

#include "capos.capnp.client.h"
#include "fmt/fmt.h"

#define MS         1000000ull
#define LONG_SCALE 10
#define PAGE       4096u

#define NCLIENTS     6
#define CALLS_EACH   (400 * scale)
#define MSG_MAX      256
#define NCAPPERS     4
#define CAP_ROUNDS   (150 * scale)
#define NRACE        32 /* copies every capper tries to release */
#define NMAPPERS     4
#define NTOUCHERS    2
#define MAP_ROUNDS   (60 * scale)
#define MEM_PAGES    (2 * NMAPPERS + NTOUCHERS)
#define KILL_ROUNDS  (4 * scale)
#define NHAMMERS     3
#define HAMMER_BURST 16            /* calls between two pauses */
#define HAMMER_PAUSE (200 * 1000u) /* ns */
#define VICTIM_SPIN  3             /* the victim's spinning threads */
#define SERVERS      4             /* the peer's threads, all receiving */
#define SERVE_BUF    1024
#define PROBE_MAX    512 /* more than a cap table holds */

static capos_capid_t spawner, console, timer, null, sysinfo, threads, park,
    frames, vm;
static capos_capid_t peer_handle, peer;
static uint32_t scale = 1;
/* The warm-up pass: every case once before the baseline, so that the
 * heaps and the kernel's caches have grown to what the cases use; its
 * checks are counted (smp.warmup.every_case_passed), not reported. */
static bool warming;
static uint32_t warm_failures;
#define CHECK(ok, name, ...)                                                   \
	do {                                                                   \
		if (!warming) {                                                \
			ktest_check(ok, name, __VA_ARGS__);                    \
		} else if (!(ok)) {                                            \
			warm_failures++;                                       \
			printf("smpstress: warm-up: %s failed\n", name);       \
		}                                                              \
	} while (0)

/* --- the peer and the victim: this binary as a child ------------------- */

/*
 * The peer (granted the owner side "peer") serves Echo from SERVERS
 * threads at once, all receiving on the one owner side:
 *   - echo answers with its data and counts the call;
 *   - echo of exactly the four bytes "CNT?" answers with the count so
 *     far (8 bytes) and is not counted itself: the client checks that
 *     the server answered every call once;
 *   - bounce moves the cap it was sent straight back.
 * The victim (granted "victim") starts VICTIM_SPIN threads that spin
 * without entering the kernel, and serves echo from its main thread only
 * once every one of them has counted: the first answer means they all
 * run.  Both run until smpstress kills them.
 */
static capos_capid_t serve_owner;
static uint64_t served;
static uint8_t serve_bufs[SERVERS][SERVE_BUF] __attribute__((aligned(8)));
/* overlap: a HOLD echo is being held; echoes answered meanwhile. */
static uint32_t holding, held_over;
#define HOLD_SPINS (1u << 28) /* a bound: the client keeps calling */
static volatile uint64_t spins[VICTIM_SPIN];

static int
do_echo(void *self, struct rpc_call *call, capos_Echo_echo_Params_reader p,
        capos_Echo_echo_Results_builder r)
{
	struct capnp_data d = capos_Echo_echo_Params_get_data(p);

	(void)self;
	(void)call;
	if (d.len == 4 && memcmp(d.ptr, "CNT?", 4) == 0) {
		uint64_t n = __atomic_load_n(&served, __ATOMIC_SEQ_CST);

		capos_Echo_echo_Results_set_data(r, &n, sizeof(n));
		return RPC_OK;
	}
	/* No client sends an empty echo: say what this receive held. */
	if (d.len == 0) {
		const struct capos_recv_header *h =
		    capos_server_call_of(call)->hdr;

		printf(
		    "smpstress: peer: empty echo received in buffer %lu: "
		    "call %lu, method %u, params_len %u, interface %#lx\n",
		    (unsigned long)(((const uint8_t *)h - &serve_bufs[0][0]) /
		                    SERVE_BUF),
		    (unsigned long)h->call_id, h->method, h->params_len,
		    (unsigned long)h->interface_id);
	}
	__atomic_add_fetch(&served, 1, __ATOMIC_SEQ_CST);
	capos_Echo_echo_Results_set_data(r, d.ptr, d.len);
	if (d.len > 4 && memcmp(d.ptr, "HOLD", 4) == 0) {
		/* The answer is built: wait for another thread to build
		 * one before this one goes out. */
		uint32_t spins = 0;

		__atomic_store_n(&held_over, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(&holding, 1, __ATOMIC_SEQ_CST);
		while (!__atomic_load_n(&held_over, __ATOMIC_SEQ_CST) &&
		       ++spins < HOLD_SPINS)
			__asm__ volatile("pause");
		__atomic_store_n(&holding, 0, __ATOMIC_SEQ_CST);
	} else if (__atomic_load_n(&holding, __ATOMIC_SEQ_CST)) {
		__atomic_add_fetch(&held_over, 1, __ATOMIC_SEQ_CST);
	}
	return RPC_OK;
}

static int
do_bounce(void *self, struct rpc_call *call, capos_Echo_bounce_Params_reader p,
          capos_Echo_bounce_Results_builder r)
{
	struct capos_server_call *sc = capos_server_call_of(call);
	const struct capos_cap_record *rec = capos_serve_param_cap(sc, 0);

	(void)self;
	(void)p;
	if (!rec)
		return RPC_OK;
	capnp_slot_set_cap(
	    capos_Echo_bounce_Results_slot_cap(r),
	    capos_serve_result_cap(sc, rec->cap, CAPOS_XFER_MOVE));
	return RPC_OK;
}

static const struct capos_Echo_server serve_impl = {
    .echo = do_echo,
    .bounce = do_bounce,
};

static void *
serve_thread(void *arg)
{
	capos_serve(serve_owner, &capos_Echo_interface, &serve_impl, NULL, arg,
	            SERVE_BUF);
	return NULL;
}

static void *
spin_thread(void *arg)
{
	volatile uint64_t *w = arg;

	for (;;)
		(*w)++;
	return NULL;
}

static int
peer_main(void)
{
	struct capos_thread *t;
	int i;

	for (i = 1; i < SERVERS; i++)
		if (capos_thread_create(&t, serve_thread, serve_bufs[i],
		                        NULL) == 0)
			capos_thread_detach(t);
	serve_thread(serve_bufs[0]);
	return 3;
}

static int
victim_main(void)
{
	struct capos_thread *t;
	int i;

	for (i = 0; i < VICTIM_SPIN; i++) {
		if (capos_thread_create(&t, spin_thread, (void *)&spins[i],
		                        NULL))
			return 4;
		capos_thread_detach(t);
	}
	/* On one CPU the main thread is preempted in favour of them. */
	for (i = 0; i < VICTIM_SPIN; i++)
		while (spins[i] == 0)
			__asm__ volatile("pause");
	serve_thread(serve_bufs[0]);
	return 3;
}

/* --- ledgers ---------------------------------------------------------- */

struct ledger {
	uint32_t slots;     /* free cap slots */
	uint32_t threads;   /* threads that can still start */
	uint64_t frames;    /* free frames of the machine */
	uint32_t processes; /* processes alive */
	int slots_err, threads_err;
};

static struct ledger baseline;

/* Free cap slots: copies of a narrowed spawner until the table is full. */
static uint32_t
probe_slots(int *err)
{
	static capos_capid_t got[PROBE_MAX];
	static const char *const bins[] = {"smpstress"};
	uint32_t n = 0, i;

	*err = 0;
	while (n < PROBE_MAX &&
	       (*err = capos_spawner_narrow(spawner, bins, 1, &got[n])) == 0)
		n++;
	for (i = 0; i < n; i++)
		capos_release_sync(got[i]);
	return n;
}

static uint32_t probe_word;

static void *
probe_thread(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&probe_word, __ATOMIC_ACQUIRE))
		capos_park(&probe_word, 0, CAPOS_PARK_NO_TIMEOUT);
	return NULL;
}

/* Threads that can still start: parked ones until QUOTA. */
static uint32_t
probe_threads(int *err)
{
	static struct capos_thread *t[PROBE_MAX];
	uint32_t n = 0, i;

	*err = 0;
	__atomic_store_n(&probe_word, 0, __ATOMIC_RELEASE);
	while (n < PROBE_MAX && (*err = capos_thread_create(&t[n], probe_thread,
	                                                    NULL, NULL)) == 0)
		n++;
	__atomic_store_n(&probe_word, 1, __ATOMIC_RELEASE);
	capos_unpark(&probe_word, UINT32_MAX);
	for (i = 0; i < n; i++)
		capos_thread_join(t[i], NULL);
	return n;
}

static uint32_t
process_count(void)
{
	static struct capos_call c;

	capos_SystemInfo_processCount_begin(&c);
	if (capos_SystemInfo_processCount_send(&c, sysinfo))
		return 0;
	return capos_SystemInfo_processCount_Results_get_count(
	    capos_SystemInfo_processCount_results(&c));
}

static void
ledger_read(struct ledger *l)
{
	uint64_t total = 0;

	l->slots = probe_slots(&l->slots_err);
	l->threads = probe_threads(&l->threads_err);
	l->frames = 0;
	capos_sysinfo_memory(sysinfo, &total, &l->frames);
	l->processes = process_count();
}

/* The checks CASE.ledger.*: every ledger at its baseline. */
static void
ledger_check(const char *what)
{
	struct ledger l;
	char name[64];

	ledger_read(&l);
	fmt_snprintf(name, sizeof(name), "%s.ledger.cap_slots", what);
	ktest_check(l.slots == baseline.slots, name,
	            "%u free slots, baseline %u", l.slots, baseline.slots);
	fmt_snprintf(name, sizeof(name), "%s.ledger.threads", what);
	ktest_check(l.threads == baseline.threads, name,
	            "%u threads can start, baseline %u", l.threads,
	            baseline.threads);
	fmt_snprintf(name, sizeof(name), "%s.ledger.frames", what);
	ktest_check(l.frames == baseline.frames, name,
	            "%lu free frames, baseline %lu", (unsigned long)l.frames,
	            (unsigned long)baseline.frames);
	fmt_snprintf(name, sizeof(name), "%s.ledger.processes", what);
	ktest_check(l.processes == baseline.processes, name,
	            "%u processes, baseline %u", l.processes,
	            baseline.processes);
}

/* Starts n threads of fn over args (stride bytes apart); returns how
 * many started. */
static uint32_t
start_all(struct capos_thread **t, uint32_t n, void *(*fn)(void *), void *args,
          size_t stride)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (capos_thread_create(&t[i], fn, (char *)args + i * stride,
		                        NULL))
			break;
	return i;
}

static void
join_all(struct capos_thread **t, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		capos_thread_join(t[i], NULL);
}

/* A start line: threads spin on it so that they begin together. */
static uint32_t go;

static void
wait_go(void)
{
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		__asm__ volatile("pause");
}

/* --- echo --------------------------------------------------------------- */

/* Payload i of thread id: its length and bytes depend on both, so an
 * answer meant for another call or thread never matches. */
static uint32_t
payload(uint8_t *msg, uint32_t id, uint32_t i)
{
	uint32_t len = 8 + (i * 37 + id * 11) % (MSG_MAX - 8), k;
	uint64_t head = (uint64_t)id << 32 | i;

	memcpy(msg, &head, 8);
	for (k = 8; k < len; k++)
		msg[k] = (uint8_t)(id * 31 + i + k);
	return len;
}

/* The first answer that was not its call's, described. */
static uint32_t wrong_seen;
static char wrong_what[96];

/* Echo.echo of msg[0, len) on cap: 0 when the answer is the same bytes,
 * 1 when it differs, else the call's error. */
static int
echo(struct capos_call *c, capos_capid_t cap, const uint8_t *msg, uint32_t len)
{
	struct capnp_data d;
	uint64_t head = 0, sent;
	int err;

	capos_Echo_echo_Params_set_data(capos_Echo_echo_begin(c), msg, len);
	err = capos_Echo_echo_send(c, cap);
	if (err)
		return err;
	d = capos_Echo_echo_Results_get_data(capos_Echo_echo_results(c));
	if (d.len == len && memcmp(d.ptr, msg, len) == 0)
		return 0;
	/* What came back instead, for the report (the first one only). */
	memcpy(&sent, msg, 8);
	if (d.ptr && d.len >= 8)
		memcpy(&head, d.ptr, 8);
	if (!__atomic_exchange_n(&wrong_seen, 1, __ATOMIC_ACQ_REL))
		fmt_snprintf(
		    wrong_what, sizeof(wrong_what),
		    "sent %u bytes, head %#lx; got %u bytes, head %#lx", len,
		    (unsigned long)sent, (unsigned)d.len, (unsigned long)head);
	return 1;
}

/* The peer's count of echo calls answered. */
static uint64_t
peer_served(void)
{
	static struct capos_call c;
	struct capnp_data d;
	uint64_t n = 0;

	capos_Echo_echo_Params_set_data(capos_Echo_echo_begin(&c), "CNT?", 4);
	if (capos_Echo_echo_send(&c, peer))
		return UINT64_MAX;
	d = capos_Echo_echo_Results_get_data(capos_Echo_echo_results(&c));
	if (d.len != sizeof(n))
		return UINT64_MAX;
	memcpy(&n, d.ptr, sizeof(n));
	return n;
}

/* --- ipc: client threads hammering one endpoint -------------------------- */

struct client {
	uint32_t id;
	capos_capid_t cap;
	uint32_t ok, wrong, failed;
	int err;
	struct capos_call c;
};

static struct client clients[NCLIENTS];

static void *
client_thread(void *arg)
{
	struct client *cl = arg;
	uint8_t msg[MSG_MAX];
	uint32_t i;
	int r;

	wait_go();
	for (i = 0; i < CALLS_EACH; i++) {
		r = echo(&cl->c, cl->cap, msg, payload(msg, cl->id, i));
		if (r == 0)
			cl->ok++;
		else if (r == 1)
			cl->wrong++;
		else {
			cl->failed++;
			if (!cl->err)
				cl->err = r;
		}
	}
	return NULL;
}

static void
test_ipc(void)
{
	struct capos_thread *t[NCLIENTS];
	uint32_t i, n, ok = 0, wrong = 0, failed = 0;
	uint64_t before, after;
	int err = 0;

	before = peer_served();
	__atomic_store_n(&go, 0, __ATOMIC_RELEASE);
	for (i = 0; i < NCLIENTS; i++) {
		clients[i].id = i + 1;
		clients[i].cap = peer;
		clients[i].ok = clients[i].wrong = clients[i].failed = 0;
		clients[i].err = 0;
	}
	n = start_all(t, NCLIENTS, client_thread, clients, sizeof(clients[0]));
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	join_all(t, n);
	after = peer_served();
	for (i = 0; i < n; i++) {
		ok += clients[i].ok;
		wrong += clients[i].wrong;
		failed += clients[i].failed;
		if (!err)
			err = clients[i].err;
	}
	CHECK(n == NCLIENTS, "ipc.clients_started", "%u of %u", n, NCLIENTS);
	CHECK(ok == n * CALLS_EACH && wrong == 0 && failed == 0,
	      "ipc.every_call_answered_with_its_payload",
	      "%u right, %u wrong (first: %s), %u failed (%s)", ok, wrong,
	      wrong ? wrong_what : "none", failed, capos_strerror(err));
	CHECK(after - before == (uint64_t)n * CALLS_EACH,
	      "ipc.server_answered_each_once",
	      "the server counted %lu calls, %u made",
	      (unsigned long)(after - before), n * CALLS_EACH);
	if (!warming)
		printf("smpstress: ipc: %u threads, %u calls answered\n", n,
		       ok);
}

/* --- overlap: two answers built at once --------------------------------- */

#define OVERLAP_CALLS 200000 /* a bound: the held call ends long before */

struct holder {
	struct capos_call c;
	uint32_t done;
	int r;
};

static struct holder holder;

static void *
hold_thread(void *arg)
{
	struct holder *h = arg;
	uint8_t msg[160];
	uint32_t k;

	memcpy(msg, "HOLD", 4);
	for (k = 4; k < sizeof(msg); k++)
		msg[k] = (uint8_t)(k * 7 + 1);
	h->r = echo(&h->c, peer, msg, sizeof(msg));
	__atomic_store_n(&h->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void
test_overlap(void)
{
	static struct capos_call c;
	struct capos_thread *t;
	uint8_t msg[MSG_MAX];
	uint32_t i = 0, wrong = 0;
	int err;

	holder.done = 0;
	holder.r = -1;
	err = capos_thread_create(&t, hold_thread, &holder, NULL);
	CHECK(err == 0, "overlap.thread_started", "%s", capos_strerror(err));
	if (err)
		return;
	/* Calls while the HOLD echo is held end its hold (any of them
	 * reaching another server thread meanwhile). */
	while (!__atomic_load_n(&holder.done, __ATOMIC_ACQUIRE) &&
	       i < OVERLAP_CALLS)
		if (echo(&c, peer, msg, payload(msg, 9, i++)) != 0)
			wrong++;
	capos_thread_join(t, NULL);
	CHECK(holder.r == 0, "overlap.held_answer_is_its_own", "%d (%s)",
	      holder.r, wrong_seen ? wrong_what : "none");
	CHECK(wrong == 0 && i < OVERLAP_CALLS, "overlap.other_answers_right",
	      "%u calls, %u wrong", i, wrong);
}

/* --- caps: copy, move and release storms in one table -------------------- */

struct capper {
	uint32_t id;
	uint32_t copied, moved, used, stale, released, bad;
	uint32_t race_won, race_refused, race_other;
	int err;
	struct capos_call c;
};

static struct capper cappers[NCAPPERS];
static capos_capid_t race_ids[NRACE];
/* The race starts when every capper that started is at the line. */
static uint32_t cappers_started, cappers_at_race;

/* Echo.bounce: cap goes to the peer (copied or moved) and comes back
 * moved, into a new slot of our table: *out. */
static int
bounce(struct capos_call *c, capos_capid_t cap, uint32_t mode,
       capos_capid_t *out)
{
	capos_Echo_bounce_Params_builder p = capos_Echo_bounce_begin(c);
	int err;

	capnp_slot_set_cap(capos_Echo_bounce_Params_slot_cap(p),
	                   capos_call_add_cap(c, cap, mode));
	err = capos_Echo_bounce_send(c, peer);
	if (err)
		return err;
	*out = capos_call_result_cap(c, 0, NULL);
	return *out ? 0 : CAPOS_E_BAD_FIELD;
}

/* A cap that must work: a Null pings, a Timer tells the time. */
static int
use(capos_capid_t cap, bool is_null)
{
	uint64_t ns;

	return is_null ? capos_null_ping(cap) : capos_timer_now(cap, &ns);
}

static void *
capper_thread(void *arg)
{
	struct capper *cp = arg;
	capos_capid_t a, b;
	uint32_t r, k;
	int err;

	wait_go();
	for (r = 0; r < CAP_ROUNDS; r++) {
		bool is_null = (r + cp->id) % 2;
		capos_capid_t src = is_null ? null : timer;

		err = bounce(&cp->c, src, CAPOS_XFER_COPY, &a);
		if (err)
			goto fail;
		cp->copied++;
		if (use(a, is_null) || a == src)
			goto bad;
		err = bounce(&cp->c, a, CAPOS_XFER_MOVE, &b);
		if (err)
			goto fail;
		cp->moved++;
		/* The moved-from id is stale, whoever has the slot now. */
		if (use(b, is_null) || use(a, is_null) == 0)
			goto bad;
		cp->used++;
		if (r % 2) {
			if (capos_release_sync(b))
				goto bad;
			/* Released: refused, whoever has the slot now. */
			if (use(b, is_null) == 0)
				goto bad;
			cp->stale++;
		} else {
			capos_release(b); /* goes with the next call */
		}
		cp->released++;
		continue;
	bad:
		cp->bad++;
		continue;
	fail:
		if (!cp->err)
			cp->err = err;
		cp->bad++;
	}
	capos_flush();
	/* Every capper releases every race copy, in its own order: each
	 * is released exactly once, every other attempt refused. */
	__atomic_add_fetch(&cappers_at_race, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&cappers_at_race, __ATOMIC_ACQUIRE) <
	       __atomic_load_n(&cappers_started, __ATOMIC_ACQUIRE))
		__asm__ volatile("pause");
	for (k = 0; k < NRACE; k++) {
		err = capos_release_sync(race_ids[(k + cp->id * 7) % NRACE]);
		if (err == 0)
			cp->race_won++;
		else if (err == CAPOS_E_BAD_CAP)
			cp->race_refused++;
		else
			cp->race_other++;
	}
	return NULL;
}

static void
test_caps(void)
{
	struct capos_thread *t[NCAPPERS];
	static struct capos_call c;
	uint32_t i, n, made = 0, bad = 0, done = 0, won = 0, refused = 0,
	               other = 0, failures_before;
	int err = 0;

	failures_before = capos_release_failures();
	for (i = 0; i < NRACE; i++)
		if (bounce(&c, null, CAPOS_XFER_COPY, &race_ids[i]) == 0)
			made++;
	CHECK(made == NRACE, "caps.race_copies_made", "%u of %u", made, NRACE);
	__atomic_store_n(&go, 0, __ATOMIC_RELEASE);
	for (i = 0; i < NCAPPERS; i++) {
		memset(&cappers[i], 0, offsetof(struct capper, c));
		cappers[i].id = i;
	}
	__atomic_store_n(&cappers_at_race, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&cappers_started, NCAPPERS, __ATOMIC_RELEASE);
	n = start_all(t, NCAPPERS, capper_thread, cappers, sizeof(cappers[0]));
	__atomic_store_n(&cappers_started, n, __ATOMIC_RELEASE);
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	join_all(t, n);
	for (i = 0; i < n; i++) {
		bad += cappers[i].bad;
		done += cappers[i].released;
		won += cappers[i].race_won;
		refused += cappers[i].race_refused;
		other += cappers[i].race_other;
		if (!err)
			err = cappers[i].err;
	}
	CHECK(n == NCAPPERS, "caps.threads_started", "%u of %u", n, NCAPPERS);
	CHECK(bad == 0 && done == n * CAP_ROUNDS,
	      "caps.copy_move_release_storm", "%u rounds done, %u bad (%s)",
	      done, bad, capos_strerror(err));
	CHECK(capos_release_failures() == failures_before,
	      "caps.queued_releases_accepted", "%u refused",
	      capos_release_failures() - failures_before);
	CHECK(won == made && refused == n * NRACE - made && other == 0,
	      "caps.release_race_exactly_once",
	      "%u released, %u refused, %u other errors, %u copies", won,
	      refused, other, made);
	CHECK(use(null, true) == 0 && use(timer, false) == 0 &&
	          peer_served() != UINT64_MAX,
	      "caps.originals_kept", "a cap held before is gone");
	if (!warming)
		printf(
		    "smpstress: caps: %u threads, %u copy+move+release rounds, "
		    "%u race copies\n",
		    n, done, made);
}

/* --- mem: map/unmap one MemoryObject while others touch it --------------- */

struct mapper {
	uint32_t id;
	uint32_t rounds, bad, touches;
	uint64_t last; /* the last address it mapped at */
	int err;
};

static struct mapper mappers[NMAPPERS + NTOUCHERS];
static uint64_t mem_main; /* the main mapping, mapped throughout */
static capos_capid_t mem_obj;
static uint32_t mappers_done;

static void *
mapper_thread(void *arg)
{
	struct mapper *m = arg;
	volatile uint64_t *mine, *via_main;
	uint64_t b, tok, sum = 0;
	uint32_t r, k, w;
	int err;

	wait_go();
	for (r = 0; r < MAP_ROUNDS; r++) {
		err = capos_vm_map(vm, mem_obj, 0, CAPOS_PROT_READ_WRITE, &b);
		if (err) {
			if (!m->err)
				m->err = err;
			m->bad++;
			continue;
		}
		m->last = b;
		/* Two pages of the object are this thread's. */
		mine = (volatile uint64_t *)(uintptr_t)(b + 2 * m->id * PAGE);
		via_main = (volatile uint64_t *)(uintptr_t)(mem_main +
		                                            2 * m->id * PAGE);
		w = (r * 67) % (2 * PAGE / 8 - 1);
		tok = (uint64_t)m->id << 48 | (uint64_t)r << 8 | 0x5a;
		mine[w] = tok;
		if (via_main[w] != tok)
			m->bad++;
		via_main[w + 1] = ~tok;
		if (mine[w + 1] != ~tok)
			m->bad++;
		/* Every page of this mapping, the others' too. */
		for (k = 0; k < MEM_PAGES; k++)
			sum +=
			    ((volatile uint64_t
			          *)(uintptr_t)(b + k * PAGE))[r % (PAGE / 8)];
		m->touches += MEM_PAGES;
		err = capos_vm_unmap(vm, b, MEM_PAGES);
		if (err) {
			if (!m->err)
				m->err = err;
			m->bad++;
		}
		m->rounds++;
	}
	(void)sum;
	__atomic_add_fetch(&mappers_done, 1, __ATOMIC_ACQ_REL);
	return NULL;
}

/* Writes and checks its own page through the main mapping until every
 * mapper is done. */
static void *
toucher_thread(void *arg)
{
	struct mapper *m = arg;
	volatile uint64_t *p =
	    (volatile uint64_t *)(uintptr_t)(mem_main +
	                                     (2 * NMAPPERS + m->id - NMAPPERS) *
	                                         PAGE);
	uint32_t i = 0;

	wait_go();
	while (__atomic_load_n(&mappers_done, __ATOMIC_ACQUIRE) < NMAPPERS) {
		uint64_t v = (uint64_t)m->id << 40 | i;

		p[i % (PAGE / 8)] = v;
		if (p[i % (PAGE / 8)] != v)
			m->bad++;
		m->touches++;
		i++;
		if (i % 4096 == 0)
			capos_null_ping(
			    null); /* into the kernel now and then */
	}
	m->rounds = i;
	return NULL;
}

static void
test_mem(void)
{
	struct capos_thread *t[NMAPPERS + NTOUCHERS];
	uint32_t i, nm, nt, bad = 0, rounds = 0, touches = 0, inaccessible = 0;
	int err = 0, rd, wr;

	if (capos_frames_allocate(frames, MEM_PAGES, &mem_obj) ||
	    capos_vm_map(vm, mem_obj, 0, CAPOS_PROT_READ_WRITE, &mem_main)) {
		CHECK(false, "mem.object_mapped", "allocate or map failed");
		return;
	}
	__atomic_store_n(&go, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&mappers_done, 0, __ATOMIC_RELEASE);
	memset(mappers, 0, sizeof(mappers));
	for (i = 0; i < NMAPPERS + NTOUCHERS; i++)
		mappers[i].id = i;
	nm = start_all(t, NMAPPERS, mapper_thread, mappers, sizeof(mappers[0]));
	nt = nm == NMAPPERS ? start_all(t + NMAPPERS, NTOUCHERS, toucher_thread,
	                                mappers + NMAPPERS, sizeof(mappers[0]))
	                    : 0;
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	if (nm < NMAPPERS) /* the touchers would wait for the missing ones */
		__atomic_store_n(&mappers_done, NMAPPERS, __ATOMIC_RELEASE);
	join_all(t, nm);
	join_all(t + NMAPPERS, nt);
	for (i = 0; i < nm + nt; i++) {
		bad += mappers[i].bad;
		if (!err)
			err = mappers[i].err;
	}
	for (i = 0; i < nm; i++) {
		rounds += mappers[i].rounds;
		touches += mappers[i].touches;
		if (mappers[i].last &&
		    capos_vm_access(vm, mappers[i].last, MEM_PAGES * PAGE, &rd,
		                    &wr) == 0 &&
		    !rd && !wr)
			inaccessible++;
	}
	CHECK(nm == NMAPPERS && nt == NTOUCHERS, "mem.threads_started",
	      "%u mappers, %u touchers", nm, nt);
	CHECK(bad == 0 && rounds == nm * MAP_ROUNDS,
	      "mem.map_touch_unmap_storm", "%u of %u rounds, %u bad (%s)",
	      rounds, nm * MAP_ROUNDS, bad, capos_strerror(err));
	CHECK(inaccessible == nm, "mem.unmapped_ranges_gone",
	      "%u of %u last mappings are inaccessible", inaccessible, nm);
	for (i = NMAPPERS; i < NMAPPERS + nt; i++)
		touches += mappers[i].touches;
	CHECK(capos_vm_unmap(vm, mem_main, MEM_PAGES) == 0 &&
	          capos_release_sync(mem_obj) == 0,
	      "mem.object_released", "unmap or release failed");
	if (!warming)
		printf("smpstress: mem: %u map+unmap rounds, %u touches\n",
		       rounds, touches);
}

/* --- kill: a process killed while its threads run ------------------------- */

struct hammer {
	uint32_t id;
	capos_capid_t cap;
	uint32_t ok, wrong, disconnected, other;
	int other_err;
	struct capos_call c;
};

static struct hammer hammers[NHAMMERS];

/* Calls until the answer is that the server is gone. */
static void *
hammer_thread(void *arg)
{
	struct hammer *h = arg;
	uint8_t msg[MSG_MAX];
	uint32_t i;
	int r;

	for (i = 0;; i++) {
		/* A pause now and then: a caller and its server handing
		 * the CPU to each other would keep it from the threads
		 * that are only runnable (each switch restarts the
		 * quantum: kernel/proc/sched.c), so main's sleep would
		 * last seconds on one CPU. */
		if (i % HAMMER_BURST == HAMMER_BURST - 1)
			capos_timer_sleep(timer, HAMMER_PAUSE);
		r = echo(&h->c, h->cap, msg, payload(msg, h->id, i));
		if (r == 0) {
			h->ok++;
			continue;
		}
		if (r == 1) {
			h->wrong++;
			continue;
		}
		if ((r == CAPOS_E_APP_EXCEPTION &&
		     capos_last_exception()->type ==
		         capos_ExceptionType_disconnected) ||
		    r == CAPOS_E_DISCONNECTED) {
			h->disconnected++;
			break;
		}
		h->other++;
		h->other_err = r;
		break;
	}
	return NULL;
}

static void
test_kill(void)
{
	struct capos_spawn_grant g[] = {{"threads", threads}, {"park", park}};
	struct capos_spawn_endpoint ep = {"victim", capos_Echo_TYPE_ID};
	struct capos_spawn_limits lim = {.threads = VICTIM_SPIN + 2,
	                                 .cap_slots = 16};
	struct capos_thread *t[NHAMMERS];
	static struct capos_call c;
	uint32_t round, i, n, spawned = 0, ready = 0, killed = 0, ends = 0,
	                      gone = 0, answered = 0, bad = 0;
	uint8_t msg[MSG_MAX];
	uint64_t t0 = 0, t1 = 0, slept_max = 0;
	int r;

	for (round = 0; round < KILL_ROUNDS; round++) {
		capos_capid_t h, client;
		int32_t code = 0;

		if (capos_spawn(spawner, "victim", "smpstress", g, 2, &ep, 1,
		                &lim, &h, &client))
			continue;
		spawned++;
		/* Answered only once every spinner runs. */
		if (echo(&c, client, msg, payload(msg, 99, round)) == 0)
			ready++;
		for (i = 0; i < NHAMMERS; i++) {
			memset(&hammers[i], 0, offsetof(struct hammer, c));
			hammers[i].id = 100 + i;
			hammers[i].cap = client;
		}
		n = start_all(t, NHAMMERS, hammer_thread, hammers,
		              sizeof(hammers[0]));
		capos_timer_now(timer, &t0);
		capos_timer_sleep(timer, (1 + round % 4) * MS);
		capos_timer_now(timer, &t1);
		if (t1 - t0 > slept_max)
			slept_max = t1 - t0;
		if (capos_handle_kill(h) == 0 &&
		    capos_handle_wait(h, &code) == 0 && code == -9)
			killed++;
		join_all(t, n);
		for (i = 0; i < n; i++) {
			answered += hammers[i].ok;
			bad += hammers[i].wrong + hammers[i].other;
			ends += hammers[i].disconnected;
		}
		bad += NHAMMERS - n;
		r = echo(&c, client, msg, payload(msg, 98, round));
		if (r == CAPOS_E_APP_EXCEPTION &&
		    capos_last_exception()->type ==
		        capos_ExceptionType_disconnected)
			gone++;
		capos_release_sync(h);
		capos_release_sync(client);
	}
	CHECK(spawned == KILL_ROUNDS && ready == KILL_ROUNDS,
	      "kill.victims_running", "%u spawned, %u answered", spawned,
	      ready);
	CHECK(killed == KILL_ROUNDS, "kill.wait_answers_killed",
	      "%u of %u killed and waited with -9", killed, KILL_ROUNDS);
	CHECK(bad == 0 && ends == KILL_ROUNDS * NHAMMERS,
	      "kill.calls_in_flight_answered_once",
	      "%u wrong or other answers, %u of %u threads saw the "
	      "end as disconnected",
	      bad, ends, KILL_ROUNDS * NHAMMERS);
	CHECK(gone == KILL_ROUNDS, "kill.endpoint_disconnected", "%u of %u",
	      gone, KILL_ROUNDS);
	if (!warming)
		printf("smpstress: kill: %u victims of %u spinning threads "
		       "killed, "
		       "%u calls answered before; the longest sleep of at "
		       "most 4 ms took %lu us\n",
		       killed, VICTIM_SPIN, answered,
		       (unsigned long)(slept_max / 1000));
}

int
main(void)
{
	struct capos_spawn_grant g[] = {{"threads", threads}, {"park", park}};
	struct capos_spawn_endpoint ep = {"peer", capos_Echo_TYPE_ID};
	struct capos_spawn_limits lim = {.cap_slots = 64, .threads = 8};
	int32_t code;

	char host[64];
	uint32_t long_scale;

	if (capos_capset_find("peer", capos_Endpoint_TYPE_ID, &serve_owner) ==
	    0)
		return peer_main();
	if (capos_capset_find("victim", capos_Endpoint_TYPE_ID, &serve_owner) ==
	    0)
		return victim_main();
	ktest_prefix("smp.");
	if (capos_capset_find("spawner", capos_ProcessSpawner_TYPE_ID,
	                      &spawner) ||
	    capos_capset_find("console", capos_Console_TYPE_ID, &console) ||
	    capos_capset_find("timer", capos_Timer_TYPE_ID, &timer) ||
	    capos_capset_find("null", capos_Null_TYPE_ID, &null) ||
	    capos_capset_find("sysinfo", capos_SystemInfo_TYPE_ID, &sysinfo) ||
	    capos_capset_find("threads", capos_ThreadSpawner_TYPE_ID,
	                      &threads) ||
	    capos_capset_find("park", capos_ParkSpace_TYPE_ID, &park) ||
	    capos_capset_find("frames", capos_FrameAllocator_TYPE_ID,
	                      &frames) ||
	    capos_capset_find("vm", capos_VirtualMemory_TYPE_ID, &vm)) {
		ktest_check(false, "caps", "a cap is missing");
		return ktest_failures();
	}
	g[0].cap = threads;
	g[1].cap = park;
	if (capos_sysinfo_hostname(sysinfo, host, sizeof(host)) == 0 &&
	    strcmp(host, "smpstress-long") == 0)
		scale = LONG_SCALE;
	if (capos_spawn(spawner, "peer", "smpstress", g, 2, &ep, 1, &lim,
	                &peer_handle, &peer)) {
		ktest_check(false, "peer_started", "%s",
		            capos_strerror(CAPOS_E_APP_EXCEPTION));
		return ktest_failures();
	}
	/* The first answer means the peer serves. */
	ktest_check(peer_served() == 0, "peer_serves",
	            "no count from the peer");
	warming = true;
	long_scale = scale;
	scale = 1;
	ledger_read(&baseline);
	test_overlap();
	test_ipc();
	test_caps();
	test_mem();
	test_kill();
	warming = false;
	ktest_check(warm_failures == 0, "warmup.every_case_passed",
	            "%u checks failed in the warm-up pass", warm_failures);
	scale = long_scale;
	ledger_read(&baseline);
	ktest_check(
	    baseline.slots > 0 && baseline.slots < PROBE_MAX &&
	        baseline.slots_err == CAPOS_E_QUOTA &&
	        baseline.threads > NCLIENTS && baseline.threads < PROBE_MAX &&
	        baseline.threads_err == CAPOS_E_QUOTA,
	    "ledger.probes_stop_at_quota", "%u slots (%s), %u threads (%s)",
	    baseline.slots, capos_strerror(baseline.slots_err),
	    baseline.threads, capos_strerror(baseline.threads_err));
	printf("smpstress: baseline: %u free cap slots, %u threads, %lu free "
	       "frames, %u processes\n",
	       baseline.slots, baseline.threads, (unsigned long)baseline.frames,
	       baseline.processes);
	test_overlap();
	ledger_check("overlap");
	test_ipc();
	ledger_check("ipc");
	test_caps();
	ledger_check("caps");
	test_mem();
	ledger_check("mem");
	test_kill();
	ledger_check("kill");
	capos_handle_kill(peer_handle);
	capos_handle_wait(peer_handle, &code);
	capos_release_sync(peer_handle);
	capos_release_sync(peer);
	if (wrong_seen)
		printf("smpstress: a wrong echo answer: %s\n", wrong_what);
	printf("smpstress: %d failures\n", ktest_failures());
	return ktest_failures();
}
