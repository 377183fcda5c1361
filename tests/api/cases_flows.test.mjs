// Case flows over real HTTP: per-step clocks; 容缺受理 (no decision until supplied); the second
// 补正 rule (allowed for what was newly supplied, otherwise a red card); 告知承诺 with its
// follow-up check; delivery (送达) and 帮代办; 并联审批 with one co-department agreeing and one
// silent until 超时默认 turns its silence into agreement; public verification with masking; the
// inbox (scope=todo). The server has a movable clock; tests that move it come last.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, cli } from './helpers.mjs';

const FOOD = '1143010000825175203011010001001';      // 市场监管 食品经营许可(新办): 3 steps, 容缺 material
const FOOD_YL = '1143010400206450X04011010001001';   // 岳麓区 食品经营许可(新办): 告知承诺, check in 60 workdays
let srv, food, foodYl, pub;
let offsetDays = 0;

before(async () => {
  srv = await startServer({ clock: true, config: { tick_seconds: 1 } });
  pub = new Client(srv.base);
  food = (await pub.get(`/api/v1/items/${FOOD}`)).json;
  foodYl = (await pub.get(`/api/v1/items/${FOOD_YL}`)).json;
});
after(async () => { if (srv.proc.exitCode === null) await srv.stop(); });

// The server's local day (UTC+8), moved with its clock.
const today = () => new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);
const deadline = async (from, n) => (await pub.get(`/api/v1/calendar/deadline?from=${from}&workdays=${n}`)).json.date;
const between = async (a, b) => (await pub.get(`/api/v1/calendar/between?from=${a}&to=${b}`)).json.workdays;
const tolerable = () => food.materials.find((m) => m.tolerable).name;
// Every material of a guide: 受理 needs the required ones in hand.
const all = (guide) => guide.materials.map((m) => m.name);

// The 201 is a receipt; the whole case is its GET.
async function apply(user, body) {
  const r = await user.post('/api/v1/cases', body);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.json), ['id', 'state', 'state_label', 'created_at', 'duplicates', 'warnings']);
  const c = await user.get(`/api/v1/cases/${r.json.id}`);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.state, r.json.state);
  return c.json;
}

// Passes the case on until its last step, as the approver.
async function toLastStep(approver, id) {
  for (let guard = 0; guard < 10; guard++) {
    const c = (await approver.get(`/api/v1/cases/${id}`)).json;
    if (c.current_step === c.steps.length - 1) return c;
    const r = await approver.post(`/api/v1/cases/${id}/step`, { action: 'pass' });
    assert.equal(r.status, 200, r.text);
  }
  throw new Error('never reached the last step');
}

test('catalogue: tolerable materials and 告知承诺 are part of the guide; bad values are refused', async () => {
  assert.ok(food.materials.some((m) => m.tolerable === true), 'a 可容缺 material');
  assert.ok(food.materials.every((m) => typeof m.tolerable === 'boolean'));
  assert.equal(food.commitment, false);
  assert.equal(foodYl.commitment, true);
  assert.equal(foodYl.commitment_check_days, 60);
  const admin = await as(srv.base, 'scjg_admin');
  const bad = { ...food, code: undefined, commitment_check_days: 0,
    materials: [{ ...food.materials[0], required: false, tolerable: true }] };
  delete bad.code;
  const r = await admin.post('/api/v1/admin/items', bad);
  assert.equal(r.status, 422, r.text);
  const fields = r.json.error.details.map((d) => d.field);
  assert.ok(fields.includes('materials[0].tolerable'), fields.join());
  assert.ok(fields.includes('commitment_check_days'), fields.join());
});

test('per-step clocks: each step gets its budget and due day; pass and return close and open steps', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const window = await as(srv.base, 'window01');
  const approver = await as(srv.base, 'scjg_shenpi');
  const c = await apply(citizen, { item_code: FOOD, materials: all(food) });
  assert.equal(c.visits, 0, 'online: no trip');
  assert.equal(c.submitted_day, today());
  let r = await window.post(`/api/v1/cases/${c.id}/accept`);
  assert.equal(r.status, 200, r.text);
  const first = food.steps.findIndex((s) => s.role !== 'window');
  assert.equal(r.json.steps_clock.length, 1, 'window steps are the acceptance itself');
  let s = r.json.steps_clock[0];
  assert.equal(s.step, first);
  assert.equal(s.name, food.steps[first].name);
  assert.equal(s.role, 'approver');
  assert.equal(s.budget_days, food.steps[first].days);
  assert.equal(s.started_day, today());
  assert.equal(s.due_day, await deadline(today(), s.budget_days));
  assert.equal(s.used_workdays, 0);
  assert.equal(s.remaining_workdays, await between(today(), s.due_day));
  assert.equal(s.finished_day, null);
  assert.equal(s.outcome, null);
  assert.ok(r.json.window_id, 'the receiving window');

  r = await approver.post(`/api/v1/cases/${c.id}/step`, { action: 'pass', note: '审查通过' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.steps_clock.length, 2);
  assert.equal(r.json.steps_clock[0].outcome, 'pass');
  assert.equal(r.json.steps_clock[0].finished_day, today());
  assert.equal(r.json.steps_clock[0].handled_by, '陈志强');
  assert.equal(r.json.steps_clock[1].step, first + 1);
  assert.equal(r.json.steps_clock[1].budget_days, food.steps[first + 1].days);
  r = await approver.post(`/api/v1/cases/${c.id}/step`, { action: 'return', note: '请重新核查' });
  assert.deepEqual(r.json.steps_clock.map((x) => [x.step, x.outcome]), [[first, 'pass'], [first + 1, 'return'], [first, null]]);
  await approver.post(`/api/v1/cases/${c.id}/step`, { action: 'pass' });
  r = await approver.post(`/api/v1/cases/${c.id}/step`, { action: 'approve', note: '准予许可' });
  assert.equal(r.json.state, 11);
  assert.equal(r.json.steps_clock.at(-1).outcome, 'approve');
  assert.ok(r.json.steps_clock.every((x) => x.finished_day === today()), 'no step left running');
  assert.equal(r.json.decided_day, today());
});

test('容缺受理: only tolerable materials may be missing; no decision until they are supplied', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const window = await as(srv.base, 'window01');
  const approver = await as(srv.base, 'scjg_shenpi');
  const c = await apply(citizen, { item_code: FOOD, materials: all(food).filter((n) => n !== tolerable()) });
  const key = food.materials.find((m) => !m.tolerable).name;
  let r = await window.post(`/api/v1/cases/${c.id}/accept`, { missing: [key] });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'missing');
  assert.equal((await window.get(`/api/v1/cases/${c.id}`)).json.state, 1, 'bad input changes nothing');
  r = await window.post(`/api/v1/cases/${c.id}/accept`, { missing: [tolerable()] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.pending_materials, [tolerable()]);
  assert.deepEqual(r.json.events.at(-1).data.missing, [tolerable()]);
  await toLastStep(approver, c.id);
  for (const action of ['approve', 'deny']) {
    r = await approver.post(`/api/v1/cases/${c.id}/step`, { action, opinion: '不符合条件' });
    assert.equal(r.status, 409, `${action} waits for the material`);
    assert.ok(r.json.error.message.includes(tolerable()), r.json.error.message);
  }
  r = await citizen.post(`/api/v1/cases/${c.id}/supply`, { materials: ['营业执照'] });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'materials');
  r = await citizen.post(`/api/v1/cases/${c.id}/supply`, { materials: [tolerable()] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.pending_materials, []);
  assert.equal(r.json.events.at(-1).action, 'supply');
  r = await citizen.post(`/api/v1/cases/${c.id}/supply`, { materials: [tolerable()] });
  assert.equal(r.status, 409, 'nothing left to supply');
  r = await approver.post(`/api/v1/cases/${c.id}/step`, { action: 'approve', opinion: '材料已补齐，准予许可' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 11);
});

test('second 补正: allowed for what was newly supplied; anything else raises one red card', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const window = await as(srv.base, 'window01');
  const [m0, m1, m2] = food.materials.map((m) => m.name);
  const c = await apply(citizen, { item_code: FOOD, materials: [m0] });
  let r = await window.post(`/api/v1/cases/${c.id}/correction`, { items: [{ material: m1, reason: '未提交' }] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.cards, []);
  assert.ok(r.json.case_no, 'the 补正 notice carries the case number');
  r = await citizen.post(`/api/v1/cases/${c.id}/resubmit`, { materials: [m1], form: { 经营面积: '120平方米' } });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.form.materials.includes(m1));
  assert.equal(r.json.form.经营面积, '120平方米');
  // The second notice concerns only what was newly supplied: allowed.
  r = await window.post(`/api/v1/cases/${c.id}/correction`, { items: [{ material: m1, reason: '复印件不清晰' }, { field: '经营面积', reason: '与平面图不符' }] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.cards, []);
  assert.equal(r.json.correction_count, 2);
  // Resubmitted at the window this time: one more trip.
  r = await window.post(`/api/v1/cases/${c.id}/resubmit`, { materials: [m1] });
  assert.equal(r.json.visits, 1);
  // The third asks for something that was there from the start: recorded, and a red card.
  r = await window.post(`/api/v1/cases/${c.id}/correction`, { items: [{ material: m2, reason: '内容不全' }] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 6);
  assert.equal(r.json.correction_count, 3);
  assert.equal(r.json.cards.length, 1);
  assert.deepEqual({ ...r.json.cards[0], note: undefined }, { level: 3, kind: 'repeat_correction', step: -1, day: today(), note: undefined });
  assert.match(r.json.cards[0].note, new RegExp(m2.slice(0, 6)));
  const rounds = r.json.events.filter((e) => e.action === 'correction');
  assert.deepEqual(rounds.map((e) => e.data.round), [1, 2, 3]);
  assert.deepEqual(rounds.map((e) => e.data.items.length), [1, 2, 1], 'every notice keeps its items');
  assert.deepEqual(rounds[2].data.not_newly_supplied, [m2]);
});

test('告知承诺: decided at acceptance; the department checks within N working days', async () => {
  const company = await as(srv.base, 'xiangjiang_food');
  const window = await as(srv.base, 'window01');
  const c = await apply(company, { item_code: FOOD_YL, materials: all(foodYl) });
  const commitment = { signed_by: '李湘江', text: '本人承诺经营条件符合食品经营许可要求,承诺不实愿承担法律责任。' };
  let r = await window.post(`/api/v1/cases/${c.id}/accept`, { commitment: { signed_by: '' } });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.field).sort(), ['commitment.signed_by', 'commitment.text']);
  const other = await apply(company, { item_code: FOOD });
  r = await window.post(`/api/v1/cases/${other.id}/accept`, { commitment });
  assert.equal(r.status, 422, 'the city-level permit does not allow 告知承诺');
  assert.equal(r.json.error.details[0].field, 'commitment');

  r = await window.post(`/api/v1/cases/${c.id}/accept`, { commitment });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 11);
  assert.equal(r.json.commitment, true);
  assert.equal(r.json.decided_day, today());
  assert.equal(r.json.followup_due_day, await deadline(today(), 60));
  assert.equal(r.json.followup_result, null);
  assert.deepEqual(r.json.events.slice(-2).map((e) => [e.action, e.state_to]), [['accept', 3], ['commitment', 11]]);
  assert.equal(r.json.events.at(-1).data.signed_by, '李湘江');

  const cityApprover = await as(srv.base, 'scjg_shenpi');
  assert.equal((await cityApprover.post(`/api/v1/cases/${c.id}/followup`, { result: '合格' })).status, 404);
  const approver = await as(srv.base, 'ylscjg_shenpi');
  r = await approver.post(`/api/v1/cases/${c.id}/followup`, { result: '不合格' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'note');
  r = await approver.post(`/api/v1/cases/${c.id}/followup`, { result: '基本合格' });
  assert.equal(r.json.error.details[0].field, 'result');
  r = await approver.post(`/api/v1/cases/${c.id}/followup`, { result: '合格', note: '现场核查经营条件与承诺一致' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.followup_result, '合格');
  assert.equal((await approver.post(`/api/v1/cases/${c.id}/followup`, { result: '合格' })).status, 409);
  assert.equal((await approver.post(`/api/v1/cases/${other.id}/followup`, { result: '合格' })).status, 404);
});

test('送达 after 办结, once; 帮代办 is shown', async () => {
  const window = await as(srv.base, 'window01');
  const approver = await as(srv.base, 'ylscjg_shenpi');
  const c = await apply(window, { item_code: FOOD_YL, materials: all(foodYl), agent: true, applicant: { name: '赵小六', id_number: '430102198507150011', phone: '13900000000' } });
  assert.equal(c.agent, true);
  assert.equal(c.channel, 'window');
  assert.equal(c.visits, 1, 'a walk-in is a trip');
  let r = await window.post(`/api/v1/cases/${c.id}/deliver`, { method: 'pickup' });
  assert.equal(r.status, 409, 'nothing to deliver before the decision');
  r = await window.post(`/api/v1/cases/${c.id}/accept`, { commitment: { signed_by: '赵小六', text: '本人承诺符合许可条件。' } });
  assert.equal(r.json.state, 11);
  r = await approver.post(`/api/v1/cases/${c.id}/deliver`, { method: 'express' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'ref');
  r = await approver.post(`/api/v1/cases/${c.id}/deliver`, { method: 'pigeon', ref: 'x' });
  assert.equal(r.json.error.details[0].field, 'method');
  r = await approver.post(`/api/v1/cases/${c.id}/deliver`, { method: 'express', ref: 'SF1234567890' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.delivery.method, 'express');
  assert.equal(r.json.delivery.ref, 'SF1234567890');
  assert.ok(r.json.delivery.at > 0);
  assert.equal((await window.post(`/api/v1/cases/${c.id}/deliver`, { method: 'pickup' })).status, 409, 'once only');
  const list = (await window.get('/api/v1/cases?page_size=200')).json.items.find((x) => x.id === c.id);
  assert.equal(list.agent, true);
  assert.equal(list.signal, 0);
});

test('public verification: masked name and nothing more; a wrong code is 404; the QR code is for those who see the case', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const company = await as(srv.base, 'xiangjiang_food');
  const window = await as(srv.base, 'window01');
  const c = await apply(citizen, { item_code: FOOD, materials: all(food) });
  assert.equal(c.verify_url, null, 'no notice yet');
  assert.equal((await citizen.get(`/api/v1/cases/${c.id}/qr.svg`)).status, 404);
  const r = await window.post(`/api/v1/cases/${c.id}/accept`);
  const url = new URL(r.json.verify_url);
  assert.equal(url.origin, new URL(srv.base).origin);
  assert.equal(url.pathname, '/verify');
  const no = url.searchParams.get('no'), code = url.searchParams.get('code');
  assert.equal(no, r.json.case_no);
  assert.match(code, /^[A-Za-z0-9_-]{12,}$/);
  const v = await pub.get(`/api/v1/public/verify?no=${no}&code=${code}`);
  assert.equal(v.status, 200, v.text);
  assert.deepEqual(Object.keys(v.json).sort(), ['accepted_day', 'applicant', 'case_no', 'decided_day', 'dept', 'item_name', 'promised_day', 'state', 'state_label'].sort());
  assert.equal(v.json.applicant, '张*');
  assert.equal(v.json.item_name, food.name);
  assert.equal(v.json.state_label, '已受理');
  assert.equal(v.json.accepted_day, today());
  assert.equal(v.json.decided_day, null);
  const wrong = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
  assert.equal((await pub.get(`/api/v1/public/verify?no=${no}&code=${wrong}`)).status, 404);
  assert.equal((await pub.get(`/api/v1/public/verify?no=${no}`)).status, 404);
  assert.equal((await pub.get(`/api/v1/public/verify?no=X&code=${code}`)).status, 404);

  const co = await apply(company, { item_code: FOOD });
  const coCase = (await window.post(`/api/v1/cases/${co.id}/refuse`, { reasons: '申请材料不齐全' })).json;
  const cu = new URL(coCase.verify_url);
  const cv = await pub.get(`/api/v1/public/verify${cu.search}`);
  assert.equal(cv.json.applicant, '长沙***公司');
  assert.equal(cv.json.state, 5, '不予受理 notices are verifiable too');

  const qr = await citizen.get(`/api/v1/cases/${c.id}/qr.svg`);
  assert.equal(qr.status, 200);
  assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
  assert.match(qr.text, /^<svg[^>]*>.*<path d="M/s);
  assert.equal((await company.get(`/api/v1/cases/${c.id}/qr.svg`)).status, 404);
  assert.equal((await pub.get(`/api/v1/cases/${c.id}/qr.svg`)).status, 401);
});

test('the inbox (scope=todo) holds what waits for each role', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const window = await as(srv.base, 'window01');
  const approver = await as(srv.base, 'scjg_shenpi');
  const waiting = await apply(citizen, { item_code: FOOD });
  const correcting = await apply(citizen, { item_code: FOOD });
  await window.post(`/api/v1/cases/${correcting.id}/correction`, { items: ['营业执照'] });
  const accepted = await apply(citizen, { item_code: FOOD, materials: all(food) });
  await window.post(`/api/v1/cases/${accepted.id}/accept`);
  const ids = async (c) => (await c.get('/api/v1/cases?scope=todo&page_size=200')).json.items.map((x) => x.id);
  const w = await ids(window), a = await ids(approver), z = await ids(citizen);
  assert.ok(w.includes(waiting.id) && !w.includes(correcting.id) && !w.includes(accepted.id));
  assert.ok(a.includes(accepted.id) && !a.includes(waiting.id));
  assert.ok(z.includes(correcting.id) && !z.includes(waiting.id) && !z.includes(accepted.id));
  assert.equal((await window.get('/api/v1/cases?scope=mine')).status, 422);
});

test('一件事 bundles are listed with their lead and co-items', async () => {
  const r = await pub.get('/api/v1/bundles');
  assert.equal(r.status, 200);
  assert.ok(r.json.items.length >= 2);
  for (const b of r.json.items) {
    assert.equal(b.items.filter((i) => i.lead).length, 1, b.code);
    assert.ok(b.items.length >= 3 && b.items.every((i) => i.budget_days > 0 && i.dept && i.item_name), b.code);
  }
  const kb = r.json.items.find((b) => b.code === 'KBCYD');
  assert.equal(kb.items.find((i) => i.lead).item_code, FOOD);
});

test('bundles in a catalogue import: one lead, known items, budgets in range', async () => {
  const admin = await as(srv.base, 'center_admin');
  const doc = (bundles) => ({ format: 'yiwang-catalog/1', items: [], bundles });
  let r = await admin.post('/api/v1/import/catalog', doc([{ code: 'TEST1', name: '测试一件事',
    items: [{ item: FOOD, budget_days: 3 }, { item: 'NOSUCHITEM', budget_days: 99 }] }]));
  assert.equal(r.status, 422, r.text);
  const fields = r.json.error.details.map((d) => d.field).sort();
  assert.deepEqual(fields, ['bundles[0].items', 'bundles[0].items[1].budget_days', 'bundles[0].items[1].item']);
  r = await admin.post('/api/v1/import/catalog', doc([{ code: 'TEST1', name: '测试一件事',
    items: [{ item: FOOD, lead: true, budget_days: 5 }, { item: FOOD_YL, budget_days: 2 }] }]));
  assert.equal(r.status, 200, r.text);
  const b = (await pub.get('/api/v1/bundles')).json.items.find((x) => x.code === 'TEST1');
  assert.deepEqual(b.items.map((i) => [i.item_code, i.lead, i.budget_days]), [[FOOD, true, 5], [FOOD_YL, false, 2]]);
});

// Cases in flight while the clock moves on: step clocks counting, a suspension moving the step's
// due day, and a silent co-department taken to agree.
test('并联审批: agreement, disagreement, and 超时默认 when time runs out; step clocks as time passes', async () => {
  const company = await as(srv.base, 'xiangjiang_food');
  const window = await as(srv.base, 'window01');
  const lead = await as(srv.base, 'scjg_shenpi');
  const cg = await as(srv.base, 'cg_shenpi');
  const zj = await as(srv.base, 'zj_shenpi');
  const ga = await as(srv.base, 'ga_shenpi');
  const bundle = (await pub.get('/api/v1/bundles')).json.items.find((b) => b.code === 'KBCYD');
  const coItems = bundle.items.filter((i) => !i.lead);
  const cgItems = coItems.filter((i) => i.dept === '长沙市城市管理和综合执法局');
  const zjItem = coItems.find((i) => i.dept === '长沙市住房和城乡建设局');

  let r = await company.post('/api/v1/cases', { bundle_code: 'NOPE' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'bundle_code');
  // One set of materials for the whole bundle: the co-items' materials belong to it too.
  const adItem = (await pub.get(`/api/v1/items/${cgItems[0].item_code}`)).json;
  const adOnly = adItem.materials.find((m) => !food.materials.some((f) => f.name === m.name)).name;
  assert.equal((await company.post('/api/v1/cases', { item_code: FOOD, materials: [adOnly] })).status, 422);
  // 受理 needs every required material of every item in the bundle.
  const bundleMats = [...new Set([...all(food), ...(await Promise.all(coItems.map(async (i) => all((await pub.get(`/api/v1/items/${i.item_code}`)).json)))).flat()])];
  assert.ok(bundleMats.includes(adOnly));
  const c = await apply(company, { bundle_code: 'KBCYD', materials: bundleMats });
  assert.deepEqual(c.form.materials, bundleMats);
  assert.equal(c.item_code, FOOD);
  assert.deepEqual(c.bundle, { code: 'KBCYD', name: bundle.name });
  assert.equal((await cg.get(`/api/v1/cases/${c.id}`)).status, 404, 'co-departments see it from acceptance');
  r = await window.post(`/api/v1/cases/${c.id}/accept`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.parallel.length, coItems.length);
  for (const p of r.json.parallel) {
    const budget = coItems.find((i) => i.item_code === p.item_code).budget_days;
    assert.equal(p.state, 'pending');
    assert.equal(p.due_day, await deadline(today(), budget));
  }
  assert.equal((await cg.get(`/api/v1/cases/${c.id}`)).status, 200);
  assert.equal((await zj.get(`/api/v1/cases/${c.id}`)).status, 200);
  assert.equal((await ga.get(`/api/v1/cases/${c.id}`)).status, 404);
  assert.ok((await cg.get('/api/v1/cases?scope=todo&page_size=200')).json.items.some((x) => x.id === c.id));
  assert.equal((await ga.post(`/api/v1/cases/${c.id}/opinion`, { item_code: zjItem.item_code, agree: true })).status, 404);
  assert.equal((await cg.post(`/api/v1/cases/${c.id}/opinion`, { item_code: zjItem.item_code, agree: true })).status, 403);
  r = await cg.post(`/api/v1/cases/${c.id}/opinion`, { item_code: cgItems[0].item_code, agree: false });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'opinion');
  for (const it of cgItems) {
    r = await cg.post(`/api/v1/cases/${c.id}/opinion`, { item_code: it.item_code, agree: true, opinion: '同意设置' });
    assert.equal(r.status, 200, r.text);
  }
  assert.equal((await cg.post(`/api/v1/cases/${c.id}/opinion`, { item_code: cgItems[0].item_code, agree: true })).status, 409);
  await toLastStep(lead, c.id);
  r = await lead.post(`/api/v1/cases/${c.id}/step`, { action: 'approve', opinion: '准予许可' });
  assert.equal(r.status, 409, 'the 住建 opinion is still pending');
  assert.match(r.json.error.message, /未反馈/);

  // A disagreement: approval is blocked, a refusal is still possible.
  const d = await apply(company, { bundle_code: 'KBCYD', materials: bundleMats });
  await window.post(`/api/v1/cases/${d.id}/accept`);
  r = await zj.post(`/api/v1/cases/${d.id}/opinion`, { item_code: zjItem.item_code, agree: false, opinion: '消防设施不符合要求' });
  assert.equal(r.status, 200, r.text);
  await toLastStep(lead, d.id);
  r = await lead.post(`/api/v1/cases/${d.id}/step`, { action: 'approve', opinion: '准予许可' });
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /不同意/);
  r = await lead.post(`/api/v1/cases/${d.id}/step`, { action: 'deny', reason: '消防验收不合格' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 13);

  // A step clock that will run while time passes, and one suspended meanwhile.
  const citizen = await as(srv.base, 'zhangsan');
  const running = await apply(citizen, { item_code: FOOD, materials: all(food) });
  const started = (await window.post(`/api/v1/cases/${running.id}/accept`)).json.steps_clock[0];
  const stopped = await apply(citizen, { item_code: FOOD, materials: all(food) });
  const before = (await window.post(`/api/v1/cases/${stopped.id}/accept`)).json.steps_clock[0];
  r = await lead.post(`/api/v1/cases/${stopped.id}/suspend`, { kind: '检验', reason: '送检食品样品', days: 30 });
  assert.equal(r.status, 200, r.text);
  const suspendedOn = today();

  // Three weeks later the 住建 budget is long spent: the ticker turns its silence into agreement.
  offsetDays += 21;
  srv.advance(offsetDays * 86400);
  let zjRow;
  for (let i = 0; i < 50; i++) {
    zjRow = (await lead.get(`/api/v1/cases/${c.id}`)).json.parallel.find((p) => p.item_code === zjItem.item_code);
    if (zjRow.state !== 'pending') break;
    await new Promise((res) => setTimeout(res, 200));
  }
  assert.equal(zjRow.state, 'default_agreed');
  const cs = (await lead.get(`/api/v1/cases/${c.id}`)).json;
  const ev = cs.events.find((e) => e.action === 'default_agree');
  assert.equal(ev.actor, 'system');
  assert.equal(ev.data.item_code, zjItem.item_code);
  assert.deepEqual(cs.parallel.filter((p) => p.state === 'agreed').map((p) => p.item_code).sort(), cgItems.map((i) => i.item_code).sort());
  r = await lead.post(`/api/v1/cases/${c.id}/step`, { action: 'approve', note: '准予许可' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 11);
  const dd = (await lead.get(`/api/v1/cases/${d.id}`)).json;
  assert.equal(dd.parallel.find((p) => p.item_code === zjItem.item_code).state, 'disagreed', 'a given opinion stays');

  // The running step: used and remaining counted on the working-day calendar.
  const k = (await lead.get(`/api/v1/cases/${running.id}`)).json.steps_clock[0];
  assert.equal(k.used_workdays, await between(started.started_day, today()));
  assert.equal(k.remaining_workdays, -(await between(k.due_day, today())));
  // The suspended step: resumed today, its due day moves by exactly the working days stopped.
  r = await lead.post(`/api/v1/cases/${stopped.id}/resume`, { note: '检验合格' });
  assert.equal(r.status, 200, r.text);
  const moved = await between(suspendedOn, today());
  assert.equal(r.json.events.at(-1).data.suspended_workdays, moved);
  const after = r.json.steps_clock[0];
  assert.equal(after.suspended_workdays, moved);
  assert.equal(after.due_day, await deadline(before.due_day, moved));
  assert.equal(after.used_workdays, 0, 'stopped the day it started');
});

test('the audit trail is intact after all the flows', async () => {
  await srv.stop();
  assert.match(cli(srv, ['audit', 'verify']), /intact/);
});
