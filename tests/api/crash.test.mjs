// No acknowledged write is lost: applications are submitted at full speed, the server is killed
// with SIGKILL mid-run, and after a restart every case that was answered 201 is there and the
// database passes SQLite's integrity check and the audit verification.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, Client, as, BIN } from './helpers.mjs';

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

  assert.equal(execFileSync('sqlite3', [srv.db, 'PRAGMA integrity_check']).toString().trim(), 'ok');
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
  assert.match(execFileSync(BIN, ['audit', 'verify', '--db', srv.db]).toString(), /intact/);
});
