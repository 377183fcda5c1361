// Browser tests of the 12345 work orders' attachments and the rankings' unit kinds
// (web/app/pages/hotline/public.js, detail.js, stats.js; docs/api.md "Hotline", Attachments): a citizen
// on a 375 px phone leaves a 留言, adds a photo, sees it on the follow page, and a text file named .png
// is refused with the server's Chinese reason; an operator sees the photo on the order, uploads a file
// of the centre's and the list shows it; the lead unit answers with an attachment, which the citizen
// sees once the reply is published; the rankings' kind filter shows only the enterprises.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newCity, cli, as } from '../api/helpers.mjs';
import { launch, newPage as openPage, signIn } from './browser.mjs';

// The last whole month, in China time (the rankings page opens on it; gen-orders fills it).
const now = new Date(Date.now() + 8 * 3600e3);
const lm = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
const MONTH = lm.toISOString().slice(0, 7);

// A 1×1 PNG, and a minimal PDF (header and trailer, as the server's sniffing asks).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
const PHONE = { width: 375, height: 812 };

let srv, browser, op, unit, unitUser;
let number, code, orderId;
before(async () => {
  const city = newCity({ demo: true });
  // 3,000 orders over the year so far: every enterprise has some in any month (600 left the water
  // company none in November once the year reached December)
  cli(city, ['gen-orders', '--orders', '3000', '--year', MONTH.slice(0, 4), '--seed', '11']);
  srv = await startServer({ db: city });
  browser = await launch();
  [op, unit] = await Promise.all(['rexian01', 'chengban01'].map((u) => as(srv.base, u)));
  unitUser = (await unit.get('/api/v1/auth/me')).json.user;
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

async function newPage(viewport) {
  const page = await openPage(browser, viewport);
  page.setDefaultTimeout(10000);
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) page.errors.push(m.text()); });
  return page;
}

// Every image of the selector has loaded (its bytes came back as an image).
const imagesLoaded = (page, sel) => page.waitForFunction((s) => {
  const imgs = [...document.querySelectorAll(s + ' img')];
  return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
}, sel);

test('a citizen on a phone adds a photo to the 留言 and sees it on the follow page; a text file is refused', async () => {
  const page = await newPage(PHONE);
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.goto(srv.base + '/12345');
  await page.waitForSelector('[data-test=hl-form]');
  await page.click('[data-test=hl-cat-complaint]');
  await page.fill('[data-test=hl-title]', '小区门口井盖破损');
  await page.fill('[data-test=hl-text]', '天心区某小区南门口的井盖破损下陷，夜里行人容易踩空，请尽快修复。');
  await page.fill('[data-test=hl-name]', '王先生');
  await page.fill('[data-test=hl-phone]', '13873112233');
  await page.click('[data-test=hl-submit]');
  await page.waitForSelector('[data-test=hl-done]');
  number = (await page.locator('[data-test=hl-number]').innerText()).trim();
  code = (await page.locator('[data-test=hl-code]').innerText()).trim();

  // a text file named .png: the browser's check passes it (its type comes from the name), the server
  // types it by content and refuses it; nothing is stored
  await page.setInputFiles('[data-test=hl-photo-input]', { name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('这不是图片，只是文字。\n') });
  await page.waitForSelector('[data-test=hl-photo-error]');
  assert.match(await page.locator('[data-test=hl-photo-error]').innerText(), /fake\.png.*只接受 JPG 或 PNG 图片/);
  assert.equal(await page.locator('[data-test=hl-photo]').count(), 0);
  // a file of another type is refused in the browser, before sending
  await page.setInputFiles('[data-test=hl-photo-input]', { name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await page.waitForFunction(() => document.querySelector('[data-test=hl-photo-error]')?.innerText.includes('只能上传 JPG 或 PNG 格式的图片'));

  await page.setInputFiles('[data-test=hl-photo-input]', { name: '井盖.png', mimeType: 'image/png', buffer: PNG });
  await page.waitForSelector('[data-test=hl-done] [data-test=hl-photo]');
  await imagesLoaded(page, '[data-test=hl-done] [data-test=hl-photo]');
  assert.equal(await page.locator('[data-test=hl-photo-error]').count(), 0, 'the old reasons are cleared');
  assert.match(await page.locator('[data-test=hl-photos]').innerText(), /已上传 1 张/);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'fits a 375 px screen');

  // the follow page shows it (and still takes more while the order is open)
  await page.click('[data-test=hl-follow]');
  await page.waitForSelector('[data-test=hlq-photos] [data-test=hl-photo]');
  await imagesLoaded(page, '[data-test=hlq-photos]');
  assert.equal(await page.locator('[data-test=hlq-photos] [data-test=hl-photo]').count(), 1);
  assert.equal(await page.locator('[data-test=hlq-photos] [data-test=hl-photo-input]').count(), 1);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'fits a 375 px screen');
  assert.deepEqual(page.errors, []);
  // the code went in headers and the fragment only: no address the server or a proxy logs holds it
  assert.ok(urls.some((u) => u.includes('/attachments')), 'the photo was sent and fetched');
  assert.deepEqual(urls.filter((u) => u.split('#')[0].includes(code)), []);
  assert.ok(await page.evaluate(() => [...document.querySelectorAll('[data-test=hl-photo] img')].every((i) => i.src.startsWith('blob:'))));

  const found = await ok(op.get(`/api/v1/hotline/orders?q=${number}`), 'find');
  orderId = found.items[0].id;
});

test('an operator sees the photo on the order and uploads an attachment of the centre', async () => {
  assert.ok(orderId, 'the citizen test made the order');
  const page = await newPage();
  await signIn(page, srv.base, 'rexian01');
  await page.goto(`${srv.base}/admin/hotline/orders/${orderId}`);
  await page.waitForSelector('[data-test=attach-row]');
  assert.equal(await page.locator('[data-test=attach-row]').count(), 1);
  const row = await page.locator('[data-test=attach-row]').first().innerText();
  assert.match(row, /井盖\.png/);
  assert.match(row, /市民/);
  // the download link gives the photo
  const href = await page.locator('[data-test=attach-link]').first().getAttribute('href');
  const got = await page.evaluate(async (u) => { const r = await fetch(u); return [r.status, r.headers.get('content-type')]; }, href);
  assert.deepEqual(got, [200, 'image/png']);

  await page.setInputFiles('[data-test=attach-upload]', { name: '现场核查记录.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.waitForFunction(() => document.querySelectorAll('[data-test=attach-row]').length === 2);
  const rows = await page.locator('[data-test=attach-row]').allInnerTexts();
  assert.ok(rows.some((r) => /现场核查记录\.pdf/.test(r) && /热线中心/.test(r)), rows.join(' | '));
  // a file the server does not take: its reason, nothing attached
  await page.setInputFiles('[data-test=attach-upload]', { name: 'a.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00binary') });
  await page.waitForSelector('.el-message--error');
  assert.match(await page.locator('.el-message--error').first().innerText(), /a\.exe：/);
  assert.equal(await page.locator('[data-test=attach-row]').count(), 2);
  assert.deepEqual(page.errors, []);
});

test('the lead unit answers with an attachment, which the citizen sees once the reply is published', async () => {
  assert.ok(orderId, 'the citizen test made the order');
  await ok(op.post(`/api/v1/hotline/orders/${orderId}/dispatch`, { unit_id: unitUser.dept_id }), 'dispatch');
  await ok(unit.post(`/api/v1/hotline/orders/${orderId}/sign`), 'sign');
  const page = await newPage();
  await signIn(page, srv.base, 'chengban01');
  await page.goto(`${srv.base}/admin/hotline/orders/${orderId}`);
  await page.click('[data-test=act-reply]');
  await page.fill('[data-test=reply-text]', '经现场核查，井盖已于当日更换，路面已恢复平整，感谢您的反映。');
  await page.setInputFiles('[data-test=reply-upload]', { name: '更换后.png', mimeType: 'image/png', buffer: PNG });
  await page.waitForSelector('[data-test=reply-file]');
  await page.click('.el-dialog [data-test=dialog-confirm]');
  await page.locator('.el-dialog').first().waitFor({ state: 'hidden' });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-test=attach-row]')].some((r) => r.innerText.includes('更换后.png') && r.innerText.includes('答复附件')));
  assert.deepEqual(page.errors, []);
  await ok(op.post(`/api/v1/hotline/orders/${orderId}/review`, { approve: true }), 'approve');

  const citizen = await newPage(PHONE);
  await citizen.goto(`${srv.base}/12345/query#` + new URLSearchParams({ number, code }));
  await citizen.waitForSelector('[data-test=hlq-reply-files] [data-test=hlq-reply-file]');
  await imagesLoaded(citizen, '[data-test=hlq-reply-files]');
  // closed: the photos are shown, no more can be added; the centre's working file is not the citizen's to see
  assert.equal(await citizen.locator('[data-test=hlq-photos] [data-test=hl-photo]').count(), 1);
  assert.equal(await citizen.locator('[data-test=hl-photo-input]').count(), 0);
  assert.doesNotMatch(await citizen.locator('[data-test=hlq-result]').innerText(), /现场核查记录/);
  assert.deepEqual(citizen.errors, []);
});

test('the rankings filter by unit kind: only the enterprises', async () => {
  const page = await newPage();
  await signIn(page, srv.base, 'center_admin');
  await page.goto(`${srv.base}/admin/hotline/rankings?month=${MONTH}`);
  await page.waitForSelector('[data-test=rank-table] [data-test=rank-kind-tag]');
  const all = await page.locator('[data-test=rank-kind-tag]').allInnerTexts();
  assert.ok(new Set(all.map((t) => t.trim())).size > 1, 'every kind of unit at first: ' + all.join(','));
  await page.click('[data-test=rank-kind-enterprise]');
  await page.waitForURL(/kind=enterprise/);
  await page.waitForFunction(() => {
    const tags = [...document.querySelectorAll('[data-test=rank-table] [data-test=rank-kind-tag]')];
    return tags.length > 0 && tags.every((t) => t.innerText.trim() === '企业');
  });
  const names = await page.locator('[data-test=rank-table] [data-test=rank-unit]').allInnerTexts();
  assert.ok(names.includes('长沙水务集团有限公司'), names.join(','));
  assert.equal(await page.locator('[data-test=rank-units]').innerText(), String(names.length), 'ranked among themselves');
  // back to all
  await page.click('[data-test=rank-kind-all]');
  await page.waitForFunction(() => new Set([...document.querySelectorAll('[data-test=rank-table] [data-test=rank-kind-tag]')].map((t) => t.innerText.trim())).size > 1);
  assert.deepEqual(page.errors, []);
});
