// Server-Sent Events (platform/sse.c): the display board's stream of a hall and hall
// announcements (大厅公告). Boards receive a published event within a second; fifty boards all
// receive it; a board that stops reading or goes away blocks nobody; heartbeats keep streams
// alive; SIGTERM with open streams ends them and exits 0.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { startServer, Client, as } from './helpers.mjs';
import { pairDevice } from './hall_helpers.mjs';

// A display board: one stream, its parsed events ({event, data, at}) and comment lines.
function board(base, hall = 1) {
  const b = { events: [], comments: [], status: 0, headers: null, ended: false, waiters: [] };
  const check = () => { b.waiters = b.waiters.filter((w) => !w()); };
  b.ready = new Promise((resolve, reject) => {
    b.req = http.get(`${base}/api/v1/hall/${hall}/events`, { agent: false }, (res) => {
      b.status = res.statusCode;
      b.headers = res.headers;
      res.setEncoding('utf8');
      let buf = '';
      let first = true;
      res.on('data', (chunk) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = { at: performance.now() };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) b.comments.push(line);
            else if (line.startsWith('event: ')) ev.event = line.slice(7);
            else if (line.startsWith('data: ')) ev.data = JSON.parse(line.slice(6));
            else if (line.startsWith('retry: ')) ev.retry = Number(line.slice(7));
          }
          if (ev.event) b.events.push(ev);
          if (first) { first = false; b.hello = ev; resolve(b); }
        }
        check();
      });
      res.on('end', () => { b.ended = true; check(); });
      res.on('error', () => { b.ended = true; check(); });
      if (res.statusCode !== 200) res.on('end', () => resolve(b));
    });
    b.req.on('error', (e) => { b.ended = true; check(); reject(e); });
  });
  // Resolves when pred(b) holds, or rejects after ms.
  b.until = (pred, ms = 1000) => new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`board: condition not met in ${ms} ms`)), ms);
    const w = () => { if (pred(b)) { clearTimeout(t); resolve(b); return true; } return false; };
    if (!w()) b.waiters.push(w);
  });
  b.close = () => b.req.destroy();
  return b;
}

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

let srv, admin;
before(async () => {
  srv = await startServer({ config: { sse_heartbeat_seconds: 1, sse_max_streams_per_ip: 100 } });
  admin = await as(srv.base, 'center_admin');
});
after(() => srv.stop());

test('the stream of a hall: event-stream headers, a reconnection delay first, 404 for no hall', async () => {
  const b = await board(srv.base).ready;
  assert.equal(b.status, 200);
  assert.match(b.headers['content-type'], /^text\/event-stream/);
  assert.equal(b.headers['cache-control'], 'no-store');
  assert.equal(b.hello.retry, 3000);
  b.close();
  for (const bad of ['999', 'abc', '0', '-1']) {
    const r = await new Client(srv.base).get(`/api/v1/hall/${bad}/events`);
    assert.equal(r.status, 404, bad);
    assert.equal(r.json.error.message, '大厅不存在');
  }
  const head = await new Client(srv.base).req('HEAD', '/api/v1/hall/1/events');
  assert.equal(head.status, 200);
  assert.match(head.headers.get('content-type'), /^text\/event-stream/);
});

test('an announcement reaches the board of its hall within a second, and no other hall', async () => {
  const b1 = await board(srv.base, 1).ready;
  const b2 = await board(srv.base, 2).ready;
  const t0 = performance.now();
  const r = await admin.post('/api/v1/hall/1/announce', { text: '各位办事群众:午间12:00-13:00延时服务' });
  assert.equal(r.status, 200, r.text);
  // boards counts streams the server still holds: a board closed by an earlier test is let go
  // only when a write to it fails
  assert.ok(r.json.boards >= 1);
  await b1.until((b) => b.events.some((e) => e.event === 'announce'));
  const ev = b1.events.find((e) => e.event === 'announce');
  assert.ok(ev.at - t0 < 1000, `received after ${ev.at - t0} ms`);
  assert.equal(ev.data.text, '各位办事群众:午间12:00-13:00延时服务');
  assert.equal(ev.data.hall_id, 1);
  assert.equal(typeof ev.data.at, 'number');
  await sleep(200);
  assert.equal(b2.events.length, 0, 'hall 2 got nothing');
  b1.close();
  b2.close();
});

test('a window calling a ticket reaches the display board of its hall within a second', async () => {
  const b = await board(srv.base, 1).ready;
  const kiosk = await pairDevice(srv.base, 1, 'kiosk');
  const t = await kiosk.post('/api/v1/hall/tickets', { queue_id: 7 }); // G 税务, served by window 18
  assert.equal(t.status, 201, t.text);
  const clerk = await as(srv.base, 'window18');
  const t0 = performance.now();
  const r = await clerk.post('/api/v1/hall/windows/18/call');
  assert.equal(r.status, 200, r.text);
  await b.until((x) => x.events.some((e) => e.event === 'call' && e.data.number === t.json.number), 1000);
  const ev = b.events.find((e) => e.event === 'call' && e.data.number === t.json.number);
  assert.ok(ev.at - t0 < 1000, `on the board after ${Math.round(ev.at - t0)} ms`);
  assert.equal(ev.data.window_id, 18);
  assert.match(ev.data.text, new RegExp(`请${t.json.number}号到`));
  // a board opening now reads the same call as the hall's current state
  const state = await kiosk.get('/api/v1/hall/1/board');
  assert.ok(JSON.stringify(state.json).includes(t.json.number));
  b.close();
});

test('a bad announcement is refused with the field named and reaches no board', async () => {
  const b = await board(srv.base, 3).ready;
  for (const [body, field] of [[{}, 'text'], [{ text: '' }, 'text'], [{ text: '长'.repeat(201) }, 'text'], [{ text: 5 }, 'text']]) {
    const r = await admin.post('/api/v1/hall/3/announce', body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.equal(r.json.error.details[0].field, field);
  }
  const none = await admin.post('/api/v1/hall/999/announce', { text: '测试' });
  assert.equal(none.status, 404);
  const clerk = await as(srv.base, 'window01');
  assert.equal((await clerk.post('/api/v1/hall/3/announce', { text: '测试' })).status, 403);
  await sleep(200);
  assert.equal(b.events.length, 0);
  b.close();
});

test('fifty boards all receive an announcement within a second', async () => {
  const boards = await Promise.all(Array.from({ length: 50 }, () => board(srv.base, 2).ready));
  const t0 = performance.now();
  const r = await admin.post('/api/v1/hall/2/announce', { text: '请A012号到5号窗口办理' });
  assert.ok(r.json.boards >= 50);
  await Promise.all(boards.map((b) => b.until((x) => x.events.length === 1)));
  const worst = Math.max(...boards.map((b) => b.events[0].at - t0));
  assert.ok(worst < 1000, `slowest board after ${worst} ms`);
  for (const b of boards) assert.equal(b.events[0].data.text, '请A012号到5号窗口办理');
  boards.forEach((b) => b.close());
});

test('announcements published at the same time from several threads arrive whole and once each', async () => {
  const boards = await Promise.all(Array.from({ length: 5 }, () => board(srv.base, 2).ready));
  const texts = Array.from({ length: 100 }, (_, i) => `并发公告 ${i} ${'号'.repeat(i)}`);
  const rs = await Promise.all(texts.map((text) => admin.post('/api/v1/hall/2/announce', { text })));
  assert.ok(rs.every((r) => r.status === 200));
  for (const b of boards) {
    await b.until((x) => x.events.length === 100, 3000);
    assert.deepEqual(b.events.map((e) => e.data.text).sort(), [...texts].sort());
  }
  boards.forEach((b) => b.close());
});

test('a board that stops reading or goes away blocks nobody and is let go', async () => {
  // A client that subscribes and then never reads a byte.
  const port = Number(new URL(srv.base).port);
  const stuck = net.connect(port, '127.0.0.1');
  await new Promise((res) => stuck.on('connect', res));
  stuck.write('GET /api/v1/hall/3/events HTTP/1.1\r\nHost: x\r\n\r\n');
  stuck.pause();
  const gone = await board(srv.base, 3).ready;
  const live = await board(srv.base, 3).ready;
  await sleep(100);
  gone.close();
  const text = '大厅公告'.repeat(50);
  const t0 = performance.now();
  for (let i = 0; i < 40; i++) {
    const r = await admin.post('/api/v1/hall/3/announce', { text });
    assert.equal(r.status, 200);
  }
  await live.until((b) => b.events.length === 40, 2000);
  assert.ok(performance.now() - t0 < 2000);
  assert.ok(live.events.every((e) => e.data.text === text));
  // An idle stream's connection is parked on the server, which notices a closed board when a
  // write to it fails; after forty writes it no longer counts it.
  const r = await admin.post('/api/v1/hall/3/announce', { text: '测试' });
  assert.equal(r.json.boards, 2, 'the live board and the stuck one remain');
  live.close();
  stuck.destroy();
});

test('a board that falls too far behind is disconnected instead of queueing without bound', async (t) => {
  // A subscriber that reads the start of its stream and then nothing: its receive buffer and the
  // server's send buffer (fixed at 64 KiB for streams) fill, then its queue (SSE_CLIENT_QUEUE_MAX,
  // 64 KiB) overflows.
  const port = Number(new URL(srv.base).port);
  const slow = net.connect(port, '127.0.0.1');
  slow.write('GET /api/v1/hall/1/events HTTP/1.1\r\nHost: x\r\n\r\n');
  await new Promise((res) => slow.once('data', res)); // the server holds the subscription
  slow.pause();
  const live = await board(srv.base, 1).ready;
  await sleep(100);
  // Boards closed by earlier tests are let go on the second write after they left, so the count
  // of boards can drop for them too: what tells the slow board went is the server's log line.
  for (let i = 0; i < 3; i++) await admin.post('/api/v1/hall/1/announce', { text: '开始' });
  const drops = () => (srv.stderr().match(/fell \d+ bytes behind and is disconnected/g) || []).length;
  const earlier = drops();
  const text = '请携带身份证原件'.repeat(25);
  let sent = 3;
  while (drops() === earlier && sent < 2000) {
    assert.equal((await admin.post('/api/v1/hall/1/announce', { text })).status, 200);
    sent++;
  }
  assert.equal(drops(), earlier + 1, `the slow board is still queued after ${sent} announcements`);
  t.diagnostic(`the slow board was dropped after ${sent} announcements`);
  assert.ok(sent > 100, 'only after its 64 KiB queue filled, not at once');
  await live.until((b) => b.events.length === sent, 3000);
  slow.destroy();
  live.close();
});

test('heartbeat comments arrive on an idle stream', async () => {
  const b = await board(srv.base, 1).ready;
  await b.until((x) => x.comments.includes(': ping'), 2500);
  assert.equal(b.events.length, 0);
  b.close();
});

test('SIGTERM with open streams ends them and exits 0', async () => {
  const s = await startServer();
  const boards = await Promise.all(Array.from({ length: 5 }, (_, i) => board(s.base, 1 + (i % 3)).ready));
  const t0 = performance.now();
  assert.equal(await s.stop(), 0);
  assert.ok(performance.now() - t0 < 5000);
  await Promise.all(boards.map((b) => b.until((x) => x.ended, 1000)));
});
