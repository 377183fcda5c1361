// Fetch wrapper for the yiwang API (docs/api.md): JSON in and out, same-origin cookies,
// and the X-CSRF-Token header on every write. The token is taken from any response that
// carries `csrf_token` (login, register, me).

let csrfToken = null;
let onUnauthorized = null;

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || [];
  }

  // details as {field: message}; array indexes normalised to dots: materials[0].name -> materials.0.name
  get fields() {
    const out = {};
    for (const d of this.details) {
      if (d && d.field) out[String(d.field).replace(/\[(\d+)\]/g, '.$1')] = d.message;
    }
    return out;
  }
}

export function setCsrfToken(token) {
  csrfToken = token || null;
}

// Called on a 401 from anything but the auth endpoints (the session has expired).
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

const STATUS_MESSAGES = {
  400: '请求格式有误', 401: '请先登录', 403: '没有权限执行此操作', 404: '请求的内容不存在',
  405: '不支持的操作', 409: '当前状态不允许此操作', 413: '提交的内容过大', 415: '请求格式有误',
  422: '数据校验失败', 429: '操作过于频繁，请稍后再试',
};

export function buildQuery(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

// body: an object sent as JSON, or a File/Blob sent as it is (uploads).
export async function request(method, path, { body, query } = {}) {
  const headers = { Accept: 'application/json' };
  const raw = typeof Blob !== 'undefined' && body instanceof Blob;
  if (body !== undefined) headers['Content-Type'] = raw ? body.type || 'application/octet-stream' : 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(path + buildQuery(query), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined || raw ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试');
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    if (res.status === 401 && onUnauthorized && !path.startsWith('/api/v1/auth/')) onUnauthorized();
    throw new ApiError(res.status, err.code || 'http_' + res.status,
      err.message || STATUS_MESSAGES[res.status] || '服务器错误（' + res.status + '）', err.details);
  }
  if (data && typeof data.csrf_token === 'string') csrfToken = data.csrf_token;
  return data;
}

export const get = (path, query) => request('GET', path, { query });
export const post = (path, body = {}) => request('POST', path, { body });
export const put = (path, body = {}) => request('PUT', path, { body });
// POST /api/v1/files?name=...: the file itself is the body; the server judges its type by content.
export const uploadFile = (file) => request('POST', '/api/v1/files', { body: file, query: { name: file.name } });
