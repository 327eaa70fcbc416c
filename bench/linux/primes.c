/*
 * primes: the Linux side of the SMP scaling benchmark (scripts/bench-smp.sh,
 * docs/benchmarks.md "SMP scaling").  The same four runs as
 * bench/capos/primes.c, on the same workload (bench/primes.h), timed with
 * CLOCK_MONOTONIC:
 *
 *   procs 1     one child process (fork) counts them all
 *   procs 2     two child processes, each half (round-robin candidates)
 *   threads 1   one pthread counts them all
 *   threads 2   two pthreads, each half
 *
 * The main thread only forks or creates, and waits.  A child sends its
 * count through a pipe (an exit status has 8 bits).  Nothing is pinned:
 * the scheduler places the workers on the CPUs it has.
 *
 * It runs as /init of scripts/bench-linux.sh's initramfs, chosen with
 * rdinit=/primes, and ends QEMU through isa-debug-exit as linuxbench
 * does: status 33 when every run counted PRIMES_EXPECTED primes, 35 when
 * one did not.  Output lines as bench/capos/primes.c's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "../primes.h"

static int
run_procs(uint32_t n, uint32_t *total, const char **why)
{
	pid_t pid[PRIMES_MAX_PARTS];
	int fd[PRIMES_MAX_PARTS][2];
	uint32_t k, started;
	int err = 0;

	fflush(stdout);
	for (started = 0; started < n; started++) {
		if (pipe(fd[started])) {
			*why = "pipe failed";
			err = errno;
			break;
		}
		pid[started] = fork();
		if (pid[started] == 0) {
			uint32_t c = primes_count(started, n);

			_exit(write(fd[started][1], &c, sizeof(c)) ==
			              (ssize_t)sizeof(c)
			          ? 0
			          : 1);
		}
		close(fd[started][1]);
		if (pid[started] < 0) {
			*why = "fork failed";
			err = errno;
			close(fd[started][0]);
			break;
		}
	}
	/* Every child started is waited for, also after a failed fork. */
	for (k = 0; k < started; k++) {
		uint32_t c = 0;
		int status = 0;

		if (read(fd[k][0], &c, sizeof(c)) != (ssize_t)sizeof(c) ||
		    waitpid(pid[k], &status, 0) != pid[k] ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			if (!err)
				*why = "a child did not send its count";
			err = err ? err : EIO;
		}
		close(fd[k][0]);
		*total += c;
	}
	return err;
}

struct share {
	uint32_t part, parts;
};

static void *
thread_main(void *arg)
{
	const struct share *s = arg;

	return (void *)(uintptr_t)primes_count(s->part, s->parts);
}

static int
run_threads(uint32_t n, uint32_t *total, const char **why)
{
	pthread_t t[PRIMES_MAX_PARTS];
	struct share s[PRIMES_MAX_PARTS];
	uint32_t k, started;
	int err = 0;

	for (started = 0; started < n; started++) {
		s[started] = (struct share){started, n};
		err =
		    pthread_create(&t[started], NULL, thread_main, &s[started]);
		if (err) {
			*why = "pthread_create failed";
			break;
		}
	}
	for (k = 0; k < started; k++) {
		void *count = 0;

		if (pthread_join(t[k], &count)) {
			*why = "pthread_join failed";
			err = err ? err : EIO;
			continue;
		}
		*total += (uint32_t)(uintptr_t)count;
	}
	return err;
}

typedef int (*run_fn)(uint32_t n, uint32_t *total, const char **why);

static int
run(const char *kind, run_fn fn, uint32_t n)
{
	struct timespec t0, t1;
	const char *why = "failed";
	uint32_t total = 0;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = fn(n, &total, &why);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (err) {
		printf("SMP_ERROR %s %u: %s (%s)\n", kind, n, why,
		       strerror(err));
		return 1;
	}
	if (total != PRIMES_EXPECTED) {
		printf("SMP_ERROR %s %u: counted %u primes, expected %u\n",
		       kind, n, total, PRIMES_EXPECTED);
		return 1;
	}
	printf("SMP_RUN %s %u %u %llu\n", kind, n, total,
	       (unsigned long long)((t1.tv_sec - t0.tv_sec) * 1000000000ll +
	                            (t1.tv_nsec - t0.tv_nsec)));
	return 0;
}

int
main(void)
{
	int failed = 0;

	console_open();
	printf("SMP_INFO linux primes in [%u, %u), expected %u, %ld CPUs "
	       "online\n",
	       PRIMES_LO, PRIMES_HI, PRIMES_EXPECTED,
	       sysconf(_SC_NPROCESSORS_ONLN));
	failed |= run("procs", run_procs, 1);
	failed |= run("procs", run_procs, 2);
	failed |= run("threads", run_threads, 1);
	failed |= run("threads", run_threads, 2);
	printf("SMP_DONE\n");
	leave_qemu(failed);
}
