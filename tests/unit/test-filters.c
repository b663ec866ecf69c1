/*
 * test-filters.c -- the values of filters over a closed set, as people type
 * them (i18n_status_code, carrier_resolve): codes, English and Chinese
 * labels, '-', '_', blanks and case aside; what is refused and how it is
 * said. Run in the C locale: Chinese is understood whatever the locale.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "ui/i18n.h"
#include "util/text.h"
#include "tap.h"

/* The code s resolves to in kind, or "(null)" (the cause is dropped). */
static const char *
code(const char *kind, const char *s)
{
	static char *cause;
	const char *c;

	free(cause);
	cause = NULL;
	c = i18n_status_code(kind, s, &cause);
	return c != NULL ? c : "(null)";
}

/* The cause of refusing s in kind (caller frees), or NULL when it resolved. */
static char *
refusal(const char *kind, const char *s)
{
	char *cause = NULL;

	if (i18n_status_code(kind, s, &cause) != NULL)
		return NULL;
	return cause;
}

static void
test_fold(void)
{
	char out[32];

	ok(text_name_eq("Pre-sales", "presales") && text_name_eq("pre_sales", "PRESALES") &&
	    text_name_eq(" pre sales ", "presales"), "case, '-', '_' and blanks do not matter");
	ok(!text_name_eq("presale", "presales") && !text_name_eq("", "x"),
	    "but every letter does");
	ok(text_name_eq("顺丰", "顺丰") && !text_name_eq("顺丰", "顺丰速运"), "Chinese as it is");
	ok(text_fold_name("Awaiting-Shipment", out, sizeof out) == 0 &&
	    strcmp(out, "awaitingshipment") == 0, "text_fold_name folds");
	ok(text_fold_name("Awaiting-Shipment", out, 16) == -1,
	    "text_fold_name says when it does not fit");
}

static void
test_codes(void)
{
	is_str(code("order", "shipped"), "shipped", "a code is itself");
	is_str(code("order", "Awaiting-Shipment"), "awaiting_shipment", "a code with '-' and capitals");
	is_str(code("order", "AWAITING SHIPMENT"), "awaiting_shipment", "a code with a blank");
	is_str(code("order", "待发货"), "awaiting_shipment", "an order status in Chinese");
	is_str(code("order", "已签收"), "delivered", "已签收 is delivered");
	is_str(code("chat", "waiting for customer"), "pending", "a chat status by its English label");
	is_str(code("chat", "处理中"), "open", "处理中 is an open chat");
	is_str(code("ticket", "处理中"), "in_progress", "... and a ticket in progress");
	is_str(code("ticket", "solution-proposed"), "proposed", "a ticket status by its label");
	is_str(code("ticket_kind", "退货退款"), "return_refund", "a ticket kind in Chinese");
	is_str(code("ticket_kind", "Return and Refund"), "return_refund", "... and in English");
	is_str(code("promo", "进行中"), "active", "a promotion status in Chinese");
	is_str(code("promo_kind", "秒杀"), "flash_sale", "秒杀 is a flash sale");
	is_str(code("promo_kind", "flash-sale"), "flash_sale", "flash-sale too");
	is_str(code("queue", "pre-sales"), "presales", "queue pre-sales");
	is_str(code("queue", "pre_sales"), "presales", "queue pre_sales");
	is_str(code("queue", "Presales"), "presales", "queue Presales");
	is_str(code("queue", "售前"), "presales", "queue 售前");
	is_str(code("queue", "售后"), "aftersales", "queue 售后");
	is_str(code("queue", "After-Sales"), "aftersales", "queue After-Sales");
	is_str(code("level", "黄金会员"), "gold", "a member level in Chinese");
	is_str(code("priority", "Urgent"), "urgent", "a priority");
	is_str(code("order", "shiped"), "(null)", "a typo is no status");
	is_str(code("order", "pending"), "(null)", "nor is a word of one");
	is_str(code("order", "售前"), "(null)", "nor a value of another kind");
}

static void
test_carriers(void)
{
	static const char *const names[][2] = {
		{ "SF", "SF" }, { "sf", "SF" }, { "顺丰", "SF" }, { "顺丰速运", "SF" },
		{ "SF Express", "SF" }, { "sf-express", "SF" },
		{ "中通", "ZTO" }, { "中通快递", "ZTO" }, { "zto", "ZTO" },
		{ "圆通", "YTO" }, { "韵达", "YUNDA" }, { "Yunda Express", "YUNDA" },
		{ "申通", "STO" }, { "极兔速递", "JT" }, { "J&T", "JT" },
		{ "京东", "JD" }, { "京东物流", "JD" }, { "JD Logistics", "JD" },
		{ "邮政", "EMS" }, { "中国邮政", "EMS" }, { "ems", "EMS" }, { "China Post", "EMS" },
	};
	const struct carrier_info *ci;
	size_t i, j;
	int bad = 0;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		ci = carrier_resolve(names[i][0]);
		is_str(ci != NULL ? ci->code : "(null)", names[i][1], names[i][0]);
		is_str(code("carrier", names[i][0]), names[i][1], "the same as a filter value");
	}
	ok(carrier_resolve("DHL") == NULL && carrier_resolve("") == NULL, "DHL is no carrier");
	ok(carrier_find("顺丰") == NULL, "carrier_find (the store's) takes the code only");
	/* Every name of carriers[] resolves to its own carrier. */
	for (ci = carriers; ci->code != NULL; ci++) {
		bad += carrier_resolve(ci->name_zh) != ci || carrier_resolve(ci->name_en) != ci;
		for (j = 0; j < sizeof ci->aliases / sizeof ci->aliases[0] &&
		    ci->aliases[j] != NULL; j++)
			bad += carrier_resolve(ci->aliases[j]) != ci;
	}
	is_int(bad, 0, "every name of carriers[] names its carrier only");
}

static void
test_refusals(void)
{
	char *c;

	c = refusal("order", "shiped");
	is_str(c, "unknown order status 'shiped' (did you mean 'shipped'?); one of: "
	    "pending_payment, awaiting_shipment, shipped, delivered, completed, cancelled, closed",
	    "an unknown order status: the valid ones and the nearest");
	free(c);
	c = refusal("order", "pending");
	ok(c != NULL && strstr(c, "(did you mean 'pending_payment'?)") != NULL,
	    "the start of one code is a guess too");
	free(c);
	c = refusal("queue", "xyz");
	is_str(c, "unknown queue 'xyz'; one of: presales, aftersales, vip",
	    "no guess when nothing is near");
	free(c);
	c = refusal("carrier", "SFX");
	is_str(c, "unknown carrier 'SFX' (did you mean 'SF'?); one of: SF, JD, ZTO, YTO, YUNDA, EMS, STO, JT",
	    "an unknown carrier");
	free(c);
	c = refusal("ticket", "re\033[31mject");
	ok(c != NULL && strchr(c, '\033') == NULL, "what was typed is sanitised in the message");
	free(c);
	c = refusal("no_such_kind", "x");
	ok(c != NULL && strstr(c, "no_such_kind") != NULL, "an unknown kind is refused too");
	free(c);
}

/* Every code of the table resolves from its code, its label and its Chinese label. */
static void
test_round_trip(void)
{
	const struct i18n_label *t;
	const char *zh;
	size_t n, i, bad = 0, chinese = 0;

	t = i18n_status_table(&n);
	for (i = 0; i < n; i++) {
		if (strcmp(t[i].kind, "sort") == 0)
			continue;	/* names of orders, not codes of a field */
		if (strcmp(code(t[i].kind, t[i].code), t[i].code) != 0 ||
		    strcmp(code(t[i].kind, t[i].label), t[i].code) != 0) {
			printf("# %s %s (\"%s\") does not resolve to itself\n", t[i].kind,
			    t[i].code, t[i].label);
			bad++;
		}
		/* i18n_status() is the other way; Chinese when the locale asks for it. */
		zh = i18n_status(t[i].kind, t[i].code);
		if (strcmp(zh, t[i].label) != 0) {
			chinese++;
			if (strcmp(code(t[i].kind, zh), t[i].code) != 0) {
				printf("# %s %s: \"%s\" does not resolve to it\n", t[i].kind,
				    t[i].code, zh);
				bad++;
			}
		}
	}
	is_int(bad, 0, "every code, label and Chinese label names its own code");
	ok(chinese > 100, "the Chinese labels were compared (%zu)", chinese);
}

int
main(void)
{
	const char *top = getenv("top_builddir");
	char dir[1024];

	snprintf(dir, sizeof dir, "%s/locale", top != NULL ? top : ".");
	if (getenv("SHOPDESK_LOCALEDIR") == NULL)
		setenv("SHOPDESK_LOCALEDIR", dir, 1);
	unsetenv("LANGUAGE");
	setenv("LC_ALL", "C", 1);
	setlocale(LC_ALL, "C");

	test_fold();
	test_codes();
	test_carriers();
	test_refusals();

	/* The round trip reads the Chinese through gettext, so it asks for Chinese. */
	unsetenv("LC_ALL");
	if (setlocale(LC_ALL, "zh_CN.UTF-8") == NULL && setlocale(LC_ALL, "C.UTF-8") != NULL)
		setenv("LANGUAGE", "zh_CN", 1);
	i18n_init();
	test_round_trip();
	return done_testing();
}
