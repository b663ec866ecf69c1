/*
 * bench-dash.c -- the Dashboard's first frame, timed in process (make bench;
 * tests/bench/bench-dashboard.sh runs it).
 *
 *   bench-dash PROFILE RUNS
 *
 * Each run does what "shopdesk --profile PROFILE" does up to its first
 * frame, without the process start and without a store: load the profile,
 * open its cache (clock_apply as the CLI does), then console_main() on a
 * virtual 80x24 screen (the script mode's newterm on /dev/null, with an
 * empty script, so it quits right after that frame). The console's
 * benchmark hook (SHOPDESK_BENCH, ui/app.c) notes the first frame's time
 * from SHOPDESK_BENCH_T0, which the driver takes just before loading the
 * profile. Each run opens the cache afresh (a new SQLite connection, its
 * page cache cold; the file is in the system's cache after the first run).
 * Prints one line a run: "open_us frame_us cpu_us kpi_us kpicpu_us": the
 * cache opened and the first frame sent (wall clock, from the start), the
 * CPU time the process used from the start to the console's end (a bound
 * of the frame's that a loaded machine does not inflate; the console quits
 * right after the frame), and the Dashboard's figures alone (kpi_read again
 * on the open cache), wall clock and CPU time, to see where the time goes.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "clock.h"
#include "conf.h"
#include "kpi.h"
#include "ui/console.h"

static long long
bench_clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long
bench_now_ns(void)
{
	return bench_clock_ns(CLOCK_REALTIME);
}

/* The first frame's microseconds from the hook's file, or -1. */
static long long
bench_first_frame(const char *path)
{
	char line[256];
	long long us = -1;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "first-frame frame %lld", &us) == 1)
			break;
	fclose(f);
	return us;
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/sdbenchdash.XXXXXX", script[64], hook[64], t0[32];
	struct config conf;
	struct cache *cache;
	struct kpi k;
	char *cause = NULL;
	long long start, cpu, opened, a, ca, frame;
	int runs, r, rc = 0;
	FILE *f;

	if (argc != 3 || (runs = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: bench-dash PROFILE RUNS\n");
		return 2;
	}
	setlocale(LC_ALL, "");
	if (mkdtemp(dir) == NULL) {
		perror("bench-dash: mkdtemp");
		return 1;
	}
	snprintf(script, sizeof script, "%s/script", dir);
	snprintf(hook, sizeof hook, "%s/frames", dir);
	if ((f = fopen(script, "w")) == NULL) {
		perror(script);
		return 1;
	}
	fclose(f);		/* no keys: the first frame, then the end */
	setenv("SHOPDESK_SCRIPT", script, 1);
	setenv("SHOPDESK_BENCH", hook, 1);
	setenv("LINES", "24", 1);
	setenv("COLUMNS", "80", 1);
	for (r = 0; r < runs && rc == 0; r++) {
		memset(&conf, 0, sizeof conf);
		cpu = bench_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
		start = bench_now_ns();
		snprintf(t0, sizeof t0, "%lld", start);
		setenv("SHOPDESK_BENCH_T0", t0, 1);
		if (config_load(&conf, NULL, argv[1], &cause) != 0 ||
		    (cache = cache_open(conf.cache, &cause)) == NULL ||
		    clock_apply(cache, conf.timezone, &cause) != 0) {
			fprintf(stderr, "bench-dash: %s\n", cause);
			free(cause);
			config_done(&conf);
			rc = 1;
			break;
		}
		opened = bench_now_ns();
		/* The cache only, as a console without a store shows it. */
		free(conf.url);
		conf.url = NULL;
		if (console_main(&conf, cache) != 0) {
			fprintf(stderr, "bench-dash: the console failed\n");
			rc = 1;
		}
		cpu = bench_clock_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu;
		frame = bench_first_frame(hook);
		a = bench_now_ns();
		ca = bench_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
		if (kpi_read(cache, time(NULL), &k, &cause) != 0) {
			fprintf(stderr, "bench-dash: %s\n", cause);
			free(cause);
			rc = 1;
		}
		printf("%lld %lld %lld %lld %lld\n", (opened - start) / 1000, frame, cpu / 1000,
		    (bench_now_ns() - a) / 1000,
		    (bench_clock_ns(CLOCK_PROCESS_CPUTIME_ID) - ca) / 1000);
		fflush(stdout);
		cache_close(&cache);
		config_done(&conf);
	}
	unlink(script);
	unlink(hook);
	rmdir(dir);
	return rc;
}
