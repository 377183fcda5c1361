// Browser tests at a phone's width (375 px): the portal (home, search, guide, lists, 一件事, the
// apply form, 我的办件) and every admin page of every demo role stay inside the screen
// (document.documentElement.scrollWidth <= 375); the guide's materials table fits the screen
// without its own sideways scroll; 预约取号 is on the navigation, on the screen, and opens; a toast
// does not cover the navigation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as } from '../api/helpers.mjs';
import { launch, newPage, signIn } from './browser.mjs';

const PHONE = { width: 375, height: 812 };
const FOOD = '1143010000825175203011010001001'; // 食品经营许可(新办): six materials, long names and notes
const BUNDLE = 'KBCYD'; // 开办餐饮店一件事
// One account of each demo role (catalog_demo.c, cases_demo.c).
const ROLES = ['center_admin', 'scjg_admin', 'scjg_shenpi', 'window01', 'jiandu01', 'rexian01', 'gongkai01', 'chengban01'];

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// Opens a page and waits until its data has arrived (no request in flight, no loading mask).
async function open(page, path) {
  await page.goto(srv.base + path);
  await page.waitForSelector('#app .site-main, #app .print-page');
  await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => { /* an event stream stays open */ });
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask, .el-skeleton')]
    .some((e) => e.getBoundingClientRect().height > 0 && getComputedStyle(e).display !== 'none'), null, { timeout: 5000 }).catch(() => {});
}

// The page's width, and what sticks out when it is too wide (for the message).
function width(page) {
  return page.evaluate(() => {
    const w = document.documentElement.scrollWidth;
    if (w <= 375) return { w, wide: [] };
    const clipped = (e) => {
      for (let a = e.parentElement; a; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= 376) return true;
      }
      return false;
    };
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > 376 && e.getBoundingClientRect().width > 0 && !clipped(e))
      .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`);
    return { w, wide };
  });
}

async function assertFits(page, what) {
  const { w, wide } = await width(page);
  assert.ok(w <= 375, `${what}: ${w} px wide at 375 (${wide.join(', ')})`);
}

test('the portal at 375 px: home, search, guide, lists, 一件事, apply form, 我的办件 stay inside the screen', async () => {
  const anon = await newPage(browser, PHONE);
  for (const path of ['/', '/search?q=' + encodeURIComponent('食品'), `/guide/${FOOD}`, '/lists', '/bundles', '/verify', '/login']) {
    await open(anon, path);
    await assertFits(anon, `signed out ${path}`);
  }
  // The guide's materials table is on the screen as a whole: no sideways scroll of its own either.
  await open(anon, `/guide/${FOOD}`);
  const table = await anon.locator('[data-test=guide-materials-table]').evaluate((t) => {
    const box = t.parentElement;
    return { right: t.getBoundingClientRect().right, left: t.getBoundingClientRect().left, scroll: box.scrollWidth, client: box.clientWidth };
  });
  assert.ok(table.left >= 0 && table.right <= 375, `the materials table spans ${table.left}-${table.right}`);
  assert.ok(table.scroll <= table.client, `the materials table scrolls sideways (${table.scroll} > ${table.client})`);
  assert.ok((await anon.locator('[data-test=guide-materials-table]').innerText()).includes('食品经营许可申请书'));

  const citizen = await newPage(browser, PHONE);
  await signIn(citizen, srv.base, 'zhangsan');
  for (const path of ['/', `/guide/${FOOD}`, `/apply/${FOOD}`, `/bundles/${BUNDLE}/apply`, '/my/cases', '/my/profile', '/my/appointments']) {
    await open(citizen, path);
    await assertFits(citizen, `zhangsan ${path}`);
  }
  // The applicant's cases (one accepted, one refused), and every notice they have, on the phone.
  const [api, clerk] = await Promise.all([as(srv.base, 'zhangsan'), as(srv.base, 'window01')]);
  const guide = (await api.get(`/api/v1/items/${FOOD}`)).json;
  for (const next of ['accept', 'refuse']) {
    const c = (await api.post('/api/v1/cases', { item_code: FOOD, materials: guide.materials.map((m) => m.name), form: { phone: '13800138000' }, submit: true })).json;
    const r = await clerk.post(`/api/v1/cases/${c.id}/${next}`, next === 'refuse' ? { reasons: ['申请事项依法不属于本机关职权范围'] } : {});
    assert.equal(r.status, 200, r.text);
  }
  await open(citizen, '/my/cases');
  const cases = await citizen.locator('[data-test=case-row]').evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
  assert.equal(cases.length, 2);
  const notices = new Set();
  for (const path of cases.slice(0, 8)) {
    await open(citizen, path);
    await assertFits(citizen, `zhangsan ${path}`);
    for (const n of await citizen.locator('.notice-links a').evaluateAll((as) => as.map((a) => new URL(a.href).pathname))) notices.add(n);
  }
  for (const path of [...notices].slice(0, 10)) {
    await open(citizen, path);
    await citizen.waitForSelector('[data-test=notice-title]');
    await assertFits(citizen, `zhangsan ${path}`);
  }
  assert.equal(notices.size, 2, [...notices].join());
  assert.deepEqual([...anon.errors, ...citizen.errors], []);
});

test('预约取号 is on the phone’s navigation, inside the screen, and opens (signed in, or via sign-in)', async () => {
  for (const who of ['zhangsan', null]) {
    const page = await newPage(browser, PHONE);
    if (who) await signIn(page, srv.base, who);
    await open(page, '/');
    const link = page.locator('.main-nav [data-test=nav-appointments]');
    assert.equal(await link.count(), 1, `${who || 'signed out'}: 预约取号 on the navigation`);
    const box = await link.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 375 && box.y >= 0 && box.y + box.height <= PHONE.height,
      `${who || 'signed out'}: 预约取号 on the screen without scrolling the nav: ${JSON.stringify(box)}`);
    await link.click();
    if (who) {
      await page.waitForURL(/\/my\/appointments$/);
      await page.waitForSelector('[data-test=remote-hall], .el-empty, .el-result');
    } else {
      await page.waitForURL(/\/login\?next=%2Fmy%2Fappointments$/);
    }
    await assertFits(page, `${who || 'signed out'} 预约取号`);
    assert.deepEqual(page.errors, []);
  }
});

test('a toast on a phone does not cover the navigation', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, srv.base, 'zhangsan');
  await open(page, `/apply/${FOOD}`);
  await page.click('[data-test=apply-submit]'); // no phone yet: a warning toast
  const toast = page.locator('.el-message').first();
  await toast.waitFor();
  // the button is far down the form: back at the top, where the navigation is on the screen
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400); // the toast slides into place
  const [t, nav, header] = await Promise.all([toast.boundingBox(), page.locator('.main-nav').boundingBox(), page.locator('.site-header').boundingBox()]);
  const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  assert.ok(!overlap(t, nav), `the toast ${JSON.stringify(t)} covers the navigation ${JSON.stringify(nav)}`);
  assert.ok(!overlap(t, header), `the toast ${JSON.stringify(t)} covers the header ${JSON.stringify(header)}`);
  assert.ok(t.y + t.height <= PHONE.height && t.x >= 0 && t.x + t.width <= 375, `the toast is on the screen: ${JSON.stringify(t)}`);
  assert.deepEqual(page.errors, []);
});

test('on a wide screen a toast appears below the header, not over its navigation', async () => {
  const page = await newPage(browser, { width: 1280, height: 900 });
  await signIn(page, srv.base, 'center_admin'); // 欢迎 toast; the signed-in header has its longest nav
  const toast = page.locator('.el-message').first();
  await toast.waitFor();
  await page.waitForTimeout(400);
  const [t, header] = await Promise.all([toast.boundingBox(), page.locator('.site-header').boundingBox()]);
  assert.ok(header.y + header.height <= t.y, `the toast ${JSON.stringify(t)} is below the header ${JSON.stringify(header)}`);
  assert.deepEqual(page.errors, []);
});

test('every admin page and workbench of every demo role stays inside 375 px', async () => {
  let visited = 0;
  for (const user of ROLES) {
    const page = await newPage(browser, PHONE);
    await signIn(page, srv.base, user);
    // The pages the role's menu offers, as the admin layout computes them, and the workbenches on
    // the navigation.
    const menu = await page.evaluate(async () => {
      const { ADMIN_MENU } = await import('/app/pages/admin/layout.js');
      const { can } = await import('/app/store.js');
      return ADMIN_MENU.filter((m) => can(m.perm)).map((m) => m.path);
    });
    const work = await page.locator('.main-nav a').evaluateAll((as) => as.map((a) => new URL(a.href).pathname)
      .filter((p) => !['/', '/search', '/bundles', '/lists', '/admin'].includes(p)));
    visited += menu.length + work.length;
    for (const path of [...menu, ...work]) {
      await open(page, path);
      assert.equal(await page.locator('.el-result__title', { hasText: '无权访问' }).count(), 0, `${user} may open ${path}`);
      await assertFits(page, `${user} ${path}`);
    }
    assert.deepEqual(page.errors, [], `${user}: script errors`);
    await page.context().close();
  }
  assert.ok(visited >= 20, `admin pages and workbenches visited: ${visited}`);
});
