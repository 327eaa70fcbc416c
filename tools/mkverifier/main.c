/*
 * mkverifier: makes an Argon2id password verifier at build time, the
 * string a capOS program checks with libsodium's crypto_pwhash_str_verify
 * (docs/crypto.md).  The password never goes into the image, only this.
 *
 *   mkverifier --opslimit N --memlimit BYTES <password
 *
 * Reads one line from standard input (its newline, if any, is not part
 * of the password) and prints "$argon2id$v=19$m=...,t=...,p=1$SALT$HASH"
 * with a fresh random salt.  The costs are required: the build says
 * which it uses (PWHASH_OPSLIMIT and PWHASH_MEMLIMIT in mk/libsodium.mk).
 * Linked against the host's libsodium (Debian's libsodium-dev), the same
 * version the guest's is built from.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* A longer line is refused rather than cut: a cut password would make a
 * verifier for a password nobody typed. */
#define PASSWORD_MAX 1024

static void
usage(void)
{
	fprintf(stderr, "usage: mkverifier --opslimit N --memlimit BYTES "
	                "<password\n");
	exit(2);
}

/* Parses a decimal number within [min, max]; exits with a message
 * naming the option otherwise. */
static unsigned long long
parse_limit(const char *opt, const char *s, unsigned long long min,
            unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end != '\0' || s[0] == '-' || v < min ||
	    v > max) {
		fprintf(stderr,
		        "mkverifier: %s %s: not a number from %llu to %llu\n",
		        opt, s, min, max);
		exit(2);
	}
	return v;
}

/* Reads the password line into buf; returns its length. */
static size_t
read_password(char *buf, size_t size)
{
	size_t len = 0;
	int c;

	while ((c = getchar()) != EOF && c != '\n') {
		if (len + 1 >= size) {
			fprintf(stderr,
			        "mkverifier: password longer than %d bytes\n",
			        PASSWORD_MAX);
			exit(1);
		}
		buf[len++] = (char)c;
	}
	if (ferror(stdin)) {
		fprintf(stderr, "mkverifier: cannot read the password\n");
		exit(1);
	}
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return len;
}

int
main(int argc, char **argv)
{
	char password[PASSWORD_MAX + 1];
	char out[crypto_pwhash_STRBYTES];
	unsigned long long opslimit = 0, memlimit = 0;
	size_t len;
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--opslimit") == 0)
			opslimit =
			    parse_limit(argv[i], argv[i + 1],
			                crypto_pwhash_argon2id_OPSLIMIT_MIN,
			                crypto_pwhash_argon2id_OPSLIMIT_MAX);
		else if (strcmp(argv[i], "--memlimit") == 0)
			memlimit =
			    parse_limit(argv[i], argv[i + 1],
			                crypto_pwhash_argon2id_MEMLIMIT_MIN,
			                crypto_pwhash_argon2id_MEMLIMIT_MAX);
		else
			usage();
	}
	if (i != argc || opslimit == 0 || memlimit == 0)
		usage();
	if (sodium_init() < 0) {
		fprintf(stderr, "mkverifier: sodium_init failed\n");
		return 1;
	}
	len = read_password(password, sizeof(password));
	if (len == 0) {
		fprintf(stderr, "mkverifier: empty password\n");
		return 1;
	}
	if (crypto_pwhash_str_alg(out, password, len, opslimit,
	                          (size_t)memlimit,
	                          crypto_pwhash_ALG_ARGON2ID13) != 0) {
		sodium_memzero(password, sizeof(password));
		fprintf(stderr, "mkverifier: out of memory for %llu bytes\n",
		        memlimit);
		return 1;
	}
	sodium_memzero(password, sizeof(password));
	printf("%s\n", out);
	return fflush(stdout) == 0 ? 0 : 1;
}
