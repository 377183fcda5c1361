// 电子监察 (docs/domain.md §6): /admin/supervision for supervisors and centre admins — the summary
// tiles, the open cases with a 预警 / 黄牌 / 红牌 signal, the cards issued, and 督办 orders
// (issue one from a signal or a card, follow them, close the answered ones); and
// /admin/supervision-dept for departments — their 督办 orders with the answer dialog, and their cards.
import { get, post } from '../../api.js';
import { fmtTime, isoDate, showError } from '../../util.js';

const { ref, reactive, onMounted } = Vue;
const PAGE_SIZE = 20;

// Signal and card levels: 1 预警, 2 黄牌, 3 红牌.
export const LEVELS = [[1, '预警', 'warning'], [2, '黄牌', 'warning'], [3, '红牌', 'danger']]
  .map(([level, label, tag]) => ({ level, label, tag }));
const levelTag = (n) => (LEVELS.find((l) => l.level === n) || {}).tag || 'info';
const ORDER_STATES = [['open', '待答复', 'danger'], ['answered', '已答复', 'warning'], ['closed', '已办结', 'info']]
  .map(([code, label, tag]) => ({ code, label, tag }));
const orderTag = (s) => (ORDER_STATES.find((x) => x.code === s) || {}).tag || 'info';

// A paged list from the server, reloaded with the current filter.
function usePaged(path, filter) {
  const result = reactive({ total: 0, page: 1, items: [], loading: false });
  async function load(page = 1) {
    result.loading = true;
    try {
      const data = await get(path, { ...filter, page, page_size: PAGE_SIZE });
      Object.assign(result, { total: data.total || 0, page: data.page || page, items: data.items || [] });
    } catch (err) {
      showError(err);
    } finally {
      result.loading = false;
    }
  }
  return { result, load };
}

// The level tag of a signal or card.
const LevelTag = {
  props: { level: Number, label: String },
  setup: () => ({ levelTag }),
  template: `<el-tag :type="levelTag(level)" :effect="level >= 2 ? 'dark' : 'light'" size="small" data-test="level-tag">{{ label }}</el-tag>`,
};

// Cards (黄红牌) with filters; shared by both pages. `order` adds a 督办 button per row.
const CardsList = {
  components: { LevelTag },
  props: { departments: { type: Array, default: () => [] }, order: Function },
  setup() {
    const filter = reactive({ level: '', kind: '', dept_id: '', from: '', to: '' });
    const range = ref(null);
    const { result, load } = usePaged('/api/v1/supervision/cards', filter);
    function setRange(v) {
      filter.from = v ? v[0] : '';
      filter.to = v ? v[1] : '';
      load();
    }
    onMounted(load);
    const KINDS = { warning: '临近期限预警', overdue: '超期黄牌', overdue_long: '严重超期红牌', followup_overdue: '承诺核查逾期',
      order_overdue: '督办逾期', rectify_late: '整改逾期', refuse_no_reason: '不予受理未说明理由', repeat_correction: '重复补正' };
    return { filter, range, result, load, setRange, LEVELS, KINDS, PAGE_SIZE, fmtTime };
  },
  template: `
  <div data-test="cards-list">
    <el-form :inline="true" class="filter-form" @submit.prevent="load()">
      <el-form-item label="级别">
        <el-select v-model="filter.level" placeholder="全部" clearable style="width: 100px" @change="load()" data-test="cards-level">
          <el-option v-for="l in LEVELS" :key="l.level" :label="l.label" :value="l.level" /></el-select>
      </el-form-item>
      <el-form-item label="类型">
        <el-select v-model="filter.kind" placeholder="全部" clearable style="width: 150px" @change="load()">
          <el-option v-for="(l, k) in KINDS" :key="k" :label="l" :value="k" /></el-select>
      </el-form-item>
      <el-form-item v-if="departments.length" label="部门">
        <el-select v-model="filter.dept_id" placeholder="全部" filterable clearable style="width: 200px" @change="load()">
          <el-option v-for="d in departments" :key="d.id" :label="d.name" :value="d.id" /></el-select>
      </el-form-item>
      <el-form-item label="日期">
        <el-date-picker v-model="range" type="daterange" value-format="YYYY-MM-DD" start-placeholder="开始" end-placeholder="结束"
                        style="width: 240px" @change="setRange" />
      </el-form-item>
    </el-form>
    <el-table :data="result.items" v-loading="result.loading" border stripe empty-text="暂无黄红牌" row-key="id">
      <el-table-column label="日期" width="105" prop="day" />
      <el-table-column label="级别" width="80"><template #default="{ row }"><level-tag :level="row.level" :label="row.level_label" /></template></el-table-column>
      <el-table-column label="类型" prop="kind_label" min-width="110" />
      <el-table-column label="办件" min-width="170">
        <template #default="{ row }"><a v-if="row.case_id" :href="'/cases/' + row.case_id" class="mono" data-test="card-case">{{ row.case_no || ('#' + row.case_id) }}</a>
          <span v-else class="muted">—</span></template>
      </el-table-column>
      <el-table-column label="部门" prop="dept" min-width="140" />
      <el-table-column label="责任人" prop="user_name" width="90" />
      <el-table-column label="说明" prop="note" min-width="160" />
      <el-table-column v-if="order" label="操作" width="80" fixed="right">
        <template #default="{ row }"><el-button link type="primary" data-test="card-order" @click="order({ case_id: row.case_id, case_no: row.case_no, dept_id: row.dept_id, title: row.kind_label })">督办</el-button></template>
      </el-table-column>
    </el-table>
    <el-pagination v-if="result.total > PAGE_SIZE" class="pager" background layout="total, prev, pager, next"
                   :total="result.total" :page-size="PAGE_SIZE" :current-page="result.page" @current-change="load" />
  </div>`,
};

// 督办 orders; the supervisor closes answered ones, the department answers open ones.
const OrdersList = {
  props: { mode: String },
  setup(props, { expose }) {
    const filter = reactive({ state: '' });
    const { result, load } = usePaged('/api/v1/supervision/orders', filter);
    const dlg = reactive({ visible: false, row: null, answer: '', errors: {}, saving: false });
    onMounted(load);
    expose({ load });
    async function close(row) {
      try {
        await post(`/api/v1/supervision/orders/${row.id}/close`);
        ElementPlus.ElMessage.success('督办已办结');
        load(result.page);
      } catch (err) {
        showError(err);
      }
    }
    function openAnswer(row) {
      Object.assign(dlg, { visible: true, row, answer: '', errors: {}, saving: false });
    }
    async function answer() {
      dlg.saving = true;
      try {
        await post(`/api/v1/supervision/orders/${dlg.row.id}/answer`, { answer: dlg.answer });
        dlg.visible = false;
        ElementPlus.ElMessage.success('已答复');
        load(result.page);
      } catch (err) {
        dlg.errors = err.fields || {};
        showError(err);
      } finally {
        dlg.saving = false;
      }
    }
    return { filter, result, load, dlg, close, openAnswer, answer, ORDER_STATES, orderTag, PAGE_SIZE, fmtTime };
  },
  template: `
  <div data-test="orders-list">
    <el-radio-group v-model="filter.state" size="small" class="filter-form" @change="load()">
      <el-radio-button value="">全部</el-radio-button>
      <el-radio-button v-for="s in ORDER_STATES" :key="s.code" :value="s.code" :data-test="'orders-' + s.code">{{ s.label }}</el-radio-button>
    </el-radio-group>
    <el-table :data="result.items" v-loading="result.loading" border stripe empty-text="暂无督办" row-key="id">
      <el-table-column type="expand">
        <template #default="{ row }">
          <el-descriptions :column="1" border size="small">
            <el-descriptions-item label="督办内容">{{ row.content }}</el-descriptions-item>
            <el-descriptions-item label="督办人">{{ row.issued_by_name }}　{{ fmtTime(row.issued_at) }}</el-descriptions-item>
            <el-descriptions-item v-if="row.answered_at" label="答复">{{ row.answered_by_name }}　{{ fmtTime(row.answered_at) }}　{{ row.answer }}</el-descriptions-item>
            <el-descriptions-item v-if="row.closed_at" label="办结">{{ fmtTime(row.closed_at) }}</el-descriptions-item>
          </el-descriptions>
        </template>
      </el-table-column>
      <el-table-column label="督办事项" min-width="170">
        <template #default="{ row }"><b data-test="order-title">{{ row.title }}</b>
          <div v-if="row.case_id" class="small"><a :href="'/cases/' + row.case_id" class="mono">{{ row.case_no || ('#' + row.case_id) }}</a></div></template>
      </el-table-column>
      <el-table-column label="责任部门" prop="dept" min-width="140" />
      <el-table-column label="答复期限" width="110">
        <template #default="{ row }">{{ row.due_day }}<el-tag v-if="row.overdue" type="danger" size="small" effect="dark">逾期</el-tag></template>
      </el-table-column>
      <el-table-column label="状态" width="90">
        <template #default="{ row }"><el-tag :type="orderTag(row.state)" size="small" data-test="order-state">{{ row.state_label }}</el-tag></template>
      </el-table-column>
      <el-table-column label="答复" min-width="160"><template #default="{ row }"><span data-test="order-answer">{{ row.answer || '' }}</span></template></el-table-column>
      <el-table-column label="操作" width="90" fixed="right">
        <template #default="{ row }">
          <el-button v-if="mode === 'supervise' && row.state === 'answered'" link type="primary" data-test="order-close" @click="close(row)">办结</el-button>
          <el-button v-if="mode === 'respond' && row.state === 'open'" link type="primary" data-test="order-answer-open" @click="openAnswer(row)">答复</el-button>
        </template>
      </el-table-column>
    </el-table>
    <el-pagination v-if="result.total > PAGE_SIZE" class="pager" background layout="total, prev, pager, next"
                   :total="result.total" :page-size="PAGE_SIZE" :current-page="result.page" @current-change="load" />
    <el-dialog v-model="dlg.visible" title="答复督办" width="min(560px, 96vw)" append-to-body>
      <el-form v-if="dlg.row" label-position="top">
        <el-form-item label="督办事项">{{ dlg.row.title }}（{{ dlg.row.due_day }} 前答复）</el-form-item>
        <el-form-item label="督办内容"><div class="small">{{ dlg.row.content }}</div></el-form-item>
        <el-form-item label="答复（办理情况及整改措施）" required :error="dlg.errors.answer">
          <el-input v-model="dlg.answer" type="textarea" :rows="4" maxlength="2000" show-word-limit data-test="order-answer-text" />
        </el-form-item>
      </el-form>
      <template #footer><el-button @click="dlg.visible = false">取消</el-button>
        <el-button type="primary" :loading="dlg.saving" data-test="order-answer-submit" @click="answer">提交答复</el-button></template>
    </el-dialog>
  </div>`,
};

export const SupervisionPage = {
  name: 'SupervisionPage',
  components: { CardsList, OrdersList, LevelTag },
  setup() {
    const tab = ref('signals');
    const summary = ref(null);
    const departments = ref([]);
    const filter = reactive({ level: '', dept_id: '' });
    const { result: signals, load: loadSignals } = usePaged('/api/v1/supervision/signals', filter);
    const orders = ref(null);
    const dlg = reactive({ visible: false, saving: false, errors: {}, form: {} });

    async function loadSummary() {
      try {
        summary.value = await get('/api/v1/supervision/summary', { dept_id: filter.dept_id });
      } catch (err) {
        showError(err);
      }
    }
    const reload = () => Promise.all([loadSummary(), loadSignals()]);
    onMounted(async () => {
      reload();
      departments.value = (await get('/api/v1/departments').catch(() => ({}))).items || [];
    });

    // A new 督办 order, pre-filled from a signal or a card; due in 3 working days of the server's today.
    async function order(init = {}) {
      let due = '';
      try {
        const day = (summary.value && summary.value.day) || '';
        if (day) due = (await get('/api/v1/calendar/deadline', { from: day, workdays: 3 })).date;
      } catch {
        // the date stays to be picked
      }
      dlg.form = { case_id: init.case_id || null, case_no: init.case_no || '', dept_id: init.dept_id || '',
        title: init.title ? `关于${init.title}的督办` : '', content: '', due_day: due };
      Object.assign(dlg, { visible: true, errors: {}, saving: false });
    }
    async function send() {
      const f = dlg.form;
      const body = { title: f.title, content: f.content, due_day: f.due_day || '' };
      if (f.case_id) body.case_id = f.case_id;
      if (f.dept_id) body.dept_id = f.dept_id;
      dlg.saving = true;
      try {
        await post('/api/v1/supervision/orders', body);
        dlg.visible = false;
        ElementPlus.ElMessage.success('督办已发出');
        loadSummary();
        if (orders.value) orders.value.load();
      } catch (err) {
        dlg.errors = err.fields || {};
        showError(err);
      } finally {
        dlg.saving = false;
      }
    }
    const fromSignal = (row) => order({ case_id: row.id, case_no: row.case_no, dept_id: row.dept_id,
      title: `${row.item_name}（${row.level_label}）` });
    // The due day is after the server's today (its clock, not the browser's).
    const pastDay = (d) => !!summary.value && isoDate(d) <= summary.value.day;
    const remaining = (r) => (r.remaining_workdays < 0 ? `超期 ${-r.remaining_workdays} 个工作日` : `剩余 ${r.remaining_workdays} 个工作日`);
    return { tab, summary, departments, filter, signals, loadSignals, reload, orders, dlg, order, send, fromSignal, remaining, pastDay,
      LEVELS, PAGE_SIZE };
  },
  template: `
  <div class="admin-page" data-test="supervision-page">
    <div class="admin-head"><h2>电子监察</h2>
      <el-select v-model="filter.dept_id" placeholder="全部部门" filterable clearable style="width: 220px" @change="reload">
        <el-option v-for="d in departments" :key="d.id" :label="d.name" :value="d.id" /></el-select>
    </div>
    <div v-if="summary" class="sv-tiles" data-test="supervision-summary">
      <div class="sv-tile"><span>在办件</span><b data-test="sv-in-progress">{{ summary.cases.open }}</b></div>
      <div class="sv-tile ok"><span>正常</span><b>{{ summary.cases.normal }}</b></div>
      <div class="sv-tile warn"><span>预警</span><b data-test="sv-warning">{{ summary.cases.warning }}</b></div>
      <div class="sv-tile yellow"><span>黄牌</span><b data-test="sv-yellow">{{ summary.cases.yellow }}</b></div>
      <div class="sv-tile red"><span>红牌</span><b data-test="sv-red">{{ summary.cases.red }}</b></div>
      <div class="sv-tile"><span>本月黄红牌</span><b>{{ (summary.cards.by_level[2] || 0) + (summary.cards.by_level[3] || 0) }}</b></div>
      <div class="sv-tile"><span>督办待答复</span><b data-test="sv-orders-open">{{ summary.orders.open }}</b></div>
      <div class="sv-tile red"><span>督办逾期</span><b>{{ summary.orders.overdue }}</b></div>
    </div>
    <el-tabs v-model="tab">
      <el-tab-pane name="signals"><template #label><span data-test="tab-signals">监察信号</span></template>
        <el-form :inline="true" class="filter-form">
          <el-form-item label="信号">
            <el-radio-group v-model="filter.level" size="small" @change="loadSignals()">
              <el-radio-button value="">全部</el-radio-button>
              <el-radio-button v-for="l in LEVELS" :key="l.level" :value="l.level">{{ l.label }}</el-radio-button>
            </el-radio-group>
          </el-form-item>
          <el-form-item><el-button size="small" @click="reload"><el-icon><Refresh /></el-icon>&nbsp;刷新</el-button></el-form-item>
        </el-form>
        <el-table :data="signals.items" v-loading="signals.loading" border stripe empty-text="暂无预警或超期办件" row-key="id">
          <el-table-column label="信号" width="80"><template #default="{ row }"><level-tag :level="row.level" :label="row.level_label" /></template></el-table-column>
          <el-table-column label="办件" min-width="200">
            <template #default="{ row }"><a :href="'/cases/' + row.id" data-test="signal-case"><b>{{ row.item_name }}</b></a>
              <div class="small mono">{{ row.case_no }}</div></template>
          </el-table-column>
          <el-table-column label="部门" prop="dept" min-width="140" />
          <el-table-column label="承诺办结" width="170">
            <template #default="{ row }">{{ row.promised_day }}<div class="small" :class="{ 'text-danger': row.remaining_workdays < 0 }">{{ remaining(row) }}</div>
              <el-tag v-if="row.suspended" size="small" type="info">特别程序</el-tag></template>
          </el-table-column>
          <el-table-column label="环节" min-width="170">
            <template #default="{ row }"><div v-for="s in row.steps" :key="s.step" class="small">{{ s.name }} · {{ s.due_day }}
              <level-tag v-if="s.level" :level="s.level" :label="LEVELS[s.level - 1].label" /></div></template>
          </el-table-column>
          <el-table-column label="操作" width="80" fixed="right">
            <template #default="{ row }"><el-button link type="primary" data-test="signal-order" @click="fromSignal(row)">督办</el-button></template>
          </el-table-column>
        </el-table>
        <el-pagination v-if="signals.total > PAGE_SIZE" class="pager" background layout="total, prev, pager, next"
                       :total="signals.total" :page-size="PAGE_SIZE" :current-page="signals.page" @current-change="loadSignals" />
      </el-tab-pane>
      <el-tab-pane name="cards" lazy><template #label><span data-test="tab-cards">黄红牌</span></template>
        <cards-list :departments="departments" :order="order" />
      </el-tab-pane>
      <el-tab-pane name="orders" lazy><template #label><span data-test="tab-orders">督办</span></template>
        <div class="filter-form"><el-button type="primary" size="small" data-test="order-new" @click="order()">新建督办</el-button></div>
        <orders-list ref="orders" mode="supervise" />
      </el-tab-pane>
    </el-tabs>

    <el-dialog v-model="dlg.visible" title="督办" width="min(600px, 96vw)" append-to-body>
      <el-form label-position="top" data-test="order-form">
        <el-form-item v-if="dlg.form.case_id" label="办件"><span class="mono">{{ dlg.form.case_no || ('#' + dlg.form.case_id) }}</span></el-form-item>
        <el-form-item label="责任部门" :error="dlg.errors.dept_id">
          <el-select v-model="dlg.form.dept_id" filterable :clearable="!!dlg.form.case_id" :placeholder="dlg.form.case_id ? '办件的承办部门' : '请选择'" style="width: 100%" data-test="order-dept">
            <el-option v-for="d in departments" :key="d.id" :label="d.name" :value="d.id" /></el-select>
        </el-form-item>
        <el-form-item label="标题" required :error="dlg.errors.title"><el-input v-model="dlg.form.title" maxlength="200" data-test="order-title-input" /></el-form-item>
        <el-form-item label="督办内容" required :error="dlg.errors.content">
          <el-input v-model="dlg.form.content" type="textarea" :rows="4" maxlength="2000" data-test="order-content" /></el-form-item>
        <el-form-item label="答复期限（工作日）" required :error="dlg.errors.due_day">
          <el-date-picker v-model="dlg.form.due_day" type="date" value-format="YYYY-MM-DD" :disabled-date="pastDay" data-test="order-due" /></el-form-item>
      </el-form>
      <template #footer><el-button @click="dlg.visible = false">取消</el-button>
        <el-button type="primary" :loading="dlg.saving" data-test="order-submit" @click="send">发出督办</el-button></template>
    </el-dialog>
  </div>`,
};

export const SupervisionDeptPage = {
  name: 'SupervisionDeptPage',
  components: { CardsList, OrdersList },
  setup() {
    return { tab: ref('orders') };
  },
  template: `
  <div class="admin-page" data-test="supervision-dept-page">
    <div class="admin-head"><h2>督办与黄红牌</h2></div>
    <el-tabs v-model="tab">
      <el-tab-pane name="orders"><template #label><span data-test="tab-orders">督办件</span></template><orders-list mode="respond" /></el-tab-pane>
      <el-tab-pane name="cards" lazy><template #label><span data-test="tab-cards">本部门黄红牌</span></template><cards-list /></el-tab-pane>
    </el-tabs>
  </div>`,
};
