/* Fuzz target: a history file of `yiwang hotline import-history` (hotline/hotline_csv.c), fed
 * whole and again in pieces cut where the first input byte says, then the accepted texts trained
 * into a dispatch suggestion model and asked about.
 * Invariants: both feeds give the same rows, errors and status; every accepted row has text and a
 * matter or a unit, valid UTF-8 without NUL in every column, and a row number past the header;
 * rows + rejected = order rows; the model's scores are probabilities summing to at most 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotline/hotline_csv.h"
#include "hotline/hotline_suggest.h"
#include "platform/http.h"

/* Release builds drop assert(); a fuzz invariant must hold in every build. */
#define CHECK(x) ((x) ? (void)0 : (fprintf(stderr, "invariant failed: %s\n", #x), abort()))

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

typedef struct {
	uint64_t digest; /* of everything the callbacks saw, in order */
	size_t rows, errors;
	hotline_sample_t samples[64];
	char *texts[64];
	size_t nsamples;
	bool keep;
} seen_t;

static void mix(seen_t *s, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		s->digest = (s->digest ^ b[i]) * 1099511628211ULL;
}

static int on_row(void *ctx, const hotline_csv_row_t *r)
{
	seen_t *s = ctx;
	CHECK(r->row >= 2);
	CHECK(r->len[HOTLINE_CSV_TEXT] > 0);
	CHECK(r->len[HOTLINE_CSV_MATTER] > 0 || r->len[HOTLINE_CSV_UNIT] > 0);
	for (int c = 0; c < HOTLINE_CSV_NCOL; c++) {
		CHECK(strlen(r->col[c]) == r->len[c]);
		CHECK(utf8_valid(r->col[c], r->len[c]));
		mix(s, r->col[c], r->len[c] + 1);
	}
	mix(s, &r->row, sizeof r->row);
	mix(s, &r->created_at, sizeof r->created_at);
	s->rows++;
	if (s->keep && s->nsamples < 64) {
		char *t = strdup(r->col[HOTLINE_CSV_TEXT]);
		s->texts[s->nsamples] = t;
		s->samples[s->nsamples] = (hotline_sample_t){t, strlen(t), r->len[HOTLINE_CSV_MATTER] ? 1 + (int64_t)(r->row % 5) : 0,
							     r->len[HOTLINE_CSV_UNIT] ? 1 + (int64_t)(r->row % 3) : 0};
		s->nsamples++;
	}
	return 0;
}

static void on_error(void *ctx, size_t row, const char *column, const char *reason)
{
	seen_t *s = ctx;
	CHECK(row >= 1);
	CHECK(reason && utf8_valid(reason, strlen(reason)));
	mix(s, &row, sizeof row);
	if (column)
		mix(s, column, strlen(column));
	mix(s, reason, strlen(reason));
	s->errors++;
}

static int run(const unsigned char *data, size_t size, size_t piece, seen_t *s, hotline_csv_stats_t *st)
{
	hotline_csv_t *p = hotline_csv_new(on_row, on_error, s);
	int rc = 0;
	for (size_t off = 0; off < size && rc == 0; off += piece) {
		size_t n = size - off < piece ? size - off : piece;
		rc = hotline_csv_feed(p, (const char *)data + off, n);
	}
	if (rc == 0)
		rc = hotline_csv_finish(p);
	hotline_csv_stats(p, st);
	hotline_csv_free(p);
	return rc;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t piece = 1 + data[0] % 7;
	data++, size--;
	seen_t a = {.keep = true}, b = {0};
	hotline_csv_stats_t sa, sb;
	int ra = run(data, size, size ? size : 1, &a, &sa);
	int rb = run(data, size, piece, &b, &sb);
	CHECK(ra == rb);
	CHECK(a.digest == b.digest);
	CHECK(a.rows == b.rows && a.errors == b.errors);
	CHECK(sa.accepted == a.rows);
	CHECK(sa.accepted + sa.rejected == sa.rows);
	if (a.nsamples > 0) {
		hotline_model_t *m;
		CHECK(hotline_model_train(a.samples, a.nsamples, NULL, &m) == 0);
		for (size_t i = 0; i < a.nsamples; i++) {
			hotline_guess_t gm[3], gu[3];
			size_t nm, nu;
			hotline_model_suggest(m, a.samples[i].text, a.samples[i].len, 3, NULL, NULL, gm, &nm, gu, &nu);
			double sum = 0;
			for (size_t j = 0; j < nm; j++) {
				CHECK(gm[j].score > 0 && gm[j].score <= 1);
				sum += gm[j].score;
			}
			for (size_t j = 0; j < nu; j++)
				CHECK(gu[j].score > 0 && gu[j].score <= 1);
			CHECK(sum <= 1.0 + 1e-9);
		}
		hotline_model_unref(m);
	}
	for (size_t i = 0; i < a.nsamples; i++)
		free(a.texts[i]);
	return 0;
}
