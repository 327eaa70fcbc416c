/* Interfaces by id across the schema files of the build (index.h). */
#include "rpc/index.h"

/* Superclass chains are short; this bounds a malformed index's loop. */
#define INDEX_MAX_DEPTH 16

const struct rpc_interface_entry *
rpc_interface_by_id(uint64_t id)
{
	size_t f, i;

	for (f = 0; f < rpc_schema_nfiles; f++)
		for (i = 0; i < rpc_schema_files[f].n; i++)
			if (rpc_schema_files[f].interfaces[i].id == id)
				return &rpc_schema_files[f].interfaces[i];
	return NULL;
}

static bool
answers(uint64_t have, uint64_t want, int depth)
{
	const struct rpc_interface_entry *e;
	uint16_t i;

	if (have == want)
		return true;
	if (depth == INDEX_MAX_DEPTH)
		return false;
	e = rpc_interface_by_id(have);
	if (e == NULL)
		return false;
	for (i = 0; i < e->nsupers; i++)
		if (answers(e->supers[i], want, depth + 1))
			return true;
	return false;
}

bool
rpc_id_answers(uint64_t have, uint64_t want)
{
	return answers(have, want, 0);
}
