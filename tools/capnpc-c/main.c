/*
 * capnpc-c: a Cap'n Proto code generator plugin that writes C headers.
 *
 *   capnp compile -o<path>/capnpc-c:<outdir> [--src-prefix=<dir>] x.capnp
 *
 * The reference compiler runs the plugin in <outdir> with a
 * CodeGeneratorRequest on stdin; for each requested file x.capnp we write
 * x.capnp.h and x.capnp.client.h, creating the subdirectories the file's
 * path names (dir/x.capnp -> <outdir>/dir/x.capnp.h) as the reference
 * plugins do.  The request is read with the same runtime the generated
 * code uses.  Naming is described in docs/capnp.md.
 */
/* vasprintf */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gen.h"

/* The request is trusted but large; reading it once is cheap. */
#define REQUEST_TRAVERSAL_WORDS (1ull << 32)
#define REQUEST_NESTING         128

void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("capnpc-c: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		die("out of memory");
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("out of memory");
	return p;
}

static void *
read_all(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	uint8_t *buf = malloc(cap);

	if (buf == NULL)
		die("out of memory");
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (buf == NULL)
				die("out of memory");
		}
	}
	if (ferror(f))
		die("reading the request: %s", strerror(errno));
	*len = n;
	return buf;
}

static int
cmp_node(const void *a, const void *b)
{
	const struct node *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

struct node *
find_node(struct gen *g, uint64_t id)
{
	struct node key = {.id = id};

	return bsearch(&key, g->nodes, g->nnodes, sizeof(key), cmp_node);
}

const char *
cname(struct gen *g, uint64_t id)
{
	struct node *nd = find_node(g, id), *file;

	if (nd == NULL || nd->cname == NULL)
		die("no C name for node %#llx", (unsigned long long)id);
	file = find_node(g, nd->file);
	if (file != NULL)
		file->used = true;
	return nd->cname;
}

static void
load_nodes(struct gen *g, struct capnp_struct req)
{
	struct capnp_list nodes = req_nodes(req);
	struct capnp_list infos = req_source_info(req);
	struct node *nd;
	uint32_t i;

	g->nnodes = capnp_list_len(nodes);
	g->nodes = calloc(g->nnodes ? g->nnodes : 1, sizeof(*g->nodes));
	if (g->nodes == NULL)
		die("out of memory");
	for (i = 0; i < g->nnodes; i++) {
		g->nodes[i].n = capnp_elem_struct(nodes, i);
		g->nodes[i].id = node_id(g->nodes[i].n);
	}
	qsort(g->nodes, g->nnodes, sizeof(*g->nodes), cmp_node);
	for (i = 0; i < capnp_list_len(infos); i++) {
		struct capnp_struct info = capnp_elem_struct(infos, i);

		nd = find_node(g, srcinfo_id(info));
		if (nd != NULL)
			nd->info = info;
	}
}

/* "dir/foo-bar.capnp" -> "foo_bar": the prefix of every name in the file. */
static char *
file_prefix(struct capnp_text display)
{
	const char *base = strrchr(display.str, '/');
	char *p;
	size_t i;

	base = base != NULL ? base + 1 : display.str;
	p = xasprintf("%s%s", base[0] >= '0' && base[0] <= '9' ? "_" : "",
	              base);
	if (strlen(p) > 6 && strcmp(p + strlen(p) - 6, ".capnp") == 0)
		p[strlen(p) - 6] = 0;
	for (i = 0; p[i] != 0; i++) {
		if (!(p[i] >= 'a' && p[i] <= 'z') &&
		    !(p[i] >= 'A' && p[i] <= 'Z') &&
		    !(p[i] >= '0' && p[i] <= '9'))
			p[i] = '_';
	}
	return p;
}

static void name_node(struct gen *g, struct node *nd, char *name,
                      uint64_t file);

static void
name_child(struct gen *g, uint64_t id, const char *parent, const char *part,
           const char *suffix, uint64_t file)
{
	struct node *child = find_node(g, id);

	if (child != NULL && child->cname == NULL)
		name_node(g, child, xasprintf("%s_%s%s", parent, part, suffix),
		          file);
}

/*
 * Names follow the scope: Outer.Inner in foo.capnp is foo_Outer_Inner; a
 * group field g of struct S is S_g; the implicit parameter and result
 * structs of method m of interface I are I_m_Params and I_m_Results.
 * Cap'n Proto names contain no '_', so these cannot collide.
 */
static void
name_node(struct gen *g, struct node *nd, char *name, uint64_t file)
{
	struct capnp_list l;
	uint32_t i;

	nd->cname = name;
	nd->file = file;
	l = node_nested(nd->n);
	for (i = 0; i < capnp_list_len(l); i++) {
		struct capnp_struct e = capnp_elem_struct(l, i);

		name_child(g, nested_id(e), name, nested_name(e).str, "", file);
	}
	if (node_which(nd->n) == NODE_STRUCT) {
		l = node_struct_fields(nd->n);
		for (i = 0; i < capnp_list_len(l); i++) {
			struct capnp_struct f = capnp_elem_struct(l, i);

			if (field_which(f) == FIELD_GROUP)
				name_child(g, field_group_type_id(f), name,
				           field_name(f).str, "", file);
		}
	}
	if (node_which(nd->n) == NODE_INTERFACE) {
		l = node_interface_methods(nd->n);
		for (i = 0; i < capnp_list_len(l); i++) {
			struct capnp_struct m = capnp_elem_struct(l, i);
			struct node *p = find_node(g, method_param_type(m));
			struct node *r = find_node(g, method_result_type(m));

			if (p != NULL && node_scope_id(p->n) == 0)
				name_child(g, p->id, name, method_name(m).str,
				           "_Params", file);
			if (r != NULL && node_scope_id(r->n) == 0)
				name_child(g, r->id, name, method_name(m).str,
				           "_Results", file);
		}
	}
}

void
name_nodes(struct gen *g)
{
	size_t i;

	for (i = 0; i < g->nnodes; i++) {
		struct node *nd = &g->nodes[i];

		if (node_which(nd->n) == NODE_FILE)
			name_node(g, nd, file_prefix(node_display_name(nd->n)),
			          nd->id);
	}
}

/* Calls fn for every node of the current file, outer scopes first. */
static void
walk(struct gen *g, struct node *nd, void (*fn)(struct gen *, struct node *))
{
	struct capnp_list l;
	uint32_t i;

	fn(g, nd);
	l = node_nested(nd->n);
	for (i = 0; i < capnp_list_len(l); i++) {
		struct node *c =
		    find_node(g, nested_id(capnp_elem_struct(l, i)));

		if (c != NULL && c->file == nd->file)
			walk(g, c, fn);
	}
	if (node_which(nd->n) == NODE_STRUCT) {
		l = node_struct_fields(nd->n);
		for (i = 0; i < capnp_list_len(l); i++) {
			struct capnp_struct f = capnp_elem_struct(l, i);
			struct node *c;

			if (field_which(f) != FIELD_GROUP)
				continue;
			c = find_node(g, field_group_type_id(f));
			if (c != NULL)
				walk(g, c, fn);
		}
	}
	if (node_which(nd->n) == NODE_INTERFACE) {
		l = node_interface_methods(nd->n);
		for (i = 0; i < capnp_list_len(l); i++) {
			struct capnp_struct m = capnp_elem_struct(l, i);
			struct node *p = find_node(g, method_param_type(m));
			struct node *r = find_node(g, method_result_type(m));

			if (p != NULL && node_scope_id(p->n) == 0)
				walk(g, p, fn);
			if (r != NULL && node_scope_id(r->n) == 0)
				walk(g, r, fn);
		}
	}
}

static void
pass_enums(struct gen *g, struct node *nd)
{
	if (node_which(nd->n) == NODE_ENUM)
		emit_enum(g, nd);
}

static void
pass_types(struct gen *g, struct node *nd)
{
	if (node_which(nd->n) == NODE_STRUCT)
		emit_struct_types(g, nd);
	if (node_which(nd->n) == NODE_INTERFACE)
		emit_interface(g, nd);
}

static void
pass_accessors(struct gen *g, struct node *nd)
{
	if (node_which(nd->n) == NODE_STRUCT)
		emit_struct_accessors(g, nd);
}

static void
pass_consts(struct gen *g, struct node *nd)
{
	if (node_which(nd->n) == NODE_CONST)
		emit_const(g, nd);
}

static char *guard_name(const char *path);
static void make_parent_dirs(const char *path);

static void
pass_clients(struct gen *g, struct node *nd)
{
	if (node_which(nd->n) != NODE_INTERFACE)
		return;
	emit_interface_entry(g, nd, g->table);
	emit_client_stubs(g, nd, g->client);
}

static void
pass_servers(struct gen *g, struct node *nd)
{
	if (node_which(nd->n) != NODE_INTERFACE)
		return;
	emit_server_decls(g, nd);
	emit_server_defs(g, nd, g->server);
}

/* FILE.client.h: typed client stubs over libcapos's generic call. */
static void
write_client_header(const char *src, const char *body, size_t len)
{
	char *path = xasprintf("%s.client.h", src);
	char *guard = xasprintf("%s_CLIENT", src);
	char *g2 = guard_name(guard);
	FILE *out = fopen(path, "w");

	if (out == NULL)
		die("%s: %s", path, strerror(errno));
	fprintf(out,
	        "/*\n * Generated by capnpc-c from %s; do not edit.\n"
	        " * Client stubs for userspace (docs/capnp.md).\n */\n"
	        "#ifndef %s\n#define %s\n\n#include \"%s.h\"\n"
	        "#include \"capos.h\"\n#include \"capos_call.h\"\n",
	        src, g2, g2, src);
	fwrite(body, 1, len, out);
	fprintf(out, "\n#endif\n");
	if (fclose(out) != 0)
		die("%s: %s", path, strerror(errno));
	free(path);
	free(guard);
	free(g2);
}

static void
make_parent_dirs(const char *path)
{
	char *p = xstrdup(path), *s;

	for (s = strchr(p, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = 0;
		if (*p != 0 && mkdir(p, 0777) != 0 && errno != EEXIST)
			die("mkdir %s: %s", p, strerror(errno));
		*s = '/';
	}
	free(p);
}

static char *
guard_name(const char *path)
{
	char *p = xasprintf("CAPNP_GEN_%s_H", path);
	size_t i;

	for (i = 0; p[i] != 0; i++) {
		if (p[i] >= 'a' && p[i] <= 'z')
			p[i] = (char)(p[i] - 'a' + 'A');
		else if (!(p[i] >= 'A' && p[i] <= 'Z') &&
		         !(p[i] >= '0' && p[i] <= '9'))
			p[i] = '_';
	}
	return p;
}

static void
generate_file(struct gen *g, struct capnp_struct rf)
{
	struct node *file = find_node(g, rfile_id(rf));
	struct capnp_list imports = rfile_imports(rf);
	const char *src = rfile_name(rf).str;
	char *path, *guard, *prefix, *body = NULL, *table = NULL,
	                             *client = NULL;
	char *server = NULL;
	size_t body_len = 0, table_len = 0, client_len = 0, i, ntable = 0;
	size_t server_len = 0;
	FILE *out;

	if (file == NULL)
		die("requested file %s has no node", src);
	for (i = 0; i < g->nnodes; i++)
		g->nodes[i].used = false;
	g->file = file->id;
	g->out = open_memstream(&body, &body_len);
	g->table = open_memstream(&table, &table_len);
	g->client = open_memstream(&client, &client_len);
	g->server = open_memstream(&server, &server_len);
	if (g->out == NULL || g->table == NULL || g->client == NULL ||
	    g->server == NULL)
		die("out of memory");
	walk(g, file, pass_enums);
	walk(g, file, pass_types);
	walk(g, file, pass_accessors);
	walk(g, file, pass_consts);
	walk(g, file, pass_servers);
	walk(g, file, pass_clients);
	if (fclose(g->table) != 0 || fclose(g->client) != 0 ||
	    fclose(g->server) != 0)
		die("out of memory");
	for (i = 0; i < table_len; i++)
		ntable += table[i] == '\n';
	if (ntable) {
		char *prefix = file_prefix(node_display_name(file->n));

		fprintf(
		    g->out,
		    "\n/* Every interface of this file by schema name. */\n"
		    "static const struct rpc_interface_entry %s_interfaces[] "
		    "__attribute__((unused)) = {\n",
		    prefix);
		fwrite(table, 1, table_len, g->out);
		fprintf(g->out, "};\n#define %s_interfaces_COUNT %zu\n", prefix,
		        ntable);
		free(prefix);
	}
	if (fclose(g->out) != 0)
		die("out of memory");
	make_parent_dirs(src);
	write_client_header(src, client, client_len);
	write_server_source(src, server, server_len);
	free(table);
	free(client);
	free(server);

	path = xasprintf("%s.h", src);
	guard = guard_name(src);
	prefix = file_prefix(node_display_name(file->n));
	out = fopen(path, "w");
	if (out == NULL)
		die("%s: %s", path, strerror(errno));
	fprintf(out,
	        "/*\n * Generated by capnpc-c from %s; do not edit.\n"
	        " * Naming and use: docs/capnp.md.\n */\n"
	        "#ifndef %s\n#define %s\n\n#include \"capnp/capnp.h\"\n"
	        "#include \"rpc/dispatch.h\"\n",
	        src, guard, guard);
	fprintf(out,
	        "\n/* Node id of the schema file (its @0x... id). */\n"
	        "#define %s_FILE_ID UINT64_C(0x%016" PRIx64 ")\n",
	        prefix, file->id);
	for (i = 0; i < capnp_list_len(imports); i++) {
		struct node *imp =
		    find_node(g, import_id(capnp_elem_struct(imports, i)));

		if (imp != NULL && imp->used && imp != file)
			fprintf(out, "#include \"%s.h\"\n",
			        node_display_name(imp->n).str);
	}
	fwrite(body, 1, body_len, out);
	fprintf(out, "\n#endif\n");
	if (fclose(out) != 0)
		die("%s: %s", path, strerror(errno));
	free(body);
	free(path);
	free(guard);
	free(prefix);
}

int
main(void)
{
	struct capnp_msg msg;
	struct capnp_struct req;
	struct capnp_list files;
	struct gen g = {0};
	size_t len, used;
	void *buf = read_all(stdin, &len);
	uint32_t i;

	if (capnp_msg_init_frame(&msg, buf, len, &used) != CAPNP_OK)
		die("bad request framing: %s", capnp_strerror(msg.err));
	capnp_msg_set_limits(&msg, REQUEST_TRAVERSAL_WORDS, REQUEST_NESTING);
	g.msg = &msg;
	req = capnp_msg_root(&msg);
	load_nodes(&g, req);
	name_nodes(&g);
	files = req_requested_files(req);
	for (i = 0; i < capnp_list_len(files); i++)
		generate_file(&g, capnp_elem_struct(files, i));
	if (capnp_msg_error(&msg) != CAPNP_OK)
		die("reading the request: %s",
		    capnp_strerror(capnp_msg_error(&msg)));
	free(g.nodes);
	free(buf);
	return 0;
}
