/* CapSet lookup: the read-only page listing what this process was granted. */
#include "capos.h"
#include "internal.h"
#include "rpc/index.h"

uint32_t
capos_capset_count(void)
{
	const struct capos_capset_page *cs = capos_proc.capset;

	if (!cs || cs->hdr.magic != CAPOS_CAPSET_MAGIC)
		return 0;
	return cs->hdr.count < CAPOS_CAPSET_MAX_ENTRIES
	           ? cs->hdr.count
	           : CAPOS_CAPSET_MAX_ENTRIES;
}

const struct capos_capset_entry *
capos_capset_entry(uint32_t i)
{
	return i < capos_capset_count() ? &capos_proc.capset->entries[i] : NULL;
}

int
capos_capset_find(const char *name, uint64_t interface_id, capos_capid_t *cap)
{
	uint32_t i, n = capos_capset_count();

	for (i = 0; i < n; i++) {
		const struct capos_capset_entry *e =
		    &capos_proc.capset->entries[i];

		if (strncmp(e->name, name, CAPOS_CAPSET_NAME_SIZE) != 0)
			continue;
		/* A cap of an interface that extends the one asked for
		 * answers it too. */
		if (!rpc_id_answers(e->interface_id, interface_id))
			return CAPOS_E_NOT_SUPPORTED;
		*cap = e->cap;
		return 0;
	}
	return CAPOS_E_BAD_CAP;
}

int
capos_capset_find_interface(uint64_t interface_id, capos_capid_t *cap)
{
	uint32_t i, n = capos_capset_count();

	for (i = 0; i < n; i++) {
		const struct capos_capset_entry *e =
		    &capos_proc.capset->entries[i];

		if (rpc_id_answers(e->interface_id, interface_id)) {
			*cap = e->cap;
			return 0;
		}
	}
	return CAPOS_E_BAD_CAP;
}
