// Open311 GeoReport v2 over real HTTP (docs/api.md "Open311 GeoReport v2", docs/domain.md §9): the
// matter classification as services with the order's attributes, requests read with every filter,
// requests posted by a keyed client becoming work orders from channel open311 with the client's name
// as their source, the loop closing them (status closed, status_notes the published reply), tokens,
// every answer in JSON and XML, GeoReport error arrays with their HTTP status, nothing stored on a
// refused post, no caller data in any answer, confidential orders without text or place, the public
// search without 保密, 举报 or unclassified orders and with long numbers masked, every error under
// /open311/ GeoReport-shaped (also 404/405/413/429 answered before a handler), and the
// anonymous-write limit applying to keyed posts too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, cli, cliRun, sqlValue } from './helpers.mjs';

const T0 = Date.UTC(2026, 8, 29, 2, 0, 0) / 1000; // Tuesday 2026-09-29 10:00 +08:00
const JUR = 'changsha.gov.cn';

let srv, op, u1, anon, key, leaf, units;
before(async () => {
  srv = await startServer({ clock: true, config: { open311_jurisdiction: JUR, anon_write_burst: 40 } });
  srv.advance(T0 - Math.floor(Date.now() / 1000));
  op = await as(srv.base, 'rexian01');
  u1 = await as(srv.base, 'chengban01'); // 长沙市城市管理和综合执法局
  anon = new Client(srv.base);
  const d = (await anon.get('/api/v1/departments')).json.items;
  units = { cg: d.find((x) => x.name === '长沙市城市管理和综合执法局') };
  key = cli(srv, ['open311', 'key', 'add', '长沙随手拍']).trim();
  const m = (await op.get('/api/v1/hotline/matters')).json.items;
  leaf = m.find((x) => x.parent_id && !m.some((c) => c.parent_id === x.id));
  leaf.parent = m.find((x) => x.id === leaf.parent_id);
});
after(() => srv.stop());

const count = (table) => Number(sqlValue(srv, `SELECT COUNT(*) AS n FROM ${table}`));
const form = (o) => new URLSearchParams(o).toString();
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const post = (fmt, o, headers = FORM) => anon.req('POST', `/open311/v2/requests.${fmt}`, form(o), headers);
const base = (extra = {}) => ({
  api_key: key, jurisdiction_id: JUR, service_code: String(leaf.id), 'attribute[category]': 'complaint',
  description: '五一广场附近人行道井盖缺失，夜间行人容易踩空', address_string: '长沙市芙蓉区五一大道与黄兴路交叉口',
  lat: '28.196', long: '112.977', first_name: '小明', last_name: '王', phone: '13973100001', email: 'wang@example.cn',
  ...extra,
});
const xmlText = (xml, tag) => [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]);

test('services: leaf matters with their group, JSON and XML', async () => {
  const r = await anon.get('/open311/v2/services.json');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /application\/json/);
  const s = r.json.find((x) => x.service_code === String(leaf.id));
  assert.deepEqual(s, {
    service_code: String(leaf.id), service_name: leaf.name, description: `${leaf.parent.name} / ${leaf.name}`,
    metadata: true, type: 'realtime', keywords: leaf.parent.name, group: leaf.parent.name,
  });
  assert.ok(!r.json.some((x) => x.service_code === String(leaf.parent.id)), 'a matter with children is a group, not a service');
  const x = await anon.get('/open311/v2/services.xml');
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /text\/xml; charset=utf-8/);
  assert.match(x.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<services><service><service_code>/);
  assert.deepEqual(xmlText(x.text, 'service_code'), r.json.map((e) => e.service_code));
  assert.ok(x.text.includes(`<group>${leaf.parent.name}</group>`));
  assert.ok(x.text.includes('<metadata>true</metadata><type>realtime</type>'));
});

test('service discovery: one production GeoReport v2 endpoint at the public origin', async () => {
  const r = await anon.get('/open311/discovery.json');
  assert.equal(r.status, 200);
  assert.match(r.json.changeset, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  assert.equal(r.json.endpoints.length, 1);
  const e = r.json.endpoints[0];
  assert.equal(e.specification, 'http://wiki.open311.org/GeoReport_v2');
  assert.equal(e.type, 'production');
  assert.match(e.url, /^https?:\/\/.+\/open311\/v2$/);
  assert.deepEqual(e.formats, ['application/json', 'text/xml']);
  const x = await anon.get('/open311/discovery.xml');
  assert.ok(x.text.includes('<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification>'));
  assert.ok(x.text.includes('<formats><format>application/json</format><format>text/xml</format></formats>'));
});

test('service definition: the order attributes, JSON and XML; unknown codes and formats', async () => {
  const r = await anon.get(`/open311/v2/services/${leaf.id}.json`);
  assert.equal(r.status, 200);
  assert.equal(r.json.service_code, String(leaf.id));
  const byCode = Object.fromEntries(r.json.attributes.map((a) => [a.code, a]));
  assert.deepEqual(Object.keys(byCode), ['category', 'urgency', 'privacy', 'district']);
  assert.equal(byCode.category.required, true);
  assert.equal(byCode.category.datatype, 'singlevaluelist');
  assert.deepEqual(byCode.category.values.map((v) => v.key), ['consult', 'help', 'complaint', 'report', 'suggestion', 'praise']);
  assert.equal(byCode.category.values[2].name, '投诉');
  assert.deepEqual(byCode.privacy.values, [{ key: 'public', name: '可公开' }, { key: 'confidential', name: '保密' }]);
  assert.equal(byCode.urgency.required, false);
  assert.equal(byCode.district.datatype, 'string');
  const x = await anon.get(`/open311/v2/services/${leaf.id}.xml`);
  assert.equal(x.status, 200);
  assert.match(x.text, new RegExp(`<service_definition><service_code>${leaf.id}</service_code><attributes><attribute><variable>true</variable><code>category</code>`));
  assert.ok(x.text.includes('<values><value><key>consult</key><name>咨询</name></value>'));
  assert.ok(x.text.includes('<datatype_description></datatype_description>'));
  for (const p of ['999999.json', `${leaf.parent.id}.json`, 'abc.json']) {
    const e = await anon.get(`/open311/v2/services/${p}`);
    assert.equal(e.status, 404, p);
    assert.deepEqual(e.json, [{ code: 404, description: 'service_code 不存在' }]);
  }
  const ex = await anon.get('/open311/v2/services/999999.xml');
  assert.equal(ex.status, 404);
  assert.match(ex.text, /<errors><error><code>404<\/code><description>service_code 不存在<\/description><\/error><\/errors>/);
  assert.equal((await anon.get(`/open311/v2/services/${leaf.id}.html`)).status, 404);
  assert.equal((await anon.get(`/open311/v2/services.json?jurisdiction_id=${JUR}`)).status, 200);
  const wj = await anon.get('/open311/v2/services.json?jurisdiction_id=beijing');
  assert.equal(wj.status, 404);
  assert.equal(wj.json[0].code, 404);
});

test('refused posts: GeoReport errors with their status, nothing stored', async () => {
  const before = count('hotline_orders');
  const cases = [
    [{ api_key: undefined }, 403, /缺少 api_key/],
    [{ api_key: 'hk_not-a-key' }, 403, /api_key 无效/],
    [{ service_code: '999999' }, 404, /service_code 不存在/],
    [{ service_code: '' }, 400, /service_code：必须填写/],
    [{ lat: '', long: '', address_string: '' }, 400, /须提供位置/],
    [{ lat: '28.1', long: '' }, 400, /lat 与 long 须同时提供/],
    [{ lat: '91', long: '112.9' }, 400, /不是有效的经纬度/],
    [{ lat: 'NaN', long: '112.9' }, 400, /不是有效的经纬度/],
    [{ lat: '0x1C', long: '112.9' }, 400, /不是有效的经纬度/],
    [{ 'attribute[category]': '' }, 400, /attribute\[category\]：必须填写/],
    [{ 'attribute[category]': 'gossip' }, 400, /^attribute\[category\]：应为/],
    [{ 'attribute[urgency]': 'asap' }, 400, /attribute\[urgency\]/],
    [{ 'attribute[district]': '999999' }, 400, /^attribute\[district\]：区划代码不存在/],
    [{ description: '' }, 400, /^description：/],
    [{ phone: 'abc' }, 400, /^phone：电话号码格式不正确/],
    [{ jurisdiction_id: 'beijing' }, 404, /jurisdiction_id/],
  ];
  for (const [change, status, re] of cases) {
    const o = base(change);
    for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
    const r = await post('json', o);
    assert.equal(r.status, status, `${JSON.stringify(change)}: ${r.text}`);
    assert.ok(Array.isArray(r.json) && r.json.length >= 1, r.text);
    assert.equal(r.json[0].code, status);
    assert.match(r.json[0].description, re, JSON.stringify(change));
  }
  const x = await post('xml', base({ api_key: 'wrong' }));
  assert.equal(x.status, 403);
  assert.match(x.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<errors><error><code>403<\/code><description>api_key 无效或已停用<\/description><\/error><\/errors>\n$/);
  const j = await anon.req('POST', '/open311/v2/requests.json', JSON.stringify(base()), { 'Content-Type': 'application/json' });
  assert.equal(j.status, 400);
  assert.match(j.json[0].description, /x-www-form-urlencoded/);
  const bad = await anon.req('POST', '/open311/v2/requests.json', `${form(base())}&description=again`, FORM);
  assert.equal(bad.status, 400);
  assert.match(bad.json[0].description, /参数重复/);
  const esc = await anon.req('POST', '/open311/v2/requests.json', `${form(base())}&x=%zz`, FORM);
  assert.equal(esc.status, 400);
  const nonutf = await anon.req('POST', '/open311/v2/requests.json', `${form(base({ description: undefined }))}&description=%ff%fe`, FORM);
  assert.equal(nonutf.status, 400);
  assert.equal(count('hotline_orders'), before, 'nothing stored');
});

let posted;
test('a posted request becomes an order from channel open311 with the client as its source', async () => {
  const r = await post('json', base());
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.length, 1);
  const a = r.json[0];
  assert.match(a.service_request_id, /^RX20260929\d{5}$/);
  assert.equal(a.token, a.service_request_id);
  assert.match(a.service_notice, /已由12345热线受理/);
  assert.equal(a.account_id, null);
  posted = a.service_request_id;
  // the operator sees it: channel Open311, source the client's name, the caller's name and phone
  const l = await op.get(`/api/v1/hotline/orders?q=${encodeURIComponent(posted)}`);
  const id = Number(sqlValue(srv, `SELECT id FROM hotline_orders WHERE number = '${posted}'`));
  const o = (await op.get(`/api/v1/hotline/orders/${id}`)).json;
  assert.equal(o.channel, 'open311');
  assert.equal(o.channel_label, 'Open311');
  assert.equal(o.source_name, '长沙随手拍');
  assert.equal(o.caller_name, '王小明');
  assert.equal(o.caller_phone, '13973100001');
  assert.equal(o.category, 'complaint');
  assert.equal(o.matter_id, leaf.id);
  assert.equal(o.state, 'pending');
  assert.equal(o.address, '长沙市芙蓉区五一大道与黄兴路交叉口');
  assert.ok(Math.abs(o.lat - 28.196) < 1e-9 && Math.abs(o.lng - 112.977) < 1e-9);
  assert.ok(l.status === 200);
  // the public answer: no caller data
  const g = await anon.get(`/open311/v2/requests/${posted}.json`);
  assert.equal(g.status, 200);
  const s = g.json[0];
  assert.equal(s.service_request_id, posted);
  assert.equal(s.status, 'open');
  assert.equal(s.status_notes, null);
  assert.equal(s.service_code, String(leaf.id));
  assert.equal(s.service_name, leaf.name);
  assert.equal(s.description, base().description);
  assert.equal(s.service_notice, '待派单');
  assert.equal(s.agency_responsible, null);
  assert.match(s.requested_datetime, /^2026-09-29T10:00:\d\d\+08:00$/);
  assert.equal(new Date(s.requested_datetime).getTime() / 1000, o.created_at);
  assert.equal(s.updated_datetime, s.requested_datetime);
  assert.equal(s.expected_datetime, null, 'the time limit starts at dispatch');
  assert.equal(s.address, base().address_string);
  assert.equal(s.lat, 28.196);
  assert.equal(s.long, 112.977);
  assert.equal(s.media_url, null);
  for (const secret of ['王小明', '13973100001', 'wang@example.cn', '长沙随手拍']) assert.ok(!g.text.includes(secret), secret);
  const x = await anon.get(`/open311/v2/requests/${posted}.xml`);
  assert.equal(x.status, 200);
  assert.match(x.text, new RegExp(`<service_requests><request><service_request_id>${posted}</service_request_id><status>open</status><status_notes></status_notes>`));
  assert.ok(x.text.includes('<lat>28.196</lat><long>112.977</long>'));
  assert.ok(!x.text.includes('13973100001'));
  // tokens
  const t = await anon.get(`/open311/v2/tokens/${posted}.json`);
  assert.deepEqual(t.json, [{ service_request_id: posted, token: posted }]);
  const tx = await anon.get(`/open311/v2/tokens/${posted}.xml`);
  assert.ok(tx.text.includes(`<request><service_request_id>${posted}</service_request_id><token>${posted}</token></request>`));
  const tn = await anon.get('/open311/v2/tokens/RX1.json');
  assert.equal(tn.status, 404);
  assert.equal(tn.json[0].code, 404);
  const rn = await anon.get('/open311/v2/requests/RX2026.xml');
  assert.equal(rn.status, 404);
  assert.match(rn.text, /<errors><error><code>404<\/code>/);
});

test('posting in XML, address only, urgent and confidential, XML escaping', async () => {
  const r = await post('xml', base({ lat: '', long: '', 'attribute[urgency]': 'urgent', first_name: 'Li', last_name: 'Lei', description: '路灯<不亮> & "闪烁" \'三天\'了' }));
  assert.equal(r.status, 201, r.text);
  const id = xmlText(r.text, 'service_request_id')[0];
  assert.match(r.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<service_requests><request><service_request_id>RX/);
  assert.ok(r.text.includes('<account_id></account_id>'));
  const row = sqlValue(srv, `SELECT caller_name || '|' || urgent || '|' || limit_hours FROM hotline_orders WHERE number = '${id}'`);
  assert.equal(row, 'Li Lei|1|2');
  const x = await anon.get(`/open311/v2/requests/${id}.xml`);
  assert.ok(x.text.includes('<description>路灯&lt;不亮&gt; &amp; &quot;闪烁&quot; &apos;三天&apos;了</description>'), x.text);
  assert.ok(x.text.includes('<lat></lat><long></long>'));
  const precise = await post('json', base({ lat: '28.1234567', long: '112.9876543' }));
  const px = await anon.get(`/open311/v2/requests/${precise.json[0].service_request_id}.xml`);
  assert.ok(px.text.includes('<lat>28.1234567</lat><long>112.9876543</long>'), 'coordinates keep their digits');
  const j = await anon.get(`/open311/v2/requests/${id}.json`);
  assert.equal(j.json[0].description, '路灯<不亮> & "闪烁" \'三天\'了');
  // confidential: no text, place or reply in public
  const c = await post('json', base({ 'attribute[privacy]': 'confidential', description: '举报某餐馆后厨卫生问题，请为我保密' , 'attribute[category]': 'report' }));
  assert.equal(c.status, 201);
  const cid = c.json[0].service_request_id;
  assert.equal(Number(sqlValue(srv, `SELECT confidential FROM hotline_orders WHERE number = '${cid}'`)), 1);
  const cg = await anon.get(`/open311/v2/requests/${cid}.json`);
  assert.equal(cg.json[0].description, null);
  assert.equal(cg.json[0].address, null);
  assert.equal(cg.json[0].lat, null);
  assert.ok(!cg.text.includes('餐馆') && !cg.text.includes('五一大道'));
});

test('the loop closes it: agency, expected time, then closed with the reply as status_notes', async () => {
  const id = Number(sqlValue(srv, `SELECT id FROM hotline_orders WHERE number = '${posted}'`));
  let r = await op.post(`/api/v1/hotline/orders/${id}/dispatch`, { unit_id: units.cg.id });
  assert.equal(r.status, 200, r.text);
  let s = (await anon.get(`/open311/v2/requests/${posted}.json`)).json[0];
  assert.equal(s.status, 'open');
  assert.equal(s.agency_responsible, '长沙市城市管理和综合执法局');
  assert.equal(s.service_notice, '待签收');
  // complaint: 10 working days from the dispatch day, across the National Day holiday (Oct 1-8 off)
  assert.match(s.expected_datetime, /^2026-10-\d\dT23:59:59\+08:00$/);
  assert.equal(new Date(s.expected_datetime).getTime() / 1000, r.json.due_at);
  srv.advance(3600);
  assert.equal((await u1.post(`/api/v1/hotline/orders/${id}/sign`)).status, 200);
  const reply = '已组织人员于当日补装井盖并设置警示标志，感谢您的反映。';
  assert.equal((await u1.post(`/api/v1/hotline/orders/${id}/reply`, { text: reply })).status, 200);
  assert.equal((await op.post(`/api/v1/hotline/orders/${id}/review`, { approve: true })).status, 200);
  s = (await anon.get(`/open311/v2/requests/${posted}.json`)).json[0];
  assert.equal(s.status, 'closed');
  assert.equal(s.status_notes, reply);
  assert.equal(s.service_notice, '已办结');
  assert.equal(s.expected_datetime, null);
  assert.match(s.updated_datetime, /^2026-09-29T11:00:\d\d\+08:00$/);
  const x = await anon.get(`/open311/v2/requests/${posted}.xml`);
  assert.ok(x.text.includes(`<status>closed</status><status_notes>${reply}</status_notes>`));
});

test('requests: default window, id list, status, service code, dates, errors', async () => {
  const all = (await anon.get('/open311/v2/requests.json')).json;
  assert.ok(all.some((e) => e.service_request_id === posted));
  const ids = all.map((e) => e.requested_datetime);
  assert.deepEqual([...ids].sort().reverse(), ids, 'newest first');
  assert.ok(all.length <= 1000);
  for (const e of all) assert.ok(new Date(e.requested_datetime).getTime() / 1000 >= T0 + 3600 - 90 * 86400 - 1);
  const two = all.slice(0, 2).map((e) => e.service_request_id);
  const l = await anon.get(`/open311/v2/requests.json?service_request_id=${two.join(',')}&status=closed`);
  assert.deepEqual(l.json.map((e) => e.service_request_id), two, 'ids given: other filters ignored');
  const closed = (await anon.get('/open311/v2/requests.json?status=closed')).json;
  assert.ok(closed.length >= 1 && closed.every((e) => e.status === 'closed'));
  assert.ok(closed.some((e) => e.service_request_id === posted));
  const open = (await anon.get('/open311/v2/requests.json?status=open')).json;
  assert.ok(open.every((e) => e.status === 'open') && !open.some((e) => e.service_request_id === posted));
  assert.equal(closed.length + open.length, all.length);
  const mine = (await anon.get(`/open311/v2/requests.json?service_code=${leaf.id}`)).json;
  assert.ok(mine.length >= 3 && mine.every((e) => e.service_code === String(leaf.id)));
  const win = (await anon.get('/open311/v2/requests.json?start_date=2026-09-29T09:00:00%2B08:00&end_date=2026-09-29T02:30:00Z')).json;
  assert.ok(win.some((e) => e.service_request_id === posted));
  assert.ok(win.every((e) => e.requested_datetime >= '2026-09-29T09:00:00+08:00' && e.requested_datetime < '2026-09-29T10:30:00+08:00'));
  const at = new Date(all.find((e) => e.service_request_id === posted).requested_datetime).getTime();
  const after = encodeURIComponent(new Date(at + 1000).toISOString().replace('.000', ''));
  const none = (await anon.get(`/open311/v2/requests.json?start_date=${after}&end_date=2026-09-29T12:00:00%2B08:00`)).json;
  assert.ok(!none.some((e) => e.service_request_id === posted));
  const x = await anon.get(`/open311/v2/requests.xml?service_request_id=${posted}`);
  assert.match(x.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<service_requests><request>/);
  assert.equal(xmlText(x.text, 'service_request_id').length, 1);
  const errors = [
    ['start_date=yesterday', 400, /start_date/],
    ['end_date=2026-13-01T00:00:00Z', 400, /end_date/],
    ['start_date=2026-09-29T10:00:00', 400, /start_date/],
    ['start_date=2026-09-30T00:00:00Z&end_date=2026-09-29T00:00:00Z', 400, /不能晚于/],
    ['status=pending', 400, /status/],
    ['service_code=999999', 404, /service_code/],
    ['service_request_id=RX1,,RX2', 400, /service_request_id/],
    ['jurisdiction_id=beijing', 404, /jurisdiction_id/],
  ];
  for (const [q, status, re] of errors) {
    for (const fmt of ['json', 'xml']) {
      const r = await anon.get(`/open311/v2/requests.${fmt}?${q}`);
      assert.equal(r.status, status, `${q} ${fmt}`);
      if (fmt === 'json') assert.match(r.json[0].description, re);
      else assert.match(r.text, new RegExp(`<errors><error><code>${status}</code><description>`));
    }
  }
});

test('every error under /open311/ is a GeoReport error array: unknown paths, methods', async () => {
  for (const [method, url, status] of [['GET', '/open311/v2/nothing.json', 404], ['GET', '/open311/v2/nothing.xml', 404],
    ['GET', '/open311/v3/services.json', 404], ['GET', '/open311/', 404], ['DELETE', '/open311/v2/requests.json', 405],
    ['PUT', '/open311/v2/services.xml', 405]]) {
    const r = await anon.req(method, url);
    assert.equal(r.status, status, `${method} ${url}`);
    if (url.endsWith('.xml')) {
      assert.match(r.headers.get('content-type'), /text\/xml; charset=utf-8/);
      assert.match(r.text, new RegExp(`^<\\?xml version="1.0" encoding="utf-8"\\?>\n<errors><error><code>${status}</code><description>[^<]+</description></error></errors>`));
    } else {
      assert.match(r.headers.get('content-type'), /application\/json/);
      assert.equal(r.json.length, 1, r.text);
      assert.equal(r.json[0].code, status);
      assert.ok(r.json[0].description);
    }
    if (status === 405) assert.ok(r.headers.get('allow'));
  }
  // the rest of the site keeps the platform's error format
  const api = await anon.get('/api/v1/nothing');
  assert.equal(api.status, 404);
  assert.ok(api.json.error);
});

test('the public search shows what may be public: no 保密, no 举报, no unclassified order; numbers masked', async () => {
  const mk = async (body) => {
    const r = await op.post('/api/v1/hotline/orders', {
      channel: 'phone', category: 'complaint', caller_name: '林先生', caller_phone: '13973109999',
      text: '芙蓉区某小区电梯经常停运，业主多次反映无人处理', district: '430102', matter_id: leaf.id, ...body,
    });
    assert.equal(r.status, 201, r.text);
    return r.json.number;
  };
  const plain = await mk({ text: '芙蓉区某小区电梯经常停运，联系电话13973109999，身份证43010219800101123X，请回电' });
  const secret = await mk({ confidential: true });
  const report = await mk({ category: 'report', text: '举报某公司偷排污水，请核查' });
  const unclassified = await mk({ matter_id: undefined });
  const list = (await anon.get('/open311/v2/requests.json')).json;
  const got = new Set(list.map((e) => e.service_request_id));
  assert.ok(got.has(plain));
  for (const n of [secret, report, unclassified]) assert.ok(!got.has(n), n);
  assert.ok(list.every((e) => e.service_code !== null));
  const p = list.find((e) => e.service_request_id === plain);
  assert.equal(p.description, '芙蓉区某小区电梯经常停运，联系电话***********，身份证******************，请回电');
  assert.ok(!JSON.stringify(list).includes('13973109999') && !JSON.stringify(list).includes('林先生'));
  // by id (the poster follows its own): still answered, the confidential one without text or place
  const byId = (await anon.get(`/open311/v2/requests.json?service_request_id=${secret},${report}`)).json;
  assert.deepEqual(byId.map((e) => e.service_request_id), [secret, report]);
  assert.equal(byId[0].description, null);
});

test('keys: list and revoke from the command line', async () => {
  const extra = cli(srv, ['open311', 'key', 'add', '第三方应用']).trim();
  assert.match(extra, /^hk_[A-Za-z0-9_-]{32}$/);
  assert.equal(cliRun(srv, ['open311', 'key', 'add', '第三方应用']).code, 1, 'names are unique');
  const list = cli(srv, ['open311', 'key', 'list']);
  assert.match(list, /长沙随手拍\s+active/);
  const id = list.split('\n').find((l) => l.includes('第三方应用')).trim().split(/\s+/)[0];
  assert.equal((await post('json', base({ api_key: extra }))).status, 201);
  cli(srv, ['open311', 'key', 'revoke', id]);
  assert.match(cli(srv, ['open311', 'key', 'list']), /第三方应用\s+revoked/);
  const r = await post('json', base({ api_key: extra }));
  assert.equal(r.status, 403);
  // a call-centre key is not an Open311 key, and is not revoked from here
  const cc = cli(srv, ['hotline', 'key', 'add', '呼叫中心']).trim();
  assert.equal((await post('json', base({ api_key: cc }))).status, 403);
  const ccid = cli(srv, ['hotline', 'key', 'list']).split('\n').find((l) => l.includes('呼叫中心')).trim().split(/\s+/)[0];
  assert.equal(cliRun(srv, ['open311', 'key', 'revoke', ccid]).code, 1);
  // each command lists and revokes its own kind's keys only
  assert.ok(!cli(srv, ['open311', 'key', 'list']).includes('呼叫中心'));
  assert.ok(!cli(srv, ['hotline', 'key', 'list']).includes('长沙随手拍'));
  assert.equal(cliRun(srv, ['hotline', 'key', 'revoke', list.trim().split(/\s+/)[0]]).code, 1);
  assert.equal(cliRun(srv, ['open311', 'key', 'frobnicate']).code, 2);
  assert.equal(Number(sqlValue(srv, `SELECT COUNT(*) AS n FROM hotline_clients WHERE key_hash = '${extra}'`)), 0, 'stored hashed');
});

test('bodies are size-limited and keyed posts are rate-limited like anonymous writes', async () => {
  const big = await post('json', base({ description: '长'.repeat(20000) }));
  assert.equal(big.status, 413);
  // refused before the route runs, and still a GeoReport error array (docs/api.md)
  assert.equal(big.json.length, 1);
  assert.equal(big.json[0].code, 413);
  assert.equal(typeof big.json[0].description, 'string');
  const bigx = await post('xml', base({ description: '长'.repeat(20000) }));
  assert.equal(bigx.status, 413);
  assert.match(bigx.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<errors><error><code>413<\/code><description>/);
  let limited = null;
  for (let i = 0; i < 60 && !limited; i++) {
    const r = await post('json', base({ description: `第${i}次测试限流：小区门口路灯不亮` }));
    if (r.status === 429) limited = r;
    else assert.equal(r.status, 201, r.text);
  }
  assert.ok(limited, 'the anonymous-write limit applies to keyed posts');
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  assert.deepEqual(limited.json.map((e) => e.code), [429]);
  const lx = await post('xml', base());
  assert.equal(lx.status, 429);
  assert.match(lx.text, /<errors><error><code>429<\/code>/);
  assert.ok(Number(lx.headers.get('retry-after')) >= 1);
});
