/*
 * Kernel arguments: "key=value flag key2=value2", split in place.  Words
 * are separated by spaces or tabs; a word without '=' is a flag whose
 * value is "".  A later word overrides an earlier one with the same key,
 * so arguments appended by a test harness win over the loader's.
 */
#ifndef BOOT_ARGS_H
#define BOOT_ARGS_H

#include <stddef.h>

#define ARGS_MAX 32

struct arg {
	const char *key;
	const char *value;
};

struct args {
	struct arg list[ARGS_MAX];
	size_t count;
	size_t dropped; /* words beyond ARGS_MAX */
};

/* Splits buf in place (writes NULs into it). */
void args_parse(struct args *a, char *buf);

/* The value of key, or NULL when it was not given. */
const char *args_get(const struct args *a, const char *key);

#endif
