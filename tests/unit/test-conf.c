/*
 * test-conf.c -- configuration files, profiles, token files, URL safety.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend.h"
#include "conf.h"
#include "tap.h"
#include "util/xmalloc.h"

static char dir[] = "/tmp/sdconf.XXXXXX";

static char *
write_file(const char *name, const char *text, mode_t mode)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");

	fputs(text, f);
	fclose(f);
	chmod(p, mode);
	return p;
}

int
main(void)
{
	struct config c;
	struct backend *be;
	char *cause = NULL, *cf, *tf, *tf2, *text;

	if (mkdtemp(dir) == NULL)
		return 1;
	setenv("HOME", dir, 1);
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_DATA_HOME", dir, 1);
	unsetenv("SHOPDESK_TOKEN");
	unsetenv("SHOPDESK_PROFILE");
	unsetenv("SHOPDESK_CONFIG");
	unsetenv("SHOPDESK_URL");

	/* No file at all: defaults, profile "default". */
	ok(config_load(&c, NULL, NULL, &cause) == 0, "missing default file is fine");
	is_str(c.profile, "default", "default profile name");
	ok(c.cache != NULL && strstr(c.cache, "/shopdesk/default.db") != NULL,
	    "cache under XDG_DATA_HOME (%s)", c.cache);
	is_int(c.page_size, 1000, "page-size default");
	config_done(&c);

	tf = write_file("shop2.token", "sd_secret_token\n", 0600);
	tf2 = write_file("open.token", "sd_other\n", 0644);
	text = xasprintf("profile = shop2\nsign = yes\n\n[default]\n"
	    "url = http://127.0.0.1:1\n\n[shop2]\nurl = https://shop2.example.com\n"
	    "token-file = %s\npage-size = 200\n[leaky]\ntoken-file = %s\n", tf, tf2);
	cf = write_file("config", text, 0600);
	free(text);

	ok(config_load(&c, cf, NULL, &cause) == 0, "file with profiles loads");
	is_str(c.profile, "shop2", "file's default profile chosen");
	is_str(c.url, "https://shop2.example.com", "profile url");
	ok(c.sign == 1, "global key applies to the profile");
	is_int(c.page_size, 200, "profile int option");
	ok(config_load_token(&c, &cause) == 0, "0600 token file accepted");
	is_str(c.token, "sd_secret_token", "token read without newline");
	config_done(&c);

	ok(config_load(&c, cf, "leaky", &cause) == 0, "second profile loads");
	ok(config_load_token(&c, &cause) != 0, "0644 token file refused");
	ok(cause != NULL && strstr(cause, "chmod 600") != NULL, "error says how to fix (%s)",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	setenv("SHOPDESK_TOKEN", "from_env", 1);
	ok(config_load_token(&c, &cause) == 0 && strcmp(c.token, "from_env") == 0,
	    "SHOPDESK_TOKEN wins over the file");
	unsetenv("SHOPDESK_TOKEN");
	config_done(&c);

	ok(config_load(&c, cf, "nosuch", &cause) != 0, "unknown profile refused");
	ok(cause != NULL && strstr(cause, "nosuch") != NULL, "error names the profile");
	free(cause);
	cause = NULL;

	free(cf);
	cf = write_file("bad1", "[p]\nurl = x\ncolour = blue\n", 0600);
	ok(config_load(&c, cf, "p", &cause) != 0, "unknown key refused");
	ok(cause != NULL && strstr(cause, ":3:") != NULL && strstr(cause, "colour") != NULL,
	    "error has file, line and key (%s)", cause ? cause : "");
	free(cause);
	cause = NULL;
	free(cf);
	cf = write_file("bad2", "[p]\nsign = maybe\n", 0600);
	ok(config_load(&c, cf, "p", &cause) != 0 && strstr(cause, ":2:") != NULL,
	    "bad boolean refused with its line");
	free(cause);
	cause = NULL;
	free(cf);

	/*
	 * Every configuration error names the file, the line and the fix: the
	 * key meant, the values allowed, where a line belongs.
	 */
	{
		static const struct {
			const char	*text, *profile, *want[3];
		} bad[] = {
			{ "[p]\nurl = x\ntimeuot = 5\n", "p",
			    { ":3: unknown option 'timeuot' (did you mean 'timeout'?)",
			    "known: profile, url,", NULL } },
			{ "[p]\npagesize = 5\n", "p",
			    { ":2: unknown option 'pagesize' (did you mean 'page-size'?)", NULL } },
			{ "[p]\nzzzzqqq = 5\n", "p",
			    { ":2: unknown option 'zzzzqqq'; known: profile, url", NULL } },
			{ "[p]\nsign = maybe\n", "p",
			    { ":2: bad value 'maybe' for sign: expected yes or no", NULL } },
			{ "[p]\n\nbackend = medusaa\n", "p",
			    { ":3: bad value 'medusaa' for backend: did you mean 'medusa'?",
			    "one of: storeapi, medusa", NULL } },
			{ "[p]\nauth = password\n", "p",
			    { ":2: bad value 'password' for auth: expected one of: api-key, "
			    "emailpass, bearer", NULL } },
			{ "[p]\nrole = agnet\n", "p",
			    { ":2: bad value 'agnet' for role: did you mean 'agent'?", NULL } },
			{ "[p]\npage-size = 9000\n", "p",
			    { ":2: bad value '9000' for page-size: expected a whole number from 1 "
			    "to 5000", NULL } },
			{ "[p]\npoll-interval = 0\n", "p",
			    { ":2: bad value '0' for poll-interval: expected a whole number from "
			    "1 to 300", NULL } },
			{ "[p]\ntimeout = 10s\n", "p",
			    { ":2: bad value '10s' for timeout: expected a whole number", NULL } },
			{ "[p]\nprofile = p\n", "p",
			    { ":2: profile = NAME chooses the default profile: move it above the "
			    "first [section]", NULL } },
			{ "[p]\nurl\n", "p",
			    { ":2: expected 'key = value', got 'url' (put a # before it", NULL } },
			{ "[p]\n[q]\n", "shop",
			    { "no profile [shop] in ", "(its profiles: p, q); add a [shop] section "
			    "with url = ", NULL } },
			{ "sign = yes\n", "shop",
			    { "(it has no [sections]); add a [shop] section", NULL } },
		};
		size_t i, j;
		int good;

		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			cf = write_file("bad", bad[i].text, 0600);
			/* A line's error starts "FILE:LINE:", a missing profile's names FILE. */
			good = config_load(&c, cf, bad[i].profile, &cause) != 0 && cause != NULL &&
			    strstr(cause, cf) != NULL && (bad[i].want[0][0] != ':' ||
			    strncmp(cause, cf, strlen(cf)) == 0);
			for (j = 0; good && j < 3 && bad[i].want[j] != NULL; j++)
				good = strstr(cause, bad[i].want[j]) != NULL;
			ok(good, "config error %zu names file, line and fix (%s)", i,
			    cause != NULL ? cause : "accepted");
			free(cause);
			cause = NULL;
			free(cf);
		}
		cf = write_file("good", "[p]\nbackend = medusa\nauth = emailpass\n"
		    "role = agent\npage-size = 5000\npoll-interval = 300\nsign = off\n", 0600);
		ok(config_load(&c, cf, "p", &cause) == 0 && c.page_size == 5000 &&
		    c.poll_interval == 300 && strcmp(c.role, "agent") == 0,
		    "values at the edge of their range and in their set load");
		config_done(&c);
		free(cf);
		cf = write_file("ftp", "[p]\n# the store\nurl = ftp://store.example.com\n",
		    0600);
		ok(config_load(&c, cf, "p", &cause) == 0 && c.url_line == 3, "the url line is kept");
		c.token = xstrdup("t");
		be = backend_open(&c, &cause);
		text = xasprintf("%s:3: store url ftp://store.example.com: only http and https",
		    cf);
		ok(be == NULL && cause != NULL && strstr(cause, text) != NULL,
		    "a bad url names its file and line (%s)", cause ? cause : "");
		free(text);
		free(cause);
		cause = NULL;
		config_done(&c);
		free(cf);
		cf = NULL;
	}
	free(cause);
	cause = NULL;
	free(cf);

	/* conf_directory: a directory as the file was read as an empty file. */
	cf = xasprintf("%s/adir", dir);
	mkdir(cf, 0700);
	ok(config_load(&c, cf, "p", &cause) != 0 && strstr(cause, "is a directory") != NULL,
	    "a directory as the configuration is refused (%s)", cause ? cause : "");
	free(cause);
	cause = NULL;
	free(cf);

	/* conf_nul: a NUL byte was reported as "line too long". */
	cf = xasprintf("%s/nul", dir);
	{
		FILE *f = fopen(cf, "w");

		fwrite("[p]\nurl = http://127.0.0.1:1\nsign = n\0o\n", 1, 39, f);
		fclose(f);
	}
	ok(config_load(&c, cf, "p", &cause) != 0 && strstr(cause, ":3: NUL byte") != NULL,
	    "a NUL byte is named with its line (%s)", cause ? cause : "");
	free(cause);
	cause = NULL;
	free(cf);

	/* conf_repeated_section: the second [p] silently overrode the first's keys. */
	cf = write_file("dup", "[p]\nurl = http://127.0.0.1:1\n[q]\n[p]\nsign = yes\n", 0600);
	ok(config_load(&c, cf, "q", &cause) != 0 && strstr(cause, ":4: [p] again (first at "
	    "line 1)") != NULL, "a repeated section is refused with both lines (%s)",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	free(cf);

	/* cache_line: where an explicit cache path was set. */
	cf = write_file("cl", "[p]\nurl = http://127.0.0.1:1\n\ncache = /tmp/x.db\n", 0600);
	ok(config_load(&c, cf, "p", &cause) == 0 && c.cache_line == 4, "the cache line is kept");
	config_done(&c);
	free(cf);

	/* Plain http to a remote host is refused before any request is made. */
	cf = write_file("remote", "[r]\nurl = http://store.example.com\n", 0600);
	ok(config_load(&c, cf, "r", &cause) == 0, "remote http profile loads");
	c.token = xstrdup("t");
	be = backend_open(&c, &cause);
	ok(be == NULL && cause != NULL && strstr(cause, "plain http") != NULL,
	    "plain http to a remote host refused (%s)", cause ? cause : "");
	free(cause);
	cause = NULL;
	config_done(&c);
	free(cf);

	cf = write_file("local", "[l]\nurl = http://127.0.0.1:9\n", 0600);
	ok(config_load(&c, cf, "l", &cause) == 0, "loopback profile loads");
	c.token = xstrdup("t");
	be = backend_open(&c, &cause);
	ok(be != NULL, "plain http to loopback allowed");
	backend_free(&be);
	config_done(&c);
	free(cf);

	{
		struct stat st;
		char *p = xasprintf("%s/new/dir/x.token", dir);

		ok(config_write_secret_file(p, "abc", &cause) == 0,
		    "secret file written (directories created)");

		ok(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600, "secret file has mode 0600");
		free(p);
	}
	free(tf);
	free(tf2);
	{
		char *cmd = xasprintf("rm -rf %s", dir);

		if (system(cmd) != 0)
			ok(0, "cleanup");
		free(cmd);
	}
	return done_testing();
}
