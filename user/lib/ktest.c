/*
 * Check reporting for in-guest test programs: one "KTEST ok NAME" or
 * "KTEST not ok NAME: why" line per check, which the boot suites turn into
 * TAP; the program exits with ktest_failures().
 */
#include "capos.h"

static const char *prefix = "";
static int failures;

void
ktest_prefix(const char *p)
{
	prefix = p;
}

void
ktest_check(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("KTEST ok %s%s\n", prefix, name);
		return;
	}
	failures++;
	printf("KTEST not ok %s%s: ", prefix, name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int
ktest_failures(void)
{
	return failures;
}
