// 好差评 /admin/reviews (supervisors, centre admins, departments): the reviews in the user's scope
// with the satisfaction figures, and the steps of a bad review: the department appeals (申诉) and
// rectifies (整改), the supervisor verifies (核实) and calls the applicant back (回访).
import { get, post } from '../../api.js';
import { can } from '../../store.js';
import { fmtTime, showError } from '../../util.js';

const { ref, reactive, computed, onMounted } = Vue;
const PAGE_SIZE = 20;

// GB/T 39046 level codes: 1 best .. 5 worst; the labels come with each review from the server.
const LEVEL_TAG = { 1: 'success', 2: 'success', 3: 'info', 4: 'warning', 5: 'danger' };
const STATUSES = [
  { code: 'verifying', label: '待核实', tag: 'danger' },
  { code: 'appealed', label: '申诉中', tag: 'warning' },
  { code: 'rectifying', label: '整改中', tag: 'warning' },
  { code: 'callback', label: '待回访', tag: 'primary' },
  { code: 'closed', label: '已办结', tag: 'info' },
];
const statusTag = (s) => (STATUSES.find((x) => x.code === s) || {}).tag || 'info';

// The step dialogs: who may take them and what they ask.
const STEPS = {
  appeal: { title: '提出申诉', perm: 'dept.respond', from: ['verifying'], note: '申诉理由', required: true },
  verify: { title: '核实差评', perm: 'supervise', from: ['verifying', 'appealed'], note: '核实意见', required: false },
  rectify: { title: '报送整改', perm: 'dept.respond', from: ['rectifying'], note: '整改情况', required: true },
  callback: { title: '回访', perm: 'supervise', from: ['callback'], note: '回访记录', required: true },
};

export default {
  name: 'ReviewsPage',
  setup() {
    const filter = reactive({ status: '', bad: false, dept_id: '', range: null });
    const result = reactive({ total: 0, page: 1, items: [] });
    const summary = ref(null);
    const loading = ref(false);
    const departments = ref([]);
    const supervisor = computed(() => can('supervise'));
    const dlg = reactive({ visible: false, step: '', row: null, note: '', genuine: true, satisfied: true, errors: {}, saving: false });

    const query = () => ({
      status: filter.status, bad: filter.bad ? 1 : '', dept_id: filter.dept_id,
      from: filter.range ? filter.range[0] : '', to: filter.range ? filter.range[1] : '',
    });

    async function load(page = 1) {
      loading.value = true;
      try {
        const data = await get('/api/v1/reviews', { ...query(), page, page_size: PAGE_SIZE });
        Object.assign(result, { total: data.total || 0, page: data.page || page, items: data.items || [] });
        if (can('stats.view')) {
          const q = query();
          summary.value = await get('/api/v1/reviews/summary', { dept_id: q.dept_id, from: q.from, to: q.to });
        }
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }

    const steps = (row) => Object.entries(STEPS).filter(([, s]) => can(s.perm) && s.from.includes(row.status)).map(([k, s]) => ({ key: k, ...s }));
    function open(row, step) {
      Object.assign(dlg, { visible: true, step, row, note: '', genuine: true, satisfied: true, errors: {}, saving: false });
    }
    async function submit() {
      const body = { note: dlg.note };
      if (dlg.step === 'verify') body.genuine = dlg.genuine;
      if (dlg.step === 'callback') body.satisfied = dlg.satisfied;
      dlg.saving = true;
      try {
        await post(`/api/v1/reviews/${dlg.row.id}/${dlg.step}`, body);
        dlg.visible = false;
        ElementPlus.ElMessage.success('已提交');
        load(result.page);
      } catch (err) {
        dlg.errors = err.fields || {};
        showError(err);
      } finally {
        dlg.saving = false;
      }
    }

    const percent = (r) => (r === null || r === undefined ? '—' : (r * 100).toFixed(2) + '%');
    const subject = (row) => row.case_no || row.item_name || [row.hall_name, row.window_name].filter(Boolean).join(' ') || '—';

    onMounted(async () => {
      load();
      if (supervisor.value) departments.value = (await get('/api/v1/departments').catch(() => ({}))).items || [];
    });
    return { filter, result, summary, loading, departments, supervisor, dlg, STEPS, STATUSES, LEVEL_TAG, PAGE_SIZE,
      load, steps, open, submit, statusTag, percent, subject, fmtTime };
  },
  template: `
  <div class="admin-page" data-test="reviews-page">
    <div class="admin-head"><h2>好差评</h2></div>
    <el-row v-if="summary" :gutter="12" style="margin-bottom: 16px" data-test="reviews-summary">
      <el-col :xs="12" :sm="8" :md="4"><el-statistic title="评价总数" :value="summary.total" /></el-col>
      <el-col :xs="12" :sm="8" :md="4"><el-statistic title="满意率" :value="percent(summary.satisfaction_rate)" /></el-col>
      <el-col :xs="12" :sm="8" :md="4"><el-statistic title="差评" :value="summary.bad" /></el-col>
      <el-col :xs="12" :sm="8" :md="4"><el-statistic title="核实不属实" :value="summary.not_genuine" /></el-col>
      <el-col :xs="12" :sm="8" :md="4"><el-statistic title="按期整改" :value="summary.rectified_on_time" /></el-col>
      <el-col :xs="12" :sm="8" :md="4"><el-statistic title="整改超期" :value="summary.rectify_late" /></el-col>
    </el-row>
    <el-form :inline="true" class="filter-form" @submit.prevent="load()">
      <el-form-item label="状态">
        <el-select v-model="filter.status" placeholder="全部" clearable style="width: 120px" @change="load()">
          <el-option v-for="s in STATUSES" :key="s.code" :label="s.label" :value="s.code" /></el-select>
      </el-form-item>
      <el-form-item v-if="supervisor" label="部门">
        <el-select v-model="filter.dept_id" placeholder="全部" filterable clearable style="width: 200px" @change="load()">
          <el-option v-for="d in departments" :key="d.id" :label="d.name" :value="d.id" /></el-select>
      </el-form-item>
      <el-form-item label="评价日期">
        <el-date-picker v-model="filter.range" type="daterange" value-format="YYYY-MM-DD" start-placeholder="开始"
                        end-placeholder="结束" style="width: 240px" @change="load()" />
      </el-form-item>
      <el-form-item label="仅看差评"><el-switch v-model="filter.bad" data-test="reviews-bad-only" @change="load()" /></el-form-item>
      <el-form-item><el-button type="primary" @click="load()">查询</el-button></el-form-item>
    </el-form>
    <el-table :data="result.items" v-loading="loading" border stripe empty-text="暂无评价" row-key="id">
      <el-table-column type="expand">
        <template #default="{ row }">
          <el-descriptions :column="2" border size="small" class="review-detail">
            <el-descriptions-item label="评价内容" :span="2">{{ row.comment || '（无文字评价）' }}</el-descriptions-item>
            <el-descriptions-item label="评价渠道">{{ row.channel_label }}</el-descriptions-item>
            <el-descriptions-item label="评价事项">{{ row.item_name || '—' }}</el-descriptions-item>
            <el-descriptions-item v-if="row.contact" label="评价人">{{ row.contact.name || '—' }} {{ row.contact.phone || '' }}</el-descriptions-item>
            <el-descriptions-item v-if="row.ticket" label="排队号">{{ row.ticket }}</el-descriptions-item>
            <el-descriptions-item v-if="row.appealed_at" label="申诉" :span="2">{{ fmtTime(row.appealed_at) }}　{{ row.appeal_note }}</el-descriptions-item>
            <el-descriptions-item v-if="row.verified_at" label="核实" :span="2">{{ fmtTime(row.verified_at) }}　{{ row.genuine ? '属实' : '不属实' }}　{{ row.verify_note }}</el-descriptions-item>
            <el-descriptions-item v-if="row.rectified_at" label="整改" :span="2">{{ fmtTime(row.rectified_at) }}　{{ row.rectify_note }}</el-descriptions-item>
            <el-descriptions-item v-if="row.callback_at" label="回访" :span="2">{{ fmtTime(row.callback_at) }}　{{ row.callback_satisfied ? '满意' : '不满意' }}　{{ row.callback_note }}</el-descriptions-item>
          </el-descriptions>
        </template>
      </el-table-column>
      <el-table-column label="评价时间" width="135"><template #default="{ row }">{{ fmtTime(row.at) }}</template></el-table-column>
      <el-table-column label="办件 / 窗口" min-width="150"><template #default="{ row }"><span :class="{ mono: row.case_no }">{{ subject(row) }}</span></template></el-table-column>
      <el-table-column prop="dept_name" label="被评部门" min-width="130" />
      <el-table-column prop="staff_name" label="被评人员" width="90" />
      <el-table-column label="评价等级" width="112">
        <template #default="{ row }"><el-tag size="small" :type="LEVEL_TAG[row.level]">{{ row.level_label }}</el-tag></template>
      </el-table-column>
      <el-table-column label="状态 / 整改期限" width="150">
        <template #default="{ row }">
          <el-tag size="small" :type="statusTag(row.status)" data-test="review-status">{{ row.status_label }}</el-tag>
          <el-tag v-if="row.late" size="small" type="danger" effect="dark">整改超期</el-tag>
          <div v-if="row.rectify_due_day" class="small">限 {{ row.rectify_due_day }}</div>
        </template>
      </el-table-column>
      <el-table-column label="操作" width="110" fixed="right">
        <template #default="{ row }">
          <el-button v-for="s in steps(row)" :key="s.key" link type="primary" :data-test="'review-' + s.key" @click="open(row, s.key)">{{ s.title }}</el-button>
        </template>
      </el-table-column>
    </el-table>
    <el-pagination v-if="result.total > PAGE_SIZE" class="pager" background layout="total, prev, pager, next"
                   :total="result.total" :page-size="PAGE_SIZE" :current-page="result.page" @current-change="load" />

    <el-dialog v-model="dlg.visible" :title="dlg.step ? STEPS[dlg.step].title : ''" width="min(560px, 96vw)">
      <el-form v-if="dlg.row" label-width="90px" data-test="review-step-form">
        <el-form-item label="差评">{{ dlg.row.level_label }}　{{ dlg.row.comment }}</el-form-item>
        <el-form-item v-if="dlg.step === 'verify'" label="核实结论" :error="dlg.errors.genuine">
          <el-radio-group v-model="dlg.genuine">
            <el-radio :value="true">属实，责令整改</el-radio><el-radio :value="false">不属实（申诉成立、恶意或误评）</el-radio>
          </el-radio-group>
        </el-form-item>
        <el-form-item v-if="dlg.step === 'callback'" label="回访结果" :error="dlg.errors.satisfied">
          <el-radio-group v-model="dlg.satisfied"><el-radio :value="true">满意</el-radio><el-radio :value="false">不满意</el-radio></el-radio-group>
        </el-form-item>
        <el-form-item :label="STEPS[dlg.step].note" :required="STEPS[dlg.step].required || (dlg.step === 'verify' && !dlg.genuine)" :error="dlg.errors.note">
          <el-input v-model="dlg.note" type="textarea" :rows="4" maxlength="1000" show-word-limit data-test="review-note" />
        </el-form-item>
      </el-form>
      <template #footer><el-button @click="dlg.visible = false">取消</el-button>
        <el-button type="primary" :loading="dlg.saving" data-test="review-step-submit" @click="submit">提交</el-button></template>
    </el-dialog>
  </div>`,
};
