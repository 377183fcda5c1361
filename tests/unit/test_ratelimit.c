/* Per-address limits (platform/ratelimit.h): the doubling sign-in delay, the token bucket of
 * anonymous writes, the failure counter's decay, and fixed memory under many addresses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "platform/ratelimit.h"

static void test_delay_doubles_and_caps(void **state)
{
	(void)state;
	static const struct {
		int64_t n;
		int free, max;
		int64_t want;
	} cases[] = {
		{0, 3, 900, 0},  {1, 3, 900, 0},  {2, 3, 900, 0},    {3, 3, 900, 1},  {4, 3, 900, 2},
		{5, 3, 900, 4},  {12, 3, 900, 512}, {13, 3, 900, 900}, {40, 3, 900, 900}, {1000, 3, 900, 900},
		{10, 10, 60, 1}, {16, 10, 60, 60}, {1, 1, 5, 1},     {4, 1, 5, 5},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(ratelimit_delay(cases[i].n, cases[i].free, cases[i].max), cases[i].want);
}

static void test_bucket(void **state)
{
	(void)state;
	int64_t t = 1000000;
	/* a burst of 3, then one a minute */
	for (int i = 0; i < 3; i++)
		assert_int_equal(ratelimit_anon_write("10.0.0.1", t, 3, 1), 0);
	assert_int_equal(ratelimit_anon_write("10.0.0.1", t, 3, 1), 60);
	assert_int_equal(ratelimit_anon_write("10.0.0.1", t + 30, 3, 1), 30);
	assert_int_equal(ratelimit_anon_write("10.0.0.1", t + 60, 3, 1), 0);
	assert_int_equal(ratelimit_anon_write("10.0.0.1", t + 60, 3, 1), 60);
	/* another address has its own bucket; 0 means no limit */
	assert_int_equal(ratelimit_anon_write("10.0.0.2", t, 3, 1), 0);
	assert_int_equal(ratelimit_anon_write("10.0.0.1", t + 60, 0, 1), 0);
	/* a long pause refills only up to the burst */
	int64_t later = t + 100000;
	for (int i = 0; i < 3; i++)
		assert_int_equal(ratelimit_anon_write("10.0.0.1", later, 3, 1), 0);
	assert_int_not_equal(ratelimit_anon_write("10.0.0.1", later, 3, 1), 0);
}

static void test_failures(void **state)
{
	(void)state;
	int64_t t = 2000000;
	const char *k = "a:10.1.1.1";
	for (int i = 0; i < 2; i++) {
		ratelimit_fail_record(k, t, 3, 900);
		assert_int_equal(ratelimit_fail_wait(k, t, 900), 0);
	}
	ratelimit_fail_record(k, t, 3, 900);
	assert_int_equal(ratelimit_fail_wait(k, t, 900), 1);
	ratelimit_fail_record(k, t + 1, 3, 900);
	assert_int_equal(ratelimit_fail_wait(k, t + 1, 900), 2);
	assert_int_equal(ratelimit_fail_wait(k, t + 3, 900), 0);
	/* idle for the longest delay after the last one ended: back to the free failures */
	ratelimit_fail_record(k, t + 3 + 901, 3, 900);
	assert_int_equal(ratelimit_fail_wait(k, t + 3 + 901, 900), 0);
	ratelimit_fail_clear(k);
	assert_int_equal(ratelimit_fail_wait(k, t, 900), 0);
}

static void test_bounded_under_many_addresses(void **state)
{
	(void)state;
	/* 100000 addresses through 8192 slots: the newest are tracked, the table never grows, and
	 * a recent attacker keeps its slot against older entries of its set. */
	int64_t t = 3000000;
	char key[64];
	for (int i = 0; i < 100000; i++) {
		snprintf(key, sizeof key, "a:10.%d.%d.%d", (i >> 16) & 255, (i >> 8) & 255, i & 255);
		ratelimit_fail_record(key, t, 1, 900);
	}
	snprintf(key, sizeof key, "a:10.%d.%d.%d", (99999 >> 16) & 255, (99999 >> 8) & 255, 99999 & 255);
	assert_int_equal(ratelimit_fail_wait(key, t, 900), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delay_doubles_and_caps),
		cmocka_unit_test(test_bucket),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_bounded_under_many_addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
