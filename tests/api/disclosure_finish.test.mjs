// 政府信息公开, the finishing pieces over real HTTP (docs/api.md "Disclosure"): the reply letter's
// preview before the reply is sent; the requests inbox filtered by open state, overdue and due
// within N days, and sorted by due or received day; the actions a user may take on a request now;
// the 主动公开目录 filtered by a category with its subcategories; each organ's 政府信息公开指南; and the
// public lookup of published documents by 文号. Scope and bad input on each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, cli } from './helpers.mjs';

let srv, officer, officerB, centre, citizen, pub, zwzx, deptB;
before(async () => {
  srv = await startServer();
  pub = new Client(srv.base);
  [officer, officerB, centre, citizen] = await Promise.all(['gongkai01', 'gongkai02', 'center_admin', 'zhangsan'].map((u) => as(srv.base, u)));
  const organs = (await pub.get('/api/v1/disclosure/organs')).json.items;
  zwzx = organs.find((o) => o.name === '长沙市政务服务中心').dept_id;
  deptB = (await officerB.get('/api/v1/auth/me')).json.user.dept_id;
});
after(() => srv.stop());

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

async function letter(extra = {}) {
  const r = await officer.post('/api/v1/disclosure/requests', {
    channel: 'letter', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150011',
    phone: '13800000001', content: '请公开本中心窗口设置情况', received_date: today(), ...extra,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('the reply letter previewed before it is sent: checked as the reply is, nothing stored', async () => {
  const r = await letter();
  const url = `/api/v1/disclosure/requests/${r.id}/letter-preview`;
  let res = await officer.post(url, { result: 'partial', note: '第三项涉及个人隐私，不予公开。' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.result, 'partial');
  assert.equal(res.json.result_label, '部分公开');
  const html = res.json.html;
  assert.match(html, /政府信息公开申请答复告知书/);
  assert.match(html, /李四/);
  assert.match(html, /第三项涉及个人隐私，不予公开。/);
  assert.match(html, /第三十六条第（三）项、第三十七条/, 'the legal basis of 部分公开');
  assert.match(html, /六十日内[\s\S]*行政复议[\s\S]*六个月内[\s\S]*行政诉讼/, 'the remedies');
  assert.equal((await officer.get(`/api/v1/disclosure/requests/${r.id}`)).json.state, 'processing', 'nothing replied');
  // each result its own basis
  res = await officer.post(url, { result: 'unable_not_held' });
  assert.match(res.json.html, /第三十六条第（四）项、第（五）项/);

  // bad input as the reply would get it
  res = await officer.post(url, { result: 'nosuch' });
  assert.equal(res.status, 422);
  assert.equal(res.json.error.details[0].field, 'result');
  res = await officer.post(url, { result: 'other' });
  assert.equal(res.status, 422, 'other needs a note');
  assert.equal(res.json.error.details[0].field, 'note');
  res = await officer.post(url, { result: 'public', reply_date: '2999-01-01' });
  assert.equal(res.status, 422);
  assert.equal(res.json.error.details[0].field, 'reply_date');
  res = await officer.post(url, { result: 'other_no_fee' });
  assert.equal(res.status, 409, 'the background job’s results');

  // scope: another organ's officer, the applicant, the public
  assert.equal((await officerB.post(url, { result: 'public' })).status, 404);
  assert.equal((await citizen.post(url, { result: 'public' })).status, 403);
  assert.equal((await pub.post(url, { result: 'public' })).status, 401);
  assert.equal((await officer.post('/api/v1/disclosure/requests/99999999/letter-preview', { result: 'public' })).status, 404);

  // once replied there is nothing to preview; the letter sent is the same text
  const pre = (await officer.post(url, { result: 'public', note: '见附件。' })).json.html;
  assert.equal((await officer.post(`/api/v1/disclosure/requests/${r.id}/reply`, { result: 'public', note: '见附件。' })).status, 200);
  assert.equal((await officer.post(url, { result: 'public' })).status, 409);
  const sent = await (await fetch(`${srv.base}/api/v1/disclosure/requests/${r.id}/letter`, { headers: { cookie: officer.cookie } })).text();
  assert.equal(sent, pre, 'the preview is the letter sent');
});

// A day n calendar days before today (China time).
const daysAgo = (n) => new Date(Date.now() + 8 * 3600e3 - n * 86400e3).toISOString().slice(0, 10);

test('the inbox: open requests, overdue, due within N working days, sorted by due or received day', async () => {
  const fresh = await letter({ content: '收件箱测试：今日收到' });
  const older = await letter({ content: '收件箱测试：十天前收到', received_date: daysAgo(10) });
  const late = await letter({ content: '收件箱测试：六十天前收到', received_date: daysAgo(60) });
  const done = await letter({ content: '收件箱测试：已答复' });
  assert.equal((await officer.post(`/api/v1/disclosure/requests/${done.id}/reply`, { result: 'public' })).status, 200);
  const ids = async (q) => {
    const r = await officer.get(`/api/v1/disclosure/requests?q=${encodeURIComponent('收件箱测试')}&page_size=200&${q}`);
    assert.equal(r.status, 200, r.text);
    return r.json.items.map((x) => x.id);
  };
  // open: every state but 已答复
  assert.deepEqual(await ids('open=1'), [fresh.id, older.id, late.id], 'latest receipt first by default');
  assert.deepEqual(await ids(''), [done.id, fresh.id, older.id, late.id]);
  assert.deepEqual(await ids('sort=received'), [done.id, fresh.id, older.id, late.id]);
  // sorted by due day, soonest first (the overdue one first), or by receipt, oldest first
  assert.deepEqual(await ids('open=1&sort=due'), [late.id, older.id, fresh.id]);
  assert.deepEqual(await ids('open=1&sort=due_desc'), [fresh.id, older.id, late.id]);
  assert.deepEqual(await ids('open=1&sort=received_asc'), [late.id, older.id, fresh.id]);
  assert.deepEqual(await ids('overdue=1'), [late.id]);
  // due within N working days: from today to the Nth working day, overdue ones not among them
  const due = (x) => x.due_date;
  const inbox = (await officer.get(`/api/v1/disclosure/requests?q=${encodeURIComponent('收件箱测试')}&open=1&page_size=200`)).json.items;
  const olderDue = due(inbox.find((x) => x.id === older.id));
  assert.ok(olderDue > today());
  assert.deepEqual(await ids('due_within=60'), [fresh.id, older.id]);
  const within = await ids('due_within=12');
  assert.ok(within.includes(older.id) && !within.includes(fresh.id), `due ${olderDue} within 12 working days, a fresh one in 20`);
  assert.deepEqual(await ids('due_within=0'), [], 'none due today');
  // the state filter still works alone, and with sort
  assert.deepEqual(await ids('state=replied'), [done.id]);
  // bad parameters: 422 naming them
  for (const [q, field] of [['sort=oldest', 'sort'], ['due_within=61', 'due_within'], ['due_within=x', 'due_within'], ['open=2', 'open']]) {
    const r = await officer.get(`/api/v1/disclosure/requests?${q}`);
    assert.equal(r.status, 422, q);
    assert.equal(r.json.error.details[0].field, field);
  }
  // scope: another organ's officer sees none of them
  assert.deepEqual((await officerB.get(`/api/v1/disclosure/requests?q=${encodeURIComponent('收件箱测试')}&open=1&sort=due`)).json.items, []);
});

test('each request lists the actions the viewer may take now', async () => {
  const r = await letter({ content: '可办理操作测试' });
  const url = `/api/v1/disclosure/requests/${r.id}`;
  assert.deepEqual(r.actions, ['correction', 'consult', 'extend', 'fee', 'reply', 'withdraw']);
  assert.deepEqual((await centre.get(url)).json.actions, ['correction', 'consult', 'extend', 'fee', 'reply', 'withdraw'], 'the centre as the organ');
  assert.equal((await officerB.get(url)).status, 404);
  // each step's answer carries the actions after it
  let x = (await officer.post(`${url}/consult`, { third_party: '某公司' })).json;
  assert.deepEqual(x.actions, ['consult', 'consult_answer', 'extend', 'withdraw']);
  x = (await officer.post(`${url}/consult/${x.consultations[0].id}/answer`, { opinion: 'agree' })).json;
  assert.deepEqual(x.actions, ['correction', 'consult', 'extend', 'fee', 'reply', 'withdraw'], '补正 still possible within 7 working days');
  x = (await officer.post(`${url}/extend`, { days: 10, reason: '需要检索大量档案', approver: '王主任' })).json;
  assert.ok(!x.actions.includes('extend'), 'one extension');
  x = (await officer.post(`${url}/fee`, { basis: 'page', quantity: 50 })).json;
  assert.deepEqual(x.actions, ['fee_paid', 'withdraw']);
  x = (await officer.post(`${url}/fee/paid`, {})).json;
  assert.ok(x.actions.includes('reply') && !x.actions.includes('fee'));
  x = (await officer.post(`${url}/reply`, { result: 'public' })).json;
  assert.deepEqual(x.actions, ['remedy']);
  x = await officer.post(`${url}/remedies`, { stage: 'reconsideration', result: 'pending', filed_date: today() });
  assert.equal(x.status, 201, x.text);
  x = x.json;
  assert.deepEqual(x.actions, ['remedy', 'remedy_result']);

  // the applicant online: withdraw, and the correction when asked for one
  const mine = await citizen.post('/api/v1/disclosure/requests', { dept_id: zwzx, content: '可办理操作测试：网上申请', applicant_type: 'person' });
  assert.equal(mine.status, 201, mine.text);
  assert.deepEqual(mine.json.actions, ['withdraw']);
  const organView = await officer.post(`/api/v1/disclosure/requests/${mine.json.id}/correction`, { items: ['请写明所需信息的年份'] });
  assert.equal(organView.status, 200, organView.text);
  assert.ok(organView.json.actions.includes('corrected') && !organView.json.actions.includes('correction'), 'one 补正 only');
  assert.deepEqual((await citizen.get(`/api/v1/disclosure/requests/${mine.json.id}`)).json.actions, ['corrected', 'withdraw']);
  // someone else's request is not the citizen's to see
  assert.equal((await citizen.get(url)).status, 404);
});

// A document drafted by the officer and passed by the centre; its id.
async function published(fields) {
  let r = await officer.post('/api/v1/disclosure/documents', {
    title: '测试文件', publisher: '长沙市政务服务中心', written_date: today(), topic: '政务服务', kind: 'other', body: '正文。', ...fields,
  });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  assert.equal((await officer.post(`/api/v1/disclosure/documents/${id}/submit`)).status, 200);
  r = await centre.post(`/api/v1/disclosure/documents/${id}/review`, { result: 'pass' });
  assert.equal(r.status, 200, r.text);
  return id;
}

test('the catalogue by category shows the category and its subcategories, at any depth', async () => {
  const cats = Object.fromEntries((await pub.get('/api/v1/disclosure/categories')).json.items.map((c) => [c.code, c]));
  let r = await centre.post('/api/v1/disclosure/categories', { code: 'plans_sub', name: '专项规划', parent_id: cats.plans.id });
  assert.equal(r.status, 201, r.text);
  const sub = r.json.items.find((c) => c.code === 'plans_sub');
  r = await centre.post('/api/v1/disclosure/categories', { code: 'plans_sub_sub', name: '交通专项规划', parent_id: sub.id });
  const subsub = r.json.items.find((c) => c.code === 'plans_sub_sub');
  const top = await published({ category_id: cats.plans.id, title: '子目录测试：总体规划' });
  const mid = await published({ category_id: sub.id, title: '子目录测试：专项规划' });
  const deep = await published({ category_id: subsub.id, title: '子目录测试：交通规划' });
  const other = await published({ category_id: cats.budget.id, title: '子目录测试：预算' });
  const ids = async (cat) => {
    const res = await pub.get(`/api/v1/disclosure/documents?q=${encodeURIComponent('子目录测试')}&category_id=${cat}&page_size=100`);
    assert.equal(res.status, 200, res.text);
    return res.json.items.map((d) => d.id).sort((a, b) => a - b);
  };
  assert.deepEqual(await ids(cats.plans.id), [top, mid, deep]);
  assert.deepEqual(await ids(sub.id), [mid, deep]);
  assert.deepEqual(await ids(subsub.id), [deep]);
  assert.deepEqual(await ids(cats.budget.id), [other]);
  const res = await pub.get(`/api/v1/disclosure/documents?q=${encodeURIComponent('子目录测试')}&category_id=${cats.plans.id}&page_size=2`);
  assert.equal(res.json.total, 3, 'the count agrees');
  // the organ's own list filters the same way
  const mine = (await officer.get(`/api/v1/disclosure/manage/documents?q=${encodeURIComponent('子目录测试')}&category_id=${sub.id}&page_size=100`)).json.items;
  assert.deepEqual(mine.map((d) => d.id).sort((a, b) => a - b), [mid, deep]);
  assert.equal((await pub.get('/api/v1/disclosure/documents?category_id=abc')).status, 422);
});

test('each organ’s 政府信息公开指南: public, generated from the rules and the office data the officer keeps', async () => {
  const url = `/api/v1/disclosure/organs/${zwzx}/guide`;
  let r = await pub.get(url);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.organ, '长沙市政务服务中心');
  assert.equal(r.json.stored, false, 'nothing saved yet: the department’s data stands in');
  assert.deepEqual(r.json.sections.map((x) => x.key), ['proactive', 'request', 'time', 'fees', 'remedies']);
  const text = (g) => g.sections.map((x) => x.text).join('\n');
  assert.match(text(r.json), /20个工作日内予以答复/);
  assert.match(text(r.json), /国办函〔2020〕109号/);
  assert.match(text(r.json), /六十日内向长沙市人民政府申请行政复议/);
  assert.equal((await pub.get('/api/v1/disclosure/organs/99999999/guide')).status, 404);

  const guide = {
    office: '长沙市政务服务中心政务公开办公室', address: '长沙市岳麓区市府北路1号', postcode: '410013',
    phone: '0731-88665000转8012', fax: '0731-88665001', email: 'gongkai@zwzx.changsha.gov.cn',
    hours: '工作日上午9:00—12:00，下午13:30—17:00', notes: '申请人可以在本中心一楼政务公开查阅点查阅已主动公开的政府信息。',
  };
  // who may edit it: the organ's officer and the centre
  assert.equal((await pub.put(url, guide)).status, 401);
  assert.equal((await citizen.put(url, guide)).status, 403);
  assert.equal((await officerB.put(url, guide)).status, 403, 'another organ’s officer');
  // bad input: 422 naming each field, nothing stored
  r = await officer.put(url, { ...guide, office: '', postcode: '41001', phone: 'call me', fax: 'x', email: 'a@b', address: '' });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.field).sort(), ['address', 'email', 'fax', 'office', 'phone', 'postcode']);
  r = await officer.put(url, { ...guide, notes: 'x'.repeat(5001) });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'notes');
  assert.equal((await pub.get(url)).json.stored, false, 'nothing stored');

  r = await officer.put(url, guide);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.stored, true);
  r = await pub.get(url);
  for (const k of Object.keys(guide)) assert.equal(r.json[k], guide[k], k);
  assert.deepEqual(r.json.sections.map((x) => x.key), ['proactive', 'request', 'time', 'fees', 'remedies', 'notes']);
  const reqText = r.json.sections.find((x) => x.key === 'request').text;
  assert.match(reqText, /受理机构：长沙市政务服务中心政务公开办公室/);
  assert.match(reqText, /邮寄至长沙市岳麓区市府北路1号，邮政编码410013/);
  assert.match(reqText, /传真至0731-88665001/);
  assert.match(reqText, /发送至gongkai@zwzx\.changsha\.gov\.cn/);
  assert.equal(r.json.sections.at(-1).text, guide.notes);
  // the letters give the guide's phone
  const req = await letter({ content: '指南电话测试' });
  const pre = await officer.post(`/api/v1/disclosure/requests/${req.id}/letter-preview`, { result: 'public' });
  assert.match(pre.json.html, /联系电话：0731-88665000转8012/);
  // the centre edits any organ's
  r = await centre.put(`/api/v1/disclosure/organs/${deptB}/guide`, { office: '某局办公室', address: '某路2号' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await pub.get(`/api/v1/disclosure/organs/${deptB}/guide`)).json.office, '某局办公室');
});

test('published documents looked up by 文号 or title, as an item guide cites them', async () => {
  const look = (refs) => pub.get(`/api/v1/disclosure/lookup?ref=${encodeURIComponent(refs.join('|'))}`);
  // the demo city's policy documents that its items cite
  let r = await look(['国发〔2014〕25号', '城镇企业职工基本养老保险关系转移接续暂行办法', '国发〔1978〕104号']);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((d) => [d.ref, d.title, d.dept]), [
    ['国发〔2014〕25号', '国务院关于进一步推进户籍制度改革的意见', '长沙市公安局'],
    ['城镇企业职工基本养老保险关系转移接续暂行办法', '城镇企业职工基本养老保险关系转移接续暂行办法', '长沙市人力资源和社会保障局'],
  ]);
  const doc = r.json.items[0];
  assert.equal((await pub.get(`/api/v1/disclosure/documents/${doc.id}`)).json.published.doc_no, '国发〔2014〕25号');
  // only what is published: a draft with the same 文号 is not found, its publication is
  const made = await officer.post('/api/v1/disclosure/documents', {
    title: '长沙市人民政府办公厅关于印发政务公开测试办法的通知', doc_no: '长政办发〔2026〕99号', publisher: '长沙市人民政府办公厅',
    written_date: today(), topic: '政务公开', kind: 'normative', body: '正文。',
    category_id: (await pub.get('/api/v1/disclosure/categories')).json.items.find((c) => c.code === 'rules').id,
  });
  assert.equal(made.status, 201, made.text);
  assert.deepEqual((await look(['长政办发〔2026〕99号'])).json.items, []);
  await officer.post(`/api/v1/disclosure/documents/${made.json.id}/submit`);
  assert.equal((await centre.post(`/api/v1/disclosure/documents/${made.json.id}/review`, { result: 'pass' })).status, 200);
  r = await look(['长政办发〔2026〕99号']);
  assert.deepEqual(r.json.items.map((d) => [d.id, d.validity_label]), [[made.json.id, '有效']]);
  // withdrawn: gone again
  await officer.post(`/api/v1/disclosure/documents/${made.json.id}/withdraw`, { reason: '测试' });
  assert.deepEqual((await look(['长政办发〔2026〕99号'])).json.items, []);
  // bad input: 422 naming ref
  for (const q of ['', '?ref=', `?ref=${encodeURIComponent('x')}`, `?ref=${encodeURIComponent(Array.from({ length: 21 }, (_, i) => `国发〔2014〕${i}号`).join('|'))}`,
    `?ref=${encodeURIComponent('长'.repeat(101))}`]) {
    r = await pub.get(`/api/v1/disclosure/lookup${q}`);
    assert.equal(r.status, 422, q);
    assert.equal(r.json.error.details[0].field, 'ref');
  }
  // a LIKE pattern is a plain string here
  assert.deepEqual((await look(['%%', '国发%'])).json.items, []);
});

test('the audit trail is intact', () => {
  assert.match(cli(srv, ['audit', 'verify']), /intact/);
});
