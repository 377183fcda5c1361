// No acknowledged write is lost: applications are submitted at full speed, the server is killed
// with SIGKILL mid-run, and after a restart every case that was answered 201 is there and the
// database passes the engine's integrity check (SQLite's integrity_check, PostgreSQL's amcheck)
// and the audit verification.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, cli, sqlValue, sqlRows, sqlExec } from './helpers.mjs';

test('kill -9 during case submissions loses no acknowledged case', async () => {
  const srv = await startServer();
  // an item for persons (服务对象), which lets a second open application through (duplicate_policy warn)
  const code = (await new Client(srv.base).get('/api/v1/items?target=1&q=食品经营许可&page_size=1')).json.items[0].code;
  const clients = await Promise.all(Array.from({ length: 8 }, () => as(srv.base, 'zhangsan')));
  const acked = [];
  let stop = false;
  const workers = clients.map(async (c) => {
    while (!stop) {
      try {
        const r = await c.post('/api/v1/cases', { item_code: code });
        if (r.status === 201) acked.push(r.json.id);
      } catch { return; } // the connection died with the server
    }
  });
  await new Promise((r) => setTimeout(r, 1500));
  await srv.crash();
  stop = true;
  await Promise.all(workers);
  assert.ok(acked.length > 20, `some cases were acknowledged before the crash (${acked.length})`);

  if (srv.engine === 'sqlite') {
    assert.equal(sqlValue(srv, 'PRAGMA integrity_check'), 'ok');
  } else {
    // PostgreSQL recovers from its WAL on the next connection; its indexes must agree with their
    // tables (amcheck's B-tree check with every heap tuple looked up; a mismatch is an error).
    sqlExec(srv, 'CREATE EXTENSION IF NOT EXISTS amcheck');
    const checked = sqlRows(srv, `SELECT c.relname AS name, bt_index_check(c.oid, true)::text AS ok
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = 'public'`);
    assert.ok(checked.length > 10, `indexes checked: ${checked.length}`);
  }
  const again = await startServer({ db: srv.db });
  try {
    const citizen = await as(again.base, 'zhangsan');
    const ids = new Set((await citizen.get('/api/v1/cases?page_size=200&page=1')).json.items.map((c) => c.id));
    const total = (await citizen.get('/api/v1/cases?page_size=1')).json.total;
    assert.ok(total >= acked.length);
    for (const id of acked) {
      if (ids.has(id)) continue;
      const r = await citizen.get(`/api/v1/cases/${id}`);
      assert.equal(r.status, 200, `acknowledged case ${id} survived`);
    }
  } finally {
    await again.stop();
  }
  assert.match(cli(srv, ['audit', 'verify']), /intact/);
});
