// Issue 8, "holds under attack": the sign-in throttle (per address and per account, growing
// delays, 429 + Retry-After, never locking the real user out), the bounded failure table,
// sessions and tokens ending on a password change or a disabled account, bearer logout, token
// lifetime, listing and revocation, links from public_origin (never Host), UI security headers,
// the SPA's 404 and the per-address limit of anonymous writes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, Client, as, PASSWORD, sqlValue, sqlExec } from './helpers.mjs';
import { pairDevice } from './hall_helpers.mjs';

const ORIGIN = 'https://zwfw.example.gov.cn';
let srv; // test clock, public_origin https
let tight; // a small anonymous-write limit

before(async () => {
  srv = await startServer({ clock: true, config: { public_origin: ORIGIN, token_max_days: 30 } });
  tight = await startServer({ config: { anon_write_burst: 4, anon_write_per_minute: 1, trusted_proxy: '127.0.0.50' } });
});
after(async () => {
  await srv?.stop();
  await tight?.stop();
});

// One value as the sqlite3 CLI prints it ('' for NULL or no row).
const sql = (q) => String(sqlValue(srv, q) ?? '');

// One request from a chosen loopback address (127.0.0.0/8 all reaches the server), with any
// headers, Host included. Keeps its cookies (session and known-device) like a browser.
class Browser {
  constructor(base, addr = '127.0.0.1') {
    this.url = new URL(base);
    this.addr = addr;
    this.cookies = {};
    this.csrf = null;
    this.token = null;
  }

  req(method, path, body, headers = {}) {
    const h = { ...headers };
    const jar = Object.entries(this.cookies).map(([k, v]) => `${k}=${v}`).join('; ');
    if (jar) h.Cookie = jar;
    if (this.csrf && method !== 'GET') h['X-CSRF-Token'] = this.csrf;
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    let payload = null;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      h['Content-Type'] = 'application/json';
      h['Content-Length'] = Buffer.byteLength(payload);
    }
    return new Promise((resolve, reject) => {
      const r = http.request({
        host: this.url.hostname, port: this.url.port, path, method, headers: h, localAddress: this.addr,
      }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => { text += d; });
        res.on('end', () => {
          for (const c of res.headers['set-cookie'] || []) {
            const m = c.match(/^(\w+)=([^;]*)/);
            if (m) { if (m[2]) this.cookies[m[1]] = m[2]; else delete this.cookies[m[1]]; }
          }
          let json = null;
          try { json = JSON.parse(text); } catch { /* not JSON */ }
          resolve({ status: res.statusCode, headers: res.headers, text, json });
        });
      });
      r.on('error', reject);
      if (payload) r.write(payload);
      r.end();
    });
  }

  async login(username, password = PASSWORD) {
    const r = await this.req('POST', '/api/v1/auth/login', { username, password });
    if (r.status === 200) this.csrf = r.json.csrf_token;
    return r;
  }
}

// Fails to sign in to `username` from `b` until `failures` attempts were counted (401), moving
// the server's clock over every delay met (429): the attacker who waits out each delay.
async function guess(b, username, failures) {
  let counted = 0;
  while (counted < failures) {
    const r = await b.req('POST', '/api/v1/auth/login', { username, password: 'wrong-pass1' });
    if (r.status === 401) counted++;
    else if (r.status === 429) srv.advance(Number(r.headers['retry-after']));
    else assert.fail(`unexpected ${r.status} ${r.text}`);
  }
}

test('a burst of wrong passwords is answered 429 with Retry-After before any password is checked', async () => {
  const b = new Browser(srv.base, '127.0.0.20');
  const seen = [];
  for (let i = 0; i < 12; i++) {
    const r = await b.req('POST', '/api/v1/auth/login', { username: 'rexian02', password: 'wrong-pass1' });
    seen.push(r.status);
    if (r.status === 429) {
      assert.ok(Number(r.headers['retry-after']) >= 1, 'Retry-After in seconds');
      assert.match(r.json.error.message, /频繁/);
      assert.equal(r.json.error.code, 'too_many_requests');
      break;
    }
  }
  assert.ok(seen.includes(429), `throttled: ${seen}`);
  assert.deepEqual(seen.slice(0, 2), [401, 401], 'the first failures are plain wrong passwords');
  const row = sql("SELECT count FROM login_failures WHERE username = 'rexian02'");
  assert.ok(Number(row) >= 3 && Number(row) < 12, `throttled attempts are not counted (count ${row})`);
});

test('the delay grows with each failure, and the real user signs in after it, or at once from a known device or session', async () => {
  // Before the attack: the clerk signs in from her own browser (known device), and keeps a
  // second browser signed in.
  const mine = new Browser(srv.base, '127.0.0.2');
  assert.equal((await mine.login('window02')).status, 200);
  assert.ok(mine.cookies.yw_device, 'a known-device cookie is set at sign-in');
  await mine.req('POST', '/api/v1/auth/logout', {});
  assert.equal(mine.cookies.yw_session, undefined);
  const tab = new Browser(srv.base, '127.0.0.3');
  assert.equal((await tab.login('window02')).status, 200);

  // Someone who knows her username guesses from elsewhere, waiting out each delay.
  const attacker = new Browser(srv.base, '127.0.0.4');
  await guess(attacker, 'window02', 8);
  const r = await attacker.req('POST', '/api/v1/auth/login', { username: 'window02', password: 'wrong-pass1' });
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers['retry-after']) >= 16, `the delay doubled (${r.headers['retry-after']} s)`);

  // A new browser with the right password is refused while the account waits …
  const fresh = new Browser(srv.base, '127.0.0.5');
  const refused = await fresh.login('window02');
  assert.equal(refused.status, 429);
  assert.ok(refused.headers['retry-after']);
  // … but her own browser (known device) and her signed-in tab get in at once.
  assert.equal((await mine.login('window02')).status, 200, 'known device');
  assert.equal((await tab.login('window02')).status, 200, 'still-valid session');
  // A known device of another account does not help.
  const other = new Browser(srv.base, '127.0.0.6');
  assert.equal((await other.login('window03')).status, 200);
  other.cookies = { yw_device: other.cookies.yw_device };
  other.csrf = null;
  assert.equal((await other.login('window02')).status, 429);

  // After the delay, the right password signs in from anywhere and the count starts again.
  srv.advance(Number(refused.headers['retry-after']) + 1);
  assert.equal((await fresh.login('window02')).status, 200);
  assert.equal(sql("SELECT COUNT(*) FROM login_failures WHERE username = 'window02'"), '0');
});

test('the address is throttled on its own, whatever names it tries', async () => {
  const b = new Browser(srv.base, '127.0.0.7');
  let r;
  for (let i = 0; i < 30; i++) {
    r = await b.req('POST', '/api/v1/auth/login', { username: `nobody${i}`, password: 'wrong-pass1' });
    if (r.status === 429) break;
    assert.equal(r.status, 401);
  }
  assert.equal(r.status, 429, 'many names from one address');
  const wait = Number(r.headers['retry-after']);
  assert.ok(wait >= 1);
  assert.equal((await b.login('window04')).status, 429, 'the address waits, even with a right password');
  assert.equal((await new Browser(srv.base, '127.0.0.8').login('window04')).status, 200, 'other addresses do not');
  srv.advance(wait + 1);
  assert.equal((await b.login('window04')).status, 200);
});

test('the failure table keeps one row per real account, none for unknown names', async () => {
  for (let i = 0; i < 40; i++) {
    const b = new Browser(srv.base, `127.0.1.${i + 1}`);
    const r = await b.req('POST', '/api/v1/auth/login', { username: `ghost-${i}-${Date.now()}`, password: 'x1234567' });
    assert.equal(r.status, 401);
  }
  await guess(new Browser(srv.base, '127.0.0.9'), 'window05', 6);
  assert.equal(sql('SELECT COUNT(*) FROM login_failures WHERE username NOT IN (SELECT username FROM users)'), '0');
  assert.equal(sql("SELECT COUNT(*) || ':' || MAX(count) FROM login_failures WHERE username = 'window05'"), '1:6');
  // Unknown names are throttled all the same (in memory), so a 429 does not tell which exist.
  const b = new Browser(srv.base, '127.0.0.10');
  let r;
  for (let i = 0; i < 6; i++) {
    r = await b.req('POST', '/api/v1/auth/login', { username: 'no-such-user', password: 'wrong-pass1' });
    if (r.status === 429) break;
  }
  assert.equal(r.status, 429);
  // Failed sign-ins stay out of the audit chain.
  assert.equal(sql("SELECT COUNT(*) FROM audit WHERE entity = 'login_failures'"), '0');
});

test('a password change ends the account\'s sessions and API tokens', async () => {
  const admin = await as(srv.base, 'center_admin');
  const clerk = await as(srv.base, 'window06');
  const t = await clerk.post('/api/v1/auth/tokens', { name: '叫号机' });
  assert.equal(t.status, 201, t.text);
  const machine = new Client(srv.base);
  machine.token = t.json.token;
  assert.equal((await machine.get('/api/v1/auth/me')).status, 200);
  const id = (await clerk.get('/api/v1/auth/me')).json.user.id;
  const r = await admin.put(`/api/v1/users/${id}`, { password: 'newpass2026' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await clerk.get('/api/v1/auth/me')).status, 401, 'session ended');
  assert.equal((await machine.get('/api/v1/auth/me')).status, 401, 'token revoked');
  const list = await admin.get(`/api/v1/users/${id}/tokens`);
  assert.equal(list.json.items[0].state, 'revoked');
  assert.ok(Number(sql(`SELECT COUNT(*) FROM audit WHERE action = 'token.revoke' AND entity_id = '${t.json.id}'`)) === 1);
  const again = new Client(srv.base);
  await again.login('window06', 'newpass2026');

  // The user's own change: the current password is checked, other sessions end, this one goes on.
  const other = await as(srv.base, 'window07');
  const me = await as(srv.base, 'window07');
  let p = await me.post('/api/v1/auth/password', { current_password: 'wrong-pass1', new_password: 'another2026' });
  assert.equal(p.status, 422);
  assert.equal(p.json.error.details[0].field, 'current_password');
  p = await me.post('/api/v1/auth/password', { current_password: PASSWORD, new_password: 'short' });
  assert.equal(p.status, 422);
  assert.equal(p.json.error.details[0].field, 'new_password');
  p = await me.post('/api/v1/auth/password', { current_password: PASSWORD, new_password: 'another2026' });
  assert.equal(p.status, 200, p.text);
  me.csrf = p.json.csrf_token;
  assert.equal((await me.get('/api/v1/auth/me')).status, 200, 'this browser has a fresh session');
  assert.equal((await other.get('/api/v1/auth/me')).status, 401, 'the other session ended');
  assert.equal((await new Client(srv.base).post('/api/v1/auth/login', { username: 'window07', password: PASSWORD })).status, 401);
});

test('disabling an account ends its sessions and tokens', async () => {
  const admin = await as(srv.base, 'center_admin');
  const clerk = await as(srv.base, 'window08');
  const t = await clerk.post('/api/v1/auth/tokens', { name: '脚本' });
  const machine = new Client(srv.base);
  machine.token = t.json.token;
  const id = (await clerk.get('/api/v1/auth/me')).json.user.id;
  assert.equal((await admin.put(`/api/v1/users/${id}`, { disabled: true })).status, 200);
  assert.equal((await clerk.get('/api/v1/auth/me')).status, 401);
  assert.equal((await machine.get('/api/v1/auth/me')).status, 401);
  // Enabling it again does not bring them back.
  assert.equal((await admin.put(`/api/v1/users/${id}`, { disabled: false })).status, 200);
  assert.equal((await machine.get('/api/v1/auth/me')).status, 401);
  assert.equal(sql(`SELECT COUNT(*) FROM sessions WHERE user_id = ${id}`), '0');
});

test('logout with a bearer token revokes the token', async () => {
  const u = await as(srv.base, 'scjg_admin');
  const t = await u.post('/api/v1/auth/tokens', { name: '对接' });
  const machine = new Client(srv.base);
  machine.token = t.json.token;
  assert.equal((await machine.get('/api/v1/auth/me')).status, 200);
  assert.equal((await machine.post('/api/v1/auth/logout')).status, 204);
  assert.equal((await machine.get('/api/v1/auth/me')).status, 401);
  const mine = (await u.get('/api/v1/auth/tokens')).json.items.find((x) => x.id === t.json.id);
  assert.equal(mine.state, 'revoked');
});

test('tokens expire at the longest lifetime and can be listed and revoked by their owner and a centre admin', async () => {
  const u = await as(srv.base, 'scjg_shenpi');
  let r = await u.post('/api/v1/auth/tokens', { name: '太久', expires_days: 31 });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'expires_days');
  const long = await u.post('/api/v1/auth/tokens', { name: '默认' });
  assert.equal(long.status, 201);
  const short = await u.post('/api/v1/auth/tokens', { name: '两天', expires_days: 2 });
  const gone = await u.post('/api/v1/auth/tokens', { name: '撤销' });
  const uid = (await u.get('/api/v1/auth/me')).json.user.id;
  const list = (await u.get('/api/v1/auth/tokens')).json;
  const row = (id) => list.items.find((x) => x.id === id);
  assert.equal(row(long.json.id).expires_at - row(long.json.id).created_at, 30 * 86400, 'no expiry asked: the limit');
  assert.equal(row(short.json.id).state, 'active');
  assert.ok(!JSON.stringify(list).includes(long.json.token), 'secrets are never listed');

  // The owner revokes one; someone else cannot even see it; a centre admin can revoke any in scope.
  const stranger = await as(srv.base, 'zwzx_shenpi');
  assert.equal((await stranger.req('DELETE', `/api/v1/auth/tokens/${gone.json.id}`)).status, 404);
  assert.equal((await stranger.get(`/api/v1/users/${uid}/tokens`)).status, 403);
  assert.equal((await u.req('DELETE', `/api/v1/auth/tokens/${gone.json.id}`)).status, 204);
  const admin = await as(srv.base, 'center_admin');
  assert.equal((await admin.req('DELETE', `/api/v1/auth/tokens/${long.json.id}`)).status, 204);
  const m = new Client(srv.base);
  m.token = long.json.token;
  assert.equal((await m.get('/api/v1/auth/me')).status, 401, 'revoked by the admin');
  m.token = gone.json.token;
  assert.equal((await m.get('/api/v1/auth/me')).status, 401, 'revoked by the owner');
  m.token = short.json.token;
  assert.equal((await m.get('/api/v1/auth/me')).status, 200);
  assert.equal(sql(`SELECT COUNT(*) FROM audit WHERE action = 'token.revoke' AND entity_id IN ('${long.json.id}', '${gone.json.id}')`), '2');

  // Expiry: two days later the short one no longer works and is listed as expired.
  srv.advance(2 * 86400 + 1);
  assert.equal((await m.get('/api/v1/auth/me')).status, 401);
  const u2 = await as(srv.base, 'scjg_shenpi');
  assert.equal((await u2.get('/api/v1/auth/tokens')).json.items.find((x) => x.id === short.json.id).state, 'expired');
  // A token stored with a longer life than the limit (made before it) ends at the limit too.
  const old = await u2.post('/api/v1/auth/tokens', { name: '旧令牌' });
  sqlExec(srv, `UPDATE api_tokens SET expires_at = NULL WHERE id = ${old.json.id}`);
  m.token = old.json.token;
  assert.equal((await m.get('/api/v1/auth/me')).status, 200);
  srv.advance(30 * 86400 + 1);
  assert.equal((await m.get('/api/v1/auth/me')).status, 401);
});

test('links come from public_origin, never from the Host header; cookies are Secure on https', async () => {
  const kiosk = new Browser(srv.base, '127.0.0.30');
  const queues = (await kiosk.req('GET', '/api/v1/hall/queues')).json.items;
  const device = await pairDevice(srv.base, queues[0].hall_id, 'kiosk'); // tickets come from paired kiosks
  const t = await kiosk.req('POST', '/api/v1/hall/tickets', { queue_id: queues[0].id }, { Host: 'evil.example', 'X-Device-Token': device.deviceToken });
  assert.equal(t.status, 201, t.text);
  assert.ok(t.json.follow_url.startsWith(`${ORIGIN}/ticket/`), t.json.follow_url);
  assert.ok(!t.text.includes('evil.example'));

  const clerk = new Browser(srv.base, '127.0.0.31');
  const login = await clerk.req('POST', '/api/v1/auth/login', { username: 'window01', password: PASSWORD }, { Host: 'evil.example' });
  assert.equal(login.status, 200);
  for (const c of login.headers['set-cookie']) assert.match(c, /; Secure/, c);
  clerk.csrf = login.json.csrf_token;
  const citizen = await as(srv.base, 'zhangsan');
  const code = '1143010000825175203011010001001';
  const guide = (await citizen.get(`/api/v1/items/${code}`)).json;
  const c = await citizen.post('/api/v1/cases', { item_code: code, materials: guide.materials.map((m) => m.name) });
  assert.equal(c.status, 201, c.text);
  const acc = await clerk.req('POST', `/api/v1/cases/${c.json.id}/accept`, {}, { Host: 'evil.example' });
  assert.equal(acc.status, 200, acc.text);
  const verify = acc.json.verify_url;
  assert.ok(verify, 'an accepted case has a verify URL');
  assert.ok((await clerk.req('GET', `/api/v1/cases/${c.json.id}`, undefined, { Host: 'evil.example' })).json.verify_url.startsWith(ORIGIN));
  assert.ok(verify.startsWith(`${ORIGIN}/verify?`), verify);
});

test('UI pages carry CSP, Referrer-Policy, X-Frame-Options and nosniff', async () => {
  for (const p of ['/', '/app/main.js', '/vendor/vue.js', '/admin/items']) {
    const r = await fetch(srv.base + p);
    assert.equal(r.status, 200, p);
    const csp = r.headers.get('content-security-policy');
    assert.match(csp, /default-src 'self'/, p);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/, 'no inline script allowed');
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
    assert.match(r.headers.get('referrer-policy'), /^(same-origin|strict-origin-when-cross-origin)$/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    await r.arrayBuffer();
  }
  const html = await (await fetch(srv.base + '/')).text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'index.html has no inline script');
});

test('unknown UI addresses answer 404 with the UI, known ones 200', async () => {
  for (const p of ['/', '/search', '/guide/11430100MB123456781', '/admin/items/12', '/ticket/abc', '/hall/1/kiosk', '/my/cases/']) {
    const r = await fetch(srv.base + p);
    assert.equal(r.status, 200, p);
    await r.text();
  }
  for (const p of ['/nonesuch', '/admin/nonesuch', '/guide', '/guide/x/y/z', '/hall/1']) {
    const r = await fetch(srv.base + p);
    assert.equal(r.status, 404, p);
    assert.match(r.headers.get('content-type'), /text\/html/);
    assert.match(await r.text(), /<div id="app">/, 'the UI shows its not-found page');
  }
});

test('anonymous writes are limited per address: 429 with Retry-After past the limit', async () => {
  const a = new Browser(tight.base, '127.0.0.40');
  const statuses = [];
  let last;
  for (let i = 0; i < 6; i++) {
    last = await a.req('POST', '/api/v1/auth/login', { username: `nobody-a${i}`, password: 'x' });
    statuses.push(last.status);
  }
  assert.deepEqual(statuses, [401, 401, 401, 401, 429, 429]);
  assert.ok(Number(last.headers['retry-after']) >= 1);
  // Any anonymous write route shares the limit; reads do not count; another address is apart.
  const t = await a.req('POST', '/api/v1/hall/checkin', { code: 'nothing' });
  assert.equal(t.status, 429);
  assert.equal((await a.req('GET', '/api/v1/health')).status, 200);
  const b = new Browser(tight.base, '127.0.0.41');
  assert.notEqual((await b.req('POST', '/api/v1/auth/register', {})).status, 429);
  // A signed-in user is not an anonymous writer.
  const clerk = new Browser(tight.base, '127.0.0.42');
  for (let i = 0; i < 3; i++) await clerk.req('POST', '/api/v1/auth/login', { username: `nobody-c${i}`, password: 'x' });
  const ok = await clerk.login('window01');
  assert.equal(ok.status, 200);
  assert.equal((await clerk.req('POST', '/api/v1/auth/login', { username: 'nobody-c9', password: 'x' })).status, 401, 'a session is not limited');
});

test('behind the trusted proxy the client is X-Real-IP; from anyone else the header is ignored', async () => {
  const proxy = new Browser(tight.base, '127.0.0.50');
  const send = (b, who, i) => b.req('POST', '/api/v1/auth/login', { username: `p-${who}-${i}`, password: 'x' }, { 'X-Real-IP': who });
  for (let i = 0; i < 4; i++) assert.equal((await send(proxy, '10.0.0.1', i)).status, 401);
  assert.equal((await send(proxy, '10.0.0.1', 9)).status, 429, 'one client behind the proxy');
  assert.equal((await send(proxy, '10.0.0.2', 0)).status, 401, 'another client behind the proxy');
  const liar = new Browser(tight.base, '127.0.0.51');
  for (let i = 0; i < 4; i++) await send(liar, `10.0.1.${i}`, i);
  assert.equal((await send(liar, '10.0.1.99', 5)).status, 429, 'X-Real-IP from a non-proxy is not believed');
});
