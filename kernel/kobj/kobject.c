#include "core/kernel.h"
#include "ipc/completion.h"
#include "kobj/kobject.h"
#include "proc/process.h"

#include <capos/errors.h>

void
kobject_get(struct kobject *obj)
{
	obj->refs++;
}

void
kobject_put(struct kobject *obj)
{
	KASSERT(obj->refs > 0);
	if (--obj->refs == 0 && obj->ops->destroy)
		obj->ops->destroy(obj);
}

int
kcall_exception(struct kcall *c, enum kexc_type type, const char *msg)
{
	c->exc_type = type;
	c->exc_message = msg;
	return KCALL_EXCEPTION;
}

struct completion *
kcall_defer(struct kcall *c, const struct completion_ops *ops, void *obj)
{
	return completion_open(c->caller, c->sqe, ops, obj);
}

int
kcall_room_for(struct kcall *c, uint32_t n, uint32_t result_len)
{
	struct process *p = c->caller;
	uint32_t need = n ? ALIGN_UP(result_len, 8u) +
				    n * (uint32_t)sizeof(struct capos_cap_record)
			  : result_len;

	if (cap_free_count(&p->caps) < n ||
	    cap_count(&p->caps) + n > process_cap_limit(p))
		return CAPOS_E_QUOTA;
	if (need > c->user_result_len) {
		c->result_len = need;
		return KCALL_TOO_SMALL;
	}
	return KCALL_OK;
}
