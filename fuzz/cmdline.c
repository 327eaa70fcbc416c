/*
 * libFuzzer target for the shell's command-line parser
 * (lib/shell/cmdline.c).  The input is a line as typed.  On success every
 * token the parse hands out lies in the result's own text, is
 * NUL-terminated there, and the counts stay within their limits; on
 * failure the error has a message and a column inside the line (or just
 * past it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shell/cmdline.h"

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			abort();                                               \
	} while (0)

static struct cmdline cl;

static void
check_token(const char *t)
{
	CHECK(t >= cl.text && t < cl.text + sizeof(cl.text));
	CHECK(memchr(t, '\0', (size_t)(cl.text + sizeof(cl.text) - t)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cmdline_error err;
	unsigned i;

	if (cmdline_parse((const char *)data, size, &cl, &err)) {
		CHECK(err.message[0] != '\0');
		CHECK(memchr(err.message, '\0', sizeof(err.message)));
		CHECK(err.column >= 1 &&
		      err.column <=
		          (size > CMDLINE_MAX ? CMDLINE_MAX : size) + 1);
		return 0;
	}
	CHECK(size <= CMDLINE_MAX);
	CHECK(cl.nargs <= CMDLINE_ARGS_MAX && cl.ngrants <= CMDLINE_GRANTS_MAX);
	if (!cl.command) {
		CHECK(cl.nargs == 0 && cl.ngrants == 0 && !cl.with);
		return 0;
	}
	check_token(cl.command);
	for (i = 0; i < cl.nargs; i++)
		check_token(cl.args[i]);
	CHECK(cl.with || cl.ngrants == 0);
	for (i = 0; i < cl.ngrants; i++) {
		check_token(cl.grants[i].name);
		check_token(cl.grants[i].source);
		CHECK(strlen(cl.grants[i].name) <= CMDLINE_NAME_MAX);
		CHECK(strlen(cl.grants[i].source) <= CMDLINE_NAME_MAX);
	}
	return 0;
}
