// The demo city that has lived a year (`yiwang demo` without --no-history), built once: cases
// spread over 12 months with overdue ones, cards, 督办, good and bad reviews, hall tickets and
// appointments; work in every demo account's inbox today; the audit chain intact; the supervision
// page and the dashboard agree on 在办; every printed account signs in and loads its home page's
// API calls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newCity, cli, as, Client, PASSWORD } from './helpers.mjs';

let srv, printed, accounts;
const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();

before(async () => {
  const city = newCity({ name: 'demo.db' });
  printed = cli(city, ['demo'], { timeout: 300e3 });
  accounts = [...printed.split('demo accounts')[1].matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]);
  srv = await startServer({ db: city });
});
after(() => srv?.stop());

test('the demo prints what the year made and the accounts', () => {
  assert.match(printed, /a year of the city \(\d+ working days\)/);
  assert.ok(Number(printed.match(/(\d+) hotline orders/)[1]) >= 500);
  const apps = Number(printed.match(/(\d+) applications:/)[1]);
  const tickets = Number(printed.match(/(\d+) hall tickets/)[1]);
  assert.ok(apps >= 1000, `applications: ${apps}`);
  assert.ok(tickets >= 5000, `tickets: ${tickets}`);
  for (const u of ['center_admin', 'scjg_admin', 'scjg_shenpi', 'window01', 'jiandu01', 'zhangsan', 'xiangjiang_food']) {
    assert.ok(accounts.includes(u), u);
  }
});

test('the audit chain holds for everything the year wrote', () => {
  // exits non-zero (and execFileSync throws) when the chain or a row does not match
  const out = cli(srv, ['audit', 'verify']);
  assert.match(out, /intact|完整/);
});

test('cases spread over 12 months, some overdue, with cards, 督办 and reviews good and bad', async () => {
  const sup = await as(srv.base, 'jiandu01');
  // the dashboard's trend over this year and last: at least 11 distinct months with applications
  const months = new Set();
  for (const y of [year - 1, year]) {
    const d = (await sup.get(`/api/v1/stats/dashboard?year=${y}`)).json;
    for (const r of d.trend) if (r.received > 0) months.add(`${y}-${r.key}`);
  }
  assert.ok(months.size >= 12, `months with applications: ${[...months].join(', ')}`);
  const dash = (await sup.get(`/api/v1/stats/dashboard?year=${year}`)).json;
  assert.ok(dash.kpi.completed > 0);
  assert.ok(dash.kpi.avg_handling_days > 0.5, `average handling ${dash.kpi.avg_handling_days}`);
  assert.ok(dash.kpi.early_rate < 1, `early rate ${dash.kpi.early_rate}`);
  assert.ok(dash.kpi.completed_late > 0, 'some cases were decided late');
  const cards = (await sup.get('/api/v1/supervision/cards?page_size=1&level=3')).json;
  assert.ok(cards.total > 0, 'red cards');
  const yellow = (await sup.get('/api/v1/supervision/cards?page_size=1&level=2')).json;
  assert.ok(yellow.total > 0, 'yellow cards');
  const orders = (await sup.get('/api/v1/supervision/orders?page_size=100')).json;
  assert.ok(orders.total > 0, '督办 orders');
  assert.ok(orders.items.some((o) => o.state === 'closed'), 'answered and closed orders');
  const reviews = (await sup.get('/api/v1/reviews/summary')).json;
  assert.ok(reviews.total > 100 && reviews.bad > 0, JSON.stringify(reviews));
  assert.ok(reviews.not_genuine > 0 || reviews.rectified_on_time > 0, 'bad reviews went through verification');
});

test('hall tickets served and missed, appointments past and to come', async () => {
  const admin = await as(srv.base, 'center_admin');
  const day = new Date(Date.now() + 8 * 3600e3 - 7 * 86400e3);
  let served = 0;
  for (let k = 0; k < 7 && !served; k++, day.setUTCDate(day.getUTCDate() - 1)) {
    const s = (await admin.get(`/api/v1/hall/1/stats?date=${day.toISOString().slice(0, 10)}`)).json;
    served = s.windows.reduce((a, w) => a + w.served, 0);
  }
  assert.ok(served > 0, 'a past week day of the city hall served visitors');
  for (const u of ['zhangsan', 'xiangjiang_food']) {
    const c = await as(srv.base, u);
    const list = (await c.get('/api/v1/hall/appointments')).json;
    const items = list.items ?? list;
    assert.ok(items.some((a) => a.state === 'booked'), `${u} has appointments to come`);
    assert.ok(items.some((a) => a.state !== 'booked'), `${u} has past appointments`);
  }
});

test('every working demo account has work waiting today', async () => {
  for (const u of ['window01', 'scjg_shenpi', 'zhangsan', 'xiangjiang_food']) {
    const c = await as(srv.base, u);
    const todo = (await c.get('/api/v1/cases?scope=todo')).json;
    assert.ok(todo.total > 0, `${u}'s inbox`);
  }
  for (const u of ['zhangsan', 'xiangjiang_food']) {
    const c = await as(srv.base, u);
    const todo = (await c.get('/api/v1/cases?scope=todo')).json;
    assert.ok(todo.items.some((x) => x.state === 6), `${u} has a 补正 to supply`);
    const done = (await c.get('/api/v1/cases?state=11&page_size=100')).json;
    let unrated = 0;
    for (const x of done.items) {
      if ((await c.get(`/api/v1/cases/${x.id}/review`)).status === 404) unrated++;
      if (unrated) break;
    }
    assert.ok(unrated > 0, `${u} has a finished case to rate`);
  }
  const sup = await as(srv.base, 'jiandu01');
  assert.ok((await sup.get('/api/v1/supervision/signals')).json.total > 0, 'jiandu01 has signals');
  const queue = (await sup.get('/api/v1/reviews?bad=1&page_size=100')).json.items.filter((r) => r.status !== 'closed');
  assert.ok(queue.length > 0, 'jiandu01 has bad reviews in progress');
  const dept = await as(srv.base, 'scjg_admin');
  assert.ok((await dept.get('/api/v1/supervision/orders?state=open')).json.total > 0, 'scjg_admin has a 督办 to answer');
  const appeal = (await dept.get('/api/v1/reviews?status=verifying')).json;
  assert.ok(appeal.total > 0, 'scjg_admin has a bad review it may appeal');
  // the hotline (docs/domain.md §9): orders to dispatch, check and call back; to sign for and answer
  const rexian = await as(srv.base, 'rexian01');
  for (const state of ['pending', 'returned', 'replied', 'closed']) {
    assert.ok((await rexian.get(`/api/v1/hotline/orders?todo=1&state=${state}`)).json.total > 0, `rexian01 has a ${state} order`);
  }
  const chengban = await as(srv.base, 'chengban01');
  for (const state of ['dispatched', 'handling']) {
    assert.ok((await chengban.get(`/api/v1/hotline/orders?todo=1&state=${state}`)).json.total > 0, `chengban01 has a ${state} order`);
  }
  // and a year behind them, called back
  const year = (await rexian.get('/api/v1/hotline/orders?state=visited&page_size=1')).json.total;
  assert.ok(year >= 300, `visited orders: ${year}`);
  assert.ok((await (await as(srv.base, 'rexian01')).get('/api/v1/hotline/matters')).json.items.length >= 20);
});

test('the supervision page and the dashboard count the same 在办', async () => {
  for (const u of ['jiandu01', 'center_admin']) {
    const c = await as(srv.base, u);
    const summary = (await c.get('/api/v1/supervision/summary')).json;
    const dash = (await c.get(`/api/v1/stats/dashboard?year=${year}`)).json;
    const s = dash.signals;
    assert.ok(summary.cases.open > 0, '在办 cases');
    assert.equal(dash.signals.in_progress, summary.cases.open, u);
    assert.equal(s.normal + s.warning + s.yellow + s.red, summary.cases.open, u);
    assert.deepEqual([s.normal, s.warning, s.yellow, s.red],
      [summary.cases.normal, summary.cases.warning, summary.cases.yellow, summary.cases.red], u);
  }
});

// The API calls of each account's home page: where the sign-in sends it and its workbench.
const HOME = {
  center_admin: ['/api/v1/items?page_size=20', `/api/v1/stats/dashboard?year=${year}`, '/api/v1/supervision/summary'],
  scjg_admin: ['/api/v1/items?page_size=20', '/api/v1/supervision/orders?state=open', '/api/v1/reviews?status=verifying'],
  scjg_shenpi: ['/api/v1/cases?scope=todo', '/api/v1/supervision/cards'],
  window01: ['/api/v1/cases?scope=todo', '/api/v1/hall/windows/1'],
  jiandu01: ['/api/v1/supervision/summary', '/api/v1/supervision/signals', '/api/v1/reviews?bad=1'],
  zhangsan: ['/api/v1/cases?scope=todo', '/api/v1/cases', '/api/v1/hall/appointments'],
  xiangjiang_food: ['/api/v1/cases?scope=todo', '/api/v1/cases', '/api/v1/hall/appointments'],
  rexian01: ['/api/v1/hotline/orders?todo=1', '/api/v1/hotline/matters', '/api/v1/hotline/settings', '/api/v1/hotline/calls'],
  chengban01: ['/api/v1/hotline/orders?todo=1', '/api/v1/hotline/orders?state=handling'],
  gongkai01: ['/api/v1/disclosure/summary', '/api/v1/disclosure/requests?state=processing', '/api/v1/disclosure/manage/documents'],
  gongkai02: ['/api/v1/disclosure/summary', '/api/v1/disclosure/requests?state=processing', '/api/v1/disclosure/manage/documents'],
};

test('every printed demo account signs in and loads its home page', async () => {
  assert.ok(accounts.length >= 7);
  for (const u of accounts) {
    const c = new Client(srv.base);
    const me = await c.login(u, PASSWORD);
    assert.equal(me.username, u);
    for (const url of ['/api/v1/auth/me', '/api/v1/items?page_size=10', ...(HOME[u] || [])]) {
      const r = await c.get(url);
      assert.equal(r.status, 200, `${u} ${url}: ${r.text?.slice(0, 200)}`);
    }
  }
});

// 政府信息公开 (src/disclosure/disclosure_demo.c): documents in every category, requests on every
// path and with every result since December three years back, remedies, table 二's figures.
test('a year of disclosure: last year’s report balances with every result, and gongkai01 has work', async () => {
  const centre = await as(srv.base, 'center_admin');
  const r = await centre.get(`/api/v1/disclosure/report?year=${year - 1}`);
  assert.equal(r.status, 200, r.text);
  const rep = r.json;
  for (const c of rep.checks) assert.equal(c.ok, true, `${c.name}: ${c.detail}`);
  assert.ok(rep.checks.some((c) => c.name === 'table3_carried_in'), 'last year is covered: its carry-over is checked');
  const rows = (list) => list.flatMap((x) => (x.rows ? rows(x.rows) : [x]));
  const t3 = rows(rep.table3.rows);
  const results = rows(rep.table3.rows.find((x) => x.key === 'results').rows);
  assert.equal(results.length, 22, '21 results and 总计');
  for (const row of results) assert.ok(row.values.total > 0, `result ${row.key} of ${year - 1}`);
  for (const key of ['new', 'carried_in', 'carried_out'])
    assert.ok(t3.find((x) => x.key === key).values.total > 0, `table 三 ${key}`);
  for (const col of ['person', 'company', 'research', 'nonprofit', 'legal', 'other_org'])
    assert.ok(t3.find((x) => x.key === 'new').values[col] > 0, `applicants ${col}`);
  const t4 = rep.table4.rows;
  assert.ok(t4.every((x) => x.values.total > 0), 'reconsiderations and both kinds of suit');
  assert.ok(t4.some((x) => x.values.upheld + x.values.corrected + x.values.other > 0), 'some decided');
  const t2 = Object.fromEntries(rep.table2.sections.flatMap((s) => s.rows).map((x) => [x.key, x.values]));
  assert.ok(t2.normative.made > 0 && t2.normative.in_force > 0, 'normative documents made and in force');
  assert.ok(t2.penalty.decisions > 0 && t2.license.decisions >= 0);

  // documents in every category, some superseded, withdrawn or no longer in force
  const pub = new Client(srv.base);
  for (const c of (await pub.get('/api/v1/disclosure/categories')).json.items) {
    const d = (await pub.get(`/api/v1/disclosure/documents?category_id=${c.id}&page_size=1`)).json;
    assert.ok(d.total > 0, `documents in ${c.name}`);
  }
  const docs = (await centre.get('/api/v1/disclosure/manage/documents?page_size=200')).json.items;
  assert.ok(docs.some((d) => d.version > 1), 'a document with a newer version');
  assert.ok((await pub.get('/api/v1/disclosure/documents?validity=repealed&page_size=1')).json.total
    + (await pub.get('/api/v1/disclosure/documents?validity=expired&page_size=1')).json.total > 0, 'repealed or lapsed');

  // every state today, and the officer's inbox: open requests, some due soon
  const states = (await centre.get('/api/v1/disclosure/summary')).json.requests.by_state;
  for (const st of ['processing', 'replied']) assert.ok(states[st] > 0, `requests ${st}`);
  const officer = await as(srv.base, 'gongkai01');
  const open = (await officer.get('/api/v1/disclosure/requests?state=processing&page_size=100')).json;
  assert.ok(open.total > 0, 'gongkai01 has open requests');
  assert.ok(open.items.some((x) => x.signal === 1), 'some due within days (预警)');
  const home = (await officer.get('/api/v1/disclosure/summary')).json;
  assert.ok(home.requests, JSON.stringify(home));
  const cards = (await (await as(srv.base, 'jiandu01')).get('/api/v1/supervision/cards?page_size=200')).json.items;
  assert.ok(cards.some((k) => k.disclosure_request_id), 'late requests were carded');
});
