// 依申请公开 over real HTTP: every path of the statutory clock on the project calendar — on the
// spot, 20 working days, one extension, 补正 and its restart, a third-party consultation's pause,
// a fee's pause, and the two ways a request is abandoned (closed by the background job) — across
// the 2026 Spring Festival (Feb 15-23 off, Feb 14 and 28 worked) and National Day (Sep 25-27 and
// Oct 1-7 off, Sep 20 and Oct 10 worked). The expected days are counted here by hand from the
// published schedule, not by the server's calendar. Also: every result with its reply letter,
// remedies, and bad input refused with 422 and nothing stored. The server runs on a test clock set
// to a day of the year each test needs, so that the background job (every second) closes nothing
// early: as in an office where each step is taken on its day.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as } from './helpers.mjs';

let srv, officer, centre, citizen, zwzx;
let offset = 0, serverDay = null;
before(async () => {
  srv = await startServer({ clock: true, config: { tick_seconds: 1 } });
  const organs = (await new Client(srv.base).get('/api/v1/disclosure/organs')).json.items;
  zwzx = organs.find((o) => o.name === '长沙市政务服务中心').dept_id;
});
after(() => srv.stop());

// Sets the server's clock to 10:00 (China) on `day` and signs everyone in again (sessions last 8 hours).
async function day(d) {
  const want = Math.floor(Date.parse(`${d}T10:00:00+08:00`) / 1000) - Math.floor(Date.now() / 1000);
  srv.advance(want - offset);
  offset = want;
  serverDay = d;
  await new Promise((r) => setTimeout(r, 50));
  officer = await as(srv.base, 'gongkai01'); // 长沙市政务服务中心
  centre = await as(srv.base, 'center_admin');
  citizen = await as(srv.base, 'zhangsan');
}
const today = () => serverDay;

// A letter (信函) entered by the organ's officer, received on `received`.
async function letter(received, extra = {}) {
  const r = await officer.post('/api/v1/disclosure/requests', {
    channel: 'letter', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150011',
    phone: '13800000001', content: '请公开2026年市政务服务中心窗口设置情况', received_date: received, ...extra,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const step = (id, name, body = {}) => officer.post(`/api/v1/disclosure/requests/${id}/${name}`, body);

test('20 working days from receipt, across the Spring Festival', async () => {
  await day('2026-06-01');
  const r = await letter('2026-02-10');
  assert.equal(r.state, 'processing');
  assert.equal(r.clock_start, '2026-02-10');
  // Feb 11, 12, 13, 14 (worked Saturday), then Feb 24 ... Mar 16
  assert.equal(r.due_date, '2026-03-16');
  assert.match(r.request_no, /^YSQ2026/);
  assert.equal(r.channel_label, '信函申请');
  assert.equal(r.applicant_type_label, '自然人');
  // long past its due day and unanswered: a red card (more than 3 working days over), kept in its history
  assert.equal(r.signal, 3);
  assert.equal(r.signal_label, '红牌');
  assert.deepEqual(r.events.map((e) => e.action), ['create', 'signal']);
  assert.equal(r.events[1].data.signal, 3);
  const fresh = await letter(today());
  assert.equal(fresh.signal, 0, 'a request received today is 正常');
  const red = (await officer.get('/api/v1/disclosure/requests?signal=3&page_size=200')).json.items.map((x) => x.id);
  assert.ok(red.includes(r.id) && !red.includes(fresh.id));
  const overdue = (await officer.get('/api/v1/disclosure/requests?overdue=1&page_size=200')).json.items.map((x) => x.id);
  assert.ok(overdue.includes(r.id) && !overdue.includes(fresh.id));
});

test('one extension of at most 20 working days, approved, told to the applicant', async () => {
  await day('2026-06-01');
  const r = await letter('2026-02-10');
  let x = await step(r.id, 'extend', { days: 21, reason: '需要调取档案', approver: '王主任', notice_date: '2026-03-10' });
  assert.equal(x.status, 422);
  assert.equal(x.json.error.details[0].field, 'days');
  x = await step(r.id, 'extend', { days: 20, reason: '', notice_date: '2026-03-10' });
  assert.equal(x.status, 422, 'the reason and who approved are required');
  assert.deepEqual(x.json.error.details.map((d) => d.field).sort(), ['approver', 'reason']);
  x = await step(r.id, 'extend', { days: 20, reason: '需要调取档案', approver: '王主任', notice_date: '2026-03-17' });
  assert.equal(x.status, 409, 'not after the due day');
  x = await step(r.id, 'extend', { days: 20, reason: '需要调取档案', approver: '王主任', notice_date: '2026-03-10' });
  assert.equal(x.status, 200, x.text);
  assert.equal(x.json.extension_days, 20);
  assert.equal(x.json.due_date, '2026-04-14');
  x = await step(r.id, 'extend', { days: 5, reason: '再次延期', approver: '王主任', notice_date: '2026-03-11' });
  assert.equal(x.status, 409, 'one extension only');
  assert.match(x.json.error.message, /只能延长一次/);
  const l = await officer.get(`/api/v1/disclosure/requests/${r.id}/letter?kind=extension`);
  assert.equal(l.status, 200);
  assert.match(l.headers.get('content-type'), /text\/html/);
  assert.match(l.text, /延期答复告知书/);
  assert.match(l.text, /延长20个工作日/);
  assert.match(l.text, /2026年4月14日/);
  assert.match(l.text, /需要调取档案/);
});

test('on the spot: answered the day it is received', async () => {
  await day('2026-06-01');
  const r = await letter(today(), { channel: 'in_person' });
  const x = await step(r.id, 'reply', { result: 'public', on_spot: true, note: '已当场提供窗口设置一览表' });
  assert.equal(x.status, 200, x.text);
  assert.equal(x.json.state, 'replied');
  assert.equal(x.json.on_spot, true);
  assert.equal(x.json.reply_date, today());
  const l = await officer.get(`/api/v1/disclosure/requests/${r.id}/letter`);
  assert.match(l.text, /当场予以答复/);
  // a request received earlier cannot be answered "on the spot"
  const old = await letter('2026-02-10');
  const y = await step(old.id, 'reply', { result: 'public', on_spot: true });
  assert.equal(y.status, 409);
});

test('补正: within 7 working days, once, listing everything; the 20 days restart from the correction', async () => {
  await day('2026-10-13'); // before the correction's last day (Oct 15)
  const r = await letter('2026-09-22');
  // the notice is due by Oct 9: Sep 23, 24, 28, 29, 30, Oct 9 ... (Sep 25-27 and Oct 1-7 off)
  let x = await step(r.id, 'correction', { items: ['请明确所需信息的年份'], notice_date: '2026-10-12' });
  assert.equal(x.status, 409, 'too late for a 补正 notice');
  assert.match(x.json.error.message, /7个工作日/);
  x = await step(r.id, 'correction', { items: [] });
  assert.equal(x.status, 422);
  x = await step(r.id, 'correction', {
    items: ['请明确所需信息的年份', '请提供身份证明复印件'], notice_date: '2026-09-24', due_workdays: 10,
  });
  assert.equal(x.status, 200, x.text);
  assert.equal(x.json.state, 'correction');
  assert.equal(x.json.correction.due_date, '2026-10-15'); // Sep 25-27 and Oct 1-7 not counted, Oct 10 is
  assert.equal(x.json.due_date, '2026-10-15');
  assert.deepEqual(x.json.correction.items, ['请明确所需信息的年份', '请提供身份证明复印件']);
  const l = await officer.get(`/api/v1/disclosure/requests/${r.id}/letter?kind=correction`);
  assert.match(l.text, /补正告知书/);
  assert.match(l.text, /<li>请明确所需信息的年份<\/li>/);
  assert.match(l.text, /<li>请提供身份证明复印件<\/li>/);
  assert.match(l.text, /2026年10月15日/);
  x = await step(r.id, 'reply', { result: 'public' });
  assert.equal(x.status, 409, 'no reply while waiting for the correction');
  x = await step(r.id, 'corrected', { received_date: '2026-09-23' });
  assert.equal(x.status, 422, 'the correction cannot come before the notice');
  assert.equal(x.json.error.details[0].field, 'received_date');
  assert.match(x.json.error.details[0].message, /2026-09-24/);
  x = await step(r.id, 'corrected', { received_date: '2026-10-09', content: '2025年度的窗口设置情况' });
  assert.equal(x.status, 200, x.text);
  assert.equal(x.json.state, 'processing');
  assert.equal(x.json.clock_start, '2026-10-09');
  assert.equal(x.json.due_date, '2026-11-05', '20 working days from the correction: restart, not resume');
  x = await step(r.id, 'correction', { items: ['再次补正'], notice_date: '2026-10-12' });
  assert.equal(x.status, 409, 'one 补正 notice only');
  assert.match(x.json.error.message, /只能告知一次/);
});

test('third-party consultation: the clock pauses (at most 15 working days) and resumes', async () => {
  await day('2026-11-25'); // after the third party's 15 working days
  const r = await letter('2026-09-21');
  assert.equal(r.due_date, '2026-10-26');
  let x = await step(r.id, 'consult', { third_party: '长沙某某科技有限公司', contact: '0731-88880000', sent_date: '2026-09-23' });
  assert.equal(x.status, 200, x.text);
  assert.equal(x.json.state, 'consulting');
  const c = x.json.consultations[0];
  assert.equal(c.due_date, '2026-10-21', '15 working days for the third party');
  // still open long after: the pause counts 15 working days at most
  assert.equal(x.json.due_date, '2026-11-16');
  // and the clock runs again after those 15 days: on Nov 25, 7 working days past Nov 16, a red card
  assert.equal(x.json.signal, 3);
  x = await step(r.id, 'reply', { result: 'public' });
  assert.equal(x.status, 409, 'no reply while consulting');
  const letterTo = await officer.get(`/api/v1/disclosure/requests/${r.id}/letter?kind=consult&cid=${c.id}`);
  assert.equal(letterTo.status, 200);
  assert.match(letterTo.text, /征求第三方意见函/);
  assert.match(letterTo.text, /长沙某某科技有限公司：/);
  assert.match(letterTo.text, /2026年10月21日前/);
  assert.match(letterTo.text, /第三十二条/);
  assert.ok(!letterTo.text.includes('李四'), 'the third party is not told who applied');
  x = await officer.post(`/api/v1/disclosure/requests/${r.id}/consult/${c.id}/answer`, { opinion: 'no_reply', answered_date: '2026-10-12' });
  assert.equal(x.status, 409, 'no reply can be recorded only after the 15 days');
  x = await officer.post(`/api/v1/disclosure/requests/${r.id}/consult/${c.id}/answer`, { opinion: 'maybe' });
  assert.equal(x.status, 422);
  x = await officer.post(`/api/v1/disclosure/requests/${r.id}/consult/${c.id}/answer`, { opinion: 'object', answered_date: '2026-10-12', note: '涉及商业秘密' });
  assert.equal(x.status, 200, x.text);
  assert.equal(x.json.state, 'processing');
  // Sep 24, 28, 29, 30, Oct 8, 9, 10, 12: 8 working days not counted
  assert.equal(x.json.paused_workdays, 8);
  assert.equal(x.json.due_date, '2026-11-05');
  x = await step(r.id, 'reply', { result: 'deny_third_party', note: '第三方不同意公开，涉及其商业秘密。', reply_date: '2026-10-20' });
  assert.equal(x.status, 200, x.text);
  assert.equal(x.json.result_group, 'deny');
});

test('fee: only beyond the free amount, per item or per page, the clock pauses until paid', async () => {
  await day('2026-03-12'); // before the fee's last day (Mar 18)
  const r = await letter('2026-02-10');
  let x = await step(r.id, 'fee', { basis: 'page', quantity: 20, notice_date: '2026-02-12' });
  assert.equal(x.status, 409, 'no fee within 30 pages');
  x = await step(r.id, 'fee', { basis: 'both', quantity: 150 });
  assert.equal(x.status, 422);
  x = await step(r.id, 'fee', { basis: 'page', quantity: 150, items_before: 3 });
  assert.equal(x.status, 422, 'per page never counts the month’s requests');
  x = await step(r.id, 'fee', { basis: 'page', quantity: 150, notice_date: '2026-02-12' });
  assert.equal(x.status, 200, x.text);
  assert.equal(x.json.state, 'fee');
  assert.equal(x.json.fees[0].amount_fen, (70 * 10 + 50 * 20) * 100); // pages 31-100 at 10, 101-150 at 20
  assert.equal(x.json.fees[0].due_date, '2026-03-18'); // 20 working days to pay
  const l = await officer.get(`/api/v1/disclosure/requests/${r.id}/letter?kind=fee`);
  assert.match(l.text, /收费通知书/);
  assert.match(l.text, /1700\.00元/);
  x = await step(r.id, 'fee/paid', { paid_date: '2026-02-11' });
  assert.equal(x.status, 422, 'not paid before the notice');
  x = await step(r.id, 'fee/paid', { paid_date: '2026-02-27' });
  assert.equal(x.status, 200, x.text);
  assert.equal(x.json.state, 'processing');
  assert.equal(x.json.paused_workdays, 6); // Feb 13, 14, 24, 25, 26, 27
  assert.equal(x.json.due_date, '2026-03-24');
  x = await step(r.id, 'fee', { basis: 'item', quantity: 1, items_before: 12 });
  assert.equal(x.status, 409, 'one fee per request');
  // per item: the 11th-30th request of the month at 100 yuan
  const r2 = await letter('2026-02-10');
  x = await step(r2.id, 'fee', { basis: 'item', quantity: 1, items_before: 12, notice_date: '2026-02-12' });
  assert.equal(x.status, 200, x.text);
  assert.equal(x.json.fees[0].amount_fen, 10000);
});

async function waitFor(id, pred, what) {
  for (let i = 0; i < 100; i++) {
    const r = await officer.get(`/api/v1/disclosure/requests/${id}`);
    if (pred(r.json)) return r.json;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('abandoned: no correction or no payment in time closes the request (background job)', async () => {
  await day('2026-11-25');
  const a = await letter('2026-09-22');
  let x = await step(a.id, 'correction', { items: ['请说明所需信息的具体名称'], notice_date: '2026-09-24', due_workdays: 1 });
  assert.equal(x.json.correction.due_date, '2026-09-28', 'Sep 25-27 are off');
  const closed = await waitFor(a.id, (r) => r.state === 'replied', 'the lapsed 补正');
  assert.equal(closed.result, 'other_no_correction');
  assert.equal(closed.correction.lapsed, true);
  assert.equal(closed.events.at(-1).action, 'lapse_correction');
  let l = await officer.get(`/api/v1/disclosure/requests/${a.id}/letter`);
  assert.match(l.text, /逾期未补正/);
  assert.match(l.text, /第三十条/);

  const b = await letter('2026-02-10');
  x = await step(b.id, 'fee', { basis: 'page', quantity: 40, notice_date: '2026-02-12' });
  assert.equal(x.status, 200);
  const unpaid = await waitFor(b.id, (r) => r.state === 'replied', 'the unpaid fee');
  assert.equal(unpaid.result, 'other_no_fee');
  assert.equal(unpaid.fees[0].state, 'lapsed');
  l = await officer.get(`/api/v1/disclosure/requests/${b.id}/letter`);
  assert.match(l.text, /逾期未按收费通知要求缴纳信息处理费/);
  // the system's outcomes are not the officer's to choose
  const c = await letter(today());
  x = await step(c.id, 'reply', { result: 'other_no_fee' });
  assert.equal(x.status, 409);
});

// Each result (disclosure_codes.h) with a words of its letter and its article.
const RESULTS = {
  public: ['予以公开', '第三十六条'], partial: ['部分公开', '第三十七条'],
  deny_state_secret: ['属于国家秘密', '第十四条'], deny_law: ['其他法律行政法规禁止公开', '第十四条'],
  deny_safety: ['三安全一稳定', '第十四条'], deny_third_party: ['保护第三方合法权益', '第十五条'],
  deny_internal: ['属于三类内部事务信息', '第十六条第一款'], deny_process: ['属于四类过程性信息', '第十六条第二款'],
  deny_enforcement: ['属于行政执法案卷', '第十六条第二款'], deny_inquiry: ['属于行政查询事项', '第三十六条第（七）项'],
  unable_not_held: ['本机关不掌握相关政府信息', '第三十六条第（四）项'],
  unable_need_create: ['没有现成信息需要另行制作', '第三十八条'], unable_unclear: ['补正后申请内容仍不明确', '第三十条'],
  reject_petition: ['信访举报投诉类申请', '第三十九条第一款'], reject_repeat: ['重复申请', '第三十六条第（六）项'],
  reject_publication: ['要求提供公开出版物', '第三十九条第二款'], reject_mass: ['无正当理由大量反复申请', '第三十五条'],
  reject_confirm: ['要求行政机关确认或重新出具已获取信息', '第二条'], other: ['其他', '政府信息公开条例'],
};

test('every result has its reply letter with the legal basis and the remedies', async () => {
  await day('2026-06-01');
  for (const [result, [label, article]] of Object.entries(RESULTS)) {
    const r = await letter(today(), { content: `申请公开事项（${result}）` });
    let l = await officer.get(`/api/v1/disclosure/requests/${r.id}/letter`);
    assert.equal(l.status, 409, 'no reply letter before the reply');
    const x = await step(r.id, 'reply', { result, note: result === 'other' ? '申请人另有安排' : '' });
    assert.equal(x.status, 200, `${result}: ${x.text}`);
    assert.equal(x.json.result, result);
    l = await officer.get(`/api/v1/disclosure/requests/${r.id}/letter`);
    assert.equal(l.status, 200);
    assert.match(l.text, /政府信息公开申请答复告知书/);
    assert.ok(l.text.includes(label), `${result}: the letter names the result`);
    assert.ok(l.text.includes(article), `${result}: the letter cites ${article}`);
    assert.match(l.text, /六十日内向长沙市人民政府申请行政复议/);
    assert.match(l.text, /六个月内依法向人民法院提起行政诉讼/);
    assert.ok(l.text.includes(`申请公开事项（${result}）`), 'the letter quotes the request');
    assert.ok(l.text.includes('长沙市政务服务中心'));
  }
  // the letter escapes what the applicant typed
  const r = await letter(today(), { content: '<script>alert(1)</script>' });
  await step(r.id, 'reply', { result: 'public' });
  const l = await officer.get(`/api/v1/disclosure/requests/${r.id}/letter`);
  assert.ok(!l.text.includes('<script>'));
  assert.ok(l.text.includes('&lt;script&gt;'));
});

test('online by the applicant: identity from the account, own requests only, correction and withdrawal', async () => {
  await day('2026-06-01');
  let r = await citizen.post('/api/v1/disclosure/requests', { dept_id: zwzx, content: '请公开本年度窗口服务满意度' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.channel, 'online');
  assert.equal(r.json.applicant_name, '张三');
  assert.equal(r.json.applicant_type, 'person');
  assert.equal(r.json.received_date, today());
  const id = r.json.id;
  r = await citizen.post('/api/v1/disclosure/requests', { dept_id: zwzx, content: 'x', applicant_type: 'company' });
  assert.equal(r.status, 422, 'a person files as a person');
  r = await citizen.post('/api/v1/disclosure/requests', { dept_id: zwzx, content: 'x', channel: 'letter', received_date: '2026-01-05' });
  assert.equal(r.status, 422);
  assert.deepEqual(r.json.error.details.map((d) => d.field).sort(), ['channel', 'received_date']);
  // a company account chooses its type
  const company = await as(srv.base, 'xiangjiang_food');
  r = await company.post('/api/v1/disclosure/requests', { dept_id: zwzx, content: '请公开餐饮许可办理时限' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.details[0].field, 'applicant_type');
  r = await company.post('/api/v1/disclosure/requests', { dept_id: zwzx, content: '请公开餐饮许可办理时限', applicant_type: 'company', contact_person: '王经理' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.applicant_type_label, '商业企业');
  // the applicant sees their own, not the others'
  const mine = (await citizen.get('/api/v1/disclosure/requests')).json;
  assert.ok(mine.items.length >= 1 && mine.items.every((x) => x.applicant_name === '张三'));
  assert.equal((await company.get(`/api/v1/disclosure/requests/${id}`)).status, 404);
  // the applicant may not answer for the organ
  r = await citizen.post(`/api/v1/disclosure/requests/${id}/reply`, { result: 'public' });
  assert.equal(r.status, 403);
  // the organ asks for a correction, the applicant corrects online
  r = await step(id, 'correction', { items: ['请说明需要哪一时段的数据'] });
  assert.equal(r.status, 200, r.text);
  r = await citizen.post(`/api/v1/disclosure/requests/${id}/corrected`, { content: '2026年1月至11月' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.clock_start, today());
  // and withdraws it
  r = await citizen.post(`/api/v1/disclosure/requests/${id}/withdraw`, { reason: '已通过其他途径获取' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.result, 'other');
  assert.match(r.json.reply_note, /撤回/);
  r = await citizen.post(`/api/v1/disclosure/requests/${id}/withdraw`, {});
  assert.equal(r.status, 409);
  const l = await citizen.get(`/api/v1/disclosure/requests/${id}/letter`);
  assert.equal(l.status, 200, 'the applicant prints their own letter');
  assert.equal((await citizen.get(`/api/v1/disclosure/requests/${id}/letter?kind=consult`)).status, 403);
  assert.equal((await citizen.get(`/api/v1/disclosure/requests/${id}/letter?kind=poem`)).status, 422);
});

test('remedies: 复议 and 诉讼 recorded against a replied request', async () => {
  await day('2026-06-01');
  const r = await letter('2026-02-10');
  let x = await officer.post(`/api/v1/disclosure/requests/${r.id}/remedies`, { stage: 'reconsideration', filed_date: '2026-03-01' });
  assert.equal(x.status, 409, 'only a replied request');
  await step(r.id, 'reply', { result: 'deny_process', reply_date: '2026-03-02' });
  x = await officer.post(`/api/v1/disclosure/requests/${r.id}/remedies`, { stage: 'appeal', filed_date: '2026-03-10', result: 'won' });
  assert.equal(x.status, 422);
  assert.deepEqual(x.json.error.details.map((d) => d.field).sort(), ['result', 'stage']);
  x = await officer.post(`/api/v1/disclosure/requests/${r.id}/remedies`, { stage: 'reconsideration', filed_date: '2026-03-10', decided_date: '2026-04-01' });
  assert.equal(x.status, 422, 'a pending remedy has no decision day');
  assert.equal((await officer.get(`/api/v1/disclosure/requests/${r.id}`)).json.remedies.length, 0, 'nothing stored');
  x = await officer.post(`/api/v1/disclosure/requests/${r.id}/remedies`, { stage: 'reconsideration', filed_date: '2026-03-10', authority: '长沙市人民政府' });
  assert.equal(x.status, 201, x.text);
  const rem = x.json.remedies[0];
  assert.equal(rem.result, 'pending');
  assert.equal(rem.stage_label, '行政复议');
  x = await officer.put(`/api/v1/disclosure/requests/${r.id}/remedies/${rem.id}`, { result: 'corrected', decided_date: '2026-05-08' });
  assert.equal(x.status, 200, x.text);
  assert.equal(x.json.remedies[0].result_label, '结果纠正');
  x = await officer.put(`/api/v1/disclosure/requests/${r.id}/remedies/${rem.id}`, { result: 'upheld', decided_date: '2026-05-09' });
  assert.equal(x.status, 409, 'a decided result is recorded once');
  x = await officer.post(`/api/v1/disclosure/requests/${r.id}/remedies`, { stage: 'suit_after', filed_date: '2026-05-20' });
  assert.equal(x.status, 201);
  assert.equal(x.json.remedies.length, 2);
});

test('bad input: 422 naming each field in Chinese, and nothing stored', async () => {
  await day('2026-06-01');
  const before = (await centre.get('/api/v1/disclosure/requests?page_size=1')).json.total;
  const bad = [
    [{ channel: 'pigeon', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150011', phone: '13800000001', content: 'x' }, 'channel'],
    [{ channel: 'letter', applicant_type: 'alien', applicant_name: '李四', applicant_no: '430102198507150011', phone: '13800000001', content: 'x' }, 'applicant_type'],
    [{ channel: 'letter', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150012', phone: '13800000001', content: 'x' }, 'applicant_no'],
    [{ channel: 'letter', applicant_type: 'company', applicant_name: '某公司', applicant_no: '430102198507150011', contact_person: '王', phone: '13800000001', content: 'x' }, 'applicant_no'],
    [{ channel: 'letter', applicant_type: 'person', applicant_name: '', applicant_no: '430102198507150011', phone: '13800000001', content: 'x' }, 'applicant_name'],
    [{ channel: 'letter', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150011', phone: '123', content: 'x' }, 'phone'],
    [{ channel: 'letter', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150011', phone: '13800000001', content: '' }, 'content'],
    [{ channel: 'letter', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150011', phone: '13800000001', content: 'x', received_date: '2099-01-01' }, 'received_date'],
    [{ channel: 'letter', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150011', phone: '13800000001', content: 'x', received_date: '2026-13-01' }, 'received_date'],
    [{ channel: 'online', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150011', phone: '13800000001', content: 'x' }, 'channel'],
    [{ channel: 'letter', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150011', phone: '13800000001', content: 'x', dept_id: 999999 }, 'dept_id'],
    [{ channel: 'letter', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150011', phone: '13800000001', content: 'x'.repeat(2001) }, 'content'],
  ];
  for (const [body, field] of bad) {
    const r = await officer.post('/api/v1/disclosure/requests', body);
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    const d = r.json.error.details.find((e) => e.field === field);
    assert.ok(d, `${field} is named: ${r.text}`);
    assert.match(d.message, /[\u4e00-\u9fa5]/, 'a Chinese reason');
  }
  assert.equal((await centre.get('/api/v1/disclosure/requests?page_size=1')).json.total, before, 'nothing stored');
  // a bad step leaves the request as it was
  const r = await letter('2026-02-10');
  const x = await step(r.id, 'reply', { result: 'maybe', reply_date: 'yesterday' });
  assert.equal(x.status, 422);
  assert.deepEqual(x.json.error.details.map((d) => d.field).sort(), ['reply_date', 'result']);
  const again = (await officer.get(`/api/v1/disclosure/requests/${r.id}`)).json;
  assert.equal(again.state, 'processing');
  assert.deepEqual(again.events, r.events);
  // and a query that makes no sense
  assert.equal((await officer.get('/api/v1/disclosure/requests?state=lost')).status, 422);
});
