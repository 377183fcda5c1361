// Browser tests of the statistics pages (headless Chromium): on a demo city with a few thousand
// generated cases, a supervisor opens the dashboard from the menu and its charts draw with the
// API's numbers; the monthly report for a month shows that month's figures, also as an A4 page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, yiwang, as, PASSWORD } from '../api/helpers.mjs';

const prev = new Date(Date.now() + 8 * 3600e3);
prev.setUTCDate(1);
prev.setUTCMonth(prev.getUTCMonth() - 1);
const MONTH = prev.toISOString().slice(0, 7);

let srv, browser;
before(async () => {
  const db = path.join(mkdtempSync(path.join(tmpdir(), 'yiwang-e2e-stats-')), 'stats.db');
  yiwang(['--db', db, 'demo', '--no-history']);
  // the report's month and the dashboard's default year (they differ in January)
  for (const year of new Set([MONTH.slice(0, 4), String(new Date().getFullYear())])) {
    yiwang(['--db', db, 'gen-cases', '--cases', '3000', '--year', year]);
  }
  srv = await startServer({ db });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function signedIn(username) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.goto(srv.base + '/login');
  await page.fill('[data-test=login-username]', username);
  await page.fill('[data-test=login-password]', PASSWORD);
  await page.click('[data-test=login-submit]');
  await page.waitForSelector('[data-test=logout]');
  return page;
}

test('a supervisor opens the dashboard from the menu: KPIs from the data and the charts drawn', async () => {
  const api = await as(srv.base, 'jiandu01');
  const dash = (await api.get(`/api/v1/stats/dashboard?year=${new Date().getFullYear()}`)).json;
  assert.ok(dash.kpi.received > 0);
  const page = await signedIn('jiandu01');
  await page.goto(srv.base + '/admin');
  await page.getByRole('menuitem', { name: '统计看板' }).click();
  await page.waitForSelector('[data-test=kpi-received] .kpi-value');
  assert.equal(await page.locator('[data-test=kpi-received] .kpi-value').innerText(), String(dash.kpi.received));
  assert.equal(await page.locator('[data-test=kpi-completed] .kpi-value').innerText(), String(dash.kpi.completed));
  for (const chart of ['trend', 'dept', 'timeliness', 'supervision', 'satisfaction']) {
    const canvas = page.locator(`[data-test=chart-${chart}] canvas`).first();
    await canvas.waitFor();
    assert.ok((await canvas.boundingBox()).width > 200, `${chart} chart has a size`);
  }
  assert.ok(await page.locator('[data-test=dept-table] tbody tr').count() > 3);
  assert.deepEqual(page.errors, []);
});

test('the monthly report shows the month\'s numbers, on screen and as an A4 page', async () => {
  const api = await as(srv.base, 'jiandu01');
  const rep = (await api.get(`/api/v1/stats/report?month=${MONTH}`)).json;
  assert.ok(rep.current.received > 0);
  const page = await signedIn('jiandu01');
  await page.goto(`${srv.base}/admin/report?month=${MONTH}`);
  await page.waitForSelector('[data-test=report-section-0]');
  const text = await page.locator('[data-test=report-section-0]').innerText();
  assert.ok(text.includes(`共受理各类政务服务事项${rep.current.received}件，办结${rep.current.completed}件`), text);
  assert.match(await page.locator('[data-test=report-figures]').innerText(), new RegExp(`受理量（件）\\s+${rep.current.received}`));
  await page.click('[data-test=report-print]');
  await page.waitForSelector('.a4 [data-test=report-title]');
  assert.equal(await page.locator('[data-test=report-title]').innerText(), rep.title);
  // the month's audit checkpoint is printed, to be kept outside the database (this city's audit
  // records were all made today, so last month has none)
  assert.equal(rep.audit_checkpoint, null);
  assert.ok((await page.locator('[data-test=report-checkpoint]').innerText()).includes('本月无审计记录'));
  assert.deepEqual(page.errors, []);
});
