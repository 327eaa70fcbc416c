/*
 * Threads for musl's pthreads: clone, the futex, and thread exit.
 *
 * __clone takes only the form pthread_create uses (a thread sharing
 * everything, with its own TLS block) and makes it a ThreadSpawner
 * thread: it enters capos_libc_thread_entry on its own ring, with the
 * stack and TLS block musl prepared.  Its ThreadHandle is released at
 * once (detached): musl joins threads itself, through the futex.
 *
 * Thread ids are the shim's own, 1 for the main thread and counting up;
 * musl stores them in mutexes that record an owner.
 *
 * Exit.  musl's joiner waits for the exiting thread's "clear tid" word
 * (CLONE_CHILD_CLEARTID, set_tid_address) to become 0 and then frees the
 * thread's stack.  So the store of 0 must come after the thread's last
 * use of its stack: shim_sys_exit queues an UNPARK of the word and the
 * ThreadControl.exit call on the thread's ring first, with a message that
 * lives in static memory, then stores 0 and enters the kernel without
 * touching the stack again (thread_exit_final).  A detached thread that
 * frees its own stack (__unmapself) hands the unmapping to the next
 * thread that creates or ends a thread, once the kernel has seen the
 * exiting thread off.
 *
 * The cancellation entry points musl's cancellation code needs are here
 * too; with no signals, cancellation acts only at the points that check
 * for it.
 */
#define _GNU_SOURCE /* the CLONE_ flags */
#include <limits.h>
#include <sched.h>
#include <time.h>

#include "capos_call.h"
#include "internal.h"
#include "ring_raw.h"
#include "shim.h"

#include "capos.capnp.h"

#define FUTEX_WAIT        0
#define FUTEX_WAKE        1
#define FUTEX_REQUEUE     3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_CMD_MASK    0x7f /* without PRIVATE and CLOCK_REALTIME */

/* The clone flags of a thread that shares everything with its creator,
 * which is the only kind of clone capOS can make. */
#define THREAD_FLAGS                                                           \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |    \
	 CLONE_SETTLS)

/* What a new thread needs, at the top of its stack. */
struct thread_start {
	int (*fn)(void *);
	void *arg;
	int *clear_tid;
	int tid;
};

static __thread int self_tid;
static __thread int *self_clear_tid;
static int next_tid = 1;

static capos_capid_t spawner_cap, control_cap, park_cap;
static uint8_t spawner_looked, control_looked, park_looked;

/* ThreadControl.exit(0), framed once and never written again: the
 * exiting thread's kernel call reads it after the thread's stack may be
 * gone. */
static uint8_t exit_params[64] __attribute__((aligned(8)));
static uint32_t exit_params_len;
static uint32_t exit_params_ready;

/* Stacks of detached threads that ended, to unmap once each thread is
 * gone: its `running` word is stored 0 by its last instruction before the
 * kernel ends it (thread_exit_final).  With every slot taken, a stack is
 * left mapped (counted in leaked_stacks). */
#define DEFERRED_MAX 64
static struct capos_mutex deferred_lock = CAPOS_MUTEX_INIT;
static struct {
	void *base;
	size_t size;
	int running;
} deferred[DEFERRED_MAX];
static unsigned long leaked_stacks;

static int
current_tid(void)
{
	if (!self_tid)
		self_tid = 1; /* the main thread, before any clone */
	return self_tid;
}

static int
prepare_exit_params(void)
{
	capos_ThreadControl_exit_Params_builder p;
	struct capos_msgbuf mb;

	if (__atomic_load_n(&exit_params_ready, __ATOMIC_ACQUIRE))
		return 0;
	capos_msg_begin(&mb);
	p = capos_ThreadControl_exit_Params_build_root(&mb.b);
	capos_ThreadControl_exit_Params_set_value(p, 0);
	if (capos_msg_end(&mb) || mb.framed_len > sizeof(exit_params))
		return -ENOMEM;
	/* Racing threads write the same bytes. */
	memcpy(exit_params, mb.framed, mb.framed_len);
	exit_params_len = mb.framed_len;
	__atomic_store_n(&exit_params_ready, 1, __ATOMIC_RELEASE);
	return 0;
}

static void __attribute__((noreturn)) thread_exit(int *running);

/* Entry of a cloned thread: RDI = its ring page, RSI = its struct
 * thread_start (the thread entry ABI). */
void capos_libc_thread_entry(void);
void __attribute__((noreturn))
capos_libc_thread_start(struct capos_ring_page *ring, struct thread_start *s);
THREAD_RAW_ENTRY(capos_libc_thread_entry, capos_libc_thread_start);

void __attribute__((noreturn))
capos_libc_thread_start(struct capos_ring_page *ring, struct thread_start *s)
{
	capos_rt.ring = ring;
	self_tid = s->tid;
	self_clear_tid = s->clear_tid;
	s->fn(s->arg);
	thread_exit(NULL);
}

/* Unmaps the stacks of detached threads that have ended; the caller
 * holds deferred_lock.  Slots never move: an exiting thread holds the
 * address of its own `running` word. */
static void
reap_deferred_locked(void)
{
	unsigned i;

	for (i = 0; i < DEFERRED_MAX; i++) {
		if (!deferred[i].base ||
		    __atomic_load_n(&deferred[i].running, __ATOMIC_ACQUIRE))
			continue;
		shim_sys_munmap((long)deferred[i].base, (long)deferred[i].size,
		                0, 0, 0, 0);
		deferred[i].base = NULL;
	}
}

static void
reap_deferred(void)
{
	capos_mutex_lock(&deferred_lock);
	reap_deferred_locked();
	capos_mutex_unlock(&deferred_lock);
}

int
__clone(int (*fn)(void *), void *stack, int flags, void *arg, int *ptid,
        void *tls, int *ctid)
{
	capos_capid_t spawner = shim_cap(capos_ThreadSpawner_TYPE_ID,
	                                 &spawner_cap, &spawner_looked);
	struct thread_start *s;
	capos_capid_t handle;
	int tid, err;

	if ((flags & THREAD_FLAGS) != THREAD_FLAGS)
		return -ENOSYS; /* a new process: fork, vfork, posix_spawn */
	if (!spawner)
		return -EPERM;
	if (prepare_exit_params())
		return -ENOMEM;
	reap_deferred();
	tid = __atomic_add_fetch(&next_tid, 1, __ATOMIC_RELAXED);
	s = (struct thread_start *)(((uintptr_t)stack - sizeof(*s)) & ~15ul);
	s->fn = fn;
	s->arg = arg;
	s->tid = tid;
	s->clear_tid = (flags & CLONE_CHILD_CLEARTID) ? ctid : NULL;
	if (flags & CLONE_PARENT_SETTID)
		*ptid = tid;
	err = capos_thread_spawn(spawner, (uintptr_t)capos_libc_thread_entry,
	                         (uintptr_t)s, (uintptr_t)s, (uintptr_t)tls,
	                         &handle);
	if (err)
		return err == CAPOS_E_QUOTA ? -EAGAIN : (int)shim_errno(err);
	capos_release(handle);
	return tid;
}

/* The last steps of an exiting thread: both SQEs are queued, so from the
 * stores of 0 on nothing touches memory the joiner (or the reaper of a
 * detached thread's stack) may free. */
static void __attribute__((noreturn))
thread_exit_final(int *clear_tid, int *running)
{
	__asm__ volatile("testq %0, %0\n\t"
	                 "jz 1f\n\t"
	                 "movl $0, (%0)\n"
	                 "1:\ttestq %1, %1\n\t"
	                 "jz 2f\n\t"
	                 "movl $0, (%1)\n"
	                 "2:\tsyscall\n\t"
	                 "ud2"
	                 :
	                 : "r"(clear_tid), "r"(running),
	                   "a"((uint64_t)CAPOS_SYS_CAP_ENTER), "D"((uint64_t)0),
	                   "S"((uint64_t)0)
	                 : "rcx", "r11", "memory");
	__builtin_unreachable();
}

static void __attribute__((noreturn)) thread_exit(int *running)
{
	struct capos_ring_page *ring = capos_rt.ring;
	capos_capid_t control = shim_cap(capos_ThreadControl_TYPE_ID,
	                                 &control_cap, &control_looked);
	capos_capid_t park =
	    shim_cap(capos_ParkSpace_TYPE_ID, &park_cap, &park_looked);
	int *clear_tid = self_clear_tid;

	if (!control || prepare_exit_params())
		capos_sys_exit(0); /* cannot end just this thread */
	/* What the runtime queued goes first, so nothing is left in the
	 * ring the kernel takes the two SQEs from. */
	capos_flush();
	if (clear_tid && park) {
		struct capos_sqe unpark = {
		    .opcode = CAPOS_OP_UNPARK,
		    .cap = park,
		    .word_addr = (uintptr_t)clear_tid,
		    .unpark_count = UINT32_MAX,
		    .user_data = CAPOS_RUNTIME_TAG,
		};

		raw_push(ring, &unpark);
	}
	raw_call(ring, control, capos_ThreadControl_TYPE_ID,
	         capos_ThreadControl_METHOD_exit, CAPOS_RUNTIME_TAG,
	         exit_params, exit_params_len);
	thread_exit_final(clear_tid, running);
}

/* musl's thread exit value lives in its struct pthread; the kernel is
 * told 0. */
long
shim_sys_exit(SHIM_ARGS)
{
	thread_exit(NULL);
}

void
__unmapself(void *base, size_t size)
{
	int *running = NULL;
	unsigned i;

	capos_mutex_lock(&deferred_lock);
	reap_deferred_locked();
	for (i = 0; i < DEFERRED_MAX && deferred[i].base; i++)
		;
	if (i < DEFERRED_MAX) {
		deferred[i].base = base;
		deferred[i].size = size;
		deferred[i].running = 1;
		running = &deferred[i].running;
	} else {
		leaked_stacks++;
	}
	capos_mutex_unlock(&deferred_lock);
	thread_exit(running);
}

/* The word is stored 0 when the thread ends, with no way to report a
 * fault then: like Linux, which skips a store that would fault, a word
 * the thread cannot write now is forgotten (never stored). */
long
shim_sys_set_tid_address(SHIM_ARGS)
{
	self_clear_tid =
	    shim_user_writable(a0, sizeof(*self_clear_tid)) ? NULL : (int *)a0;
	return current_tid();
}

/* The robust list is accepted and never walked: a thread that dies
 * holding a robust mutex does not mark it. */
long
shim_sys_set_robust_list(SHIM_ARGS)
{
	return 0;
}

long
shim_sys_gettid(SHIM_ARGS)
{
	return current_tid();
}

long
shim_sys_sched_yield(SHIM_ARGS)
{
	capos_sys_cap_enter(0, 0);
	return 0;
}

long
shim_sys_futex(SHIM_ARGS)
{
	uint32_t *word = (uint32_t *)a0;
	const struct timespec *ts = (const struct timespec *)a3;
	uint64_t timeout = CAPOS_PARK_NO_TIMEOUT;
	long r;

	if (((uintptr_t)word & 3) || shim_user_readable(a0, sizeof(*word)))
		return (uintptr_t)word & 3 ? -EINVAL : -EFAULT;
	if (!shim_cap(capos_ParkSpace_TYPE_ID, &park_cap, &park_looked))
		return -ENOSYS;
	switch (a1 & FUTEX_CMD_MASK) {
	case FUTEX_WAIT:
		if (ts) {
			if (shim_user_readable(a3, sizeof(*ts)))
				return -EFAULT;
			if (ts->tv_sec < 0 || ts->tv_nsec < 0 ||
			    ts->tv_nsec >= 1000000000)
				return -EINVAL;
			timeout =
			    (uint64_t)ts->tv_sec >= UINT64_MAX / 1000000000u
			        ? CAPOS_PARK_NO_TIMEOUT
			        : (uint64_t)ts->tv_sec * 1000000000u +
			              (uint64_t)ts->tv_nsec;
		}
		r = capos_park(word, (uint32_t)a2, timeout);
		if (r == CAPOS_PARK_WOKEN)
			return 0;
		if (r == CAPOS_PARK_VALUE_CHANGED)
			return -EAGAIN;
		if (r == CAPOS_E_TIMED_OUT)
			return -ETIMEDOUT;
		if (r == CAPOS_E_CANCELLED)
			return -EINTR;
		return shim_errno((int)r);
	case FUTEX_WAKE:
		if (a2 <= 0)
			return 0;
		r = capos_unpark(word, a2 > INT_MAX ? INT_MAX : (uint32_t)a2);
		return r < 0 ? shim_errno((int)r) : r;
	case FUTEX_CMP_REQUEUE:
		if (__atomic_load_n(word, __ATOMIC_SEQ_CST) != (uint32_t)a5)
			return -EAGAIN;
		/* fall through */
	case FUTEX_REQUEUE:
		/* Waking instead of moving: a futex waiter re-checks its
		 * condition, so an early wake is only a spurious one. */
		if (a2 < 0 || a3 < 0)
			return -EINVAL;
		if (a2 + a3 == 0)
			return 0;
		r = capos_unpark(word, a2 + a3 > INT_MAX ? INT_MAX
		                                         : (uint32_t)(a2 + a3));
		return r < 0 ? shim_errno((int)r) : r;
	default:
		return -ENOSYS;
	}
}

/* --- cancellation ---------------------------------------------------------
 * musl's cancellable system call: if the thread was cancelled, act on it;
 * otherwise make the call.  __cp_begin, __cp_end and __cp_cancel bound
 * that code for musl's cancellation signal handler, which never runs:
 * capOS delivers no signals. */
long __cancel(void);

long
__syscall_cp_asm(volatile int *cancel, long n, long a0, long a1, long a2,
                 long a3, long a4, long a5)
{
	if (*cancel)
		return __cancel();
	return __capos_syscall(n, a0, a1, a2, a3, a4, a5);
}

const char __cp_begin[1], __cp_end[1];

void
__cp_cancel(void)
{
	__cancel();
}
