/*
 * capnpc-c: client stubs and the interface name table.
 *
 * For every method M of interface I, its own and those of every interface
 * it extends, the client header FILE.client.h gets three typed wrappers
 * around libcapos's generic call (user/lib/capos_call.h); a call names the
 * interface that declares M and M's ordinal there:
 *
 *   I_M_begin(call)    starts the params; returns their builder
 *   I_M_send(call, cap) frames the params, makes the CALL with the caps
 *                       added by capos_call_add_cap, waits for the answer
 *   I_M_results(call)  the results' reader
 *
 * and I_find(name, &cap), the CapSet lookup of a cap implementing I.
 *
 * The main header gets FILE_interfaces[], every interface of the file by
 * schema name with its descriptor, so a manifest can name interfaces the
 * way the schema does and libcapos can find a descriptor by id.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

void
emit_interface_entry(struct gen *g, struct node *nd, FILE *f)
{
	struct capnp_list sup = node_interface_superclasses(nd->n);
	uint32_t i, ns = capnp_list_len(sup);

	/* Super ids as numbers, not descriptors: a program that only looks
	 * caps up links none of the dispatch code behind the descriptors. */
	(void)g;
	fprintf(f, "\t{\"%s\", %s_TYPE_ID, ", schema_name(nd), nd->cname);
	if (ns == 0) {
		fprintf(f, "NULL, 0},\n");
		return;
	}
	fprintf(f, "(const uint64_t[]){");
	for (i = 0; i < ns; i++)
		fprintf(f, "%sUINT64_C(0x%016" PRIx64 ")", i ? ", " : "",
		        superclass_id(capnp_elem_struct(sup, i)));
	fprintf(f, "}, %u},\n", ns);
}

/* Method names already given a stub for the interface being written. */
struct seen {
	const char **names;
	size_t n, cap;
};

static bool
seen_add(struct seen *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0)
			return false;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->names = realloc(s->names, s->cap * sizeof(*s->names));
		if (s->names == NULL)
			die("out of memory");
	}
	s->names[s->n++] = name;
	return true;
}

/*
 * The stubs of I (nd) for the methods of `owner`, which is I or one of
 * its superclasses: the call names the owner's interface id and ordinal.
 * A name met before (a method of I itself, or a superclass reached twice)
 * keeps its first stub.
 */
static void
emit_stubs_of(struct gen *g, struct node *nd, struct node *owner, FILE *f,
              struct seen *seen, int depth)
{
	struct capnp_list ms = node_interface_methods(owner->n);
	struct capnp_list sup = node_interface_superclasses(owner->n);
	uint32_t i;

	if (depth > 64)
		die("%s: superclasses nest too deep", nd->cname);
	for (i = 0; i < capnp_list_len(ms); i++) {
		struct capnp_struct m = capnp_elem_struct(ms, i);
		const char *mname = method_name(m).str;
		const char *params = cname(g, method_param_type(m));
		const char *results = cname(g, method_result_type(m));

		if (!seen_add(seen, mname))
			continue;
		fprintf(
		    f,
		    "\n/* %s.%s */\n"
		    "static inline %s_builder\n"
		    "%s_%s_begin(struct capos_call *c)\n{\n"
		    "\tcapos_call_begin(c);\n"
		    "\treturn %s_build_root(&c->params);\n}\n\n"
		    "static inline int\n"
		    "%s_%s_send(struct capos_call *c, capos_capid_t cap)\n{\n"
		    "\treturn capos_call_send(c, cap, %s_TYPE_ID,\n"
		    "\t\t\t       %s_METHOD_%s);\n}\n\n"
		    "static inline %s_reader\n"
		    "%s_%s_results(struct capos_call *c)\n{\n"
		    "\treturn %s_read_root(&c->result_msg);\n}\n",
		    schema_name(owner), mname, params, nd->cname, mname, params,
		    nd->cname, mname, owner->cname, owner->cname, mname,
		    results, nd->cname, mname, results);
	}
	for (i = 0; i < capnp_list_len(sup); i++) {
		uint64_t id = superclass_id(capnp_elem_struct(sup, i));
		struct node *s = find_node(g, id);

		if (s == NULL)
			die("no superclass node %#" PRIx64, id);
		cname(g, id);
		emit_stubs_of(g, nd, s, f, seen, depth + 1);
	}
}

void
emit_client_stubs(struct gen *g, struct node *nd, FILE *f)
{
	struct seen seen = {0};

	fprintf(
	    f,
	    "\n/* The cap granted under name, if it implements %s (or an\n"
	    " * interface that extends it). */\n"
	    "static inline int\n%s_find(const char *name, capos_capid_t *cap)"
	    "\n{\n\treturn capos_capset_find(name, %s_TYPE_ID, cap);\n}\n",
	    schema_name(nd), nd->cname, nd->cname);
	emit_stubs_of(g, nd, nd, f, &seen, 0);
	free(seen.names);
}
