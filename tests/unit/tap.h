/*
 * tap.h -- a minimal Test Anything Protocol producer for the unit tests.
 *
 * ok(cond, fmt, ...) prints "ok N - ..." or "not ok N - ..." with the file and
 * line of a failure; done_testing() prints the plan and returns the exit code.
 */
#ifndef SD_TAP_H
#define SD_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static void tap_ok(int, const char *, int, const char *, ...)
    __attribute__((format(printf, 4, 5), unused));
static void
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
}

#define ok(cond, ...)	tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(a, b, name) do {						\
	const char *tap_a_ = (a), *tap_b_ = (b);			\
	int tap_c_ = tap_a_ != NULL && tap_b_ != NULL && strcmp(tap_a_, tap_b_) == 0; \
	ok(tap_c_, "%s", name);						\
	if (!tap_c_)							\
		printf("#   got '%s', expected '%s'\n",		\
		    tap_a_ ? tap_a_ : "(null)", tap_b_ ? tap_b_ : "(null)"); \
} while (0)
#define is_int(a, b, name) do {						\
	long long tap_a_ = (a), tap_b_ = (b);				\
	ok(tap_a_ == tap_b_, "%s", name);				\
	if (tap_a_ != tap_b_)						\
		printf("#   got %lld, expected %lld\n", tap_a_, tap_b_); \
} while (0)

static int done_testing(void) __attribute__((unused));
static int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif
