/*
 * cli-demo.c -- "shopdesk --demo": the embedded demo store.
 *
 * Starts the reference store (shopdesk-store beside this binary, else on
 * PATH) on a random loopback port with seeded data and live activity, in a
 * private temporary directory holding its token files, a profile and a
 * cache; syncs; and runs the given command, or opens the console on a
 * terminal (an overview otherwise). Everything
 * is removed again at the end.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ui/console.h"
#include "ui/i18n.h"
#include "util/xmalloc.h"

static pid_t demo_pid = -1;

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static char *
find_store_binary(void)
{
	char self[PATH_MAX], *dir, *p;
	ssize_t n;

	if ((p = getenv("SHOPDESK_STORE")) != NULL && access(p, X_OK) == 0)
		return xstrdup(p);
	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) > 0) {
		self[n] = '\0';
		dir = dirname(self);
		p = xasprintf("%s/shopdesk-store", dir);
		if (access(p, X_OK) == 0)
			return p;
		free(p);
	}
	return xstrdup("shopdesk-store");
}

/* Start the store; returns its port or -1. */
static int
start_store(const char *dir)
{
	char *bin = find_store_binary(), *portfile, *tokdir, *logfile, buf[32];
	const char *orders = getenv("SHOPDESK_DEMO_ORDERS");
	int fd, port = -1, i;
	FILE *f;

	portfile = xasprintf("%s/port", dir);
	tokdir = xasprintf("%s/tokens", dir);
	logfile = xasprintf("%s/store.log", dir);
	if ((demo_pid = fork()) == -1) {
		cli_error("demo", _("fork: %s"), strerror(errno));
		goto out;
	}
	if (demo_pid == 0) {
		if ((fd = open(logfile, O_WRONLY | O_CREAT | O_TRUNC, 0600)) != -1) {
			dup2(fd, STDERR_FILENO);
			dup2(fd, STDOUT_FILENO);
			close(fd);
		}
		execlp(bin, bin, "--port", "0", "--port-file", portfile, "--token-dir", tokdir,
		    "--orders", orders != NULL ? orders : "5000", "--live", "2", "--quiet",
		    (char *)NULL);
		fprintf(stderr, _("cannot run %s: %s\n"), bin, strerror(errno));
		_exit(127);
	}
	/* Wait for the port file (seeding takes a moment). */
	for (i = 0; i < 1200 && port == -1; i++) {
		int status;
		struct timespec ts = { 0, 50 * 1000000L };

		if (waitpid(demo_pid, &status, WNOHANG) == demo_pid) {
			demo_pid = -1;
			cli_error("demo", _("the demo store (%s) failed to start; see %s"), bin, logfile);
			break;
		}
		if ((f = fopen(portfile, "r")) != NULL) {
			if (fgets(buf, sizeof buf, f) != NULL)
				port = atoi(buf);
			fclose(f);
		}
		if (port <= 0) {
			port = -1;
			nanosleep(&ts, NULL);
		}
	}
	if (port == -1 && demo_pid != -1)
		cli_error("demo", _("the demo store did not start within 60 s; see %s"), logfile);
out:
	free(bin);
	free(portfile);
	free(tokdir);
	free(logfile);
	return port;
}

static void
stop_store(void)
{
	if (demo_pid > 0) {
		kill(demo_pid, SIGTERM);
		waitpid(demo_pid, NULL, 0);
	}
	demo_pid = -1;
}

static enum sd_status
run(struct cli *cli, const char *title, int argc, char **argv)
{
	enum sd_status st;

	if (title != NULL) {
		printf("\n== %s\n", title);
		fflush(stdout);
	}
	st = cli_dispatch(cli, argc, argv);
	fflush(stdout);
	return st;
}

int
cli_demo(struct cli *cli, int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR");
	char *dir, *conf, *line = NULL;
	enum sd_status st = SD_OK;
	size_t cap = 0;
	int port;
	FILE *f;

	dir = xasprintf("%s/shopdesk-demo.XXXXXX", tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		cli_error("demo", _("cannot create a directory in %s: %s"), tmp ? tmp : "/tmp",
		    strerror(errno));
		free(dir);
		return status_exit_code(SD_EFAIL);
	}
	fprintf(stderr, _("starting the demo store (seeding data)...\n"));
	if ((port = start_store(dir)) == -1) {
		st = SD_EFAIL;
		goto out;
	}
	conf = xasprintf("%s/config", dir);
	if ((f = fopen(conf, "w")) == NULL) {
		cli_error("demo", _("cannot write %s"), conf);
		free(conf);
		st = SD_EFAIL;
		goto out;
	}
	fprintf(f, "profile = demo\n[demo]\nurl = http://127.0.0.1:%d\n"
	    "token-file = %s/tokens/admin.token\ncache = %s/cache.db\nhistory = %s/history\n",
	    port, dir, dir, dir);
	fclose(f);
	cli->config_file = conf;
	cli->profile = "demo";
	unsetenv("SHOPDESK_TOKEN");
	unsetenv("SHOPDESK_URL");
	unsetenv("SHOPDESK_PROFILE");

	{
		char *sync_args[] = { "sync", "--quiet", NULL };

		if ((st = run(cli, argc == 0 ? "sync with the demo store" : NULL,
		    argc == 0 ? 1 : 2, sync_args)) != SD_OK)
			goto out_conf;
	}
	if (argc > 0)
		st = run(cli, NULL, argc, argv);
	else if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		/* On a terminal: the console, on the demo store. */
		if ((st = cli_need_cache(cli)) == SD_OK && console_main(&cli->conf, cli->cache) != 0)
			st = SD_EFAIL;
	} else {
		char *a1[] = { "status", NULL };
		char *a2[] = { "orders", "list", "--status", "awaiting_shipment", "--limit", "8", NULL };
		char *a3[] = { "chats", "list", "--waiting", "--limit", "6", NULL };
		char *a4[] = { "tickets", "list", "--limit", "6", NULL };
		char *a5[] = { "stock", "list", "--low", "--limit", "6", NULL };
		char *a6[] = { "orders", "list", "张", "--limit", "5", NULL };

		run(cli, "what the cache holds", 1, a1);
		run(cli, "orders awaiting shipment", 6, a2);
		run(cli, "customers waiting in chat", 5, a3);
		run(cli, "after-sales tickets by SLA urgency", 4, a4);
		run(cli, "low stock", 5, a5);
		run(cli, "search: orders list 张", 5, a6);
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
			printf(_("\nThe demo store is running at http://127.0.0.1:%d with live activity.\n"
			    "In another terminal:  shopdesk --config %s sync && "
			    "shopdesk --config %s orders list\n"
			    "Press Enter to stop it and remove %s.\n"), port, conf, conf, dir);
			fflush(stdout);
			if (getline(&line, &cap, stdin) < 0)
				clearerr(stdin);
			free(line);
		}
	}
out_conf:
	cli_done(cli);
	free(conf);
out:
	stop_store();
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
	return status_exit_code(st);
}
