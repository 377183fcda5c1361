// Service hall (智能大厅, docs/domain.md §8): ticket numbering and its reset at local midnight,
// priority with anti-starvation, transfer keeping the ticket time, the recall limit, the
// appointment check-in window, two windows calling at once, the board, the manager's status and
// statistics, and the audit trail. Tickets come from a paired kiosk (priority only from the ID
// number it reads), the hall's staff at the 导服台 (any category) or a signed-in applicant. Demo queues: hall 1 has A 综合受理 (windows 1-8, 24), B 不动产
// (16, 17), C 公积金 (21), D 社保医保 (19, 20), E 公安 (13-15), F 企业开办 (22, 23), G 税务 (18).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, cli, publishComingYears } from './helpers.mjs';
import { pairDevice } from './hall_helpers.mjs';

const Q = { A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7 };
let srv, kiosk, desk;
let offset = 0; // seconds the server's clock was moved
let transferDay; // local day of the transferred ticket, for the statistics
function advance(s) { offset += s; srv.advance(s); }
const now = () => Math.floor(Date.now() / 1000) + offset;

before(async () => {
  srv = await startServer({ clock: true, config: { hall_starve_minutes: 20 } });
  await publishComingYears(srv.base);
  kiosk = await pairDevice(srv.base, 1, 'kiosk');
  desk = await as(srv.base, 'center_admin'); // 导服台: the hall's staff grant priority categories
});
after(() => srv.stop());

async function ticket(queue_id, extra = {}, client = kiosk) {
  const r = await client.post('/api/v1/hall/tickets', { queue_id, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function act(c, win, what, body) {
  return c.post(`/api/v1/hall/windows/${win}/${what}`, body);
}

test('kiosk tickets: letter and three digits, people ahead, estimate, follow page and QR', async () => {
  const a = await ticket(Q.G);
  const b = await ticket(Q.G);
  assert.match(a.number, /^G\d{3}$/);
  assert.equal(Number(b.number.slice(1)), Number(a.number.slice(1)) + 1);
  assert.equal(b.ahead, a.ahead + 1);
  // G has one window (18), closed, and no service yet: 6 minutes (hall_service_minutes) a person
  assert.equal(a.wait_minutes, 6 * (a.ahead + 1));
  assert.equal(b.wait_minutes, a.wait_minutes + 6, 'the estimate grows with the queue');
  assert.equal(b.queue.letter, 'G');
  assert.ok(b.follow_url.endsWith(`/ticket/${b.token}`));
  const f = await kiosk.get(`/api/v1/hall/tickets/${b.token}`);
  assert.equal(f.status, 200);
  assert.equal(f.json.number, b.number);
  const qr = await kiosk.get(`/api/v1/hall/tickets/${b.token}/qr.svg`);
  assert.equal(qr.status, 200);
  assert.match(qr.headers.get('content-type'), /svg/);
  assert.equal((await kiosk.get('/api/v1/hall/tickets/nonesuch')).status, 404);
});

test('bad ticket input changes nothing and names the field', async () => {
  let r = await kiosk.post('/api/v1/hall/tickets', { queue_id: 999 });
  assert.equal(r.status, 422);
  r = await desk.post('/api/v1/hall/tickets', { queue_id: Q.G, category: 'vip' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'category');
  r = await kiosk.post('/api/v1/hall/tickets', { queue_id: Q.G, id_number: '43010219500101001X' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'id_number');
});

test('a phone ticket is tied to the signed-in applicant', async () => {
  const zs = await as(srv.base, 'zhangsan');
  const t = await ticket(Q.G, {}, zs);
  assert.equal(t.source, 'phone');
  assert.equal((await ticket(Q.G)).source, 'kiosk');
});

test('priority: green channel, elderly (from the ID number), disabled, then normal', async () => {
  const c = await as(srv.base, 'window13');
  const n = await ticket(Q.E);
  const old = await ticket(Q.E, { id_number: '110101195001010017' }); // born 1950: over 70
  assert.equal(old.category, 'elderly');
  const young = await ticket(Q.E, { id_number: '110101199001010015' });
  assert.equal(young.category, 'normal');
  const dis = await ticket(Q.E, { category: 'disabled' }, desk);
  const green = await ticket(Q.E, { category: 'green' }, desk);
  const p = await c.get('/api/v1/hall/windows/13/next-preview');
  assert.equal(p.status, 200);
  assert.equal(p.json.ticket.number, green.number);
  assert.match(p.json.reason, /绿色通道/);
  const order = [];
  for (let i = 0; i < 5; i++) {
    const r = await act(c, 13, 'call');
    assert.equal(r.status, 200, r.text);
    order.push(r.json.acted_on.number);
    if (i === 0) assert.match(r.json.reason, /绿色通道优先/);
    assert.equal((await act(c, 13, 'skip')).status, 200);
  }
  assert.deepEqual(order, [green.number, old.number, dis.number, n.number, young.number]);
  const none = await act(c, 13, 'call');
  assert.equal(none.status, 409);
  assert.match(none.json.error.message, /没有等候/);
});

test('anti-starvation: a normal ticket that waited past the limit goes before a green one', async () => {
  const c = await as(srv.base, 'window22');
  const n = await ticket(Q.F);
  advance(19 * 60);
  let g = await ticket(Q.F, { category: 'green' }, desk);
  let p = await c.get('/api/v1/hall/windows/22/next-preview');
  assert.equal(p.json.ticket.number, g.number, 'before the limit the green ticket goes first');
  advance(2 * 60);
  p = await c.get('/api/v1/hall/windows/22/next-preview');
  assert.equal(p.json.ticket.number, n.number, 'past 20 minutes the normal ticket goes first');
  assert.match(p.json.reason, /防止久等/);
  const r = await act(c, 22, 'call');
  assert.equal(r.json.acted_on.number, n.number);
  assert.match(r.json.reason, /防止久等/);
});

test('transfer keeps the number and the ticket time, so the ticket keeps its place', async () => {
  const c21 = await as(srv.base, 'window21');
  const c16 = await as(srv.base, 'window16');
  const t = await ticket(Q.C);
  transferDay = new Date((t.issued_at + 8 * 3600) * 1000).toISOString().slice(0, 10);
  advance(60);
  const b = await ticket(Q.B);
  let r = await act(c21, 21, 'call');
  assert.equal(r.json.acted_on.number, t.number);
  r = await act(c21, 21, 'transfer', { queue_id: 999 });
  assert.equal(r.status, 422);
  r = await act(c21, 21, 'transfer', { queue_id: Q.B });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.ticket, null, 'the window is free again');
  const moved = (await kiosk.get(`/api/v1/hall/tickets/${t.token}`)).json;
  assert.equal(moved.state, 'waiting');
  assert.equal(moved.queue.letter, 'B');
  assert.equal(moved.number, t.number);
  assert.equal(moved.queued_at, t.queued_at);
  r = await act(c16, 16, 'call');
  assert.equal(r.json.acted_on.number, t.number, 'the transferred ticket is older than B\'s own');
  r = await act(c16, 16, 'start');
  assert.equal(r.json.acted_on.state, 'serving');
  r = await act(c16, 16, 'finish', { case_id: 999999 });
  assert.equal(r.status, 422, 'a case the clerk cannot see is refused');
  r = await act(c16, 16, 'finish', {});
  assert.equal(r.json.acted_on.state, 'done');
  r = await act(c16, 16, 'call');
  assert.equal(r.json.acted_on.number, b.number);
});

test('recall at most twice; the third makes the ticket a no-show', async () => {
  const c = await as(srv.base, 'window19');
  const t = await ticket(Q.D);
  await act(c, 19, 'call');
  let r = await act(c, 19, 'recall');
  assert.equal(r.json.acted_on.recalls, 1);
  r = await act(c, 19, 'recall');
  assert.equal(r.json.acted_on.recalls, 2);
  r = await act(c, 19, 'recall');
  assert.equal(r.status, 200);
  assert.equal(r.json.acted_on.state, 'no_show');
  assert.match(r.json.reason, /过号/);
  assert.equal(r.json.ticket, null);
  assert.equal((await kiosk.get(`/api/v1/hall/tickets/${t.token}`)).json.state, 'no_show');
  const shown = (await kiosk.get('/api/v1/hall/1/board')).json.calls.find((x) => x.window_id === 19);
  assert.equal(shown.number, t.number);
  assert.equal(shown.recalls, 2, 'the board keeps the last real call, not the no-show');
  assert.equal((await act(c, 19, 'recall')).status, 409);
});

test('pause and resume; a paused window does not call; only one\'s own window', async () => {
  const c = await as(srv.base, 'window20');
  await ticket(Q.D);
  assert.equal((await act(c, 20, 'pause')).json.state, 'paused');
  assert.equal((await act(c, 20, 'pause')).status, 409);
  const r = await act(c, 20, 'call');
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /暂停/);
  assert.equal((await act(c, 20, 'resume')).json.state, 'open');
  assert.equal((await act(c, 20, 'call')).status, 200);
  assert.equal((await act(c, 19, 'call')).status, 403);
});

test('two windows calling at the same instant never get the same ticket (20 rounds)', async () => {
  const w1 = await as(srv.base, 'window01');
  const w2 = await as(srv.base, 'window02');
  for (let i = 0; i < 41; i++) await ticket(Q.A);
  const seen = new Set();
  for (let round = 0; round < 20; round++) {
    const [a, b] = await Promise.all([act(w1, 1, 'call'), act(w2, 2, 'call')]);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    assert.notEqual(a.json.acted_on.id, b.json.acted_on.id, `round ${round}`);
    for (const t of [a.json.acted_on.id, b.json.acted_on.id]) {
      assert.ok(!seen.has(t), 'a ticket is called once');
      seen.add(t);
    }
    await Promise.all([act(w1, 1, 'skip'), act(w2, 2, 'skip')]);
  }
  assert.equal(seen.size, 40);
});

test('the board shows the latest call per window and the waiting counts', async () => {
  const w3 = await as(srv.base, 'window03');
  await ticket(Q.A);
  const r = await act(w3, 3, 'call');
  const board = (await kiosk.get('/api/v1/hall/1/board')).json;
  const call = board.calls.find((x) => x.window_id === 3);
  assert.equal(call.number, r.json.acted_on.number);
  assert.equal(call.text, `请${call.number}号到3号窗口办理`);
  assert.ok(board.queues.find((q) => q.letter === 'A').waiting >= 0);
});

test('the manager sees a long-queue alert with how many windows to open', async () => {
  const admin = await as(srv.base, 'center_admin');
  let s = (await admin.get('/api/v1/hall/1/status')).json;
  const g0 = s.queues.find((q) => q.letter === 'G');
  for (let i = g0.waiting; i < 30; i++) await ticket(Q.G);
  s = (await admin.get('/api/v1/hall/1/status')).json;
  const g = s.queues.find((q) => q.letter === 'G');
  assert.equal(g.waiting, 30);
  assert.equal(g.alert, true);
  assert.equal(s.alert, true);
  assert.ok(g.open_more >= 1);
  assert.match(g.suggestion, /建议再开放[1-9]\d*个窗口/);
  assert.equal(s.queues.find((q) => q.letter === 'C').alert, false);
  // every window with the queues it serves, in order (demo: window 18 serves G 税务)
  const w18 = s.windows.find((w) => w.window_id === 18);
  assert.deepEqual(w18.queue_ids, [Q.G]);
  assert.ok(['open', 'closed', 'paused'].includes(w18.state));
});

test('an alert the open windows can clear in time asks for guidance, not zero more windows', async () => {
  const quick = await startServer({ config: { hall_alert_waiting: 2 } });
  try {
    const k = await pairDevice(quick.base, 1, 'kiosk');
    for (let i = 0; i < 3; i++) assert.equal((await k.post('/api/v1/hall/tickets', { queue_id: Q.A })).status, 201);
    // window 1 calls one: it is open, and two people wait, 12 minutes of work for one window
    const w1 = await as(quick.base, 'window01');
    assert.equal((await w1.post('/api/v1/hall/windows/1/call')).status, 200);
    const s = (await (await as(quick.base, 'center_admin')).get('/api/v1/hall/1/status')).json;
    const a = s.queues.find((q) => q.letter === 'A');
    assert.equal(a.waiting, 2);
    assert.equal(a.alert, true);
    assert.equal(a.open_more, 0, 'the open window serves two people within the wait limit');
    assert.doesNotMatch(a.suggestion, /再开放0个/);
    assert.match(a.suggestion, /引导分流/);
  } finally {
    await quick.stop();
  }
});

test('statistics per queue and hour, and the XLSX', async () => {
  const admin = await as(srv.base, 'center_admin');
  const r = await admin.get(`/api/v1/hall/1/stats?date=${transferDay}`);
  assert.equal(r.status, 200, r.text);
  const b = r.json.queues.find((q) => q.letter === 'B');
  assert.ok(b.tickets >= 1);
  const c = r.json.queues.find((q) => q.letter === 'C');
  assert.equal(c.tickets, 1);
  assert.equal(c.per_hour.reduce((s, h) => s + h.tickets, 0), 1);
  const d = r.json.queues.find((q) => q.letter === 'D');
  assert.ok(d.no_show_rate > 0);
  assert.ok(r.json.windows.find((w) => w.number === 16).served >= 1);
  assert.equal(r.json.date, transferDay);
  const x = await admin.get(`/api/v1/hall/1/stats.xlsx?date=${transferDay}`);
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.equal((await admin.get('/api/v1/hall/1/stats?date=2026-02-30')).status, 422);
});

test('queues: the manager creates and edits; bad input is refused field by field', async () => {
  const admin = await as(srv.base, 'center_admin');
  let r = await admin.post('/api/v1/hall/queues', { hall_id: 1, letter: 'a', name: '' , slot_periods: '12:00-09:00' });
  assert.equal(r.status, 422);
  const fields = r.json.error.details.map((d) => d.field).sort();
  assert.deepEqual(fields, ['letter', 'name', 'slot_periods']);
  r = await admin.post('/api/v1/hall/queues', { hall_id: 1, letter: 'A', name: '重复' });
  assert.equal(r.status, 422);
  r = await admin.post('/api/v1/hall/queues', { hall_id: 1, letter: 'H', name: '医保', slot_capacity: 2 });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  r = await admin.put(`/api/v1/hall/queues/${id}`, { name: '医疗保障' });
  assert.equal(r.json.name, '医疗保障');
  assert.equal(r.json.letter, 'H');
  r = await admin.put('/api/v1/hall/windows/24/queues', { queue_ids: [id, Q.A] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.queues.map((q) => q.letter), ['H', 'A']);
  r = await admin.put('/api/v1/hall/windows/24/queues', { queue_ids: [8] });
  assert.equal(r.status, 422, 'a queue of another hall');
  const list = (await kiosk.get('/api/v1/hall/queues?hall_id=1')).json.items;
  assert.ok(list.some((q) => q.letter === 'H'));
});

test('numbers start again at 001 after local midnight', async () => {
  const before = await ticket(Q.G);
  assert.ok(Number(before.number.slice(1)) > 1);
  const t = now();
  const toMidnight = 86400 - ((t + 8 * 3600) % 86400);
  advance(toMidnight + 60);
  const after = await ticket(Q.G);
  assert.equal(after.number, 'G001');
  assert.equal((await ticket(Q.G)).number, 'G002');
});

test('the audit trail is intact after the hall work', () => {
  const out = cli(srv, ['audit', 'verify']);
  assert.match(out, /intact/);
});

test('appointments: book, cancel, check-in window edges, late arrival, no-show', async () => {
  const s2 = await startServer({ clock: true, config: { tick_seconds: 1, hall_max_open_bookings: 5 } });
  await publishComingYears(s2.base);
  let off = 0;
  const at = (t) => { const d = t - (Math.floor(Date.now() / 1000) + off); off += d; s2.advance(d); };
  try {
    const zs = await as(s2.base, 'zhangsan');
    const k = await pairDevice(s2.base, 1, 'kiosk');
    // the first working day after tomorrow with its slots
    let day, slots;
    for (let i = 2; i < 20 && !slots?.length; i++) {
      day = new Date(Date.now() + i * 86400000 + 8 * 3600000).toISOString().slice(0, 10);
      slots = (await k.get(`/api/v1/hall/queues/${Q.A}/slots?date=${day}`)).json.slots;
    }
    assert.ok(slots.length > 4, 'a working day has slots');
    assert.equal(slots[0].time, '09:00');
    assert.equal(slots[0].left, 5);
    const book = async (time) => {
      const r = await zs.post('/api/v1/hall/appointments', { queue_id: Q.A, date: day, time });
      assert.equal(r.status, 201, r.text);
      return r.json;
    };
    let r = await zs.post('/api/v1/hall/appointments', { queue_id: Q.A, date: day, time: '09:10' });
    assert.equal(r.status, 422, 'not the start of a slot');
    r = await zs.post('/api/v1/hall/appointments', { queue_id: Q.A, date: '2030-13-01', time: 'x' });
    assert.deepEqual(r.json.error.details.map((d) => d.field).sort(), ['date', 'time']);
    const clerk = await as(s2.base, 'window01');
    r = await clerk.post('/api/v1/hall/appointments', { queue_id: Q.A, date: day, time: '09:00' });
    assert.equal(r.status, 403);
    const a1 = await book('09:00');
    const a2 = await book('10:00');
    const a3 = await book('11:00');
    const a4 = await book('13:00');
    const a5 = await book('14:00');
    assert.equal((await zs.post('/api/v1/hall/appointments', { queue_id: Q.A, date: day, time: '09:00' })).status, 409);
    // a Monday to Friday more than 365 days on (its year's holidays may not be published yet: the
    // slot list is then empty, but the 365 days are what a booking meets first)
    let far;
    for (let i = 367; i < 380 && !far; i++) {
      const t = new Date(Date.now() + i * 86400000 + 8 * 3600000);
      if (t.getUTCDay() >= 1 && t.getUTCDay() <= 5) far = t.toISOString().slice(0, 10);
    }
    r = await zs.post('/api/v1/hall/appointments', { queue_id: Q.A, date: far, time: '09:00' });
    assert.equal(r.status, 422, 'more than 365 days ahead');
    assert.match(r.json.error.message, /365/);
    assert.equal(r.json.error.details[0].field, 'date');
    slots = (await k.get(`/api/v1/hall/queues/${Q.A}/slots?date=${day}`)).json.slots;
    assert.equal(slots[0].left, 4);
    assert.equal((await zs.post(`/api/v1/hall/appointments/${a5.id}/cancel`)).json.state, 'cancelled');
    assert.equal((await zs.post(`/api/v1/hall/appointments/${a5.id}/cancel`)).status, 409);

    const checkin = (code) => k.post('/api/v1/hall/checkin', { code });
    at(a1.slot_start - 30 * 60 - 10);
    r = await checkin(a1.code);
    assert.equal(r.status, 409, 'more than 30 minutes early');
    assert.match(r.json.error.message, /未到签到时间/);
    at(a1.slot_start - 30 * 60 + 5);
    r = await checkin(a1.code);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.category, 'appointment');
    assert.match(r.json.number, /^A\d{3}$/);
    assert.equal((await checkin(a1.code)).status, 409, 'checked in once');
    at(a2.slot_start + 15 * 60 - 10);
    r = await checkin(a2.code);
    assert.equal(r.json.category, 'appointment', 'up to 15 minutes late is in time');
    at(a3.slot_start + 15 * 60 + 10);
    r = await checkin(a3.code);
    assert.equal(r.status, 201);
    assert.equal(r.json.category, 'normal', 'a late arrival gets a normal ticket');
    assert.equal((await checkin('nonesuch')).status, 404);
    // the next day the unchecked appointment is a no-show (background job)
    at(a4.slot_start + 86400);
    let mine;
    for (let i = 0; i < 40; i++) {
      mine = (await zs.get('/api/v1/hall/appointments')).json.items;
      if (mine.find((a) => a.id === a4.id).state === 'no_show') break;
      await new Promise((res) => setTimeout(res, 250));
    }
    assert.equal(mine.find((a) => a.id === a4.id).state, 'no_show');
    assert.equal(mine.find((a) => a.id === a1.id).state, 'checked_in');
    const out = cli(s2, ['audit', 'verify']);
    assert.match(out, /intact/);
  } finally {
    await s2.stop();
  }
});
