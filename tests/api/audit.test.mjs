// Records nobody can rewrite: the audit chain is keyed with a secret kept outside the database
// (HMAC-SHA-256, key file beside the database by default), so a chain rewritten and re-hashed by
// someone who can write the database but lacks the key is found; a published checkpoint catches
// a rewrite even by someone who holds the key; every table is audited or listed in
// docs/operations.md with the reason; a session row cannot be forged by hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import {
  startServer, as, Client, yiwang, cli, cliRun, ROOT, keyFile, demoTemplate, newCity, copyDatabase,
  sqlRows, sqlValue, sqlExec,
} from './helpers.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

// One value as text, as the sqlite3 CLI prints it ('' for NULL or no row).
const sql = (db, q) => String(sqlValue(db, q) ?? '');
const q = (s) => (s === null ? 'NULL' : `'${String(s).replace(/'/g, "''")}'`);

// A consistent copy of the live database (a city), with or without its key file.
const copyDb = ({ key = true } = {}) => copyDatabase(srv, { key });

// `yiwang ARGS` on a city: exit status and output, without throwing.
const run = (db, args) => cliRun(db, args);

// The key file: 64 hex digits a line, newest last, '#' comments.
const keysOf = (db) => readFileSync(keyFile(db), 'utf8').split('\n').map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#')).map((h) => Buffer.from(h, 'hex'));

// The link construction of src/platform/audit.c: each field length-prefixed (4 bytes, big-endian;
// NULL is 0xFFFFFFFF with no bytes), hashed with HMAC-SHA-256 under the key, or plain SHA-256.
function field(s) {
  const len = Buffer.alloc(4);
  if (s === null || s === undefined) { len.writeUInt32BE(0xffffffff); return len; }
  const b = Buffer.from(String(s), 'utf8');
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}
function mac(key, fields) {
  const h = key ? createHmac('sha256', key) : createHash('sha256');
  for (const f of fields) h.update(field(f));
  return h.digest('hex');
}
const link = (key, prev, r) => mac(key, [prev, `${r.id}|${r.at}|${r.actor_id}`, r.actor, r.action, r.entity, r.entity_id, r.before, r.after]);

const GENESIS = '0'.repeat(64);
const readChain = (db) => sqlRows(db, 'SELECT id, at, COALESCE(actor_id, 0) AS actor_id, actor_id AS actor_id_raw, actor, action, entity, '
  + 'entity_id, before, after, prev_hash, hash FROM audit ORDER BY id');

// Re-links every record from id `from` on with keyFor(record) (those before keep their stored
// links) and writes the whole chain back, as a script with write access to the database would.
function writeChain(db, rows, keyFor, from = 1) {
  let prev = GENESIS;
  const stmts = ['BEGIN;', 'DELETE FROM audit;'];
  for (const r of rows) {
    const h = r.id < from ? r.hash : link(keyFor(r), prev, r);
    stmts.push(`INSERT INTO audit(id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash) VALUES (${r.id}, ${r.at}, ${r.actor_id_raw ?? 'NULL'}, ${q(r.actor)}, ${q(r.action)}, ${q(r.entity)}, ${q(r.entity_id)}, ${q(r.before)}, ${q(r.after)}, ${q(prev)}, ${q(h)});`);
    prev = h;
  }
  stmts.push('COMMIT;');
  sqlExec(db, stmts.join('\n'));
}

// Makes applicant zhangsan a centre administrator in the users table and in the latest audit
// record of that row, so the rows agree with the trail. Returns the rewritten record's id.
function promoteZhangsan(db, rows) {
  const id = sql(db, "SELECT id FROM users WHERE username = 'zhangsan'");
  sqlExec(db, `UPDATE users SET roles = 'center_admin' WHERE id = ${id}`);
  const rec = rows.filter((r) => r.entity === 'users' && r.entity_id === id).at(-1);
  assert.match(rec.after, /"roles":"applicant"/);
  rec.after = rec.after.replace('"roles":"applicant"', '"roles":"center_admin"');
  return rec.id;
}

test('the key file is created 0600 beside the database by init and demo, and the chain is keyed from its first record', () => {
  const db = newCity({ name: 'city.db' });
  const out = cli(db, ['init', '--admin-password', 'admin12345']);
  // beside an SQLite file; FILES_DIR/yiwang.auditkey for PostgreSQL
  assert.ok(out.includes(`audit key created: ${keyFile(db)}`), out);
  assert.match(keyFile(db), db.engine === 'sqlite' ? /city\.db\.auditkey$/ : /\/yiwang\.auditkey$/);
  assert.equal(statSync(keyFile(db)).mode & 0o777, 0o600);
  assert.equal(keysOf(db).length, 1);
  assert.equal(keysOf(db)[0].length, 32);
  const first = sqlRows(db, 'SELECT action, entity FROM audit WHERE id = 1')[0];
  assert.deepEqual(first, { action: 'audit.key', entity: 'audit_key' });
  assert.match(cli(db, ['audit', 'verify']), /intact[\s\S]*keyed from record 1/);

  const demo = demoTemplate(); // made by `yiwang demo`
  assert.ok(existsSync(keyFile(demo)));
  assert.equal(statSync(keyFile(demo)).mode & 0o777, 0o600);
  // demo again on the same city keeps the key: a key is never overwritten
  const before = readFileSync(keyFile(db), 'utf8');
  cli(db, ['demo', '--no-history']);
  assert.equal(readFileSync(keyFile(db), 'utf8'), before);
});

test('the test helper reproduces the chain exactly: every stored link is HMAC-SHA-256 under the key file', () => {
  const db = copyDb();
  const [key] = keysOf(db);
  const rows = readChain(db);
  let prev = GENESIS;
  for (const r of rows) {
    assert.equal(r.prev_hash, prev);
    assert.equal(link(key, prev, r), r.hash, `record ${r.id}`);
    prev = r.hash;
  }
  assert.ok(rows.length > 100);
});

test('a chain rewritten and re-hashed without the key is found by audit verify', () => {
  const db = copyDb();
  assert.match(cli(db, ['audit', 'verify']), /intact/);
  const rows = readChain(db);
  const changed = promoteZhangsan(db, rows);
  // every record from the changed one on re-hashed with plain SHA-256, the ones before kept
  writeChain(db, rows, () => null, changed);
  const r = run(db, ['audit', 'verify']);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, new RegExp(`audit record ${changed} \\(users \\d+\\): contents do not match its keyed hash`));

  // The same attacker who also removes the key record and renumbers: still found.
  const db2 = copyDb();
  const rows2 = readChain(db2);
  promoteZhangsan(db2, rows2);
  const rest = rows2.filter((x) => x.entity !== 'audit_key').map((x, i) => ({ ...x, id: i + 1 }));
  writeChain(db2, rest, () => null);
  const r2 = run(db2, ['audit', 'verify']);
  assert.equal(r2.code, 1, r2.out);
  assert.match(r2.out, /not keyed, although the audit key file holds a key/);
});

test('a history rewritten with the key passes verify, and is found by verify --checkpoint given an earlier checkpoint', async () => {
  const published = cli(srv, ['audit', 'checkpoint']).trim();
  assert.match(published, /^\d+ [0-9a-f]{64}$/);
  const db = copyDb();
  const [key] = keysOf(db);
  const rows = readChain(db);
  const changed = promoteZhangsan(db, rows);
  assert.ok(changed < Number(published.split(' ')[0]), 'the rewritten record is older than the checkpoint');
  writeChain(db, rows, () => key, changed); // re-keyed by a script that read the key file
  const plain = run(db, ['audit', 'verify']);
  assert.equal(plain.code, 0, `whoever holds the key can rebuild the chain: ${plain.out}`);
  const r = run(db, ['audit', 'verify', '--checkpoint', published]);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, new RegExp(`audit record ${published.split(' ')[0]} .*does not pass through checkpoint`));
  assert.equal(sql(db, "SELECT roles FROM users WHERE username = 'zhangsan'"), 'center_admin');
});

test('a checkpoint line round-trips; a wrong one, a cut chain and a malformed one are refused', () => {
  const db = copyDb();
  const line = cli(db, ['audit', 'checkpoint']).trim();
  const [seq, hash] = line.split(' ');
  assert.equal(hash, sql(db, `SELECT hash FROM audit WHERE id = ${seq}`));
  assert.equal(Number(seq), Number(sql(db, 'SELECT MAX(id) FROM audit')));
  const ok = run(db, ['audit', 'verify', '--checkpoint', line]);
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, new RegExp(`passes through checkpoint ${seq}`));
  assert.match(ok.out, new RegExp(`head ${seq} ${hash}`));

  const wrong = `${seq} ${hash.slice(0, 63)}${hash.at(-1) === '0' ? '1' : '0'}`;
  assert.equal(run(db, ['audit', 'verify', '--checkpoint', wrong]).code, 1);
  assert.equal(run(db, ['audit', 'verify', '--checkpoint', `${seq}  ${hash}`]).code, 2);
  assert.equal(run(db, ['audit', 'verify', '--checkpoint', `x ${hash}`]).code, 2);

  // the last record removed: the chain no longer reaches the checkpoint
  sqlExec(db, `DELETE FROM audit WHERE id = ${seq}`);
  const cut = run(db, ['audit', 'verify', '--checkpoint', line]);
  assert.equal(cut.code, 1);
  assert.match(cut.out, new RegExp(`checkpoint ${seq}: the chain ends at record ${seq - 1}`));
});

test('the monthly report prints the month\'s last checkpoint, which verify accepts', async () => {
  const sup = await as(srv.base, 'jiandu01');
  const now = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
  const r = await sup.get(`/api/v1/stats/report?month=${now}`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.audit_checkpoint, /^\d+ [0-9a-f]{64}$/);
  const db = copyDb();
  const v = run(db, ['audit', 'verify', '--checkpoint', r.json.audit_checkpoint]);
  assert.equal(v.code, 0, v.out);
  const old = await sup.get('/api/v1/stats/report?month=2001-01');
  assert.equal(old.status, 200);
  assert.equal(old.json.audit_checkpoint, null, 'no records before 2001');
});

test('a server refuses to start when the chain is keyed and the key file is missing or another database\'s', async () => {
  const db = copyDb({ key: false });
  await assert.rejects(startServer({ db }), /audit chain is keyed with key [0-9a-f]{16}, but the audit key file is missing/);
  assert.ok(!existsSync(keyFile(db)), 'no new key is made for a keyed chain');
  const other = newCity({ init: true, name: 'other.db' });
  mkdirSync(path.dirname(keyFile(db)), { recursive: true }); // PostgreSQL: files_dir, made on the first upload
  copyFileSync(keyFile(other), keyFile(db));
  await assert.rejects(startServer({ db }), /does not hold it/);
  const v = run(db, ['audit', 'verify']);
  assert.equal(v.code, 1);
  assert.match(v.out, /wrong key file/);
});

test('rotate-key: a new key from a rotation record on, old records still verified, old checkpoints still hold', () => {
  const db = copyDb();
  const line = cli(db, ['audit', 'checkpoint']).trim();
  const out = cli(db, ['audit', 'rotate-key']);
  assert.match(out, /rotated/);
  const keys = keysOf(db);
  assert.equal(keys.length, 2);
  assert.equal(statSync(keyFile(db)).mode & 0o777, 0o600);
  cli(db, ['user', 'passwd', 'zhangsan', 'newpass123']);
  const last = readChain(db).slice(-2);
  assert.equal(last[0].action, 'audit.rotate_key');
  assert.equal(last[1].entity, 'users');
  assert.equal(link(keys[1], last[0].hash, last[1]), last[1].hash, 'records after the rotation use the new key');
  const v = run(db, ['audit', 'verify', '--checkpoint', line]);
  assert.equal(v.code, 0, v.out);
  assert.match(v.out, /passes through checkpoint/);
});

test('bundle_items and case_serials are audited: a case number serial or a bundle budget changed by hand is found', async () => {
  const pub = new Client(srv.base);
  const scjg = (await pub.get('/api/v1/departments')).json.items.find((d) => d.name === '长沙市市场监督管理局');
  // an item 张三, a natural person, may apply for (服务对象 includes 自然人)
  let guide;
  for (const it of (await pub.get(`/api/v1/items?dept_id=${scjg.id}&page_size=50`)).json.items) {
    const g = (await pub.get(`/api/v1/items/${it.code}`)).json;
    if (g.targets.includes(1)) { guide = g; break; }
  }
  assert.ok(guide, 'the department has an item for natural persons');
  const item = guide;
  const zs = await as(srv.base, 'zhangsan');
  const c = await zs.post('/api/v1/cases', { item_code: item.code, materials: guide.materials.map((m) => m.name), form: { address: '长沙市芙蓉区五一大道1号' } });
  assert.equal(c.status, 201, c.text);
  const window = await as(srv.base, 'window01');
  const acc = await window.post(`/api/v1/cases/${c.json.id}/accept`);
  assert.equal(acc.status, 200, acc.text);
  assert.ok(acc.json.case_no, 'accepting gives the case its number (a case_serials row)');
  const admin = await as(srv.base, 'center_admin');
  const serials = await admin.get('/api/v1/audit?entity=case_serials');
  assert.ok(serials.json.total >= 1);
  assert.ok(serials.json.items.some((i) => i.after && typeof i.after.last === 'number'));
  assert.ok((await admin.get('/api/v1/audit?entity=bundle_items')).json.total >= 2);

  const db = copyDb();
  assert.match(cli(db, ['audit', 'verify']), /intact/);
  sqlExec(db, 'UPDATE case_serials SET last = last - 1 WHERE prefix = (SELECT MAX(prefix) FROM case_serials)');
  const r = run(db, ['audit', 'verify']);
  assert.equal(r.code, 1);
  assert.match(r.out, /case_serials row \d+: differs from audit record/);
  const db2 = copyDb();
  sqlExec(db2, 'UPDATE bundle_items SET budget_days = budget_days + 5 WHERE (bundle_id, item_id) = '
    + '(SELECT bundle_id, item_id FROM bundle_items ORDER BY bundle_id, item_id LIMIT 1)');
  const r2 = run(db2, ['audit', 'verify']);
  assert.equal(r2.code, 1);
  assert.match(r2.out, /bundle_items row \d+\/\d+: differs from audit record/);
});

test('a session row written or changed by hand is refused; one with the keyed MAC is taken', async () => {
  const zs = await as(srv.base, 'zhangsan');
  assert.equal((await zs.get('/api/v1/auth/me')).status, 200);
  const token = decodeURIComponent(zs.cookie.split('=')[1]);
  const th = createHash('sha256').update(token).digest('hex');
  const adminId = sql(srv, "SELECT id FROM users WHERE username = 'center_admin'");
  // zhangsan's session moved onto the centre administrator
  sqlExec(srv, `UPDATE sessions SET user_id = ${adminId} WHERE token_hash = '${th}'`);
  assert.equal((await zs.get('/api/v1/auth/me')).status, 401);

  // a session inserted by hand: refused with a made-up MAC, taken with the keyed one
  const [key] = keysOf(srv);
  const now = Math.floor(Date.now() / 1000);
  const forged = 'forged-session-token-0123456789';
  const fth = createHash('sha256').update(forged).digest('hex');
  const nums = `${adminId}|${now}|${now + 3600}`;
  sqlExec(srv, `INSERT INTO sessions(token_hash, user_id, csrf, created_at, expires_at, mac) VALUES ('${fth}', ${adminId}, 'c', ${now}, ${now + 3600}, '${'ab'.repeat(32)}')`);
  const c = new Client(srv.base);
  c.cookie = `yw_session=${forged}`;
  assert.equal((await c.get('/api/v1/auth/me')).status, 401);
  sqlExec(srv, `UPDATE sessions SET mac = '${mac(key, ['session', fth, 'c', nums])}' WHERE token_hash = '${fth}'`);
  const me = await c.get('/api/v1/auth/me');
  assert.equal(me.status, 200, 'the refusal above came from the MAC, nothing else');
  assert.equal(String((me.json.user ?? me.json).id), adminId);
});

test('every table is audited or listed in docs/operations.md with the reason', () => {
  const tables = (srv.engine === 'sqlite'
    ? sqlRows(srv, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    // PostgreSQL: the schema's tables, less the migration machinery's own (SQLite keeps the
    // version in PRAGMA user_version)
    : sqlRows(srv, "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' "
      + "AND table_type = 'BASE TABLE' AND table_name <> 'schema_version' ORDER BY table_name")).map((r) => r.name);
  const audited = new Set(yiwang(['audit', 'tables']).trim().split('\n'));
  const doc = readFileSync(path.join(ROOT, 'docs/operations.md'), 'utf8');
  const section = doc.split(/^### Tables not audited/m)[1]?.split(/^#/m)[0];
  assert.ok(section, 'docs/operations.md has a "Tables not audited" section');
  const listed = new Map([...section.matchAll(/^\| `([a-z_0-9]+)` \| (.+?) \|$/gm)].map((m) => [m[1], m[2].trim()]));
  for (const t of tables) {
    assert.ok(audited.has(t) || listed.has(t), `table ${t} is neither audited nor listed (with its reason) in docs/operations.md`);
    assert.ok(!(audited.has(t) && listed.has(t)), `table ${t} is audited but listed as not audited`);
    if (listed.has(t)) assert.ok(listed.get(t).length > 10, `table ${t} has a reason`);
  }
  for (const t of audited) assert.ok(tables.includes(t), `audited table ${t} exists`);
  // and the demo's trail names only audited tables (and the key records)
  const entities = sqlRows(srv, 'SELECT DISTINCT entity FROM audit').map((r) => r.entity);
  for (const e of entities) assert.ok(audited.has(e) || e === 'audit_key', `entity ${e}`);
  assert.ok(audited.has('bundle_items') && audited.has('case_serials'));
});
