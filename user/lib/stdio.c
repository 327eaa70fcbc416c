/*
 * printf over the Console cap named "console".  Output is buffered per
 * line and written with one Console.write call per line (or per full
 * buffer), so a line from one process is never split by another's.
 * The buffer is the process's: one mutex makes each printf whole among
 * its threads.
 */
#include "capos.h"
#include "internal.h"
#include "fmt/fmt.h"

#include "capos.capnp.h"

#define STDOUT_BUF 512

static char buf[STDOUT_BUF];
static size_t used;
static capos_capid_t console;
static int console_state; /* 0 unknown, 1 found, -1 absent */
static struct capos_mutex stdout_lock = CAPOS_MUTEX_INIT;

static void
flush_locked(void)
{
	if (used == 0)
		return;
	if (console_state == 0)
		console_state = capos_capset_find(
		                    "console", capos_Console_TYPE_ID, &console)
		                    ? -1
		                    : 1;
	/* Without a console there is nowhere to write: output is lost, as
	 * on a process without stdout. */
	if (console_state == 1)
		capos_console_write(console, buf, used);
	used = 0;
}

void
capos_stdout_flush(void)
{
	capos_mutex_lock(&stdout_lock);
	flush_locked();
	capos_mutex_unlock(&stdout_lock);
}

static void
stdout_sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	while (n--) {
		buf[used++] = *s;
		if (*s++ == '\n' || used == sizeof(buf))
			flush_locked();
	}
}

int
vprintf(const char *fmt, va_list ap)
{
	int n;

	capos_mutex_lock(&stdout_lock);
	n = (int)fmt_vformat(stdout_sink, NULL, fmt, ap);
	capos_mutex_unlock(&stdout_lock);
	return n;
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
