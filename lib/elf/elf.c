/*
 * ELF64 executable parser.  See elf.h for the policy.
 *
 * The file is hostile input.  Every header is copied out with memcpy (the
 * buffer may be unaligned and must not be read as a struct in place), every
 * sum is checked for wraparound before it is compared, and nothing is
 * reported to the caller until the whole file has been accepted.
 */
#include "elf/elf.h"

#include "base/mem.h"
#include "elf/elf64.h"

#include <capos/elfnote.h>

static int
is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* a + b without wrapping, into *sum; 0 if it would wrap. */
static int
add_ok(uint64_t a, uint64_t b, uint64_t *sum)
{
	if (a > UINT64_MAX - b)
		return 0;
	*sum = a + b;
	return 1;
}

/* Does [off, off + len) lie inside a file of `size` bytes? */
static int
in_file(uint64_t off, uint64_t len, size_t size)
{
	uint64_t end;

	return add_ok(off, len, &end) && end <= size;
}

static uint64_t
page_down(uint64_t x)
{
	return x & ~(ELF_PAGE_SIZE - 1);
}

/* Callers only round addresses already checked to be <= a page-aligned
 * bound, so this cannot wrap. */
static uint64_t
page_up(uint64_t x)
{
	return (x + ELF_PAGE_SIZE - 1) & ~(ELF_PAGE_SIZE - 1);
}

static int
check_ehdr(const struct elf64_ehdr *eh)
{
	static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};

	if (memcmp(&eh->e_ident[ELF64_EI_MAG0], magic, sizeof(magic)) != 0)
		return ELF_E_MAGIC;
	if (eh->e_ident[ELF64_EI_CLASS] != ELF64_CLASS64)
		return ELF_E_CLASS;
	if (eh->e_ident[ELF64_EI_DATA] != ELF64_DATA2LSB)
		return ELF_E_ENDIAN;
	if (eh->e_ident[ELF64_EI_VERSION] != ELF64_EV_CURRENT ||
	    eh->e_version != ELF64_EV_CURRENT)
		return ELF_E_VERSION;
	if (eh->e_machine != ELF64_EM_X86_64)
		return ELF_E_MACHINE;
	if (eh->e_type != ELF64_ET_EXEC)
		return ELF_E_TYPE;
	if (eh->e_ehsize != sizeof(struct elf64_ehdr))
		return ELF_E_EHSIZE;
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return ELF_E_PHENTSIZE;
	if (eh->e_phnum == 0)
		return ELF_E_NO_LOAD;
	if (eh->e_phnum > ELF_MAX_PHNUM)
		return ELF_E_PHNUM;
	return ELF_OK;
}

/* p_align 0 and 1 mean "no constraint"; anything else must be a power of
 * two that vaddr and offset agree on, as the gABI requires.  Whatever
 * p_align says, vaddr and offset must agree modulo the page size: the
 * loader maps file pages, so a segment whose bytes start at another
 * offset within the page than in the file cannot be loaded as given. */
static int
align_ok(const struct elf64_phdr *ph)
{
	if ((ph->p_vaddr ^ ph->p_offset) & (ELF_PAGE_SIZE - 1))
		return 0;
	if (ph->p_align <= 1)
		return 1;
	if (!is_pow2(ph->p_align))
		return 0;
	return (ph->p_vaddr & (ph->p_align - 1)) ==
	       (ph->p_offset & (ph->p_align - 1));
}

/* Checks shared by PT_LOAD and PT_TLS: sizes, file bounds, wraparound. */
static int
check_extent(const struct elf64_phdr *ph, size_t size)
{
	uint64_t end;

	if (ph->p_filesz > ph->p_memsz)
		return ELF_E_FILESZ;
	if (!add_ok(ph->p_offset, ph->p_filesz, &end))
		return ELF_E_OVERFLOW;
	if (end > size)
		return ELF_E_SEG_TRUNCATED;
	if (!add_ok(ph->p_vaddr, ph->p_memsz, &end))
		return ELF_E_OVERFLOW;
	return ELF_OK;
}

static struct elf_segment
to_segment(const struct elf64_phdr *ph)
{
	struct elf_segment s = {
	    .vaddr = ph->p_vaddr,
	    .memsz = ph->p_memsz,
	    .filesz = ph->p_filesz,
	    .offset = ph->p_offset,
	    .align = ph->p_align,
	    .flags = ph->p_flags & (ELF_SEG_R | ELF_SEG_W | ELF_SEG_X),
	};

	return s;
}

/* Adds a PT_LOAD to img->load, keeping it sorted by vaddr and refusing one
 * that shares a page with a neighbour. */
static int
add_load(struct elf_image *img, const struct elf64_phdr *ph, uint64_t user_lo,
         uint64_t user_hi)
{
	uint64_t end = ph->p_vaddr + ph->p_memsz; /* checked not to wrap */
	uint64_t lo, hi;
	uint32_t i, pos;

	if (ph->p_vaddr < user_lo || end > user_hi)
		return ELF_E_RANGE;
	lo = page_down(ph->p_vaddr);
	hi = page_up(end);

	for (pos = 0; pos < img->nload; pos++)
		if (img->load[pos].vaddr > ph->p_vaddr)
			break;
	/* The sorted neighbours are the only segments that could share a
	 * page with this one. */
	if (pos > 0) {
		const struct elf_segment *prev = &img->load[pos - 1];

		if (page_up(prev->vaddr + prev->memsz) > lo)
			return ELF_E_OVERLAP;
	}
	if (pos < img->nload && page_down(img->load[pos].vaddr) < hi)
		return ELF_E_OVERLAP;
	if (img->nload == ELF_MAX_LOAD)
		return ELF_E_TOO_MANY_LOADS;

	for (i = img->nload; i > pos; i--)
		img->load[i] = img->load[i - 1];
	img->load[pos] = to_segment(ph);
	img->nload++;
	return ELF_OK;
}

static int
check_tls(struct elf_image *img, const struct elf64_phdr *ph, size_t size)
{
	int err;

	if (img->has_tls)
		return ELF_E_TLS;
	err = check_extent(ph, size);
	if (err != ELF_OK)
		return err;
	if (ph->p_memsz > ELF_TLS_MAX_MEMSZ)
		return ELF_E_TLS;
	if (ph->p_align > 1 &&
	    (!is_pow2(ph->p_align) || ph->p_align > ELF_TLS_MAX_ALIGN))
		return ELF_E_TLS;
	img->has_tls = 1;
	img->tls = to_segment(ph);
	return ELF_OK;
}

/*
 * Walks the notes of one PT_NOTE segment, picking out the capOS ABI note.
 * Other owners' notes are skipped; unknown capOS note types too, so new
 * types can be added without breaking old loaders.
 */
static int
scan_notes(struct elf_image *img, const uint8_t *file, size_t size,
           const struct elf64_phdr *ph)
{
	/* Notes are 4-byte aligned, except in 8-aligned segments (GNU
	 * property notes), where name and descriptor pad to 8. */
	uint64_t a = ph->p_align == 8 ? 8 : 4;
	const uint8_t *p;
	uint64_t left;

	if (!in_file(ph->p_offset, ph->p_filesz, size))
		return ELF_E_NOTE;
	p = file + ph->p_offset;
	left = ph->p_filesz;

	while (left > 0) {
		struct elf64_nhdr nh;
		uint64_t namesz, descsz, total;
		const uint8_t *name, *desc;

		if (left < sizeof(nh))
			return ELF_E_NOTE;
		memcpy(&nh, p, sizeof(nh));
		/* 32-bit sizes padded in 64-bit arithmetic cannot wrap. */
		namesz = ((uint64_t)nh.n_namesz + a - 1) & ~(a - 1);
		descsz = ((uint64_t)nh.n_descsz + a - 1) & ~(a - 1);
		total = sizeof(nh) + namesz + descsz;
		if (total > left)
			return ELF_E_NOTE;
		name = p + sizeof(nh);
		desc = name + namesz;

		if (nh.n_namesz == CAPOS_ELFNOTE_NAMESZ &&
		    memcmp(name, CAPOS_ELFNOTE_NAME, CAPOS_ELFNOTE_NAMESZ) ==
		        0 &&
		    nh.n_type == CAPOS_ELFNOTE_TYPE_ABI) {
			struct capos_elfnote_abi_desc d;

			if (img->has_abi_note || nh.n_descsz != sizeof(d))
				return ELF_E_NOTE;
			memcpy(&d, desc, sizeof(d));
			img->has_abi_note = 1;
			img->abi_major = d.abi_major;
			img->abi_minor = d.abi_minor;
		}
		p += total;
		left -= total;
	}
	return ELF_OK;
}

static int
check_phdr(struct elf_image *img, const uint8_t *file, size_t size,
           const struct elf64_phdr *ph, uint64_t user_lo, uint64_t user_hi)
{
	int err;

	switch (ph->p_type) {
	case ELF64_PT_INTERP:
	case ELF64_PT_DYNAMIC:
		return ELF_E_DYNAMIC;
	case ELF64_PT_LOAD:
		err = check_extent(ph, size);
		if (err != ELF_OK)
			return err;
		if (!align_ok(ph))
			return ELF_E_ALIGN;
		if ((ph->p_flags & ELF64_PF_W) && (ph->p_flags & ELF64_PF_X))
			return ELF_E_WX;
		/* An empty PT_LOAD maps nothing; the gABI allows it. */
		if (ph->p_memsz == 0)
			return ELF_OK;
		return add_load(img, ph, user_lo, user_hi);
	case ELF64_PT_TLS:
		return check_tls(img, ph, size);
	case ELF64_PT_NOTE:
		return scan_notes(img, file, size, ph);
	case ELF64_PT_GNU_STACK:
		/* Stacks are never executable; a binary that needs one
		 * would fail later in a confusing way. */
		if (ph->p_flags & ELF64_PF_X)
			return ELF_E_EXEC_STACK;
		return ELF_OK;
	default:
		/* PT_PHDR, PT_GNU_RELRO, PT_GNU_PROPERTY, ...: nothing the
		 * loader acts on. */
		return ELF_OK;
	}
}

static int
in_segment(const struct elf_segment *s, uint64_t addr, uint64_t len)
{
	return addr >= s->vaddr && addr - s->vaddr <= s->memsz &&
	       len <= s->memsz - (addr - s->vaddr);
}

/* Cross-segment checks, once every header has been seen. */
static int
check_image(const struct elf_image *img, uint64_t entry)
{
	uint32_t i;
	int entry_ok = 0, tls_ok = 0;

	if (img->nload == 0)
		return ELF_E_NO_LOAD;
	for (i = 0; i < img->nload; i++) {
		const struct elf_segment *s = &img->load[i];

		if ((s->flags & ELF_SEG_X) && entry >= s->vaddr &&
		    entry - s->vaddr < s->memsz)
			entry_ok = 1;
		/* The runtime copies the TLS template out of the loaded
		 * image, so it has to be part of one segment. */
		if (img->has_tls &&
		    in_segment(s, img->tls.vaddr, img->tls.filesz))
			tls_ok = 1;
	}
	if (!entry_ok)
		return ELF_E_ENTRY;
	if (img->has_tls && img->tls.filesz > 0 && !tls_ok)
		return ELF_E_TLS;
	return ELF_OK;
}

int
elf_parse(const void *file, size_t size, uint64_t user_lo, uint64_t user_hi,
          struct elf_image *out)
{
	const uint8_t *bytes = file;
	struct elf64_ehdr eh;
	struct elf_image img;
	uint64_t phsize;
	uint32_t i;
	int err;

	if (file == NULL || out == NULL || user_lo >= user_hi ||
	    user_lo % ELF_PAGE_SIZE != 0 || user_hi % ELF_PAGE_SIZE != 0)
		return ELF_E_ARG;
	if (size < sizeof(eh))
		return ELF_E_TRUNCATED;
	memcpy(&eh, bytes, sizeof(eh));
	err = check_ehdr(&eh);
	if (err != ELF_OK)
		return err;

	phsize = (uint64_t)eh.e_phnum * sizeof(struct elf64_phdr);
	if (!in_file(eh.e_phoff, phsize, size))
		return ELF_E_PHDRS_TRUNCATED;

	memset(&img, 0, sizeof(img));
	img.entry = eh.e_entry;
	for (i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;

		memcpy(&ph, bytes + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		err = check_phdr(&img, bytes, size, &ph, user_lo, user_hi);
		if (err != ELF_OK)
			return err;
	}
	err = check_image(&img, eh.e_entry);
	if (err != ELF_OK)
		return err;
	*out = img;
	return ELF_OK;
}

int
elf_check_abi(const struct elf_image *img, uint32_t kernel_major,
              uint32_t kernel_minor)
{
	if (!img->has_abi_note)
		return ELF_E_NO_ABI_NOTE;
	if (img->abi_major != kernel_major)
		return ELF_E_ABI_MAJOR;
	if (img->abi_minor > kernel_minor)
		return ELF_E_ABI_MINOR;
	return ELF_OK;
}

const char *
elf_strerror(int result)
{
	switch (result) {
	case ELF_OK:
		return "ELF_OK";
	case ELF_E_ARG:
		return "ELF_E_ARG";
	case ELF_E_TRUNCATED:
		return "ELF_E_TRUNCATED";
	case ELF_E_MAGIC:
		return "ELF_E_MAGIC";
	case ELF_E_CLASS:
		return "ELF_E_CLASS";
	case ELF_E_ENDIAN:
		return "ELF_E_ENDIAN";
	case ELF_E_VERSION:
		return "ELF_E_VERSION";
	case ELF_E_MACHINE:
		return "ELF_E_MACHINE";
	case ELF_E_TYPE:
		return "ELF_E_TYPE";
	case ELF_E_EHSIZE:
		return "ELF_E_EHSIZE";
	case ELF_E_PHENTSIZE:
		return "ELF_E_PHENTSIZE";
	case ELF_E_PHNUM:
		return "ELF_E_PHNUM";
	case ELF_E_PHDRS_TRUNCATED:
		return "ELF_E_PHDRS_TRUNCATED";
	case ELF_E_DYNAMIC:
		return "ELF_E_DYNAMIC";
	case ELF_E_SEG_TRUNCATED:
		return "ELF_E_SEG_TRUNCATED";
	case ELF_E_FILESZ:
		return "ELF_E_FILESZ";
	case ELF_E_OVERFLOW:
		return "ELF_E_OVERFLOW";
	case ELF_E_RANGE:
		return "ELF_E_RANGE";
	case ELF_E_ALIGN:
		return "ELF_E_ALIGN";
	case ELF_E_OVERLAP:
		return "ELF_E_OVERLAP";
	case ELF_E_TOO_MANY_LOADS:
		return "ELF_E_TOO_MANY_LOADS";
	case ELF_E_WX:
		return "ELF_E_WX";
	case ELF_E_NO_LOAD:
		return "ELF_E_NO_LOAD";
	case ELF_E_ENTRY:
		return "ELF_E_ENTRY";
	case ELF_E_TLS:
		return "ELF_E_TLS";
	case ELF_E_EXEC_STACK:
		return "ELF_E_EXEC_STACK";
	case ELF_E_NOTE:
		return "ELF_E_NOTE";
	case ELF_E_NO_ABI_NOTE:
		return "ELF_E_NO_ABI_NOTE";
	case ELF_E_ABI_MAJOR:
		return "ELF_E_ABI_MAJOR";
	case ELF_E_ABI_MINOR:
		return "ELF_E_ABI_MINOR";
	default:
		return "ELF_E_UNKNOWN";
	}
}
