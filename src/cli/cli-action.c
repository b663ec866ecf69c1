/*
 * cli-action.c -- "shopdesk NOUN ACTION [ID] [--options]": every write of
 * the action catalogue (src/action.h), and CSV batches of them.
 *
 * One handler serves every row: the action comes from the command's noun
 * and verb, its options, usage and help from the action's row. What was
 * typed is validated against the cache (action_prepare) before anything is
 * queued; the action is then committed to the outbox, fsync'd, and printed
 * ("queued #12: ship SO10000042 via SF SF1234567890"). With --wait it is
 * also pushed at once and the exit status says what became of it: 0
 * applied, 9 conflict, 10 refused, 11 still queued (offline).
 *
 * A CSV file (--from-csv) is read and validated whole first: if any line is
 * bad nothing is queued (unless --skip-bad), and every bad line is reported
 * with its number. Each good line is then its own outbox entry, all of them
 * queued in one durable transaction: every good line or, on a failure or an
 * interrupt, none.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "cli/cli-format.h"
#include "cli/cli.h"
#include "outbox.h"
#include "ui/i18n.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define FILE_MAX	(64 * 1024 * 1024)	/* largest CSV file read */
#define BODY_MAX	(64 * 1024)		/* largest --body - read */
#define WAIT_DEFAULT	30			/* seconds of --wait without a value */

/* What became of the entries of one command, for the exit status. */
struct fates {
	unsigned	 applied, conflicts, refused, queued;
	unsigned	 to_finance;	/* refunds the store sent to finance (also applied) */
};

/* The action of a command row: "ship" alone is orders ship. */
static const struct action_def *
command_action(const struct cli_command *c)
{
	return action_find(c->noun != NULL ? c->noun : "orders", c->verb);
}

const char *
cli_command_help(const struct cli_command *c)
{
	const struct action_def *d;

	/* In the user's language: the helps are msgids (N_ in main.c, action.c). */
	if (c->help != NULL)
		return *c->help != '\0' ? _(c->help) : "";
	if (c->noun == NULL && strcmp(c->verb, "ship") == 0)
		return _("ship an order, or a CSV file of them (orders ship)");
	d = command_action(c);
	return d != NULL && *d->help != '\0' ? _(d->help) : "";
}

const char *
cli_command_usage(const struct cli_command *c)
{
	static char *usage;
	const struct action_def *d;
	struct buf b;

	if (c->usage != NULL)
		return c->usage;
	free(usage);
	buf_init(&b);
	if ((d = command_action(c)) != NULL)
		action_usage(d, &b);
	if (d != NULL && (d->flags & ACTION_MONEY))
		buf_adds(&b, " [--yes]");
	buf_addf(&b, "%s[--wait[=SECONDS]] [--dry-run] [--format text|json]", b.len ? " " : "");
	if (d != NULL && !(d->flags & ACTION_CREATE))
		buf_adds(&b, "\n       or: --from-csv FILE [--skip-bad] [--wait[=SECONDS]] [--dry-run]");
	usage = buf_steal(&b);
	return usage;
}

enum { O_ARG = 256, O_WAIT, O_FORMAT, O_DRY_RUN, O_FROM_CSV, O_SKIP_BAD, O_HELP, O_YES };

/* The options every action takes, after its own (--from-csv and --skip-bad: not creates). */
static const struct cli_option action_common[] = {
	{ "wait", optional_argument, O_WAIT, 0, "SECONDS", NULL,
	  N_("send it now and wait for the store's answer (30 s)") },
	{ "format", required_argument, O_FORMAT, 0, "text|json", "|text|json",
	  N_("print the entry as text or JSON") },
	{ "dry-run", no_argument, O_DRY_RUN, 0, NULL, NULL,
	  N_("check it and show the request, queue nothing") },
	{ "from-csv", required_argument, O_FROM_CSV, 0, "FILE", "file",
	  N_("one action per line of a CSV file (- for standard input)") },
	{ "skip-bad", no_argument, O_SKIP_BAD, 0, NULL, NULL,
	  N_("queue the good lines of a file that has bad ones") },
	{ "yes", no_argument, O_YES, 0, NULL, NULL,
	  N_("queue without asking (only actions that move money ask)") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

/* Whether a common option applies to d: a create reads no CSV file. */
static int
action_common_applies(const struct action_def *d, const struct cli_option *o)
{
	return !(d->flags & ACTION_CREATE) ||
	    (strcmp(o->name, "from-csv") != 0 && strcmp(o->name, "skip-bad") != 0);
}

/* What an argument's value completes from (cli_option.values). */
static const char *
action_arg_values(const struct action_arg *a)
{
	switch (a->type) {
	case ARG_CARRIER: return "carrier";
	case ARG_USER: return "user";
	case ARG_ENUM: return "enum";
	default: return (a->flags & ARG_STDIN) ? "|-" : NULL;
	}
}

const struct cli_option *
cli_action_options(const struct cli_command *c)
{
	/* One table per action, built when first asked, kept to the end. */
	static struct cli_option **built;
	const struct action_def *d = command_action(c);
	const struct action_arg *a;
	const struct cli_option *o;
	struct cli_option *v;
	size_t n = 0, na = 0;

	if (d == NULL)
		fatal("cli_action_options: no action for %s", c->verb);
	if (built == NULL) {
		while (action_table[na].name != NULL)
			na++;
		built = xcalloc(na, sizeof *built);
	}
	if (built[d - action_table] != NULL)
		return built[d - action_table];
	v = xcalloc((size_t)action_arg_count(d) + sizeof action_common / sizeof action_common[0],
	    sizeof *v);
	for (a = d->args; a->flag != NULL; a++, n++) {
		v[n].name = a->flag;
		v[n].has_arg = a->type == ARG_BOOL ? no_argument : required_argument;
		v[n].val = O_ARG;
		v[n].arg = a->type == ARG_BOOL ? NULL : a->metavar;
		v[n].values = action_arg_values(a);
		v[n].help = a->help;
	}
	for (o = action_common; o->name != NULL; o++)
		if (action_common_applies(d, o))
			v[n++] = *o;
	built[d - action_table] = v;
	return v;
}

static int option_arg(const struct action_def *, const char *);

/* The values of an ARG_ENUM option of an action command, or NULL. */
const char *const *
cli_action_enum(const struct cli_command *c, const char *option)
{
	const struct action_def *d = command_action(c);
	int i;

	if (d == NULL || (i = option_arg(d, option)) < 0)
		return NULL;
	return d->args[i].type == ARG_ENUM ? d->args[i].values : NULL;
}

/* Print the command's usage and its options with their help. */
void
cli_action_help(FILE *f, const struct cli_command *c)
{
	const struct action_def *d = command_action(c);
	const struct cli_option *o;
	const struct action_arg *a;
	char *roles = action_roles_text(d->roles);
	char *path = action_path(d, (d->flags & ACTION_CREATE) ? NULL : "ID"), *opt;

	fprintf(f, _("usage: shopdesk %s%s%s %s\n\n%s: %s %s (%s may)\n"), c->noun ? c->noun : "",
	    c->noun ? " " : "", c->verb, cli_command_usage(c), _(d->help), d->method, path, roles);
	free(roles);
	free(path);
	for (a = d->args; a->flag != NULL; a++) {
		opt = xasprintf("--%s%s%s", a->flag, a->type == ARG_BOOL ? "" : " ",
		    a->type == ARG_BOOL ? "" : a->metavar);
		fprintf(f, "  %-22s %s%s\n", opt, _(a->help), (a->flags & ARG_REQUIRED) ?
		    _(" (required)") : "");
		free(opt);
	}
	for (o = action_common; o->name != NULL; o++) {
		if (!action_common_applies(d, o))
			continue;
		opt = xasprintf("--%s%s%s%s", o->name, o->has_arg == optional_argument ? "[=" :
		    o->has_arg == required_argument ? " " : "", o->arg != NULL ? o->arg : "",
		    o->has_arg == optional_argument ? "]" : "");
		fprintf(f, "  %-22s %s\n", opt, _(o->help));
		free(opt);
	}
	fprintf(f, "  %-22s %s\n", "-h, --help", _("print this help"));
	fprintf(f, _("\nSee WRITING in shopdesk(1) for amounts, times and CSV files.\n"));
}

/* Read all of fp (at most max bytes) into *out; -1 when too large or unreadable. */
static int
read_all(FILE *fp, size_t max, char **out, size_t *len)
{
	struct buf b;
	char chunk[8192];
	size_t n;

	buf_init(&b);
	buf_adds(&b, "");
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		if (b.len + n > max) {
			buf_done(&b);
			return -1;
		}
		buf_add(&b, chunk, n);
	}
	if (ferror(fp)) {
		buf_done(&b);
		return -1;
	}
	*len = b.len;
	*out = buf_steal(&b);
	return 0;
}

/* The store's answer in one line: "order SO10000042 is now shipped (version 4)". */
static void
answer_line(const struct outbox_entry *e, struct buf *out)
{
	cJSON *obj = cli_outbox_object(e, e->result);
	const char *id, *status;
	int created;

	if (obj == NULL)
		return;
	if ((id = json_path_str(obj, "message.id")) != NULL)
		buf_addf(out, "message %s sent", id);
	else if ((id = json_str(obj, "id")) != NULL) {
		buf_addf(out, "%s ", kind_info(e->kind)->name);
		text_sanitize_buf(id, 0, out);
		created = e->action != NULL && (strcmp(e->action, "create") == 0 ||
		    strcmp(e->action, "add") == 0);
		if (json_bool(obj, "deleted"))
			buf_adds(out, " removed");
		else if ((status = json_str(obj, "status")) != NULL) {
			buf_adds(out, created ? " created (" : " is now ");
			text_sanitize_buf(status, 0, out);
			buf_addf(out, "%sversion %lld)", created ? ", " : " (",
			    json_int(obj, "version", 0));
		} else
			buf_addf(out, " %s version %lld", created ? "created at" : "now at",
			    json_int(obj, "version", 0));
	}
	cJSON_Delete(obj);
}

/* One entry as JSON, with what the store answered when there is an answer. */
static void
entry_json(FILE *f, const struct outbox_entry *e, const char *state)
{
	cJSON *o = cJSON_CreateObject(), *v;
	struct buf b;
	char *s;

	json_set_int(o, "id", e->id);
	json_set_str(o, "state", state);
	json_set_str(o, "summary", e->summary);
	json_set_str(o, "kind", kind_info(e->kind)->name);
	json_set_str(o, "object_id", e->object_id);
	json_set_str(o, "key", e->key);
	if (e->reason != NULL && strcmp(state, "applied") != 0 &&
	    strcmp(state, "sent_to_finance") != 0)
		json_set_str(o, "reason", e->reason);
	if (strcmp(state, "conflict") == 0 && (v = cli_outbox_object(e, e->theirs)) != NULL)
		json_set(o, "theirs", v);
	if ((strcmp(state, "applied") == 0 || strcmp(state, "sent_to_finance") == 0) &&
	    (v = cli_outbox_object(e, e->result)) != NULL)
		json_set(o, "result", v);
	s = json_print(o);
	buf_init(&b);
	cli_json_safe(s, &b);
	fprintf(f, "%s\n", buf_str(&b));
	buf_done(&b);
	free(s);
	cJSON_Delete(o);
}

/* Print what became of entry id after a push; count it in *fates. */
static enum sd_status
entry_fate(struct cli *cli, int64_t id, int format, int quiet_applied, struct fates *fates)
{
	struct outbox_entry e;
	char *cause = NULL, *reason;
	const char *state;
	enum sd_status st;
	struct buf b;
	int rc;

	if ((rc = outbox_get(cli->cache, id, &e, &cause)) == 0)
		rc = outbox_applied(cli->cache, id, &e, &cause) == 1 ? 2 : 0;
	if (rc <= 0) {
		cli_error("outbox", _("entry #%lld: %s"), (long long)id, rc < 0 ? cause : _("not found"));
		free(cause);
		return rc < 0 ? SD_ECACHE : SD_ENOTFOUND;
	}
	if (rc == 2 && e.reason != NULL && strncmp(e.reason, "applied", 7) == 0) {
		state = "applied";
		st = SD_OK;
		fates->applied++;
	} else if (rc == 2 && e.reason != NULL && strncmp(e.reason, OUTBOX_TO_FINANCE,
	    strlen(OUTBOX_TO_FINANCE)) == 0) {
		/* Settled: the store took it, as a request for finance. */
		state = "sent_to_finance";
		st = SD_OK;
		fates->applied++;
		fates->to_finance++;
	} else if (rc == 2) {
		state = "dropped";
		st = SD_EREFUSED;
		fates->refused++;
	} else if (e.state == OUTBOX_CONFLICT) {
		state = "conflict";
		st = SD_ECONFLICT;
		fates->conflicts++;
	} else if (e.state == OUTBOX_FAILED) {
		state = "refused";
		st = SD_EREFUSED;
		fates->refused++;
	} else {
		state = "queued";
		st = SD_EQUEUED;
		fates->queued++;
	}
	if (format == FORMAT_JSON) {
		entry_json(stdout, &e, state);
		outbox_entry_done(&e);
		return st;
	}
	buf_init(&b);
	reason = text_sanitize(e.reason != NULL ? e.reason : "", 0);
	switch (st) {
	case SD_OK:
		answer_line(&e, &b);
		if (strcmp(state, "sent_to_finance") == 0)
			printf(_("sent to finance #%lld: %s: %s awaits finance approval; finance or "
			    "admin completes it (refund) or declines it\n"), (long long)e.id,
			    e.summary, e.object_id);
		else if (!quiet_applied)
			printf(_("applied #%lld: %s%s%s\n"), (long long)e.id, e.summary,
			    b.len ? ": " : "", buf_str(&b));
		break;
	case SD_ECONFLICT:
		printf(_("conflict #%lld: %s: %s\n"), (long long)e.id, e.summary, reason);
		cli_outbox_print_sides(stdout, &e);
		printf(_("  decide with 'shopdesk outbox resolve %lld --mine' (send yours against the "
		    "store's version) or '--theirs' (keep the store's)\n"), (long long)e.id);
		break;
	case SD_EREFUSED:
		printf("%s #%lld: %s: %s\n", rc == 2 ? _("dropped") : _("refused"), (long long)e.id,
		    e.summary, reason);
		if (rc == 1)
			printf(_("  your change is no longer shown; 'shopdesk outbox drop %lld' clears "
			    "the entry, 'shopdesk outbox retry %lld' sends it again\n"), (long long)e.id,
			    (long long)e.id);
		break;
	default:
		printf(_("saved #%lld: %s; not sent yet%s%s%s; it will be sent at the next sync\n"),
		    (long long)e.id, e.summary, *reason ? " (" : "", reason, *reason ? ")" : "");
		break;
	}
	free(reason);
	buf_done(&b);
	outbox_entry_done(&e);
	return st;
}

/* The exit status of a command that waited: the first of 9, 10, 11 that happened. */
static enum sd_status
fates_status(const struct fates *f)
{
	if (f->conflicts)
		return SD_ECONFLICT;
	if (f->refused)
		return SD_EREFUSED;
	if (f->queued)
		return SD_EQUEUED;
	return SD_OK;
}

/* Push the entries ids[0..n) now (--wait), with those queued before, and report each. */
static enum sd_status
action_wait(struct cli *cli, const int64_t *ids, size_t n, int seconds, int format,
    struct fates *fates)
{
	struct push_opts po;
	struct push_stats ps;
	enum sd_status st, pst;
	char *cause = NULL;
	size_t i;

	if ((st = cli_need_backend(cli)) != SD_OK) {
		fprintf(stderr, _("shopdesk: saved in the outbox; it will be sent at the next sync\n"));
		return st;
	}
	memset(&po, 0, sizeof po);
	po.only_through = ids[n - 1];
	po.wait_seconds = seconds;
	pst = outbox_push(cli->cache, cli->backend, &po, &ps, &cause);
	if (pst != SD_OK && pst != SD_ENETWORK && pst != SD_ESERVER)
		cli_error("push", "%s", cause != NULL ? cause : status_info(pst)->summary);
	if (pst != SD_OK) {
		if (pst == SD_EAUTH || pst == SD_ECACHE || pst == SD_EINTR) {
			free(cause);
			return pst;
		}
	}
	free(cause);
	st = SD_OK;
	for (i = 0; i < n; i++)
		if ((pst = entry_fate(cli, ids[i], format, n > 1, fates)) == SD_ECACHE)
			return pst;
	if (n > 1 && format != FORMAT_JSON)
		printf(_("%u applied%s, %u conflicts, %u refused, %u still queued\n"),
		    fates->applied, fates->to_finance ? _(" (some sent to finance)") : "",
		    fates->conflicts, fates->refused, fates->queued);
	return fates_status(fates);
}

/* Queue one prepared action; *id receives the entry's number. */
static enum sd_status
action_enqueue(struct cli *cli, const struct action_plan *p, int64_t *id, int format)
{
	struct outbox_new n;
	struct outbox_entry e;
	char *cause = NULL;

	memset(&n, 0, sizeof n);
	n.kind = p->def->kind;
	n.object_id = p->object_id;
	n.action = p->def->name;
	n.method = p->def->method;
	n.path_action = p->def->path_action;
	n.body = p->body;
	n.base_version = p->base_version;
	n.patch = p->patch;
	n.summary = p->summary;
	if (outbox_enqueue(cli->cache, &n, &e, &cause) != 0) {
		cli_error("outbox", _("%s (nothing was queued)"), cause);
		free(cause);
		return SD_ECACHE;
	}
	*id = e.id;
	if (format == FORMAT_JSON)
		entry_json(stdout, &e, "queued");
	else
		printf(_("queued #%lld: %s\n"), (long long)e.id, e.summary);
	outbox_entry_done(&e);
	return SD_OK;
}

/*
 * Queue the good lines of b in one durable transaction, all or none, then
 * print them as action_enqueue() does; ids receives their numbers.
 */
static enum sd_status
batch_enqueue(struct cli *cli, const struct action_batch *b, int64_t *ids, int format)
{
	const struct action_plan *p;
	struct outbox_new *v;
	struct outbox_entry *e = NULL;
	char *cause = NULL;
	size_t i, n = 0;
	enum sd_status st = SD_OK;

	v = xcalloc(b->n, sizeof *v);
	for (i = 0; i < b->n; i++) {
		if (b->lines[i].error != NULL)
			continue;
		p = &b->lines[i].plan;
		v[n].kind = p->def->kind;
		v[n].object_id = p->object_id;
		v[n].action = p->def->name;
		v[n].method = p->def->method;
		v[n].path_action = p->def->path_action;
		v[n].body = p->body;
		v[n].base_version = p->base_version;
		v[n].patch = p->patch;
		v[n].summary = p->summary;
		v[n].shown = p->shown;
		v[n].shown_as_of = b->as_of;
		v[n].ready = p->ready;
		n++;
	}
	if (format == FORMAT_JSON)
		e = xcalloc(n, sizeof *e);
	if (outbox_enqueue_batch(cli->cache, v, n, ids, e, &cause) != 0) {
		st = backend_interrupted() ? SD_EINTR : SD_ECACHE;
		cli_error("outbox", _("%s (nothing was queued)"), cause);
		free(cause);
		free(e);
		free(v);
		return st;
	}
	for (i = 0; i < n; i++) {
		if (e != NULL) {
			entry_json(stdout, &e[i], "queued");
			outbox_entry_done(&e[i]);
		} else
			printf(_("queued #%lld: %s\n"), (long long)ids[i], v[i].summary);
	}
	free(e);
	free(v);
	return st;
}

/* --dry-run: what would be queued. */
static void
action_show_plan(const struct action_plan *p, int format, long line)
{
	char *path = action_path(p->def, p->object_id), *body = json_print(p->body);
	char *patch = p->patch != NULL ? json_print(p->patch) : xstrdup("null");
	struct buf b;

	struct buf j;

	buf_init(&b);
	if (format == FORMAT_JSON) {
		buf_init(&j);
		buf_addf(&j, "{\"dry_run\":true,\"line\":%ld,\"summary\":", line);
		buf_add_json_string(&j, p->summary);
		buf_addf(&j, ",\"method\":\"%s\",\"path\":", p->def->method);
		buf_add_json_string(&j, path);
		buf_addf(&j, ",\"if_match\":%lld,\"body\":%s,\"patch\":%s}", p->base_version, body,
		    patch);
		cli_json_safe(buf_str(&j), &b);
		printf("%s\n", buf_str(&b));
		buf_done(&j);
	} else {
		if (line > 0)
			printf(_("line %ld: "), line);
		printf(_("would queue: %s\n  %s %s"), p->summary, p->def->method, path);
		if (p->base_version >= 0)
			printf("  If-Match: %lld", p->base_version);
		cli_json_safe(body, &b);
		printf(_("\n  body:  %s\n"), buf_str(&b));
		buf_reset(&b);
		cli_json_safe(patch, &b);
		printf(_("  patch: %s\n"), buf_str(&b));
	}
	buf_done(&b);
	free(path);
	free(body);
	free(patch);
}

/*
 * "shopdesk ship --from-csv FILE": validate the whole file, then queue. With
 * d NULL, a file of canned replies ("canned import FILE").
 */
enum sd_status
cli_action_batch(struct cli *cli, const struct action_def *d, const char *file,
    const struct cli_batch_opts *o)
{
	struct action_batch b;
	enum sd_status st;
	FILE *fp;
	char *text = NULL, *cause = NULL;
	size_t len, unchanged = 0;

	if ((fp = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb")) == NULL) {
		cli_error(file, _("cannot open it: %s"), strerror(errno));
		return SD_EUSAGE;
	}
	if (read_all(fp, FILE_MAX, &text, &len) != 0) {
		cli_error(file, _("cannot read it, or it is larger than %d MB"), FILE_MAX >> 20);
		if (fp != stdin)
			fclose(fp);
		return SD_EUSAGE;
	}
	if (fp != stdin)
		fclose(fp);
	if ((st = cli_need_cache(cli)) == SD_OK)
		st = d == NULL ? action_canned_import(cli->cache, text, len, time(NULL), &b,
		    &unchanged, &cause) : o->dry_run ? action_batch_check(cli->cache, d, text,
		    len, time(NULL), &b, &cause) : action_batch_load(cli->cache, d, text, len,
		    time(NULL), &b, &cause);
	free(text);
	if (st != SD_OK && cause == NULL)
		return st;
	if (st != SD_OK) {
		cli_error(file, "%s", cause);
		free(cause);
		action_batch_done(&b);
		return st;
	}
	return cli_batch_queue(cli, d, file, &b, unchanged, o);
}

/* Whether the person at the terminal says yes to question (y or Enter). */
static int
cli_ask(const char *question)
{
	char line[64];
	size_t n;

	fprintf(stderr, _("%s [y/Enter: yes, n: no] "), question);
	fflush(stderr);
	if (fgets(line, sizeof line, stdin) == NULL)
		line[0] = 'n';
	n = strspn(line, " \t");
	return line[n] == '\n' || line[n] == '\r' || line[n] == 'y' || line[n] == 'Y';
}

enum sd_status
cli_batch_queue(struct cli *cli, const struct action_def *d, const char *file,
    struct action_batch *bp, size_t unchanged, const struct cli_batch_opts *o)
{
	struct action_batch b = *bp;
	struct fates fates;
	enum sd_status st;
	char *clean;
	size_t i, good, skipped, strict, big;
	int64_t *ids;
	size_t nids = 0;
	int skip_bad = o->skip_bad, wait = o->wait, dry_run = o->dry_run, format = o->format;

	memset(bp, 0, sizeof *bp);
	for (i = 0; i < b.n; i++)
		if (b.lines[i].error != NULL) {
			clean = text_sanitize(b.lines[i].error, 0);
			cli_error(file, _("line %ld: %s"), b.lines[i].line, clean);
			free(clean);
		}
	good = b.n - b.bad;
	/* What the file was read as, before anything is queued from it. */
	if (d != NULL && format != FORMAT_JSON && !cli->quiet && !o->preview) {
		clean = b.ignored != NULL ? text_sanitize(b.ignored, 0) : NULL;
		fprintf(stderr, _("%s %s: %zu line%s, %zu to queue, %zu bad, encoding %s%s%s\n"),
		    d->noun, d->name, b.n, b.n == 1 ? "" : "s",
		    b.bad > 0 && !skip_bad ? (size_t)0 : good, b.bad,
		    b.encoding != NULL ? b.encoding : "UTF-8", clean != NULL ?
		    ", ignored columns: " : "", clean != NULL ? clean : "");
		free(clean);
	}
	if (b.bad > 0 && (!skip_bad || good == 0)) {
		cli_error(file, _("%zu of %zu lines are bad; nothing was queued (fix them%s)"), b.bad,
		    b.n, good > 0 ? ", or give --skip-bad to queue the good ones" : "");
		action_batch_done(&b);
		return SD_EUSAGE;
	}
	if (good == 0) {
		/* Only an import has lines that need nothing: the same as the cache. */
		if (!cli->quiet && format != FORMAT_JSON)
			fprintf(stderr, _("nothing to queue: all %zu lines are the same as the cached "
			    "replies\n"), unchanged);
		action_batch_done(&b);
		return SD_OK;
	}
	/*
	 * Money moved by a batch is said line by line (and a change's note: a
	 * price's old -> new); a file is not asked about, but what must be
	 * confirmed even in a script (a price below cost) needs --yes.
	 */
	strict = big = 0;
	for (i = 0; i < b.n; i++) {
		if (b.lines[i].error != NULL)
			continue;
		strict += b.lines[i].plan.strict;
		big += !b.lines[i].plan.strict && b.lines[i].plan.confirm != NULL;
		if (o->preview) {
			/* Every old -> new, the flagged ones marked, before anything is queued. */
			clean = text_sanitize(action_price_line_text(&b.lines[i]), 0);
			if (format != FORMAT_JSON)
				printf("%s %s\n", b.lines[i].plan.confirm != NULL ? "!" : " ", clean);
			free(clean);
			continue;
		}
		if (cli->quiet || (b.lines[i].plan.confirm == NULL && (!dry_run ||
		    b.lines[i].plan.note == NULL)))
			continue;
		clean = text_sanitize(b.lines[i].plan.confirm != NULL ? b.lines[i].plan.confirm :
		    b.lines[i].plan.note, 0);
		fprintf(stderr, _("shopdesk: %s: line %ld: %s\n"), file, b.lines[i].line, clean);
		free(clean);
	}
	if (strict > 0 && !o->yes && !dry_run && !o->preview) {
		cli_error(file, _("%zu line%s must be confirmed (below cost); nothing was queued: "
		    "check them and give --yes to queue them"), strict, strict == 1 ? "" : "s");
		action_batch_done(&b);
		return SD_EREFUSED;
	}
	if (o->preview && format != FORMAT_JSON && !cli->quiet)
		fprintf(stderr, _("%s: %zu to change, %zu flagged (%zu below cost, %zu by more than "
		    "half), %zu unchanged, %zu bad\n"), file, good, strict + big, strict, big,
		    unchanged, b.bad);
	/* A preview is confirmed as a whole: at the terminal, or by --yes. */
	if (o->preview && !o->yes && !dry_run && (!isatty(STDIN_FILENO) ||
	    !cli_ask(_("queue these price changes?")))) {
		cli_error(file, _("nothing was queued: %s"), isatty(STDIN_FILENO) ?
		    _("you answered no") : _("check the preview and give --yes to queue it"));
		action_batch_done(&b);
		return isatty(STDIN_FILENO) ? SD_EINTR : SD_EREFUSED;
	}
	st = SD_OK;
	ids = xcalloc(b.n, sizeof *ids);
	if (dry_run) {
		/* A preview has said it all already, but for a script reading JSON. */
		for (i = 0; i < b.n; i++)
			if (b.lines[i].error == NULL && (!o->preview || format == FORMAT_JSON))
				action_show_plan(&b.lines[i].plan, format, b.lines[i].line);
	} else {
		st = batch_enqueue(cli, &b, ids, format);
		nids = st == SD_OK ? good : 0;
	}
	if (format != FORMAT_JSON && !cli->quiet && unchanged > 0)
		fprintf(stderr, dry_run ? _("would queue %zu of %zu lines; %zu unchanged%s%s\n") :
		    _("queued %zu of %zu lines; %zu unchanged%s%s\n"), st == SD_OK ? good : nids,
		    b.n + unchanged,
		    unchanged, b.bad ? _("; skipped the bad ones") : "", st == SD_OK ? "" :
		    _("; nothing was queued"));
	else if (format != FORMAT_JSON && !cli->quiet)
		fprintf(stderr, dry_run ? _("would queue %zu of %zu lines%s%s\n") :
		    _("queued %zu of %zu lines%s%s\n"), st == SD_OK ? good : nids, b.n,
		    b.bad ? _("; skipped the bad ones") : "", st == SD_OK ? "" :
		    st == SD_EINTR ? _("; interrupted, nothing was queued") :
		    _("; nothing was queued"));
	skipped = b.bad;
	action_batch_done(&b);
	if (st == SD_OK && !dry_run && wait && nids > 0) {
		memset(&fates, 0, sizeof fates);
		st = action_wait(cli, ids, nids, wait, format, &fates);
	}
	free(ids);
	/* Lines were left out: a script must be able to tell (exit 12). */
	if (st == SD_OK && skipped > 0)
		st = SD_ESKIPPED;
	return st;
}

/*
 * An action that moves money says what it will do before it is queued
 * (action_plan's confirm). On a terminal the question is asked, as the
 * console asks it: y or Enter queues it, anything else does not. With
 * --yes, or when standard input is not a terminal (a script: there is no
 * one to ask, and the CLI's other commands never wait on a pipe), the
 * summary is printed on standard error and the action proceeds. SD_OK to
 * queue, SD_EINTR when the answer was no (nothing was queued).
 */
static enum sd_status
action_confirm(struct cli *cli, const char *what, const struct action_plan *p, int yes)
{
	char line[64], *clean = text_sanitize(p->confirm, 0);
	size_t n;

	if (!yes && p->strict && !isatty(STDIN_FILENO)) {
		cli_error(what, _("%s; not queued: give --yes to confirm"), clean);
		free(clean);
		return SD_EREFUSED;
	}
	if (yes || !isatty(STDIN_FILENO)) {
		if (!cli->quiet)
			fprintf(stderr, _("shopdesk: %s: %s\n"), what, clean);
		free(clean);
		return SD_OK;
	}
	fprintf(stderr, _("%s\nqueue it? [y/Enter: yes, n: no] "), clean);
	fflush(stderr);
	free(clean);
	if (fgets(line, sizeof line, stdin) == NULL)
		line[0] = 'n';
	n = strspn(line, " \t");
	if (line[n] == '\n' || line[n] == '\r' || line[n] == 'y' || line[n] == 'Y')
		return SD_OK;
	fprintf(stderr, _("shopdesk: %s: not queued (you answered no; nothing changed)\n"), what);
	return SD_EINTR;
}

/*
 * The long options of the action commands, built once from action_table[]:
 * every flag of every action (one that belongs to another action is then
 * refused by name rather than as unknown), a switch taking no argument,
 * and the options every action has.
 */
static const struct option *
action_longopts(void)
{
	static const struct option help = { "help", no_argument, NULL, O_HELP };
	static struct option *opts;
	const struct action_def *d;
	const struct action_arg *a;
	const struct cli_option *o;
	size_t n = 0, cap = sizeof action_common / sizeof action_common[0] + 1, i;

	if (opts != NULL)
		return opts;
	for (d = action_table; d->name != NULL; d++)
		cap += (size_t)action_arg_count(d);
	opts = xcalloc(cap, sizeof *opts);
	for (d = action_table; d->name != NULL; d++)
		for (a = d->args; a->flag != NULL; a++) {
			for (i = 0; i < n && strcmp(opts[i].name, a->flag) != 0; i++)
				;
			if (i < n) {
				if (opts[i].has_arg != (a->type == ARG_BOOL ? no_argument :
				    required_argument))
					fatal("action_table: --%s is a switch in one action and "
					    "takes a value in another", a->flag);
				continue;
			}
			opts[n].name = a->flag;
			opts[n].has_arg = a->type == ARG_BOOL ? no_argument : required_argument;
			opts[n].val = O_ARG;
			n++;
		}
	for (o = action_common; o->name != NULL; o++, n++) {
		opts[n].name = o->name;
		opts[n].has_arg = o->has_arg;
		opts[n].val = o->val;
	}
	opts[n] = help;
	return opts;
}

/* The index of def's argument named flag, or -1. */
static int
option_arg(const struct action_def *d, const char *flag)
{
	int i;

	for (i = 0; d->args[i].flag != NULL; i++)
		if (strcmp(d->args[i].flag, flag) == 0)
			return i;
	return -1;
}

enum sd_status
cli_cmd_action(struct cli *cli, int argc, char **argv)
{
	const struct option *longopts = action_longopts();
	const struct cli_command *c;
	const struct action_def *d;
	const char **values, *csv = NULL, *id = NULL;
	char what[48], *cause = NULL, *body = NULL, *ref = NULL, *end;
	int ch, li, i, wait = 0, format = FORMAT_TABLE, dry_run = 0, skip_bad = 0, yes = 0;
	struct action_plan plan;
	struct cli_batch_opts bo;
	struct fates fates;
	enum sd_status st;
	int64_t qid;
	size_t len, wl;
	long n;

	if (argc == 0)
		return SD_OK;
	c = cli->cmd;
	if ((d = command_action(c)) == NULL)
		fatal("cli_cmd_action: no action for %s %s", c->noun ? c->noun : "", c->verb);
	snprintf(what, sizeof what, "%s %s", d->noun, d->name);
	values = xcalloc((size_t)action_arg_count(d) + 1, sizeof *values);
	optind = 0;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, &li)) != -1) {
		switch (ch) {
		case O_ARG:
			if ((i = option_arg(d, longopts[li].name)) < 0) {
				cli_error(what, _("--%s does not apply here ('shopdesk %s %s --help' "
				    "lists the options)"), longopts[li].name, d->noun, d->name);
				free(values);
				return SD_EUSAGE;
			}
			values[i] = optarg != NULL ? optarg : "true";
			break;
		case O_WAIT:
			wait = WAIT_DEFAULT;
			if (optarg != NULL && ((n = strtol(optarg, &end, 10)) < 1 || n > 3600 ||
			    *end != '\0')) {
				cli_error(what, _("bad %s value '%s' (whole seconds, 1 to 3600)"), "--wait",
				    cli_clip(optarg));
				free(values);
				return SD_EUSAGE;
			}
			if (optarg != NULL)
				wait = (int)n;
			break;
		case O_FORMAT:
			if ((format = cli_parse_format(optarg)) == -1 || format == FORMAT_CSV) {
				cli_error(what, _("unknown format '%s' (text or json)"), cli_clip(optarg));
				free(values);
				return SD_EUSAGE;
			}
			break;
		case O_DRY_RUN: dry_run = 1; break;
		case O_FROM_CSV: csv = optarg; break;
		case O_SKIP_BAD: skip_bad = 1; break;
		case O_YES: yes = 1; break;
		case O_HELP:
			cli_action_help(stdout, c);
			free(values);
			return SD_OK;
		default:
			fprintf(stderr, _("usage: shopdesk %s %s\n"), what, cli_command_usage(c));
			free(values);
			return SD_EUSAGE;
		}
	}
	if (optind < argc)
		id = argv[optind++];
	if (optind < argc || (id != NULL && (csv != NULL || (d->flags & ACTION_CREATE))) ||
	    (id == NULL && csv == NULL && !(d->flags & ACTION_CREATE)) ||
	    (csv != NULL && (d->flags & ACTION_CREATE))) {
		if (optind < argc || id != NULL)
			cli_error(what, _("unexpected argument '%s'"),
			    cli_clip(optind < argc ? argv[optind] : id));
		fprintf(stderr, _("usage: shopdesk %s %s\n"), what, cli_command_usage(c));
		free(values);
		return SD_EUSAGE;
	}
	if (skip_bad && csv == NULL) {
		cli_error(what, _("--skip-bad goes with --from-csv FILE"));
		free(values);
		return SD_EUSAGE;
	}
	/* "--body -": the message from standard input, without its last line break. */
	for (i = 0; d->args[i].flag != NULL; i++)
		if ((d->args[i].flags & ARG_STDIN) && values[i] != NULL && strcmp(values[i], "-") == 0) {
			if (read_all(stdin, BODY_MAX, &body, &len) != 0) {
				cli_error(what, _("cannot read --%s from standard input%s%s (at most "
				    "%d KiB); nothing was queued"), d->args[i].flag,
				    ferror(stdin) ? ": " : "", ferror(stdin) ? strerror(errno) :
				    " or it is too long", BODY_MAX >> 10);
				free(values);
				return SD_EUSAGE;
			}
			/* Kept as a C string, a NUL would cut the text there, silently. */
			if (memchr(body, '\0', len) != NULL) {
				cli_error(what, _("--%s from standard input has a NUL byte (at byte "
				    "%zu): it must be text; nothing was queued"), d->args[i].flag,
				    (size_t)((char *)memchr(body, '\0', len) - body));
				free(body);
				free(values);
				return SD_EUSAGE;
			}
			if (len > 0 && body[len - 1] == '\n')
				body[--len] = '\0';
			if (len > 0 && body[len - 1] == '\r')
				body[--len] = '\0';
			values[i] = body;
		}
	if ((st = cli_need_cache(cli)) != SD_OK)
		goto out;
	/* "#7": the order (or ticket) the store numbers 7, as the lists show it. */
	if (id != NULL) {
		if ((ref = cache_resolve_ref(cli->cache, d->kind, id, &cause)) == NULL) {
			cli_error(what, "%s", cause);
			free(cause);
			st = SD_ENOTFOUND;
			goto out;
		}
		id = ref;
	}
	if (csv != NULL) {
		memset(&bo, 0, sizeof bo);
		bo.skip_bad = skip_bad;
		bo.wait = wait;
		bo.dry_run = dry_run;
		bo.format = format;
		bo.yes = yes;
		st = cli_action_batch(cli, d, csv, &bo);
		goto out;
	}
	if ((st = action_prepare(cli->cache, d, id, values, time(NULL), &plan, &cause)) != SD_OK) {
		/* "orders ship: not offered by this store (medusa)" names it already. */
		wl = strlen(what);
		cli_error(strncmp(cause, what, wl) == 0 && cause[wl] == ':' ? NULL : what, "%s",
		    cause);
		free(cause);
		goto out;
	}
	if (plan.note != NULL && !cli->quiet)
		fprintf(stderr, _("shopdesk: %s: note: %s\n"), what, plan.note);
	if (dry_run) {
		if (plan.confirm != NULL && !cli->quiet)
			fprintf(stderr, _("shopdesk: %s: %s\n"), what, plan.confirm);
		action_show_plan(&plan, format, 0);
	} else if (plan.confirm != NULL && (st = action_confirm(cli, what, &plan, yes)) != SD_OK)
		;	/* the answer was no: nothing queued */
	else if ((st = action_enqueue(cli, &plan, &qid, format)) == SD_OK && wait) {
		memset(&fates, 0, sizeof fates);
		st = action_wait(cli, &qid, 1, wait, format, &fates);
	}
	action_plan_done(&plan);
out:
	free(ref);
	free(body);
	free(values);
	return st;
}

void
cli_action_check_table(void)
{
	/* The options are built from the table, and checked as they are. */
	(void)action_longopts();
}
