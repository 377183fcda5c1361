// Browser tests of the 12345 hotline's desk (web/app/pages/hotline/console.js, orders.js, detail.js):
// an operator takes a call at the 话务台 (the caller's earlier orders and pushed call, suggestions and
// knowledge-base answers as they type, the number and query code, 派单 to the suggested unit); a unit
// signs for it, asks for an extension the centre approves, and replies; the centre approves the reply,
// calls back 不满意 and reopens it (重办); a unit returns a misrouted order and the centre re-dispatches
// it; 直接办结 from a knowledge-base answer; a 422 shown at its field; a unit cannot open an order
// never sent to it. The suggestion model learns from a former system's history imported before the
// server starts (`yiwang hotline import-history`), as a city would bring it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, newCity, cli, Client, as } from '../api/helpers.mjs';
import { launch, newPage as openPage, signIn, confirmDialog } from './browser.mjs';

// A former system's closed orders: what the model learns the 渣土 and 物业 matters and units from.
const HISTORY = [
  ['渣土车夜间抛洒，路面全是泥土', '渣土运输', '长沙市城市管理和综合执法局'],
  ['渣土车不盖篷布，沿路撒漏泥土', '渣土运输', '长沙市城市管理和综合执法局'],
  ['工地渣土车带泥上路，路面很脏', '渣土运输', '长沙市城市管理和综合执法局'],
  ['渣土车半夜拉土掉了一路', '渣土运输', '长沙市城市管理和综合执法局'],
  ['物业公司不修电梯，电梯经常停运', '物业管理', '长沙市住房和城乡建设局'],
  ['小区物业乱收停车费', '物业管理', '长沙市住房和城乡建设局'],
  ['物业不清理楼道杂物', '物业管理', '长沙市住房和城乡建设局'],
  ['酒吧音乐声持续到凌晨', '噪声污染', '长沙市生态环境局'],
  ['商铺大音量播放广告扰民', '噪声污染', '长沙市生态环境局'],
];

let srv, browser, op, admin, u1, u2, units, callKey;
before(async () => {
  const city = newCity({ demo: true });
  const file = path.join(city.dir, 'history.csv');
  writeFileSync(file, ['title,text,category,matter,unit,created_at',
    ...HISTORY.map(([text, matter, unit]) => `,${text},投诉,${matter},${unit},2025-06-01 09:30`)].join('\n') + '\n');
  cli(city, ['hotline', 'import-history', file]);
  callKey = cli(city, ['hotline', 'key', 'add', '呼叫中心']).trim();
  srv = await startServer({ db: city.db, config: { tick_seconds: 1 } });
  browser = await launch();
  [op, admin, u1, u2] = await Promise.all(['rexian01', 'center_admin', 'chengban01', 'chengban02'].map((u) => as(srv.base, u)));
  const d = (await new Client(srv.base).get('/api/v1/departments')).json.items;
  const id = (name) => d.find((x) => x.name === name).id;
  units = { cg: id('长沙市城市管理和综合执法局'), zj: id('长沙市住房和城乡建设局') };
  // the model has learnt the history
  for (let i = 0; ; i++) {
    const r = await op.get('/api/v1/hotline/suggest?text=' + encodeURIComponent('渣土车'));
    if (r.json.trained_on > 0) break;
    if (i > 100) throw new Error('the suggestion model was never trained');
    await new Promise((ok) => setTimeout(ok, 200));
  }
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

async function state(page, label) {
  await page.waitForFunction((l) => document.querySelector('.admin-head [data-test=order-state]')?.innerText.includes(l), label);
}

// Waits until no select's dropdown is on the screen (one closing still is while it fades out).
async function dropdownsGone(page) {
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-select-dropdown')]
    .some((e) => e.getClientRects().length && getComputedStyle(e.closest('.el-popper') || e).display !== 'none'));
}

// Picks an option of an el-select by its visible text (after any other dropdown has gone, so that
// the option is this select's).
async function choose(page, selector, text) {
  await dropdownsGone(page);
  await page.click(selector);
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

let seq = 0;
async function newOrder(body = {}) {
  seq += 1;
  return ok(op.post('/api/v1/hotline/orders', {
    channel: 'phone', category: 'complaint', caller_phone: `1390731${String(seq).padStart(4, '0')}`,
    text: `芙蓉区文艺路某小区门口的路灯坏了一个月，第${seq}次反映`, district: '430102', ...body,
  }), 'intake');
}
async function dispatched(unit, body = {}) {
  const o = await newOrder(body);
  return ok(op.post(`/api/v1/hotline/orders/${o.id}/dispatch`, { unit_id: unit }), 'dispatch');
}

let taken; // the order journey (a) takes, journey (b) carries on

test('(a) rexian01 takes a call: earlier orders, suggestions and a kb answer as they type, number and query code, 派单 to the suggested unit', async () => {
  const phone = '13807310001';
  const earlier = await newOrder({ caller_phone: phone, text: '小区门口垃圾桶满溢无人清理' });
  const r = await new Client(srv.base).req('POST', '/api/v1/hotline/call-events',
    { call_id: 'CC-20261203-0001', caller: phone, agent: '1008', started_at: Math.floor(Date.now() / 1000) - 60 }, { 'X-API-Key': callKey });
  assert.equal(r.status, 201, r.text);

  const page = await newPage(browser);
  await signIn(page, srv.base, 'rexian01');
  await page.waitForURL(/\/admin\/hotline\/console$/); // the operator lands on the console
  assert.equal(await page.locator('.main-nav [data-test=nav-hotline]').innerText(), '12345工单');
  assert.equal(await page.locator('.main-nav a', { hasText: '管理后台' }).count(), 0);
  assert.deepEqual((await page.locator('.admin-menu .el-menu-item').allInnerTexts()).map((s) => s.trim()), ['话务台', '工单管理', '热线排名', '热线数据看板', '热线知识库']);

  await page.fill('[data-test=console-phone]', '138-0731-0001');
  await page.locator('[data-test=console-earlier]', { hasText: earlier.number }).waitFor();
  assert.equal((await page.locator('[data-test=console-call]').innerText()).trim(), 'CC-20261203-0001', 'the pushed call is linked');

  await page.click('[data-test=category-complaint]');
  await page.locator('[data-test=console-text]').pressSequentially('渣土车夜里抛洒泥土，', { delay: 20 });
  await page.locator('[data-test=console-text]').pressSequentially('芙蓉路上全是泥', { delay: 20 });
  const unit = page.locator('[data-test=suggest-unit]').first();
  await unit.waitFor();
  assert.match(await unit.innerText(), /长沙市城市管理和综合执法局\s*\d+%/);
  assert.match(await page.locator('[data-test=suggest-matter]').first().innerText(), /渣土运输\s*\d+%/);
  await page.locator('[data-test=kb-item]', { hasText: '渣土车抛洒滴漏的投诉' }).waitFor();
  await page.locator('[data-test=suggest-matter]').first().click();
  await page.locator('.el-form-item', { hasText: '事项分类' }).locator('.el-select', { hasText: '渣土运输' }).waitFor();
  await unit.click();
  await page.fill('[data-test=console-name]', '刘先生');
  await page.click('[data-test=console-create]');

  await page.waitForSelector('[data-test=console-created]');
  const number = (await page.locator('[data-test=created-number]').innerText()).trim();
  const code = (await page.locator('[data-test=created-code]').innerText()).trim();
  assert.match(number, /^RX\d{13}$/);
  assert.match(code, /^[2-9A-HJKMNP-Z]{12}$/);
  assert.match(await page.locator('[data-test=dispatch-unit]').innerText(), /长沙市城市管理和综合执法局/, 'the clicked suggestion is the dispatch unit');
  await page.click('[data-test=dispatch-submit]');
  await page.locator('[data-test=console-dispatched]', { hasText: '已派单至长沙市城市管理和综合执法局' }).waitFor();

  const list = await ok(op.get('/api/v1/hotline/orders?q=' + number), 'list');
  assert.equal(list.total, 1);
  taken = await ok(op.get(`/api/v1/hotline/orders/${list.items[0].id}`), 'detail');
  assert.equal(taken.state, 'dispatched');
  assert.equal(taken.unit_id, units.cg);
  assert.equal(taken.matter, '渣土运输');
  assert.equal(taken.caller_phone, '13807310001');
  assert.deepEqual(taken.earlier.map((e) => e.number), [earlier.number]);
  // the citizen can follow it with the code read out
  const pub = await new Client(srv.base).get(`/api/v1/hotline/public/orders/${number}?code=${code}`);
  assert.equal(pub.status, 200, pub.text);
  const calls = await ok(op.get('/api/v1/hotline/calls?caller=' + phone), 'calls');
  assert.equal(calls.items[0].order_number, number, 'the call links the order');
  // the next call starts from a blank form
  await page.click('[data-test=console-next]');
  assert.equal(await page.locator('[data-test=console-text]').inputValue(), '');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('(b) the unit signs, asks for an extension the centre approves, replies; 办结, 回访 不满意, 重办', async () => {
  assert.ok(taken, 'journey (a) took the order');
  const url = `${srv.base}/admin/hotline/orders/${taken.id}`;
  const unit = await newPage(browser);
  await signIn(unit, srv.base, 'chengban01');
  await unit.waitForURL(/\/admin\/hotline\/orders$/); // the unit lands on its orders, the 待办 tab
  assert.deepEqual((await unit.locator('.admin-menu .el-menu-item').allInnerTexts()).map((s) => s.trim()), ['工单管理', '热线排名', '热线知识库']);
  assert.equal(await unit.locator('.main-nav [data-test=nav-hotline]').innerText(), '12345工单');
  await unit.locator('[data-test=order-link]', { hasText: taken.number }).click();
  await unit.waitForURL(url);
  await state(unit, '待签收');
  assert.match(await unit.locator('[data-test=order-phone]').innerText(), /13807310001/);
  assert.equal(await unit.locator('[data-test=act-reply]').count(), 0, 'no reply before signing');
  await unit.click('[data-test=act-sign]');
  await confirmDialog(unit);
  await state(unit, '办理中');
  // the extension
  await unit.click('[data-test=act-extension]');
  await unit.fill('[data-test=ext-reason]', '短');
  await unit.click('.el-dialog [data-test=dialog-confirm]');
  await unit.locator('.el-dialog .el-form-item__error', { hasText: '不少于5个字' }).waitFor();
  await unit.fill('[data-test=ext-reason]', '需协调运输企业和工地，现场取证需要时间');
  await confirmDialog(unit);
  await unit.locator('[data-test=extension-state]', { hasText: '待审批' }).waitFor();
  assert.equal(await unit.locator('[data-test=act-extension]').count(), 0, 'one waiting request at a time');

  const centre = await newPage(browser);
  await signIn(centre, srv.base, 'center_admin');
  await centre.goto(url);
  await state(centre, '办理中');
  const before = (await ok(admin.get(`/api/v1/hotline/orders/${taken.id}`), 'detail')).due_at;
  await centre.locator('[data-test^=act-decide-]').click();
  await centre.click('[data-test=decide-approve]');
  await centre.fill('[data-test=decide-note]', '同意延期3个工作日');
  await confirmDialog(centre);
  await centre.locator('[data-test=extension-state]', { hasText: '已同意' }).waitFor();
  const after = (await ok(admin.get(`/api/v1/hotline/orders/${taken.id}`), 'detail')).due_at;
  assert.ok(after >= before + 3 * 86400, `the due time moved on: ${before} → ${after}`);

  // the reply: too short is refused at the field, then sent
  await unit.reload();
  await state(unit, '办理中');
  await unit.click('[data-test=act-reply]');
  await unit.fill('[data-test=reply-text]', '已处理。');
  await unit.click('.el-dialog [data-test=dialog-confirm]');
  await unit.locator('.el-dialog .el-form-item__error', { hasText: '10至4000' }).waitFor();
  await unit.fill('[data-test=reply-text]', '已对涉事运输企业立案查处，督促工地落实冲洗和密闭运输，路面已安排环卫清扫。');
  await confirmDialog(unit);
  await state(unit, '待审核');

  // the operator approves the reply and calls back: 不满意
  const desk = await newPage(browser);
  await signIn(desk, srv.base, 'rexian01');
  await desk.goto(url);
  await state(desk, '待审核');
  await desk.click('[data-test=act-review]');
  await desk.click('[data-test=review-approve]');
  await confirmDialog(desk);
  await state(desk, '已办结');
  assert.match(await desk.locator('[data-test=order-reply]').innerText(), /立案查处/);
  assert.equal(await desk.locator('[data-test=act-reopen]').count(), 0, 'an operator does not reopen');
  await desk.click('[data-test=act-callback]');
  await desk.click('[data-test=cb-dissatisfied]');
  await desk.click('[data-test=cb-unsolved]');
  await desk.fill('[data-test=cb-note]', '市民表示夜间仍有渣土车抛洒');
  await confirmDialog(desk);
  await state(desk, '已回访');
  assert.match(await desk.locator('[data-test=order-callbacks]').innerText(), /不满意，未解决/);

  // the centre's admin reopens it (once)
  await centre.reload();
  await state(centre, '已回访');
  await centre.click('[data-test=act-reopen]');
  await centre.click('.el-dialog [data-test=dialog-confirm]');
  await centre.locator('.el-dialog .el-form-item__error', { hasText: '重办的理由' }).waitFor();
  await centre.fill('[data-test=dlg-note]', '回访不满意，夜间问题仍存在，请重新核查');
  await confirmDialog(centre);
  await state(centre, '待签收');
  assert.equal(await centre.locator('[data-test=act-reopen]').count(), 0);
  const steps = await centre.locator('[data-test=order-step]').allInnerTexts();
  assert.ok(steps.some((s) => s.includes('重办')), 'the step timeline has 重办');
  assert.ok(steps.some((s) => s.includes('签收') && s.includes('承办单位')), 'the time before 签收 counts against the unit');
  const o = await ok(admin.get(`/api/v1/hotline/orders/${taken.id}`), 'detail');
  assert.equal(o.reopen_count, 1);
  assert.equal(o.unit_id, units.cg);
  for (const p of [unit, centre, desk]) assert.deepEqual(p.errors, []);
  await Promise.all([unit, centre, desk].map((p) => p.context().close()));
});

test('(c) a unit returns a misrouted order with its reason; the operator re-dispatches it to another unit', async () => {
  const o = await dispatched(units.cg, { text: '小区物业公司长期不维修电梯，老人上下楼困难' });
  const unit = await newPage(browser);
  await signIn(unit, srv.base, 'chengban01');
  await unit.goto(`${srv.base}/admin/hotline/orders/${o.id}`);
  await state(unit, '待签收');
  await unit.click('[data-test=act-return]');
  await unit.fill('[data-test=return-reason]', '物业');
  await unit.click('.el-dialog [data-test=dialog-confirm]');
  await unit.locator('.el-dialog .el-form-item__error', { hasText: '不少于5个字' }).waitFor();
  await unit.fill('[data-test=return-reason]', '物业服务监管属住建部门职责，不属于城管执法范围');
  await choose(unit, '[data-test=return-unit]', '长沙市住房和城乡建设局');
  await confirmDialog(unit);
  await state(unit, '退单待审');
  assert.equal(await unit.locator('[data-test=act-reply]').count(), 0);

  const desk = await newPage(browser);
  await signIn(desk, srv.base, 'rexian01');
  await desk.goto(`${srv.base}/admin/hotline/orders?tab=&state=returned`);
  await desk.locator('[data-test=order-link]', { hasText: o.number }).click();
  await state(desk, '退单待审');
  assert.match(await desk.locator('[data-test=order-returns]').innerText(), /不属于城管执法范围/);
  await desk.click('[data-test=act-return-review]');
  // the unit that returned it cannot have it back
  await choose(desk, '[data-test=dlg-unit]', '长沙市城市管理和综合执法局');
  await desk.click('.el-dialog [data-test=dialog-confirm]');
  await desk.locator('.el-dialog .el-form-item__error', { hasText: '不能改派给退单的单位' }).waitFor();
  await choose(desk, '[data-test=dlg-unit]', '长沙市住房和城乡建设局');
  await desk.fill('[data-test=dlg-note]', '同意退单，改派住建局');
  await confirmDialog(desk);
  await state(desk, '待签收');
  assert.equal((await desk.locator('[data-test=order-unit]').innerText()).trim(), '长沙市住房和城乡建设局');
  assert.match(await desk.locator('[data-test=order-returns]').innerText(), /已同意/);
  const x = await ok(u2.get(`/api/v1/hotline/orders/${o.id}`), 'the new unit sees it');
  assert.equal(x.state, 'dispatched');
  assert.deepEqual(x.steps.map((s) => s.action).slice(-2), ['return', 'redispatch']);
  for (const p of [unit, desk]) assert.deepEqual(p.errors, []);
  await Promise.all([unit, desk].map((p) => p.context().close()));
});

test('(d) 直接办结 from a knowledge-base answer at the console', async () => {
  const page = await newPage(browser);
  await signIn(page, srv.base, 'rexian01');
  await page.waitForURL(/\/admin\/hotline\/console$/);
  await page.fill('[data-test=console-phone]', '13807310004');
  await page.waitForSelector('[data-test=console-no-earlier]');
  await page.fill('[data-test=console-text]', '渣土车把路上弄得全是泥怎么办');
  const item = page.locator('[data-test=kb-item]', { hasText: '渣土车抛洒滴漏的投诉' });
  await item.locator('[data-test=kb-use]').click();
  await page.waitForSelector('[data-test=console-direct-close]');
  assert.match(await page.locator('[data-test=answer-text]').inputValue(), /密闭运输/);
  await page.click('[data-test=console-direct-close]');
  await page.waitForSelector('[data-test=console-created]');
  assert.match(await page.locator('[data-test=console-created] .el-result__title').innerText(), /已直接办结/);
  const number = (await page.locator('[data-test=created-number]').innerText()).trim();
  assert.equal(await page.locator('[data-test=dispatch-submit]').count(), 0, 'nothing to dispatch');
  const o = (await ok(op.get('/api/v1/hotline/orders?phone=13807310004'), 'list')).items[0];
  assert.equal(o.number, number);
  const d = await ok(op.get(`/api/v1/hotline/orders/${o.id}`), 'detail');
  assert.equal(d.state, 'closed');
  assert.equal(d.direct, true);
  assert.equal(d.category, 'consult', 'an answered call is a 咨询 unless chosen otherwise');
  assert.equal(d.kb_article.title, '渣土车抛洒滴漏的投诉');
  assert.match(d.reply, /密闭运输/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('(e) a 422 is shown at its field and nothing is stored', async () => {
  const page = await newPage(browser);
  await signIn(page, srv.base, 'rexian01');
  await page.waitForURL(/\/admin\/hotline\/console$/);
  await page.fill('[data-test=console-phone]', '13807310005');
  await page.click('[data-test=category-help]');
  await page.fill('[data-test=console-text]', '太吵');
  await page.click('[data-test=console-channel]');
  await page.locator('.el-select-dropdown__item:visible', { hasText: '媒体信箱' }).click();
  await page.click('[data-test=console-create]');
  const textItem = page.locator('.el-form-item', { has: page.locator('[data-test=console-text]') });
  await textItem.locator('.el-form-item__error').waitFor();
  assert.match(await textItem.locator('.el-form-item__error').innerText(), /5/);
  assert.match(await page.locator('[data-test=console-form]').innerText(), /来源|source/, 'the missing source is named too');
  assert.equal(await page.locator('[data-test=console-created]').count(), 0);
  assert.equal((await ok(op.get('/api/v1/hotline/orders?phone=13807310005'), 'list')).total, 0, 'nothing stored');
  // corrected, it goes through
  await page.fill('[data-test=console-source]', '长沙晚报民生信箱');
  await page.fill('[data-test=console-text]', '小区门口道路积水严重，请尽快疏通');
  await page.click('[data-test=console-create]');
  await page.waitForSelector('[data-test=console-created]');
  assert.equal(await textItem.count(), 0);
  const o = (await ok(op.get('/api/v1/hotline/orders?phone=13807310005'), 'list')).items[0];
  assert.equal(o.source_name, '长沙晚报民生信箱');
  assert.equal(o.channel, 'media');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('(f) a unit cannot see an order not dispatched to it', async () => {
  const other = await dispatched(units.zj, { text: '物业在小区绿地上私自建停车位' });
  const mine = await dispatched(units.cg, { text: '人行道上流动摊贩长期占道经营' });
  const page = await newPage(browser);
  await signIn(page, srv.base, 'chengban01');
  await page.waitForSelector('[data-test=order-link]');
  await page.click('[data-test=orders-tab-all]');
  await page.locator('[data-test=order-link]', { hasText: mine.number }).waitFor();
  assert.equal(await page.locator('[data-test=order-link]', { hasText: other.number }).count(), 0, 'not in its list');
  await page.goto(`${srv.base}/admin/hotline/orders/${other.id}`);
  await page.locator('[data-test=order-error]', { hasText: '无权查看' }).waitFor();
  assert.equal(await page.locator('[data-test=order-number]').count(), 0);
  // nor the console
  await page.goto(`${srv.base}/admin/hotline/console`);
  await page.locator('.el-result__title', { hasText: '无权访问' }).waitFor();
  assert.equal((await u1.get(`/api/v1/hotline/orders/${other.id}`)).status, 404);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('(g) 并单 from the candidates, a co-unit signs and gives its opinion, 督办 by the supervisor, a 会商 record', async () => {
  const main = await dispatched(units.cg, { text: '岳麓区望月湖小区旁工地夜间施工，噪音很大，影响休息', district: '430104', address: '岳麓区望月湖' });
  await ok(op.post(`/api/v1/hotline/orders/${main.id}/dispatch`, { unit_id: units.cg, co_unit_ids: [units.zj] }), '改派 with a co-unit');
  const dup = await newOrder({ text: '岳麓区望月湖小区旁工地夜间施工噪音很大，影响休息', district: '430104', address: '岳麓区望月湖' });

  const desk = await newPage(browser);
  await signIn(desk, srv.base, 'rexian01');
  await desk.goto(`${srv.base}/admin/hotline/orders/${dup.id}`);
  await state(desk, '待派单');
  await desk.click('[data-test=act-merge]');
  const cand = desk.locator('[data-test=merge-candidate]', { hasText: main.number });
  await cand.waitFor();
  assert.match(await cand.innerText(), /相似度 \d+%/);
  await cand.click();
  await confirmDialog(desk);
  await state(desk, '已并单');
  await desk.click('[data-test=order-merged-into]');
  await desk.waitForURL(`${srv.base}/admin/hotline/orders/${main.id}`);
  await desk.locator('[data-test=order-merged]', { hasText: dup.number }).waitFor();

  // the co-unit signs for its part and gives its opinion; it does not reply
  const co = await newPage(browser);
  await signIn(co, srv.base, 'chengban02');
  await co.goto(`${srv.base}/admin/hotline/orders/${main.id}`);
  await state(co, '待签收');
  assert.match(await co.locator('[data-test=order-actions]').innerText(), /协办单位/);
  assert.equal(await co.locator('[data-test=act-reply]').count(), 0);
  assert.equal(await co.locator('[data-test=act-return]').count(), 0);
  await co.click('[data-test=act-sign]');
  await confirmDialog(co);
  await co.waitForSelector('[data-test=act-opinion]');
  await co.click('[data-test=act-opinion]');
  await co.fill('[data-test=opinion-text]', '该工地施工许可由住建局核发，已通知建设单位停止夜间施工。');
  await confirmDialog(co);
  await co.locator('[data-test=order-units]', { hasText: '已通知建设单位停止夜间施工' }).waitFor();

  // 督办 by the supervisor
  const sup = await newPage(browser);
  await signIn(sup, srv.base, 'jiandu01');
  await sup.goto(`${srv.base}/admin/hotline/orders/${main.id}`);
  await state(sup, '待签收');
  assert.equal(await sup.locator('[data-test=act-dispatch], [data-test=act-redispatch], [data-test=act-merge]').count(), 0, 'the supervisor does not dispatch');
  await sup.click('[data-test=act-supervise]');
  await sup.fill('[data-test=supervise-note]', '群众反映强烈，请加快办理');
  await confirmDialog(sup);
  await sup.locator('[data-test=order-step]', { hasText: '督办' }).waitFor();

  // the centre's 会商 record
  const centre = await newPage(browser);
  await signIn(centre, srv.base, 'center_admin');
  await centre.goto(`${srv.base}/admin/hotline/orders/${main.id}`);
  await centre.click('[data-test=act-consult]');
  await centre.click('.el-dialog [data-test=dialog-confirm]');
  await centre.locator('.el-dialog .el-form-item__error', { hasText: '会商结论' }).waitFor();
  await choose(centre, '[data-test=consult-units]', '长沙市城市管理和综合执法局');
  await centre.keyboard.press('Escape');
  await choose(centre, '[data-test=consult-units]', '长沙市住房和城乡建设局');
  await centre.keyboard.press('Escape');
  await dropdownsGone(centre);
  assert.equal((await centre.locator('[data-test=consult-units] .el-tag').count()), 2, 'two units picked');
  await centre.click('[data-test=consult-time] input');
  await centre.locator('.el-picker-panel__footer .el-button:visible', { hasText: '此刻' }).click();
  await centre.fill('[data-test=consult-place]', '市政务服务中心3楼会议室');
  await centre.fill('[data-test=consult-decision]', '由城管执法局牵头，住建局配合，夜间施工一律停止。');
  await choose(centre, '[data-test=consult-lead]', '长沙市城市管理和综合执法局');
  await confirmDialog(centre);
  const rec = await centre.locator('[data-test=order-consultations]').innerText();
  assert.match(rec, /市政务服务中心3楼会议室/);
  assert.match(rec, /长沙市城市管理和综合执法局、长沙市住房和城乡建设局|长沙市住房和城乡建设局、长沙市城市管理和综合执法局/);
  const o = await ok(admin.get(`/api/v1/hotline/orders/${main.id}`), 'detail');
  assert.equal(o.supervise_count, 1);
  assert.equal(o.consultations.length, 1);
  assert.equal(o.consultations[0].lead_unit_id, units.cg);
  assert.deepEqual(o.merged.map((m) => m.number), [dup.number]);
  for (const p of [desk, co, sup, centre]) assert.deepEqual(p.errors, []);
  await Promise.all([desk, co, sup, centre].map((p) => p.context().close()));
});

test('(h) the centre rejects a return with its note, and sends back an evasive reply (退回重办)', async () => {
  const a = await dispatched(units.cg, { text: '五一大道人行道上井盖松动，踩上去晃动' });
  await ok(u1.post(`/api/v1/hotline/orders/${a.id}/return`, { reason: '井盖产权单位不明，请中心核实' }), 'return');
  const b = await dispatched(units.cg, { text: '芙蓉区文艺路路灯连续一周不亮' });
  await ok(u1.post(`/api/v1/hotline/orders/${b.id}/sign`, {}), 'sign');
  await ok(u1.post(`/api/v1/hotline/orders/${b.id}/reply`, { text: '已转交相关部门处理，请耐心等待。' }), 'reply');

  const desk = await newPage(browser);
  await signIn(desk, srv.base, 'rexian01');
  await desk.goto(`${srv.base}/admin/hotline/orders/${a.id}`);
  await state(desk, '退单待审');
  await desk.click('[data-test=act-return-review]');
  await desk.click('[data-test=rr-reject]');
  assert.equal(await desk.locator('.el-dialog [data-test=dlg-unit]').count(), 0, 'no unit to pick when rejecting');
  await desk.click('.el-dialog [data-test=dialog-confirm]');
  await desk.locator('.el-dialog .el-form-item__error', { hasText: '驳回退单须说明理由' }).waitFor();
  await desk.fill('[data-test=dlg-note]', '井盖位于城管养护的人行道范围内，请原单位处理');
  await confirmDialog(desk);
  await state(desk, '待签收');
  assert.match(await desk.locator('[data-test=order-returns]').innerText(), /已驳回[\s\S]*请原单位处理/);
  assert.equal((await desk.locator('[data-test=order-unit]').innerText()).trim(), '长沙市城市管理和综合执法局');

  await desk.goto(`${srv.base}/admin/hotline/orders/${b.id}`);
  await state(desk, '待审核');
  await desk.click('[data-test=act-review]');
  await desk.click('[data-test=review-return]');
  await desk.click('.el-dialog [data-test=dialog-confirm]');
  await desk.locator('.el-dialog .el-form-item__error', { hasText: '退回重办须说明理由' }).waitFor();
  await desk.fill('[data-test=review-reason]', '答复推诿，未说明处理结果');
  await confirmDialog(desk);
  await state(desk, '办理中');
  await desk.locator('[data-test=order-step]', { hasText: '答复推诿，未说明处理结果' }).waitFor();
  const x = await ok(u1.get(`/api/v1/hotline/orders/${b.id}`), 'the unit sees it back');
  assert.equal(x.state, 'handling');
  assert.equal(x.steps.at(-1).action, 'reply_reject');
  assert.deepEqual(desk.errors, []);
  await desk.context().close();
});
