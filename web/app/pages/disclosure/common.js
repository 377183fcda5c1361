// What the disclosure pages (政府信息公开, docs/api.md "Disclosure") share: the codes with their
// Chinese labels (src/disclosure/disclosure_codes.h; the server also sends each label beside its
// code), small components (request state, clock, history), and a local draft store.
import { fmtTime } from '../../util.js';
import { SIGNALS } from '../cases/common.js';

const { computed } = Vue;

export const APPLICANT_TYPES = [
  { code: 'person', label: '自然人' },
  { code: 'company', label: '商业企业', group: '法人或其他组织' },
  { code: 'research', label: '科研机构', group: '法人或其他组织' },
  { code: 'nonprofit', label: '社会公益组织', group: '法人或其他组织' },
  { code: 'legal', label: '法律服务机构', group: '法人或其他组织' },
  { code: 'other_org', label: '其他组织', group: '法人或其他组织' },
];

export const DELIVERY = { online: '网上获取', email: '电子邮件', post: '邮寄', pickup: '当面领取', fax: '传真' };

export const REQUEST_STATES = {
  processing: ['办理中', 'primary'], correction: ['待补正', 'warning'], consulting: ['征求第三方意见中', 'warning'],
  fee: ['待缴费', 'warning'], replied: ['已答复', 'success'],
};

// The results of table 三 in the template's order (国办公开办函〔2021〕30号), grouped as the reply
// dialog offers them. `system`: closed by the background job, never chosen by the officer.
export const RESULT_GROUPS = [
  { key: 'public', label: '予以公开', items: [['public', '予以公开']] },
  { key: 'partial', label: '部分公开', items: [['partial', '部分公开（区分处理）']] },
  { key: 'deny', label: '不予公开', items: [['deny_state_secret', '属于国家秘密'], ['deny_law', '其他法律行政法规禁止公开'],
    ['deny_safety', '危及“三安全一稳定”'], ['deny_third_party', '保护第三方合法权益'], ['deny_internal', '属于三类内部事务信息'],
    ['deny_process', '属于四类过程性信息'], ['deny_enforcement', '属于行政执法案卷'], ['deny_inquiry', '属于行政查询事项']] },
  { key: 'unable', label: '无法提供', items: [['unable_not_held', '本机关不掌握相关政府信息'],
    ['unable_need_create', '没有现成信息需要另行制作'], ['unable_unclear', '补正后申请内容仍不明确']] },
  { key: 'reject', label: '不予处理', items: [['reject_petition', '信访举报投诉类申请'], ['reject_repeat', '重复申请'],
    ['reject_publication', '要求提供公开出版物'], ['reject_mass', '无正当理由大量反复申请'],
    ['reject_confirm', '要求行政机关确认或重新出具已获取信息']] },
  { key: 'other', label: '其他处理', items: [['other', '其他']] },
];

export const EVENT_LABELS = {
  create: '收到申请', correction: '补正告知', corrected: '收到补正', lapse_correction: '逾期未补正，终止办理',
  consult: '征求第三方意见', consult_answer: '第三方答复', extend: '延期答复', fee: '收费通知', fee_paid: '已缴费',
  lapse_fee: '逾期未缴费，终止办理', signal: '电子监察', reply: '答复', withdraw: '申请人撤回', remedy: '复议诉讼登记', remedy_result: '复议诉讼结果',
};

export const OPINIONS = { agree: '同意公开', object: '不同意公开', no_reply: '逾期未答复' };
export const FEE_BASIS = { item: '按件计收', page: '按量计收（页）' };
export const FEE_STATES = { notified: '待缴费', paid: '已缴费', lapsed: '逾期未缴' };
export const REMEDY_STAGES = { reconsideration: '行政复议', suit_direct: '未经复议直接起诉', suit_after: '复议后起诉' };
export const REMEDY_RESULTS = { upheld: '结果维持', corrected: '结果纠正', other: '其他结果', pending: '尚未审结' };

export const DOC_STATES = {
  draft: ['草稿', 'info'], review: ['保密审查中', 'warning'], published: ['已发布', 'success'],
  withdrawn: ['已撤回', 'danger'], superseded: ['已被新版本替代', 'info'],
};
export const VALIDITY = { valid: '有效', expired: '失效', repealed: '废止' };
export const DOC_KINDS = { regulation: '规章', normative: '行政规范性文件', other: '其他文件' };

export const yuanOf = (fen) => (Number(fen || 0) / 100).toFixed(2);
export const requestUrl = (id, tail = '') => `/api/v1/disclosure/requests/${id}${tail}`;
export const letterUrl = (id, kind = 'reply') => requestUrl(id, '/letter?kind=' + kind);

// Today as the server counts days: China's civil date (UTC+8, src/platform/date.c), whatever the
// browser's zone.
export function todayIso() {
  return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
}
export const thisYear = () => Number(todayIso().slice(0, 4));

// The letters (告知书) a request has now: [kind, title].
export function lettersOf(r) {
  const out = [];
  if (r.correction) out.push(['correction', '补正告知书']);
  if (r.extension_days > 0) out.push(['extension', '延期答复告知书']);
  if ((r.fees || []).length) out.push(['fee', '收费通知书']);
  if (r.state === 'replied') out.push(['reply', '答复告知书']);
  return out;
}

// Categories as an el-tree / el-cascader tree ({id, label, children}).
export function categoryTree(items) {
  const byParent = new Map();
  for (const c of items) {
    const k = c.parent_id || 0;
    if (!byParent.has(k)) byParent.set(k, []);
    byParent.get(k).push(c);
  }
  const build = (pid) => (byParent.get(pid) || []).sort((a, b) => a.sort - b.sort || a.id - b.id)
    .map((c) => ({ id: c.id, value: c.id, label: c.name, code: c.code, children: build(c.id) }));
  return build(0);
}

export const RequestState = {
  name: 'RequestState',
  props: { r: { type: Object, required: true } },
  setup(props) {
    const s = computed(() => REQUEST_STATES[props.r.state] || [props.r.state_label || props.r.state, 'info']);
    return { s };
  },
  template: `<el-tag :type="s[1]" effect="light" data-test="request-state">{{ r.state_label || s[0] }}</el-tag>`,
};

export const RequestSignal = {
  name: 'RequestSignal',
  props: { signal: Number },
  setup(props) {
    return { s: computed(() => SIGNALS[props.signal]) };
  },
  template: `<el-tag v-if="s && signal > 0" :type="s[1]" effect="dark" size="small" data-test="request-signal">{{ s[0] }}</el-tag>`,
};

// The statutory clock of a request: received, counting from, due, extension, days not counted.
export const RequestClock = {
  name: 'RequestClock',
  props: { r: { type: Object, required: true } },
  setup(props) {
    const dueLabel = computed(() => (props.r.state === 'correction' ? '补正截止日期'
      : props.r.state === 'replied' ? '答复期限' : '答复截止日期'));
    const late = computed(() => props.r.state !== 'replied' && props.r.due_date && props.r.due_date < todayIso());
    return { dueLabel, late };
  },
  template: `
  <div class="case-clock disc-clock" data-test="request-clock">
    <div><span>收到申请</span><b>{{ r.received_date }}</b></div>
    <div><span>计算起点</span><b>{{ r.clock_start || '—' }}</b></div>
    <div :class="{ overdue: late }"><span>{{ dueLabel }}</span><b data-test="request-due">{{ r.due_date || '—' }}</b></div>
    <div v-if="r.state === 'replied'"><span>答复日期</span><b>{{ r.reply_date }}</b></div>
    <div v-else><span>延期（工作日）</span><b>{{ r.extension_days || 0 }}</b></div>
    <div class="clock-note muted small">
      法定期限：收到申请之日起20个工作日内答复，经批准可延长一次、最长不超过20个工作日；补正后自收到补正之日起重新计算；
      征求第三方意见的时间（最长15个工作日）不计算在内<template v-if="r.paused_workdays">，本申请已有 {{ r.paused_workdays }} 个工作日不计算在内</template>。
      <el-tag v-if="r.state === 'consulting' || r.state === 'fee'" type="warning" size="small">{{ r.state === 'fee' ? '待缴费，计时暂停' : '征求第三方意见，计时暂停' }}</el-tag>
    </div>
  </div>`,
};

export const RequestTimeline = {
  name: 'RequestTimeline',
  props: { events: { type: Array, default: () => [] } },
  setup() {
    const detail = (e) => {
      const d = e.data || {};
      const out = [];
      if (d.items) out.push(...d.items.map((x) => '· ' + x));
      if (d.due_date) out.push('期限：' + d.due_date);
      if (d.third_party) out.push('第三方：' + d.third_party);
      if (d.opinion) out.push('意见：' + (OPINIONS[d.opinion] || d.opinion));
      if (d.days) out.push(`延长 ${d.days} 个工作日，批准人：${d.approver || '—'}`);
      if (d.amount_fen) out.push(`信息处理费 ${yuanOf(d.amount_fen)} 元（${FEE_BASIS[d.basis] || d.basis}，${d.quantity}）`);
      if (d.on_spot) out.push('当场答复');
      if (d.late) out.push('逾期答复');
      return out;
    };
    return { EVENT_LABELS, fmtTime, detail };
  },
  template: `
  <el-timeline class="case-timeline" data-test="request-timeline">
    <el-timeline-item v-for="e in events" :key="e.id" :timestamp="e.day + ' · ' + fmtTime(e.at).slice(11)" placement="top">
      <div><b>{{ EVENT_LABELS[e.action] || e.action }}</b> <span class="muted">· {{ e.actor || '系统' }}</span></div>
      <div v-if="e.note" class="event-note">{{ e.note }}</div>
      <div v-for="(x, i) in detail(e)" :key="i" class="muted small">{{ x }}</div>
    </el-timeline-item>
  </el-timeline>`,
};
