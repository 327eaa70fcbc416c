/*
 * For the Linux benchmark programs, which run as init of an initramfs: an
 * initramfs without /dev/console (and no built-in one) leaves init
 * without output, so find the console ourselves then; lines go out whole.
 */
#ifndef BENCH_LINUX_CONSOLE_H
#define BENCH_LINUX_CONSOLE_H

#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static void
console_open(void)
{
	if (fcntl(1, F_GETFD) < 0) {
		int fd;

		mkdir("/dev", 0755);
		mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
		fd = open("/dev/console", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
}

#endif
