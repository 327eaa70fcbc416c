/*
 * Interfaces by id, across every schema file a program is built with.
 *
 * A cap records the id of the interface it implements; a client that
 * wants interface B can use a cap of any interface that extends B.  Which
 * interfaces extend which is in the generated FILE_interfaces[] (each
 * entry lists the ids of its direct superclasses), and those of another
 * schema file than B's (IpcEcho in test.capnp extends Echo in
 * capos.capnp) are found here.
 *
 * rpc_schema_files is the build's index of every schema file's
 * FILE_interfaces[] (build/gen/schemas.c, written by mk/rpc.mk from the
 * generated headers): a program that links this file links the index,
 * names and ids only.
 */
#ifndef RPC_INDEX_H
#define RPC_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rpc/dispatch.h"

struct rpc_schema_file {
	const struct rpc_interface_entry *interfaces;
	size_t n;
};

extern const struct rpc_schema_file rpc_schema_files[];
extern const size_t rpc_schema_nfiles;

/* The entry of interface id, or NULL when no schema file has it. */
const struct rpc_interface_entry *rpc_interface_by_id(uint64_t id);

/*
 * Whether a cap of interface `have` answers interface `want`: the same
 * id, or `have` extends `want` (directly or not).  An id no schema file
 * knows answers only itself.
 */
bool rpc_id_answers(uint64_t have, uint64_t want);

#endif
