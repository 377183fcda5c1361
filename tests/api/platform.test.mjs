// The platform over real HTTP: calendar interface, bad input, static files, sign-in lockout,
// CSRF, the audit chain and backups.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  startServer, Client, as, yiwang, sampleItem, cli, cliRun, newCity, copyDatabase, sqlRows, sqlValue, sqlExec,
} from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(() => srv.stop());

const auditCount = () => Number(sqlValue(srv, 'SELECT COUNT(*) AS n FROM audit'));

test('calendar deadline: API and CLI agree across holidays and make-up days', async () => {
  const c = new Client(srv.base);
  const cases = [
    ['2025-09-30', 1, '2025-10-09'], ['2025-09-26', 1, '2025-09-28'], ['2026-02-13', 1, '2026-02-14'],
    ['2026-02-14', 1, '2026-02-24'], ['2024-04-30', 1, '2024-05-06'], ['2025-12-31', 0, '2025-12-31'],
  ];
  for (const [from, n, want] of cases) {
    const r = await c.get(`/api/v1/calendar/deadline?from=${from}&workdays=${n}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { date: want, beyond_published: false });
    assert.equal(yiwang(['calendar', 'workdays-after', from, String(n)]).trim(), want);
  }
  const far = await c.get('/api/v1/calendar/deadline?from=2026-12-20&workdays=20');
  assert.equal(far.json.beyond_published, true);
  const bad = await c.get('/api/v1/calendar/deadline?from=2025-02-29&workdays=1');
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.details[0].field, 'from');
});

test('centre admin edits the calendar and deadlines follow', async () => {
  const admin = await as(srv.base, 'center_admin');
  const r = await admin.put('/api/v1/calendar/days/2026-06-01', { kind: 'off', note: '测试调整' });
  assert.equal(r.status, 200);
  const d = await admin.get('/api/v1/calendar/deadline?from=2026-05-29&workdays=1');
  assert.equal(d.json.date, '2026-06-02');
  await admin.put('/api/v1/calendar/days/2026-06-01', { kind: 'default' });
  const d2 = await admin.get('/api/v1/calendar/deadline?from=2026-05-29&workdays=1');
  assert.equal(d2.json.date, '2026-06-01');
});

test('bad input: 400, 415, 422 with the field, 413, invalid UTF-8, nothing changed', async () => {
  const admin = await as(srv.base, 'center_admin');
  const n0 = auditCount();
  let r = await admin.post('/api/v1/departments', '{"name": ');
  assert.equal(r.status, 400);
  r = await admin.req('POST', '/api/v1/departments', '{}', { 'Content-Type': 'text/plain' });
  assert.equal(r.status, 415);
  r = await admin.post('/api/v1/departments', { name: 42, uscc: '124301006803170439', region_code: '430100' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.details.some((d) => d.field === 'name'));
  r = await admin.post('/api/v1/departments', { name: '新部门', uscc: '124301006803170438', region_code: '430100' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'uscc');
  r = await admin.post('/api/v1/departments', 'x'.repeat(9 * 1024 * 1024));
  assert.equal(r.status, 413);
  r = await admin.req('POST', '/api/v1/departments', Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
  assert.equal(r.status, 400);
  assert.equal(auditCount(), n0, 'refused requests wrote nothing');
});

test('SQL metacharacters are stored verbatim', async () => {
  const admin = await as(srv.base, 'center_admin');
  const name = "市'); DROP TABLE items;-- 局";
  const r = await admin.post('/api/v1/halls', { name, region_code: '430100', address: '"%_\\' });
  assert.equal(r.status, 201);
  assert.equal(r.json.name, name);
  assert.equal(r.json.address, '"%_\\');
  const items = await admin.get('/api/v1/items?q=' + encodeURIComponent("'%"));
  assert.equal(items.status, 200);
});

test('static files: index, types, ETag, no traversal', async () => {
  const c = new Client(srv.base);
  const r = await c.get('/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  const etag = r.headers.get('etag');
  const again = await c.req('GET', '/', undefined, { 'If-None-Match': etag });
  assert.equal(again.status, 304);
  for (const p of ['/../src/main.c', '/%2e%2e/src/main.c', '/app/../../CMakeLists.txt', '/..%2fMakefile']) {
    const t = await fetch(srv.base + p).then(async (x) => ({ status: x.status, body: await x.text() }));
    assert.ok(!t.body.includes('#include') && !t.body.includes('cmake_minimum_required'), p);
  }
  const v = await c.get('/vendor/vue.js');
  assert.equal(v.status, 200);
  assert.match(v.headers.get('content-type'), /javascript/);
  const api404 = await c.get('/api/v1/nothing-here');
  assert.equal(api404.status, 404);
  assert.equal(api404.json.error.code, 'not_found');
  const m = await c.req('DELETE', '/api/v1/health');
  assert.equal(m.status, 405);
});

test('sign-in throttled after repeated failures (429 + Retry-After), CSRF required for cookie writes', async () => {
  // Each failure past the first few doubles the account's delay, so a burst soon meets a 429;
  // tests/api/auth_hardening.test.mjs covers the real user getting in (no lockout).
  const c = new Client(srv.base);
  let t;
  for (let i = 0; i < 12; i++) {
    t = await c.post('/api/v1/auth/login', { username: 'jiandu01', password: 'wrong-password1' });
    if (t.status === 429) break;
    assert.equal(t.status, 401);
  }
  assert.equal(t.status, 429);
  assert.ok(Number(t.headers.get('retry-after')) >= 1);
  assert.match(t.json.error.message, /频繁/);

  const admin = await as(srv.base, 'center_admin');
  const csrf = admin.csrf;
  admin.csrf = null;
  const r = await admin.post('/api/v1/halls', { name: '无令牌大厅', region_code: '430100' });
  assert.equal(r.status, 403);
  admin.csrf = csrf;
});

test('applicant registration checks GB 11643 and GB 32100', async () => {
  const c = new Client(srv.base);
  let r = await c.post('/api/v1/auth/register', { kind: 'legal', username: 'huxiang_co', password: 'abc12345', name: '湖湘公司', uscc: '124301006803170439', phone: '13900000000' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.user.roles, ['applicant']);
  r = await new Client(srv.base).post('/api/v1/auth/register', { kind: 'person', username: 'lisi', password: 'abc12345', name: '李四', id_number: '430102198507150012', phone: '' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'id_number');
});

test('audit verify: intact, then a row edited behind the program is named', async () => {
  const admin = await as(srv.base, 'center_admin');
  const r = await admin.post('/api/v1/admin/items', sampleItem('AUDIT000000000001', '长沙市市场监督管理局', '审计测试事项'));
  assert.equal(r.status, 201, r.text);
  // a consistent copy of the live database, with its key file (a backup holds no key: it is kept
  // apart). On SQLite the copy is `yiwang backup`; a PostgreSQL database is backed up with
  // PostgreSQL's own tools (the copy is pg_dump), and `yiwang backup` says so.
  if (srv.engine === 'postgres') {
    const b = cliRun(srv, ['backup', path.join(srv.dir, 'backup.db')]);
    assert.equal(b.code, 1);
    assert.match(b.err, /back up PostgreSQL with its own tools \(pg_dump/);
  }
  const copy = copyDatabase(srv);
  assert.match(cli(copy, ['audit', 'verify']), /intact/);
  sqlExec(copy, "UPDATE item_versions SET name = '篡改' WHERE id = (SELECT MAX(id) FROM item_versions)");
  let v = cliRun(copy, ['audit', 'verify']);
  assert.notEqual(v.code, 0, 'verify must fail');
  assert.match(v.out, /item_versions row \d+/);

  const copy2 = copyDatabase(srv);
  sqlExec(copy2, "UPDATE audit SET actor = 'someone' WHERE id = 5");
  v = cliRun(copy2, ['audit', 'verify']);
  assert.notEqual(v.code, 0);
  assert.match(v.out, /audit record 5/);

  const copy3 = copyDatabase(srv);
  sqlExec(copy3, 'DELETE FROM audit WHERE id = 7');
  v = cliRun(copy3, ['audit', 'verify']);
  assert.notEqual(v.code, 0);
  assert.match(v.out, /audit record 8/);
});

test('clean shutdown on SIGTERM', async () => {
  const s = await startServer({ demo: false });
  const code = await s.stop();
  assert.equal(code, 0);
});

test('demo --cases: applications in every state, made through the store, with an intact audit trail', () => {
  const city = newCity({ name: 'demo.db' });
  assert.match(cli(city, ['demo', '--cases', '60']), /60 demo applications/);
  const rows = sqlRows(city, 'SELECT state, COUNT(*) AS n FROM cases GROUP BY state');
  const states = new Set(rows.map((r) => r.state));
  for (const s of [1, 3, 11]) assert.ok(states.has(s), `state ${s} among ${[...states]}`);
  assert.ok(states.size >= 5, `states: ${[...states]}`);
  assert.equal(rows.reduce((n, r) => n + r.n, 0), 60);
  assert.match(cli(city, ['audit', 'verify']), /intact/);
});
