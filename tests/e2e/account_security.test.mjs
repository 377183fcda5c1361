// Browser tests of issue 8's UI side: the pages work under the Content-Security-Policy (no
// violation reported on the main pages of several roles), an unknown address shows the not-found
// page, and 账号安全 changes the password and manages API tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../api/helpers.mjs';
import { launch, newPage, signIn } from './browser.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// A page that also collects the console's CSP reports.
async function watchedPage() {
  const page = await newPage(browser);
  page.csp = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) page.csp.push(m.text()); });
  return page;
}

test('no CSP violation on the main pages of the public, a clerk and the centre admin', async () => {
  const visits = [
    [null, ['/', '/search?q=社保', '/lists', '/bundles', '/hall/1/board', '/hall/1/kiosk', '/verify', '/login']],
    ['window01', ['/window', '/hall/window', '/my/security']],
    ['center_admin', ['/admin', '/admin/dashboard', '/admin/items', '/admin/hall', '/admin/users']],
  ];
  for (const [user, paths] of visits) {
    const page = await watchedPage();
    if (user) await signIn(page, srv.base, user);
    for (const p of paths) {
      await page.goto(srv.base + p);
      await page.waitForSelector('.site-main, .kiosk, .board', { state: 'attached' });
      await page.waitForLoadState('networkidle').catch(() => {});
      assert.deepEqual(page.errors, [], `${user} ${p}: script errors`);
    }
    assert.deepEqual(page.csp, [], `${user}: CSP violations`);
    await page.context().close();
  }
});

test('an unknown address shows the not-found page (status 404)', async () => {
  const page = await watchedPage();
  const res = await page.goto(srv.base + '/no/such/page');
  assert.equal(res.status(), 404);
  await page.waitForSelector('text=页面不存在');
  await page.context().close();
});

test('账号安全: create and revoke an API token, change the password', async () => {
  const page = await watchedPage();
  await signIn(page, srv.base, 'window02');
  await page.click('[data-test=account-security]');
  await page.fill('[data-test=token-name]', '报表对接');
  await page.click('[data-test=token-create]');
  const secret = (await page.textContent('[data-test=token-secret]')).trim();
  assert.match(secret, /^yw_/);
  const machine = new Client(srv.base);
  machine.token = secret;
  assert.equal((await machine.get('/api/v1/auth/me')).status, 200);
  await page.click('[data-test^=token-revoke-]');
  await page.click('.el-message-box__btns .el-button--primary');
  await page.waitForSelector('[data-test=token-list] >> text=已撤销');
  assert.equal((await machine.get('/api/v1/auth/me')).status, 401);

  await page.fill('[data-test=pw-current]', 'wrong-pass1');
  await page.fill('[data-test=pw-new]', 'newpass2026');
  await page.fill('[data-test=pw-confirm]', 'newpass2026');
  await page.click('[data-test=pw-save]');
  await page.waitForSelector('text=当前密码不正确');
  await page.fill('[data-test=pw-current]', 'yiwang2026');
  await page.click('[data-test=pw-save]');
  await page.waitForSelector('text=密码已修改');
  await page.reload();
  await page.waitForSelector('[data-test=logout]'); // this browser is still signed in
  const fresh = new Client(srv.base);
  await fresh.login('window02', 'newpass2026');
  assert.deepEqual(page.csp, []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
