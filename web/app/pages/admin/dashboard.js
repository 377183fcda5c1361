// 统计看板 /admin/dashboard (supervisors, centre admins, department admins for their own
// department): KPI tiles and ECharts charts from GET /api/v1/stats/dashboard — the monthly trend,
// departments, on-time and overdue, electronic supervision signals and cards, satisfaction — and
// the department table, exportable as XLSX.
import { get } from '../../api.js';
import { showError, useCharts } from '../../util.js';

// A rate (0..1, above 1 when more cases were completed than received) as a percentage.
const percent = (v) => (v == null ? '—' : (v * 100).toFixed(1) + '%');

const { ref, reactive, computed, onMounted, nextTick } = Vue;

const COLORS = ['#1f5fbf', '#3ba272', '#fac858', '#ee6666', '#73c0de', '#9a60b4'];
const LEVELS = ['非常满意', '满意', '基本满意', '不满意', '非常不满意'];

function kpiTiles(k) {
  const days = k.avg_handling_days == null ? '—' : k.avg_handling_days.toFixed(1);
  return [
    { key: 'received', title: '受理量', value: k.received, unit: '件' },
    { key: 'completed', title: '办结量', value: k.completed, unit: '件' },
    { key: 'completion_rate', title: '办结率', value: percent(k.completion_rate) },
    { key: 'on_time_rate', title: '按时办结率', value: percent(k.on_time_rate) },
    { key: 'early_rate', title: '提前办结率', value: percent(k.early_rate) },
    { key: 'overdue', title: '超期办件', value: k.overdue, unit: '件', warn: k.overdue > 0 },
    { key: 'avg_handling_days', title: '平均办理时长', value: days, unit: '工作日' },
    { key: 'instant_share', title: '即办件占比', value: percent(k.instant_share) },
    { key: 'online_share', title: '网上办理占比', value: percent(k.online_share) },
    { key: 'zuiduo_rate', title: '最多跑一次率', value: percent(k.zuiduo_rate) },
    { key: 'satisfaction_rate', title: '满意率', value: percent(k.satisfaction_rate) },
    { key: 'rectification_rate', title: '差评整改率', value: percent(k.rectification_rate) },
  ];
}

const pct = (v) => (v == null ? null : Math.round(v * 1000) / 10);

function trendOption(rows) {
  return {
    color: COLORS,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 56, right: 56, bottom: 28, top: 40 },
    xAxis: { type: 'category', data: rows.map((r) => r.label.slice(5) + '月') },
    yAxis: [
      { type: 'value', name: '件' },
      { type: 'value', name: '率', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      { name: '受理量', type: 'bar', data: rows.map((r) => r.received), barMaxWidth: 28 },
      { name: '办结量', type: 'bar', data: rows.map((r) => r.completed), barMaxWidth: 28 },
      { name: '按时办结率', type: 'line', yAxisIndex: 1, data: rows.map((r) => pct(r.on_time_rate)) },
      { name: '满意率', type: 'line', yAxisIndex: 1, data: rows.map((r) => pct(r.satisfaction_rate)) },
    ],
  };
}

function deptOption(rows) {
  const top = rows.slice(0, 12).reverse();
  return {
    color: COLORS,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 150, right: 24, bottom: 24, top: 36 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: top.map((r) => r.label.replace(/^长沙市/, '')), axisLabel: { width: 140, overflow: 'truncate' } },
    series: [
      { name: '受理量', type: 'bar', data: top.map((r) => r.received) },
      { name: '办结量', type: 'bar', data: top.map((r) => r.completed) },
    ],
  };
}

function timelinessOption(k) {
  return {
    color: ['#3ba272', '#1f5fbf', '#fac858', '#ee6666'],
    tooltip: { trigger: 'item', formatter: '{b}：{c} 件（{d}%）' },
    legend: { bottom: 0 },
    series: [{
      type: 'pie', radius: ['40%', '68%'], center: ['50%', '45%'], label: { formatter: '{b}\n{d}%' },
      data: [
        { name: '提前办结', value: k.early },
        { name: '按期办结', value: k.on_time - k.early },
        { name: '逾期办结', value: k.completed_late },
        { name: '在办超期', value: k.open_overdue },
      ],
    }],
  };
}

function supervisionOption(signals, cards) {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 48, right: 16, bottom: 28, top: 24 },
    xAxis: { type: 'category', data: ['在办·正常', '在办·预警', '在办·黄牌', '在办·红牌', '发出预警', '发出黄牌', '发出红牌'],
      axisLabel: { interval: 0, fontSize: 11 } },
    yAxis: { type: 'value' },
    series: [{
      type: 'bar', barMaxWidth: 32, label: { show: true, position: 'top' },
      data: [
        { value: signals.normal, itemStyle: { color: '#3ba272' } },
        { value: signals.warning, itemStyle: { color: '#fac858' } },
        { value: signals.yellow, itemStyle: { color: '#e6a23c' } },
        { value: signals.red, itemStyle: { color: '#ee6666' } },
        { value: cards.warning, itemStyle: { color: '#fac858' } },
        { value: cards.yellow, itemStyle: { color: '#e6a23c' } },
        { value: cards.red, itemStyle: { color: '#ee6666' } },
      ],
    }],
  };
}

function satisfactionOption(levels) {
  return {
    color: ['#1f5fbf', '#3ba272', '#73c0de', '#fac858', '#ee6666'],
    tooltip: { trigger: 'item', formatter: '{b}：{c} 条（{d}%）' },
    legend: { bottom: 0 },
    series: [{ type: 'pie', radius: '62%', center: ['50%', '45%'],
      data: LEVELS.map((name, i) => ({ name, value: levels[i] })) }],
  };
}

export default {
  name: 'DashboardPage',
  setup() {
    const thisYear = new Date().getFullYear();
    const years = [thisYear, thisYear - 1, thisYear - 2, thisYear - 3];
    const filter = reactive({ year: thisYear, month: 0 });
    const data = ref(null);
    const loading = ref(false);
    const els = { trend: ref(null), dept: ref(null), timeliness: ref(null), supervision: ref(null), satisfaction: ref(null) };
    const drawCharts = useCharts(els);

    function draw() {
      const d = data.value;
      drawCharts({
        trend: trendOption(d.trend), dept: deptOption(d.by_dept), timeliness: timelinessOption(d.kpi),
        supervision: supervisionOption(d.signals, d.kpi.cards), satisfaction: satisfactionOption(d.kpi.review_levels),
      });
    }

    async function load() {
      loading.value = true;
      try {
        data.value = await get('/api/v1/stats/dashboard', { year: filter.year, month: filter.month || '' });
        await nextTick();
        draw();
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }

    const tiles = computed(() => (data.value ? kpiTiles(data.value.kpi) : []));
    const period = computed(() => (filter.month ? `${filter.year}年${filter.month}月` : `${filter.year}年`));
    const exportUrl = computed(() => {
      const d = data.value;
      return d ? `/api/v1/stats/export.xlsx?from=${d.from}&to=${d.to}&by=dept` : '#';
    });
    onMounted(load);
    return { filter, years, data, loading, tiles, period, exportUrl, load, percent, ...els };
  },
  template: `
  <div class="admin-page" v-loading="loading">
    <div class="admin-head">
      <h2>统计看板 <small>{{ period }}</small></h2>
      <div style="display:flex; gap:8px; flex-wrap:wrap">
        <el-select v-model="filter.year" style="width:110px" data-test="dash-year" @change="load">
          <el-option v-for="y in years" :key="y" :label="y + '年'" :value="y" />
        </el-select>
        <el-select v-model="filter.month" style="width:110px" data-test="dash-month" @change="load">
          <el-option label="全年" :value="0" />
          <el-option v-for="m in 12" :key="m" :label="m + '月'" :value="m" />
        </el-select>
        <el-button tag="a" :href="exportUrl" download><el-icon><Download /></el-icon>&nbsp;导出 XLSX</el-button>
        <el-button tag="a" :href="'/admin/report?month=' + filter.year + '-' + String(filter.month || new Date().getMonth() + 1).padStart(2, '0')">月度报告</el-button>
      </div>
    </div>
    <el-row :gutter="12" v-if="data">
      <el-col v-for="t in tiles" :key="t.key" :xs="12" :sm="8" :md="6" :lg="4">
        <el-card shadow="never" class="panel" :data-test="'kpi-' + t.key" body-style="padding:14px 16px">
          <div style="color:var(--yw-muted); font-size:13px">{{ t.title }}</div>
          <div style="font-size:24px; font-weight:600; margin-top:4px" :style="{ color: t.warn ? 'var(--el-color-danger)' : 'var(--yw-blue)' }">
            <span class="kpi-value">{{ t.value }}</span><small v-if="t.unit" style="font-size:13px; font-weight:normal; margin-left:3px">{{ t.unit }}</small>
          </div>
        </el-card>
      </el-col>
    </el-row>
    <el-card shadow="never" class="panel">
      <template #header><span class="panel-title">{{ filter.year }}年月度趋势</span></template>
      <div ref="trend" class="chart" data-test="chart-trend"></div>
    </el-card>
    <el-row :gutter="16">
      <el-col :xs="24" :md="12">
        <el-card shadow="never" class="panel">
          <template #header><span class="panel-title">各部门受理与办结</span></template>
          <div ref="dept" class="chart" data-test="chart-dept"></div>
        </el-card>
      </el-col>
      <el-col :xs="24" :md="12">
        <el-card shadow="never" class="panel">
          <template #header><span class="panel-title">按时办结与超期</span></template>
          <div ref="timeliness" class="chart" data-test="chart-timeliness"></div>
        </el-card>
      </el-col>
      <el-col :xs="24" :md="12">
        <el-card shadow="never" class="panel">
          <template #header><span class="panel-title">电子监察：在办信号与红黄牌（在办 <b data-test="dash-in-progress">{{ data ? data.signals.in_progress : '—' }}</b> 件）</span></template>
          <div ref="supervision" class="chart" data-test="chart-supervision"></div>
        </el-card>
      </el-col>
      <el-col :xs="24" :md="12">
        <el-card shadow="never" class="panel">
          <template #header><span class="panel-title">好差评：评价等级分布（满意率 {{ data ? percent(data.kpi.satisfaction_rate) : '—' }}）</span></template>
          <div ref="satisfaction" class="chart" data-test="chart-satisfaction"></div>
        </el-card>
      </el-col>
    </el-row>
    <el-card shadow="never" class="panel" v-if="data">
      <template #header><span class="panel-title">部门统计</span></template>
      <el-table :data="data.by_dept" border stripe size="small" data-test="dept-table">
        <el-table-column prop="label" label="部门" min-width="200" />
        <el-table-column prop="received" label="受理" align="right" width="90" />
        <el-table-column prop="completed" label="办结" align="right" width="90" />
        <el-table-column label="办结率" align="right" width="90"><template #default="{ row }">{{ percent(row.completion_rate) }}</template></el-table-column>
        <el-table-column label="按时办结率" align="right" width="100"><template #default="{ row }">{{ percent(row.on_time_rate) }}</template></el-table-column>
        <el-table-column prop="overdue" label="超期" align="right" width="80" />
        <el-table-column label="满意率" align="right" width="90"><template #default="{ row }">{{ percent(row.satisfaction_rate) }}</template></el-table-column>
        <el-table-column label="黄牌/红牌" align="right" width="100"><template #default="{ row }">{{ row.cards.yellow }}/{{ row.cards.red }}</template></el-table-column>
      </el-table>
    </el-card>
  </div>`,
};
