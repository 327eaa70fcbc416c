/*
 * Kernel arguments come from the loader's command line, followed by the
 * QEMU fw_cfg file opt/capos/cmdline when present (the test harness uses
 * it to pick a test without rebuilding the boot image).
 */
#include "core/kernel.h"
#include "core/kargs.h"
#include "arch/x86_64/qemu.h"
#include "boot/args.h"

#define KARGS_BUF 1024

static char buf[KARGS_BUF];
static struct args kargs;

void
kargs_init(const char *loader_cmdline)
{
	size_t len = 0;

	if (loader_cmdline) {
		len = strnlen(loader_cmdline, sizeof(buf) - 2);
		memcpy(buf, loader_cmdline, len);
	}
	buf[len++] = ' ';
	qemu_fwcfg_cmdline(buf + len, sizeof(buf) - len);
	args_parse(&kargs, buf);
	if (kargs.dropped)
		klog(LOG_WARN,
		     "kernel arguments: %zu beyond the first %d ignored\n",
		     kargs.dropped, ARGS_MAX);
}

void
kargs_print(void)
{
	size_t i;

	kprintf("kernel arguments:");
	if (kargs.count == 0)
		kprintf(" (none)");
	for (i = 0; i < kargs.count; i++)
		kprintf(kargs.list[i].value[0] ? " %s=%s" : " %s",
		        kargs.list[i].key, kargs.list[i].value);
	kprintf("\n");
}

const char *
karg_get(const char *key)
{
	return args_get(&kargs, key);
}

bool
karg_flag(const char *key)
{
	const char *v = karg_get(key);

	return v && strcmp(v, "0") != 0 && strcmp(v, "no") != 0;
}
