/*
 * capnpc-c: the server side of every interface — handler tables, the
 * interface descriptors and the generated dispatch (lib/rpc/dispatch.h).
 *
 * In FILE.capnp.h, for interface I:
 *
 *   typedef int I_m_fn(void *self, struct rpc_call *call,
 *                      I_m_Params_reader params, I_m_Results_builder results);
 *   struct I_server { struct B_server B; ...; I_m_fn *m; ... };
 *   extern const struct rpc_interface I_interface;
 *   int I_dispatch(const void *impl, void *self, struct rpc_call *call);
 *
 * where B is each superclass (by schema name), in schema order.  In
 * FILE.capnp.c, the descriptors and the dispatch functions: one switch on
 * the ordinal of I's own methods, then the superclass that answers the
 * interface id, then `unimplemented`.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* "capos.capnp:Console" -> "Console" */
const char *
schema_name(struct node *nd)
{
	const char *s = node_display_name(nd->n).str;
	const char *colon = s ? strchr(s, ':') : NULL;

	return colon ? colon + 1 : (s ? s : "");
}

/* Whether struct node id has no data and no pointers. */
static bool
struct_is_empty(struct gen *g, uint64_t id)
{
	struct node *nd = find_node(g, id);

	return nd != NULL && node_struct_data_words(nd->n) == 0 &&
	       node_struct_ptrs(nd->n) == 0;
}

static struct node *
super_node(struct gen *g, struct capnp_list sup, uint32_t i)
{
	uint64_t id = superclass_id(capnp_elem_struct(sup, i));
	struct node *s = find_node(g, id);

	if (s == NULL || s->cname == NULL)
		die("no superclass node %#" PRIx64, id);
	cname(g, id); /* its header is included */
	return s;
}

void
emit_server_decls(struct gen *g, struct node *nd)
{
	struct capnp_list ms = node_interface_methods(nd->n);
	struct capnp_list sup = node_interface_superclasses(nd->n);
	const char *p = nd->cname;
	uint32_t i;

	if (nd->server_done)
		return;
	nd->server_done = true;
	/* A superclass of this file is declared first, wherever it is. */
	for (i = 0; i < capnp_list_len(sup); i++) {
		struct node *s = super_node(g, sup, i);

		if (s->file == g->file)
			emit_server_decls(g, s);
	}
	fprintf(g->out, "\n/* Server side of %s (lib/rpc/dispatch.h). */\n",
	        schema_name(nd));
	for (i = 0; i < capnp_list_len(ms); i++) {
		struct capnp_struct m = capnp_elem_struct(ms, i);
		const char *mname = method_name(m).str;

		fprintf(
		    g->out,
		    "typedef int %s_%s_fn(void *self, struct rpc_call *call,\n"
		    "\t%s_reader params, %s_builder results);\n",
		    p, mname, cname(g, method_param_type(m)),
		    cname(g, method_result_type(m)));
	}
	fprintf(g->out, "struct %s_server {\n", p);
	for (i = 0; i < capnp_list_len(sup); i++) {
		struct node *s = super_node(g, sup, i);

		fprintf(g->out, "\tstruct %s_server %s;\n", s->cname,
		        schema_name(s));
	}
	for (i = 0; i < capnp_list_len(ms); i++) {
		const char *mname = method_name(capnp_elem_struct(ms, i)).str;

		fprintf(g->out, "\t%s_%s_fn *%s;\n", p, mname, mname);
	}
	/* ISO C has no empty structs: an interface with no methods (and no
	 * superclass) still gets a table, with one unused member. */
	if (capnp_list_len(sup) == 0 && capnp_list_len(ms) == 0)
		fprintf(g->out, "\tchar no_methods;\n");
	fprintf(g->out,
	        "};\nextern const struct rpc_interface %s_interface;\n"
	        "int %s_dispatch(const void *impl, void *self, "
	        "struct rpc_call *call);\n",
	        p, p);
}

/* One method: handler present, params well formed, roots, the call. */
static void
emit_invoke(struct gen *g, struct node *nd, struct capnp_struct m, FILE *f)
{
	const char *p = nd->cname, *iname = schema_name(nd);
	const char *mname = method_name(m).str;
	const char *params = cname(g, method_param_type(m));
	const char *results = cname(g, method_result_type(m));

	fprintf(
	    f,
	    "\nstatic inline int\n%s_%s_invoke(const struct %s_server *impl, "
	    "void *self,\n\tstruct rpc_call *call)\n{\n"
	    "\t%s_reader p = {.s = {.msg = NULL}};\n"
	    "\t%s_builder r = {.s = {.b = NULL}};\n\n"
	    "\tif (impl->%s == NULL)\n"
	    "\t\treturn rpc_exception(call, RPC_EXC_UNIMPLEMENTED,\n"
	    "\t\t\t\"%s.%s: not implemented\");\n"
	    "\tif (capnp_msg_validate(&call->params) != CAPNP_OK)\n"
	    "\t\treturn rpc_exception(call, RPC_EXC_INVALID_ARGUMENT,\n"
	    "\t\t\t\"%s.%s: malformed params\");\n",
	    p, mname, p, params, results, mname, iname, mname, iname, mname);
	/* The root must be a struct (validation checks pointers, not what
	 * they point at). */
	if (!struct_is_empty(g, method_param_type(m)))
		fprintf(f,
		        "\tp = %s_read_root(&call->params);\n"
		        "\tif (capnp_msg_error(&call->params) != CAPNP_OK)\n"
		        "\t\treturn rpc_exception(call, "
		        "RPC_EXC_INVALID_ARGUMENT,\n"
		        "\t\t\t\"%s.%s: malformed params\");\n",
		        params, iname, mname);
	if (!struct_is_empty(g, method_result_type(m)))
		fprintf(f, "\tr = %s_build_root(call->results);\n", results);
	fprintf(f, "\treturn impl->%s(self, call, p, r);\n}\n", mname);
}

void
emit_server_defs(struct gen *g, struct node *nd, FILE *f)
{
	struct capnp_list ms = node_interface_methods(nd->n);
	struct capnp_list sup = node_interface_superclasses(nd->n);
	const char *p = nd->cname, *iname = schema_name(nd);
	uint32_t i, nm = capnp_list_len(ms), ns = capnp_list_len(sup);

	fprintf(f, "\n/* %s */\n", iname);
	for (i = 0; i < nm; i++)
		emit_invoke(g, nd, capnp_elem_struct(ms, i), f);

	fprintf(f,
	        "\nint\n%s_dispatch(const void *impl_, void *self, "
	        "struct rpc_call *call)\n{\n"
	        "\tconst struct %s_server *impl = impl_;\n\n"
	        "\t(void)impl;\n\t(void)self;\n"
	        "\tif (call->interface_id == %s_TYPE_ID) {\n"
	        "\t\tswitch (call->method) {\n",
	        p, p, p);
	for (i = 0; i < nm; i++)
		fprintf(f,
		        "\t\tcase %u:\n\t\t\treturn %s_%s_invoke(impl, self, "
		        "call);\n",
		        i, p, method_name(capnp_elem_struct(ms, i)).str);
	fprintf(f,
	        "\t\tdefault:\n"
	        "\t\t\treturn rpc_exception(call, RPC_EXC_UNIMPLEMENTED,\n"
	        "\t\t\t\t\"%s has no such method\");\n\t\t}\n\t}\n",
	        iname);
	for (i = 0; i < ns; i++) {
		struct node *s = super_node(g, sup, i);

		fprintf(
		    f,
		    "\tif (rpc_answers(&%s_interface, call->interface_id))\n"
		    "\t\treturn %s_dispatch(&impl->%s, self, call);\n",
		    s->cname, s->cname, schema_name(s));
	}
	fprintf(f,
	        "\treturn rpc_exception(call, RPC_EXC_UNIMPLEMENTED,\n"
	        "\t\t\"%s: call names another interface\");\n}\n",
	        iname);

	if (nm > 0) {
		fprintf(f, "\nstatic const char *const %s_method_names[] = {\n",
		        p);
		for (i = 0; i < nm; i++)
			fprintf(f, "\t\"%s\",\n",
			        method_name(capnp_elem_struct(ms, i)).str);
		fprintf(f, "};\n");
	}
	if (ns > 0) {
		fprintf(f,
		        "\nstatic const struct rpc_interface *const "
		        "%s_supers[] = {\n",
		        p);
		for (i = 0; i < ns; i++)
			fprintf(f, "\t&%s_interface,\n",
			        super_node(g, sup, i)->cname);
		fprintf(f, "};\n");
	}
	fprintf(f,
	        "\nconst struct rpc_interface %s_interface = {\n"
	        "\t.id = %s_TYPE_ID,\n\t.name = \"%s\",\n\t.nmethods = %u,\n"
	        "\t.method_names = %s%s,\n\t.supers = %s%s,\n"
	        "\t.nsupers = %u,\n\t.dispatch = %s_dispatch,\n};\n",
	        p, p, iname, nm, nm ? p : "NULL", nm ? "_method_names" : "",
	        ns ? p : "NULL", ns ? "_supers" : "", ns, p);
}

/* FILE.capnp.c: the descriptors and dispatch of the file's interfaces. */
void
write_server_source(const char *src, const char *body, size_t len)
{
	char *path = xasprintf("%s.c", src);
	FILE *out = fopen(path, "w");

	if (out == NULL)
		die("%s: %s", path, strerror(errno));
	fprintf(out,
	        "/*\n * Generated by capnpc-c from %s; do not edit.\n"
	        " * Interface descriptors and method dispatch "
	        "(lib/rpc/dispatch.h).\n */\n"
	        "#include \"%s.h\"\n",
	        src, src);
	fwrite(body, 1, len, out);
	if (fclose(out) != 0)
		die("%s: %s", path, strerror(errno));
	free(path);
}
