// Who may apply, and with what (issues 8 and 9), over real HTTP: identity numbers and phones at
// every door (walk-in, agent, registration, profile), the item's service targets, the required
// materials at 受理 and 容缺 for tolerable ones only, a material's file types, a second open
// application (duplicate_policy warn / refuse), the approver's opinion on decisions, and the form
// checked against the item (known keys, typed values, lengths, size, no duplicates). Every refusal
// is checked to have stored nothing: rows are counted before and after.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Client, as, sampleItem, sqlRows } from './helpers.mjs';
import { pdfBytes, pngBytes } from './samples.mjs';

const FOOD = '1143010000825175203011010001001';        // 食品经营许可(新办): persons and companies; a 容缺 material
const FOOD_PROD = '1143010000825175203011010001004';   // 食品生产许可: legal persons only
const TEMP_ID = '11430100003825614J3071010001015';     // 临时居民身份证申领: persons, at the window only; the photo takes jpg/png
const RESIDENCE = '1243010254023141615201010001144';   // 居住证申领: duplicate_policy refuse

let srv, food, tempId;
before(async () => {
  srv = await startServer({ config: { files_dir: mkdtempSync(path.join(tmpdir(), 'yiwang-elig-')) } });
  const pub = new Client(srv.base);
  food = (await pub.get(`/api/v1/items/${FOOD}`)).json;
  tempId = (await pub.get(`/api/v1/items/${TEMP_ID}`)).json;
});
after(() => srv.stop());

const sql = (q) => sqlRows(srv, q);
const counts = () => sql('SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM case_events) AS events, '
  + '(SELECT count(*) FROM users) AS users, (SELECT count(*) FROM profiles) AS profiles, '
  + '(SELECT count(*) FROM audit) AS audit, (SELECT count(*) FROM uploads WHERE case_id IS NOT NULL) AS attached')[0];

// A GB 11643 number with its check character computed here, independently of the server.
function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + w[i] * Number(c), 0);
  return first17 + '10X98765432'[sum % 11];
}
const GOOD_ID = idNumber('43010219900101123');        // 430102199001011238
const BAD_CHECK = '430102199001011234';                // the check character should be 8
const BAD_BIRTH = idNumber('43010219900230123');       // 30 February
const FUTURE_BIRTH = idNumber('43010220300101123');    // born after today
const GOOD_USCC = '91430100MA4L00001X'.slice(0, 17);
function uscc(first17) {
  const alpha = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((s, c, i) => s + w[i] * alpha.indexOf(c), 0);
  return first17 + alpha[(31 - (sum % 31)) % 31];
}
const COMPANY = uscc(GOOD_USCC);
const BAD_USCC = COMPANY.slice(0, 17) + (COMPANY.endsWith('0') ? '1' : '0');

// A refusal (422 unless said) naming field, with nothing stored by it.
async function refusedNothingStored(send, field, status = 422) {
  const before = counts();
  const r = await send();
  assert.equal(r.status, status, r.text);
  if (field) {
    const fields = r.json.error.details.map((d) => d.field);
    assert.ok(fields.includes(field), `${field} in ${JSON.stringify(r.json.error.details)}`);
  }
  assert.deepEqual(counts(), before, 'nothing stored');
  return r;
}

const names = (g) => g.materials.map((m) => m.name);
const walkIn = (applicant, extra = {}) => ({ item_code: FOOD, materials: names(food), applicant, ...extra });

test('walk-in: a bad ID number, birth date, USCC or phone is refused naming the field', async () => {
  const window = await as(srv.base, 'window01');
  const person = { name: '李四', id_number: GOOD_ID, phone: '13800138000' };
  let r = await refusedNothingStored(() => window.post('/api/v1/cases', walkIn({ ...person, id_number: BAD_CHECK })), 'applicant.id_number');
  assert.match(r.json.error.details[0].message, /校验位/);
  r = await refusedNothingStored(() => window.post('/api/v1/cases', walkIn({ ...person, id_number: BAD_BIRTH })), 'applicant.id_number');
  assert.match(r.json.error.details[0].message, /出生日期/);
  r = await refusedNothingStored(() => window.post('/api/v1/cases', walkIn({ ...person, id_number: FUTURE_BIRTH })), 'applicant.id_number');
  assert.match(r.json.error.details[0].message, /出生日期/);
  r = await refusedNothingStored(() => window.post('/api/v1/cases', walkIn({ ...person, phone: '12345' })), 'applicant.phone');
  assert.match(r.json.error.details[0].message, /服务热线/);
  await refusedNothingStored(() => window.post('/api/v1/cases', walkIn({ ...person, phone: '0731-0888' })), 'applicant.phone');
  await refusedNothingStored(() => window.post('/api/v1/cases', walkIn({ ...person, phone: '' })), 'applicant.phone');
  const company = { kind: 'legal', name: '长沙岳麓山商贸有限公司', uscc: COMPANY, phone: '0731-88886666' };
  r = await refusedNothingStored(() => window.post('/api/v1/cases', walkIn({ ...company, uscc: BAD_USCC })), 'applicant.uscc');
  assert.match(r.json.error.details[0].message, /校验位/);
  await refusedNothingStored(() => window.post('/api/v1/cases', walkIn({ ...company, kind: 'robot' })), 'applicant.kind');

  r = await window.post('/api/v1/cases', walkIn(person));
  assert.equal(r.status, 201, r.text);
  assert.equal((await window.get(`/api/v1/cases/${r.json.id}`)).json.applicant_no, GOOD_ID);
  r = await window.post('/api/v1/cases', walkIn(company));
  assert.equal(r.status, 201, r.text);
  assert.equal((await window.get(`/api/v1/cases/${r.json.id}`)).json.applicant_no, COMPANY);
});

test('帮代办: the appointed agent’s ID number and phone are checked and kept', async () => {
  const window = await as(srv.base, 'window01');
  const applicant = { name: '李四', id_number: GOOD_ID, phone: '13800138000' };
  const agent = { name: '王代办', id_number: idNumber('43010219800505002'), phone: '0731-84445555-12' };
  await refusedNothingStored(() => window.post('/api/v1/cases', walkIn(applicant, { agent: { ...agent, id_number: BAD_CHECK } })), 'agent.id_number');
  await refusedNothingStored(() => window.post('/api/v1/cases', walkIn(applicant, { agent: { ...agent, id_number: BAD_BIRTH } })), 'agent.id_number');
  await refusedNothingStored(() => window.post('/api/v1/cases', walkIn(applicant, { agent: { ...agent, phone: '12345' } })), 'agent.phone');
  await refusedNothingStored(() => window.post('/api/v1/cases', walkIn(applicant, { agent: { ...agent, name: '' } })), 'agent.name');
  const r = await window.post('/api/v1/cases', walkIn(applicant, { agent }));
  assert.equal(r.status, 201, r.text);
  const c = (await window.get(`/api/v1/cases/${r.json.id}`)).json;
  assert.equal(c.agent, true);
  assert.deepEqual(c.agent_info, agent);
});

test('registration: bad ID number, birth date, USCC or phone is refused and no account is made', async () => {
  const c = new Client(srv.base);
  const person = { kind: 'person', username: 'reg_person', password: 'abc12345', name: '赵六', id_number: idNumber('43010219951212003'), phone: '13912345678' };
  await refusedNothingStored(() => c.post('/api/v1/auth/register', { ...person, id_number: BAD_CHECK }), 'id_number');
  await refusedNothingStored(() => c.post('/api/v1/auth/register', { ...person, id_number: BAD_BIRTH }), 'id_number');
  await refusedNothingStored(() => c.post('/api/v1/auth/register', { ...person, id_number: FUTURE_BIRTH }), 'id_number');
  await refusedNothingStored(() => c.post('/api/v1/auth/register', { ...person, phone: '12345' }), 'phone');
  await refusedNothingStored(() => c.post('/api/v1/auth/register', { ...person, phone: '1391234567' }), 'phone');
  const legal = { kind: 'legal', username: 'reg_company', password: 'abc12345', name: '长沙测试有限公司', uscc: COMPANY, phone: '0731-88886666' };
  await refusedNothingStored(() => c.post('/api/v1/auth/register', { ...legal, uscc: BAD_USCC }), 'uscc');
  await refusedNothingStored(() => c.post('/api/v1/auth/register', { ...legal, phone: '0731-123' }), 'phone');
  let r = await c.post('/api/v1/auth/register', person);
  assert.equal(r.status, 201, r.text);
  r = await new Client(srv.base).post('/api/v1/auth/register', { ...legal, phone: '400-123-4567' });
  assert.equal(r.status, 201, 'an organisation may give a service number');
});

test('profile: a bad phone is refused naming the field and the profile is unchanged', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  await refusedNothingStored(() => citizen.put('/api/v1/me/profile', { profile: { phone: '12345' } }), 'phone');
  await refusedNothingStored(() => citizen.put('/api/v1/me/profile', { profile: { phone: '12800138000' } }), 'phone');
  await refusedNothingStored(() => citizen.put('/api/v1/me/profile', { profile: { company_phone: '0731-0000' } }), 'company_phone');
  const r = await citizen.put('/api/v1/me/profile', { profile: { phone: '13800138000', company_phone: '95588' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.profile.phone, '13800138000');
});

test('service targets: a person cannot apply for a legal-person item, online or at the window', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const window = await as(srv.base, 'window01');
  const company = await as(srv.base, 'xiangjiang_food');
  const prod = (await citizen.get(`/api/v1/items/${FOOD_PROD}`)).json;
  assert.deepEqual(prod.targets.includes(1), false);
  let r = await refusedNothingStored(() => citizen.post('/api/v1/cases', { item_code: FOOD_PROD, materials: names(prod) }), 'item_code');
  assert.match(r.json.error.details[0].message, /自然人不能申请/);
  r = await refusedNothingStored(() => window.post('/api/v1/cases', { item_code: FOOD_PROD, materials: names(prod),
    applicant: { name: '张三', id_number: GOOD_ID, phone: '13800138000' } }), 'applicant.kind');
  assert.match(r.json.error.details[0].message, /自然人不能申请/);
  r = await refusedNothingStored(() => company.post('/api/v1/cases', { item_code: TEMP_ID, materials: names(tempId) }), 'item_code');
  assert.match(r.json.error.details[0].message, /法人或其他组织不能申请/);
  r = await company.post('/api/v1/cases', { item_code: FOOD_PROD, materials: names(prod) });
  assert.equal(r.status, 201, r.text);
  r = await window.post('/api/v1/cases', { item_code: FOOD_PROD, materials: names(prod),
    applicant: { kind: 'legal', name: '长沙岳麓山食品有限公司', uscc: COMPANY, phone: '0731-88886666' } });
  assert.equal(r.status, 201, r.text);
});

test('受理 lists every required material still missing; 容缺 covers only tolerable ones', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const window = await as(srv.base, 'window01');
  const c = (await citizen.post('/api/v1/cases', { item_code: FOOD, materials: [food.materials[0].name] })).json;
  // Required and handed in by the applicant (免提交 sources aside), other than the one supplied.
  const want = food.materials.filter((m, i) => i > 0 && m.required && !['电子证照', '数据共享'].includes(m.source)).map((m) => m.name);
  assert.ok(want.length >= 2);
  let r = await refusedNothingStored(() => window.post(`/api/v1/cases/${c.id}/accept`), 'materials');
  const said = r.json.error.details.filter((d) => d.field === 'materials').map((d) => d.message);
  assert.equal(said.length, want.length, said.join('\n'));
  for (const name of want) assert.ok(said.some((m) => m.includes(name)), name);
  const tolerable = food.materials.find((m) => m.tolerable).name;
  const key = want.find((n) => n !== tolerable);
  await refusedNothingStored(() => window.post(`/api/v1/cases/${c.id}/accept`, { missing: [key] }), 'missing');
  // Only the tolerable one tolerated: the key material is still missing.
  r = await refusedNothingStored(() => window.post(`/api/v1/cases/${c.id}/accept`, { missing: [tolerable] }), 'materials');
  assert.ok(r.json.error.details.every((d) => !d.message.includes(tolerable)));
  assert.equal((await window.get(`/api/v1/cases/${c.id}`)).json.state, 1);

  const d = (await citizen.post('/api/v1/cases', { item_code: FOOD, materials: names(food).filter((n) => n !== tolerable) })).json;
  r = await window.post(`/api/v1/cases/${d.id}/accept`, { missing: [tolerable] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.pending_materials, [tolerable]);
});

test('an item handled at the window only (办理形式 窗口) is not applied for online; the window takes it', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  assert.deepEqual(tempId.forms, [1]);
  const r = await refusedNothingStored(() => citizen.post('/api/v1/cases', { item_code: TEMP_ID, materials: names(tempId) }), 'item_code');
  assert.deepEqual(r.json.error.details.map((d) => d.message), ['该事项仅支持窗口办理，请携带材料到政务服务大厅办理']);
  // nor as a draft to submit later
  await refusedNothingStored(() => citizen.post('/api/v1/cases', { item_code: TEMP_ID, materials: names(tempId), submit: false }), 'item_code');
  const window = await as(srv.base, 'window01');
  const w = await window.post('/api/v1/cases', { item_code: TEMP_ID, materials: names(tempId),
    applicant: { name: '张三', id_number: GOOD_ID, phone: '13800138000' } });
  assert.equal(w.status, 201, w.text);
});

test('a PDF is refused for a photo that takes images only; a PNG is taken', async () => {
  // the window takes the walk-in's application (the item is handled at the window only) and attaches the files
  const citizen = await as(srv.base, 'window01');
  const photo = tempId.materials.find((m) => m.name.includes('照片'));
  assert.deepEqual(photo.file_types, ['jpg', 'png']);
  const c = (await citizen.post('/api/v1/cases', { item_code: TEMP_ID, materials: names(tempId),
    applicant: { name: '张三', id_number: GOOD_ID, phone: '13800138000' } })).json;
  const pdf = (await citizen.req('POST', '/api/v1/files?name=photo.pdf', pdfBytes('photo'), { 'Content-Type': 'application/octet-stream' })).json;
  const r = await refusedNothingStored(() => citizen.post(`/api/v1/cases/${c.id}/files`, { upload_id: pdf.id, material: photo.name }), 'material');
  assert.match(r.json.error.details[0].message, /jpg、png/);
  const png = (await citizen.req('POST', '/api/v1/files?name=photo.png', pngBytes(), { 'Content-Type': 'application/octet-stream' })).json;
  const ok = await citizen.post(`/api/v1/cases/${c.id}/files`, { upload_id: png.id, material: photo.name });
  assert.equal(ok.status, 201, ok.text);
  // A material without file_types takes any accepted type.
  const other = tempId.materials.find((m) => !m.file_types);
  const any = await citizen.post(`/api/v1/cases/${c.id}/files`, { upload_id: pdf.id, material: other.name });
  assert.equal(any.status, 201, any.text);
});

test('a second open application: warned (policy warn) or refused with the open case’s number (policy refuse)', async () => {
  const citizen = await as(srv.base, 'xiangjiang_food');
  const window = await as(srv.base, 'window01');
  const first = (await citizen.post('/api/v1/cases', { item_code: FOOD, materials: names(food) })).json;
  const second = await citizen.post('/api/v1/cases', { item_code: FOOD, materials: names(food) });
  assert.equal(second.status, 201, 'warn: the application goes through');
  assert.ok(second.json.duplicates.some((d) => d.id === first.id));
  assert.equal(second.json.warnings.length, second.json.duplicates.length);
  assert.match(second.json.warnings[0], /正在办理/);
  const clerkView = (await window.get(`/api/v1/cases/${second.json.id}`)).json;
  assert.ok(clerkView.warnings.length > 0, 'the clerk sees the warning');

  const zs = await as(srv.base, 'zhangsan');
  const residence = (await zs.get(`/api/v1/items/${RESIDENCE}`)).json;
  assert.equal(residence.duplicate_policy, 'refuse');
  const one = await zs.post('/api/v1/cases', { item_code: RESIDENCE, materials: names(residence) });
  assert.equal(one.status, 201, one.text);
  assert.deepEqual(one.json.warnings, []);
  const r = await refusedNothingStored(() => zs.post('/api/v1/cases', { item_code: RESIDENCE, materials: names(residence) }), null, 409);
  assert.match(r.json.error.message, new RegExp(String(one.json.id)));
  // Withdrawn, it no longer stands in the way.
  await zs.post(`/api/v1/cases/${one.json.id}/withdraw`);
  assert.equal((await zs.post('/api/v1/cases', { item_code: RESIDENCE, materials: names(residence) })).status, 201);
});

test('decisions and 不予受理 need a real opinion; the case detail returns it as decision_opinion', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const window = await as(srv.base, 'window01');
  const approver = await as(srv.base, 'scjg_shenpi');
  const c = (await citizen.post('/api/v1/cases', { item_code: FOOD, materials: names(food) })).json;
  await refusedNothingStored(() => window.post(`/api/v1/cases/${c.id}/refuse`, { reasons: ' \u3000 ' }), 'reasons');
  await refusedNothingStored(() => window.post(`/api/v1/cases/${c.id}/refuse`, { reasons: ['', '  '] }), 'reasons[0]');
  assert.equal((await window.post(`/api/v1/cases/${c.id}/accept`)).status, 200);
  for (let guard = 0; guard < 10; guard++) {
    const k = (await approver.get(`/api/v1/cases/${c.id}`)).json;
    if (k.current_step === k.steps.length - 1) break;
    assert.equal((await approver.post(`/api/v1/cases/${c.id}/step`, { action: 'pass' })).status, 200);
  }
  await refusedNothingStored(() => approver.post(`/api/v1/cases/${c.id}/step`, { action: 'approve' }), 'opinion');
  await refusedNothingStored(() => approver.post(`/api/v1/cases/${c.id}/step`, { action: 'approve', opinion: '' }), 'opinion');
  await refusedNothingStored(() => approver.post(`/api/v1/cases/${c.id}/step`, { action: 'approve', opinion: '  \n\u3000 ' }), 'opinion');
  await refusedNothingStored(() => approver.post(`/api/v1/cases/${c.id}/step`, { action: 'approve', opinion: '准' }), 'opinion');
  await refusedNothingStored(() => approver.post(`/api/v1/cases/${c.id}/step`, { action: 'approve', opinion: '准'.repeat(2001) }), 'opinion');
  await refusedNothingStored(() => approver.post(`/api/v1/cases/${c.id}/step`, { action: 'deny', reason: '   ' }), 'reason');
  const r = await approver.post(`/api/v1/cases/${c.id}/step`, { action: 'approve', opinion: '  经审查，符合法定条件，准予许可。 ' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.decision_opinion, '经审查，符合法定条件，准予许可。');
  assert.equal(r.json.events.at(-1).note, '经审查，符合法定条件，准予许可。');

  const d = (await citizen.post('/api/v1/cases', { item_code: FOOD, materials: names(food) })).json;
  const refused = await window.post(`/api/v1/cases/${d.id}/refuse`, { reasons: ['不属于本机关职权范围', ' 申请人已在异地办理 '] });
  assert.equal(refused.status, 200, refused.text);
  assert.equal(refused.json.decision_opinion, '不属于本机关职权范围；申请人已在异地办理');
  assert.deepEqual(refused.json.events.at(-1).data.reasons, ['不属于本机关职权范围', '申请人已在异地办理']);
});

test('the form: unknown keys, nested objects, long values, a form over 64 KiB and duplicate materials are refused naming the field', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const apply = (form, materials = names(food)) => () => citizen.post('/api/v1/cases', { item_code: FOOD, materials, form });
  await refusedNothingStored(apply({ 不存在的字段: 'x' }), 'form.不存在的字段');
  await refusedNothingStored(apply({ address: { street: '五一大道', nested: { deeper: 1 } } }), 'form.address');
  await refusedNothingStored(apply({ 经营面积: ['120', '平方米'] }), 'form.经营面积');
  await refusedNothingStored(apply({ address: '长'.repeat(201) }), 'form.address');
  await refusedNothingStored(apply({ 经营面积: '1'.repeat(51) }), 'form.经营面积');
  await refusedNothingStored(apply({ phone: '12345' }), 'form.phone');
  await refusedNothingStored(apply({ postcode: '4100' }), 'form.postcode');
  await refusedNothingStored(apply({ materials: ['x'] }), 'form.materials');
  await refusedNothingStored(apply('a form'), 'form');
  const big = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, 'x'.repeat(80)]));
  const r = await refusedNothingStored(apply(big), 'form');
  assert.match(r.json.error.details[0].message, /64 KiB/);
  assert.equal(r.json.error.details.length, 1, 'an oversized form is not looked into further');
  const m = food.materials[0].name;
  let d = await refusedNothingStored(apply({}, [m, m]), 'materials');
  assert.match(d.json.error.details[0].message, /材料重复/);
  d = await refusedNothingStored(apply({}, Array(10000).fill(m)), 'materials');
  assert.ok(d.json.error.details.length < 10, 'one answer, not ten thousand');
  // The item's own fields and the applicant's details are taken.
  const ok = await citizen.post('/api/v1/cases', { item_code: FOOD, materials: names(food), form: { address: '长沙市芙蓉区五一大道1号', 经营面积: '120平方米', phone: '0731-88666000' } });
  assert.equal(ok.status, 201, ok.text);
  assert.equal((await citizen.get(`/api/v1/cases/${ok.json.id}`)).json.form.经营面积, '120平方米');
});

test('catalogue: file_types, fields and duplicate_policy are validated and kept', async () => {
  const dept = await as(srv.base, 'scjg_admin');
  const base = sampleItem('ELIG0000000000001', '长沙市市场监督管理局', '资格测试事项');
  const withPhoto = (m) => ({ ...base, materials: [...base.materials, { ...base.materials[0], name: '免冠照片', ...m }] });
  const bad = async (item, field) => {
    const r = await dept.post('/api/v1/admin/items', item);
    assert.equal(r.status, 422, r.text);
    const fields = r.json.error.details.map((d) => d.field);
    assert.ok(fields.includes(field), `${field} in ${fields}`);
  };
  await bad(withPhoto({ file_types: ['gif'] }), 'materials[1].file_types');
  await bad(withPhoto({ file_types: 'jpg' }), 'materials[1].file_types');
  await bad({ ...base, duplicate_policy: 'maybe' }, 'duplicate_policy');
  await bad({ ...base, fields: [{ key: '面积', label: '面积', type: 'colour' }] }, 'fields[0].type');
  await bad({ ...base, fields: [{ key: 'materials', label: '材料' }] }, 'fields[0].key');
  await bad({ ...base, fields: [{ key: '面积', label: '面积' }, { key: '面积', label: '面积二' }] }, 'fields[1].key');
  const good = { ...withPhoto({ file_types: ['jpg', 'png'] }), duplicate_policy: 'refuse',
    fields: [{ key: '面积', label: '经营面积', type: 'number', max: 20, required: true }] };
  const r = await dept.post('/api/v1/admin/items', good);
  assert.equal(r.status, 201, r.text);
  const got = (await dept.get(`/api/v1/admin/items/${r.json.id}`)).json;
  const data = got.latest;
  assert.deepEqual(data.materials[1].file_types, ['jpg', 'png']);
  assert.equal(data.duplicate_policy, 'refuse');
  assert.deepEqual(data.fields, [{ key: '面积', label: '经营面积', type: 'number', max: 20, required: true }]);
  assert.equal(data.materials[0].file_types, undefined, 'written only when set');
});
