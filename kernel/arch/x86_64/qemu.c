#include "core/kernel.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/qemu.h"

#define FWCFG_SELECTOR  0x510
#define FWCFG_DATA      0x511
#define FWCFG_SIGNATURE 0x0000
#define FWCFG_FILE_DIR  0x0019
#define FWCFG_NAME_LEN  56
#define FWCFG_MAX_FILES 4096

static const char cmdline_file[] = "opt/capos/cmdline";

void
qemu_exit(unsigned code)
{
	cli();
	outl(QEMU_DEBUG_EXIT_PORT, code);
	for (;;)
		hlt();
}

static void
fwcfg_read(void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n--)
		*p++ = inb(FWCFG_DATA);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

size_t
qemu_fwcfg_cmdline(char *buf, size_t size)
{
	uint8_t sig[4], count_be[4];
	uint32_t count, i;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	outw(FWCFG_SELECTOR, FWCFG_SIGNATURE);
	fwcfg_read(sig, sizeof(sig));
	if (memcmp(sig, "QEMU", 4) != 0)
		return 0;

	outw(FWCFG_SELECTOR, FWCFG_FILE_DIR);
	fwcfg_read(count_be, sizeof(count_be));
	count = be32(count_be);
	if (count > FWCFG_MAX_FILES)
		return 0;
	for (i = 0; i < count; i++) {
		struct {
			uint8_t size[4];
			uint8_t select[2];
			uint8_t reserved[2];
			char name[FWCFG_NAME_LEN];
		} f;
		uint32_t len;

		fwcfg_read(&f, sizeof(f));
		f.name[FWCFG_NAME_LEN - 1] = '\0';
		if (strcmp(f.name, cmdline_file) != 0)
			continue;
		len = be32(f.size);
		if (len > size - 1)
			len = (uint32_t)(size - 1);
		outw(FWCFG_SELECTOR,
		     (uint16_t)(f.select[0] << 8 | f.select[1]));
		fwcfg_read(buf, len);
		buf[len] = '\0';
		return strnlen(buf, len);
	}
	return 0;
}
