/*
 * slip.c -- packing slips as PDF (slip.h).
 *
 * The PDF is written uncompressed: a slip is a few kilobytes, and its text
 * and barcode image stay readable by a script (tests/integration/slips.sh).
 * Text is converted from UTF-8 to GBK for SimSun's GB-EUC-H encoding;
 * what GBK cannot carry becomes '?'. The order number is also printed in
 * Helvetica under the bars, for a person and for a search of the file.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <zint.h>

#include "model.h"
#include "slip.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define SLIP_W		298.0f		/* A6, points */
#define SLIP_H		420.0f
#define SLIP_MARGIN	18.0f

struct slip_err {
	jmp_buf		 jmp;
	HPDF_STATUS	 code;
	HPDF_STATUS	 detail;
};

static void
slip_on_error(HPDF_STATUS code, HPDF_STATUS detail, void *arg)
{
	struct slip_err *e = arg;

	e->code = code;
	e->detail = detail;
	longjmp(e->jmp, 1);
}

/* UTF-8 s as GBK (controls out), '?' for what GBK lacks; caller frees. */
static char *
slip_gbk(iconv_t cd, const char *s)
{
	char *clean = text_sanitize(s != NULL ? s : "", 0), *in = clean, *out, *o;
	size_t inleft = strlen(clean), outleft = inleft * 2 + 4;

	o = out = xmalloc(outleft);
	iconv(cd, NULL, NULL, NULL, NULL);
	while (inleft > 0) {
		if (iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1)
			break;
		if (errno != EILSEQ && errno != EINVAL)
			break;
		/* Skip one UTF-8 character. */
		*o++ = '?';
		outleft--;
		do {
			in++;
			inleft--;
		} while (inleft > 0 && ((unsigned char)*in & 0xc0) == 0x80);
	}
	*o = '\0';
	free(clean);
	return out;
}

static void
slip_text(HPDF_Page page, HPDF_Font font, float size, float x, float y, const char *gbk)
{
	HPDF_Page_BeginText(page);
	HPDF_Page_SetFontAndSize(page, font, size);
	HPDF_Page_TextOut(page, x, y, gbk);
	HPDF_Page_EndText(page);
}

/* The order number as Code 128 bars, drawn at (x, y) w wide. */
static int
slip_barcode(HPDF_Doc pdf, HPDF_Page page, const char *id, float x, float y, float w,
    float h, char **cause)
{
	struct zint_symbol *sym = ZBarcode_Create();
	unsigned char *gray;
	HPDF_Image img;
	int i, n, rc;

	sym->symbology = BARCODE_CODE128;
	sym->height = 40;
	sym->show_hrt = 0;
	sym->whitespace_width = 10;	/* the quiet zones a scanner needs */
	rc = ZBarcode_Encode_and_Buffer(sym, (const unsigned char *)id, (int)strlen(id), 0);
	if (rc >= ZINT_ERROR || sym->bitmap == NULL) {
		*cause = xasprintf("order %s cannot be a Code 128 barcode: %s", id, sym->errtxt);
		ZBarcode_Delete(sym);
		return -1;
	}
	n = sym->bitmap_width * sym->bitmap_height;
	gray = xmalloc((size_t)n);
	for (i = 0; i < n; i++)
		gray[i] = sym->bitmap[3 * i];	/* black or white: one channel says it */
	img = HPDF_LoadRawImageFromMem(pdf, gray, (HPDF_UINT)sym->bitmap_width,
	    (HPDF_UINT)sym->bitmap_height, HPDF_CS_DEVICE_GRAY, 8);
	HPDF_Page_DrawImage(page, img, x, y, w, h);
	free(gray);
	ZBarcode_Delete(sym);
	return 0;
}

/* One page: the order's slip. */
static int
slip_page(HPDF_Doc pdf, HPDF_Font cjk, HPDF_Font latin, iconv_t cd, const cJSON *o,
    char **cause)
{
	HPDF_Page page = HPDF_AddPage(pdf);
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "address"), *it;
	const char *id = json_str(o, "id");
	float y = SLIP_H - SLIP_MARGIN - 14;
	struct buf b;
	char *g;

	HPDF_Page_SetWidth(page, SLIP_W);
	HPDF_Page_SetHeight(page, SLIP_H);
	g = slip_gbk(cd, "装箱单 Packing slip");
	slip_text(page, cjk, 14, SLIP_MARGIN, y, g);
	free(g);
	y -= 70;
	if (slip_barcode(pdf, page, id, SLIP_MARGIN, y, SLIP_W - 2 * SLIP_MARGIN, 60, cause) != 0)
		return -1;
	y -= 14;
	slip_text(page, latin, 12, SLIP_MARGIN + 70, y, id);
	y -= 24;
	buf_init(&b);
	g = slip_gbk(cd, "收件人 Ship to");
	slip_text(page, cjk, 9, SLIP_MARGIN, y, g);
	free(g);
	buf_addf(&b, "%s  %s", json_str(a, "name") ? json_str(a, "name") : "",
	    json_str(a, "phone") ? json_str(a, "phone") : "");
	y -= 14;
	g = slip_gbk(cd, buf_str(&b));
	slip_text(page, cjk, 11, SLIP_MARGIN, y, g);
	free(g);
	buf_reset(&b);
	buf_addf(&b, "%s%s%s", json_str(a, "province") ? json_str(a, "province") : "",
	    json_str(a, "city") ? json_str(a, "city") : "",
	    json_str(a, "district") ? json_str(a, "district") : "");
	y -= 14;
	g = slip_gbk(cd, buf_str(&b));
	slip_text(page, cjk, 11, SLIP_MARGIN, y, g);
	free(g);
	y -= 14;
	g = slip_gbk(cd, json_str(a, "line"));
	slip_text(page, cjk, 11, SLIP_MARGIN, y, g);
	free(g);
	y -= 24;
	g = slip_gbk(cd, "商品 Items  SKU  数量 Qty");
	slip_text(page, cjk, 9, SLIP_MARGIN, y, g);
	free(g);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(o, "items")) {
		if ((y -= 14) < SLIP_MARGIN)
			break;		/* the page is full; the rest would fall off */
		buf_reset(&b);
		buf_addf(&b, "%-10s x%-3lld %s", json_str(it, "sku_id") ? json_str(it, "sku_id") :
		    "?", json_int(it, "quantity", 0), json_str(it, "title") ?
		    json_str(it, "title") : "");
		g = slip_gbk(cd, buf_str(&b));
		slip_text(page, cjk, 10, SLIP_MARGIN, y, g);
		free(g);
	}
	buf_done(&b);
	return 0;
}

int
slip_pdf(const cJSON *const *orders, size_t n, struct buf *out, char **cause)
{
	struct slip_err e;
	HPDF_Doc volatile pdf = NULL;
	HPDF_Font cjk, latin;
	HPDF_BYTE chunk[8192];
	HPDF_UINT32 len, left;
	iconv_t cd;
	volatile int rc = -1;
	size_t i;

	if ((cd = iconv_open("GBK", "UTF-8")) == (iconv_t)-1) {
		*cause = xstrdup("this system cannot convert text to GBK (iconv) for the slip's font");
		return -1;
	}
	memset(&e, 0, sizeof e);
	if (setjmp(e.jmp) != 0) {
		*cause = xasprintf("the PDF could not be made (libharu error 0x%04X, %u)",
		    (unsigned)e.code, (unsigned)e.detail);
		goto out;
	}
	if ((pdf = HPDF_New(slip_on_error, &e)) == NULL) {
		*cause = xstrdup("the PDF could not be made (out of memory)");
		goto out;
	}
	HPDF_SetCompressionMode(pdf, HPDF_COMP_NONE);
	HPDF_UseCNSFonts(pdf);
	HPDF_UseCNSEncodings(pdf);
	cjk = HPDF_GetFont(pdf, "SimSun", "GB-EUC-H");
	latin = HPDF_GetFont(pdf, "Helvetica", NULL);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "shopdesk");
	for (i = 0; i < n; i++)
		if (slip_page(pdf, cjk, latin, cd, orders[i], cause) != 0)
			goto out;
	HPDF_SaveToStream(pdf);
	HPDF_ResetStream(pdf);
	for (left = HPDF_GetStreamSize(pdf); left > 0; left -= len) {
		len = left < sizeof chunk ? left : (HPDF_UINT32)sizeof chunk;
		HPDF_ReadFromStream(pdf, chunk, &len);
		if (len == 0)
			break;
		buf_add(out, chunk, len);
	}
	rc = 0;
out:
	if (pdf != NULL)
		HPDF_Free(pdf);
	iconv_close(cd);
	return rc;
}

int
slip_allowed(struct cache *c, char **why)
{
	char *role = cache_state_get(c, "me.role");
	int r = role != NULL ? role_from_name(role) : -1;

	if (r == ROLE_ADMIN || r == ROLE_WAREHOUSE) {
		free(role);
		return 1;
	}
	if (r < 0)
		*why = xstrdup("the cache does not know your role yet: run 'shopdesk sync'");
	else
		*why = xasprintf("a packing slip carries the full address, which your role (%s) "
		    "may not see; admin or warehouse prints slips", role);
	free(role);
	return 0;
}

int
slip_print(const char *command, const struct buf *pdf, char **cause)
{
	void (*old)(int);
	FILE *f;
	int rc;

	if ((f = popen(command, "w")) == NULL) {
		*cause = xasprintf("cannot run '%s'", command);
		return -1;
	}
	old = signal(SIGPIPE, SIG_IGN);
	rc = fwrite(pdf->data, 1, pdf->len, f) == pdf->len ? 0 : -1;
	if (pclose(f) != 0)
		rc = -1;
	signal(SIGPIPE, old);
	if (rc != 0)
		*cause = xasprintf("'%s' failed: the slips were not printed", command);
	return rc;
}
