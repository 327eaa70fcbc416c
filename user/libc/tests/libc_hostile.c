/*
 * libc_hostile: every Linux system call number from 0 to LAST_NUMBER
 * through musl's syscall(), round after round of garbage arguments (boot
 * case user-libc-hostile).  Every call must come back, with an error or
 * a harmless success: the shim (user/libc/shim) may answer a bad pointer,
 * fd or length only with an errno, never by faulting the program, and
 * the kernel behind it must not notice anything.
 *
 * After the rounds the program checks that it is still whole (stdout,
 * malloc, a thread), that the shim's counters of unsupported numbers
 * (capos_libc_unsupported) moved exactly as the answers it saw, and that
 * the pointers it knows are bad got EFAULT.
 *
 * Calls whose garbage could legitimately destroy the program are made
 * only with arguments that make them fail, or skipped: see
 * tame_arguments().
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "capos_libc.h"

/* The last x86_64 system call number Linux had when this was written
 * (450, set_mempolicy_home_node). */
#define LAST_NUMBER 450
#define NUMBERS     (LAST_NUMBER + 1)

/* The valid buffer: BUF_PAGES pages of garbage between two guard pages
 * that are reserved but not accessible. */
#define PAGE      4096ul
#define BUF_PAGES 16ul
#define BUF_SIZE  (BUF_PAGES * PAGE)

static int failures;
static unsigned char *buf;
static uint64_t seed = 0x9e3779b97f4a7c15ull;

static void
check(int ok, const char *what)
{
	if (!ok) {
		printf("libc_hostile: FAILED %s\n", what);
		failures++;
	}
}

/* A fixed-seed generator, so a run's garbage is the same every boot: an
 * answer that changed from one run to the next is the shim's doing. */
static uint64_t
next_random(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static void
refill(void)
{
	unsigned long i;

	for (i = 0; i < BUF_SIZE / sizeof(uint64_t); i++)
		((uint64_t *)buf)[i] = next_random();
}

enum round {
	R_ZERO,       /* every argument 0 */
	R_ONES,       /* every argument -1 */
	R_HUGE,       /* lengths and counts past any limit */
	R_KERNEL,     /* addresses in the kernel half */
	R_UNMAPPED,   /* user addresses with nothing there */
	R_MISALIGNED, /* odd addresses inside the valid buffer */
	R_FDS_LOW,    /* fd 3 + n, then the valid buffer and small lengths */
	R_FDS_HIGH,   /* fd 1000 - n, the same */
	R_BUFFER,     /* every argument a pointer into the valid buffer */
	R_MIXED,      /* a small number, the buffer, a length that fits */
	ROUNDS
};

static const char *const round_name[ROUNDS] = {
    "zero",       "minus-one", "huge",     "kernel-half", "unmapped",
    "misaligned", "fds-low",   "fds-high", "buffer",      "mixed",
};

static const long huge[6] = {
    0x7fffffffffffffff, (long)0x8000000000000000ull, 0xffffffff, 0x100000000,
    0x7fffffff,         (long)0xfffffffffffff000ull,
};

static const long kernel_half[6] = {
    (long)0xffff800000000000ull, (long)0xffffffff80000000ull,
    (long)0xffff800000001000ull, (long)0xfffffffffffffff8ull,
    (long)0xffff888000000000ull, (long)0xfffffe0000000000ull,
};

/* Nothing is mapped there: below the image (the null guard), in the
 * image window past the image, far into the heap window, between the
 * CapSet page and the TLS area, right above the main stack, and the
 * valid buffer's own guard page. */
static long
unmapped(int k)
{
	static const long fixed[5] = {
	    0x200000,       0x10000000,     0x6fff00000000,
	    0x7ffff2000000, 0x7fffffff0000,
	};

	return k < 5 ? fixed[k] : (long)(buf - PAGE);
}

static void
garbage(enum round r, long n, long a[6])
{
	int k;

	for (k = 0; k < 6; k++) {
		switch (r) {
		case R_ZERO:
			a[k] = 0;
			break;
		case R_ONES:
			a[k] = -1;
			break;
		case R_HUGE:
			a[k] = huge[k];
			break;
		case R_KERNEL:
			a[k] = kernel_half[k];
			break;
		case R_UNMAPPED:
			a[k] = unmapped(k);
			break;
		case R_MISALIGNED:
			a[k] = (long)(buf + 1 + 2 * k + k * PAGE * 2);
			break;
		case R_FDS_LOW:
		case R_FDS_HIGH: {
			static const long rest[6] = {0, 0, 64, 0, 16, 0};

			a[k] = rest[k];
			if (k == 1 || k == 3)
				a[k] = (long)(buf + k * PAGE);
			if (k == 0)
				a[k] = r == R_FDS_LOW ? 3 + n : 1000 - n;
			break;
		}
		case R_BUFFER:
			a[k] = (long)(buf + k * 2 * PAGE);
			break;
		case R_MIXED: {
			static const long mixed[6] = {7, 0, 4096, 0, 8, -1};

			a[k] = mixed[k];
			if (k == 1 || k == 3)
				a[k] = (long)(buf + k * PAGE);
			break;
		}
		default:
			a[k] = 0;
		}
	}
}

/*
 * The numbers whose garbage could legitimately destroy the program, not
 * through a fault of the shim but because the call does what it was
 * asked.  Returns 0 to skip the number, else makes the arguments ones
 * the call fails on.
 */
static int
tame_arguments(long n, long a[6])
{
	switch (n) {
	case SYS_exit:       /* ends this thread: the program's last one */
	case SYS_exit_group: /* ends the program */
		return 0;
	case SYS_munmap:
	case SYS_mprotect:
		/* A garbage range may cover the program's own heap, stacks
		 * or the valid buffer.  An odd address fails (EINVAL) before
		 * anything is looked at; kernel-half ones are the kernel's
		 * to refuse. */
		if ((unsigned long)a[0] < 0xffff800000000000ul)
			a[0] |= 1;
		return 1;
	case SYS_close:
		/* Closing fds 0-2 works, and the checks at the end write to
		 * stdout. */
		if (a[0] >= 0 && a[0] <= 2)
			a[0] += 1000;
		return 1;
	default:
		/* set_tid_address (218) runs: the main thread never ends
		 * through the word it names (exit_group ends the program),
		 * and the shim forgets a word it cannot write anyway. */
		return 1;
	}
}

/* What the rounds saw. */
static unsigned long calls, enosys_answers, skipped;
static unsigned long calls_of[NUMBERS], enosys_of[NUMBERS];
static unsigned long counted_of[NUMBERS];
static int counter_mismatch;

static void
call_one(long n, enum round r)
{
	unsigned long before = capos_libc_unsupported(n), delta;
	long a[6], ret;

	garbage(r, n, a);
	if (!tame_arguments(n, a)) {
		skipped++;
		return;
	}
	errno = 0;
	ret = syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]);
	calls++;
	calls_of[n]++;
	if (ret == -1 && errno == ENOSYS) {
		enosys_answers++;
		enosys_of[n]++;
	}
	delta = capos_libc_unsupported(n) - before;
	counted_of[n] += delta;
	/* A number the shim has no handler for is ENOSYS, and counted, on
	 * every call; a handled one is counted at most once per call, and
	 * only when it failed (open, openat: ENOENT). */
	if (!capos_libc_supported(n)
	        ? !(ret == -1 && errno == ENOSYS && delta == 1)
	        : (delta > 1 || (delta == 1 && ret != -1))) {
		if (!counter_mismatch++)
			printf("libc_hostile: number %ld round %s: answer %ld "
			       "errno %d, counter moved by %lu\n",
			       n, round_name[r], ret, errno, delta);
	}
}

/* Pointers the program knows are bad for the call get EFAULT: unmapped,
 * read-only, running into a guard page, and a buffer the kernel must be
 * asked about (the valid buffer is in the heap window). */
static void
check_efault(void)
{
	struct timespec *edge = (struct timespec *)(buf + BUF_SIZE - 8);
	char *ro;

	errno = 0;
	check(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, 0x10000000) == -1 &&
	          errno == EFAULT,
	      "clock_gettime into unmapped memory is EFAULT");
	errno = 0;
	check(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, edge) == -1 &&
	          errno == EFAULT,
	      "clock_gettime running into a guard page is EFAULT");
	errno = 0;
	check(syscall(SYS_uname, (long)&check) == -1 && errno == EFAULT,
	      "uname into the program's text is EFAULT");
	errno = 0;
	check(syscall(SYS_write, 1, buf - PAGE, 5) == -1 && errno == EFAULT,
	      "write from a guard page is EFAULT");
	errno = 0;
	check(syscall(SYS_getrandom, buf + BUF_SIZE - 16, 32, 0) == -1 &&
	          errno == EFAULT,
	      "getrandom across the buffer's end is EFAULT");
	check(syscall(SYS_getrandom, buf + BUF_SIZE - 32, 32, 0) == 32,
	      "getrandom up to the buffer's end fills it");
	check(syscall(SYS_uname, buf + PAGE - 3) == 0 &&
	          strcmp(((struct utsname *)(buf + PAGE - 3))->sysname,
	                 "capOS") == 0,
	      "uname into the buffer, misaligned, across a page");
	ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(ro != MAP_FAILED, "mmap read-only");
	if (ro != MAP_FAILED) {
		errno = 0;
		check(syscall(SYS_uname, ro) == -1 && errno == EFAULT,
		      "uname into a read-only mapping is EFAULT");
		check(syscall(SYS_write, 1, ro, 0) == 0,
		      "a write of nothing from it is 0");
		munmap(ro, PAGE);
	}
}

static void *
worker(void *arg)
{
	return (void *)((long)arg * 3);
}

/* Still whole: stdout (this line), malloc and free, a thread. */
static void
check_whole(void)
{
	pthread_t t;
	void *ret = NULL;
	char *p[64];
	int i, ok = 1;

	for (i = 0; i < 64; i++) {
		p[i] = malloc(16 + (size_t)i * 97);
		if (!p[i]) {
			ok = 0;
			break;
		}
		memset(p[i], i, 16 + (size_t)i * 97);
	}
	while (i-- > 0) {
		ok &= p[i][15 + i * 97] == (char)i;
		free(p[i]);
	}
	check(ok, "malloc and free after the rounds");
	check(pthread_create(&t, NULL, worker, (void *)14) == 0 &&
	          pthread_join(t, &ret) == 0 && ret == (void *)42,
	      "a thread starts and joins after the rounds");
	check(printf("libc_hostile: stdout still works\n") > 0,
	      "printf after the rounds");
}

int
main(void)
{
	unsigned long no_handler = 0, handled = 0, counted = 0;
	long n;
	int r;

	/* The guard pages stay PROT_NONE: reserved, never committed. */
	buf = mmap(NULL, BUF_SIZE + 2 * PAGE, PROT_NONE,
	           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED ||
	    mprotect(buf + PAGE, BUF_SIZE, PROT_READ | PROT_WRITE)) {
		printf("libc_hostile: FAILED no valid buffer\n");
		return 1;
	}
	buf += PAGE;

	for (r = 0; r < ROUNDS; r++) {
		unsigned long before = calls;

		refill();
		for (n = 0; n <= LAST_NUMBER; n++)
			call_one(n, (enum round)r);
		printf("libc_hostile: round %s: %lu calls returned\n",
		       round_name[r], calls - before);
	}

	for (n = 0; n <= LAST_NUMBER; n++) {
		if (!calls_of[n])
			continue;
		counted += counted_of[n];
		if (capos_libc_supported(n))
			handled++;
		else if (enosys_of[n] == calls_of[n])
			no_handler++;
	}
	check(counter_mismatch == 0,
	      "capos_libc_unsupported moved exactly as the answers");
	check(handled + no_handler == NUMBERS - 2,
	      "every number called is handled or ENOSYS on every call");
	check_efault();
	check_whole();
	printf("libc_hostile: %lu calls to %d numbers (%lu skipped calls), "
	       "%lu ENOSYS answers\n",
	       calls, NUMBERS, skipped, enosys_answers);
	printf("libc_hostile: %lu numbers handled, %lu answered only ENOSYS; "
	       "the shim counted %lu calls unsupported\n",
	       handled, no_handler, counted);
	printf("libc_hostile: %d failed\n", failures);
	return failures ? 1 : 0;
}
