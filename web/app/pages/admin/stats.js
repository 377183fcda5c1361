// 清单统计 /admin/lists: counts per level (table and ECharts bar chart with the
// 最多跑一次 share), and the number of items on each list and tag.
import { get } from '../../api.js';
import { CountsTable } from '../../components.js';
import { showError } from '../../util.js';

const { ref, reactive, onMounted, onBeforeUnmount, nextTick } = Vue;

export default {
  name: 'StatsPage',
  components: { CountsTable },
  setup() {
    const data = reactive({ rows: [], lists: [], tags: [] });
    const chartEl = ref(null);
    let chart = null;
    const resize = () => chart && chart.resize();

    function draw() {
      chart = echarts.init(chartEl.value);
      const rows = data.rows;
      const share = rows.map((r) => (r.items ? Math.round((r.zuiduo / r.items) * 1000) / 10 : 0));
      chart.setOption({
        color: ['#1f5fbf', '#3ba272', '#fac858', '#73c0de', '#ee6666'],
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 48, right: 56, bottom: 32, top: 48 },
        xAxis: { type: 'category', data: rows.map((r) => r.label) },
        yAxis: [
          { type: 'value', name: '事项数' },
          { type: 'value', name: '占比', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
        ],
        series: [
          { name: '事项数', type: 'bar', data: rows.map((r) => r.items), barMaxWidth: 36 },
          { name: '最多跑一次', type: 'bar', data: rows.map((r) => r.zuiduo), barMaxWidth: 36 },
          { name: '一次也不跑', type: 'bar', data: rows.map((r) => r.yici_bu), barMaxWidth: 36 },
          { name: '网上可办', type: 'bar', data: rows.map((r) => r.online), barMaxWidth: 36 },
          { name: '最多跑一次占比', type: 'line', yAxisIndex: 1, data: share, label: { show: true, formatter: '{c}%' } },
        ],
      });
    }

    onMounted(async () => {
      try {
        Object.assign(data, await get('/api/v1/lists'));
      } catch (err) {
        showError(err);
        return;
      }
      await nextTick();
      draw();
      window.addEventListener('resize', resize);
    });
    onBeforeUnmount(() => {
      window.removeEventListener('resize', resize);
      if (chart) chart.dispose();
    });
    return { data, chartEl };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head"><h2>清单统计</h2></div>
    <el-card shadow="never" class="panel">
      <template #header><span class="panel-title">各层级事项与“最多跑一次”占比</span></template>
      <div ref="chartEl" class="chart"></div>
    </el-card>
    <el-card shadow="never" class="panel">
      <template #header><span class="panel-title">统计表</span></template>
      <counts-table :rows="data.rows" />
    </el-card>
    <el-row :gutter="16">
      <el-col :xs="24" :md="12">
        <el-card shadow="never" class="panel">
          <template #header><span class="panel-title">清单</span></template>
          <el-table :data="data.lists" border size="small">
            <el-table-column prop="name" label="清单名称" />
            <el-table-column prop="items" label="事项数" align="right" width="100" />
          </el-table>
        </el-card>
      </el-col>
      <el-col :xs="24" :md="12">
        <el-card shadow="never" class="panel">
          <template #header><span class="panel-title">服务标签</span></template>
          <el-table :data="data.tags" border size="small">
            <el-table-column prop="name" label="标签" />
            <el-table-column prop="items" label="事项数" align="right" width="100" />
          </el-table>
        </el-card>
      </el-col>
    </el-row>
  </div>`,
};
