// Browser tests of 政府信息公开 (web/app/pages/disclosure/): an officer drafts a document that the
// centre passes in 保密审查 and the public finds it in the 主动公开目录 (also on a phone, and printable);
// a citizen files a request, answers the 补正, sees the fee notice and follows it to the reply and its
// letter; an officer takes a request through 补正, the correction, a third-party consultation, an
// extension and the reply; the officer generates the annual report, edits its narrative, enters
// table 二's figures and publishes it (sent to 保密审查, passed by the centre). Data the pages start
// from is made through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, Client, as } from '../api/helpers.mjs';
import { launch, newPage as openPage, signIn, confirmDialog } from './browser.mjs';

let srv, browser, officer, centre, citizen, cats, zwzx;
before(async () => {
  srv = await startServer({ config: { files_dir: mkdtempSync(path.join(tmpdir(), 'yiwang-files-')) } });
  browser = await launch();
  [officer, centre, citizen] = await Promise.all(['gongkai01', 'center_admin', 'zhangsan'].map((u) => as(srv.base, u)));
  const pub = new Client(srv.base);
  cats = Object.fromEntries((await pub.get('/api/v1/disclosure/categories')).json.items.map((c) => [c.code, c]));
  zwzx = (await pub.get('/api/v1/disclosure/organs')).json.items.find((o) => o.name === '长沙市政务服务中心').dept_id;
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function ok(res, what) {
  const r = await res;
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

// A page that gives up after 10 s rather than Playwright's 30.
async function newPage(b, viewport) {
  const page = await openPage(b, viewport);
  page.setDefaultTimeout(10000);
  return page;
}

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

async function state(page, label) {
  await page.waitForFunction((l) => document.querySelector('[data-test=request-state]')?.innerText.includes(l), label);
}

// Picks an option of an el-select by its visible text.
async function choose(page, selector, text) {
  await page.click(selector);
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

test('an officer drafts a document, the centre passes 保密审查, the public finds, reads and prints it', async () => {
  const page = await newPage(browser);
  await signIn(page, srv.base, 'gongkai01');
  await page.waitForURL(/\/admin\/disclosure\/requests/); // the officer's home is the workbench
  assert.equal(await page.locator('.main-nav [data-test=nav-disclosure]').innerText(), '信息公开工作台');
  assert.equal(await page.locator('.main-nav a', { hasText: '管理后台' }).count(), 0, 'the workbench is the officer’s back office');
  assert.deepEqual((await page.locator('.admin-menu .el-menu-item').allInnerTexts()).map((s) => s.trim()), ['依申请公开', '主动公开', '公开年报', '公开设置']);
  // the organ's 索引号 rule
  await page.click('.admin-menu >> text=公开设置');
  await page.fill('[data-test=organ-code]', 'ZWZX');
  await page.fill('[data-test=organ-rule]', '{organ}-{year}');
  await page.click('[data-test=organ-save]');
  await page.waitForSelector('.el-form-item__error');
  assert.match(await page.locator('[data-test=settings-organ]').innerText(), /须包含顺序号/);
  await page.fill('[data-test=organ-rule]', '{organ}-{year}-{seq}');
  await page.click('[data-test=organ-save]');
  await page.locator('.el-message', { hasText: '索引号规则已保存' }).waitFor();
  await page.click('.admin-menu >> text=主动公开');
  await page.click('[data-test=doc-new]');
  await page.waitForSelector('[data-test=doc-form]');
  await page.click('[data-test=doc-save]');
  await page.waitForSelector('.el-form-item__error');
  assert.match(await page.locator('[data-test=doc-form]').innerText(), /不能为空|主题分类/, 'the 422 names the fields');
  await page.click('[data-test=doc-category] .el-cascader');
  await page.locator('.el-cascader-node:visible', { hasText: '法规文件' }).first().click();
  await page.keyboard.press('Escape');
  await page.fill('[data-test=doc-title]', '长沙市政务服务中心窗口服务规范（试行）');
  await page.fill('[data-test=doc-no]', '长政务发〔2026〕7号');
  await page.fill('[data-test=doc-body]', '第一条　为规范窗口服务行为，提升政务服务质量，制定本规范。\n第二条　本规范适用于市政务服务中心各进驻窗口。');
  await page.click('[data-test=doc-save]');
  await page.waitForSelector('[data-test=doc-submit]');
  const id = Number(page.url().split('/').pop());
  await page.click('[data-test=doc-submit]');
  await page.waitForFunction(() => document.querySelector('[data-test=doc-state]')?.innerText.includes('保密审查'));
  assert.ok(await page.locator('[data-test=doc-review-pass]').isDisabled(), 'the author does not review their own draft');

  // the centre reviews in its own browser
  const reviewer = await newPage(browser);
  await signIn(reviewer, srv.base, 'center_admin');
  await reviewer.goto(`${srv.base}/admin/disclosure/documents/${id}`);
  const centreMenu = await reviewer.locator('.admin-menu').innerText();
  for (const entry of ['依申请公开', '主动公开', '公开年报']) assert.ok(centreMenu.includes(entry), `the centre's menu has ${entry}`);
  await reviewer.click('[data-test=doc-review-pass]');
  await reviewer.fill('[data-test=review-note]', '不涉及国家秘密、工作秘密，同意公开。');
  await confirmDialog(reviewer);
  await reviewer.waitForFunction(() => /\d/.test(document.querySelector('[data-test=doc-index-no]')?.innerText || ''));
  const indexNo = (await reviewer.locator('[data-test=doc-index-no]').innerText()).trim();
  assert.match(indexNo, new RegExp(`^ZWZX-${today().slice(0, 4)}-\\d+$`), 'numbered by the organ’s rule');

  // the public, on a phone
  const phone = await newPage(browser, { width: 390, height: 844 });
  await phone.goto(srv.base + '/gongkai');
  await phone.waitForSelector('[data-test=gk-total]');
  await phone.fill('[data-test=gk-search]', '窗口服务规范');
  await phone.click('[data-test=gk-search-button]');
  await phone.waitForFunction(() => document.querySelectorAll('[data-test=gk-doc]').length === 1);
  assert.match(await phone.locator('[data-test=gk-doc]').innerText(), new RegExp(indexNo.replace(/[/\\]/g, '.')));
  // by category and year as well
  await phone.goto(`${srv.base}/gongkai?category_id=${cats.rules.id}&year=${today().slice(0, 4)}`);
  await phone.waitForSelector('[data-test=gk-doc]');
  await phone.locator('[data-test=gk-doc]', { hasText: '窗口服务规范' }).click();
  await phone.waitForSelector('[data-test=gk-doc-title]');
  const meta = await phone.locator('[data-test=gk-meta]').innerText();
  for (const label of ['索引号', '文号', '发布机构', '成文日期', '发布日期', '主题分类', '有效性']) assert.ok(meta.includes(label), label);
  assert.ok(meta.includes(indexNo) && meta.includes('长政务发〔2026〕7号') && meta.includes('有效'));
  assert.match(await phone.locator('[data-test=gk-doc-body]').innerText(), /第二条　本规范适用于/);
  const fits = await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
  assert.ok(fits, 'the document fits a phone’s width');
  // printable on A4: no site frame, the metadata and body on the sheet
  await phone.click('[data-test=gk-print]');
  await phone.waitForSelector('.a4 [data-test=gk-doc-title]');
  await phone.emulateMedia({ media: 'print' });
  assert.equal(await phone.locator('.site-header').count(), 0);
  assert.ok(await phone.locator('.print-toolbar').isHidden(), 'the toolbar is not printed');
  // the organ repeals it: a new version, published at once, the first one kept
  await page.goto(`${srv.base}/admin/disclosure/documents/${id}`);
  await page.click('[data-test=doc-validity]');
  await page.locator('.el-dialog .el-radio', { hasText: '废止' }).click();
  await page.fill('[data-test=doc-reason]', '已被新规范替代');
  await confirmDialog(page);
  await page.waitForFunction(() => document.querySelectorAll('[data-test=doc-versions] tbody tr').length === 2);
  assert.match(await page.locator('[data-test=doc-versions]').innerText(), /已被新版本替代/);
  await phone.emulateMedia({ media: 'screen' });
  await phone.goto(`${srv.base}/gongkai/doc/${id}`);
  await phone.waitForSelector('[data-test=gk-validity-value]');
  assert.match(await phone.locator('[data-test=gk-validity-value]').innerText(), /^废止/);
  assert.equal((await phone.locator('[data-test=gk-index-no]').innerText()).trim(), indexNo, 'the 索引号 stays');
  // and withdraws it: gone from the catalogue
  await page.click('[data-test=doc-withdraw]');
  await page.fill('[data-test=doc-reason]', '发布有误');
  await confirmDialog(page);
  await phone.goto(`${srv.base}/gongkai/doc/${id}`);
  await phone.waitForSelector('.el-result');
  // a draft is not public
  const draft = await ok(officer.post('/api/v1/disclosure/documents', {
    category_id: cats.rules.id, title: '尚未发布的草稿', publisher: '长沙市政务服务中心', body: '草稿正文' }), 'draft');
  await phone.emulateMedia({ media: 'screen' });
  await phone.goto(`${srv.base}/gongkai/doc/${draft.id}`);
  await phone.waitForSelector('.el-result');
  assert.match(await phone.locator('.el-result').innerText(), /不存在或尚未公开/);
  for (const p of [page, reviewer, phone]) assert.deepEqual(p.errors, []);
  for (const p of [page, reviewer, phone]) await p.context().close();
});

test('a citizen requests information, answers the 补正, sees the fee and follows it to the reply letter', async () => {
  const page = await newPage(browser);
  await signIn(page, srv.base, 'zhangsan');
  await page.goto(srv.base + '/gongkai');
  await page.click('[data-test=gk-apply]');
  await page.waitForSelector('[data-test=request-form]');
  await choose(page, '[data-test=req-organ]', '长沙市政务服务中心');
  await page.fill('[data-test=req-phone]', '138');
  await page.click('[data-test=req-submit]');
  // the 422's reasons beside their fields, nothing filed
  await page.waitForSelector('.el-form-item__error');
  const errs = await page.locator('.el-form-item__error').allInnerTexts();
  assert.ok(errs.some((e) => /不能为空/.test(e)), `content: ${errs}`);
  assert.ok(errs.some((e) => /手机号码/.test(e)), `phone: ${errs}`);
  assert.equal((await citizen.get('/api/v1/disclosure/requests')).json.total, 0, 'nothing stored');
  await page.fill('[data-test=req-phone]', '13800138000');
  await page.fill('[data-test=req-content]', '请公开2026年市政务服务中心各窗口的办件量统计');
  await page.fill('[data-test=req-purpose]', '学术研究');
  await page.click('[data-test=req-submit]');
  await page.waitForURL(/\/disclosure\/requests\/\d+$/);
  await state(page, '办理中');
  const id = Number(page.url().split('/').pop());
  const r = (await citizen.get(`/api/v1/disclosure/requests/${id}`)).json;
  assert.equal(r.applicant_name, '张三');
  assert.equal(await page.locator('[data-test=request-due]').innerText(), r.due_date);
  assert.equal(await page.locator('[data-test=act-reply]').count(), 0, 'no organ actions for the applicant');

  // the organ asks for a correction: the citizen answers it on the page
  await ok(officer.post(`/api/v1/disclosure/requests/${id}/correction`, { items: ['请明确统计的时间段', '请说明需要的窗口范围'] }), 'correction');
  await page.reload();
  await state(page, '待补正');
  assert.deepEqual(await page.locator('[data-test=correction-item]').allInnerTexts(), ['请明确统计的时间段', '请说明需要的窗口范围']);
  await page.click('[data-test=act-corrected]');
  await page.fill('[data-test=corrected-content]', '2026年1月至11月，全部综合受理窗口');
  await confirmDialog(page);
  await state(page, '办理中');
  assert.equal(await page.locator('[data-test=letter-correction]').count(), 1, 'the 补正告知书 stays printable');

  // a fee notice, then paid and answered
  await ok(officer.post(`/api/v1/disclosure/requests/${id}/fee`, { basis: 'page', quantity: 150 }), 'fee');
  await page.reload();
  await state(page, '待缴费');
  assert.match(await page.locator('[data-test=request-fee]').innerText(), /1700\.00 元/);
  await ok(officer.post(`/api/v1/disclosure/requests/${id}/fee/paid`, {}), 'paid');
  await ok(officer.post(`/api/v1/disclosure/requests/${id}/reply`, { result: 'public', note: '统计表随本告知书一并提供。' }), 'reply');

  await page.goto(srv.base + '/my/disclosure');
  await page.locator('[data-test=request-row]', { hasText: '办件量统计' }).click();
  await state(page, '已答复');
  assert.equal(await page.locator('[data-test=request-result]').innerText(), '予以公开');
  const frame = page.frameLocator('[data-test=reply-letter]');
  await frame.locator('h1').waitFor();
  assert.equal(await frame.locator('h1').innerText(), '政府信息公开申请答复告知书');
  assert.match(await frame.locator('body').innerText(), /统计表随本告知书一并提供/);
  const links = await page.locator('[data-test=request-letters] a').allInnerTexts();
  assert.deepEqual(links.map((s) => s.trim()), ['补正告知书', '收费通知书', '答复告知书']);
  const [letter] = await Promise.all([page.context().waitForEvent('page'), page.click('[data-test=letter-reply]')]);
  await letter.waitForLoadState();
  assert.match(await letter.locator('body').innerText(), /六十日内向长沙市人民政府申请行政复议/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an officer issues a 补正, receives the correction, consults a third party, extends and replies', async () => {
  const made = await ok(officer.post('/api/v1/disclosure/requests', {
    channel: 'letter', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150011',
    phone: '13900000001', content: '请公开某供应商参与政府采购项目的投标文件', received_date: today(),
  }), 'letter');
  const page = await newPage(browser);
  await signIn(page, srv.base, 'gongkai01');
  await page.waitForSelector('[data-test=request-row]');
  assert.match(await page.locator('[data-test=inbox-counts]').innerText(), /办理中/);
  await page.locator('[data-test=request-row]', { hasText: '投标文件' }).click();
  await state(page, '办理中');
  // received today (China's date, whatever the browser's zone) and untouched: it may be answered on the spot
  assert.match(await page.locator('[data-test=act-reply]').innerText(), /当场答复/);

  await page.click('[data-test=act-correction]');
  await page.fill('[data-test=correction-text-0]', '请明确政府采购项目的名称或编号');
  await page.click('[data-test=correction-add]');
  await page.fill('[data-test=correction-text-1]', '请提供营业执照复印件');
  await confirmDialog(page);
  await state(page, '待补正');
  assert.equal(await page.locator('[data-test=act-correction]').count(), 0, 'one 补正 notice only');

  await page.click('[data-test=act-corrected]');
  await page.fill('[data-test=corrected-content]', '项目编号：CSZC-2026-001');
  await confirmDialog(page);
  await state(page, '办理中');

  await page.click('[data-test=act-consult]');
  await page.fill('[data-test=consult-party]', '湖南某某建设有限公司');
  await page.fill('[data-test=consult-contact]', '0731-88880000');
  await confirmDialog(page);
  await state(page, '征求第三方意见');
  assert.equal(await page.locator('[data-test=act-reply]').count(), 0, 'no reply while consulting');
  await page.locator('[data-test^=act-answer-]').click();
  await page.click('[data-test=answer-object]');
  await page.fill('[data-test=answer-note]', '投标文件含商业秘密，不同意公开');
  await confirmDialog(page);
  await state(page, '办理中');

  await page.click('[data-test=act-extend]');
  await page.fill('[data-test=extend-reason]', '需要对投标文件逐页进行区分处理');
  await page.fill('[data-test=extend-approver]', '王主任');
  await confirmDialog(page);
  await page.waitForSelector('[data-test=letter-extension]');
  const r = (await officer.get(`/api/v1/disclosure/requests/${made.id}`)).json;
  assert.equal(r.extension_days, 20);
  assert.equal(await page.locator('[data-test=request-due]').innerText(), r.due_date);
  assert.equal(await page.locator('[data-test=act-extend]').count(), 0, 'one extension only');

  await page.click('[data-test=act-reply]');
  await choose(page, '[data-test=reply-result]', '部分公开');
  assert.match(await page.locator('[data-test=reply-preview-hint]').innerText(), /部分公开/);
  await page.fill('[data-test=reply-note]', '涉及第三方商业秘密的内容。');
  // the letter that will be sent, rendered by the server, shown before sending
  assert.equal(await page.locator('.el-dialog [data-test=dialog-confirm]').innerText(), '预览答复告知书');
  await page.click('.el-dialog [data-test=dialog-confirm]');
  let preview = page.frameLocator('[data-test=reply-preview-letter]');
  await preview.locator('h1').waitFor();
  let shown = await preview.locator('body').innerText();
  assert.match(shown, /政府信息公开申请答复告知书/);
  assert.match(shown, /涉及第三方商业秘密的内容。/);
  assert.match(shown, /第三十六条第（三）项、第三十七条/, 'the legal basis');
  assert.match(shown, /六十日内[\s\S]*行政复议[\s\S]*六个月内[\s\S]*行政诉讼/, 'the remedies');
  assert.equal((await officer.get(`/api/v1/disclosure/requests/${made.id}`)).json.state, 'processing', 'not sent by the preview');
  // an edit after the preview asks for a new one
  await page.fill('[data-test=reply-note]', '涉及第三方商业秘密的内容已作区分处理，其余部分予以公开。');
  await page.waitForSelector('[data-test=reply-preview]', { state: 'detached' });
  await page.click('.el-dialog [data-test=dialog-confirm]');
  preview = page.frameLocator('[data-test=reply-preview-letter]');
  await preview.locator('h1').waitFor();
  assert.match(await preview.locator('body').innerText(), /其余部分予以公开。/);
  assert.equal(await page.locator('.el-dialog [data-test=dialog-confirm]').innerText(), '确认答复并发送告知书');
  await confirmDialog(page);
  await state(page, '已答复');
  const frame = page.frameLocator('[data-test=reply-letter]');
  await frame.locator('h1').waitFor();
  const text = await frame.locator('body').innerText();
  assert.match(text, /处理结果：部分公开/);
  assert.match(text, /第三十七条/);
  const events = (await officer.get(`/api/v1/disclosure/requests/${made.id}`)).json.events.map((e) => e.action);
  assert.deepEqual(events, ['create', 'correction', 'corrected', 'consult', 'consult_answer', 'extend', 'reply']);
  assert.match(await page.locator('[data-test=request-timeline]').innerText(), /补正告知[\s\S]*收到补正[\s\S]*征求第三方意见[\s\S]*延期答复[\s\S]*答复/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the officer generates the annual report, edits it, enters figures, downloads the XLSX and publishes it', async () => {
  const year = Number(today().slice(0, 4));
  const page = await newPage(browser);
  await signIn(page, srv.base, 'gongkai01');
  await page.goto(`${srv.base}/admin/disclosure/report?year=${year}`);
  await page.waitForSelector('[data-test=report-doc]');
  const rep = (await officer.get(`/api/v1/disclosure/report?year=${year}`)).json;
  assert.equal(await page.locator('[data-test=report-title]').innerText(), rep.title);
  // table 三 as the template's table: the new requests of the year per applicant column
  const newRow = rep.table3.rows.find((r) => r.key === 'new').values;
  assert.equal(await page.locator('[data-test=t3-new-total]').innerText(), String(newRow.total));
  assert.equal(await page.locator('[data-test=t3-new-person]').innerText(), String(newRow.person));
  assert.equal(await page.locator('[data-test=report-table4] td').count(), 15, 'table 四: 3 × 5 columns in one line');
  assert.equal(await page.locator('[data-test=report-checks-summary]').innerText(), rep.checks.every((c) => c.ok) ? '全部通过' : `${rep.checks.filter((c) => !c.ok).length} 项未通过`);
  assert.equal(await page.locator('[data-test^=check-]').count(), rep.checks.length);

  // table 二's figures the records cannot know
  await page.fill('[data-test=fig-penalty] input', '12');
  await page.fill('[data-test=fig-coercion] input', '3');
  await page.keyboard.press('Tab');
  await page.click('[data-test=fig-save]');
  await page.waitForFunction(() => document.querySelector('[data-test=t2-penalty]')?.innerText.includes('12'));

  // the narrative edited and saved on the server: kept across a reload, and in the API
  assert.equal(await page.locator('[data-test=report-state]').innerText(), '未保存');
  const added = '本年度组织政府信息公开业务培训2次，参训120人次。';
  const box = page.locator('[data-test=report-text-overview]');
  await box.fill((await box.inputValue()) + '\n' + added);
  await page.waitForSelector('[data-test=report-dirty]');
  // an emptied section is refused by the server, named under its box
  const other = page.locator('[data-test=report-text-other]');
  const otherText = await other.inputValue();
  await other.fill('');
  await page.click('[data-test=report-save]');
  await page.waitForSelector('[data-test=report-error-other]');
  assert.equal((await officer.get(`/api/v1/disclosure/reports/${year}`)).json.state, 'new', 'nothing stored');
  await other.fill(otherText);
  await page.click('[data-test=report-save]');
  await page.waitForFunction(() => document.querySelector('[data-test=report-state]')?.innerText === '草稿');
  const stored = (await officer.get(`/api/v1/disclosure/reports/${year}`)).json;
  await page.waitForSelector('[data-test=report-dirty]', { state: 'detached' });
  assert.equal(stored.state, 'draft');
  assert.ok(stored.report.sections.find((x) => x.key === 'overview').text.endsWith(added));
  await page.reload();
  await page.waitForSelector('[data-test=report-doc]');
  assert.ok((await page.locator('[data-test=report-text-overview]').inputValue()).endsWith(added));
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('yw.disclosure.report')).length), 0, 'nothing kept in the browser');

  // the XLSX of the tables
  const xlsx = await page.evaluate(async () => {
    const a = document.querySelector('[data-test=report-xlsx]');
    const r = await fetch(a.href);
    const b = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, type: r.headers.get('content-type'), zip: b[0] === 0x50 && b[1] === 0x4b };
  });
  assert.deepEqual(xlsx, { status: 200, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', zip: true });

  // A4 print preview with the edited text
  await page.click('[data-test=report-print]');
  await page.waitForSelector('.a4 [data-test=report-doc]');
  assert.ok((await page.locator('.a4').innerText()).includes(added));
  await page.goBack();
  await page.waitForSelector('[data-test=report-publish]');

  // publish: the server makes the document with the text and the XLSX and sends it to 保密审查;
  // from then on the report is read only
  await page.click('[data-test=report-publish]');
  await page.click('.el-message-box__btns .el-button--primary');
  await page.waitForFunction(() => /已提交保密审查/.test(document.querySelector('[data-test=report-publish-note]')?.innerText || ''));
  assert.equal(await page.locator('[data-test=report-state]').innerText(), '保密审查中');
  assert.equal(await page.locator('[data-test=report-publish]').count(), 0);
  assert.equal(await page.locator('[data-test=report-text-overview]').count(), 0, 'no longer editable');
  const docId = (await officer.get(`/api/v1/disclosure/reports/${year}`)).json.document_id;
  assert.ok(docId);
  await ok(centre.post(`/api/v1/disclosure/documents/${docId}/review`, { result: 'pass' }), 'review');
  await page.reload();
  await page.waitForSelector('[data-test=report-doc-link]');
  assert.equal(await page.locator('[data-test=report-state]').innerText(), '已公开');
  assert.equal(await page.locator('[data-test=report-doc-link]').getAttribute('href'), `/gongkai/doc/${docId}`);
  assert.ok((await page.locator('[data-test=report-doc]').innerText()).includes(added), 'the published text shows, read only');
  assert.equal(await page.locator('textarea').count(), 0);
  const doc = (await new Client(srv.base).get(`/api/v1/disclosure/documents/${docId}`)).json.published;
  assert.equal(doc.category_code, 'annual_report');
  assert.ok(doc.body.includes(added), 'the edited narrative is published');
  assert.match(doc.body, /行政处罚：本年处理决定数量 12/);
  assert.match(doc.body, /本年新收政府信息公开申请数量：自然人 \d+/);
  assert.equal(doc.attachments.length, 1);
  assert.match(doc.attachments[0].name, /\.xlsx$/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
