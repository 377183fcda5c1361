// Display boards on Server-Sent Events: SSE_CLIENTS boards (500) subscribe to one hall's stream,
// then SSE_ANNOUNCEMENTS rounds run one every SSE_INTERVAL_MS: the kiosk issues a ticket for queue
// G, window 18's clerk calls it (the call the boards must show), starts and finishes it. Each
// board's latency is the time from just before the call's POST is sent to the arrival of that
// call on the board, on the one clock of this process. Also reports the server's threads, memory
// and CPU use with the boards connected and idle.
// Usage: node bench/sse.mjs [BIN] [OUT_DIR]; prints a Markdown section.
import { startBenchServer } from './server.mjs';
import { pairDevice } from './pair.mjs';
import { mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';

const BIN = process.argv[2] || process.env.YW_BIN || 'build/yiwang';
const OUT = process.argv[3] || 'bench/out';
const CLIENTS = Number(process.env.SSE_CLIENTS || 500);
const ANNOUNCEMENTS = Number(process.env.SSE_CALLS || 20); // rounds: one call each
const INTERVAL_MS = Number(process.env.SSE_INTERVAL_MS || 250);
const HALL = 1;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

mkdirSync(OUT, { recursive: true });
// All boards connect from this one address: the per-address limits on connections (256 by
// default) and on public streams (20) must hold them.
const { server, base } = await startBenchServer({ bin: BIN, out: OUT, name: 'sse',
  config: { per_ip_limit: Math.max(1024, CLIENTS + 64), sse_max_streams_per_ip: CLIENTS } });

async function api(method, url, body, headers = {}) {
  const r = await fetch(base + url, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: r.status, headers: r.headers, json: await r.json() };
}
// window 18 (G 税务) calls; its clerk works with an API token
const clerkLogin = await api('POST', '/api/v1/auth/login', { username: 'window18', password: 'yiwang2026' });
const clerkCookie = clerkLogin.headers.get('set-cookie').match(/yw_session=[^;]*/)[0];
const clerkTok = await api('POST', '/api/v1/auth/tokens', { name: 'bench-sse' }, { Cookie: clerkCookie, 'X-CSRF-Token': clerkLogin.json.csrf_token });
const clerk = { Authorization: `Bearer ${clerkTok.json.token}` };
const QUEUE_G = 7, WINDOW = 18;
// tickets come only from a registered kiosk of the hall (docs/operations.md, "Hall devices")
const kiosk = { 'X-Device-Token': await pairDevice(base, HALL, 'kiosk') };
const roundOf = new Map(); // ticket number → round

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
          const m = block.match(/^event: call\ndata: (.*)$/m);
          const n = m ? roundOf.get(JSON.parse(m[1]).number) : undefined;
          if (n !== undefined) got[n].push(now - published[n]);
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

for (let n = 0; n < ANNOUNCEMENTS; n++) {
  const t = await api('POST', '/api/v1/hall/tickets', { queue_id: QUEUE_G }, kiosk);
  roundOf.set(t.json.number, n);
  published[n] = performance.now();
  const r = await api('POST', `/api/v1/hall/windows/${WINDOW}/call`, {}, clerk);
  if (r.status !== 200 || r.json.acted_on.number !== t.json.number) throw new Error(`call ${n}: ${r.status} ${JSON.stringify(r.json)}`);
  await sleep(INTERVAL_MS);
  await api('POST', `/api/v1/hall/windows/${WINDOW}/start`, {}, clerk);
  await api('POST', `/api/v1/hall/windows/${WINDOW}/finish`, {}, clerk);
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
  `${CLIENTS} boards on one hall's stream (per_ip_limit raised for the one test address), ${ANNOUNCEMENTS} calls ` +
    `(kiosk ticket → window 18 calls it), one every ${INTERVAL_MS} ms or so; latency from just before the call's POST to the call on each board, one clock.`,
  '',
  `| boards connected | received by all boards | deliveries | p50 ms | p99 ms | max ms | within 1 s | target |`,
  `|---|---|---|---|---|---|---|---|`,
  `| ${connected} of ${CLIENTS} | ${complete} of ${ANNOUNCEMENTS} calls | ${all.length} of ${CLIENTS * ANNOUNCEMENTS} | ` +
    `${fmt(pct(50))} | ${fmt(pct(99))} | ${fmt(all[all.length - 1] ?? NaN)} | ${((within1s / (CLIENTS * ANNOUNCEMENTS)) * 100).toFixed(1)}% | p99 < 1000 ms, all boards |`,
  '',
  `Slowest board per call: ${worstPerAnnouncement.map((v) => Math.round(v)).join(', ')} ms.`,
  '',
  `Server with the ${connected} boards connected and idle: ${threads} threads, ${rssMb.toFixed(0)} MB resident, ` +
    `${idleCpuPct.toFixed(1)}% of a core over 3 s (no thread and no polling per board). ` +
    `All ${CLIENTS} subscribed in ${fmt(subscribeMs)} ms. SIGTERM with the ${connected} streams open: exit ${exitCode} after ${fmt(stopMs)} ms.`,
];
if (failed) md.push('', `**${failed} subscriptions failed.**`);
console.log(md.join('\n'));
process.exit(exitCode === 0 && complete === ANNOUNCEMENTS ? 0 : 1);
