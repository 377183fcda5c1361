// The hotline's public surface seen by a stranger and by a citizen typing real input (docs/api.md
// "Hotline" and "Open311 GeoReport v2"): an Open311 request read by its id (order numbers are
// sequential, so anyone can list them) shows a 举报 as the public search would not, without its text,
// place or reply; a merged order does not publish the reply of a 保密 or 举报 main order; phones written
// with spaces or hyphens, or in full-width digits, are masked like unbroken ones; and a public message
// whose text, title or name is only blanks or invisible characters is refused with nothing stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, sqlValue } from './helpers.mjs';

let srv, op, anon, leaf;
before(async () => {
  srv = await startServer();
  op = await as(srv.base, 'rexian01');
  anon = new Client(srv.base);
  const m = (await op.get('/api/v1/hotline/matters')).json.items;
  leaf = m.find((x) => x.parent_id && !m.some((c) => c.parent_id === x.id));
});
after(() => srv.stop());

const count = () => Number(sqlValue(srv, 'SELECT COUNT(*) AS n FROM hotline_orders'));
const mk = async (body) => {
  const r = await op.post('/api/v1/hotline/orders', {
    channel: 'phone', category: 'complaint', caller_name: '林先生', caller_phone: '13973109999',
    text: '芙蓉区某小区电梯经常停运，业主多次反映无人处理', address: '芙蓉区五一大道100号', matter_id: leaf.id, ...body,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
};
const byId = async (number) => {
  const r = await anon.get(`/open311/v2/requests/${number}.json`);
  assert.equal(r.status, 200, r.text);
  return r.json[0];
};

test('a 举报 read by its id shows neither its text, its place nor its reply', async () => {
  const rep = await mk({ category: 'report', text: '举报芙蓉区某餐馆后厨卫生问题，老板姓陈', lat: 28.19, lng: 112.98,
    answer: '经查，该餐馆后厨存在卫生问题，已责令整改并罚款。' });
  for (const e of [await byId(rep.number),
    (await anon.get(`/open311/v2/requests.json?service_request_id=${rep.number}`)).json[0]]) {
    assert.equal(e.service_request_id, rep.number);
    assert.equal(e.status, 'closed');
    assert.equal(e.description, null);
    assert.equal(e.address, null);
    assert.equal(e.lat, null);
    assert.equal(e.long, null);
    assert.ok(!JSON.stringify(e).includes('餐馆'), JSON.stringify(e));
  }
  const x = await anon.get(`/open311/v2/requests/${rep.number}.xml`);
  assert.ok(!x.text.includes('餐馆') && !x.text.includes('五一大道'), x.text);
});

test('a merged order does not publish the reply of its 保密 or 举报 main order', async () => {
  for (const main of [
    await mk({ confidential: true, answer: '林先生您好，经核查您反映的电梯问题已由物业维修。' }),
    await mk({ category: 'report', text: '举报某物业公司挪用维修基金', answer: '经查，某物业公司挪用维修基金属实，已立案。' }),
  ]) {
    const child = await mk({ text: '芙蓉区某小区电梯又停运了，请尽快处理' });
    const r = await op.post(`/api/v1/hotline/orders/${child.id}/merge`, { into: main.id });
    assert.equal(r.status, 200, r.text);
    const e = await byId(child.number);
    assert.equal(e.status, 'closed');
    assert.ok(!/林先生|维修|立案/.test(e.status_notes || ''), e.status_notes);
    assert.equal(e.description, '芙蓉区某小区电梯又停运了，请尽快处理', 'its own text stays public');
    // nor does the merged order's citizen's follow page: the centre tells that citizen by phone
    const f = await anon.req('GET', `/api/v1/hotline/public/orders/${child.number}`, undefined, { 'X-Query-Code': child.query_code });
    assert.equal(f.status, 200, f.text);
    assert.equal(f.json.status, '已办结');
    assert.equal(f.json.reply_withheld, true);
    assert.ok(!f.json.reply && !f.json.reply_unit && !/林先生|维修|立案/.test(f.text), f.text);
  }
  // merged into an ordinary order, the citizen reads the main order's reply
  const main = await mk({ answer: '您反映的电梯问题已由物业公司维修，恢复运行。' });
  const child = await mk({ text: '芙蓉区某小区电梯还是经常停运，请尽快处理' });
  assert.equal((await op.post(`/api/v1/hotline/orders/${child.id}/merge`, { into: main.id })).status, 200);
  const f = await anon.req('GET', `/api/v1/hotline/public/orders/${child.number}`, undefined, { 'X-Query-Code': child.query_code });
  assert.equal(f.json.reply, '您反映的电梯问题已由物业公司维修，恢复运行。');
  assert.equal(f.json.reply_withheld, false);
});

test('phones with spaces, hyphens or full-width digits are masked; dates are not', async () => {
  const o = await mk({ text: '请回电138-0013-8000或139 7310 9999或１３６００１３６０００，2026-09-29起电梯停运' });
  const e = await byId(o.number);
  for (const s of ['138', '7310', '１３６', '8000']) assert.ok(!e.description.includes(s), e.description);
  assert.match(e.description, /^请回电\*{3}-\*{4}-\*{4}或\*{3} \*{4} \*{4}或\*{11}，2026-09-29起电梯停运$/);
});

test('a public message of blanks or invisible characters is refused, nothing stored', async () => {
  const ok = { category: 'complaint', title: '小区噪音', text: '夜间施工噪音扰民严重，请尽快处理。', caller_name: '李四',
    caller_phone: '13800138000' };
  const before = count();
  for (const [field, value] of [['text', ' '.repeat(12)], ['text', '\u200b'.repeat(12)], ['text', '　'.repeat(6) + '噪音'],
    ['title', '  '], ['title', '\u200b\u200c'], ['caller_name', ' '], ['caller_name', '\ufeff']]) {
    const r = await anon.post('/api/v1/hotline/public/orders', { ...ok, [field]: value });
    assert.equal(r.status, 422, `${field}=${JSON.stringify(value)}: ${r.text}`);
    assert.equal(r.json.error.details[0].field, field);
    assert.match(r.json.error.details[0].message, /[\u4e00-\u9fa5]/);
  }
  assert.equal(count(), before);
  // surrounding blanks are trimmed, not counted
  const r = await anon.post('/api/v1/hotline/public/orders', { ...ok, title: '  小区噪音\u200b ', caller_name: ' 李四 ' });
  assert.equal(r.status, 201, r.text);
  assert.equal(sqlValue(srv, `SELECT title || '|' || caller_name FROM hotline_orders WHERE number = '${r.json.number}'`),
    '小区噪音|李四');
});

test('the public form is limited per address for a signed-in caller too (anyone may register)', async () => {
  const s2 = await startServer({ config: { anon_write_burst: 4, anon_write_per_minute: 1 } });
  try {
    const me = await as(s2.base, 'zhangsan'); // the sign-in takes one of the 4
    const before = Number(sqlValue(s2, 'SELECT COUNT(*) AS n FROM hotline_orders'));
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await me.post('/api/v1/hotline/public/orders', { category: 'complaint' })).status);
    assert.deepEqual(codes.slice(0, 3), [422, 422, 422]);
    assert.deepEqual(codes.slice(3), [429, 429]);
    const r = await me.post('/api/v1/hotline/public/orders', { category: 'complaint', title: '小区噪音',
      text: '夜间施工噪音扰民严重，请尽快处理。', caller_name: '张三', caller_phone: '13800138000' });
    assert.equal(r.status, 429, r.text);
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    assert.equal(Number(sqlValue(s2, 'SELECT COUNT(*) AS n FROM hotline_orders')), before);
  } finally {
    await s2.stop();
  }
});

test('a phone typed in full-width digits (a Chinese input method) is taken and stored as digits', async () => {
  const r = await anon.post('/api/v1/hotline/public/orders', { category: 'help', title: '路灯不亮',
    text: '小区门口路灯已经坏了一个星期，晚上很不安全。', caller_name: '王五', caller_phone: '＋８６ １３８－００１３－８０００' });
  assert.equal(r.status, 201, r.text);
  assert.equal(sqlValue(srv, `SELECT caller_phone FROM hotline_orders WHERE number = '${r.json.number}'`), '13800138000');
  const bad = await anon.post('/api/v1/hotline/public/orders', { category: 'help', title: '路灯不亮',
    text: '小区门口路灯已经坏了一个星期，晚上很不安全。', caller_name: '王五', caller_phone: '１３８ａｂｃ' });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.details[0].field, 'caller_phone');
});

test('a citizen photo keeps its type’s extension: a JPEG named .hta or .html is saved as .jpg', async () => {
  const o = (await anon.post('/api/v1/hotline/public/orders', { category: 'complaint', title: '占道经营',
    text: '小区门口有摊贩长期占道经营，影响通行。', caller_name: '赵六', caller_phone: '13800138001' })).json;
  const poly = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('<html><script>alert(1)</script></html>')]);
  const up = (name) => anon.req('POST', `/api/v1/hotline/public/orders/${o.number}/attachments?name=${encodeURIComponent(name)}`,
    poly, { 'Content-Type': 'image/jpeg', 'X-Query-Code': o.query_code });
  const names = [];
  for (const n of ['现场照片.hta', 'x.html', 'IMG_0001.JPEG', 'photo.jpg']) {
    const r = await up(n);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.mime, 'image/jpeg');
    names.push(r.json.name);
  }
  assert.deepEqual(names, ['现场照片.hta.jpg', 'x.html.jpg', 'IMG_0001.JPEG', 'photo.jpg']);
  const g = await anon.req('GET', `/api/v1/hotline/public/orders/${o.number}/attachments/${
    (await anon.req('GET', `/api/v1/hotline/public/orders/${o.number}`, undefined, { 'X-Query-Code': o.query_code })).json.attachments[1].id}`,
  undefined, { 'X-Query-Code': o.query_code });
  assert.equal(g.status, 200);
  assert.match(g.headers.get('content-disposition'), /filename="x\.html\.jpg"/);
  assert.equal(g.headers.get('x-content-type-options'), 'nosniff');
  // a name of 100 four-byte characters comes back whole, not cut in the middle of one
  const long = '\u{1F4F7}'.repeat(96) + '.png';
  const r = await up(long);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, long + '.jpg');
  const g2 = await anon.req('GET', `/api/v1/hotline/public/orders/${o.number}/attachments/${r.json.id}`, undefined,
    { 'X-Query-Code': o.query_code });
  assert.equal(g2.status, 200);
  assert.ok(g2.headers.get('content-disposition').endsWith("filename*=UTF-8''" + encodeURIComponent(long + '.jpg')),
    g2.headers.get('content-disposition'));
});
