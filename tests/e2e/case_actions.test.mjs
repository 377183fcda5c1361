// The case page shows exactly the actions the server lists for the viewer (`actions` of
// GET /api/v1/cases/{id}): one button or box per action, none other, for several roles on cases in
// several states. The page derives nothing from roles or states itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as } from '../api/helpers.mjs';
import { launch, newPage, signIn } from './browser.mjs';

const FOOD = '1143010000825175203011010001001'; // 市场监管 食品经营许可(新办): 3 steps, a 容缺 material
// The element each action shows on the page.
const SHOWN_BY = {
  submit: 'case-submit', withdraw: 'case-withdraw', accept: 'case-accept', correction: 'case-correction',
  refuse: 'case-refuse', resubmit: 'resubmit-confirm', pass: 'step-pass', return: 'step-return',
  approve: 'step-approve', deny: 'step-deny', suspend: 'case-suspend', resume: 'case-resume',
  supply: 'supply-confirm', followup: 'case-followup', deliver: 'case-deliver', opinion: 'case-opinion',
  review: 'review-submit',
};

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('the case page shows the server\'s actions and nothing else', async () => {
  const api = {};
  for (const who of ['zhangsan', 'window01', 'scjg_shenpi', 'jiandu01']) api[who] = await as(srv.base, who);
  const food = (await api.zhangsan.get(`/api/v1/items/${FOOD}`)).json;
  const tolerable = food.materials.find((m) => m.tolerable).name;
  const post = async (who, path, body = {}) => {
    const r = await api[who].post(path, body);
    assert.ok(r.status < 300, `${path}: ${r.status} ${r.text}`);
    return r.json;
  };
  // a submitted case; one accepted with a 容缺 material at its last step; a decided one
  const submitted = (await post('zhangsan', '/api/v1/cases', { item_code: FOOD, materials: food.materials.map((m) => m.name) })).id;
  const tolerated = (await post('zhangsan', '/api/v1/cases', { item_code: FOOD, materials: food.materials.map((m) => m.name).filter((n) => n !== tolerable) })).id;
  await post('window01', `/api/v1/cases/${tolerated}/accept`, { missing: [tolerable] });
  for (let c = (await api.scjg_shenpi.get(`/api/v1/cases/${tolerated}`)).json; c.current_step < c.steps.length - 1;
    c = (await api.scjg_shenpi.get(`/api/v1/cases/${tolerated}`)).json) await post('scjg_shenpi', `/api/v1/cases/${tolerated}/step`, { action: 'pass' });
  const decided = (await post('zhangsan', '/api/v1/cases', { item_code: FOOD, materials: food.materials.map((m) => m.name) })).id;
  await post('window01', `/api/v1/cases/${decided}/accept`);
  for (let c = (await api.scjg_shenpi.get(`/api/v1/cases/${decided}`)).json; c.current_step < c.steps.length - 1;
    c = (await api.scjg_shenpi.get(`/api/v1/cases/${decided}`)).json) await post('scjg_shenpi', `/api/v1/cases/${decided}/step`, { action: 'pass' });
  await post('scjg_shenpi', `/api/v1/cases/${decided}/step`, { action: 'approve', opinion: '符合条件，准予许可' });

  let compared = 0;
  for (const who of Object.keys(api)) {
    const page = await newPage(browser);
    await signIn(page, srv.base, who);
    for (const id of [submitted, tolerated, decided]) {
      const listed = (await api[who].get(`/api/v1/cases/${id}`)).json.actions;
      await page.goto(`${srv.base}/cases/${id}`);
      await page.waitForSelector('[data-test=case-state]');
      await page.waitForSelector('[data-test=case-timeline]');
      for (const [action, el] of Object.entries(SHOWN_BY)) {
        const n = await page.locator(`[data-test=${el}]`).count();
        assert.equal(n > 0, listed.includes(action), `${who} on case ${id}: ${action} ${listed.includes(action) ? 'listed but not shown' : 'shown but not listed'} (listed: ${listed.join(', ')})`);
        compared++;
      }
      assert.equal(await page.locator('[data-test=case-actions]').count() > 0, listed.length > 0, `${who} on case ${id}: the action panel`);
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
  assert.ok(compared >= 4 * 3 * 17);
});
