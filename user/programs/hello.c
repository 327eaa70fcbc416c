/*
 * hello: greets, and lists what it was given.  It writes to "stdio" (a
 * StdIO, as a shell grants it: `run "hello" with { stdio: @stdio }`)
 * when it has one, else to its Console.  It holds nothing else, so there
 * is nothing else it can do.
 *
 * Exit codes: 0 greeted, 2 neither stdio nor console, 3 a write failed.
 */
#include "capos.h"
#include "fmt/fmt.h"

#include "capos.capnp.client.h"
#include "capos.capnp.h"

static capos_capid_t stdio, console;
static bool have_stdio;

/* Writes one line to stdio or the console; false when it failed. */
static bool say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static bool
say(const char *fmt, ...)
{
	static struct capos_call c;
	char line[160];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	n = fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	if (!have_stdio)
		return capos_console_write(console, line, n) == 0;
	capos_StdIO_write_Params_set_data(capos_StdIO_write_begin(&c), line,
	                                  (uint32_t)n);
	return capos_StdIO_write_send(&c, stdio) == 0;
}

int
main(void)
{
	bool ok;
	uint32_t i;

	have_stdio = capos_StdIO_find("stdio", &stdio) == 0;
	if (!have_stdio && capos_Console_find("console", &console))
		return 2;
	ok = say("Hello from capOS!\n");
	ok = ok &&
	     say("hello from capOS process %lu\n", (unsigned long)capos_pid());
	ok = ok && say("my capabilities:\n");
	for (i = 0; ok && i < capos_capset_count(); i++) {
		const struct capos_capset_entry *e = capos_capset_entry(i);

		ok = say("  %-10s cap %#x interface %#018lx\n", e->name, e->cap,
		         (unsigned long)e->interface_id);
	}
	return ok ? 0 : 3;
}
