// What the hotline pages (12345 市民诉求协同平台, docs/api.md "Hotline") share: the codes with their
// Chinese labels (the server also sends each label beside its code) and small components.
export const CHANNELS = {
  phone: '12345电话', mayor_mailbox: '市长信箱', web: '网上留言', wechat: '微建议', people_cn: '人民网留言',
  media: '媒体信箱', open311: 'Open311',
};
export const CATEGORIES = { consult: '咨询', help: '求助', complaint: '投诉', report: '举报', suggestion: '建议', praise: '表扬' };
export const ORDER_STATES = {
  pending: ['待派单', 'info'], dispatched: ['待签收', 'warning'], handling: ['办理中', 'primary'],
  returned: ['退单待审', 'danger'], replied: ['待审核', 'warning'], closed: ['已办结', 'success'],
  visited: ['已回访', 'success'], merged: ['已并单', 'info'],
};
export const SATISFACTION = { satisfied: '满意', basic: '基本满意', dissatisfied: '不满意' };

// ---- The centre's desk and the handling units' pages (console.js, orders.js, detail.js) ----
import { get } from '../../api.js';
import { fmtTime, showError } from '../../util.js';
import { SIGNALS } from '../cases/common.js';

export { SIGNALS };

// Who a step's time counts against (docs/api.md "Hotline", steps[].party).
export const PARTIES = { centre: '热线中心', unit: '承办单位', citizen: '市民', system: '系统' };
export const RETURN_STATES = { pending: ['待审核', 'warning'], accepted: ['已同意（改派）', 'success'], rejected: ['已驳回', 'info'] };
export const EXTENSION_STATES = { pending: ['待审批', 'warning'], approved: ['已同意', 'success'], refused: ['不同意', 'danger'] };
// Channels an operator enters at the console (Open311 comes only through its API); these three need their source.
export const DESK_CHANNELS = ['phone', 'mayor_mailbox', 'web', 'wechat', 'people_cn', 'media'];
export const SOURCED_CHANNELS = ['wechat', 'people_cn', 'media'];

// The request fields by name, for the 422 message that lists them.
export const FIELD_LABELS = {
  channel: '渠道', source_name: '来源', category: '诉求类别', matter_id: '事项分类', title: '标题', text: '诉求内容',
  caller_name: '来电人', caller_phone: '来电号码', address: '地址', lat: '纬度', lng: '经度', district: '所属区域',
  urgent: '紧急', confidential: '保密', call_id: '来电记录', answer: '答复口径', article_id: '知识库文章', unit_id: '承办单位',
  co_unit_ids: '协办单位', note: '说明', reason: '理由', suggested_unit_id: '建议承办单位', days: '延期天数', hours: '延期小时数',
  approve: '审核结果', accept: '审核结果', reached: '是否接通', satisfaction: '满意度', solved: '是否解决', into: '并入工单',
  unit_ids: '参加单位', meeting_at: '会商时间', place: '会商地点', hard_class: '疑难类型', decision: '会商结论', lead_unit_id: '牵头单位',
};

// A 422's fields into `errors` (field → reason) and one message naming them; any other error as a message.
export function showFieldErrors(err, errors) {
  for (const k of Object.keys(errors)) delete errors[k];
  if (err && err.status === 422) {
    Object.assign(errors, err.fields || {});
    const list = Object.entries(err.fields || {}).map(([k, v]) => (FIELD_LABELS[k] || k) + '：' + v);
    ElementPlus.ElMessage.error(list.length ? '请按提示修改：' + list.join('；') : err.message);
  } else {
    showError(err);
  }
}

export const orderUrl = (id, tail = '') => `/api/v1/hotline/orders/${id}${tail}`;

// The caller's number as the server keeps it (+86, spaces and dashes dropped), or '' when it is not one.
export function normPhone(s) {
  const t = String(s || '').trim().replace(/^\+86/, '').replace(/[\s-]/g, '');
  return /^\d{5,20}$/.test(t) ? t : '';
}

// A number worth looking up while the operator types: a mobile, a landline with or without its area
// code, or a short service number.
export function plausiblePhone(s) {
  const t = normPhone(s);
  return /^(1[3-9]\d{9}|0\d{9,11}|[2-9]\d{6,7}|9\d{4})$/.test(t);
}

// Seconds as 3天2小时 / 4小时15分 / 12分.
export function fmtElapsed(sec) {
  const s = Math.max(0, Math.round(Number(sec) || 0));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d) return d + '天' + (h ? h + '小时' : '');
  if (h) return h + '小时' + (m ? m + '分' : '');
  return m ? m + '分' : '不足1分';
}

// The order's clock as text: its due time, and how far past it.
export function dueText(o) {
  if (!o || !o.due_at) return '';
  return fmtTime(o.due_at);
}

export const OPEN_STATES = ['dispatched', 'handling', 'returned', 'replied'];

export const OrderState = {
  name: 'OrderState',
  props: { o: { type: Object, required: true } },
  setup() {
    return { ORDER_STATES };
  },
  template: `<el-tag :type="(ORDER_STATES[o.state] || [])[1] || 'info'" effect="light" data-test="order-state">{{ o.state_label || (ORDER_STATES[o.state] || [o.state])[0] }}</el-tag>`,
};

export const OrderSignal = {
  name: 'OrderSignal',
  props: { signal: { type: Number, default: 0 } },
  setup() {
    return { SIGNALS };
  },
  template: `<el-tag :type="(SIGNALS[signal] || SIGNALS[0])[1]" :effect="signal >= 2 ? 'dark' : 'plain'" size="small" data-test="order-signal"
    :class="'hl-signal-' + signal">{{ (SIGNALS[signal] || SIGNALS[0])[0] }}</el-tag>`,
};

// Lists fetched once per page load: the departments (the handling units), the regions and the matter tree.
let unitsP = null, regionsP = null, mattersP = null;
export function loadUnits() {
  unitsP = unitsP || get('/api/v1/departments').then((r) => r.items || []).catch((e) => { unitsP = null; throw e; });
  return unitsP;
}
// The city and its districts and streets, each with its path (芙蓉区 / 文艺路街道), for the district picker.
export function loadRegions() {
  regionsP = regionsP || get('/api/v1/regions').then((r) => {
    const items = (r.items || []).filter((x) => x.level <= 3);
    const by = Object.fromEntries(items.map((x) => [x.code, x]));
    return items.map((x) => ({ code: x.code, level: x.level,
      label: x.level === 3 && by[x.parent] ? by[x.parent].name + ' / ' + x.name : x.name }));
  }).catch((e) => { regionsP = null; throw e; });
  return regionsP;
}
// The active matters as a tree for el-tree-select ({value, label, children}), and each one's path by id.
export function loadMatters() {
  mattersP = mattersP || get('/api/v1/hotline/matters').then((r) => {
    const items = r.items || [];
    const nodes = Object.fromEntries(items.map((m) => [m.id, { value: m.id, label: m.name, parent: m.parent_id, children: [] }]));
    const tree = [];
    for (const m of items) (m.parent_id && nodes[m.parent_id] ? nodes[m.parent_id].children : tree).push(nodes[m.id]);
    const path = (id) => (nodes[id] ? (nodes[id].parent && nodes[nodes[id].parent] ? nodes[nodes[id].parent].label + ' / ' : '') + nodes[id].label : '');
    for (const n of Object.values(nodes)) if (!n.children.length) delete n.children;
    return { items, tree, path };
  }).catch((e) => { mattersP = null; throw e; });
  return mattersP;
}

// A function that runs fn(arg) `ms` after the last call; only the latest call's answer is given to
// done (an older one arriving late is dropped).
export function latest(fn, done, ms = 300) {
  let timer = null, seq = 0;
  const run = (arg) => {
    clearTimeout(timer);
    const mine = ++seq;
    timer = setTimeout(async () => {
      try {
        const r = await fn(arg);
        if (mine === seq) done(r, null);
      } catch (e) {
        if (mine === seq) done(null, e);
      }
    }, ms);
  };
  run.cancel = () => { clearTimeout(timer); seq++; };
  return run;
}
