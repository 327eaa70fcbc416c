/*
 * string: the mem* and str* functions against simple reference loops —
 * memmove over every overlap in both directions, memchr and memcmp at
 * every length and alignment, strtok, strspn, strstr with periodic
 * needles — and character classes over all of 0..255.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"

#define BUF 160

static unsigned char ref[BUF], buf[BUF];

static void
fill(unsigned char *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7 + (i >> 3));
}

/* memmove of every length at every source and destination offset within
 * a small window, compared with a byte loop through a temporary. */
static void
moves(void)
{
	unsigned char tmp[BUF];
	size_t src, dst, len, i;
	int bad = 0, cases = 0;

	for (src = 0; src < 40; src += 3)
		for (dst = 0; dst < 40; dst++)
			for (len = 0; len <= 100; len += (len < 20 ? 1 : 13)) {
				fill(buf, BUF, (unsigned)(src + len));
				memcpy(ref, buf, BUF);
				for (i = 0; i < len; i++)
					tmp[i] = ref[src + i];
				for (i = 0; i < len; i++)
					ref[dst + i] = tmp[i];
				memmove(buf + dst, buf + src, len);
				cases++;
				if (memcmp(buf, ref, BUF) != 0)
					bad++;
			}
	CHECK(bad == 0, "memmove wrong in %d of %d cases", bad, cases);
	printf("memmove: %d cases\n", cases);
}

static void
compares_and_sets(void)
{
	size_t off, len, i;
	int bad = 0;

	for (off = 0; off < 16; off++)
		for (len = 0; len < 100; len++) {
			unsigned char a[128], b[128];
			int want = 0, got;

			fill(a, sizeof(a), 3);
			memcpy(b, a, sizeof(b));
			if (len) {
				b[off + len - 1] ^= 0x80;
				want = a[off + len - 1] < b[off + len - 1] ? -1
				                                           : 1;
			}
			got = memcmp(a + off, b + off, len);
			if ((got > 0) - (got < 0) != want)
				bad++;
			memset(a + off, 0xa5, len);
			for (i = 0; i < 128; i++)
				if ((i >= off && i < off + len) !=
				        (a[i] == 0xa5) &&
				    b[i] != 0xa5)
					bad++;
		}
	CHECK(bad == 0, "memcmp/memset wrong %d times", bad);
	printf("memcmp(\"abc\", \"abd\") < 0: %d, bytes compare unsigned: %d\n",
	       memcmp("abc", "abd", 3) < 0, memcmp("\x80", "\x01", 1) > 0);
}

static void
searches(void)
{
	const char *hay = "the quick brown fox jumps over the lazy dog";
	static const char *const needles[] = {
	    "",  "the", "dog", "fox j", "lazy dogs", "o", "quick brown fox",
	    "z", "xyz", "he ",
	};
	char periodic[300];
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(needles) / sizeof(needles[0]); i++) {
		const char *p = strstr(hay, needles[i]);

		printf("strstr '%s': %td\n", needles[i], p ? p - hay : -1L);
	}
	/* A needle that almost matches everywhere. */
	memset(periodic, 'a', sizeof(periodic) - 1);
	periodic[sizeof(periodic) - 1] = '\0';
	periodic[250] = 'b';
	printf("strstr periodic: %td %d\n",
	       strstr(periodic, "aaaaaaaaaaaaaaab") - periodic,
	       strstr(periodic, "aaaaaaaaaaaaaaaaab") == NULL);
	printf("strchr %td strrchr %td strchr NUL %td strchr none %d\n",
	       strchr(hay, 'o') - hay, strrchr(hay, 'o') - hay,
	       strchr(hay, '\0') - hay, strchr(hay, '!') == NULL);
	printf("strpbrk %td strspn %zu strcspn %zu strspn all %zu strcspn none "
	       "%zu\n",
	       strpbrk(hay, "xyz") - hay, strspn(hay, "eht "),
	       strcspn(hay, "qz"), strspn("aaa", "a"), strcspn("abc", ""));
	/* memchr: found at every position and length, never past n. */
	for (i = 0; i < 64; i++) {
		unsigned char m[64];
		size_t n;

		memset(m, 1, sizeof(m));
		m[i] = 0xfe;
		for (n = 0; n <= 64; n++) {
			void *want = i < n ? m + i : NULL;

			if (memchr(m, 0xfe, n) != want)
				bad++;
		}
	}
	CHECK(bad == 0, "memchr wrong %d times", bad);
	CHECK(memchr("abc", 'a' + 256, 3) != NULL, "memchr compares bytes");
	CHECK(memchr(NULL, 'a', 0) == NULL, "memchr of 0 bytes");
}

static void
copies(void)
{
	char d[32];
	char *s;
	int i;

	memset(d, 'x', sizeof(d));
	strncpy(d, "abc", 8);
	printf("strncpy pads:");
	for (i = 0; i < 9; i++)
		printf(" %02x", (unsigned char)d[i]);
	printf("\n");
	strcpy(d, "head");
	strcat(d, "-tail");
	strncat(d, "123456", 3);
	printf("strcat: %s %zu\n", d, strlen(d));
	printf("strnlen %zu %zu\n", strnlen(d, 4), strnlen(d, 100));
	s = strdup(d);
	CHECK(s && strcmp(s, d) == 0, "strdup");
	free(s);
	s = strndup("abcdef", 3);
	CHECK(s && strcmp(s, "abc") == 0, "strndup");
	free(s);
	printf("strcmp %d %d %d strncmp %d strcasecmp %d strncasecmp %d\n",
	       strcmp("a", "b") < 0, strcmp("b", "a") > 0, strcmp("", ""),
	       strncmp("abcX", "abcY", 3), strcasecmp("HeLLo", "hello"),
	       strncasecmp("ABx", "aby", 2));
	printf("strcoll %d strxfrm %zu\n", strcoll("abc", "abd") < 0,
	       strxfrm(d, "xyz", sizeof(d)));
	printf("strerror(0) '%s'\n", strerror(0));
}

static void
tokens(void)
{
	char line[] = ",,one,two;;three,,;four;";
	char again[] = "a b\tc  d";
	char *t, *save;

	printf("strtok:");
	for (t = strtok(line, ",;"); t; t = strtok(NULL, ",;"))
		printf(" [%s]", t);
	printf("\nstrtok_r:");
	for (t = strtok_r(again, " \t", &save); t;
	     t = strtok_r(NULL, " \t", &save))
		printf(" [%s]", t);
	printf("\n");
	strcpy(line, ";;;");
	CHECK(strtok(line, ";") == NULL, "strtok of delimiters only");
}

/* One bit per class per byte value, printed as a checksum per class. */
static void
classes(void)
{
	static const char *const names[] = {
	    "alnum", "alpha", "blank", "cntrl", "digit",  "graph",   "lower",
	    "print", "punct", "space", "upper", "xdigit", "toupper", "tolower"};
	unsigned long long sum[14] = {0};
	int c, k;

	for (c = -1; c < 256; c++) {
		int v[14] = {!!isalnum(c), !!isalpha(c), !!isblank(c),
		             !!iscntrl(c), !!isdigit(c), !!isgraph(c),
		             !!islower(c), !!isprint(c), !!ispunct(c),
		             !!isspace(c), !!isupper(c), !!isxdigit(c),
		             toupper(c),   tolower(c)};

		for (k = 0; k < 14; k++)
			sum[k] = sum[k] * 131 + (unsigned)v[k] + 1;
	}
	for (k = 0; k < 14; k++)
		printf("%s %016llx\n", names[k], sum[k]);
}

int
main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	moves();
	compares_and_sets();
	searches();
	copies();
	tokens();
	classes();
	return check_summary("string");
}
