/*
 * cli-misc.c -- token, configuration, identity, digest and agent figures.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "columns.h"
#include "kpi.h"
#include "ui/i18n.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

/*
 * Read a token from standard input (without echo on a terminal) and write it
 * to the profile's token file with mode 0600. The token never touches argv.
 */
enum sd_status
cli_cmd_token_set(struct cli *cli, int argc, char **argv)
{
	struct termios old, quiet;
	char line[600], *cause = NULL, *t, *e;
	enum sd_status st;
	int tty = isatty(STDIN_FILENO);

	if (argc != 1) {
		fprintf(stderr, _("usage: shopdesk token set   (the token is read from standard input)\n"));
		return SD_EUSAGE;
	}
	if ((st = cli_need_config(cli)) != SD_OK)
		return st;
	if (cli->conf.token_file == NULL) {
		cli_error("token", _("profile %s has no token-file"), cli->conf.profile);
		return SD_ECONFIG;
	}
	if (tty) {
		fprintf(stderr, _("token for profile %s: "), cli->conf.profile);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	t = fgets(line, sizeof line, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (t == NULL) {
		cli_error("token", _("no token on standard input"));
		return SD_EUSAGE;
	}
	t[strcspn(t, "\r\n")] = '\0';
	while (*t == ' ' || *t == '\t')
		t++;
	for (e = t + strlen(t); e > t && (e[-1] == ' ' || e[-1] == '\t'); e--)
		*--e = '\0';
	if (*t == '\0' || strlen(t) > 512) {
		cli_error("token", _("the token must be 1 to 512 characters"));
		return SD_EUSAGE;
	}
	if (config_write_secret_file(cli->conf.token_file, t, &cause) != 0) {
		cli_error("token", "%s", cause);
		free(cause);
		explicit_bzero(line, sizeof line);
		return SD_ECONFIG;
	}
	explicit_bzero(line, sizeof line);
	fprintf(stderr, _("token saved to %s (mode 0600)\n"), cli->conf.token_file);
	return SD_OK;
}

enum sd_status
cli_cmd_config_show(struct cli *cli, int argc, char **argv)
{
	enum sd_status st;
	char *v;
	int i;

	if (argc != 1) {
		fprintf(stderr, _("usage: shopdesk config show\n"));
		return SD_EUSAGE;
	}
	if ((st = cli_need_config(cli)) != SD_OK)
		return st;
	printf("# file %s\n[%s]\n", cli->conf.file, cli->conf.profile);
	for (i = 0; config_options[i].name != NULL; i++) {
		v = config_get_text(&cli->conf, config_options[i].name);
		printf("%s = %s\n", config_options[i].name, v);
		free(v);
	}
	printf("# token: %s\n", getenv("SHOPDESK_TOKEN") != NULL ?
	    "from SHOPDESK_TOKEN" : "from token-file");
	return SD_OK;
}

enum sd_status
cli_cmd_whoami(struct cli *cli, int argc, char **argv)
{
	enum sd_status st;
	cJSON *me = NULL;
	char *cause = NULL, *s;

	if (argc != 1) {
		fprintf(stderr, _("usage: shopdesk whoami\n"));
		return SD_EUSAGE;
	}
	if ((st = cli_need_backend(cli)) != SD_OK)
		return st;
	if ((st = cli->backend->ops->whoami(cli->backend, &me, &cause)) != SD_OK) {
		cli_error("whoami", "%s", cause);
		free(cause);
		return st;
	}
	s = text_sanitize(json_str(me, "name") != NULL ? json_str(me, "name") : "?", 0);
	printf(_("%s (%s, %s, role %s) at %s\n"), s,
	    json_str(me, "login") != NULL ? json_str(me, "login") : "?",
	    json_str(me, "id") != NULL ? json_str(me, "id") : "?",
	    json_str(me, "role") != NULL ? json_str(me, "role") : "?", cli->conf.url);
	free(s);
	cJSON_Delete(me);
	return SD_OK;
}

enum sd_status
cli_cmd_cache_digest(struct cli *cli, int argc, char **argv)
{
	enum sd_status st;
	char hex[65], *cause = NULL;
	long count = 0;

	if ((st = cli_need_cache(cli)) != SD_OK)
		return st;
	if (cache_digest(cli->cache, hex, &count, &cause) != 0) {
		cli_error("cache", "%s", cause);
		free(cause);
		return SD_ECACHE;
	}
	printf("{\"count\":%ld,\"sha256\":\"%s\"}\n", count, hex);
	return SD_OK;
}

/*
 * "agent stats [LOGIN]": one agent's figures for today from the cache (kpi.h),
 * by default the profile's own user (the token's, as the last sync recorded).
 */
const struct cli_option cli_opts_agent_stats[] = {
	{ "format", required_argument, 'f', 0, "text|json", "|text|json",
	  N_("output format (default text)") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

enum sd_status
cli_cmd_agent_stats(struct cli *cli, int argc, char **argv)
{
	struct kpi_agent a;
	enum sd_status st;
	const char *who = NULL;
	char *me = NULL, *cause = NULL, since[32], *name;
	time_t now = time(NULL), midnight;
	int ch, json = 0, rc;

	optind = 0;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, "", cli_longopts(cli_opts_agent_stats), NULL)) != -1) {
		if (ch != 'f' || (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)) {
			if (ch == 'f')
				cli_error("agent stats", _("unknown format '%s' (text or json)"),
				    cli_clip(optarg));
			else
				fprintf(stderr, _("usage: shopdesk agent stats [LOGIN] [--format text|json]\n"));
			return SD_EUSAGE;
		}
		json = strcmp(optarg, "json") == 0;
	}
	if (optind < argc)
		who = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, _("usage: shopdesk agent stats [LOGIN] [--format text|json]\n"));
		return SD_EUSAGE;
	}
	if ((st = cli_need_cache(cli)) != SD_OK)
		return st;
	if (who == NULL && (who = me = cache_state_get(cli->cache, "me.login")) == NULL) {
		cli_error("agent stats", _("the cache does not know who you are yet: run "
		    "'shopdesk sync', or name the agent (shopdesk agent stats LOGIN)"));
		return SD_EUSAGE;
	}
	if ((rc = kpi_agent_read(cli->cache, who, now, &a, &cause)) != 0) {
		cli_error("agent stats", "%s", cause);
		free(cause);
		free(me);
		return rc == 1 ? SD_EUSAGE : SD_ECACHE;
	}
	/* Today as the dashboard counts it: from local midnight. */
	midnight = time_day_start(now, 0);
	time_format_local(midnight, "%Y-%m-%dT%H:%M:%S%z", since, sizeof since);
	if (json) {
		struct buf b;

		buf_init(&b);
		buf_adds(&b, "{\"agent\":{\"id\":");
		buf_add_json_string(&b, a.id);
		buf_adds(&b, ",\"login\":");
		buf_add_json_string(&b, a.login);
		buf_adds(&b, ",\"name\":");
		if (a.name != NULL)
			buf_add_json_string(&b, a.name);
		else
			buf_adds(&b, "null");
		buf_addf(&b, "},\"since\":\"%s\",\"chats\":%ld,\"first_responses\":%ld,"
		    "\"first_response_avg_s\":", since, a.chats, a.responses);
		if (a.responses > 0)
			buf_addf(&b, "%lld", a.response_secs / a.responses);
		else
			buf_adds(&b, "null");
		buf_addf(&b, ",\"first_responses_within_30s\":%ld,\"tickets_breached\":%ld,"
		    "\"tickets_breached_open\":%ld}", a.within_30s, a.breached, a.breached_open);
		printf("%s\n", buf_str(&b));
		buf_done(&b);
	} else {
		struct buf d;

		buf_init(&d);
		name = a.name != NULL ? text_sanitize(a.name, 0) : NULL;
		printf(_("agent            %s (%s%s%s)\n"), a.login, name != NULL ? name : "",
		    name != NULL ? ", " : "", a.id);
		printf(_("today            since %s\n"), since);
		printf(_("chats handled    %ld\n"), a.chats);
		if (a.responses > 0) {
			columns_format_duration(a.response_secs / a.responses, &d);
			printf(_("first response   %s on average over %ld, %ld%% within 30 s"
			    " (%ld)\n"), buf_str(&d), a.responses,
			    a.within_30s * 100 / a.responses, a.within_30s);
		} else
			printf(_("first response   none today\n"));
		printf(_("tickets breached %ld, %ld still open\n"), a.breached, a.breached_open);
		free(name);
		buf_done(&d);
	}
	kpi_agent_done(&a);
	free(me);
	return SD_OK;
}
