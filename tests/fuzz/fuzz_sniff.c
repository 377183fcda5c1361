/* Fuzz target: the upload content sniffer (src/files/files_sniff.c) on arbitrary bytes, the
 * outside input every upload route passes to it. Invariants: it reads only inside the buffer
 * (ASan), answers the same for the same bytes, and every answer is backed by the format's own
 * signature: "%PDF-" for PDF, FF D8 FF for JPEG, the PNG signature, "PK\3\4" for zip containers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files/files.h"

#define CHECK(x) ((x) ? (void)0 : (fprintf(stderr, "invariant failed: %s\n", #x), abort()))

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	/* an exact-size copy, so a read past the end is caught even when the fuzzer's buffer is larger */
	unsigned char *copy = malloc(size ? size : 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	const files_type_t *t = files_sniff(copy, size);
	CHECK(t == files_sniff(copy, size));
	if (t) {
		CHECK(t->mime && t->ext && t->label);
		if (strcmp(t->ext, "pdf") == 0)
			CHECK(size >= 5 && memcmp(copy, "%PDF-", 5) == 0);
		else if (strcmp(t->ext, "jpg") == 0)
			CHECK(size >= 3 && memcmp(copy, "\xFF\xD8\xFF", 3) == 0);
		else if (strcmp(t->ext, "png") == 0)
			CHECK(size >= 8 && memcmp(copy, "\x89PNG\r\n\x1A\n", 8) == 0);
		else
			CHECK(size >= 22 && memcmp(copy, "PK\x03\x04", 4) == 0);
	}
	free(copy);
	return 0;
}
