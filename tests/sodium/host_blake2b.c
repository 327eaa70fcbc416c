/*
 * host_blake2b: BLAKE2b of standard input by the host's libsodium, in
 * hex: the value the guest's libsodium must reproduce (sodium_test's
 * differential check).
 *
 *   host_blake2b OUTLEN [KEY] <message
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define MESSAGE_MAX 4096

int
main(int argc, char **argv)
{
	unsigned char msg[MESSAGE_MAX], out[crypto_generichash_BYTES_MAX];
	char hex[2 * crypto_generichash_BYTES_MAX + 1];
	const char *key = argc > 2 ? argv[2] : NULL;
	size_t len, outlen;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: host_blake2b OUTLEN [KEY] <message\n");
		return 2;
	}
	outlen = strtoul(argv[1], NULL, 10);
	if (outlen < crypto_generichash_BYTES_MIN ||
	    outlen > crypto_generichash_BYTES_MAX || sodium_init() < 0)
		return 2;
	len = fread(msg, 1, sizeof(msg), stdin);
	if (ferror(stdin) || !feof(stdin)) {
		fprintf(stderr,
		        "host_blake2b: message unreadable or over %d bytes\n",
		        MESSAGE_MAX);
		return 1;
	}
	crypto_generichash(out, outlen, msg, len, (const unsigned char *)key,
	                   key ? strlen(key) : 0);
	printf("%s\n", sodium_bin2hex(hex, sizeof(hex), out, outlen));
	return 0;
}
