/*
 * strtod: doubles printed with %.17g and %a and parsed back exactly
 * (special values, subnormals, boundaries, powers of ten, values drawn
 * from a fixed generator), decimal strings that are hard to round, and
 * strtof/strtold.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static uint64_t
bits_of(double d)
{
	uint64_t b;

	memcpy(&b, &d, sizeof(b));
	return b;
}

static double
double_of(uint64_t b)
{
	double d;

	memcpy(&d, &b, sizeof(d));
	return d;
}

/* Prints D both ways and checks that each text parses back to D's bits
 * (any NaN parses back to a NaN). */
static void
round_trip(double d, int print)
{
	char dec[64], hex[64];
	double back_dec, back_hex;
	char *end;

	snprintf(dec, sizeof(dec), "%.17g", d);
	snprintf(hex, sizeof(hex), "%a", d);
	if (print)
		printf("%016llx %s %s\n", (unsigned long long)bits_of(d), dec,
		       hex);
	back_dec = strtod(dec, &end);
	CHECK(*end == '\0', "strtod stopped early in '%s'", dec);
	back_hex = strtod(hex, &end);
	CHECK(*end == '\0', "strtod stopped early in '%s'", hex);
	if (isnan(d)) {
		CHECK(isnan(back_dec) && isnan(back_hex), "NaN lost: %s", dec);
		return;
	}
	CHECK(bits_of(back_dec) == bits_of(d), "%s parsed to %016llx", dec,
	      (unsigned long long)bits_of(back_dec));
	CHECK(bits_of(back_hex) == bits_of(d), "%s parsed to %016llx", hex,
	      (unsigned long long)bits_of(back_hex));
}

static void
special_values(void)
{
	static const uint64_t bits[] = {
	    0x0000000000000000ULL,
	    0x8000000000000000ULL, /* +0, -0 */
	    0x0000000000000001ULL,
	    0x8000000000000001ULL, /* least subnormal */
	    0x0000000000000002ULL,
	    0x000fffffffffffffULL, /* largest subnormal */
	    0x0008000000000000ULL,
	    0x0000000000123456ULL,
	    0x0010000000000000ULL, /* DBL_MIN */
	    0x7fefffffffffffffULL, /* DBL_MAX */
	    0x7ff0000000000000ULL,
	    0xfff0000000000000ULL, /* infinities */
	    0x3ff0000000000000ULL,
	    0x3ff0000000000001ULL, /* 1, 1 + eps */
	    0x3fefffffffffffffULL,
	    0x4340000000000000ULL, /* 2^53 */
	    0x4330000000000001ULL,
	    0x3fb999999999999aULL, /* 0.1 */
	    0x3fd5555555555555ULL,
	    0x400921fb54442d18ULL, /* pi */
	    0x4005bf0a8b145769ULL,
	    0x7fe0000000000000ULL,
	};
	size_t i;

	printf("-- special values\n");
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		round_trip(double_of(bits[i]), 1);
	round_trip(NAN, 0);
	printf("DBL_MIN %a DBL_MAX %a DBL_TRUE_MIN %a DBL_EPSILON %a\n",
	       DBL_MIN, DBL_MAX, DBL_TRUE_MIN, DBL_EPSILON);
}

static void
powers_of_ten(void)
{
	char text[32];
	int e;

	printf("-- powers of ten\n");
	for (e = -325; e <= 309; e += 7) {
		double d;

		snprintf(text, sizeof(text), "1e%d", e);
		errno = 0;
		d = strtod(text, NULL);
		printf("%s %.17g %a%s\n", text, d, d,
		       errno == ERANGE ? " ERANGE" : "");
		round_trip(d, 0);
	}
}

/* Values from every exponent range: random bit patterns, NaNs skipped,
 * every 16th printed, all round-tripped. */
static void
generated(void)
{
	struct lcg g = {12345};
	unsigned long long sum = 0;
	int i, printed = 0;

	printf("-- generated\n");
	for (i = 0; i < 4000; i++) {
		uint64_t b = lcg_next(&g);
		double d;
		char text[40];

		/* Half of them subnormal or near 1, where rounding is hard. */
		if (i % 4 == 1)
			b &= 0x800fffffffffffffULL;
		else if (i % 4 == 2)
			b = (b & 0x800fffffffffffffULL) | 0x3ff0000000000000ULL;
		d = double_of(b);
		if (isnan(d))
			continue;
		round_trip(d, i % 16 == 0 && printed++ < 120);
		snprintf(text, sizeof(text), "%.17g", d);
		sum = sum * 31 + bits_of(strtod(text, NULL));
	}
	printf("generated: checksum %016llx\n", sum);
}

static void
hard_strings(void)
{
	static const char *const texts[] = {
	    "2.2250738585072011e-308",
	    "2.2250738585072012e-308",
	    "4.9406564584124654e-324",
	    "2.4703282292062327e-324",
	    "2.4703282292062328e-324",
	    "1.7976931348623157e308",
	    "1.7976931348623158e308",
	    "1.7976931348623159e308",
	    "1e309",
	    "-1e400",
	    "1e-400",
	    "0.1",
	    "0.30000000000000004",
	    "9007199254740993",
	    "9007199254740992.5",
	    "1.00000000000000011102230246251565404236316680908203125",
	    "1.000000000000000111022302462515654042363166809082031250001",
	    "123456789012345678901234567890e-30",
	    "0x1.fffffffffffffp1023",
	    "0x1p-1074",
	    "0x1p-1075",
	    "0x1.0000000000001p-1075",
	    "0X.8P1",
	    "inf",
	    "-Infinity",
	    "nan",
	    "NAN(123)",
	    "  +.5e1x",
	    ".e1",
	    "1e",
	    "1e+",
	    "0x",
	    "-0",
	    "00000000000000000000001.5",
	    "0.000000000000000000000000000000000000000000001e45",
	};
	size_t i;

	printf("-- hard strings\n");
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *end;
		double d;
		float f;
		long double ld;

		errno = 0;
		d = strtod(texts[i], &end);
		printf("'%s' -> %.17g %a stop %td%s\n", texts[i], d, d,
		       end - texts[i], errno == ERANGE ? " ERANGE" : "");
		errno = 0;
		f = strtof(texts[i], &end);
		printf("  strtof %.9g %a%s\n", (double)f, (double)f,
		       errno == ERANGE ? " ERANGE" : "");
		ld = strtold(texts[i], &end);
		printf("  strtold %.21Lg %La\n", ld, ld);
	}
}

int
main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	special_values();
	powers_of_ten();
	generated();
	hard_strings();
	return check_summary("strtod");
}
