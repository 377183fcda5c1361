// Browser tests of the online form (web/app/pages/cases/apply.js): what was typed and uploaded
// survives a reload (a draft in the browser, keyed by user and item, with the uploads' ids), the
// phone is required, a confirmation step shows what will be submitted, the submitted case carries
// it all, and the applicant's name appears once (申请人), never as an editable 姓名.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, as } from '../api/helpers.mjs';
import { pdfBytes, pngBytes } from '../api/samples.mjs';
import { launch, newPage, signIn, caseState } from './browser.mjs';

const FOOD = '1143010000825175203011010001001'; // 食品经营许可(新办), six materials

let srv, browser, guide;
before(async () => {
  srv = await startServer({ config: { files_dir: mkdtempSync(path.join(tmpdir(), 'yiwang-e2e-files-')) } });
  browser = await launch();
  guide = (await (await as(srv.base)).get(`/api/v1/items/${FOOD}`)).json;
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const pdf = (name) => ({ name, mimeType: 'application/pdf', buffer: pdfBytes(name) });
const fileNames = (page) => page.locator('[data-test=material-file]').allInnerTexts().then((t) => t.map((x) => x.split(' · ')[0].trim()));
const fieldLabels = (page) => page.locator('.apply-form .el-form-item__label').allInnerTexts();

test('typed values and uploads survive a reload; phone required; the confirmation step shows them; submit', async () => {
  const page = await newPage(browser, { width: 375, height: 812 });
  await signIn(page, srv.base, 'zhangsan');
  await page.goto(`${srv.base}/apply/${FOOD}`);
  await page.waitForSelector('[data-test=apply-title]');

  // The applicant is named once, from the account; there is no editable 姓名.
  assert.equal(await page.locator('[data-test=apply-applicant]').innerText(), '张三');
  assert.equal(await page.locator('[data-test=apply-field-name]').count(), 0);
  const labels = await fieldLabels(page);
  assert.ok(labels.includes('申请人') && !labels.includes('姓名'), JSON.stringify(labels));
  assert.equal(await page.locator('[data-test=apply-restored]').count(), 0, 'nothing to restore the first time');

  await page.fill('[data-test=apply-field-address]', '长沙市岳麓区麓山南路 2 号');
  await page.fill('[data-test=apply-field-email]', 'zs@example.cn');
  await page.setInputFiles('[data-test=material-upload-0]', pdf('申请书.pdf'));
  await page.setInputFiles('[data-test=material-upload-1]', pdf('营业执照.pdf'));
  await page.waitForFunction(() => document.querySelectorAll('[data-test=material-file]').length === 2);

  // A reload (or a phone that dropped the page) keeps what was typed and uploaded.
  await page.reload();
  await page.waitForSelector('[data-test=apply-restored]');
  assert.equal(await page.inputValue('[data-test=apply-field-address]'), '长沙市岳麓区麓山南路 2 号');
  assert.equal(await page.inputValue('[data-test=apply-field-email]'), 'zs@example.cn');
  assert.deepEqual(await fileNames(page), ['申请书.pdf', '营业执照.pdf']);

  // Without a phone the form does not go on, and says which field.
  for (let i = 2; i < guide.materials.length; i++) await page.setInputFiles(`[data-test=material-upload-${i}]`, pdf(`材料${i}.pdf`));
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=material-file]').length === n, guide.materials.length);
  await page.click('[data-test=apply-submit]');
  await page.waitForSelector('.el-form-item__error');
  assert.match(await page.locator('.el-form-item__error').first().innerText(), /请填写联系电话/);
  assert.equal(await page.locator('[data-test=apply-summary]').count(), 0);
  await page.fill('[data-test=apply-field-phone]', '电话');
  await page.click('[data-test=apply-submit]');
  await page.waitForFunction(() => /联系电话只能包含数字/.test(document.querySelector('.el-form-item__error')?.innerText));
  await page.fill('[data-test=apply-field-phone]', '13912345678');

  // The confirmation step shows everything that will be submitted; 返回修改 keeps it.
  await page.click('[data-test=apply-submit]');
  await page.waitForSelector('[data-test=apply-summary]');
  const summary = await page.locator('[data-test=apply-summary]').innerText();
  for (const s of ['张三', '13912345678', '长沙市岳麓区麓山南路 2 号', 'zs@example.cn', '申请书.pdf', '营业执照.pdf', guide.name, guide.dept]) {
    assert.ok(summary.includes(s), `the summary shows ${s}: ${summary}`);
  }
  assert.equal(await page.locator('[data-test=summary-file]').count(), guide.materials.length);
  await page.click('[data-test=apply-back]');
  await page.waitForSelector('[data-test=apply-field-phone]');
  assert.equal(await page.inputValue('[data-test=apply-field-phone]'), '13912345678');
  await page.click('[data-test=apply-submit]');
  await page.click('[data-test=apply-confirm]');
  await page.waitForURL(/\/cases\/\d+$/);
  await caseState(page, '已接件');

  const id = Number(new URL(page.url()).pathname.split('/').pop());
  const api = await as(srv.base, 'zhangsan');
  const c = (await api.get(`/api/v1/cases/${id}`)).json;
  assert.equal(c.form.phone, '13912345678');
  assert.equal(c.form.address, '长沙市岳麓区麓山南路 2 号');
  assert.equal(c.form.name, undefined, 'the name is the account’s, not a form field');
  const files = (await api.get(`/api/v1/cases/${id}/files`)).json.items.map((f) => f.name).sort();
  assert.deepEqual(files, ['申请书.pdf', '营业执照.pdf', ...guide.materials.slice(2).map((_, i) => `材料${i + 2}.pdf`)].sort());

  // Submitted: the saved draft is gone, the next form starts afresh.
  await page.goto(`${srv.base}/apply/${FOOD}`);
  await page.waitForSelector('[data-test=apply-title]');
  assert.equal(await page.locator('[data-test=apply-restored]').count(), 0);
  assert.equal(await page.inputValue('[data-test=apply-field-address]'), '');
  assert.equal(await page.locator('[data-test=material-file]').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('drafts are per user and per item; 清空重填 discards one; a company sees its name once', async () => {
  const page = await newPage(browser);
  await signIn(page, srv.base, 'xiangjiang_food');
  await page.goto(`${srv.base}/apply/${FOOD}`);
  await page.waitForSelector('[data-test=apply-title]');
  assert.equal(await page.locator('[data-test=apply-applicant]').innerText(), '长沙湘江餐饮有限公司');
  assert.equal(await page.locator('[data-test=apply-field-company_name]').count(), 0, 'the company is the applicant, not a field');
  const labels = await fieldLabels(page);
  assert.ok(!labels.includes('单位名称') && !labels.includes('姓名'), JSON.stringify(labels));
  await page.fill('[data-test=apply-field-legal_person]', '李四');
  await page.setInputFiles('[data-test=material-upload-0]', { name: '扫描件.png', mimeType: 'image/png', buffer: pngBytes() });
  await page.waitForSelector('[data-test=material-file]');

  // Another item's form is not this one's.
  await page.goto(`${srv.base}/apply/1143010000825175203011010001003`);
  await page.waitForSelector('[data-test=apply-title]');
  assert.equal(await page.locator('[data-test=apply-restored]').count(), 0);
  assert.equal(await page.inputValue('[data-test=apply-field-legal_person]'), '');

  // Back on the first: restored; 清空重填 clears it for good.
  await page.goto(`${srv.base}/apply/${FOOD}`);
  await page.waitForSelector('[data-test=apply-restored]');
  assert.equal(await page.inputValue('[data-test=apply-field-legal_person]'), '李四');
  await page.click('[data-test=apply-discard]');
  assert.equal(await page.inputValue('[data-test=apply-field-legal_person]'), '');
  await page.waitForFunction(() => !document.querySelector('[data-test=material-file]')); // the tag fades out
  await page.reload();
  await page.waitForSelector('[data-test=apply-title]');
  assert.equal(await page.locator('[data-test=apply-restored]').count(), 0);
  assert.equal(await page.inputValue('[data-test=apply-field-legal_person]'), '');
  assert.deepEqual(page.errors, []);
});

test('the guide of an item handled at the window only says so instead of offering 在线申请', async () => {
  const page = await newPage(browser, { width: 375, height: 812 });
  await signIn(page, srv.base, 'zhangsan');
  await page.goto(`${srv.base}/guide/11430100003825614J3071010001015`); // 临时居民身份证申领: 办理形式 窗口
  await page.waitForSelector('[data-test=guide-window-only]');
  assert.match(await page.locator('[data-test=guide-window-only]').innerText(), /仅支持窗口办理/);
  assert.equal(await page.locator('[data-test=guide-apply]').count(), 0);
  await page.goto(`${srv.base}/guide/${FOOD}`);
  await page.waitForSelector('[data-test=guide-apply]');
  assert.equal(await page.locator('[data-test=guide-window-only]').count(), 0);
  assert.deepEqual(page.errors, []);
});
