// 12345 hotline over real HTTP (docs/domain.md §9, docs/api.md "Hotline"): intake from every
// channel, dispatch to a lead unit and co-units, 签收, 退单 and 改派, 延期, 答复, 退回重办, 办结,
// 回访, 重办 (once), 并单 with duplicate candidates, 督办, 会商, the public form and its follow-up by
// query code, the call centre's pushed events, 422 with nothing stored and 409 with a reason.
// The server's clock is set to Tuesday 2026-09-29 10:00 (China time), just before the National Day
// holiday (Oct 1-7 off, Oct 10 a make-up working day), so every deadline below crosses it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, cli, sqlValue } from './helpers.mjs';

const T0 = Date.UTC(2026, 8, 29, 2, 0, 0) / 1000; // 2026-09-29 10:00 +08:00
const endOf = (y, m, d) => Date.UTC(y, m - 1, d, 23, 59, 59) / 1000 - 8 * 3600;

let srv, op, admin, sup, u1, u2, u3, anon, units;
before(async () => {
  srv = await startServer({ clock: true, config: { tick_seconds: 1 } });
  srv.advance(T0 - Math.floor(Date.now() / 1000));
  op = await as(srv.base, 'rexian01');
  admin = await as(srv.base, 'center_admin');
  sup = await as(srv.base, 'jiandu01');
  u1 = await as(srv.base, 'chengban01'); // 长沙市城市管理和综合执法局
  u2 = await as(srv.base, 'chengban02'); // 长沙市住房和城乡建设局
  u3 = await as(srv.base, 'chengban03'); // 芙蓉区民政局
  anon = new Client(srv.base);
  const d = (await anon.get('/api/v1/departments')).json.items;
  const id = (name) => d.find((x) => x.name === name).id;
  units = { cg: id('长沙市城市管理和综合执法局'), zj: id('长沙市住房和城乡建设局'), mz: id('芙蓉区民政局'), hb: id('长沙市生态环境局') };
});
after(() => srv.stop());

const count = (table) => Number(sqlValue(srv, `SELECT COUNT(*) AS n FROM ${table}`));

let seq = 0;
async function newOrder(body = {}) {
  seq += 1;
  const r = await op.post('/api/v1/hotline/orders', {
    channel: 'phone', category: 'complaint', caller_name: '王先生', caller_phone: `1397310${String(seq).padStart(4, '0')}`,
    text: `芙蓉区文艺路某小区门口夜间施工噪音扰民，第${seq}次反映`, district: '430102', ...body,
  });
  assert.equal(r.status, 201, r.text);
  // the 201 is the receipt; the whole order is its GET
  const o = await op.get(`/api/v1/hotline/orders/${r.json.id}`);
  assert.equal(o.status, 200, o.text);
  return { ...o.json, query_code: r.json.query_code };
}

test('phone intake: the receipt, number, query code, the caller’s earlier orders, list by phone', async () => {
  const r = await op.post('/api/v1/hotline/orders', { channel: 'phone', category: 'consult', text: '请问公积金怎么提取？' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['created_at', 'id', 'number', 'query_code', 'state', 'state_label']);
  assert.equal(r.json.state, 'pending');
  assert.equal(r.json.state_label, '待派单');
  const got = (await op.get(`/api/v1/hotline/orders/${r.json.id}`)).json;
  assert.equal(got.number, r.json.number);
  assert.equal(got.created_at, r.json.created_at);
  const a = await newOrder({ caller_phone: '0731-8888 0001', category: 'consult', text: '请问办理居住证需要带哪些材料？' });
  assert.match(a.number, /^RX20260929\d{5}$/);
  assert.equal(a.state, 'pending');
  assert.equal(a.state_label, '待派单');
  assert.equal(a.channel_label, '12345电话');
  assert.equal(a.category_label, '咨询');
  assert.equal(a.caller_phone, '073188880001');
  assert.match(a.query_code, /^[2-9A-HJKMNP-Z]{12}$/);
  assert.equal(a.title, '请问办理居住证需要带哪些材料？', 'the title defaults to the start of the text');
  assert.equal(a.steps.length, 1);
  assert.equal(a.steps[0].action_label, '受理');
  const b = await newOrder({ caller_phone: '073188880001', category: 'help', text: '家中老人走失，请求帮助寻找' });
  assert.deepEqual(b.earlier.map((e) => e.number), [a.number], 'the console shows the caller’s earlier orders');
  const l = await op.get('/api/v1/hotline/orders?phone=0731-88880001');
  assert.equal(l.json.total, 2);
  // the query code is shown once and stored only as a hash
  assert.equal(Number(sqlValue(srv, `SELECT COUNT(*) AS n FROM hotline_orders WHERE query_hash = '${a.query_code}'`)), 0);
  assert.equal((await op.get(`/api/v1/hotline/orders/${a.id}`)).json.query_code, undefined);
});

test('直接办结: on the spot at intake, or from pending; not twice', async () => {
  const a = await newOrder({ category: 'consult', answer: '居住证在户籍派出所办理，带身份证和居住证明即可。' });
  assert.equal(a.state, 'closed');
  assert.equal(a.direct, true);
  assert.deepEqual(a.steps.map((s) => s.action), ['create', 'direct_close']);
  const b = await newOrder({ category: 'consult' });
  let r = await op.post(`/api/v1/hotline/orders/${b.id}/direct-close`, { answer: '已告知市民向所在街道咨询。' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'closed');
  r = await op.post(`/api/v1/hotline/orders/${b.id}/direct-close`, { answer: '再次办结试试看。' });
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /已办结/);
});

test('operator channels: 微建议, 人民网留言 and media need their source; open311 is not a console channel', async () => {
  let r = await op.post('/api/v1/hotline/orders', { channel: 'wechat', category: 'suggestion', text: '建议在地铁站增设非机动车停放点' });
  assert.equal(r.status, 422);
  assert.ok(r.json.error.details.some((d) => d.field === 'source_name'));
  r = await op.post('/api/v1/hotline/orders', {
    channel: 'wechat', source_name: '市政协微建议', category: 'suggestion', text: '建议在地铁站增设非机动车停放点',
  });
  assert.equal(r.status, 201);
  r = await op.get(`/api/v1/hotline/orders/${r.json.id}`);
  assert.equal(r.json.channel_label, '微建议');
  assert.equal(r.json.source_name, '市政协微建议');
  for (const [channel, label] of [['people_cn', '人民网留言'], ['media', '媒体信箱'], ['mayor_mailbox', '市长信箱'], ['web', '网上留言']]) {
    r = await op.post('/api/v1/hotline/orders', { channel, source_name: '长沙晚报', category: 'complaint', text: '反映某路段路灯长期不亮' });
    assert.equal(r.status, 201, channel);
    assert.equal((await op.get(`/api/v1/hotline/orders/${r.json.id}`)).json.channel_label, label);
  }
  r = await op.post('/api/v1/hotline/orders', { channel: 'open311', category: 'complaint', text: '反映某路段路灯长期不亮' });
  assert.equal(r.status, 422);
});

test('bad input: 422 naming each field in Chinese, nothing stored', async () => {
  const before = [count('hotline_orders'), count('hotline_steps'), count('hotline_serials'), count('audit')];
  const r = await op.post('/api/v1/hotline/orders', {
    channel: 'fax', category: 'gossip', text: '短', caller_phone: 'abc', lat: 200, district: '999999',
  });
  assert.equal(r.status, 422);
  const fields = r.json.error.details.map((d) => d.field);
  for (const f of ['channel', 'category', 'text', 'caller_phone', 'lat']) assert.ok(fields.includes(f), f);
  assert.ok(r.json.error.details.every((d) => /[\u4e00-\u9fa5]/.test(d.message)));
  // the district is checked against the regions inside the transaction: still nothing stored
  const r2 = await op.post('/api/v1/hotline/orders', { channel: 'phone', category: 'help', text: '请求帮助处理下水道堵塞', district: '999999' });
  assert.equal(r2.status, 422);
  assert.equal(r2.json.error.details[0].field, 'district');
  assert.deepEqual([count('hotline_orders'), count('hotline_steps'), count('hotline_serials'), count('audit')], before);
  // a step with bad input stores nothing either
  const o = await newOrder();
  const n = [count('hotline_steps'), count('hotline_order_units')];
  let s = await op.post(`/api/v1/hotline/orders/${o.id}/dispatch`, { unit_id: 999999 });
  assert.equal(s.status, 422);
  assert.equal(s.json.error.details[0].field, 'unit_id');
  s = await op.post(`/api/v1/hotline/orders/${o.id}/dispatch`, { unit_id: units.cg, co_unit_ids: [units.cg] });
  assert.equal(s.status, 422);
  s = await op.post(`/api/v1/hotline/orders/${o.id}/dispatch`, {});
  assert.equal(s.status, 422);
  assert.deepEqual([count('hotline_steps'), count('hotline_order_units')], n);
  assert.equal((await op.get(`/api/v1/hotline/orders/${o.id}`)).json.state, 'pending');
});

test('dispatch across the National Day holiday: sign-for by the end of the next working day, 投诉 10 working days, 咨询 2', async () => {
  const o = await newOrder({ category: 'complaint' });
  const r = await op.post(`/api/v1/hotline/orders/${o.id}/dispatch`, { unit_id: units.cg, note: '请核实处理' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'dispatched');
  assert.equal(r.json.unit_id, units.cg);
  assert.equal(r.json.sign_due_at, endOf(2026, 9, 30));
  // Sep 30, Oct 8, 9, 10 (make-up), 12, 13, 14, 15, 16, 19
  assert.equal(r.json.due_at, endOf(2026, 10, 19));
  assert.equal(r.json.limit_days, 10);
  const c = await newOrder({ category: 'consult' });
  const rc = await op.post(`/api/v1/hotline/orders/${c.id}/dispatch`, { unit_id: units.cg });
  assert.equal(rc.json.due_at, endOf(2026, 10, 8), '咨询: Sep 30 and Oct 8');
  const h = await newOrder({ category: 'help' });
  const rh = await op.post(`/api/v1/hotline/orders/${h.id}/dispatch`, { unit_id: units.cg });
  assert.equal(rh.json.due_at, endOf(2026, 10, 12), '求助: Sep 30, Oct 8, 9, 10, 12');
  // an urgent order is due two clock hours after dispatch, holiday or not
  const u = await newOrder({ category: 'help', urgent: true, text: '小区地下室进水，电梯井有被淹风险' });
  const ru = await op.post(`/api/v1/hotline/orders/${u.id}/dispatch`, { unit_id: units.cg });
  assert.equal(ru.json.limit_hours, 2);
  assert.ok(Math.abs(ru.json.due_at - (ru.json.dispatched_at + 7200)) <= 1);
  assert.ok(ru.json.sign_due_at <= ru.json.due_at);
  const s = await op.get('/api/v1/hotline/settings');
  assert.deepEqual(s.json.limit_days, { consult: 2, help: 5, complaint: 10, report: 10, suggestion: 10, praise: 5 });
});

test('a unit sees only orders dispatched to it; sign-for by lead and co-unit; the co-unit’s opinion', async () => {
  const o = await newOrder();
  let r = await op.post(`/api/v1/hotline/orders/${o.id}/dispatch`, { unit_id: units.cg, co_unit_ids: [units.zj] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.units.map((x) => [x.unit_id, x.role, x.active]), [[units.cg, 'lead', 1], [units.zj, 'co', 1]]);
  assert.equal((await u3.get(`/api/v1/hotline/orders/${o.id}`)).status, 404, 'another unit does not see it');
  assert.ok(!(await u3.get('/api/v1/hotline/orders?page_size=200')).json.items.some((x) => x.id === o.id));
  assert.ok((await u1.get('/api/v1/hotline/orders?todo=1&page_size=200')).json.items.some((x) => x.id === o.id));
  // the co-unit cannot reply or return
  r = await u2.post(`/api/v1/hotline/orders/${o.id}/reply`, { text: '协办单位试图直接答复此工单。' });
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /协办单位/);
  r = await u2.post(`/api/v1/hotline/orders/${o.id}/sign`);
  assert.equal(r.status, 200);
  assert.equal(r.json.state, 'dispatched', 'the co-unit’s sign-for does not move the order');
  r = await u2.post(`/api/v1/hotline/orders/${o.id}/opinion`, { text: '经查该工地已办理夜间施工许可，许可时段至22时。' });
  assert.equal(r.status, 200, r.text);
  r = await u1.post(`/api/v1/hotline/orders/${o.id}/sign`);
  assert.equal(r.status, 200);
  assert.equal(r.json.state, 'handling');
  assert.equal(r.json.steps.at(-1).overdue, false);
  r = await u1.post(`/api/v1/hotline/orders/${o.id}/sign`);
  assert.equal(r.status, 409);
  r = await u1.get(`/api/v1/hotline/orders/${o.id}`);
  assert.equal(r.json.units.find((x) => x.unit_id === units.zj).opinion, '经查该工地已办理夜间施工许可，许可时段至22时。');
});

test('退单 with reasons; the centre rejects an unjustified return or re-dispatches (改派); time counted against each party', async () => {
  const o = await newOrder();
  await op.post(`/api/v1/hotline/orders/${o.id}/dispatch`, { unit_id: units.mz });
  let r = await u3.post(`/api/v1/hotline/orders/${o.id}/return`, { reason: '短' });
  assert.equal(r.status, 422);
  r = await u3.post(`/api/v1/hotline/orders/${o.id}/return`, { reason: '施工噪音不属于民政职责，应由城管执法部门处理', suggested_unit_id: units.cg });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'returned');
  assert.equal(r.json.returns[0].state, 'pending');
  assert.equal(r.json.returns[0].suggested_unit_id, units.cg);
  // the unit cannot act while the centre reviews
  assert.equal((await u3.post(`/api/v1/hotline/orders/${o.id}/reply`, { text: '退单后又想直接答复此工单。' })).status, 409);
  // the centre must give a reason to reject
  r = await op.post(`/api/v1/hotline/orders/${o.id}/return-review`, { accept: false });
  assert.equal(r.status, 422);
  r = await op.post(`/api/v1/hotline/orders/${o.id}/return-review`, { accept: false, note: '该小区居民求助事项属民政职责，请继续办理' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'dispatched', 'never signed: back to 待签收');
  assert.equal(r.json.returns[0].state, 'rejected');
  // returned again after signing, now accepted with 改派 to the suggested unit
  await u3.post(`/api/v1/hotline/orders/${o.id}/sign`);
  r = await u3.post(`/api/v1/hotline/orders/${o.id}/return`, { reason: '经核实确属城管执法职责，请改派' });
  assert.equal(r.json.state, 'returned');
  r = await op.post(`/api/v1/hotline/orders/${o.id}/return-review`, { accept: true, unit_id: units.mz });
  assert.equal(r.status, 409, 'not back to the unit that returned it');
  r = await op.post(`/api/v1/hotline/orders/${o.id}/return-review`, { accept: true, unit_id: units.cg, note: '改派城管' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'dispatched');
  assert.equal(r.json.unit_id, units.cg);
  assert.equal(r.json.return_count, 2);
  assert.equal(r.json.returns[1].state, 'accepted');
  assert.deepEqual(r.json.units.map((x) => [x.unit_id, x.active]), [[units.cg, 1], [units.mz, 0]]);
  const redispatch = r.json.steps.at(-1);
  assert.equal(redispatch.action, 'redispatch');
  assert.equal(redispatch.action_label, '改派');
  assert.equal(redispatch.party, 'centre', 'the review time counts against the centre');
  const ret = r.json.steps.find((s) => s.action === 'return');
  assert.equal(ret.party, 'unit');
  assert.equal(ret.party_unit_id, units.mz, 'the time before a return counts against the returning unit');
  // the earlier unit still sees the history but can no longer act
  assert.equal((await u3.get(`/api/v1/hotline/orders/${o.id}`)).status, 200);
  assert.equal((await u3.post(`/api/v1/hotline/orders/${o.id}/sign`)).status, 403);
  // 改派 without a return, straight from the console
  await u1.post(`/api/v1/hotline/orders/${o.id}/sign`);
  r = await op.post(`/api/v1/hotline/orders/${o.id}/dispatch`, { unit_id: units.hb, note: '噪音监测归生态环境局' });
  assert.equal(r.status, 200);
  assert.equal(r.json.state, 'dispatched');
  assert.equal(r.json.steps.at(-1).party_unit_id, units.cg);
});

test('延期: asked by the lead unit, approved in working days (past the holiday) or refused', async () => {
  const o = await newOrder({ category: 'consult' });
  await op.post(`/api/v1/hotline/orders/${o.id}/dispatch`, { unit_id: units.cg });
  let r = await u1.post(`/api/v1/hotline/orders/${o.id}/extension`, { days: 3, reason: '需现场核查' });
  assert.equal(r.status, 409, 'sign for it first');
  await u1.post(`/api/v1/hotline/orders/${o.id}/sign`);
  r = await u1.post(`/api/v1/hotline/orders/${o.id}/extension`, { reason: '需现场核查' });
  assert.equal(r.status, 422);
  r = await u1.post(`/api/v1/hotline/orders/${o.id}/extension`, { days: 3, reason: '需组织相关部门现场核查' });
  assert.equal(r.status, 200, r.text);
  const ext = r.json.extensions[0];
  assert.equal(ext.state, 'pending');
  r = await u1.post(`/api/v1/hotline/orders/${o.id}/extension`, { days: 2, reason: '再申请一次延期试试' });
  assert.equal(r.status, 409);
  assert.equal((await op.post(`/api/v1/hotline/extensions/${ext.id}/decide`, { approve: true })).status, 403, 'the centre admin decides');
  r = await admin.post(`/api/v1/hotline/extensions/${ext.id}/decide`, { approve: true, note: '同意' });
  assert.equal(r.status, 200, r.text);
  // due Oct 8 + 3 working days: Oct 9, 10 (make-up), 12
  assert.equal(r.json.due_at, endOf(2026, 10, 12));
  assert.equal(r.json.extensions[0].state, 'approved');
  assert.equal(r.json.extensions[0].old_due_at, endOf(2026, 10, 8));
  assert.equal((await admin.post(`/api/v1/hotline/extensions/${ext.id}/decide`, { approve: false })).status, 409);
  r = await u1.post(`/api/v1/hotline/orders/${o.id}/extension`, { days: 5, reason: '仍需协调，再次申请延期' });
  r = await admin.post(`/api/v1/hotline/extensions/${r.json.extensions[1].id}/decide`, { approve: false, note: '理由不充分' });
  assert.equal(r.json.due_at, endOf(2026, 10, 12), 'a refusal leaves the due time');
  assert.equal(r.json.extensions[1].state, 'refused');
  // a request still waiting when the order is re-dispatched is settled: the new unit has a new limit
  r = await u1.post(`/api/v1/hotline/orders/${o.id}/extension`, { days: 2, reason: '第三次申请延期，等待审批' });
  assert.equal(r.json.extensions[2].state, 'pending');
  r = await op.post(`/api/v1/hotline/orders/${o.id}/dispatch`, { unit_id: units.zj });
  assert.equal(r.json.extensions[2].state, 'refused');
  assert.equal(r.json.due_at, endOf(2026, 10, 8));
  assert.equal((await admin.post(`/api/v1/hotline/extensions/${r.json.extensions[2].id}/decide`, { approve: true })).status, 409);
  // a co-unit cannot sign for a closed order
  const c = await newOrder({ category: 'consult' });
  await op.post(`/api/v1/hotline/orders/${c.id}/dispatch`, { unit_id: units.cg, co_unit_ids: [units.zj] });
  await u1.post(`/api/v1/hotline/orders/${c.id}/sign`);
  await u1.post(`/api/v1/hotline/orders/${c.id}/reply`, { text: '已电话答复市民相关政策及办理流程。' });
  await op.post(`/api/v1/hotline/orders/${c.id}/review`, { approve: true });
  r = await u2.post(`/api/v1/hotline/orders/${c.id}/sign`);
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /不能签收/);
  assert.equal((await admin.post('/api/v1/hotline/extensions/999999/decide', { approve: true })).status, 404);
});

test('答复, 退回重办 with a reason, 办结, 回访 不满意 and 重办 once', async () => {
  const o = await newOrder();
  await op.post(`/api/v1/hotline/orders/${o.id}/dispatch`, { unit_id: units.cg });
  await u1.post(`/api/v1/hotline/orders/${o.id}/sign`);
  let r = await u1.post(`/api/v1/hotline/orders/${o.id}/reply`, { text: '已处理' });
  assert.equal(r.status, 422, 'an empty answer is refused');
  r = await u1.post(`/api/v1/hotline/orders/${o.id}/reply`, { text: '已转相关部门处理，请耐心等待。' });
  assert.equal(r.json.state, 'replied');
  r = await op.post(`/api/v1/hotline/orders/${o.id}/review`, { approve: false });
  assert.equal(r.status, 422);
  r = await op.post(`/api/v1/hotline/orders/${o.id}/review`, { approve: false, reason: '答复推诿，未说明核查结果和处理措施' });
  assert.equal(r.status, 200);
  assert.equal(r.json.state, 'handling');
  assert.equal(r.json.steps.at(-1).action_label, '退回重办');
  // the public sees no reply until 办结
  const reply = '经现场核查，该工地超时施工属实，已责令停止夜间作业并处罚款，后续将加强巡查。';
  r = await u1.post(`/api/v1/hotline/orders/${o.id}/reply`, { text: reply });
  r = await op.post(`/api/v1/hotline/orders/${o.id}/review`, { approve: true });
  assert.equal(r.status, 200);
  assert.equal(r.json.state, 'closed');
  assert.equal(r.json.reply, reply);
  assert.equal(r.json.callback_due_at, endOf(2026, 10, 9), '回访 within 3 working days: Sep 30, Oct 8, 9');
  assert.equal((await u1.post(`/api/v1/hotline/orders/${o.id}/reply`, { text: reply })).status, 409);
  // 回访: not reached, then reached
  r = await op.post(`/api/v1/hotline/orders/${o.id}/callback`, { reached: false, note: '无人接听' });
  assert.equal(r.status, 200);
  assert.equal(r.json.state, 'closed');
  r = await op.post(`/api/v1/hotline/orders/${o.id}/callback`, { satisfaction: 'unhappy', solved: 'no' });
  assert.equal(r.status, 422);
  r = await op.post(`/api/v1/hotline/orders/${o.id}/callback`, { satisfaction: 'dissatisfied', solved: false, note: '仍有夜间施工' });
  assert.equal(r.status, 200);
  assert.equal(r.json.state, 'visited');
  assert.equal(r.json.satisfaction_label, '不满意');
  assert.equal(r.json.solved, false);
  assert.equal(r.json.callbacks.length, 2);
  // 重办 is the centre admin's decision
  assert.equal((await op.post(`/api/v1/hotline/orders/${o.id}/reopen`, { note: '市民不满意' })).status, 403);
  r = await admin.post(`/api/v1/hotline/orders/${o.id}/reopen`, { note: '回访不满意，夜间施工仍未停止，重办' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'dispatched');
  assert.equal(r.json.reopen_count, 1);
  assert.equal(r.json.satisfaction, null);
  assert.ok(r.json.due_at > endOf(2026, 10, 19) - 86400 * 2);
  await u1.post(`/api/v1/hotline/orders/${o.id}/sign`);
  await u1.post(`/api/v1/hotline/orders/${o.id}/reply`, { text: '已对工地负责人约谈并安装噪声监测设备，夜间施工已停止。' });
  await op.post(`/api/v1/hotline/orders/${o.id}/review`, { approve: true });
  await op.post(`/api/v1/hotline/orders/${o.id}/callback`, { satisfaction: 'dissatisfied', solved: false });
  r = await admin.post(`/api/v1/hotline/orders/${o.id}/reopen`, { note: '再次重办' });
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /重办过一次/);
  // a satisfied order is not reopened
  const s = await newOrder({ category: 'consult', answer: '已答复市民相关政策，市民表示认可。' });
  await op.post(`/api/v1/hotline/orders/${s.id}/callback`, { satisfaction: 'satisfied', solved: true });
  r = await admin.post(`/api/v1/hotline/orders/${s.id}/reopen`, { note: '试图重办满意工单' });
  assert.equal(r.status, 409);
});

test('并单: duplicate candidates by text, place and time; merged orders follow the main order’s reply', async () => {
  const text = '岳麓区望月湖小区三栋楼下垃圾站长期不清运，臭气熏天，蚊蝇滋生';
  const main = await newOrder({ text, address: '岳麓区望月湖小区三栋', district: '430104' });
  const dup = await newOrder({ text: '望月湖小区三栋楼下垃圾站长期不清运，臭味很大', address: '岳麓区望月湖小区三栋', district: '430104' });
  const other = await newOrder({ text: '询问新生儿医保参保办理流程和所需材料', category: 'consult', district: '430104' });
  let r = await op.get(`/api/v1/hotline/orders/${dup.id}/duplicates`);
  assert.equal(r.status, 200);
  assert.equal(r.json.items[0].id, main.id);
  assert.equal(r.json.items[0].same_address, true);
  assert.ok(r.json.items[0].similarity > 0.4);
  assert.ok(!r.json.items.some((x) => x.id === other.id));
  await op.post(`/api/v1/hotline/orders/${main.id}/dispatch`, { unit_id: units.cg });
  r = await op.post(`/api/v1/hotline/orders/${dup.id}/merge`, { into: dup.id });
  assert.equal(r.status, 409);
  r = await op.post(`/api/v1/hotline/orders/${dup.id}/merge`, { into: main.id });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'merged');
  assert.equal(r.json.merged_into_number, main.number);
  r = await op.post(`/api/v1/hotline/orders/${other.id}/merge`, { into: dup.id });
  assert.equal(r.status, 409, 'not into a merged order');
  // a return still waiting is settled by the merge
  const third = await newOrder({ text: '望月湖小区三栋垃圾站不清运，垃圾堆满了', address: '岳麓区望月湖小区三栋', district: '430104' });
  await op.post(`/api/v1/hotline/orders/${third.id}/dispatch`, { unit_id: units.mz });
  await u3.post(`/api/v1/hotline/orders/${third.id}/return`, { reason: '垃圾清运不属于民政职责' });
  r = await op.post(`/api/v1/hotline/orders/${third.id}/merge`, { into: main.id });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.returns[0].state, 'accepted');
  assert.ok(r.json.units.every((x) => x.active === 0));
  const m = (await op.get(`/api/v1/hotline/orders/${main.id}`)).json;
  assert.deepEqual(m.merged.map((x) => x.id), [dup.id, third.id]);
  await u1.post(`/api/v1/hotline/orders/${main.id}/sign`);
  const reply = '已督促环卫公司每日清运两次并对垃圾站消杀，问题已解决。';
  await u1.post(`/api/v1/hotline/orders/${main.id}/reply`, { text: reply });
  await op.post(`/api/v1/hotline/orders/${main.id}/review`, { approve: true });
  r = await op.get(`/api/v1/hotline/orders/${dup.id}`);
  assert.equal(r.json.state, 'closed');
  assert.equal(r.json.reply, reply);
  r = await op.post(`/api/v1/hotline/orders/${dup.id}/callback`, { satisfaction: 'basic', solved: true });
  assert.equal(r.json.state, 'visited');
});

test('督办 by supervisors and the centre; 会商 by the centre admin', async () => {
  const o = await newOrder();
  await op.post(`/api/v1/hotline/orders/${o.id}/dispatch`, { unit_id: units.cg });
  let r = await sup.post(`/api/v1/hotline/orders/${o.id}/supervise`, { note: '请加快办理，按时答复' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.supervise_count, 1);
  assert.equal(r.json.steps.at(-1).action_label, '督办');
  assert.equal((await op.post(`/api/v1/hotline/orders/${o.id}/supervise`, { note: '话务员督办' })).status, 403);
  assert.equal((await sup.post(`/api/v1/hotline/orders/${o.id}/supervise`, {})).status, 422);
  r = await admin.post(`/api/v1/hotline/orders/${o.id}/consultations`, {
    unit_ids: [units.cg, units.zj, units.hb], meeting_at: T0 + 86400, place: '市政务服务中心三楼会议室',
    hard_class: '职责交叉', decision: '由城管执法局牵头，住建局配合，三日内联合执法', lead_unit_id: units.cg,
  });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.consultations[0].unit_ids, [units.cg, units.zj, units.hb]);
  assert.equal(r.json.consultations[0].lead_unit, '长沙市城市管理和综合执法局');
  r = await admin.post(`/api/v1/hotline/orders/${o.id}/consultations`, { unit_ids: [], decision: '' });
  assert.equal(r.status, 422);
  const done = await newOrder({ answer: '已当场答复市民，无需派单。' });
  assert.equal((await sup.post(`/api/v1/hotline/orders/${done.id}/supervise`, { note: '督办已办结工单' })).status, 409);
});

test('the public form: number and query code; the follow-up shows state and the published reply, never personal data', async () => {
  let r = await anon.post('/api/v1/hotline/public/orders', { category: 'complaint', title: '路灯不亮', text: '短' });
  assert.equal(r.status, 422);
  const fields = r.json.error.details.map((d) => d.field);
  assert.ok(fields.includes('text') && fields.includes('caller_name') && fields.includes('caller_phone'));
  r = await anon.post('/api/v1/hotline/public/orders', {
    channel: 'mayor_mailbox', category: 'complaint', title: '路灯不亮', text: '芙蓉中路二段人行道路灯已连续一周不亮，夜间行人不安全。',
    caller_name: '赵女士', caller_phone: '13912345678', address: '芙蓉中路二段', district: '430102',
  });
  assert.equal(r.status, 201, r.text);
  const { number, query_code: code } = r.json;
  assert.match(number, /^RX\d{13}$/);
  assert.equal(r.json.id, undefined);
  let g = await anon.get(`/api/v1/hotline/public/orders/${number}?code=${code}`);
  assert.equal(g.status, 200);
  assert.equal(g.json.status, '已受理');
  assert.equal(g.json.title, '路灯不亮');
  assert.equal(g.json.reply, null);
  assert.ok(!/赵女士|13912345678|芙蓉中路二段/.test(g.text), 'no personal data');
  assert.equal((await anon.get(`/api/v1/hotline/public/orders/${number}?code=AAAAAAAAAAAA`)).status, 404);
  assert.equal((await anon.get(`/api/v1/hotline/public/orders/${number}`)).status, 404);
  // the centre handles it like any order
  const id = (await op.get(`/api/v1/hotline/orders?q=${number}`)).json.items[0].id;
  const full = (await op.get(`/api/v1/hotline/orders/${id}`)).json;
  assert.equal(full.channel, 'mayor_mailbox');
  assert.equal(full.caller_name, '赵女士');
  await op.post(`/api/v1/hotline/orders/${id}/dispatch`, { unit_id: units.cg });
  g = await anon.get(`/api/v1/hotline/public/orders/${number}?code=${code.toLowerCase()}`);
  assert.equal(g.json.status, '办理中');
  await u1.post(`/api/v1/hotline/orders/${id}/sign`);
  await u1.post(`/api/v1/hotline/orders/${id}/reply`, { text: '已安排路灯维修班组更换损坏灯具，路灯已恢复照明。' });
  g = await anon.get(`/api/v1/hotline/public/orders/${number}?code=${code}`);
  assert.equal(g.json.reply, null, 'not published before the centre’s check');
  await op.post(`/api/v1/hotline/orders/${id}/review`, { approve: true });
  g = await anon.get(`/api/v1/hotline/public/orders/${number}?code=${code}`);
  assert.equal(g.json.status, '已办结');
  assert.equal(g.json.reply, '已安排路灯维修班组更换损坏灯具，路灯已恢复照明。');
  assert.equal(g.json.reply_unit, '长沙市城市管理和综合执法局');
  // a confidential (保密) order shows its state only; the unit does not see who called
  r = await anon.post('/api/v1/hotline/public/orders', {
    category: 'report', title: '举报违建', text: '某小区顶楼有人违规加盖房屋，已持续施工一个月。', caller_name: '匿名市民',
    caller_phone: '13912345679', confidential: true,
  });
  g = await anon.get(`/api/v1/hotline/public/orders/${r.json.number}?code=${r.json.query_code}`);
  assert.equal(g.json.confidential, true);
  assert.equal(g.json.title, undefined);
  assert.equal(g.json.reply, undefined);
  const cid = (await op.get(`/api/v1/hotline/orders?q=${r.json.number}`)).json.items[0].id;
  await op.post(`/api/v1/hotline/orders/${cid}/dispatch`, { unit_id: units.cg });
  const seen = (await u1.get(`/api/v1/hotline/orders/${cid}`)).json;
  assert.equal(seen.caller_name, '（保密）');
  assert.equal(seen.caller_phone, '');
  assert.ok(!/13912345679/.test(JSON.stringify((await u1.get('/api/v1/hotline/orders?page_size=200')).json)));
});

test('the call centre pushes call events with its API key; an order taken from the call links it', async () => {
  const key = cli(srv, ['hotline', 'key', 'add', '呼叫中心一期']).trim();
  assert.match(key, /^hk_/);
  const ev = { call_id: 'CALL-0001', caller: '13807310099', agent: '1024', started_at: T0, recording_url: '' };
  let r = await anon.post('/api/v1/hotline/call-events', ev);
  assert.equal(r.status, 401);
  r = await anon.req('POST', '/api/v1/hotline/call-events', ev, { 'X-API-Key': 'hk_wrong' });
  assert.equal(r.status, 401);
  r = await anon.req('POST', '/api/v1/hotline/call-events', ev, { 'X-API-Key': key });
  assert.equal(r.status, 201, r.text);
  r = await anon.req('POST', '/api/v1/hotline/call-events', { ...ev, ended_at: T0 + 180, recording_url: 'https://cc.example.gov.cn/rec/CALL-0001.mp3' }, { 'X-API-Key': key });
  assert.equal(r.status, 200, 'the same call again updates it');
  r = await anon.req('POST', '/api/v1/hotline/call-events', { ...ev, call_id: 'CALL-0002', ended_at: T0 - 10, recording_url: 'javascript:x' }, { 'X-API-Key': key });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.field).sort(), ['ended_at', 'recording_url']);
  const o = await newOrder({ caller_phone: '13807310099', call_id: 'CALL-0001' });
  const calls = (await op.get('/api/v1/hotline/calls?caller=13807310099')).json.items;
  assert.equal(calls.length, 1);
  assert.equal(calls[0].order_number, o.number);
  assert.equal(calls[0].ended_at, T0 + 180);
  assert.equal(Number(sqlValue(srv, "SELECT COUNT(*) AS n FROM hotline_clients WHERE key_hash LIKE 'hk_%'")), 0, 'stored hashed');
  // a revoked key is refused
  const id = cli(srv, ['hotline', 'key', 'list']).trim().split(/\s+/)[0];
  cli(srv, ['hotline', 'key', 'revoke', id]);
  r = await anon.req('POST', '/api/v1/hotline/call-events', { ...ev, call_id: 'CALL-0003' }, { 'X-API-Key': key });
  assert.equal(r.status, 401);
});

test('the matter classification: a tree the centre admin edits', async () => {
  let r = await admin.post('/api/v1/hotline/matters', { name: '测试分类' });
  assert.equal(r.status, 201);
  const top = r.json.id;
  r = await admin.post('/api/v1/hotline/matters', { name: '夜间施工', parent_id: top });
  const leaf = r.json.id;
  assert.equal((await admin.post('/api/v1/hotline/matters', { name: '夜间施工', parent_id: top })).status, 422);
  assert.equal((await admin.put(`/api/v1/hotline/matters/${top}`, { name: '测试分类', parent_id: leaf })).status, 422, 'no cycles');
  assert.equal((await op.post('/api/v1/hotline/matters', { name: '话务员新增' })).status, 403);
  const o = await newOrder({ matter_id: leaf });
  assert.equal(o.matter, '夜间施工');
  r = await admin.put(`/api/v1/hotline/matters/${leaf}`, { name: '夜间施工', parent_id: top, active: false });
  assert.equal(r.status, 200);
  r = await op.post('/api/v1/hotline/orders', { channel: 'phone', category: 'complaint', text: '工地夜间施工扰民', matter_id: leaf });
  assert.equal(r.status, 422, 'an inactive matter is not offered');
  assert.ok(!(await op.get('/api/v1/hotline/matters')).json.items.some((m) => m.id === leaf));
  assert.ok((await op.get('/api/v1/hotline/matters?all=1')).json.items.some((m) => m.id === leaf));
});

test('permission matrix: the four hotline roles, other staff and the anonymous', async () => {
  const o = await newOrder();
  await op.post(`/api/v1/hotline/orders/${o.id}/dispatch`, { unit_id: units.cg });
  const clerk = await as(srv.base, 'window01');
  const applicant = await as(srv.base, 'zhangsan');
  const who = { anonymous: anon, hotline_operator: op, handling_unit: u1, center_admin: admin, supervisor: sup, clerk, applicant };
  // [method, path, body, roles that get past the permission check]
  const cases = [
    ['GET', '/api/v1/hotline/orders', undefined, ['hotline_operator', 'handling_unit', 'center_admin', 'supervisor']],
    ['GET', `/api/v1/hotline/orders/${o.id}`, undefined, ['hotline_operator', 'handling_unit', 'center_admin', 'supervisor']],
    ['POST', '/api/v1/hotline/orders', {}, ['hotline_operator', 'center_admin']],
    ['POST', `/api/v1/hotline/orders/${o.id}/dispatch`, {}, ['hotline_operator', 'center_admin']],
    ['POST', `/api/v1/hotline/orders/${o.id}/review`, {}, ['hotline_operator', 'center_admin']],
    ['POST', `/api/v1/hotline/orders/${o.id}/callback`, { reached: 1 }, ['hotline_operator', 'center_admin']],
    ['POST', `/api/v1/hotline/orders/${o.id}/merge`, {}, ['hotline_operator', 'center_admin']],
    ['GET', `/api/v1/hotline/orders/${o.id}/duplicates`, undefined, ['hotline_operator', 'center_admin']],
    ['POST', `/api/v1/hotline/orders/${o.id}/sign`, { note: 1 }, ['handling_unit']],
    ['POST', `/api/v1/hotline/orders/${o.id}/reply`, {}, ['handling_unit']],
    ['POST', `/api/v1/hotline/orders/${o.id}/return`, {}, ['handling_unit']],
    ['POST', `/api/v1/hotline/orders/${o.id}/extension`, {}, ['handling_unit']],
    ['POST', `/api/v1/hotline/orders/${o.id}/reopen`, {}, ['center_admin']],
    ['POST', `/api/v1/hotline/orders/${o.id}/consultations`, {}, ['center_admin']],
    ['POST', '/api/v1/hotline/extensions/1/decide', {}, ['center_admin']],
    ['POST', `/api/v1/hotline/orders/${o.id}/supervise`, {}, ['center_admin', 'supervisor']],
    ['POST', '/api/v1/hotline/matters', {}, ['center_admin']],
  ];
  for (const [method, path, body, allowed] of cases) {
    for (const [role, c] of Object.entries(who)) {
      const r = await c.req(method, path, body);
      const passed = r.status !== 401 && r.status !== 403;
      // 403 from the handler (a unit acting out of turn) carries a message of its own; the
      // permission check's 403 and 401 come before any body is read, so bad bodies reach only
      // the allowed roles, who get 422
      if (allowed.includes(role)) assert.ok(passed || (r.status === 403 && r.json.error.message !== '没有权限'), `${role} ${method} ${path}: ${r.status}`);
      else assert.ok(r.status === (role === 'anonymous' ? 401 : 403), `${role} ${method} ${path}: ${r.status}`);
    }
  }
  // a unit's scope: another unit's order is not found, and the list holds only its own
  const u4 = await as(srv.base, 'chengban04');
  assert.equal((await u4.get(`/api/v1/hotline/orders/${o.id}`)).status, 404);
  assert.equal((await u4.post(`/api/v1/hotline/orders/${o.id}/sign`)).status, 404);
  const theirs = (await u4.get('/api/v1/hotline/orders?page_size=200')).json;
  assert.ok(!theirs.items.some((x) => x.id === o.id));
  assert.equal(theirs.total, Number(sqlValue(srv, `SELECT COUNT(DISTINCT order_id) AS n FROM hotline_order_units WHERE unit_id = ${units.hb}`)));
  // the public routes need no account
  assert.equal((await anon.get('/api/v1/hotline/public/orders/RX2026092900001?code=X')).status, 404);
});

test('every hotline write is audited and the chain verifies', async () => {
  assert.ok(Number(sqlValue(srv, "SELECT COUNT(*) AS n FROM audit WHERE action LIKE 'hotline.%'")) > 50);
  const out = cli(srv, ['audit', 'verify']);
  assert.match(out, /intact|ok/i);
});

test('signals follow the supervision rule of cases: 预警 near the due day, 黄牌 after, 红牌 when seriously overdue', async () => {
  const o = await newOrder({ category: 'consult' });
  let r = await op.post(`/api/v1/hotline/orders/${o.id}/dispatch`, { unit_id: units.cg });
  assert.equal(r.json.signal, 0);
  assert.equal(r.json.signal_label, '正常');
  // to Oct 8, 10:00: the due day
  srv.advance(Date.UTC(2026, 9, 8, 2, 0, 0) / 1000 - T0);
  r = await op.get(`/api/v1/hotline/orders/${o.id}`);
  assert.equal(r.json.signal, 1);
  assert.equal(r.json.signal_label, '预警');
  // Oct 9, 10:00: overdue
  srv.advance(86400);
  r = await op.get(`/api/v1/hotline/orders/${o.id}`);
  assert.equal(r.json.overdue, true);
  assert.equal(r.json.signal, 2);
  // signed for after the sign-for time: the step says so
  r = await u1.post(`/api/v1/hotline/orders/${o.id}/sign`);
  assert.equal(r.json.steps.at(-1).overdue, true);
  // more than three working days late (Oct 10, 12, 13, 14)
  srv.advance(5 * 86400);
  r = await op.get(`/api/v1/hotline/orders/${o.id}`);
  assert.equal(r.json.signal, 3);
  // the background job keeps the stored signal (what supervision reads) up to date
  let stored;
  for (let i = 0; i < 50 && stored !== 3; i++) {
    await new Promise((res) => setTimeout(res, 200));
    stored = Number(sqlValue(srv, `SELECT signal FROM hotline_orders WHERE id = ${o.id}`));
  }
  assert.equal(stored, 3);
  // and the rise earns the unit its card, as a case's clock does: shown to the supervisor, once
  const cards = (await sup.get('/api/v1/supervision/cards?level=3&page_size=200')).json.items.filter((k) => k.hotline_order_id === o.id);
  assert.equal(cards.length, 1, JSON.stringify(cards));
  assert.equal(cards[0].dept_id, units.cg);
  assert.equal(cards[0].level_label, '红牌');
  await new Promise((res) => setTimeout(res, 1500)); // the job runs again: no second card
  assert.equal(Number(sqlValue(srv, `SELECT COUNT(*) AS n FROM cards WHERE hotline_order_id = ${o.id} AND level = 3`)), 1);
  const late = (await u1.post(`/api/v1/hotline/orders/${o.id}/reply`, { text: '已答复市民，此次答复晚于办理时限。' })).json;
  assert.equal(late.steps.at(-1).overdue, true);
});

test('anonymous 留言 is rate-limited per address like every anonymous write', async () => {
  const tight = await startServer({ config: { anon_write_burst: 2, anon_write_per_minute: 1 } });
  try {
    const c = new Client(tight.base);
    const body = { category: 'consult', title: '咨询', text: '请问公积金提取需要哪些材料和手续？', caller_name: '钱先生', caller_phone: '13900000001' };
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await c.post('/api/v1/hotline/public/orders', body)).status);
    assert.deepEqual(statuses.slice(0, 2), [201, 201]);
    assert.equal(statuses[3], 429);
    assert.equal(Number(sqlValue(tight, 'SELECT COUNT(*) AS n FROM hotline_orders')), 2);
  } finally {
    await tight.stop();
  }
});
