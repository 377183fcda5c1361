// The annual report (政府信息公开工作年度报告) stored, edited and published over real HTTP: the officer
// opens the generated report, edits the narrative (the figures stay the generated ones, the checks
// run again on save), saves the draft, and publishes it as a document of 主动公开 (category
// 政府信息公开年报) whose body is the report's text and whose attachment is the tables' XLSX; the
// document goes through 保密审查 (returned once, then passed); once published the report never
// changes. Scope: an organ's officer their own organ, the centre any organ; bad input is 422 and
// nothing is stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Client, as, cli } from './helpers.mjs';

let srv, A, B, centre, citizen, pub, deptA, cats;
const YEAR = 2025;
before(async () => {
  srv = await startServer({ config: { files_dir: mkdtempSync(path.join(tmpdir(), 'yiwang-files-')) } });
  A = await as(srv.base, 'gongkai01');
  B = await as(srv.base, 'gongkai02');
  centre = await as(srv.base, 'center_admin');
  citizen = await as(srv.base, 'zhangsan');
  pub = new Client(srv.base);
  deptA = (await pub.get('/api/v1/disclosure/organs')).json.items.find((o) => o.name === '长沙市政务服务中心').dept_id;
  cats = Object.fromEntries((await pub.get('/api/v1/disclosure/categories')).json.items.map((c) => [c.code, c]));
});
after(() => srv.stop());

const url = `/api/v1/disclosure/reports/${YEAR}`;
const section = (report, key) => report.sections.find((s) => s.key === key);

test('who may open, edit and publish a report', async () => {
  assert.equal((await pub.get(url)).status, 401);
  assert.equal((await citizen.get(url)).status, 403);
  assert.equal((await B.get(`${url}?dept_id=${deptA}`)).status, 403, 'another organ’s officer');
  assert.equal((await B.put(`${url}?dept_id=${deptA}`, { sections: [] })).status, 403);
  assert.equal((await B.post(`${url}/publish?dept_id=${deptA}`)).status, 403);
  let r = await centre.get(url);
  assert.equal(r.status, 200, 'the centre without dept_id: the whole government’s report');
  assert.equal(r.json.dept_id, null);
  assert.equal((await centre.get(`${url}?dept_id=${deptA}`)).status, 200);
  assert.equal((await centre.get(`${url}?dept_id=abc`)).status, 422);
  r = await A.get('/api/v1/disclosure/reports/2999');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'year');
});

test('the officer edits, saves, publishes; 保密审查 returns it once, then passes; it never changes again', async () => {
  let r = await A.get(url);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'new');
  assert.equal(r.json.report.year, YEAR);
  const generated = r.json.report;
  assert.equal(r.json.report.sections.length, 6);

  // publishing before saving is refused
  r = await A.post(`${url}/publish`);
  assert.equal(r.status, 409);

  // bad input: 422 naming the field, nothing stored
  r = await A.put(url, { sections: [{ key: 'nosuch', text: 'x' }, { key: 'problems', text: '' }, { key: 'other' }] });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.field).sort(), ['sections[0].key', 'sections[1].text', 'sections[2].text']);
  r = await A.put(url, { sections: [{ key: 'problems', text: 'a' }, { key: 'problems', text: 'b' }] });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'sections[1].key');
  r = await A.put(url, { preface: 'x'.repeat(5001) });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'preface');
  r = await A.put(url, [1, 2]);
  assert.equal(r.status, 400, 'not a JSON object');
  assert.equal((await A.get(url)).json.state, 'new', 'nothing stored');

  // the edit: the officer's text over the generated figures
  const problems = '一是政务公开专业人员不足；二是政策解读形式较为单一。下一步，我中心将加强业务培训，丰富解读形式。';
  const other = '本年度未收取信息处理费。我中心按照《中华人民共和国政府信息公开条例》要求，完成了年度政务公开工作要点确定的各项任务。';
  r = await A.put(url, { preface: '本报告依据《中华人民共和国政府信息公开条例》编制。', sections: [{ key: 'problems', text: problems }, { key: 'other', text: other }] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'draft');
  assert.equal(r.json.state_label, '草稿');
  assert.equal(r.json.updated_by_name, '彭晓燕');
  let rep = r.json.report;
  assert.equal(section(rep, 'problems').text, problems);
  assert.equal(section(rep, 'other').text, other);
  assert.equal(section(rep, 'overview').text, section(generated, 'overview').text, 'sections not edited keep the draft');
  assert.deepEqual(rep.table3, generated.table3, 'the figures are the generated ones');
  assert.deepEqual(rep.table2, generated.table2);
  assert.ok(rep.checks.length >= 5);
  for (const c of rep.checks) assert.equal(c.ok, true, `${c.name}: ${c.detail}`);

  // a second save keeps what the first said where it says nothing; figures sent are ignored
  r = await A.put(url, { sections: [{ key: 'overview', text: '2025年，我中心认真贯彻落实政府信息公开条例。' }], table3: { rows: [] } });
  assert.equal(r.status, 200, r.text);
  rep = r.json.report;
  assert.equal(section(rep, 'problems').text, problems);
  assert.equal(section(rep, 'overview').text, '2025年，我中心认真贯彻落实政府信息公开条例。');
  assert.deepEqual(rep.table3, generated.table3);
  assert.equal(rep.preface, '本报告依据《中华人民共和国政府信息公开条例》编制。');

  // publishing: a document of 主动公开 under 保密审查
  r = await A.post(`${url}/publish`, { category_id: 999999 });
  assert.equal(r.status, 422, 'an unknown category');
  assert.equal(r.json.error.details[0].field, 'category_id');
  assert.equal((await A.get(url)).json.state, 'draft', 'nothing submitted');
  r = await A.post(`${url}/publish`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'review');
  const docId = r.json.document_id;
  assert.ok(docId);
  let doc = (await A.get(`/api/v1/disclosure/documents/${docId}`)).json;
  assert.equal(doc.working.state, 'review');
  assert.equal(doc.working.title, rep.title);
  assert.equal(doc.working.category_id, cats.annual_report.id);
  assert.equal(doc.working.publisher, '长沙市政务服务中心');
  assert.match(doc.working.body, /五、存在的主要问题及改进情况\n一是政务公开专业人员不足/);
  assert.match(doc.working.body, /【收到和处理政府信息公开申请情况】/);
  assert.match(doc.working.body, /本年新收政府信息公开申请数量：自然人 \d+/);
  assert.match(doc.working.body, /行政事业性收费：本年收费金额（单位：万元） /);
  assert.equal(doc.working.attachments.length, 1);
  assert.match(doc.working.attachments[0].name, /\.xlsx$/);
  assert.equal((await pub.get(`/api/v1/disclosure/documents/${docId}`)).status, 404, 'not public under review');

  // under review the report is frozen
  assert.equal((await A.put(url, { sections: [{ key: 'problems', text: '改' }] })).status, 409);
  assert.equal((await A.post(`${url}/publish`)).status, 409);

  // 保密审查 returns it: the report is a draft again, edited and submitted again
  assert.equal((await A.post(`/api/v1/disclosure/documents/${docId}/review`, { result: 'pass' })).status, 403, 'not by its author');
  r = await centre.post(`/api/v1/disclosure/documents/${docId}/review`, { result: 'fail', note: '第五部分请补充整改时限' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await A.get(url)).json.state, 'draft');
  r = await A.put(url, { sections: [{ key: 'problems', text: `${problems}以上整改于2026年6月底前完成。` }] });
  assert.equal(r.status, 200, r.text);
  r = await A.post(`${url}/publish`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.document_id, docId, 'the same document');
  r = await centre.post(`/api/v1/disclosure/documents/${docId}/review`, { result: 'pass', note: '经保密审查，可以公开' });
  assert.equal(r.status, 200, r.text);
  r = await A.get(url);
  assert.equal(r.json.state, 'published');
  assert.equal(r.json.state_label, '已公开');

  // the public reads it in the catalogue, with the tables' XLSX
  doc = (await pub.get(`/api/v1/disclosure/documents/${docId}`)).json;
  assert.equal(doc.published.title, rep.title);
  assert.match(doc.published.body, /以上整改于2026年6月底前完成。/);
  assert.ok(doc.index_no);
  const list = (await pub.get(`/api/v1/disclosure/documents?category_id=${cats.annual_report.id}`)).json.items;
  assert.ok(list.some((d) => d.id === docId));
  const att = doc.published.attachments[0];
  const res = await fetch(`${srv.base}/api/v1/disclosure/documents/${docId}/files/${att.upload_id}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');

  // a published report never changes
  r = await A.put(url, { sections: [{ key: 'problems', text: '改' }] });
  assert.equal(r.status, 409);
  assert.equal((await A.post(`${url}/publish`)).status, 409);
  assert.equal((await A.put(`/api/v1/disclosure/documents/${docId}`, { body: '改' })).status, 409, 'nor its document');
  assert.match((await A.get(url)).json.report.sections.find((s) => s.key === 'problems').text, /6月底前完成/);

  // the stored report's tables as XLSX from the report endpoint
  const x = await fetch(`${srv.base}${url}?format=xlsx`, { headers: { cookie: A.cookie } });
  assert.equal(x.status, 200);
  assert.equal(Buffer.from(await x.arrayBuffer()).subarray(0, 2).toString(), 'PK');
});

test('the whole government’s report (本级政府): the centre saves and publishes it through an organ; officers cannot reach it', async () => {
  const GY = YEAR - 1;
  const gurl = `/api/v1/disclosure/reports/${GY}`;
  let r = await centre.get(gurl);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'new');
  assert.equal(r.json.dept_id, null);
  const generated = r.json.report;
  assert.equal(generated.dept_id, null);
  assert.match(generated.title, new RegExp(`^长沙市${GY}年政府信息公开工作年度报告$`));
  // an officer's /reports/{year} is always their own organ's: the whole government's is not theirs
  r = await A.get(gurl);
  assert.equal(r.json.dept_id, deptA);
  assert.notEqual(r.json.report.title, generated.title);

  const text = '本级政府统筹推进政务公开工作，全市各机关均按期发布年度报告。';
  r = await centre.put(gurl, { sections: [{ key: 'problems', text: '' }] });
  assert.equal(r.status, 422);
  assert.equal((await centre.get(gurl)).json.state, 'new', 'nothing stored');
  r = await centre.put(gurl, { sections: [{ key: 'other', text }] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'draft');
  assert.equal(r.json.dept_id, null);
  assert.equal(section(r.json.report, 'other').text, text);
  assert.deepEqual(r.json.report.table3, generated.table3, 'the whole government’s figures');
  // the organ's own report of that year is a different one, untouched
  assert.equal((await A.get(gurl)).json.state, 'new');

  // publishing names the organ that publishes it on the government's behalf
  r = await centre.post(`${gurl}/publish`);
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'publisher_dept_id');
  r = await centre.post(`${gurl}/publish`, { publisher_dept_id: 999999 });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'publisher_dept_id');
  assert.equal((await centre.get(gurl)).json.state, 'draft', 'nothing submitted');
  r = await centre.post(`${gurl}/publish`, { publisher_dept_id: deptA });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'review');
  const docId = r.json.document_id;
  let doc = (await centre.get(`/api/v1/disclosure/documents/${docId}`)).json;
  assert.equal(doc.dept_id, deptA);
  assert.equal(doc.working.title, generated.title);
  assert.equal(doc.working.publisher, '长沙市');
  assert.equal((await centre.put(gurl, { sections: [{ key: 'other', text: '改' }] })).status, 409, 'frozen under review');
  // the organ's officer passes 保密审查 (not the centre, its author)
  assert.equal((await centre.post(`/api/v1/disclosure/documents/${docId}/review`, { result: 'pass' })).status, 403);
  r = await A.post(`/api/v1/disclosure/documents/${docId}/review`, { result: 'pass' });
  assert.equal(r.status, 200, r.text);
  r = await centre.get(gurl);
  assert.equal(r.json.state, 'published');
  assert.equal(r.json.document_id, docId);
  doc = (await pub.get(`/api/v1/disclosure/documents/${docId}`)).json;
  assert.match(doc.published.body, new RegExp(text));
  assert.equal((await centre.post(`${gurl}/publish`, { publisher_dept_id: deptA })).status, 409);
});

test('the audit trail is intact after the reports', () => {
  assert.match(cli(srv, ['audit', 'verify']), /intact/);
});
