// 12345 dispatch suggestion over real HTTP (docs/architecture.md "Dispatch suggestion"): the model
// learns from the demo city's closed orders in the background; `yiwang hotline import-history`
// brings a former system's orders (with per-row errors in Chinese and row numbers), and the next
// tick learns from them at once; GET /api/v1/hotline/suggest is for the hotline's operators only,
// answers matters and units with scores that are probabilities, and refuses bad input with 422.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startServer, newCity, Client, as, sqlValue, BIN } from './helpers.mjs';

// The exit status, standard output and standard error of a CLI command on a city.
function run(city, args) {
  const r = spawnSync(BIN, ['--config', city.conf, '--db', city.db, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// Orders of a former system, written for this test: each names a matter of the demo
// classification (城乡建设/施工噪音, 市容环境/占道经营, ...) and a demo department.
const history = [
  ['', '瓦楞纸箱厂的叉车每天半夜装货，轰隆隆的', '投诉', '城乡建设/施工噪音', '长沙市生态环境局'],
  ['', '瓦楞纸箱厂夜里装车，叉车声音太吵', '投诉', '城乡建设/施工噪音', '长沙市生态环境局'],
  ['叉车扰民', '瓦楞纸箱厂的叉车凌晨还在作业', '投诉', '施工噪音', '市生态环境局'],
  ['', '糖油粑粑摊子占了人行道，行人只能走马路', '投诉', '市容环境/占道经营', '长沙市城市管理和综合执法局'],
  ['', '卖糖油粑粑的推车天天堵在路口', '投诉', '占道经营', '长沙市城市管理和综合执法局'],
  ['', '"糖油粑粑"摊贩占道经营，油烟也大', '投诉', '占道经营', '长沙市城市管理和综合执法局'],
];
const csvField = (s) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
function historyCsv(extra = []) {
  const rows = [['title', 'text', 'category', 'matter', 'unit', 'created_at'], ...history.map((r) => [...r, '2025-06-01 09:30']), ...extra];
  return '\uFEFF' + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

let srv, op, unit, anon;
before(async () => {
  const city = newCity({ demo: true });
  const file = path.join(city.dir, 'history.csv');
  writeFileSync(file, historyCsv([
    ['', '', '投诉', '占道经营', '长沙市城市管理和综合执法局', ''],            // row 8: no text
    ['', '有人乱倒垃圾', '投诉', '', '', ''],                                 // row 9: neither
    ['', '路灯坏了', '投诉', '占道经营', '', '2025-02-30'],                   // row 10: no such day
    ['', '路灯坏了', '投诉', '不存在的事项', '不存在的单位', ''],              // row 11: nothing known
    ['', '井盖丢了', '投诉', '不存在的事项', '长沙市城市管理和综合执法局', ''], // row 12: unit only
  ]));
  const r = run(city, ['hotline', 'import-history', file, '--source', '旧12345系统']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /导入 7 条，跳过 4 条/);
  assert.match(r.err, /第8行 text：缺少诉求内容/);
  assert.match(r.err, /第9行 matter：事项和承办单位至少须填一项/);
  assert.match(r.err, /第10行 created_at：创建时间无法识别/);
  assert.match(r.err, /第11行：事项和承办单位都无法识别/);
  assert.match(r.err, /第12行 matter：事项“不存在的事项”不在事项分类中/);
  assert.equal(Number(sqlValue(city, 'SELECT COUNT(*) AS n FROM hotline_history')), 7);
  assert.equal(Number(sqlValue(city, "SELECT COUNT(*) AS n FROM hotline_history WHERE source = '旧12345系统' AND matter_id IS NULL")), 1);
  // every imported row is audited
  assert.equal(Number(sqlValue(city, "SELECT COUNT(*) AS n FROM audit WHERE action = 'hotline.history.import'")), 7);
  // a header without text is refused whole
  const bad = path.join(city.dir, 'bad.csv');
  writeFileSync(bad, 'title,matter\n停水,供水\n');
  const b = run(city, ['hotline', 'import-history', bad]);
  assert.equal(b.code, 1);
  assert.match(b.err, /第1行：表头须有 text/);
  srv = await startServer({ db: city.db, config: { tick_seconds: 1 } });
  op = await as(srv.base, 'rexian01');
  unit = await as(srv.base, 'chengban01');
  anon = new Client(srv.base);
});
after(() => srv && srv.stop());

const ask = (c, text, extra = '') => c.get(`/api/v1/hotline/suggest?text=${encodeURIComponent(text)}${extra}`);

async function trained() {
  for (let i = 0; i < 100; i++) {
    const r = await ask(op, '停水');
    assert.equal(r.status, 200, r.text);
    if (r.json.trained_on > 0) return r.json.trained_on;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error('the model was never trained');
}

test('the model learns from closed orders and the imported history', async () => {
  const n = await trained();
  const closed = Number(sqlValue(srv, "SELECT COUNT(*) AS n FROM hotline_orders WHERE state IN ('closed', 'visited') AND (matter_id IS NOT NULL OR unit_id IS NOT NULL)"));
  assert.equal(n, closed + 7);
  const r = await ask(op, '瓦楞纸箱厂的叉车又在半夜装货');
  assert.equal(r.status, 200);
  const { matters, units } = r.json;
  assert.ok(matters.length >= 1 && matters.length <= 3);
  assert.ok(units.length >= 1 && units.length <= 3);
  assert.equal(matters[0].name, '施工噪音');
  assert.equal(matters[0].path, '城乡建设/施工噪音');
  assert.equal(units[0].name, '长沙市生态环境局');
  for (const list of [matters, units]) {
    let sum = 0;
    list.forEach((g, i) => {
      assert.ok(Number.isInteger(g.id) && g.id > 0);
      assert.ok(g.score > 0 && g.score <= 1);
      if (i) assert.ok(g.score <= list[i - 1].score);
      sum += g.score;
    });
    assert.ok(sum <= 1 + 1e-9);
  }
  const s = await ask(op, '糖油粑粑的摊子把路占了', '&k=1');
  assert.equal(s.json.matters.length, 1);
  assert.equal(s.json.units.length, 1);
  assert.equal(s.json.matters[0].name, '占道经营');
  assert.equal(s.json.units[0].name, '长沙市城市管理和综合执法局');
  // words never seen: no suggestion rather than the busiest units
  const none = await ask(op, '！？…… ~~~');
  assert.equal(none.status, 200);
  assert.deepEqual([none.json.matters, none.json.units], [[], []]);
});

test('an order closed in the loop is learnt in the background', async () => {
  const before = await trained();
  const d = (await anon.get('/api/v1/departments')).json.items;
  const cg = d.find((x) => x.name === '长沙市城市管理和综合执法局').id;
  const c = await op.post('/api/v1/hotline/orders', {
    channel: 'phone', category: 'complaint', caller_name: '李女士', caller_phone: '13973100001',
    text: '芙蓉区某路口的磁浮站台电子屏全黑了，晚上看不清', district: '430102',
  });
  assert.equal(c.status, 201, c.text);
  const id = c.json.id;
  assert.equal((await op.post(`/api/v1/hotline/orders/${id}/dispatch`, { unit_id: cg })).status, 200);
  assert.equal((await unit.post(`/api/v1/hotline/orders/${id}/sign`, {})).status, 200);
  assert.equal((await unit.post(`/api/v1/hotline/orders/${id}/reply`, { text: '已安排维修人员更换电子屏，今晚恢复显示。' })).status, 200);
  assert.equal((await op.post(`/api/v1/hotline/orders/${id}/review`, { approve: true })).status, 200);
  // the watcher looks every tick_seconds (1 here) and retrains at most every 10 looks
  for (let i = 0; i < 100; i++) {
    const r = await ask(op, '停水');
    if (r.json.trained_on === before + 1) return;
    await new Promise((ok) => setTimeout(ok, 300));
  }
  assert.fail('the closed order was not learnt');
});

test('only the hotline operators may ask', async () => {
  assert.equal((await ask(anon, '停水')).status, 401);
  assert.equal((await ask(unit, '停水')).status, 403);
});

test('bad input is refused with the field and a Chinese reason', async () => {
  for (const [query, field] of [
    ['', 'text'],
    ['text=', 'text'],
    ['text=%FF%FE', 'text'],
    [`text=${'水'.repeat(680)}`, 'text'], // 2,040 bytes: over the 2,000 the route takes
  ]) {
    const r = await op.get(`/api/v1/hotline/suggest?${query}`);
    assert.equal(r.status, 422, query.slice(0, 20));
    assert.ok(r.json.error.details.some((e) => e.field === field && /[\u4e00-\u9fff]/.test(e.message)), r.text);
  }
  for (const k of ['0', '11', 'x']) assert.equal((await ask(op, '停水', `&k=${k}`)).status, 422);
});
