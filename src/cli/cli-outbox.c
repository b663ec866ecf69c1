/*
 * cli-outbox.c -- "shopdesk outbox list|show|retry|drop|resolve": the
 * actions saved locally and not yet applied by the store, with their state
 * and reason, and what a person does about a conflict or a refusal.
 *
 * Everything the store sent (its reasons, its current object in a conflict,
 * its answer to an applied action) is untrusted text: it is masked like the
 * rest of the CLI's output and sanitised for the terminal, or escaped in
 * JSON.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "cli/cli-format.h"
#include "cli/cli.h"
#include "outbox.h"
#include "ui/i18n.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

cJSON *
cli_outbox_object(const struct outbox_entry *e, const char *json)
{
	cJSON *obj, *inner;

	if (json == NULL || (obj = cJSON_Parse(json)) == NULL)
		return NULL;
	/* A sent message is answered with {"message":..,"conversation":..}. */
	if ((inner = cJSON_GetObjectItemCaseSensitive(obj, "conversation")) != NULL)
		model_mask_object(KIND_CONVERSATION, inner);
	else
		model_mask_object(e->kind, obj);
	return obj;
}

/* A JSON value for a person: strings as they are, the rest as JSON; sanitised. */
static void
value_text(const cJSON *v, struct buf *out)
{
	char *s;

	if (v == NULL) {
		buf_adds(out, "(none)");
		return;
	}
	if (cJSON_IsString(v)) {
		text_sanitize_buf(v->valuestring, 0, out);
		return;
	}
	s = json_print(v);
	text_sanitize_buf(s, 0, out);
	free(s);
}

void
cli_outbox_print_sides(FILE *f, const struct outbox_entry *e)
{
	cJSON *mine = e->patch != NULL ? cJSON_Parse(e->patch) : NULL;
	cJSON *theirs = cli_outbox_object(e, e->theirs);
	const cJSON *m;
	struct buf line, v;

	if (mine == NULL)
		mine = e->body != NULL ? cJSON_Parse(e->body) : NULL;
	fprintf(f, "  %-22s %-28s %s\n", "", "YOURS",
	    theirs != NULL ? "THE STORE'S NOW" : "THE STORE'S (not known)");
	if (theirs != NULL)
		fprintf(f, "  %-22s %-28lld %lld\n", "version", e->base_version,
		    json_int(theirs, "version", 0));
	buf_init(&line);
	buf_init(&v);
	cJSON_ArrayForEach(m, mine) {
		/* One member a line: its name, your value, the store's value. */
		buf_reset(&line);
		buf_reset(&v);
		text_sanitize_buf(m->string, 0, &v);
		text_fit(buf_str(&v), 22, 1, &line);
		buf_adds(&line, " ");
		buf_reset(&v);
		value_text(m, &v);
		text_fit(buf_str(&v), 28, 1, &line);
		buf_adds(&line, " ");
		if (theirs != NULL)
			value_text(cJSON_GetObjectItemCaseSensitive(theirs, m->string), &line);
		fprintf(f, "  %s\n", buf_str(&line));
	}
	buf_done(&line);
	buf_done(&v);
	cJSON_Delete(mine);
	cJSON_Delete(theirs);
}

/* "#12" or "12" into *id; usage error otherwise. */
static enum sd_status
parse_id(const char *what, const char *s, int64_t *id)
{
	char *end;
	long long n;

	n = strtoll(s + (*s == '#'), &end, 10);
	if (*end != '\0' || n < 1 || end == s + (*s == '#')) {
		cli_error(what, _("bad entry number '%s' (as 'shopdesk outbox list' shows: 12 or #12)"),
		    cli_clip(s));
		return SD_EUSAGE;
	}
	*id = n;
	return SD_OK;
}

/* "4m", "2h05m", "3d": how long ago an RFC 3339 time was. */
static void
age_text(const char *at, struct buf *out)
{
	time_t t;
	long long s;

	if (at == NULL || time_parse_rfc3339(at, &t) != 0) {
		buf_adds(out, "?");
		return;
	}
	s = (long long)(time(NULL) - t);
	if (s < 60)
		buf_addf(out, "%llds", s < 0 ? 0 : s);
	else if (s < 3600)
		buf_addf(out, "%lldm", s / 60);
	else if (s < 86400)
		buf_addf(out, "%lldh%02lldm", s / 3600, s / 60 % 60);
	else
		buf_addf(out, "%lldd", s / 86400);
}

/* Parse an entry's JSON member text into o[key], masked when it is an object. */
static void
json_member(cJSON *o, const char *key, const struct outbox_entry *e, const char *text, int mask)
{
	cJSON *v;

	if (text == NULL) {
		json_set_null(o, key);
		return;
	}
	v = mask ? cli_outbox_object(e, text) : cJSON_Parse(text);
	json_set(o, key, v != NULL ? v : cJSON_CreateString(text));
}

static cJSON *
entry_object(const struct outbox_entry *e, const char *state)
{
	cJSON *o = cJSON_CreateObject();

	json_set_int(o, "id", e->id);
	json_set_str(o, "state", state);
	json_set_str(o, "kind", kind_info(e->kind)->name);
	json_set_str(o, "object_id", e->object_id);
	json_set_str(o, "action", e->action);
	json_set_str(o, "method", e->method);
	json_set_str(o, "path_action", e->path_action);
	json_set_str(o, "summary", e->summary);
	json_set_str(o, "created_at", e->created_at);
	json_set_int(o, "attempts", e->attempts);
	json_set_str(o, "reason", e->reason);
	if (e->http_status != 0)
		json_set_int(o, "http_status", e->http_status);
	else
		json_set_null(o, "http_status");
	json_set_str(o, "key", e->key);
	if (e->base_version >= 0)
		json_set_int(o, "base_version", e->base_version);
	else
		json_set_null(o, "base_version");
	json_member(o, "body", e, e->body, 0);
	json_member(o, "patch", e, e->patch, 0);
	json_member(o, "theirs", e, e->theirs, 1);
	json_member(o, "result", e, e->result, 1);
	return o;
}

static void
print_json(const cJSON *o, const char *sep)
{
	char *s = json_print(o);
	struct buf b;

	buf_init(&b);
	cli_json_safe(s, &b);
	printf("%s%s", sep, buf_str(&b));
	buf_done(&b);
	free(s);
}

struct list_state {
	int		 format;
	int		 n;
};

static int
on_entry(void *arg, const struct outbox_entry *e)
{
	struct list_state *ls = arg;
	struct buf line, cell;
	cJSON *o;

	if (ls->format == FORMAT_JSON) {
		o = entry_object(e, outbox_state_name(e->state));
		print_json(o, ls->n++ == 0 ? "[\n" : ",\n");
		cJSON_Delete(o);
		return 0;
	}
	if (ls->n++ == 0) {
		static const int w[] = { -6, -9, -6, -5, -44, 0 };
		static const char *const h[] = { N_("ID"), N_("STATE"), N_("AGE"), N_("TRIES"),
			N_("SUMMARY"), N_("REASON") };

		cli_print_header(stdout, " ", w, h, 6);
	}
	buf_init(&line);
	buf_init(&cell);
	buf_addf(&line, "%-6lld %-9s ", (long long)e->id, outbox_state_name(e->state));
	age_text(e->created_at, &cell);
	buf_addf(&line, "%-6s %-5d ", buf_str(&cell), e->attempts);
	buf_reset(&cell);
	text_sanitize_buf(e->summary != NULL ? e->summary : "", 0, &cell);
	text_fit(buf_str(&cell), 44, 1, &line);
	buf_adds(&line, " ");
	if (e->reason != NULL)
		text_sanitize_buf(e->reason, 0, &line);
	printf("%s\n", buf_str(&line));
	buf_done(&line);
	buf_done(&cell);
	return 0;
}

const struct cli_option cli_opts_outbox_list[] = {
	{ "state", required_argument, 's', 0, "STATE[,STATE]", "outbox-state",
	  N_("only entries in these states (queued, sending, conflict, failed)") },
	{ "format", required_argument, 'f', 0, "table|json", "|table|json",
	  N_("output format (default table)") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

enum sd_status
cli_cmd_outbox_list(struct cli *cli, int argc, char **argv)
{
	const struct option *longopts = cli_longopts(cli_opts_outbox_list);
	struct list_state ls;
	enum sd_status st;
	unsigned states = 0;
	char *copy, *tok, *save = NULL, *cause = NULL;
	int ch, s;

	memset(&ls, 0, sizeof ls);
	ls.format = FORMAT_TABLE;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			copy = xstrdup(optarg);
			for (tok = strtok_r(copy, ",", &save); tok != NULL;
			    tok = strtok_r(NULL, ",", &save)) {
				for (s = 0; s < OUTBOX__COUNT; s++)
					if (strcmp(outbox_state_name((enum outbox_state)s), tok) == 0)
						break;
				if (s == OUTBOX__COUNT) {
					cli_error("outbox list", _("unknown state '%s' (queued, sending, "
					    "conflict or failed)"), cli_clip(tok));
					free(copy);
					return SD_EUSAGE;
				}
				states |= 1u << s;
			}
			free(copy);
			break;
		case 'f':
			if ((ls.format = cli_parse_format(optarg)) == -1 || ls.format == FORMAT_CSV) {
				cli_error("outbox list", _("unknown format '%s' (table or json)"),
				    cli_clip(optarg));
				return SD_EUSAGE;
			}
			break;
		default:
			fprintf(stderr, _("usage: shopdesk outbox list [--state STATE[,STATE]] "
			    "[--format table|json]\n"));
			return SD_EUSAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, _("usage: shopdesk outbox list [--state STATE[,STATE]] "
		    "[--format table|json]\n"));
		return SD_EUSAGE;
	}
	if ((st = cli_need_cache(cli)) != SD_OK)
		return st;
	if (outbox_list(cli->cache, states, on_entry, &ls, &cause) != 0) {
		cli_error("outbox list", "%s", cause);
		free(cause);
		return SD_ECACHE;
	}
	if (ls.format == FORMAT_JSON)
		fputs(ls.n == 0 ? "[]\n" : "\n]\n", stdout);
	else if (ls.n == 0)
		printf(_("the outbox is empty%s\n"), states != 0 ? _(" in those states") : "");
	return SD_OK;
}

/* Look entry id up in the outbox, then in the log; 1 pending, 2 logged, 0/-1 reported. */
static int
find_entry(struct cli *cli, const char *what, int64_t id, struct outbox_entry *e)
{
	char *cause = NULL;
	int rc;

	if ((rc = outbox_get(cli->cache, id, e, &cause)) == 0 &&
	    (rc = outbox_applied(cli->cache, id, e, &cause)) == 1)
		rc = 2;
	if (rc == 0)
		cli_error(what, _("no entry #%lld in the outbox (see 'shopdesk outbox list')"),
		    (long long)id);
	else if (rc < 0) {
		cli_error(what, "%s", cause);
		free(cause);
	}
	return rc;
}

/* One "name  value" line of show, the name (a msgid) translated, the value sanitised. */
static void
show_line(const char *name, const char *value)
{
	char *clean = text_sanitize(value != NULL ? value : "-", 0);
	const char *t = _(name);
	int pad = 10 - text_width(t);

	printf("%s%*s %s\n", t, pad > 0 ? pad : 0, "", clean);
	free(clean);
}

const struct cli_option cli_opts_outbox_show[] = {
	{ "format", required_argument, 'f', 0, "text|json", "|text|json",
	  N_("output format (default text)") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

enum sd_status
cli_cmd_outbox_show(struct cli *cli, int argc, char **argv)
{
	struct outbox_entry e;
	enum sd_status st;
	int64_t id;
	int rc, format = FORMAT_TABLE, created, ch;
	const char *state;
	char *path, *s;
	cJSON *o;

	optind = 0;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, "", cli_longopts(cli_opts_outbox_show), NULL)) != -1) {
		if (ch != 'f')
			break;
		if ((format = cli_parse_format(optarg)) == -1 || format == FORMAT_CSV) {
			cli_error("outbox show", _("unknown format '%s' (text or json)"),
			    cli_clip(optarg));
			return SD_EUSAGE;
		}
	}
	if (ch != -1 || optind != argc - 1) {
		fprintf(stderr, _("usage: shopdesk outbox show ID [--format text|json]\n"));
		return SD_EUSAGE;
	}
	if ((st = parse_id("outbox show", argv[optind], &id)) != SD_OK ||
	    (st = cli_need_cache(cli)) != SD_OK)
		return st;
	if ((rc = find_entry(cli, "outbox show", id, &e)) <= 0)
		return rc == 0 ? SD_ENOTFOUND : SD_ECACHE;
	state = rc == 2 ? (e.reason != NULL && strncmp(e.reason, "dropped", 7) == 0 ?
	    "dropped" : e.reason != NULL && strncmp(e.reason, OUTBOX_TO_FINANCE,
	    strlen(OUTBOX_TO_FINANCE)) == 0 ? "sent_to_finance" : "applied") :
	    outbox_state_name(e.state);
	if (format == FORMAT_JSON) {
		o = entry_object(&e, state);
		print_json(o, "");
		putchar('\n');
		cJSON_Delete(o);
		outbox_entry_done(&e);
		return SD_OK;
	}
	s = xasprintf("#%lld (%s)", (long long)e.id, state);
	show_line(N_("entry"), s);
	free(s);
	show_line(N_("summary"), e.summary);
	created = e.action != NULL && strcmp(e.action, "create") == 0;
	path = xasprintf("/v1/%s%s%s%s%s", kind_info(e.kind)->path,
	    e.object_id && !created ? "/" : "", e.object_id && !created ? e.object_id : "",
	    e.path_action ? "/" : "", e.path_action ? e.path_action : "");
	s = xasprintf("%s %s", e.method, path);
	show_line(N_("request"), s);
	free(s);
	free(path);
	if (e.base_version >= 0) {
		s = xasprintf("%lld", e.base_version);
		show_line(N_("if-match"), s);
		free(s);
	}
	show_line(N_("key"), e.key);
	show_line(N_("created"), e.created_at);
	s = e.http_status ? xasprintf(_("%d (last answer HTTP %d)"), e.attempts, e.http_status) :
	    xasprintf("%d", e.attempts);
	show_line(N_("attempts"), s);
	free(s);
	if (rc == 1 && e.state == OUTBOX_QUEUED && e.next_at > time(NULL)) {
		s = xasprintf(_("in %llds"), (long long)(e.next_at - time(NULL)));
		show_line(N_("next try"), s);
		free(s);
	}
	show_line(N_("reason"), e.reason);
	show_line(N_("body"), e.body);
	show_line(N_("patch"), e.patch);
	if (e.theirs != NULL) {
		printf("%s:\n", e.state == OUTBOX_CONFLICT && rc == 1 ?
		    _("conflict, yours against the store's") : _("yours against the store's"));
		cli_outbox_print_sides(stdout, &e);
		if ((o = cli_outbox_object(&e, e.theirs)) != NULL) {
			printf(_("the store's %s now:\n"), kind_info(e.kind)->name);
			cli_print_object(stdout, e.kind, o);
			cJSON_Delete(o);
		}
		if (rc == 1 && e.state == OUTBOX_CONFLICT)
			printf(_("decide with 'shopdesk outbox resolve %lld --mine' or '--theirs'\n"),
			    (long long)e.id);
	}
	if (e.result != NULL && (o = cli_outbox_object(&e, e.result)) != NULL) {
		printf(_("the store's answer:\n"));
		cli_print_object(stdout, e.kind, o);
		cJSON_Delete(o);
	}
	outbox_entry_done(&e);
	return SD_OK;
}

/* The entry of "outbox VERB ID" that is still in the outbox, or a status. */
static enum sd_status
pending_entry(struct cli *cli, const char *what, const char *arg, struct outbox_entry *e)
{
	enum sd_status st;
	int64_t id;
	int rc;

	if ((st = parse_id(what, arg, &id)) != SD_OK || (st = cli_need_cache(cli)) != SD_OK)
		return st;
	if ((rc = find_entry(cli, what, id, e)) <= 0)
		return rc == 0 ? SD_ENOTFOUND : SD_ECACHE;
	if (rc == 2) {
		cli_error(what, _("entry #%lld is no longer in the outbox: %s"), (long long)id,
		    e->reason != NULL ? e->reason : "applied");
		outbox_entry_done(e);
		return SD_ENOTFOUND;
	}
	return SD_OK;
}

/* Run fn on the entry; report its failure. */
static enum sd_status
outbox_do(struct cli *cli, const char *what, const struct outbox_entry *e,
    int (*fn)(struct cache *, int64_t, char **))
{
	char *cause = NULL;

	if (fn(cli->cache, e->id, &cause) != 0) {
		cli_error(what, "%s", cause != NULL ? cause : "failed");
		free(cause);
		return SD_EUSAGE;
	}
	return SD_OK;
}

enum sd_status
cli_cmd_outbox_retry(struct cli *cli, int argc, char **argv)
{
	struct outbox_entry e;
	enum sd_status st;

	if (argc != 2) {
		fprintf(stderr, _("usage: shopdesk outbox retry ID\n"));
		return SD_EUSAGE;
	}
	if ((st = pending_entry(cli, "outbox retry", argv[1], &e)) != SD_OK)
		return st;
	if (e.state == OUTBOX_QUEUED || e.state == OUTBOX_SENDING) {
		cli_error("outbox retry", _("entry #%lld is %s already; the next sync sends it"),
		    (long long)e.id, outbox_state_name(e.state));
		st = SD_EUSAGE;
	} else if ((st = outbox_do(cli, "outbox retry", &e, outbox_retry)) == SD_OK)
		printf(_("requeued #%lld: %s; it will be sent at the next sync\n"), (long long)e.id,
		    e.summary);
	outbox_entry_done(&e);
	return st;
}

enum sd_status
cli_cmd_outbox_drop(struct cli *cli, int argc, char **argv)
{
	struct outbox_entry e;
	enum sd_status st;

	if (argc != 2) {
		fprintf(stderr, _("usage: shopdesk outbox drop ID\n"));
		return SD_EUSAGE;
	}
	if ((st = pending_entry(cli, "outbox drop", argv[1], &e)) != SD_OK)
		return st;
	if ((st = outbox_do(cli, "outbox drop", &e, outbox_drop)) == SD_OK)
		printf(_("dropped #%lld: %s%s\n"), (long long)e.id, e.summary, e.object_id != NULL ?
		    _("; your change is no longer shown") : "");
	outbox_entry_done(&e);
	return st;
}

const struct cli_option cli_opts_outbox_resolve[] = {
	{ "mine", no_argument, 'm', 0, NULL, NULL, N_("send your change again over the store's") },
	{ "theirs", no_argument, 't', 0, NULL, NULL, N_("keep the store's version, drop yours") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

enum sd_status
cli_cmd_outbox_resolve(struct cli *cli, int argc, char **argv)
{
	const struct option *longopts = cli_longopts(cli_opts_outbox_resolve);
	struct outbox_entry e;
	enum sd_status st;
	char *cause = NULL;
	int ch, how = -1;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'm' && ch != 't') {
			how = -2;
			break;
		}
		how = how == -1 ? (ch == 'm' ? OUTBOX_MINE : OUTBOX_THEIRS) : -2;
	}
	if (how < 0 || optind + 1 != argc) {
		fprintf(stderr, _("usage: shopdesk outbox resolve ID --mine|--theirs\n"));
		return SD_EUSAGE;
	}
	if ((st = pending_entry(cli, "outbox resolve", argv[optind], &e)) != SD_OK)
		return st;
	if (e.state != OUTBOX_CONFLICT) {
		cli_error("outbox resolve", _("entry #%lld is %s, not in conflict%s"), (long long)e.id,
		    outbox_state_name(e.state), e.state == OUTBOX_FAILED ?
		    _(" ('shopdesk outbox retry' or 'drop' it)") : "");
		outbox_entry_done(&e);
		return SD_EUSAGE;
	}
	if (outbox_resolve(cli->cache, e.id, (enum outbox_resolution)how, &cause) != 0) {
		cli_error("outbox resolve", "%s", cause);
		free(cause);
		outbox_entry_done(&e);
		return SD_EUSAGE;
	}
	if (how == OUTBOX_MINE)
		printf(_("resolved #%lld with yours: %s will be sent again against the store's "
		    "current version at the next sync\n"), (long long)e.id, e.summary);
	else
		printf(_("resolved #%lld with the store's: dropped %s\n"), (long long)e.id, e.summary);
	outbox_entry_done(&e);
	return SD_OK;
}
