// Browser tests of the finishing pieces of 政府信息公开 (web/app/pages/disclosure/): the officer's
// inbox filtered to what is due soon and sorted by due or received day; the organ's 政府信息公开指南
// kept by its officer and read by the public on a phone; the centre's whole-government annual
// report saved and published through an organ; an item guide's 设定依据 linked to the published
// policy document of the same 文号. Data the pages start from is made through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Client, as } from '../api/helpers.mjs';
import { launch, newPage as openPage, signIn } from './browser.mjs';

let srv, browser, officer, centre, pub, zwzx;
before(async () => {
  srv = await startServer({ config: { files_dir: mkdtempSync(path.join(tmpdir(), 'yiwang-files-')) } });
  browser = await launch();
  [officer, centre] = await Promise.all(['gongkai01', 'center_admin'].map((u) => as(srv.base, u)));
  pub = new Client(srv.base);
  zwzx = (await pub.get('/api/v1/disclosure/organs')).json.items.find((o) => o.name === '长沙市政务服务中心').dept_id;
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function newPage(b, viewport) {
  const page = await openPage(b, viewport);
  page.setDefaultTimeout(10000);
  return page;
}

const daysAgo = (n) => new Date(Date.now() + 8 * 3600e3 - n * 86400e3).toISOString().slice(0, 10);

async function letter(content, received) {
  const r = await officer.post('/api/v1/disclosure/requests', {
    channel: 'letter', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150011',
    phone: '13800000001', content, received_date: received,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// The request numbers of the inbox's cards, in order.
async function shown(page) {
  await page.waitForFunction(() => !document.querySelector('.case-cards .el-loading-mask'));
  return page.locator('[data-test=request-row]').evaluateAll((els) => els.map((e) => (e.innerText.match(/编号：(\S+)/) || [])[1]));
}

test('the officer’s inbox: due within N working days, overdue, and sorted by due or received day', async () => {
  const fresh = await letter('到期筛选：今日收到的申请', daysAgo(0));
  const older = await letter('到期筛选：十天前收到的申请', daysAgo(10));
  const late = await letter('到期筛选：六十天前收到的申请', daysAgo(60));
  const page = await newPage(browser);
  await signIn(page, srv.base, 'gongkai01');
  await page.goto(`${srv.base}/admin/disclosure/requests`);
  await page.fill('[data-test=inbox-q]', '到期筛选');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-test=inbox-total]')?.innerText === '共 3 件');
  // 待办 reads soonest due first: the overdue one, then the older, then today's
  assert.deepEqual(await shown(page), [late.request_no, older.request_no, fresh.request_no]);
  assert.match(await page.locator('[data-test=inbox-sort]').innerText(), /截止日期（最近的在前）/);
  // by receipt, newest first
  await page.click('[data-test=inbox-sort]');
  await page.locator('.el-select-dropdown__item:visible', { hasText: '收到日期（最新的在前）' }).click();
  await page.waitForFunction(() => /sort=received/.test(location.search));
  assert.deepEqual(await shown(page), [fresh.request_no, older.request_no, late.request_no]);
  // due within 12 working days: the one received ten days ago, not today's (20) nor the overdue one
  await page.click('[data-test=inbox-due-filter]');
  await page.waitForSelector('[data-test=inbox-within]');
  await page.fill('[data-test=inbox-within] input', '12');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => /within=12/.test(location.search));
  await page.waitForFunction(() => document.querySelector('[data-test=inbox-total]')?.innerText === '共 1 件');
  assert.deepEqual(await shown(page), [older.request_no]);
  // overdue
  await page.click('[data-test=inbox-overdue-filter]');
  await page.waitForFunction(() => /state=overdue/.test(location.search));
  await page.waitForFunction(() => document.querySelector('[data-test=inbox-total]')?.innerText === '共 1 件');
  assert.deepEqual(await shown(page), [late.request_no]);
  // the state of the page is in its address: a reload shows the same
  await page.reload();
  await page.waitForFunction(() => document.querySelector('[data-test=inbox-total]')?.innerText === '共 1 件');
  assert.deepEqual(await shown(page), [late.request_no]);
  // the request page offers the steps the server lists, and nothing else
  await page.goto(`${srv.base}/disclosure/requests/${fresh.id}`);
  await page.waitForSelector('[data-test=request-actions]');
  const buttons = await page.locator('[data-test=request-actions] [data-test^=act-]').evaluateAll((els) => els.map((e) => e.dataset.test));
  assert.deepEqual(buttons.sort(), ['act-consult', 'act-correction', 'act-extend', 'act-fee', 'act-reply', 'act-withdraw']);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the officer keeps the organ’s 政府信息公开指南 and the public reads it on a phone', async () => {
  const page = await newPage(browser);
  await signIn(page, srv.base, 'gongkai01');
  await page.goto(`${srv.base}/admin/disclosure/settings`);
  await page.waitForSelector('[data-test=settings-guide]');
  await page.waitForFunction(() => document.querySelector('[data-test=guide-office]')?.value === '长沙市政务服务中心', null, { polling: 100 });
  await page.fill('[data-test=guide-office]', '长沙市政务服务中心政务公开办公室');
  await page.fill('[data-test=guide-address]', '长沙市岳麓区市府北路1号');
  await page.fill('[data-test=guide-postcode]', '4100');
  await page.fill('[data-test=guide-phone]', '0731-88665000');
  await page.fill('[data-test=guide-hours]', '工作日上午9:00—12:00，下午13:30—17:00');
  await page.fill('[data-test=guide-notes]', '本中心一楼设有政务公开查阅点，可免费查阅已主动公开的政府信息。');
  await page.click('[data-test=guide-save]');
  // a bad post code is named under its box, nothing stored
  await page.waitForFunction(() => [...document.querySelectorAll('[data-test=settings-guide] .el-form-item__error')].some((e) => /邮政编码应为6位数字/.test(e.innerText)));
  assert.equal((await pub.get(`/api/v1/disclosure/organs/${zwzx}/guide`)).json.stored, false);
  await page.fill('[data-test=guide-postcode]', '410013');
  await page.click('[data-test=guide-save]');
  await page.waitForFunction(() => /已保存/.test(document.querySelector('.el-message')?.innerText || ''));
  assert.equal((await pub.get(`/api/v1/disclosure/organs/${zwzx}/guide`)).json.office, '长沙市政务服务中心政务公开办公室');
  assert.deepEqual(page.errors, []);
  await page.context().close();

  // the public, on a phone: from the catalogue by organ to the guide
  const phone = await newPage(browser, { width: 375, height: 740 });
  await phone.goto(`${srv.base}/gongkai?dept_id=${zwzx}`);
  await phone.click('[data-test=gk-guide-link]');
  await phone.waitForSelector('[data-test=guide]');
  assert.equal(await phone.locator('[data-test=guide-title]').innerText(), '长沙市政务服务中心政府信息公开指南');
  assert.equal(await phone.locator('[data-test=guide-office]').innerText(), '长沙市政务服务中心政务公开办公室');
  assert.match(await phone.locator('[data-test=guide-address]').innerText(), /市府北路1号（邮政编码 410013）/);
  assert.match(await phone.locator('[data-test=guide-sec-request]').innerText(), /邮寄至长沙市岳麓区市府北路1号/);
  assert.match(await phone.locator('[data-test=guide-sec-time]').innerText(), /20个工作日内予以答复/);
  assert.match(await phone.locator('[data-test=guide-sec-fees]').innerText(), /国办函〔2020〕109号/);
  assert.match(await phone.locator('[data-test=guide-sec-remedies]').innerText(), /行政复议/);
  assert.match(await phone.locator('[data-test=guide-sec-notes]').innerText(), /政务公开查阅点/);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `no sideways scrolling on a phone (${width}px)`);
  assert.equal(await phone.locator('[data-test=guide-apply]').getAttribute('href'), `/gongkai/apply?dept_id=${zwzx}`);
  assert.deepEqual(phone.errors, []);
  await phone.context().close();
});

test('the centre saves the whole government’s annual report and publishes it through an organ', async () => {
  const year = Number(daysAgo(0).slice(0, 4)) - 1;
  const page = await newPage(browser);
  await signIn(page, srv.base, 'center_admin');
  await page.goto(`${srv.base}/admin/disclosure/report?year=${year}`);
  await page.waitForSelector('[data-test=report-doc]');
  const rep = (await centre.get(`/api/v1/disclosure/report?year=${year}`)).json;
  assert.equal(await page.locator('[data-test=report-title]').innerText(), rep.title, 'the whole government’s');
  assert.equal(await page.locator('[data-test=report-state]').innerText(), '未保存');
  const box = page.locator('[data-test=report-text-other]');
  await box.fill((await box.inputValue()) + '\n全市各机关均按期发布了年度报告。');
  await page.click('[data-test=report-save]');
  await page.waitForFunction(() => document.querySelector('[data-test=report-state]')?.innerText === '草稿');
  const stored = (await centre.get(`/api/v1/disclosure/reports/${year}`)).json;
  assert.equal(stored.dept_id, null);
  assert.match(stored.report.sections.find((s) => s.key === 'other').text, /按期发布了年度报告/);
  for (const c of stored.report.checks) assert.ok(c.ok, `the demo year’s records pass ${c.name}: ${c.detail}`);
  // publishing names the organ that publishes it for the government
  await page.click('[data-test=report-publish]');
  await page.waitForSelector('[data-test=report-publisher-error]');
  await page.click('[data-test=report-publisher]');
  await page.locator('.el-select-dropdown__item:visible', { hasText: '长沙市政务服务中心' }).first().click();
  await page.click('[data-test=report-publish]');
  await page.click('.el-message-box__btns .el-button--primary');
  await page.waitForFunction(() => document.querySelector('[data-test=report-state]')?.innerText === '保密审查中');
  const docId = (await centre.get(`/api/v1/disclosure/reports/${year}`)).json.document_id;
  assert.equal((await centre.get(`/api/v1/disclosure/documents/${docId}`)).json.dept_id, zwzx);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an item guide’s 设定依据 links to the published policy document of the same 文号', async () => {
  const code = '11430100003825614J3071010001018'; // 户口迁移(人才引进落户): 国发〔2014〕25号
  const item = (await pub.get(`/api/v1/items/${code}`)).json;
  assert.match(item.basis, /国发〔2014〕25号/);
  const doc = (await pub.get(`/api/v1/disclosure/lookup?ref=${encodeURIComponent('国发〔2014〕25号')}`)).json.items[0];
  assert.ok(doc, 'the demo city publishes it');
  const page = await newPage(browser, { width: 375, height: 740 });
  await page.goto(`${srv.base}/guide/${code}`);
  await page.waitForSelector('[data-test=guide-policy-docs]');
  const links = page.locator('[data-test=guide-policy-link]');
  assert.equal(await links.count(), 1);
  assert.equal(await links.innerText(), '国务院关于进一步推进户籍制度改革的意见');
  assert.match(await page.locator(`[data-test=guide-policy-${doc.id}]`).innerText(), /国发〔2014〕25号/);
  await links.click();
  await page.waitForSelector('[data-test=gk-doc-title]');
  assert.equal(await page.locator('[data-test=gk-doc-no]').innerText(), '国发〔2014〕25号');
  assert.equal(new URL(page.url()).pathname, `/gongkai/doc/${doc.id}`);
  // a guide whose basis cites nothing published shows no such panel
  await page.goto(`${srv.base}/guide/1143010000825175203011010001001`);
  await page.waitForSelector('[data-test=guide-title]');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('[data-test=guide-policy-docs]').count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
