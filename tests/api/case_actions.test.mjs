// The case detail's `actions` are the server's own rule (case_action_check and the reviews
// module's rating check): for each demo role on cases in many states, every listed action is
// accepted by its route (tried on a fresh case in the same state), and every action not listed is
// refused (403, 404 or 409) without changing the case. Viewers who do not see a case get 404 for
// the case and for every action on it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, as } from './helpers.mjs';

const FOOD = '1143010000825175203011010001001'; // 市场监管 食品经营许可(新办): 3 steps, a 容缺 material
const FOOD_YL = '1143010400206450X04011010001001'; // 岳麓区 食品经营许可(新办): 告知承诺
const USERS = ['zhangsan', 'xiangjiang_food', 'window01', 'scjg_shenpi', 'scjg_admin', 'ga_shenpi', 'cg_shenpi',
  'zj_shenpi', 'ylscjg_shenpi', 'jiandu01', 'center_admin'];
const ALL = ['submit', 'withdraw', 'accept', 'refuse', 'correction', 'resubmit', 'pass', 'return', 'approve', 'deny',
  'suspend', 'resume', 'supply', 'followup', 'deliver', 'opinion', 'review'];

let srv, pub, food, foodYl, bundleMats, u = {};
before(async () => {
  srv = await startServer();
  pub = new Client(srv.base);
  food = (await pub.get(`/api/v1/items/${FOOD}`)).json;
  foodYl = (await pub.get(`/api/v1/items/${FOOD_YL}`)).json;
  for (const name of USERS) u[name] = await as(srv.base, name);
  const bundle = (await pub.get('/api/v1/bundles')).json.items.find((b) => b.code === 'KBCYD');
  const guides = await Promise.all(bundle.items.map(async (i) => (await pub.get(`/api/v1/items/${i.item_code}`)).json));
  bundleMats = [...new Set(guides.flatMap((g) => g.materials.map((m) => m.name)))];
});
after(() => srv.stop());

const all = (g) => g.materials.map((m) => m.name);
const tolerable = () => food.materials.find((m) => m.tolerable).name;

async function ok(r) {
  assert.ok(r.status >= 200 && r.status < 300, `${r.status} ${r.text}`);
  return r.json;
}
const post = (who, id, path, body = {}) => u[who].post(`/api/v1/cases/${id}${path}`, body);

async function toLastStep(id) {
  for (let guard = 0; guard < 10; guard++) {
    const c = (await u.scjg_shenpi.get(`/api/v1/cases/${id}`)).json;
    if (c.current_step === c.steps.length - 1) return;
    await ok(await post('scjg_shenpi', id, '/step', { action: 'pass' }));
  }
  throw new Error('never reached the last step');
}

// Each shape builds a fresh case in its state and returns its id.
const submitted = async () => (await ok(await u.zhangsan.post('/api/v1/cases', { item_code: FOOD, materials: all(food) }))).id;
const accepted = async () => { const id = await submitted(); await ok(await post('window01', id, '/accept')); return id; };
const atLast = async () => { const id = await accepted(); await toLastStep(id); return id; };
const correcting = async () => {
  const id = await submitted();
  await ok(await post('window01', id, '/correction', { items: [{ material: food.materials[0].name, reason: '不清晰' }] }));
  return id;
};
const bundleCase = async () => {
  const id = (await ok(await u.xiangjiang_food.post('/api/v1/cases', { bundle_code: 'KBCYD', materials: bundleMats }))).id;
  await ok(await post('window01', id, '/accept'));
  return id;
};
const SHAPES = {
  draft: async () => (await ok(await u.zhangsan.post('/api/v1/cases', { item_code: FOOD, materials: all(food), submit: false }))).id,
  submitted,
  walk_in: async () => (await ok(await u.window01.post('/api/v1/cases', { item_code: FOOD, materials: all(food),
    applicant: { name: '赵小六', id_number: '430102198507150011', phone: '13900000000' } }))).id,
  correcting,
  corrected: async () => {
    const id = await correcting();
    await ok(await post('zhangsan', id, '/resubmit', { materials: [food.materials[0].name], note: '已补正' }));
    return id;
  },
  accepted,
  at_last_step: atLast,
  tolerated_at_last_step: async () => {
    const id = (await ok(await u.zhangsan.post('/api/v1/cases', { item_code: FOOD, materials: all(food).filter((n) => n !== tolerable()) }))).id;
    await ok(await post('window01', id, '/accept', { missing: [tolerable()] }));
    await toLastStep(id);
    return id;
  },
  suspended: async () => {
    const id = await accepted();
    await ok(await post('scjg_shenpi', id, '/suspend', { kind: '现场勘验', reason: '需现场核查', days: 10 }));
    return id;
  },
  approved: async () => {
    const id = await atLast();
    await ok(await post('scjg_shenpi', id, '/step', { action: 'approve', opinion: '符合条件，准予许可' }));
    return id;
  },
  refused: async () => {
    const id = await submitted();
    await ok(await post('window01', id, '/refuse', { reasons: '申请事项不属于本机关职权范围' }));
    return id;
  },
  withdrawn: async () => { const id = await submitted(); await ok(await post('zhangsan', id, '/withdraw')); return id; },
  bundle_accepted: bundleCase,
  bundle_at_last_step: async () => { const id = await bundleCase(); await toLastStep(id); return id; },
  commitment_decided: async () => {
    const id = (await ok(await u.zhangsan.post('/api/v1/cases', { item_code: FOOD_YL, materials: all(foodYl) }))).id;
    await ok(await post('window01', id, '/accept', { commitment: { signed_by: '张三', text: '本人承诺符合许可条件。' } }));
    return id;
  },
};

// The route and a valid body of each action on case c (as the viewer sees it).
async function attempt(who, c, action) {
  const step = { pass: { action: 'pass' }, return: { action: 'return' },
    approve: { action: 'approve', opinion: '符合条件，准予许可' }, deny: { action: 'deny', opinion: '不符合法定条件' } };
  if (step[action]) return post(who, c.id, '/step', step[action]);
  const bodies = {
    submit: {}, withdraw: {}, accept: {}, refuse: { reasons: '申请事项不属于本机关职权范围' },
    correction: { items: [{ material: food.materials[0].name, reason: '不清晰' }] },
    resubmit: { materials: [food.materials[0].name], note: '已补正' },
    suspend: { kind: '现场勘验', reason: '需现场核查', days: 10 }, resume: {},
    supply: { materials: c.pending_materials && c.pending_materials.length ? c.pending_materials : [tolerable()] },
    followup: { result: '合格' }, deliver: { method: 'pickup' },
    opinion: { item_code: c.opinion_item || (c.parallel && c.parallel[0] ? c.parallel[0].item_code : food.code), agree: true, opinion: '同意' },
    review: { level: 1, comment: '满意' },
  };
  return post(who, c.id, `/${action}`, bodies[action]);
}

// A co-department's opinion names its own co-item: the first pending one of the viewer's department.
async function viewerCase(who, id) {
  const r = await u[who].get(`/api/v1/cases/${id}`);
  if (r.status !== 200) return { status: r.status, id };
  const c = r.json;
  const me = (await u[who].get('/api/v1/auth/me')).json;
  const depts = (await pub.get('/api/v1/departments')).json.items;
  const mine = (depts.find((d) => d.id === (me.user || me).dept_id) || {}).name;
  const p = (c.parallel || []).find((x) => x.state === 'pending' && x.dept === mine);
  return { ...c, status: 200, opinion_item: p && p.item_code };
}

test('actions list exactly what the server then accepts, for every demo role and case state', async () => {
  const seen = new Set();
  for (const [shape, make] of Object.entries(SHAPES)) {
    const id = await make();
    for (const who of USERS) {
      const c = await viewerCase(who, id);
      if (c.status === 404) {
        // outside the viewer's scope: not found, whatever the action
        for (const action of ALL) {
          const r = await attempt(who, { id }, action);
          assert.ok([403, 404].includes(r.status), `${shape} ${who} ${action}: ${r.status} ${r.text}`);
        }
        continue;
      }
      assert.equal(c.status, 200);
      assert.ok(Array.isArray(c.actions), `${shape} ${who}: actions`);
      for (const a of c.actions) assert.ok(ALL.includes(a), `unknown action ${a}`);
      // each listed action succeeds, on a fresh case of the same shape
      for (const action of c.actions) {
        const fresh = await viewerCase(who, await make());
        assert.ok(fresh.actions.includes(action), `${shape} ${who}: ${action} listed on a fresh case too`);
        const r = await attempt(who, fresh, action);
        assert.ok(r.status >= 200 && r.status < 300, `${shape} ${who} ${action} was listed but answered ${r.status} ${r.text}`);
        seen.add(action);
      }
      // every action not listed is refused and changes nothing
      const before = (await u[who].get(`/api/v1/cases/${id}`)).json;
      for (const action of ALL.filter((a) => !c.actions.includes(a))) {
        const r = await attempt(who, c, action);
        assert.ok([403, 404, 409].includes(r.status), `${shape} ${who} ${action} not listed but answered ${r.status} ${r.text}`);
      }
      const after = (await u[who].get(`/api/v1/cases/${id}`)).json;
      assert.equal(after.state, before.state, `${shape} ${who}: refused actions change nothing`);
      assert.equal(after.events.length, before.events.length);
    }
  }
  // the table above reaches every action at least once
  assert.deepEqual([...seen].sort(), [...ALL].sort());
});

test('the list never promises what the state forbids: a few named cases', async () => {
  const id = await SHAPES.tolerated_at_last_step();
  let c = (await u.scjg_shenpi.get(`/api/v1/cases/${id}`)).json;
  assert.ok(!c.actions.includes('approve') && !c.actions.includes('deny'), 'no decision while a 容缺 material is pending');
  assert.ok(c.actions.includes('return') && c.actions.includes('suspend'));
  c = (await u.zhangsan.get(`/api/v1/cases/${id}`)).json;
  assert.deepEqual(c.actions, ['withdraw', 'supply']);
  const b = await SHAPES.bundle_at_last_step();
  c = (await u.scjg_shenpi.get(`/api/v1/cases/${b}`)).json;
  assert.ok(c.actions.includes('deny') && !c.actions.includes('approve'), 'approval waits for the co-departments');
  c = (await u.cg_shenpi.get(`/api/v1/cases/${b}`)).json;
  assert.deepEqual(c.actions, ['opinion']);
  c = (await u.jiandu01.get(`/api/v1/cases/${b}`)).json;
  assert.deepEqual(c.actions, [], 'supervisors watch; they do not act');
});
