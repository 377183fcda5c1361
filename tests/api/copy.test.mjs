// `yiwang copy`: a whole city into an empty database, ids, audit chain and key included
// (docs/operations.md, "Moving a city between engines"). SQLite to SQLite always; SQLite →
// PostgreSQL → SQLite when a throwaway cluster is given in YW_TEST_PG_URL (tests/run-all.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoTemplate, keyFile, yiwang, sqlValue } from './helpers.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'yiwang-copy-'));
const conf = path.join(dir, 'copy.conf');
writeFileSync(conf, `files_dir = ${path.join(dir, 'files')}\n`);

// A city that has been used: the SQLite demo template plus its key (the source is SQLite
// whichever engine the suite runs on).
function city(name) {
  const db = path.join(dir, name);
  const t = demoTemplate('sqlite');
  copyFileSync(t.db, db);
  copyFileSync(t.keyFile, keyFile(db));
  return db;
}
const run = (db, ...args) => yiwang(['--config', conf, '--db', db, ...args]);
const fails = (db, ...args) => {
  try {
    run(db, ...args);
  } catch (e) {
    return e.stderr.toString();
  }
  assert.fail(`yiwang ${args.join(' ')} should have failed`);
};
const head = (db) => run(db, 'audit', 'verify').trim().split('\n').pop();

test('a copy holds the same city: same export bytes, same audit chain head, the key beside it', () => {
  const a = city('a.db'), b = path.join(dir, 'b.db');
  const out = run(a, 'copy', '--to', b);
  assert.match(out, /copied \d+ rows in \d+ tables/);
  assert.ok(existsSync(keyFile(b)), 'the key file goes where the target looks for it');
  assert.equal((statSync(keyFile(b)).mode & 0o777).toString(8), '600');
  assert.equal(run(b, 'export', '--all'), run(a, 'export', '--all'));
  assert.match(head(b), /^head \d+ [0-9a-f]{64}$/);
  assert.equal(head(b), head(a));
  // the ids are the source's: the newest case keeps its number
  const q = "SELECT MAX(id) || ' ' || COUNT(*) AS n FROM cases";
  const sqlite = (db) => sqlValue({ engine: 'sqlite', db }, q);
  assert.equal(sqlite(b), sqlite(a));
});

test('copy refuses a target that is not empty, and a target whose key file holds another key', () => {
  const a = city('c.db');
  const other = city('d.db');
  assert.match(fails(a, 'copy', '--to', other), /not empty/);
  const e = path.join(dir, 'e.db');
  writeFileSync(keyFile(e), `${'ab'.repeat(32)}\n`, { mode: 0o600 });
  assert.match(fails(a, 'copy', '--to', e), /another audit key/);
  assert.equal(readFileSync(keyFile(e), 'utf8'), `${'ab'.repeat(32)}\n`);
});

const PG = process.env.YW_TEST_PG_URL;
test('SQLite → PostgreSQL → SQLite gives the same export bytes and a chain that verifies', { skip: !PG && 'YW_TEST_PG_URL is not set' }, () => {
  const name = `ywcopy_${process.pid}`;
  const psql = (sql) => execFileSync('psql', [PG, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8' });
  psql(`DROP DATABASE IF EXISTS ${name}`);
  psql(`CREATE DATABASE ${name}`);
  const url = PG.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  try {
    const a = city('pg-source.db'), back = path.join(dir, 'pg-back.db');
    run(a, 'copy', '--to', url);
    assert.equal(head(url), head(a));
    run(url, 'copy', '--to', back);
    assert.equal(run(back, 'export', '--all'), run(a, 'export', '--all'));
    assert.equal(head(back), head(a));
  } finally {
    psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
});
