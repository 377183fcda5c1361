// Display boards on Server-Sent Events: SSE_CLIENTS boards (500) subscribe to one hall's stream,
// then SSE_ANNOUNCEMENTS announcements (大厅公告, the same fan-out as a call) are published one
// every SSE_INTERVAL_MS. Each board's latency is the time from just before the publishing POST is
// sent to the arrival of the event on that board, on the one clock of this process. Also reports
// the server's threads, memory and CPU use with the boards connected and idle.
// Usage: node bench/sse.mjs [BIN] [OUT_DIR]; prints a Markdown section.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const BIN = process.argv[2] || process.env.YW_BIN || 'build/yiwang';
const OUT = process.argv[3] || 'bench/out';
const CLIENTS = Number(process.env.SSE_CLIENTS || 500);
const ANNOUNCEMENTS = Number(process.env.SSE_ANNOUNCEMENTS || 20);
const INTERVAL_MS = Number(process.env.SSE_INTERVAL_MS || 250);
const HALL = 1;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

mkdirSync(OUT, { recursive: true });
const db = path.join(OUT, 'sse.db');
for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
execFileSync(BIN, ['--db', db, 'demo'], { stdio: 'ignore' });
const conf = path.join(OUT, 'sse.conf');
// All boards connect from this one address: the per-address limit (256 by default) must hold them.
writeFileSync(conf, `per_ip_limit = ${Math.max(1024, CLIENTS + 64)}\n`);

const server = spawn(BIN, ['--config', conf, '--db', db, 'serve', '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
let serverErr = '';
server.stderr.on('data', (d) => { serverErr += d; });
const base = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/listening on (http:\/\/\S+)/);
    if (m) resolve(m[1]);
  });
  server.on('exit', (code) => reject(new Error(`server exited ${code}: ${serverErr}`)));
});

async function api(method, url, body, headers = {}) {
  const r = await fetch(base + url, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: r.status, headers: r.headers, json: await r.json() };
}
const login = await api('POST', '/api/v1/auth/login', { username: 'center_admin', password: 'yiwang2026' });
const cookie = login.headers.get('set-cookie').match(/yw_session=[^;]*/)[0];
const tok = await api('POST', '/api/v1/auth/tokens', { name: 'bench-sse' }, { Cookie: cookie, 'X-CSRF-Token': login.json.csrf_token });
const auth = { Authorization: `Bearer ${tok.json.token}` };

// published[i] = time just before announcement i was sent; got[i] = latencies in ms.
const published = [];
const got = Array.from({ length: ANNOUNCEMENTS }, () => []);
let failed = 0;
function subscribe() {
  return new Promise((resolve) => {
    const req = http.get(`${base}/api/v1/hall/${HALL}/events`, { agent: false }, (res) => {
      if (res.statusCode !== 200) { failed++; res.resume(); resolve(null); return; }
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk) => {
        const now = performance.now();
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (block.startsWith('retry:')) resolve(req);
          const m = block.match(/^event: announce\ndata: (.*)$/m);
          if (m) {
            const n = Number(JSON.parse(m[1]).text.slice(6));
            got[n].push(now - published[n]);
          }
        }
      });
      res.on('error', () => {});
    });
    req.on('error', () => { failed++; resolve(null); });
  });
}

const t0 = performance.now();
const boards = await Promise.all(Array.from({ length: CLIENTS }, subscribe));
const subscribeMs = performance.now() - t0;
const connected = boards.filter(Boolean).length;

// The server with every board connected and idle.
const procStat = () => readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
const threads = Number(status.match(/Threads:\s+(\d+)/)[1]);
const rssMb = Number(status.match(/VmRSS:\s+(\d+)/)[1]) / 1024;
const ticks = () => Number(procStat()[11]) + Number(procStat()[12]); // utime + stime
const idleBefore = ticks();
await sleep(3000);
const idleCpuPct = ((ticks() - idleBefore) / 100 / 3) * 100; // clock ticks of 1/100 s

let reachedCounts = [];
for (let n = 0; n < ANNOUNCEMENTS; n++) {
  published[n] = performance.now();
  const r = await api('POST', `/api/v1/hall/${HALL}/announce`, { text: `bench ${n}` }, auth);
  reachedCounts.push(r.json.boards);
  await sleep(INTERVAL_MS);
}
await sleep(2000);

const stopAt = performance.now();
server.kill('SIGTERM');
const exitCode = await new Promise((r) => server.on('exit', (c) => r(c)));
const stopMs = performance.now() - stopAt;
boards.forEach((b) => b && b.destroy());

const all = got.flat().sort((a, b) => a - b);
const pct = (p) => (all.length ? all[Math.min(all.length - 1, Math.ceil((p / 100) * all.length) - 1)] : NaN);
const fmt = (v) => v.toFixed(1);
const complete = got.filter((g) => g.length === CLIENTS).length;
const worstPerAnnouncement = got.map((g) => (g.length ? Math.max(...g) : NaN));
const within1s = all.filter((v) => v < 1000).length;
const md = [
  '',
  `## Display boards on Server-Sent Events (bench/sse.mjs)`,
  `${CLIENTS} boards on one hall's stream (per_ip_limit raised for the one test address), ${ANNOUNCEMENTS} announcements ` +
    `one every ${INTERVAL_MS} ms; latency from just before the publishing POST to the event on each board, one clock.`,
  '',
  `| boards connected | received by all boards | deliveries | p50 ms | p99 ms | max ms | within 1 s | target |`,
  `|---|---|---|---|---|---|---|---|`,
  `| ${connected} of ${CLIENTS} | ${complete} of ${ANNOUNCEMENTS} announcements | ${all.length} of ${CLIENTS * ANNOUNCEMENTS} | ` +
    `${fmt(pct(50))} | ${fmt(pct(99))} | ${fmt(all[all.length - 1] ?? NaN)} | ${((within1s / (CLIENTS * ANNOUNCEMENTS)) * 100).toFixed(1)}% | p99 < 1000 ms, all boards |`,
  '',
  `Per announcement, boards reached (server count): min ${Math.min(...reachedCounts)}, max ${Math.max(...reachedCounts)}; ` +
    `slowest board per announcement: ${worstPerAnnouncement.map((v) => Math.round(v)).join(', ')} ms.`,
  '',
  `Server with the ${connected} boards connected and idle: ${threads} threads, ${rssMb.toFixed(0)} MB resident, ` +
    `${idleCpuPct.toFixed(1)}% of a core over 3 s (no thread and no polling per board). ` +
    `All ${CLIENTS} subscribed in ${fmt(subscribeMs)} ms. SIGTERM with the ${connected} streams open: exit ${exitCode} after ${fmt(stopMs)} ms.`,
];
if (failed) md.push('', `**${failed} subscriptions failed.**`);
console.log(md.join('\n'));
process.exit(exitCode === 0 && complete === ANNOUNCEMENTS ? 0 : 1);
