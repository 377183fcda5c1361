// What a citizen, a company and a window clerk type into an application, and what the server does
// with it (docs/api.md, "Who may apply"): names kept as printed (ends trimmed, no line breaks or
// invisible characters inside), numbers and phones with a pasted space at either end, an applicant
// who names himself as his own agent (帮代办), the account's phone on an online case, a saved draft
// submitted after the item refuses a second application or was withdrawn, and appointments (预约)
// on days whose year's holiday schedule is not published yet. Every refusal stores nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as, sqlRows, sampleItem } from './helpers.mjs';

const PERSON_ONLY = '1143010000825175203081010001011'; // 对举报食品安全违法行为的奖励: persons
const FOOD = '1143010000825175203011010001001';        // 食品经营许可(新办): persons and companies
const RESIDENCE = '1243010254023141615201010001144';   // 居住证申领: duplicate_policy refuse
const ZHANGSAN_ID = '430102198507150011';               // zhangsan's own number (demo)

let srv;
before(async () => { srv = await startServer(); });
after(() => srv.stop());

const sql = (q) => sqlRows(srv, q);
const counts = () => sql('SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM case_events) AS events, '
  + '(SELECT count(*) FROM hall_appointments) AS appts, (SELECT count(*) FROM audit) AS audit')[0];

async function refused(send, field, status = 422) {
  const before = counts();
  const r = await send();
  assert.equal(r.status, status, r.text);
  if (field) assert.ok(r.json.error.details.some((d) => d.field === field), r.text);
  assert.deepEqual(counts(), before, 'nothing stored');
  return r;
}

// A valid GB 11643 number (the demo's zhangsan's region, another birth date).
function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + w[i] * Number(c), 0);
  return first17 + '10X98765432'[sum % 11];
}
const OTHER_ID = idNumber('43010219900101123');

const walkIn = (applicant, extra = {}) => ({
  item_code: PERSON_ONLY, submit: false,
  applicant: { kind: 'person', name: '阿卜杜拉·艾力', id_number: OTHER_ID, phone: '13800138000', ...applicant },
  ...extra,
});

test('walk-in names: the middle dot is kept, the ends trimmed, line breaks and invisible characters refused', async () => {
  const window = await as(srv.base, 'window01');
  let r = await window.post('/api/v1/cases', walkIn({}));
  assert.equal(r.status, 201, r.text);
  assert.equal(sql(`SELECT applicant_name AS n FROM cases WHERE id = ${r.json.id}`)[0].n, '阿卜杜拉·艾力');
  r = await window.post('/api/v1/cases', walkIn({ name: ' \u3000张三\u200b ', id_number: ` ${OTHER_ID}\t`, phone: '13800138000 ' }));
  assert.equal(r.status, 201, r.text);
  const row = sql(`SELECT applicant_name AS n, applicant_no AS no, applicant_phone AS p FROM cases WHERE id = ${r.json.id}`)[0];
  assert.deepEqual(row, { n: '张三', no: OTHER_ID, p: '13800138000' });
  for (const name of ['张\u200b三', '张三\n李四', '张\t三', '张三\u0007', '\u200b\u200b']) {
    r = await refused(() => window.post('/api/v1/cases', walkIn({ name })), 'applicant.name');
  }
  r = await refused(() => window.post('/api/v1/cases', walkIn({ kind: 'legal', name: '湘江\n餐饮', uscc: '91430102MA4L00001F', id_number: undefined })), 'applicant.name');
  assert.match(r.json.error.details.find((d) => d.field === 'applicant.name').message, /名称/);
});

test('帮代办: an applicant is never his own agent; online there is no agent at all', async () => {
  const zs = await as(srv.base, 'zhangsan');
  const window = await as(srv.base, 'window01');
  const agent = { name: '张三', id_number: ZHANGSAN_ID, phone: '13800000000' };
  // online, the account applies itself: neither an agent nor the staff's 帮代办 mark
  let r = await refused(() => zs.post('/api/v1/cases', { item_code: PERSON_ONLY, submit: false, agent }), 'agent');
  await refused(() => zs.post('/api/v1/cases', { item_code: PERSON_ONLY, submit: false, agent: true }), 'agent');
  assert.equal((await zs.post('/api/v1/cases', { item_code: PERSON_ONLY, submit: false, agent: false })).status, 201);
  r = await refused(() => window.post('/api/v1/cases', walkIn({}, { agent: { ...agent, id_number: OTHER_ID } })), 'agent.id_number');
  assert.match(r.json.error.details[0].message, /本人/);
  // someone else as agent is fine
  r = await window.post('/api/v1/cases', walkIn({}, { agent }));
  assert.equal(r.status, 201, r.text);
  assert.equal((await window.get(`/api/v1/cases/${r.json.id}`)).json.agent_info.id_number, ZHANGSAN_ID);
});

test('an online case carries the account’s phone, as a walk-in carries the one given', async () => {
  const zs = await as(srv.base, 'zhangsan');
  const r = await zs.post('/api/v1/cases', { item_code: PERSON_ONLY, submit: false });
  assert.equal(r.status, 201, r.text);
  const phone = sql("SELECT phone FROM users WHERE username = 'zhangsan'")[0].phone;
  assert.ok(phone);
  assert.equal((await zs.get(`/api/v1/cases/${r.json.id}`)).json.applicant_phone, phone);
});

test('a draft submitted later meets the item as it is: duplicate_policy refuse, a withdrawn item', async () => {
  const zs = await as(srv.base, 'zhangsan');
  const residence = (await zs.get(`/api/v1/items/${RESIDENCE}`)).json;
  const materials = residence.materials.map((m) => m.name);
  const one = (await zs.post('/api/v1/cases', { item_code: RESIDENCE, materials, submit: false })).json;
  const two = (await zs.post('/api/v1/cases', { item_code: RESIDENCE, materials, submit: false })).json;
  assert.equal((await zs.post(`/api/v1/cases/${one.id}/submit`)).status, 200);
  const r = await refused(() => zs.post(`/api/v1/cases/${two.id}/submit`), null, 409);
  assert.match(r.json.error.message, new RegExp(`申请号 ${one.id}`));
  assert.equal((await zs.get(`/api/v1/cases/${two.id}`)).json.state, 0, 'still a draft');
  // the first withdrawn, the second may go
  assert.equal((await zs.post(`/api/v1/cases/${one.id}/withdraw`)).status, 200);
  assert.equal((await zs.post(`/api/v1/cases/${two.id}/submit`)).status, 200);

  const draft = (await zs.post('/api/v1/cases', { item_code: PERSON_ONLY, submit: false })).json;
  const admin = await as(srv.base, 'center_admin');
  const itemId = sql(`SELECT id FROM items WHERE code = '${PERSON_ONLY}'`)[0].id;
  assert.equal((await admin.post(`/api/v1/admin/items/${itemId}/withdraw`)).status, 200);
  const w = await refused(() => zs.post(`/api/v1/cases/${draft.id}/submit`), 'item_code');
  assert.match(w.json.error.details[0].message, /停止办理/);
});

test('appointments: no slot on a day whose year has no published holiday schedule', async (t) => {
  const zs = await as(srv.base, 'zhangsan');
  const last = Number(sql('SELECT max(year) AS y FROM calendar_years WHERE published = 1')[0].y);
  // the first Monday to Friday, at least two days on, in a year after the last published one
  let day;
  for (let i = 2; i < 360 && !day; i++) {
    const t = new Date(Date.now() + i * 86400000 + 8 * 3600000);
    if (t.getUTCFullYear() > last && t.getUTCDay() >= 1 && t.getUTCDay() <= 5) day = t.toISOString().slice(0, 10);
  }
  if (!day) return t.skip('every year within the booking horizon is published');
  const s = (await zs.get(`/api/v1/hall/queues/1/slots?date=${day}`)).json;
  assert.equal(s.beyond_published, true);
  assert.deepEqual(s.slots, []);
  const r = await refused(() => zs.post('/api/v1/hall/appointments', { queue_id: 1, date: day, time: '09:00' }), 'date');
  assert.match(r.json.error.message, /节假日安排尚未发布/);
});

test('一件事: the applicant must be one every item of the bundle serves', async () => {
  // 开餐馆: 食品经营许可 serves persons too, 污水排入排水管网许可 and 特殊建设工程消防验收 organisations only
  const bundle = (await (await as(srv.base)).get('/api/v1/bundles')).json.items.find((b) => b.code === 'KBCYD');
  const materials = [];
  for (const it of bundle.items) {
    for (const m of (await (await as(srv.base)).get(`/api/v1/items/${it.item_code}`)).json.materials) {
      if (!materials.includes(m.name)) materials.push(m.name);
    }
  }
  const zs = await as(srv.base, 'zhangsan');
  let r = await refused(() => zs.post('/api/v1/cases', { bundle_code: 'KBCYD', materials, submit: false }), 'bundle_code');
  assert.match(r.json.error.details[0].message, /自然人不能申请/);
  const window = await as(srv.base, 'window01');
  await refused(() => window.post('/api/v1/cases', { bundle_code: 'KBCYD', materials, submit: false,
    applicant: { kind: 'person', name: '李四', id_number: OTHER_ID, phone: '13800138000' } }), 'applicant.kind');
  const company = await as(srv.base, 'xiangjiang_food');
  r = await company.post('/api/v1/cases', { bundle_code: 'KBCYD', materials, submit: false });
  assert.equal(r.status, 201, r.text);
});

test('appointments: checked in, the same slot cannot be booked a second time', async (t) => {
  const s2 = await startServer({ clock: true });
  try {
    const zs = await as(s2.base, 'zhangsan');
    let day, slots;
    for (let i = 2; i < 20 && !slots?.length; i++) {
      day = new Date(Date.now() + i * 86400000 + 8 * 3600000).toISOString().slice(0, 10);
      slots = (await zs.get(`/api/v1/hall/queues/1/slots?date=${day}`)).json.slots;
    }
    if (!slots?.length) return t.skip('no bookable day in the next weeks (holiday schedule not published)');
    const a = (await zs.post('/api/v1/hall/appointments', { queue_id: 1, date: day, time: slots[2].time })).json;
    s2.advance(a.slot_start - Math.floor(Date.now() / 1000) - 20 * 60); // 20 minutes before the slot
    const c = await zs.post('/api/v1/hall/checkin', { code: a.code });
    assert.equal(c.status, 201, c.text);
    const before = sqlRows(s2, 'SELECT count(*) AS n FROM hall_appointments')[0].n;
    const r = await zs.post('/api/v1/hall/appointments', { queue_id: 1, date: day, time: slots[2].time });
    assert.equal(r.status, 409, r.text);
    assert.match(r.json.error.message, /已预约该时段/);
    assert.equal(sqlRows(s2, 'SELECT count(*) AS n FROM hall_appointments')[0].n, before);
  } finally {
    s2.stop();
  }
});

test('an item’s id_number form field refuses a birth date after today, as the applicant’s own number does', async () => {
  const dept = await as(srv.base, 'scjg_admin');
  const admin = await as(srv.base, 'center_admin');
  const item = { ...sampleItem('PROBE000000000001', '长沙市市场监督管理局', '监护人信息测试事项'), targets: [1],
    fields: [{ key: '监护人身份证号码', label: '监护人身份证号码', type: 'id_number', required: true }] };
  let r = await dept.post('/api/v1/admin/items', item);
  assert.equal(r.status, 201, r.text);
  assert.equal((await dept.post(`/api/v1/admin/items/${r.json.id}/submit`)).status, 200);
  assert.equal((await admin.post(`/api/v1/admin/items/${r.json.id}/publish`)).status, 200);
  const zs = await as(srv.base, 'zhangsan');
  const future = idNumber(`430102${new Date().getUTCFullYear() + 1}0101123`);
  assert.equal(future.slice(6, 10), String(new Date().getUTCFullYear() + 1));
  r = await refused(() => zs.post('/api/v1/cases', { item_code: item.code, submit: false, form: { 监护人身份证号码: future } }), 'form.监护人身份证号码');
  assert.match(r.json.error.details[0].message, /出生日期晚于今天/);
  r = await zs.post('/api/v1/cases', { item_code: item.code, submit: false, form: { 监护人身份证号码: OTHER_ID } });
  assert.equal(r.status, 201, r.text);
});

test('walk-in numbers and phones typed in full width (全角) are read as the digits they are', async () => {
  const window = await as(srv.base, 'window01');
  const wide = (t) => [...t].map((c) => (c >= '!' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xFEE0) : c)).join('');
  let r = await window.post('/api/v1/cases', walkIn({ id_number: wide(OTHER_ID), phone: wide('0731-88888888-12') }, { item_code: FOOD }));
  assert.equal(r.status, 201, r.text);
  const row = sql(`SELECT applicant_no AS no, applicant_phone AS p FROM cases WHERE id = ${r.json.id}`)[0];
  assert.deepEqual(row, { no: OTHER_ID, p: '0731-88888888-12' });
  r = await window.post('/api/v1/cases', walkIn({ phone: wide('+8613800138000') }, { item_code: FOOD, agent: { name: '王五', id_number: wide(ZHANGSAN_ID), phone: wide('13900139000') } }));
  assert.equal(r.status, 201, r.text);
  assert.deepEqual((await window.get(`/api/v1/cases/${r.json.id}`)).json.agent_info, { name: '王五', id_number: ZHANGSAN_ID, phone: '13900139000' });
  // a wrong number stays wrong, with the reason for the number, not its width
  r = await refused(() => window.post('/api/v1/cases', walkIn({ phone: wide('1380013800') }, { item_code: FOOD })), 'applicant.phone');
  assert.doesNotMatch(r.json.error.details[0].message, /过长/);
});

test('补正: a company’s resubmitted form is checked as the company’s (a 400 number is its phone)', async () => {
  const dept = await as(srv.base, 'scjg_admin');
  const admin = await as(srv.base, 'center_admin');
  const item = { ...sampleItem('PROBE000000000002', '长沙市市场监督管理局', '企业联系电话测试事项'), targets: [2],
    fields: [{ key: '企业服务电话', label: '企业服务电话', type: 'phone' }] };
  let r = await dept.post('/api/v1/admin/items', item);
  assert.equal(r.status, 201, r.text);
  await dept.post(`/api/v1/admin/items/${r.json.id}/submit`);
  assert.equal((await admin.post(`/api/v1/admin/items/${r.json.id}/publish`)).status, 200);
  const company = await as(srv.base, 'xiangjiang_food');
  r = await company.post('/api/v1/cases', { item_code: item.code, materials: ['申请书'], form: { 企业服务电话: '400-800-1234' } });
  assert.equal(r.status, 201, r.text);
  const window = await as(srv.base, 'window01');
  assert.equal((await window.post(`/api/v1/cases/${r.json.id}/correction`, { items: [{ field: '企业服务电话', reason: '请核对' }] })).status, 200);
  const again = await company.post(`/api/v1/cases/${r.json.id}/resubmit`, { form: { 企业服务电话: '400-800-5678' } });
  assert.equal(again.status, 200, again.text);
});

test('帮代办 at the window: the appointed agent is an adult; a missing number is named once', async () => {
  const window = await as(srv.base, 'window01');
  const y = new Date(Date.now() + 8 * 3600000);
  const minorBirth = `${y.getUTCFullYear() - 17}0101`; // 17 this year at most
  const minor = idNumber(`430102${minorBirth}123`);
  let r = await refused(() => window.post('/api/v1/cases', walkIn({}, { item_code: FOOD, agent: { name: '小明', id_number: minor, phone: '13900139000' } })), 'agent.id_number');
  assert.match(r.json.error.details[0].message, /年满十八周岁/);
  r = await refused(() => window.post('/api/v1/cases', walkIn({}, { item_code: FOOD, agent: { name: '王五', phone: '13900139000' } })), 'agent.id_number');
  assert.equal(r.json.error.details[0].message, '须填写身份证号码');
  const adult = idNumber(`430102${y.getUTCFullYear() - 19}0101123`);
  r = await window.post('/api/v1/cases', walkIn({}, { item_code: FOOD, agent: { name: '王五', id_number: adult, phone: '13900139000' } }));
  assert.equal(r.status, 201, r.text);
});
