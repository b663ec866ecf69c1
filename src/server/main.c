/*
 * main.c -- shopdesk-store, the reference Store API v1 server.
 *
 * Parses the options, opens (and if empty seeds) the store, writes the token
 * files and the port file, starts the HTTP server and the live-activity
 * thread, then waits for SIGINT or SIGTERM with the signals blocked in every
 * other thread, and shuts down cleanly.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "server/faults.h"
#include "server/http.h"
#include "server/seed.h"
#include "server/store.h"
#include "util/buf.h"
#include "util/crash.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define DEFAULT_PORT	8470
#define MAX_ORDERS	100000000L
#define MAX_LIVE	10000.0
#define PEM_MAX		(1024 * 1024)

/* The live-activity thread. */
struct live {
	struct store	*store;
	double		 rate;		/* steps per second */
	uint64_t	 rng;
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;		/* signalled to stop */
	int		 stop;
};

enum {
	OPT_PORT_FILE = 256,
	OPT_DB,
	OPT_ORDERS,
	OPT_LIVE,
	OPT_FAULTS,
	OPT_TOKEN_DIR,
	OPT_RATE,
	OPT_BURST,
	OPT_REQUIRE_SIGNING,
	OPT_NOW,
	OPT_GZIP_LEVEL,
	OPT_TLS_CERT,
	OPT_TLS_KEY,
	OPT_TIMEZONE
};

static const struct option long_options[] = {
	{ "port", required_argument, NULL, 'p' },
	{ "listen", required_argument, NULL, 'l' },
	{ "port-file", required_argument, NULL, OPT_PORT_FILE },
	{ "db", required_argument, NULL, OPT_DB },
	{ "seed", required_argument, NULL, 's' },
	{ "orders", required_argument, NULL, OPT_ORDERS },
	{ "live", required_argument, NULL, OPT_LIVE },
	{ "faults", required_argument, NULL, OPT_FAULTS },
	{ "token-dir", required_argument, NULL, OPT_TOKEN_DIR },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "burst", required_argument, NULL, OPT_BURST },
	{ "require-signing", no_argument, NULL, OPT_REQUIRE_SIGNING },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "timezone", required_argument, NULL, OPT_TIMEZONE },
	{ "gzip-level", required_argument, NULL, OPT_GZIP_LEVEL },
	{ "tls-cert", required_argument, NULL, OPT_TLS_CERT },
	{ "tls-key", required_argument, NULL, OPT_TLS_KEY },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: shopdesk-store [options]\n"
"  -p, --port N           TCP port (default %d; 0 picks a free one)\n"
"  -l, --listen ADDR      address to bind (default 127.0.0.1)\n"
"      --port-file FILE   write the bound port to FILE once listening\n"
"      --db PATH          SQLite database (default: in memory)\n"
"  -s, --seed N           seed for the generated data (default 1)\n"
"      --orders N         orders to generate in an empty store (default 2000)\n"
"      --now TIME         seed data as of this RFC 3339 time (default: now)\n"
"      --timezone ZONE    the store's time zone (default Asia/Shanghai)\n"
"      --live RATE        simulated customer events per second (default 0: off)\n"
"      --faults SPEC      inject faults, e.g. latency=200ms,5xx=0.1,drop=0.02\n"
"      --token-dir DIR    write each user's token to DIR/LOGIN.token\n"
"      --rate N           requests per second per token (default 200; 0: no limit)\n"
"      --burst N          rate-limit bucket size (default 400)\n"
"      --require-signing  refuse requests without a valid signature\n"
"      --gzip-level N     gzip level of answers, 1-9 (default %d; 0: never)\n"
"      --tls-cert FILE    serve HTTPS with this PEM certificate (chain)\n"
"      --tls-key FILE     the PEM private key of --tls-cert\n"
"  -q, --quiet            print nothing but errors\n"
"  -v, --verbose          log one line per request to stderr\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n", DEFAULT_PORT, HTTP_GZIP_LEVEL);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("shopdesk-store: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(try shopdesk-store --help)\n", stderr);
	exit(2);
}

static long long
parse_int(const char *opt, const char *v, long long min, long long max)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < min || n > max)
		usage_error("--%s: expected an integer from %lld to %lld, not \"%s\"",
		    opt, min, max, v);
	return n;
}

static double
parse_double(const char *opt, const char *v, double min, double max)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (*v == '\0' || *end != '\0' || errno != 0 || !isfinite(d) || d < min ||
	    d > max)
		usage_error("--%s: expected a number from %g to %g, not \"%s\"", opt,
		    min, max, v);
	return d;
}

/* Write text to path through a temporary file and rename; -1 with errno. */
static int
write_atomic(const char *path, const char *text, mode_t mode)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	size_t len = strlen(text), off = 0;
	ssize_t n;
	int fd, saved;

	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)) == -1)
		goto fail;
	if (fchmod(fd, mode) == -1)
		goto fail_fd;
	while (off < len) {
		if ((n = write(fd, text + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail_fd;
		}
		off += (size_t)n;
	}
	if (close(fd) == -1)
		goto fail_unlink;
	if (rename(tmp, path) == -1)
		goto fail_unlink;
	free(tmp);
	return 0;

fail_fd:
	saved = errno;
	close(fd);
	errno = saved;
fail_unlink:
	saved = errno;
	unlink(tmp);
	errno = saved;
fail:
	saved = errno;
	free(tmp);
	errno = saved;
	return -1;
}

/* DIR/<login>.token (0600) for every user and DIR/users.tsv. */
static void
write_tokens(struct store *s, const char *dir)
{
	const struct store_user *u;
	struct buf tsv;
	char *path, *text;
	int i;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "shopdesk-store: cannot create %s: %s\n", dir,
		    strerror(errno));
		exit(1);
	}
	buf_init(&tsv);
	for (i = 0; (u = store_user_at(s, i)) != NULL; i++) {
		path = xasprintf("%s/%s.token", dir, u->login);
		text = xasprintf("%s\n", u->token);
		if (write_atomic(path, text, 0600) == -1) {
			fprintf(stderr, "shopdesk-store: cannot write %s: %s\n", path,
			    strerror(errno));
			exit(1);
		}
		explicit_bzero(text, strlen(text));
		free(text);
		free(path);
		buf_addf(&tsv, "%s\t%s\t%s\n", u->login, role_name(u->role), u->id);
	}
	path = xasprintf("%s/users.tsv", dir);
	if (write_atomic(path, tsv.data != NULL ? tsv.data : "", 0600) == -1) {
		fprintf(stderr, "shopdesk-store: cannot write %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
	free(path);
	buf_done(&tsv);
}

static long long
count_objects(struct store *s)
{
	sqlite3_stmt *st;
	long long n = 0;

	store_lock(s);
	if (sqlite3_prepare_v2(store_db(s), "SELECT COUNT(*) FROM objects"
	    " WHERE deleted = 0", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	store_unlock(s);
	return n;
}

/* Run seed_live_step() rate times a second until told to stop. */
static void *
live_main(void *arg)
{
	struct live *l = arg;
	struct timespec next;
	double interval = 1.0 / l->rate;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &next);
	pthread_mutex_lock(&l->lock);
	while (!l->stop) {
		ns = (long long)(interval * 1e9);
		next.tv_sec += ns / 1000000000LL;
		next.tv_nsec += ns % 1000000000LL;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		while (!l->stop &&
		    pthread_cond_timedwait(&l->cond, &l->lock, &next) != ETIMEDOUT)
			;
		if (l->stop)
			break;
		pthread_mutex_unlock(&l->lock);
		seed_live_step(l->store, &l->rng);
		pthread_mutex_lock(&l->lock);
	}
	pthread_mutex_unlock(&l->lock);
	return NULL;
}

static void
live_start(struct live *l)
{
	pthread_condattr_t ca;

	if (pthread_mutex_init(&l->lock, NULL) != 0 ||
	    pthread_condattr_init(&ca) != 0 ||
	    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&l->cond, &ca) != 0)
		fatal("live: cannot initialise locks");
	pthread_condattr_destroy(&ca);
	if (pthread_create(&l->thread, NULL, live_main, l) != 0)
		fatal("live: cannot start thread");
}

static void
live_stop(struct live *l)
{
	pthread_mutex_lock(&l->lock);
	l->stop = 1;
	pthread_cond_signal(&l->cond);
	pthread_mutex_unlock(&l->lock);
	pthread_join(l->thread, NULL);
	pthread_cond_destroy(&l->cond);
	pthread_mutex_destroy(&l->lock);
}

/* The PEM texts of --tls-cert and --tls-key: kept for the store's life. */
static char *tls_cert, *tls_key;

/* The whole of a PEM file given to option opt, or exit 2 saying why not. */
static char *
read_pem(const char *opt, const char *path)
{
	FILE *fp;
	char *text;
	size_t n;

	if ((fp = fopen(path, "r")) == NULL)
		usage_error("--%s: cannot open %s: %s", opt, path, strerror(errno));
	text = xmalloc(PEM_MAX + 1);
	n = fread(text, 1, PEM_MAX + 1, fp);
	if (ferror(fp))
		usage_error("--%s: cannot read %s: %s", opt, path, strerror(errno));
	fclose(fp);
	if (n > PEM_MAX)
		usage_error("--%s: %s is larger than %d bytes; is it a PEM file?",
		    opt, path, PEM_MAX);
	text[n] = '\0';
	if (strlen(text) != n || strstr(text, "-----BEGIN ") == NULL)
		usage_error("--%s: %s is not a PEM file (no \"-----BEGIN\" line)",
		    opt, path);
	return text;
}

int
main(int argc, char **argv)
{
	struct http_opts hopts;
	struct seed_opts sopts;
	struct store *s;
	struct faults *f;
	struct http *h;
	struct live live;
	struct in6_addr addr;
	sigset_t set;
	const char *db = NULL, *port_file = NULL, *token_dir = NULL;
	const char *fault_spec = NULL;
	char *cause = NULL, *text;
	double live_rate = 0;
	int ch, sig;
	time_t seed_now = 0;
	const char *zone = NULL;

	memset(&hopts, 0, sizeof hopts);
	hopts.listen = "127.0.0.1";
	hopts.port = DEFAULT_PORT;
	hopts.rate = 200;
	hopts.burst = 400;
	memset(&sopts, 0, sizeof sopts);
	sopts.seed = 1;
	sopts.orders = 2000;

	while ((ch = getopt_long(argc, argv, "p:l:s:qvhV", long_options, NULL)) != -1) {
		switch (ch) {
		case 'p':
			hopts.port = (int)parse_int("port", optarg, 0, 65535);
			break;
		case 'l':
			hopts.listen = optarg;
			break;
		case OPT_PORT_FILE:
			port_file = optarg;
			break;
		case OPT_DB:
			db = optarg;
			break;
		case 's':
			sopts.seed = (uint64_t)parse_int("seed", optarg, 0, LLONG_MAX);
			break;
		case OPT_TIMEZONE:
			zone = optarg;
			break;
		case OPT_NOW:
			if (time_parse_rfc3339(optarg, &seed_now) != 0)
				usage_error("--now: '%s' is not an RFC 3339 time like "
				    "2026-11-22T08:00:00Z", optarg);
			break;
		case OPT_ORDERS:
			sopts.orders = (long)parse_int("orders", optarg, 0, MAX_ORDERS);
			break;
		case OPT_LIVE:
			live_rate = parse_double("live", optarg, 0, MAX_LIVE);
			break;
		case OPT_FAULTS:
			fault_spec = optarg;
			break;
		case OPT_TOKEN_DIR:
			token_dir = optarg;
			break;
		case OPT_RATE:
			hopts.rate = parse_double("rate", optarg, 0, 1e9);
			break;
		case OPT_BURST:
			hopts.burst = (double)parse_int("burst", optarg, 1, 1000000000);
			break;
		case OPT_REQUIRE_SIGNING:
			hopts.require_signing = 1;
			break;
		case OPT_TLS_CERT:
			free(tls_cert);
			tls_cert = read_pem("tls-cert", optarg);
			break;
		case OPT_TLS_KEY:
			free(tls_key);
			tls_key = read_pem("tls-key", optarg);
			break;
		case OPT_GZIP_LEVEL:
			hopts.gzip_level = (int)parse_int("gzip-level", optarg, 0, 9);
			if (hopts.gzip_level == 0)
				hopts.gzip_level = -1;
			break;
		case 'q':
			hopts.quiet = 1;
			break;
		case 'v':
			hopts.verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("shopdesk-store %s\n", PACKAGE_VERSION);
			return 0;
		default:
			fputs("(try shopdesk-store --help)\n", stderr);
			return 2;
		}
	}
	if (optind != argc)
		usage_error("unexpected argument \"%s\"", argv[optind]);
	/* The store's clock (GET /v1/store): set before any thread runs. */
	if (zone == NULL)
		zone = time_zone_check("Asia/Shanghai", &cause) == 0 ? "Asia/Shanghai" : "+08:00";
	free(cause);
	cause = NULL;
	if (time_zone_set(zone, &cause) != 0)
		usage_error("--timezone: %s", cause);
	if (hopts.quiet && hopts.verbose)
		usage_error("--quiet and --verbose do not go together");
	if ((tls_cert == NULL) != (tls_key == NULL))
		usage_error("--tls-cert and --tls-key go together");
	hopts.tls_cert = tls_cert;
	hopts.tls_key = tls_key;
	if (crash_check_env(&cause) != 0)
		usage_error("%s", cause);
	sopts.quiet = hopts.quiet;

	if (inet_pton(AF_INET, hopts.listen, &addr) != 1 &&
	    inet_pton(AF_INET6, hopts.listen, &addr) != 1)
		usage_error("--listen: \"%s\" is not a numeric IPv4 or IPv6 address",
		    hopts.listen);

	f = faults_new();
	if (fault_spec != NULL && faults_set(f, fault_spec, &cause) != 0)
		usage_error("--faults: %s", cause);

	/* Every thread started from here on inherits the blocked signals. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((s = store_open(db, &cause)) == NULL) {
		fprintf(stderr, "shopdesk-store: %s\n", cause);
		return 1;
	}
	if (store_head(s) == 0 && store_user_count(s) == 0) {
		sopts.now = seed_now != 0 ? seed_now : store_now(s);
		if (seed_store(s, &sopts, &cause) != 0) {
			fprintf(stderr, "shopdesk-store: cannot seed the store: %s\n",
			    cause);
			store_free(&s);
			return 1;
		}
	}
	if (token_dir != NULL)
		write_tokens(s, token_dir);

	if (strcmp(hopts.listen, "127.0.0.1") != 0 && strcmp(hopts.listen, "::1") != 0)
		fprintf(stderr, "shopdesk-store: warning: listening on %s, not on "
		    "loopback: anyone who can reach it and knows a token can use "
		    "this store\n", hopts.listen);
	if ((h = http_start(s, f, &hopts, &cause)) == NULL) {
		fprintf(stderr, "shopdesk-store: %s\n", cause);
		free(cause);
		faults_free(&f);
		store_free(&s);
		return 1;
	}
	if (port_file != NULL) {
		text = xasprintf("%d\n", http_port(h));
		if (write_atomic(port_file, text, 0644) == -1) {
			fprintf(stderr, "shopdesk-store: cannot write %s: %s\n",
			    port_file, strerror(errno));
			http_stop(&h);
			store_free(&s);
			return 1;
		}
		free(text);
	}

	memset(&live, 0, sizeof live);
	if (live_rate > 0) {
		live.store = s;
		live.rate = live_rate;
		live.rng = sopts.seed ^ 0x5eedf00dcafeULL;
		live_start(&live);
	}

	if (!hopts.quiet) {
		fprintf(stderr, "shopdesk-store: listening on %s://%s%s%s:%d "
		    "(%lld objects, seed %llu)\n", tls_cert != NULL ? "https" :
		    "http", strchr(hopts.listen, ':') ? "[" : "",
		    hopts.listen, strchr(hopts.listen, ':') ? "]" : "", http_port(h),
		    count_objects(s), (unsigned long long)sopts.seed);
	}

	for (;;) {
		if (sigwait(&set, &sig) == 0 && (sig == SIGINT || sig == SIGTERM))
			break;
	}
	if (!hopts.quiet)
		fprintf(stderr, "shopdesk-store: shutting down\n");

	if (live_rate > 0)
		live_stop(&live);
	http_stop(&h);
	store_free(&s);
	faults_free(&f);
	if (tls_key != NULL)
		explicit_bzero(tls_key, strlen(tls_key));
	free(tls_key);
	free(tls_cert);
	return 0;
}
