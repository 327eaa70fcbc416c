/*
 * getrandom on EntropySource (ChaCha20, seeded from RDSEED/RDRAND: it
 * never blocks once the kernel runs, so GRND_NONBLOCK and GRND_RANDOM
 * change nothing).  Without the cap: EPERM.
 */
#include <sys/random.h>

#include "shim.h"

#include "capos.capnp.h"

/* Linux's own cap on one call. */
#define GETRANDOM_MAX 33554431ul

static capos_capid_t entropy_cap;
static uint8_t entropy_looked;

long
shim_sys_getrandom(SHIM_ARGS)
{
	capos_capid_t cap = shim_cap(capos_EntropySource_TYPE_ID, &entropy_cap,
	                             &entropy_looked);
	unsigned long len = (unsigned long)a1;

	if (a2 & ~(long)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if (len > GETRANDOM_MAX)
		len = GETRANDOM_MAX;
	if (shim_user_writable(a0, len))
		return -EFAULT;
	if (!cap)
		return -EPERM;
	if (len == 0)
		return 0;
	return capos_entropy_get(cap, (void *)a0, len) ? -EIO : (long)len;
}
