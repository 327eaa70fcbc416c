/*
 * linuxbench: the Linux side of `make bench`, run as /init of a tiny
 * initramfs under the same QEMU command line as capOS.  Measures, in TSC
 * ticks (guest instructions under icount; see bench/bench.h):
 *
 *   nop_single     io_uring NOP, one per io_uring_enter(1, GETEVENTS)
 *   nop_batch16    sixteen NOPs per io_uring_enter(16, 16), per NOP
 *   enter_empty    io_uring_enter(0, 0) on an empty ring
 *   getpid         the null system call
 *   pipe_rtt       one-byte pipe ping-pong between two processes
 *   pipe_rtt64     the same with 64 bytes each way
 *   futex_rtt      futex ping-pong between two processes (shared page)
 *   scm_rights_rtt one byte and one fd over a Unix socket, each way
 *   spawn_wait     fork + exec of a minimal static program + wait
 *   vfork_wait     vfork + exec + wait
 *   posix_spawn_wait  posix_spawn + wait (glibc: clone with CLONE_VFORK)
 *   thread_create_join  pthread_create of a function that returns its
 *                  argument, pthread_join (the value checked)
 *   vm_page        mmap of one anonymous read-write page, one word
 *                  written (and read back), munmap
 *   vm_1m          the same with 1 MiB, one word a page
 *   pipe_1m        1 MiB handed to another process through a pipe: a
 *                  fresh number written into every page of a buffer, the
 *                  whole buffer written into the pipe, read out by the
 *                  partner, every page checked, one byte back
 *   memfd_1m       the same through a memfd mapped in both processes,
 *                  one byte each way over pipes to signal
 *   boot_reset_to_user  TSC at /init's first instruction
 *
 * Every operation checks its result (bench_check): a wrong result code,
 * echo, exit code or a system call error makes the row a BENCH_ERROR.
 * With linuxbench=boot on the kernel command line (in /init's
 * environment) only the boot line is printed: make bench boots Linux
 * more than once for the boot row.
 *
 * The machine has one CPU (-smp 1); every process is pinned to CPU 0
 * anyway, so a ping-pong is two context switches on one CPU.  io_uring
 * is driven by raw system calls and the mmap'ed rings, without liburing.
 * When it is done, /init leaves QEMU through isa-debug-exit (status 33,
 * as capOS's pass), or with the fail code if anything failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "../bench.h"

#define ITERS        2000
#define MIB_ITERS    50
#define MIB_PAGES    256
#define MIB          (MIB_PAGES * BENCH_PAGE)
#define SPAWN_ITERS  20
#define TCJ_ITERS    100
#define BATCH        16
#define NOTHING_PATH "/nothing"
/* The C library rows (bench/libc), on Debian's musl. */
#define LIBCBENCH_PATH "/libcbench"

uint64_t bench_entry_tsc;

/*
 * The ELF entry point (linked with -e bench_entry): reads the TSC before
 * the C library starts, then goes on to glibc's _start.  The kernel
 * starts a process with RDX = 0 (no rtld_fini); rdtsc clobbers it, so
 * it is cleared again.
 */
__asm__(".text\n"
        ".global bench_entry\n"
        "bench_entry:\n"
        "	lfence\n"
        "	rdtsc\n"
        "	movl %eax, bench_entry_tsc(%rip)\n"
        "	movl %edx, bench_entry_tsc+4(%rip)\n"
        "	xorl %edx, %edx\n"
        "	jmp _start\n");

/* --- io_uring -------------------------------------------------------- */

static int ring_fd;
static uint32_t *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
static struct io_uring_sqe *sqes;
static struct io_uring_cqe *cqes;

static int
uring_setup(void)
{
	struct io_uring_params p;
	size_t sq_len, cq_len;
	uint8_t *sq, *cq;
	uint32_t i;

	memset(&p, 0, sizeof(p));
	ring_fd = (int)syscall(__NR_io_uring_setup, 32, &p);
	if (ring_fd < 0)
		return -1;
	sq_len = p.sq_off.array + p.sq_entries * sizeof(uint32_t);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP)
		sq_len = cq_len = sq_len > cq_len ? sq_len : cq_len;
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE,
	          MAP_SHARED | MAP_POPULATE, ring_fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return -1;
	cq = sq;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE,
		          MAP_SHARED | MAP_POPULATE, ring_fd,
		          IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			return -1;
	}
	sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
	            PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring_fd,
	            IORING_OFF_SQES);
	if (sqes == MAP_FAILED)
		return -1;
	sq_tail = (uint32_t *)(sq + p.sq_off.tail);
	sq_mask = (uint32_t *)(sq + p.sq_off.ring_mask);
	sq_array = (uint32_t *)(sq + p.sq_off.array);
	cq_head = (uint32_t *)(cq + p.cq_off.head);
	cq_tail = (uint32_t *)(cq + p.cq_off.tail);
	cq_mask = (uint32_t *)(cq + p.cq_off.ring_mask);
	cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	/* The indirection array maps slot i to SQE i, once and for all. */
	for (i = 0; i < p.sq_entries; i++)
		sq_array[i] = i;
	return 0;
}

/* As capOS's sq_push: a whole 64-byte entry copied in, then the tail. */
static inline void
uring_push_nop(void)
{
	static const struct io_uring_sqe nop = {.opcode = IORING_OP_NOP,
	                                        .user_data = 1};
	uint32_t tail = *sq_tail;

	sqes[tail & *sq_mask] = nop;
	__atomic_store_n(sq_tail, tail + 1, __ATOMIC_RELEASE);
}

/* As capOS's cq_reap: n CQEs of NOPs, each with user_data 1 and res 0. */
static inline unsigned long
uring_reap(uint32_t n)
{
	uint32_t head = *cq_head;
	uint32_t tail = __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE);
	unsigned long bad = 0;
	uint32_t i, have = tail - head;

	if (have > n)
		have = n;
	bad += bench_check(have == n, "completion missing") * (n - have);
	for (i = 0; i < have; i++) {
		const struct io_uring_cqe *c = &cqes[(head + i) & *cq_mask];

		bad += bench_check(c->user_data == 1,
		                   "completion of another request");
		bad += bench_check(c->res == 0, "result code not 0");
	}
	__atomic_store_n(cq_head, head + have, __ATOMIC_RELEASE);
	return bad;
}

static inline long
uring_enter(unsigned submit, unsigned wait, unsigned flags)
{
	return syscall(__NR_io_uring_enter, ring_fd, submit, wait, flags, NULL,
	               0);
}

static unsigned long
nop_single(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		uring_push_nop();
		bad +=
		    bench_check(uring_enter(1, 1, IORING_ENTER_GETEVENTS) == 1,
		                "io_uring_enter did not submit 1");
		bad += uring_reap(1);
	}
	return bad;
}

static unsigned long
nop_batch16(unsigned long iters)
{
	unsigned long i, bad = 0;
	int j;

	for (i = 0; i < iters; i++) {
		for (j = 0; j < BATCH; j++)
			uring_push_nop();
		bad += bench_check(
		    uring_enter(BATCH, BATCH, IORING_ENTER_GETEVENTS) == BATCH,
		    "io_uring_enter did not submit 16");
		bad += uring_reap(BATCH);
	}
	return bad;
}

static unsigned long
enter_empty(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++)
		bad += bench_check(uring_enter(0, 0, 0) == 0,
		                   "io_uring_enter(0, 0) did not return 0");
	return bad;
}

static unsigned long
getpid_loop(unsigned long iters)
{
	unsigned long i, bad = 0;

	/* glibc does not cache getpid; the raw call makes sure of it. */
	for (i = 0; i < iters; i++)
		bad += bench_check(syscall(SYS_getpid) == 1,
		                   "getpid is not 1 (not /init?)");
	return bad;
}

/* --- ping-pong between two processes --------------------------------- */

/*
 * A partner process answers each message; the parent times round trips.
 * One partner, forked before any clock starts, serves the warm-up and
 * every run (see pingpong), then exits.  A partner exits with 1 when
 * anything fails; pingpong reports that as the row's error.
 */
static int to_child[2], to_parent[2], sock[2];
static int have_pipes; /* to_child and to_parent were made */
static volatile uint32_t *futex_word;

#define MSG64 64

static long
futex(volatile uint32_t *addr, int op, uint32_t val)
{
	return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

/* Echoes messages of len bytes (1 or MSG64) back over the other pipe. */
static void
pipe_partner_len(unsigned long iters, size_t len)
{
	char buf[MSG64];

	while (iters--) {
		if (read(to_child[0], buf, len) != (ssize_t)len ||
		    write(to_parent[1], buf, len) != (ssize_t)len)
			_exit(1);
	}
	_exit(0);
}

static void
pipe_partner(unsigned long iters)
{
	pipe_partner_len(iters, 1);
}

static void
pipe_partner64(unsigned long iters)
{
	pipe_partner_len(iters, MSG64);
}

/* One byte each way; the byte changes every round, so an answer that
 * is not the echo of this round's byte fails the check. */
static unsigned long
pipe_rounds(unsigned long iters)
{
	unsigned long i, bad = 0;
	char c, sent;

	for (i = 0; i < iters; i++) {
		sent = c = (char)i;
		if (bench_check(write(to_child[1], &c, 1) == 1,
		                "write to the pipe failed") ||
		    bench_check(read(to_parent[0], &c, 1) == 1,
		                "read from the pipe failed") ||
		    bench_check(c == sent, "echoed byte differs"))
			bad++;
	}
	return bad;
}

/* 64 bytes each way, as capOS's 64-byte row: the first 8 carry the round
 * number, and the whole echo is compared with what was sent. */
static unsigned long
pipe_rounds64(unsigned long iters)
{
	static uint64_t out[MSG64 / 8], in[MSG64 / 8];
	unsigned long i, bad = 0;
	unsigned j;

	for (j = 0; j < MSG64 / 8; j++)
		out[j] = 0xa5a5a5a5a5a5a5a5ull ^ j;
	for (i = 0; i < iters; i++) {
		out[0] = i;
		if (bench_check(write(to_child[1], out, MSG64) == MSG64,
		                "write to the pipe failed") ||
		    bench_check(read(to_parent[0], in, MSG64) == MSG64,
		                "read from the pipe failed") ||
		    bench_check(memcmp(in, out, MSG64) == 0,
		                "echoed payload differs"))
			bad++;
	}
	return bad;
}

/* FUTEX_WAIT may return EAGAIN (the word changed) or EINTR; anything
 * else is an error. */
static inline int
futex_wait_ok(long r)
{
	return r == 0 || errno == EAGAIN || errno == EINTR;
}

/* The word is 1 when the partner's turn, 0 when the parent's. */
static void
futex_partner(unsigned long iters)
{
	while (iters--) {
		while (__atomic_load_n(futex_word, __ATOMIC_ACQUIRE) != 1)
			if (!futex_wait_ok(futex(futex_word, FUTEX_WAIT, 0)))
				_exit(1);
		__atomic_store_n(futex_word, 0, __ATOMIC_RELEASE);
		if (futex(futex_word, FUTEX_WAKE, 1) < 0)
			_exit(1);
	}
	_exit(0);
}

static unsigned long
futex_rounds(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		__atomic_store_n(futex_word, 1, __ATOMIC_RELEASE);
		bad += bench_check(futex(futex_word, FUTEX_WAKE, 1) >= 0,
		                   "FUTEX_WAKE failed");
		while (__atomic_load_n(futex_word, __ATOMIC_ACQUIRE) != 0)
			if (bench_check(
			        futex_wait_ok(futex(futex_word, FUTEX_WAIT, 1)),
			        "FUTEX_WAIT failed"))
				return bad + 1;
	}
	return bad;
}

/* Sends one byte and, when fd >= 0, one descriptor with it. */
static int
send_fd(int s, int fd)
{
	char byte = 'f';
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = u.buf,
	                     .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(s, &msg, 0) == 1 ? 0 : -1;
}

/* Receives one byte and its descriptor; returns the fd or -1. */
static int
recv_fd(int s)
{
	char byte;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = u.buf,
	                     .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(s, &msg, 0) != 1 || byte != 'f')
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* "Moving" a descriptor: the sender closes its copy after sending. */
static void
scm_partner(unsigned long iters)
{
	int fd;

	while (iters--) {
		fd = recv_fd(sock[1]);
		if (fd < 0 || send_fd(sock[1], fd) || close(fd))
			_exit(1);
	}
	_exit(0);
}

static int scm_fd = -1;

static unsigned long
scm_rounds(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		if (bench_check(send_fd(sock[0], scm_fd) == 0,
		                "sendmsg with SCM_RIGHTS failed") ||
		    bench_check(close(scm_fd) == 0, "close failed"))
			return bad + 1;
		scm_fd = recv_fd(sock[0]);
		if (bench_check(scm_fd >= 0,
		                "recvmsg brought no descriptor back"))
			return bad + 1;
	}
	return bad;
}

/*
 * bench_run calls fn for the warm-up and then BENCH_RUNS times: one
 * partner serves all of them, so it is told the total up front.
 */
static unsigned long
total_iters(unsigned long iters)
{
	return (iters / 4 + 1) + BENCH_RUNS * iters;
}

/*
 * The partner's exit is checked before the row is printed, so a partner
 * that failed turns the row into a BENCH_ERROR.  bench_run stops at the
 * first failed run; the partner then waits for messages that never come,
 * so it is killed.
 */
static int
pingpong_n(const char *name, bench_fn rounds, void (*partner)(unsigned long),
           unsigned long iters)
{
	struct bench_stat s;
	int status, err;
	pid_t pid = fork();

	if (pid < 0) {
		printf("BENCH_ERROR %s: fork failed: %s\n", name,
		       strerror(errno));
		return -1;
	}
	if (pid == 0)
		partner(total_iters(iters));
	err = bench_measure(rounds, iters, 1, &s);
	if (err)
		kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid) {
		printf("BENCH_ERROR %s: waitpid for the partner failed: %s\n",
		       name, strerror(errno));
		return -1;
	}
	if (!err && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		printf("BENCH_ERROR %s: the partner failed (wait status "
		       "%#x)\n",
		       name, status);
		return -1;
	}
	return bench_report(name, err, &s);
}

static int
pingpong(const char *name, bench_fn rounds, void (*partner)(unsigned long))
{
	return pingpong_n(name, rounds, partner, ITERS);
}

/* --- spawn ------------------------------------------------------------ */

static char *const nothing_argv[] = {NOTHING_PATH, NULL};
static char *const nothing_envp[] = {NULL};

/* The child ran /nothing to its end: exit code 0 (127: exec failed). */
static unsigned long
reap(pid_t pid)
{
	int status;

	if (bench_check(pid > 0, "fork, vfork or posix_spawn failed"))
		return 1;
	if (bench_check(waitpid(pid, &status, 0) == pid, "waitpid failed") ||
	    bench_check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	                "the child's exit code is not 0"))
		return 1;
	return 0;
}

static unsigned long
spawn_wait(unsigned long iters)
{
	unsigned long i, bad = 0;
	pid_t pid;

	for (i = 0; i < iters; i++) {
		pid = fork();
		if (pid == 0) {
			execve(NOTHING_PATH, nothing_argv, nothing_envp);
			_exit(127);
		}
		bad += reap(pid);
	}
	return bad;
}

/* The child borrows the parent's memory until it execs: no copy of the
 * address space, as on capOS, where a process starts empty. */
static pid_t __attribute__((noinline)) vfork_exec(void)
{
	pid_t pid = vfork();

	if (pid == 0) {
		execve(NOTHING_PATH, nothing_argv, nothing_envp);
		_exit(127);
	}
	return pid;
}

static unsigned long
vfork_wait(unsigned long iters)
{
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++)
		bad += reap(vfork_exec());
	return bad;
}

static unsigned long
posix_spawn_wait(unsigned long iters)
{
	unsigned long i, bad = 0;
	pid_t pid;

	for (i = 0; i < iters; i++) {
		if (bench_check(posix_spawn(&pid, NOTHING_PATH, NULL, NULL,
		                            nothing_argv, nothing_envp) == 0,
		                "posix_spawn failed")) {
			bad++;
			continue;
		}
		bad += reap(pid);
	}
	return bad;
}

/* --- threads --------------------------------------------------------- */

/* The thread's whole life: return the value it was started with (capOS:
 * ThreadControl.exit with it). */
static void *
tcj_body(void *value)
{
	return value;
}

static unsigned long
thread_create_join(unsigned long iters)
{
	/* Never the same value twice, so a join that answered for an
	 * earlier thread would not pass. */
	static uintptr_t next = 0x7e5700000000;
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		void *want = (void *)next++, *got = NULL;
		pthread_t t;

		if (bench_check(pthread_create(&t, NULL, tcj_body, want) == 0,
		                "pthread_create failed")) {
			bad++;
			continue;
		}
		bad += bench_check(pthread_join(t, &got) == 0,
		                   "pthread_join failed") ||
		       bench_check(got == want,
		                   "join's exit value is not the thread's");
	}
	return bad;
}

/* --- memory --------------------------------------------------------- */

/*
 * vm_page and vm_1m: mmap of anonymous read-write memory, the first word
 * of each page written and read back (bench_touch_pages; the write
 * faults the page in), munmap.  capOS: VirtualMemory reserve, commit,
 * the same touches, unmap.
 */
static unsigned long
map_rounds(unsigned long iters, unsigned long pages)
{
	static uint64_t stamp;
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		void *p = mmap(NULL, pages * BENCH_PAGE, PROT_READ | PROT_WRITE,
		               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (bench_check(p != MAP_FAILED, "mmap failed")) {
			bad++;
			continue;
		}
		bad += bench_touch_pages(p, pages, stamp += pages);
		bad += bench_check(munmap(p, pages * BENCH_PAGE) == 0,
		                   "munmap failed");
	}
	return bad;
}

static unsigned long
vm_page(unsigned long iters)
{
	return map_rounds(iters, 1);
}

static unsigned long
vm_1m(unsigned long iters)
{
	return map_rounds(iters, MIB_PAGES);
}

/*
 * pipe_1m and memfd_1m: 1 MiB handed from this process to the partner,
 * as capOS's shm_1m.  Per operation this side writes a fresh sequence
 * number into the first word of every page of 1 MiB, then
 *   pipe_1m:  writes the whole buffer into to_child (64 KiB of pipe: the
 *             writes and the partner's reads alternate), and the partner
 *             reads all of it into a buffer of its own;
 *   memfd_1m: the buffer is a memfd mapped shared (read-only in the
 *             partner), and one byte on to_child says it is ready;
 * the partner, counting the rounds, checks that every page's first word
 * carries the number, and answers one byte on to_parent: 0 when all do.
 * Both buffers of the pipe row are touched before any clock starts; the
 * partner's own pages fault in during the warm-up, as every row's do.
 */
static uint64_t *mib_out, *mib_in;
static int mib_fd = -1;
static volatile uint64_t *mib_shared;

static int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The producer's round trip after the data went: the partner's byte. */
static unsigned long
mib_answer(void)
{
	char verdict = 1;

	return bench_check(read(to_parent[0], &verdict, 1) == 1,
	                   "read from the pipe failed") ||
	       bench_check(verdict == 0,
	                   "the partner found a page without this round's "
	                   "number");
}

static void
pipe_1m_partner(unsigned long iters)
{
	uint64_t seq = 0;

	while (iters--) {
		char verdict;

		if (read_all(to_child[0], mib_in, MIB))
			_exit(1);
		verdict = bench_pages_carry(mib_in, MIB_PAGES, ++seq) ? 0 : 1;
		if (write(to_parent[1], &verdict, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static unsigned long
pipe_1m(unsigned long iters)
{
	static uint64_t seq;
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		bench_stamp_pages(mib_out, MIB_PAGES, ++seq);
		if (bench_check(write_all(to_child[1], mib_out, MIB) == 0,
		                "write to the pipe failed")) {
			bad++;
			continue;
		}
		bad += mib_answer();
	}
	return bad;
}

static void
memfd_1m_partner(unsigned long iters)
{
	const volatile uint64_t *p =
	    mmap(NULL, MIB, PROT_READ, MAP_SHARED, mib_fd, 0);
	uint64_t seq = 0;

	if (p == MAP_FAILED)
		_exit(1);
	while (iters--) {
		char verdict;

		if (read(to_child[0], &verdict, 1) != 1)
			_exit(1);
		verdict = bench_pages_carry(p, MIB_PAGES, ++seq) ? 0 : 1;
		if (write(to_parent[1], &verdict, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

static unsigned long
memfd_1m(unsigned long iters)
{
	static uint64_t seq;
	unsigned long i, bad = 0;

	for (i = 0; i < iters; i++) {
		char ready = 's';

		bench_stamp_pages(mib_shared, MIB_PAGES, ++seq);
		if (bench_check(write(to_child[1], &ready, 1) == 1,
		                "write to the pipe failed")) {
			bad++;
			continue;
		}
		bad += mib_answer();
	}
	return bad;
}

/* The memory rows; 0, or 1 when one failed. */
static int
memory_rows(void)
{
	int failed = 0;
	void *p;

	failed |= bench_run("vm_page", vm_page, ITERS / 2, 1);
	failed |= bench_run("vm_1m", vm_1m, MIB_ITERS, 1);
	if (!have_pipes) {
		printf("BENCH_ERROR pipe_1m: no pipes\n"
		       "BENCH_ERROR memfd_1m: no pipes\n");
		return 1;
	}

	mib_out = malloc(MIB);
	mib_in = malloc(MIB);
	if (!mib_out || !mib_in) {
		printf("BENCH_ERROR pipe_1m: malloc failed\n");
		failed = 1;
	} else {
		memset(mib_out, 0, MIB);
		memset(mib_in, 0, MIB);
		failed |=
		    pingpong_n("pipe_1m", pipe_1m, pipe_1m_partner, MIB_ITERS);
	}

	mib_fd = memfd_create("bench", 0);
	p = MAP_FAILED;
	if (mib_fd >= 0 && ftruncate(mib_fd, MIB) == 0)
		p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_SHARED, mib_fd,
		         0);
	if (p == MAP_FAILED) {
		printf("BENCH_ERROR memfd_1m: memfd_create, ftruncate or mmap: "
		       "%s\n",
		       strerror(errno));
		return 1;
	}
	mib_shared = p;
	memset(p, 0, MIB);
	failed |= pingpong_n("memfd_1m", memfd_1m, memfd_1m_partner, MIB_ITERS);
	return failed;
}

/* --- the machine ---------------------------------------------------- */

static void
print_file(const char *label, const char *path)
{
	char buf[256];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("BENCH_INFO %s: %s\n", label, buf);
}

static void
describe(void)
{
	static const char *const vulns[] = {"meltdown", "spectre_v2",
	                                    "retbleed", "mds"};
	struct utsname u;
	char path[128];
	size_t i;

	mkdir("/proc", 0555);
	mkdir("/sys", 0555);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	if (uname(&u) == 0)
		printf("BENCH_INFO linux %s %s\n", u.release, u.version);
	print_file("cmdline", "/proc/cmdline");
	print_file("clocksource",
	           "/sys/devices/system/clocksource/clocksource0/"
	           "current_clocksource");
	for (i = 0; i < sizeof(vulns) / sizeof(vulns[0]); i++) {
		snprintf(path, sizeof(path),
		         "/sys/devices/system/cpu/vulnerabilities/%s",
		         vulns[i]);
		print_file(vulns[i], path);
	}
}

/* libcbench prints its own BENCH lines; its exit code says whether a
 * row failed. */
static int
libc_rows(void)
{
	static char *const argv[] = {LIBCBENCH_PATH, NULL};
	static char *const envp[] = {NULL};
	int status = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execve(LIBCBENCH_PATH, argv, envp);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		printf("BENCH_ERROR libc: libcbench did not run to its end "
		       "(status %#x)\n",
		       status);
		return 1;
	}
	return 0;
}

int
main(void)
{
	uint64_t boot = bench_entry_tsc, t0, t1;
	struct timespec ts0, ts1;
	cpu_set_t cpus;
	const char *mode;
	int failed = 0;

	console_open();
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	printf("BENCH boot_reset_to_user %lu %lu %lu ticks\n",
	       (unsigned long)boot, (unsigned long)boot, (unsigned long)boot);
	/* The boot-only boots (make bench boots Linux more than once for
	 * the boot row): the kernel passes linuxbench=boot to /init in its
	 * environment. */
	mode = getenv("linuxbench");
	if (mode && strcmp(mode, "boot") == 0) {
		printf("BENCH_DONE\n");
		leave_qemu(0);
	}
	describe();
	printf("BENCH_INFO linux linuxbench, %d runs of %d iterations\n",
	       BENCH_RUNS, ITERS);
	clock_gettime(CLOCK_MONOTONIC, &ts0);
	t0 = bench_tsc();

	if (uring_setup()) {
		failed = 1;
		printf("BENCH_ERROR nop_single: io_uring_setup: %s\n"
		       "BENCH_ERROR nop_batch16: io_uring_setup: %s\n"
		       "BENCH_ERROR enter_empty: io_uring_setup: %s\n",
		       strerror(errno), strerror(errno), strerror(errno));
	} else {
		failed |= bench_run("nop_single", nop_single, ITERS, 1);
		failed |=
		    bench_run("nop_batch16", nop_batch16, ITERS / 4, BATCH);
		failed |= bench_run("enter_empty", enter_empty, ITERS, 1);
	}
	failed |= bench_run("getpid", getpid_loop, ITERS, 1);

	if (pipe(to_child) || pipe(to_parent)) {
		failed = 1;
		printf("BENCH_ERROR pipe_rtt: pipe: %s\n"
		       "BENCH_ERROR pipe_rtt64: pipe: %s\n",
		       strerror(errno), strerror(errno));
	} else {
		have_pipes = 1;
		failed |= pingpong("pipe_rtt", pipe_rounds, pipe_partner);
		failed |= pingpong("pipe_rtt64", pipe_rounds64, pipe_partner64);
	}

	futex_word = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (futex_word == MAP_FAILED) {
		failed = 1;
		printf("BENCH_ERROR futex_rtt: mmap: %s\n", strerror(errno));
	} else
		failed |= pingpong("futex_rtt", futex_rounds, futex_partner);

	scm_fd = open("/", O_RDONLY);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sock) || scm_fd < 0) {
		failed = 1;
		printf("BENCH_ERROR scm_rights_rtt: socketpair or open: %s\n",
		       strerror(errno));
	} else
		failed |= pingpong("scm_rights_rtt", scm_rounds, scm_partner);

	failed |= bench_run("spawn_wait", spawn_wait, SPAWN_ITERS, 1);
	failed |= bench_run("vfork_wait", vfork_wait, SPAWN_ITERS, 1);
	failed |=
	    bench_run("posix_spawn_wait", posix_spawn_wait, SPAWN_ITERS, 1);
	failed |=
	    bench_run("thread_create_join", thread_create_join, TCJ_ITERS, 1);
	failed |= memory_rows();
	failed |= libc_rows();

	t1 = bench_tsc();
	clock_gettime(CLOCK_MONOTONIC, &ts1);
	printf("BENCH_CLOCK %lu %lu\n", (unsigned long)(t1 - t0),
	       (unsigned long)((ts1.tv_sec - ts0.tv_sec) * 1000000000L +
	                       ts1.tv_nsec - ts0.tv_nsec));
	/* Done either way: the report turns any BENCH_ERROR into a failure. */
	printf("BENCH_DONE\n");
	leave_qemu(failed);
}
