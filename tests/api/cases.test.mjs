// Cases over real HTTP: online application → 补正 → resubmission → 受理 → steps → 办结; 不予受理
// with reasons; 撤件; illegal transitions; two windows accepting at once; who sees what.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, cli } from './helpers.mjs';

let srv, item, secondClerk;
before(async () => {
  srv = await startServer();
  const pub = new Client(srv.base);
  const depts = (await pub.get('/api/v1/departments')).json.items;
  const scjg = depts.find((d) => d.name === '长沙市市场监督管理局');
  const list = (await pub.get(`/api/v1/items?dept_id=${scjg.id}&page_size=200`)).json.items;
  for (const it of list) {
    const g = (await pub.get(`/api/v1/items/${it.code}`)).json;
    if (g.steps.filter((s) => s.role !== 'window').length >= 2 && g.materials.length >= 2 && g.targets.includes(1)) { item = g; break; }
  }
  assert.ok(item, 'a 市场监管 item for persons with two back-office steps');
  const admin = await as(srv.base, 'center_admin');
  secondClerk = (await admin.get('/api/v1/users?role=clerk&page_size=200')).json.items.find((u) => u.username !== 'window01').username;
});
after(() => srv.stop());

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

// By default with every material, so that 受理 finds the required ones in hand.
async function apply(applicant, materials) {
  const r = await applicant.post('/api/v1/cases', { item_code: item.code, materials: materials ?? item.materials.map((m) => m.name), form: { address: '长沙市芙蓉区五一大道1号' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.state, 1);
  return r.json.id;
}

test('online application: 补正 once for everything, resubmission, 受理 with number and promised date, steps, 办结', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const window = await as(srv.base, 'window01');
  const approver = await as(srv.base, 'scjg_shenpi');
  const id = await apply(citizen, [item.materials[0].name]);

  let r = await window.post(`/api/v1/cases/${id}/correction`, { items: [] });
  assert.equal(r.status, 422, 'a 补正 notice must list what is missing');
  r = await window.post(`/api/v1/cases/${id}/correction`, { items: item.materials.slice(1).map((m) => ({ material: m.name, reason: '未提交' })) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 6);
  r = await window.post(`/api/v1/cases/${id}/accept`);
  assert.equal(r.status, 409, 'cannot accept while the applicant is correcting');
  r = await citizen.post(`/api/v1/cases/${id}/resubmit`, { note: '已补齐材料', materials: item.materials.slice(1).map((m) => m.name) });
  assert.equal(r.json.state, 7);

  r = await window.post(`/api/v1/cases/${id}/accept`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 3);
  assert.match(r.json.case_no, new RegExp(`^430100${today().replaceAll('-', '')}\\d{5}$`));
  const deadline = await citizen.get(`/api/v1/calendar/deadline?from=${today()}&workdays=${item.promised_limit_days}`);
  assert.equal(r.json.promised_day, deadline.json.date);
  assert.equal(r.json.clock.used_workdays, 0);
  assert.ok(r.json.clock.remaining_workdays <= item.promised_limit_days);

  r = await citizen.post(`/api/v1/cases/${id}/step`, { action: 'pass' });
  assert.equal(r.status, 403, 'applicants do not handle steps');
  const first = r.json?.current_step;
  void first;
  for (let guard = 0; guard < 10; guard++) {
    const c = (await approver.get(`/api/v1/cases/${id}`)).json;
    if (c.current_step === c.steps.length - 1) break;
    r = await approver.post(`/api/v1/cases/${id}/step`, { action: 'pass', note: '审核通过' });
    assert.equal(r.status, 200, r.text);
  }
  r = await approver.post(`/api/v1/cases/${id}/step`, { action: 'return', note: '请重新核查' });
  assert.equal(r.status, 200);
  r = await approver.post(`/api/v1/cases/${id}/step`, { action: 'pass' });
  r = await approver.post(`/api/v1/cases/${id}/step`, { action: 'approve', note: '准予许可' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 11);
  assert.equal(r.json.clock.overdue, false);

  const mine = await citizen.get(`/api/v1/cases/${id}`);
  const actions = mine.json.events.map((e) => e.action);
  assert.deepEqual(actions.slice(0, 4), ['submit', 'correction', 'resubmit', 'accept']);
  assert.equal(actions.at(-1), 'approve');
  r = await citizen.post(`/api/v1/cases/${id}/withdraw`);
  assert.equal(r.status, 409, 'no 撤件 after the decision');
});

test('特别程序 stops the clock with a kind, reason and limit, then resumes', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const window = await as(srv.base, 'window01');
  const approver = await as(srv.base, 'scjg_shenpi');
  const id = await apply(citizen);
  const accepted = (await window.post(`/api/v1/cases/${id}/accept`)).json;
  let r = await approver.post(`/api/v1/cases/${id}/suspend`, { kind: '午休', reason: '', days: 0 });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.field).sort(), ['days', 'kind', 'reason']);
  r = await approver.post(`/api/v1/cases/${id}/suspend`, { kind: '现场勘验', reason: '需现场核查经营场所', days: 10 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 9);
  assert.equal(r.json.clock.suspended, true);
  r = await approver.post(`/api/v1/cases/${id}/step`, { action: 'pass' });
  assert.equal(r.status, 409, 'no step moves while the clock is stopped');
  r = await approver.post(`/api/v1/cases/${id}/resume`, { note: '勘验完毕' });
  assert.equal(r.json.state, 3);
  const ev = r.json.events.at(-1);
  assert.equal(ev.action, 'resume');
  // Resumed the same day: no working day was suspended, so the promised date stays.
  assert.equal(ev.data.suspended_workdays, 0);
  assert.equal(r.json.promised_day, accepted.promised_day);
});

test('不予受理 needs reasons and tells the remedies', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const window = await as(srv.base, 'window01');
  const id = await apply(citizen);
  let r = await window.post(`/api/v1/cases/${id}/refuse`, {});
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'reasons');
  r = await window.post(`/api/v1/cases/${id}/refuse`, { reasons: '申请事项不属于本机关职权范围' });
  assert.equal(r.json.state, 5);
  const ev = r.json.events.at(-1);
  assert.equal(ev.note, '申请事项不属于本机关职权范围');
  assert.match(ev.data.remedies, /行政复议/);
});

test('撤件 before a decision; then nothing else moves', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const window = await as(srv.base, 'window01');
  const id = await apply(citizen);
  let r = await citizen.post(`/api/v1/cases/${id}/withdraw`);
  assert.equal(r.json.state, 2);
  r = await window.post(`/api/v1/cases/${id}/accept`);
  assert.equal(r.status, 409);
});

test('bad applications are refused naming the field', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  let r = await citizen.post('/api/v1/cases', { item_code: 'NO-SUCH-ITEM' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'item_code');
  r = await citizen.post('/api/v1/cases', { item_code: item.code, materials: ['不存在的材料'] });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'materials');
  const window = await as(srv.base, 'window01');
  r = await window.post('/api/v1/cases', { item_code: item.code });
  assert.equal(r.status, 422, 'a walk-in application names its applicant');
});

test('two windows accepting the same case at the same moment: exactly one wins', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const a = await as(srv.base, 'window01');
  const b = await as(srv.base, secondClerk);
  for (let round = 0; round < 5; round++) {
    const id = await apply(citizen);
    const results = await Promise.all([a.post(`/api/v1/cases/${id}/accept`), b.post(`/api/v1/cases/${id}/accept`)]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    const c = (await a.get(`/api/v1/cases/${id}`)).json;
    assert.equal(c.events.filter((e) => e.action === 'accept').length, 1);
  }
});

test('applicants see only their own cases; approvers only their department’s', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const id = await apply(citizen);
  const other = new Client(srv.base);
  const reg = await other.post('/api/v1/auth/register', { kind: 'person', username: 'wangwu', password: 'abc12345', name: '王五', id_number: '11010519491231002X', phone: '' });
  assert.equal(reg.status, 201, reg.text);
  other.csrf = reg.json.csrf_token;
  assert.equal((await other.get(`/api/v1/cases/${id}`)).status, 404);
  assert.equal((await other.get('/api/v1/cases')).json.total, 0);
  const mine = await citizen.get('/api/v1/cases');
  assert.ok(mine.json.items.some((c) => c.id === id));
  const admin = await as(srv.base, 'center_admin');
  const otherApprover = (await admin.get('/api/v1/users?role=approver&page_size=200')).json.items.find((u) => u.dept_id !== item.dept_id);
  const stranger = await as(srv.base, otherApprover.username);
  assert.equal((await stranger.get(`/api/v1/cases/${id}`)).status, 404);
  assert.equal((await stranger.post(`/api/v1/cases/${id}/step`, { action: 'pass' })).status, 404);
});

test('the audit trail is intact after the case work', () => {
  const out = cli(srv, ['audit', 'verify']);
  assert.match(out, /intact/);
});
