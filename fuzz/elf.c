/*
 * libFuzzer target for the ELF parser (lib/elf): elf_parse and
 * elf_check_abi on the input as a whole file.  Beyond "no bad read" (the
 * sanitizers), every image the parser accepts is checked against its
 * policy (elf.h) independently: segments sorted, inside the user range
 * and the file, sharing no page, vaddr and offset agreeing modulo the
 * page, no W+X, the entry in an executable segment, TLS within bounds.
 * Parsing an unaligned copy must give the same answer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <capos/layout.h>
#include <capos/version.h>

#include "elf/elf.h"

#define USER_LO CAPOS_USER_IMAGE_BASE
#define USER_HI CAPOS_USER_IMAGE_END
#define PAGE    ELF_PAGE_SIZE

static uint8_t copy_buf[1 + (1u << 20)];

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			abort();                                               \
	} while (0)

static void
check_segment(const struct elf_segment *s, size_t size)
{
	CHECK(s->filesz <= s->memsz);
	CHECK(s->offset <= size && s->filesz <= size - s->offset);
	CHECK(s->vaddr <= UINT64_MAX - s->memsz);
	CHECK((s->flags & ~(ELF_SEG_R | ELF_SEG_W | ELF_SEG_X)) == 0);
}

static void
check_image(const struct elf_image *img, size_t size)
{
	uint32_t i;
	int entry_ok = 0, tls_in_load = 0;

	CHECK(img->nload >= 1 && img->nload <= ELF_MAX_LOAD);
	for (i = 0; i < img->nload; i++) {
		const struct elf_segment *s = &img->load[i];

		check_segment(s, size);
		CHECK(s->memsz > 0);
		CHECK(s->vaddr >= USER_LO && s->vaddr + s->memsz <= USER_HI);
		CHECK(((s->vaddr ^ s->offset) & (PAGE - 1)) == 0);
		if (s->align > 1) {
			CHECK((s->align & (s->align - 1)) == 0);
			CHECK(((s->vaddr ^ s->offset) & (s->align - 1)) == 0);
		}
		CHECK((s->flags & (ELF_SEG_W | ELF_SEG_X)) !=
		      (ELF_SEG_W | ELF_SEG_X));
		if (i > 0) {
			const struct elf_segment *p = &img->load[i - 1];
			uint64_t pend =
			    (p->vaddr + p->memsz + PAGE - 1) & ~(PAGE - 1);

			CHECK(p->vaddr < s->vaddr);
			CHECK(pend <= (s->vaddr & ~(PAGE - 1)));
		}
		if ((s->flags & ELF_SEG_X) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->memsz)
			entry_ok = 1;
		if (img->has_tls && img->tls.vaddr >= s->vaddr &&
		    img->tls.vaddr - s->vaddr <= s->memsz &&
		    img->tls.filesz <= s->memsz - (img->tls.vaddr - s->vaddr))
			tls_in_load = 1;
	}
	CHECK(entry_ok);
	if (img->has_tls) {
		check_segment(&img->tls, size);
		CHECK(img->tls.memsz <= ELF_TLS_MAX_MEMSZ);
		CHECK(img->tls.align <= 1 ||
		      ((img->tls.align & (img->tls.align - 1)) == 0 &&
		       img->tls.align <= ELF_TLS_MAX_ALIGN));
		CHECK(img->tls.filesz == 0 || tls_in_load);
	}
}

static void
check_abi(const struct elf_image *img)
{
	int r = elf_check_abi(img, CAPOS_ABI_MAJOR, CAPOS_ABI_MINOR);

	if (!img->has_abi_note)
		CHECK(r == ELF_E_NO_ABI_NOTE);
	else if (img->abi_major != CAPOS_ABI_MAJOR)
		CHECK(r == ELF_E_ABI_MAJOR);
	else if (img->abi_minor > CAPOS_ABI_MINOR)
		CHECK(r == ELF_E_ABI_MINOR);
	else
		CHECK(r == ELF_OK);
}

static int
seg_eq(const struct elf_segment *x, const struct elf_segment *y)
{
	return x->vaddr == y->vaddr && x->memsz == y->memsz &&
	       x->filesz == y->filesz && x->offset == y->offset &&
	       x->align == y->align && x->flags == y->flags;
}

static int
image_eq(const struct elf_image *x, const struct elf_image *y)
{
	uint32_t i;

	if (x->entry != y->entry || x->nload != y->nload ||
	    x->has_tls != y->has_tls || x->has_abi_note != y->has_abi_note ||
	    x->abi_major != y->abi_major || x->abi_minor != y->abi_minor)
		return 0;
	for (i = 0; i < x->nload; i++)
		if (!seg_eq(&x->load[i], &y->load[i]))
			return 0;
	return !x->has_tls || seg_eq(&x->tls, &y->tls);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image a, b;
	int ra, rb;

	memset(&a, 0, sizeof(a));
	ra = elf_parse(data, size, USER_LO, USER_HI, &a);
	CHECK(ra <= 0);
	CHECK(strcmp(elf_strerror(ra), "ELF_E_UNKNOWN") != 0);
	if (ra == ELF_OK) {
		check_image(&a, size);
		check_abi(&a);
	}
	/* The buffer may be unaligned: the same bytes one byte further on
	 * must parse the same way. */
	if (size < sizeof(copy_buf)) {
		memcpy(copy_buf + 1, data, size);
		memset(&b, 0, sizeof(b));
		rb = elf_parse(copy_buf + 1, size, USER_LO, USER_HI, &b);
		CHECK(rb == ra);
		if (ra == ELF_OK)
			CHECK(image_eq(&a, &b));
	}
	/* A narrower user range can only refuse more. */
	if (ra != ELF_OK) {
		rb = elf_parse(data, size, USER_LO + PAGE, USER_HI, &b);
		CHECK(rb != ELF_OK);
	}
	return 0;
}
