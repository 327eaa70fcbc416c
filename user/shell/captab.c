/*
 * The caps the shell holds, by name: what init granted it (its CapSet)
 * and the bundle of its current session.  `caps` lists them; a command
 * line's "@name" names one; logout drops the session's.
 */
#include "shell.h"

#include "rpc/index.h"

static struct shell_cap table[SHELL_CAPS_MAX];
static uint32_t count;

void
captab_init(void)
{
	uint32_t i;

	for (i = 0; i < capos_capset_count(); i++) {
		const struct capos_capset_entry *e = capos_capset_entry(i);

		(void)captab_add(e->name, e->cap, e->interface_id, ORIGIN_INIT);
	}
}

bool
captab_add(const char *name, capos_capid_t cap, uint64_t interface_id,
           enum cap_origin origin)
{
	struct shell_cap *c;

	if (count == SHELL_CAPS_MAX)
		return false;
	c = &table[count++];
	str_copy(c->name, name, sizeof(c->name));
	c->cap = cap;
	c->interface_id = interface_id;
	c->origin = origin;
	return true;
}

void
captab_drop(enum cap_origin origin)
{
	uint32_t i, kept = 0;

	for (i = 0; i < count; i++) {
		if (table[i].origin == origin)
			capos_release(table[i].cap);
		else
			table[kept++] = table[i];
	}
	count = kept;
}

/* A session's cap shadows init's of the same name: the session is what
 * the person at the terminal was given. */
const struct shell_cap *
captab_find(const char *name)
{
	const struct shell_cap *found = NULL;
	uint32_t i;

	for (i = 0; i < count; i++)
		if (strcmp(table[i].name, name) == 0 &&
		    (!found || table[i].origin == ORIGIN_SESSION))
			found = &table[i];
	return found;
}

capos_capid_t
captab_get(const char *name, uint64_t iface)
{
	const struct shell_cap *c = captab_find(name);

	return c && rpc_id_answers(c->interface_id, iface)
	           ? c->cap
	           : CAPOS_CAPID_INVALID;
}

uint32_t
captab_count(void)
{
	return count;
}

const struct shell_cap *
captab_at(uint32_t i)
{
	return i < count ? &table[i] : NULL;
}

const char *
captab_interface_name(uint64_t id)
{
	const struct rpc_interface_entry *e = rpc_interface_by_id(id);

	return e ? e->name : "?";
}
