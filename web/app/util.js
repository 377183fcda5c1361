// Small helpers shared by the pages: labels for values the code sets do not cover,
// formatting, error display and the viewport width.
const { reactive } = Vue;

export const ITEM_STATUS = {
  draft: { label: '草稿', tag: 'info' },
  submitted: { label: '待审核', tag: 'warning' },
  published: { label: '已发布', tag: 'success' },
  withdrawn: { label: '已撤回', tag: 'danger' },
  superseded: { label: '已替代', tag: 'info' },
};

export const ONLINE_DEPTH = { 1: '一级（网上咨询）', 2: '二级（表格下载、网上预约）', 3: '三级（网上预审）', 4: '四级（全程网办）' };
export const MATERIAL_FORMS = ['原件', '复印件', '原件和复印件', '电子材料'];
export const MATERIAL_SOURCES = ['申请人自备', '电子证照', '数据共享', '政府部门核发'];
export const RESULT_TYPES = ['证照', '批文', '其他'];
export const STEP_ROLES = { window: '窗口受理', approver: '审批人员', chief: '首席代表', leader: '分管领导' };

export function stepRole(role) {
  return STEP_ROLES[role] || role || '';
}

export function visitsText(n) {
  return n === 0 ? '0次（一次也不跑）' : n == null ? '' : n + '次';
}

export function yuan(fen) {
  return (Number(fen || 0) / 100).toFixed(2);
}

// Unix seconds, milliseconds or an ISO string -> 'YYYY-MM-DD HH:mm'
export function fmtTime(t) {
  if (t === null || t === undefined || t === '') return '';
  const d = typeof t === 'number' ? new Date(t < 1e12 ? t * 1000 : t) : new Date(t);
  if (isNaN(d)) return String(t);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function isoDate(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function showError(err) {
  ElementPlus.ElMessage.error((err && err.message) || '操作失败');
}

// Top-level fields whose values differ between two objects: [{field, before, after}]
export function diffFields(before, after) {
  const a = before && typeof before === 'object' ? before : {};
  const b = after && typeof after === 'object' ? after : {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => ({ field: k, before: a[k], after: b[k] }));
}

// Reactive viewport; `narrow` is the phone layout (below Element Plus' sm breakpoint).
export const viewport = reactive({ width: window.innerWidth, narrow: window.innerWidth < 768 });

// Toasts (ElMessage) never cover the header's navigation: at the bottom of a phone's screen; on
// wider ones at the top, below the header while it is on the screen. The offset is kept current
// on scroll, resize and clicks (which raise most toasts).
function placeToasts() {
  const cfg = window.ElementPlus && window.ElementPlus.messageConfig;
  if (!cfg) return;
  if (viewport.narrow) {
    Object.assign(cfg, { placement: 'bottom', offset: 16 });
    return;
  }
  const header = document.querySelector('.site-header');
  const bottom = header ? header.getBoundingClientRect().bottom : 0;
  Object.assign(cfg, { placement: 'top', offset: Math.max(16, Math.round(bottom) + 8) });
}
placeToasts();
window.addEventListener('scroll', placeToasts, { passive: true });
document.addEventListener('click', placeToasts, true);
document.addEventListener('keydown', placeToasts, true);

window.addEventListener('resize', () => {
  viewport.width = window.innerWidth;
  viewport.narrow = window.innerWidth < 768;
  placeToasts();
});

// A page's ECharts charts, one per element ref in els (by name). Call in setup(); the function
// returned draws: each chart is created on first use and its option replaced. The charts follow
// the window's size and are disposed with the page.
export function useCharts(els) {
  const charts = {};
  const resize = () => Object.values(charts).forEach((c) => c.resize());
  Vue.onMounted(() => window.addEventListener('resize', resize));
  Vue.onBeforeUnmount(() => {
    window.removeEventListener('resize', resize);
    Object.values(charts).forEach((c) => c.dispose());
  });
  return (options) => {
    for (const [name, el] of Object.entries(els)) {
      if (!el.value) continue;
      if (!charts[name]) charts[name] = echarts.init(el.value);
      charts[name].setOption(options[name], true);
    }
  };
}
