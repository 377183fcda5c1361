/* QR codes as SVG (libqrencode), for guides and for the notices' verification links. */
#ifndef YW_QR_H
#define YW_QR_H
#include <stddef.h>

#include "platform/arena.h"

/* An SVG image of text's QR code (error correction M, 4-module quiet zone) with title as its
 * accessible name, allocated in a; NULL when the text cannot be encoded. */
char *qr_svg(arena_t *a, const char *text, const char *title, size_t *len_out);

#endif
