// Electronic supervision (电子监察) over real HTTP with a movable clock: a case accepted and left
// idle gets a 预警 card, then exactly one 黄牌, then exactly one 红牌, shown in /supervision/cards,
// /signals and /summary; 督办 orders are issued, answered by the department, closed, and flagged
// when overdue; departments see only their own; the audit trail stays intact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, Client, as, cli } from './helpers.mjs';

const DAY = 86400;
let srv, item, scjg;
before(async () => {
  srv = await startServer({ config: { tick_seconds: 1 }, clock: true });
  const pub = new Client(srv.base);
  scjg = (await pub.get('/api/v1/departments')).json.items.find((d) => d.name === '长沙市市场监督管理局');
  const list = (await pub.get(`/api/v1/items?dept_id=${scjg.id}&page_size=200`)).json.items;
  for (const it of list) {
    const g = (await pub.get(`/api/v1/items/${it.code}`)).json;
    if (g.promised_limit_days >= 4 && g.targets.includes(1)) { item = g; break; }
  }
  assert.ok(item, 'a 市场监管 item promising at least 4 working days');
});
after(() => srv.stop());

// The server's local day (UTC+8) after `offset` seconds of moved clock.
let offset = 0;
function advance(seconds) { offset += seconds; srv.advance(seconds); }
const serverDay = (extraDays = 0) => new Date(Date.now() + (offset + 8 * 3600 + extraDays * DAY) * 1000).toISOString().slice(0, 10);
const addDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY * 1000).toISOString().slice(0, 10);
const daysBetween = (a, b) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / (DAY * 1000));

// Moves the server's clock forward to the given local day (same time of day).
function moveTo(day) {
  const n = daysBetween(serverDay(), day);
  assert.ok(n >= 0, `cannot move back to ${day}`);
  advance(n * DAY);
}

// The n-th working day after `from` on the server's calendar (n < 0: before).
async function workday(c, from, n) {
  if (n >= 0) return (await c.get(`/api/v1/calendar/deadline?from=${from}&workdays=${n}`)).json.date;
  let day = from;
  for (let left = -n; left > 0;) {
    day = addDays(day, -1);
    if ((await c.get(`/api/v1/calendar/is-workday?date=${day}`)).json.workday) left--;
  }
  return day;
}

// Polls until pred(result) holds: the ticker runs every second.
async function until(what, fn, pred, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const r = await fn();
    if (pred(r)) return r;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}: ${JSON.stringify(r.json ?? r)}`);
    await sleep(200);
  }
}

async function acceptedCase() {
  const citizen = await as(srv.base, 'zhangsan');
  const window = await as(srv.base, 'window01');
  let r = await citizen.post('/api/v1/cases', { item_code: item.code, materials: item.materials.map((m) => m.name) });
  assert.equal(r.status, 201, r.text);
  r = await window.post(`/api/v1/cases/${r.json.id}/accept`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// The cards of the case as a whole (step -1); its steps may carry cards of their own.
const cardsOf = (c, caseId, kind) => c.get(`/api/v1/supervision/cards?page_size=200${kind ? `&kind=${kind}` : ''}`)
  .then((r) => ({ ...r, mine: r.json.items.filter((k) => k.case_id === caseId && k.step === -1) }));

test('a case left idle: one 预警, then exactly one 黄牌, then exactly one 红牌, on cards, signals and summary', async () => {
  const sup = await as(srv.base, 'jiandu01');
  const kase = await acceptedCase();
  const promised = kase.promised_day;

  // Freshly accepted with at least 4 working days to go: normal, no card.
  await sleep(2500);
  let r = await sup.get('/api/v1/supervision/signals?page_size=200');
  assert.equal(r.status, 200, r.text);
  assert.ok(!r.json.items.some((s) => s.id === kase.id && s.level > 0), 'a normal case carries no signal');
  assert.equal((await cardsOf(sup, kase.id)).mine.length, 0);

  // One working day before the promised day: 预警.
  moveTo(await workday(sup, promised, -1));
  r = await until('the 预警 card', () => cardsOf(sup, kase.id, 'warning'), (x) => x.mine.length === 1);
  const warning = r.mine[0];
  assert.equal(warning.level, 1);
  assert.equal(warning.level_label, '预警');
  assert.equal(warning.step, -1);
  assert.equal(warning.dept_id, scjg.id);
  assert.equal(warning.case_no, kase.case_no);
  assert.ok(warning.user_name, 'the card names the responsible person (the accepting window)');
  r = await sup.get('/api/v1/supervision/signals?level=1&page_size=200');
  const sig = r.json.items.find((s) => s.id === kase.id);
  assert.ok(sig, 'the case shows on the signal list');
  assert.equal(sig.remaining_workdays, 1);
  assert.equal(sig.level_label, '预警');

  // The first working day after the promised day: one 黄牌, not issued again on later ticks.
  moveTo(await workday(sup, promised, 1));
  await until('the 黄牌', () => cardsOf(sup, kase.id, 'overdue'), (x) => x.mine.length === 1);
  await sleep(2500);
  r = await cardsOf(sup, kase.id);
  assert.deepEqual(r.mine.map((k) => k.kind).sort(), ['overdue', 'warning']);
  assert.equal(r.mine.find((k) => k.kind === 'overdue').level, 2);
  r = await sup.get('/api/v1/supervision/signals?level=2&page_size=200');
  assert.equal(r.json.items.find((s) => s.id === kase.id)?.remaining_workdays, -1);

  // Three working days over is still 黄牌; the fourth is 红牌, once.
  moveTo(await workday(sup, promised, 3));
  await sleep(2500);
  assert.equal((await cardsOf(sup, kase.id, 'overdue_long')).mine.length, 0, 'not more than 3 days over yet');
  moveTo(await workday(sup, promised, 4));
  await until('the 红牌', () => cardsOf(sup, kase.id, 'overdue_long'), (x) => x.mine.length === 1);
  await sleep(2500);
  r = await cardsOf(sup, kase.id);
  assert.equal(r.mine.length, 3, 'one card of each kind, none twice');
  const red = r.mine.find((k) => k.kind === 'overdue_long');
  assert.equal(red.level, 3);
  assert.equal(red.level_label, '红牌');

  r = await sup.get('/api/v1/supervision/signals?level=3&page_size=200');
  const s3 = r.json.items.find((s) => s.id === kase.id);
  assert.equal(s3.level, 3);
  assert.equal(s3.remaining_workdays, -4);
  const sum = (await sup.get('/api/v1/supervision/summary')).json;
  assert.ok(sum.cases.red >= 1 && sum.cases.open >= sum.cases.red);
  assert.ok(sum.cards.by_level['3'] >= 1, 'the 红牌 counts in this month');
  assert.ok(sum.cards.by_kind.overdue_long >= 1);
  assert.equal(typeof sum.steps.red, 'number');

  // Both cards show on the supervisors' statistics dashboard for the year they were issued in,
  // and the case among the open cases carrying a 红牌.
  const yellow = (await cardsOf(sup, kase.id)).mine.find((k) => k.kind === 'overdue');
  for (const [card, key] of [[yellow, 'yellow'], [red, 'red']]) {
    const dash = await sup.get(`/api/v1/stats/dashboard?year=${Number(card.day.slice(0, 4))}`);
    assert.equal(dash.status, 200, dash.text);
    assert.ok(dash.json.kpi.cards[key] >= 1, `dashboard ${key} cards: ${JSON.stringify(dash.json.kpi.cards)}`);
  }
  assert.ok((await sup.get('/api/v1/stats/dashboard')).json.signals.red >= 1, 'the dashboard counts the open 红牌 case');

  // The case shows the signal too; the department sees its own cards, another department none.
  const own = await as(srv.base, 'scjg_admin');
  assert.equal((await cardsOf(own, kase.id)).mine.length, 3);
  const other = await as(srv.base, 'ga_admin');
  r = await cardsOf(other, kase.id);
  assert.equal(r.status, 200);
  assert.equal(r.mine.length, 0);
  assert.equal((await other.get(`/api/v1/supervision/cards?dept_id=${scjg.id}`)).json.total, 0, 'asking for another department gives nothing');

  // Filters: level and day range.
  r = await sup.get(`/api/v1/supervision/cards?level=3&from=${red.day}&to=${red.day}&page_size=200`);
  assert.ok(r.json.items.every((k) => k.level === 3 && k.day === red.day));
  assert.ok(r.json.items.some((k) => k.id === red.id));
  r = await sup.get('/api/v1/supervision/cards?from=2026-13-01');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'from');
});

test('a suspended case keeps its signal while its clock is stopped', async () => {
  const sup = await as(srv.base, 'jiandu01');
  const approver = await as(srv.base, 'scjg_shenpi');
  const kase = await acceptedCase();
  let r = await approver.post(`/api/v1/cases/${kase.id}/suspend`, { kind: '专家评审', reason: '组织专家论证', days: 60 });
  assert.equal(r.status, 200, r.text);
  moveTo(await workday(sup, kase.promised_day, 5));
  await sleep(2500);
  assert.equal((await cardsOf(sup, kase.id)).mine.length, 0, 'no card while the clock stands');
  r = await sup.get('/api/v1/supervision/signals?page_size=200');
  assert.ok(!r.json.items.some((s) => s.id === kase.id && s.level > 0));
});

test('督办 orders: issued, answered by the department only, closed; bad input names the field', async () => {
  const sup = await as(srv.base, 'jiandu01');
  const kase = await acceptedCase();
  const due = await workday(sup, serverDay(), 2);

  let r = await sup.post('/api/v1/supervision/orders', { case_id: kase.id, title: '', content: '请说明办理进度', due_day: serverDay() });
  assert.equal(r.status, 422);
  const fields = r.json.error.details.map((d) => d.field).sort();
  assert.deepEqual(fields, ['due_day', 'title']);
  let weekend = serverDay(1);
  while ((await sup.get(`/api/v1/calendar/is-workday?date=${weekend}`)).json.workday) weekend = addDays(weekend, 1);
  r = await sup.post('/api/v1/supervision/orders', { case_id: kase.id, title: '加快办理', content: '请说明办理进度', due_day: weekend });
  assert.equal(r.status, 422, 'a day off is no due day');
  r = await sup.post('/api/v1/supervision/orders', { case_id: 999999, title: '加快办理', content: '请说明', due_day: due });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'case_id');
  const ga = (await new Client(srv.base).get('/api/v1/departments')).json.items.find((d) => d.id !== scjg.id);
  r = await sup.post('/api/v1/supervision/orders', { case_id: kase.id, dept_id: ga.id, title: '加快办理', content: '请说明', due_day: due });
  assert.equal(r.status, 422, 'the order goes to the department handling the case');
  assert.equal(r.json.error.details[0].field, 'dept_id');

  r = await sup.post('/api/v1/supervision/orders', { case_id: kase.id, title: '加快办理', content: '请说明办理进度', due_day: due });
  assert.equal(r.status, 201, r.text);
  const order = r.json;
  assert.equal(order.state, 'open');
  assert.equal(order.dept_id, scjg.id, 'the case’s department by default');
  assert.equal(order.case_no, kase.case_no);
  assert.equal(order.overdue, false);

  // Another department neither sees nor answers it; applicants may not answer at all.
  const stranger = await as(srv.base, 'ga_shenpi');
  r = await stranger.post(`/api/v1/supervision/orders/${order.id}/answer`, { answer: '已办理' });
  assert.equal(r.status, 404);
  assert.equal((await stranger.get('/api/v1/supervision/orders')).json.items.some((o) => o.id === order.id), false);
  assert.equal((await (await as(srv.base, 'zhangsan')).post(`/api/v1/supervision/orders/${order.id}/answer`, { answer: 'x' })).status, 403);

  // Closing before the answer is a state conflict.
  r = await sup.post(`/api/v1/supervision/orders/${order.id}/close`);
  assert.equal(r.status, 409);

  const dept = await as(srv.base, 'scjg_shenpi');
  assert.ok((await dept.get('/api/v1/supervision/orders?state=open')).json.items.some((o) => o.id === order.id));
  r = await dept.post(`/api/v1/supervision/orders/${order.id}/answer`, { answer: '' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'answer');
  r = await dept.post(`/api/v1/supervision/orders/${order.id}/answer`, { answer: '已补充审查,明日办结' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'answered');
  assert.equal(r.json.answered_by_name.length > 0, true);
  r = await dept.post(`/api/v1/supervision/orders/${order.id}/answer`, { answer: '再答一次' });
  assert.equal(r.status, 409);

  r = await sup.post(`/api/v1/supervision/orders/${order.id}/close`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'closed');
  assert.ok(r.json.closed_at > 0);
  r = await sup.get('/api/v1/supervision/orders?state=closed');
  assert.ok(r.json.items.some((o) => o.id === order.id));
  r = await sup.get('/api/v1/supervision/orders?state=bogus');
  assert.equal(r.status, 422);
});

test('an order left unanswered past its due day is flagged overdue and carded once', async () => {
  const sup = await as(srv.base, 'jiandu01');
  const due = await workday(sup, serverDay(), 1);
  let r = await sup.post('/api/v1/supervision/orders', { dept_id: scjg.id, title: '窗口服务整改', content: '请报告整改情况', due_day: due });
  assert.equal(r.status, 201, r.text);
  const order = r.json;
  assert.equal(order.case_id, null);
  moveTo(await workday(sup, due, 1));
  const dept = await as(srv.base, 'scjg_admin');
  await until('the order to be flagged', () => dept.get('/api/v1/supervision/orders?state=open&page_size=200'),
    (x) => x.json.items.find((o) => o.id === order.id)?.overdue === true);
  await sleep(2500);
  r = await sup.get('/api/v1/supervision/cards?kind=order_overdue&page_size=200');
  const cards = r.json.items.filter((k) => k.order_id === order.id);
  assert.equal(cards.length, 1, 'one card per overdue order');
  assert.equal(cards[0].level, 2);
  assert.equal(cards[0].dept_id, scjg.id);
  const sum = (await sup.get('/api/v1/supervision/summary')).json;
  assert.ok(sum.orders.overdue_open >= 1);
  // Answering late is still possible; the flag stays.
  r = await dept.post(`/api/v1/supervision/orders/${order.id}/answer`, { answer: '已整改' });
  assert.equal(r.status, 200);
  assert.equal(r.json.overdue, true);
});

test('the audit trail is intact after the supervision work', () => {
  const out = cli(srv, ['audit', 'verify']);
  assert.match(out, /intact/);
});
