// Shared state: the signed-in user (with the permissions the server grants), and the code sets
// from /api/v1/meta/codes.
import { get, post, setCsrfToken } from './api.js';

const { reactive } = Vue;

export const session = reactive({ user: null, ready: false });

export async function loadSession() {
  try {
    session.user = (await get('/api/v1/auth/me')).user;
  } catch {
    session.user = null;
  }
  session.ready = true;
}

export async function login(username, password) {
  session.user = (await post('/api/v1/auth/login', { username, password })).user;
  return session.user;
}

export async function logout() {
  try {
    await post('/api/v1/auth/logout');
  } finally {
    session.user = null;
    setCsrfToken(null);
  }
}

// perm: one permission name, or a list of which any one will do.
export function can(perm) {
  return !!session.user && [].concat(perm).some((p) => (session.user.permissions || []).includes(p));
}

// hasRole('approver'): the case pages choose the actions they offer by role, as the server does.
export function hasRole(role) {
  return !!session.user && (session.user.roles || []).includes(role);
}

// Code sets, pre-filled with the GB/T 39046 defaults (docs/domain.md §3) until the server answers.
const numbered = (labels) => labels.map((label, i) => ({ code: i + 1, label }));
const named = (list) => list.map((s) => ({ code: s, label: s }));

export const codes = reactive({
  item_types: ['行政许可', '行政处罚', '行政强制', '行政征收', '行政给付', '行政检查', '行政确认', '行政奖励', '行政裁决',
    '其他行政权力'].map((label, i) => ({ code: String(i + 1).padStart(2, '0'), label }))
    .concat([{ code: '20', label: '公共服务' }]),
  levels: numbered(['国家级', '省级', '市级', '县级', '镇（街道）级', '村（社区）级']),
  targets: numbered(['自然人', '企业法人', '事业法人', '社会组织法人', '行政机关', '其他组织']),
  handling_classes: numbered(['即办件', '承诺件', '一审一核件']),
  forms: numbered(['窗口办理', '电脑端', '移动端', '快递']),
  tags: named(['马上办', '网上办', '就近办', '一次办', '最多跑一次', '一次也不跑', '即来即办']),
  lists: named(['权力清单', '责任清单', '投资项目目录清单', '中介服务事项目录清单', '负面清单', '流程清单']),
  life_events: named(['生育收养', '户籍办理', '教育科研', '就业创业', '婚姻登记', '社会保障', '医疗卫生', '住房保障',
    '交通出行', '开办企业', '工程建设', '经营纳税', '退休养老', '优待抚恤', '残疾人服务', '死亡殡葬']),
  roles: [['applicant', '申请人'], ['clerk', '窗口人员'], ['approver', '审批人员'], ['dept_admin', '部门管理员'],
    ['center_admin', '中心管理员'], ['supervisor', '电子监察'], ['hotline_operator', '12345话务员'],
    ['handling_unit', '承办单位'], ['disclosure_officer', '信息公开工作人员']].map(([code, label]) => ({ code, label })),
  tongban: named(['无', '全市通办', '全省通办', '跨省通办']),
});

export async function loadCodes() {
  try {
    const data = await get('/api/v1/meta/codes');
    for (const [set, list] of Object.entries(data || {})) {
      if (Array.isArray(list)) {
        codes[set] = list.map((e) => (typeof e === 'object' ? { code: e.code ?? e.name, label: e.label ?? e.name } : { code: e, label: e }));
      }
    }
  } catch {
    // keep the defaults; pages still work with them
  }
}

// label('levels', 3) -> '市级'; unknown codes are shown as they are
export function label(set, code) {
  const hit = (codes[set] || []).find((e) => String(e.code) === String(code));
  return hit ? hit.label : code == null ? '' : String(code);
}
