// Browser tests in headless Chromium (playwright-core driving Debian's chromium): the main
// journeys of the catalogue's roles against a real server with the demo city.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, PASSWORD } from '../api/helpers.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
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

async function newPage(viewport = { width: 1280, height: 900 }) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.errors = errors;
  return page;
}

async function signIn(page, username) {
  await page.goto(srv.base + '/login');
  await page.fill('[data-test=login-username]', username);
  await page.fill('[data-test=login-password]', PASSWORD);
  await page.click('[data-test=login-submit]');
  await page.waitForSelector('[data-test=logout]');
}

test('a citizen on a phone searches and opens a guide with its materials and QR code', async () => {
  const page = await newPage({ width: 375, height: 812 });
  await page.goto(srv.base + '/');
  await page.fill('[data-test=search-input]', '身份证');
  await page.click('[data-test=search-button]');
  await page.waitForSelector('[data-test=result-item]');
  const first = page.locator('[data-test=result-item]').first();
  assert.match(await first.innerText(), /身份证/);
  await first.click();
  await page.waitForSelector('[data-test=guide-title]');
  assert.match(await page.locator('[data-test=guide-title]').first().innerText(), /身份证/);
  const materials = await page.locator('[data-test=guide-materials]').first().innerText();
  assert.match(materials, /居民身份证|户口/);
  const qr = page.locator('img[src$="qr.svg"]').first();
  await qr.waitFor();
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'QR code loads');
  assert.deepEqual(page.errors, []);
});

test('a two-character search finds items', async () => {
  const page = await newPage();
  await page.goto(srv.base + '/search?q=' + encodeURIComponent('社保'));
  await page.waitForSelector('[data-test=result-item]');
  assert.ok(await page.locator('[data-test=result-item]').count() > 0);
});

test('a department admin drafts an item, the centre admin publishes it, and the portal finds it', async () => {
  const name = '浏览器测试餐饮服务许可';
  const dept = await newPage();
  await signIn(dept, 'scjg_admin');
  await dept.goto(srv.base + '/admin/items');
  await dept.click('[data-test=item-new]');
  await dept.fill('[data-test=item-form-name]', name);
  await dept.click('[data-test=item-save]');
  await dept.waitForURL(/\/admin\/items\/\d+/);
  await dept.click('[data-test=item-submit]');
  await dept.waitForFunction(() => /待审核|已提交/.test(document.body.innerText));

  const admin = await newPage();
  await signIn(admin, 'center_admin');
  await admin.goto(srv.base + '/admin/review');
  const row = admin.locator('[data-test=review-row]', { hasText: name });
  await row.waitFor();
  await row.click();
  await admin.click('[data-test=review-publish]');
  // Some consoles confirm before publishing.
  const confirm = admin.locator('.el-message-box__btns .el-button--primary');
  if (await confirm.count()) await confirm.click();
  await admin.waitForFunction(() => /已发布|发布成功/.test(document.body.innerText));

  const citizen = await newPage();
  await citizen.goto(srv.base + '/search?q=' + encodeURIComponent(name));
  await citizen.waitForSelector('[data-test=result-item]');
  assert.match(await citizen.locator('[data-test=result-item]').first().innerText(), new RegExp(name));
  assert.deepEqual([...dept.errors, ...admin.errors, ...citizen.errors], []);
});
