/*
 * What the capOS C library adds to musl's headers: the view of its
 * system-call shim (user/libc/shim) a program may want.
 */
#ifndef CAPOS_LIBC_H
#define CAPOS_LIBC_H

/* Linux system call numbers the shim's table covers (x86_64's, 0 up to
 * this); numbers past it are ENOSYS too. */
#define CAPOS_LIBC_SYSCALLS 512

/* How many times system call n was answered ENOSYS (every number at or
 * past CAPOS_LIBC_SYSCALLS shares one count). */
unsigned long capos_libc_unsupported(long n);

/* Whether the shim has a handler for n (which may still refuse its
 * arguments). */
int capos_libc_supported(long n);

/* A program may define this NULL-terminated list: its argv, since capOS
 * processes are started without arguments.  Without it argv is
 * {"program", NULL}. */
extern char *const capos_libc_argv[];

#endif
