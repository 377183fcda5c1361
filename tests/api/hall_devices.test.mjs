// Anonymous writes that would exhaust a hall's resources (issue 8): tickets only from a paired
// kiosk, a signed-in applicant (one live ticket per queue) or the hall's staff; priority never
// self-declared; devices paired once and revocable; check-in only by a kiosk or the booking's
// owner, by its six-digit code; at most hall_max_open_bookings open bookings per applicant.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, cli, publishComingYears } from './helpers.mjs';
import { pairDevice, DeviceClient } from './hall_helpers.mjs';

const Q = { A: 1, D: 4, G: 7 };
let srv, kiosk, admin;
before(async () => {
  srv = await startServer();
  await publishComingYears(srv.base);
  admin = await as(srv.base, 'center_admin');
  kiosk = await pairDevice(srv.base, 1, 'kiosk', { manager: admin });
});
after(() => srv.stop());

const waiting = async (letter) => (await new Client(srv.base).get('/api/v1/hall/1/board')).json.queues.find((q) => q.letter === letter).waiting;

test('an anonymous ticket without a device is refused and nothing is stored', async () => {
  const before = await waiting('G');
  const anon = new Client(srv.base);
  let r = await anon.post('/api/v1/hall/tickets', { queue_id: Q.G });
  assert.equal(r.status, 401);
  assert.match(r.json.error.message, /自助取号机/);
  r = await new DeviceClient(srv.base, 'not-a-device-token').post('/api/v1/hall/tickets', { queue_id: Q.G });
  assert.equal(r.status, 401, 'an unknown device token is no device');
  // a board or a kiosk of another hall is not this hall's kiosk
  const board = await pairDevice(srv.base, 1, 'board', { manager: admin });
  assert.equal((await board.post('/api/v1/hall/tickets', { queue_id: Q.G })).status, 401);
  const other = await pairDevice(srv.base, 2, 'kiosk', { manager: admin });
  assert.equal((await other.post('/api/v1/hall/tickets', { queue_id: Q.G })).status, 401);
  // staff outside the hall's work issue nothing either
  r = await (await as(srv.base, 'scjg_shenpi')).post('/api/v1/hall/tickets', { queue_id: Q.G });
  assert.equal(r.status, 403);
  assert.equal(await waiting('G'), before);
  assert.equal((await kiosk.post('/api/v1/hall/tickets', { queue_id: Q.G })).status, 201);
  assert.equal(await waiting('G'), before + 1);
});

test('priority is never self-declared: the kiosk reads the ID number, the 导服台 grants the rest', async () => {
  const before = await waiting('D');
  let r = await kiosk.post('/api/v1/hall/tickets', { queue_id: Q.D, category: 'green' });
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /导服台/);
  r = await kiosk.post('/api/v1/hall/tickets', { queue_id: Q.D, category: 'disabled' });
  assert.equal(r.status, 403);
  r = await kiosk.post('/api/v1/hall/tickets', { queue_id: Q.D, category: 'elderly' });
  assert.equal(r.status, 403, 'elderly without an ID number');
  const zs = await as(srv.base, 'zhangsan');
  r = await zs.post('/api/v1/hall/tickets', { queue_id: Q.D, category: 'green' });
  assert.equal(r.status, 403, 'an applicant takes a normal ticket');
  assert.equal(await waiting('D'), before, 'nothing was issued');
  r = await kiosk.post('/api/v1/hall/tickets', { queue_id: Q.D, id_number: '110101195001010017' });
  assert.equal(r.json.category, 'elderly', 'born 1950: elderly from the ID number');
  r = await kiosk.post('/api/v1/hall/tickets', { queue_id: Q.D, id_number: '110101195001010018' });
  assert.equal(r.status, 422, 'a wrong check character is named');
  assert.equal(r.json.error.details[0].field, 'id_number');
  const future = '11010121500101001';
  const check = (s) => '10X98765432'[[...s].reduce((n, c, i) => n + Number(c) * [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2][i], 0) % 11];
  r = await kiosk.post('/api/v1/hall/tickets', { queue_id: Q.D, id_number: future + check(future) });
  assert.equal(r.status, 422, 'a birth date after today');
  assert.equal(r.json.error.details[0].field, 'id_number');
  assert.match(r.json.error.details[0].message, /出生日期/);
  // the clerk of a window of the hall, at the 导服台, grants the green channel
  r = await (await as(srv.base, 'window01')).post('/api/v1/hall/tickets', { queue_id: Q.D, category: 'green' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.category, 'green');
});

test('远程取号: one live ticket per queue and applicant', async () => {
  const ls = new Client(srv.base);
  const reg = await ls.post('/api/v1/auth/register', { kind: 'person', username: 'hall_remote', password: 'abc12345', name: '李四', id_number: '11010519491231002X', phone: '' });
  assert.equal(reg.status, 201, reg.text);
  ls.csrf = reg.json.csrf_token;
  const first = await ls.post('/api/v1/hall/tickets', { queue_id: Q.A });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.source, 'phone');
  assert.equal(first.json.category, 'normal', 'no elderly priority from home, whatever the age');
  const before = await waiting('A');
  const again = await Promise.all([ls.post('/api/v1/hall/tickets', { queue_id: Q.A }), ls.post('/api/v1/hall/tickets', { queue_id: Q.A })]);
  assert.deepEqual(again.map((r) => r.status), [409, 409]);
  assert.match(again[0].json.error.message, /已有等候中的号票/);
  assert.equal(await waiting('A'), before);
  assert.equal((await ls.post('/api/v1/hall/tickets', { queue_id: Q.G })).status, 201, 'another queue is another ticket');
  // once a window has called it, no longer live: called counts as live until served or skipped
  const w1 = await as(srv.base, 'window01');
  let r;
  for (let i = 0; i < 200; i++) {
    r = await w1.post('/api/v1/hall/windows/1/call');
    assert.equal(r.status, 200, r.text);
    const mine = r.json.acted_on.id === first.json.id;
    if (!mine) { await w1.post('/api/v1/hall/windows/1/skip'); continue; }
    assert.equal((await ls.post('/api/v1/hall/tickets', { queue_id: Q.A })).status, 409, 'called is still live');
    await w1.post('/api/v1/hall/windows/1/skip');
    break;
  }
  assert.equal((await ls.post('/api/v1/hall/tickets', { queue_id: Q.A })).status, 201, 'after a no-show a new ticket');
});

test('pairing: the code is six digits, used once, for its kind; the manager lists and revokes; a revoked device is refused', async () => {
  const made = await admin.post('/api/v1/hall/1/devices', { kind: 'kiosk', name: '东门取号机' });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.state, 'pending');
  const anon = new Client(srv.base);
  let r = await anon.post('/api/v1/hall/1/devices/pair', { code: made.json.pairing_code, kind: 'board' });
  assert.equal(r.status, 422, 'a kiosk code does not pair a board');
  assert.equal(r.json.error.details[0].field, 'code');
  r = await anon.post('/api/v1/hall/2/devices/pair', { code: made.json.pairing_code, kind: 'kiosk' });
  assert.equal(r.status, 422, 'nor a device of another hall');
  r = await anon.post('/api/v1/hall/1/devices/pair', { code: made.json.pairing_code, kind: 'kiosk' });
  assert.equal(r.status, 201, r.text);
  const k = new DeviceClient(srv.base, r.json.device_token);
  assert.equal(r.json.device.kind, 'kiosk');
  r = await anon.post('/api/v1/hall/1/devices/pair', { code: made.json.pairing_code, kind: 'kiosk' });
  assert.equal(r.status, 422, 'the code is used once');
  r = await anon.post('/api/v1/hall/1/devices/pair', { code: '12ab', kind: 'tv' });
  assert.deepEqual(r.json.error.details.map((d) => d.field).sort(), ['code', 'kind']);
  assert.equal((await k.get('/api/v1/hall/device')).json.name, '东门取号机');
  assert.equal((await k.post('/api/v1/hall/tickets', { queue_id: Q.G })).status, 201);
  // a pad belongs to a window of the hall
  r = await admin.post('/api/v1/hall/1/devices', { kind: 'pad', name: '评价器' });
  assert.equal(r.json.error.details[0].field, 'window_id');
  r = await admin.post('/api/v1/hall/1/devices', { kind: 'pad', name: '评价器', window_id: 101 });
  assert.equal(r.status, 422, 'window 101 is another hall\'s');
  assert.equal((await (await as(srv.base, 'window01')).get('/api/v1/hall/1/devices')).status, 403);

  const list = (await admin.get('/api/v1/hall/1/devices')).json.items;
  const row = list.find((d) => d.id === made.json.id);
  assert.equal(row.state, 'paired');
  assert.ok(row.last_seen >= row.paired_at);
  assert.equal(row.pairing_expires_at, null);
  r = await admin.post(`/api/v1/hall/devices/${made.json.id}/revoke`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.find((d) => d.id === made.json.id).state, 'revoked');
  assert.equal((await admin.post(`/api/v1/hall/devices/${made.json.id}/revoke`)).status, 409);
  const before = await waiting('G');
  r = await k.post('/api/v1/hall/tickets', { queue_id: Q.G });
  assert.equal(r.status, 401, 'a revoked kiosk issues nothing');
  assert.equal((await k.get('/api/v1/hall/device')).status, 401);
  assert.equal(await waiting('G'), before);
});

test('check-in: the kiosk of the hall by the six-digit code, or the owner; nobody else', async () => {
  const s2 = await startServer({ clock: true });
  await publishComingYears(s2.base);
  try {
    const zs = await as(s2.base, 'zhangsan');
    const k = await pairDevice(s2.base, 1, 'kiosk');
    const k2 = await pairDevice(s2.base, 2, 'kiosk');
    let day, slots;
    for (let i = 2; i < 20 && !slots?.length; i++) {
      day = new Date(Date.now() + i * 86400000 + 8 * 3600000).toISOString().slice(0, 10);
      slots = (await k.get(`/api/v1/hall/queues/${Q.A}/slots?date=${day}`)).json.slots;
    }
    const a = (await zs.post('/api/v1/hall/appointments', { queue_id: Q.A, date: day, time: '10:00' })).json;
    const b = (await zs.post('/api/v1/hall/appointments', { queue_id: Q.A, date: day, time: '09:30' })).json;
    assert.match(a.checkin_code, /^\d{6}$/);
    assert.notEqual(a.checkin_code, b.checkin_code, 'unique on the day');
    const qr = await zs.get(`/api/v1/hall/appointments/${a.id}/qr.svg`);
    assert.equal(qr.status, 200);
    assert.match(qr.headers.get('content-type'), /svg/);
    assert.equal((await (await as(s2.base, 'xiangjiang_food')).get(`/api/v1/hall/appointments/${a.id}/qr.svg`)).status, 404);
    s2.advance(a.slot_start - Math.floor(Date.now() / 1000) - 10 * 60);
    let r = await new Client(s2.base).post('/api/v1/hall/checkin', { code: a.checkin_code });
    assert.equal(r.status, 401, 'no anonymous check-in');
    r = await (await as(s2.base, 'window01')).post('/api/v1/hall/checkin', { code: a.checkin_code });
    assert.equal(r.status, 403);
    r = await k2.post('/api/v1/hall/checkin', { code: a.checkin_code });
    assert.equal(r.status, 404, 'a kiosk of another hall does not find it');
    r = await k.post('/api/v1/hall/checkin', { code: a.checkin_code });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.category, 'appointment');
    // the owner checks in their own by the booking's token (its QR code)
    r = await zs.post('/api/v1/hall/checkin', { code: b.code });
    assert.equal(r.status, 201, r.text);
  } finally {
    await s2.stop();
  }
});

test('an applicant holds at most hall_max_open_bookings (3) open bookings', async () => {
  const zs = await as(srv.base, 'zhangsan');
  let day, slots;
  for (let i = 2; i < 20 && !slots?.length; i++) {
    day = new Date(Date.now() + i * 86400000 + 8 * 3600000).toISOString().slice(0, 10);
    slots = (await kiosk.get(`/api/v1/hall/queues/${Q.A}/slots?date=${day}`)).json.slots;
  }
  const open = (await zs.get('/api/v1/hall/appointments')).json.items.filter((x) => x.state === 'booked').length;
  const made = [];
  for (let i = open; i < 3; i++) {
    const r = await zs.post('/api/v1/hall/appointments', { queue_id: Q.A, date: day, time: slots[i].time });
    assert.equal(r.status, 201, r.text);
    made.push(r.json);
  }
  const count = async () => (await zs.get('/api/v1/hall/appointments')).json.items.length;
  const n = await count();
  let r = await zs.post('/api/v1/hall/appointments', { queue_id: Q.A, date: day, time: slots[5].time });
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /最多3个/);
  assert.equal(await count(), n, 'nothing stored');
  assert.equal((await zs.post(`/api/v1/hall/appointments/${made[0].id}/cancel`)).status, 200);
  r = await zs.post('/api/v1/hall/appointments', { queue_id: Q.A, date: day, time: slots[5].time });
  assert.equal(r.status, 201, 'a cancelled booking frees its place');
});

test('wrong pairing codes from one address are throttled', async () => {
  const s3 = await startServer();
  try {
    const anon = new Client(s3.base);
    let r;
    for (let i = 0; i < 10; i++) {
      r = await anon.post('/api/v1/hall/1/devices/pair', { code: String(100000 + i), kind: 'kiosk' });
      assert.equal(r.status, 422);
    }
    r = await anon.post('/api/v1/hall/1/devices/pair', { code: '999999', kind: 'kiosk' });
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers.get('retry-after')) > 0);
  } finally {
    await s3.stop();
  }
});

test('the audit trail is intact after the device work', () => {
  assert.match(cli(srv, ['audit', 'verify']), /intact/);
});
