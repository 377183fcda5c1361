// The public and applicant-facing side of 政府信息公开 as a stranger and a citizen use it: the
// catalogue's search with what people type (a 文号 with [ ] or （ ） for 〔〕, words separated by
// blanks, title matches first), and the request form's text that is empty once trimmed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as } from './helpers.mjs';

let srv, officer, centre, citizen, pub, deptA, cats;
before(async () => {
  srv = await startServer();
  officer = await as(srv.base, 'gongkai01');
  centre = await as(srv.base, 'center_admin');
  citizen = await as(srv.base, 'zhangsan');
  pub = new Client(srv.base);
  const organs = (await pub.get('/api/v1/disclosure/organs')).json.items;
  deptA = organs.find((o) => o.name === '长沙市政务服务中心').dept_id;
  cats = Object.fromEntries((await pub.get('/api/v1/disclosure/categories')).json.items.map((c) => [c.code, c]));
});
after(() => srv.stop());

async function publish(fields) {
  let r = await officer.post('/api/v1/disclosure/documents', {
    category_id: cats.rules.id, publisher: '长沙市政务服务中心', kind: 'normative', ...fields,
  });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  r = await officer.post(`/api/v1/disclosure/documents/${id}/submit`);
  assert.equal(r.status, 200, r.text);
  r = await centre.post(`/api/v1/disclosure/documents/${id}/review`, { result: 'pass' });
  assert.equal(r.status, 200, r.text);
  return id;
}

const search = async (q) => {
  const r = await pub.get(`/api/v1/disclosure/documents?page_size=200&q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

test('a citizen finds a document by its 文号 typed with any brackets, by words in any order, title matches first', async () => {
  const titled = await publish({
    title: '长沙市窥探测试办法（试行）', doc_no: '长政办发〔2025〕912号', body: '第一条 为规范管理，制定本办法。',
  });
  // a later document that only mentions the words in its body
  const mentions = await publish({
    title: '长沙市政务服务中心关于转发文件的说明', doc_no: '',
    body: '根据长沙市窥探测试办法（试行）（长政办发〔2025〕912号）的规定，现予说明。',
  });
  for (const q of ['长政办发〔2025〕912号', '长政办发[2025]912号', '长政办发(2025)912号', '长政办发（2025）912号',
    '长政办发【2025】912号', '长政办发［2025］912号']) {
    const r = await search(q);
    const ids = r.items.map((i) => i.id);
    assert.ok(ids.includes(titled), `${q} finds the document`);
    assert.equal(ids[0], titled, `${q}: the document with that 文号 comes first`);
  }
  for (const q of ['窥探测试 长沙市', '窥探测试　办法', ' 窥探测试办法 ', '试行 窥探', '窥探测试\u00a0办法\u200b', '\ufeff窥探测试']) {
    const r = await search(q);
    assert.deepEqual(r.items.map((i) => i.id).slice(0, 2), [titled, mentions], `${q}: the title match first`);
  }
  assert.equal((await search('窥探测试 不存在的词')).total, 0, 'every word must match');
  assert.equal((await search('   ')).total, (await search('')).total, 'blanks alone are no search');
  assert.equal((await search('%')).items.some((i) => i.id === titled), false, '% is a character, not a wildcard');
});

test('a request whose text is only blanks or invisible characters is refused, nothing stored', async () => {
  const count = async (c) => (await c.get('/api/v1/disclosure/requests?page_size=1')).json.total;
  const company = await as(srv.base, 'xiangjiang_food');
  const before = [await count(citizen), await count(company)];
  const form = { dept_id: deptA, purpose: '了解情况' };
  for (const content of ['   ', '\u3000\u3000', '\u200b\u200b', ' \u00a0\ufeff\n']) {
    const r = await citizen.post('/api/v1/disclosure/requests', { ...form, content });
    assert.equal(r.status, 422, `${JSON.stringify(content)}: ${r.text}`);
    assert.deepEqual(r.json.error.details.map((d) => d.field), ['content']);
    assert.match(r.json.error.details[0].message, /空格/);
  }
  let r = await company.post('/api/v1/disclosure/requests', {
    ...form, applicant_type: 'company', contact_person: '\u3000 ', content: '2025年餐饮服务食品安全抽检结果',
  });
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(r.json.error.details.map((d) => d.field), ['contact_person']);
  r = await officer.post('/api/v1/disclosure/requests', {
    channel: 'letter', applicant_type: 'person', applicant_name: '\u200b', applicant_no: '430102198507150011',
    phone: '13800000000', content: '2025年窗口服务满意度统计结果',
  });
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(r.json.error.details.map((d) => d.field), ['applicant_name']);
  assert.deepEqual([await count(citizen), await count(company)], before, 'nothing stored');
  // optional fields of blanks only are kept empty; emoji and text around blanks are text
  r = await citizen.post('/api/v1/disclosure/requests', { ...form, content: ' 2025年😀窗口服务评价结果 ', purpose: '\u3000', address: ' ' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.purpose, '');
  assert.equal(r.json.address, '');
  assert.equal(r.json.content, ' 2025年😀窗口服务评价结果 ');
});

test('the applicant sees that a third party was consulted and when, not who, how to reach it or what it wrote', async () => {
  let r = await citizen.post('/api/v1/disclosure/requests', { dept_id: deptA, content: '某地块征收补偿协议及其附件' });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  r = await officer.post(`/api/v1/disclosure/requests/${id}/consult`, { third_party: '李某某（被征收人）', contact: '13912345678' });
  assert.equal(r.status, 200, r.text);
  const cid = r.json.consultations[0].id;
  r = await officer.post(`/api/v1/disclosure/requests/${id}/consult/${cid}/answer`, { opinion: 'object', note: '李某某称协议含其家庭住址和银行账号' });
  assert.equal(r.status, 200, r.text);
  // the organ keeps the whole record
  r = await officer.get(`/api/v1/disclosure/requests/${id}`);
  assert.equal(r.json.consultations[0].third_party, '李某某（被征收人）');
  assert.equal(r.json.consultations[0].contact, '13912345678');
  // the applicant
  r = await citizen.get(`/api/v1/disclosure/requests/${id}`);
  assert.equal(r.status, 200, r.text);
  const c = r.json.consultations[0];
  assert.ok(c.sent_date && c.due_date && c.answered_date, 'the dates that stopped the clock');
  for (const secret of ['李某某', '13912345678', '银行账号'])
    assert.ok(!r.text.includes(secret), `the applicant does not read ${secret}`);
});

test('online, the way of delivery chosen needs its address; an e-mail address must be one', async () => {
  // a citizen of their own (each applicant has a burst of 10 filings)
  const id17 = '43010219900307123';
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const id = id17 + '10X98765432'[[...id17].reduce((s, c, i) => s + w[i] * +c, 0) % 11];
  const applicant = new Client(srv.base);
  let r = await applicant.post('/api/v1/auth/register', {
    kind: 'person', username: 'probe_citizen', password: 'Probe-2026-pass', name: '赵六', id_number: id, phone: '13700000000',
  });
  assert.equal(r.status, 201, r.text);
  applicant.csrf = r.json.csrf_token;
  const count = async () => (await applicant.get('/api/v1/disclosure/requests?page_size=1')).json.total;
  const before = await count();
  const form = { dept_id: deptA, content: '2025年政务服务好差评整改情况' };
  r = await applicant.post('/api/v1/disclosure/requests', { ...form, delivery: 'email' });
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(r.json.error.details.map((d) => d.field), ['email']);
  r = await applicant.post('/api/v1/disclosure/requests', { ...form, delivery: 'post', address: '\u3000' });
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(r.json.error.details.map((d) => d.field), ['address']);
  for (const email of ['a@', '@qq.com', 'zhang@qq', 'zhang@@qq.com', 'zhang san@qq.com', 'zhang@.com', 'zhang@qq..com']) {
    r = await applicant.post('/api/v1/disclosure/requests', { ...form, delivery: 'email', email });
    assert.equal(r.status, 422, `${email}: ${r.text}`);
    assert.deepEqual(r.json.error.details.map((d) => d.field), ['email'], email);
  }
  assert.equal(await count(), before, 'nothing stored');
  r = await applicant.post('/api/v1/disclosure/requests', { ...form, delivery: 'email', email: 'zhang.san@example.com.cn' });
  assert.equal(r.status, 201, r.text);
  // a letter the organ took in is entered as it came (its gaps are for a 补正)
  r = await officer.post('/api/v1/disclosure/requests', {
    channel: 'letter', applicant_type: 'person', applicant_name: '王五', applicant_no: '430102198507150011',
    phone: '13800000000', content: '2025年窗口服务满意度统计结果', delivery: 'post',
  });
  assert.equal(r.status, 201, r.text);
});

test('a correction sent online says what it corrects; blanks do not restart the clock', async () => {
  let r = await citizen.post('/api/v1/disclosure/requests', { dept_id: deptA, content: '窗口服务的统计数据' });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  r = await officer.post(`/api/v1/disclosure/requests/${id}/correction`, { items: ['请说明需要哪一时段的数据'] });
  assert.equal(r.status, 200, r.text);
  for (const body of [{}, { content: '' }, { content: ' \u3000\u200b' }]) {
    r = await citizen.post(`/api/v1/disclosure/requests/${id}/corrected`, body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.deepEqual(r.json.error.details.map((d) => d.field), ['content']);
  }
  r = await citizen.get(`/api/v1/disclosure/requests/${id}`);
  assert.equal(r.json.state, 'correction', 'nothing stored');
  assert.equal(r.json.correction.received_date, null);
  r = await citizen.post(`/api/v1/disclosure/requests/${id}/corrected`, { content: '2026年1月至11月' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'processing');
});

test('a telephone number typed with spaces or a Chinese input method’s full-width digits is read as digits', async () => {
  const base = {
    channel: 'letter', applicant_type: 'person', applicant_name: '王五', applicant_no: '430102198507150011',
    content: '2025年窗口服务满意度统计结果',
  };
  const cases = [
    ['138 0000 0000', '13800000000'], ['１３８００００００００', '13800000000'], ['１３８　００００　００００', '13800000000'],
    ['+86 138 0000 0000', '+8613800000000'], ['＋８６１３８００００００００', '+8613800000000'],
    ['0731 8888 6666', '073188886666'], ['０７３１－８８８８６６６６', '0731-88886666'],
  ];
  for (const [phone, stored] of cases) {
    const r = await officer.post('/api/v1/disclosure/requests', { ...base, phone });
    assert.equal(r.status, 201, `${phone}: ${r.text}`);
    assert.equal(r.json.phone, stored, phone);
  }
  for (const phone of ['138 0000 000', '１２３', '电话13800000000']) {
    const r = await officer.post('/api/v1/disclosure/requests', { ...base, phone });
    assert.equal(r.status, 422, `${phone}: ${r.text}`);
    assert.deepEqual(r.json.error.details.map((d) => d.field), ['phone'], phone);
    assert.doesNotMatch(r.json.error.details[0].message, /过长/, phone);
  }
});
