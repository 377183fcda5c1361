// Statistics over real HTTP: cases made through the API (accepted, stepped, decided, refused,
// withdrawn, left open), then the dashboard's, summary's and report's numbers compared with a
// recomputation from the raw case_events read with the engine's own client (sqlite3 or psql);
// reviews and cards as other modules write them; scope (a department admin sees only their
// department, applicants are refused); parameter validation; the XLSX export.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, sqlRows, sqlExec } from './helpers.mjs';

let srv, scjg, item, otherItem;
// applied for online by 张三: an item served on a computer or a phone too (办理形式 2, 3), not the window only
const online = (g) => g.forms.some((f) => f === 2 || f === 3);
before(async () => {
  srv = await startServer({ clock: true });
  const pub = new Client(srv.base);
  const depts = (await pub.get('/api/v1/departments')).json.items;
  scjg = depts.find((d) => d.name === '长沙市市场监督管理局');
  const list = (await pub.get(`/api/v1/items?dept_id=${scjg.id}&page_size=200`)).json.items;
  for (const it of list) {
    const g = (await pub.get(`/api/v1/items/${it.code}`)).json;
    if (g.steps.filter((s) => s.role !== 'window').length >= 2 && g.targets.includes(1) && online(g)) { item = g; break; }
  }
  const all = (await pub.get('/api/v1/items?page_size=200')).json.items;
  for (const it of all.filter((x) => x.dept_id !== scjg.id)) {
    const g = (await pub.get(`/api/v1/items/${it.code}`)).json;
    if (g.targets.includes(1) && online(g)) { otherItem = { ...g, dept_id: it.dept_id }; break; }
  }
  assert.ok(item && otherItem);
});
after(() => srv.stop());

const sql = (q) => sqlRows(srv, q);
const localDay = (unix) => new Date(unix * 1000 + 8 * 3600e3).toISOString().slice(0, 10);

// Recomputes the figures for [from, to] from case_events (and the case's channel, visits and the
// item version's handling class, which events do not carry), for departments accepted by deptOk.
function recompute(from, to, today, deptOk = () => true) {
  const cases = sql('SELECT c.id, c.dept_id, c.channel, c.visits, v.handling_class FROM cases c JOIN item_versions v ON v.id = c.item_version_id');
  const events = sql('SELECT case_id, at, action, state_to, data FROM case_events ORDER BY id');
  const r = { received: 0, completed: 0, on_time: 0, early: 0, completed_late: 0, open_overdue: 0, instant: 0, online: 0, zuiduo: 0 };
  const inRange = (d) => d && d >= from && d <= to;
  for (const c of cases) {
    if (!deptOk(c.dept_id)) continue;
    const ev = events.filter((e) => e.case_id === c.id);
    const submit = ev.find((e) => e.action === 'submit' || (e.action !== 'draft' && e.state_to === 1));
    const accept = ev.find((e) => e.action === 'accept');
    const promised = accept ? JSON.parse(accept.data).promised_day : null;
    const last = ev.at(-1);
    const decided = [11, 13].includes(last.state_to) ? localDay(last.at) : null;
    if (submit && inRange(localDay(submit.at))) {
      r.received++;
      if (c.channel === 'online') r.online++;
      if (c.visits <= 1) r.zuiduo++;
    }
    if (inRange(decided)) {
      r.completed++;
      if (decided <= promised) r.on_time++;
      if (decided < promised) r.early++;
      if (decided > promised) r.completed_late++;
      if (c.handling_class === 1) r.instant++;
    }
    if (!decided && [3].includes(last.state_to) && inRange(promised) && promised < today) r.open_overdue++;
  }
  return r;
}

function same(got, want, what) {
  for (const [k, v] of Object.entries(want)) assert.equal(got[k], v, `${what}: ${k}`);
  assert.equal(got.overdue, want.completed_late + want.open_overdue, `${what}: overdue`);
  const rate = (a, b) => (b ? a / b : null);
  const close = (x, y, k) => (y === null ? assert.equal(x, null, k) : assert.ok(Math.abs(x - y) < 1e-5, `${what}: ${k} ${x} vs ${y}`));
  close(got.completion_rate, rate(want.completed, want.received), 'completion_rate');
  close(got.on_time_rate, rate(want.on_time, want.completed), 'on_time_rate');
  close(got.early_rate, rate(want.early, want.completed), 'early_rate');
  close(got.online_share, rate(want.online, want.received), 'online_share');
  close(got.instant_share, rate(want.instant, want.completed), 'instant_share');
}

async function decide(approver, id, how) {
  for (let guard = 0; guard < 10; guard++) {
    const c = (await approver.get(`/api/v1/cases/${id}`)).json;
    if (c.current_step === c.steps.length - 1) break;
    assert.equal((await approver.post(`/api/v1/cases/${id}/step`, { action: 'pass' })).status, 200);
  }
  const r = await approver.post(`/api/v1/cases/${id}/step`, how === 'approve' ? { action: 'approve', opinion: '符合法定条件，准予许可' } : { action: 'deny', reason: '不符合法定条件' });
  assert.equal(r.status, 200, r.text);
}

const now = () => new Date(Date.now() + 8 * 3600e3);
const dayStr = (d) => d.toISOString().slice(0, 10);

test('dashboard, summary and report equal a recomputation from the case events, and follow new cases', async () => {
  const supervisor = await as(srv.base, 'jiandu01');
  const today = dayStr(now());
  const [y, m] = today.split('-').map(Number);
  // The first look loads the facts; every case below then reaches them through the change log.
  let dash = await supervisor.get(`/api/v1/stats/dashboard?year=${y}&month=${m}`);
  assert.equal(dash.status, 200, dash.text);
  assert.equal(dash.json.kpi.received, 0);

  const citizen = await as(srv.base, 'zhangsan');
  const window = await as(srv.base, 'window01');
  const approver = await as(srv.base, 'scjg_shenpi');
  const apply = async (code = item.code) => {
    const guide = code === item.code ? item : otherItem;
    const r = await citizen.post('/api/v1/cases', { item_code: code, materials: guide.materials.map((m) => m.name) });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const approved = [await apply(), await apply()];
  const denied = await apply();
  const refused = await apply();
  const withdrawn = await apply();
  const open = await apply();
  const other = await apply(otherItem.code);
  const draft = await citizen.post('/api/v1/cases', { item_code: item.code, submit: false });
  assert.equal(draft.status, 201);
  const walkIn = await window.post('/api/v1/cases', { item_code: item.code, materials: item.materials.map((m) => m.name), applicant: { name: '李四', id_number: '430102199001011238', phone: '13800000000' } });
  assert.equal(walkIn.status, 201, walkIn.text);
  for (const id of [...approved, denied, open, other, walkIn.json.id]) assert.equal((await window.post(`/api/v1/cases/${id}/accept`)).status, 200);
  assert.equal((await window.post(`/api/v1/cases/${refused}/refuse`, { reasons: '不属于本机关职权范围' })).status, 200);
  assert.equal((await citizen.post(`/api/v1/cases/${withdrawn}/withdraw`)).status, 200);
  for (const id of approved) await decide(approver, id, 'approve');
  await decide(approver, denied, 'deny');

  const want = recompute(today, today, today);
  assert.equal(want.received, 8, 'seven online applications and one walk-in; the draft is not received');
  assert.equal(want.completed, 3);
  dash = await supervisor.get(`/api/v1/stats/dashboard?year=${y}&month=${m}`);
  assert.equal(dash.status, 200);
  same(dash.json.kpi, recompute(`${today.slice(0, 8)}01`, today, today), 'dashboard kpi');
  const trend = dash.json.trend.find((r) => r.label === today.slice(0, 7));
  assert.equal(trend.received, want.received, 'monthly trend');
  const scjgRow = dash.json.by_dept.find((r) => r.key === scjg.id);
  assert.equal(scjgRow.received, recompute(today, today, today, (d) => d === scjg.id).received);
  assert.ok(dash.json.top_items.some((r) => r.key === item.id || r.label === item.name));
  assert.equal(dash.json.signals.normal, 3, 'open cases: one of another department, one online and one walk-in');

  const sum = await supervisor.get(`/api/v1/stats/summary?from=${today}&to=${today}&by=dept`);
  assert.equal(sum.status, 200, sum.text);
  same(sum.json.total, want, 'summary total');
  same(sum.json.rows.find((r) => r.key === scjg.id), recompute(today, today, today, (d) => d === scjg.id), 'summary scjg row');
  assert.equal(sum.json.rows.find((r) => r.key === scjg.id).label, '长沙市市场监督管理局');

  const rep = await supervisor.get(`/api/v1/stats/report?month=${today.slice(0, 7)}`);
  assert.equal(rep.status, 200, rep.text);
  assert.equal(rep.json.current.received, want.received);
  assert.equal(rep.json.current.completed, want.completed);
  assert.match(rep.json.sections[0].text, new RegExp(`共受理各类政务服务事项${want.received}件，办结${want.completed}件`));
  assert.ok(rep.json.stationed.departments > 0 && rep.json.stationed.windows > 0);

  // Forty days on, the open cases are past their promised days: overdue by their promised day.
  srv.advance(40 * 86400);
  const later = dayStr(new Date(now().getTime() + 40 * 86400e3));
  const over = recompute(today, later, later);
  assert.equal(over.open_overdue, 3);
  const sum2 = await supervisor.get(`/api/v1/stats/summary?from=${today}&to=${later}&by=month`);
  same(sum2.json.total, over, 'summary after 40 days');
});

test('reviews and cards written by other modules reach the figures, within scope', async () => {
  const today = dayStr(now());
  const ids = sql(`SELECT id, dept_id FROM cases WHERE state IN (11, 13) ORDER BY id`);
  const scjgCase = ids.find((c) => c.dept_id === scjg.id).id;
  const openCase = sql(`SELECT id FROM cases WHERE state = 3 AND dept_id = ${scjg.id} LIMIT 1`)[0].id;
  // 好差评 and 电子监察 rows as their modules write them (the change log sees any writer). The cards
  // are on a step no case has: the supervision tick, which saw the clock move 40 days, may already
  // have carded the open case itself (on that later day, one card per case, step and kind).
  sqlExec(srv, `
    INSERT INTO reviews(case_id, dept_id, level, channel, at, day) VALUES (${scjgCase}, ${scjg.id}, 1, 'pc', 0, '${today}');
    INSERT INTO reviews(case_id, dept_id, level, channel, at, day, genuine, rectified_at) VALUES (${ids.find((c) => c.id !== scjgCase).id}, ${scjg.id}, 5, 'app', 0, '${today}', 1, 1);
    INSERT INTO reviews(dept_id, level, channel, at, day, genuine) VALUES (${scjg.id}, 4, 'pad', 0, '${today}', 0);
    INSERT INTO reviews(level, channel, at, day) VALUES (2, 'pad', 0, '${today}');
    INSERT INTO cards(case_id, step, level, kind, dept_id, day, at) VALUES (${openCase}, 99, 2, 'overdue', ${scjg.id}, '${today}', 0);
    INSERT INTO cards(case_id, step, level, kind, dept_id, day, at) VALUES (${openCase}, 99, 3, 'overdue_long', ${scjg.id}, '${today}', 0);`);
  const reviews = sql(`SELECT dept_id, level, genuine, rectified_at FROM reviews WHERE day = '${today}'`);
  const want = (rows) => ({
    reviews: rows.length,
    satisfied: rows.filter((r) => r.level <= 3).length,
    not_genuine: rows.filter((r) => r.genuine === 0).length,
    bad_reviews: rows.filter((r) => r.level >= 4 && r.genuine !== 0).length,
    rectified: rows.filter((r) => r.level >= 4 && r.genuine === 1 && r.rectified_at !== null).length,
  });
  const supervisor = await as(srv.base, 'jiandu01');
  let r = await supervisor.get(`/api/v1/stats/summary?from=${today}&to=${today}&by=dept`);
  const all = want(reviews);
  for (const [k, v] of Object.entries(all)) assert.equal(r.json.total[k], v, k);
  assert.ok(Math.abs(r.json.total.satisfaction_rate - all.satisfied / (all.reviews - all.not_genuine)) < 1e-5);
  assert.equal(r.json.total.rectification_rate, 1);
  assert.deepEqual(r.json.total.review_levels, [1, 1, 0, 1, 1]);
  assert.deepEqual(r.json.total.cards, { warning: 0, yellow: 1, red: 1 });
  // the review of no department is the region's: the department admin does not see it
  const admin = await as(srv.base, 'scjg_admin');
  r = await admin.get(`/api/v1/stats/summary?from=${today}&to=${today}&by=dept`);
  for (const [k, v] of Object.entries(want(reviews.filter((x) => x.dept_id === scjg.id)))) assert.equal(r.json.total[k], v, `dept admin ${k}`);
  assert.equal(r.json.total.cards.red, 1);
});

test('scope: a department admin sees their own department only; applicants are refused', async () => {
  const today = dayStr(now());
  const admin = await as(srv.base, 'scjg_admin');
  const r = await admin.get(`/api/v1/stats/summary?from=${today}&to=${today}&by=dept`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.rows.map((row) => row.key), [scjg.id]);
  assert.equal(r.json.total.received, recompute(today, today, today, (d) => d === scjg.id).received);
  const citizen = await as(srv.base, 'zhangsan');
  assert.equal((await citizen.get('/api/v1/stats/dashboard')).status, 403);
  assert.equal((await citizen.get('/api/v1/stats/export.xlsx')).status, 403);
});

test('bad parameters answer 422 naming each field, in Chinese', async () => {
  const s = await as(srv.base, 'jiandu01');
  let r = await s.get('/api/v1/stats/summary?from=2025-13-01&by=week');
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.field).sort(), ['by', 'from']);
  assert.match(r.json.error.details[0].message, /[\u4e00-\u9fa5]/);
  r = await s.get('/api/v1/stats/summary?from=2025-05-01&to=2025-04-01');
  assert.equal(r.json.error.details[0].field, 'to');
  r = await s.get('/api/v1/stats/summary?from=2024-01-01&to=2025-06-01&by=day');
  assert.equal(r.status, 422);
  r = await s.get('/api/v1/stats/report?month=2025-1');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'month');
  r = await s.get('/api/v1/stats/dashboard?month=13');
  assert.equal(r.json.error.details[0].field, 'month');
});

test('XLSX export is a workbook with the statistics sheet', async () => {
  const s = await as(srv.base, 'jiandu01');
  const today = dayStr(now());
  const res = await fetch(`${srv.base}/api/v1/stats/export.xlsx?from=${today.slice(0, 4)}-01-01&to=${today}&by=dept`, { headers: { Cookie: s.cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  const buf = Buffer.from(await res.arrayBuffer());
  assert.equal(buf.subarray(0, 2).toString(), 'PK', 'a zip file');
  assert.ok(buf.includes('xl/worksheets/sheet1.xml'), 'with a worksheet');
  assert.ok(buf.includes('xl/sharedStrings.xml'));
});
