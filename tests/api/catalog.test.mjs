// The catalogue over real HTTP: the publication lifecycle with versions, department scope,
// Chinese search, guides with QR codes, lists and counts, export and import.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, sampleItem, cli } from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(() => srv.stop());

const SCJG = '长沙市市场监督管理局';

test('department admin drafts, centre admin publishes, the portal finds it; versions are kept', async () => {
  const dept = await as(srv.base, 'scjg_admin');
  const admin = await as(srv.base, 'center_admin');
  const pub = new Client(srv.base);
  let r = await dept.post('/api/v1/admin/items', sampleItem('LIFE0000000000001', SCJG, '小餐饮登记证核发'));
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  assert.equal(r.json.latest_status, 'draft');
  assert.equal((await pub.get('/api/v1/items/LIFE0000000000001')).status, 404, 'drafts are not public');

  r = await dept.post(`/api/v1/admin/items/${id}/publish`);
  assert.equal(r.status, 403, 'department admins cannot publish');
  r = await dept.post(`/api/v1/admin/items/${id}/submit`);
  assert.equal(r.json.latest_status, 'submitted');
  r = await dept.put(`/api/v1/admin/items/${id}`, sampleItem('LIFE0000000000001', SCJG, '改名'));
  assert.equal(r.status, 409, 'submitted versions are frozen');
  const queue = await admin.get('/api/v1/admin/review-queue');
  assert.ok(queue.json.items.some((x) => x.id === id));
  r = await admin.post(`/api/v1/admin/items/${id}/publish`);
  assert.equal(r.json.latest_status, 'published');

  r = await pub.get('/api/v1/items?q=' + encodeURIComponent('小餐饮登记证核发'));
  assert.equal(r.json.items[0].code, 'LIFE0000000000001', 'exact name first');
  const guide = await pub.get('/api/v1/items/LIFE0000000000001');
  assert.equal(guide.json.version, 1);
  assert.equal(guide.json.materials[0].name, '申请书');

  // A new version is a draft; the public keeps seeing version 1 until it is published.
  r = await dept.post(`/api/v1/admin/items/${id}/new-version`);
  assert.equal(r.json.latest_version, 2);
  r = await dept.put(`/api/v1/admin/items/${id}`, { ...sampleItem('LIFE0000000000001', SCJG, '小餐饮登记证核发'), promised_limit_days: 3, steps: [{ name: '受理', role: 'window', days: 1 }, { name: '决定', role: 'approver', days: 2 }] });
  assert.equal(r.status, 200, r.text);
  assert.equal((await pub.get('/api/v1/items/LIFE0000000000001')).json.promised_limit_days, 5);
  await dept.post(`/api/v1/admin/items/${id}/submit`);
  r = await admin.post(`/api/v1/admin/items/${id}/reject`, { note: '请补充设定依据条款' });
  assert.equal(r.json.latest_status, 'draft');
  assert.equal(r.json.versions[0].review_note, '请补充设定依据条款');
  await dept.post(`/api/v1/admin/items/${id}/submit`);
  await admin.post(`/api/v1/admin/items/${id}/publish`);
  const g2 = await pub.get('/api/v1/items/LIFE0000000000001');
  assert.equal(g2.json.version, 2);
  assert.equal(g2.json.promised_limit_days, 3);
  const hist = await pub.get('/api/v1/items/LIFE0000000000001/versions');
  assert.deepEqual(hist.json.items.map((v) => [v.version, v.status]), [[2, 'published'], [1, 'superseded']]);

  r = await admin.post(`/api/v1/admin/items/${id}/withdraw`);
  assert.equal(r.status, 200);
  assert.equal((await pub.get('/api/v1/items/LIFE0000000000001')).status, 404);
  assert.equal((await pub.get('/api/v1/items?q=' + encodeURIComponent('小餐饮登记证核发'))).json.total, 0);
});

test("one department's admin cannot touch another department's items", async () => {
  const admin = await as(srv.base, 'center_admin');
  const other = (await admin.get('/api/v1/departments')).json.items.find((d) => d.name !== SCJG && d.item_count > 0);
  const dept = await as(srv.base, 'scjg_admin');
  let r = await dept.post('/api/v1/admin/items', sampleItem('OTHER000000000001', other.name));
  assert.equal(r.status, 403);
  const list = await admin.get(`/api/v1/admin/items?dept_id=${other.id}&page_size=1`);
  const foreign = list.json.items[0].id;
  r = await dept.get(`/api/v1/admin/items/${foreign}`);
  assert.equal(r.status, 403);
  r = await dept.post(`/api/v1/admin/items/${foreign}/new-version`);
  assert.equal(r.status, 403);
  const mine = await dept.get('/api/v1/admin/items?page_size=200');
  assert.ok(mine.json.total > 0);
  assert.ok(mine.json.items.every((x) => x.dept === SCJG), 'the list shows only their department');
});

test('validation names every bad field at once', async () => {
  const dept = await as(srv.base, 'scjg_admin');
  const bad = { ...sampleItem('BAD', SCJG), name: '', type: '99', level: 9, promised_limit_days: 30, legal_limit_days: 20, materials: [{ name: '' }], extra: 1 };
  const r = await dept.post('/api/v1/admin/items', bad);
  assert.equal(r.status, 422);
  const fields = r.json.error.details.map((d) => d.field);
  for (const f of ['name', 'type', 'level', 'promised_limit_days', 'materials[0].name', 'extra']) assert.ok(fields.includes(f), f);
});

test('search: 1, 2, 3 and 6 character Chinese queries, filters, pages', async () => {
  const c = new Client(srv.base);
  for (const q of ['证', '许可', '身份证', '食品经营许可']) {
    const r = await c.get('/api/v1/items?q=' + encodeURIComponent(q));
    assert.equal(r.status, 200);
    assert.ok(r.json.total > 0, `results for ${q}`);
  }
  const exact = await c.get('/api/v1/items?q=' + encodeURIComponent('结婚登记'));
  assert.equal(exact.json.items[0].name, '结婚登记');
  const all = await c.get('/api/v1/items?page_size=200');
  assert.ok(all.json.total >= 120, 'the demo city has at least 120 items');
  const zuiduo = await c.get('/api/v1/items?tag=' + encodeURIComponent('最多跑一次') + '&page_size=200');
  assert.ok(zuiduo.json.items.every((x) => x.tags.includes('最多跑一次')));
  const lv = await c.get('/api/v1/items?level=4');
  assert.ok(lv.json.items.every((x) => x.level === 4));
  const p2 = await c.get('/api/v1/items?page=2&page_size=5');
  assert.equal(p2.json.items.length, 5);
  const bad = await c.get('/api/v1/items?page_size=500');
  assert.equal(bad.status, 422);
});

test('guide QR code and list counts', async () => {
  const c = new Client(srv.base);
  const code = (await c.get('/api/v1/items?page_size=1')).json.items[0].code;
  const qr = await c.get(`/api/v1/items/${code}/qr.svg`);
  assert.equal(qr.status, 200);
  assert.match(qr.headers.get('content-type'), /svg/);
  assert.match(qr.text, /<path d="M/);
  const lists = await c.get('/api/v1/lists');
  const total = lists.json.rows.reduce((s, r) => s + r.items, 0);
  assert.equal(total, lists.json.total.items);
  assert.ok(lists.json.total.zuiduo > 0 && lists.json.total.yici_bu > 0);
});

test('export and import are lossless', async () => {
  const admin = await as(srv.base, 'center_admin');
  const ex = await admin.get('/api/v1/export/catalog.json');
  assert.equal(ex.status, 200);
  assert.ok(ex.json.items.length >= 120 && ex.json.departments.length >= 20 && ex.json.windows.length > 0);
  assert.deepEqual(JSON.parse(cli(srv, ['export'])), ex.json, 'the CLI writes the same document');
  // The whole document into an empty city, then out again: the same bytes.
  const fresh = await startServer({ demo: false });
  try {
    const c = new Client(fresh.base);
    await c.login('admin', 'admin12345');
    const imp = await c.req('POST', '/api/v1/import/catalog?publish=1', ex.text);
    assert.equal(imp.status, 200, imp.text.slice(0, 500));
    assert.equal(imp.json.imported, ex.json.items.length);
    const again = await c.get('/api/v1/export/catalog.json');
    assert.equal(again.text, ex.text);
    // A second import of the same codes is refused whole, naming the items.
    const dup = await c.req('POST', '/api/v1/import/catalog', JSON.stringify({ items: ex.json.items.slice(0, 2) }));
    assert.equal(dup.status, 422);
    assert.ok(dup.json.error.details.some((d) => d.field === 'items[0].code'));
  } finally {
    await fresh.stop();
  }
  const xlsx = await admin.req('GET', '/api/v1/export/catalog.xlsx');
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.text.slice(0, 2), 'PK');
});

test("an item without steps gets seed 001's steps for its handling class, within its promised days", async () => {
  const dept = await as(srv.base, 'scjg_admin');
  const cases = [
    // [handling_class, promised days, expected steps as role:days]
    [1, 1, ['window:1']],
    [3, 3, ['approver:2', 'leader:1']],
    [2, 10, ['window:1', 'approver:6', 'leader:3']],
    [2, 5, ['window:0', 'approver:3', 'leader:2']],
  ];
  for (const [i, [hclass, days, want]] of cases.entries()) {
    const item = { ...sampleItem(`NOSTEPS00000000${i}`, SCJG, `默认环节${i}`), handling_class: hclass, promised_limit_days: days };
    delete item.steps;
    const r = await dept.post('/api/v1/admin/items', item);
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const got = r.json.latest.steps.map((s) => `${s.role}:${s.days}`);
    assert.deepEqual(got, want, `class ${hclass}, ${days} days`);
    assert.ok(r.json.latest.steps.reduce((n, s) => n + s.days, 0) <= days);
  }
});
