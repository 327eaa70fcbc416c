/*
 * math: the functions of <math.h> on fixed inputs (ordinary values,
 * zeros, infinities, NaN, huge arguments), printed with %.17g or %.9g.
 * musl computes them in software with the same binary arithmetic on
 * every x86_64 machine, so the digits are deterministic.  The inputs
 * go through a volatile array so the compiler cannot fold the calls.
 * Then rounding modes and exception flags (<fenv.h>).
 */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdio.h>

#include "check.h"

static volatile double in[] = {
    0.0,
    -0.0,
    0.5,
    1.0,
    -1.0,
    2.0,
    3.0,
    0.1,
    -2.5,
    10.0,
    100.5,
    1e-300,
    1e22,
    710.0,
    -745.5,
    3.141592653589793,
    1.5707963267948966,
    INFINITY,
    -INFINITY,
    NAN,
};
#define NIN (sizeof(in) / sizeof(in[0]))

struct unary {
	const char *name;
	double (*f)(double);
};

struct binary {
	const char *name;
	double (*f)(double, double);
};

static double
call_frexp(double x)
{
	int e;
	double m = frexp(x, &e);

	return m + e * 1000;
}

static double
call_modf(double x)
{
	double ip, fp = modf(x, &ip);

	return ip * 4 + fp;
}

static double
call_ldexp(double x)
{
	return ldexp(x, -1070) + scalbn(x, 5);
}

static double
call_lrint(double x)
{
	return isfinite(x) && fabs(x) < 1e18 ? (double)lrint(x) : 0.0;
}

static const struct unary unaries[] = {
    {"sin", sin},
    {"cos", cos},
    {"tan", tan},
    {"asin", asin},
    {"acos", acos},
    {"atan", atan},
    {"sinh", sinh},
    {"cosh", cosh},
    {"tanh", tanh},
    {"asinh", asinh},
    {"acosh", acosh},
    {"atanh", atanh},
    {"exp", exp},
    {"exp2", exp2},
    {"expm1", expm1},
    {"log", log},
    {"log2", log2},
    {"log10", log10},
    {"log1p", log1p},
    {"sqrt", sqrt},
    {"cbrt", cbrt},
    {"erf", erf},
    {"erfc", erfc},
    {"lgamma", lgamma},
    {"tgamma", tgamma},
    {"floor", floor},
    {"ceil", ceil},
    {"round", round},
    {"trunc", trunc},
    {"rint", rint},
    {"nearbyint", nearbyint},
    {"fabs", fabs},
    {"logb", logb},
    {"frexp", call_frexp},
    {"modf", call_modf},
    {"ldexp", call_ldexp},
    {"lrint", call_lrint},
};

static const struct binary binaries[] = {
    {"pow", pow},           {"atan2", atan2},
    {"fmod", fmod},         {"remainder", remainder},
    {"hypot", hypot},       {"fmin", fmin},
    {"fmax", fmax},         {"fdim", fdim},
    {"copysign", copysign}, {"nextafter", nextafter},
};

static void
doubles(void)
{
	size_t f, i, j;

	for (f = 0; f < sizeof(unaries) / sizeof(unaries[0]); f++) {
		printf("%s:", unaries[f].name);
		for (i = 0; i < NIN; i++)
			printf(" %.17g", unaries[f].f(in[i]));
		printf("\n");
	}
	/* Binary functions on a smaller grid of pairs. */
	for (f = 0; f < sizeof(binaries) / sizeof(binaries[0]); f++) {
		printf("%s:", binaries[f].name);
		for (i = 0; i < NIN; i += 2)
			for (j = 1; j < NIN; j += 3)
				printf(" %.17g", binaries[f].f(in[i], in[j]));
		printf("\n");
	}
}

static void
others(void)
{
	volatile double a = 0.1, b = 10.0, c = -0.3;
	int quo, sign;
	double r;

	printf("fma %.17g %.17g\n", fma(a, b, c), fma(1e308, 10.0, -1e308));
	r = remquo(b, 3.0, &quo);
	printf("remquo %.17g %d\n", r, quo);
	r = lgamma_r(-2.5, &sign);
	printf("lgamma_r %.17g sign %d\n", r, sign);
	printf("ilogb %d %d isnan %d isinf %d signbit %d %d\n", ilogb(b),
	       ilogb(1e-310), isnan(in[19]), isinf(in[18]), signbit(in[1]),
	       signbit(in[0]));
	printf("fpclassify %d %d %d %d %d\n", fpclassify(in[0]),
	       fpclassify(in[12]), fpclassify(in[11] * 1e-10),
	       fpclassify(in[17]), fpclassify(in[19]));
}

static void
floats(void)
{
	static volatile float fin[] = {0.5f,   1.0f,   -3.25f,
	                               100.0f, 1e-30f, 88.0f};
	size_t i;

	printf("float:");
	for (i = 0; i < sizeof(fin) / sizeof(fin[0]); i++)
		printf(" %.9g %.9g %.9g %.9g %.9g %.9g", (double)sinf(fin[i]),
		       (double)expf(fin[i]), (double)logf(fabsf(fin[i])),
		       (double)powf(fin[i], 1.5f), (double)sqrtf(fabsf(fin[i])),
		       (double)atan2f(fin[i], 2.0f));
	printf("\n");
}

static void
long_doubles(void)
{
	volatile long double x = 2.0L;

	printf("long double: %.21Lg %.21Lg %.21Lg %.21Lg\n", sqrtl(x), expl(x),
	       logl(x), powl(x, 0.5L));
}

static void
environment(void)
{
	static const int modes[] = {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD,
	                            FE_TOWARDZERO};
	static const char *const names[] = {"nearest", "down", "up", "zero"};
	volatile double one = 1.0, zero = 0.0, three = 3.0, huge = DBL_MAX;
	volatile double r;
	size_t m;
	int flags;

	for (m = 0; m < 4; m++) {
		CHECK(fesetround(modes[m]) == 0, "fesetround(%s)", names[m]);
		CHECK(fegetround() == modes[m], "fegetround after %s",
		      names[m]);
		printf("round %-7s rint(2.5) %g rint(-2.5) %g 1/3 %.17g\n",
		       names[m], rint(2.5 + zero), rint(-2.5 + zero),
		       one / three);
	}
	fesetround(FE_TONEAREST);
	feclearexcept(FE_ALL_EXCEPT);
	CHECK(fetestexcept(FE_ALL_EXCEPT) == 0, "flags not cleared");
	r = one / zero;
	flags = fetestexcept(FE_ALL_EXCEPT);
	printf("1/0: divbyzero %d invalid %d\n", !!(flags & FE_DIVBYZERO),
	       !!(flags & FE_INVALID));
	feclearexcept(FE_ALL_EXCEPT);
	r = zero / zero;
	flags = fetestexcept(FE_ALL_EXCEPT);
	printf("0/0: invalid %d\n", !!(flags & FE_INVALID));
	feclearexcept(FE_ALL_EXCEPT);
	r = huge * 2.0;
	flags = fetestexcept(FE_ALL_EXCEPT);
	printf("DBL_MAX*2: overflow %d inexact %d\n", !!(flags & FE_OVERFLOW),
	       !!(flags & FE_INEXACT));
	feclearexcept(FE_ALL_EXCEPT);
	r = sqrt(-one);
	flags = fetestexcept(FE_ALL_EXCEPT);
	printf("sqrt(-1): invalid %d\n", !!(flags & FE_INVALID));
	(void)r;
}

int
main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	doubles();
	others();
	floats();
	long_doubles();
	environment();
	return check_summary("math");
}
