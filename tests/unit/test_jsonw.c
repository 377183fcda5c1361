/* platform/jsonw.c writes what jansson's json_dumps(JSON_COMPACT | JSON_ENCODE_ANY) writes, byte
 * for byte: random documents of every type, strings of every kind of character, objects whose keys
 * were replaced and deleted, integers at the limits, reals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "platform/jsonw.h"

static const char *const pieces[] = {"a", "\"", "\\", "/", "\n", "\t", "\r", "\b", "\f", "\x01", "\x1f", "\x7f",
				     "办件", " ", "é", "😀", "\xe2\x80\xa8", "key", "0", ""};

static json_t *random_string(void)
{
	char text[96] = "";
	int k = rand() % 6;
	for (int i = 0; i < k; i++)
		strcat(text, pieces[rand() % (int)(sizeof pieces / sizeof *pieces)]);
	return json_string(text);
}

static json_t *random_value(int depth)
{
	switch (rand() % (depth > 3 ? 6 : 8)) {
	case 0: return json_null();
	case 1: return json_boolean(rand() % 2);
	case 2: return json_integer(rand() % 3 ? (json_int_t)rand() * (rand() % 2 ? -1 : 1) : rand() % 2 ? INT64_MIN : INT64_MAX);
	case 3: return json_real((double)rand() / (rand() % 1000 + 1) * (rand() % 2 ? 1e-12 : 1e12));
	case 4:
	case 5: return random_string();
	case 6: {
		json_t *a = json_array();
		for (int i = rand() % 5; i > 0; i--)
			json_array_append_new(a, random_value(depth + 1));
		return a;
	}
	default: {
		json_t *o = json_object();
		for (int i = rand() % 7; i > 0; i--) {
			char key[8];
			snprintf(key, sizeof key, "k%d", rand() % 5); /* repeated keys replace values */
			json_object_set_new(o, key, random_value(depth + 1));
			if (rand() % 5 == 0)
				json_object_del(o, "k1");
		}
		char odd[96] = "";
		strcat(odd, pieces[rand() % (int)(sizeof pieces / sizeof *pieces)]);
		json_object_set_new(o, odd, json_integer(1)); /* keys are escaped too */
		return o;
	}
	}
}

static void same_as_jansson(void **state)
{
	(void)state;
	srand(11);
	for (int round = 0; round < 5000; round++) {
		json_t *j = random_value(0);
		char *theirs = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		size_t n = 0;
		char *mine = jsonw_dump(j, &n);
		assert_non_null(theirs);
		assert_non_null(mine);
		assert_string_equal(mine, theirs);
		assert_int_equal(n, strlen(theirs));
		free(mine);
		free(theirs);
		json_decref(j);
	}
}

static void strings_with_nul_and_bad_utf8(void **state)
{
	(void)state;
	json_t *s = json_stringn("a\0b", 3);
	char *mine = jsonw_dump(s, NULL), *theirs = json_dumps(s, JSON_ENCODE_ANY);
	assert_string_equal(mine, "\"a\\u0000b\"");
	assert_string_equal(mine, theirs);
	free(mine);
	free(theirs);
	json_decref(s);
	/* bytes that are not UTF-8 (only json_stringn_nocheck makes such a string) are written as "" */
	jsonw_t w = {0};
	jsonw_put(&w, "[", 1);
	jsonw_string(&w, "ok\xc0\xaf", 4);
	jsonw_put(&w, "]", 1);
	assert_string_equal(w.p, "[\"\"]");
	free(w.p);
}

static void too_deep(void **state)
{
	(void)state;
	json_t *root = json_array(), *a = root;
	for (int i = 0; i < 300; i++) {
		json_t *b = json_array();
		json_array_append_new(a, b);
		a = b;
	}
	assert_null(jsonw_dump(root, NULL));
	json_decref(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(same_as_jansson), cmocka_unit_test(strings_with_nul_and_bad_utf8),
					   cmocka_unit_test(too_deep)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
