/* Checks of the national identifiers applicants and organisations give us: the 18-character
 * citizen ID number (居民身份证号码, GB 11643-1999), the unified social credit identifier
 * (统一社会信用代码, GB 32100-2015) and administrative division codes (GB/T 2260, with the
 * 9- and 12-digit town and village extensions). Pure functions of their input. */
#ifndef YW_IDCHECK_H
#define YW_IDCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "platform/date.h"

/* GB 11643-1999: 17 digits and a check character 0-9 or X. Only an upper-case X is
 * accepted: the standard writes it upper-case, and normalising is the input layer's job
 * (idcheck_person_reason names the lower-case case separately so the form can say so).
 * Digits 1-6 must pass the same test as idcheck_region_code, except that the prefixes 83
 * (Taiwan residents' residence permits) and 91 (foreigners' permanent residence cards),
 * which share this number format but are not GB/T 2260 provinces, are also accepted.
 * Digits 7-14 must be a real date in 1900-2199. 0 (and *birth_out set when not NULL) or
 * YW_EINVAL. */
int idcheck_person(const char *s, size_t len, yw_date_t *birth_out);
/* NULL when idcheck_person accepts s, else a short Chinese reason for the form. */
const char *idcheck_person_reason(const char *s, size_t len);

/* idcheck_person_reason for a number given on `today`: also refuses a birth date after today
 * ("出生日期晚于今天"), which no living applicant can have. */
const char *idcheck_person_reason_on(const char *s, size_t len, yw_date_t today);

/* The check character for the first 17 digits of a GB 11643 number (for demo data), or '\0'
 * when one of them is not a digit. Reads exactly 17 bytes. */
char idcheck_person_check_char(const char *first17);

/* Full years of age on `today` of the holder of the NUL-terminated ID number `id` (a
 * person born on 29 February turns a year older on 1 March in common years). YW_EINVAL
 * when the ID is invalid or `today` is before the birth date. */
int idcheck_person_age(const char *id, yw_date_t today, int *age_out);

/* GB 32100-2015: 18 characters from 0-9 A-H J-N P-R T U W-Y (upper case only), a known
 * registration-authority code in position 1, digits in positions 3-8 (the registering
 * authority's GB/T 2260 code), and the mod-31 check character. 0 or YW_EINVAL. */
int idcheck_uscc(const char *s, size_t len);
/* NULL when idcheck_uscc accepts s, else a short Chinese reason. */
const char *idcheck_uscc_reason(const char *s, size_t len);
/* The check character for the first 17 characters of a code (for demo data), or '\0'
 * when one of them is not in the code alphabet. Reads exactly 17 bytes. */
char idcheck_uscc_check_char(const char *first17);

/* Telephone numbers as applicants and organisations give them (YD/T 2682 numbering plan):
 * - mobile: 11 digits 1[3-9]xxxxxxxxx, optionally preceded by +86 (and a space or '-');
 * - landline: area code, '-' optional, a 7-8 digit subscriber number not starting with 0
 *   or 1, and an optional extension of 1-6 digits after '-'. Area codes 010 and 02x have
 *   three digits, every other one 0xxx four, and the split is checked against that;
 * - service numbers (12345-style 1xxxx short numbers, 95xxx(xxx), 400/800 numbers) reach
 *   a hotline, not a person: accepted only when org is true (a department or company).
 * 0 or YW_EINVAL. */
int idcheck_phone(const char *s, size_t len, bool org);
/* NULL when idcheck_phone accepts s, else a short Chinese reason for the form. */
const char *idcheck_phone_reason(const char *s, size_t len, bool org);

/* GB/T 2260 code (6 digits) or its town (9) or village (12 digit) extension: all digits,
 * a GB/T 2260 province prefix (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82) and
 * no impossible pattern: in a 6-digit code a prefecture part of 00 means the province
 * itself, so the county part must be 00 too; towns hang below a prefecture or county
 * (never straight below a province), and a town or village part is never 000. This is a
 * shape check, not a lookup in the published code list. 0 or YW_EINVAL. */
int idcheck_region_code(const char *s, size_t len);

#endif
