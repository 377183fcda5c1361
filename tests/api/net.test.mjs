// Connections, streams and request bodies under attack (platform/http.c, platform/sse.c):
// slow and idle connections are cut by the header and body deadlines; event streams are capped
// in total and per address (503 with Retry-After); a body is refused before it is read when the
// caller is not allowed or it is too large; uploads stream to a temporary file and keep working;
// the server-wide budget for bodies held in memory answers 503 when spent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { startServer, Client, as } from './helpers.mjs';
import { pdfBytes } from './samples.mjs';

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

// A raw connection: what it received, and whether and when the server closed it.
function raw(base, { localAddress } = {}) {
  const u = new URL(base);
  const sock = net.connect({ host: u.hostname, port: Number(u.port), localAddress });
  const c = { sock, data: '', closed: false, waiters: [] };
  const check = () => { c.waiters = c.waiters.filter((w) => !w()); };
  sock.setEncoding('utf8');
  sock.on('data', (d) => { c.data += d; check(); });
  sock.on('close', () => { c.closed = true; check(); });
  sock.on('error', () => {});
  c.connected = new Promise((r) => sock.on('connect', r));
  c.until = (pred, ms, what) => new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`raw connection: ${what} not seen in ${ms} ms; got ${JSON.stringify(c.data.slice(0, 200))}`)), ms);
    const w = () => { if (pred(c)) { clearTimeout(t); resolve(c); return true; } return false; };
    if (!w()) c.waiters.push(w);
  });
  // Resolves with the status of the first response once its head has arrived.
  c.status = (ms = 5000) => c.until((x) => /\r\n\r\n/.test(x.data), ms, 'a response').then(() => Number(c.data.split(' ')[1]));
  c.write = (s) => { if (!sock.destroyed) sock.write(s); };
  c.close = () => sock.destroy();
  return c;
}

// One event stream; resolves with {status, headers, body (for a refusal), close}.
function stream(base, { localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/api/v1/hall/1/events`, { agent: false, localAddress }, (res) => {
      if (res.statusCode === 200) {
        res.once('data', () => resolve({ status: 200, headers: res.headers, close: () => req.destroy() }));
        return;
      }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: JSON.parse(body), close: () => {} }));
    });
    req.on('error', reject);
  });
}

let srv, filesDir;
before(async () => {
  filesDir = mkdtempSync(path.join(tmpdir(), 'yiwang-net-'));
  srv = await startServer({
    config: {
      files_dir: filesDir,
      // libmicrohttpd's idle timeout is long, so only the deadlines under test can cut
      timeout: 120,
      header_timeout: 1,
      body_timeout: 1,
      body_min_rate_kb: 1,
      sse_max_streams: 3,
      sse_heartbeat_seconds: 1, // a suspended stream learns of its client's close at the next write
      sse_max_streams_per_ip: 2,
      body_memory_kb: 24,
      max_upload_kb: 20 * 1024,
    },
  });
});
after(() => srv.stop());

test('a client that trickles its headers, or sends nothing, is cut off by the header deadline', async () => {
  const trickle = raw(srv.base);
  const idle = raw(srv.base);
  await Promise.all([trickle.connected, idle.connected]);
  trickle.write('GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  const timer = setInterval(() => trickle.write('X'), 200); // one byte at a time, never the blank line
  try {
    await trickle.until((c) => c.closed, 6000, 'the close of a trickling connection');
    await idle.until((c) => c.closed, 6000, 'the close of an idle connection');
  } finally {
    clearInterval(timer);
  }
  assert.equal(trickle.data, '', 'no answer to headers that never completed');
  assert.equal(idle.data, '');

  // A client that sends its request at once is answered on a kept-alive connection.
  const ok = raw(srv.base);
  await ok.connected;
  ok.write('GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  assert.equal(await ok.status(), 200);
  ok.close();
});

test('a body that arrives too slowly is cut off by the body deadline', async () => {
  const slow = raw(srv.base);
  await slow.connected;
  slow.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{');
  const timer = setInterval(() => slow.write(' '), 300); // far below the least rate of 1 KiB/s
  try {
    await slow.until((c) => c.closed, 8000, 'the close of a slow body');
  } finally {
    clearInterval(timer);
  }
  assert.equal(slow.data, '', 'the request was never answered');

  // The same request at full speed is read and answered.
  const r = await new Client(srv.base).post('/api/v1/auth/login', { username: 'window01', password: 'wrong-password', pad: ' '.repeat(3900) });
  assert.equal(r.status, 401, r.text);
});

test('event streams are capped per address and in total: 503 with Retry-After and a Chinese message', async () => {
  const a1 = await stream(srv.base);
  const a2 = await stream(srv.base);
  assert.equal(a1.status, 200);
  assert.equal(a2.status, 200);
  const a3 = await stream(srv.base);
  assert.equal(a3.status, 503, 'a third stream from the same address');
  assert.ok(Number(a3.headers['retry-after']) > 0, 'Retry-After');
  assert.match(a3.body.error.message, /[\u4e00-\u9fa5]/);
  const b1 = await stream(srv.base, { localAddress: '127.0.0.2' });
  assert.equal(b1.status, 200, 'another address still gets one');
  const c1 = await stream(srv.base, { localAddress: '127.0.0.3' });
  assert.equal(c1.status, 503, 'the total cap of 3 is reached');
  assert.ok(Number(c1.headers['retry-after']) > 0);

  // A stream that ends gives its place back (once the heartbeat finds the client gone).
  a1.close();
  let again;
  for (let i = 0; i < 50; i++) {
    again = await stream(srv.base, { localAddress: '127.0.0.3' });
    if (again.status === 200) break;
    await sleep(100);
  }
  assert.equal(again.status, 200, 'a place freed by a closed stream is taken again');
  for (const s of [a2, b1, again]) s.close();
});

test('an anonymous big body is refused before it is read: 401 without sending the body', async () => {
  const c = raw(srv.base);
  await c.connected;
  c.write(`POST /api/v1/files?name=big.pdf HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/pdf\r\nContent-Length: ${19 * 1024 * 1024}\r\n\r\n`);
  assert.equal(await c.status(), 401, 'answered with the body never sent');
  assert.match(c.data, /请先登录/);
  c.close();

  // A public route takes only a small body before sign-in: 413, again without reading it.
  const d = raw(srv.base);
  await d.connected;
  d.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${1024 * 1024}\r\n\r\n`);
  assert.equal(await d.status(), 413);
  d.close();

  // A client that does send the whole body still reads its 401 (the socket lingers, no reset).
  const r = await new Client(srv.base).req('POST', '/api/v1/files?name=big.pdf', Buffer.alloc(3 * 1024 * 1024, 0x20), { 'Content-Type': 'application/pdf' });
  assert.equal(r.status, 401);
});

test('signed-in uploads still work, streamed to a temporary file and hashed as they arrive', async () => {
  const citizen = await as(srv.base, 'zhangsan');
  const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2 * 1024 * 1024, 0x20), pdfBytes('streamed')]);
  let r = await citizen.req('POST', '/api/v1/files?name=big.pdf', big, { 'Content-Type': 'application/pdf' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.size, big.length);
  assert.equal(r.json.sha256, createHash('sha256').update(big).digest('hex'));
  const got = await citizen.get(r.json.url);
  assert.equal(got.text.length, big.length);

  // The same content sent chunked (no Content-Length) arrives whole.
  const body = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300 * 1024, 0x41), pdfBytes('chunked')]);
  const u = new URL(srv.base);
  const status = await new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: '/api/v1/files?name=chunked.pdf',
      headers: { Cookie: citizen.cookie, 'X-CSRF-Token': citizen.csrf, 'Content-Type': 'application/pdf', 'Transfer-Encoding': 'chunked' } }, (res) => {
      let t = '';
      res.on('data', (d) => { t += d; });
      res.on('end', () => resolve([res.statusCode, JSON.parse(t)]));
    });
    req.on('error', reject);
    for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
    req.end();
  });
  assert.equal(status[0], 201, JSON.stringify(status[1]));
  assert.equal(status[1].sha256, createHash('sha256').update(body).digest('hex'));

  // A file that is not an accepted type is refused and its temporary file removed.
  r = await citizen.req('POST', '/api/v1/files?name=x.txt', Buffer.alloc(100 * 1024, 0x41), { 'Content-Type': 'text/plain' });
  assert.equal(r.status, 415);
  assert.deepEqual(readdirSync(filesDir).filter((f) => f.startsWith('.upload-')), [], 'no temporary upload left behind');
});

test('the server-wide budget for bodies in memory answers 503 with Retry-After when spent', async () => {
  // An anonymous request reserves its 16 KB Content-Length of the 24 KB budget and holds it.
  const held = raw(srv.base);
  await held.connected;
  held.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 16000\r\nExpect: 100-continue\r\n\r\n');
  // "100 Continue" comes once the headers were checked and the body's share reserved
  await held.until((c) => /^HTTP\/1\.1 100/.test(c.data), 5000, '100 Continue');
  held.write('{"username":"');
  const refused = raw(srv.base);
  await refused.connected;
  refused.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n');
  assert.equal(await refused.status(), 503);
  assert.match(refused.data, /Retry-After: \d+/i);
  assert.match(refused.data, /服务器繁忙/);
  refused.close();
  // A small body still fits beside the held one.
  const small = await new Client(srv.base).post('/api/v1/auth/login', { username: 'window01', password: 'wrong-password' });
  assert.equal(small.status, 401);
  // Once the held request ends, its share is free again.
  held.close();
  await sleep(200);
  const r = await new Client(srv.base).post('/api/v1/auth/login', { username: 'window01', password: 'wrong-password', pad: ' '.repeat(9000) });
  assert.equal(r.status, 401, r.text);
});
