// A small history-API router. Routes are {path: '/guide/:code/print', ...anything}; the
// matched definition, params and query are exposed in the reactive `route`. Clicks on
// same-origin <a href> links are handled here, so pages use plain anchors.
const { reactive } = Vue;

export const route = reactive({ path: '/', fullPath: '/', params: {}, query: {}, def: null });

let table = [];

export function defineRoutes(defs) {
  table = defs.map((def) => {
    const keys = [];
    const source = def.path.replace(/:(\w+)/g, (_, k) => (keys.push(k), '([^/]+)'));
    return { def, keys, re: new RegExp('^' + source + '/?$') };
  });
  resolve();
}

function resolve() {
  const url = new URL(location.href);
  for (const { def, keys, re } of table) {
    const m = re.exec(url.pathname);
    if (!m) continue;
    const params = {};
    keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
    if (def.redirect) return navigate(def.redirect(params), { replace: true });
    Object.assign(route, {
      path: url.pathname, fullPath: url.pathname + url.search, params,
      query: Object.fromEntries(url.searchParams), def,
    });
    return;
  }
}

export function navigate(to, { replace = false } = {}) {
  const before = location.pathname;
  history[replace ? 'replaceState' : 'pushState'](null, '', to);
  resolve();
  if (location.pathname !== before) window.scrollTo(0, 0);
}

// '/search', {q: '社保', page: ''} -> '/search?q=%E7...' (empty values dropped)
export function href(path, query = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? path + '?' + s : path;
}

window.addEventListener('popstate', resolve);

document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[href]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  if (a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  // Only app routes: same origin, no file extension, not the API.
  if (url.origin !== location.origin || url.pathname.includes('.') || url.pathname.startsWith('/api/')) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});
