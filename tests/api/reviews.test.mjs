// 好差评 over real HTTP: rating a finished case once (一事一评), only by its applicant; rating a
// window visit from the window's paired pad (一次一评: the ticket just finished, once, in time;
// never by staff), a bad review's path appeal → verify → rectify → call-back, an accepted appeal
// leaving the satisfaction rate, late rectification flagged exactly once, scope, and the audit trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, cli } from './helpers.mjs';
import { pairDevice, DeviceClient } from './hall_helpers.mjs';

let srv, item, users;
before(async () => {
  srv = await startServer();
  item = await findItem(srv);
  const admin = await as(srv.base, 'center_admin');
  users = (await admin.get('/api/v1/users?page_size=200')).json.items;
});
after(() => srv.stop());

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const userId = (name) => users.find((u) => u.username === name).id;

// A 市场监管 item with back-office steps, so a case can be taken to 办结.
async function findItem(server) {
  const pub = new Client(server.base);
  const depts = (await pub.get('/api/v1/departments')).json.items;
  const scjg = depts.find((d) => d.name === '长沙市市场监督管理局');
  const list = (await pub.get(`/api/v1/items?dept_id=${scjg.id}&page_size=200`)).json.items;
  for (const it of list) {
    const g = (await pub.get(`/api/v1/items/${it.code}`)).json;
    if (g.steps.some((s) => s.role !== 'window') && g.targets.includes(1)) return g;
  }
  throw new Error('no 市场监管 item with back-office steps');
}

// With every material of the guide, so that 受理 finds the required ones in hand.
async function apply(server, citizen, code) {
  const guide = (await citizen.get(`/api/v1/items/${code}`)).json;
  const r = await citizen.post('/api/v1/cases', { item_code: code, materials: guide.materials.map((m) => m.name) });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

// Accepted at the window, then every step passed and approved by the department's approver.
async function finish(server, id) {
  const window = await as(server.base, 'window01');
  const approver = await as(server.base, 'scjg_shenpi');
  let r = await window.post(`/api/v1/cases/${id}/accept`);
  assert.equal(r.status, 200, r.text);
  for (let guard = 0; guard < 10; guard++) {
    const c = (await approver.get(`/api/v1/cases/${id}`)).json;
    if (c.current_step === c.steps.length - 1) break;
    r = await approver.post(`/api/v1/cases/${id}/step`, { action: 'pass' });
    assert.equal(r.status, 200, r.text);
  }
  r = await approver.post(`/api/v1/cases/${id}/step`, { action: 'approve', note: '准予许可' });
  assert.equal(r.json.state, 11, r.text);
}

async function finishedCase(server, citizen, code) {
  const id = await apply(server, citizen, code);
  await finish(server, id);
  return id;
}

test('一事一评: the applicant rates a finished case once; not before 办结, not someone else', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const id = await apply(srv, citizen, item.code);
  let r = await citizen.post(`/api/v1/cases/${id}/review`, { level: 1, channel: 'pc' });
  assert.equal(r.status, 409, 'a case still being handled cannot be rated');
  await finish(srv, id);

  const other = new Client(srv.base);
  const reg = await other.post('/api/v1/auth/register', { kind: 'person', username: 'lisi_review', password: 'abc12345', name: '李四', id_number: '11010519491231002X', phone: '' });
  assert.equal(reg.status, 201, reg.text);
  other.csrf = reg.json.csrf_token;
  r = await other.post(`/api/v1/cases/${id}/review`, { level: 5 });
  assert.equal(r.status, 404, 'another applicant cannot rate the case');

  r = await citizen.post(`/api/v1/cases/${id}/review`, { level: 0, channel: 'fax', comment: 'x'.repeat(501) });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.field).sort(), ['channel', 'comment', 'level']);

  r = await citizen.post(`/api/v1/cases/${id}/review`, { level: 2, channel: 'app', comment: '办事很快' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.level, 2);
  assert.equal(r.json.level_label, '满意');
  assert.equal(r.json.bad, false);
  assert.equal(r.json.status, 'closed', 'a good review needs no follow-up');
  assert.equal(r.json.channel, 'app');
  assert.equal(r.json.case_id, id);
  assert.equal(r.json.dept_id, item.dept_id);
  assert.equal(r.json.item_name, item.name);
  assert.equal(r.json.staff_id, userId('scjg_shenpi'), 'the person rated is who decided');
  assert.equal(r.json.day, today());

  r = await citizen.post(`/api/v1/cases/${id}/review`, { level: 1 });
  assert.equal(r.status, 409, 'one rating per case');
  r = await citizen.get(`/api/v1/cases/${id}/review`);
  assert.equal(r.status, 200);
  assert.equal(r.json.level, 2);
  assert.equal((await other.get(`/api/v1/cases/${id}/review`)).status, 404);
  const approver = await as(srv.base, 'scjg_shenpi');
  assert.equal((await approver.get(`/api/v1/cases/${id}/review`)).json.comment, '办事很快');
});

test('a case refused at the window (不予受理) can be rated too', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const window = await as(srv.base, 'window01');
  const id = await apply(srv, citizen, item.code);
  assert.equal((await window.post(`/api/v1/cases/${id}/refuse`, { reasons: '不属于本机关职权范围' })).json.state, 5);
  // Rated twice at the same moment (two devices): exactly one rating is kept.
  const both = await Promise.all([citizen.post(`/api/v1/cases/${id}/review`, { level: 3 }),
    citizen.post(`/api/v1/cases/${id}/review`, { level: 3, channel: 'app' })]);
  assert.deepEqual(both.map((r) => r.status).sort(), [201, 409]);
  const r = both.find((x) => x.status === 201);
  assert.equal(r.json.level_label, '基本满意');
  assert.equal(r.json.staff_id, userId('window01'), 'the clerk who refused is rated');
});

// A kiosk ticket served at a window: called, started and finished (optionally with a case).
async function serve(server, kiosk, clerk, windowId, queueId, caseId) {
  const t = await kiosk.post('/api/v1/hall/tickets', { queue_id: queueId });
  assert.equal(t.status, 201, t.text);
  for (let i = 0; i < 100; i++) {
    const r = await clerk.post(`/api/v1/hall/windows/${windowId}/call`);
    assert.equal(r.status, 200, r.text);
    if (r.json.acted_on.id === t.json.id) break;
    await clerk.post(`/api/v1/hall/windows/${windowId}/skip`);
  }
  assert.equal((await clerk.post(`/api/v1/hall/windows/${windowId}/start`)).status, 200);
  const f = await clerk.post(`/api/v1/hall/windows/${windowId}/finish`, caseId ? { case_id: caseId } : {});
  assert.equal(f.status, 200, f.text);
  return t.json;
}

test('一次一评: the window’s paired pad rates the ticket its window just finished, once', async () => {
  const clerk = await as(srv.base, 'window01');
  const me = users.find((u) => u.username === 'window01');
  const kiosk = await pairDevice(srv.base, 1, 'kiosk');
  const pad = await pairDevice(srv.base, 1, 'pad', { windowId: me.window_id });
  const count = async () => (await (await as(srv.base, 'jiandu01')).get('/api/v1/reviews?page_size=1')).json.total;

  const t1 = await serve(srv, kiosk, clerk, me.window_id, 1);
  let state = (await pad.get('/api/v1/hall/pad')).json;
  assert.equal(state.rate.id, t1.id, 'the pad is offered the finished ticket');
  assert.equal(state.rate.token, undefined, 'the pad gets no follow token');
  assert.equal(state.window_id, me.window_id);

  let r = await pad.post('/api/v1/reviews', { level: 7, channel: 'fax' });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.field).sort(), ['channel', 'level', 'ticket_id'], 'a rating names its ticket');
  r = await pad.post('/api/v1/reviews', { level: 1, ticket_id: 99999999 });
  assert.equal(r.status, 422, 'an unknown ticket');
  assert.equal(r.json.error.details[0].field, 'ticket_id');
  const n = await count();
  r = await pad.post('/api/v1/reviews', { level: 1, ticket_id: t1.id });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.channel, 'pad');
  assert.equal(r.json.staff_id, me.id, 'the clerk who served is rated');
  assert.equal(r.json.window_id, me.window_id);
  assert.equal(r.json.ticket, t1.number);
  assert.equal(r.json.dept_id, me.dept_id, 'a 综合受理 window rates the centre that staffs it');
  assert.equal(r.json.case_id, null);
  assert.equal(r.json.contact, undefined);
  const twice = await Promise.all([pad.post('/api/v1/reviews', { level: 5, ticket_id: t1.id }),
    pad.post('/api/v1/reviews', { level: 5, ticket_id: t1.id })]);
  assert.deepEqual(twice.map((x) => x.status), [409, 409], 'one rating per served ticket');
  assert.equal(await count(), n + 1, 'nothing more stored');
  assert.equal((await pad.get('/api/v1/hall/pad')).json.rate, null, 'nothing left to rate');

  // Only the window's latest finished ticket: not an older one, not another window's.
  const t2 = await serve(srv, kiosk, clerk, me.window_id, 1);
  const t3 = await serve(srv, kiosk, clerk, me.window_id, 1);
  r = await pad.post('/api/v1/reviews', { level: 1, ticket_id: t2.id });
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /刚刚办结/);
  const w2 = await as(srv.base, 'window02');
  const other = await serve(srv, kiosk, w2, 2, 1);
  r = await pad.post('/api/v1/reviews', { level: 1, ticket_id: other.id });
  assert.equal(r.status, 403, 'another window\'s ticket');
  assert.equal(await count(), n + 1);
  assert.equal((await pad.post('/api/v1/reviews', { level: 2, ticket_id: t3.id })).status, 201);

  // A clerk never rates: not without the pad, not their own window with the pad's token either.
  const t4 = await serve(srv, kiosk, clerk, me.window_id, 1);
  r = await clerk.post('/api/v1/reviews', { level: 1, ticket_id: t4.id });
  assert.equal(r.status, 403);
  const clerkOnPad = new DeviceClient(srv.base, pad.deviceToken);
  await clerkOnPad.login('window01');
  r = await clerkOnPad.post('/api/v1/reviews', { level: 1, ticket_id: t4.id });
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /工作人员/);
  assert.equal((await new Client(srv.base).post('/api/v1/reviews', { level: 1, ticket_id: t4.id })).status, 401);
  assert.equal(await count(), n + 2);

  // A revoked pad rates nothing.
  const admin = await as(srv.base, 'center_admin');
  assert.equal((await admin.post(`/api/v1/hall/devices/${pad.device.id}/revoke`)).status, 200);
  assert.equal((await pad.post('/api/v1/reviews', { level: 1, ticket_id: t4.id })).status, 401);

  // A visit about a case, and the applicant's own rating of the case: both count (一次一评, 一事一评).
  const pad2 = await pairDevice(srv.base, 1, 'pad', { windowId: me.window_id });
  const citizen = await as(srv.base, 'zhangsan');
  const id = await finishedCase(srv, citizen, item.code);
  const t5 = await serve(srv, kiosk, clerk, me.window_id, 1, id);
  r = await pad2.post('/api/v1/reviews', { level: 4, ticket_id: t5.id });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.case_id, id);
  assert.equal(r.json.item_name, item.name);
  assert.equal((await clerk.post(`/api/v1/cases/${id}/review`, { level: 1 })).status, 403, 'staff never rate a case');
  r = await citizen.post(`/api/v1/cases/${id}/review`, { level: 1 });
  assert.equal(r.status, 201, r.text);
  assert.equal((await citizen.post(`/api/v1/cases/${id}/review`, { level: 2 })).status, 409, 'once per case');
  assert.equal((await citizen.get(`/api/v1/cases/${id}/review`)).json.level, 1, 'the case shows its own rating');
});

test('a pad rating after hall_rating_window_seconds is refused', async () => {
  const s2 = await startServer({ clock: true, config: { hall_rating_window_seconds: 120 } });
  try {
    const me = users.find((u) => u.username === 'window01');
    const kiosk = await pairDevice(s2.base, 1, 'kiosk');
    const pad = await pairDevice(s2.base, 1, 'pad', { windowId: me.window_id });
    const clerk = await as(s2.base, 'window01');
    const t = await serve(s2, kiosk, clerk, me.window_id, 1);
    s2.advance(121);
    assert.equal((await pad.get('/api/v1/hall/pad')).json.rate, null);
    const r = await pad.post('/api/v1/reviews', { level: 1, ticket_id: t.id });
    assert.equal(r.status, 409);
    assert.match(r.json.error.message, /评价时限/);
    assert.equal((await (await as(s2.base, 'jiandu01')).get('/api/v1/reviews')).json.total, 0, 'nothing stored');
    const t2 = await serve(s2, kiosk, clerk, me.window_id, 1);
    s2.advance(100);
    assert.equal((await pad.post('/api/v1/reviews', { level: 1, ticket_id: t2.id })).status, 201, 'within the window');
  } finally {
    await s2.stop();
  }
});

test('a bad review: appeal → verified genuine → rectified → called back', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const id = await finishedCase(srv, citizen, item.code);
  let r = await citizen.post(`/api/v1/cases/${id}/review`, { level: 5, channel: 'pc', comment: '多次往返才办成' });
  assert.equal(r.json.status, 'verifying');
  assert.equal(r.json.bad, true);
  const rid = r.json.id;

  const dept = await as(srv.base, 'scjg_shenpi');
  const supervisor = await as(srv.base, 'jiandu01');
  const otherApprover = users.find((u) => u.roles.includes('approver') && u.dept_id !== item.dept_id);
  const stranger = await as(srv.base, otherApprover.username);

  assert.equal((await dept.post(`/api/v1/reviews/${rid}/rectify`, { note: '提前整改' })).status, 409);
  assert.equal((await dept.post(`/api/v1/reviews/${rid}/appeal`, {})).status, 422, 'an appeal states its grounds');
  // grounds of spaces and invisible characters are no grounds (platform/jsonv v_str)
  r = await dept.post(`/api/v1/reviews/${rid}/appeal`, { note: ' \u3000\u200b' });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.message), ['不能只填空格或不可见字符']);
  assert.equal((await stranger.post(`/api/v1/reviews/${rid}/appeal`, { note: '非本部门' })).status, 404);
  r = await dept.post(`/api/v1/reviews/${rid}/appeal`, { note: '申请人材料不全，已一次性告知' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'appealed');
  assert.equal(r.json.contact, undefined, 'departments do not see who rated them');
  assert.equal((await dept.post(`/api/v1/reviews/${rid}/appeal`, { note: '再次申诉' })).status, 409);

  assert.equal((await supervisor.post(`/api/v1/reviews/${rid}/verify`, { note: '缺少认定' })).status, 422);
  r = await supervisor.post(`/api/v1/reviews/${rid}/verify`, { genuine: true, note: '经核实，告知不清' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'rectifying');
  assert.equal(r.json.genuine, true);
  const due = (await citizen.get(`/api/v1/calendar/deadline?from=${today()}&workdays=5`)).json.date;
  assert.equal(r.json.rectify_due_day, due, '5 working days to rectify');
  assert.equal(r.json.contact.name, '张三', 'the supervisor sees whom to call back');

  r = await dept.post(`/api/v1/reviews/${rid}/rectify`, { note: '已修订一次性告知单并培训窗口人员' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'callback');
  assert.equal(r.json.late, false);
  assert.ok(r.json.rectified_at);

  assert.equal((await supervisor.post(`/api/v1/reviews/${rid}/callback`, { note: '已回访' })).status, 422);
  r = await supervisor.post(`/api/v1/reviews/${rid}/callback`, { note: '电话回访，申请人认可整改', satisfied: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'closed');
  assert.equal(r.json.callback_satisfied, true);
  assert.equal((await supervisor.post(`/api/v1/reviews/${rid}/callback`, { note: '再次', satisfied: true })).status, 409);
});

test('an accepted appeal leaves the review out of the satisfaction rate', async () => {
  const supervisor = await as(srv.base, 'jiandu01');
  const before = (await supervisor.get('/api/v1/reviews/summary')).json;
  const citizen = await as(srv.base, 'zhangsan');
  const id = await finishedCase(srv, citizen, item.code);
  const rid = (await citizen.post(`/api/v1/cases/${id}/review`, { level: 4 })).json.id;

  let s = (await supervisor.get('/api/v1/reviews/summary')).json;
  assert.equal(s.total, before.total + 1);
  assert.equal(s.bad, before.bad + 1);
  assert.equal(s.counted, before.counted + 1);

  const dept = await as(srv.base, 'scjg_admin');
  assert.equal((await dept.post(`/api/v1/reviews/${rid}/appeal`, { note: '申请人误评' })).status, 200);
  let r = await supervisor.post(`/api/v1/reviews/${rid}/verify`, { genuine: false });
  assert.equal(r.status, 422, 'leaving a review out needs a reason');
  assert.equal(r.json.error.details[0].field, 'note');
  r = await supervisor.post(`/api/v1/reviews/${rid}/verify`, { genuine: false, note: '申请人确认误评' });
  assert.equal(r.json.status, 'closed');
  assert.equal(r.json.genuine, false);
  assert.equal((await dept.post(`/api/v1/reviews/${rid}/rectify`, { note: '无需整改' })).status, 409);

  s = (await supervisor.get('/api/v1/reviews/summary')).json;
  assert.equal(s.total, before.total + 1);
  assert.equal(s.bad, before.bad + 1, 'still a bad review');
  assert.equal(s.not_genuine, before.not_genuine + 1);
  assert.equal(s.counted, before.counted, 'but not counted');
  assert.equal(s.satisfied, s.by_level.slice(0, 3).reduce((n, l) => n + l.count, 0));
  assert.ok(Math.abs(s.satisfaction_rate - s.satisfied / s.counted) < 1e-9);
  assert.deepEqual(s.by_level.map((l) => l.label), ['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
});

test('lists are scoped: supervisors their region, departments their own, applicants what they gave', async () => {
  const supervisor = await as(srv.base, 'jiandu01');
  const all = (await supervisor.get('/api/v1/reviews?page_size=200')).json;
  assert.ok(all.total >= 6);
  const bad = (await supervisor.get('/api/v1/reviews?bad=1&page_size=200')).json;
  assert.ok(bad.total > 0 && bad.items.every((r) => r.level >= 4));
  const closed = (await supervisor.get('/api/v1/reviews?status=closed&page_size=200')).json;
  assert.ok(closed.items.every((r) => r.status === 'closed'));
  assert.equal((await supervisor.get(`/api/v1/reviews?from=${today()}&to=${today()}`)).json.total, all.total);
  assert.equal((await supervisor.get('/api/v1/reviews?from=2000-01-01&to=2000-12-31')).json.total, 0);
  const r = await supervisor.get('/api/v1/reviews?status=done&from=2026-13-01');
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.field).sort(), ['from', 'status']);

  const dept = (await (await as(srv.base, 'scjg_admin')).get('/api/v1/reviews?page_size=200')).json;
  assert.ok(dept.total > 0 && dept.items.every((x) => x.dept_id === item.dept_id));
  assert.ok(dept.total < all.total, 'the centre’s window reviews are not the department’s');
  const mine = (await (await as(srv.base, 'zhangsan')).get('/api/v1/reviews?page_size=200')).json;
  assert.ok(mine.total > 0 && mine.items.every((x) => x.case_id !== null));
  assert.equal((await (await as(srv.base, 'rexian01')).get('/api/v1/reviews')).json.total, 0);
  const summary = await (await as(srv.base, 'scjg_admin')).get('/api/v1/reviews/summary');
  assert.equal(summary.json.total, dept.total, 'a department’s summary is its own');
});

test('the audit trail is intact after the review work', () => {
  const out = cli(srv, ['audit', 'verify']);
  assert.match(out, /intact/);
});

test('late rectification is flagged once, with one card, by the background job', async () => {
  const late = await startServer({ config: { tick_seconds: 1 }, clock: true });
  try {
    const lateItem = await findItem(late);
    const citizen = await as(late.base, 'zhangsan');
    const id = await finishedCase(late, citizen, lateItem.code);
    const rid = (await citizen.post(`/api/v1/cases/${id}/review`, { level: 5 })).json.id;
    const supervisor = await as(late.base, 'jiandu01');
    const admin = await as(late.base, 'center_admin');
    const review = async () => (await supervisor.get('/api/v1/reviews?status=rectifying')).json.items.find((x) => x.id === rid);
    const cards = async () => (await admin.get('/api/v1/audit?entity=cards&page_size=200')).json.items;
    const due = (await supervisor.post(`/api/v1/reviews/${rid}/verify`, { genuine: true })).json.rectify_due_day;

    await new Promise((res) => setTimeout(res, 2500));
    assert.equal((await review()).late, false, 'not late before the due day');
    assert.equal((await cards()).length, 0);

    // Thirty days on is past five working days whatever the holidays.
    late.advance(30 * 86400);
    let flagged;
    for (let i = 0; i < 50 && !flagged?.late; i++) {
      await new Promise((res) => setTimeout(res, 200));
      flagged = await review();
    }
    assert.equal(flagged.late, true);
    assert.equal(flagged.rectify_due_day, due);
    late.advance(31 * 86400);
    await new Promise((res) => setTimeout(res, 2500));
    const issued = await cards();
    assert.equal(issued.length, 1, 'one card however often the job runs');
    const card = issued[0].after;
    assert.equal(card.kind, 'rectify_late');
    assert.equal(card.level, 2);
    assert.equal(card.review_id, rid);
    assert.equal(card.case_id, id);
    assert.equal(card.dept_id, lateItem.dept_id);
    assert.equal(issued[0].actor, 'system');

    const r = await (await as(late.base, 'scjg_shenpi')).post(`/api/v1/reviews/${rid}/rectify`, { note: '已整改' });
    assert.equal(r.json.status, 'callback');
    assert.equal(r.json.late, true);
    assert.equal((await cards()).length, 1, 'rectifying late issues no second card');
    const summary = (await supervisor.get('/api/v1/reviews/summary')).json;
    assert.equal(summary.rectify_late, 1);
    assert.equal(summary.rectified_on_time, 0);
    assert.match(cli(late, ['audit', 'verify']), /intact/);
  } finally {
    await late.stop();
  }
});
