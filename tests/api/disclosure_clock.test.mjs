// The disclosure clock as days pass (a test clock, the background job every second): an open
// request's supervision signal rises from 正常 to a card once its due day is past, kept in its
// history by the system, while a request whose clock stands still for a third party stays behind
// (its due day moves with the pause, at most 15 working days); a 补正 left unanswered closes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, as } from './helpers.mjs';

let srv, officer;
before(async () => {
  srv = await startServer({ clock: true, config: { tick_seconds: 1 } });
  officer = await as(srv.base, 'gongkai01');
});
after(() => srv.stop());

async function letter(content) {
  const r = await officer.post('/api/v1/disclosure/requests', {
    channel: 'letter', applicant_type: 'person', applicant_name: '李四', applicant_no: '430102198507150011',
    phone: '13800000001', content,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const get = async (id) => (await officer.get(`/api/v1/disclosure/requests/${id}`)).json;

async function waitFor(id, pred, what) {
  for (let i = 0; i < 100; i++) {
    const r = await get(id);
    if (pred(r)) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await get(id))}`);
}

test('signals rise as the days pass; a paused clock stays behind; an unanswered 补正 closes', async () => {
  const plain = await letter('普通申请');
  const paused = await letter('需征求第三方意见的申请');
  const corr = await letter('需要补正的申请');
  assert.equal(plain.signal, 0);
  let r = await officer.post(`/api/v1/disclosure/requests/${paused.id}/consult`, { third_party: '某公司' });
  assert.equal(r.status, 200, r.text);
  r = await officer.post(`/api/v1/disclosure/requests/${corr.id}/correction`, { items: ['请明确申请内容'], due_workdays: 1 });
  assert.equal(r.status, 200, r.text);
  const correctionDue = r.json.correction.due_date;

  // 40 calendar days later: well past the 20 working days
  srv.advance(40 * 86400);
  const late = await waitFor(plain.id, (x) => x.signal >= 2, 'a card on the overdue request');
  const ev = late.events.find((e) => e.action === 'signal');
  assert.ok(ev, 'the rising signal is in the history');
  assert.equal(ev.actor, '系统');
  assert.ok(ev.data.signal >= 2);

  const stood = await get(paused.id);
  assert.equal(stood.state, 'consulting');
  assert.ok(stood.due_date > late.due_date, 'the third party’s time is not counted');
  assert.ok(stood.signal < late.signal, 'nor held against the organ');

  const closed = await waitFor(corr.id, (x) => x.state === 'replied', 'the lapsed 补正');
  assert.equal(closed.result, 'other_no_correction');
  assert.ok(closed.reply_date > correctionDue);
});
