// What the case pages share: state and action labels (docs/domain.md §4), the review levels of
// GB/T 39046 (§7), and components: state tag, clock, steps with their clocks, timeline, the files
// of a case, the per-material uploader, and the inbox list for windows and back offices.
import { get, uploadFile } from '../../api.js';
import { CASE_STATE, isDecided } from '../../codes.js';
import { hasRole } from '../../store.js';
import { fmtTime, showError, stepRole, viewport } from '../../util.js';

const { ref, reactive, computed, onMounted, watch } = Vue;

const S = CASE_STATE;
export const CASE_STATES = {
  [S.DRAFT]: { label: '草稿', tag: 'info' },
  [S.SUBMITTED]: { label: '已接件', tag: 'warning' },
  [S.WITHDRAWN]: { label: '已撤件', tag: 'info' },
  [S.ACCEPTED]: { label: '已受理', tag: 'primary' },
  [S.REFUSED]: { label: '不予受理', tag: 'danger' },
  [S.CORRECTING]: { label: '补正中', tag: 'warning' },
  [S.CORRECTED]: { label: '补正结束', tag: 'warning' },
  [S.SUSPENDED]: { label: '特别程序中', tag: 'warning' },
  [S.DONE_APPROVED]: { label: '办结（准予）', tag: 'success' },
  [S.DONE_DENIED]: { label: '办结（不予）', tag: 'danger' },
};

export const ACTION_LABELS = {
  draft: '保存草稿', submit: '提交申请', withdraw: '撤件', accept: '受理', refuse: '不予受理', correction: '补正告知',
  resubmit: '补正后重新提交', pass: '审核通过', return: '退回上一环节', approve: '准予', deny: '不予', suspend: '特别程序开始',
  resume: '特别程序结束', supply: '补交容缺材料', followup: '告知承诺核查', deliver: '送达', opinion: '并联审批意见',
  default_agree: '超时默认同意',
};

// 电子监察 signal of a case or step: 0 normal, 1 预警, 2 黄牌, 3 红牌.
export const SIGNALS = { 0: ['正常', 'success'], 1: ['预警', 'warning'], 2: ['黄牌', 'warning'], 3: ['红牌', 'danger'] };

// GB/T 39046 codes: 1 非常满意 .. 5 非常不满意.
export const REVIEW_LEVELS = [[1, '非常满意'], [2, '满意'], [3, '基本满意'], [4, '不满意'], [5, '非常不满意']]
  .map(([level, label]) => ({ level, label }));

// Materials the department takes itself (免提交): no upload needed.
export const SHARED_SOURCES = ['电子证照', '数据共享'];

// Kinds of supervision cards (cards.kind in the schema).
export const CARD_KINDS = {
  warning: '临近期限', overdue: '超期', overdue_long: '严重超期', refuse_no_reason: '不予受理未说明理由',
  repeat_correction: '重复补正', off_process: '超出流程办结', followup_overdue: '承诺核查逾期', rectify_late: '整改逾期', order_overdue: '督办逾期',
};

// How a step ended (case_steps.outcome).
export const OUTCOMES = { pass: '通过', return: '退回', approve: '准予', deny: '不予', withdraw: '撤件' };

export const DELIVERY_METHODS = { pickup: '窗口领取', express: '邮寄送达', ecert: '电子证照' };

// Fields the profile may hold, in case the server's list is not available.
export const PROFILE_FIELDS = [
  ['name', '姓名'], ['phone', '联系电话'], ['email', '电子邮箱'], ['address', '联系地址'], ['postcode', '邮政编码'],
  ['company_name', '单位名称'], ['legal_person', '法定代表人'], ['company_contact', '单位联系人'], ['company_phone', '单位电话'],
].map(([key, label]) => ({ key, label }));
const PERSON_KEYS = ['name', 'phone', 'email', 'address', 'postcode'];

// The profile fields shown on a form for this kind of applicant.
export function formFields(fields, kind) {
  return (fields && fields.length ? fields : PROFILE_FIELDS).filter((f) => kind === 'legal' || PERSON_KEYS.includes(f.key));
}

export function fieldLabel(key) {
  const f = PROFILE_FIELDS.find((x) => x.key === key);
  return f ? f.label : key;
}

export function fmtSize(n) {
  if (n == null) return '';
  return n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KB' : (n / 1048576).toFixed(1) + ' MB';
}

export const caseUrl = (id, tail = '') => `/api/v1/cases/${id}${tail}`;

// The last event of an action, e.g. the 补正 notice.
export function lastEvent(c, action) {
  return [...((c && c.events) || [])].reverse().find((e) => e.action === action) || null;
}

// Which printable notices a case has (notice.js): [kind, title].
export function noticesFor(c) {
  const out = [];
  // a refused case has a number too, but nothing was accepted
  if (lastEvent(c, 'accept')) out.push(['accept', '受理通知书']);
  if (lastEvent(c, 'correction')) out.push(['correction', '补正告知书']);
  if (c.state === CASE_STATE.REFUSED) out.push(['refuse', '不予受理通知书']);
  if (c.state === CASE_STATE.DONE_APPROVED) out.push(['decision', '准予决定书']);
  if (c.state === CASE_STATE.DONE_DENIED) out.push(['decision', '不予决定书']);
  if (c.delivery && c.delivery.method) out.push(['delivery', '送达回证']);
  return out;
}

export const StateTag = {
  name: 'StateTag',
  props: { state: Number, label: String },
  setup(props) {
    const s = computed(() => CASE_STATES[props.state] || { label: props.label || String(props.state), tag: 'info' });
    return { s };
  },
  template: `<el-tag :type="s.tag" effect="light" data-test="case-state">{{ s.label }}</el-tag>`,
};

export const SignalTag = {
  name: 'SignalTag',
  props: { signal: Number },
  setup(props) {
    return { s: computed(() => SIGNALS[props.signal]) };
  },
  template: `<el-tag v-if="s && signal > 0" :type="s[1]" effect="dark" size="small">{{ s[0] }}</el-tag>`,
};

// The case's clock: promised date, working days used and left, suspension; for staff also the
// supervision cards (黄红牌), which are internal to the administration.
export const CaseClock = {
  name: 'CaseClock',
  props: { c: { type: Object, required: true } },
  setup() {
    return { SIGNALS, CARD_KINDS, staff: computed(() => !hasRole('applicant')) };
  },
  template: `
  <div class="case-clock" data-test="case-clock">
    <div><span>承诺办结日期</span><b>{{ c.promised_day || '受理后确定' }}</b></div>
    <template v-if="c.clock">
      <div><span>已用（工作日）</span><b>{{ c.clock.used_workdays }}</b></div>
      <div :class="{ overdue: c.clock.overdue }"><span>{{ c.clock.overdue ? '已超期（工作日）' : '剩余（工作日）' }}</span>
        <b>{{ Math.abs(c.clock.remaining_workdays) }}</b></div>
      <div><span>特别程序（工作日）</span><b>{{ c.clock.suspended_workdays || 0 }}</b></div>
    </template>
    <div v-if="c.clock && c.clock.suspended" class="clock-note"><el-tag type="warning">特别程序中，计时暂停</el-tag></div>
    <div v-if="c.clock && c.clock.beyond_published" class="clock-note"><el-tag type="info">期限超出已公布的节假日安排，待日历更新后确认</el-tag></div>
    <div v-if="staff && (c.cards || []).length" class="clock-note" data-test="case-cards">
      <el-tag v-for="(k, i) in c.cards" :key="i" :type="(SIGNALS[k.level] || [])[1]" effect="dark" size="small" class="card-tag">
        {{ (SIGNALS[k.level] || [])[0] }}：{{ CARD_KINDS[k.kind] || k.kind }}<template v-if="k.step >= 0 && (c.steps || [])[k.step]">（{{ c.steps[k.step].name }}）</template><template v-if="k.day"> · {{ k.day }}</template></el-tag>
    </div>
    <div v-if="c.correction_count || c.visits" class="clock-note muted small">
      <span v-if="c.correction_count">补正 {{ c.correction_count }} 次　</span><span v-if="c.visits">到现场 {{ c.visits }} 次</span>
    </div>
  </div>`,
};

// The process steps with the running one marked and, when the server gives them, per-step clocks.
export const CaseSteps = {
  name: 'CaseSteps',
  components: { SignalTag },
  props: { c: { type: Object, required: true } },
  setup(props) {
    const active = computed(() => {
      const c = props.c;
      if (isDecided(c.state)) return (c.steps || []).length;
      return c.current_step == null ? 0 : c.current_step;
    });
    const clocks = computed(() => props.c.steps_clock || []);
    return { active, clocks, viewport, stepRole, fmtTime, OUTCOMES };
  },
  template: `
  <div data-test="case-steps">
    <el-steps :active="active" finish-status="success" align-center :direction="viewport.narrow ? 'vertical' : 'horizontal'">
      <el-step v-for="(s, i) in c.steps || []" :key="i" :title="s.name" :description="stepRole(s.role) + (s.days != null ? ' · ' + s.days + '个工作日' : '')" />
    </el-steps>
    <div v-if="clocks.length" class="table-scroll step-clocks">
      <table class="doc-table">
        <thead><tr><th>环节</th><th>开始</th><th>时限</th><th>到期日</th><th class="num">已用/剩余</th><th>完成</th><th>结果</th><th>经办人</th><th>监察</th></tr></thead>
        <tbody>
          <tr v-for="(k, i) in clocks" :key="i" data-test="step-clock">
            <td>{{ k.name || (c.steps[k.step] || {}).name }}</td><td>{{ k.started_day }}</td><td class="num">{{ k.budget_days }} 个工作日</td>
            <td>{{ k.due_day }}</td><td class="num">{{ k.used_workdays }} / <span :class="{ 'text-danger': k.remaining_workdays < 0 }">{{ k.remaining_workdays < 0 ? '超期 ' + -k.remaining_workdays : k.remaining_workdays }}</span></td>
            <td>{{ k.finished_day || '办理中' }}</td><td>{{ OUTCOMES[k.outcome] || k.outcome || '' }}</td><td>{{ k.handled_by || '' }}</td>
            <td><signal-tag :signal="k.signal" /><span v-if="!k.signal" class="muted">正常</span></td>
          </tr>
        </tbody>
      </table>
    </div>
  </div>`,
};

// The history of a case, newest last, with the content of notices (补正 items, reasons, remedies).
export const CaseTimeline = {
  name: 'CaseTimeline',
  props: { events: { type: Array, default: () => [] } },
  setup() {
    const items = (e) => (e.data && (e.data.items || e.data.reasons)) || [];
    const itemText = (x) => (typeof x === 'string' ? x : [x.material, x.reason].filter(Boolean).join('：'));
    const color = (e) => (e.state_to === CASE_STATE.REFUSED || e.state_to === CASE_STATE.DONE_DENIED ? '#d9480f'
      : e.state_to === CASE_STATE.DONE_APPROVED ? '#0e7c66' : '#1f5fbf');
    return { ACTION_LABELS, fmtTime, items, itemText, color };
  },
  template: `
  <el-timeline class="case-timeline" data-test="case-timeline">
    <el-timeline-item v-for="(e, i) in events" :key="i" :timestamp="fmtTime(e.at)" :color="color(e)" placement="top">
      <div><b>{{ ACTION_LABELS[e.action] || e.action }}</b> <span class="muted">→ {{ e.state_label }} · {{ e.actor }}</span></div>
      <div v-if="e.note" class="event-note">{{ e.note }}</div>
      <ul v-if="items(e).length" class="event-items"><li v-for="(x, k) in items(e)" :key="k">{{ itemText(x) }}</li></ul>
      <div v-if="e.data && e.data.remedies" class="muted small">救济途径：{{ e.data.remedies }}</div>
      <div v-if="e.data && e.data.kind" class="muted small">{{ e.data.kind }}，最长 {{ e.data.days }} 日</div>
      <div v-if="e.data && e.data.promised_day" class="muted small">承诺办结日期：{{ e.data.promised_day }}</div>
    </el-timeline-item>
  </el-timeline>`,
};

// The files attached to a case; each opens from the server (only for those entitled).
export const CaseFiles = {
  name: 'CaseFiles',
  props: { files: { type: Array, default: () => [] } },
  setup() {
    return { fmtSize, fmtTime };
  },
  template: `
  <div class="table-scroll">
    <table class="doc-table" data-test="case-files">
      <thead><tr><th>材料</th><th>文件</th><th class="num">大小</th><th>上传人</th><th>时间</th></tr></thead>
      <tbody>
        <tr v-for="f in files" :key="f.id" data-test="case-file">
          <td>{{ f.material }}</td>
          <td><a :href="f.url" target="_blank" rel="noopener">{{ f.name }}</a></td>
          <td class="num">{{ fmtSize(f.size) }}</td><td>{{ f.uploaded_by }}</td><td>{{ fmtTime(f.created_at) }}</td>
        </tr>
        <tr v-if="!files.length"><td colspan="5" class="empty-cell">暂无电子材料</td></tr>
      </tbody>
    </table>
  </div>`,
};

// One row per material with its upload button; v-model is {material name: [upload, ...]}.
// The upload is sent at once (POST /api/v1/files); attaching to a case happens on save.
export const MaterialUploader = {
  name: 'MaterialUploader',
  props: { materials: { type: Array, default: () => [] }, modelValue: { type: Object, default: () => ({}) } },
  emits: ['update:modelValue'],
  setup(props, { emit }) {
    const busy = reactive({});
    async function pick(m, ev) {
      const files = [...(ev.target.files || [])];
      ev.target.value = '';
      for (const f of files) {
        busy[m.name] = true;
        try {
          const up = await uploadFile(f);
          const next = { ...props.modelValue, [m.name]: [...(props.modelValue[m.name] || []), up] };
          emit('update:modelValue', next);
        } catch (err) {
          // name the file: several may be on their way
          ElementPlus.ElMessage.error(`${f.name}：${err.status === 413 ? '文件过大，单个文件不超过 20 MB' : err.message}`);
        } finally {
          busy[m.name] = false;
        }
      }
    }
    function remove(m, i) {
      const list = [...(props.modelValue[m.name] || [])];
      list.splice(i, 1);
      emit('update:modelValue', { ...props.modelValue, [m.name]: list });
    }
    return { busy, pick, remove, fmtSize, SHARED_SOURCES };
  },
  template: `
  <div class="material-list">
    <div v-for="(m, i) in materials" :key="m.name" class="material-row" data-test="material-row">
      <div class="material-name">
        <span v-if="m.required" class="req">*</span>{{ m.name }}
        <el-tag v-if="!m.required" size="small" type="info">非必要</el-tag>
        <span v-if="m.form" class="muted small">（{{ m.form }}）</span>
        <el-tag v-if="SHARED_SOURCES.includes(m.source)" size="small" type="success">免提交·{{ m.source }}</el-tag>
      </div>
      <div class="material-files">
        <el-tag v-for="(u, k) in modelValue[m.name] || []" :key="u.id" closable @close="remove(m, k)" type="success" data-test="material-file">
          {{ u.name }} · {{ fmtSize(u.size) }}</el-tag>
        <label class="el-button el-button--small upload-button" :class="{ 'is-loading': busy[m.name] }">
          <input type="file" accept=".pdf,.jpg,.jpeg,.png,.ofd,.docx,.xlsx" multiple :data-test="'material-upload-' + i"
                 @change="pick(m, $event)" />
          <span>{{ busy[m.name] ? '上传中…' : '上传文件' }}</span>
        </label>
      </div>
    </div>
    <div v-if="!materials.length" class="muted">该事项无需提交材料</div>
    <div class="muted small">支持 PDF、JPG、PNG、OFD、DOCX、XLSX，单个文件不超过 20 MB；文件类型按内容识别。</div>
  </div>`,
};

// Attaches every upload of a {material: [uploads]} map to case id.
export async function attachAll(id, uploads, post) {
  for (const [material, list] of Object.entries(uploads || {})) {
    for (const u of list) await post(caseUrl(id, '/files'), { upload_id: u.id, material });
  }
}

// The cases waiting for this user (GET /api/v1/cases?scope=todo: the server narrows the list).
export const CaseInbox = {
  name: 'CaseInbox',
  components: { StateTag, SignalTag },
  props: { title: String },
  setup() {
    const rows = ref([]);
    const loading = ref(false);
    const onlyTodo = ref(true);
    async function load() {
      loading.value = true;
      try {
        const r = await get('/api/v1/cases', { scope: onlyTodo.value ? 'todo' : '', page_size: 200 });
        rows.value = r.items || [];
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }
    onMounted(load);
    watch(onlyTodo, load);
    return { rows, loading, onlyTodo, load, viewport, fmtTime };
  },
  template: `
  <div>
    <div class="panel-head-row inbox-head">
      <el-radio-group v-model="onlyTodo" size="small">
        <el-radio-button :value="true" data-test="inbox-todo">待我处理</el-radio-button>
        <el-radio-button :value="false" data-test="inbox-all">全部办件</el-radio-button>
      </el-radio-group>
      <el-button size="small" @click="load" data-test="inbox-refresh"><el-icon><Refresh /></el-icon>&nbsp;刷新</el-button>
    </div>
    <div v-loading="loading" class="case-cards">
      <a v-for="c in rows" :key="c.id" class="case-card" :href="'/cases/' + c.id" data-test="inbox-row">
        <div class="case-card-head"><b>{{ c.item_name }}</b><state-tag :state="c.state" :label="c.state_label" /></div>
        <div class="case-card-meta">
          <span>申请人：{{ c.applicant_name }}</span>
          <span>编号：{{ c.case_no || '未受理' }}</span>
          <span>{{ c.channel === 'window' ? '窗口收件' : '网上申请' }}<template v-if="c.agent">（帮代办）</template></span>
          <span v-if="c.promised_day">承诺办结：{{ c.promised_day }}</span>
          <span>提交：{{ fmtTime(c.submitted_at || c.created_at) }}</span>
          <signal-tag :signal="c.signal" />
        </div>
      </a>
      <el-empty v-if="!loading && !rows.length" description="暂无待处理的办件" />
    </div>
  </div>`,
};
