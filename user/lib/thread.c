/*
 * Threads of this process.
 *
 * capos_thread_create takes one heap block per thread and lays it out
 * from the top down as x86_64 TLS variant II wants, the way the kernel
 * lays out the main thread's (include/capos/layout.h):
 *
 *	mem                                                      mem + size
 *	| stack ... grows down | struct capos_thread | TLS block | TCB |
 *	                       ^ stack top (16-byte aligned)      ^ FS base
 *
 * The TLS block is a copy of the program's template (user/user.ld bounds
 * it), so every thread starts with its __thread variables as the program
 * initialised them, the runtime's own state (capos_rt) among them.  The
 * new thread enters at capos_thread_entry (crt0.S) with its ring page,
 * sets it in its capos_rt, and runs fn.
 *
 * A thread's block is freed once its ThreadHandle.join has answered,
 * which the kernel does only after the thread has left user mode for
 * good: by capos_thread_join, or for a detached thread by whichever
 * create, join or detach next finds it finished.
 */
#include "capos.h"
#include "internal.h"

#include "capos.capnp.h"

#define ALIGN_UP(x, a)   (((x) + (a)-1) & ~((uintptr_t)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((uintptr_t)(a)-1))
#define TCB_SIZE         16u

/* The TLS template (user/user.ld); the alignment is an absolute symbol,
 * its value the symbol's address. */
extern const uint8_t __capos_tls_start[], __capos_tdata_end[];
extern const uint8_t __capos_tls_end[], __capos_tls_align[];

void capos_thread_entry(void);

enum { THREAD_FINISHED = 1u };

struct capos_thread {
	void *(*fn)(void *);
	void *arg;
	void *mem; /* the heap block; NULL for the main thread */
	capos_capid_t handle;
	uint32_t flags;
	struct capos_thread *next_detached;
};

static struct capos_thread main_thread;
static __thread struct capos_thread *self;

/* Detached threads not yet reaped. */
static struct capos_mutex detached_lock = CAPOS_MUTEX_INIT;
static struct capos_thread *detached;

void
capos_threads_init(void)
{
	self = &main_thread;
}

struct capos_thread *
capos_thread_self(void)
{
	return self;
}

bool
capos_thread_is_main(void)
{
	return self == &main_thread;
}

/* --- the kernel calls -------------------------------------------------- */

int
capos_thread_spawn(capos_capid_t spawner, uint64_t entry, uint64_t arg,
                   uint64_t stack_top, uint64_t tls, capos_capid_t *handle)
{
	capos_ThreadSpawner_spawn_Params_builder p;
	struct capos_msgbuf mb;
	uint8_t res[256] __attribute__((aligned(8)));
	struct capos_call_desc d;
	struct capos_reply r;
	struct capnp_msg m;
	uint32_t idx;
	int err;

	*handle = 0;
	capos_msg_begin(&mb);
	p = capos_ThreadSpawner_spawn_Params_build_root(&mb.b);
	capos_ThreadSpawner_spawn_Params_set_entry(p, entry);
	capos_ThreadSpawner_spawn_Params_set_arg(p, arg);
	capos_ThreadSpawner_spawn_Params_set_stackTop(p, stack_top);
	capos_ThreadSpawner_spawn_Params_set_tlsBase(p, tls);
	err = capos_msg_end(&mb);
	if (err)
		return err;
	d = (struct capos_call_desc){
	    .cap = spawner,
	    .interface_id = capos_ThreadSpawner_TYPE_ID,
	    .method = capos_ThreadSpawner_METHOD_spawn,
	    .params = mb.framed,
	    .params_len = mb.framed_len,
	    .result = res,
	    .result_cap = sizeof(res),
	};
	err = capos_call(&d, &r);
	if (err)
		return err;
	if (capos_msg_read(&m, res, r.len))
		return CAPOS_E_BAD_FIELD;
	idx = capos_ThreadSpawner_spawn_Results_get_handle(
	    capos_ThreadSpawner_spawn_Results_read_root(&m));
	if (capnp_msg_error(&m) || idx >= r.ncaps ||
	    r.caps[idx].interface_id != capos_ThreadHandle_TYPE_ID)
		return CAPOS_E_BAD_FIELD;
	*handle = r.caps[idx].cap;
	return 0;
}

int
capos_thread_handle_join(capos_capid_t handle, uint64_t *exit_value)
{
	uint8_t res[256] __attribute__((aligned(8)));
	struct capos_call_desc d = {
	    .cap = handle,
	    .interface_id = capos_ThreadHandle_TYPE_ID,
	    .method = capos_ThreadHandle_METHOD_join,
	    .result = res,
	    .result_cap = sizeof(res),
	};
	struct capos_reply r;
	struct capnp_msg m;
	int err = capos_call(&d, &r);

	*exit_value = 0;
	if (err)
		return err;
	if (capos_msg_read(&m, res, r.len))
		return CAPOS_E_BAD_FIELD;
	*exit_value = capos_ThreadHandle_join_Results_get_exitValue(
	    capos_ThreadHandle_join_Results_read_root(&m));
	return capnp_msg_error(&m) ? CAPOS_E_BAD_FIELD : 0;
}

/* ThreadControl.exit: does not return when the kernel takes it. */
static int
control_exit(uint64_t value)
{
	capos_ThreadControl_exit_Params_builder p;
	struct capos_msgbuf mb;
	struct capos_call_desc d;
	struct capos_reply r;
	capos_capid_t control;
	int err =
	    capos_capset_find_interface(capos_ThreadControl_TYPE_ID, &control);

	if (err)
		return err;
	capos_msg_begin(&mb);
	p = capos_ThreadControl_exit_Params_build_root(&mb.b);
	capos_ThreadControl_exit_Params_set_value(p, value);
	err = capos_msg_end(&mb);
	if (err)
		return err;
	d = (struct capos_call_desc){
	    .cap = control,
	    .interface_id = capos_ThreadControl_TYPE_ID,
	    .method = capos_ThreadControl_METHOD_exit,
	    .params = mb.framed,
	    .params_len = mb.framed_len,
	};
	return capos_call(&d, &r);
}

/* --- runtime threads ---------------------------------------------------- */

/* The TLS block: the template's size rounded to its alignment, and the
 * TCB's alignment, exactly as the kernel computes them for the main
 * thread (kernel/proc/process.c), since the linker's offsets assume it. */
static uintptr_t
tls_align(void)
{
	uintptr_t a = (uintptr_t)__capos_tls_align;

	return a ? a : 1;
}

static uintptr_t
tls_block_size(void)
{
	return ALIGN_UP((uintptr_t)(__capos_tls_end - __capos_tls_start),
	                tls_align());
}

static uintptr_t
tcb_align(void)
{
	return tls_align() > 16 ? tls_align() : 16;
}

/* Frees the blocks of detached threads that have ended. */
static void
reap_detached(void)
{
	struct capos_thread *done = NULL, **pp, *t;
	uint64_t value;

	capos_mutex_lock(&detached_lock);
	for (pp = &detached; (t = *pp);) {
		if (__atomic_load_n(&t->flags, __ATOMIC_ACQUIRE) &
		    THREAD_FINISHED) {
			*pp = t->next_detached;
			t->next_detached = done;
			done = t;
		} else {
			pp = &t->next_detached;
		}
	}
	capos_mutex_unlock(&detached_lock);
	/* Finished means on its way out: each join answers at once. */
	while ((t = done)) {
		done = t->next_detached;
		capos_thread_handle_join(t->handle, &value);
		capos_release(t->handle);
		free(t->mem);
	}
}

void __attribute__((used, noreturn))
capos_thread_start(struct capos_ring_page *ring, struct capos_thread *t)
{
	capos_rt.ring = ring;
	self = t;
	capos_thread_exit(t->fn(t->arg));
}

int
capos_thread_create(struct capos_thread **out, void *(*fn)(void *), void *arg,
                    const struct capos_thread_attr *attr)
{
	size_t stack = attr && attr->stack_size ? attr->stack_size
	                                        : CAPOS_THREAD_STACK_DEFAULT;
	size_t filesz = (size_t)(__capos_tdata_end - __capos_tls_start);
	uintptr_t size, tcb, block;
	capos_capid_t spawner;
	struct capos_thread *t;
	uint8_t *mem;
	int err;

	*out = NULL;
	reap_detached();
	if (capos_capset_find_interface(capos_ThreadSpawner_TYPE_ID,
	                                &spawner) ||
	    !capos_park_available())
		return CAPOS_E_NOT_SUPPORTED;
	if (stack < CAPOS_THREAD_STACK_MIN)
		stack = CAPOS_THREAD_STACK_MIN;
	if (stack > SIZE_MAX / 2)
		return CAPOS_E_QUOTA;
	/* Room for every part at its alignment, whatever malloc returns. */
	size = ALIGN_UP(stack, 16) + sizeof(*t) + 16 + tls_block_size() +
	       tcb_align() + TCB_SIZE;
	mem = malloc(size);
	if (!mem)
		return CAPOS_E_QUOTA;
	tcb = ALIGN_DOWN((uintptr_t)mem + size - TCB_SIZE, tcb_align());
	block = tcb - tls_block_size();
	t = (struct capos_thread *)ALIGN_DOWN(block - sizeof(*t), 16);
	memcpy((void *)block, __capos_tls_start, filesz);
	memset((void *)(block + filesz), 0, tls_block_size() - filesz);
	((uint64_t *)tcb)[0] = tcb;
	((uint64_t *)tcb)[1] = 0;
	*t = (struct capos_thread){.fn = fn, .arg = arg, .mem = mem};
	err = capos_thread_spawn(
	    spawner, (uint64_t)(uintptr_t)capos_thread_entry,
	    (uint64_t)(uintptr_t)t, (uint64_t)(uintptr_t)t, tcb, &t->handle);
	if (err) {
		free(mem);
		return err;
	}
	*out = t;
	return 0;
}

int
capos_thread_join(struct capos_thread *t, void **result)
{
	uint64_t value;
	int err;

	if (!t || t == &main_thread || t == self)
		return CAPOS_E_BAD_ARG;
	err = capos_thread_handle_join(t->handle, &value);
	if (err)
		return err;
	if (result)
		*result = (void *)(uintptr_t)value;
	capos_release(t->handle);
	free(t->mem);
	reap_detached();
	return 0;
}

int
capos_thread_detach(struct capos_thread *t)
{
	if (!t || t == &main_thread)
		return CAPOS_E_BAD_ARG;
	capos_mutex_lock(&detached_lock);
	t->next_detached = detached;
	detached = t;
	capos_mutex_unlock(&detached_lock);
	reap_detached();
	return 0;
}

void
capos_thread_exit(void *result)
{
	struct capos_thread *t = self;
	int err;

	if (t == &main_thread)
		capos_exit(0);
	capos_serve_thread_done();
	/* Releases this thread queued go with its ring, so send them now. */
	capos_flush();
	if (t) /* NULL: a thread the runtime did not start */
		__atomic_fetch_or(&t->flags, THREAD_FINISHED, __ATOMIC_RELEASE);
	err = control_exit((uint64_t)(uintptr_t)result);
	printf("capos_thread_exit: ThreadControl.exit failed: %s\n",
	       capos_strerror(err));
	capos_exit(134);
}
