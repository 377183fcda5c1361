// The citizen's follow-up of a 12345 message (docs/api.md "Hotline", GET /api/v1/hotline/public/orders/
// {number}): the query code is taken from ?code= or from the X-Query-Code header, which the follow page
// uses so that the code is in no query string a proxy logs; a wrong or missing code is 404 either way,
// and the header does not override a code given in the query string.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from './helpers.mjs';

let srv, anon, made;
before(async () => {
  srv = await startServer();
  anon = new Client(srv.base);
  const r = await anon.post('/api/v1/hotline/public/orders', {
    channel: 'mayor_mailbox', category: 'suggestion', title: '建议增设公交线路', text: '建议在梅溪湖片区增设一条通往火车南站的公交线路。',
    caller_name: '周先生', caller_phone: '13800001111',
  });
  assert.equal(r.status, 201, r.text);
  made = r.json;
});
after(() => srv.stop());

const path = () => `/api/v1/hotline/public/orders/${made.number}`;

test('the code in the X-Query-Code header', async () => {
  const r = await anon.req('GET', path(), undefined, { 'X-Query-Code': made.query_code });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.number, made.number);
  assert.equal(r.json.status, '已受理');
  assert.equal(r.json.channel_label, '市长信箱');
  assert.equal(r.json.title, '建议增设公交线路');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  // not case-sensitive, as in the query string
  assert.equal((await anon.req('GET', path(), undefined, { 'X-Query-Code': made.query_code.toLowerCase() })).status, 200);
});

test('a wrong or missing code is 404, by header or query string alike', async () => {
  const wrong = made.query_code.slice(0, -1) + (made.query_code.endsWith('A') ? 'B' : 'A');
  for (const r of [
    await anon.req('GET', path(), undefined, { 'X-Query-Code': wrong }),
    await anon.get(`${path()}?code=${wrong}`),
    await anon.get(path()),
    await anon.req('GET', path(), undefined, { 'X-Query-Code': '' }),
    await anon.req('GET', '/api/v1/hotline/public/orders/RX2000010100001', undefined, { 'X-Query-Code': made.query_code }),
  ]) {
    assert.equal(r.status, 404, r.text);
    assert.equal(r.json.error.message, '工单编号或查询码不正确');
  }
  // the query string's code is the one judged when both are given
  assert.equal((await anon.req('GET', `${path()}?code=${wrong}`, undefined, { 'X-Query-Code': made.query_code })).status, 404);
  assert.equal((await anon.req('GET', `${path()}?code=${made.query_code}`, undefined, { 'X-Query-Code': wrong })).status, 200);
});
