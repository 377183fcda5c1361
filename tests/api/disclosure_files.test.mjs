// A disclosure document's attachments over real HTTP: the organ's officer uploads a file
// (POST /api/v1/files, permission file.upload), attaches it to a draft, the draft passes 保密审查 and
// is published, and anyone downloads the attachment from the public document. Who reads an upload
// does not widen: until published only the uploader (and the organ, through the document) reads it;
// an officer cannot attach files to cases; accounts without file.upload cannot upload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Client, as, cli } from './helpers.mjs';
import { pdfBytes } from './samples.mjs';

let srv, A, B, centre, pub, cats;
before(async () => {
  srv = await startServer({ config: { files_dir: mkdtempSync(path.join(tmpdir(), 'yiwang-files-')) } });
  A = await as(srv.base, 'gongkai01');
  B = await as(srv.base, 'gongkai02');
  centre = await as(srv.base, 'center_admin');
  pub = new Client(srv.base);
  cats = Object.fromEntries((await pub.get('/api/v1/disclosure/categories')).json.items.map((c) => [c.code, c]));
});
after(() => srv.stop());

const upload = (client, name, bytes) =>
  client.req('POST', '/api/v1/files?name=' + encodeURIComponent(name), bytes, { 'Content-Type': 'application/pdf' });

test('an officer uploads an attachment, publishes the document, and the public downloads it', async () => {
  const bytes = pdfBytes('长沙市政务服务中心2026年度部门预算');
  let r = await upload(A, '2026年度部门预算.pdf', bytes);
  assert.equal(r.status, 201, r.text);
  const file = r.json;
  assert.equal(file.mime, 'application/pdf');
  assert.equal(file.name, '2026年度部门预算.pdf');

  // nobody else reads the upload by itself
  assert.equal((await pub.get(`/api/v1/files/${file.id}`)).status, 401);
  assert.equal((await B.get(`/api/v1/files/${file.id}`)).status, 404);
  assert.equal((await A.get(`/api/v1/files/${file.id}`)).status, 200, 'the uploader does');

  r = await A.post('/api/v1/disclosure/documents', {
    category_id: cats.budget.id, title: '长沙市政务服务中心2026年度部门预算', doc_no: '',
    publisher: '长沙市政务服务中心', written_date: '2026-02-10', topic: '财政预决算', kind: 'other',
    body: '根据《预算法》和市财政局的统一部署，现将本中心2026年度部门预算公开如下（详见附件）。',
    attachments: [file.id],
  });
  assert.equal(r.status, 201, r.text);
  const doc = r.json;
  assert.equal(doc.working.attachments.length, 1);
  assert.equal(doc.working.attachments[0].upload_id, file.id);
  const url = `/api/v1/disclosure/documents/${doc.id}/files/${file.id}`;
  assert.equal((await pub.get(url)).status, 404, 'not before publication');
  assert.equal((await B.get(url)).status, 404, 'nor for another organ');
  assert.equal((await A.get(url)).status, 200, 'the organ reads its draft’s attachment');

  // another officer's upload cannot be attached
  r = await upload(B, 'other.pdf', pdfBytes('other'));
  assert.equal(r.status, 201, r.text);
  const foreign = r.json.id;
  r = await A.put(`/api/v1/disclosure/documents/${doc.id}`, { attachments: [file.id, foreign] });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'attachments[1]');

  r = await A.post(`/api/v1/disclosure/documents/${doc.id}/submit`);
  assert.equal(r.status, 200, r.text);
  r = await centre.post(`/api/v1/disclosure/documents/${doc.id}/review`, { result: 'pass', note: '经保密审查，可以公开' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.published.attachments.length, 1);

  // anyone downloads it from the public document
  r = await pub.get(`/api/v1/disclosure/documents/${doc.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.published.attachments[0].name, '2026年度部门预算.pdf');
  const res = await fetch(srv.base + url);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
  // the upload itself stays the uploader's: the public reads it through the document only
  assert.equal((await pub.get(`/api/v1/files/${file.id}`)).status, 401);
  assert.equal((await B.get(`/api/v1/files/${file.id}`)).status, 404);
  assert.equal((await pub.get(`/api/v1/disclosure/documents/${doc.id}/files/${foreign}`)).status, 404,
    'an upload not attached to the document is not served through it');
});

test('file.upload does not widen anything else', async () => {
  // an officer uploads but does not attach files to cases
  const r = await upload(A, 'x.pdf', pdfBytes('x'));
  assert.equal(r.status, 201);
  assert.equal((await A.post('/api/v1/cases/1/files', { upload_id: r.json.id, material: 'x' })).status, 403);
  // accounts without the permission do not upload
  for (const who of ['jiandu01', 'scjg_shenpi', 'scjg_admin']) {
    const c = await as(srv.base, who);
    assert.equal((await upload(c, 'x.pdf', pdfBytes('x'))).status, 403, who);
  }
  assert.equal((await upload(pub, 'x.pdf', pdfBytes('x'))).status, 401);
});

test('the audit trail is intact after the uploads', () => {
  assert.match(cli(srv, ['audit', 'verify']), /intact/);
});
