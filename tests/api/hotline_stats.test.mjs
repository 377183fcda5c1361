// Hotline statistics over real HTTP (docs/domain.md §9 "Rankings, bulletin and dashboard", docs/api.md
// "Hotline statistics"): a small June of orders is played through the API (派单, 签收 in time and
// late, 退单 accepted and rejected, 改派, 延期, 答复 in time and late, 办结, 回访, 重办, 直接办结),
// then the monthly rankings and the dashboard are checked against a recomputation written here,
// from the orders' details, by the definitions; who sees what; 422 on bad months and dates; the
// XLSX opens; the bulletin page is HTML.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Client, as, cliRun } from './helpers.mjs';

const T0 = Date.UTC(2026, 5, 1, 1, 0, 0) / 1000; // Monday 2026-06-01 09:00 +08:00
const at = (d, h) => Date.UTC(2026, 5, d, h - 8, 0, 0) / 1000; // June d, h o'clock China time
const dayOf = (t) => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10);
// the end (23:59:59 China time) of the next working day after t's day: 签收 limit of 1 working day
// (June 1-12 2026 has no holiday: Monday-Friday work)
function signDue(t) {
  const d = new Date((t + 8 * 3600) * 1000);
  let day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  do day += 86400000; while ([0, 6].includes(new Date(day).getUTCDay()));
  return day / 1000 + 86399 - 8 * 3600;
}

let srv, op, admin, sup, u1, u2, u3, anon, units, now = T0;
const ids = {};
const move = (t) => { srv.advance(t - now); now = t; };

before(async () => {
  srv = await startServer({ clock: true });
  srv.advance(T0 - Math.floor(Date.now() / 1000));
  op = await as(srv.base, 'rexian01');
  admin = await as(srv.base, 'center_admin');
  sup = await as(srv.base, 'jiandu01');
  u1 = await as(srv.base, 'chengban01'); // 长沙市城市管理和综合执法局
  u2 = await as(srv.base, 'chengban02'); // 长沙市住房和城乡建设局
  u3 = await as(srv.base, 'chengban03'); // 芙蓉区民政局
  anon = new Client(srv.base);
  const d = (await anon.get('/api/v1/departments')).json.items;
  const id = (name) => d.find((x) => x.name === name).id;
  units = { cg: id('长沙市城市管理和综合执法局'), zj: id('长沙市住房和城乡建设局'), mz: id('芙蓉区民政局') };
  await playJune();
});
after(() => srv.stop());

async function ok(p, status = 200) {
  const r = await p;
  assert.equal(r.status, status, r.text);
  return r.json;
}

let seq = 0;
async function order(body) {
  seq += 1;
  return (await ok(op.post('/api/v1/hotline/orders', {
    channel: 'phone', category: 'complaint', caller_name: '王先生', caller_phone: `1397311${String(seq).padStart(4, '0')}`,
    text: `第${seq}件：芙蓉区文艺路某小区门口夜间施工噪音扰民`, district: '430102', ...body,
  }), 201)).id;
}

async function playJune() {
  const matters = (await ok(op.get('/api/v1/hotline/matters'))).items ?? (await op.get('/api/v1/hotline/matters')).json;
  const leaves = matters.filter((m) => m.parent_id);
  const m = (i) => leaves[i % leaves.length].id;
  // Monday 09:00: intake from several channels
  ids.A = await order({ matter_id: m(0) });
  ids.B = await order({ channel: 'web', source_name: '网上留言', district: '430103', matter_id: m(1) });
  ids.C = await order({ category: 'help', matter_id: m(5) });
  ids.D = await order({ channel: 'wechat', source_name: '市政协微建议', category: 'suggestion', district: '430104', matter_id: m(6) });
  ids.E = await order({ category: 'consult', matter_id: m(7), answer: '已告知市民到街道政务服务中心办理，带身份证即可。' });
  ids.F = await order({ category: 'help', matter_id: m(0) });
  const dispatch = (o, unit) => ok(op.post(`/api/v1/hotline/orders/${o}/dispatch`, { unit_id: unit }));
  await dispatch(ids.A, units.cg);
  await dispatch(ids.B, units.cg);
  await dispatch(ids.C, units.zj);
  await dispatch(ids.D, units.zj);
  await dispatch(ids.F, units.mz);
  // Monday 10:00: 签收; 住建 returns D (accepted: 改派 to 城管); 城管 returns B (rejected: against it)
  move(at(1, 10));
  await ok(u1.post(`/api/v1/hotline/orders/${ids.A}/sign`, {}));
  await ok(u1.post(`/api/v1/hotline/orders/${ids.B}/sign`, {}));
  await ok(u2.post(`/api/v1/hotline/orders/${ids.C}/sign`, {}));
  await ok(u2.post(`/api/v1/hotline/orders/${ids.D}/return`, { reason: '该事项属城市管理职责，不属本单位' }));
  await ok(op.post(`/api/v1/hotline/orders/${ids.D}/return-review`, { accept: true, unit_id: units.cg, note: '改派城管' }));
  await ok(u1.post(`/api/v1/hotline/orders/${ids.D}/sign`, {}));
  await ok(u1.post(`/api/v1/hotline/orders/${ids.B}/return`, { reason: '不属于本单位职责' }));
  await ok(op.post(`/api/v1/hotline/orders/${ids.B}/return-review`, { accept: false, note: '属城管职责，退单理由不成立' }));
  // 11:00: an extension of A, approved
  move(at(1, 11));
  const a = await ok(u1.post(`/api/v1/hotline/orders/${ids.A}/extension`, { days: 2, reason: '需会同街道现场核查' }));
  await ok(admin.post(`/api/v1/hotline/extensions/${a.extensions[0].id}/decide`, { approve: true, note: '同意' }));
  // Wednesday: 芙蓉区民政局 signs late; replies and 办结
  move(at(3, 10));
  await ok(u3.post(`/api/v1/hotline/orders/${ids.F}/sign`, {}));
  const reply = '经现场核查已处理完毕，并已电话告知市民处理结果。';
  for (const [u, o] of [[u1, ids.A], [u1, ids.B], [u1, ids.D], [u3, ids.F]]) {
    await ok(u.post(`/api/v1/hotline/orders/${o}/reply`, { text: reply }));
    await ok(op.post(`/api/v1/hotline/orders/${o}/review`, { approve: true }));
  }
  // Thursday: 回访; B 不满意 and reopened (重办) to the same unit, handled again and called back
  move(at(4, 10));
  const cb = (o, satisfaction, solved) => ok(op.post(`/api/v1/hotline/orders/${o}/callback`, { reached: true, satisfaction, solved }));
  await cb(ids.A, 'satisfied', true);
  await cb(ids.B, 'dissatisfied', false);
  await cb(ids.D, 'basic', true);
  await cb(ids.F, 'satisfied', true);
  await ok(admin.post(`/api/v1/hotline/orders/${ids.B}/reopen`, { note: '市民不满意，重办' }));
  move(at(4, 15));
  await ok(u1.post(`/api/v1/hotline/orders/${ids.B}/sign`, {}));
  await ok(u1.post(`/api/v1/hotline/orders/${ids.B}/reply`, { text: reply }));
  await ok(op.post(`/api/v1/hotline/orders/${ids.B}/review`, { approve: true }));
  await cb(ids.B, 'satisfied', true);
  // the next Tuesday: C answered after its limit (求助: 5 working days), closed, the citizen not reached
  move(at(9, 10));
  await ok(u2.post(`/api/v1/hotline/orders/${ids.C}/reply`, { text: reply }));
  await ok(op.post(`/api/v1/hotline/orders/${ids.C}/review`, { approve: true }));
  await ok(op.post(`/api/v1/hotline/orders/${ids.C}/callback`, { reached: false, note: '无人接听' }));
  // a surge this week: water cut without notice
  ids.W = [];
  for (let i = 0; i < 6; i++) ids.W.push(await order({ category: 'complaint', title: `自来水停水无通知（第${i + 1}栋）`, district: '430105', matter_id: m(2) }));
}

const details = async () => {
  const all = [ids.A, ids.B, ids.C, ids.D, ids.E, ids.F, ...ids.W];
  return Promise.all(all.map((o) => ok(admin.get(`/api/v1/hotline/orders/${o}`))));
};

// The rankings' figures by the definitions of docs/domain.md §9, from the orders' details.
function recompute(orders, from, to) {
  const rows = new Map();
  const row = (u) => {
    if (!rows.has(u)) rows.set(u, { received: 0, signed_in_time: 0, closed: 0, on_time: 0, called_back: 0, satisfied: 0, basic: 0, dissatisfied: 0, solved: 0, returns: 0, reopens: 0 });
    return rows.get(u);
  };
  const inMonth = (t) => t != null && dayOf(t) >= from && dayOf(t) <= to;
  for (const o of orders) {
    for (const u of o.units.filter((x) => x.role === 'lead')) {
      if (!inMonth(u.dispatched_at)) continue;
      const r = row(u.unit_id);
      r.received += 1;
      if (u.signed_at != null && u.signed_at <= signDue(u.dispatched_at)) r.signed_in_time += 1;
    }
    if (['closed', 'visited'].includes(o.state) && !o.direct && o.reply_unit_id && inMonth(o.closed_at)) {
      const r = row(o.reply_unit_id);
      r.closed += 1;
      if (o.replied_at <= o.due_at) r.on_time += 1;
    }
    for (const s of o.steps) {
      const data = typeof s.data === 'string' ? JSON.parse(s.data) : s.data;
      if (s.action === 'callback' && inMonth(s.at)) {
        const r = row(s.unit_id);
        r.called_back += 1;
        r[data.satisfaction] += 1;
        if (data.solved) r.solved += 1;
      }
      if (s.action === 'reopen' && inMonth(s.at)) row(data.from_unit_id).reopens += 1;
    }
    for (const t of o.returns) if (t.state === 'rejected' && inMonth(t.decided_at)) row(t.unit_id).returns += 1;
  }
  return rows;
}

test('rankings: every unit’s figures equal the recomputation; scores, ranks and weights', async () => {
  const r = await ok(admin.get('/api/v1/hotline/rankings?month=2026-06'));
  assert.equal(r.month, '2026-06');
  assert.deepEqual(r.weights, { sign_rate: 15, on_time_rate: 25, solved_rate: 20, satisfaction_rate: 30, clean_rate: 10 });
  const want = recompute(await details(), '2026-06-01', '2026-06-30');
  assert.deepEqual(new Set(r.rows.map((x) => x.unit_id)), new Set(want.keys()));
  for (const x of r.rows) {
    const w = want.get(x.unit_id);
    for (const k of Object.keys(w)) assert.equal(x[k], w[k], `${x.unit_name} ${k}`);
    assert.equal(x.basic, w.basic);
    const rate = (a, b) => (b ? a / b : null);
    const near = (a, b, k) => (b == null ? assert.equal(a, null, k) : assert.ok(Math.abs(a - b) < 1e-3, `${k} ${a} ${b}`));
    near(x.sign_rate, rate(w.signed_in_time, w.received), 'sign_rate');
    near(x.on_time_rate, rate(w.on_time, w.closed), 'on_time_rate');
    near(x.solved_rate, rate(w.solved, w.called_back), 'solved_rate');
    near(x.satisfaction_rate, rate(w.satisfied + w.basic, w.called_back), 'satisfaction_rate');
    // the score: the weighted mean of the rates with a denominator and the clean rate
    const parts = [[15, x.sign_rate], [25, x.on_time_rate], [20, x.solved_rate], [30, x.satisfaction_rate],
      [10, 1 - Math.min(1, (w.returns + w.reopens) / Math.max(w.received, 1))]].filter(([, v]) => v != null);
    const score = (100 * parts.reduce((s, [k, v]) => s + k * v, 0)) / parts.reduce((s, [k]) => s + k, 0);
    assert.ok(Math.abs(x.score - score) < 0.05, `${x.unit_name} score ${x.score} ${score}`);
  }
  assert.deepEqual(r.rows.map((x) => x.rank), r.rows.map((_, i) => i + 1));
  for (let i = 1; i < r.rows.length; i++) assert.ok(r.rows[i - 1].score >= r.rows[i].score);
  // the story told above, in figures: 城管 got A, B (重办 to it again) and D (改派), signed all in time,
  // closed three on time; four call-backs, one 不满意; one return rejected; one 重办
  const cg = r.rows.find((x) => x.unit_id === units.cg);
  assert.deepEqual([cg.received, cg.signed_in_time, cg.closed, cg.on_time, cg.called_back, cg.satisfied, cg.basic, cg.dissatisfied, cg.solved, cg.returns, cg.reopens],
    [3, 3, 3, 3, 4, 2, 1, 1, 3, 1, 1]);
  const mz = r.rows.find((x) => x.unit_id === units.mz);
  assert.equal(mz.signed_in_time, 0, 'signed on Wednesday for a Monday dispatch: late');
  const zj = r.rows.find((x) => x.unit_id === units.zj);
  assert.equal(zj.on_time, 0, 'C answered after its limit');
  assert.equal(zj.called_back, 0, 'a call-back that did not reach the citizen does not count');
  assert.equal(zj.returns, 0, 'an accepted return counts against the centre, not the unit');
  // another month has none of it
  const may = await ok(admin.get('/api/v1/hotline/rankings?month=2026-05'));
  assert.ok(!may.rows.some((x) => [units.cg, units.zj, units.mz].includes(x.unit_id)));
});

test('rankings: the weights come from the configuration, are echoed and score; a bad sum refuses to start', async () => {
  // the same city under other weights (hotline_weight_*, docs/yiwang.conf.example): 满意率 60, 按时办结率 40
  const weights = { hotline_weight_sign: 0, hotline_weight_on_time: 40, hotline_weight_solved: 0, hotline_weight_satisfaction: 60, hotline_weight_clean: 0 };
  const s2 = await startServer({ db: srv, config: weights });
  try {
    const a2 = await as(s2.base, 'center_admin');
    const r = await ok(a2.get('/api/v1/hotline/rankings?month=2026-06'));
    assert.deepEqual(r.weights, { sign_rate: 0, on_time_rate: 40, solved_rate: 0, satisfaction_rate: 60, clean_rate: 0 });
    for (const x of r.rows) {
      const parts = [[40, x.on_time_rate], [60, x.satisfaction_rate]].filter(([, v]) => v != null);
      const want = parts.length ? (100 * parts.reduce((s, [k, v]) => s + k * v, 0)) / parts.reduce((s, [k]) => s + k, 0) : null;
      if (want == null) assert.equal(x.score, null, x.unit_name);
      else assert.ok(Math.abs(x.score - want) < 0.01, `${x.unit_name} ${x.score} ${want}`);
    }
    const html = await (await fetch(`${s2.base}/api/v1/hotline/bulletin.html?month=2026-06&min_orders=1`, { headers: { Cookie: a2.cookie } })).text();
    assert.match(html, /签收率0%、按时办结率40%、解决率0%、满意率60%、无退单重办率0%/);
  } finally {
    await s2.stop();
  }
  // weights that do not add up to 100, or one past 100: the program refuses its configuration
  for (const bad of [{ hotline_weight_clean: 20 }, { hotline_weight_sign: 101 }]) {
    const s3 = cliRun({ ...srv, conf: writeConf(srv.conf, bad) }, ['routes']);
    assert.equal(s3.code, 2, JSON.stringify(bad));
    assert.match(s3.err, bad.hotline_weight_clean ? /must add up to 100 \(they add up to 110\)/ : /bad value for 'hotline_weight_sign'/);
  }
});

// A copy of the configuration file conf with extra settings.
function writeConf(conf, extra) {
  const dir = mkdtempSync(path.join(tmpdir(), 'yiwang-conf-'));
  const file = path.join(dir, 'test.conf');
  writeFileSync(file, readFileSync(conf, 'utf8') +
    Object.entries(extra).map(([k, v]) => `${k} = ${v}\n`).join(''));
  return file;
}

test('rankings: the centre, supervisors and operators see every unit; a unit its own row and rank', async () => {
  const all = await ok(admin.get('/api/v1/hotline/rankings?month=2026-06'));
  assert.deepEqual((await ok(sup.get('/api/v1/hotline/rankings?month=2026-06'))).rows, all.rows);
  assert.deepEqual((await ok(op.get('/api/v1/hotline/rankings?month=2026-06'))).rows, all.rows);
  for (const [u, unit] of [[u1, units.cg], [u3, units.mz]]) {
    const own = await ok(u.get('/api/v1/hotline/rankings?month=2026-06'));
    assert.equal(own.rows.length, 1);
    assert.deepEqual(own.rows[0], all.rows.find((x) => x.unit_id === unit));
    assert.equal(own.units, all.units, 'the rank is among all units');
  }
  assert.equal((await anon.get('/api/v1/hotline/rankings?month=2026-06')).status, 401);
  const citizen = await as(srv.base, 'zhangsan').catch(() => null);
  if (citizen) assert.equal((await citizen.get('/api/v1/hotline/rankings?month=2026-06')).status, 403);
});

test('bad months and dates: 422 naming the field', async () => {
  for (const m of ['2026-13', '2026-6', 'abc', '2026-00', '20260-01', '2026-06-01']) {
    const r = await admin.get(`/api/v1/hotline/rankings?month=${m}`);
    assert.equal(r.status, 422, m);
    assert.equal(r.json.error.details[0].field, 'month');
    assert.match(r.json.error.details[0].message, /YYYY-MM/);
    assert.equal((await admin.get(`/api/v1/hotline/bulletin?month=${m}`)).status, 422);
  }
  for (const [q, field] of [['from=2026-02-30&to=2026-03-01', 'from'], ['from=2026-06-01&to=2026/06/30', 'to'],
    ['from=2026-06-30&to=2026-06-01', 'to'], ['from=2024-01-01&to=2026-06-01', 'to']]) {
    const r = await admin.get(`/api/v1/hotline/dashboard?${q}`);
    assert.equal(r.status, 422, q);
    assert.equal(r.json.error.details[0].field, field, q);
    assert.equal((await admin.get(`/api/v1/hotline/dashboard.xlsx?${q}`)).status, 422);
  }
  assert.equal((await admin.get('/api/v1/hotline/bulletin?month=2026-06&min_orders=0')).status, 422);
});

test('dashboard: volumes by channel, category, matter and district, heat table and trend equal the recomputation', async () => {
  const d = await ok(sup.get('/api/v1/hotline/dashboard?from=2026-06-01&to=2026-06-30'));
  const orders = await details();
  const matters = (await op.get('/api/v1/hotline/matters')).json;
  const list = matters.items ?? matters;
  const parent = new Map(list.map((m) => [m.id, m.parent_id]));
  const topOf = (id) => { while (parent.get(id)) id = parent.get(id); return id; };
  const tally = (f) => orders.reduce((m, o) => m.set(f(o), (m.get(f(o)) || 0) + 1), new Map());
  const asMap = (rows, key) => new Map(rows.map((r) => [key(r), r.count]));
  assert.equal(d.total, orders.length);
  assert.deepEqual(asMap(d.by_channel, (r) => r.channel), tally((o) => o.channel));
  assert.deepEqual(asMap(d.by_category, (r) => r.category), tally((o) => o.category));
  assert.deepEqual(asMap(d.by_district, (r) => r.district), tally((o) => o.district));
  assert.deepEqual(asMap(d.by_matter_leaf, (r) => r.matter.id), tally((o) => o.matter_id));
  assert.deepEqual(asMap(d.by_matter_top, (r) => r.matter.id), tally((o) => topOf(o.matter_id)));
  assert.ok(d.by_district.every((r) => r.name && r.name.length > 1), 'districts by name');
  // the heat table: district × top-level matter
  const heat = new Map();
  for (const o of orders) heat.set(`${o.district}/${topOf(o.matter_id)}`, (heat.get(`${o.district}/${topOf(o.matter_id)}`) || 0) + 1);
  for (const row of d.heat.rows) {
    row.counts.forEach((n, j) => assert.equal(n, heat.get(`${row.district}/${d.heat.matters[j].id}`) || 0));
  }
  // trends by day and by week (Monday first)
  assert.equal(d.trend.by_day.length, 30);
  const byDay = tally((o) => dayOf(o.created_at));
  for (const x of d.trend.by_day) assert.equal(x.count, byDay.get(x.day) || 0, x.day);
  assert.equal(d.trend.by_week[0].week_start, '2026-06-01');
  assert.equal(d.trend.by_week.reduce((s, w) => s + w.count, 0), orders.length);
  // hot topics of the week to June 9: the water cut surged (6 orders, none before)
  const h = await ok(sup.get('/api/v1/hotline/dashboard?from=2026-06-01&to=2026-06-09'));
  assert.ok(h.hot_topics.length >= 1);
  assert.match(h.hot_topics[0].term, /停水/);
  assert.equal(h.hot_topics[0].week, 6);
  assert.equal(h.hot_topics[0].previous_4_weeks, 0);
  assert.ok(!h.hot_topics.some((t) => /投诉|问题/.test(t.term)), 'stop words never rise');
});

test('dashboard: units and strangers may not see it', async () => {
  assert.equal((await u1.get('/api/v1/hotline/dashboard')).status, 403);
  assert.equal((await u1.get('/api/v1/hotline/dashboard.xlsx')).status, 403);
  assert.equal((await anon.get('/api/v1/hotline/dashboard')).status, 401);
  assert.equal((await op.get('/api/v1/hotline/dashboard')).status, 200);
  assert.equal((await admin.get('/api/v1/hotline/dashboard')).status, 200);
});

test('XLSX export opens as a workbook with every sheet', async () => {
  const res = await fetch(`${srv.base}/api/v1/hotline/dashboard.xlsx?from=2026-06-01&to=2026-06-30`, { headers: { Cookie: sup.cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'yw-hls-')), 'd.xlsx');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const out = execFileSync('python3', ['-c', `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(z.read('xl/workbook.xml').decode())
print(z.read('xl/sharedStrings.xml').decode())
`, file]).toString();
  for (const sheet of ['渠道', '类别', '事项大类', '区域', '区域×事项', '日趋势', '周趋势', '本周热点']) assert.ok(out.includes(`name="${sheet}"`), sheet);
  assert.ok(out.includes('网上留言') && out.includes('芙蓉区'));
});

test('bulletin: the best and the worst units, as JSON and as a printable page', async () => {
  const b = await ok(admin.get('/api/v1/hotline/bulletin?month=2026-06&min_orders=1&count=1'));
  const r = await ok(admin.get('/api/v1/hotline/rankings?month=2026-06'));
  const eligible = r.rows.filter((x) => x.received >= 1 && x.score != null);
  assert.equal(b.ranked_units, eligible.length);
  assert.deepEqual(b.best, eligible.slice(0, 1));
  assert.deepEqual(b.worst, eligible.slice(-1));
  assert.equal(b.city.received, r.rows.reduce((s, x) => s + x.received, 0));
  // a unit reads the bulletin circulated to all units
  assert.equal((await u1.get('/api/v1/hotline/bulletin?month=2026-06')).status, 200);
  const res = await fetch(`${srv.base}/api/v1/hotline/bulletin.html?month=2026-06&min_orders=1&count=1`, { headers: { Cookie: admin.cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8/);
  const html = await res.text();
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /12345热线承办单位工作情况通报/);
  assert.match(html, /@page \{ size: A4/);
  assert.ok(!/<script/i.test(html), 'no script');
  assert.ok(html.includes(b.best[0].unit_name) && html.includes(b.worst[0].unit_name));
  assert.equal((await anon.get('/api/v1/hotline/bulletin.html?month=2026-06')).status, 401);
});

test('the figures follow new orders and steps at once (the change log)', async () => {
  const q = '/api/v1/hotline/dashboard?from=2026-06-01&to=2026-06-30';
  const before = await ok(sup.get(q));
  const r0 = (await ok(admin.get('/api/v1/hotline/rankings?month=2026-06'))).rows.find((x) => x.unit_id === units.mz);
  const o = await order({ channel: 'media', source_name: '长沙晚报', category: 'report', district: '430111' });
  const after1 = await ok(sup.get(q));
  assert.equal(after1.total, before.total + 1);
  assert.equal(after1.by_channel.find((x) => x.channel === 'media').count, 1);
  assert.equal(after1.by_district.find((x) => x.district === '430111').count, 1);
  await ok(op.post(`/api/v1/hotline/orders/${o}/dispatch`, { unit_id: units.mz }));
  await ok(u3.post(`/api/v1/hotline/orders/${o}/sign`, {}));
  const r1 = (await ok(admin.get('/api/v1/hotline/rankings?month=2026-06'))).rows.find((x) => x.unit_id === units.mz);
  assert.equal(r1.received, r0.received + 1);
  assert.equal(r1.signed_in_time, r0.signed_in_time + 1);
});

test('handling units of every kind: enterprises in the demo, the kind in the org API, rankings by kind', async () => {
  // the demo city's enterprises (docs/domain.md §9: water, power and gas answer the hotline)
  const depts = (await anon.get('/api/v1/departments')).json.items;
  const ent = depts.filter((d) => d.kind === 'enterprise').map((d) => d.name).sort();
  assert.deepEqual(ent, ['国网长沙供电公司', '长沙新奥燃气有限公司', '长沙水务集团有限公司'].sort());
  assert.ok(depts.every((d) => ['department', 'district', 'street', 'enterprise'].includes(d.kind)));
  const water = depts.find((d) => d.name === '长沙水务集团有限公司');
  // the org API: a kind is set, kept when a PUT leaves it out, and checked
  const mz = depts.find((d) => d.id === units.mz);
  const body = { name: mz.name, short_name: mz.short_name, uscc: mz.uscc, region_code: mz.region_code, phone: mz.phone, address: mz.address };
  let r = await admin.put(`/api/v1/departments/${units.mz}`, { ...body, kind: 'district' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.kind, 'district');
  r = await admin.put(`/api/v1/departments/${units.mz}`, body);
  assert.equal(r.json.kind, 'district', 'kept');
  r = await admin.put(`/api/v1/departments/${units.mz}`, { ...body, kind: 'company' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'kind');
  // an order of June for the water company
  const o = await order({ category: 'help', text: '雨花区高桥小区停水一整天没有通知，请尽快恢复供水', district: '430111' });
  await ok(op.post(`/api/v1/hotline/orders/${o}/dispatch`, { unit_id: water.id }));
  const all = await ok(admin.get('/api/v1/hotline/rankings?month=2026-06'));
  assert.equal(all.kind, null);
  assert.ok(all.rows.every((x) => x.unit_kind && x.unit_kind_label));
  assert.equal(all.rows.find((x) => x.unit_id === units.mz).unit_kind_label, '区县');
  const w = all.rows.find((x) => x.unit_id === water.id);
  assert.equal(w.unit_kind, 'enterprise');
  assert.equal(w.unit_kind_label, '企业');
  assert.equal(w.received, 1);
  // ranked among their own kind
  const e = await ok(admin.get('/api/v1/hotline/rankings?month=2026-06&kind=enterprise'));
  assert.equal(e.kind, 'enterprise');
  assert.deepEqual(e.rows.map((x) => x.unit_id), [water.id]);
  assert.equal(e.rows[0].rank, 1);
  assert.equal(e.units, 1);
  const d = await ok(admin.get('/api/v1/hotline/rankings?month=2026-06&kind=department'));
  assert.ok(!d.rows.some((x) => x.unit_id === water.id || x.unit_id === units.mz));
  assert.deepEqual(d.rows.map((x) => x.rank), d.rows.map((_, i) => i + 1));
  assert.equal(d.units, all.units - 2);
  assert.equal((await admin.get('/api/v1/hotline/rankings?month=2026-06&kind=company')).status, 422);
  const b = await ok(admin.get('/api/v1/hotline/bulletin?month=2026-06&kind=department&min_orders=1'));
  assert.equal(b.kind, 'department');
  const html = await (await fetch(`${srv.base}/api/v1/hotline/bulletin.html?month=2026-06&min_orders=1`, { headers: { Cookie: admin.cookie } })).text();
  assert.match(html, /<th>类别<\/th>/);
});
