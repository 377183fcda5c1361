// Several servers on one PostgreSQL database (issue 10, "Several servers on one PostgreSQL"): two
// `yiwang serve` processes behave as one system. An item published on node A is found by search
// on node B within a second; a ticket taken on A and called on B reaches a board streaming from A
// within a second; simultaneous ticket takes and calls spread over both nodes never give the same
// number or ticket; kill -9 of a node during writes loses nothing it acknowledged, and its
// background jobs move to the other node. Sessions and device tokens work on either node.
//
// Runs only when YW_TEST_PG_URL names a PostgreSQL database (e.g. scripts/pg-cluster.sh start):
// the test makes a database of its own beside it, fills it with the demo city and removes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { BIN, ROOT, Client, sampleItem } from './helpers.mjs';
import { pairDevice } from './hall_helpers.mjs';

const PG = process.env.YW_TEST_PG_URL;
const skip = PG ? false : 'YW_TEST_PG_URL is not set';
const Q = { A: 1, B: 2, C: 3 }; // demo hall 1: A 综合受理 (windows 1-8, 24), B 不动产, C 公积金 (window 21)
const WINDOWS = Array.from({ length: 20 }, (_, i) => i + 1); // hall 1's windows 1-20 (window21 serves C)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let dir, conf, dbName, dbUrl, nodeA, nodeB, kioskA;

function psql(sql) {
  execFileSync('psql', [PG, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { stdio: 'pipe' });
}

// A `yiwang serve` on the shared database; its log (stderr) is kept for the job checks.
async function startNode(name) {
  const proc = spawn(BIN, ['--config', conf, '--db', dbUrl, 'serve', '--port', '0'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const node = { name, proc, log: '', dead: false };
  proc.stderr.on('data', (d) => { node.log += d; });
  node.base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${node.log}`)), 15000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { node.dead = true; reject(new Error(`${name} exited ${code}: ${node.log}`)); });
  });
  node.kill = async (signal) => {
    if (node.dead) return;
    proc.kill(signal);
    await new Promise((r) => (proc.exitCode !== null || proc.signalCode ? r() : proc.on('exit', r)));
  };
  return node;
}

// A client signed in on one node (sessions are in the database: it may move to the other).
async function login(node, username) {
  const c = new Client(node.base);
  await c.login(username);
  return c;
}
const on = (c, node) => Object.assign(Object.create(Object.getPrototypeOf(c)), c, { base: node.base });

// A display board streaming hall 1 from base: its parsed events ({event, data, at}).
function board(base, hall = 1) {
  const b = { events: [], waiters: [] };
  const check = () => { b.waiters = b.waiters.filter((w) => !w()); };
  b.ready = new Promise((resolve, reject) => {
    b.req = http.get(`${base}/api/v1/hall/${hall}/events`, { agent: false }, (res) => {
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
            if (line.startsWith('event: ')) ev.event = line.slice(7);
            else if (line.startsWith('data: ')) ev.data = JSON.parse(line.slice(6));
          }
          if (ev.event) b.events.push(ev);
          if (first) { first = false; resolve(b); }
        }
        check();
      });
    });
    b.req.on('error', reject);
  });
  b.until = (pred, ms) => new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`board: condition not met in ${ms} ms`)), ms);
    const w = () => { if (pred(b)) { clearTimeout(t); resolve(b); return true; } return false; };
    if (!w()) b.waiters.push(w);
  });
  b.close = () => b.req.destroy();
  return b;
}

async function takeTicket(kiosk, queue_id) {
  const r = await kiosk.post('/api/v1/hall/tickets', { queue_id });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(path.join(tmpdir(), 'yiwang-cluster-'));
  mkdirSync(path.join(dir, 'files'));
  conf = path.join(dir, 'test.conf');
  // the files folder and the audit key file are shared by the nodes, as on a real cluster
  writeFileSync(conf, `files_dir = ${path.join(dir, 'files')}\naudit_key_file = ${path.join(dir, 'audit.key')}\n`);
  dbName = `yw_cluster_${process.pid}_${Date.now()}`;
  psql(`CREATE DATABASE ${dbName}`);
  const u = new URL(PG);
  u.pathname = `/${dbName}`;
  dbUrl = u.toString();
  execFileSync(BIN, ['--config', conf, '--db', dbUrl, 'demo', '--no-history'], { stdio: 'pipe' });
  // A starts first and takes every background job; B waits for them
  nodeA = await startNode('A');
  for (let i = 0; i < 50 && !/background job hall runs on this server/.test(nodeA.log); i++) await sleep(100);
  nodeB = await startNode('B');
  kioskA = await pairDevice(nodeA.base, 1, 'kiosk');
});

after(async () => {
  if (skip) return;
  for (const n of [nodeA, nodeB]) if (n) await n.kill('SIGTERM');
  if (process.env.YW_TEST_SHOW_LOGS) for (const n of [nodeA, nodeB]) if (n) console.error(`--- node ${n.name}\n${n.log}`);
  try { psql(`DROP DATABASE IF EXISTS ${dbName}`); } catch { /* left for the cluster's removal */ }
  rmSync(dir, { recursive: true, force: true });
});

test('an item published on node A is found by search on node B within a second', { skip }, async (t) => {
  const dept = await login(nodeA, 'scjg_admin');
  const admin = await login(nodeA, 'center_admin');
  const code = 'CLUS0000000000001';
  let r = await dept.post('/api/v1/admin/items', sampleItem(code, '长沙市市场监督管理局', '集群测试餐饮许可'));
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  assert.equal((await dept.post(`/api/v1/admin/items/${id}/submit`)).status, 200);
  const pubB = new Client(nodeB.base);
  const q = '/api/v1/items?q=' + encodeURIComponent('集群测试餐饮许可');
  r = await pubB.get(q); // B's index is built now, before the publish
  assert.equal(r.status, 200, r.text);
  assert.ok(!r.json.items.some((x) => x.code === code), 'not public before it is published');
  r = await admin.post(`/api/v1/admin/items/${id}/publish`);
  assert.equal(r.status, 200, r.text);
  const t0 = performance.now();
  let found = false;
  while (!found && performance.now() - t0 < 1000) {
    r = await pubB.get(q);
    found = r.json.items.length > 0 && r.json.items[0].code === code;
    if (!found) await sleep(50);
  }
  assert.ok(found, `node B found the item within a second (${Math.round(performance.now() - t0)} ms)`);
  t.diagnostic(`found on node B ${Math.round(performance.now() - t0)} ms after the publish`);
  r = await pubB.get(`/api/v1/items/${code}`);
  assert.equal(r.status, 200, 'and serves its guide');
});

test('cases submitted at once on both nodes reach the statistics of node B within a second', { skip }, async () => {
  const pub = new Client(nodeA.base);
  const list = (await pub.get('/api/v1/items?page_size=100')).json.items;
  let item;
  for (const it of list) {
    const g = (await pub.get(`/api/v1/items/${it.code}`)).json;
    // applied for online: served on a computer or a phone too (办理形式 2, 3), not the window only
    if (g.targets.includes(1) && g.forms.some((f) => f === 2 || f === 3)) { item = g; break; }
  }
  assert.ok(item, 'a demo item citizens apply for online');
  const supervisor = await login(nodeB, 'jiandu01');
  const now = new Date(Date.now() + 8 * 3600e3); // the city's local time (UTC+8)
  const dashUrl = `/api/v1/stats/dashboard?year=${now.getUTCFullYear()}&month=${now.getUTCMonth() + 1}`;
  const received = async () => {
    const r = await supervisor.get(dashUrl);
    assert.equal(r.status, 200, r.text);
    return r.json.kpi.received;
  };
  const before = await received(); // B's facts are loaded now
  const citizen = await login(nodeA, 'zhangsan');
  const body = { item_code: item.code, materials: item.materials.map((m) => m.name) };
  const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? on(citizen, nodeB) : citizen).post('/api/v1/cases', body)));
  for (const r of rs) assert.equal(r.status, 201, r.text);
  const t0 = performance.now();
  let got = before;
  while (got !== before + 20 && performance.now() - t0 < 1000) {
    got = await received();
    if (got !== before + 20) await sleep(50);
  }
  assert.equal(got, before + 20, `received on node B (${Math.round(performance.now() - t0)} ms)`);

  // A change whose transaction commits after a later change was seen is not missed: a transaction
  // moves one case out of this month and commits only after a new case, submitted meanwhile, has
  // reached node B's statistics (the log numbers the slow change below the one B has seen).
  const moved = rs[0].json.id;
  const slow = spawn('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-qc',
    `BEGIN; UPDATE cases SET submitted_day = '2000-01-01' WHERE id = ${moved}; SELECT pg_sleep(1.5); COMMIT;`], { stdio: 'ignore' });
  const slowDone = new Promise((r) => slow.on('exit', r));
  await sleep(300);
  assert.equal((await citizen.post('/api/v1/cases', body)).status, 201);
  assert.equal(await received(), before + 21, 'the new case is seen on B while the slow change is not committed');
  assert.equal(await slowDone, 0, 'psql committed');
  const t1 = performance.now();
  got = await received();
  while (got !== before + 20 && performance.now() - t1 < 1000) {
    got = await received();
    if (got !== before + 20) await sleep(50);
  }
  assert.equal(got, before + 20, 'the slow change reached node B too');
});

test('a ticket taken on node A and called on node B reaches a board streaming from A within a second', { skip }, async (ctx) => {
  const b = await board(nodeA.base).ready;
  const t = await takeTicket(kioskA, Q.C);
  // the clerk signs in on A; the session is used on B
  const clerk = on(await login(nodeA, 'window21'), nodeB);
  const t0 = performance.now();
  const r = await clerk.post('/api/v1/hall/windows/21/call');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.acted_on.number, t.number);
  await b.until((x) => x.events.some((e) => e.event === 'call' && e.data.number === t.number), 1000);
  const ev = b.events.find((e) => e.event === 'call' && e.data.number === t.number);
  assert.ok(ev.at - t0 < 1000, `${Math.round(ev.at - t0)} ms`);
  ctx.diagnostic(`the call reached node A's board ${Math.round(ev.at - t0)} ms after it was sent to node B`);
  assert.equal(ev.data.window_id, 21);
  b.close();
  // the board's current state on A knows the call made on B
  const state = await new Client(nodeA.base).get('/api/v1/hall/1/board');
  assert.equal(state.json.calls.find((x) => x.window_id === 21)?.number, t.number);
  // an announcement made on B reaches A's boards too
  const b2 = await board(nodeA.base).ready;
  const admin = await login(nodeB, 'center_admin');
  assert.equal((await admin.post('/api/v1/hall/1/announce', { text: '集群公告' })).status, 200);
  await b2.until((x) => x.events.some((e) => e.event === 'announce' && e.data.text === '集群公告'), 1000);
  b2.close();
});

test('20 simultaneous ticket takes and 20 simultaneous calls spread over both nodes never give the same number or ticket', { skip }, async () => {
  // windows 1-20 of hall 1 all serve queue A (set on node B), each clerk working on one node, alternately
  const admin = await login(nodeB, 'center_admin');
  for (const w of WINDOWS) {
    const r = await admin.put(`/api/v1/hall/windows/${w}/queues`, { queue_ids: [Q.A] });
    assert.equal(r.status, 200, r.text);
  }
  const kioskB = on(kioskA, nodeB);
  const taken = await Promise.all(Array.from({ length: 20 }, (_, i) => takeTicket(i % 2 ? kioskB : kioskA, Q.A)));
  assert.equal(new Set(taken.map((t) => t.number)).size, 20, `numbers: ${taken.map((t) => t.number)}`);
  const clerks = await Promise.all(WINDOWS.map((w, i) => login(i % 2 ? nodeB : nodeA, `window${String(w).padStart(2, '0')}`)));
  const rs = await Promise.all(WINDOWS.map((w, i) => clerks[i].post(`/api/v1/hall/windows/${w}/call`)));
  for (const r of rs) assert.equal(r.status, 200, r.text);
  const called = rs.map((r) => r.json.acted_on.id);
  assert.equal(new Set(called).size, 20, 'no ticket is called twice');
  assert.deepEqual([...called].sort((x, y) => x - y), taken.map((t) => t.id).sort((x, y) => x - y));
  // and a 21st call finds nobody waiting
  await clerks[0].post(`/api/v1/hall/windows/${WINDOWS[0]}/skip`);
  const r = await clerks[0].post(`/api/v1/hall/windows/${WINDOWS[0]}/call`);
  assert.equal(r.status, 409, r.text);
});

test('kill -9 of a node during writes loses nothing acknowledged; its background jobs move to the other', { skip }, async (t) => {
  assert.match(nodeA.log, /background job hall runs on this server/, 'A took the jobs when it started');
  assert.doesNotMatch(nodeB.log, /background job \S+ runs on this server/, 'B waited');
  const acked = [];
  let stop = false;
  const writer = async () => {
    while (!stop) {
      try {
        const r = await kioskA.post('/api/v1/hall/tickets', { queue_id: Q.B });
        if (r.status === 201) acked.push(r.json.token);
      } catch { return; /* the node is gone */ }
    }
  };
  const writers = Array.from({ length: 4 }, writer);
  await sleep(400);
  const killedAt = performance.now();
  await nodeA.kill('SIGKILL');
  stop = true;
  await Promise.all(writers);
  assert.ok(acked.length > 0, 'some tickets were acknowledged before the kill');
  const pub = new Client(nodeB.base);
  for (const token of acked) {
    const r = await pub.get(`/api/v1/hall/tickets/${token}`);
    assert.equal(r.status, 200, `acknowledged ticket ${token} is on node B`);
  }
  // B takes the jobs over (PostgreSQL ends the dead node's session, freeing its locks), one job
  // after another: wait for the last of them
  const jobs = ['hall', 'stats', 'supervision', 'files', 'cases.parallel', 'reviews', 'disclosure', 'hotline'];
  const moved = (job) => new RegExp(`background job ${job.replace('.', '\\.')} runs on this server`).test(nodeB.log);
  while (!jobs.every(moved) && performance.now() - killedAt < 10000) await sleep(100);
  const tookMs = Math.round(performance.now() - killedAt);
  for (const job of jobs) assert.ok(moved(job), `${job} moved (${tookMs} ms)`);
  assert.ok(tookMs < 5000, `jobs moved in ${tookMs} ms`);
  t.diagnostic(`${acked.length} acknowledged tickets kept; jobs moved to node B in ${tookMs} ms`);
  // B keeps working alone
  assert.equal((await on(kioskA, nodeB).post('/api/v1/hall/tickets', { queue_id: Q.B })).status, 201);
});

test('a node whose database connections are all cut (as in a failover) listens again and takes its jobs back', { skip }, async () => {
  // this database's job locks: the other test servers on the cluster hold their own
  const jobLocks = () => Number(execFileSync('psql', [dbUrl, '-Atc',
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 31095 AND objsubid = 1 " +
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"], { encoding: 'utf8' }).trim());
  const held = jobLocks(); // one per background job of every module
  assert.ok(held >= 6, `node B holds the jobs (${held})`);
  const b = await board(nodeB.base).ready;
  const clerk = await login(nodeB, 'window21');
  const logBefore = nodeB.log.length;
  psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbName}' AND pid <> pg_backend_pid()`);
  // the statement that finds its connection gone fails (500) and reconnects; later ones go through
  const kioskB = on(kioskA, nodeB);
  const retry = async (f) => {
    for (let i = 0; ; i++) {
      const r = await f();
      if (r.status !== 500 || i === 10) return r;
      await sleep(100);
    }
  };
  let r = await retry(() => kioskB.post('/api/v1/hall/tickets', { queue_id: Q.C }));
  assert.equal(r.status, 201, r.text);
  const number = r.json.number;
  await retry(() => clerk.post('/api/v1/hall/windows/21/skip')); // the window's ticket from before
  await sleep(1500); // the listener notices the cut when it next waits, and reconnects
  r = await retry(() => clerk.post('/api/v1/hall/windows/21/call'));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.acted_on.number, number);
  await b.until((x) => x.events.some((e) => e.event === 'call' && e.data.number === number), 1000);
  b.close();
  assert.match(nodeB.log.slice(logBefore), /events: the listening connection failed; reconnecting/);
  for (let i = 0; i < 30 && jobLocks() !== held; i++) await sleep(100);
  assert.equal(jobLocks(), held, 'the jobs are held again');
});
