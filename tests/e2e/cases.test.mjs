// Browser tests of case handling in headless Chromium against a real server with the demo city:
// an applicant applies online with an upload and the profile pre-filled, the window asks for
// 补正, the applicant resubmits, the window accepts, the back office passes the steps and 准予s;
// a walk-in application refused at the window; an applicant's 撤件; 容缺受理 with the later supply,
// delivery, the rating, the notice's QR code and the public verification page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, Client, as, PASSWORD } from '../api/helpers.mjs';
import { pdfBytes, pngBytes } from '../api/samples.mjs';

let srv, browser, item;
before(async () => {
  srv = await startServer({ config: { files_dir: mkdtempSync(path.join(tmpdir(), 'yiwang-e2e-files-')) } });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  // A 市场监管 item with two back-office steps and two materials (as tests/api/cases.test.mjs).
  const pub = new Client(srv.base);
  const scjg = (await pub.get('/api/v1/departments')).json.items.find((d) => d.name === '长沙市市场监督管理局');
  for (const it of (await pub.get(`/api/v1/items?dept_id=${scjg.id}&page_size=200`)).json.items) {
    const g = (await pub.get(`/api/v1/items/${it.code}`)).json;
    if (g.steps.filter((s) => s.role !== 'window').length >= 2 && g.materials.length >= 2 && g.targets.includes(1)) { item = g; break; }
  }
  assert.ok(item, 'a 市场监管 item with two back-office steps and two materials');
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// Script errors of a page are collected; every test ends by asserting there were none.
function watched(page) {
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  return page;
}

async function newPage(viewport = { width: 1280, height: 900 }) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
  return watched(await ctx.newPage());
}

async function signIn(page, username) {
  await page.goto(srv.base + '/login');
  await page.fill('[data-test=login-username]', username);
  await page.fill('[data-test=login-password]', PASSWORD);
  await page.click('[data-test=login-submit]');
  await page.waitForSelector('[data-test=logout]');
}

const file = (name, buffer, mimeType = 'application/pdf') => ({ name, mimeType, buffer });

async function caseState(page, label) {
  await page.waitForFunction((l) => document.querySelector('[data-test=case-state]')?.innerText.includes(l), label);
}

// Opens a case from the user's inbox (the list, not a typed address) and waits for its page.
async function openFromInbox(page, listPath, id) {
  await page.goto(srv.base + listPath);
  const row = page.locator(`[data-test=inbox-row][href="/cases/${id}"]`);
  await row.waitFor();
  await row.click();
  await page.waitForSelector('[data-test=case-title]');
}

async function confirmDialog(page) {
  await page.click('.el-dialog [data-test=dialog-confirm]');
  await page.locator('.el-dialog').first().waitFor({ state: 'hidden' });
}

const caseId = (page) => Number(new URL(page.url()).pathname.split('/')[2]);

test('online: apply with an upload and the profile pre-filled → 补正 → resubmit → 受理 → steps → 准予', async () => {
  const api = await as(srv.base, 'zhangsan');
  const saved = { address: '长沙市芙蓉区五一大道 1 号', phone: '13800138000', postcode: '410011' };
  assert.equal((await api.put('/api/v1/me/profile', { profile: saved })).status, 200);

  // The applicant, on a phone, applies from the guide page.
  const citizen = await newPage({ width: 375, height: 812 });
  await signIn(citizen, 'zhangsan');
  await citizen.goto(srv.base + '/guide/' + encodeURIComponent(item.code));
  await citizen.click('[data-test=guide-apply]');
  await citizen.waitForSelector('[data-test=apply-title]');
  assert.equal(await citizen.inputValue('[data-test=apply-field-address]'), saved.address, 'pre-filled from the profile');
  assert.equal(await citizen.inputValue('[data-test=apply-field-phone]'), saved.phone);
  await citizen.fill('[data-test=apply-field-email]', 'zhangsan@example.cn');
  await citizen.click('[data-test=apply-save-profile]');
  await citizen.setInputFiles('[data-test=material-upload-0]', file('申请书.pdf', pdfBytes('application form')));
  await citizen.waitForSelector('[data-test=material-file]');
  // With required materials still missing the page refuses to submit; then they are uploaded
  // (all but those the department takes from shared data or e-licences).
  await citizen.click('[data-test=apply-submit]');
  await citizen.waitForSelector('.el-message--warning');
  assert.match(citizen.url(), /\/apply\//);
  const toUpload = item.materials.map((m, i) => [m, i]).filter(([m, i]) => i > 0 && m.required && !['电子证照', '数据共享'].includes(m.source));
  for (const [, i] of toUpload) {
    await citizen.setInputFiles(`[data-test=material-upload-${i}]`, file(`材料${i}.png`, pngBytes(), 'image/png'));
  }
  await citizen.waitForFunction((n) => document.querySelectorAll('[data-test=material-file]').length >= n, 1 + toUpload.length);
  // 提交申请 shows what will be submitted; 确认提交 sends it.
  await citizen.click('[data-test=apply-submit]');
  await citizen.waitForSelector('[data-test=apply-summary]');
  assert.match(await citizen.locator('[data-test=apply-summary]').innerText(), /zhangsan@example\.cn[\s\S]*申请书\.pdf/);
  await citizen.click('[data-test=apply-confirm]');
  await citizen.waitForURL(/\/cases\/\d+$/);
  const id = caseId(citizen);
  await caseState(citizen, '已接件');
  assert.match(await citizen.locator('[data-test=case-files]').innerText(), /申请书\.pdf/);
  const profile = (await api.get('/api/v1/me/profile')).json.profile;
  assert.equal(profile.email, 'zhangsan@example.cn', 'ticked: the changed field went back to the profile');
  assert.equal(profile.address, saved.address);
  const mine = await api.get(`/api/v1/cases/${id}`);
  assert.equal(mine.json.form.address, saved.address, 'the form carries the pre-filled values');

  // The window asks for 补正 of the second material, in one notice.
  const window = await newPage();
  await signIn(window, 'window01');
  await openFromInbox(window, '/window', id);
  // Pre-check: the guide's materials against what came with the application.
  const check = await window.locator('[data-test=material-check] tbody tr').first().innerText();
  assert.ok(check.includes(item.materials[0].name) && check.includes('已提交'), check);
  await window.click('[data-test=case-correction]');
  await window.click('[data-test=correction-item-1]');
  await window.fill('[data-test=correction-reason-1]', '需加盖公章');
  await confirmDialog(window);
  await caseState(window, '补正中');

  // The applicant sees the notice and resubmits with a new upload.
  await citizen.goto(srv.base + '/my/cases');
  await citizen.click(`[data-test=case-row][href="/cases/${id}"]`);
  await citizen.waitForSelector('[data-test=correction-notice]');
  assert.ok((await citizen.locator('[data-test=correction-notice]').innerText()).includes(`${item.materials[1].name}：需加盖公章`));
  await citizen.setInputFiles('[data-test=correction-notice] [data-test=material-upload-0]', file('盖章材料.pdf', pdfBytes('stamped')));
  await citizen.waitForSelector('[data-test=correction-notice] [data-test=material-file]');
  await citizen.fill('[data-test=resubmit-note]', '已加盖公章');
  await citizen.click('[data-test=resubmit-confirm]');
  await caseState(citizen, '补正结束');
  assert.match(await citizen.locator('[data-test=case-files]').innerText(), /盖章材料\.pdf/);

  // The window accepts: case number and promised date; the 受理通知书 prints.
  await window.reload();
  await caseState(window, '补正结束');
  await window.click('[data-test=case-accept]');
  await confirmDialog(window);
  await caseState(window, '已受理');
  assert.match(await window.locator('[data-test=case-no]').innerText(), /^430100\d{13}$/);
  assert.match(await window.locator('[data-test=case-clock]').innerText(), /\d{4}-\d{2}-\d{2}/);
  const notice = watched(await window.context().newPage());
  await notice.goto(srv.base + `/cases/${id}/notice/accept`);
  await notice.waitForSelector('[data-test=notice-title]');
  assert.equal(await notice.locator('[data-test=notice-title]').innerText(), '受理通知书');
  assert.ok((await notice.locator('.a4').innerText()).includes(item.name));
  const correctionNotice = watched(await window.context().newPage());
  await correctionNotice.goto(srv.base + `/cases/${id}/notice/correction`);
  await correctionNotice.waitForSelector('[data-test=notice-item]');
  assert.match(await correctionNotice.locator('[data-test=notice-item]').first().innerText(), /需加盖公章/);

  // The back office passes every step and decides 准予.
  const approver = await newPage();
  await signIn(approver, 'scjg_shenpi');
  await openFromInbox(approver, '/office', id);
  assert.match(await approver.locator('[data-test=case-files]').innerText(), /申请书\.pdf/);
  const href = await approver.locator('[data-test=case-file] a').first().getAttribute('href');
  const got = await approver.evaluate(async (u) => (await fetch(u)).status, href);
  assert.equal(got, 200, 'the department’s approver opens the applicant’s file');
  for (let guard = 0; guard < 8 && await approver.locator('[data-test=step-pass]').count(); guard++) {
    const before = await approver.locator('[data-test=case-timeline] .el-timeline-item').count();
    await approver.click('[data-test=step-pass]');
    await confirmDialog(approver);
    await approver.waitForFunction((n) => document.querySelectorAll('[data-test=case-timeline] .el-timeline-item').length > n, before);
  }
  await approver.click('[data-test=step-approve]');
  await approver.fill('[data-test=step-note]', '符合条件，准予许可');
  await confirmDialog(approver);
  await caseState(approver, '办结（准予）');

  // Done: the applicant is offered the five-level rating; the decision prints.
  await citizen.reload();
  await caseState(citizen, '办结（准予）');
  await citizen.waitForSelector('[data-test=rating]');
  assert.equal(await citizen.locator('[data-test=rating] .el-radio').count(), 5);
  await citizen.goto(srv.base + `/cases/${id}/notice/decision`);
  await citizen.waitForSelector('[data-test=notice-title]');
  assert.equal(await citizen.locator('[data-test=notice-title]').innerText(), '准予行政许可决定书');
  const events = (await api.get(`/api/v1/cases/${id}`)).json.events.map((e) => e.action);
  assert.deepEqual(events.slice(0, 5), ['draft', 'submit', 'correction', 'resubmit', 'accept']);
  assert.equal(events.at(-1), 'approve');
  assert.deepEqual([...citizen.errors, ...window.errors, ...approver.errors, ...notice.errors, ...correctionNotice.errors], []);
});

test('window walk-in with a scanned material → 不予受理 with reasons and remedies', async () => {
  const window = await newPage();
  await signIn(window, 'window01');
  await window.click('[data-test=nav-window]');
  await window.click('[data-test=tab-walkin]');
  await window.fill('[data-test=walkin-item-search]', item.name);
  await window.click('[data-test=walkin-item-find]');
  await window.locator('[data-test=walkin-item-option]', { hasText: item.name }).first().click();
  await window.waitForSelector('[data-test=walkin-item]');
  await window.fill('[data-test=walkin-name]', '赵六');
  await window.fill('[data-test=walkin-id]', '11010519491231002X');
  await window.fill('[data-test=walkin-phone]', '13900139000');
  await window.click('[data-test=walkin-material-0]');
  // A text file dressed up as a PDF is refused by its content, and the page says so.
  await window.setInputFiles('[data-test=material-upload-0]', file('伪装.pdf', Buffer.from('just text')));
  await window.waitForSelector('.el-message--error');
  assert.match(await window.locator('.el-message--error').first().innerText(), /伪装\.pdf：文件类型不受支持/);
  assert.equal(await window.locator('[data-test=material-file]').count(), 0);
  await window.setInputFiles('[data-test=material-upload-0]', file('扫描件.png', pngBytes(), 'image/png'));
  await window.waitForSelector('[data-test=material-file]');
  await window.click('[data-test=walkin-submit]');
  await window.waitForURL(/\/cases\/\d+$/);
  const id = caseId(window);
  await caseState(window, '已接件');
  assert.match(await window.locator('[data-test=case-files]').innerText(), /扫描件\.png/);

  await window.click('[data-test=case-refuse]');
  await window.click('[data-test=refuse-reason-1]');
  await window.fill('[data-test=refuse-other]', '申请人已在异地办理同一事项');
  await confirmDialog(window);
  await caseState(window, '不予受理');
  assert.match(await window.locator('[data-test=case-timeline]').innerText(), /不属于本机关职权范围[\s\S]*异地办理/);
  await window.goto(srv.base + `/cases/${id}/notice/refuse`);
  await window.waitForSelector('[data-test=notice-title]');
  const text = await window.locator('.a4').innerText();
  assert.match(text, /不予受理通知书/);
  assert.match(text, /赵六/);
  assert.match(text, /行政复议/);
  const c = (await (await as(srv.base, 'window01')).get(`/api/v1/cases/${id}`)).json;
  assert.equal(c.channel, 'window');
  assert.deepEqual(c.form.materials, [item.materials[0].name]);
  assert.deepEqual(window.errors, []);
});

test('an applicant saves a draft, adds a file, submits it, withdraws (撤件), then edits the profile', async () => {
  // Signed out on the guide page: 在线申请 asks for sign-in and comes back to the form.
  const citizen = await newPage({ width: 375, height: 812 });
  await citizen.goto(srv.base + '/guide/' + encodeURIComponent(item.code));
  await citizen.click('[data-test=guide-apply]');
  await citizen.fill('[data-test=login-username]', 'xiangjiang_food');
  await citizen.fill('[data-test=login-password]', PASSWORD);
  await citizen.click('[data-test=login-submit]');
  await citizen.waitForSelector('[data-test=apply-title]');
  assert.match(citizen.url(), /\/apply\//);
  await citizen.click('[data-test=apply-draft]');
  await citizen.waitForURL(/\/cases\/\d+$/);
  await caseState(citizen, '草稿');
  await citizen.setInputFiles('[data-test=draft-box] [data-test=material-upload-0]', file('后补.pdf', pdfBytes('later')));
  await citizen.waitForSelector('[data-test=draft-box] [data-test=material-file]');
  await citizen.click('[data-test=case-submit]');
  await caseState(citizen, '已接件');
  await citizen.waitForFunction(() => /后补\.pdf/.test(document.querySelector('[data-test=case-files]').innerText));
  await citizen.click('[data-test=case-withdraw]');
  await citizen.click('.el-message-box__btns .el-button--primary');
  await caseState(citizen, '已撤件');
  assert.equal(await citizen.locator('[data-test=case-withdraw]').count(), 0, 'nothing more to withdraw');

  // 我的资料: a bad postcode is refused naming the field; a good one is kept for the next form.
  await citizen.goto(srv.base + '/my/cases');
  await citizen.click('[data-test=my-profile]');
  await citizen.waitForSelector('[data-test=profile-postcode]');
  await citizen.fill('[data-test=profile-postcode]', '4100');
  await citizen.click('[data-test=profile-save]');
  await citizen.waitForSelector('.el-form-item__error');
  assert.match(await citizen.locator('.el-form-item__error').first().innerText(), /邮政编码/);
  await citizen.fill('[data-test=profile-postcode]', '410006');
  await citizen.click('[data-test=profile-save]');
  await citizen.waitForSelector('.el-message--success');
  await citizen.goto(srv.base + '/apply/' + encodeURIComponent(item.code));
  await citizen.waitForSelector('[data-test=apply-title]');
  assert.equal(await citizen.inputValue('[data-test=apply-field-postcode]'), '410006');
  assert.deepEqual(citizen.errors, []);
});

test('容缺受理 → supply → 准予 → delivery → rating → QR code → public verify page', async () => {
  const api = await as(srv.base, 'zhangsan');
  // Every material but the tolerable one: 受理 needs the required ones in hand.
  const created = await api.post('/api/v1/cases', { item_code: item.code, materials: item.materials.filter((m) => !m.tolerable).map((m) => m.name) });
  const id = created.json.id;

  const window = await newPage();
  await signIn(window, 'window01');
  await window.goto(srv.base + `/cases/${id}`);
  await window.click('[data-test=case-accept]');
  // 容缺 only for what the guide marks tolerable; the dialog offers nothing else.
  const tolerable = item.materials.findIndex((m) => m.tolerable);
  assert.ok(tolerable >= 0, 'the item has a tolerable material');
  await window.click('[data-test=accept-mode-missing]');
  assert.equal(await window.locator('[data-test^=accept-missing-]').count(), item.materials.filter((m) => m.tolerable).length);
  await window.click(`[data-test=accept-missing-${tolerable}]`);
  await confirmDialog(window);
  await caseState(window, '已受理');

  const citizen = await newPage({ width: 375, height: 812 });
  await signIn(citizen, 'zhangsan');
  await citizen.goto(srv.base + `/cases/${id}`);
  await citizen.setInputFiles('[data-test=material-upload-0]', file('补交.pdf', pdfBytes('supplied')));
  await citizen.waitForSelector('[data-test=material-file]');
  await citizen.click('[data-test=supply-confirm]');
  await citizen.waitForFunction(() => !document.querySelector('[data-test=supply-confirm]'));

  const approver = await newPage();
  await signIn(approver, 'scjg_shenpi');
  await approver.goto(srv.base + `/cases/${id}`);
  await approver.waitForSelector('[data-test=case-title]');
  for (let guard = 0; guard < 8 && await approver.locator('[data-test=step-pass]').count(); guard++) {
    const before = await approver.locator('[data-test=case-timeline] .el-timeline-item').count();
    await approver.click('[data-test=step-pass]');
    await confirmDialog(approver);
    await approver.waitForFunction((n) => document.querySelectorAll('[data-test=case-timeline] .el-timeline-item').length > n, before);
  }
  await approver.click('[data-test=step-approve]');
  await approver.fill('[data-test=step-note]', '材料已补齐，准予许可'); // a decision needs the approver's opinion
  await confirmDialog(approver);
  await caseState(approver, '办结（准予）');

  await window.reload();
  await window.click('[data-test=case-deliver]');
  await window.click('[data-test=deliver-express]');
  await window.fill('[data-test=deliver-ref]', 'SF1234567890');
  await confirmDialog(window);
  await window.waitForFunction(() => /SF1234567890/.test(document.body.innerText));

  await citizen.reload();
  await citizen.click('[data-test=review-level-2]');
  await citizen.click('[data-test=review-submit]');
  await citizen.waitForSelector('[data-test=review-result]');
  assert.match(await citizen.locator('[data-test=review-result]').innerText(), /满意/);

  await citizen.goto(srv.base + `/cases/${id}/notice/decision`);
  const qr = citizen.locator('[data-test=notice-qr]');
  await qr.waitFor();
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the notice’s QR code loads');
  const c = (await api.get(`/api/v1/cases/${id}`)).json;
  const anon = await newPage({ width: 375, height: 812 });
  await anon.goto(new URL(c.verify_url, srv.base).href);
  await anon.waitForSelector('[data-test=verify-result]');
  assert.match(await anon.locator('[data-test=verify-result]').innerText(), new RegExp(c.case_no));
  assert.doesNotMatch(await anon.locator('[data-test=verify-result]').innerText(), /张三/, 'the name is masked');
  assert.deepEqual([...window.errors, ...citizen.errors, ...approver.errors, ...anon.errors], []);
});
