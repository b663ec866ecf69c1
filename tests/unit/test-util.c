/*
 * test-util.c -- text sanitising and widths, time, buffers, hashing, tables,
 * JSON paths.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "model.h"
#include "status.h"
#include "tap.h"
#include "util/buf.h"
#include "util/jscan.h"
#include "util/jsonutil.h"
#include "util/sign.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

static void
test_sanitize(void)
{
	char *s;

	s = text_sanitize("a\x1b[31mred\x1b[0m b", 0);
	is_str(s, "ared b", "CSI colour sequences removed whole");
	free(s);
	s = text_sanitize("x\x1b]0;pwned\x07y", 0);
	is_str(s, "xy", "OSC title sequence (BEL) removed whole");
	free(s);
	s = text_sanitize("x\x1b]52;c;ZXZpbA==\x1b\\y", 0);
	is_str(s, "xy", "OSC 52 clipboard write (ST) removed whole");
	free(s);
	s = text_sanitize("x\xc2\x9b" "2Jy", 0);
	is_str(s, "xy", "C1 CSI (U+009B) sequence removed");
	free(s);
	s = text_sanitize("abc\xe2\x80\xae" "cba", 0);
	is_str(s, "abccba", "right-to-left override U+202E removed");
	free(s);
	s = text_sanitize("line1\nline2\tx\r", 0);
	is_str(s, "line1 line2 x ", "newline, tab and CR become spaces");
	free(s);
	s = text_sanitize("line1\nline2", TEXT_KEEP_NEWLINES);
	is_str(s, "line1\nline2", "newlines kept on request");
	free(s);
	s = text_sanitize("bad\xff\xfe" "utf8", 0);
	is_str(s, "bad\xef\xbf\xbd\xef\xbf\xbdutf8", "invalid UTF-8 becomes U+FFFD");
	free(s);
	s = text_sanitize("\x07\x08\x7f" "ok", 0);
	is_str(s, "ok", "BEL, BS and DEL removed");
	free(s);
	s = text_sanitize("张三丰", 0);
	is_str(s, "张三丰", "CJK passes unchanged");
	free(s);
	s = text_sanitize("\x1bPq#0;2;0;0;0\x1b\\after", 0);
	is_str(s, "after", "DCS (sixel) string removed whole");
	free(s);
}

/* Emoji sequences are measured as a terminal draws them (bug: ZWJ family was 8 columns). */
static void
test_width_emoji(void)
{
	struct buf b;
	int w;

	/* 👨‍👩‍👧‍👦: four emoji joined by U+200D. */
	is_int(text_width("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d"
	    "\xf0\x9f\x91\xa7\xe2\x80\x8d\xf0\x9f\x91\xa6"), 2, "a ZWJ family is 2 columns");
	is_int(text_width("a\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x92\xbb" "b"), 4,
	    "a ZWJ sequence between letters: 1 + 2 + 1");
	/* ❤️ U+2764 U+FE0F, emoji presentation; ❤ alone is one column. */
	is_int(text_width("\xe2\x9d\xa4\xef\xb8\x8f"), 2, "U+FE0F makes a text symbol 2 wide");
	is_int(text_width("\xe2\x9d\xa4"), 1, "the symbol alone is 1 wide");
	/* 👍🏽: a skin-tone modifier joins the emoji before it. */
	is_int(text_width("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd"), 2, "a skin tone adds no column");
	/* 🇨🇳🇯🇵: two flags of two regional indicators each. */
	is_int(text_width("\xf0\x9f\x87\xa8\xf0\x9f\x87\xb3\xf0\x9f\x87\xaf\xf0\x9f\x87\xb5"), 4,
	    "a regional-indicator pair is one 2-column flag");
	/* 🏳️‍🌈: U+1F3F3 U+FE0F U+200D U+1F308. */
	is_int(text_width("\xf0\x9f\x8f\xb3\xef\xb8\x8f\xe2\x80\x8d\xf0\x9f\x8c\x88"), 2,
	    "the rainbow flag is 2 columns");
	is_int(text_width("张三丰"), 6, "CJK stays 2 columns each");
	is_int(text_width("e\xcc\x81x"), 2, "combining marks still add nothing");
	/* Bug (fuzz-text): a name ending in a joiner swallowed a blank of its padding. */
	is_int(text_width("a\xe2\x80\x8d  "), 3, "a joiner does not join the ASCII after it");
	buf_init(&b);
	text_fit("\xef\xbd\x83\xe2\x80\x8d", 6, 1, &b);
	is_int(text_width(buf_str(&b)), 6, "a name ending in a joiner is padded to the width");
	buf_done(&b);
	is_int((long long)text_cluster("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbdx", 9, &w), 8,
	    "a cluster spans the emoji and its modifier");
	is_int(w, 2, "and is 2 columns");
	/* A cut never splits a sequence: the family does not fit in 2 columns with "…". */
	buf_init(&b);
	text_fit("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d"
	    "\xf0\x9f\x91\xa7xyz", 3, 1, &b);
	is_int(text_width(buf_str(&b)), 3, "fit to 3 columns gives 3 columns");
	ok(strstr(buf_str(&b), "\xe2\x80\x8d") != NULL && strstr(buf_str(&b), "xyz") == NULL,
	    "the sequence is kept whole (%s)", buf_str(&b));
	buf_reset(&b);
	text_fit("ab\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9", 3, 1, &b);
	is_str(buf_str(&b), "ab\xe2\x80\xa6", "a sequence that does not fit is left out whole");
	buf_done(&b);
}

static void
test_width(void)
{
	struct buf b;

	is_int(text_width("abc"), 3, "ASCII width");
	is_int(text_width("张三丰"), 6, "CJK characters are two columns each");
	is_int(text_width("e\xcc\x81"), 1, "combining accent has no width");
	buf_init(&b);
	text_fit("张三丰abc", 5, 1, &b);
	ok(text_width(buf_str(&b)) == 5, "fit to 5 columns gives 5 columns (%s)", buf_str(&b));
	ok(strncmp(buf_str(&b), "张三", 6) == 0, "cut keeps whole characters");
	buf_reset(&b);
	text_fit("张三丰", 4, 1, &b);
	is_int(text_width(buf_str(&b)), 4, "a wide character that does not fit is not split");
	buf_reset(&b);
	text_fit("ab", 5, 1, &b);
	is_str(buf_str(&b), "ab   ", "short text padded");
	buf_done(&b);
	is_int((long long)text_utf8_len("张a"), 2, "UTF-8 character count");
	test_width_emoji();
}

static void
test_time(void)
{
	char out[RFC3339_LEN];
	char *cause = NULL;
	time_t t;

	ok(time_parse_rfc3339("2026-11-22T08:15:00Z", &t) == 0, "parse RFC 3339");
	time_format_rfc3339(t, out);
	is_str(out, "2026-11-22T08:15:00Z", "format round-trips");
	ok(time_parse_rfc3339("2026-11-22T16:15:00+08:00", &t) == 0, "parse with offset");
	time_format_rfc3339(t, out);
	is_str(out, "2026-11-22T08:15:00Z", "offset converted to UTC");
	ok(time_parse_rfc3339("2026-13-01T00:00:00Z", &t) != 0, "month 13 refused");
	ok(time_parse_rfc3339("2026-11-22 08:15", &t) != 0, "missing seconds refused");
	ok(time_zone_set("UTC", &cause) == 0, "zone UTC");
	ok(time_parse_user("2024-02-29", 0, &t) == 0, "user date");
	time_format_rfc3339(t, out);
	is_str(out, "2024-02-29T00:00:00Z", "user date is start of day in the zone (UTC)");
	ok(time_parse_user("-7d", 1000000, &t) == 0 && t == 1000000 - 7 * 86400, "-7d");
	ok(time_parse_user("+7d", 1000000, &t) == 0 && t == 1000000 + 7 * 86400, "+7d");
	ok(time_parse_user("someday", 0, &t) != 0, "unknown word refused");
	ok(time_parse_user("2026-02-30", 0, &t) != 0, "a date that is not one refused");
	ok(time_parse_user("2026-12-12 24:00", 0, &t) != 0, "hour 24 refused");
	/* Quarter hours since the epoch (the cache's rollups). */
	ok(time_quarter_of("2026-11-20T08:47:33Z") == 1994627 &&
	    time_quarter_of("2026-11-20T08:45:00.000Z") == 1994627 &&
	    time_quarter_of("2026-11-20T08:44:59Z") == 1994626, "a time's quarter hour");
	ok(time_quarter_of("2026-11-20T16:47:33+08:00") == 1994627,
	    "its offset taken off");
	ok(time_quarter_of("2026-11-20T08:47") == 1994627 &&
	    time_quarter_of("2026-11-20 08:59:59") == 1994627,
	    "without seconds or zone, or with a space for the T: as UTC");
	ok(time_quarter_of("2026") == 0 && time_quarter_of("2026-11-20T08:4x") == 0 &&
	    time_quarter_of("2026-13-20T08:47") == 0 && time_quarter_of("") == 0,
	    "what is no time is quarter 0");
	ok(time_quarter(0) == 0 && time_quarter(899) == 0 && time_quarter(900) == 1 &&
	    time_quarter(-1) == -1 && time_quarter(-900) == -1 && time_quarter(-901) == -2,
	    "a time_t's quarter hour rounds down, before 1970 too");
}

/* One clock: the store's zone moves every day boundary and parsed date. */
static void
test_time_zone(void)
{
	char out[TIME_LOCAL_LEN], b[32];
	char *cause = NULL;
	time_t now, t;

	/* 2026-12-06T20:30:00Z: Monday 04:30 on the 7th in Beijing, 15:30 on the 6th in New York. */
	ok(time_parse_rfc3339("2026-12-06T20:30:00Z", &now) == 0, "now");
	ok(time_zone_set("+08:00", &cause) == 0, "fixed offset +08:00");
	is_str(time_zone_name(), "+08:00", "zone name kept");
	ok(time_utc_offset(now) == 8 * 3600, "offset +8 h");
	ok(time_parse_user("today", now, &t) == 0, "today (UTC+8)");
	time_format_rfc3339(t, out);
	is_str(out, "2026-12-06T16:00:00Z", "today starts at Beijing midnight");
	ok(time_parse_user("tomorrow", now, &t) == 0, "tomorrow");
	time_format_rfc3339(t, out);
	is_str(out, "2026-12-07T16:00:00Z", "tomorrow starts a day later");
	ok(time_parse_user("yesterday", now, &t) == 0, "yesterday");
	time_format_rfc3339(t, out);
	is_str(out, "2026-12-05T16:00:00Z", "yesterday");
	ok(time_parse_user("2026-12-12 20:00", now, &t) == 0, "date and time");
	time_format_rfc3339(t, out);
	is_str(out, "2026-12-12T12:00:00Z", "date and time are local");
	/* The forms a schedule takes, in the store's zone, not the machine's. */
	ok(time_parse_user("tomorrow 20:00", now, &t) == 0, "tomorrow 20:00");
	time_format_rfc3339(t, out);
	is_str(out, "2026-12-08T12:00:00Z", "tomorrow 20:00 is Beijing's evening");
	ok(time_parse_user("Now", now, &t) == 0 && t == now, "now");
	ok(time_parse_user("+2h", now, &t) == 0 && t == now + 7200, "+2h");
	ok(time_parse_user("+30m", now, &t) == 0 && t == now + 1800, "+30m");
	ok(time_parse_user("2026-12-12T20:00", now, &t) == 0, "a local time with a T");
	time_format_rfc3339(t, out);
	is_str(out, "2026-12-12T12:00:00Z", "... is local too");
	ok(time_parse_user("2026-12-12T20:00+09:00", now, &t) == 0, "a time with its offset");
	time_format_rfc3339(t, out);
	is_str(out, "2026-12-12T11:00:00Z", "... keeps its own offset");
	ok(time_parse_user("2026-12-12 20:00:30", now, &t) == 0, "seconds");
	ok(time_parse_user("tomorrow 25:00", now, &t) != 0, "tomorrow 25:00 refused");
	ok(time_parse_user("+2x", now, &t) != 0, "+2x refused");
	ok(time_parse_user("2026-12-12 20:00 junk", now, &t) != 0, "trailing junk refused");
	time_format_rfc3339_local(now, out);
	is_str(out, "2026-12-07T04:30:00+08:00", "local RFC 3339 carries the offset");
	/* CSV's times are the store's too, whatever the machine's TZ says. */
	{
		char ex[TIME_EXPORT_LEN];

		time_format_export(now, ex);
		is_str(ex, "2026-12-07 04:30:00 +08:00", "export time in the store's zone (+08:00)");
		ok(time_zone_set("America/New_York", &cause) == 0 || access(
		    "/usr/share/zoneinfo/America/New_York", R_OK) != 0, "a zone with DST");
		free(cause);
		cause = NULL;
		ok(time_zone_set("-05:00", &cause) == 0, "-05:00");
		time_format_export(now, ex);
		is_str(ex, "2026-12-06 15:30:00 -05:00", "export time at -05:00");
		ok(time_zone_set("+05:45", &cause) == 0, "+05:45 (Kathmandu)");
		time_format_export(now, ex);
		is_str(ex, "2026-12-07 02:15:00 +05:45", "export time carries minutes of offset");
		ok(time_zone_set("+08:00", &cause) == 0, "+08:00 again");
	}
	ok(time_zone_set("UTC-5", &cause) == 0, "UTC-5");
	ok(time_utc_offset(now) == -5 * 3600, "offset -5 h");
	ok(time_day_start(now, 0) == now - 15 * 3600 - 30 * 60, "day start UTC-5");
	time_format_local(now, "%Y-%m-%d %H:%M", b, sizeof b);
	is_str(b, "2026-12-06 15:30", "local format UTC-5");
	time_format_brief(now - 3 * 86400, now, b, sizeof b);
	is_str(b, "12-03 15:30", "brief: this half-year's time without its year");
	time_format_brief(now + 86400, now, b, sizeof b);
	is_str(b, "12-07 15:30", "brief: a deadline tomorrow");
	time_format_brief(now - 200 * 86400, now, b, sizeof b);
	is_str(b, "2026-05-20", "brief: an older time gets its year, not its hour");
	time_format_brief(now - 400 * 86400, now, b, sizeof b);
	is_str(b, "2025-11-01", "brief: last year's same month is not read as this year's");
	ok(time_zone_set("Mars/Olympus_Mons", &cause) != 0 && cause != NULL &&
	    strstr(cause, "Mars/Olympus_Mons") != NULL, "unknown zone refused, named");
	free(cause);
	cause = NULL;
	ok(time_zone_set("../../etc/passwd", &cause) != 0, "a path is not a zone");
	free(cause);
	cause = NULL;
	is_str(time_zone_name(), "UTC-5", "a refused zone leaves the zone alone");
	if (access("/usr/share/zoneinfo/Asia/Shanghai", R_OK) == 0) {
		ok(time_zone_set("Asia/Shanghai", &cause) == 0, "tz database name");
		ok(time_utc_offset(now) == 8 * 3600, "Asia/Shanghai is +8");
	}
	ok(time_zone_set("UTC", &cause) == 0 && time_utc_offset(now) == 0, "back to UTC");
}

static void
test_buf_sign(void)
{
	struct buf b;
	char hex[SHA256_HEX_LEN], sig1[SHA256_HEX_LEN], sig2[SHA256_HEX_LEN], tok[41];

	buf_init(&b);
	buf_add_json_string(&b, "a\"b\\c\n\x1b");
	is_str(buf_str(&b), "\"a\\\"b\\\\c\\n\\u001b\"", "JSON string escaping");
	buf_done(&b);
	sign_sha256_hex("abc", 3, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    "SHA-256 of abc (FIPS 180-4 example)");
	sign_request("k", "POST", "/v1/x?a=1", "100", "n1", "{}", 2, sig1);
	sign_request("k", "POST", "/v1/x?a=1", "100", "n1", "{} ", 3, sig2);
	ok(strcmp(sig1, sig2) != 0, "signature covers the body");
	sign_request("k", "POST", "/v1/x?a=2", "100", "n1", "{}", 2, sig2);
	ok(strcmp(sig1, sig2) != 0, "signature covers the query");
	sign_request("k", "POST", "/v1/x?a=1", "100", "n1", "{}", 2, sig2);
	is_str(sig1, sig2, "signature is deterministic");
	sign_random_token(tok, 40);
	is_int((long long)strlen(tok), 40, "random token length");
	ok(sign_equal("abc", "abc") && !sign_equal("abc", "abd") && !sign_equal("ab", "abc"),
	    "constant-time compare");
}

static void
test_tables(void)
{
	char out[32];
	int i, j, dup = 0;

	mask_phone("13812341234", out, sizeof out);
	is_str(out, "138****1234", "phone masked");
	for (i = 0; i < SD__COUNT; i++)
		for (j = i + 1; j < SD__COUNT; j++)
			if (status_exit_code((enum sd_status)i) == status_exit_code((enum sd_status)j))
				dup++;
	is_int(dup, 0, "every status has its own exit code");
	is_int(kind_from_name("canned_reply"), KIND_CANNED_REPLY, "kind by feed name");
	is_int(kind_from_path("canned-replies"), KIND_CANNED_REPLY, "kind by path");
	ok(!role_can_read(ROLE_WAREHOUSE, KIND_CONVERSATION), "warehouse cannot read chats");
	ok(role_can_read(ROLE_AGENT, KIND_CONVERSATION), "agents read chats");
	ok(carrier_find("sf") != NULL && carrier_find("DHL") == NULL, "carrier table");
}

static int
jscan_ok(const char *s)
{
	const char *end = s + strlen(s), *p = jscan_skip(s, end);

	return p != NULL && jscan_ws(p, end) == end;
}

static void
test_jscan(void)
{
	static const char *good[] = {
		"{}", "[]", "0", "-1.5e+10", "\"a\\u00e9\\n\"", "{\"a\":[1,{\"b\":null}],\"c\":true}",
		" [ 1 , 2 ] ", "\"张三丰\"", "\"abcdefghijklmn\\\"opqrstuvw\"",
		"\"abc\\u0041defgh\\\\\"", "{\"abcdefgh\":\"ijklmnopq\\/rs\"}", NULL
	};
	static const char *bad[] = {
		"{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", "-", "tru", "\"abc",
		"\"a\\x\"", "\"\\u12g4\"", "\"a\tb\"", "{\"a\":1}}", "[1 2]", "{1:2}",
		"\"abcdefghi\tjklmnop\"", "\"abcdefghijklmnopq", "\"abcdefgh\\", "\"abcdefgh\\u00",
		"\"abcdefghijk\\qrs\"", NULL
	};
	const char *page = "{\"next_since\":7,\"changes\":[{\"id\":\"A\",\"object\":{\"x\":[1,2]}},"
	    "{\"id\":\"B\"}],\"has_more\":false}";
	const char *p = page, *end = page + strlen(page), *ep, *val;
	struct jscan_member m;
	long long v = 0;
	size_t len;
	int i, n = 0, nbad = 0, rc;
	char deep[1200];

	for (i = 0; good[i] != NULL; i++)
		if (!jscan_ok(good[i])) {
			ok(0, "valid JSON accepted: %s", good[i]);
			nbad++;
		}
	ok(nbad == 0, "every valid JSON text is accepted");
	nbad = 0;
	for (i = 0; bad[i] != NULL; i++)
		if (jscan_ok(bad[i])) {
			ok(0, "malformed JSON refused: %s", bad[i]);
			nbad++;
		}
	ok(nbad == 0, "every malformed or truncated text is refused");
	memset(deep, '[', sizeof deep - 1);
	deep[sizeof deep - 1] = '\0';
	ok(!jscan_ok(deep), "nesting deeper than the limit is refused, not a crash");
	while ((rc = jscan_member_next(&p, end, &m)) == 1) {
		if (jscan_key_is(&m, "next_since"))
			jscan_int(m.val, m.vallen, &v);
		if (jscan_key_is(&m, "changes")) {
			ep = m.val;
			while (jscan_element_next(&ep, m.val + m.vallen, &val, &len) == 1)
				n++;
		}
	}
	ok(rc == 0 && v == 7 && n == 2, "members and elements of a feed page");
	for (i = (int)strlen(page) - 1; i > 0; i--) {
		const char *q = page;
		const char *qend = page + i;

		while ((rc = jscan_member_next(&q, qend, &m)) == 1)
			;
		if (rc != -1)
			break;
	}
	is_int(i, 0, "every truncation of a page is detected");
}

static void
test_arena(void)
{
	cJSON *o, *kept;
	char *s;
	int i, good = 1;

	json_hooks_install();
	for (i = 0; i < 1000; i++) {
		json_arena_begin();
		o = cJSON_Parse("{\"id\":\"SO1\",\"items\":[{\"t\":\"张三\"},{\"t\":\"b\"}]}");
		if (o == NULL || strcmp(cJSON_GetObjectItem(o, "id")->valuestring, "SO1") != 0)
			good = 0;
		cJSON_Delete(o);	/* a no-op inside the arena */
		json_arena_end();
	}
	ok(good, "objects parse in the arena, repeatedly");
	o = cJSON_Parse("[1,2,3]");
	ok(o != NULL && cJSON_GetArraySize(o) == 3, "outside an arena cJSON uses malloc");
	cJSON_Delete(o);

	/*
	 * A copy made on the heap inside an arena outlives it, though the
	 * arena's memory is used again (and scribbled over) after its end.
	 */
	json_arena_begin();
	o = cJSON_Parse("{\"note\":\"counted\",\"n\":[1,2]}");
	kept = json_heap_dup(o);
	json_arena_end();
	json_arena_begin();
	for (i = 0; i < 100; i++)
		(void)cJSON_Parse("{\"note\":\"XXXXXXXXXXXXXXXXXXXXXXXXXX\",\"n\":[9,9,9]}");
	json_arena_end();
	s = kept != NULL ? cJSON_PrintUnformatted(kept) : NULL;
	is_str(s, "{\"note\":\"counted\",\"n\":[1,2]}", "a heap copy made in an arena outlives it");
	free(s);
	cJSON_Delete(kept);
	ok(json_heap_dup(NULL) == NULL, "a heap copy of nothing is nothing");
}

static void
test_json_path(void)
{
	static const char text[] = "{\"id\":\"SO1\",\"shipment\":{\"carrier\":\"SF\","
	    "\"tracking_no\":\"SF123\"},\"sla\":{\"resolve_due\":\"2026-11-21T08:00:00Z\","
	    "\"first_action_at\":null},\"items\":[{\"title\":\"茶杯\"},{\"title\":\"茶壶\"}],"
	    "\"address\":{\"geo\":{\"lat\":31}},\"a.b\":1,\"0\":{\"x\":\"zero\"},"
	    "\"total\":100,\"abnormal\":\"no\"}";
	char key[200];
	cJSON *o = cJSON_Parse(text);

	ok(o != NULL, "the json_path test object parses");
	is_str(json_path_str(o, "id"), "SO1", "json_path: a plain member");
	is_str(json_path_str(o, "shipment.tracking_no"), "SF123", "shipment.tracking_no");
	is_str(json_path_str(o, "sla.resolve_due"), "2026-11-21T08:00:00Z", "sla.resolve_due");
	is_str(json_path_str(o, "items.0.title"), "茶杯", "items.0.title: a digit indexes an array");
	is_str(json_path_str(o, "items.1.title"), "茶壶", "items.1.title");
	ok(json_path(o, "items.2.title") == NULL, "items.2.title: past the end is absent");
	ok(json_path(o, "items.x") == NULL, "items.x: a name does not index an array");
	ok(json_path(o, "items.-1") == NULL, "items.-1: no negative index");
	is_int(cJSON_IsNumber(json_path(o, "address.geo.lat")) ?
	    json_path(o, "address.geo.lat")->valueint : -1, 31, "three levels deep");
	is_str(json_path_str(o, "0.x"), "zero", "a member named by digits in an object");
	ok(json_path(o, "a.b") == NULL, "a member whose name has a dot is not reached by a path");
	ok(cJSON_IsNull(json_path(o, "sla.first_action_at")), "null is a value: json_path finds it");
	ok(json_path_str(o, "sla.first_action_at") == NULL, "json_path_str: null is no string");
	ok(json_path_str(o, "total") == NULL, "json_path_str: a number is no string");
	ok(json_path(o, "abnormal.reason") == NULL, "a string has no members");
	ok(json_path(o, "shipment.carrier.x") == NULL, "nor does a string at the end of a path");
	ok(json_path(o, "shipment.") == NULL, "an empty last component names nothing");
	ok(json_path(o, "nope.tracking_no") == NULL, "an absent step");
	ok(json_path(NULL, "shipment.carrier") == NULL, "a NULL object");
	ok(json_path(o, "shipment") == cJSON_GetObjectItemCaseSensitive(o, "shipment"),
	    "a one-step path is the member itself");
	ok(json_path(o, "Shipment.carrier") == NULL, "names are case-sensitive");
	/* Steps named by more than 64 bytes: found whole, never truncated. */
	memset(key, 'k', 63);
	key[63] = '\0';
	cJSON_AddItemToObject(o, key, cJSON_Parse("{\"x\":\"short\"}"));
	memset(key, 'k', 100);
	key[100] = '\0';
	ok(json_path(o, key) == NULL, "a long absent name is not its 63-byte prefix");
	cJSON_AddItemToObject(o, key, cJSON_Parse("{\"x\":\"long\"}"));
	strcat(key, ".x");
	is_str(json_path_str(o, key), "long", "a step named by 100 bytes is found whole");
	cJSON_Delete(o);
}

/* error_echo_bounded: an echo of input in a message is short and clean. */
static void
test_clip(void)
{
	char *big = xmalloc(2097153), *s;
	int i;

	memset(big, 'A', 2097152);
	big[2097152] = '\0';
	s = text_clip(big);
	ok(strncmp(s, big, 60) == 0 && strcmp(s + 60, "\xe2\x80\xa6 (2097152 bytes)") == 0,
	    "2 MB: 60 characters, then the length (%.80s)", s);
	free(s);
	s = text_clip("short");
	is_str(s, "short", "short input is kept whole");
	free(s);
	s = text_clip("a\x1b[31mb\nc\x07");
	is_str(s, "ab c", "controls and escape sequences removed");
	free(s);
	memset(big, 0, 200);
	for (i = 0; i < 61; i++)
		strcat(big, "张");
	s = text_clip(big);
	ok(strncmp(s, big, 180) == 0 && strcmp(s + 180, "\xe2\x80\xa6 (183 bytes)") == 0,
	    "cut on a character boundary (%s)", s);
	free(s);
	s = text_clip(NULL);
	is_str(s, "", "NULL is empty");
	free(s);
	free(big);
}

/* nul_in_store_text: \u0000 cut a string where cJSON ends it. */
static void
test_json_nul(void)
{
	struct buf b;
	char text[] = "{\"a\":\"x\\u0000y\",\"b\":\"\\\\u0000\"}";
	cJSON *o;
	char text2[] = "[\"abcdefghij\\u0000\",\"\\\\\\u0000\",\"\\\\u0000\",\"k\\u0000\"]";
	char text3[] = "\"abcdefg\\u0000\"";

	is_int((long long)json_nul_replace(text2, strlen(text2)), 3,
	    "NUL escapes after long runs and after escaped backslashes, not an escaped backslash's u0000");
	is_str(text2, "[\"abcdefghij\\ufffd\",\"\\\\\\ufffd\",\"\\\\u0000\",\"k\\ufffd\"]",
	    "each rewritten in place");
	is_int((long long)json_nul_replace(text3, strlen(text3) - 2), 0, "a cut escape is left alone");
	is_int((long long)json_nul_replace(text3, strlen(text3)), 1, "and rewritten whole");
	is_int((long long)json_nul_replace(text, strlen(text)), 1, "one NUL escape rewritten");
	o = cJSON_Parse(text);
	is_str(json_str(o, "a"), "x\xef\xbf\xbdy", "the NUL is U+FFFD and what follows is kept");
	is_str(json_str(o, "b"), "\\u0000", "an escaped backslash before u0000 is left alone");
	cJSON_Delete(o);
	/* json_invalid_utf8: JSON written by hand (status) is valid UTF-8 too. */
	buf_init(&b);
	buf_add_json_string(&b, "a\xff\xc3" "b\xc2\x9b" "张");
	is_str(buf_str(&b), "\"a\\ufffd\\ufffdb\\u009b张\"", "invalid bytes are \\ufffd, C1 escaped");
	buf_done(&b);
}

/* A store's Retry-After is obeyed only within BACKEND_RETRY_AFTER_MAX. */
static void
test_retry_after(void)
{
	ok(backend_retry_after("2.5") == 2.5, "Retry-After: 2.5 is 2.5 s");
	ok(backend_retry_after("1") == 1, "Retry-After: 1 is 1 s");
	ok(backend_retry_after("1000000000") == BACKEND_RETRY_AFTER_MAX,
	    "Retry-After: a billion seconds is capped at %d", BACKEND_RETRY_AFTER_MAX);
	ok(backend_retry_after("1e308") == BACKEND_RETRY_AFTER_MAX, "Retry-After: 1e308 capped");
	ok(backend_retry_after("-5") == 0, "Retry-After: -5 is ignored");
	ok(backend_retry_after("nan") == 0, "Retry-After: nan is ignored");
	ok(backend_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0,
	    "Retry-After as an HTTP date is ignored (the backoff applies)");
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	/* The machine is in none of the zones the tests set (timeutil.h: the store's wins). */
	setenv("TZ", "Pacific/Honolulu", 1);
	test_retry_after();
	test_sanitize();
	test_width();
	test_time();
	test_time_zone();
	test_buf_sign();
	test_tables();
	test_jscan();
	test_arena();
	test_json_path();
	test_json_nul();
	test_clip();
	return done_testing();
}
