// Components shared by several pages: the guide document (screen, print and review
// preview), the simplified guide, a search result row, the list counts table, and a
// composable for create/edit dialogs.
import { label } from './store.js';
import {
  ONLINE_DEPTH, diffFields, showError, stepRole, viewport, visitsText, yuan,
} from './util.js';

const { reactive, computed } = Vue;

const labels = (set, values) => (values || []).map((v) => label(set, v)).join('、');
const days = (n) => (n == null || n === '' ? '' : n + '个工作日');

// The basic-information rows of a guide: [label, value, wide?]. Narrow rows come in pairs
// (two per grid line) so that a wide row always starts a line.
export function guideInfo(item) {
  const services = [item.appointment && '网上预约', item.express && '快递送达', item.online_payment && '网上支付'].filter(Boolean);
  return [
    ['事项类型', label('item_types', item.type)],
    ['实施主体', item.dept],
    ['实施编码', item.code],
    ['基本编码', item.base_code],
    ['行使层级', label('levels', item.level)],
    ['办件类型', label('handling_classes', item.handling_class)],
    ['设定依据', item.basis, true],
    ['法定办结时限', days(item.legal_limit_days)],
    ['承诺办结时限', days(item.promised_limit_days)],
    ['服务对象', labels('targets', item.targets)],
    ['办理形式', labels('forms', item.forms)],
    ['到现场次数', visitsText(item.visits)],
    ['网上办理深度', ONLINE_DEPTH[item.online_depth] || ''],
    ['通办范围', item.tongban],
    ['便民服务', services.length ? services.join('、') : '无'],
    ['中介服务', (item.intermediaries || []).join('、') || '无', true],
    ['办理地点', item.place, true],
    ['办理时间', item.hours, true],
    ['咨询电话', item.phone_consult],
    ['监督投诉电话', item.phone_complaint],
  ];
}

export const GuideDoc = {
  name: 'GuideDoc',
  props: { item: { type: Object, required: true }, print: Boolean },
  setup(props) {
    const info = computed(() => guideInfo(props.item));
    const stepDays = computed(() => (props.item.steps || []).reduce((s, x) => s + (Number(x.days) || 0), 0));
    return { info, stepDays, viewport, stepRole, yuan, days };
  },
  template: `
  <div class="guide-doc" :class="{ 'guide-print': print }">
    <section class="doc-section">
      <h3 class="doc-h">基本信息</h3>
      <div class="info-grid">
        <template v-for="row in info" :key="row[0]">
          <div class="info-label" :class="{ wide: row[2] }">{{ row[0] }}</div>
          <div class="info-value" :class="{ wide: row[2] }">{{ row[1] || '—' }}</div>
        </template>
      </div>
    </section>
    <section class="doc-section">
      <h3 class="doc-h">受理条件</h3>
      <div class="pre-text">{{ item.conditions || '无特殊条件' }}</div>
    </section>
    <section class="doc-section" data-test="guide-materials">
      <h3 class="doc-h">申请材料</h3>
      <div class="table-scroll">
        <table class="doc-table stack-xs" data-test="guide-materials-table">
          <thead><tr><th class="num">序号</th><th>材料名称</th><th>必要性</th><th>材料形式</th><th class="num">份数</th><th>来源渠道</th><th>备注</th></tr></thead>
          <tbody>
            <tr v-for="(m, i) in item.materials || []" :key="i">
              <td class="num" data-label="序号">{{ i + 1 }}</td>
              <td data-label="材料名称" class="stack-title">{{ m.name }}</td>
              <td data-label="必要性"><span :class="m.required ? 'req' : 'opt'">{{ m.required ? '必要' : '非必要' }}</span></td>
              <td data-label="材料形式">{{ m.form }}</td>
              <td class="num" data-label="份数">{{ m.copies }}</td>
              <td data-label="来源渠道">{{ m.source }}</td>
              <td data-label="备注" :class="{ 'stack-empty': !m.note && !m.blank_form && !m.sample }">
                <div><div v-if="m.note">{{ m.note }}</div>
                <div v-if="m.blank_form" class="muted">空白表格：{{ m.blank_form }}</div>
                <div v-if="m.sample" class="muted">填写样例：{{ m.sample }}</div></div>
              </td>
            </tr>
            <tr v-if="!(item.materials || []).length"><td colspan="7" class="empty-cell">无需提交材料</td></tr>
          </tbody>
        </table>
      </div>
    </section>
    <section class="doc-section">
      <h3 class="doc-h">办理流程 <small class="muted">（各环节合计 {{ stepDays }} 个工作日）</small></h3>
      <table v-if="print" class="doc-table">
        <thead><tr><th class="num">环节</th><th>名称</th><th>办理人员</th><th class="num">时限</th></tr></thead>
        <tbody>
          <tr v-for="(s, i) in item.steps || []" :key="i">
            <td class="num">{{ i + 1 }}</td><td>{{ s.name }}</td><td>{{ stepRole(s.role) }}</td><td class="num">{{ days(s.days) }}</td>
          </tr>
        </tbody>
      </table>
      <el-steps v-else :active="(item.steps || []).length" finish-status="process" align-center
                :direction="viewport.narrow ? 'vertical' : 'horizontal'" class="guide-steps">
        <el-step v-for="(s, i) in item.steps || []" :key="i" :title="s.name"
                 :description="stepRole(s.role) + ' · ' + days(s.days)" />
      </el-steps>
    </section>
    <section class="doc-section">
      <h3 class="doc-h">收费标准</h3>
      <div v-if="!(item.fees || []).length" class="pre-text">不收费</div>
      <div v-else class="table-scroll">
        <table class="doc-table stack-xs">
          <thead><tr><th>收费项目</th><th>收费标准</th><th>收费依据</th><th>可否减免</th><th class="num">金额（元）</th></tr></thead>
          <tbody>
            <tr v-for="(f, i) in item.fees" :key="i">
              <td data-label="收费项目" class="stack-title">{{ f.item }}</td><td data-label="收费标准">{{ f.standard }}</td><td data-label="收费依据">{{ f.basis }}</td>
              <td data-label="可否减免">{{ f.waivable ? '可减免' : '不可减免' }}</td><td class="num" data-label="金额（元）">{{ yuan(f.amount_fen) }}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </section>
    <section class="doc-section">
      <h3 class="doc-h">办理结果</h3>
      <div class="info-grid">
        <div class="info-label">结果名称</div><div class="info-value">{{ item.result?.name || '—' }}</div>
        <div class="info-label">结果类型</div><div class="info-value">{{ item.result?.type || '—' }}</div>
        <template v-if="item.result?.sample">
          <div class="info-label wide">结果样本</div><div class="info-value wide">{{ item.result.sample }}</div>
        </template>
      </div>
    </section>
  </div>`,
};

// 简版: only what to bring, where, how long, how many visits and what it costs.
export const GuideBrief = {
  name: 'GuideBrief',
  props: { item: { type: Object, required: true } },
  setup(props) {
    const fees = computed(() => props.item.fees || []);
    return { fees, yuan };
  },
  template: `
  <div class="guide-brief">
    <el-row :gutter="16">
      <el-col :xs="24" :md="12">
        <div class="brief-card">
          <div class="brief-h"><el-icon><Document /></el-icon> 带什么</div>
          <ol class="brief-materials">
            <li v-for="(m, i) in item.materials || []" :key="i">
              {{ m.name }}<span class="muted">（{{ m.form || '原件' }}{{ m.copies ? ' ' + m.copies + '份' : '' }}）</span>
              <el-tag v-if="!m.required" size="small" type="info">非必要</el-tag>
              <el-tag v-if="m.source === '电子证照' || m.source === '数据共享'" size="small" type="success">免提交·{{ m.source }}</el-tag>
            </li>
            <li v-if="!(item.materials || []).length">无需提交材料</li>
          </ol>
        </div>
      </el-col>
      <el-col :xs="24" :md="12">
        <div class="brief-card">
          <div class="brief-h"><el-icon><Location /></el-icon> 去哪里</div>
          <p>{{ item.place || '—' }}</p>
          <p class="muted">{{ item.hours }}</p>
        </div>
        <el-row :gutter="12">
          <el-col :span="8"><div class="brief-card brief-num"><div class="brief-h">多久办好</div>
            <b>{{ item.promised_limit_days ?? '—' }}</b><span>个工作日</span></div></el-col>
          <el-col :span="8"><div class="brief-card brief-num"><div class="brief-h">跑几次</div>
            <b>{{ item.visits ?? '—' }}</b><span>次</span></div></el-col>
          <el-col :span="8"><div class="brief-card brief-num"><div class="brief-h">收费</div>
            <b class="fee">{{ fees.length ? '收费' : '免费' }}</b>
            <span v-if="fees.length">{{ fees.map(f => f.item + ' ' + yuan(f.amount_fen) + '元').join('；') }}</span></div></el-col>
        </el-row>
        <div class="brief-card">
          <div class="brief-h"><el-icon><Phone /></el-icon> 咨询电话</div>
          <p>{{ item.phone_consult || '—' }}　<span class="muted">投诉：{{ item.phone_complaint || '12345' }}</span></p>
        </div>
      </el-col>
    </el-row>
  </div>`,
};

// One search result; the whole row links to the guide.
export const ResultItem = {
  name: 'ResultItem',
  props: { item: { type: Object, required: true } },
  setup() {
    return { label };
  },
  template: `
  <a class="result-item" data-test="result-item" :href="'/guide/' + encodeURIComponent(item.code)">
    <div class="result-name">{{ item.name }}</div>
    <div class="result-meta">
      <span><el-icon><OfficeBuilding /></el-icon>{{ item.dept }}</span>
      <span>办件类型：{{ label('handling_classes', item.handling_class) }}</span>
      <span>承诺时限：<b>{{ item.promised_limit_days }}</b>个工作日</span>
      <span>到现场次数：<b>{{ item.visits }}</b>次</span>
      <span class="hide-xs">{{ label('levels', item.level) }} · {{ label('item_types', item.type) }}</span>
    </div>
    <div class="result-tags" v-if="(item.tags || []).length">
      <el-tag v-for="t in item.tags" :key="t" size="small" :type="t === '一次也不跑' ? 'success' : t === '最多跑一次' ? 'primary' : 'info'"
              effect="plain">{{ t }}</el-tag>
    </div>
  </a>`,
};

export function percent(share) {
  if (share == null) return '—';
  return (share <= 1 ? share * 100 : share).toFixed(1) + '%';
}

// Counts per level from GET /api/v1/lists, with a total row.
export const CountsTable = {
  name: 'CountsTable',
  props: { rows: { type: Array, default: () => [] } },
  setup() {
    function summary({ data }) {
      const sum = (k) => data.reduce((s, r) => s + (Number(r[k]) || 0), 0);
      const items = sum('items');
      return ['合计', items, sum('zuiduo'), sum('yici_bu'), sum('online'), items ? percent(sum('online') / items) : '—'];
    }
    return { summary, percent };
  },
  template: `
  <el-table :data="rows" border stripe show-summary :summary-method="summary" class="counts-table">
    <el-table-column prop="label" label="层级" min-width="90" />
    <el-table-column prop="items" label="事项数" align="right" min-width="80" />
    <el-table-column prop="zuiduo" label="最多跑一次" align="right" min-width="100" />
    <el-table-column prop="yici_bu" label="一次也不跑" align="right" min-width="100" />
    <el-table-column prop="online" label="网上可办" align="right" min-width="90" />
    <el-table-column label="网办占比" align="right" min-width="90">
      <template #default="{ row }">{{ percent(row.online_share) }}</template>
    </el-table-column>
  </el-table>`,
};

// Before/after of a change as a field table (audit log, review).
export const DiffTable = {
  name: 'DiffTable',
  props: { before: null, after: null, ignore: { type: Array, default: () => [] } },
  setup(props) {
    const rows = computed(() => diffFields(props.before, props.after).filter((r) => !props.ignore.includes(r.field)));
    const show = (v) => (v === undefined || v === null ? '—' : typeof v === 'object' ? JSON.stringify(v, null, 1) : String(v));
    return { rows, show };
  },
  template: `
  <div class="table-scroll">
    <table class="doc-table diff-table">
      <thead><tr><th>字段</th><th>变更前</th><th>变更后</th></tr></thead>
      <tbody>
        <tr v-for="r in rows" :key="r.field">
          <td class="mono">{{ r.field }}</td>
          <td class="diff-old"><pre>{{ show(r.before) }}</pre></td>
          <td class="diff-new"><pre>{{ show(r.after) }}</pre></td>
        </tr>
        <tr v-if="!rows.length"><td colspan="3" class="empty-cell">无字段变化</td></tr>
      </tbody>
    </table>
  </div>`,
};

// State and actions of a create/edit dialog. blank() gives a new form, fromRow(row) an edit
// form; create(form) / update(row, form) call the API. Field errors land in dlg.errors.
export function useEditDialog({ blank, fromRow, create, update, saved }) {
  const dlg = reactive({ visible: false, editing: null, form: blank(), errors: {}, saving: false });
  function open(row) {
    dlg.editing = row || null;
    dlg.form = row ? fromRow(row) : blank();
    dlg.errors = {};
    dlg.visible = true;
  }
  async function save() {
    dlg.saving = true;
    dlg.errors = {};
    try {
      if (dlg.editing) await update(dlg.editing, dlg.form);
      else await create(dlg.form);
      dlg.visible = false;
      ElementPlus.ElMessage.success('已保存');
      if (saved) saved();
    } catch (err) {
      dlg.errors = err.fields || {};
      showError(err);
    } finally {
      dlg.saving = false;
    }
  }
  return { dlg, open, save };
}
