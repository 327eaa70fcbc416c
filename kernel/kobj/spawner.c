/*
 * ProcessSpawner: starts a packaged binary with exactly the caps the
 * caller lists (copied from caps the caller sent with the call) and the
 * endpoints it asks for, whose owner sides go to the child and whose
 * client facets come back to the caller with a ProcessHandle.  Everything
 * is checked before the child exists, and a failure after that undoes
 * the child completely.  Each spawn is recorded in the audit trail
 * (core/audit.h) by the kernel itself: who spawned what, with which
 * grant names.
 *
 * The kernel's own spawner starts any binary of the boot package.
 * narrow() makes a narrower one, a launcher: a spawner object of its
 * own, holding the names of the binaries it may start (a subset of its
 * maker's), which it checks before anything else is done.
 */
#include "core/kernel.h"
#include "core/audit.h"
#include "core/manifest.h"
#include "capnp/frame.h"
#include "elf/elf.h"
#include "fmt/fmt.h"
#include "ipc/endpoint.h"
#include "ipc/transfer.h"
#include "kobj/kobject.h"
#include "kobj/message.h"
#include "mm/kheap.h"
#include "proc/process.h"
#include "proc/spawntrace.h"

#include <capos/capset.h>
#include "core/kerr.h"

#include "capos.capnp.h"

#define SPAWN_MAX_ENDPOINTS (KCALL_MAX_OUT - 1)
#define SPAWN_NAME_MAX      CAPOS_CAPSET_NAME_SIZE

struct spawner {
	struct kobject obj;
	uint32_t nbinaries; /* a launcher's; the kernel's own starts any */
	char binaries[CAPOS_LAUNCHER_BINARIES_MAX][SPAWN_NAME_MAX];
};

#define SPAWNER(o) ((struct spawner *)(o))

static struct spawner kernel_spawner;

/* Whether sp may start the binary named name[0, len). */
static bool
spawner_allows(const struct spawner *sp, const char *name, size_t len)
{
	uint32_t i;

	if (sp == &kernel_spawner)
		return true;
	for (i = 0; i < sp->nbinaries; i++)
		if (strlen(sp->binaries[i]) == len &&
		    memcmp(sp->binaries[i], name, len) == 0)
			return true;
	return false;
}

static bool
copy_name(struct capnp_text t, char *buf, size_t size)
{
	if (!t.str || t.len == 0 || t.len >= size)
		return false;
	memcpy(buf, t.str, t.len);
	buf[t.len] = '\0';
	return strlen(buf) == t.len;
}

/* The spawn's audit record: "name=N pid=P binary=B grants=a,b" (cut to
 * the record's size when long).  Built by hand: it is on every spawn's
 * path, where the format engine cost more than the rest of the record. */
static void
audit_spawn(const struct process *parent, const struct process *child,
            struct capnp_text binary, const struct grant *g, uint32_t ng)
{
	char detail[LOGRING_TEXT_SIZE];
	struct fmt_text t = {detail, sizeof(detail), 0};
	uint32_t i;

	fmt_put_str(&t, "name=");
	fmt_put_str(&t, child->name);
	fmt_put_str(&t, " pid=");
	fmt_put_u64(&t, child->pid);
	fmt_put_str(&t, " binary=");
	fmt_put(&t, binary.str, binary.len);
	fmt_put_str(&t, " grants=");
	for (i = 0; i < ng; i++) {
		if (i)
			fmt_put(&t, ",", 1);
		fmt_put_str(&t, g[i].name);
	}
	audit_append(capos_AuditEvent_spawn, parent, detail, t.len);
}

static int
spawn(void *self, struct rpc_call *call,
      capos_ProcessSpawner_spawn_Params_reader r,
      capos_ProcessSpawner_spawn_Results_builder rb)
{
	struct kcall *c = kcall_of(call);
	struct capnp_msg *m = &call->params;
	struct capnp_list grants =
	    capos_ProcessSpawner_spawn_Params_get_grants(r);
	struct capnp_list eps =
	    capos_ProcessSpawner_spawn_Params_get_endpoints(r);
	capos_ResourceLimits_reader lr =
	    capos_ProcessSpawner_spawn_Params_get_limits(r);
	struct capnp_text binary =
	    capos_ProcessSpawner_spawn_Params_get_binary(r);
	char name[SPAWN_NAME_MAX],
	    gname[CAPOS_CAPSET_MAX_ENTRIES][SPAWN_NAME_MAX];
	struct grant g[CAPOS_CAPSET_MAX_ENTRIES];
	struct endpoint *created[SPAWN_MAX_ENDPOINTS];
	struct proc_limits limits, asked, defaults;
	struct capnp_list_builder clients;
	struct process *child;
	const void *image;
	size_t size;
	uint32_t ng, ne, i, written;
	enum rpc_exc exc;
	const char *why;
	int err, elf_err;

	spawn_trace(ST_ENTER);
	ng = capnp_list_len(grants);
	ne = capnp_list_len(eps);
	if (!copy_name(capos_ProcessSpawner_spawn_Params_get_name(r), name,
	               sizeof(name)))
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "spawn: name missing or too long");
	/* The child's CapSet also lists its ThreadControl. */
	if (ne > SPAWN_MAX_ENDPOINTS || ng + ne + 1 > CAPOS_CAPSET_MAX_ENTRIES)
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "spawn: too many grants or endpoints");
	for (i = 0; i < ng; i++) {
		capos_SpawnGrant_reader sg = capos_SpawnGrant_at(grants, i);
		struct capnp_ptr cp = capos_SpawnGrant_get_cap(sg);

		if (!copy_name(capos_SpawnGrant_get_name(sg), gname[i],
		               SPAWN_NAME_MAX))
			return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
			                       "spawn: a grant has no name");
		if (cp.type != CAPNP_PTR_CAP || cp.u.cap >= c->in->n)
			return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
			                       "spawn: a grant names no cap "
			                       "sent with the call");
		g[i].name = gname[i];
		g[i].obj = c->in->items[cp.u.cap].obj;
	}
	asked.cap_slots = capos_ResourceLimits_get_capSlots(lr);
	asked.outstanding_calls = capos_ResourceLimits_get_outstandingCalls(lr);
	asked.endpoint_queue = capos_ResourceLimits_get_endpointQueue(lr);
	asked.frames = capos_ResourceLimits_get_frames(lr);
	asked.threads = capos_ResourceLimits_get_threads(lr);
	asked.virtual_pages = capos_ResourceLimits_get_virtualPages(lr);
	if (capnp_msg_error(m))
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "spawn: malformed params");
	/* Out of what the caller has left, whatever spawner it holds. */
	manifest_default_limits(&defaults);
	if (process_child_limits(c->caller, &asked, &defaults, &limits))
		return KERR_QUOTA;

	/* The answer is built first: its size decides whether the caller
	 * can take it, before anything exists. */
	capos_ProcessSpawner_spawn_Results_set_handle(rb, 0);
	clients = capos_ProcessSpawner_spawn_Results_init_clients(rb, ne);
	for (i = 0; i < ne; i++)
		capnp_slot_set_cap(capnp_belem(clients, i), 1 + i);
	err = kmsg_result_end(c, call->results);
	if (err != KERR_OK)
		return err;
	written = c->result_len;
	err = kcall_room_for(c, 1 + ne, written);
	if (err != KERR_OK)
		return err;

	if (!binary.str ||
	    !manifest_binary(binary.str, binary.len, &image, &size))
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "spawn: no such binary in the boot "
		                       "package");
	if (!spawner_allows(SPAWNER(self), binary.str, binary.len))
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "spawn: this launcher may not start "
		                       "that binary");
	for (i = 0; i < ng; i++) {
		const char *want = NULL;

		if (!manifest_grant_fits(binary.str, binary.len, gname[i],
		                         g[i].obj->interface_id, &want)) {
			return kcall_exceptionf(
			    c, RPC_EXC_INVALID_ARGUMENT,
			    "spawn: the program expects \"%s\" to be a %s",
			    gname[i], want);
		}
	}
	spawn_trace(ST_CHECKED);
	err = process_create(name, image, size, g, ng, &limits, c->caller,
	                     &child, &elf_err);
	if (err == KERR_BAD_ELF)
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "spawn: the binary is not a loadable "
		                       "capOS executable");
	if (err == KERR_QUOTA)
		return kcall_exception(c, RPC_EXC_OVERLOADED,
		                       "spawn: the binary needs more frames "
		                       "than its limit");
	if (err)
		return kcall_exception(c, RPC_EXC_OVERLOADED,
		                       "spawn: out of memory");

	for (i = 0; i < ne; i++) {
		capos_EndpointSpec_reader es = capos_EndpointSpec_at(eps, i);
		char ename[SPAWN_NAME_MAX];
		capos_capid_t id;

		created[i] = NULL;
		if (!copy_name(capos_EndpointSpec_get_name(es), ename,
		               sizeof(ename)))
			goto bad_name;
		created[i] = endpoint_create(
		    child, capos_EndpointSpec_get_interfaceId(es));
		if (!created[i])
			goto nomem;
		if (cap_install_new(child, endpoint_owner_obj(created[i]),
		                    CAP_ORIGIN_SPAWN_GRANT, &id) ||
		    process_capset_add(child, ename, id,
		                       capos_Endpoint_TYPE_ID)) {
			/* Not installed: drop the owner side here. */
			kobject_put(endpoint_owner_obj(created[i]));
			i++;
			goto bad_name;
		}
	}
	c->out[0] = process_handle_create(child);
	if (!c->out[0])
		goto nomem;
	for (i = 0; i < ne; i++)
		c->out[1 + i] = endpoint_client_obj(created[i]);
	c->nout = 1 + ne;
	c->result_len = written;
	process_start(child);
	spawn_trace(ST_HANDLE);
	audit_spawn(c->caller, child, binary, g, ng);
	spawn_trace(ST_SPAWNED);
	return KERR_OK;

	/* The child exists: endpoints [0, i) and the child are undone. */
bad_name:
	exc = RPC_EXC_INVALID_ARGUMENT;
	why = "spawn: a bad endpoint name";
	goto undo;
nomem:
	exc = RPC_EXC_OVERLOADED;
	why = "spawn: out of memory";
undo:
	while (i-- > 0)
		if (created[i])
			kobject_put(endpoint_client_obj(created[i]));
	process_abort(child);
	return kcall_exception(c, exc, why);
}

static const struct kobject_ops spawner_ops;

static void
spawner_destroy(struct kobject *obj)
{
	kfree(SPAWNER(obj));
}

static int
narrow_spawner(void *self, struct rpc_call *call,
               capos_ProcessSpawner_narrow_Params_reader r,
               capos_ProcessSpawner_narrow_Results_builder rb)
{
	struct kcall *c = kcall_of(call);
	const struct spawner *parent = SPAWNER(self);
	struct capnp_list names =
	    capos_ProcessSpawner_narrow_Params_get_binaries(r);
	uint32_t n = capnp_list_len(names), i;
	struct spawner *sp;
	int err;

	if (n > CAPOS_LAUNCHER_BINARIES_MAX)
		return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
		                       "narrow: too many binaries");
	capos_ProcessSpawner_narrow_Results_set_spawner(rb, 0);
	err = kmsg_result_end(c, call->results);
	if (err != KERR_OK)
		return err;
	err = kcall_room_for(c, 1, c->result_len);
	if (err != KERR_OK)
		return err;
	sp = kzalloc(sizeof(*sp));
	if (!sp)
		return kcall_exception(c, RPC_EXC_OVERLOADED,
		                       "narrow: out of memory");
	for (i = 0; i < n; i++) {
		struct capnp_text t = capnp_ref_text(capnp_elem(names, i));

		if (!copy_name(t, sp->binaries[i], SPAWN_NAME_MAX) ||
		    capnp_msg_error(&call->params) ||
		    !spawner_allows(parent, t.str, t.len)) {
			kfree(sp);
			return kcall_exception(c, RPC_EXC_INVALID_ARGUMENT,
			                       "narrow: a binary this spawner "
			                       "may not start, or a bad name");
		}
	}
	sp->obj =
	    (struct kobject){&spawner_ops, 1, capos_ProcessSpawner_TYPE_ID};
	sp->nbinaries = n;
	c->out[0] = &sp->obj;
	c->nout = 1;
	return KERR_OK;
}

static const struct capos_ProcessSpawner_server spawner_server = {
    .spawn = spawn,
    .narrow = narrow_spawner,
};

static const struct kobject_ops spawner_ops = {
    .name = "ProcessSpawner",
    .interface_id = capos_ProcessSpawner_TYPE_ID,
    .call = kobject_call,
    .iface = &capos_ProcessSpawner_interface,
    .impl = &spawner_server,
    .destroy = spawner_destroy,
};

/* The kernel's own, never freed: it always holds a reference. */
static struct spawner kernel_spawner = {
    .obj = {.ops = &spawner_ops,
            .refs = 1,
            .interface_id = capos_ProcessSpawner_TYPE_ID},
};

struct kobject *
spawner_object(void)
{
	return &kernel_spawner.obj;
}
