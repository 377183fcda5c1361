// Test helpers: start a real `yiwang serve` on a free port with its own database, and talk to it
// over HTTP like a browser (cookie + CSRF header) or a machine (bearer token).
//
// The engine: SQLite files by default; with YW_TEST_PG_URL set (the URL printed by
// scripts/pg-cluster.sh, a throwaway cluster), every database is a fresh PostgreSQL database in
// that cluster instead. A "city" below is one database with what opens it: { engine, db (file
// path or URL), dir (its temporary folder), conf (a configuration file for the server and the
// CLI), keyFile (its audit key file) }. A server object is a city too.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdtempSync, mkdirSync, copyFileSync, existsSync, statSync, writeFileSync, renameSync, rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const BIN = process.env.YW_BIN || path.join(ROOT, 'build/yiwang');
export const PASSWORD = 'yiwang2026';
export const PG_URL = process.env.YW_TEST_PG_URL || '';
export const ENGINE = PG_URL ? 'postgres' : 'sqlite';

// The audit key file of a city (or of an SQLite database path): for SQLite the database path plus
// ".auditkey", for PostgreSQL FILES_DIR/yiwang.auditkey (config.c config_audit_key_file).
export const keyFile = (x) => (typeof x === 'string' ? `${x}.auditkey` : x.keyFile);

export function yiwang(args, opts = {}) {
  return execFileSync(BIN, args, { encoding: 'utf8', stdio: 'pipe', ...opts });
}

// `yiwang --config CONF --db DB ARGS` on a city (or a server): what a CLI command on that city needs
// (on PostgreSQL the configuration names files_dir, where the audit key file is).
export function cli(city, args, opts = {}) {
  return yiwang(['--config', city.conf, '--db', city.db, ...args], opts);
}

// The same, giving the exit status and output instead of throwing.
export function cliRun(city, args) {
  try {
    return { code: 0, out: cli(city, args), err: '' };
  } catch (e) {
    return { code: e.status, out: String(e.stdout), err: String(e.stderr) };
  }
}

// ---- PostgreSQL: databases in the test cluster, managed with psql.

const pgUrl = (name) => { const u = new URL(PG_URL); u.pathname = `/${name}`; return u.toString(); };
const pgName = (url) => decodeURIComponent(new URL(url).pathname.slice(1));
const ident = (s) => `"${s.replace(/"/g, '""')}"`;

// Runs SQL (several statements, each on its own, not in one transaction unless it says BEGIN) on a
// database of the cluster (the cluster's own database by default); returns psql's unaligned output.
function psql(input, url = PG_URL) {
  return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', url], {
    input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 28,
  }).replace(/\n$/, '');
}

// Databases this process made: dropped when it exits (best effort; the cluster itself is thrown
// away at the end of the run).
const made = new Set();
let seq = 0;
function pgCreate(template = null) {
  const name = `ywt_${process.pid}_${Date.now().toString(36)}_${++seq}`;
  psql(`CREATE DATABASE ${ident(name)}${template ? ` TEMPLATE ${ident(template)}` : ''};`);
  made.add(name);
  return pgUrl(name);
}
process.on('exit', () => {
  if (!PG_URL || made.size === 0) return;
  try {
    psql([...made].map((n) => `DROP DATABASE IF EXISTS ${ident(n)} WITH (FORCE);`).join('\n'));
  } catch { /* best effort */ }
});

// ---- The demo template: one per binary build (and, on PostgreSQL, per cluster), copied for each
// server so tests never see each other's writes; a rebuilt binary (new schema or demo data) gets a
// new one. The template has no past year (--no-history): tests start from a city without cases
// (tests/api/demo.test.mjs covers the year). It is made under another name and renamed when done,
// its database and its audit key together, so a database never meets another one's key.
const BUILD = `${BIN}|${Math.floor(statSync(BIN).mtimeMs)}`;
const TEMPLATE_DIR = path.join(tmpdir(), `yiwang-test-demo-${Buffer.from(BIN).toString('hex').slice(-24)}-${Math.floor(statSync(BIN).mtimeMs)}`);
const TEMPLATE = path.join(TEMPLATE_DIR, 'demo.db');

// SQLite: a folder holding demo.db and demo.db.auditkey.
function sqliteTemplate() {
  if (!existsSync(TEMPLATE)) {
    const tmp = mkdtempSync(`${TEMPLATE_DIR}.tmp`);
    execFileSync(BIN, ['--db', path.join(tmp, 'demo.db'), 'demo', '--no-history'], { stdio: 'pipe' });
    try { renameSync(tmp, TEMPLATE_DIR); } catch { rmSync(tmp, { recursive: true, force: true }); /* another won the race */ }
  }
  return { engine: 'sqlite', db: TEMPLATE, dir: TEMPLATE_DIR, conf: '/dev/null', keyFile: keyFile(TEMPLATE) };
}

// PostgreSQL: database ywt_HASH, with its key in folder yiwang-test-pgdemo-HASH/files. The
// database is renamed first: whoever renames it owns the name and then renames the folder; the
// others drop their copy and wait for the folder.
function sleepSync(ms) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); }
let pgTemplateCache = null;
function pgTemplate() {
  if (pgTemplateCache) return pgTemplateCache;
  const cluster = psql('SELECT system_identifier FROM pg_control_system();');
  const hash = createHash('sha256').update(`${BUILD}|${cluster}|${PG_URL}`).digest('hex').slice(0, 16);
  const name = `ywt_${hash}`;
  const dir = path.join(tmpdir(), `yiwang-test-pgdemo-${hash}`);
  if (!existsSync(dir)) {
    const tmpName = `ywt_${hash}_${process.pid}_tmp`;
    const tmp = mkdtempSync(`${dir}.tmp`);
    writeFileSync(path.join(tmp, 'test.conf'), `files_dir = ${path.join(tmp, 'files')}\n`);
    psql(`DROP DATABASE IF EXISTS ${ident(tmpName)}; CREATE DATABASE ${ident(tmpName)};`);
    try {
      execFileSync(BIN, ['--config', path.join(tmp, 'test.conf'), '--db', pgUrl(tmpName), 'demo', '--no-history'], { stdio: 'pipe' });
    } catch (e) {
      psql(`DROP DATABASE IF EXISTS ${ident(tmpName)};`);
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`yiwang demo on PostgreSQL failed: ${e.stderr}`);
    }
    let won = false;
    try { psql(`ALTER DATABASE ${ident(tmpName)} RENAME TO ${ident(name)};`); won = true; } catch { /* another won the race */ }
    if (won) {
      renameSync(tmp, dir);
      writeFileSync(path.join(dir, 'test.conf'), `files_dir = ${path.join(dir, 'files')}\n`);
    } else {
      psql(`DROP DATABASE IF EXISTS ${ident(tmpName)};`);
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  for (let waited = 0; !existsSync(dir); waited += 100) {
    if (waited > 120e3) throw new Error(`the PostgreSQL demo template ${name} did not appear`);
    sleepSync(100);
  }
  pgTemplateCache = { engine: 'postgres', db: pgUrl(name), name, dir, conf: path.join(dir, 'test.conf'), keyFile: path.join(dir, 'files', 'yiwang.auditkey') };
  return pgTemplateCache;
}

// The demo template as a city (read it, never write it): of the engine under test, or of the
// engine named ('sqlite', 'postgres').
export function demoTemplate(engine = ENGINE) {
  return engine === 'postgres' ? pgTemplate() : sqliteTemplate();
}

// ---- Cities.

// Every city made here by its database, so a server can be started again on `srv.db`.
const cities = new Map();

// A new folder for a city, with its configuration: on PostgreSQL files_dir is in the folder
// unless config names one, and the key file is files_dir/yiwang.auditkey.
function cityFor(db, dir, config = {}) {
  const conf = path.join(dir, 'test.conf');
  const settings = { ...config };
  const engine = /^postgres(ql)?:/.test(db) ? 'postgres' : 'sqlite';
  let key;
  if (engine === 'postgres') {
    if (settings.files_dir === undefined) settings.files_dir = path.join(dir, 'files');
    key = path.join(settings.files_dir, 'yiwang.auditkey');
  } else {
    key = keyFile(db);
  }
  writeFileSync(conf, Object.entries(settings).map(([k, v]) => `${k} = ${v}\n`).join(''));
  const city = { engine, db, dir, conf, keyFile: key };
  cities.set(db, city);
  return city;
}

function copyKey(from, to) {
  mkdirSync(path.dirname(to), { recursive: true, mode: 0o750 });
  copyFileSync(from, to);
}

// A fresh database: an empty one (demo: false, init: false), after `yiwang init` (init: true), or a
// copy of the demo template (demo: true). config: settings for its servers and CLI commands.
export function newCity({ demo = false, init = false, config = {}, name = 'test.db' } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'yiwang-api-'));
  const db = PG_URL ? pgCreate(demo ? demoTemplate().name : null) : path.join(dir, name);
  const city = cityFor(db, dir, config);
  if (demo) {
    const t = demoTemplate();
    if (!PG_URL) copyFileSync(t.db, db);
    copyKey(t.keyFile, city.keyFile);
  } else if (init) {
    cli(city, ['init', '--admin-password', 'admin12345']);
  }
  return city;
}

// A copy of a city's database with its key file (key: false leaves the key out), to open with
// another server or CLI command. SQLite: `yiwang backup` (consistent while a server runs).
// PostgreSQL: CREATE DATABASE ... TEMPLATE when no server is connected to it, else pg_dump.
export function copyDatabase(from, { key = true } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'yiwang-api-'));
  let db;
  if (PG_URL) {
    const running = from.proc && from.proc.exitCode === null && !from.proc.signalCode;
    if (!running) {
      db = pgCreate(pgName(from.db));
    } else {
      db = pgCreate();
      const dump = execFileSync('pg_dump', ['--no-owner', '--no-acl', '-d', from.db], { maxBuffer: 1 << 30 });
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db], { input: dump, stdio: ['pipe', 'ignore', 'pipe'] });
    }
  } else {
    db = path.join(dir, 'copy.db');
    yiwang(['--db', from.db, 'backup', db]);
  }
  const city = cityFor(db, dir);
  if (key) copyKey(from.keyFile, city.keyFile);
  return city;
}

// ---- SQL on a city's database with the engine's own client (sqlite3, psql). Write SQL both
// engines accept.

// Rows as objects, columns by name (alias every computed column).
export function sqlRows(city, query) {
  if (city.engine === 'postgres') {
    const out = psql(`SELECT json_agg(t) FROM (${query}) t;`, city.db);
    return out ? JSON.parse(out) : [];
  }
  const out = execFileSync('sqlite3', ['-json', '-cmd', '.timeout 5000', city.db, query], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return out.trim() ? JSON.parse(out) : [];
}

// The first column of the first row (undefined when there is no row).
export function sqlValue(city, query) {
  const [row] = sqlRows(city, query);
  return row ? Object.values(row)[0] : undefined;
}

// Runs statements (several, separated by ';'; BEGIN/COMMIT where they must be one transaction).
export function sqlExec(city, statements) {
  if (city.engine === 'postgres') {
    psql(statements, city.db);
    return;
  }
  execFileSync('sqlite3', ['-cmd', '.timeout 5000', city.db], { input: statements, maxBuffer: 1 << 28, stdio: ['pipe', 'pipe', 'pipe'] });
}

// A server on a fresh copy of the demo city (or an empty city after `yiwang init`), or on an
// existing city (db: a city, a server, or its `db`: a database made here, or an SQLite file).
// config: extra `key = value` settings (docs/yiwang.conf.example). clock: true gives the server a
// test clock (YIWANG_CLOCK_FILE); server.advance(seconds) then moves its time forward.
// The object returned is the city (engine, db, dir, conf, keyFile) plus the server.
export async function startServer({ demo = true, db: existing = null, config = {}, clock = false } = {}) {
  let city;
  if (existing) {
    city = typeof existing === 'string' ? cities.get(existing) : existing;
    if (!city) city = cityFor(existing, path.dirname(existing)); // an SQLite file made by the test
    if (Object.keys(config).length) {
      // the same database and key, with this server's settings
      const dir = mkdtempSync(path.join(tmpdir(), 'yiwang-api-'));
      const again = cityFor(city.db, dir, config);
      if (again.keyFile !== city.keyFile && existsSync(city.keyFile)) copyKey(city.keyFile, again.keyFile);
      city = again;
    }
  } else {
    city = newCity({ demo, init: !demo, config });
  }
  const { db, dir, conf } = city;
  const clockFile = path.join(dir, 'clock');
  let offset = 0;
  if (clock) writeFileSync(clockFile, '0');
  const env = clock ? { ...process.env, YIWANG_CLOCK_FILE: clockFile } : process.env;
  const proc = spawn(BIN, ['--config', conf, '--db', db, 'serve', '--port', '0', '--quiet'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env,
  });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 10000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  let stopping = false;
  proc.on('exit', (code, signal) => {
    if (!stopping) console.error(`yiwang serve died (${code ?? signal}):\n${stderr}`);
  });
  return {
    ...city, base, proc,
    stderr: () => stderr,
    // Moves the server's clock forward (only with clock: true).
    advance(seconds) {
      if (!clock) throw new Error('startServer({ clock: true }) is needed to move the clock');
      offset += seconds;
      writeFileSync(clockFile, String(offset));
    },
    // kill -9: no shutdown at all, as when the machine loses power.
    async crash() {
      stopping = true;
      proc.kill('SIGKILL');
      await new Promise((r) => (proc.exitCode !== null || proc.signalCode ? r() : proc.on('exit', r)));
    },
    // SIGTERM must end the server cleanly: exit status 0, and under the sanitizer build no
    // leak or error report (LeakSanitizer turns a leak into a non-zero status).
    async stop() {
      if (proc.exitCode !== null) throw new Error(`server had already exited ${proc.exitCode}: ${stderr}`);
      stopping = true;
      proc.kill('SIGTERM');
      const code = await new Promise((r) => proc.on('exit', (c) => r(c)));
      if (code !== 0) throw new Error(`server exited ${code} on SIGTERM:\n${stderr.slice(-4000)}`);
      // One write path (docs/architecture.md): HTTP workers and the ticker only read, and a write
      // that bypassed the group-commit writer is refused and logged (db.c, db_thread_reader).
      const bypass = stderr.split('\n').filter((l) =>
        /write transaction on a reader thread|readonly database|read-only transaction/.test(l));
      if (bypass.length) throw new Error(`a write bypassed the writer:\n${bypass.join('\n')}`);
      return code;
    },
  };
}

// A client keeps its session cookie and CSRF token, as the web UI does.
export class Client {
  constructor(base) { this.base = base; this.cookie = null; this.csrf = null; this.token = null; }

  async req(method, url, body, headers = {}) {
    const h = { ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['X-CSRF-Token'] = this.csrf;
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    let payload;
    if (body !== undefined) {
      payload = typeof body === 'string' || body instanceof Buffer ? body : JSON.stringify(body);
      if (!h['Content-Type']) h['Content-Type'] = 'application/json';
    }
    const res = await fetch(this.base + url, { method, headers: h, body: payload, redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    if (set) {
      const m = set.match(/yw_session=([^;]*)/);
      if (m) this.cookie = m[1] ? `yw_session=${m[1]}` : null;
    }
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, json, text, headers: res.headers };
  }

  get(url) { return this.req('GET', url); }
  post(url, body) { return this.req('POST', url, body ?? {}); }
  put(url, body) { return this.req('PUT', url, body ?? {}); }

  async login(username, password = PASSWORD) {
    const r = await this.post('/api/v1/auth/login', { username, password });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
    this.csrf = r.json.csrf_token;
    return r.json.user;
  }
}

export async function as(base, username) {
  const c = new Client(base);
  if (username) await c.login(username);
  return c;
}

// A complete, valid item for the given department (docs/catalog-format.md).
// Appointments are offered only in years whose holiday schedule is published (docs/operations.md,
// "The holiday calendar"). A test that books the coming weeks publishes the years they reach, as the
// centre admin does each autumn when the State Council's notice is out (here with no days off
// entered: Monday to Friday), so that it passes whatever the date it runs on.
export async function publishComingYears(base, days = 40) {
  const admin = await as(base, 'center_admin');
  const year = (d) => new Date(Date.now() + 8 * 3600000 + d * 86400000).getUTCFullYear();
  for (let y = year(0); y <= year(days); y++) {
    if ((await admin.get(`/api/v1/calendar?year=${y}`)).json.published) continue;
    const r = await admin.put(`/api/v1/calendar/years/${y}`, { published: true, source: '测试：假定本年度节假日安排已发布' });
    if (r.status !== 200) throw new Error(`publishing ${y}: ${r.status} ${r.text}`);
  }
}

export function sampleItem(code, dept, name = '测试事项') {
  return {
    code, base_code: '000999000', name, dept, type: '01', level: 3, region: '430100',
    targets: [1, 2], handling_class: 2, legal_limit_days: 20, promised_limit_days: 5,
    basis: '《中华人民共和国行政许可法》', conditions: '符合条件的申请人',
    keywords: ['测试'], life_events: ['开办企业'], forms: [1, 2], visits: 1, online_depth: 3,
    appointment: true, express: false, online_payment: false, tongban: '全市通办',
    tags: ['最多跑一次', '网上办'], lists: ['权力清单'],
    result: { type: '证照', name: '许可证', sample: '' }, intermediaries: [],
    place: '市政务服务中心', hours: '工作日 9:00-17:00', phone_consult: '0731-88666000', phone_complaint: '12345',
    materials: [{ name: '申请书', required: true, form: '原件', copies: 1, source: '申请人自备', note: '', blank_form: '', sample: '' }],
    fees: [],
    steps: [{ name: '受理', role: 'window', days: 1 }, { name: '审查', role: 'approver', days: 2 }, { name: '决定', role: 'approver', days: 2 }],
  };
}
