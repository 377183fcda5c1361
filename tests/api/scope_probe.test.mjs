// Cross-scope probes (docs/domain.md §1 data scope): a signed-in member of staff acting on what lies
// outside their department or region is refused, and nothing happens. Each test here failed before
// the fix it guards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as, cli } from './helpers.mjs';

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

test('a district centre admin manages the staff, departments, halls and windows of its own region only', async () => {
  const depts = (await anon.get('/api/v1/departments')).json.items;
  const cityDept = depts.find((d) => d.name === '长沙市市场监督管理局');
  const own = depts.find((d) => d.name === '芙蓉区民政局');
  const halls = (await anon.get('/api/v1/halls')).json.items;
  const cityHall = halls.find((h) => h.region_code === '430100');
  const ownHall = halls.find((h) => h.region_code === '430102');
  const windows = (await anon.get(`/api/v1/windows?hall_id=${cityHall.id}`)).json.items;
  const cityWindow = windows[0];
  const district = await staff({
    username: 'fr_center2', name: '芙蓉区中心管理员', roles: ['center_admin'], dept_id: own.id, region_code: '430102',
  });
  const before = (await admin.get('/api/v1/users?page_size=200')).json.total;
  // an approver of a city department would see and decide the city's cases; a clerk at a window of
  // the city's hall would call its queue: refused, nothing stored
  let r = await district.post('/api/v1/users', {
    username: 'fr_appr_city', name: '越权审批', password: PW, roles: ['approver'], dept_id: cityDept.id,
  });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.json.error.details.some((d) => d.field === 'dept_id'), r.text);
  r = await district.post('/api/v1/users', {
    username: 'fr_clerk_city', name: '越权窗口', password: PW, roles: ['clerk'], dept_id: own.id, window_id: cityWindow.id,
  });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.json.error.details.some((d) => d.field === 'window_id'), r.text);
  assert.equal((await admin.get('/api/v1/users?page_size=200')).json.total, before);
  // nor moves its own staff there
  r = await district.post('/api/v1/users', {
    username: 'fr_appr', name: '区审批', password: PW, roles: ['approver'], dept_id: own.id,
  });
  assert.equal(r.status, 201, r.text);
  const mine = r.json.id;
  r = await district.put(`/api/v1/users/${mine}`, { dept_id: cityDept.id });
  assert.equal(r.status, 422, r.text);
  r = await admin.get(`/api/v1/users?page_size=200`);
  assert.equal(r.json.items.find((u) => u.id === mine).dept_id, own.id);
  // the city's hall, window and department are not its to change (moving them into its region included)
  r = await district.put(`/api/v1/halls/${cityHall.id}`, { name: cityHall.name, region_code: '430102' });
  assert.equal(r.status, 403, r.text);
  r = await district.put(`/api/v1/windows/${cityWindow.id}`, { hall_id: cityHall.id, number: cityWindow.number, name: '被改的窗口', kind: 'comprehensive' });
  assert.equal(r.status, 403, r.text);
  r = await district.put(`/api/v1/windows/${cityWindow.id}`, { hall_id: ownHall.id, number: 90, name: '被搬走的窗口', kind: 'comprehensive' });
  assert.equal(r.status, 403, r.text);
  r = await district.post('/api/v1/windows', { hall_id: cityHall.id, number: 99, name: '新增的窗口', kind: 'comprehensive' });
  assert.equal(r.status, 403, r.text);
  r = await district.put(`/api/v1/departments/${cityDept.id}`, { name: cityDept.name, uscc: cityDept.uscc, region_code: '430102' });
  assert.equal(r.status, 403, r.text);
  const after = (await anon.get('/api/v1/halls')).json.items.find((h) => h.id === cityHall.id);
  assert.equal(after.region_code, '430100');
  assert.equal((await anon.get(`/api/v1/windows?hall_id=${cityHall.id}`)).json.items.length, windows.length);
  assert.equal((await anon.get(`/api/v1/windows?hall_id=${cityHall.id}`)).json.items[0].name, cityWindow.name);
  assert.equal((await anon.get('/api/v1/departments')).json.items.find((d) => d.id === cityDept.id).region_code, '430100');
  // within its region it still works, and the city's admin anywhere
  r = await district.post('/api/v1/windows', { hall_id: ownHall.id, number: 91, name: '区新增窗口', kind: 'comprehensive' });
  assert.equal(r.status, 201, r.text);
  r = await district.put(`/api/v1/halls/${ownHall.id}`, { name: ownHall.name, region_code: ownHall.region_code, address: ownHall.address, hours: ownHall.hours });
  assert.equal(r.status, 200, r.text);
  r = await admin.post('/api/v1/users', {
    username: 'city_appr', name: '市审批', password: PW, roles: ['approver'], dept_id: cityDept.id,
  });
  assert.equal(r.status, 201, r.text);
});

test('a district centre admin handles the disclosure requests and documents of its own region\'s organs only', async () => {
  const depts = (await anon.get('/api/v1/departments')).json.items;
  const cityOrgan = depts.find((d) => d.name === '长沙市政务服务中心');
  const own = depts.find((d) => d.name === '芙蓉区民政局');
  const district = await staff({
    username: 'fr_center3', name: '芙蓉区中心管理员', roles: ['center_admin'], dept_id: own.id, region_code: '430102',
  });
  const officer = await as(srv.base, 'gongkai01'); // 长沙市政务服务中心
  let r = await officer.post('/api/v1/disclosure/requests', {
    channel: 'letter', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150011',
    phone: '13800000001', content: '请公开本中心窗口设置情况',
  });
  assert.equal(r.status, 201, r.text);
  const req = r.json.id;
  r = await officer.post('/api/v1/disclosure/documents', {
    category_id: 1, title: '市中心尚未发布的草稿文件', publisher: '长沙市政务服务中心', body: '草稿正文，尚未发布。', written_date: '2026-01-05',
  });
  assert.equal(r.status, 201, r.text);
  const doc = r.json.id;
  // the city organ's request and draft: as if they did not exist
  for (const path of [`/api/v1/disclosure/requests/${req}`, `/api/v1/disclosure/requests/${req}/letter`,
    `/api/v1/disclosure/documents/${doc}`]) {
    r = await district.get(path);
    assert.equal(r.status, 404, `${path}: ${r.text}`);
  }
  r = await district.get('/api/v1/disclosure/requests?page_size=200');
  assert.equal(r.status, 200, r.text);
  assert.ok(!r.json.items.some((x) => x.dept_id === cityOrgan.id), 'no city organ request listed');
  r = await district.get(`/api/v1/disclosure/requests?dept_id=${cityOrgan.id}`);
  assert.equal(r.json.total, 0, r.text);
  r = await district.get(`/api/v1/disclosure/manage/documents?dept_id=${cityOrgan.id}`);
  assert.equal(r.json.total, 0, r.text);
  r = await district.post(`/api/v1/disclosure/requests/${req}/extend`, { reason: '需要延期答复' });
  assert.equal(r.status, 404, r.text);
  r = await district.post(`/api/v1/disclosure/documents/${doc}/submit`, {});
  assert.equal(r.status, 404, r.text);
  r = await district.post('/api/v1/disclosure/requests', {
    dept_id: cityOrgan.id, channel: 'letter', applicant_type: 'person', applicant_name: '李四',
    applicant_no: '430102198507150011', phone: '13800000001', content: '以市中心名义登记的申请',
  });
  assert.equal(r.status, 403, r.text);
  // nor writes the city organ's guide, nor reads or edits its annual report or the whole government's
  const guide = { office: '越权修改的公开办公室', address: '芙蓉区某路1号', postcode: '410011', phone: '0731-84000000',
    fax: '', email: 'x@example.cn', hours: '工作日', notes: '' };
  r = await district.put(`/api/v1/disclosure/organs/${cityOrgan.id}/guide`, guide);
  assert.equal(r.status, 403, r.text);
  assert.notEqual((await anon.get(`/api/v1/disclosure/organs/${cityOrgan.id}/guide`)).json.office, guide.office);
  const year = new Date().getFullYear() - 1;
  for (const path of [`/api/v1/disclosure/report?year=${year}`, `/api/v1/disclosure/report?year=${year}&dept_id=${cityOrgan.id}`,
    `/api/v1/disclosure/reports/${year}`, `/api/v1/disclosure/reports/${year}?dept_id=${cityOrgan.id}`]) {
    r = await district.get(path);
    assert.equal(r.status, 403, `${path}: ${r.text}`);
  }
  r = await district.post(`/api/v1/disclosure/reports/${year}/publish?dept_id=${cityOrgan.id}`, {});
  assert.equal(r.status, 403, r.text);
  assert.equal((await district.put(`/api/v1/disclosure/organs/${own.id}/guide`, guide)).status, 200);
  assert.equal((await district.get(`/api/v1/disclosure/report?year=${year}&dept_id=${own.id}`)).status, 200);
  assert.equal((await admin.get(`/api/v1/disclosure/report?year=${year}`)).status, 200);
  // its own district's organ it handles, and the city's admin every organ
  r = await district.post('/api/v1/disclosure/requests', {
    dept_id: own.id, channel: 'letter', applicant_type: 'person', applicant_name: '王五',
    applicant_no: '430102198507150011', phone: '13800000002', content: '请公开本区民政局低保审批情况',
  });
  assert.equal(r.status, 201, r.text);
  assert.equal((await district.get(`/api/v1/disclosure/requests/${r.json.id}`)).status, 200);
  assert.equal((await admin.get(`/api/v1/disclosure/requests/${req}`)).status, 200);
  assert.equal((await admin.get(`/api/v1/disclosure/documents/${doc}`)).status, 200);
  // its home page's figures count its region's organs, as its list does; the city's admin's all
  const sum = (j) => Object.values(j.requests.by_state).reduce((a, b) => a + b, 0);
  r = await district.get('/api/v1/disclosure/summary');
  assert.equal(r.status, 200, r.text);
  assert.equal(sum(r.json), (await district.get('/api/v1/disclosure/requests?page_size=1')).json.total);
  const cityAll = (await admin.get('/api/v1/disclosure/requests?page_size=1')).json.total;
  assert.equal(sum((await admin.get('/api/v1/disclosure/summary')).json), cityAll);
  assert.ok(sum(r.json) < cityAll);
});

test('a staff account made on the command line with a district department works in that district, not the whole city', async () => {
  cli(srv, ['user', 'add', 'fr_jiandu_cli', '--name', '芙蓉区监察', '--roles', 'supervisor', '--password', PW,
    '--dept', '芙蓉区行政审批服务局']);
  const sup = new Client(srv.base);
  const me = await sup.login('fr_jiandu_cli', PW);
  assert.equal(me.region_code, '430102');
  // a supervisor with no region would issue 督办 to every district's departments (and watch their cases)
  const depts = (await anon.get('/api/v1/departments')).json.items;
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const due = (await anon.get(`/api/v1/calendar/deadline?from=${today}&workdays=5`)).json.date;
  const order = (dept) => sup.post('/api/v1/supervision/orders', { dept_id: dept.id, title: '督办事项', content: '请说明情况', due_day: due });
  let r = await order(depts.find((d) => d.name === '长沙市市场监督管理局'));
  assert.equal(r.status, 422, r.text);
  assert.ok(r.json.error.details.some((d) => d.field === 'dept_id'), r.text);
  r = await order(depts.find((d) => d.name === '芙蓉区民政局'));
  assert.equal(r.status, 201, r.text);
  // without a department the command line's account is the whole platform's, as before (yiwang init's admin)
  cli(srv, ['user', 'add', 'cli_admin2', '--name', '管理员', '--roles', 'center_admin', '--password', PW]);
  const adm = new Client(srv.base);
  assert.equal((await adm.login('cli_admin2', PW)).region_code, null);
});

test('the audit trail, every district’s records with whole rows, is read at the city’s level, not a district’s', async () => {
  const depts = (await anon.get('/api/v1/departments')).json.items;
  const fr = depts.find((d) => d.region_code === '430102');
  const district = await staff({
    username: 'fr_jiandu', name: '芙蓉区监督员', roles: ['supervisor'], dept_id: fr.id, region_code: '430102',
  });
  const r = await district.get('/api/v1/audit?entity=cases');
  assert.equal(r.status, 403, r.text);
  assert.match(r.json.error.message, /市级及以上/);
  const city = await as(srv.base, 'jiandu01');
  assert.equal((await city.get('/api/v1/audit?entity=cases')).status, 200);
  assert.equal((await admin.get('/api/v1/audit?page_size=1')).status, 200);
});
