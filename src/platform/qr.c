/* See qr.h. */
#include "platform/qr.h"

#include <qrencode.h>
#include <stdio.h>

char *qr_svg(arena_t *a, const char *text, const char *title, size_t *len_out)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return NULL;
	int w = qr->width, border = 4, size = w + 2 * border;
	/* one dark module is at most "M999 999h1v1h-1z" */
	size_t cap = (size_t)w * (size_t)w * 24 + 512, len = 0;
	char *svg = arena_alloc(a, cap);
	len += (size_t)snprintf(svg + len, cap - len,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
				"<title>%s</title><rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/><path d=\"",
				size, size, title);
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w; x++)
			if (qr->data[y * w + x] & 1)
				len += (size_t)snprintf(svg + len, cap - len, "M%d %dh1v1h-1z", x + border, y + border);
	len += (size_t)snprintf(svg + len, cap - len, "\" fill=\"#000\"/></svg>");
	QRcode_free(qr);
	*len_out = len;
	return svg;
}
