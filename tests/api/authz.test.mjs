// Authorization matrix: every route, as anonymous and as every role, and only the permitted
// pairs get past the permission check (docs/domain.md §1; docs/api.md). The expected permission of
// each route is written here independently of the server's table, so a loosened route fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, yiwang, PASSWORD } from './helpers.mjs';

const EXPECTED = {
  'GET /api/v1/health': 'public', 'GET /api/v1/meta/codes': 'public',
  'POST /api/v1/auth/login': 'public', 'POST /api/v1/auth/logout': 'signed_in', 'GET /api/v1/auth/me': 'signed_in',
  'POST /api/v1/auth/register': 'public', 'POST /api/v1/auth/tokens': 'signed_in',
  'GET /api/v1/auth/tokens': 'signed_in', 'DELETE /api/v1/auth/tokens/{id}': 'signed_in',
  'POST /api/v1/auth/password': 'signed_in', 'GET /api/v1/users/{id}/tokens': 'users.manage',
  'GET /api/v1/calendar/deadline': 'public', 'GET /api/v1/calendar/is-workday': 'public',
  'GET /api/v1/calendar/between': 'public', 'GET /api/v1/calendar': 'public',
  'PUT /api/v1/calendar/days/{date}': 'calendar.edit', 'PUT /api/v1/calendar/years/{year}': 'calendar.edit',
  'GET /api/v1/regions': 'public', 'POST /api/v1/regions': 'org.manage', 'PUT /api/v1/regions/{code}': 'org.manage',
  'GET /api/v1/departments': 'public', 'POST /api/v1/departments': 'org.manage', 'PUT /api/v1/departments/{id}': 'org.manage',
  'GET /api/v1/halls': 'public', 'POST /api/v1/halls': 'org.manage', 'PUT /api/v1/halls/{id}': 'org.manage',
  'GET /api/v1/windows': 'public', 'POST /api/v1/windows': 'org.manage', 'PUT /api/v1/windows/{id}': 'org.manage',
  'GET /api/v1/users': 'users.manage', 'POST /api/v1/users': 'users.manage', 'PUT /api/v1/users/{id}': 'users.manage',
  'GET /api/v1/items': 'public', 'GET /api/v1/items/{code}': 'public', 'GET /api/v1/items/{code}/qr.svg': 'public',
  'GET /api/v1/items/{code}/versions': 'public', 'GET /api/v1/lists': 'public',
  'GET /api/v1/admin/items': 'catalog.view', 'POST /api/v1/admin/items': 'catalog.edit',
  'GET /api/v1/admin/items/{id}': 'catalog.view', 'PUT /api/v1/admin/items/{id}': 'catalog.edit',
  'POST /api/v1/admin/items/{id}/submit': 'catalog.edit', 'POST /api/v1/admin/items/{id}/new-version': 'catalog.edit',
  'POST /api/v1/admin/items/{id}/publish': 'catalog.review', 'POST /api/v1/admin/items/{id}/reject': 'catalog.review',
  'POST /api/v1/admin/items/{id}/withdraw': 'catalog.review', 'GET /api/v1/admin/review-queue': 'catalog.review',
  'GET /api/v1/export/catalog.json': 'catalog.import', 'GET /api/v1/export/catalog.xlsx': 'catalog.view',
  'POST /api/v1/import/catalog': 'catalog.import', 'GET /api/v1/audit': 'audit.read',
  'POST /api/v1/cases': 'case.apply', 'GET /api/v1/cases': 'signed_in', 'GET /api/v1/cases/{id}': 'signed_in',
  'POST /api/v1/cases/{id}/submit': 'case.apply', 'POST /api/v1/cases/{id}/withdraw': 'case.apply',
  'POST /api/v1/cases/{id}/resubmit': 'case.apply', 'POST /api/v1/cases/{id}/accept': 'case.accept',
  'POST /api/v1/cases/{id}/refuse': 'case.accept', 'POST /api/v1/cases/{id}/correction': 'case.accept',
  'POST /api/v1/cases/{id}/step': 'case.handle', 'POST /api/v1/cases/{id}/suspend': 'case.handle',
  'POST /api/v1/cases/{id}/resume': 'case.handle',
  // 好差评 (reviews)
  'POST /api/v1/cases/{id}/review': 'case.apply', 'GET /api/v1/cases/{id}/review': 'signed_in',
  'POST /api/v1/reviews': 'device', 'GET /api/v1/reviews': 'signed_in', 'GET /api/v1/reviews/summary': 'stats.view',
  'POST /api/v1/reviews/{id}/appeal': 'dept.respond', 'POST /api/v1/reviews/{id}/verify': 'supervise',
  'POST /api/v1/reviews/{id}/rectify': 'dept.respond', 'POST /api/v1/reviews/{id}/callback': 'supervise',
  'GET /api/v1/supervision/signals': 'supervise', 'GET /api/v1/supervision/cards': 'supervision.view',
  'GET /api/v1/supervision/summary': 'supervise', 'POST /api/v1/supervision/orders': 'supervise',
  'GET /api/v1/supervision/orders': 'supervision.view',
  'POST /api/v1/supervision/orders/{id}/answer': 'dept.respond', 'POST /api/v1/supervision/orders/{id}/close': 'supervise',
  'POST /api/v1/cases/{id}/supply': 'case.apply', 'POST /api/v1/cases/{id}/followup': 'case.handle',
  'POST /api/v1/cases/{id}/deliver': 'case.handle', 'POST /api/v1/cases/{id}/opinion': 'case.handle',
  'GET /api/v1/cases/{id}/qr.svg': 'signed_in', 'GET /api/v1/public/verify': 'public', 'GET /api/v1/bundles': 'public',
  'GET /api/v1/stats/summary': 'stats.view', 'GET /api/v1/stats/dashboard': 'stats.view',
  'GET /api/v1/stats/report': 'stats.view', 'GET /api/v1/stats/export.xlsx': 'stats.view',
  // disclosure annual report: officers (own organ) and the centre
  'GET /api/v1/disclosure/report': 'disclosure.handle', 'GET /api/v1/disclosure/reports/{year}': 'disclosure.handle',
  'PUT /api/v1/disclosure/reports/{year}': 'disclosure.handle',
  'POST /api/v1/disclosure/reports/{year}/publish': 'disclosure.handle',
  // uploads, case files, profiles (src/files)
  'POST /api/v1/files': 'file.upload', 'GET /api/v1/files/{id}': 'signed_in',
  'POST /api/v1/cases/{id}/files': 'case.apply', 'GET /api/v1/cases/{id}/files': 'signed_in',
  'GET /api/v1/me/profile': 'signed_in', 'PUT /api/v1/me/profile': 'signed_in',
  // service hall (src/hall)
  'GET /api/v1/hall/queues': 'public', 'POST /api/v1/hall/queues': 'hall.manage',
  'PUT /api/v1/hall/queues/{id}': 'hall.manage', 'GET /api/v1/hall/queues/{id}/slots': 'public',
  'PUT /api/v1/hall/windows/{id}/queues': 'hall.manage', 'POST /api/v1/hall/tickets': 'public',
  'GET /api/v1/hall/tickets/{token}': 'public', 'GET /api/v1/hall/tickets/{token}/qr.svg': 'public',
  'GET /api/v1/hall/windows/{id}': 'hall.serve', 'GET /api/v1/hall/windows/{id}/next-preview': 'hall.serve',
  'POST /api/v1/hall/windows/{id}/call': 'hall.serve', 'POST /api/v1/hall/windows/{id}/recall': 'hall.serve',
  'POST /api/v1/hall/windows/{id}/skip': 'hall.serve', 'POST /api/v1/hall/windows/{id}/transfer': 'hall.serve',
  'POST /api/v1/hall/windows/{id}/pause': 'hall.serve', 'POST /api/v1/hall/windows/{id}/resume': 'hall.serve',
  'POST /api/v1/hall/windows/{id}/start': 'hall.serve', 'POST /api/v1/hall/windows/{id}/finish': 'hall.serve',
  'POST /api/v1/hall/appointments': 'case.apply', 'GET /api/v1/hall/appointments': 'signed_in',
  'POST /api/v1/hall/appointments/{id}/cancel': 'case.apply', 'POST /api/v1/hall/checkin': 'public',
  'GET /api/v1/hall/{id}/board': 'public', 'GET /api/v1/hall/{id}/status': 'hall.manage',
  'GET /api/v1/hall/{id}/stats': 'hall.manage', 'GET /api/v1/hall/{id}/stats.xlsx': 'hall.manage',
  'GET /api/v1/hall/appointments/{id}/qr.svg': 'signed_in',
  // registered hall devices: the manager pairs and revokes them; a device authenticates by its token
  'GET /api/v1/hall/{id}/devices': 'hall.manage', 'POST /api/v1/hall/{id}/devices': 'hall.manage',
  'POST /api/v1/hall/devices/{id}/code': 'hall.manage', 'POST /api/v1/hall/devices/{id}/revoke': 'hall.manage',
  'POST /api/v1/hall/{id}/devices/pair': 'public', 'GET /api/v1/hall/device': 'device', 'GET /api/v1/hall/pad': 'device',
  // Server-Sent Events: a hall's display board stream and its announcements
  'GET /api/v1/hall/{id}/events': 'public', 'POST /api/v1/hall/{id}/announce': 'hall.manage',
  // 政府信息公开 (src/disclosure): the public catalogue; the organ's documents and requests;
  // applicants file online and follow their own (the scope inside is the store's)
  'GET /api/v1/disclosure/categories': 'public', 'POST /api/v1/disclosure/categories': 'disclosure.config',
  'PUT /api/v1/disclosure/categories/{id}': 'disclosure.config', 'GET /api/v1/disclosure/organs': 'public',
  'PUT /api/v1/disclosure/organs/{id}': 'disclosure.handle', 'GET /api/v1/disclosure/documents': 'public',
  'GET /api/v1/disclosure/documents/{id}': 'public', 'GET /api/v1/disclosure/documents/{id}/files/{file}': 'public',
  'GET /api/v1/disclosure/manage/documents': 'disclosure.handle', 'POST /api/v1/disclosure/documents': 'disclosure.handle',
  'PUT /api/v1/disclosure/documents/{id}': 'disclosure.handle',
  'POST /api/v1/disclosure/documents/{id}/submit': 'disclosure.handle',
  'POST /api/v1/disclosure/documents/{id}/review': 'disclosure.handle',
  'POST /api/v1/disclosure/documents/{id}/withdraw': 'disclosure.handle',
  'POST /api/v1/disclosure/documents/{id}/validity': 'disclosure.handle',
  'POST /api/v1/disclosure/requests': 'disclosure.apply', 'GET /api/v1/disclosure/requests': 'signed_in',
  'GET /api/v1/disclosure/requests/{id}': 'signed_in', 'GET /api/v1/disclosure/requests/{id}/letter': 'signed_in',
  'POST /api/v1/disclosure/requests/{id}/correction': 'disclosure.handle',
  'POST /api/v1/disclosure/requests/{id}/corrected': 'disclosure.apply',
  'POST /api/v1/disclosure/requests/{id}/consult': 'disclosure.handle',
  'POST /api/v1/disclosure/requests/{id}/consult/{cid}/answer': 'disclosure.handle',
  'POST /api/v1/disclosure/requests/{id}/extend': 'disclosure.handle',
  'POST /api/v1/disclosure/requests/{id}/fee': 'disclosure.handle',
  'POST /api/v1/disclosure/requests/{id}/fee/paid': 'disclosure.handle',
  'POST /api/v1/disclosure/requests/{id}/reply': 'disclosure.handle',
  'POST /api/v1/disclosure/requests/{id}/withdraw': 'disclosure.apply',
  'POST /api/v1/disclosure/requests/{id}/remedies': 'disclosure.handle',
  'PUT /api/v1/disclosure/requests/{id}/remedies/{rid}': 'disclosure.handle',
  'GET /api/v1/disclosure/figures': 'disclosure.handle', 'PUT /api/v1/disclosure/figures': 'disclosure.handle',
  'GET /api/v1/disclosure/summary': 'disclosure.handle',
  'POST /api/v1/disclosure/requests/{id}/letter-preview': 'disclosure.handle', 'GET /api/v1/disclosure/lookup': 'public',
  'GET /api/v1/disclosure/organs/{id}/guide': 'public', 'PUT /api/v1/disclosure/organs/{id}/guide': 'disclosure.handle',
  // 12345 hotline (src/hotline); the call centre authenticates by its API key, like a device
  'GET /api/v1/hotline/orders': 'hotline.view', 'POST /api/v1/hotline/orders': 'hotline.operate',
  'GET /api/v1/hotline/orders/{id}': 'hotline.view', 'POST /api/v1/hotline/orders/{id}/dispatch': 'hotline.operate',
  'POST /api/v1/hotline/orders/{id}/direct-close': 'hotline.operate', 'POST /api/v1/hotline/orders/{id}/sign': 'hotline.handle',
  'POST /api/v1/hotline/orders/{id}/return': 'hotline.handle', 'POST /api/v1/hotline/orders/{id}/return-review': 'hotline.operate',
  'POST /api/v1/hotline/orders/{id}/extension': 'hotline.handle', 'POST /api/v1/hotline/extensions/{id}/decide': 'hotline.manage',
  'POST /api/v1/hotline/orders/{id}/opinion': 'hotline.handle', 'POST /api/v1/hotline/orders/{id}/reply': 'hotline.handle',
  'POST /api/v1/hotline/orders/{id}/review': 'hotline.operate', 'POST /api/v1/hotline/orders/{id}/callback': 'hotline.operate',
  'POST /api/v1/hotline/orders/{id}/reopen': 'hotline.manage', 'POST /api/v1/hotline/orders/{id}/merge': 'hotline.operate',
  'GET /api/v1/hotline/orders/{id}/duplicates': 'hotline.operate', 'POST /api/v1/hotline/orders/{id}/supervise': 'hotline.supervise',
  'POST /api/v1/hotline/orders/{id}/consultations': 'hotline.manage', 'GET /api/v1/hotline/matters': 'hotline.view',
  'POST /api/v1/hotline/matters': 'hotline.manage', 'PUT /api/v1/hotline/matters/{id}': 'hotline.manage',
  'GET /api/v1/hotline/settings': 'hotline.view', 'GET /api/v1/hotline/calls': 'hotline.operate',
  'POST /api/v1/hotline/call-events': 'device', 'POST /api/v1/hotline/public/orders': 'public',
  'GET /api/v1/hotline/public/orders/{number}': 'public',
  'POST /api/v1/hotline/orders/{id}/attachments': 'file.upload', 'GET /api/v1/hotline/orders/{id}/attachments/{aid}': 'hotline.view',
  'POST /api/v1/hotline/public/orders/{number}/attachments': 'public', 'GET /api/v1/hotline/public/orders/{number}/attachments/{aid}': 'public',
  'GET /api/v1/hotline/suggest': 'hotline.operate', // dispatch suggestion (hotline_suggest_module.c)
  // Open311 GeoReport v2 (docs/api.md): public; a POST's api_key is checked by the handler, and the
  // matrix's JSON body is refused (400) before it
  'GET /open311/discovery.json': 'public', 'GET /open311/discovery.xml': 'public',
  'GET /open311/v2/services.json': 'public', 'GET /open311/v2/services.xml': 'public',
  'GET /open311/v2/services/{code}': 'public', 'GET /open311/v2/requests.json': 'public',
  'GET /open311/v2/requests.xml': 'public', 'POST /open311/v2/requests.json': 'public',
  'POST /open311/v2/requests.xml': 'public', 'GET /open311/v2/requests/{id}': 'public',
  'GET /open311/v2/tokens/{token}': 'public',
  // the hotline's knowledge base (知识库)
  'GET /api/v1/hotline/kb/search': 'hotline.view', 'GET /api/v1/hotline/kb/articles': 'hotline.view',
  'POST /api/v1/hotline/kb/articles': 'hotline.handle', 'GET /api/v1/hotline/kb/articles/{id}': 'hotline.view',
  'PUT /api/v1/hotline/kb/articles/{id}': 'hotline.handle', 'POST /api/v1/hotline/kb/articles/{id}/submit': 'hotline.handle',
  'POST /api/v1/hotline/kb/articles/{id}/new-version': 'hotline.handle',
  'POST /api/v1/hotline/kb/articles/{id}/review': 'hotline.manage', 'POST /api/v1/hotline/kb/articles/{id}/withdraw': 'hotline.manage',
  // hotline statistics: the handlers narrow further (a unit: its own ranking row; no dashboard)
  'GET /api/v1/hotline/rankings': 'hotline.view', 'GET /api/v1/hotline/bulletin': 'hotline.view',
  'GET /api/v1/hotline/bulletin.html': 'hotline.view', 'GET /api/v1/hotline/dashboard': 'hotline.stats',
  'GET /api/v1/hotline/dashboard.xlsx': 'hotline.stats',
};

// Event streams stay open: the matrix asks for their headers only (HEAD takes the GET route).
const STREAMS = new Set(['GET /api/v1/hall/{id}/events']);

// 'device': public at the dispatcher, but only a paired hall device (its token) gets past the
// handler, so every account without one is refused: 401 anonymous, 401 or 403 signed in.

// Who holds each permission (docs/domain.md §1).
const HOLDERS = {
  'catalog.view': ['dept_admin', 'center_admin', 'supervisor'],
  'catalog.edit': ['dept_admin', 'center_admin'],
  'catalog.review': ['center_admin'], 'catalog.import': ['center_admin'],
  'org.manage': ['center_admin'], 'users.manage': ['center_admin'], 'calendar.edit': ['center_admin'],
  'audit.read': ['center_admin', 'supervisor'],
  'case.apply': ['applicant', 'clerk'], 'case.accept': ['clerk'], 'case.handle': ['approver', 'clerk'],
  'supervise': ['supervisor', 'center_admin'], 'dept.respond': ['dept_admin', 'approver'],
  'stats.view': ['supervisor', 'center_admin', 'dept_admin'],
  'hall.serve': ['clerk'], 'hall.manage': ['center_admin'],
  'supervision.view': ['supervisor', 'center_admin', 'dept_admin', 'approver'],
  'disclosure.handle': ['disclosure_officer', 'center_admin'], 'disclosure.config': ['center_admin'],
  'disclosure.apply': ['applicant', 'disclosure_officer', 'center_admin'],
  'hotline.view': ['hotline_operator', 'handling_unit', 'center_admin', 'supervisor'],
  'hotline.operate': ['hotline_operator', 'center_admin'], 'hotline.handle': ['handling_unit'],
  'hotline.manage': ['center_admin'], 'hotline.supervise': ['supervisor', 'center_admin'],
  'file.upload': ['applicant', 'clerk', 'disclosure_officer', 'hotline_operator', 'handling_unit', 'center_admin'],
  'hotline.stats': ['hotline_operator', 'center_admin', 'supervisor'],
};

// One demo account per role.
const ACCOUNTS = {
  applicant: 'zhangsan', clerk: 'window01', approver: 'scjg_shenpi', dept_admin: 'scjg_admin',
  center_admin: 'center_admin', supervisor: 'jiandu01', hotline_operator: 'rexian01',
  handling_unit: 'chengban01', disclosure_officer: 'gongkai01',
};

let srv, code;
before(async () => {
  srv = await startServer();
  const r = await new Client(srv.base).get('/api/v1/items?page_size=1');
  code = r.json.items[0].code;
});
after(() => srv.stop());

function fill(path) {
  // a token no client holds: the matrix must not revoke its own bearer tokens
  if (path === '/api/v1/auth/tokens/{id}') return '/api/v1/auth/tokens/999999';
  return path.replace('{number}', 'RX2026010100001').replace('{code}', code).replace('{id}', '1').replace('{date}', '2027-05-06').replace('{year}', '2027');
}

test('the route table matches the expected permissions exactly', () => {
  const routes = JSON.parse(yiwang(['routes']));
  const got = Object.fromEntries(routes.map((r) => [`${r.method} ${r.path}`, r.permission]));
  const declared = Object.fromEntries(Object.entries(EXPECTED).map(([k, v]) => [k, v === 'device' ? 'public' : v]));
  assert.deepEqual(got, declared);
});

test('every route as every role: only permitted pairs pass', async () => {
  const clients = { anonymous: new Client(srv.base) };
  for (const [role, user] of Object.entries(ACCOUNTS)) {
    const c = new Client(srv.base);
    await c.login(user, PASSWORD);
    const t = await c.post('/api/v1/auth/tokens', { name: `authz-${role}` });
    assert.equal(t.status, 201, `token for ${role}`);
    const m = new Client(srv.base);
    m.token = t.json.token; // bearer: logout revokes it, so the matrix signs out last
    clients[role] = m;
  }
  let checked = 0;
  const LOGOUT = 'POST /api/v1/auth/logout';
  const order = Object.entries(EXPECTED).sort(([a], [b]) => (a === LOGOUT) - (b === LOGOUT));
  for (const [key, perm] of order) {
    const [method, path] = key.split(' ');
    for (const [role, c] of Object.entries(clients)) {
      if (perm === 'device') {
        const r = await c.req(method, fill(path), method === 'GET' ? undefined : {});
        assert.ok(r.status === 401 || (role !== 'anonymous' && r.status === 403), `${role} without a device must be refused ${key}, got ${r.status}`);
        assert.ok(r.json?.error?.message, 'refusal has a message');
        checked++;
        continue;
      }
      const allowed = perm === 'public' || (perm === 'signed_in' ? role !== 'anonymous' : (HOLDERS[perm] || []).includes(role));
      const r = await c.req(STREAMS.has(key) ? 'HEAD' : method, fill(path), method === 'GET' ? undefined : {});
      if (allowed) {
        assert.ok(r.status !== 401 && r.status !== 403, `${role} should pass ${key}, got ${r.status} ${r.text}`);
      } else {
        assert.equal(r.status, role === 'anonymous' ? 401 : 403, `${role} must be refused ${key}`);
        assert.ok(r.json?.error?.message, 'refusal has a message');
      }
      checked++;
    }
  }
  assert.equal(checked, Object.keys(EXPECTED).length * 10);
});
