/*
 * The shell's command line (cmdline.h): a lexer that yields one token at
 * a time, copying words and strings into the result's own text, and a
 * parser that follows the grammar, one token of lookahead.
 */
#include "shell/cmdline.h"

#include "fmt/fmt.h"

enum token_kind {
	TOK_END,
	TOK_WORD,
	TOK_STRING,
	TOK_LBRACE,
	TOK_RBRACE,
	TOK_COMMA,
	TOK_COLON,
	TOK_AT,
};

struct token {
	enum token_kind kind;
	unsigned column;
	const char *text; /* WORD, STRING: NUL-terminated copy */
	size_t len;
};

struct parser {
	const char *line;
	size_t len, pos;
	char *text;  /* where the next token's copy goes */
	char *limit; /* end of the text buffer */
	struct token tok;
	struct cmdline_error *err;
};

static const char *const kind_names[] = {
    [TOK_END] = "the end of the line",
    [TOK_WORD] = "a word",
    [TOK_STRING] = "a string",
    [TOK_LBRACE] = "'{'",
    [TOK_RBRACE] = "'}'",
    [TOK_COMMA] = "','",
    [TOK_COLON] = "':'",
    [TOK_AT] = "'@'",
};

static int
fail(struct parser *p, unsigned column, const char *message)
{
	p->err->column = column;
	fmt_snprintf(p->err->message, sizeof(p->err->message), "%s", message);
	return -1;
}

static int
unexpected(struct parser *p, const char *wanted)
{
	p->err->column = p->tok.column;
	fmt_snprintf(p->err->message, sizeof(p->err->message),
	             "expected %s, found %s", wanted, kind_names[p->tok.kind]);
	return -1;
}

static bool
word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
	       c == '/';
}

static int
put(struct parser *p, char c)
{
	if (p->text == p->limit)
		return -1; /* cannot happen: the buffer holds 2 bytes a byte */
	*p->text++ = c;
	return 0;
}

static int
lex_string(struct parser *p)
{
	unsigned column = (unsigned)p->pos + 1;

	p->pos++; /* the opening quote */
	for (;;) {
		unsigned char c;

		if (p->pos == p->len)
			return fail(p, column, "unterminated string");
		c = (unsigned char)p->line[p->pos];
		if (c == '"') {
			p->pos++;
			break;
		}
		if (c < 0x20 || c == 0x7f)
			return fail(p, (unsigned)p->pos + 1,
			            "control character in a string");
		if (c == '\\') {
			if (p->pos + 1 == p->len)
				return fail(p, column, "unterminated string");
			c = (unsigned char)p->line[++p->pos];
			switch (c) {
			case '"':
			case '\\':
				break;
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			default:
				return fail(
				    p, (unsigned)p->pos,
				    "unknown escape in a string (\\\" \\\\ "
				    "\\n \\t are known)");
			}
		}
		if (put(p, (char)c))
			return fail(p, column, "line too long");
		p->pos++;
	}
	return 0;
}

/* The next token into p->tok. */
static int
next(struct parser *p)
{
	unsigned char c;

	while (p->pos < p->len &&
	       (p->line[p->pos] == ' ' || p->line[p->pos] == '\t'))
		p->pos++;
	p->tok.column = (unsigned)p->pos + 1;
	p->tok.text = NULL;
	p->tok.len = 0;
	if (p->pos == p->len) {
		p->tok.kind = TOK_END;
		return 0;
	}
	c = (unsigned char)p->line[p->pos];
	switch (c) {
	case '{':
		p->tok.kind = TOK_LBRACE;
		p->pos++;
		return 0;
	case '}':
		p->tok.kind = TOK_RBRACE;
		p->pos++;
		return 0;
	case ',':
		p->tok.kind = TOK_COMMA;
		p->pos++;
		return 0;
	case ':':
		p->tok.kind = TOK_COLON;
		p->pos++;
		return 0;
	case '@':
		p->tok.kind = TOK_AT;
		p->pos++;
		return 0;
	default:
		break;
	}
	p->tok.text = p->text;
	if (c == '"') {
		p->tok.kind = TOK_STRING;
		if (lex_string(p))
			return -1;
	} else if (word_byte(c)) {
		p->tok.kind = TOK_WORD;
		while (p->pos < p->len &&
		       word_byte((unsigned char)p->line[p->pos]))
			if (put(p, p->line[p->pos++]))
				return fail(p, p->tok.column, "line too long");
	} else if (c < 0x20 || c == 0x7f) {
		return fail(p, p->tok.column, "control character");
	} else {
		return fail(p, p->tok.column,
		            c > 0x7e ? "non-ASCII byte outside a string"
		                     : "unexpected character");
	}
	p->tok.len = (size_t)(p->text - p->tok.text);
	if (put(p, '\0'))
		return fail(p, p->tok.column, "line too long");
	return 0;
}

static bool
is_word(const struct parser *p, const char *w)
{
	size_t i;

	if (p->tok.kind != TOK_WORD)
		return false;
	for (i = 0; w[i] && i < p->tok.len; i++)
		if (p->tok.text[i] != w[i])
			return false;
	return i == p->tok.len && w[i] == '\0';
}

/* A WORD usable as a CapSet name. */
static int
name(struct parser *p, const char **out, const char *what)
{
	if (p->tok.kind != TOK_WORD)
		return unexpected(p, what);
	if (p->tok.len > CMDLINE_NAME_MAX) {
		p->err->column = p->tok.column;
		fmt_snprintf(p->err->message, sizeof(p->err->message),
		             "cap name longer than %d bytes", CMDLINE_NAME_MAX);
		return -1;
	}
	*out = p->tok.text;
	return next(p);
}

static int
grant(struct parser *p, struct cmdline *out)
{
	struct cmdline_grant *g;

	if (out->ngrants == CMDLINE_GRANTS_MAX) {
		p->err->column = p->tok.column;
		fmt_snprintf(p->err->message, sizeof(p->err->message),
		             "more than %d grants", CMDLINE_GRANTS_MAX);
		return -1;
	}
	g = &out->grants[out->ngrants];
	g->client = false;
	if (name(p, &g->name, "a cap name"))
		return -1;
	if (p->tok.kind != TOK_COLON)
		return unexpected(p, "':' after the cap name");
	if (next(p))
		return -1;
	if (is_word(p, "client")) {
		g->client = true;
		if (next(p))
			return -1;
	}
	if (p->tok.kind != TOK_AT)
		return unexpected(p, "'@' and the name of a cap you hold");
	if (next(p) || name(p, &g->source, "the name of a cap you hold"))
		return -1;
	out->ngrants++;
	return 0;
}

static int
grants(struct parser *p, struct cmdline *out)
{
	if (p->tok.kind != TOK_LBRACE)
		return unexpected(p, "'{' after \"with\"");
	if (next(p))
		return -1;
	while (p->tok.kind != TOK_RBRACE) {
		if (grant(p, out))
			return -1;
		if (p->tok.kind == TOK_COMMA) {
			if (next(p))
				return -1;
		} else if (p->tok.kind != TOK_RBRACE) {
			return unexpected(p, "',' or '}'");
		}
	}
	if (next(p))
		return -1;
	if (p->tok.kind != TOK_END)
		return unexpected(p, "the end of the line after '}'");
	return 0;
}

int
cmdline_parse(const char *line, size_t len, struct cmdline *out,
              struct cmdline_error *err)
{
	struct parser p = {
	    .line = line,
	    .len = len,
	    .text = out->text,
	    .limit = out->text + sizeof(out->text),
	    .err = err,
	};

	out->command = NULL;
	out->nargs = 0;
	out->with = false;
	out->ngrants = 0;
	err->column = 0;
	err->message[0] = '\0';
	if (len > CMDLINE_MAX) {
		err->column = CMDLINE_MAX + 1;
		fmt_snprintf(err->message, sizeof(err->message),
		             "line too long (%lu bytes, at most %d)",
		             (unsigned long)len, CMDLINE_MAX);
		return -1;
	}
	if (next(&p))
		return -1;
	if (p.tok.kind == TOK_END)
		return 0;
	if (p.tok.kind != TOK_WORD)
		return unexpected(&p, "a command");
	out->command = p.tok.text;
	if (next(&p))
		return -1;
	while (p.tok.kind == TOK_WORD || p.tok.kind == TOK_STRING) {
		if (is_word(&p, "with")) {
			out->with = true;
			if (next(&p))
				return -1;
			return grants(&p, out);
		}
		if (out->nargs == CMDLINE_ARGS_MAX) {
			err->column = p.tok.column;
			fmt_snprintf(err->message, sizeof(err->message),
			             "more than %d arguments",
			             CMDLINE_ARGS_MAX);
			return -1;
		}
		out->args[out->nargs++] = p.tok.text;
		if (next(&p))
			return -1;
	}
	if (p.tok.kind != TOK_END)
		return unexpected(&p, "an argument or \"with\"");
	return 0;
}
