// 主动公开 over real HTTP: a document's life (draft → 保密审查 by someone other than its author →
// published with its organ's 索引号 → a new version for an edit or a change of validity, the
// published version never changing → withdrawn), the public catalogue (published only; search by
// text, organ, category, year), the category tree, table 二's figures; and the permission matrix
// of the whole module: an organ's officer (A: 市政务服务中心, B: 市自然资源和规划局), the centre, an
// applicant and the public.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, cli } from './helpers.mjs';

let srv, A, B, centre, citizen, pub, organs, cats, deptA, deptB;
before(async () => {
  srv = await startServer();
  A = await as(srv.base, 'gongkai01');
  B = await as(srv.base, 'gongkai02');
  centre = await as(srv.base, 'center_admin');
  citizen = await as(srv.base, 'zhangsan');
  pub = new Client(srv.base);
  organs = (await pub.get('/api/v1/disclosure/organs')).json.items;
  deptA = organs.find((o) => o.name === '长沙市政务服务中心').dept_id;
  deptB = organs.find((o) => o.name === '长沙市自然资源和规划局').dept_id;
  cats = Object.fromEntries((await pub.get('/api/v1/disclosure/categories')).json.items.map((c) => [c.code, c]));
});
after(() => srv.stop());

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const year = () => today().slice(0, 4);

function draft(extra = {}) {
  return {
    category_id: cats.rules.id, title: '长沙市政务服务中心窗口服务规范', doc_no: '长政务发〔2026〕3号',
    publisher: '长沙市政务服务中心', written_date: '2026-11-20', topic: '政务服务', kind: 'normative',
    body: '第一条 为规范窗口服务，制定本规范。', ...extra,
  };
}

test('the category tree is seeded and configured by the centre', async () => {
  for (const code of ['org', 'rules', 'plans', 'budget', 'personnel', 'permits', 'penalties', 'proposals'])
    assert.ok(cats[code], `category ${code}`);
  assert.equal(cats.rules.name, '法规文件');
  let r = await A.post('/api/v1/disclosure/categories', { code: 'x', name: '某分类' });
  assert.equal(r.status, 403, 'an officer does not configure the tree');
  r = await centre.post('/api/v1/disclosure/categories', { code: 'Bad Code', name: '' });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.field).sort(), ['code', 'name']);
  r = await centre.post('/api/v1/disclosure/categories', { code: 'rules', name: '重复' });
  assert.equal(r.status, 422, 'codes are unique');
  r = await centre.post('/api/v1/disclosure/categories', { code: 'emergency', name: '应急管理', parent_id: cats.plans.id, sort: 35 });
  assert.equal(r.status, 201, r.text);
  const made = r.json.items.find((c) => c.code === 'emergency');
  assert.equal(made.parent_id, cats.plans.id);
  r = await centre.put(`/api/v1/disclosure/categories/${cats.plans.id}`, { parent_id: made.id });
  assert.equal(r.status, 422, 'no cycle in the tree');
  assert.equal(r.json.error.details[0].field, 'parent_id');
  r = await centre.put(`/api/v1/disclosure/categories/${made.id}`, { active: false });
  assert.equal(r.status, 200, r.text);
  assert.ok(!(await pub.get('/api/v1/disclosure/categories')).json.items.some((c) => c.code === 'emergency'));
  r = await A.post('/api/v1/disclosure/documents', draft({ category_id: made.id }));
  assert.equal(r.status, 422, 'not under an inactive category');
});

test('a document from draft through 保密审查 to publication, versions, validity and withdrawal', async () => {
  // the organ's 索引号 rule
  let r = await B.put(`/api/v1/disclosure/organs/${deptA}`, { code: 'ZWZX', index_rule: '{organ}-{year}-{seq}' });
  assert.equal(r.status, 403, 'only the organ’s own officer');
  r = await A.put(`/api/v1/disclosure/organs/${deptA}`, { code: 'zw zx', index_rule: '{organ}-{year}' });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.field).sort(), ['code', 'index_rule']);
  r = await A.put(`/api/v1/disclosure/organs/${deptA}`, { code: 'ZWZX', index_rule: '{organ}-{category}-{year}-{seq}' });
  assert.equal(r.status, 200, r.text);

  r = await A.post('/api/v1/disclosure/documents', draft());
  assert.equal(r.status, 201, r.text);
  const doc = r.json;
  assert.equal(doc.dept_id, deptA);
  assert.equal(doc.index_no, null, 'the 索引号 comes with publication');
  assert.equal(doc.working.state, 'draft');
  assert.equal(doc.working.version, 1);
  assert.equal((await pub.get(`/api/v1/disclosure/documents/${doc.id}`)).status, 404, 'the public sees no draft');
  assert.equal((await B.get(`/api/v1/disclosure/documents/${doc.id}`)).status, 404, 'nor another organ');

  r = await A.post(`/api/v1/disclosure/documents/${doc.id}/review`, { result: 'pass' });
  assert.equal(r.status, 409, 'a draft is submitted before review');
  r = await A.post(`/api/v1/disclosure/documents/${doc.id}/submit`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.working.state, 'review');
  r = await A.put(`/api/v1/disclosure/documents/${doc.id}`, { title: '改' });
  assert.equal(r.status, 409, 'no edit under review');
  r = await A.post(`/api/v1/disclosure/documents/${doc.id}/review`, { result: 'pass' });
  assert.equal(r.status, 403, 'the author does not review their own draft');
  r = await centre.post(`/api/v1/disclosure/documents/${doc.id}/review`, { result: 'fail' });
  assert.equal(r.status, 422, 'a failed review says why');
  r = await centre.post(`/api/v1/disclosure/documents/${doc.id}/review`, { result: 'fail', note: '含有个人信息，请删除附件中的身份证号' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.working.state, 'draft');
  assert.equal(r.json.working.review_result, 'fail');
  await A.post(`/api/v1/disclosure/documents/${doc.id}/submit`);
  r = await centre.post(`/api/v1/disclosure/documents/${doc.id}/review`, { result: 'pass', note: '经保密审查，可以公开' });
  assert.equal(r.status, 200, r.text);
  const v1 = r.json.published;
  assert.equal(v1.state, 'published');
  assert.equal(v1.published_date, today());
  assert.equal(v1.reviewer, '刘建华');
  assert.equal(r.json.index_no, `ZWZX-rules-${year()}-00001`);
  assert.equal(r.json.first_published_date, today());

  // the public reads it, without the review record
  r = await pub.get(`/api/v1/disclosure/documents/${doc.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.published.title, '长沙市政务服务中心窗口服务规范');
  assert.equal(r.json.published.reviewer, undefined);
  assert.equal(r.json.versions, undefined);
  assert.equal(r.json.published.kind_label, '行政规范性文件');

  // an edit makes version 2; version 1 stays as published
  r = await A.put(`/api/v1/disclosure/documents/${doc.id}`, { body: '第一条 为规范窗口服务，提升群众满意度，制定本规范。' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.working.version, 2);
  assert.equal(r.json.working.title, v1.title, 'unchanged fields carry over');
  assert.equal(r.json.published.body, v1.body, 'the published version never changes');
  await A.post(`/api/v1/disclosure/documents/${doc.id}/submit`);
  r = await centre.post(`/api/v1/disclosure/documents/${doc.id}/review`, { result: 'pass' });
  assert.equal(r.json.published.version, 2);
  assert.equal(r.json.index_no, `ZWZX-rules-${year()}-00001`, 'the 索引号 stays the document’s');
  const hist = r.json.versions;
  assert.deepEqual(hist.map((v) => [v.version, v.state]), [[2, 'published'], [1, 'superseded']]);
  assert.equal(hist[1].end_reason, '由第2版替代');

  // repeal: a new published version with the new validity
  r = await A.post(`/api/v1/disclosure/documents/${doc.id}/validity`, { validity: 'abolished', reason: '' });
  assert.equal(r.status, 422);
  r = await A.post(`/api/v1/disclosure/documents/${doc.id}/validity`, { validity: 'repealed', date: today(), reason: '被新规范替代' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.published.version, 3);
  assert.equal(r.json.published.validity, 'repealed');
  assert.equal(r.json.published.validity_label, '废止');
  assert.equal(r.json.published.validity_date, today());
  assert.equal(r.json.published.published_date, hist[0].published_date, 'the same document keeps its 发布日期');
  assert.equal(r.json.published.body, '第一条 为规范窗口服务，提升群众满意度，制定本规范。');

  // withdrawn: gone from the catalogue
  r = await A.post(`/api/v1/disclosure/documents/${doc.id}/withdraw`, {});
  assert.equal(r.status, 422, 'withdrawal needs a reason');
  r = await A.post(`/api/v1/disclosure/documents/${doc.id}/withdraw`, { reason: '内容有误，撤回' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await pub.get(`/api/v1/disclosure/documents/${doc.id}`)).status, 404);
  r = await A.post(`/api/v1/disclosure/documents/${doc.id}/withdraw`, { reason: '再撤' });
  assert.equal(r.status, 409);
});

test('the public catalogue: published only, by text, organ, category and year', async () => {
  const made = [];
  for (const [who, dept, title, cat] of [[A, deptA, '2026年政务服务中心工作计划', 'plans'], [B, deptB, '国土空间总体规划公示', 'plans'], [B, deptB, '不动产登记收费标准', 'budget']]) {
    let r = await who.post('/api/v1/disclosure/documents', draft({ title, category_id: cats[cat].id, kind: 'other', publisher: '某机关' }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.dept_id, dept);
    await who.post(`/api/v1/disclosure/documents/${r.json.id}/submit`);
    r = await centre.post(`/api/v1/disclosure/documents/${r.json.id}/review`, { result: 'pass' });
    assert.equal(r.status, 200, r.text);
    made.push(r.json.id);
  }
  const unpublished = (await A.post('/api/v1/disclosure/documents', draft({ title: '尚未发布的计划', category_id: cats.plans.id }))).json.id;
  const ids = async (q) => (await pub.get(`/api/v1/disclosure/documents?page_size=200&${q}`)).json.items.map((d) => d.id);
  assert.ok(!(await ids('')).includes(unpublished));
  assert.deepEqual(await ids('q=' + encodeURIComponent('国土空间')), [made[1]]);
  assert.deepEqual((await ids(`dept_id=${deptB}`)).sort(), [made[1], made[2]].sort());
  assert.deepEqual((await ids(`category_id=${cats.plans.id}`)).sort(), [made[0], made[1]].sort());
  assert.ok((await ids(`year=${year()}`)).includes(made[2]));
  assert.deepEqual(await ids('year=2001'), []);
  assert.deepEqual(await ids('q=' + encodeURIComponent('100%_')), [], 'LIKE characters are literal');
  const list = (await pub.get('/api/v1/disclosure/documents?page_size=1')).json;
  assert.equal(list.items.length, 1);
  assert.ok(list.total >= 3);
  assert.equal(list.items[0].body, undefined, 'the list carries no bodies');
  assert.equal((await pub.get('/api/v1/disclosure/documents?validity=sometimes')).status, 422);
  assert.equal((await pub.get('/api/v1/disclosure/documents?q=%FF%FE')).status, 422, 'not UTF-8');
  assert.equal((await pub.get('/api/v1/disclosure/documents?q=' + encodeURIComponent('规划'.repeat(51)))).status, 422);
  // the organ's own list: its documents in every state, nobody else's
  const mine = (await A.get('/api/v1/disclosure/manage/documents?page_size=200')).json.items;
  assert.ok(mine.some((d) => d.id === unpublished && d.state === 'draft'));
  assert.ok(mine.every((d) => d.dept_id === deptA));
  const all = (await centre.get('/api/v1/disclosure/manage/documents?page_size=200')).json.items;
  assert.ok(all.some((d) => d.dept_id === deptB) && all.some((d) => d.dept_id === deptA));
});

test('bad documents: 422 with the fields, nothing stored; another organ is refused', async () => {
  const before = (await centre.get('/api/v1/disclosure/manage/documents?page_size=1')).json.total;
  let r = await A.post('/api/v1/disclosure/documents', { category_id: 999999, title: '', publisher: '', body: '', kind: 'law', written_date: '2099-01-01', attachments: [999999] });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.field).sort(),
    ['attachments[0]', 'body', 'category_id', 'kind', 'publisher', 'title', 'written_date']);
  r = await A.post('/api/v1/disclosure/documents', draft({ dept_id: deptB }));
  assert.equal(r.status, 403, 'an officer publishes for their own organ only');
  r = await centre.post('/api/v1/disclosure/documents', draft());
  assert.equal(r.status, 422, 'the centre names the organ');
  assert.equal(r.json.error.details[0].field, 'dept_id');
  assert.equal((await centre.get('/api/v1/disclosure/manage/documents?page_size=1')).json.total, before);
});

test('table 二 figures: entered by the organ for its year', async () => {
  let r = await A.put('/api/v1/disclosure/figures', { year: 2026, figures: { penalty: 12, coercion: 3, fee_amount: 150000 } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.figures, { penalty: 12, coercion: 3, fee_amount: 150000 });
  r = await A.put('/api/v1/disclosure/figures', { year: 2026, figures: { penalty: -1, permits: 5 } });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.field).sort(), ['figures.penalty', 'figures.permits']);
  r = await B.put('/api/v1/disclosure/figures', { dept_id: deptA, year: 2026, figures: { penalty: 1 } });
  assert.equal(r.status, 403);
  r = await B.get(`/api/v1/disclosure/figures?dept_id=${deptA}&year=2026`);
  assert.equal(r.status, 403);
  r = await centre.get(`/api/v1/disclosure/figures?dept_id=${deptA}&year=2026`);
  assert.equal(r.json.figures.penalty, 12);
});

test('permission matrix: organ A, organ B, the centre, an applicant, the public', async () => {
  // a request of organ A (a letter entered by A's officer) and one filed online to organ B
  let r;
  r = await A.post('/api/v1/disclosure/requests', {
    channel: 'fax', applicant_type: 'person', applicant_name: '王五', applicant_no: '430102198507150011',
    phone: '13800000002', content: '请公开政务服务中心2026年预算',
  });
  assert.equal(r.status, 201, r.text);
  const ra = r.json.id;
  r = await citizen.post('/api/v1/disclosure/requests', { dept_id: deptB, content: '请公开某地块规划条件' });
  assert.equal(r.status, 201, r.text);
  const rb = r.json.id;

  // officer A: its organ's only
  assert.equal((await A.get(`/api/v1/disclosure/requests/${ra}`)).status, 200);
  assert.equal((await A.get(`/api/v1/disclosure/requests/${rb}`)).status, 404);
  assert.equal((await A.post(`/api/v1/disclosure/requests/${rb}/reply`, { result: 'public' })).status, 404);
  assert.equal((await A.get(`/api/v1/disclosure/requests/${rb}/letter`)).status, 404);
  assert.ok((await A.get('/api/v1/disclosure/requests?page_size=200')).json.items.every((x) => x.dept_id === deptA));
  r = await A.post('/api/v1/disclosure/requests', {
    dept_id: deptB, channel: 'letter', applicant_type: 'person', applicant_name: '王五', applicant_no: '430102198507150011',
    phone: '13800000002', content: '代收',
  });
  assert.equal(r.status, 403, 'an officer enters requests for their own organ only');
  // officer B: its organ's, and A's stay invisible
  assert.equal((await B.get(`/api/v1/disclosure/requests/${rb}`)).status, 200);
  assert.equal((await B.get(`/api/v1/disclosure/requests/${ra}`)).status, 404);
  assert.ok((await B.get('/api/v1/disclosure/requests?page_size=200')).json.items.every((x) => x.dept_id === deptB));
  // the centre: everything
  assert.equal((await centre.get(`/api/v1/disclosure/requests/${ra}`)).status, 200);
  assert.equal((await centre.get(`/api/v1/disclosure/requests/${rb}`)).status, 200);
  // the applicant: their own only, and no organ's steps
  assert.equal((await citizen.get(`/api/v1/disclosure/requests/${rb}`)).status, 200);
  assert.equal((await citizen.get(`/api/v1/disclosure/requests/${ra}`)).status, 404);
  assert.equal((await citizen.post(`/api/v1/disclosure/requests/${rb}/reply`, { result: 'public' })).status, 403);
  assert.equal((await citizen.post(`/api/v1/disclosure/requests/${rb}/extend`, { days: 5 })).status, 403);
  assert.equal((await citizen.post(`/api/v1/disclosure/requests/${ra}/withdraw`, {})).status, 404);
  assert.equal((await citizen.get('/api/v1/disclosure/manage/documents')).status, 403);
  assert.equal((await citizen.post('/api/v1/disclosure/documents', draft())).status, 403);
  // the public: documents only
  assert.equal((await pub.get('/api/v1/disclosure/requests')).status, 401);
  assert.equal((await pub.get(`/api/v1/disclosure/requests/${ra}`)).status, 401);
  assert.equal((await pub.post('/api/v1/disclosure/requests', { content: 'x' })).status, 401);
  assert.equal((await pub.get('/api/v1/disclosure/documents')).status, 200);
  assert.equal((await pub.get('/api/v1/disclosure/manage/documents')).status, 401);
  // a clerk is no disclosure officer
  const clerk = await as(srv.base, 'window01');
  assert.equal((await clerk.post('/api/v1/disclosure/requests', { content: 'x' })).status, 403);
  assert.equal((await clerk.get(`/api/v1/disclosure/requests/${ra}`)).status, 404);
});

test('the organ’s home page: its requests by state and signal, its documents', async () => {
  let r = await A.get('/api/v1/disclosure/summary');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.dept_id, deptA);
  const mine = (await A.get('/api/v1/disclosure/requests?page_size=200')).json;
  const open = mine.items.filter((x) => x.state !== 'replied').length;
  const byState = r.json.requests.by_state;
  assert.equal(Object.values(byState).reduce((a, b) => a + b, 0), mine.total);
  assert.equal(Object.values(r.json.requests.open_by_signal).reduce((a, b) => a + b, 0), open);
  assert.deepEqual(Object.keys(r.json.requests.open_by_signal), ['normal', 'warning', 'yellow', 'red']);
  assert.ok(r.json.documents.versions_by_state.published >= 1);
  assert.equal((await B.get(`/api/v1/disclosure/summary?dept_id=${deptA}`)).status, 403);
  assert.equal((await centre.get(`/api/v1/disclosure/summary?dept_id=${deptA}`)).status, 200);
  assert.equal((await citizen.get('/api/v1/disclosure/summary')).status, 403);
});

test('an applicant filing in a burst is slowed down (429 with Retry-After)', async () => {
  const company = await as(srv.base, 'xiangjiang_food');
  let last;
  for (let i = 0; i < 12; i++) {
    last = await company.post('/api/v1/disclosure/requests', { dept_id: deptB, content: `批量申请${i}`, applicant_type: 'company', contact_person: '王' });
    if (last.status === 429) break;
    assert.equal(last.status, 201, last.text);
  }
  assert.equal(last.status, 429);
  assert.ok(Number(last.headers.get('retry-after')) > 0);
  // an officer entering letters is not slowed
  for (let i = 0; i < 12; i++) {
    const r = await B.post('/api/v1/disclosure/requests', { channel: 'letter', applicant_type: 'person', applicant_name: '赵六',
      applicant_no: '430102198507150011', phone: '13800000003', content: `信函${i}` });
    assert.equal(r.status, 201, r.text);
  }
});

test('the audit trail holds every disclosure change', () => {
  const out = cli(srv, ['audit', 'verify']);
  assert.match(out, /audit chain intact/);
});
