/* The server loop over generated dispatch (capos_serve.h). */
#include "capos.h"
#include "capos_serve.h"
#include "capnp/frame.h"
#include "internal.h"

/*
 * Where a thread builds and frames its answers.  Several threads may
 * serve one endpoint at once, so each has its own: an answer in a shared
 * buffer can be overwritten by another thread's before the kernel copies
 * it at RETURN, and its caller then reads another call's answer (or a
 * malformed one).  The main thread's is static and takes answers up to
 * CAPOS_RESULT_MAX.  Another thread's comes from the heap when it first
 * serves, smaller (SERVE_THREAD_ANSWER: a program without a VirtualMemory
 * cap has a heap of 256 KiB, user/lib/heap.c); a larger answer there is
 * the exception "results do not fit a RETURN".  capos_thread_exit frees
 * it (capos_serve_thread_done).
 */
#define SERVE_THREAD_ANSWER (8u << 10)

struct serve_space {
	uint8_t *arena, *framed;
	uint32_t size; /* of each */
	struct capos_msgbuf exc;
};

static uint8_t main_arena[CAPOS_RESULT_MAX] __attribute__((aligned(8)));
static uint8_t main_framed[CAPOS_RESULT_MAX] __attribute__((aligned(8)));
static struct serve_space main_space = {
    .arena = main_arena, .framed = main_framed, .size = CAPOS_RESULT_MAX};
static __thread struct serve_space *space;

struct serve_thread_space {
	struct serve_space s;
	uint8_t arena[SERVE_THREAD_ANSWER] __attribute__((aligned(8)));
	uint8_t framed[SERVE_THREAD_ANSWER] __attribute__((aligned(8)));
};

static struct serve_space *
my_space(void)
{
	struct serve_thread_space *t;

	if (space)
		return space;
	if (capos_thread_is_main()) {
		space = &main_space;
		return space;
	}
	t = malloc(sizeof(*t));
	if (t) {
		t->s.arena = t->arena;
		t->s.framed = t->framed;
		t->s.size = SERVE_THREAD_ANSWER;
		space = &t->s;
	}
	return space;
}

void
capos_serve_thread_done(void)
{
	if (space && space != &main_space)
		free(space);
	space = NULL;
}

/* Read limits for params from another process: proportional to them. */
#define SERVE_NESTING 16

const struct capos_cap_record *
capos_serve_param_cap(const struct capos_server_call *sc, uint32_t index)
{
	return index < sc->hdr->ncaps ? &sc->caps[index] : NULL;
}

uint32_t
capos_serve_result_cap(struct capos_server_call *sc, capos_capid_t cap,
                       uint32_t mode)
{
	if (sc->nxfer == CAPOS_XFER_MAX)
		return UINT32_MAX;
	sc->xfer[sc->nxfer] = (struct capos_xfer){.cap = cap, .mode = mode};
	return sc->nxfer++;
}

/* An exception as the answer, framed in the thread's space (none: an
 * exception of 0 bytes, which reads as `failed` with no message). */
static void
exception_answer(struct serve_space *sp, struct capos_answer *a, int type,
                 const char *message)
{
	a->xfer = NULL;
	a->nxfer = 0;
	a->exception = true;
	a->result = NULL;
	a->len = 0;
	/* The message is bounded (a handler's diagnostic): it fits. */
	if (sp && capos_exception_frame(&sp->exc, type, message) == 0) {
		a->result = sp->exc.framed;
		a->len = sp->exc.framed_len;
	}
}

/* The results the handler built (none: 0 bytes) as the answer. */
static void
results_answer(struct serve_space *sp, struct capos_server_call *sc,
               struct capnp_builder *b, struct capos_answer *a)
{
	size_t n = 0;

	if (!rpc_results_empty(b) &&
	    (capnp_builder_error(b) ||
	     capnp_frame_write(b, sp->framed, sp->size, &n))) {
		exception_answer(sp, a, RPC_EXC_FAILED,
		                 "results do not fit a RETURN");
		return;
	}
	a->result = n ? sp->framed : NULL;
	a->len = (uint32_t)n;
	a->xfer = sc->xfer;
	a->nxfer = sc->nxfer;
	a->exception = false;
}

/*
 * Dispatches the received call h to the table of the interface it names
 * and makes its answer in *a; returns what dispatch returned (no answer
 * for RPC_PENDING: the handler RETURNs by itself).  sc holds the result
 * caps the answer points to.
 */
static int
handle(const struct capos_served *served, uint32_t n, capos_capid_t owner,
       struct capos_recv_header *h, struct capos_server_call *sc,
       struct capos_answer *a)
{
	const struct capos_served *s = &served[0];
	struct serve_space *sp = my_space();
	struct capnp_builder b;
	uint32_t i;
	int r;

	a->call_id = h->call_id;
	sc->owner = owner;
	sc->hdr = h;
	sc->caps = capos_recv_caps(h);
	sc->nxfer = 0;
	sc->rpc.interface_id = h->interface_id;
	sc->rpc.method = h->method;
	sc->rpc.results = &b;
	if (capos_msg_read(&sc->rpc.params, capos_recv_params(h),
	                   h->params_len)) {
		exception_answer(sp, a, RPC_EXC_INVALID_ARGUMENT,
		                 "params are not a message");
		return RPC_EXCEPTION;
	}
	if (!sp) {
		exception_answer(sp, a, RPC_EXC_FAILED, "");
		return RPC_EXCEPTION;
	}
	capnp_msg_set_limits(&sc->rpc.params, h->params_len / 2 + 64,
	                     SERVE_NESTING);
	capnp_builder_init_lazy(&b, sp->arena, sp->size, 0);
	/* The interface the call names; none served: the first, whose
	 * dispatch refuses it as unimplemented. */
	for (i = 0; i < n; i++)
		if (served[i].iface->id == h->interface_id)
			s = &served[i];
	r = rpc_dispatch(s->iface, s->impl, s->self, &sc->rpc);
	switch (r) {
	case RPC_OK:
		results_answer(sp, sc, &b, a);
		break;
	case RPC_EXCEPTION:
		exception_answer(sp, a, (int)sc->rpc.exc_type,
		                 sc->rpc.exc_message);
		break;
	case RPC_PENDING:
		break;
	default:
		exception_answer(sp, a, RPC_EXC_FAILED, "the server failed");
		break;
	}
	return r;
}

int
capos_serve_one(capos_capid_t owner, const struct rpc_interface *iface,
                const void *impl, void *self, void *buf, uint32_t len)
{
	const struct capos_served one = {iface, impl, self};

	return capos_serve_one_of(owner, &one, 1, buf, len);
}

int
capos_serve_one_of(capos_capid_t owner, const struct capos_served *served,
                   uint32_t n, void *buf, uint32_t len)
{
	struct capos_server_call sc;
	struct capos_recv_header *h;
	struct capos_answer a;
	int r;

	r = capos_recv(owner, buf, len, &h);
	if (r < 0)
		return r;
	r = handle(served, n, owner, h, &sc, &a);
	if (r != RPC_PENDING)
		(void)capos_return_answer(owner, &a);
	return r;
}

int
capos_serve(capos_capid_t owner, const struct rpc_interface *iface,
            const void *impl, void *self, void *buf, uint32_t len)
{
	const struct capos_served one = {iface, impl, self};

	return capos_serve_of(owner, &one, 1, buf, len);
}

int
capos_serve_of(capos_capid_t owner, const struct capos_served *served,
               uint32_t n, void *buf, uint32_t len)
{
	struct capos_server_call sc;
	struct capos_recv_header *h;
	struct capos_answer a;
	int r, returned;

	r = capos_recv(owner, buf, len, &h);
	while (r >= 0) {
		if (handle(served, n, owner, h, &sc, &a) == RPC_PENDING)
			r = capos_recv(owner, buf, len, &h);
		else
			r = capos_return_recv(owner, &a, &returned, buf, len,
			                      &h);
	}
	return r;
}
