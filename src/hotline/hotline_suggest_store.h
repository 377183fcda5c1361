/* The dispatch suggestion's data (hotline_suggest_store.c): what it learns from, the orders closed
 * in the hotline loop (final matter and final unit after any 改派) and a former system's history
 * imported with `yiwang hotline import-history` (table hotline_history); the names it answers
 * with; and the import itself. */
#ifndef YW_HOTLINE_SUGGEST_STORE_H
#define YW_HOTLINE_SUGGEST_STORE_H
#include <jansson.h>
#include <stdio.h>

#include "hotline/hotline_suggest.h"
#include "platform/db.h"

/* Training samples: the newest `max` closed orders and history rows with a matter or a unit.
 * samples[i].text points into text, which the caller frees with samples. */
typedef struct {
	hotline_sample_t *samples;
	size_t n;
	char *text;
} hotline_training_t;
int hotline_training_load(db_t *db, size_t max, hotline_training_t *out);
void hotline_training_free(hotline_training_t *t);

/* Figures that change when the training data does, cheap at any volume: *orders when a step of
 * the loop was taken (the last step's id), *history when rows were imported or removed. */
int hotline_training_stamp(db_t *db, int64_t *orders, int64_t *history);

/* The answer of GET /api/v1/hotline/suggest: {"matters":[{"id","name","path","score"}],
 * "units":[{"id","name","score"}],"trained_on"}, with at most k of each; matters no longer active and
 * units no longer in the departments table are left out (the caller asks the model for more than k). */
int hotline_suggest_answer(db_t *db, const hotline_guess_t *matters, size_t nm, const hotline_guess_t *units, size_t nu,
			   size_t k, size_t trained_on, json_t **out);

/* `yiwang hotline import-history FILE.csv [--source NAME]`: reads the CSV (hotline_csv.h), names
 * matters by leaf name or "class/matter" path of the matter classification and units by their
 * department name or short name, and stores the rows in hotline_history in transactions of 1,000,
 * with one audit record. Rows with errors, and names it cannot place, are reported on err with
 * their row numbers; a row whose every given name is unknown is skipped. 0 (even with rows
 * skipped), YW_EINVAL when the header cannot be used, YW_EIO / YW_EDB. */
int hotline_history_import(db_t *db, FILE *in, const char *source, int64_t now, FILE *out, FILE *err);

/* The program's part (hotline_suggest_module.c): the route, registered by main() (its first
 * request starts the server's retraining thread); and `yiwang hotline import-history FILE.csv [--source NAME]` (argv[0] is
 * "import-history"), 0 or the exit status. */
void hotline_suggest_module_register(void);
int hotline_suggest_cli(db_t *db, int argc, char **argv);

#endif
