#include "sched/place.h"

unsigned
place_wake(const struct place_cpu *cpus, unsigned n, unsigned last,
           unsigned self)
{
	unsigned k;

	if (last >= n || !cpus[last].online)
		last = self;
	if (place_free(&cpus[last]))
		return last;
	for (k = 0; k < n; k++)
		if (place_free(&cpus[k]))
			return k;
	return last;
}

unsigned
place_victim(const struct place_cpu *cpus, unsigned n, unsigned self)
{
	unsigned k, best = n;

	for (k = 0; k < n; k++) {
		const struct place_cpu *c = &cpus[k];

		if (k == self || !c->online || c->idle || c->nrunq == 0)
			continue;
		if (best == n || c->nrunq > cpus[best].nrunq)
			best = k;
	}
	return best;
}
