/* Dispatch suggestion (派单建议) for the 12345 hotline: from closed orders (the final matter
 * classification and the final handling unit after any 改派), a model that answers, for the words
 * an operator is typing, the most likely matters and units with calibrated probabilities.
 *
 * The model is a naive Bayes text classifier (complement or multinomial, docs/architecture.md
 * "Dispatch suggestion" says which and why) over Chinese character unigrams and bigrams and ASCII
 * words and numbers, one classifier for matters and one for units over the same features. Pure C,
 * no allocation shared with anything else: a model is immutable once hotline_model_train() returns,
 * so any number of threads may call hotline_model_suggest() on it at once.
 *
 * Retraining swaps models through a hotline_slot_t: readers take the current model without a lock
 * (two atomic increments), the swapper waits for the readers of the old one to leave before freeing
 * it. Labels are the caller's ids (matter tree node id, handling unit id); 0 means "not given". */
#ifndef YW_HOTLINE_SUGGEST_H
#define YW_HOTLINE_SUGGEST_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	HOTLINE_SUGGEST_TEXT_CAP = 8192, /* bytes of a text that are read; the rest is ignored */
	HOTLINE_SUGGEST_MAX_K = 10,      /* most guesses one call returns per kind */
};

/* One closed order. text is title and text together (the caller joins them), UTF-8; invalid
 * bytes are skipped, NULL or len 0 is an empty text. A sample with neither label is ignored; one
 * with only one label teaches only that classifier. */
typedef struct {
	const char *text;
	size_t len;
	int64_t matter; /* matter classification id; 0 = not given */
	int64_t unit;   /* handling unit id; 0 = not given */
} hotline_sample_t;

#define HOTLINE_DEFAULT_ALPHA 1.0 /* chosen by 5-fold cross-validation on the hand-written corpus (docs/benchmarks.md) */

typedef enum {
	HOTLINE_NB_COMPLEMENT = 0,  /* complement naive Bayes (the default) */
	HOTLINE_NB_MULTINOMIAL = 1, /* multinomial naive Bayes with class priors */
} hotline_nb_mode_t;

typedef struct {
	hotline_nb_mode_t mode;
	double alpha;        /* additive smoothing; <= 0 means HOTLINE_DEFAULT_ALPHA */
	unsigned min_df;     /* features in fewer training texts are dropped; 0 = automatic (1 below
			      * 20,000 samples, else 2) */
	bool no_calibrate;   /* skip fitting the softmax temperature (then it is 1) */
} hotline_train_opts_t;

typedef struct hotline_model hotline_model_t;

/* Trains a model on samples[0..n). opts may be NULL (defaults). Calibration: with 100 samples or
 * more, every fifth (at most 4,000) is also left out of a second model built in the same pass, whose
 * scores on them fit each classifier's softmax temperature; the model returned learns from all. 0 and *out (refcount 1, free with
 * hotline_model_unref) or YW_EINVAL when no sample has a label. Out-of-memory aborts. */
int hotline_model_train(const hotline_sample_t *samples, size_t n, const hotline_train_opts_t *opts,
			hotline_model_t **out);

/* Reference counting: a model lives until its last holder lets go. */
hotline_model_t *hotline_model_ref(hotline_model_t *m);
void hotline_model_unref(hotline_model_t *m);

typedef struct {
	size_t samples;  /* samples that had at least one label */
	size_t features; /* distinct features kept */
	size_t matters;  /* distinct matter labels */
	size_t units;    /* distinct unit labels */
	size_t bytes;    /* memory the model holds */
	double t_matter; /* fitted softmax temperatures */
	double t_unit;
} hotline_model_info_t;
void hotline_model_info(const hotline_model_t *m, hotline_model_info_t *out);

typedef enum { HOTLINE_MATTER = 0, HOTLINE_UNIT = 1 } hotline_label_kind_t;

/* Called for each candidate label before it is ranked; false drops it (a unit abolished, a matter
 * node deleted since training). Must be cheap and thread-safe: it runs for every label. */
typedef bool (*hotline_keep_fn)(void *ctx, hotline_label_kind_t kind, int64_t id);

typedef struct {
	int64_t id;
	double score; /* calibrated probability in (0, 1]; a kind's scores sum to at most 1 */
} hotline_guess_t;

/* The k (<= HOTLINE_SUGGEST_MAX_K) most likely matters and units for text, best first, with
 * *n_matters / *n_units set to how many were written (0 when the text has no feature the model
 * has seen: empty, punctuation only, or all new words; suggestions from priors alone would only
 * repeat the busiest units). keep may be NULL. Probabilities are over all labels the model knows
 * (before filtering), so dropping a label never inflates the others. matters or units may be NULL
 * to skip that kind. Never fails. */
void hotline_model_suggest(const hotline_model_t *m, const char *text, size_t len, size_t k, hotline_keep_fn keep,
			   void *ctx, hotline_guess_t *matters, size_t *n_matters, hotline_guess_t *units,
			   size_t *n_units);

/* The current model of a server: swapped whole by the retraining job, read by every suggest
 * request without a lock. Not copyable once initialised. */
typedef struct {
	_Atomic(hotline_model_t *) cur;
	atomic_uint epoch;
	atomic_uint readers[2];
	pthread_mutex_t swap; /* serialises swappers only */
} hotline_slot_t;

void hotline_slot_init(hotline_slot_t *s);
/* Frees the current model; no reader may be inside the slot. */
void hotline_slot_destroy(hotline_slot_t *s);
/* Installs m (the slot takes the caller's reference; NULL empties the slot), then waits until no
 * reader can still hold the previous model and drops the slot's reference to it. */
void hotline_slot_swap(hotline_slot_t *s, hotline_model_t *m);
/* hotline_model_suggest on the current model; with no model yet, both counts are 0. Returns the
 * number of samples the model was trained on (0 when there is none). */
size_t hotline_slot_suggest(hotline_slot_t *s, const char *text, size_t len, size_t k, hotline_keep_fn keep, void *ctx,
			    hotline_guess_t *matters, size_t *n_matters, hotline_guess_t *units, size_t *n_units);

/* The feature extraction, exposed for tests and the benchmark: calls fn for each feature of text
 * (unigram, bigram or word key, as a 64-bit key) in order. Returns the number of features. */
size_t hotline_features(const char *text, size_t len, void (*fn)(void *ctx, uint64_t key), void *ctx);

#endif
