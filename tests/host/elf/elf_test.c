/*
 * Host tests of lib/elf: real linker output built at test time (argv[1] is
 * the directory holding it, see mk/abi.mk), a handcrafted image with one
 * hostile mutation per case, and random mutations checked against the
 * parser's promises.
 *
 * Images are crafted with the host's <elf.h>, not with lib/elf/elf64.h, so
 * a mistake in the parser's own format definitions cannot hide itself.
 */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <capos/elfnote.h>
#include <capos/layout.h>
#include <capos/version.h>

#include "elf/elf.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *fixture_dir;

/* --- Handcrafted image ------------------------------------------------- */

/*
 * The baseline image:
 *   0x000  ELF header, program headers from 0x40
 *   0xe00  PT_NOTE with the capOS ABI note
 *   0x1000 text, PT_LOAD R+X at 0x401000, 0x100 bytes
 *   0x2000 data, PT_LOAD R+W at 0x402000, 0x80 bytes file, 0x2000 memory
 */
#define IMG_SIZE     0x3000u
#define IMG_PHOFF    0x40u
#define IMG_NOTE_OFF 0xe00u
#define IMG_MAX_PH   16u
#define TEXT_VADDR   0x401000ull
#define DATA_VADDR   0x402000ull
#define IMG_ENTRY    (TEXT_VADDR + 0x10)

struct img {
	_Alignas(8) uint8_t buf[IMG_SIZE];
	size_t size;
};

static Elf64_Ehdr *
ehdr(struct img *im)
{
	return (Elf64_Ehdr *)im->buf;
}

static Elf64_Phdr *
phdr(struct img *im, unsigned i)
{
	return (Elf64_Phdr *)(im->buf + IMG_PHOFF) + i;
}

/* Appends a program header and returns it. */
static Elf64_Phdr *
add_ph(struct img *im, uint32_t type, uint32_t flags, uint64_t off,
       uint64_t vaddr, uint64_t filesz, uint64_t memsz, uint64_t align)
{
	Elf64_Ehdr *eh = ehdr(im);
	Elf64_Phdr *ph;

	assert_true(eh->e_phnum < IMG_MAX_PH);
	ph = phdr(im, eh->e_phnum++);
	ph->p_type = type;
	ph->p_flags = flags;
	ph->p_offset = off;
	ph->p_vaddr = vaddr;
	ph->p_paddr = vaddr;
	ph->p_filesz = filesz;
	ph->p_memsz = memsz;
	ph->p_align = align;
	return ph;
}

/* Writes a note at `off`, returns its total size. */
static size_t
put_note(struct img *im, size_t off, const char *name, uint32_t namesz,
         uint32_t type, const void *desc, uint32_t descsz)
{
	Elf64_Nhdr nh = {namesz, descsz, type};
	size_t pos = off;

	memcpy(im->buf + pos, &nh, sizeof(nh));
	pos += sizeof(nh);
	memcpy(im->buf + pos, name, namesz);
	pos += (namesz + 3u) & ~3u;
	memcpy(im->buf + pos, desc, descsz);
	pos += (descsz + 3u) & ~3u;
	return pos - off;
}

static size_t
put_abi_note(struct img *im, size_t off, uint32_t major, uint32_t minor)
{
	struct capos_elfnote_abi_desc d = {major, minor};

	return put_note(im, off, CAPOS_ELFNOTE_NAME, CAPOS_ELFNOTE_NAMESZ,
	                CAPOS_ELFNOTE_TYPE_ABI, &d, sizeof(d));
}

/* The note segment is always phdr 0, text 1, data 2. */
#define PH_NOTE 0
#define PH_TEXT 1
#define PH_DATA 2

static void
img_base(struct img *im)
{
	Elf64_Ehdr *eh = ehdr(im);
	size_t notesz;

	memset(im, 0, sizeof(*im));
	im->size = IMG_SIZE;
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = IMG_ENTRY;
	eh->e_phoff = IMG_PHOFF;
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phentsize = sizeof(Elf64_Phdr);

	notesz =
	    put_abi_note(im, IMG_NOTE_OFF, CAPOS_ABI_MAJOR, CAPOS_ABI_MINOR);
	add_ph(im, PT_NOTE, PF_R, IMG_NOTE_OFF, 0x400000 + IMG_NOTE_OFF, notesz,
	       notesz, 4);
	add_ph(im, PT_LOAD, PF_R | PF_X, 0x1000, TEXT_VADDR, 0x100, 0x100,
	       0x1000);
	add_ph(im, PT_LOAD, PF_R | PF_W, 0x2000, DATA_VADDR, 0x80, 0x2000,
	       0x1000);
	memset(im->buf + 0x1000, 0xcc, 0x100);
}

static int
parse(struct img *im, struct elf_image *out)
{
	return elf_parse(im->buf, im->size, CAPOS_USER_IMAGE_BASE,
	                 CAPOS_USER_IMAGE_END, out);
}

/* Every promise elf.h makes about an accepted image. */
static void
assert_invariants(const struct elf_image *img, size_t size, uint64_t lo,
                  uint64_t hi)
{
	uint32_t i;
	int entry_ok = 0;

	assert_true(img->nload >= 1 && img->nload <= ELF_MAX_LOAD);
	for (i = 0; i < img->nload; i++) {
		const struct elf_segment *s = &img->load[i];

		assert_true(s->memsz > 0);
		assert_true(s->filesz <= s->memsz);
		assert_true(s->offset + s->filesz >= s->offset);
		assert_true(s->offset + s->filesz <= size);
		assert_true(s->vaddr >= lo);
		assert_true(s->vaddr + s->memsz > s->vaddr);
		assert_true(s->vaddr + s->memsz <= hi);
		assert_false((s->flags & ELF_SEG_W) && (s->flags & ELF_SEG_X));
		if (i > 0) {
			const struct elf_segment *p = &img->load[i - 1];
			uint64_t pend =
			    (p->vaddr + p->memsz + 0xfff) & ~0xfffull;

			assert_true(pend <= (s->vaddr & ~0xfffull));
		}
		if ((s->flags & ELF_SEG_X) && img->entry >= s->vaddr &&
		    img->entry < s->vaddr + s->memsz)
			entry_ok = 1;
	}
	assert_true(entry_ok);
}

/* --- Valid images ------------------------------------------------------ */

static void
test_handcrafted_valid(void **state)
{
	struct img im;
	struct elf_image out;

	(void)state;
	img_base(&im);
	assert_int_equal(parse(&im, &out), ELF_OK);
	assert_int_equal(out.entry, IMG_ENTRY);
	assert_int_equal(out.nload, 2);
	assert_int_equal(out.load[0].vaddr, TEXT_VADDR);
	assert_int_equal(out.load[0].flags, ELF_SEG_R | ELF_SEG_X);
	assert_int_equal(out.load[0].offset, 0x1000);
	assert_int_equal(out.load[0].filesz, 0x100);
	assert_int_equal(out.load[1].vaddr, DATA_VADDR);
	assert_int_equal(out.load[1].flags, ELF_SEG_R | ELF_SEG_W);
	assert_int_equal(out.load[1].filesz, 0x80);
	assert_int_equal(out.load[1].memsz, 0x2000);
	assert_false(out.has_tls);
	assert_true(out.has_abi_note);
	assert_int_equal(out.abi_major, CAPOS_ABI_MAJOR);
	assert_int_equal(out.abi_minor, CAPOS_ABI_MINOR);
	assert_int_equal(elf_check_abi(&out, CAPOS_ABI_MAJOR, CAPOS_ABI_MINOR),
	                 ELF_OK);
	assert_invariants(&out, im.size, CAPOS_USER_IMAGE_BASE,
	                  CAPOS_USER_IMAGE_END);
}

/* Segments listed out of address order come back sorted. */
static void
test_sorted_output(void **state)
{
	struct img im;
	struct elf_image out;
	Elf64_Phdr tmp;

	(void)state;
	img_base(&im);
	tmp = *phdr(&im, PH_TEXT);
	*phdr(&im, PH_TEXT) = *phdr(&im, PH_DATA);
	*phdr(&im, PH_DATA) = tmp;
	assert_int_equal(parse(&im, &out), ELF_OK);
	assert_int_equal(out.load[0].vaddr, TEXT_VADDR);
	assert_int_equal(out.load[1].vaddr, DATA_VADDR);
}

/* The parser copies headers out; an odd buffer address must not matter
 * (UBSan reports misaligned loads). */
static void
test_unaligned_buffer(void **state)
{
	struct img im;
	struct elf_image out;
	uint8_t *odd = malloc(IMG_SIZE + 1);

	(void)state;
	assert_non_null(odd);
	img_base(&im);
	memcpy(odd + 1, im.buf, IMG_SIZE);
	assert_int_equal(elf_parse(odd + 1, IMG_SIZE, CAPOS_USER_IMAGE_BASE,
	                           CAPOS_USER_IMAGE_END, &out),
	                 ELF_OK);
	assert_int_equal(out.nload, 2);
	free(odd);
}

/* An empty PT_LOAD is legal and maps nothing. */
static void
test_empty_load_skipped(void **state)
{
	struct img im;
	struct elf_image out;

	(void)state;
	img_base(&im);
	add_ph(&im, PT_LOAD, PF_R, 0, 0x500000, 0, 0, 0x1000);
	assert_int_equal(parse(&im, &out), ELF_OK);
	assert_int_equal(out.nload, 2);
}

/* Notes of other owners, and capOS notes of types this loader does not
 * know, are skipped. */
static void
test_foreign_notes_ignored(void **state)
{
	struct img im;
	struct elf_image out;
	uint32_t v = 0x12345678;
	size_t n;

	(void)state;
	img_base(&im);
	n = put_note(&im, IMG_NOTE_OFF, "GNU", 4, 3, &v, sizeof(v));
	n += put_note(&im, IMG_NOTE_OFF + n, CAPOS_ELFNOTE_NAME,
	              CAPOS_ELFNOTE_NAMESZ, 99, &v, sizeof(v));
	phdr(&im, PH_NOTE)->p_filesz = n;
	assert_int_equal(parse(&im, &out), ELF_OK);
	assert_false(out.has_abi_note);
	assert_int_equal(elf_check_abi(&out, CAPOS_ABI_MAJOR, CAPOS_ABI_MINOR),
	                 ELF_E_NO_ABI_NOTE);

	n += put_abi_note(&im, IMG_NOTE_OFF + n, CAPOS_ABI_MAJOR, 0);
	phdr(&im, PH_NOTE)->p_filesz = n;
	assert_int_equal(parse(&im, &out), ELF_OK);
	assert_true(out.has_abi_note);
}

static void
test_tls_accepted(void **state)
{
	struct img im;
	struct elf_image out;

	(void)state;
	img_base(&im);
	add_ph(&im, PT_TLS, PF_R, 0x2010, DATA_VADDR + 0x10, 0x20, 0x40, 8);
	assert_int_equal(parse(&im, &out), ELF_OK);
	assert_true(out.has_tls);
	assert_int_equal(out.tls.vaddr, DATA_VADDR + 0x10);
	assert_int_equal(out.tls.filesz, 0x20);
	assert_int_equal(out.tls.memsz, 0x40);
	assert_int_equal(out.tls.align, 8);
}

static void
test_abi_policy(void **state)
{
	struct img im;
	struct elf_image out;

	(void)state;
	img_base(&im);
	put_abi_note(&im, IMG_NOTE_OFF, 1, 0);
	assert_int_equal(parse(&im, &out), ELF_OK);
	/* An older minor runs on a newer kernel... */
	assert_int_equal(elf_check_abi(&out, 1, 3), ELF_OK);
	/* ...but not the other way round, and never across majors. */
	put_abi_note(&im, IMG_NOTE_OFF, 1, 4);
	assert_int_equal(parse(&im, &out), ELF_OK);
	assert_int_equal(elf_check_abi(&out, 1, 3), ELF_E_ABI_MINOR);
	put_abi_note(&im, IMG_NOTE_OFF, 2, 0);
	assert_int_equal(parse(&im, &out), ELF_OK);
	assert_int_equal(elf_check_abi(&out, 1, 3), ELF_E_ABI_MAJOR);
	put_abi_note(&im, IMG_NOTE_OFF, 0, 0);
	assert_int_equal(parse(&im, &out), ELF_OK);
	assert_int_equal(elf_check_abi(&out, 1, 0), ELF_E_ABI_MAJOR);
}

static void
test_bad_arguments(void **state)
{
	struct img im;
	struct elf_image out;

	(void)state;
	img_base(&im);
	assert_int_equal(elf_parse(NULL, 0, CAPOS_USER_IMAGE_BASE,
	                           CAPOS_USER_IMAGE_END, &out),
	                 ELF_E_ARG);
	assert_int_equal(elf_parse(im.buf, im.size, CAPOS_USER_IMAGE_BASE,
	                           CAPOS_USER_IMAGE_END, NULL),
	                 ELF_E_ARG);
	assert_int_equal(elf_parse(im.buf, im.size, CAPOS_USER_IMAGE_END,
	                           CAPOS_USER_IMAGE_BASE, &out),
	                 ELF_E_ARG);
	assert_int_equal(elf_parse(im.buf, im.size, CAPOS_USER_IMAGE_BASE + 1,
	                           CAPOS_USER_IMAGE_END, &out),
	                 ELF_E_ARG);
	assert_int_equal(elf_parse(im.buf, im.size, CAPOS_USER_IMAGE_BASE,
	                           CAPOS_USER_IMAGE_END - 1, &out),
	                 ELF_E_ARG);
}

/* Every result has its own name, so logs can tell them apart. */
static void
test_strerror_distinct(void **state)
{
	int a, b;

	(void)state;
	for (a = ELF_OK; a >= ELF_E_ABI_MINOR; a--) {
		assert_string_not_equal(elf_strerror(a), "ELF_E_UNKNOWN");
		for (b = a - 1; b >= ELF_E_ABI_MINOR; b--)
			assert_string_not_equal(elf_strerror(a),
			                        elf_strerror(b));
	}
	assert_string_equal(elf_strerror(ELF_E_ABI_MINOR - 1), "ELF_E_UNKNOWN");
	assert_string_equal(elf_strerror(1), "ELF_E_UNKNOWN");
}

/* --- One hostile mutation per case ------------------------------------- */

struct mutation {
	const char *name;
	void (*apply)(struct img *im);
	int expect;
};

static void
m_size_0(struct img *im)
{
	im->size = 0;
}

static void
m_size_63(struct img *im)
{
	im->size = sizeof(Elf64_Ehdr) - 1;
}

static void
m_magic(struct img *im)
{
	ehdr(im)->e_ident[EI_MAG3] = 'X';
}

static void
m_class32(struct img *im)
{
	ehdr(im)->e_ident[EI_CLASS] = ELFCLASS32;
}

static void
m_big_endian(struct img *im)
{
	ehdr(im)->e_ident[EI_DATA] = ELFDATA2MSB;
}

static void
m_ident_version(struct img *im)
{
	ehdr(im)->e_ident[EI_VERSION] = EV_NONE;
}

static void
m_e_version(struct img *im)
{
	ehdr(im)->e_version = 2;
}

static void
m_machine_i386(struct img *im)
{
	ehdr(im)->e_machine = EM_386;
}

static void
m_type_dyn(struct img *im)
{
	ehdr(im)->e_type = ET_DYN;
}

static void
m_type_rel(struct img *im)
{
	ehdr(im)->e_type = ET_REL;
}

static void
m_ehsize(struct img *im)
{
	ehdr(im)->e_ehsize = 52;
}

static void
m_phentsize(struct img *im)
{
	ehdr(im)->e_phentsize = 32;
}

static void
m_phnum_0(struct img *im)
{
	ehdr(im)->e_phnum = 0;
}

static void
m_phnum_over_limit(struct img *im)
{
	ehdr(im)->e_phnum = ELF_MAX_PHNUM + 1;
}

static void
m_phnum_xnum(struct img *im)
{
	ehdr(im)->e_phnum = PN_XNUM;
}

static void
m_phoff_past_end(struct img *im)
{
	ehdr(im)->e_phoff = IMG_SIZE - sizeof(Elf64_Phdr);
}

static void
m_phoff_wraps(struct img *im)
{
	ehdr(im)->e_phoff = UINT64_MAX - 8;
}

static void
m_interp(struct img *im)
{
	add_ph(im, PT_INTERP, PF_R, 0x1000, TEXT_VADDR, 0x10, 0x10, 1);
}

static void
m_dynamic(struct img *im)
{
	add_ph(im, PT_DYNAMIC, PF_R | PF_W, 0x2000, DATA_VADDR, 0x10, 0x10, 8);
}

static void
m_filesz_past_file(struct img *im)
{
	phdr(im, PH_DATA)->p_filesz = 0x1001;
}

static void
m_offset_past_file(struct img *im)
{
	phdr(im, PH_DATA)->p_offset = 0x3000;
	phdr(im, PH_DATA)->p_vaddr = DATA_VADDR + 0x1000;
}

static void
m_offset_wraps(struct img *im)
{
	/* offset + filesz wraps to a small number inside the file. */
	phdr(im, PH_DATA)->p_offset = UINT64_MAX - 0xfff;
	phdr(im, PH_DATA)->p_filesz = 0x1080;
}

static void
m_filesz_gt_memsz(struct img *im)
{
	phdr(im, PH_TEXT)->p_memsz = 0x80;
}

static void
m_vaddr_wraps(struct img *im)
{
	phdr(im, PH_DATA)->p_vaddr = 0xfffffffffffff000ull;
	phdr(im, PH_DATA)->p_memsz = 0x2000;
}

static void
m_below_null_guard(struct img *im)
{
	phdr(im, PH_DATA)->p_vaddr = 0x2000;
}

static void
m_at_zero(struct img *im)
{
	phdr(im, PH_DATA)->p_offset = 0;
	phdr(im, PH_DATA)->p_vaddr = 0;
}

static void
m_into_kernel(struct img *im)
{
	phdr(im, PH_DATA)->p_vaddr = CAPOS_KERNEL_IMAGE_BASE;
}

static void
m_past_image_end(struct img *im)
{
	/* Starts inside the range, ends one page past it. */
	phdr(im, PH_DATA)->p_vaddr = CAPOS_USER_IMAGE_END - 0x1000;
}

static void
m_onto_ring_page(struct img *im)
{
	phdr(im, PH_DATA)->p_vaddr = CAPOS_USER_RING_ADDR;
}

static void
m_overlap_same_page(struct img *im)
{
	/* Data starts in the page where text ends: page-granular overlap
	 * even though the bytes do not overlap. */
	phdr(im, PH_DATA)->p_vaddr = TEXT_VADDR + 0x800;
	phdr(im, PH_DATA)->p_offset = 0x2800 - 0x1000;
	phdr(im, PH_DATA)->p_align = 0x800;
}

static void
m_overlap_contained(struct img *im)
{
	add_ph(im, PT_LOAD, PF_R, 0x2000, DATA_VADDR + 0x1000, 0x10, 0x10,
	       0x1000);
}

static void
m_overlap_before(struct img *im)
{
	/* A segment listed later that starts below and runs into text. */
	add_ph(im, PT_LOAD, PF_R, 0x0, TEXT_VADDR - 0x1000, 0x1001, 0x1001,
	       0x1000);
}

static void
m_overlap_bss_into_next(struct img *im)
{
	/* Text's zero-fill reaches into the data page. */
	phdr(im, PH_TEXT)->p_memsz = 0x1001;
}

static void
m_align_not_pow2(struct img *im)
{
	phdr(im, PH_TEXT)->p_align = 0x1800;
}

static void
m_align_mismatch(struct img *im)
{
	phdr(im, PH_TEXT)->p_offset = 0x1010;
}

/* vaddr and offset must agree modulo the page size whatever p_align
 * says: 0 and 1 ("no constraint") and small powers of two included. */
static void
m_page_mismatch_align0(struct img *im)
{
	phdr(im, PH_TEXT)->p_align = 0;
	phdr(im, PH_TEXT)->p_offset = 0x1010;
}

static void
m_page_mismatch_align1(struct img *im)
{
	phdr(im, PH_TEXT)->p_align = 1;
	phdr(im, PH_TEXT)->p_offset = 0x1010;
}

static void
m_page_mismatch_align16(struct img *im)
{
	/* Agree modulo 16 (p_align) but not modulo the page. */
	phdr(im, PH_TEXT)->p_align = 16;
	phdr(im, PH_TEXT)->p_offset = 0x800;
}

static void
m_page_mismatch_empty(struct img *im)
{
	/* An empty PT_LOAD maps nothing but is held to the same rule. */
	add_ph(im, PT_LOAD, PF_R, 0x10, 0x500000, 0, 0, 0);
}

static void
m_too_many_loads(struct img *im)
{
	uint64_t i;

	for (i = 0; i < ELF_MAX_LOAD - 1; i++)
		add_ph(im, PT_LOAD, PF_R, 0x1000, 0x500000 + i * 0x1000, 0x10,
		       0x10, 0x1000);
}

static void
m_wx(struct img *im)
{
	phdr(im, PH_TEXT)->p_flags = PF_R | PF_W | PF_X;
}

static void
m_no_load(struct img *im)
{
	ehdr(im)->e_phnum = 1; /* only the note */
}

static void
m_entry_outside(struct img *im)
{
	ehdr(im)->e_entry = 0x600000;
}

static void
m_entry_in_data(struct img *im)
{
	ehdr(im)->e_entry = DATA_VADDR + 0x10;
}

static void
m_entry_at_text_end(struct img *im)
{
	ehdr(im)->e_entry = TEXT_VADDR + 0x100;
}

static void
m_entry_zero(struct img *im)
{
	ehdr(im)->e_entry = 0;
}

static void
m_tls_twice(struct img *im)
{
	add_ph(im, PT_TLS, PF_R, 0x2010, DATA_VADDR + 0x10, 0x20, 0x40, 8);
	add_ph(im, PT_TLS, PF_R, 0x2010, DATA_VADDR + 0x10, 0x20, 0x40, 8);
}

static void
m_tls_outside_load(struct img *im)
{
	add_ph(im, PT_TLS, PF_R, 0x2010, 0x700000, 0x20, 0x40, 8);
}

static void
m_tls_straddles_load(struct img *im)
{
	add_ph(im, PT_TLS, PF_R, 0x2010, DATA_VADDR + 0x1ff0, 0x20, 0x40, 16);
}

static void
m_tls_align(struct img *im)
{
	add_ph(im, PT_TLS, PF_R, 0x2010, DATA_VADDR + 0x10, 0x20, 0x40, 12);
}

static void
m_tls_align_too_big(struct img *im)
{
	add_ph(im, PT_TLS, PF_R, 0x2000, DATA_VADDR, 0x20, 0x40,
	       ELF_TLS_MAX_ALIGN * 2);
}

static void
m_tls_too_big(struct img *im)
{
	add_ph(im, PT_TLS, PF_R, 0x2010, DATA_VADDR + 0x10, 0x20,
	       ELF_TLS_MAX_MEMSZ + 1, 8);
}

static void
m_tls_filesz_gt_memsz(struct img *im)
{
	add_ph(im, PT_TLS, PF_R, 0x2010, DATA_VADDR + 0x10, 0x40, 0x20, 8);
}

static void
m_tls_past_file(struct img *im)
{
	add_ph(im, PT_TLS, PF_R, 0x2ff0, DATA_VADDR + 0x10, 0x20, 0x40, 8);
}

static void
m_exec_stack(struct img *im)
{
	add_ph(im, PT_GNU_STACK, PF_R | PF_W | PF_X, 0, 0, 0, 0, 16);
}

static void
m_note_past_file(struct img *im)
{
	phdr(im, PH_NOTE)->p_offset = IMG_SIZE - 8;
}

static void
m_note_namesz_huge(struct img *im)
{
	uint32_t huge = 0xfffffff0u;

	memcpy(im->buf + IMG_NOTE_OFF, &huge, sizeof(huge));
}

static void
m_note_descsz_huge(struct img *im)
{
	uint32_t huge = 0xffffffffu;

	memcpy(im->buf + IMG_NOTE_OFF + 4, &huge, sizeof(huge));
}

static void
m_note_header_cut(struct img *im)
{
	phdr(im, PH_NOTE)->p_filesz = 8;
}

static void
m_note_desc_cut(struct img *im)
{
	phdr(im, PH_NOTE)->p_filesz -= 4;
}

static void
m_note_duplicate(struct img *im)
{
	size_t n = phdr(im, PH_NOTE)->p_filesz;

	n += put_abi_note(im, IMG_NOTE_OFF + n, CAPOS_ABI_MAJOR,
	                  CAPOS_ABI_MINOR);
	phdr(im, PH_NOTE)->p_filesz = n;
}

static void
m_note_bad_descsz(struct img *im)
{
	uint32_t v[3] = {1, 0, 0};
	size_t n;

	n = put_note(im, IMG_NOTE_OFF, CAPOS_ELFNOTE_NAME, CAPOS_ELFNOTE_NAMESZ,
	             CAPOS_ELFNOTE_TYPE_ABI, v, sizeof(v));
	phdr(im, PH_NOTE)->p_filesz = n;
}

static const struct mutation mutations[] = {
    {"empty file", m_size_0, ELF_E_TRUNCATED},
    {"header cut short", m_size_63, ELF_E_TRUNCATED},
    {"bad magic", m_magic, ELF_E_MAGIC},
    {"ELFCLASS32", m_class32, ELF_E_CLASS},
    {"big-endian", m_big_endian, ELF_E_ENDIAN},
    {"EI_VERSION 0", m_ident_version, ELF_E_VERSION},
    {"e_version 2", m_e_version, ELF_E_VERSION},
    {"i386 machine", m_machine_i386, ELF_E_MACHINE},
    {"ET_DYN (PIE)", m_type_dyn, ELF_E_TYPE},
    {"ET_REL", m_type_rel, ELF_E_TYPE},
    {"e_ehsize 52", m_ehsize, ELF_E_EHSIZE},
    {"e_phentsize 32", m_phentsize, ELF_E_PHENTSIZE},
    {"no program headers", m_phnum_0, ELF_E_NO_LOAD},
    {"phnum over limit", m_phnum_over_limit, ELF_E_PHNUM},
    {"phnum PN_XNUM", m_phnum_xnum, ELF_E_PHNUM},
    {"phdrs past file end", m_phoff_past_end, ELF_E_PHDRS_TRUNCATED},
    {"phoff wraps", m_phoff_wraps, ELF_E_PHDRS_TRUNCATED},
    {"PT_INTERP", m_interp, ELF_E_DYNAMIC},
    {"PT_DYNAMIC", m_dynamic, ELF_E_DYNAMIC},
    {"filesz past file end", m_filesz_past_file, ELF_E_SEG_TRUNCATED},
    {"offset past file end", m_offset_past_file, ELF_E_SEG_TRUNCATED},
    {"offset + filesz wraps", m_offset_wraps, ELF_E_OVERFLOW},
    {"filesz > memsz", m_filesz_gt_memsz, ELF_E_FILESZ},
    {"vaddr + memsz wraps", m_vaddr_wraps, ELF_E_OVERFLOW},
    {"segment in NULL guard", m_below_null_guard, ELF_E_RANGE},
    {"segment at address 0", m_at_zero, ELF_E_RANGE},
    {"segment in kernel space", m_into_kernel, ELF_E_RANGE},
    {"segment past image end", m_past_image_end, ELF_E_RANGE},
    {"segment on the ring page", m_onto_ring_page, ELF_E_RANGE},
    {"overlap: shared page", m_overlap_same_page, ELF_E_OVERLAP},
    {"overlap: contained", m_overlap_contained, ELF_E_OVERLAP},
    {"overlap: from below", m_overlap_before, ELF_E_OVERLAP},
    {"overlap: zero-fill into next", m_overlap_bss_into_next, ELF_E_OVERLAP},
    {"p_align not power of two", m_align_not_pow2, ELF_E_ALIGN},
    {"vaddr/offset misaligned", m_align_mismatch, ELF_E_ALIGN},
    {"page mismatch, p_align 0", m_page_mismatch_align0, ELF_E_ALIGN},
    {"page mismatch, p_align 1", m_page_mismatch_align1, ELF_E_ALIGN},
    {"page mismatch, p_align 16", m_page_mismatch_align16, ELF_E_ALIGN},
    {"page mismatch, empty PT_LOAD", m_page_mismatch_empty, ELF_E_ALIGN},
    {"too many PT_LOAD", m_too_many_loads, ELF_E_TOO_MANY_LOADS},
    {"writable and executable", m_wx, ELF_E_WX},
    {"no PT_LOAD", m_no_load, ELF_E_NO_LOAD},
    {"entry outside segments", m_entry_outside, ELF_E_ENTRY},
    {"entry in data segment", m_entry_in_data, ELF_E_ENTRY},
    {"entry one past text", m_entry_at_text_end, ELF_E_ENTRY},
    {"entry 0", m_entry_zero, ELF_E_ENTRY},
    {"two PT_TLS", m_tls_twice, ELF_E_TLS},
    {"TLS outside PT_LOAD", m_tls_outside_load, ELF_E_TLS},
    {"TLS straddles PT_LOAD end", m_tls_straddles_load, ELF_E_TLS},
    {"TLS align not power of two", m_tls_align, ELF_E_TLS},
    {"TLS align over limit", m_tls_align_too_big, ELF_E_TLS},
    {"TLS memsz over limit", m_tls_too_big, ELF_E_TLS},
    {"TLS filesz > memsz", m_tls_filesz_gt_memsz, ELF_E_FILESZ},
    {"TLS past file end", m_tls_past_file, ELF_E_SEG_TRUNCATED},
    {"executable stack", m_exec_stack, ELF_E_EXEC_STACK},
    {"PT_NOTE past file end", m_note_past_file, ELF_E_NOTE},
    {"note namesz huge", m_note_namesz_huge, ELF_E_NOTE},
    {"note descsz huge", m_note_descsz_huge, ELF_E_NOTE},
    {"note header cut", m_note_header_cut, ELF_E_NOTE},
    {"note descriptor cut", m_note_desc_cut, ELF_E_NOTE},
    {"capOS note twice", m_note_duplicate, ELF_E_NOTE},
    {"capOS note bad descsz", m_note_bad_descsz, ELF_E_NOTE},
};

static void
run_mutation(void **state)
{
	const struct mutation *m = *state;
	struct img im;
	struct elf_image out;
	int got;

	img_base(&im);
	assert_int_equal(parse(&im, &out), ELF_OK);
	m->apply(&im);
	got = parse(&im, &out);
	if (got != m->expect)
		fail_msg("%s: got %s, expected %s", m->name, elf_strerror(got),
		         elf_strerror(m->expect));
}

/* --- Linker output ----------------------------------------------------- */

static uint8_t *
read_fixture(const char *name, size_t *size)
{
	char path[4096];
	uint8_t *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", fixture_dir, name);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return buf;
}

static int
parse_fixture(const char *name, struct elf_image *out)
{
	size_t size;
	uint8_t *buf = read_fixture(name, &size);
	int r = elf_parse(buf, size, CAPOS_USER_IMAGE_BASE,
	                  CAPOS_USER_IMAGE_END, out);

	free(buf);
	return r;
}

/* The parser's view of the tiny binary agrees with the program headers as
 * the host's <elf.h> reads them. */
static void
test_real_binary(void **state)
{
	const Elf64_Ehdr *eh;
	struct elf_image out;
	uint32_t found = 0, nload = 0, i, j;
	size_t size;
	uint8_t *buf;

	(void)state;
	buf = read_fixture("tiny.elf", &size);
	assert_int_equal(elf_parse(buf, size, CAPOS_USER_IMAGE_BASE,
	                           CAPOS_USER_IMAGE_END, &out),
	                 ELF_OK);
	eh = (const Elf64_Ehdr *)buf;
	assert_int_equal(out.entry, eh->e_entry);
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph =
		    (const Elf64_Phdr *)(buf + eh->e_phoff) + i;

		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		nload++;
		for (j = 0; j < out.nload; j++)
			if (out.load[j].vaddr == ph->p_vaddr &&
			    out.load[j].memsz == ph->p_memsz &&
			    out.load[j].filesz == ph->p_filesz &&
			    out.load[j].offset == ph->p_offset &&
			    out.load[j].flags == (ph->p_flags & 7u))
				found++;
	}
	assert_true(nload >= 2);
	assert_int_equal(out.nload, nload);
	assert_int_equal(found, nload);
	assert_true(out.has_abi_note);
	assert_int_equal(out.abi_major, CAPOS_ABI_MAJOR);
	assert_int_equal(out.abi_minor, CAPOS_ABI_MINOR);
	assert_int_equal(elf_check_abi(&out, CAPOS_ABI_MAJOR, CAPOS_ABI_MINOR),
	                 ELF_OK);
	assert_false(out.has_tls);
	assert_invariants(&out, size, CAPOS_USER_IMAGE_BASE,
	                  CAPOS_USER_IMAGE_END);
	free(buf);
}

static void
test_real_tls(void **state)
{
	struct elf_image out;

	(void)state;
	assert_int_equal(parse_fixture("tiny-tls.elf", &out), ELF_OK);
	assert_true(out.has_tls);
	/* One initialised int, one zeroed int. */
	assert_int_equal(out.tls.filesz, sizeof(int));
	assert_int_equal(out.tls.memsz, 2 * sizeof(int));
}

static void
test_real_no_note(void **state)
{
	struct elf_image out;

	(void)state;
	assert_int_equal(parse_fixture("tiny-nonote.elf", &out), ELF_OK);
	assert_false(out.has_abi_note);
	assert_int_equal(elf_check_abi(&out, CAPOS_ABI_MAJOR, CAPOS_ABI_MINOR),
	                 ELF_E_NO_ABI_NOTE);
}

static void
test_real_wx(void **state)
{
	struct elf_image out;

	(void)state;
	assert_int_equal(parse_fixture("tiny-wx.elf", &out), ELF_E_WX);
}

static void
test_real_exec_stack(void **state)
{
	struct elf_image out;

	(void)state;
	assert_int_equal(parse_fixture("tiny-execstack.elf", &out),
	                 ELF_E_EXEC_STACK);
}

static void
test_real_pie(void **state)
{
	struct elf_image out;

	(void)state;
	assert_int_equal(parse_fixture("tiny-pie.elf", &out), ELF_E_TYPE);
}

static void
test_real_dynamic(void **state)
{
	struct elf_image out;

	(void)state;
	assert_int_equal(parse_fixture("dynamic.elf", &out), ELF_E_DYNAMIC);
}

/* A user range that excludes where the binary is linked. */
static void
test_real_outside_range(void **state)
{
	struct elf_image out;
	size_t size;
	uint8_t *buf = read_fixture("tiny.elf", &size);

	(void)state;
	assert_int_equal(elf_parse(buf, size, CAPOS_USER_HEAP_BASE,
	                           CAPOS_USER_HEAP_END, &out),
	                 ELF_E_RANGE);
	free(buf);
}

/* Every prefix of a real binary: never a crash, and accepted only once
 * everything the headers point at is present. */
static void
test_real_truncations(void **state)
{
	struct elf_image out;
	size_t size, n, need = 0;
	uint8_t *buf = read_fixture("tiny.elf", &size);
	uint8_t *copy;
	uint32_t i;

	(void)state;
	assert_int_equal(elf_parse(buf, size, CAPOS_USER_IMAGE_BASE,
	                           CAPOS_USER_IMAGE_END, &out),
	                 ELF_OK);
	for (i = 0; i < out.nload; i++)
		if (out.load[i].offset + out.load[i].filesz > need)
			need = out.load[i].offset + out.load[i].filesz;
	assert_true(need > 0 && need <= size);
	for (n = 0; n < size; n++) {
		int r;

		/* A fresh allocation of exactly n bytes, so ASan sees any
		 * read past the end. */
		copy = malloc(n ? n : 1);
		assert_non_null(copy);
		memcpy(copy, buf, n);
		r = elf_parse(copy, n, CAPOS_USER_IMAGE_BASE,
		              CAPOS_USER_IMAGE_END, &out);
		/* Headers and notes sit in the first page, below every
		 * segment's end, so exactly the segments decide. */
		if ((r == ELF_OK) != (n >= need))
			fail_msg("prefix %zu of %zu: %s", n, size,
			         elf_strerror(r));
		free(copy);
	}
	free(buf);
}

/* --- Random mutations -------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t
rng(void)
{
	/* xorshift64: deterministic, so a failure reproduces. */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

#define FUZZ_ROUNDS 20000

/* Flips bytes in the headers, notes and program headers, and overwrites
 * fields with boundary values; whatever is accepted must still keep every
 * promise of elf.h. */
static void
fuzz(uint8_t *orig, size_t size, size_t hot)
{
	static const uint64_t edge[] = {
	    0,
	    1,
	    0xfff,
	    0x1000,
	    0x400000,
	    0x7fffffffffffull,
	    CAPOS_USER_IMAGE_END,
	    UINT64_MAX,
	    UINT64_MAX - 0xfff,
	    0x8000000000000000ull,
	};
	uint8_t *buf = malloc(size);
	struct elf_image out;
	int r, accepted = 0, i, k;

	assert_non_null(buf);
	for (i = 0; i < FUZZ_ROUNDS; i++) {
		int edits = 1 + (int)(rng() % 4);

		memcpy(buf, orig, size);
		for (k = 0; k < edits; k++) {
			size_t pos = rng() % hot;

			if (rng() % 2 == 0 || pos + 8 > size) {
				buf[pos] = (uint8_t)rng();
			} else {
				uint64_t v = edge[rng() % ARRAY_SIZE(edge)];

				memcpy(buf + pos, &v, sizeof(v));
			}
		}
		r = elf_parse(buf, size, CAPOS_USER_IMAGE_BASE,
		              CAPOS_USER_IMAGE_END, &out);
		assert_true(r <= ELF_OK && r >= ELF_E_ABI_MINOR);
		if (r == ELF_OK) {
			accepted++;
			assert_invariants(&out, size, CAPOS_USER_IMAGE_BASE,
			                  CAPOS_USER_IMAGE_END);
		}
	}
	/* The mutations must not all be trivially rejected, or the test
	 * would prove nothing about accepted images. */
	assert_true(accepted > 0);
	free(buf);
}

static void
test_fuzz_handcrafted(void **state)
{
	struct img im;

	(void)state;
	img_base(&im);
	/* Header, program headers, and the note. */
	fuzz(im.buf, im.size, IMG_NOTE_OFF + 0x40);
}

static void
test_fuzz_real(void **state)
{
	size_t size;
	uint8_t *buf = read_fixture("tiny.elf", &size);

	(void)state;
	/* The first page holds the ELF header, program headers and notes;
	 * the rest is segment contents the parser does not interpret. */
	fuzz(buf, size, size < 0x400 ? size : 0x400);
	free(buf);
}

/* --- Runner ------------------------------------------------------------ */

static const struct CMUnitTest fixed_tests[] = {
    cmocka_unit_test(test_handcrafted_valid),
    cmocka_unit_test(test_sorted_output),
    cmocka_unit_test(test_unaligned_buffer),
    cmocka_unit_test(test_empty_load_skipped),
    cmocka_unit_test(test_foreign_notes_ignored),
    cmocka_unit_test(test_tls_accepted),
    cmocka_unit_test(test_abi_policy),
    cmocka_unit_test(test_bad_arguments),
    cmocka_unit_test(test_strerror_distinct),
    cmocka_unit_test(test_real_binary),
    cmocka_unit_test(test_real_tls),
    cmocka_unit_test(test_real_no_note),
    cmocka_unit_test(test_real_wx),
    cmocka_unit_test(test_real_exec_stack),
    cmocka_unit_test(test_real_pie),
    cmocka_unit_test(test_real_dynamic),
    cmocka_unit_test(test_real_outside_range),
    cmocka_unit_test(test_real_truncations),
    cmocka_unit_test(test_fuzz_handcrafted),
    cmocka_unit_test(test_fuzz_real),
};

static struct CMUnitTest tests[ARRAY_SIZE(fixed_tests) + ARRAY_SIZE(mutations)];

int
main(int argc, char **argv)
{
	size_t i, n = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FIXTURE_DIR\n", argv[0]);
		return 2;
	}
	fixture_dir = argv[1];
	for (i = 0; i < ARRAY_SIZE(fixed_tests); i++)
		tests[n++] = fixed_tests[i];
	for (i = 0; i < ARRAY_SIZE(mutations); i++) {
		tests[n].name = mutations[i].name;
		tests[n].test_func = run_mutation;
		tests[n].setup_func = NULL;
		tests[n].teardown_func = NULL;
		tests[n].initial_state = (void *)&mutations[i];
		n++;
	}
	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
