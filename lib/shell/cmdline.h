/*
 * The shell's command line, parsed (pure code: host-tested and fuzzed,
 * since every byte of it is typed by whoever sits at the terminal).
 *
 *	line    = command? end
 *	command = WORD arg* ("with" grants)?
 *	arg     = WORD | STRING
 *	grants  = "{" (grant ("," grant)* ","?)? "}"
 *	grant   = WORD ":" "client"? "@" WORD
 *
 * A WORD is letters, digits and "_-./"; a STRING is double-quoted, with
 * \" \\ \n and \t as its only escapes.  Spaces and tabs separate tokens.
 * For example:
 *
 *	run "hello" with { stdio: @stdio, chat: client @chat }
 *
 * Anything else (a control byte, a byte above 0x7e outside a string, an
 * unterminated string, a brace in the wrong place, text after the closing
 * brace, a line or a token too long, too many args or grants) is an error
 * with the column it was found at and a one-line message; the parse
 * never reads past len and never fails to answer.
 */
#ifndef LIB_SHELL_CMDLINE_H
#define LIB_SHELL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#define CMDLINE_MAX        1024 /* bytes of one line */
#define CMDLINE_ARGS_MAX   16
#define CMDLINE_GRANTS_MAX 32
/* A grant's names are CapSet names: at most 31 bytes. */
#define CMDLINE_NAME_MAX 31
#define CMDLINE_ERR_MAX  96

struct cmdline_grant {
	const char *name;   /* the child's name for the cap */
	const char *source; /* the cap of ours, by its name after '@' */
	bool client;        /* "client @x": an endpoint's client facet */
};

struct cmdline {
	const char *command; /* NULL for an empty line */
	const char *args[CMDLINE_ARGS_MAX];
	unsigned nargs;
	bool with; /* a grant block was given (maybe empty) */
	struct cmdline_grant grants[CMDLINE_GRANTS_MAX];
	unsigned ngrants;
	/* The tokens, each NUL-terminated; the pointers above point here. */
	char text[2 * CMDLINE_MAX + 2];
};

struct cmdline_error {
	unsigned column; /* 1-based byte offset of the problem */
	char message[CMDLINE_ERR_MAX];
};

/* Parses line[0, len) into *out.  0, or -1 with *err filled. */
int cmdline_parse(const char *line, size_t len, struct cmdline *out,
                  struct cmdline_error *err);

#endif
