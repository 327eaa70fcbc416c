/*
 * libc_smoke: a program on the C library touching each system-call
 * family once (boot case user-libc-smoke); the differential suite
 * (tests/libc) goes into each in depth.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "capos_libc.h"

static int failures;

static void
check(int ok, const char *what)
{
	printf("libc_smoke: %s %s\n", ok ? "ok" : "FAILED", what);
	if (!ok)
		failures++;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread int tls_value = 7;

static void *
worker(void *arg)
{
	int i;

	tls_value += (int)(long)arg;
	for (i = 0; i < 1000; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return (void *)(long)tls_value;
}

/* More single-page mappings than a process has regions: small mappings
 * share reservations (user/libc/shim/chunks.c). */
static int
many_mappings(void)
{
	static char *maps[3000];
	int i, ok = 1;

	for (i = 0; i < 3000 && ok; i++) {
		maps[i] = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ok = maps[i] != MAP_FAILED && maps[i][100] == 0;
		if (ok)
			maps[i][100] = (char)i;
	}
	for (i--; i >= 0; i--) {
		if (maps[i] == MAP_FAILED)
			continue;
		ok &= maps[i][100] == (char)i;
		ok &= munmap(maps[i], 4096) == 0;
	}
	return ok;
}

/* musl's malloc maps a group of small blocks at a time: about 19 MB of
 * 48-byte blocks, kept and checked, then freed. */
static int
many_small_blocks(void)
{
	enum { N = 400000 };
	static int *blocks[N];
	int i, ok = 1;

	for (i = 0; i < N && ok; i++) {
		blocks[i] = malloc(48);
		ok = blocks[i] != NULL;
		if (ok)
			*blocks[i] = i;
	}
	for (i--; i >= 0; i--) {
		ok &= blocks[i] && *blocks[i] == i;
		free(blocks[i]);
	}
	return ok;
}

int
main(int argc, char **argv)
{
	struct timespec a, b, nap = {0, 5000000};
	pthread_t t[4];
	unsigned char r1[32], r2[32];
	struct utsname u;
	char buf[64];
	void *ret;
	long sum = 0;
	int i;
	char *p, *m;

	check(argc == 1 && strcmp(argv[0], "program") == 0, "argv");
	snprintf(buf, sizeof(buf), "%d %.3f %s %x", 42, 3.25, "str", 255u);
	check(strcmp(buf, "42 3.250 str ff") == 0, "snprintf");
	p = malloc(100000);
	check(p != NULL, "malloc");
	memset(p, 0xab, 100000);
	p = realloc(p, 300000);
	check(p && (unsigned char)p[99999] == 0xab, "realloc keeps contents");
	free(p);
	m = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
	         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(m != MAP_FAILED && m[4097] == 0, "mmap anonymous, zeroed");
	m[0] = 1;
	check(munmap(m, 8192) == 0, "munmap");
	check(many_mappings(), "3000 small mappings at once (more than a "
	                       "process has regions)");
	check(many_small_blocks(), "400,000 small blocks from malloc");
	check(clock_gettime(CLOCK_MONOTONIC, &a) == 0, "clock_gettime");
	check(nanosleep(&nap, NULL) == 0, "nanosleep");
	clock_gettime(CLOCK_MONOTONIC, &b);
	check((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) >=
	          5000000,
	      "monotonic clock moved past the sleep");
	check(time(NULL) > 1577836800, "wall clock after 2020");
	check(getrandom(r1, sizeof(r1), 0) == sizeof(r1) &&
	          getrandom(r2, sizeof(r2), 0) == sizeof(r2) &&
	          memcmp(r1, r2, sizeof(r1)) != 0,
	      "getrandom");
	check(uname(&u) == 0 && strcmp(u.sysname, "capOS") == 0, "uname");
	for (i = 0; i < 4; i++)
		check(pthread_create(&t[i], NULL, worker, (void *)(long)i) == 0,
		      "pthread_create");
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], &ret);
		sum += (long)ret;
	}
	check(counter == 4000 && sum == 4 * 7 + 0 + 1 + 2 + 3 && tls_value == 7,
	      "threads: mutex counts and TLS values");
	errno = 0;
	check(open("/etc/passwd", O_RDONLY) == -1 && errno == ENOENT,
	      "open is ENOENT");
	check(fork() == -1 && errno == ENOSYS, "fork is ENOSYS");
	check(capos_libc_unsupported(SYS_fork) == 1,
	      "fork counted unsupported");
	check(write(5, "x", 1) == -1 && errno == EBADF, "fd 5 is EBADF");
	printf("libc_smoke: %d failed\n", failures);
	return failures ? 1 : 0;
}
