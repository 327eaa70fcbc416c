/*
 * capnpc-c: client stubs and the interface name table.
 *
 * For every method M of interface I the client header FILE.client.h gets
 * three typed wrappers around libcapos's generic call (user/lib/capos_call.h):
 *
 *   I_M_begin(call)    starts the params; returns their builder
 *   I_M_send(call, cap) frames the params, makes the CALL with the caps
 *                       added by capos_call_add_cap, waits for the answer
 *   I_M_results(call)  the results' reader
 *
 * The main header gets FILE_interfaces[], every interface of the file by
 * schema name, so a manifest can name interfaces the way the schema does.
 */
#include <inttypes.h>
#include <string.h>

#include "gen.h"

void
emit_interface_entry(struct gen *g, struct node *nd, FILE *f)
{
	(void)g;
	fprintf(f, "\t{\"%s\", %s_TYPE_ID, &%s_interface},\n",
	        schema_name(nd), nd->cname, nd->cname);
}

void
emit_client_stubs(struct gen *g, struct node *nd, FILE *f)
{
	struct capnp_list ms = node_interface_methods(nd->n);
	uint32_t i;

	for (i = 0; i < capnp_list_len(ms); i++) {
		struct capnp_struct m = capnp_elem_struct(ms, i);
		const char *mname = method_name(m).str;
		const char *params = cname(g, method_param_type(m));
		const char *results = cname(g, method_result_type(m));

		fprintf(f,
		        "\n/* %s.%s */\n"
		        "static inline %s_builder\n"
		        "%s_%s_begin(struct capos_call *c)\n{\n"
		        "\tcapos_call_begin(c);\n"
		        "\treturn %s_build_root(&c->params);\n}\n\n"
		        "static inline int\n"
		        "%s_%s_send(struct capos_call *c, capos_capid_t cap)\n{\n"
		        "\treturn capos_call_send(c, cap, %s_TYPE_ID,\n\t\t\t       %s_METHOD_%s);\n}\n\n"
		        "static inline %s_reader\n"
		        "%s_%s_results(struct capos_call *c)\n{\n"
		        "\treturn %s_read_root(&c->result_msg);\n}\n",
		        schema_name(nd), mname, params, nd->cname, mname,
		        params, nd->cname, mname, nd->cname, nd->cname, mname, results,
		        nd->cname, mname, results);
	}
}
