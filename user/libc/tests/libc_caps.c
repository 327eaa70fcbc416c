/*
 * libc_caps: what the C library does with the caps a process lacks (boot
 * case libc-caps, manifest=libc_caps).  Runs as init with every service
 * cap and checks the library works; then starts copies of itself with
 * fewer grants, each of which checks that every missing cap gives the
 * errno a program expects (EBADF, EPERM, ENOMEM, a failed pthread_create),
 * never a fault, while what it holds still works.  A copy's exit status
 * is the number of its failed checks.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "capos.h"

#include "capos.capnp.h"

static int failures;

static int
holds(uint64_t interface_id)
{
	capos_capid_t cap;

	return capos_capset_find_interface(interface_id, &cap) == 0;
}

/* In a copy without a console nothing can be printed: only counted. */
static void
check(int ok, const char *what)
{
	if (!ok) {
		failures++;
		printf("libc_caps: FAILED %s (errno %d)\n", what, errno);
	}
}

static void *
thread_fn(void *arg)
{
	return arg;
}

/* Each family, with or without its cap. */
static void
check_families(void)
{
	int console = holds(capos_Console_TYPE_ID);
	int vm = holds(capos_VirtualMemory_TYPE_ID);
	int timer = holds(capos_Timer_TYPE_ID);
	int wall = holds(capos_WallClock_TYPE_ID);
	int entropy = holds(capos_EntropySource_TYPE_ID);
	int threads = holds(capos_ThreadSpawner_TYPE_ID) &&
	              holds(capos_ParkSpace_TYPE_ID) && vm;
	struct timespec ts, nap = {0, 1000000};
	unsigned char buf[16];
	struct utsname u;
	pthread_t t;
	void *big, *small, *ret = NULL;
	char c;
	int r;

	errno = 0;
	r = (int)write(1, "", 0);
	check(console ? r == 0 : (r == -1 && errno == EBADF), "write(1)");
	errno = 0;
	check(read(0, &c, 1) == -1 && errno == EBADF, "read(0) without StdIO");

	small = malloc(64);
	check(small != NULL, "a small malloc (from the pool without vm)");
	free(small);
	errno = 0;
	big = malloc(4 << 20);
	check(vm ? big != NULL : (big == NULL && errno == ENOMEM),
	      "a 4 MiB malloc");
	free(big);

	errno = 0;
	r = clock_gettime(CLOCK_MONOTONIC, &ts);
	check(timer ? r == 0 : (r == -1 && errno == EPERM), "CLOCK_MONOTONIC");
	errno = 0;
	r = nanosleep(&nap, NULL);
	check(timer ? r == 0 : (r == -1 && errno == EPERM), "nanosleep");
	errno = 0;
	r = clock_gettime(CLOCK_REALTIME, &ts);
	check(wall ? r == 0 : (r == -1 && errno == EPERM), "CLOCK_REALTIME");
	errno = 0;
	r = (int)getrandom(buf, sizeof(buf), 0);
	check(entropy ? r == (int)sizeof(buf) : (r == -1 && errno == EPERM),
	      "getrandom");

	check(uname(&u) == 0 && strcmp(u.sysname, "capOS") == 0, "uname");

	r = pthread_create(&t, NULL, thread_fn, (void *)42);
	if (threads) {
		check(r == 0 && pthread_join(t, &ret) == 0 && ret == (void *)42,
		      "pthread_create and join");
	} else {
		check(r == EAGAIN, "pthread_create without its caps");
	}
}

struct copy {
	const char *name;
	uint64_t ifaces[6];
};

/* The copies, from nothing at all up. */
static const struct copy copies[] = {
    {"nothing", {0}},
    {"console", {capos_Console_TYPE_ID}},
    {"console_vm", {capos_Console_TYPE_ID, capos_VirtualMemory_TYPE_ID}},
    {"clocks_entropy",
     {capos_Console_TYPE_ID, capos_Timer_TYPE_ID, capos_WallClock_TYPE_ID,
      capos_EntropySource_TYPE_ID}},
    {"threads_no_vm",
     {capos_Console_TYPE_ID, capos_ThreadSpawner_TYPE_ID,
      capos_ParkSpace_TYPE_ID}},
    {"threads",
     {capos_Console_TYPE_ID, capos_VirtualMemory_TYPE_ID,
      capos_ThreadSpawner_TYPE_ID, capos_ParkSpace_TYPE_ID}},
};

static void
run_copy(capos_capid_t spawner, const struct copy *c)
{
	struct capos_spawn_grant g[6];
	capos_capid_t handle;
	uint32_t n = 0, i;
	int32_t code = -1;
	char name[64];
	int err;

	for (i = 0; i < 6 && c->ifaces[i]; i++) {
		const struct capos_capset_entry *e;
		uint32_t k;

		for (k = 0; k < capos_capset_count(); k++) {
			e = capos_capset_entry(k);
			if (e->interface_id == c->ifaces[i]) {
				g[n].name = e->name;
				g[n].cap = e->cap;
				n++;
				break;
			}
		}
	}
	err = capos_spawn(spawner, "libc_caps", "libc_caps", g, n, NULL, 0,
	                  NULL, &handle, NULL);
	if (!err)
		err = capos_handle_wait(handle, &code);
	snprintf(name, sizeof(name), "copy.%s", c->name);
	ktest_check(err == 0 && code == 0, name, "%s, %d failed checks",
	            capos_strerror(err), code);
	if (!err)
		capos_release_sync(handle);
}

int
main(void)
{
	capos_capid_t spawner;
	size_t i;

	check_families();
	if (capos_capset_find_interface(capos_ProcessSpawner_TYPE_ID, &spawner))
		return failures;
	ktest_prefix("libc_caps.");
	ktest_check(failures == 0, "init_holds_everything", "%d failed",
	            failures);
	for (i = 0; i < sizeof(copies) / sizeof(copies[0]); i++)
		run_copy(spawner, &copies[i]);
	printf("libc_caps: %d failures\n", ktest_failures());
	return ktest_failures();
}
