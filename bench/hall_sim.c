/* A simulated day of a 30-window hall (issue 4, "make bench"): how far the waiting estimate a
 * ticket shows (hall_estimate_wait over hall_service_mean, as the server computes it) is from
 * the wait each visitor then had. Visitors arrive from 9:00 to 16:30 at a rate that peaks in the
 * morning above the hall's capacity; service times are exponential around 6 minutes (at least
 * one); one queue, first come first served, every window open. Prints a Markdown section: the
 * mean absolute error in minutes, and its ratio to the error of always quoting the day's mean
 * wait (below 1: the estimate tells more than a constant). Deterministic (fixed seed).
 * Usage: bench_hall_sim [WINDOWS] [SEED] */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "hall/hall.h"

#define MAX_VISITORS 20000

static uint64_t rng_state;

static double uniform(void)
{
	/* xorshift64*: enough for a benchmark's randomness, and the same on every machine */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static double exponential(double mean)
{
	return -mean * log(1.0 - uniform());
}

/* Arrivals per minute at minute m after 9:00: a morning peak above capacity, a lunch dip. */
static double rate(int windows, double m)
{
	double capacity = windows / 6.0;
	if (m < 30)
		return capacity * 0.8;
	if (m < 120)
		return capacity * 1.25;
	if (m < 180)
		return capacity * 0.9;
	if (m < 270)
		return capacity * 0.5;
	return capacity * 0.85;
}

static double arrive[MAX_VISITORS], start[MAX_VISITORS], finish[MAX_VISITORS];

int main(int argc, char **argv)
{
	int windows = argc > 1 ? atoi(argv[1]) : 30;
	rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 20260601;
	if (windows < 1 || windows > 200 || !rng_state) {
		fprintf(stderr, "usage: bench_hall_sim [WINDOWS 1-200] [SEED > 0]\n");
		return 2;
	}
	/* arrivals (thinning would be exact; stepping by the current rate is close enough here) */
	int n = 0;
	for (double t = 0; n < MAX_VISITORS;) {
		t += exponential(1.0 / rate(windows, t));
		if (t >= 450)
			break;
		arrive[n++] = t;
	}
	/* first come, first served on the earliest free window */
	double *free_at = calloc((size_t)windows, sizeof *free_at);
	for (int i = 0; i < n; i++) {
		int w = 0;
		for (int k = 1; k < windows; k++)
			if (free_at[k] < free_at[w])
				w = k;
		start[i] = arrive[i] > free_at[w] ? arrive[i] : free_at[w];
		double s = exponential(6.0);
		finish[i] = start[i] + (s < 1 ? 1 : s);
		free_at[w] = finish[i];
	}
	free(free_at);
	/* what the ticket said: people ahead, the mean of the services finished by then */
	double abs_err = 0, sum_wait = 0, max_err = 0;
	for (int i = 0; i < n; i++) {
		int64_t ahead = 0;
		for (int j = 0; j < i; j++)
			ahead += start[j] > arrive[i];
		/* the last HALL_SERVICE_SAMPLES services finished before arrive[i], newest first (insertion into a
		 * short sorted list) */
		int top[HALL_SERVICE_SAMPLES];
		size_t k = 0;
		for (int j = 0; j < i; j++) {
			if (finish[j] > arrive[i] || (k == HALL_SERVICE_SAMPLES && finish[j] <= finish[top[k - 1]]))
				continue;
			size_t at = k < HALL_SERVICE_SAMPLES ? k++ : HALL_SERVICE_SAMPLES - 1;
			while (at > 0 && finish[top[at - 1]] < finish[j]) {
				top[at] = top[at - 1];
				at--;
			}
			top[at] = j;
		}
		int64_t secs[HALL_SERVICE_SAMPLES];
		for (size_t a = 0; a < k; a++)
			secs[a] = (int64_t)llround((finish[top[a]] - start[top[a]]) * 60);
		double mean = hall_service_mean(secs, k, HALL_SERVICE_ALPHA, 360);
		double est = (double)hall_estimate_wait(ahead + 1, mean, windows) / 60.0;
		double wait = start[i] - arrive[i];
		double e = fabs(est - wait);
		abs_err += e;
		max_err = e > max_err ? e : max_err;
		sum_wait += wait;
	}
	double mean_wait = sum_wait / n, const_err = 0;
	for (int i = 0; i < n; i++)
		const_err += fabs(mean_wait - (start[i] - arrive[i]));
	double mae = abs_err / n, const_mae = const_err / n;
	printf("## Waiting estimate over a simulated day (bench/hall_sim.c)\n");
	printf("| measure | value |\n|---|---|\n");
	printf("| windows / visitors | %d / %d |\n", windows, n);
	printf("| mean actual wait | %.1f min |\n", mean_wait);
	printf("| mean absolute error of the ticket's estimate | %.2f min (largest %.1f min) |\n", mae, max_err);
	printf("| mean absolute error of quoting the day's mean wait | %.2f min |\n", const_mae);
	printf("\nestimate error / constant-guess error = **%.2f** (below 1: the estimate is informative)\n",
	       const_mae > 0 ? mae / const_mae : 0.0);
	return 0;
}
