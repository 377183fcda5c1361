// Test helpers: start a real `yiwang serve` on a free port with its own database, and talk to it
// over HTTP like a browser (cookie + CSRF header) or a machine (bearer token).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, copyFileSync, existsSync, statSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const BIN = process.env.YW_BIN || path.join(ROOT, 'build/yiwang');
export const PASSWORD = 'yiwang2026';

// One demo database per binary build, copied for each server so tests never see each other's
// writes; a rebuilt binary (new schema or demo data) gets a new one. It lives in a folder with its
// audit key file (DB + ".auditkey"), made under another name and renamed whole, so a database
// never meets another one's key. The template has no past year (--no-history): tests start from a
// city without cases (tests/api/demo.test.mjs covers the year).
const TEMPLATE_DIR = path.join(tmpdir(), `yiwang-test-demo-${Buffer.from(BIN).toString('hex').slice(-24)}-${Math.floor(statSync(BIN).mtimeMs)}`);
const TEMPLATE = path.join(TEMPLATE_DIR, 'demo.db');
export const keyFile = (db) => `${db}.auditkey`;
export function demoTemplate() {
  if (!existsSync(TEMPLATE)) {
    const tmp = mkdtempSync(`${TEMPLATE_DIR}.tmp`);
    execFileSync(BIN, ['--db', path.join(tmp, 'demo.db'), 'demo', '--no-history'], { stdio: 'pipe' });
    try { renameSync(tmp, TEMPLATE_DIR); } catch { rmSync(tmp, { recursive: true, force: true }); /* another won the race */ }
  }
  return TEMPLATE;
}

export function yiwang(args, opts = {}) {
  return execFileSync(BIN, args, { encoding: 'utf8', stdio: 'pipe', ...opts });
}

// A server on a fresh copy of the demo city (or an empty city), or on an existing database file.
// config: extra `key = value` settings (docs/yiwang.conf.example). clock: true gives the server a
// test clock (YIWANG_CLOCK_FILE); server.advance(seconds) then moves its time forward.
export async function startServer({ demo = true, db: existing = null, config = {}, clock = false } = {}) {
  const dir = existing ? path.dirname(existing) : mkdtempSync(path.join(tmpdir(), 'yiwang-api-'));
  const db = existing || path.join(dir, 'test.db');
  if (existing) { /* reopen as it is */ } else if (demo) {
    copyFileSync(demoTemplate(), db);
    copyFileSync(keyFile(demoTemplate()), keyFile(db));
  }
  else yiwang(['--db', db, 'init', '--admin-password', 'admin12345']);
  const conf = path.join(dir, 'test.conf');
  writeFileSync(conf, Object.entries(config).map(([k, v]) => `${k} = ${v}\n`).join(''));
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
    base, db, dir, proc,
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
