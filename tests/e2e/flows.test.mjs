// Browser tests of the case flows that need a moving clock, each on its own server:
// 并联审批 of a 一件事 with 超时默认; 特别程序 (suspend and resume) moving the promised day;
// 告知承诺 decided at the window and the follow-up check recorded by the approver.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as } from '../api/helpers.mjs';
import { pdfBytes } from '../api/samples.mjs';
import { launch, newPage, signIn, confirmDialog, caseState, moveTo, workday, until } from './browser.mjs';

const FOOD = '1143010000825175203011010001001'; // 食品经营许可(新办): 受理, 审查, 许可决定 (市场监管)
const RENEW = '1143010000825175203011010001003'; // 食品经营许可(延续): 告知承诺 allowed, check in 20 working days
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// A server whose background jobs run every second and whose clock the test moves.
async function server(t) {
  const srv = await startServer({ config: { tick_seconds: 1 }, clock: true });
  t.after(() => srv.stop());
  return srv;
}

// Every material the item's guide names: 受理 needs the required ones in hand.
async function allMaterials(client, code) {
  return (await client.get(`/api/v1/items/${code}`)).json.materials.map((m) => m.name);
}

// Passes the back-office steps until the decision, then 准予.
async function approveAll(page) {
  for (let guard = 0; guard < 8 && await page.locator('[data-test=step-pass]').count(); guard++) {
    const before = await page.locator('[data-test=case-timeline] .el-timeline-item').count();
    await page.click('[data-test=step-pass]');
    await confirmDialog(page);
    await page.waitForFunction((n) => document.querySelectorAll('[data-test=case-timeline] .el-timeline-item').length > n, before);
  }
  await page.click('[data-test=step-approve]');
  await page.fill('[data-test=step-note]', '经审查，符合法定条件，准予许可'); // the approver's opinion is required
  await confirmDialog(page);
  await caseState(page, '办结（准予）');
}

const parallelStates = (page) => page.locator('[data-test=parallel-row]').evaluateAll((rows) =>
  rows.map((r) => [r.cells[1].innerText, r.querySelector('[data-test=parallel-state]').innerText]));

test('并联审批: apply for a 一件事 → 受理 → one co-department agrees, one stays silent → 超时默认 → the lead approves', async (t) => {
  const srv = await server(t);
  // 湘江餐饮 (a company): two of the bundle's items serve organisations only, so a person may not apply
  const citizen = await newPage(browser, { width: 375, height: 812 });
  await signIn(citizen, srv.base, 'xiangjiang_food');
  await citizen.goto(srv.base + '/');
  await citizen.click('[data-test=home-bundles]');
  const bundle = citizen.locator('[data-test=bundle]', { hasText: '开办餐饮店一件事' });
  await bundle.locator('[data-test=bundle-apply]').click();
  await citizen.waitForSelector('[data-test=apply-title]');
  assert.match(await citizen.locator('[data-test=apply-title]').innerText(), /开办餐饮店一件事/);
  // One form with the materials of the four items, each named once.
  const names = await citizen.locator('[data-test=material-row] .material-name').allInnerTexts();
  for (const m of ['食品经营许可申请书', '户外广告设施设置申请表', '污水排入排水管网许可申请表', '特殊建设工程消防验收申请表']) {
    assert.ok(names.some((n) => n.includes(m)), m);
  }
  assert.equal(names.filter((n) => n.includes('营业执照')).length, 1, 'a material of several items is asked once');
  // One file per material, co-items' materials included, then the one application goes in.
  const inputs = await citizen.locator('input[data-test^=material-upload-]').evaluateAll((els) => els.map((e) => e.dataset.test));
  assert.ok(inputs.length >= 4, `upload inputs: ${inputs.length}`);
  for (const [k, sel] of inputs.entries()) {
    await citizen.setInputFiles(`[data-test=${sel}]`, { name: `材料${k}.pdf`, mimeType: 'application/pdf', buffer: pdfBytes(`bundle ${k}`) });
    await citizen.waitForFunction((n) => document.querySelectorAll('[data-test=material-file]').length >= n, k + 1);
  }
  // The phone is required; 提交申请 shows what will be submitted, 确认提交 sends it.
  await citizen.fill('[data-test=apply-field-phone]', '13800138000');
  await citizen.click('[data-test=apply-submit]');
  await citizen.waitForSelector('[data-test=apply-summary]');
  await citizen.click('[data-test=apply-confirm]');
  await citizen.waitForURL(/\/cases\/\d+$/);
  const id = Number(new URL(citizen.url()).pathname.split('/').pop());
  await caseState(citizen, '已接件');
  assert.match(await citizen.locator('.case-head').innerText(), /一件事：开办餐饮店一件事/);

  const window = await newPage(browser);
  await signIn(window, srv.base, 'window01');
  await window.goto(srv.base + `/cases/${id}`);
  await window.click('[data-test=case-accept]');
  await confirmDialog(window);
  await caseState(window, '已受理');
  const accepted = (await (await as(srv.base, 'window01')).get(`/api/v1/cases/${id}`)).json;
  const silent = accepted.parallel.find((p) => p.dept === '长沙市住房和城乡建设局');
  assert.ok(silent && silent.due_day, 'the 住建 co-item has its due day');

  // 城管 agrees to both its co-items from its inbox; 住建 stays silent.
  const cg = await newPage(browser);
  await signIn(cg, srv.base, 'cg_shenpi');
  await cg.goto(srv.base + '/office');
  await cg.click(`[data-test=inbox-row][href="/cases/${id}"]`);
  await cg.waitForSelector('[data-test=case-parallel]');
  assert.equal(await cg.locator('[data-test=step-pass]').count(), 0, 'a co-department does not handle the lead steps');
  for (let n = 0; n < 2; n++) {
    await cg.click('[data-test=case-opinion]');
    await cg.click('[data-test=opinion-item-0]');
    await cg.click('[data-test=opinion-agree]');
    await cg.fill('[data-test=opinion-text]', '门头招牌及排水方案符合要求');
    await confirmDialog(cg);
  }
  await cg.waitForFunction(() => !document.querySelector('[data-test=case-opinion]'));
  const afterCg = await parallelStates(cg);
  assert.deepEqual(afterCg.map(([, s]) => s).sort(), ['同意', '同意', '待反馈']);

  // Past the silent department's due day the opinion counts as given (超时默认).
  moveTo(srv, accepted.accepted_day, await workday(await as(srv.base, 'zhangsan'), silent.due_day, 1));
  const lead = await as(srv.base, 'scjg_shenpi');
  await until('超时默认', () => lead.get(`/api/v1/cases/${id}`),
    (r) => r.json.parallel?.every((p) => p.state !== 'pending'));
  const approver = await newPage(browser);
  await signIn(approver, srv.base, 'scjg_shenpi');
  await approver.goto(srv.base + `/cases/${id}`);
  await approver.waitForSelector('[data-test=case-parallel]');
  const states = await parallelStates(approver);
  assert.deepEqual(states.find(([name]) => name === silent.item_name), [silent.item_name, '超时默认同意']);
  assert.match(await approver.locator('[data-test=case-timeline]').innerText(), /超时默认同意/);
  await approveAll(approver);
  assert.deepEqual([...citizen.errors, ...window.errors, ...cg.errors, ...approver.errors], []);
});

test('特别程序: the approver suspends a case → the clock stops → resumes → the promised day moved', async (t) => {
  const srv = await server(t);
  const applicant = await as(srv.base, 'zhangsan');
  const id = (await applicant.post('/api/v1/cases', { item_code: FOOD, materials: await allMaterials(applicant, FOOD) })).json.id;
  const accepted = (await (await as(srv.base, 'window01')).post(`/api/v1/cases/${id}/accept`, {})).json;

  const approver = await newPage(browser);
  await signIn(approver, srv.base, 'scjg_shenpi');
  await approver.goto(srv.base + `/cases/${id}`);
  await approver.click('[data-test=case-suspend]');
  await approver.click('.el-dialog [data-test=dialog-confirm]');
  await approver.waitForSelector('.el-dialog .el-form-item__error');
  assert.match(await approver.locator('.el-dialog .el-form-item__error').first().innerText(), /\S/, 'the kind is required');
  await approver.click('[data-test=suspend-kind-7]');
  await approver.fill('[data-test=suspend-reason]', '需组织专家对经营布局进行评审');
  await approver.fill('[data-test=suspend-days] input', '15');
  await confirmDialog(approver);
  await caseState(approver, '特别程序中');
  assert.match(await approver.locator('[data-test=case-clock]').innerText(), /计时暂停/);
  assert.match(await approver.locator('[data-test=case-timeline]').innerText(), /专家评审，最长 15 日/);

  // Three working days of 专家评审, then the clock runs again.
  moveTo(srv, accepted.accepted_day, await workday(applicant, accepted.accepted_day, 3));
  const moved = await workday(applicant, accepted.promised_day, 3);
  const again = await newPage(browser);
  await signIn(again, srv.base, 'scjg_shenpi');
  await again.goto(srv.base + `/cases/${id}`);
  await again.click('[data-test=case-resume]');
  await caseState(again, '已受理');
  const clock = await again.locator('[data-test=case-clock]').innerText();
  assert.match(clock, new RegExp(moved), `the promised day moved from ${accepted.promised_day} to ${moved}`);
  assert.doesNotMatch(clock, /计时暂停/);
  assert.match(clock, /特别程序（工作日）\s*3/);
  assert.deepEqual([...approver.errors, ...again.errors], []);
});

test('告知承诺: the window accepts on a signed commitment → decided at once → the approver records the follow-up check', async (t) => {
  const srv = await server(t);
  const company = await as(srv.base, 'xiangjiang_food');
  const id = (await company.post('/api/v1/cases', { item_code: RENEW, materials: await allMaterials(company, RENEW) })).json.id;

  const window = await newPage(browser);
  await signIn(window, srv.base, 'window01');
  await window.goto(srv.base + `/cases/${id}`);
  await window.click('[data-test=case-accept]');
  await window.click('[data-test=accept-mode-commitment]');
  assert.notEqual(await window.inputValue('[data-test=commitment-signed-by]'), '', 'the applicant signs');
  await confirmDialog(window);
  await caseState(window, '办结（准予）');
  assert.match(await window.locator('.case-head').innerText(), /告知承诺/);
  const c = (await (await as(srv.base, 'window01')).get(`/api/v1/cases/${id}`)).json;
  assert.ok(c.commitment && c.followup_due_day);
  assert.match(await window.locator('.case-info').innerText(), new RegExp(`${c.followup_due_day} 前核查`));

  const approver = await newPage(browser);
  await signIn(approver, srv.base, 'scjg_shenpi');
  await approver.goto(srv.base + `/cases/${id}`);
  await approver.click('[data-test=case-followup]');
  await approver.click('[data-test=followup-fail]');
  await approver.click('.el-dialog [data-test=dialog-confirm]');
  await approver.waitForSelector('.el-dialog .el-form-item__error');
  assert.match(await approver.locator('.el-dialog .el-form-item__error').first().innerText(), /情况/, '不合格 needs a note');
  await approver.click('[data-test=followup-pass]');
  await approver.fill('[data-test=followup-note]', '现场核查，经营条件与承诺一致');
  await confirmDialog(approver);
  await approver.waitForFunction(() => /结果：合格/.test(document.querySelector('.case-info')?.innerText));
  assert.equal(await approver.locator('[data-test=case-followup]').count(), 0, 'the check is recorded once');
  assert.equal((await (await as(srv.base, 'scjg_shenpi')).get(`/api/v1/cases/${id}`)).json.followup_result, '合格');
  assert.deepEqual([...window.errors, ...approver.errors], []);
});
