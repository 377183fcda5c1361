// Cross-scope probes (docs/domain.md §1 data scope): a signed-in member of staff acting on what lies
// outside their department or region is refused, and nothing happens. Each test here failed before
// the fix it guards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as } from './helpers.mjs';

let srv, admin, anon;
const PW = 'Scope-probe-2026!';
// A staff account made by the city's centre admin; signed in.
async function staff(body) {
  const r = await admin.post('/api/v1/users', { password: PW, ...body });
  assert.equal(r.status, 201, r.text);
  const c = new Client(srv.base);
  await c.login(body.username, PW);
  return c;
}

before(async () => {
  srv = await startServer();
  admin = await as(srv.base, 'center_admin');
  anon = new Client(srv.base);
});
after(() => srv.stop());

test('a district centre admin announces on the boards of its own halls only', async () => {
  const halls = (await anon.get('/api/v1/halls')).json.items;
  const city = halls.find((h) => h.region_code === '430100');
  const own = halls.find((h) => h.region_code === '430102');
  const depts = (await anon.get('/api/v1/departments')).json.items;
  const fr = depts.find((d) => d.region_code === '430102');
  const district = await staff({
    username: 'fr_center', name: '芙蓉区中心管理员', roles: ['center_admin'], dept_id: fr.id, region_code: '430102',
  });
  // the city's hall: refused like every other hall.manage route on it
  let r = await district.post(`/api/v1/hall/${city.id}/announce`, { text: '越权公告' });
  assert.equal(r.status, 403, r.text);
  r = await district.get(`/api/v1/hall/${city.id}/status`);
  assert.equal(r.status, 403, r.text);
  // its own hall, and the city's admin on any hall
  r = await district.post(`/api/v1/hall/${own.id}/announce`, { text: '本区大厅公告' });
  assert.equal(r.status, 200, r.text);
  r = await admin.post(`/api/v1/hall/${city.id}/announce`, { text: '市中心公告' });
  assert.equal(r.status, 200, r.text);
});
