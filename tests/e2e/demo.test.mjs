// Browser test of the demo city that has lived a year (`yiwang demo`): every printed demo account
// signs in, lands on its home page and opens its workbench, and none of these pages logs a console
// error or throws (a failed API call logs one), with the workbench showing the day's work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, yiwang } from '../api/helpers.mjs';
import { launch, newPage, signIn } from './browser.mjs';

let srv, browser, accounts;
before(async () => {
  const db = path.join(mkdtempSync(path.join(tmpdir(), 'yiwang-e2e-demo-')), 'demo.db');
  const printed = yiwang(['--db', db, 'demo'], { timeout: 300e3 });
  accounts = [...printed.split('demo accounts')[1].matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]);
  srv = await startServer({ db });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// The workbench each account works from, and what shows that it has work today.
const WORK = {
  window01: ['/window', '[data-test=inbox-row]'],
  scjg_shenpi: ['/office', '[data-test=inbox-row]'],
  jiandu01: ['/admin/supervision', '[data-test=signal-case]'],
  scjg_admin: ['/admin/supervision-dept', '[data-test=order-title]'],
  center_admin: ['/admin/dashboard', '[data-test=kpi-received] .kpi-value'],
  zhangsan: ['/my/cases', '[data-test=case-row]'],
  xiangjiang_food: ['/my/appointments', '[data-test=appt-code]'],
  rexian01: ['/admin/hotline/orders', '[data-test=order-link]'],
  chengban01: ['/admin/hotline/orders', '[data-test=order-link]'],
};

test('every printed demo account has a home page and a workbench that render without errors', async () => {
  assert.ok(accounts.length >= 7, accounts.join(' '));
  for (const u of accounts) {
    const page = await newPage(browser);
    // the sign-in page asks who is signed in and gets a 401 while nobody is: count from the home page
    await signIn(page, srv.base, u);
    const consoleErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${m.text()} ${m.location().url}`); });
    page.on('response', (r) => { if (r.status() >= 400) consoleErrors.push(`${r.status()} ${r.url()}`); });
    await page.reload();
    await page.waitForSelector('[data-test=logout]');
    await page.waitForLoadState('networkidle');
    assert.ok(await page.locator('main, .app-root').first().isVisible(), `${u}: home page`);
    if (WORK[u]) {
      const [url, selector] = WORK[u];
      await page.goto(srv.base + url);
      await page.locator(selector).first().waitFor({ timeout: 60000 }).catch((e) => { throw new Error(`${u} ${url}: ${e.message}`); });
      await page.waitForLoadState('networkidle');
    }
    assert.deepEqual(page.errors, [], `${u}: script errors`);
    assert.deepEqual(consoleErrors, [], `${u}: console errors`);
    await page.context().close();
  }
});

test('the supervision page and the dashboard show the same 在办', async () => {
  const page = await newPage(browser);
  await signIn(page, srv.base, 'jiandu01');
  await page.goto(srv.base + '/admin/supervision');
  const sv = page.locator('[data-test=sv-in-progress]');
  await sv.waitFor({ timeout: 60000 });
  await page.waitForLoadState('networkidle');
  const onSupervision = (await sv.innerText()).trim();
  await page.goto(srv.base + '/admin/dashboard');
  const dash = page.locator('[data-test=dash-in-progress]');
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-test=dash-in-progress]')?.textContent || ''),
    null, { timeout: 60000 });
  assert.match(onSupervision, /^\d+$/);
  assert.ok(Number(onSupervision) > 0);
  assert.equal((await dash.innerText()).trim(), onSupervision);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
