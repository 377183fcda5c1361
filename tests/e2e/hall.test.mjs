// Browser tests of the service hall (智能大厅), each on its own server: a kiosk ticket called at the
// window reaches the display board within a second, is served, finished and rated on the pad, and
// the rating shows in the manager's statistics; an appointment booked on the web and checked in at
// the kiosk by its code on the on-screen keypad is called before an earlier normal ticket; the
// manager sees the long-queue alert, pairs a kiosk on its own screen and revokes it. The kiosk,
// the board and the pad are paired hall devices.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as, Client, publishComingYears } from '../api/helpers.mjs';
import { pairDevice } from '../api/hall_helpers.mjs';
import { launch, newPage, signIn, workday } from './browser.mjs';

const HALL = 1; // 长沙市政务服务中心; window01 works at window 1, which serves queue A 综合受理
const KIOSK = { width: 1080, height: 1920 };
const BOARD = { width: 1920, height: 1080 };
const PAD = { width: 800, height: 1280 };
const PHONE = { width: 375, height: 812 };

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function server(t, opts = {}) {
  const srv = await startServer(opts);
  t.after(() => srv.stop());
  return srv;
}

// A device page already paired: the device is registered and paired over the API and its token put
// where the page keeps it (the pairing screen itself is driven in its own test).
async function devicePage(srv, kind, viewport, { windowId } = {}) {
  const dev = await pairDevice(srv.base, HALL, kind, { windowId });
  const page = await newPage(browser, viewport);
  await page.addInitScript(([key, token]) => localStorage.setItem(key, token), [`yw_device_${kind}_${HALL}`, dev.deviceToken]);
  page.device = dev;
  return page;
}

// Types digits on an on-screen keypad whose keys have data-test `${prefix}${digit}`.
async function tap(page, prefix, digits) {
  for (const c of digits) await page.click(`[data-test="${prefix}${c}"]`);
}

// Takes a ticket at the kiosk: the queue by its name, then the category button.
async function kioskTicket(kiosk, queueName, category = 'normal') {
  await kiosk.locator('[data-test=kiosk-queue]', { hasText: queueName }).click();
  await kiosk.click(`[data-test=kiosk-category-${category}]`);
  await kiosk.waitForSelector('[data-test=kiosk-ticket]');
  return (await kiosk.locator('[data-test=ticket-number]').innerText()).trim();
}

// Records what the page says through speechSynthesis (page.spoken(): [[text, lang]...]).
async function recordSpeech(page) {
  await page.addInitScript(() => {
    window.__spoken = [];
    if (!window.SpeechSynthesisUtterance) {
      window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
    }
    const synth = window.speechSynthesis || { getVoices: () => [] };
    synth.speak = (u) => window.__spoken.push([u.text, u.lang]);
    if (!window.speechSynthesis) window.speechSynthesis = synth;
  });
  page.spoken = () => page.evaluate(() => window.__spoken);
}

// Picks an option of an Element Plus select.
async function choose(page, selectTest, optionText) {
  await page.click(`[data-test=${selectTest}]`);
  await page.locator('.el-select-dropdown__item:visible', { hasText: optionText }).first().click();
}

test('kiosk ticket → window calls it → board shows it within a second → served, finished, rated on the pad → in the statistics', async (t) => {
  const srv = await server(t);
  const kiosk = await devicePage(srv, 'kiosk', KIOSK);
  await kiosk.goto(`${srv.base}/hall/${HALL}/kiosk`);
  const number = await kioskTicket(kiosk, '综合受理');
  assert.match(number, /^A\d{3}$/);
  assert.equal(await kiosk.locator('[data-test=ticket-ahead]').innerText(), '0');
  assert.match(await kiosk.locator('[data-test=ticket-wait]').innerText(), /^\d+$/);
  await kiosk.waitForFunction(() => document.querySelector('[data-test=ticket-qr]')?.naturalWidth > 0);
  const token = (await kiosk.locator('[data-test=ticket-qr]').getAttribute('src')).split('/')[5];

  const board = await devicePage(srv, 'board', BOARD);
  await recordSpeech(board);
  await board.goto(`${srv.base}/hall/${HALL}/board`);
  await board.waitForFunction(() => document.querySelector('[data-test=board-waiting-A]')?.innerText === '1');

  const pad = await devicePage(srv, 'pad', PAD, { windowId: 1 });
  await pad.goto(`${srv.base}/hall/${HALL}/pad`);
  await pad.waitForSelector('[data-test=pad-idle]');

  const clerk = await newPage(browser);
  await signIn(clerk, srv.base, 'window01');
  await clerk.click('[data-test=nav-hall-window]');
  await clerk.waitForSelector('[data-test=window-preview]');
  assert.equal(await clerk.locator('[data-test=window-preview]').innerText(), number);
  assert.equal(await clerk.locator('[data-test=window-waiting-A]').innerText(), '1');

  const [response] = await Promise.all([
    clerk.waitForResponse((r) => r.url().endsWith('/api/v1/hall/windows/1/call')),
    clerk.click('[data-test=window-call]'),
  ]);
  assert.equal(response.status(), 200);
  const called = Date.now();
  const text = `请${number}号到1号窗口办理`;
  await board.waitForFunction((s) => document.querySelector('[data-test=board-latest]')?.innerText.includes(s), text, { timeout: 5000 });
  const latency = Date.now() - called;
  t.diagnostic(`the board showed the call ${latency} ms after the call's response`);
  assert.ok(latency < 1000, `the board showed the call ${latency} ms after the call's response`);
  assert.match(await board.locator('[data-test=board-call].newest').innerText(), new RegExp(number));
  await clerk.waitForSelector('[data-test=window-reason]');
  assert.match(await clerk.locator('[data-test=window-reason]').innerText(), /按取号先后顺序/);
  assert.equal(await clerk.locator('[data-test=window-ticket-number]').innerText(), number);

  // The phone following the ticket is sent to the window.
  const phone = await newPage(browser, PHONE);
  await phone.goto(`${srv.base}/ticket/${token}`);
  await phone.waitForSelector('[data-test=follow-call]');
  assert.match(await phone.locator('[data-test=follow-call]').innerText(), /请到 1 号窗口/);

  // A recall is spoken and shown again; the limit is on the button.
  await clerk.click('[data-test=window-recall]');
  await clerk.waitForFunction(() => document.querySelector('[data-test=window-recall]')?.innerText.includes('1/2'));
  await board.waitForSelector('[data-test=board-call].newest .board-recall');
  assert.deepEqual(await board.spoken(), [[text, 'zh-CN'], [text, 'zh-CN']], 'the call and the recall are spoken in Chinese');
  assert.equal(await board.locator('[data-test=board-waiting-A]').innerText(), '0');

  await clerk.click('[data-test=window-start]');
  await clerk.waitForFunction(() => document.querySelector('[data-test=window-ticket-state]')?.innerText === '办理中');
  await pad.waitForSelector('[data-test=pad-serving]');
  await clerk.click('[data-test=window-finish]');
  await clerk.waitForSelector('[data-test=window-no-ticket]');

  await pad.waitForFunction((n) => document.querySelector('[data-test=pad-ticket]')?.innerText.includes(n), number);
  await pad.click('[data-test=pad-level-2]');
  await pad.waitForSelector('[data-test=pad-thanks]');
  const admin = await as(srv.base, 'center_admin');
  const reviews = (await admin.get('/api/v1/reviews?page_size=5')).json.items;
  assert.equal(reviews.length, 1);
  assert.deepEqual([reviews[0].window_id, reviews[0].level, reviews[0].channel, reviews[0].ticket], [1, 2, 'pad', number]);
  // once rated, the ticket is not offered again: the pad goes back to its welcome screen
  await pad.waitForSelector('[data-test=pad-idle]', { timeout: 10000 });
  assert.equal((await admin.get('/api/v1/reviews?page_size=5')).json.total, 1);

  const manager = await newPage(browser);
  await signIn(manager, srv.base, 'center_admin');
  await manager.goto(`${srv.base}/admin/hall`);
  await manager.click('[data-test=tab-stats]');
  await manager.waitForSelector('[data-test=stats-rating-1]');
  assert.match(await manager.locator('[data-test=stats-rating-1]').innerText(), /1 条，满意 1 条（满意）/);
  assert.match(await manager.locator('[data-test=stats-report]').innerText(), /共取号 1 张，叫号 1 次/);
  for (const p of [kiosk, board, pad, clerk, phone, manager]) assert.deepEqual(p.errors, []);
});

test('kiosk: a wrong ID number is refused at the field; someone 70 or over gets an elderly ticket', async (t) => {
  const srv = await server(t);
  const kiosk = await devicePage(srv, 'kiosk', KIOSK);
  await kiosk.goto(`${srv.base}/hall/${HALL}/kiosk`);
  await kiosk.locator('[data-test=kiosk-queue]', { hasText: '税务' }).click();
  // only the normal ticket here: other priorities are granted at the 导服台
  assert.equal(await kiosk.locator('[data-test=kiosk-category-green]').count(), 0);
  assert.match(await kiosk.locator('[data-test=kiosk-priority-hint]').innerText(), /导服台/);
  const type = async (digits) => {
    for (const c of digits) await kiosk.click(`[data-test="kiosk-key-${c}"]`);
  };
  await type('43010219500101001X'); // wrong check digit
  assert.equal(await kiosk.locator('[data-test=kiosk-id]').innerText(), '43010219500101001X');
  await kiosk.click('[data-test=kiosk-category-normal]');
  await kiosk.waitForSelector('.kiosk-error');
  assert.equal(await kiosk.locator('[data-test=kiosk-ticket]').count(), 0);
  await type('←'.repeat(18));
  await type('110101195001010017'); // born 1950
  await kiosk.click('[data-test=kiosk-category-normal]');
  await kiosk.waitForSelector('[data-test=kiosk-ticket]');
  const card = await kiosk.locator('[data-test=kiosk-ticket]').innerText();
  assert.match(card, /老年人/);
  assert.match(card, /G\d{3}/);
  // 完成 goes back to the queues.
  await kiosk.click('[data-test=kiosk-done]');
  await kiosk.waitForSelector('[data-test=kiosk-queue]');
  assert.deepEqual(kiosk.errors, []);
});

test('the board takes calls and 大厅公告 from the hall\'s event stream', async (t) => {
  const srv = await server(t);
  const board = await devicePage(srv, 'board', BOARD);
  await recordSpeech(board);
  const at = Math.floor(Date.now() / 1000);
  const call = { window_id: 3, window_number: 3, window_name: '综合受理3号窗口', number: 'A099', queue: 'A', queue_name: '综合受理', at, recalls: 0, text: '请A099号到3号窗口办理' };
  // The stream answers once (a long retry keeps the EventSource from coming back during the test).
  let opened = 0;
  let streamUrl = '';
  await board.route(`**/api/v1/hall/${HALL}/events*`, (route) => {
    opened++;
    streamUrl = route.request().url();
    route.fulfill({
      status: 200, contentType: 'text/event-stream',
      body: `retry: 600000\n\nevent: announce\ndata: ${JSON.stringify({ hall_id: HALL, text: '今日下午大厅16:30停止取号', at })}\n\n` +
        `event: call\ndata: ${JSON.stringify(call)}\n\n`,
    });
  });
  await board.goto(`${srv.base}/hall/${HALL}/board`);
  await board.waitForFunction(() => document.querySelector('[data-test=board-announce]')?.innerText.includes('16:30停止取号'));
  await board.waitForFunction(() => document.querySelector('[data-test=board-latest]')?.innerText.includes('请A099号到3号窗口办理'));
  assert.equal(opened, 1);
  assert.ok(streamUrl.includes(`device_token=${board.device.deviceToken}`), 'the board names itself to the stream');
  assert.deepEqual(await board.spoken(), [[call.text, 'zh-CN']]);
  // Without the stream the board polls: a call made now still shows within a second.
  const clerk = await as(srv.base, 'window01');
  const kiosk = await pairDevice(srv.base, HALL, 'kiosk');
  assert.equal((await kiosk.post('/api/v1/hall/tickets', { queue_id: 1 })).status, 201);
  assert.equal((await clerk.post('/api/v1/hall/windows/1/call')).status, 200);
  const called = Date.now();
  await board.waitForFunction(() => document.querySelector('[data-test=board-latest]')?.innerText.includes('到1号窗口办理'), null, { timeout: 5000 });
  assert.ok(Date.now() - called < 1000, `polling showed the call after ${Date.now() - called} ms`);
  // a board without a token shows its pairing screen
  const unpaired = await newPage(browser, BOARD);
  await unpaired.goto(`${srv.base}/hall/${HALL}/board`);
  await unpaired.waitForSelector('[data-test=device-pair]');
  assert.deepEqual(unpaired.errors, []);
  assert.deepEqual(board.errors, []);
});

test('window console: the call\'s reason, 转移, 过号, 暂停/恢复, nobody waiting, 办结 with a case from the inbox', async (t) => {
  const srv = await server(t);
  const kiosk = await pairDevice(srv.base, HALL, 'kiosk');
  const desk = await as(srv.base, 'center_admin'); // 导服台
  const issue = async (body, from = kiosk) => {
    const r = await from.post('/api/v1/hall/tickets', body);
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const normal = await issue({ queue_id: 1 });
  const green = await issue({ queue_id: 1, category: 'green' }, desk);
  // A case waiting in window01's inbox (已接件), applied for online by zhangsan.
  const zs = await as(srv.base, 'zhangsan');
  const item = (await kiosk.get('/api/v1/items/1143010000825175203011010001001')).json;
  const applied = await zs.post('/api/v1/cases', { item_code: item.code, materials: item.materials.map((m) => m.name), form: { address: '长沙市芙蓉区五一大道1号' } });
  assert.equal(applied.status, 201, applied.text);

  const clerk = await newPage(browser);
  await signIn(clerk, srv.base, 'window01');
  await clerk.goto(`${srv.base}/hall/window`);
  await clerk.waitForSelector('[data-test=window-preview]');
  assert.equal(await clerk.locator('[data-test=window-preview]').innerText(), green.number, 'the green channel goes first');
  assert.equal(await clerk.locator('[data-test=window-waiting-A]').innerText(), '2');
  await clerk.click('[data-test=window-call]');
  await clerk.waitForSelector('[data-test=window-reason]');
  assert.match(await clerk.locator('[data-test=window-reason]').innerText(), /绿色通道优先/);
  assert.equal(await clerk.locator('[data-test=window-ticket-number]').innerText(), green.number);

  // 转移 to B 不动产登记: the ticket keeps its number and waits there.
  await choose(clerk, 'window-transfer-queue', '不动产登记');
  await clerk.click('[data-test=window-transfer]');
  await clerk.waitForSelector('[data-test=window-no-ticket]');
  const moved = (await kiosk.get(`/api/v1/hall/tickets/${green.token}`)).json;
  assert.deepEqual([moved.state, moved.queue.letter, moved.number], ['waiting', 'B', green.number]);

  // 过号
  await clerk.click('[data-test=window-call]');
  await clerk.waitForFunction((n) => document.querySelector('[data-test=window-ticket-number]')?.innerText === n, normal.number);
  await clerk.click('[data-test=window-skip]');
  await clerk.waitForSelector('[data-test=window-no-ticket]');
  assert.equal((await kiosk.get(`/api/v1/hall/tickets/${normal.token}`)).json.state, 'no_show');

  // 暂停 stops calling until 恢复.
  await clerk.click('[data-test=window-pause]');
  await clerk.waitForFunction(() => document.querySelector('[data-test=window-state]')?.innerText === '暂停服务');
  assert.ok(await clerk.locator('[data-test=window-call]').isDisabled());
  await clerk.click('[data-test=window-resume]');
  await clerk.waitForFunction(() => document.querySelector('[data-test=window-state]')?.innerText === '服务中');

  // Nobody waits in A: the server's reason is shown.
  await clerk.click('[data-test=window-call]');
  await clerk.waitForSelector('.el-message--error');
  assert.match(await clerk.locator('.el-message--error').innerText(), /\S/);
  assert.equal(await clerk.locator('[data-test=window-ticket]').count(), 0);

  // 办结 linked to the case picked from the inbox.
  const last = await issue({ queue_id: 1 });
  await clerk.click('[data-test=window-call]');
  await clerk.waitForFunction((n) => document.querySelector('[data-test=window-ticket-number]')?.innerText === n, last.number);
  await clerk.click('[data-test=window-start]');
  await choose(clerk, 'window-case', applied.json.case_no);
  await clerk.click('[data-test=window-finish]');
  await clerk.waitForSelector('[data-test=window-no-ticket]');
  const done = (await kiosk.get(`/api/v1/hall/tickets/${last.token}`)).json;
  assert.deepEqual([done.state, done.case_id], ['done', applied.json.id]);

  // 导服台取号: the clerk grants a disabled person's priority ticket
  await choose(clerk, 'desk-queue', '综合受理');
  await clerk.click('[data-test=desk-category-disabled]');
  await clerk.click('[data-test=desk-issue]');
  await clerk.waitForSelector('[data-test=desk-issued]');
  assert.match(await clerk.locator('[data-test=desk-issued]').innerText(), /A\d{3}[\s\S]*残疾人/);
  await clerk.waitForFunction(() => document.querySelector('[data-test=window-preview]') !== null);
  assert.deepEqual(clerk.errors, []);
});

// The server's clock moved to `day` at hh:mm local time (UTC+8).
function moveToLocal(srv, day, hh, mm) {
  const target = Date.parse(`${day}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+08:00`) / 1000;
  const now = Math.floor(Date.now() / 1000);
  assert.ok(target > now);
  srv.advance(target - now);
}

test('an appointment booked on the web and checked in at the kiosk is called before an earlier normal ticket', async (t) => {
  const srv = await server(t, { clock: true, config: { tick_seconds: 1 } });
  await publishComingYears(srv.base);
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const day = await workday(new Client(srv.base), today, 1);
  moveToLocal(srv, day, 10, 10);

  const citizen = await newPage(browser, PHONE);
  await signIn(citizen, srv.base, 'zhangsan');
  await citizen.click('[data-test=nav-appointments]');
  await citizen.waitForFunction(() => document.querySelector('[data-test=appt-hall]')?.innerText.includes('长沙市政务服务中心'));
  await choose(citizen, 'appt-queue', '综合受理');
  const date = citizen.locator('.el-date-editor input');
  await date.fill(day);
  await date.press('Enter');
  await citizen.click('[data-test=appt-slot-10\\:30]');
  await citizen.click('[data-test=appt-book]');
  await citizen.waitForSelector('.el-message-box');
  await citizen.click('.el-message-box .el-button--primary');
  await citizen.waitForSelector('[data-test=appt-code]');
  const code = (await citizen.locator('[data-test=appt-code]').innerText()).trim();
  assert.equal(await citizen.locator('[data-test=appt-state]').innerText(), '已预约');
  await citizen.locator('.appt-row', { hasText: '10:30' }).locator('[data-test=appt-qr]').click();
  await citizen.waitForFunction(() => document.querySelector('[data-test=appt-qr-dialog] img')?.naturalWidth > 0);
  assert.match(await citizen.locator('[data-test=appt-qr-dialog]').innerText(), new RegExp(code));
  await citizen.keyboard.press('Escape');
  await citizen.locator('[data-test=appt-qr-dialog]').waitFor({ state: 'hidden' });
  await citizen.waitForFunction(() => document.querySelector('[data-test="appt-slot-10:30"]')?.innerText.includes('余 4'));
  // A second booking, cancelled: its place comes back.
  await citizen.click('[data-test=appt-slot-11\\:00]');
  await citizen.click('[data-test=appt-book]');
  await citizen.waitForSelector('.el-message-box');
  await citizen.click('.el-message-box .el-button--primary');
  await citizen.waitForFunction(() => document.querySelectorAll('[data-test=appt-code]').length === 2);
  await citizen.waitForFunction(() => document.querySelector('[data-test="appt-slot-11:00"]')?.innerText.includes('余 4'));
  const rows = citizen.locator('.appt-row');
  await rows.filter({ hasText: '11:00' }).locator('[data-test=appt-cancel]').click();
  await citizen.click('.el-message-box .el-button--primary');
  await citizen.waitForFunction(() => [...document.querySelectorAll('.appt-row')]
    .some((r) => r.innerText.includes('11:00') && r.innerText.includes('已取消')));
  await citizen.waitForFunction(() => document.querySelector('[data-test="appt-slot-11:00"]')?.innerText.includes('余 5'));

  // An earlier normal ticket, then the check-in at the kiosk.
  assert.match(code, /^\d{6}$/, 'a six-digit check-in code');
  const kiosk = await devicePage(srv, 'kiosk', KIOSK);
  await kiosk.goto(`${srv.base}/hall/${HALL}/kiosk`);
  const normal = await kioskTicket(kiosk, '综合受理');
  await kiosk.click('[data-test=kiosk-done]');
  await kiosk.click('[data-test=kiosk-checkin-open]');
  // a wrong code first, then the right one, both on the on-screen keypad
  await tap(kiosk, 'checkin-key-', code === '000000' ? '111111' : '000000');
  await kiosk.click('[data-test=kiosk-checkin]');
  await kiosk.waitForSelector('[data-test=kiosk-checkin-error]');
  assert.match(await kiosk.locator('[data-test=kiosk-checkin-error]').innerText(), /预约不存在/);
  await tap(kiosk, 'checkin-key-', code);
  assert.equal(await kiosk.locator('[data-test=kiosk-code]').inputValue(), code);
  await kiosk.click('[data-test=kiosk-checkin]');
  await kiosk.waitForSelector('[data-test=kiosk-ticket]');
  const appt = (await kiosk.locator('[data-test=ticket-number]').innerText()).trim();
  assert.notEqual(appt, normal);
  assert.match(await kiosk.locator('[data-test=kiosk-ticket]').innerText(), /预约/);
  assert.equal(await kiosk.locator('[data-test=ticket-ahead]').innerText(), '1', 'the normal ticket was taken first');

  const clerk = await newPage(browser);
  await signIn(clerk, srv.base, 'window01');
  await clerk.goto(`${srv.base}/hall/window`);
  await clerk.waitForSelector('[data-test=window-preview]');
  await clerk.click('[data-test=window-call]');
  await clerk.waitForSelector('[data-test=window-ticket-number]');
  assert.equal(await clerk.locator('[data-test=window-ticket-number]').innerText(), appt);
  assert.match(await clerk.locator('[data-test=window-reason]').innerText(), /预约/);
  await citizen.reload();
  await citizen.waitForSelector('[data-test=appt-state]');
  // the booking's QR code, for the kiosk's scanner
  const open = citizen.locator('.appt-row', { hasText: '11:00' });
  assert.equal(await open.locator('[data-test=appt-qr]').count(), 0, 'a cancelled booking has no QR code');
  assert.equal(await citizen.locator('.appt-row', { hasText: '10:30' }).locator('[data-test=appt-state]').innerText(), '已签到');
  for (const p of [citizen, kiosk, clerk]) assert.deepEqual(p.errors, []);
});

test('远程取号: an applicant takes today\'s ticket on the phone and follows it until a window calls it', async (t) => {
  const srv = await server(t);
  const citizen = await newPage(browser, PHONE);
  await signIn(citizen, srv.base, 'zhangsan');
  await citizen.click('[data-test=nav-appointments]');
  await citizen.waitForFunction(() => document.querySelector('[data-test=remote-hall]')?.innerText.includes('长沙市政务服务中心'));
  await choose(citizen, 'remote-queue', '综合受理');
  await citizen.click('[data-test=remote-take]');
  await citizen.waitForSelector('[data-test=remote-ticket]');
  const number = (await citizen.locator('[data-test=remote-ticket]').innerText()).match(/[A-Z]\d{3}/)[0];
  await citizen.click('[data-test=remote-follow]');
  await citizen.waitForSelector('[data-test=follow-number]');
  assert.equal(await citizen.locator('[data-test=follow-number]').innerText(), number);
  // the ticket is the applicant's own, and a window calls it like any other
  const w1 = await as(srv.base, 'window01');
  const r = await w1.post('/api/v1/hall/windows/1/call'); // window01 works at window 1, serving A
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.acted_on.number, number);
  await citizen.waitForSelector('[data-test=follow-call]', { timeout: 10000 });
  assert.match(await citizen.locator('[data-test=follow-call]').innerText(), /请到 1 号窗口/);
  assert.deepEqual(citizen.errors, []);
});

test('the hall manager sees the long-queue alert once the waiting count reaches the threshold', async (t) => {
  const srv = await server(t, { config: { hall_alert_waiting: 3 } });
  const manager = await newPage(browser);
  await signIn(manager, srv.base, 'center_admin');
  await manager.goto(`${srv.base}/admin/hall`);
  await manager.waitForSelector('[data-test=hall-ok]');
  assert.equal(await manager.locator('[data-test=hall-alert]').count(), 0);

  const kiosk = await pairDevice(srv.base, HALL, 'kiosk');
  for (let i = 0; i < 3; i++) assert.equal((await kiosk.post('/api/v1/hall/tickets', { queue_id: 7 })).status, 201); // G 税务
  await manager.reload();
  await manager.waitForSelector('[data-test=hall-alert]');
  assert.equal(await manager.locator('[data-test=status-waiting-G]').innerText(), '3');
  await manager.waitForSelector('[data-test=status-alert-G]');
  assert.match(await manager.locator('[data-test=hall-alert]').innerText(), /税务/);
  assert.equal(await manager.locator('[data-test=status-alert-A]').count(), 0);

  // 大厅公告 goes to POST /api/v1/hall/{id}/announce (the event stream's route, answered here by the test).
  let sent = null;
  await manager.route(`**/api/v1/hall/${HALL}/announce`, (route) => {
    sent = route.request().postDataJSON();
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ boards: 2 }) });
  });
  await manager.fill('[data-test=hall-notice]', '税务窗口临时增开，请G字头号码留意叫号');
  await manager.click('[data-test=hall-notice-send]');
  await manager.waitForSelector('.el-message--success');
  assert.match(await manager.locator('.el-message--success').innerText(), /2 块叫号屏/);
  assert.deepEqual(sent, { text: '税务窗口临时增开，请G字头号码留意叫号' });

  // The day's report as a workbook.
  await manager.click('[data-test=tab-stats]');
  await manager.waitForSelector('[data-test=stats-report]');
  assert.match(await manager.locator('[data-test=stats-report]').innerText(), /共取号 3 张，叫号 0 次/);
  const xlsx = await manager.request.get(srv.base + await manager.locator('[data-test=stats-xlsx]').getAttribute('href'));
  assert.equal(xlsx.status(), 200);
  assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK');

  // Queues: a new one, then renamed; a window set to serve it.
  await manager.click('[data-test=tab-queues]');
  await manager.click('[data-test=queue-new]');
  await manager.fill('[data-test=queue-letter]', 'H');
  await manager.fill('[data-test=queue-name]', '档案查询');
  await manager.click('[data-test=queue-save]');
  const row = manager.locator('[data-test=queue-table] .el-table__body tr', { hasText: '档案查询' });
  await row.waitFor();
  await row.locator('[data-test=queue-edit]').click();
  await manager.fill('[data-test=queue-name]', '档案查询与利用');
  await manager.click('[data-test=queue-save]');
  await manager.locator('[data-test=queue-table] .el-table__body tr', { hasText: '档案查询与利用' }).waitFor();
  const queues = (await kiosk.get(`/api/v1/hall/queues?hall_id=${HALL}`)).json.items;
  const h = queues.find((q) => q.letter === 'H');
  assert.equal(h.name, '档案查询与利用');
  await manager.locator('[data-test=window-table] .el-table__body tr', { hasText: '出件1号窗口' }).locator('[data-test=window-queues-edit]').click();
  await choose(manager, 'window-queues-select', '档案查询与利用');
  await manager.keyboard.press('Escape');
  await manager.click('[data-test=window-queues-save]');
  await manager.locator('.el-message--success', { hasText: '9 号窗口的叫号队列已更新' }).waitFor();
  // the window's row shows its queues, the new one included, and so does the page read afresh
  const letters = () => manager.locator('[data-test=window-table] .el-table__body tr', { hasText: '出件1号窗口' }).locator('[data-test=window-queue-letters]');
  await letters().filter({ hasText: 'H' }).waitFor();
  await manager.reload();
  await manager.click('[data-test=tab-queues]');
  await letters().filter({ hasText: 'H' }).waitFor();
  assert.deepEqual(manager.errors, []);
});

test('pairing a device: the manager creates a kiosk, its code is typed on the kiosk\'s keypad; revoked, it pairs again', async (t) => {
  const srv = await server(t);
  const kiosk = await newPage(browser, KIOSK);
  await kiosk.goto(`${srv.base}/hall/${HALL}/kiosk`);
  await kiosk.waitForSelector('[data-test=device-pair]');
  assert.equal(await kiosk.locator('[data-test=kiosk-queue]').count(), 0, 'no tickets before pairing');

  const manager = await newPage(browser);
  await signIn(manager, srv.base, 'center_admin');
  await manager.goto(`${srv.base}/admin/hall`);
  await manager.click('[data-test=tab-devices]');
  await manager.click('[data-test=device-new]');
  await manager.click('[data-test=device-kind-kiosk]');
  await manager.fill('[data-test=device-name]', '一楼东门取号机');
  await manager.click('[data-test=device-save]');
  await manager.waitForSelector('[data-test=device-pairing-code]');
  const code = (await manager.locator('[data-test=device-pairing-code]').innerText()).trim();
  assert.match(code, /^\d{6}$/);
  const row = manager.locator('[data-test=device-table] .el-table__body tr', { hasText: '一楼东门取号机' });
  assert.match(await row.innerText(), /待配对/);

  // a wrong code is refused on the kiosk's screen, the right one pairs it
  await tap(kiosk, 'pair-key-', code === '123456' ? '654321' : '123456');
  await kiosk.click('[data-test=device-pair-submit]');
  await kiosk.waitForSelector('[data-test=device-pair-error]');
  await tap(kiosk, 'pair-key-', code);
  assert.equal(await kiosk.locator('[data-test=device-code]').innerText(), code);
  await kiosk.click('[data-test=device-pair-submit]');
  await kiosk.waitForSelector('[data-test=kiosk-queue]');
  const number = await kioskTicket(kiosk, '税务');
  assert.match(number, /^G\d{3}$/);
  await kiosk.click('[data-test=kiosk-done]');
  // the token survives a reload
  await kiosk.reload();
  await kiosk.waitForSelector('[data-test=kiosk-queue]');

  await manager.reload();
  await manager.click('[data-test=tab-devices]');
  await row.waitFor();
  assert.match(await row.innerText(), /已配对/);
  await row.locator('[data-test=device-revoke]').click();
  await manager.click('.el-message-box .el-button--primary');
  await manager.locator('[data-test=device-table] .el-table__body tr', { hasText: '已停用' }).waitFor();

  // the revoked kiosk's next ticket is refused and it shows its pairing screen again
  await kiosk.locator('[data-test=kiosk-queue]', { hasText: '税务' }).click();
  await kiosk.click('[data-test=kiosk-category-normal]');
  await kiosk.waitForSelector('[data-test=device-revoked]');
  for (const p of [kiosk, manager]) assert.deepEqual(p.errors, []);
});
