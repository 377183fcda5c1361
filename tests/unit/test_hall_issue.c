/* Who may ask for which ticket category (docs/domain.md §8, 取号): priority is never self-declared. A
 * signed-in applicant (远程取号) gets a normal ticket; a paired kiosk a normal one or, from the ID
 * number it read, an elderly one; the hall's staff (导服台), who checked the papers, any category
 * but appointment (only a check-in makes those). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hall/hall.h"

#define OLD "110101195001010017"   /* born 1 January 1950 */
#define YOUNG "110101199001010015" /* born 1 January 1990 */

static void who_asks_what(void **state)
{
	(void)state;
	const yw_date_t today = date_from_ymd(2026, 12, 3);
	static const struct {
		enum hall_issuer by;
		enum hall_category asked;
		const char *id;
		int want;
	} cases[] = {
		{HALL_BY_APPLICANT, HALL_NORMAL, NULL, HALL_NORMAL},
		{HALL_BY_APPLICANT, HALL_NORMAL, OLD, HALL_NORMAL}, /* no elderly priority from home */
		{HALL_BY_APPLICANT, HALL_ELDERLY, OLD, HALL_ASK_STAFF_ONLY},
		{HALL_BY_APPLICANT, HALL_DISABLED, NULL, HALL_ASK_STAFF_ONLY},
		{HALL_BY_APPLICANT, HALL_GREEN, NULL, HALL_ASK_STAFF_ONLY},
		{HALL_BY_KIOSK, HALL_NORMAL, NULL, HALL_NORMAL},
		{HALL_BY_KIOSK, HALL_NORMAL, "", HALL_NORMAL},
		{HALL_BY_KIOSK, HALL_NORMAL, OLD, HALL_ELDERLY},
		{HALL_BY_KIOSK, HALL_NORMAL, YOUNG, HALL_NORMAL},
		{HALL_BY_KIOSK, HALL_ELDERLY, OLD, HALL_ELDERLY},
		{HALL_BY_KIOSK, HALL_ELDERLY, YOUNG, HALL_NORMAL}, /* the ID number decides, not the button */
		{HALL_BY_KIOSK, HALL_ELDERLY, NULL, HALL_ASK_NEEDS_ID},
		{HALL_BY_KIOSK, HALL_DISABLED, OLD, HALL_ASK_STAFF_ONLY},
		{HALL_BY_KIOSK, HALL_GREEN, NULL, HALL_ASK_STAFF_ONLY},
		{HALL_BY_KIOSK, HALL_APPOINTMENT, NULL, HALL_ASK_STAFF_ONLY},
		{HALL_BY_STAFF, HALL_NORMAL, NULL, HALL_NORMAL},
		{HALL_BY_STAFF, HALL_NORMAL, OLD, HALL_ELDERLY},
		{HALL_BY_STAFF, HALL_ELDERLY, NULL, HALL_ELDERLY}, /* the 导服台 saw the card */
		{HALL_BY_STAFF, HALL_DISABLED, NULL, HALL_DISABLED},
		{HALL_BY_STAFF, HALL_GREEN, YOUNG, HALL_GREEN},
		{HALL_BY_STAFF, HALL_APPOINTMENT, NULL, HALL_ASK_STAFF_ONLY},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = hall_issue_category(cases[i].by, cases[i].asked, cases[i].id, today);
		if (got != cases[i].want)
			fail_msg("case %zu: got %d, want %d", i, got, cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(who_asks_what)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
