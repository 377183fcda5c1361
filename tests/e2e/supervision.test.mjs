// Browser test of 电子监察 and 督办 with a movable server clock: a case accepted and left idle goes
// past its promised day; the supervisor's 电子监察 page shows it with 黄牌 and sends a 督办 order
// from its row; the department admin answers it on the 督办与黄红牌 page; the supervisor closes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as } from '../api/helpers.mjs';
import { launch, newPage, signIn, moveTo, workday, until } from './browser.mjs';

const FOOD = '1143010000825175203011010001001'; // 食品经营许可(新办), 长沙市市场监督管理局, 5 working days
let srv, browser;
before(async () => {
  srv = await startServer({ config: { tick_seconds: 1 }, clock: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('an idle case turns 黄牌 → the supervisor sends 督办 → the department answers → the supervisor closes it', async () => {
  const guide = (await new Client(srv.base).get(`/api/v1/items/${FOOD}`)).json;
  const applicant = await as(srv.base, 'zhangsan');
  const id = (await applicant.post('/api/v1/cases', { item_code: FOOD, materials: guide.materials.map((m) => m.name) })).json.id;
  const accepted = await (await as(srv.base, 'window01')).post(`/api/v1/cases/${id}/accept`, {});
  assert.equal(accepted.status, 200, JSON.stringify(accepted.json));
  const { case_no: caseNo, accepted_day: today, promised_day: promised } = accepted.json;

  // Two working days past the promised day: overdue, not yet by more than three (红牌).
  moveTo(srv, today, await workday(applicant, promised, 2));
  const supervisorApi = await as(srv.base, 'jiandu01');
  await until('the 黄牌', () => supervisorApi.get('/api/v1/supervision/signals'),
    (r) => r.json.items?.some((s) => s.id === id && s.level === 2));

  const supervisor = await newPage(browser);
  await signIn(supervisor, srv.base, 'jiandu01');
  await supervisor.goto(srv.base + '/admin/supervision');
  await supervisor.waitForSelector('[data-test=supervision-summary]');
  assert.ok(Number(await supervisor.locator('[data-test=sv-yellow]').innerText()) >= 1);
  const row = supervisor.locator('.el-table__row', { has: supervisor.locator(`[data-test=signal-case][href="/cases/${id}"]`) });
  await row.waitFor();
  assert.equal(await row.locator('[data-test=level-tag]').first().innerText(), '黄牌');
  assert.match(await row.innerText(), /超期 2 个工作日/);

  await row.locator('[data-test=signal-order]').click();
  await supervisor.waitForSelector('[data-test=order-form]');
  assert.match(await supervisor.inputValue('[data-test=order-title-input]'), /黄牌/);
  assert.match(await supervisor.inputValue('[data-test=order-form] .el-date-editor input'), /^\d{4}-\d{2}-\d{2}$/, 'a due day is proposed');
  await supervisor.fill('[data-test=order-content]', '该件已超过承诺办结时限，请说明原因并于期限内办结。');
  await supervisor.click('[data-test=order-submit]');
  await supervisor.waitForSelector('.el-message--success');
  await supervisor.click('[data-test=tab-orders]');
  const sent = supervisor.locator('[data-test=orders-list] .el-table__row').first();
  await sent.waitFor();
  assert.match(await sent.innerText(), new RegExp(caseNo));
  assert.equal(await sent.locator('[data-test=order-state]').innerText(), '待答复');

  // The case page shows the signal, the cards and the step clocks.
  const casePage = await newPage(browser);
  await signIn(casePage, srv.base, 'jiandu01');
  await casePage.goto(srv.base + `/cases/${id}`);
  await casePage.waitForSelector('[data-test=case-cards]');
  assert.match(await casePage.locator('.case-head-state').innerText(), /黄牌/);
  assert.match(await casePage.locator('[data-test=case-cards]').innerText(), /黄牌：超期/);
  const stepClock = await casePage.locator('[data-test=step-clock]').last().innerText();
  assert.match(stepClock, /审查[\s\S]*办理中[\s\S]*红牌/, 'the running step, overdue by more than three working days');

  // The department admin answers on the department's page.
  const dept = await newPage(browser);
  await signIn(dept, srv.base, 'scjg_admin');
  await dept.goto(srv.base + '/admin');
  await dept.click('.admin-menu >> text=督办与黄红牌');
  const mine = dept.locator('[data-test=orders-list] .el-table__row').first();
  await mine.waitFor();
  assert.match(await mine.innerText(), new RegExp(caseNo));
  await mine.locator('[data-test=order-answer-open]').click();
  await dept.click('[data-test=order-answer-submit]');
  await dept.waitForSelector('.el-form-item__error');
  assert.match(await dept.locator('.el-form-item__error').first().innerText(), /\S/, 'an empty answer is refused, naming the field');
  await dept.fill('[data-test=order-answer-text]', '已完成现场核查，今日作出许可决定。');
  await dept.click('[data-test=order-answer-submit]');
  await dept.waitForFunction(() => document.querySelector('[data-test=order-state]')?.innerText === '已答复');
  await dept.click('[data-test=tab-cards]');
  await dept.locator('[data-test=cards-list] [data-test=card-case]').first().waitFor();
  assert.match(await dept.locator('[data-test=cards-list]').innerText(), /黄牌/);

  // The supervisor sees the answer and closes the order.
  await supervisor.reload();
  await supervisor.click('[data-test=tab-orders]');
  const answered = supervisor.locator('[data-test=orders-list] .el-table__row').first();
  await answered.locator('[data-test=order-close]').waitFor();
  assert.match(await answered.locator('[data-test=order-answer]').innerText(), /现场核查/);
  await answered.locator('[data-test=order-close]').click();
  await supervisor.waitForFunction(() => document.querySelector('[data-test=order-state]')?.innerText === '已办结');
  const order = (await supervisorApi.get('/api/v1/supervision/orders')).json.items.find((o) => o.case_id === id);
  assert.equal(order.state, 'closed');
  assert.deepEqual([...supervisor.errors, ...casePage.errors, ...dept.errors], []);
});
