/* Interfaces by id across the schema files of the build (index.h). */
#include "rpc/index.h"

const struct rpc_interface *
rpc_interface_by_id(uint64_t id)
{
	size_t f, i;

	for (f = 0; f < rpc_schema_nfiles; f++)
		for (i = 0; i < rpc_schema_files[f].n; i++)
			if (rpc_schema_files[f].interfaces[i].id == id)
				return rpc_schema_files[f].interfaces[i].iface;
	return NULL;
}

bool
rpc_id_answers(uint64_t have, uint64_t want)
{
	const struct rpc_interface *iface;

	if (have == want)
		return true;
	iface = rpc_interface_by_id(have);
	return iface != NULL && rpc_answers(iface, want);
}
