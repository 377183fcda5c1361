/* libFuzzer target for the identifier checks (GB 11643-1999, GB 32100-2015, GB/T 2260)
 * and strict date parsing: arbitrary bytes must never crash them, and each check must
 * agree with its _reason function (reason NULL exactly when the check passes). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "platform/date.h"
#include "platform/err.h"
#include "platform/idcheck.h"

/* abort() rather than assert(): the check must run even in builds with NDEBUG. */
static void require(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size heap copy lets ASan catch any read past len. */
	char *s = malloc(size ? size : 1);
	require(s != NULL);
	if (size)
		memcpy(s, data, size);

	yw_date_t birth;
	int rc = idcheck_person(s, size, &birth);
	require(rc == 0 || rc == YW_EINVAL);
	require((idcheck_person_reason(s, size) == NULL) == (rc == 0));
	require(idcheck_person(s, size, NULL) == rc);
	if (rc == 0) {
		char iso[11];
		date_format(birth, iso);
		require(memcmp(iso, s + 6, 4) == 0 && memcmp(iso + 5, s + 10, 2) == 0 &&
			memcmp(iso + 8, s + 12, 2) == 0);
	}

	rc = idcheck_uscc(s, size);
	require(rc == 0 || rc == YW_EINVAL);
	require((idcheck_uscc_reason(s, size) == NULL) == (rc == 0));
	if (rc == 0)
		require(idcheck_uscc_check_char(s) == s[17]);
	if (size >= 17) {
		char c = idcheck_uscc_check_char(s);
		if (c != '\0' && size >= 18 && s[17] != c)
			require(idcheck_uscc(s, 18) != 0);
	}

	rc = idcheck_region_code(s, size);
	require(rc == 0 || rc == YW_EINVAL);

	yw_date_t d;
	rc = date_parse(s, size, &d);
	require(rc == 0 || rc == YW_EINVAL);
	if (rc == 0) {
		/* A strictly parsed date prints back as the same bytes. */
		char iso[11];
		date_format(d, iso);
		require(size == 10 && memcmp(iso, s, 10) == 0);
		require(date_weekday(d) >= 1 && date_weekday(d) <= 7);
	}

	/* idcheck_person_age takes a NUL-terminated string. */
	char *z = malloc(size + 1);
	require(z != NULL);
	if (size)
		memcpy(z, data, size);
	z[size] = '\0';
	int age = -1;
	rc = idcheck_person_age(z, date_from_ymd(2025, 6, 1), &age);
	require(rc == 0 || rc == YW_EINVAL);
	if (rc == 0)
		require(age >= 0 && age <= 125);

	free(z);
	free(s);
	return 0;
}
