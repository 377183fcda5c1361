// Electronic supervision (电子监察) on the disclosure clock, as for cases (docs/domain.md §6): a
// request left unanswered past its due day gets its 黄牌 once, then its 红牌 once, issued to the
// request's organ; the supervisor sees them in /supervision/cards and /summary with the request and
// can send a 督办 order on the request, which the organ's department answers; a department or an
// officer of another organ sees none of it; the audit trail stays intact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, Client, as, cli } from './helpers.mjs';

let srv, zwzx, offset = 0;
before(async () => {
  srv = await startServer({ clock: true, config: { tick_seconds: 1 } });
  const organs = (await new Client(srv.base).get('/api/v1/disclosure/organs')).json.items;
  zwzx = organs.find((o) => o.name === '长沙市政务服务中心').dept_id;
});
after(() => srv.stop());

// Sets the server's clock to 10:00 (China) on `day`.
async function day(d) {
  const want = Math.floor(Date.parse(`${d}T10:00:00+08:00`) / 1000) - Math.floor(Date.now() / 1000);
  srv.advance(want - offset);
  offset = want;
  await sleep(50);
}

async function until(what, fn, pred, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const r = await fn();
    if (pred(r)) return r;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}: ${JSON.stringify(r.json ?? r)}`);
    await sleep(200);
  }
}

const cardsOf = (items, id) => items.filter((k) => k.disclosure_request_id === id);

test('an overdue request gets its card once; the supervisor sees it and sends a 督办; others do not', async () => {
  await day('2026-06-02');
  const pub = new Client(srv.base);
  // a receipt whose 20th working day is Friday 2026-05-29: overdue by one working day on 06-02
  // (Monday 06-01 is the first working day after it), a 黄牌 and not yet a 红牌
  let received = null;
  for (let d = Date.parse('2026-04-15T00:00:00Z'); d < Date.parse('2026-05-10T00:00:00Z'); d += 86400000) {
    const from = new Date(d).toISOString().slice(0, 10);
    if ((await pub.get(`/api/v1/calendar/deadline?from=${from}&workdays=20`)).json.date === '2026-05-29') {
      received = from;
      break;
    }
  }
  assert.ok(received, 'a receipt day due on 2026-05-29');
  let officer = await as(srv.base, 'gongkai01');
  let r = await officer.post('/api/v1/disclosure/requests', {
    channel: 'letter', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150011',
    phone: '13800000001', content: '请公开本中心2026年窗口设置情况', received_date: received,
  });
  assert.equal(r.status, 201, r.text);
  const req = r.json;
  assert.equal(req.due_date, '2026-05-29');
  assert.equal(req.signal, 2);
  assert.equal(req.cards.length, 1);
  assert.equal(req.cards[0].level, 2);
  assert.equal(req.cards[0].kind, 'overdue');
  assert.equal(req.cards[0].kind_label, '超期');
  assert.match(req.cards[0].note, /2026-05-29/);

  // the background job runs every second: the card is not issued again
  await sleep(2500);
  r = await officer.get(`/api/v1/disclosure/requests/${req.id}`);
  assert.equal(r.json.cards.length, 1);

  const sup = await as(srv.base, 'jiandu01');
  let cards = (await sup.get('/api/v1/supervision/cards?page_size=200')).json.items;
  let mine = cardsOf(cards, req.id);
  assert.equal(mine.length, 1, 'one card on the request');
  assert.equal(mine[0].request_no, req.request_no);
  assert.equal(mine[0].dept_id, zwzx, 'the card goes to the request\'s organ');
  assert.equal(mine[0].level_label, '黄牌');
  assert.equal(mine[0].case_id, null);
  assert.ok(mine[0].user_id, 'and to the officer who entered it');
  const sum = (await sup.get('/api/v1/supervision/summary')).json;
  assert.ok(sum.disclosure_requests.yellow >= 1);
  assert.ok(sum.disclosure_requests.open >= 1);
  assert.ok(sum.cards.by_kind.overdue >= 1);

  // the organ's own department sees its cards; another department and another organ's officer do not
  const zwzxAdmin = await as(srv.base, 'zwzx_admin');
  cards = (await zwzxAdmin.get('/api/v1/supervision/cards?page_size=200')).json.items;
  assert.equal(cardsOf(cards, req.id).length, 1);
  const zrzyAdmin = await as(srv.base, 'zrzy_admin');
  cards = (await zrzyAdmin.get('/api/v1/supervision/cards?page_size=200')).json.items;
  assert.equal(cardsOf(cards, req.id).length, 0);
  const other = await as(srv.base, 'gongkai02');
  assert.equal((await other.get('/api/v1/supervision/cards')).status, 403);
  assert.equal((await other.get(`/api/v1/disclosure/requests/${req.id}`)).status, 404);
  const otherSum = (await other.get('/api/v1/disclosure/summary')).json;
  assert.ok(otherSum, 'the other organ has its own home page');

  // three more working days over: the 红牌, once
  await day('2026-06-08');
  officer = await as(srv.base, 'gongkai01');
  r = await until('the red card', () => officer.get(`/api/v1/disclosure/requests/${req.id}`), (x) => x.json.signal === 3);
  assert.deepEqual(r.json.cards.map((k) => k.kind), ['overdue', 'overdue_long']);
  await sleep(1500);
  const sup2 = await as(srv.base, 'jiandu01');
  mine = cardsOf((await sup2.get('/api/v1/supervision/cards?page_size=200')).json.items, req.id);
  assert.deepEqual(mine.map((k) => k.level).sort(), [2, 3]);

  // acting on the card: a 督办 order on the request, to its organ
  let o = await sup2.post('/api/v1/supervision/orders', { disclosure_request_id: 999999, title: '督办', content: '请尽快答复', due_day: '2026-06-10' });
  assert.equal(o.status, 422);
  assert.equal(o.json.error.details[0].field, 'disclosure_request_id');
  o = await sup2.post('/api/v1/supervision/orders', { disclosure_request_id: req.id, dept_id: 1, title: '督办', content: '请尽快答复', due_day: '2026-06-10' });
  if (zwzx !== 1) assert.equal(o.status, 422, 'the order goes to the request\'s organ');
  o = await sup2.post('/api/v1/supervision/orders', {
    disclosure_request_id: req.id, title: '关于超期未答复政府信息公开申请的督办', content: '请于期限内答复申请人并说明超期原因', due_day: '2026-06-10',
  });
  assert.equal(o.status, 201, o.text);
  assert.equal(o.json.dept_id, zwzx);
  assert.equal(o.json.disclosure_request_id, req.id);
  assert.equal(o.json.request_no, req.request_no);
  const zwzxAdmin2 = await as(srv.base, 'zwzx_admin');
  const a = await zwzxAdmin2.post(`/api/v1/supervision/orders/${o.json.id}/answer`, { answer: '已于今日答复申请人，超期原因系档案调取' });
  assert.equal(a.status, 200, a.text);
  const zrzyAdmin2 = await as(srv.base, 'zrzy_admin');
  const orders = (await zrzyAdmin2.get('/api/v1/supervision/orders?page_size=200')).json.items;
  assert.ok(!orders.some((x) => x.id === o.json.id));

  // the applicant's view carries no cards
  const citizen = await as(srv.base, 'zhangsan');
  const own = await citizen.post('/api/v1/disclosure/requests', { dept_id: zwzx, content: '请公开本中心2026年办件量' });
  assert.equal(own.status, 201, own.text);
  assert.equal(own.json.cards, undefined);
});

test('the audit trail is intact after the cards', () => {
  const out = cli(srv, ['audit', 'verify']);
  assert.match(out, /intact/);
});
