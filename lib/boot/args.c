#include "boot/args.h"

#include "base/mem.h"

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void
args_parse(struct args *a, char *buf)
{
	char *p = buf;

	a->count = 0;
	a->dropped = 0;
	while (*p) {
		char *word, *eq;

		while (is_space(*p))
			p++;
		if (!*p)
			break;
		word = p;
		while (*p && !is_space(*p))
			p++;
		if (*p)
			*p++ = '\0';
		if (a->count == ARGS_MAX) {
			a->dropped++;
			continue;
		}
		eq = word;
		while (*eq && *eq != '=')
			eq++;
		a->list[a->count].key = word;
		if (*eq) {
			*eq = '\0';
			a->list[a->count].value = eq + 1;
		} else {
			a->list[a->count].value = eq; /* "" */
		}
		a->count++;
	}
}

const char *
args_get(const struct args *a, const char *key)
{
	size_t i;

	for (i = a->count; i-- > 0;)
		if (strcmp(a->list[i].key, key) == 0)
			return a->list[i].value;
	return NULL;
}
