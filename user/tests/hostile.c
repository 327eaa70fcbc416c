/*
 * hostile: abuses the kernel interface and then faults.  The kernel must
 * answer every abuse with an error, end the process on its fault, and go
 * on; the supervisor then checks that every frame came back.
 */
#include "capos.h"

static uint64_t seed = 0x9e3779b97f4a7c15ull;

static uint64_t
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

int
main(void)
{
	struct capos_ring_page *r = capos_ring();
	uint64_t *words = (uint64_t *)(void *)r;
	int round, i;

	printf("hostile: scribbling over the ring\n");
	for (round = 0; round < 200; round++) {
		/* Random SQEs with plausible indices, then random indices. */
		for (i = 256 / 8; i < 4096 / 8; i++)
			words[i] = rnd();
		r->hdr.sq_tail = r->hdr.sq_head + (uint32_t)(rnd() % 17);
		if (round % 3 == 0)
			r->hdr.cq_head = (uint32_t)rnd();
		if (round % 5 == 0)
			r->hdr.sq_tail = (uint32_t)rnd();
		capos_sys_cap_enter((uint32_t)(rnd() % 40), rnd() % 3000000);
		/* Put the indices back so the next round starts clean. */
		r->hdr.sq_tail = r->hdr.sq_head;
		r->hdr.cq_head = r->hdr.cq_tail;
	}
	printf("hostile: the kernel survived; now executing a privileged "
	       "instruction\n");
	__asm__ volatile("cli");
	printf("hostile: still alive after cli?\n");
	return 0;
}
