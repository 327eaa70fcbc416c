/*
 * File descriptors 0, 1 and 2, the only ones a capOS program has: there
 * is no open-by-name, so no other descriptor ever exists (EBADF).
 *
 *	fd 0	StdIO.read, when the process holds a StdIO stream
 *	fd 1, 2	StdIO.write, else Console.write
 *
 * A descriptor whose cap the process lacks answers EBADF, as a closed
 * one would.  Both streams are terminals to the program (ioctl TIOCGWINSZ
 * answers), so stdio line-buffers them and a line reaches the screen
 * whole.
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "capos_call.h"
#include "shim.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

/* Bytes per StdIO or Console call: under both interfaces' 4096 limits,
 * with room for the message framing in a call's params. */
#define IO_CHUNK 3584u
#define NFDS     3

enum fd_kind { FD_NONE, FD_STDIO, FD_CONSOLE };

static struct {
	uint8_t looked, closed;
	uint8_t kind;
	capos_capid_t cap;
} fds[NFDS];

static struct capos_mutex fd_lock = CAPOS_MUTEX_INIT;
/* One call buffer for reads, one for writes: a read waiting for input
 * never holds up output. */
static struct capos_mutex read_lock = CAPOS_MUTEX_INIT;
static struct capos_mutex write_lock = CAPOS_MUTEX_INIT;
static struct capos_call read_call, write_call;

/* The kind of fd, its cap in *cap; FD_NONE for a bad or closed one. */
static int
fd_get(long fd, capos_capid_t *cap)
{
	int kind;

	if (fd < 0 || fd >= NFDS)
		return FD_NONE;
	capos_mutex_lock(&fd_lock);
	if (!fds[fd].looked) {
		capos_capid_t c;

		fds[fd].looked = 1;
		if (!capos_capset_find_interface(capos_StdIO_TYPE_ID, &c)) {
			fds[fd].kind = FD_STDIO;
			fds[fd].cap = c;
		} else if (fd > 0 && !capos_capset_find_interface(
		                         capos_Console_TYPE_ID, &c)) {
			fds[fd].kind = FD_CONSOLE;
			fds[fd].cap = c;
		}
	}
	kind = fds[fd].closed ? FD_NONE : fds[fd].kind;
	*cap = fds[fd].cap;
	capos_mutex_unlock(&fd_lock);
	return kind;
}

static long
write_chunk(int kind, capos_capid_t cap, const void *buf, size_t len)
{
	int err;

	if (kind == FD_CONSOLE)
		return shim_errno(capos_console_write(cap, buf, len));
	capos_mutex_lock(&write_lock);
	capos_StdIO_write_Params_set_data(capos_StdIO_write_begin(&write_call),
	                                  buf, len);
	err = capos_StdIO_write_send(&write_call, cap);
	capos_mutex_unlock(&write_lock);
	return shim_errno(err);
}

/* Writes all of buf or fails; the bytes written before a failure are
 * reported as a short write. */
static long
fd_write(long fd, const char *buf, size_t len)
{
	capos_capid_t cap;
	int kind = fd_get(fd, &cap);
	size_t done = 0;

	if (kind == FD_NONE || fd == 0)
		return -EBADF;
	if (shim_user_readable((long)buf, len))
		return -EFAULT;
	while (done < len) {
		size_t n = len - done < IO_CHUNK ? len - done : IO_CHUNK;
		long r = write_chunk(kind, cap, buf + done, n);

		if (r < 0)
			return done ? (long)done : r;
		done += n;
	}
	return (long)done;
}

static long
fd_read(long fd, char *buf, size_t len)
{
	capos_capid_t cap;
	int kind = fd_get(fd, &cap);
	struct capnp_data d;
	long r;
	int err;

	if (kind != FD_STDIO || fd != 0)
		return -EBADF;
	if (len == 0)
		return 0;
	if (shim_user_range((long)buf, len))
		return -EFAULT;
	if (len > IO_CHUNK)
		len = IO_CHUNK;
	if (shim_user_writable((long)buf, len))
		return -EFAULT;
	capos_mutex_lock(&read_lock);
	capos_StdIO_read_Params_set_max(capos_StdIO_read_begin(&read_call),
	                                (uint32_t)len);
	err = capos_StdIO_read_send(&read_call, cap);
	if (err) {
		r = shim_errno(err);
	} else {
		d = capos_StdIO_read_Results_get_data(
		    capos_StdIO_read_results(&read_call));
		if (capnp_msg_error(&read_call.result_msg) || d.len > len) {
			r = -EIO;
		} else {
			memcpy(buf, d.ptr, d.len);
			r = (long)d.len;
		}
	}
	capos_mutex_unlock(&read_lock);
	return r;
}

long
shim_sys_read(SHIM_ARGS)
{
	return fd_read(a0, (char *)a1, (size_t)a2);
}

long
shim_sys_write(SHIM_ARGS)
{
	return fd_write(a0, (const char *)a1, (size_t)a2);
}

long
shim_sys_pread64(SHIM_ARGS)
{
	capos_capid_t cap;

	return fd_get(a0, &cap) == FD_NONE ? -EBADF : -ESPIPE;
}

long
shim_sys_pwrite64(SHIM_ARGS)
{
	return shim_sys_pread64(a0, a1, a2, a3, a4, a5);
}

/* A vector to write whose segments fit one call, as one write: stdio
 * hands a line over as its buffer plus the rest (often just the "\n"),
 * which then reaches the stream whole and costs one call, not two.
 * Returns 1 with the answer in *r, or 0 when the vector is too big. */
static int
fd_write_gathered(long fd, const struct iovec *iov, long n, long *r)
{
	char buf[IO_CHUNK];
	size_t len = 0;
	long i;

	for (i = 0; i < n; i++)
		if (iov[i].iov_len > sizeof(buf) - len)
			return 0;
		else
			len += iov[i].iov_len;
	len = 0;
	for (i = 0; i < n; i++) {
		if (shim_user_readable((long)iov[i].iov_base, iov[i].iov_len)) {
			*r = -EFAULT;
			return 1;
		}
		memcpy(buf + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	*r = len ? fd_write(fd, buf, len) : 0;
	return len != 0;
}

/* The vector calls: each segment in turn, stopping at a short one. */
static long
fd_vector(long fd, const struct iovec *iov, long n, int writing)
{
	long total = 0, r;
	long i;

	if (n < 0 || n > IOV_MAX)
		return -EINVAL;
	if (shim_user_readable((long)iov, (unsigned long)n * sizeof(*iov)))
		return -EFAULT;
	if (writing && n > 1 && fd_write_gathered(fd, iov, n, &r))
		return r;
	for (i = 0; i < n; i++) {
		if (iov[i].iov_len == 0)
			continue;
		r = writing ? fd_write(fd, iov[i].iov_base, iov[i].iov_len)
		            : fd_read(fd, iov[i].iov_base, iov[i].iov_len);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	if (n == 0) {
		capos_capid_t cap;

		if (fd_get(fd, &cap) == FD_NONE)
			return -EBADF;
	}
	return total;
}

long
shim_sys_readv(SHIM_ARGS)
{
	return fd_vector(a0, (const struct iovec *)a1, a2, 0);
}

long
shim_sys_writev(SHIM_ARGS)
{
	return fd_vector(a0, (const struct iovec *)a1, a2, 1);
}

long
shim_sys_ioctl(SHIM_ARGS)
{
	capos_capid_t cap;
	struct winsize *ws = (struct winsize *)a2;

	if (fd_get(a0, &cap) == FD_NONE)
		return -EBADF;
	if ((unsigned long)a1 != TIOCGWINSZ)
		return -ENOTTY;
	if (shim_user_writable(a2, sizeof(*ws)))
		return -EFAULT;
	ws->ws_row = 24;
	ws->ws_col = 80;
	ws->ws_xpixel = 0;
	ws->ws_ypixel = 0;
	return 0;
}

long
shim_sys_close(SHIM_ARGS)
{
	capos_capid_t cap;

	if (fd_get(a0, &cap) == FD_NONE)
		return -EBADF;
	capos_mutex_lock(&fd_lock);
	fds[a0].closed = 1;
	capos_mutex_unlock(&fd_lock);
	return 0;
}

long
shim_sys_lseek(SHIM_ARGS)
{
	capos_capid_t cap;

	return fd_get(a0, &cap) == FD_NONE ? -EBADF : -ESPIPE;
}

long
shim_sys_fstat(SHIM_ARGS)
{
	capos_capid_t cap;
	struct stat *st = (struct stat *)a1;

	if (fd_get(a0, &cap) == FD_NONE)
		return -EBADF;
	if (shim_user_writable(a1, sizeof(*st)))
		return -EFAULT;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0620;
	st->st_nlink = 1;
	st->st_blksize = IO_CHUNK;
	return 0;
}

long
shim_sys_fcntl(SHIM_ARGS)
{
	capos_capid_t cap;

	if (fd_get(a0, &cap) == FD_NONE)
		return -EBADF;
	switch (a1) {
	case F_GETFD:
		return 0;
	case F_SETFD:
		return 0;
	case F_GETFL:
		return a0 == 0 ? O_RDONLY : O_WRONLY;
	default:
		return -EINVAL;
	}
}

/* No descriptor can be made: there is nothing to name one by. */
long
shim_sys_dup(SHIM_ARGS)
{
	capos_capid_t cap;

	return fd_get(a0, &cap) == FD_NONE ? -EBADF : -EMFILE;
}

long
shim_sys_dup3(SHIM_ARGS)
{
	return shim_sys_dup(a0, a1, a2, a3, a4, a5);
}

/* No file has a name to open it by; ENOENT is what a program checking
 * for an optional file expects.  Counted as unsupported. */
long
shim_sys_open(SHIM_ARGS)
{
	return shim_unsupported(SYS_open, -ENOENT);
}

long
shim_sys_openat(SHIM_ARGS)
{
	return shim_unsupported(SYS_openat, -ENOENT);
}

/* Nor to remove or rename it by (remove(), rename()): the same answer. */
long
shim_sys_unlink(SHIM_ARGS)
{
	return shim_unsupported(SYS_unlink, -ENOENT);
}

long
shim_sys_rmdir(SHIM_ARGS)
{
	return shim_unsupported(SYS_rmdir, -ENOENT);
}

long
shim_sys_rename(SHIM_ARGS)
{
	return shim_unsupported(SYS_rename, -ENOENT);
}

/* Every open descriptor is ready for what it does: writes never wait,
 * and a read waits in StdIO.read itself. */
long
shim_sys_poll(SHIM_ARGS)
{
	struct pollfd *p = (struct pollfd *)a0;
	unsigned long i, n = (unsigned long)a1;
	long ready = 0;

	if (n > NFDS * 16)
		return -EINVAL;
	if (shim_user_writable(a0, n * sizeof(*p)))
		return -EFAULT;
	for (i = 0; i < n; i++) {
		capos_capid_t cap;
		int kind = fd_get(p[i].fd, &cap);

		p[i].revents = 0;
		if (p[i].fd < 0)
			continue;
		if (kind == FD_NONE)
			p[i].revents = POLLNVAL;
		else if (p[i].fd == 0)
			p[i].revents = p[i].events & POLLIN;
		else
			p[i].revents = p[i].events & POLLOUT;
		if (p[i].revents)
			ready++;
	}
	return ready;
}
