#include "core/kernel.h"
#include "kobj/kobject.h"

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
