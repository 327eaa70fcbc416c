/*
 * capnpc-c: text output helpers (doc comments, C string literals).
 */
#include <string.h>

#include "gen.h"

/* Doc comments from the schema, as C block comments. */
void
emit_doc(struct gen *g, struct capnp_text doc, const char *indent)
{
	size_t len = doc.len, i;

	while (len > 0 && (doc.str[len - 1] == '\n' || doc.str[len - 1] == ' '))
		len--;
	if (len == 0)
		return;
	fprintf(g->out, "%s/*\n%s *", indent, indent);
	for (i = 0; i < len; i++) {
		char c = doc.str[i];

		if (c == '\n') {
			fprintf(g->out, "\n%s *", indent);
		} else if (i > 0 && ((c == '/' && doc.str[i - 1] == '*') ||
		                     (c == '*' && doc.str[i - 1] == '/'))) {
			/* Never open or close a C comment inside one. */
			fprintf(g->out, " %c", c);
		} else {
			if (i == 0 || doc.str[i - 1] == '\n')
				fputc(' ', g->out);
			fputc(c, g->out);
		}
	}
	fprintf(g->out, "\n%s */\n", indent);
}

void
emit_c_string(FILE *f, const char *s, size_t len)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\' || c == '?')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\%03o", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}
