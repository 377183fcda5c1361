// Browser test of search as citizens ask (issue 9): a citizen types everyday words and aliases
// (俗称) into the portal's search box and sees the right items on top; the clerk's walk-in picker
// finds the items producing a 营业执照; a department gives an item an alias in the item editor
// and, once published, the portal finds the item by it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../api/helpers.mjs';
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

// Types q into the search box, searches, and returns the names of the first n results once the
// result list shows the answer for q.
async function search(page, q, n = 3) {
  await page.fill('[data-test=search-input]', q);
  await page.click('[data-test=search-button]');
  await page.waitForFunction((want) => new URL(location.href).searchParams.get('q') === want, q);
  await page.waitForFunction(() => !document.querySelector('.result-list .el-loading-mask') && document.querySelector('[data-test=result-item]'));
  return (await page.locator('[data-test=result-item]').allInnerTexts()).slice(0, n);
}

test('a citizen finds items by the words people use', async () => {
  const page = await newPage(browser, { width: 375, height: 812 });
  await page.goto(srv.base + '/search');
  const cases = [
    ['身份证丢了', 1, ['居民身份证补领']],
    ['开饭店', 1, ['开办餐饮店一件事', '食品经营许可(新办)']],
    ['驾照到期', 1, ['机动车驾驶证换证(有效期满)']],
    ['去香港', 1, ['往来港澳通行证及签注签发']],
    ['营业执照', 2, ['有限责任公司设立登记', '个体工商户设立登记']],
    ['食品 许可', 3, ['食品生产许可', '食品经营许可(新办)', '食品经营许可(变更)', '食品经营许可(延续)']],
  ];
  for (const [q, n, accept] of cases) {
    const top = await search(page, q, n);
    assert.ok(top.length > 0, q);
    for (const text of top) assert.ok(accept.some((name) => text.includes(name)), `${q}: ${top.join(' / ')}`);
  }
  // 营业执照: both items producing one, not one that only asks for it among its materials
  const two = await search(page, '营业执照', 2);
  assert.ok(two.some((t) => t.includes('有限责任公司设立登记')) && two.some((t) => t.includes('个体工商户设立登记')), two.join(' / '));
  assert.deepEqual(page.errors, []);
});

test('the walk-in picker shows 有限责任公司设立登记 among its first entries for 营业执照', async () => {
  const page = await newPage(browser);
  await signIn(page, srv.base, 'window01');
  await page.click('[data-test=nav-window]');
  await page.click('[data-test=tab-walkin]');
  await page.fill('[data-test=walkin-item-search]', '营业执照');
  await page.click('[data-test=walkin-item-find]');
  await page.waitForSelector('[data-test=walkin-item-option]');
  const options = await page.locator('[data-test=walkin-item-option] b').allInnerTexts();
  assert.ok(options.slice(0, 3).includes('有限责任公司设立登记'), options.join(' / '));
  assert.ok(options.slice(0, 3).includes('个体工商户设立登记'), options.join(' / '));
  await page.locator('[data-test=walkin-item-option]', { hasText: '有限责任公司设立登记' }).first().click();
  await page.waitForSelector('[data-test=walkin-item]');
  assert.match(await page.locator('[data-test=walkin-item]').innerText(), /有限责任公司设立登记/);
  assert.deepEqual(page.errors, []);
});

test('a department adds an alias in the item editor; once published the portal finds the item by it', async () => {
  const name = '浏览器测试小作坊登记';
  const alias = '作坊开业证';
  const dept = await newPage(browser);
  await signIn(dept, srv.base, 'scjg_admin');
  await dept.goto(srv.base + '/admin/items');
  await dept.click('[data-test=item-new]');
  await dept.fill('[data-test=item-form-name]', name);
  await dept.click('[data-test=item-aliases]');
  await dept.keyboard.type(alias);
  await dept.keyboard.press('Enter');
  await dept.waitForFunction((a) => document.querySelector('[data-test=item-aliases]').innerText.includes(a), alias);
  await dept.click('[data-test=item-save]');
  await dept.waitForURL(/\/admin\/items\/\d+/);
  await dept.click('[data-test=item-submit]');
  await dept.waitForFunction(() => /待审核|已提交/.test(document.body.innerText));

  const admin = await newPage(browser);
  await signIn(admin, srv.base, 'center_admin');
  await admin.goto(srv.base + '/admin/review');
  await admin.locator('[data-test=review-row]', { hasText: name }).click();
  await admin.click('[data-test=review-publish]');
  const confirm = admin.locator('.el-message-box__btns .el-button--primary');
  if (await confirm.count()) await confirm.click();
  await admin.waitForFunction(() => /已发布|发布成功/.test(document.body.innerText));

  const citizen = await newPage(browser);
  await citizen.goto(srv.base + '/search');
  const top = await search(citizen, alias, 1);
  assert.match(top[0], new RegExp(name));
  assert.deepEqual([...dept.errors, ...admin.errors, ...citizen.errors], []);
});
