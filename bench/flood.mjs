// Connections under attack (issue 8): FLOOD_SLOW slow or idle connections (10,000) and
// FLOOD_STREAMS open event streams (5,000) are held against one server at once, from many
// loopback addresses (127.2.x.y for the slow ones, 127.3.x.y for the streams, so the per-address
// limits are the realistic ones), while a signed-in window clerk (window01, session cookie) asks
// for their inbox (GET /api/v1/cases?scope=todo) FLOOD_REQUESTS times, one every
// FLOOD_INTERVAL_MS. Reports the clerk's p50 and p99 with and without the attack, their ratio,
// and the server's resident memory and CPU use.
//
// The slow connections are a third each: idle (connect, send nothing), slowloris (a request's
// headers a byte every FLOOD_TRICKLE_MS, never finished) and slow bodies (an anonymous sign-in
// whose 4,000-byte body trickles the same way). The server cuts them at its header and body
// deadlines; the attacker opens a new one for each one cut, so the number held stays at the
// target, as a real attacker's would. The attackers run in two child processes (each holds its
// sockets within the 20,000 open-file limit) at the lowest CPU priority, and the clerk in this
// one, so the clerk's timings are not delayed by the attackers' own event loops.
//
// Usage: node bench/flood.mjs [BIN] [OUT_DIR]; prints a Markdown section.
import { startBenchServer } from './server.mjs';
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- attacker processes ----
if (process.argv[2] === '--attack') {
  const [, , , kind, base, nStr] = process.argv;
  // A real attacker runs on other machines: here the attackers share the server's two cores, so
  // they run at the lowest priority, taking the CPU the server and the clerk leave.
  os.setPriority(19);
  const target = Number(nStr);
  const u = new URL(base);
  const port = Number(u.port);
  const TRICKLE_MS = Number(process.env.FLOOD_TRICKLE_MS || 3000);
  const addrs = kind === 'streams' ? 300 : 100; // 17 streams or 100 connections per address
  const stats = { open: 0, ok: 0, refused: 0, cut: 0, errors: 0 };
  const sockets = new Set();
  let seq = 0;
  function openOne() {
    const i = seq++;
    const k = i % addrs;
    const localAddress = `127.${kind === 'streams' ? 3 : 2}.${Math.floor(k / 200)}.${1 + (k % 200)}`;
    const mode = kind === 'streams' ? 'stream' : ['idle', 'headers', 'body'][i % 3];
    const s = net.connect({ host: u.hostname, port, localAddress });
    s.mode = mode;
    s.answered = false;
    sockets.add(s);
    stats.open++;
    s.on('connect', () => {
      if (mode === 'stream') s.write(`GET /api/v1/hall/1/events HTTP/1.1\r\nHost: ${u.host}\r\n\r\n`);
      else if (mode === 'headers') s.write(`GET /api/v1/health HTTP/1.1\r\nHost: ${u.host}\r\n`);
      else if (mode === 'body') s.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{`);
    });
    s.on('data', (d) => {
      if (s.answered) return;
      s.answered = true;
      if (/^HTTP\/1\.1 200/.test(d.toString('latin1', 0, 16))) stats.ok++;
      else stats.refused++;
    });
    s.on('error', () => { stats.errors++; });
    s.on('close', () => {
      sockets.delete(s);
      stats.open--;
      stats.cut++;
      if (!stopping) pending++;
    });
  }
  let stopping = false;
  let pending = target;
  // Open (and re-open) in batches, so the accept queue is not overrun by a single burst.
  setInterval(() => {
    const n = Math.min(pending, 400);
    pending -= n;
    for (let i = 0; i < n; i++) openOne();
  }, 50);
  // Trickle: every socket of a slow kind gets one byte every TRICKLE_MS, spread over the period.
  if (kind !== 'streams') {
    let turn = 0;
    const slices = Math.max(1, Math.round(TRICKLE_MS / 100));
    setInterval(() => {
      let k = 0;
      for (const s of sockets) {
        if (k++ % slices !== turn % slices || s.connecting || s.destroyed) continue;
        if (s.mode === 'headers') s.write('X');
        else if (s.mode === 'body') s.write(' ');
      }
      turn++;
    }, 100);
  }
  setInterval(() => { if (process.connected) process.send({ kind, ...stats }); }, 500);
  process.on('disconnect', () => process.exit(0));
  process.on('error', () => process.exit(0)); // the channel closed under a last report
  process.on('message', (m) => {
    if (m === 'stop') {
      stopping = true;
      for (const s of sockets) s.destroy();
      setTimeout(() => process.exit(0), 200);
    }
  });
} else {
  await main();
}

async function main() {
  const BIN = process.argv[2] || process.env.YW_BIN || 'build/yiwang';
  const OUT = process.argv[3] || 'bench/out';
  const SLOW = Number(process.env.FLOOD_SLOW || 10000);
  const STREAMS = Number(process.env.FLOOD_STREAMS || 5000);
  const REQUESTS = Number(process.env.FLOOD_REQUESTS || 400);
  // one request every INTERVAL_MS, so a run spans more than one header deadline (10 s) and so
  // the bursts of cuts and re-opens
  const INTERVAL_MS = Number(process.env.FLOOD_INTERVAL_MS || 30);

  mkdirSync(OUT, { recursive: true });
  // The defaults of docs/yiwang.conf.example: 20,000 connections, 256 per address, header and
  // body deadlines of 10 s, at most 6,000 public streams and 20 per address.
  const { server, base } = await startBenchServer({ bin: BIN, out: OUT, name: 'flood',
    config: { files_dir: path.join(OUT, 'flood-files') } });
  const status = () => {
    const s = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const kb = (k) => Number(s.match(new RegExp(`${k}:\\s+(\\d+)`))[1]);
    // user + system CPU seconds so far (fields 14 and 15 of /proc/PID/stat, in 1/100 s)
    const stat = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const cpu = (Number(stat[11]) + Number(stat[12])) / 100;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM'), fds: readdirSync(`/proc/${server.pid}/fd`).length, cpu, at: performance.now() };
  };
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

  // The clerk signs in as the web UI does and keeps one kept-alive connection.
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'window01', password: 'yiwang2026' }),
  });
  const cookie = login.headers.get('set-cookie').match(/yw_session=[^;]*/)[0];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  function get(url) {
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = http.get(base + url, { agent, headers: { Cookie: cookie } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0 }));
      });
      req.setTimeout(10000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
    });
  }
  const T0 = performance.now();
  async function clerkRun() {
    const ms = [];
    let bad = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const t = performance.now();
      const r = await get('/api/v1/cases?scope=todo').catch(() => ({ status: 0, ms: 10000 }));
      if (r.status !== 200) bad++;
      ms.push(r.ms);
      if (process.env.FLOOD_DEBUG && r.ms > 20) console.error(`slow clerk request: ${r.ms.toFixed(1)} ms at ${((t - T0) / 1000).toFixed(2)} s`);
      await sleep(Math.max(0, INTERVAL_MS - (performance.now() - t)));
    }
    ms.sort((a, b) => a - b);
    const q = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))];
    return { p50: q(0.5), p99: q(0.99), max: ms[ms.length - 1], bad };
  }
  for (let i = 0; i < 50; i++) await get('/api/v1/cases?scope=todo'); // warm-up
  const quietStart = status();
  const quiet = await clerkRun();
  const quietMem = status();
  const quietLoad = load();
  // Resets the peak (VmHWM), so the peak reported is the attack's, not the start-up's.
  writeFileSync(`/proc/${server.pid}/clear_refs`, '5');

  // The attack.
  const children = [];
  const latest = {};
  for (const [kind, n] of [['streams', STREAMS], ['slow', SLOW]]) {
    const c = fork(new URL(import.meta.url).pathname, ['--attack', kind, base, String(n)], { stdio: 'inherit' });
    c.on('message', (m) => { latest[m.kind] = m; });
    children.push(c);
  }
  const t0 = Date.now();
  // Held: every stream answered 200 and open, and the slow connections at their target.
  while (Date.now() - t0 < 60000) {
    await sleep(500);
    const st = latest.streams, sl = latest.slow;
    if (st && sl && st.ok >= STREAMS && st.open >= STREAMS && sl.open >= SLOW * 0.98) break;
  }
  // Past the first header deadline, so cuts and re-opens are under way while the clerk works.
  await sleep(Math.max(0, 12000 - (Date.now() - t0)));
  const held = { streams: { ...latest.streams }, slow: { ...latest.slow } };
  const duringMem = status();
  const attacked = await clerkRun();
  const afterMem = status();
  const attackLoad = load();
  const end = { streams: { ...latest.streams }, slow: { ...latest.slow } };
  for (const c of children) c.send('stop');
  await sleep(500);
  const health = await fetch(`${base}/api/v1/health`).then((r) => r.status).catch(() => 0);
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));

  const f = (x) => x.toFixed(1);
  const mb = (kb) => Math.round(kb / 1024);
  // the server's CPU use between two samples, in % of one core
  const pct = (a, b) => `${Math.round((100 * (b.cpu - a.cpu)) / ((b.at - a.at) / 1000))}%`;
  console.log(`
## Connections under attack (bench/flood.mjs)

${new Date().toISOString().slice(0, 16)}Z, ${SLOW} slow or idle connections (a third each idle, slowloris headers, slow
bodies; re-opened as the deadlines cut them) and ${STREAMS} event streams, from 400 loopback addresses,
while window01 asks for their inbox ${REQUESTS} times, one request every ${INTERVAL_MS} ms on one kept-alive connection.

| | clerk p50 ms | clerk p99 ms | clerk max ms | failed | server RSS MB | open descriptors | server CPU | machine load |
|---|---|---|---|---|---|---|---|---|
| no attack | ${f(quiet.p50)} | ${f(quiet.p99)} | ${f(quiet.max)} | ${quiet.bad} | ${mb(quietMem.rss)} | ${quietMem.fds} | ${pct(quietStart, quietMem)} | ${quietLoad} |
| under attack | ${f(attacked.p50)} | ${f(attacked.p99)} | ${f(attacked.max)} | ${attacked.bad} | ${mb(afterMem.rss)} (peak during the attack ${mb(afterMem.hwm)}) | ${duringMem.fds} | ${pct(duringMem, afterMem)} | ${attackLoad} |

p99 under attack / without = **${f(attacked.p99 / quiet.p99)}** (target: p99 under attack < 100 ms). Server CPU is
its user + system time during the clerk's run; machine load is the 1-minute load average of the
2-core machine, which other work shares.

Held when the clerk started: ${held.streams.open} streams open (${held.streams.ok} answered 200, ${held.streams.refused} refused), ${held.slow.open} slow connections open.
During the clerk's run the server cut ${end.slow.cut - held.slow.cut} slow connections at its deadlines and the attacker re-opened them.
Health after the attack: ${health}.`);
  process.exit(0);
}
