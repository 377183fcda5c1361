// 政府信息公开, the finishing pieces over real HTTP (docs/api.md "Disclosure"): the reply letter's
// preview before the reply is sent; the requests inbox filtered by open state, overdue and due
// within N days, and sorted by due or received day; the actions a user may take on a request now;
// the 主动公开目录 filtered by a category with its subcategories; each organ's 政府信息公开指南; and the
// public lookup of published documents by 文号. Scope and bad input on each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, cli } from './helpers.mjs';

let srv, officer, officerB, centre, citizen, pub, zwzx, deptB;
before(async () => {
  srv = await startServer();
  pub = new Client(srv.base);
  [officer, officerB, centre, citizen] = await Promise.all(['gongkai01', 'gongkai02', 'center_admin', 'zhangsan'].map((u) => as(srv.base, u)));
  const organs = (await pub.get('/api/v1/disclosure/organs')).json.items;
  zwzx = organs.find((o) => o.name === '长沙市政务服务中心').dept_id;
  deptB = (await officerB.get('/api/v1/auth/me')).json.user.dept_id;
});
after(() => srv.stop());

const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

async function letter(extra = {}) {
  const r = await officer.post('/api/v1/disclosure/requests', {
    channel: 'letter', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150011',
    phone: '13800000001', content: '请公开本中心窗口设置情况', received_date: today(), ...extra,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('the reply letter previewed before it is sent: checked as the reply is, nothing stored', async () => {
  const r = await letter();
  const url = `/api/v1/disclosure/requests/${r.id}/letter-preview`;
  let res = await officer.post(url, { result: 'partial', note: '第三项涉及个人隐私，不予公开。' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.result, 'partial');
  assert.equal(res.json.result_label, '部分公开');
  const html = res.json.html;
  assert.match(html, /政府信息公开申请答复告知书/);
  assert.match(html, /李四/);
  assert.match(html, /第三项涉及个人隐私，不予公开。/);
  assert.match(html, /第三十六条第（三）项、第三十七条/, 'the legal basis of 部分公开');
  assert.match(html, /六十日内[\s\S]*行政复议[\s\S]*六个月内[\s\S]*行政诉讼/, 'the remedies');
  assert.equal((await officer.get(`/api/v1/disclosure/requests/${r.id}`)).json.state, 'processing', 'nothing replied');
  // each result its own basis
  res = await officer.post(url, { result: 'unable_not_held' });
  assert.match(res.json.html, /第三十六条第（四）项、第（五）项/);

  // bad input as the reply would get it
  res = await officer.post(url, { result: 'nosuch' });
  assert.equal(res.status, 422);
  assert.equal(res.json.error.details[0].field, 'result');
  res = await officer.post(url, { result: 'other' });
  assert.equal(res.status, 422, 'other needs a note');
  assert.equal(res.json.error.details[0].field, 'note');
  res = await officer.post(url, { result: 'public', reply_date: '2999-01-01' });
  assert.equal(res.status, 422);
  assert.equal(res.json.error.details[0].field, 'reply_date');
  res = await officer.post(url, { result: 'other_no_fee' });
  assert.equal(res.status, 409, 'the background job’s results');

  // scope: another organ's officer, the applicant, the public
  assert.equal((await officerB.post(url, { result: 'public' })).status, 404);
  assert.equal((await citizen.post(url, { result: 'public' })).status, 403);
  assert.equal((await pub.post(url, { result: 'public' })).status, 401);
  assert.equal((await officer.post('/api/v1/disclosure/requests/99999999/letter-preview', { result: 'public' })).status, 404);

  // once replied there is nothing to preview; the letter sent is the same text
  const pre = (await officer.post(url, { result: 'public', note: '见附件。' })).json.html;
  assert.equal((await officer.post(`/api/v1/disclosure/requests/${r.id}/reply`, { result: 'public', note: '见附件。' })).status, 200);
  assert.equal((await officer.post(url, { result: 'public' })).status, 409);
  const sent = await (await fetch(`${srv.base}/api/v1/disclosure/requests/${r.id}/letter`, { headers: { cookie: officer.cookie } })).text();
  assert.equal(sent, pre, 'the preview is the letter sent');
});

test('the audit trail is intact', () => {
  assert.match(cli(srv, ['audit', 'verify']), /intact/);
});
