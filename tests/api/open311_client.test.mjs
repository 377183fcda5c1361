// The Open311 GeoReport v2 API (docs/api.md "Open311 GeoReport v2") driven by a real Open311 client:
// Code for America's node-open311 from npm (package `open311`, installed by scripts/setup.sh from
// package.json; its XML dependencies cannot be installed from npm and are stand-ins, see
// tests/npm/README.md, so the client runs in its JSON format). It lists the services, reads a
// service definition, posts a request with attributes and a jurisdiction, reads it back by id and
// by id list, resolves its token, and sees it closed with the reply after the loop closes the order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer, as, cli, sqlValue } from './helpers.mjs';

const require = createRequire(import.meta.url);
const Open311 = require('open311');

const JUR = 'changsha.gov.cn';
let srv, client, op, u1, leaf, unitId;

// the library's callbacks as promises; err is truthy (a status or true) on any failure
const call = (fn, ...args) => new Promise((resolve, reject) => {
  fn.call(client, ...args, (err, data) => (err ? reject(new Error(`${err}: ${data}`)) : resolve(data)));
});

before(async () => {
  srv = await startServer({ config: { open311_jurisdiction: JUR } });
  const key = cli(srv, ['open311', 'key', 'add', '随手拍客户端']).trim();
  client = new Open311({ endpoint: `${srv.base}/open311/v2/`, format: 'json', apiKey: key, jurisdiction: JUR });
  op = await as(srv.base, 'rexian01');
  u1 = await as(srv.base, 'chengban01');
  const m = (await op.get('/api/v1/hotline/matters')).json.items;
  leaf = m.find((x) => x.parent_id && !m.some((c) => c.parent_id === x.id));
  unitId = (await op.get('/api/v1/departments')).json.items.find((d) => d.name === '长沙市城市管理和综合执法局').id;
});
after(() => srv.stop());

test('the npm Open311 client: services, definition, post, read, token, closed', async () => {
  // service discovery finds the endpoint and its format
  const finder = new Open311({ discovery: `${srv.base}/open311/discovery.json` });
  const disc = await new Promise((resolve, reject) => finder.serviceDiscovery({ cache: true }, (err, d) => (err ? reject(new Error(String(d))) : resolve(d))));
  assert.equal(disc.endpoints[0].type, 'production');
  assert.match(finder.endpoint, /\/open311\/v2\/$/);
  assert.equal(finder.format, 'json');

  const services = await call(client.serviceList);
  const s = services.find((x) => x.service_code === String(leaf.id));
  assert.equal(s.service_name, leaf.name);
  assert.equal(s.metadata, true);

  const def = await call(client.serviceDefinition, String(leaf.id));
  assert.equal(def.service_code, String(leaf.id));
  const category = def.attributes.find((a) => a.code === 'category');
  assert.equal(category.required, true);

  const text = '湘江中路人行道上共享单车乱停乱放，影响通行';
  const posted = await call(client.submitRequest, {
    service_code: String(leaf.id), lat: 28.1941, long: 112.9685, address_string: '长沙市天心区湘江中路',
    description: text, first_name: '小红', last_name: '李', phone: '13873100009',
    attributes: { category: 'complaint', privacy: 'public' },
  });
  assert.equal(posted.length, 1);
  const id = posted[0].service_request_id;
  assert.match(id, /^RX\d{13}$/);
  assert.match(posted[0].service_notice, /受理/);
  const row = sqlValue(srv, `SELECT channel || '|' || source_name || '|' || caller_name FROM hotline_orders WHERE number = '${id}'`);
  assert.equal(row, 'open311|随手拍客户端|李小红', 'an order from channel open311 with the client as its source');

  let got = await call(client.serviceRequest, id);
  assert.equal(got[0].service_request_id, id);
  assert.equal(got[0].status, 'open');
  assert.equal(got[0].description, text);
  assert.ok(got[0].requested_datetime instanceof Date && !Number.isNaN(got[0].requested_datetime.getTime()));
  const list = await call(client.serviceRequests, [id], {});
  assert.deepEqual(list.map((r) => r.service_request_id), [id]);
  const open = await call(client.serviceRequests, { service_code: String(leaf.id), status: 'open' });
  assert.ok(open.some((r) => r.service_request_id === id));
  const tok = await call(client.token, id);
  assert.equal(tok[0].service_request_id, id);

  // the loop closes the order; the client sees it closed with the reply
  const oid = Number(sqlValue(srv, `SELECT id FROM hotline_orders WHERE number = '${id}'`));
  assert.equal((await op.post(`/api/v1/hotline/orders/${oid}/dispatch`, { unit_id: unitId })).status, 200);
  assert.equal((await u1.post(`/api/v1/hotline/orders/${oid}/sign`)).status, 200);
  const reply = '已联系运营企业清理违停单车，并在该路段设置停放点。';
  assert.equal((await u1.post(`/api/v1/hotline/orders/${oid}/reply`, { text: reply })).status, 200);
  assert.equal((await op.post(`/api/v1/hotline/orders/${oid}/review`, { approve: true })).status, 200);
  got = await call(client.serviceRequest, id);
  assert.equal(got[0].status, 'closed');
  assert.equal(got[0].status_notes, reply);
  assert.equal(got[0].agency_responsible, '长沙市城市管理和综合执法局');

  // a refused post reaches the client as an error with the status
  const bad = new Open311({ endpoint: `${srv.base}/open311/v2/`, format: 'json', apiKey: 'hk_wrong', jurisdiction: JUR });
  await assert.rejects(new Promise((resolve, reject) => bad.submitRequest(
    { service_code: String(leaf.id), address_string: '某地', description: '测试错误密钥', attributes: { category: 'help' } },
    (err, data) => (err ? reject(new Error(`${err} ${data}`)) : resolve(data)))), /^Error: 403 .*api_key 无效/);
});
