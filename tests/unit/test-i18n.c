/*
 * test-i18n.c -- the Chinese catalogue built from ui/po/zh_CN.po, found and
 * complete: UI words, and every status code of i18n.c's table.
 *
 * Chinese is selected with the zh_CN.UTF-8 locale when the machine has it,
 * else with glibc's built-in C.UTF-8 plus LANGUAGE=zh_CN (gettext honours
 * LANGUAGE in every locale but "C"). With neither the test fails: the README's
 * set-up command generates zh_CN.UTF-8.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sla.h"
#include "ui/i18n.h"
#include "tap.h"

/* Whether s has a byte outside ASCII: a translated label is never all ASCII. */
static int
has_non_ascii(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x80)
			return 1;
	}
	return 0;
}

/* In a child: LC_ALL=zh_CN.UTF-8 and nothing else; i18n_init must get Chinese. */
static int
child_lang_only(void)
{
	pid_t pid;
	int st;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		unsetenv("LANGUAGE");
		unsetenv("LANG");
		unsetenv("LC_MESSAGES");
		setenv("LC_ALL", "zh_CN.UTF-8", 1);
		setlocale(LC_ALL, "C");
		i18n_init();
		_exit(strcmp(_("Orders"), "订单") == 0 ? 0 : 1);
	}
	if (pid == -1 || waitpid(pid, &st, 0) == -1)
		return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* In a child without SHOPDESK_LOCALEDIR: no locale/ beside this binary, so LOCALEDIR. */
static int
child_default_dir(void)
{
	pid_t pid;
	int st;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		unsetenv("SHOPDESK_LOCALEDIR");
		i18n_init();
		_exit(strcmp(i18n_localedir(), LOCALEDIR) == 0 ? 0 : 1);
	}
	if (pid == -1 || waitpid(pid, &st, 0) == -1)
		return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int
main(void)
{
	const struct i18n_label *t;
	const char *top, *srcdir, *how, *s;
	char dir[1024], mo[1200], cmd[2048];
	struct stat sb;
	size_t n, i, j, leaks = 0, dups = 0;

	top = getenv("top_builddir");
	snprintf(dir, sizeof dir, "%s/locale", top != NULL ? top : ".");
	if (getenv("SHOPDESK_LOCALEDIR") == NULL)
		setenv("SHOPDESK_LOCALEDIR", dir, 1);
	else
		snprintf(dir, sizeof dir, "%s", getenv("SHOPDESK_LOCALEDIR"));
	snprintf(mo, sizeof mo, "%s/zh_CN/LC_MESSAGES/shopdesk.mo", dir);
	ok(stat(mo, &sb) == 0, "the build made %s", mo);

	/* The catalogue source is well-formed (the build rule checks it too). */
	if ((srcdir = getenv("top_srcdir")) != NULL) {
		snprintf(cmd, sizeof cmd, "msgfmt --check -o /dev/null '%s/ui/po/zh_CN.po'", srcdir);
		ok(system(cmd) == 0, "msgfmt --check ui/po/zh_CN.po");
		/*
		 * Every _() N_() NC_() of the console and of the command line has
		 * a Chinese translation (the files 'make update-po' reads).
		 */
		snprintf(cmd, sizeof cmd,
		    "cd '%s' || exit 2; t=/tmp/test-i18n-%ld.pot; "
		    "xgettext --from-code=UTF-8 -k_ -kN_ -kNC_:1c,2 -o $t ui/*.c src/cli/*.c src/action.c "
		    "src/columns.c || exit 2; "
		    "out=$(msgmerge -q --no-fuzzy-matching ui/po/zh_CN.po $t -o - | "
		    "msgattrib --untranslated --no-obsolete --no-wrap | grep '^msgid \"[^\"]'); "
		    "rm -f $t; [ -z \"$out\" ] || { printf '%%s\\n' \"$out\" | sed 's/^/# untranslated: /'; exit 1; }",
		    srcdir, (long)getpid());
		ok(system(cmd) == 0, "every string of ui/*.c, src/cli/*.c, src/action.c and src/columns.c is in zh_CN.po "
		    "(else: make update-po)");
	}

	unsetenv("LC_ALL");
	if (setlocale(LC_ALL, "zh_CN.UTF-8") != NULL) {
		unsetenv("LANGUAGE");
		how = "zh_CN.UTF-8";
	} else if (setlocale(LC_ALL, "C.UTF-8") != NULL) {
		setenv("LANGUAGE", "zh_CN", 1);
		how = "C.UTF-8 with LANGUAGE=zh_CN";
	} else
		how = NULL;
	ok(how != NULL, "a Chinese locale: %s", how != NULL ? how :
	    "none (neither zh_CN.UTF-8 nor C.UTF-8: run the README's set-up command)");
	if (how == NULL)
		return done_testing();

	i18n_init();
	is_str(i18n_localedir(), dir, "SHOPDESK_LOCALEDIR is used");
	is_str(_("Orders"), "订单", "_(\"Orders\") is 订单");
	is_str(_("After-sales"), "售后", "After-sales is 售后");
	is_str(_("Chats"), "在线客服", "Chats is 在线客服");
	is_str(_("Outbox"), "待同步操作", "Outbox is 待同步操作");
	is_str(_("pending"), "待同步", "the status line's pending is 待同步");
	is_str(_("OFFLINE"), "离线", "the status line's OFFLINE is 离线");
	is_str(i18n_status("order", "awaiting_shipment"), "待发货", "order awaiting_shipment is 待发货");
	is_str(i18n_status("order", "closed"), "已关闭", "order closed is 已关闭");
	is_str(i18n_status("chat", "pending"), "待客户回复", "a pending chat is not 待同步");
	is_str(i18n_status("ticket_kind", "return_refund"), "退货退款", "ticket kind return_refund");
	is_str(i18n_status("queue", "presales"), "售前", "queue presales");
	is_str(i18n_status("shelf", "off"), "下架", "shelf off");
	is_str(i18n_status("promo_kind", "flash_sale"), "秒杀", "flash sale");
	is_str(i18n_status("order", "no_such_code"), "no_such_code", "an unknown code is itself");
	is_str(i18n_status("no_such_kind", "shipped"), "shipped", "an unknown kind too");

	/* Every code of the table: translated, and each (kind, code) once. */
	t = i18n_status_table(&n);
	ok(n > 100, "the table has every code (%zu)", n);
	for (i = 0; i < n; i++) {
		s = i18n_status(t[i].kind, t[i].code);
		if (strcmp(s, t[i].label) == 0 || !has_non_ascii(s)) {
			printf("# no Chinese for %s %s (\"%s\"): \"%s\"\n", t[i].kind,
			    t[i].code, t[i].label, s);
			leaks++;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(t[i].kind, t[j].kind) == 0 && strcmp(t[i].code, t[j].code) == 0)
				dups++;
		}
	}
	is_int(leaks, 0, "every status code has a zh_CN translation (no English leaks)");
	is_int(dups, 0, "no (kind, code) twice in the table");

	ok(child_lang_only(), "LC_ALL=zh_CN.UTF-8 alone gives Chinese, generated locale or not");
	ok(child_default_dir(), "without SHOPDESK_LOCALEDIR: LOCALEDIR (no locale/ beside the binary)");

	/* English: the C locale ignores LANGUAGE. */
	setlocale(LC_ALL, "C");
	is_str(_("Orders"), "Orders", "C: Orders");
	is_str(i18n_status("order", "awaiting_shipment"), "awaiting shipment",
	    "C: awaiting shipment");
	is_str(i18n_status("chat", "pending"), "waiting for customer", "C: a pending chat");
	/* The CLI prints the SLA in src/sla.c's words: the console's English. */
	{
		enum sla_state st[] = { SLA_ACTIVE, SLA_WARNING, SLA_BREACHED, SLA_MET };
		enum sla_phase ph[] = { SLA_PHASE_REVIEW, SLA_PHASE_RESPONSE, SLA_PHASE_PICKUP,
		    SLA_PHASE_RESOLUTION };
		int bad = 0;

		for (i = 0; i < 4; i++) {
			bad += strcmp(i18n_status("sla", sla_state_name(st[i])),
			    sla_state_words(st[i])) != 0;
			bad += strcmp(i18n_status("sla_phase", sla_phase_name(ph[i])),
			    sla_phase_name(ph[i])) != 0;
			bad += strcmp(i18n_status("sla_phase", sla_state_name(st[i])),
			    sla_state_name(st[i])) != 0 && st[i] >= SLA_BREACHED;
		}
		is_int(bad, 0, "C: the console names SLA clocks and states as the CLI does");
	}
	return done_testing();
}
