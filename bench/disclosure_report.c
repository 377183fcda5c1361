/* The annual report's computation over a generated year (docs/benchmarks.md, "Disclosure annual report"):
 * N requests (default 100,000) received over the report's year and the one before, every applicant type
 * and result, 2,000 documents and 500 reconsiderations and suits. Times disclosure_report_build (tables,
 * checks, narrative) and the XLSX, the median of the runs.
 *   build/bench_disclosure_report [N] [runs] [--json] [--xlsx PATH] */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "disclosure/disclosure_report.h"

static uint64_t seed = 12345;
static uint32_t rnd(uint32_t n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(seed >> 33) % n;
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	size_t n = 100000;
	int runs = 21;
	bool dump = false;
	const char *xlsx = NULL;
	int pos = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			dump = true;
		else if (strcmp(argv[i], "--xlsx") == 0 && i + 1 < argc)
			xlsx = argv[++i];
		else if (pos++ == 0)
			n = (size_t)strtoul(argv[i], NULL, 10);
		else
			runs = atoi(argv[i]);
	}
	if (runs < 1)
		runs = 1;
	const int year = 2025;
	const yw_date_t start = date_from_ymd(year - 1, 1, 1), end = date_from_ymd(year, 12, 31);
	drep_request_t *reqs = calloc(n, sizeof *reqs);
	for (size_t i = 0; i < n; i++) {
		drep_request_t *r = &reqs[i];
		r->received = start + (yw_date_t)rnd((uint32_t)(end - start + 1));
		r->applicant = (uint8_t)(rnd(10) < 6 ? DREP_PERSON : rnd(DREP_APPLICANT_N));
		r->result = (uint8_t)(rnd(2) ? DREP_PUBLIC : rnd(DREP_RESULT_N));
		/* most are replied to within about 30 days; some stay open */
		if (rnd(50))
			r->decided = r->received + (yw_date_t)rnd(45);
		r->late = rnd(100) == 0;
	}
	static drep_document_t docs[2000];
	for (size_t i = 0; i < 2000; i++) {
		drep_document_t *d = &docs[i];
		d->made = date_from_ymd(2010, 1, 1) + (yw_date_t)rnd((uint32_t)(end - date_from_ymd(2010, 1, 1)));
		d->published = d->made + (yw_date_t)rnd(5);
		d->kind = (uint8_t)rnd(DREP_DOC_KIND_N);
		if (rnd(4) == 0) {
			d->ended = d->made + 1 + (yw_date_t)rnd(2000);
			d->validity = (uint8_t)(rnd(2) ? DREP_REPEALED : DREP_EXPIRED);
		}
	}
	static drep_remedy_t rems[500];
	for (size_t i = 0; i < 500; i++) {
		drep_remedy_t *m = &rems[i];
		m->filed = start + (yw_date_t)rnd((uint32_t)(end - start + 1));
		m->stage = (uint8_t)rnd(DREP_STAGE_N);
		m->outcome = (uint8_t)rnd(DREP_OUTCOME_N);
		if (m->outcome != DREP_PENDING)
			m->closed = m->filed + 30 + (yw_date_t)rnd(200);
	}
	drep_input_t in = {.organ = "某市人民政府",
			   .year = year,
			   .requests = reqs,
			   .n_requests = n,
			   .documents = docs,
			   .n_documents = 2000,
			   .remedies = rems,
			   .n_remedies = 500,
			   .licenses = 182345,
			   .penalties = 9321,
			   .coercions = 412,
			   .fees_fen = 123456789,
			   .fee_notices = 3,
			   .fee_notice_fen = 45000,
			   .fee_paid_fen = 30000};
	double *t = calloc((size_t)runs, sizeof *t);
	json_t *rep = NULL;
	for (int k = 0; k < runs; k++) {
		double t0 = now_ms();
		drep_prev_t prev;
		drep_prev_compute(&in, &prev);
		in.prev = &prev;
		json_decref(rep);
		if (disclosure_report_build(&in, &rep) != 0) {
			fprintf(stderr, "build failed\n");
			return 1;
		}
		char *s = json_dumps(rep, JSON_COMPACT);
		free(s);
		t[k] = now_ms() - t0;
	}
	qsort(t, (size_t)runs, sizeof *t, cmp);
	double x0 = now_ms();
	int xrc = disclosure_report_write_xlsx(rep, xlsx ? xlsx : "/tmp/yw-bench-report.xlsx");
	double xt = now_ms() - x0;
	if (!xlsx)
		remove("/tmp/yw-bench-report.xlsx");
	if (dump) {
		json_dumpf(rep, stdout, JSON_INDENT(1));
		putchar('\n');
	}
	size_t bad = 0;
	for (size_t i = 0; i < json_array_size(json_object_get(rep, "checks")); i++)
		bad += !json_is_true(json_object_get(json_array_get(json_object_get(rep, "checks"), i), "ok"));
	fprintf(stderr,
		"disclosure report: %zu requests, %d runs: last year's figures + build + JSON text median %.2f ms, "
		"min %.2f, max %.2f; XLSX %.2f ms (rc %d); checks failed: %zu\n",
		n, runs, t[runs / 2], t[0], t[runs - 1], xt, xrc, bad);
	json_decref(rep);
	free(t);
	free(reqs);
	return bad || xrc ? 1 : 0;
}
