/*
 * stdio: printf's conversions, flags, widths, precisions and length
 * modifiers; snprintf's truncation; sscanf; the strtol family; memory
 * streams.  Everything printed is deterministic.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "check.h"

/* Prints one format of one value between bars, so widths show. */
#define SHOW(fmt, ...) printf("%-12s |" fmt "|\n", #fmt, __VA_ARGS__)

static void
integers(void)
{
	static const int ints[] = {0, 1, -1, 42, -42, 123456, INT_MAX, INT_MIN};
	static const char *const ifmts[] = {
	    "%d",   "%i",    "%5d",     "%-5d",  "%05d",    "%+d",    "% d",
	    "%.3d", "%8.3d", "%-+8.3d", "%+05d", "%.0d",    "%x",     "%X",
	    "%#x",  "%#o",   "%o",      "%u",    "%#10.4x", "%-#10X",
	};
	size_t i, j;

	for (i = 0; i < sizeof(ifmts) / sizeof(ifmts[0]); i++) {
		printf("%-10s", ifmts[i]);
		for (j = 0; j < sizeof(ints) / sizeof(ints[0]); j++) {
			printf(" |");
			printf(ifmts[i], ints[j]);
			printf("|");
		}
		printf("\n");
	}
	SHOW("%hhd", (signed char)-129 + 256);
	SHOW("%hhu", (unsigned char)300);
	SHOW("%hd", (short)-32768);
	SHOW("%hx", (unsigned short)0xbeef);
	SHOW("%ld", LONG_MIN);
	SHOW("%lu", ULONG_MAX);
	SHOW("%lld", LLONG_MIN);
	SHOW("%llx", ULLONG_MAX);
	SHOW("%jd", INTMAX_MIN);
	SHOW("%ju", UINTMAX_MAX);
	SHOW("%zu", (size_t)SIZE_MAX);
	SHOW("%zd", (ptrdiff_t)-5);
	SHOW("%td", (ptrdiff_t)PTRDIFF_MIN);
	SHOW("%" PRId64, INT64_MIN);
	SHOW("%" PRIx32, UINT32_MAX);
	SHOW("%*d", 7, 99);
	SHOW("%-*d", 7, 99);
	SHOW("%*d", -7, 99);
	SHOW("%.*d", 4, 7);
	SHOW("%.*d", -1, 7);
	SHOW("%p", (void *)0x1234abcdUL);
	SHOW("%p", (void *)0);
	SHOW("%%%s", "");
	printf("%%1$d %%1$x %%2$s |%1$d %1$x %2$s|\n", 255, "pos");
}

static void
characters_and_strings(void)
{
	SHOW("%c", 'A');
	SHOW("%5c", 'b');
	SHOW("%-5c", 'c');
	SHOW("%s", "string");
	SHOW("%10s", "right");
	SHOW("%-10s", "left");
	SHOW("%.3s", "truncated");
	SHOW("%10.2s", "ab-cd");
	SHOW("%.0s", "none");
	SHOW("%.*s", 2, "star");
	SHOW("%s", "");
	SHOW("%lc", (wint_t)'w');
	SHOW("%ls", L"wide");
}

static void
floating(void)
{
	static const double vals[] = {
	    0.0,  -0.0,          1.0, -1.5, 0.1,   123.456,   1e-5,
	    1e21, 6.02214076e23, 2.5, 3.5,  0.125, 1.0 / 3.0, 1e300};
	static const char *const ffmts[] = {
	    "%f",   "%.0f",    "%.2f", "%#.0f", "%10.3f", "%-10.1f", "%+f",
	    "% f",  "%010.2f", "%e",   "%.0e",  "%#.0e",  "%.3E",    "%+12.4e",
	    "%g",   "%.0g",    "%#g",  "%.10g", "%G",     "%-12g",   "%a",
	    "%.2a", "%A",      "%#a",  "%F",
	};
	size_t i, j;

	for (i = 0; i < sizeof(ffmts) / sizeof(ffmts[0]); i++) {
		printf("%-8s", ffmts[i]);
		for (j = 0; j < sizeof(vals) / sizeof(vals[0]); j++) {
			printf(" |");
			printf(ffmts[i], vals[j]);
			printf("|");
		}
		printf("\n");
	}
	SHOW("%f", 1.0 / 0.0);
	SHOW("%F", -1.0 / 0.0);
	SHOW("%e", 0.0 / 0.0 * 0.0);
	SHOW("%5.1f", 9.96);
	SHOW("%.3g", 0.0001234);
	SHOW("%.3g", 123456.0);
	SHOW("%Lf", 1.0L / 3.0L);
	SHOW("%.20Lg", 2.0L / 3.0L);
	SHOW("%La", 1.0L);
	SHOW("%.30f", 0.1);
	SHOW("%.0f", 0.5);
	SHOW("%.0f", 1.5);
	SHOW("%.1f", 0.25);
	SHOW("%.1f", 0.35);
}

static void
counts_and_truncation(void)
{
	char buf[16];
	int n, pos = -1;
	long long big;

	n = snprintf(buf, sizeof(buf), "%s-%d", "abcdefghijklmnop", 1234);
	CHECK(n == 21, "snprintf returned %d, not 21", n);
	CHECK(strcmp(buf, "abcdefghijklmno") == 0, "snprintf kept '%s'", buf);
	printf("truncated: %d '%s'\n", n, buf);
	n = snprintf(NULL, 0, "%08.3f", 3.14159);
	CHECK(n == 8, "snprintf(NULL, 0) returned %d", n);
	n = snprintf(buf, 1, "xyz");
	CHECK(n == 3 && buf[0] == '\0', "snprintf into 1 byte: %d", n);
	n = printf("counted%n", &pos);
	printf(" -> %d %d\n", n, pos);
	CHECK(n == 7 && pos == 7, "printf returned %d, %%n %d", n, pos);
	big = 0;
	n = sprintf(buf, "%d%lln", 12345, &big);
	CHECK(n == 5 && big == 5, "%%lln stored %lld", big);
	n = puts("puts line");
	CHECK(n >= 0, "puts returned %d", n);
	n = fputs("fputs line\n", stdout);
	CHECK(n >= 0, "fputs returned %d", n);
	n = putchar('!');
	CHECK(n == '!', "putchar returned %d", n);
	putchar('\n');
	n = (int)fwrite("fwrite\n", 1, 7, stdout);
	CHECK(n == 7, "fwrite returned %d", n);
}

static void
scanning(void)
{
	int a = 0, b = 0, n = 0, got;
	unsigned u = 0;
	long l = 0;
	double d = 0, e = 0;
	float f = 0;
	char word[16] = "", set[16] = "", rest[16] = "";
	char c = 0;
	long long ll = 0;
	short h = 0;
	unsigned char hh = 0;
	void *p = NULL;

	got = sscanf("  12 -34 0x1f", "%d %i %x%n", &a, &b, &u, &n);
	printf("sscanf 1: %d -> %d %d %u n=%d\n", got, a, b, u, n);
	CHECK(got == 3 && a == 12 && b == -34 && u == 31 && n == 13,
	      "sscanf 1");
	got = sscanf("010 0x10 10", "%i %i %o", &a, &b, &u);
	printf("sscanf 2: %d -> %d %d %u\n", got, a, b, u);
	got = sscanf("3.25e2 -0.5 7", "%lf %f %le", &d, &f, &e);
	printf("sscanf 3: %d -> %.17g %.9g %.17g\n", got, d, (double)f, e);
	got = sscanf("hello, world!", "%15s %15[a-z]%c", word, set, &c);
	printf("sscanf 4: %d -> '%s' '%s' '%c'\n", got, word, set, c);
	got = sscanf("abc123def", "%*[a-z]%ld%15s", &l, rest);
	printf("sscanf 5: %d -> %ld '%s'\n", got, l, rest);
	got = sscanf("key = value", "%15[^ =] = %15s", word, rest);
	printf("sscanf 6: %d -> '%s' '%s'\n", got, word, rest);
	got = sscanf("", "%d", &a);
	printf("sscanf 7: %d\n", got);
	CHECK(got == EOF, "sscanf of nothing returned %d", got);
	got = sscanf("x", "%d", &a);
	printf("sscanf 8: %d\n", got);
	got = sscanf("-9223372036854775808 -1 300", "%lld %hd %hhu", &ll, &h,
	             &hh);
	printf("sscanf 9: %d -> %lld %hd %u\n", got, ll, h, (unsigned)hh);
	got = sscanf("12345678", "%3d%2d", &a, &b);
	printf("sscanf 10: %d -> %d %d\n", got, a, b);
	got = sscanf("0x1234abcd", "%p", &p);
	printf("sscanf 11: %d -> %lx\n", got, (unsigned long)(uintptr_t)p);
	got = sscanf("100%", "%d%%", &a);
	printf("sscanf 12: %d -> %d\n", got, a);
	got = sscanf("inf nan 0x1.8p1", "%lf %le %lg", &d, &e, &d);
	printf("sscanf 13: %d -> %g %g\n", got, d, e);
}

/* S with its control characters written as C escapes, for printing. */
static const char *
escaped(const char *s)
{
	static char out[64];
	size_t o = 0;

	for (; *s && o + 3 < sizeof(out); s++) {
		if (*s == '\t' || *s == '\n') {
			out[o++] = '\\';
			out[o++] = *s == '\t' ? 't' : 'n';
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
	return out;
}

/* One strtol-family parse: the value, where it stopped, and ERANGE. */
static void
parse_signed(const char *s, int base)
{
	char *end;
	long v;
	long long vv;
	int range;

	errno = 0;
	v = strtol(s, &end, base);
	range = errno == ERANGE;
	printf("strtol('%s', %d) = %ld, stop %td%s\n", escaped(s), base, v,
	       end - s, range ? ", ERANGE" : "");
	errno = 0;
	vv = strtoll(s, &end, base);
	CHECK((long long)v == vv && (errno == ERANGE) == range,
	      "strtoll and strtol differ on '%s'", s);
}

static void
parse_unsigned(const char *s, int base)
{
	char *end;
	unsigned long v;
	uintmax_t m;
	int range;

	errno = 0;
	v = strtoul(s, &end, base);
	range = errno == ERANGE;
	printf("strtoul('%s', %d) = %lu, stop %td%s\n", escaped(s), base, v,
	       end - s, range ? ", ERANGE" : "");
	errno = 0;
	m = strtoumax(s, &end, base);
	CHECK(m == v && (errno == ERANGE) == range,
	      "strtoumax and strtoul differ on '%s'", s);
}

static void
strtol_family(void)
{
	static const struct {
		const char *s;
		int base;
	} cases[] = {
	    {"0", 10},
	    {"  -123abc", 10},
	    {"+77", 8},
	    {"0x1F", 0},
	    {"0X", 0},
	    {"0x", 16},
	    {"017", 0},
	    {"08", 0},
	    {"z", 36},
	    {"ZZZZ", 36},
	    {"101101", 2},
	    {"9223372036854775807", 10},
	    {"9223372036854775808", 10},
	    {"-9223372036854775808", 10},
	    {"-9223372036854775809", 10},
	    {"18446744073709551615", 10},
	    {"18446744073709551616", 10},
	    {"-1", 10},
	    {"", 10},
	    {"   ", 10},
	    {"-", 10},
	    {"12 34", 10},
	    {"0b101", 0},
	    {"7fffffffffffffff", 16},
	    {"\t\n+0x10", 16},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse_signed(cases[i].s, cases[i].base);
		parse_unsigned(cases[i].s, cases[i].base);
	}
	printf("atoi %d atol %ld atoll %lld\n", atoi(" 42x"), atol("-7"),
	       atoll("123456789012"));
}

static void
memory_streams(void)
{
	char buf[64];
	char *mem = NULL;
	size_t size = 0;
	FILE *f;
	int i, x = 0, got;

	f = fmemopen(buf, sizeof(buf), "w+");
	CHECK(f != NULL, "fmemopen failed");
	if (f) {
		fprintf(f, "%d %s", 99, "bottles");
		rewind(f);
		got = fscanf(f, "%d %15s", &x, buf + 40);
		printf("fmemopen: %d %d '%s'\n", got, x, buf + 40);
		fclose(f);
	}
	f = open_memstream(&mem, &size);
	CHECK(f != NULL, "open_memstream failed");
	if (f) {
		for (i = 0; i < 200; i++)
			fprintf(f, "%03d,", i);
		fclose(f);
		printf("open_memstream: %zu bytes, ends '%s'\n", size,
		       mem + size - 8);
		CHECK(size == 800 && strlen(mem) == 800,
		      "open_memstream kept %zu bytes", size);
		free(mem);
	}
}

int
main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	integers();
	characters_and_strings();
	floating();
	counts_and_truncation();
	scanning();
	strtol_family();
	memory_streams();
	return check_summary("stdio");
}
