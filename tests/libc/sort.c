/*
 * sort: qsort of integers, strings and records built from a fixed
 * generator (already sorted, reversed, all equal and random inputs of
 * many sizes), checked in order and as a permutation; bsearch for every
 * present key and for absent ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define MAX_N 3000

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Records sorted by key, then by index: a total order, so the result is
 * the same whatever the algorithm. */
struct record {
	int key;
	int index;
	char pad[20];
};

static int
cmp_record(const void *a, const void *b)
{
	const struct record *x = a, *y = b;

	if (x->key != y->key)
		return (x->key > y->key) - (x->key < y->key);
	return (x->index > y->index) - (x->index < y->index);
}

static unsigned long long
checksum_ints(const int *v, size_t n)
{
	unsigned long long sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum = sum * 1000003 + (unsigned)v[i];
	return sum;
}

static void
sort_ints(const char *shape, struct lcg *g, size_t n)
{
	static int v[MAX_N];
	unsigned long long before = 0, after = 0;
	size_t i;
	int sorted = 1;

	for (i = 0; i < n; i++) {
		if (strcmp(shape, "random") == 0)
			v[i] = (int)lcg_below(g, 100000) - 50000;
		else if (strcmp(shape, "ascending") == 0)
			v[i] = (int)i;
		else if (strcmp(shape, "descending") == 0)
			v[i] = (int)(n - i);
		else if (strcmp(shape, "equal") == 0)
			v[i] = 7;
		else
			v[i] = (int)lcg_below(g, 4); /* few distinct */
		before += (unsigned long long)(v[i] + 60000);
	}
	qsort(v, n, sizeof(v[0]), cmp_int);
	for (i = 0; i < n; i++) {
		after += (unsigned long long)(v[i] + 60000);
		if (i && v[i - 1] > v[i])
			sorted = 0;
	}
	CHECK(sorted, "%s ints of %zu not sorted", shape, n);
	CHECK(before == after, "%s ints of %zu: values changed", shape, n);
	printf("ints %-10s n=%-4zu first %d last %d checksum %016llx\n", shape,
	       n, n ? v[0] : 0, n ? v[n - 1] : 0, checksum_ints(v, n));
}

static void
search_ints(void)
{
	static int v[MAX_N];
	size_t i, n = 0;
	int found = 0, absent = 0;

	/* Even numbers only, distinct: odd keys are absent. */
	for (i = 0; i < 1000; i++)
		v[n++] = (int)(2 * ((i * 7919) % 1000));
	qsort(v, n, sizeof(v[0]), cmp_int);
	for (i = 0; i < 1000; i++) {
		int key = (int)(2 * i), odd = (int)(2 * i + 1);
		int *p = bsearch(&key, v, n, sizeof(v[0]), cmp_int);

		if (p && *p == key && p - v == (long)i)
			found++;
		if (!bsearch(&odd, v, n, sizeof(v[0]), cmp_int))
			absent++;
	}
	CHECK(found == 1000, "bsearch found %d of 1000", found);
	CHECK(absent == 1000, "bsearch missed %d of 1000 absent", absent);
	CHECK(bsearch(&found, v, 0, sizeof(v[0]), cmp_int) == NULL,
	      "bsearch of nothing found something");
	printf("bsearch: %d found, %d absent\n", found, absent);
}

static void
sort_strings(struct lcg *g)
{
	static char store[500][12];
	static char *s[500];
	size_t i, j;
	int sorted = 1;

	for (i = 0; i < 500; i++) {
		size_t len = 1 + lcg_below(g, 10);

		for (j = 0; j < len; j++)
			store[i][j] = (char)('a' + lcg_below(g, 6));
		store[i][len] = '\0';
		s[i] = store[i];
	}
	qsort(s, 500, sizeof(s[0]), cmp_str);
	for (i = 1; i < 500; i++)
		if (strcmp(s[i - 1], s[i]) > 0)
			sorted = 0;
	CHECK(sorted, "strings not sorted");
	printf("strings:");
	for (i = 0; i < 500; i += 50)
		printf(" %s", s[i]);
	printf(" ... %s\n", s[499]);
}

static void
sort_records(struct lcg *g)
{
	static struct record r[1000];
	size_t i;
	int sorted = 1;
	unsigned long long sum = 0;

	for (i = 0; i < 1000; i++) {
		r[i].key = (int)lcg_below(g, 50);
		r[i].index = (int)i;
		memset(r[i].pad, (int)i, sizeof(r[i].pad));
	}
	qsort(r, 1000, sizeof(r[0]), cmp_record);
	for (i = 0; i < 1000; i++) {
		if (i && cmp_record(&r[i - 1], &r[i]) >= 0)
			sorted = 0;
		CHECK(r[i].pad[19] == (char)r[i].index, "record %zu torn", i);
		sum = sum * 31 + (unsigned)(r[i].key * 1000 + r[i].index);
	}
	CHECK(sorted, "records not sorted");
	printf("records: checksum %016llx\n", sum);
}

int
main(int argc, char **argv)
{
	static const char *const shapes[] = {"random", "ascending",
	                                     "descending", "equal", "few"};
	static const size_t sizes[] = {0, 1, 2, 3, 7, 31, 100, 1000, 3000};
	struct lcg g = {2024};
	size_t s, n;

	(void)argc;
	(void)argv;
	for (s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++)
		for (n = 0; n < sizeof(sizes) / sizeof(sizes[0]); n++)
			sort_ints(shapes[s], &g, sizes[n]);
	search_ints();
	sort_strings(&g);
	sort_records(&g);
	return check_summary("sort");
}
