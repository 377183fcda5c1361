// The annual report on government information disclosure (docs/domain.md, "The annual report";
// docs/api.md "Disclosure annual report") over real HTTP: a year of requests, documents, remedies
// and figures written into two organs' tables, the report's tables equal to a recomputation written
// here from the generated rows, every check ok, the XLSX, and who may read which organ's report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newCity, startServer, sqlExec, sqlValue, Client, as } from './helpers.mjs';

const APPLICANTS = ['person', 'company', 'research', 'nonprofit', 'legal', 'other_org'];
const RESULTS = ['public', 'partial', 'deny_state_secret', 'deny_law', 'deny_safety', 'deny_third_party',
  'deny_internal', 'deny_process', 'deny_enforcement', 'deny_inquiry', 'unable_not_held', 'unable_need_create',
  'unable_unclear', 'reject_petition', 'reject_repeat', 'reject_publication', 'reject_mass', 'reject_confirm',
  'other_no_correction', 'other_no_fee', 'other'];
const STAGES = ['reconsideration', 'suit_direct', 'suit_after'];
const OUTCOMES = ['upheld', 'corrected', 'other', 'pending'];
const YEAR = 2025;

let srv, city, depts, requests, remedies;

// A small deterministic generator, so a failure can be reproduced.
let seed = 20251231;
const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const day = (t) => new Date(t * 86400e3).toISOString().slice(0, 10);
const dayNo = (s) => Date.parse(`${s}T00:00:00Z`) / 86400e3;
const q = (s) => (s === null ? 'NULL' : `'${s}'`);

function generate(deptIds) {
  const reqs = [];
  const from = dayNo('2024-06-01');
  const to = dayNo('2026-02-28');
  for (let i = 0; i < 400; i++) {
    const received = from + rnd(to - from + 1);
    // most replied within six weeks (some across the year's end), one in ten still open
    const replied = rnd(10) === 0 ? null : received + rnd(45);
    reqs.push({
      no: `RPT${String(i).padStart(5, '0')}`,
      dept: deptIds[i % 2],
      applicant: APPLICANTS[rnd(3) === 0 ? 0 : rnd(6)],
      received: day(received),
      replied: replied === null ? null : day(replied),
      result: replied === null ? null : RESULTS[i < RESULTS.length ? i : rnd(RESULTS.length)],
    });
  }
  // the open ones whose reply date would be in the future are open; a reply is never after today
  const rems = [];
  for (let i = 0; i < 40; i++) {
    const r = reqs[rnd(reqs.length)];
    const filed = dayNo('2024-09-01') + rnd(600);
    const outcome = OUTCOMES[rnd(4)];
    rems.push({ req: r.no, dept: r.dept, stage: STAGES[rnd(3)], outcome, filed: day(filed),
      decided: outcome === 'pending' ? null : day(filed + 20 + rnd(200)) });
  }
  return { reqs, rems };
}

function insertSql(deptIds) {
  const now = Math.floor(Date.now() / 1000);
  const lines = ['BEGIN;',
    "INSERT INTO disclosure_categories(code, name) VALUES ('report_test', '报告测试');"];
  for (const r of requests) {
    lines.push('INSERT INTO disclosure_requests(request_no, dept_id, channel, applicant_type, applicant_name,'
      + ' applicant_no, content, received_date, state, clock_start, due_date, result, reply_date, created_at,'
      + ` updated_at) VALUES ('${r.no}', ${r.dept}, 'online', '${r.applicant}', '申请人', 'X', '内容', '${r.received}',`
      + ` '${r.replied ? 'replied' : 'processing'}', '${r.received}', '${r.received}', ${q(r.result)}, ${q(r.replied)},`
      + ` ${now}, ${now});`);
  }
  for (const m of remedies) {
    lines.push('INSERT INTO disclosure_remedies(request_id, stage, result, filed_date, decided_date, created_at)'
      + ` SELECT id, '${m.stage}', '${m.outcome}', '${m.filed}', ${q(m.decided)}, ${now} FROM disclosure_requests`
      + ` WHERE request_no = '${m.req}';`);
  }
  // documents of the first organ: 规章 and 规范性文件 made, repealed, lapsed, in force
  const docs = [
    ['regulation', '2019-03-01', 'valid', null], ['regulation', '2025-04-01', 'valid', null],
    ['regulation', '2018-01-01', 'repealed', '2025-07-01'], ['normative', '2025-02-01', 'expired', '2025-11-30'],
    ['normative', '2023-05-05', 'valid', null], ['normative', '2020-01-01', 'repealed', '2024-03-01'],
    ['other', '2025-06-01', 'valid', null],
  ];
  docs.forEach(([kind, made, validity, ended], i) => {
    lines.push('INSERT INTO disclosure_documents(dept_id, index_no, first_published_date, created_at)'
      + ` VALUES (${deptIds[0]}, 'RPT-DOC-${i}', '${made}', ${now});`);
    lines.push('INSERT INTO disclosure_doc_versions(document_id, version, state, category_id, title, publisher,'
      + ' written_date, published_date, validity, validity_date, kind, body, created_at)'
      + ` SELECT d.id, 1, 'published', c.id, '文件${i}', '发布机构', '${made}', '${made}', '${validity}', ${q(ended)},`
      + ` '${kind}', '正文', ${now} FROM disclosure_documents d, disclosure_categories c`
      + ` WHERE d.index_no = 'RPT-DOC-${i}' AND c.code = 'report_test';`);
  });
  lines.push('INSERT INTO disclosure_figures(dept_id, year, figure, value, updated_at) VALUES'
    + ` (${deptIds[0]}, ${YEAR}, 'penalty', 12, ${now}), (${deptIds[0]}, ${YEAR}, 'coercion', 3, ${now}),`
    + ` (${deptIds[0]}, ${YEAR}, 'fee_amount', 2500000, ${now}), (${deptIds[1]}, ${YEAR}, 'penalty', 5, ${now});`);
  lines.push('COMMIT;');
  return lines.join('\n');
}

before(async () => {
  city = newCity({ demo: true });
  const id = (name) => Number(sqlValue(city, `SELECT id FROM departments WHERE name = '${name}'`));
  depts = { zwzx: id('长沙市政务服务中心'), zrzy: id('长沙市自然资源和规划局') };
  ({ reqs: requests, rems: remedies } = generate([depts.zwzx, depts.zrzy]));
  sqlExec(city, insertSql([depts.zwzx, depts.zrzy]));
  srv = await startServer({ db: city });
});
after(() => srv.stop());

// Table 三 and 四 recomputed from the generated rows, independently of the server.
function expected(dept) {
  const s = `${YEAR}-01-01`;
  const e = `${YEAR}-12-31`;
  const rows = { new: {}, carried_in: {}, total: {}, carried_out: {} };
  for (const r of RESULTS) rows[r] = {};
  for (const k of Object.keys(rows)) for (const a of [...APPLICANTS, 'total']) rows[k][a] = 0;
  const add = (row, a) => { rows[row][a]++; rows[row].total++; };
  for (const r of requests) {
    if (dept && r.dept !== dept) continue;
    if (r.received > e) continue;
    if (r.received >= s) add('new', r.applicant);
    else if (!r.replied || r.replied >= s) add('carried_in', r.applicant);
    if (!r.replied || r.replied > e) add('carried_out', r.applicant);
    else if (r.replied >= s) { add(r.result, r.applicant); add('total', r.applicant); }
  }
  const t4 = {};
  for (const g of STAGES) { t4[g] = { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 }; }
  for (const m of remedies) {
    if (dept && m.dept !== dept) continue;
    if (m.filed < s || m.filed > e) continue;
    const pending = m.outcome === 'pending' || (m.decided && m.decided > e);
    t4[m.stage][pending ? 'pending' : m.outcome]++;
    t4[m.stage].total++;
  }
  return { rows, t4 };
}

function findRow(rows, key) {
  for (const r of rows) {
    if (r.key === key) return r;
    if (r.rows) { const x = findRow(r.rows, key); if (x) return x; }
  }
  return null;
}

function assertTables(report, dept) {
  const want = expected(dept);
  for (const [key, values] of Object.entries(want.rows)) {
    const row = findRow(report.table3.rows, key);
    assert.ok(row, `table 三 has row ${key}`);
    assert.deepEqual(row.values, values, `table 三 row ${key}`);
  }
  for (const [key, values] of Object.entries(want.t4)) {
    assert.deepEqual(report.table4.rows.find((r) => r.key === key).values, values, `table 四 ${key}`);
  }
  for (const c of report.checks) assert.equal(c.ok, true, `${c.name}: ${c.detail}`);
}

test('an organ\'s report equals the recomputation, with every check ok', async () => {
  const officer = await as(srv.base, 'gongkai01');
  const r = await officer.get(`/api/v1/disclosure/report?year=${YEAR}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.dept_id, depts.zwzx);
  assert.equal(r.json.title, `长沙市政务服务中心${YEAR}年政府信息公开工作年度报告`);
  assert.deepEqual(r.json.sections.map((s) => s.no), ['一', '二', '三', '四', '五', '六']);
  assertTables(r.json, depts.zwzx);
  // every result code appears in the year (the first 21 requests take one each, in two organs)
  const t = expected(null).rows;
  assert.ok(RESULTS.filter((x) => t[x].total > 0).length >= 15);
  // table 二 from the documents and the entered figures
  const t2 = Object.fromEntries(r.json.table2.sections.flatMap((s) => s.rows).map((x) => [x.key, x.values]));
  assert.deepEqual(t2.regulation, { made: 1, repealed: 1, in_force: 2 });
  assert.deepEqual(t2.normative, { made: 1, repealed: 1, in_force: 1 });
  assert.equal(t2.penalty.decisions, 12);
  assert.equal(t2.coercion.decisions, 3);
  assert.equal(t2.fee.amount, 2.5);
  assert.equal(t2.license.decisions, 0); // no 行政许可 case decided in the demo template's year
  // the narrative carries the numbers
  const req = r.json.sections.find((s) => s.key === 'requests').text;
  assert.match(req, new RegExp(`本年度共收到政府信息公开申请${expected(depts.zwzx).rows.new.total}件`));
  assert.match(r.json.sections.find((s) => s.key === 'proactive').text, /收取行政事业性收费2.5万元/);
});

test('the centre reads any organ and the whole government', async () => {
  const centre = await as(srv.base, 'center_admin');
  let r = await centre.get(`/api/v1/disclosure/report?year=${YEAR}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.dept_id, null);
  assert.equal(r.json.organ, '长沙市');
  assertTables(r.json, null);
  const t2 = Object.fromEntries(r.json.table2.sections.flatMap((s) => s.rows).map((x) => [x.key, x.values]));
  assert.equal(t2.penalty.decisions, 17);
  r = await centre.get(`/api/v1/disclosure/report?year=${YEAR}&dept_id=${depts.zrzy}`);
  assert.equal(r.status, 200, r.text);
  assertTables(r.json, depts.zrzy);
  r = await centre.get(`/api/v1/disclosure/report?year=${YEAR}&dept_id=999999`);
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'dept_id');
});

test('an officer reads only their own organ; others are refused', async () => {
  const other = await as(srv.base, 'gongkai02');
  let r = await other.get(`/api/v1/disclosure/report?year=${YEAR}&dept_id=${depts.zwzx}`);
  assert.equal(r.status, 403);
  r = await other.get(`/api/v1/disclosure/report?year=${YEAR}&dept_id=${depts.zrzy}`);
  assert.equal(r.status, 200);
  assertTables(r.json, depts.zrzy);
  r = await new Client(srv.base).get(`/api/v1/disclosure/report?year=${YEAR}`);
  assert.equal(r.status, 401);
  for (const user of ['zhangsan', 'scjg_admin', 'window01', 'jiandu01']) {
    r = await (await as(srv.base, user)).get(`/api/v1/disclosure/report?year=${YEAR}`);
    assert.equal(r.status, 403, user);
  }
});

test('bad parameters get 422 with the field', async () => {
  const officer = await as(srv.base, 'gongkai01');
  const nextYear = new Date(Date.now() + 8 * 3600e3).getUTCFullYear() + 1;
  for (const [qs, field] of [['', 'year'], ['year=abc', 'year'], ['year=1800', 'year'], [`year=${nextYear}`, 'year'],
    [`year=${YEAR}&dept_id=x`, 'dept_id'], [`year=${YEAR}&format=pdf`, 'format']]) {
    const r = await officer.get(`/api/v1/disclosure/report?${qs}`);
    assert.equal(r.status, 422, qs);
    assert.equal(r.json.error.details[0].field, field, qs);
  }
});

test('the tables as XLSX', async () => {
  const officer = await as(srv.base, 'gongkai01');
  const res = await fetch(`${srv.base}/api/v1/disclosure/report?year=${YEAR}&format=xlsx`, {
    headers: { Cookie: officer.cookie },
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  assert.match(res.headers.get('content-disposition'), /disclosure-report-2025\.xlsx/);
  const buf = Buffer.from(await res.arrayBuffer());
  assert.equal(buf.subarray(0, 4).toString('binary'), 'PK\x03\x04');
  assert.ok(buf.includes('xl/worksheets/sheet3.xml'));
});

test('requests made and answered through the module\'s API count in this year\'s report', async () => {
  const officer = await as(srv.base, 'gongkai01');
  const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
  const report = async () => {
    const r = await officer.get(`/api/v1/disclosure/report?year=${year}`);
    assert.equal(r.status, 200, r.text);
    for (const c of r.json.checks) assert.equal(c.ok, true, `${c.name}: ${c.detail}`);
    const rows = r.json.table3.rows;
    return {
      new: findRow(rows, 'new').values.company, denyLaw: findRow(rows, 'deny_law').values.company,
      out: findRow(rows, 'carried_out').values.company,
      pending: r.json.table4.rows.find((x) => x.key === 'reconsideration').values.pending,
    };
  };
  const before = await report();
  const uscc = sqlValue(city, "SELECT uscc FROM departments WHERE name = '长沙市自然资源和规划局'");
  const body = { channel: 'letter', applicant_type: 'company', applicant_name: '某某科技有限公司',
    applicant_no: uscc, contact_person: '李明', phone: '13800138000', address: '长沙市岳麓区某路1号',
    content: '请求公开本机关2024年度政务服务事项清单' };
  let r = await officer.post('/api/v1/disclosure/requests', body);
  assert.equal(r.status, 201, r.text);
  const answered = r.json.id;
  r = await officer.post('/api/v1/disclosure/requests', { ...body, content: '请求公开另一份文件' });
  assert.equal(r.status, 201, r.text);
  r = await officer.post(`/api/v1/disclosure/requests/${answered}/reply`, { result: 'deny_law', note: '依法不予公开' });
  assert.equal(r.status, 200, r.text);
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  r = await officer.post(`/api/v1/disclosure/requests/${answered}/remedies`, { stage: 'reconsideration', filed_date: today });
  assert.equal(r.status, 201, r.text);
  const after = await report();
  assert.deepEqual(after, { new: before.new + 2, denyLaw: before.denyLaw + 1, out: before.out + 1,
    pending: before.pending + 1 });
});
