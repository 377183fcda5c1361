// 月度报告 /admin/report?month=YYYY-MM and its A4 print page /admin/report/print?month=: the
// centre's monthly work report in the style of seed 001 (办件情况, 职能进驻, 改革成效, 电子监察与好差评),
// its paragraphs and tables filled from GET /api/v1/stats/report.
import { get } from '../../api.js';
import { route, navigate, href } from '../../router.js';

// A rate (0..1, above 1 when more cases were completed than received) as a percentage.
const percent = (v) => (v == null ? '—' : (v * 100).toFixed(1) + '%');

const { ref, watch, computed } = Vue;

function lastMonth() {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

function useReport() {
  const report = ref(null);
  const error = ref('');
  const month = computed(() => route.query.month || lastMonth());
  async function load() {
    error.value = '';
    try {
      report.value = await get('/api/v1/stats/report', { month: month.value });
    } catch (err) {
      report.value = null;
      error.value = err.message || '报告加载失败';
    }
  }
  watch(month, load, { immediate: true });
  return { report, error, month };
}

// The report itself, as printed.
const ReportDoc = {
  name: 'ReportDoc',
  props: { report: Object },
  setup() {
    const days = (v) => (v == null ? '—' : v.toFixed(1));
    return { percent, days, printed: new Date().toLocaleDateString('zh-CN') };
  },
  template: `
  <div class="report-doc" data-test="report-doc">
    <div class="print-head">
      <div>
        <div class="print-org">一网通办 · 政务服务中心</div>
        <h1 class="print-title" data-test="report-title">{{ report.title }}</h1>
        <div class="print-meta">统计期间：{{ report.from }} 至 {{ report.to }}　生成日期：{{ printed }}</div>
      </div>
    </div>
    <p style="text-indent:2em; line-height:1.9">
      在市委、市政府的正确领导下，市政务服务中心坚持便民利民、公开公正、依法行政的原则，深化“放管服”改革，
      不断提高政务服务的质量和水平。现将{{ report.month.slice(0, 4) }}年{{ Number(report.month.slice(5)) }}月主要工作情况报告如下：
    </p>
    <template v-for="(s, i) in report.sections" :key="i">
      <h3 style="margin:14px 0 6px">{{ s.title }}</h3>
      <p style="text-indent:2em; line-height:1.9" :data-test="'report-section-' + i">{{ s.text }}</p>
    </template>
    <h3 style="margin:14px 0 6px">五、主要指标</h3>
    <table class="doc-table" data-test="report-figures">
      <thead><tr><th>指标</th><th>本月</th><th>上月</th><th>去年同月</th><th>本年累计</th></tr></thead>
      <tbody>
        <tr><td>受理量（件）</td><td>{{ report.current.received }}</td><td>{{ report.previous_month.received }}</td><td>{{ report.same_month_last_year.received }}</td><td>{{ report.year_to_date.received }}</td></tr>
        <tr><td>办结量（件）</td><td>{{ report.current.completed }}</td><td>{{ report.previous_month.completed }}</td><td>{{ report.same_month_last_year.completed }}</td><td>{{ report.year_to_date.completed }}</td></tr>
        <tr v-for="r in [['办结率', 'completion_rate'], ['按时办结率', 'on_time_rate'], ['提前办结率', 'early_rate'], ['即办件占比', 'instant_share'], ['网上办理占比', 'online_share'], ['最多跑一次率', 'zuiduo_rate'], ['满意率', 'satisfaction_rate'], ['差评整改率', 'rectification_rate']]" :key="r[1]">
          <td>{{ r[0] }}</td><td>{{ percent(report.current[r[1]]) }}</td><td>{{ percent(report.previous_month[r[1]]) }}</td>
          <td>{{ percent(report.same_month_last_year[r[1]]) }}</td><td>{{ percent(report.year_to_date[r[1]]) }}</td>
        </tr>
        <tr><td>平均办理时长（工作日）</td><td>{{ days(report.current.avg_handling_days) }}</td><td>{{ days(report.previous_month.avg_handling_days) }}</td><td>{{ days(report.same_month_last_year.avg_handling_days) }}</td><td>{{ days(report.year_to_date.avg_handling_days) }}</td></tr>
        <tr><td>超期办件（件）</td><td>{{ report.current.overdue }}</td><td>{{ report.previous_month.overdue }}</td><td>{{ report.same_month_last_year.overdue }}</td><td>{{ report.year_to_date.overdue }}</td></tr>
      </tbody>
    </table>
    <h3 style="margin:14px 0 6px">六、各部门办件情况</h3>
    <table class="doc-table" data-test="report-depts">
      <thead><tr><th>部门</th><th>受理</th><th>办结</th><th>办结率</th><th>按时办结率</th><th>超期</th><th>满意率</th><th>黄牌/红牌</th></tr></thead>
      <tbody>
        <tr v-for="d in report.by_dept" :key="d.dept">
          <td>{{ d.dept }}</td><td>{{ d.received }}</td><td>{{ d.completed }}</td><td>{{ percent(d.completion_rate) }}</td>
          <td>{{ percent(d.on_time_rate) }}</td><td>{{ d.overdue }}</td><td>{{ percent(d.satisfaction_rate) }}</td>
          <td>{{ d.cards.yellow }}/{{ d.cards.red }}</td>
        </tr>
        <tr v-if="!report.by_dept.length"><td colspan="8" style="text-align:center">本月无办件</td></tr>
      </tbody>
    </table>
    <p class="print-meta" style="margin-top:14px; word-break:break-all" data-test="report-checkpoint">
      审计检查点（本月最后一条审计记录，请另行留存，用于 yiwang audit verify --checkpoint 核验）：
      <code>{{ report.audit_checkpoint || '本月无审计记录' }}</code>
    </p>
  </div>`,
};

export const ReportPage = {
  name: 'ReportPage',
  components: { ReportDoc },
  setup() {
    const r = useReport();
    const picked = ref(r.month.value);
    watch(r.month, (m) => (picked.value = m));
    const pick = (m) => m && navigate(href('/admin/report', { month: m }));
    return { ...r, picked, pick, href };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head">
      <h2>月度报告</h2>
      <div style="display:flex; gap:8px; flex-wrap:wrap">
        <el-date-picker v-model="picked" type="month" value-format="YYYY-MM" :clearable="false" data-test="report-month"
          style="width:140px" @change="pick" />
        <el-button type="primary" tag="a" :href="href('/admin/report/print', { month })" data-test="report-print">
          <el-icon><Printer /></el-icon>&nbsp;打印预览
        </el-button>
      </div>
    </div>
    <el-alert v-if="error" type="error" :title="error" :closable="false" show-icon />
    <el-card v-else-if="report" shadow="never" class="panel guide-print" style="max-width:210mm">
      <report-doc :report="report" />
    </el-card>
  </div>`,
};

export const ReportPrintPage = {
  name: 'ReportPrintPage',
  components: { ReportDoc },
  setup() {
    return { ...useReport(), print: () => window.print(), href };
  },
  template: `
  <div class="print-page">
    <div class="print-toolbar no-print">
      <el-button tag="a" :href="href('/admin/report', { month })"><el-icon><Back /></el-icon>&nbsp;返回</el-button>
      <span class="print-toolbar-title">月度报告 · A4</span>
      <el-button type="primary" @click="print"><el-icon><Printer /></el-icon>&nbsp;打印</el-button>
    </div>
    <div class="a4 guide-print">
      <div v-if="error" class="print-error">{{ error }}</div>
      <report-doc v-else-if="report" :report="report" />
    </div>
  </div>`,
};
