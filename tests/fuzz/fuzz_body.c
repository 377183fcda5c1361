/* Fuzz target: a request body as the server parses it (UTF-8 check, JSON with duplicate keys
 * refused) and validates it as a catalogue item, the largest body any route takes. Invariant:
 * validation either succeeds with every indexed column set, or reports at least one field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "platform/http.h"

/* Release builds drop assert(); a fuzz invariant must hold in every build. */
#define CHECK(x) ((x) ? (void)0 : (fprintf(stderr, "invariant failed: %s\n", #x), abort()))

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (!utf8_valid((const char *)data, size))
		return 0;
	json_error_t err;
	json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
	if (!body)
		return 0;
	vctx_t v = {0};
	json_t *canon = NULL;
	item_cols_t cols;
	int rc = catalog_validate(body, &v, &canon, &cols);
	if (rc == 0) {
		CHECK(canon && cols.name && cols.search_text && v_ok(&v));
		/* The canonical form is a fixed point: validating it again gives the same JSON. */
		vctx_t v2 = {0};
		json_t *canon2 = NULL;
		item_cols_t cols2;
		CHECK(catalog_validate(canon, &v2, &canon2, &cols2) == 0);
		CHECK(json_equal(canon, canon2));
		free(cols2.search_text);
		json_decref(canon2);
	} else {
		CHECK(!v_ok(&v) && canon == NULL);
	}
	free(cols.search_text);
	json_decref(canon);
	json_decref(v.errors);
	json_decref(body);
	return 0;
}
