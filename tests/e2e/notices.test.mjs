// Browser tests of the printed notices (web/app/pages/cases/notice.js): cases are driven through the
// API to each notice — 受理通知书, 补正告知书, 不予受理通知书, 准予 / 不予行政许可决定书 (back office and
// 告知承诺), 送达回证 — and each rendered notice is read as text: every paragraph a finished sentence,
// the addressee, the legal basis with its article, the approver's opinion, the remedies of a refusal,
// the issuing organ and the date, and the seal block's organ name on one line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as } from '../api/helpers.mjs';
import { launch, newPage, signIn } from './browser.mjs';

const FOOD = '1143010000825175203011010001001'; // 食品经营许可(新办): 受理, 审查, 许可决定 (市场监管)
const RENEW = '1143010000825175203011010001003'; // 食品经营许可(延续): 告知承诺 allowed
const OPINION = '经审查，申请人经营场所、设备设施及管理制度符合食品安全要求，同意准予许可';
const DENY = '现场核查发现经营场所与申请材料不一致，不符合食品经营许可审查通则的要求';

let srv, browser, applicant, clerk, approver, guide;
before(async () => {
  srv = await startServer();
  browser = await launch();
  [applicant, clerk, approver] = await Promise.all(['zhangsan', 'window01', 'scjg_shenpi'].map((u) => as(srv.base, u)));
  guide = (await applicant.get(`/api/v1/items/${FOOD}`)).json;
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

async function submitted(code = FOOD) {
  const g = code === FOOD ? guide : (await applicant.get(`/api/v1/items/${code}`)).json;
  const c = await ok(applicant.post('/api/v1/cases', {
    item_code: code, materials: g.materials.map((m) => m.name), form: { phone: '13800138000' }, submit: true,
  }), 'apply');
  return c.id;
}

// Passes the back-office steps until only the decision is left.
async function passSteps(id) {
  for (let guard = 0; guard < 6; guard++) {
    const c = (await approver.get(`/api/v1/cases/${id}`)).json;
    const left = c.steps.length - 1 - c.current_step;
    if (left <= 0) return;
    await ok(approver.post(`/api/v1/cases/${id}/step`, { action: 'pass', note: '同意' }), 'pass');
  }
}

const localDay = (at) => {
  const d = new Date(at * 1000);
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`;
};
const cnDay = (s) => { const [y, m, d] = s.split('-').map(Number); return `${y}年${m}月${d}日`; };

// Opens a notice and reads it: the title, the addressee, the paragraphs, the whole text, the seal.
async function read(page, id, kind) {
  await page.goto(`${srv.base}/cases/${id}/notice/${kind}`);
  await page.waitForSelector('[data-test=notice-title]');
  return page.evaluate(() => {
    const seal = document.querySelector('[data-test=notice-seal-org]');
    const box = seal.getBoundingClientRect();
    return {
      title: document.querySelector('[data-test=notice-title]').innerText,
      to: document.querySelector('[data-test=notice-to]')?.innerText ?? null,
      paragraphs: [...document.querySelectorAll('.a4 .notice-text')].map((p) => p.innerText.trim()),
      text: document.querySelector('.a4').innerText,
      seal: seal.innerText,
      sealHeight: box.height,
      sealRight: box.right,
      lineHeight: parseFloat(getComputedStyle(seal).lineHeight),
      date: document.querySelector('[data-test=notice-date]').innerText,
    };
  });
}

// What every notice must be: finished sentences, the organ, the date, the basis, the seal on one line.
function assertDocument(n, c, date, title) {
  assert.equal(n.title, title);
  assert.ok(n.paragraphs.length >= 2, `${title}: paragraphs ${JSON.stringify(n.paragraphs)}`);
  for (const p of n.paragraphs) {
    assert.doesNotMatch(p, /[，：、；,:;]$/, `${title}: a paragraph ends mid-sentence: «${p}»`);
    assert.match(p, /[。）]$/, `${title}: a paragraph does not end a sentence: «${p}»`);
    assert.doesNotMatch(p, /[\u4e00-\u9fff][,;:?!][\u4e00-\u9fff]/, `${title}: ASCII punctuation in «${p}»`);
  }
  assert.match(n.text, /《中华人民共和国行政许可法》第[一二三四五六七八九十]+条/, `${title}: the legal basis with its article`);
  assert.ok(n.text.startsWith(c.dept), `${title}: headed by the issuing organ`);
  assert.equal(n.seal, `${c.dept}（印章）`, `${title}: the seal names the organ`);
  assert.ok(Math.abs(n.sealHeight - n.lineHeight) < 1, `${title}: the seal's organ name is on one line (${n.sealHeight}px, line ${n.lineHeight}px)`);
  assert.equal(n.date, date, `${title}: dated`);
  if (n.to !== null) assert.equal(n.to, `${c.applicant_name}：`, `${title}: addressed to the applicant`);
}

const REMEDIES = [/六十日内[^。]*行政复议/, /六个月内[^。]*行政诉讼/];

test('受理通知书, 补正告知书, 准予行政许可决定书 with the approver’s opinion, 送达回证', async () => {
  const id = await submitted();
  const [first, second] = guide.materials;
  await ok(clerk.post(`/api/v1/cases/${id}/correction`, {
    items: [{ material: first.name, reason: '需加盖公章' }, { material: second.name, reason: '复印件不清晰，请重新提交' }],
  }), 'correction');
  await ok(applicant.post(`/api/v1/cases/${id}/resubmit`, { materials: [first.name, second.name], note: '已补正' }), 'resubmit');
  await ok(clerk.post(`/api/v1/cases/${id}/accept`, {}), 'accept');
  await passSteps(id);
  await ok(approver.post(`/api/v1/cases/${id}/step`, { action: 'approve', note: OPINION, opinion: OPINION }), 'approve');
  await ok(clerk.post(`/api/v1/cases/${id}/deliver`, { method: 'express', ref: 'SF1234567890' }), 'deliver');
  const c = (await applicant.get(`/api/v1/cases/${id}`)).json;
  const at = (action) => c.events.findLast((e) => e.action === action).at;

  const page = await newPage(browser);
  await signIn(page, srv.base, 'zhangsan');

  const accept = await read(page, id, 'accept');
  assertDocument(accept, c, localDay(at('accept')), '受理通知书');
  assert.match(accept.text, /第三十二条第一款第（五）项/);
  assert.match(accept.text, new RegExp(`${cnDay(c.promised_day)}前作出行政许可决定`));
  assert.ok(accept.text.includes(c.item_name));

  const correction = await read(page, id, 'correction');
  assertDocument(correction, c, localDay(at('correction')), '补正告知书');
  assert.match(correction.text, /第三十二条第一款第（四）项/);
  assert.match(correction.text, /一次性告知/);
  const rows = await page.locator('[data-test=notice-item]').allInnerTexts();
  assert.deepEqual(rows.map((r) => r.split('\t').slice(1).join('|')), [`${first.name}|需加盖公章`, `${second.name}|复印件不清晰，请重新提交`]);

  const decision = await read(page, id, 'decision');
  assertDocument(decision, c, cnDay(c.decided_day), '准予行政许可决定书');
  assert.match(decision.text, /第三十八条第一款/);
  assert.match(decision.text, /决定准予行政许可。/);
  assert.ok(decision.paragraphs.includes(`审批意见：${OPINION}。`), `the opinion is printed: ${JSON.stringify(decision.paragraphs)}`);
  assert.match(decision.text, /第四十四条/);
  assert.ok(decision.text.includes(guide.result.name), 'the permit the decision grants');
  for (const r of REMEDIES) assert.doesNotMatch(decision.text, r, 'a grant has no remedies paragraph');

  const delivery = await read(page, id, 'delivery');
  assertDocument(delivery, c, localDay(at('deliver')), '送达回证');
  assert.match(delivery.text, /SF1234567890/);
  assert.match(delivery.text, /邮寄送达/);
  assert.match(delivery.text, new RegExp(`送达机关\\s*${c.dept}`));
  assert.ok(delivery.text.includes(c.applicant_name));

  // The case page links every notice it has.
  await page.goto(`${srv.base}/cases/${id}`);
  await page.waitForSelector('[data-test=notice-delivery]');
  for (const k of ['accept', 'correction', 'decision', 'delivery']) assert.equal(await page.locator(`[data-test=notice-${k}]`).count(), 1, k);
  // A notice the case does not have says so instead of printing half a document.
  await page.goto(`${srv.base}/cases/${id}/notice/refuse`);
  await page.waitForSelector('[data-test=notice-none]');
  assert.deepEqual(page.errors, []);
});

test('不予受理通知书 and 不予行政许可决定书 give the reasons and the remedies', async () => {
  const refused = await submitted();
  await ok(clerk.post(`/api/v1/cases/${refused}/refuse`, { reasons: ['申请事项依法不属于本机关职权范围', '申请人已在异地办理同一事项'] }), 'refuse');
  const denied = await submitted();
  await ok(clerk.post(`/api/v1/cases/${denied}/accept`, {}), 'accept');
  await passSteps(denied);
  await ok(approver.post(`/api/v1/cases/${denied}/step`, { action: 'deny', reason: DENY }), 'deny');

  const page = await newPage(browser);
  await signIn(page, srv.base, 'window01');
  const r = (await clerk.get(`/api/v1/cases/${refused}`)).json;
  const refuse = await read(page, refused, 'refuse');
  assertDocument(refuse, r, localDay(r.events.findLast((e) => e.action === 'refuse').at), '不予受理通知书');
  assert.match(refuse.text, /第三十二条/);
  assert.match(refuse.text, /（一）申请事项依法不属于本机关职权范围；（二）申请人已在异地办理同一事项。/);
  assert.match(refuse.text, /决定不予受理。/);
  for (const re of REMEDIES) assert.match(refuse.text, re);
  assert.match(refuse.text, /行政复议法》第二十条/);
  assert.match(refuse.text, /行政诉讼法》第四十六条/);

  // A refused case has its number, but only the refusal to print: nothing was accepted.
  await page.goto(`${srv.base}/cases/${refused}`);
  await page.waitForSelector('[data-test=notice-refuse]');
  assert.equal(await page.locator('[data-test=notice-accept]').count(), 0);

  const d = (await clerk.get(`/api/v1/cases/${denied}`)).json;
  const deny = await read(page, denied, 'decision');
  assertDocument(deny, d, cnDay(d.decided_day), '不予行政许可决定书');
  assert.match(deny.text, /第三十八条第二款/);
  assert.ok(deny.paragraphs.includes(`不予行政许可的理由：${DENY}。`), JSON.stringify(deny.paragraphs));
  for (const re of REMEDIES) assert.match(deny.text, re);
  assert.deepEqual(page.errors, []);
});

test('告知承诺: the decision made on the spot reads as a complete 准予 decision; the seal stays on one line on a phone', async () => {
  const id = await submitted(RENEW);
  await ok(clerk.post(`/api/v1/cases/${id}/accept`, { commitment: { signed_by: '张三', text: '本人承诺所填信息真实，经营条件符合要求。' } }), 'commitment');
  const c = (await applicant.get(`/api/v1/cases/${id}`)).json;
  assert.equal(c.state, 11);
  const page = await newPage(browser, { width: 375, height: 812 });
  await signIn(page, srv.base, 'zhangsan');
  const n = await read(page, id, 'decision');
  assertDocument(n, c, cnDay(c.decided_day), '准予行政许可决定书');
  assert.match(n.text, /告知承诺/);
  assert.match(n.text, new RegExp(`${cnDay(c.followup_due_day)}前`));
  assert.ok(n.sealRight <= 375, `the seal block stays on the screen (${n.sealRight})`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375);
  assert.deepEqual(page.errors, []);
});
