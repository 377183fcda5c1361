/* Fuzz target: an Open311 POST body (application/x-www-form-urlencoded) or query string as the
 * Open311 routes parse it (hotline_open311.h): the form decoder, then every value as a date-time
 * (start_date, end_date), as a list of request ids (service_request_id) and as a path segment with
 * its format (NAME.json / NAME.xml), and the whole form rendered as a GeoReport XML answer.
 * Invariants: a parsed form has valid UTF-8 keys and values and no repeated key; a parsed date-time
 * formats to one that parses back to the same instant; every listed id is 1-32 letters or digits;
 * the XML has no markup character outside its own tags and entities. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotline/hotline_open311.h"

/* Release builds drop assert(); a fuzz invariant must hold in every build. */
#define CHECK(x) ((x) ? (void)0 : (fprintf(stderr, "invariant failed: %s\n", #x), abort()))

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Text between tags holds no '<' or '>' and every '&' starts one of the five entities. */
static void check_xml(const char *x)
{
	const char *p = strstr(x, "?>");
	CHECK(p);
	for (p += 2; *p; p++) {
		if (*p == '<') {
			p++;
			if (*p == '/')
				p++;
			while ((*p >= 'a' && *p <= 'z') || *p == '_')
				p++;
			CHECK(*p == '>');
		} else {
			CHECK(*p != '>');
			if (*p == '&')
				CHECK(strncmp(p, "&amp;", 5) == 0 || strncmp(p, "&lt;", 4) == 0 || strncmp(p, "&gt;", 4) == 0 ||
				      strncmp(p, "&quot;", 6) == 0 || strncmp(p, "&apos;", 6) == 0);
			CHECK((unsigned char)*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r');
		}
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	o311_form_t f;
	const char *why;
	int rc = o311_form_parse((const char *)data, size, &f, &why);
	if (rc) {
		CHECK(why && *why);
		o311_form_free(&f);
		return 0;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < f.n; i++) {
		const char *k = f.key[i], *v = f.val[i];
		CHECK(*k && utf8_valid(k, strlen(k)) && utf8_valid(v, strlen(v)));
		CHECK(o311_form_get(&f, k) == v);
		int64_t t, t2;
		if (o311_parse_datetime(v, &t) == 0 && t < 253402300799 - 8 * 3600) {
			char s[26];
			o311_format_datetime(t, s);
			CHECK(o311_parse_datetime(s, &t2) == 0 && t2 == t);
		}
		const char *ids[8];
		char buf[256];
		int n = o311_id_list(v, buf, sizeof buf, ids, 8);
		CHECK(n >= -1 && n <= 8);
		for (int j = 0; j < n; j++)
			CHECK(strlen(ids[j]) >= 1 && strlen(ids[j]) <= 32 && strspn(ids[j], "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == strlen(ids[j]));
		char name[64];
		char fmt = o311_split_format(v, name);
		CHECK(fmt == 0 || ((fmt == 'j' || fmt == 'x') && strlen(name) < strlen(v)));
		json_array_append_new(items, json_pack("{s:s, s:s, s:[s]}", "key", k, "value", v, "values", v));
	}
	char *x = o311_xml("service_requests", "request", items);
	CHECK(x);
	check_xml(x);
	free(x);
	json_decref(items);
	o311_form_free(&f);
	return 0;
}
