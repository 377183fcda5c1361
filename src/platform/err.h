/* Status codes shared by every module. Functions return 0 on success or one of these
 * negative values; results travel through out-parameters. The HTTP layer maps a status to
 * a response exactly once (platform/http.c, http_status_for). */
#ifndef YW_ERR_H
#define YW_ERR_H

enum yw_status {
	YW_OK = 0,
	YW_EMALFORMED = -1, /* 400: the input cannot be parsed at all */
	YW_EINVAL = -2,     /* 422: parsed, but a field's value is wrong */
	YW_EAUTH = -3,      /* 401: not signed in, or bad credentials */
	YW_EFORBIDDEN = -4, /* 403: signed in, not allowed */
	YW_ENOTFOUND = -5,  /* 404 */
	YW_ECONFLICT = -6,  /* 409: the state does not allow this now */
	YW_ETOOLARGE = -7,  /* 413 */
	YW_EMEDIATYPE = -8, /* 415 */
	YW_ETHROTTLED = -9, /* 429 */
	YW_EDB = -10,       /* 500: the store failed */
	YW_EIO = -11,       /* 500: a file or the system failed */
	YW_EUNAVAILABLE = -12, /* 503: shutting down; the request was not carried out */
};

#endif

