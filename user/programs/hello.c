/*
 * hello: prints through the Console its CapSet grants, and lists what it
 * was given.  It holds nothing else, so there is nothing else it can do.
 */
#include "capos.h"

int
main(void)
{
	uint32_t i;

	printf("hello from capOS process %lu\n", (unsigned long)capos_pid());
	printf("my capabilities:\n");
	for (i = 0; i < capos_capset_count(); i++) {
		const struct capos_capset_entry *e = capos_capset_entry(i);

		printf("  %-10s cap %#x interface %#018lx\n", e->name, e->cap,
		       (unsigned long)e->interface_id);
	}
	return 0;
}
