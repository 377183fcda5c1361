// Uploads, case files and profiles over real HTTP: types judged by content (415 otherwise), the
// size limit (413), storage once per content, who may read a file (uploader, or those who see
// its case; everyone else 404), and the profile round trip with validation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Client, as, cli } from './helpers.mjs';
import { pdfBytes, pngBytes, zipBytes } from './samples.mjs';

async function upload(client, name, bytes, type = 'application/octet-stream') {
  return client.req('POST', '/api/v1/files?name=' + encodeURIComponent(name), bytes, { 'Content-Type': type });
}

let srv, filesDir, item;
before(async () => {
  filesDir = mkdtempSync(path.join(tmpdir(), 'yiwang-files-'));
  srv = await startServer({ config: { files_dir: filesDir, max_upload_kb: 64, max_body_kb: 16 } });
  const pub = new Client(srv.base);
  const scjg = (await pub.get('/api/v1/departments')).json.items.find((d) => d.name === '长沙市市场监督管理局');
  const list = (await pub.get(`/api/v1/items?dept_id=${scjg.id}&page_size=200`)).json.items;
  for (const it of list) {
    const g = (await pub.get(`/api/v1/items/${it.code}`)).json;
    if (g.materials.length >= 1 && g.targets.includes(1)) { item = g; break; }
  }
  assert.ok(item, 'a 市场监管 item with materials');
});
after(() => srv.stop());

const sha = (b) => createHash('sha256').update(b).digest('hex');

test('PDF, PNG and OFD are accepted by their content, whatever the Content-Type says', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const pdf = pdfBytes('accepted');
  let r = await upload(citizen, '营业执照.pdf', pdf, 'text/plain');
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.mime, 'application/pdf');
  assert.equal(r.json.sha256, sha(pdf));
  assert.equal(r.json.size, pdf.length);
  assert.equal(r.json.name, '营业执照.pdf');
  assert.equal(r.json.url, `/api/v1/files/${r.json.id}`);
  r = await upload(citizen, 'photo.png', pngBytes());
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.mime, 'image/png');
  r = await upload(citizen, 'license.ofd', zipBytes({ 'OFD.xml': '<ofd:OFD/>', 'Doc_0/Document.xml': '<x/>' }));
  assert.equal(r.json.mime, 'application/ofd');
  r = await upload(citizen, 'form.docx', zipBytes({ '[Content_Types].xml': '<x/>', 'word/document.xml': '<w/>' }));
  assert.equal(r.json.mime, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  r = await upload(citizen, 'C:\\Users\\张三\\身份证.png', pngBytes());
  assert.equal(r.json.name, '身份证.png', 'only the last path component is kept');
});

test('anything else is 415 with a Chinese message: text, a text file named .pdf, a truncated PDF, a plain zip', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const cases = [
    ['notes.txt', Buffer.from('这是一个文本文件'), 'text/plain'],
    ['fake.pdf', Buffer.from('not really a pdf, just text'), 'application/pdf'],
    ['cut.pdf', pdfBytes().subarray(0, 40), 'application/pdf'],
    ['archive.zip', zipBytes({ 'readme.txt': 'hello' }), 'application/zip'],
    ['page.html', Buffer.from('<html><script>alert(1)</script></html>'), 'image/png'],
  ];
  for (const [name, bytes, type] of cases) {
    const r = await upload(citizen, name, bytes, type);
    assert.equal(r.status, 415, `${name}: ${r.text}`);
    assert.match(r.json.error.message, /PDF/);
  }
  let r = await citizen.req('POST', '/api/v1/files', pdfBytes(), { 'Content-Type': 'application/pdf' });
  assert.equal(r.status, 422, 'a file needs a name');
  assert.equal(r.json.error.details[0].field, 'name');
  r = await upload(citizen, 'empty.pdf', Buffer.alloc(0));
  assert.equal(r.status, 422);
});

test('a file over max_upload is 413; JSON routes keep their own smaller limit', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(70 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
  let r = await upload(citizen, 'big.pdf', big);
  assert.equal(r.status, 413);
  const fits = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(60 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
  r = await upload(citizen, 'fits.pdf', fits);
  assert.equal(r.status, 201, r.text);
  r = await citizen.post('/api/v1/cases', { item_code: item.code, form: { note: 'x'.repeat(20 * 1024) } });
  assert.equal(r.status, 413, 'the larger limit is for the upload route only');
});

test('the same content uploaded twice is stored once', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const other = await as(srv.base, 'xiangjiang_food');
  const pdf = pdfBytes('twice');
  const a = await upload(citizen, 'a.pdf', pdf);
  const b = await upload(other, 'b.pdf', pdf);
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.notEqual(a.json.id, b.json.id);
  assert.equal(a.json.sha256, b.json.sha256);
  const h = sha(pdf);
  const dir = path.join(filesDir, h.slice(0, 2));
  assert.ok(existsSync(path.join(dir, h.slice(2))), 'stored under files_dir/ab/cdef...');
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith(h.slice(2)) || f.startsWith('.tmp')), [h.slice(2)]);
});

test('only the uploader reads an unattached file; others get 404', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const pdf = pdfBytes('private');
  const up = (await upload(citizen, '申请书.pdf', pdf)).json;
  const r = await citizen.get(up.url);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(r.headers.get('content-disposition'), /^inline; filename="[^"]*\.pdf"; filename\*=UTF-8''%E7%94%B3%E8%AF%B7%E4%B9%A6\.pdf$/);
  assert.equal(r.text, pdf.toString());
  for (const u of ['xiangjiang_food', 'window01', 'scjg_shenpi']) {
    assert.equal((await (await as(srv.base, u)).get(up.url)).status, 404, u);
  }
  assert.equal((await new Client(srv.base).get(up.url)).status, 401);
  assert.equal((await citizen.get('/api/v1/files/999999')).status, 404);
});

test('attached to a case, the window clerk and the department’s approver read it; strangers do not', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const other = await as(srv.base, 'xiangjiang_food');
  const c = await citizen.post('/api/v1/cases', { item_code: item.code, materials: [item.materials[0].name] });
  assert.equal(c.status, 201, c.text);
  const id = c.json.id;
  const up = (await upload(citizen, 'material.pdf', pdfBytes('attached'))).json;
  let r = await citizen.post(`/api/v1/cases/${id}/files`, { upload_id: up.id, material: '指南里没有的材料' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'material');
  const foreign = (await upload(other, 'x.pdf', pdfBytes('foreign'))).json;
  r = await citizen.post(`/api/v1/cases/${id}/files`, { upload_id: foreign.id, material: item.materials[0].name });
  assert.equal(r.status, 422, 'only one’s own uploads');
  r = await other.post(`/api/v1/cases/${id}/files`, { upload_id: foreign.id, material: item.materials[0].name });
  assert.equal(r.status, 404, 'not someone else’s case');
  r = await citizen.post(`/api/v1/cases/${id}/files`, { upload_id: up.id, material: item.materials[0].name });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.items.map((f) => [f.id, f.material]), [[up.id, item.materials[0].name]]);

  for (const u of ['window01', 'scjg_shenpi']) {
    const s = await as(srv.base, u);
    const list = await s.get(`/api/v1/cases/${id}/files`);
    assert.equal(list.status, 200, u);
    assert.equal(list.json.items[0].sha256, up.sha256);
    const f = await s.get(up.url);
    assert.equal(f.status, 200, u);
    assert.match(f.text, /attached/);
  }
  assert.equal((await other.get(`/api/v1/cases/${id}/files`)).status, 404);
  assert.equal((await other.get(up.url)).status, 404);

  // An upload serves one case; a closed case takes no more files.
  const c2 = (await citizen.post('/api/v1/cases', { item_code: item.code })).json;
  r = await citizen.post(`/api/v1/cases/${c2.id}/files`, { upload_id: up.id, material: item.materials[0].name });
  assert.equal(r.status, 409);
  await citizen.post(`/api/v1/cases/${c2.id}/withdraw`);
  const late = (await upload(citizen, 'late.pdf', pdfBytes('late'))).json;
  r = await citizen.post(`/api/v1/cases/${c2.id}/files`, { upload_id: late.id, material: item.materials[0].name });
  assert.equal(r.status, 409);

  // A window clerk scans a walk-in applicant's paper and attaches it.
  const window = await as(srv.base, 'window01');
  const scan = (await upload(window, 'scan.png', pngBytes())).json;
  r = await window.post(`/api/v1/cases/${id}/files`, { upload_id: scan.id, material: item.materials[0].name });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.items.length, 2);
  assert.equal((await citizen.get(scan.url)).status, 200, 'the applicant sees what was attached to their case');
});

test('profile: round trip, validation naming the field, nothing changed by bad input', async () => {
  const citizen = await as(srv.base, 'xiangjiang_food');
  let r = await citizen.get('/api/v1/me/profile');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.profile, {});
  assert.ok(r.json.fields.some((f) => f.key === 'address' && f.label === '联系地址'));
  const data = { name: '湘江食品', phone: '0731-88888888', email: 'info@xiangjiang.example', address: '长沙市岳麓区麓山路 1 号', postcode: '410006', company_contact: '李四' };
  r = await citizen.put('/api/v1/me/profile', { profile: { ...data, legal_person: '' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.profile, data, 'empty values are dropped');
  assert.ok(r.json.updated_at > 0);
  assert.deepEqual((await citizen.get('/api/v1/me/profile')).json.profile, data);

  const bad = [
    [{ nickname: 'x' }, 'nickname'],
    [{ phone: 'call me' }, 'phone'],
    [{ postcode: '4100' }, 'postcode'],
    [{ email: 'no-at-sign' }, 'email'],
    [{ address: '长'.repeat(201) }, 'address'],
    [{ name: 42 }, 'name'],
  ];
  for (const [profile, field] of bad) {
    r = await citizen.put('/api/v1/me/profile', { profile });
    assert.equal(r.status, 422, field);
    assert.equal(r.json.error.details[0].field, field);
    assert.match(r.json.error.details[0].message, /[\u4e00-\u9fa5]/);
  }
  assert.deepEqual((await citizen.get('/api/v1/me/profile')).json.profile, data);
  const other = await as(srv.base, 'zhangsan');
  assert.deepEqual((await other.get('/api/v1/me/profile')).json.profile, {}, 'profiles are per account');
  assert.equal((await new Client(srv.base).get('/api/v1/me/profile')).status, 401);
});

test('the audit trail is intact after uploads, attachments and profiles', () => {
  assert.match(cli(srv, ['audit', 'verify']), /intact/);
});
