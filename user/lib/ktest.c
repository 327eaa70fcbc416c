/*
 * Check reporting for in-guest test programs: one "KTEST ok NAME" or
 * "KTEST not ok NAME: why" line per check, which the boot suites turn into
 * TAP; the program exits with ktest_failures().
 */
#include "capos.h"
#include "fmt/fmt.h"

#define KTEST_WHY_MAX 512

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
	char why[KTEST_WHY_MAX];
	va_list ap;

	if (ok) {
		printf("KTEST ok %s%s\n", prefix, name);
		return;
	}
	__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
	va_start(ap, fmt);
	fmt_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* One printf: the line stays whole when threads check at once. */
	printf("KTEST not ok %s%s: %s\n", prefix, name, why);
}

int
ktest_failures(void)
{
	return __atomic_load_n(&failures, __ATOMIC_RELAXED);
}

void
ktest_check_code(int32_t got, int32_t want, const char *name)
{
	ktest_check(got == want, name, "result %d (%s), wanted %d (%s)", got,
	            capos_error_name(got), want, capos_error_name(want));
}

void
ktest_check_exception(int32_t got, int type, const char *name)
{
	const struct capos_exception *e = capos_last_exception();
	bool exc = got == CAPOS_E_APP_EXCEPTION;

	ktest_check(exc && e->type == type, name,
	            "result %d (%s), exception %s '%s', wanted %s", got,
	            capos_error_name(got),
	            exc ? capos_exception_type_name(e->type) : "-",
	            exc ? e->message : "", capos_exception_type_name(type));
}

struct capos_cqe
ktest_roundtrip(struct capos_sqe sqe)
{
	struct capos_cqe cqe = {.result = KTEST_NO_ANSWER};

	sqe.user_data = capos_next_tag();
	if (capos_submit(&sqe) ||
	    capos_wait(sqe.user_data, KTEST_WAIT_NS, &cqe))
		cqe.result = KTEST_NO_ANSWER;
	return cqe;
}

int32_t
ktest_result_of(struct capos_sqe sqe)
{
	return ktest_roundtrip(sqe).result;
}
