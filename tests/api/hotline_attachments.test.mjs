// Attachments of 12345 work orders over real HTTP (docs/api.md "Hotline", attachments): the operator
// attaches uploads at intake and later, a unit with its reply and while it handles the order, a
// citizen adds photos to a public 留言 by number and query code. Everything is typed by its content
// (the files module's sniffer); who downloads an attachment is who sees the order, except that a
// unit does not see the citizen's attachments of a confidential (保密) order. Abuse: someone else's
// upload, unknown ids, too many, a PDF or a renamed text as a "photo", an oversize body, a wrong
// code, a sixth photo, a photo on an answered order: refused with nothing stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Client, as, cli, sqlValue } from './helpers.mjs';
import { pdfBytes, pngBytes } from './samples.mjs';

let srv, op, admin, sup, u1, u2, anon, units;
before(async () => {
  srv = await startServer({ config: { files_dir: mkdtempSync(path.join(tmpdir(), 'yiwang-hlfiles-')) } });
  op = await as(srv.base, 'rexian01');
  admin = await as(srv.base, 'center_admin');
  sup = await as(srv.base, 'jiandu01');
  u1 = await as(srv.base, 'chengban01'); // 长沙市城市管理和综合执法局
  u2 = await as(srv.base, 'chengban02'); // 长沙市住房和城乡建设局
  anon = new Client(srv.base);
  const d = (await anon.get('/api/v1/departments')).json.items;
  const id = (name) => d.find((x) => x.name === name).id;
  units = { cg: id('长沙市城市管理和综合执法局'), zj: id('长沙市住房和城乡建设局') };
});
after(() => srv.stop());

const count = (where = '1 = 1') => Number(sqlValue(srv, `SELECT COUNT(*) AS n FROM hotline_attachments WHERE ${where}`));
const upload = async (client, name, bytes) => {
  const r = await client.req('POST', '/api/v1/files?name=' + encodeURIComponent(name), bytes, { 'Content-Type': 'application/octet-stream' });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
};
// the code as ?code=, or (inHeader) in the X-Query-Code header as the citizen's pages send it
const photo = (number, code, name, bytes, client = anon, inHeader = false) =>
  client.req('POST', `/api/v1/hotline/public/orders/${number}/attachments?` +
    (inHeader ? '' : `code=${encodeURIComponent(code)}&`) + `name=${encodeURIComponent(name)}`,
    bytes, { 'Content-Type': 'image/png', ...(inHeader ? { 'X-Query-Code': code } : {}) });
const jpegBytes = (tag) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`JFIF ${tag}`), Buffer.from([0xff, 0xd9])]);

let seq = 0;
async function intake(body = {}) {
  seq += 1;
  const r = await op.post('/api/v1/hotline/orders', {
    channel: 'phone', category: 'complaint', caller_name: '李女士', caller_phone: `1397320${String(seq).padStart(4, '0')}`,
    text: `开福区某路段井盖破损，夜间有行人绊倒的危险，第${seq}次反映`, district: '430105', ...body,
  });
  return r;
}

test('the operator attaches at intake and later; the unit sees, downloads and attaches to its reply', async () => {
  const pdf = await upload(op, '现场情况说明.pdf', pdfBytes('现场情况说明'));
  const png = await upload(op, '井盖照片.png', pngBytes());
  let r = await intake({ attachments: [pdf] });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  r = await op.get(`/api/v1/hotline/orders/${id}`);
  assert.equal(r.json.attachments.length, 1);
  const a = r.json.attachments[0];
  assert.equal(a.name, '现场情况说明.pdf');
  assert.equal(a.mime, 'application/pdf');
  assert.equal(a.party, 'centre');
  assert.equal(a.reply, false);
  assert.equal(a.size, pdfBytes('现场情况说明').length);
  // later, by the operator
  r = await op.post(`/api/v1/hotline/orders/${id}/attachments`, { attachments: [png] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.attachments.length, 2);
  const dl = await op.get(`/api/v1/hotline/orders/${id}/attachments/${a.id}`);
  assert.equal(dl.status, 200);
  assert.equal(dl.headers.get('content-type'), 'application/pdf');
  assert.match(dl.headers.get('content-disposition'), /filename\*=UTF-8''%E7%8E%B0/);
  assert.match(dl.text, /现场情况说明/);

  // a unit sees it once the order is dispatched to it, another unit never
  assert.equal((await u1.get(`/api/v1/hotline/orders/${id}/attachments/${a.id}`)).status, 404);
  assert.equal((await op.post(`/api/v1/hotline/orders/${id}/dispatch`, { unit_id: units.cg })).status, 200);
  assert.equal((await u1.get(`/api/v1/hotline/orders/${id}/attachments/${a.id}`)).status, 200);
  assert.equal((await u1.get(`/api/v1/hotline/orders/${id}`)).json.attachments.length, 2);
  assert.equal((await u2.get(`/api/v1/hotline/orders/${id}/attachments/${a.id}`)).status, 404);
  assert.equal((await anon.get(`/api/v1/hotline/orders/${id}/attachments/${a.id}`)).status, 401);
  assert.equal((await sup.get(`/api/v1/hotline/orders/${id}/attachments/${a.id}`)).status, 200, 'supervisors see every order');
  // an attachment of another order is not served through this one
  const other = (await op.get(`/api/v1/hotline/orders/${(await intake({ attachments: [await upload(op, 'b.pdf', pdfBytes('b'))] })).json.id}`)).json;
  assert.equal((await op.get(`/api/v1/hotline/orders/${id}/attachments/${other.attachments[0].id}`)).status, 404);

  // the unit: not before signing for it? it may attach while the order is with it
  const u1file = await upload(u1, '整改前.png', pngBytes());
  r = await u1.post(`/api/v1/hotline/orders/${id}/attachments`, { attachments: [u1file] });
  assert.equal(r.status, 200, r.text);
  const ua = r.json.attachments.find((x) => x.party === 'unit');
  assert.equal(ua.unit_id, units.cg);
  assert.equal(ua.unit, '长沙市城市管理和综合执法局');
  // a unit the order is not with, and a supervisor, do not attach
  const u2file = await upload(u2, 'x.png', pngBytes());
  assert.equal((await u2.post(`/api/v1/hotline/orders/${id}/attachments`, { attachments: [u2file] })).status, 404);
  r = await sup.post(`/api/v1/hotline/orders/${id}/attachments`, { attachments: [u2file] });
  assert.equal(r.status, 403);
  // the reply with its attachments
  assert.equal((await u1.post(`/api/v1/hotline/orders/${id}/sign`, {})).status, 200);
  const done = await upload(u1, '整改后.jpg', jpegBytes('after'));
  r = await u1.post(`/api/v1/hotline/orders/${id}/reply`, { text: '已更换破损井盖并设置警示标志，现场已恢复通行。', attachments: [done] });
  assert.equal(r.status, 200, r.text);
  const ra = r.json.attachments.find((x) => x.reply);
  assert.equal(ra.name, '整改后.jpg');
  assert.equal(ra.mime, 'image/jpeg');
  assert.equal(ra.party, 'unit');
  // once answered the unit adds nothing more; the centre still may
  r = await u1.post(`/api/v1/hotline/orders/${id}/attachments`, { attachments: [await upload(u1, 'y.png', pngBytes())] });
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /不在办理中/);
});

test('someone else’s upload, unknown ids, duplicates and too many are 422 and nothing is stored', async () => {
  const before = count();
  const foreign = await upload(u2, '别人的文件.pdf', pdfBytes('foreign'));
  const mine = await upload(op, 'mine.pdf', pdfBytes('mine'));
  for (const [attachments, field] of [[[foreign], 'attachments[0]'], [[mine, 999999999], 'attachments[1]'],
    [[mine, mine], 'attachments[1]'], [['1'], 'attachments[0]'], [Array.from({ length: 11 }, (_, i) => i + 1), 'attachments'],
    ['x', 'attachments']]) {
    const r = await intake({ attachments });
    assert.equal(r.status, 422, `${JSON.stringify(attachments)} ${r.text}`);
    assert.ok(r.json.error.details.some((d) => d.field === field), `${field} in ${r.text}`);
  }
  const id = (await intake()).json.id;
  let r = await op.post(`/api/v1/hotline/orders/${id}/attachments`, { attachments: [foreign] });
  assert.equal(r.status, 422);
  assert.match(r.json.error.details[0].message, /不是本人上传/);
  r = await op.post(`/api/v1/hotline/orders/${id}/attachments`, { attachments: [] });
  assert.equal(r.status, 422);
  assert.equal(count(), before, 'nothing stored');
  // the public form takes no attachment ids
  r = await anon.post('/api/v1/hotline/public/orders', {
    category: 'help', title: '井盖破损', text: '雨花区某小区门口井盖破损已有一周，请尽快处理。', caller_name: '张先生',
    caller_phone: '13800001111', attachments: [mine],
  });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'attachments');
});

test('a citizen adds photos to a public 留言 by number and code; abuse is refused with nothing stored', async () => {
  let r = await anon.post('/api/v1/hotline/public/orders', {
    category: 'complaint', title: '路灯不亮', text: '岳麓区某路段路灯连续三晚不亮，行人出行不便。', caller_name: '赵女士',
    caller_phone: '13800002222',
  });
  assert.equal(r.status, 201, r.text);
  const { number, query_code: code } = r.json;
  const before = count();
  // a wrong code or number: 404, nothing stored
  assert.equal((await photo(number, 'WRONGCODE', 'a.png', pngBytes())).status, 404);
  assert.equal((await photo(number, 'WRONGCODE', 'a.png', pngBytes(), anon, true)).status, 404);
  assert.equal((await photo('RX2000010100001', code, 'a.png', pngBytes())).status, 404);
  // typed by content: a PDF, or text named .png, is not a photo
  r = await photo(number, code, 'a.png', pdfBytes('not a photo'));
  assert.equal(r.status, 415);
  assert.match(r.json.error.message, /JPG 或 PNG/);
  assert.equal((await photo(number, code, 'b.png', Buffer.from('just text, named like a picture'))).status, 415);
  // no name, an empty body
  assert.equal((await anon.req('POST', `/api/v1/hotline/public/orders/${number}/attachments?code=${code}`, pngBytes(),
    { 'Content-Type': 'image/png' })).status, 422);
  assert.equal((await photo(number, code, 'c.png', Buffer.alloc(0))).status, 422);
  // over 5 MiB: 413 before the body is read
  const big = Buffer.concat([pngBytes(), Buffer.alloc(5 * 1024 * 1024)]);
  r = await photo(number, code, 'big.png', big).catch((e) => ({ status: 'closed', e }));
  assert.ok(r.status === 413 || r.status === 'closed', String(r.status));
  assert.equal(count(), before, 'nothing stored');

  // five photos, lower-case code too, the last two with the code in the header; the sixth is 409
  for (let i = 0; i < 5; i++) {
    r = await photo(number, i % 2 ? code.toLowerCase() : code, `现场${i + 1}.${i % 2 ? 'jpg' : 'png'}`, i % 2 ? jpegBytes(i) : pngBytes(),
      anon, i >= 3);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.mime, i % 2 ? 'image/jpeg' : 'image/png');
  }
  r = await photo(number, code, 'six.png', pngBytes());
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /最多上传5张/);
  assert.equal(count(), before + 5);

  // the citizen's view lists them and serves them by code only
  const pub = await anon.get(`/api/v1/hotline/public/orders/${number}?code=${code}`);
  assert.equal(pub.json.attachments.length, 5);
  assert.ok(pub.json.attachments.every((x) => x.party === 'citizen'));
  const first = pub.json.attachments[0];
  const got = await fetch(`${srv.base}/api/v1/hotline/public/orders/${number}/attachments/${first.id}?code=${code}`);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await got.arrayBuffer()), pngBytes());
  assert.equal((await anon.get(`/api/v1/hotline/public/orders/${number}/attachments/${first.id}?code=XXXX`)).status, 404);
  // the code in the header, as the follow page fetches them (never in an address)
  const byHeader = await fetch(`${srv.base}/api/v1/hotline/public/orders/${number}/attachments/${first.id}`, { headers: { 'X-Query-Code': code } });
  assert.equal(byHeader.status, 200);
  assert.deepEqual(Buffer.from(await byHeader.arrayBuffer()), pngBytes());
  assert.equal((await anon.req('GET', `/api/v1/hotline/public/orders/${number}/attachments/${first.id}`, undefined,
    { 'X-Query-Code': 'WRONGCODE' })).status, 404);

  // the centre and the unit see them; after the answer the citizen sees the reply's attachment, and adds no more
  const id = Number(sqlValue(srv, `SELECT id FROM hotline_orders WHERE number = '${number}'`));
  assert.equal((await op.get(`/api/v1/hotline/orders/${id}`)).json.attachments.length, 5);
  await op.post(`/api/v1/hotline/orders/${id}/dispatch`, { unit_id: units.cg });
  assert.equal((await u1.get(`/api/v1/hotline/orders/${id}`)).json.attachments.length, 5);
  assert.equal((await u1.get(`/api/v1/hotline/orders/${id}/attachments/${first.id}`)).status, 200);
  await u1.post(`/api/v1/hotline/orders/${id}/sign`, {});
  const fixed = await upload(u1, '修复后.png', pngBytes());
  const internal = await upload(u1, '内部记录.pdf', pdfBytes('internal'));
  assert.equal((await u1.post(`/api/v1/hotline/orders/${id}/attachments`, { attachments: [internal] })).status, 200);
  assert.equal((await u1.post(`/api/v1/hotline/orders/${id}/reply`, { text: '已维修路灯线路，三盏路灯均已恢复照明。', attachments: [fixed] })).status, 200);
  let view = (await anon.get(`/api/v1/hotline/public/orders/${number}?code=${code}`)).json;
  assert.equal(view.attachments.length, 5, 'the reply is not published before the centre’s check');
  assert.equal((await op.post(`/api/v1/hotline/orders/${id}/review`, { approve: true })).status, 200);
  view = (await anon.get(`/api/v1/hotline/public/orders/${number}?code=${code}`)).json;
  assert.equal(view.attachments.length, 6);
  const rep = view.attachments.find((x) => x.party === 'unit');
  assert.equal(rep.name, '修复后.png');
  assert.equal((await anon.get(`/api/v1/hotline/public/orders/${number}/attachments/${rep.id}?code=${code}`)).status, 200);
  const det = (await op.get(`/api/v1/hotline/orders/${id}`)).json;
  const hidden = det.attachments.find((x) => x.name === '内部记录.pdf');
  assert.equal((await anon.get(`/api/v1/hotline/public/orders/${number}/attachments/${hidden.id}?code=${code}`)).status, 404,
    'a unit’s working file is not published');
  r = await photo(number, code, 'late.png', pngBytes());
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /已办结/);
});

test('a confidential (保密) 留言: the unit does not see the citizen’s photos; the centre does', async () => {
  let r = await anon.post('/api/v1/hotline/public/orders', {
    category: 'report', title: '举报违建', text: '某小区顶楼有人私自加建房屋，请有关部门查处。', caller_name: '匿名',
    caller_phone: '13800003333', confidential: true,
  });
  const { number, query_code: code } = r.json;
  r = await photo(number, code, '违建.png', pngBytes());
  assert.equal(r.status, 201, r.text);
  const aid = r.json.id;
  const id = Number(sqlValue(srv, `SELECT id FROM hotline_orders WHERE number = '${number}'`));
  assert.equal((await op.get(`/api/v1/hotline/orders/${id}`)).json.attachments.length, 1);
  assert.equal((await op.get(`/api/v1/hotline/orders/${id}/attachments/${aid}`)).status, 200);
  await op.post(`/api/v1/hotline/orders/${id}/dispatch`, { unit_id: units.zj });
  const seen = await u2.get(`/api/v1/hotline/orders/${id}`);
  assert.equal(seen.status, 200);
  assert.deepEqual(seen.json.attachments, []);
  assert.equal((await u2.get(`/api/v1/hotline/orders/${id}/attachments/${aid}`)).status, 404);
  // the centre attaches what the unit needs, as its own
  const copy = await upload(op, '现场照片（中心转发）.png', pngBytes());
  r = await op.post(`/api/v1/hotline/orders/${id}/attachments`, { attachments: [copy] });
  assert.equal(r.status, 200);
  const shared = (await u2.get(`/api/v1/hotline/orders/${id}`)).json.attachments;
  assert.deepEqual(shared.map((x) => x.party), ['centre']);
  // the citizen still sees their own photo
  assert.equal((await anon.get(`/api/v1/hotline/public/orders/${number}?code=${code}`)).json.attachments.length, 1);
});

test('the audit trail is intact after the attachments', () => {
  assert.match(cli(srv, ['audit', 'verify']), /intact/);
});
