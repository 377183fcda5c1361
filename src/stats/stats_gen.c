/* `yiwang gen-cases`: a generated city-year of cases for the statistics benchmark. The cases own
 * the generator (cases_year_demo.c); statistics empty their change log in its transaction, since
 * a server loads the generated rows whole on start and need not replay them. */
#include <stdio.h>

#include "cases/cases_store.h"
#include "stats/stats.h"

int stats_generate(db_t *db, int year, int n, unsigned seed)
{
	cases_gen_counts_t counts;
	int rc = cases_generate_year(db, year, n, seed, stats_store_log_reset, &counts);
	if (!rc)
		printf("generated %lld cases, %lld events, %lld reviews, %lld cards for %d\n", (long long)counts.cases,
		       (long long)counts.events, (long long)counts.reviews, (long long)counts.cards, year);
	return rc;
}
