// 12345 statistics (docs/api.md "Hotline statistics", docs/domain.md §9 "Rankings, bulletin and
// dashboard"): /admin/hotline/rankings (排名: a month's units with their rates and composite score; a
// handling unit gets only its own row from the server), /admin/hotline/bulletin (通报 on A4, without
// the site frame) and /admin/hotline/dashboard (数据看板: volumes by channel, category, matter and
// district, the district × matter heat table, trends, the week's hot topics; ECharts as the admin
// dashboard draws them; XLSX export).
import { get } from '../../api.js';
import { can } from '../../store.js';
import { route, navigate, href } from '../../router.js';
import { isoDate, showError, useCharts, viewport } from '../../util.js';
import { CHANNELS, CATEGORIES } from './common.js';

const { ref, reactive, computed, watch, onMounted, nextTick } = Vue;

export const rate = (v) => (v == null ? '—' : (v * 100).toFixed(1) + '%');
const score = (v) => (v == null ? '—' : Number(v).toFixed(1));

// The last whole month: rankings are read once a month is over.
export function lastMonth() {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}
const monthLabel = (m) => (m ? `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月` : '');

// Sorting a column whose rates may be null (no denominator): nulls always last.
const byKey = (k) => (a, b) => (a[k] == null ? -Infinity : a[k]) - (b[k] == null ? -Infinity : b[k]);

const RATE_COLUMNS = [
  ['sign_rate', '签收率'], ['on_time_rate', '按时办结率'], ['solved_rate', '解决率'], ['satisfaction_rate', '满意率'],
];

// Kinds of handling unit (departments' `kind`, docs/api.md "Hotline"): a centre ranks like with like
// (?kind= ranks the units of one kind among themselves).
export const UNIT_KINDS = [['department', '市直部门', ''], ['district', '区县', 'success'], ['street', '街道', 'warning'], ['enterprise', '企业', 'danger']];
const KIND_TAG = Object.fromEntries(UNIT_KINDS.map(([k, , t]) => [k, t]));

const SORTS = [['rank', '名次'], ['received', '派件'], ...RATE_COLUMNS, ['returns', '退单'], ['reopens', '重办']];

export const RankingsPage = {
  name: 'RankingsPage',
  setup() {
    const month = ref(route.query.month || lastMonth());
    const kind = ref(UNIT_KINDS.some((k) => k[0] === route.query.kind) ? route.query.kind : '');
    const data = ref(null);
    const loading = ref(false);
    const ownOnly = computed(() => !can('hotline.operate') && !can('hotline.supervise') && can('hotline.handle'));
    async function load() {
      loading.value = true;
      try {
        data.value = await get('/api/v1/hotline/rankings', { month: month.value, kind: kind.value });
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }
    watch([month, kind], ([m, k]) => {
      navigate(href('/admin/hotline/rankings', { month: m, kind: k || undefined }), { replace: true });
      load();
    });
    onMounted(() => {
      document.title = '12345热线排名';
      load();
    });
    const weights = computed(() => {
      const w = (data.value && data.value.weights) || {};
      return `综合得分（0-100）为加权平均：签收率 ${w.sign_rate}、按时办结率 ${w.on_time_rate}、解决率 ${w.solved_rate}、满意率 ${w.satisfaction_rate}、`
        + `无退单重办率 ${w.clean_rate}（无分母的指标不计，其权重按比例分给其他指标）。`;
    });
    // the phone's cards, sorted by a chosen column (best first; the rank ascending)
    const sortKey = ref('rank');
    const sortedRows = computed(() => {
      const rows = [...((data.value && data.value.rows) || [])];
      if (sortKey.value === 'rank') return rows.sort((a, b) => a.rank - b.rank);
      const desc = !['returns', 'reopens'].includes(sortKey.value);
      return rows.sort((a, b) => (desc ? byKey(sortKey.value)(b, a) : byKey(sortKey.value)(a, b)) || a.rank - b.rank);
    });
    const kindTag = (k) => KIND_TAG[k] || 'info';
    return { month, kind, kindTag, UNIT_KINDS, data, loading, ownOnly, weights, rate, score, byKey, monthLabel, href, viewport, RATE_COLUMNS, sortKey, sortedRows, SORTS };
  },
  template: `
  <div class="admin-page" v-loading="loading">
    <div class="admin-head">
      <h2>12345热线排名 <small>{{ monthLabel(month) }}</small></h2>
      <div class="hl-toolbar">
        <el-date-picker v-model="month" type="month" value-format="YYYY-MM" format="YYYY年M月" :clearable="false"
                        style="width:140px" data-test="rank-month" />
        <el-select v-if="!ownOnly && viewport.narrow" v-model="kind" style="width:120px" data-test="rank-kind-select">
          <el-option label="全部单位" value="" /><el-option v-for="k in UNIT_KINDS" :key="k[0]" :label="k[1]" :value="k[0]" />
        </el-select>
        <el-radio-group v-else-if="!ownOnly" v-model="kind" size="small" data-test="rank-kind">
          <el-radio-button value="" data-test="rank-kind-all">全部</el-radio-button>
          <el-radio-button v-for="k in UNIT_KINDS" :key="k[0]" :value="k[0]" :data-test="'rank-kind-' + k[0]">{{ k[1] }}</el-radio-button>
        </el-radio-group>
        <el-button tag="a" :href="href('/admin/hotline/bulletin', { month })" data-test="rank-bulletin"><el-icon><Tickets /></el-icon>&nbsp;月度通报</el-button>
      </div>
    </div>
    <el-alert v-if="ownOnly" type="info" :closable="false" show-icon class="hl-keep" title="承办单位只能查看本单位的排名和各项指标。" />
    <el-card shadow="never" class="panel" v-if="data">
      <template #header><span class="panel-title">承办单位考核排名（参加排名 <b data-test="rank-units">{{ data.units }}</b> 个单位，{{ data.from }} 至 {{ data.to }}）</span></template>
      <template v-if="viewport.narrow">
        <el-select v-model="sortKey" size="small" style="width:160px; margin-bottom:8px" data-test="rank-sort">
          <el-option v-for="o in SORTS" :key="o[0]" :label="'按' + o[1] + '排序'" :value="o[0]" />
        </el-select>
        <div class="hl-rank-cards" data-test="rank-cards">
          <div v-for="r in sortedRows" :key="r.unit_id" class="hl-rank-card">
            <div class="hl-rank-head"><b class="hl-rank-no">{{ r.rank }}</b><span>{{ r.unit_name }}</span>
              <el-tag size="small" :type="kindTag(r.unit_kind)" data-test="rank-kind-tag">{{ r.unit_kind_label }}</el-tag><b class="hl-rank-score">{{ score(r.score) }}</b></div>
            <div class="hl-rank-grid">
              <span>派件 <b>{{ r.received }}</b></span>
              <span v-for="c in RATE_COLUMNS" :key="c[0]">{{ c[1] }} <b>{{ rate(r[c[0]]) }}</b></span>
              <span>退单 <b>{{ r.returns }}</b></span><span>重办 <b>{{ r.reopens }}</b></span>
            </div>
          </div>
          <el-empty v-if="!data.rows.length" description="该月没有派单记录" :image-size="60" />
        </div>
      </template>
      <div v-else class="table-scroll">
        <el-table :data="data.rows" border stripe size="small" :default-sort="{ prop: 'rank', order: 'ascending' }" data-test="rank-table"
                  empty-text="该月没有派单记录">
          <el-table-column prop="rank" label="名次" width="70" align="center" sortable fixed />
          <el-table-column prop="unit_name" label="承办单位" min-width="170" :fixed="!viewport.narrow">
            <template #default="{ row }"><span data-test="rank-unit">{{ row.unit_name }}</span></template>
          </el-table-column>
          <el-table-column prop="unit_kind" label="单位类型" min-width="90" align="center">
            <template #default="{ row }"><el-tag size="small" :type="kindTag(row.unit_kind)" data-test="rank-kind-tag">{{ row.unit_kind_label }}</el-tag></template>
          </el-table-column>
          <el-table-column prop="received" label="派件" min-width="70" align="right" sortable />
          <el-table-column v-for="c in RATE_COLUMNS" :key="c[0]" :prop="c[0]" :label="c[1]" min-width="96" align="right" sortable
                           :sort-method="byKey(c[0])">
            <template #default="{ row }">{{ rate(row[c[0]]) }}</template>
          </el-table-column>
          <el-table-column prop="returns" label="退单" min-width="66" align="right" sortable />
          <el-table-column prop="reopens" label="重办" min-width="66" align="right" sortable />
          <el-table-column prop="score" label="综合得分" min-width="96" align="right" sortable :sort-method="byKey('score')">
            <template #default="{ row }"><b>{{ score(row.score) }}</b></template>
          </el-table-column>
        </el-table>
      </div>
      <div class="hl-weights">{{ weights }}签收率按1个工作日签收计；满意率、解决率以当月回访接通的为分母；退单指被中心驳回的退单。</div>
    </el-card>
  </div>`,
};

// The bulletin as a sheet of A4 (the server's bulletin.html is the same, script-free).
export const BulletinPage = {
  name: 'BulletinPage',
  setup() {
    const q = reactive({ month: route.query.month || lastMonth(), min_orders: Number(route.query.min_orders) || 10, count: Number(route.query.count) || 3 });
    const data = ref(null);
    const error = ref('');
    async function load() {
      error.value = '';
      try {
        data.value = await get('/api/v1/hotline/bulletin', q);
        document.title = `12345热线工单办理情况通报（${monthLabel(q.month)}）`;
      } catch (err) {
        data.value = null;
        error.value = err.message || '通报加载失败';
      }
    }
    watch(() => ({ ...q }), () => {
      navigate(href('/admin/hotline/bulletin', q), { replace: true });
      load();
    });
    onMounted(load);
    const htmlUrl = computed(() => href('/api/v1/hotline/bulletin.html', q));
    return { q, data, error, htmlUrl, rate, score, monthLabel, href, print: () => window.print() };
  },
  template: `
  <div class="print-page">
    <div class="print-toolbar no-print">
      <el-button tag="a" :href="href('/admin/hotline/rankings', { month: q.month })"><el-icon><Back /></el-icon>&nbsp;返回排名</el-button>
      <div class="hl-toolbar">
        <el-date-picker v-model="q.month" type="month" value-format="YYYY-MM" format="YYYY年M月" :clearable="false" style="width:130px" data-test="bul-month" />
        <span>派件不少于</span><el-input-number v-model="q.min_orders" :min="1" :max="1000000" size="small" style="width:110px" />
        <span>先进/后进各</span><el-input-number v-model="q.count" :min="1" :max="20" size="small" style="width:90px" />
        <el-button tag="a" :href="htmlUrl" target="_blank">网页版</el-button>
        <el-button type="primary" @click="print"><el-icon><Printer /></el-icon>&nbsp;打印</el-button>
      </div>
    </div>
    <div class="a4 hl-bulletin" data-test="bulletin">
      <div v-if="error" class="print-error">{{ error }}</div>
      <template v-else-if="data">
        <h1>12345政务服务便民热线工单办理情况通报</h1>
        <div class="hl-bul-sub">{{ monthLabel(data.month) }}（{{ data.from }} 至 {{ data.to }}）</div>
        <h2>一、总体情况</h2>
        <p data-test="bul-city">本月全市承办单位共接收派件 {{ data.city.received }} 件，办结 {{ data.city.closed }} 件，按时办结率 {{ rate(data.city.on_time_rate) }}；
          回访接通 {{ data.city.called_back }} 件，满意率 {{ rate(data.city.satisfaction_rate) }}。本月派件不少于 {{ data.min_orders }} 件、参加排名的承办单位共 {{ data.ranked_units }} 个。</p>
        <h2>二、表现较好的单位</h2>
        <p v-if="!data.best.length">本月没有达到排名条件的单位。</p>
        <table v-else class="doc-table" data-test="bul-best">
          <thead><tr><th>排名</th><th>承办单位</th><th>派件</th><th>签收率</th><th>按时办结率</th><th>解决率</th><th>满意率</th><th>综合得分</th></tr></thead>
          <tbody><tr v-for="r in data.best" :key="r.unit_id">
            <td class="num">{{ r.rank }}</td><td>{{ r.unit_name }}</td><td class="num">{{ r.received }}</td><td class="num">{{ rate(r.sign_rate) }}</td>
            <td class="num">{{ rate(r.on_time_rate) }}</td><td class="num">{{ rate(r.solved_rate) }}</td><td class="num">{{ rate(r.satisfaction_rate) }}</td><td class="num">{{ score(r.score) }}</td>
          </tr></tbody>
        </table>
        <h2>三、需要改进的单位</h2>
        <p v-if="!data.worst.length">本月没有需要通报改进的单位。</p>
        <template v-else>
          <table class="doc-table" data-test="bul-worst">
            <thead><tr><th>排名</th><th>承办单位</th><th>派件</th><th>签收率</th><th>按时办结率</th><th>满意率</th><th>退单</th><th>重办</th><th>综合得分</th></tr></thead>
            <tbody><tr v-for="r in data.worst" :key="r.unit_id">
              <td class="num">{{ r.rank }}</td><td>{{ r.unit_name }}</td><td class="num">{{ r.received }}</td><td class="num">{{ rate(r.sign_rate) }}</td>
              <td class="num">{{ rate(r.on_time_rate) }}</td><td class="num">{{ rate(r.satisfaction_rate) }}</td><td class="num">{{ r.returns }}</td><td class="num">{{ r.reopens }}</td><td class="num">{{ score(r.score) }}</td>
            </tr></tbody>
          </table>
          <p>请以上单位对照各项指标查找原因，落实整改，提高签收、办理和答复质量。</p>
        </template>
        <h2>四、说明</h2>
        <p>综合得分按签收率15%、按时办结率25%、解决率20%、满意率30%、无退单重办率10%加权计算；满意率、解决率以当月回访接通的工单为基数；退单指被中心驳回的退单。</p>
        <p style="text-align:right; text-indent:0">12345政务服务便民热线中心</p>
      </template>
    </div>
  </div>`,
};

const COLORS = ['#1f5fbf', '#3ba272', '#fac858', '#ee6666', '#73c0de', '#9a60b4', '#fc8452', '#ea7ccc'];

function pieOption(rows) {
  return {
    color: COLORS,
    tooltip: { trigger: 'item', formatter: '{b}：{c} 件（{d}%）' },
    legend: { bottom: 0, type: 'scroll' },
    series: [{ type: 'pie', radius: ['38%', '66%'], center: ['50%', '44%'], label: { formatter: '{b}\n{d}%' }, data: rows }],
  };
}

function barOption(rows, name = '工单') {
  const top = rows.slice(0, 15).reverse();
  return {
    color: COLORS,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 110, right: 30, bottom: 24, top: 16 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: top.map((r) => r.name), axisLabel: { width: 100, overflow: 'truncate' } },
    series: [{ name, type: 'bar', data: top.map((r) => r.value), barMaxWidth: 22, label: { show: true, position: 'right' } }],
  };
}

function trendOption(trend, weekly) {
  const rows = weekly ? trend.by_week.map((r) => ({ k: r.week_start.slice(5) + '周', v: r.count })) : trend.by_day.map((r) => ({ k: r.day.slice(5), v: r.count }));
  return {
    color: COLORS,
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 20, bottom: 28, top: 24 },
    xAxis: { type: 'category', data: rows.map((r) => r.k) },
    yAxis: { type: 'value', name: '件' },
    series: [{ name: '工单量', type: weekly ? 'bar' : 'line', areaStyle: weekly ? undefined : { opacity: 0.12 },
      data: rows.map((r) => r.v), barMaxWidth: 28 }],
  };
}

// The heat table's colour: white to deep blue by the share of the largest cell.
export function heatColor(n, max) {
  if (!n || !max) return 'transparent';
  const a = 0.08 + 0.72 * (n / max);
  return `rgba(31, 95, 191, ${a.toFixed(2)})`;
}

export const HotlineDashboardPage = {
  name: 'HotlineDashboardPage',
  setup() {
    const end = new Date();
    const start = new Date(end.getTime() - 29 * 86400e3);
    const range = ref([route.query.from || isoDate(start), route.query.to || isoDate(end)]);
    const weekly = ref(false);
    const data = ref(null);
    const loading = ref(false);
    const els = { channel: ref(null), category: ref(null), matter: ref(null), district: ref(null), trend: ref(null), leaf: ref(null) };
    const drawCharts = useCharts(els);

    function draw() {
      const d = data.value;
      if (!d) return;
      const options = {
        channel: pieOption(d.by_channel.map((r) => ({ name: CHANNELS[r.channel] || r.channel, value: r.count }))),
        category: pieOption(d.by_category.map((r) => ({ name: CATEGORIES[r.category] || r.category, value: r.count }))),
        matter: barOption(d.by_matter_top.map((r) => ({ name: r.matter ? r.matter.name : '未分类', value: r.count }))),
        leaf: barOption(d.by_matter_leaf.map((r) => ({ name: r.matter ? r.matter.name : '未分类', value: r.count }))),
        district: barOption(d.by_district.map((r) => ({ name: r.name || r.district || '未填写', value: r.count }))),
        trend: trendOption(d.trend, weekly.value),
      };
      drawCharts(options);
    }

    async function load() {
      loading.value = true;
      try {
        data.value = await get('/api/v1/hotline/dashboard', { from: range.value[0], to: range.value[1] });
        await nextTick();
        draw();
      } catch (err) {
        // a range the server refuses (more than 366 days): its reason, not the bare status
        if (err.status === 422 && err.details.length) ElementPlus.ElMessage.error(err.details.map((d) => d.message).join('；'));
        else showError(err);
      } finally {
        loading.value = false;
      }
    }
    watch(range, (r) => {
      if (!r) return;
      navigate(href('/admin/hotline/dashboard', { from: r[0], to: r[1] }), { replace: true });
      load();
    });
    watch(weekly, draw);
    const heatMax = computed(() => {
      const rows = (data.value && data.value.heat.rows) || [];
      return Math.max(0, ...rows.flatMap((r) => r.counts));
    });
    const share = (n) => (data.value && data.value.total ? ((n / data.value.total) * 100).toFixed(1) + '%' : '—');
    const xlsxUrl = computed(() => href('/api/v1/hotline/dashboard.xlsx', { from: range.value[0], to: range.value[1] }));
    onMounted(() => {
      document.title = '12345热线数据看板';
      load();
    });
    return { range, weekly, data, loading, heatMax, heatColor, share, xlsxUrl, CHANNELS, ...els };
  },
  template: `
  <div class="admin-page" v-loading="loading">
    <div class="admin-head">
      <h2>12345热线数据看板</h2>
      <div class="hl-toolbar">
        <el-date-picker v-model="range" type="daterange" value-format="YYYY-MM-DD" range-separator="至" :clearable="false"
                        start-placeholder="开始日期" end-placeholder="结束日期" style="width:260px" data-test="dash-range" />
        <el-button tag="a" :href="xlsxUrl" download data-test="dash-xlsx"><el-icon><Download /></el-icon>&nbsp;导出 XLSX</el-button>
      </div>
    </div>
    <div class="hl-kpis" v-if="data">
      <div class="hl-kpi"><span>工单总量</span><b data-test="dash-total">{{ data.total }}</b> 件</div>
      <div class="hl-kpi"><span>紧急工单</span><b>{{ data.urgent }}</b> 件</div>
      <div class="hl-kpi"><span>电话占比</span><b>{{ share((data.by_channel.find((r) => r.channel === 'phone') || {}).count || 0) }}</b></div>
      <div class="hl-kpi"><span>统计区间</span><b style="font-size:15px">{{ data.from }} 至 {{ data.to }}</b></div>
    </div>
    <el-card shadow="never" class="panel">
      <template #header><div class="hl-form-head"><span class="panel-title">工单量趋势</span>
        <el-radio-group v-model="weekly" size="small"><el-radio-button :value="false">按日</el-radio-button><el-radio-button :value="true">按周</el-radio-button></el-radio-group></div></template>
      <div ref="trend" class="hl-chart" data-test="chart-trend"></div>
    </el-card>
    <el-row :gutter="16">
      <el-col :xs="24" :md="12"><el-card shadow="never" class="panel"><template #header><span class="panel-title">按渠道</span></template>
        <div ref="channel" class="hl-chart" data-test="chart-channel"></div></el-card></el-col>
      <el-col :xs="24" :md="12"><el-card shadow="never" class="panel"><template #header><span class="panel-title">按诉求类别</span></template>
        <div ref="category" class="hl-chart" data-test="chart-category"></div></el-card></el-col>
      <el-col :xs="24" :md="12"><el-card shadow="never" class="panel"><template #header><span class="panel-title">按事项大类</span></template>
        <div ref="matter" class="hl-chart" data-test="chart-matter"></div></el-card></el-col>
      <el-col :xs="24" :md="12"><el-card shadow="never" class="panel"><template #header><span class="panel-title">按事项小类（前15）</span></template>
        <div ref="leaf" class="hl-chart" data-test="chart-leaf"></div></el-card></el-col>
      <el-col :xs="24" :md="12"><el-card shadow="never" class="panel"><template #header><span class="panel-title">按区域</span></template>
        <div ref="district" class="hl-chart" data-test="chart-district"></div></el-card></el-col>
      <el-col :xs="24" :md="12"><el-card shadow="never" class="panel" data-test="hot-topics">
        <template #header><span class="panel-title">本周热点（{{ data ? data.to : '' }} 止的7天，较前四周上升明显的诉求）</span></template>
        <el-table v-if="data" :data="data.hot_topics" size="small" stripe empty-text="本周没有明显上升的热点">
          <el-table-column type="index" label="#" width="44" />
          <el-table-column prop="term" label="热点词" min-width="120" />
          <el-table-column prop="week" label="本周" width="70" align="right" />
          <el-table-column label="前四周周均" width="100" align="right"><template #default="{ row }">{{ Number(row.weekly_mean_before).toFixed(1) }}</template></el-table-column>
          <el-table-column label="上升强度" width="90" align="right"><template #default="{ row }">{{ Number(row.score).toFixed(1) }}</template></el-table-column>
        </el-table>
      </el-card></el-col>
    </el-row>
    <el-card shadow="never" class="panel" v-if="data">
      <template #header><span class="panel-title">区域 × 事项热力表</span></template>
      <div class="hl-heat" data-test="heat">
        <table>
          <thead><tr><th>区域</th><th>合计</th><th v-for="m in data.heat.matters" :key="m.id">{{ m.name }}</th></tr></thead>
          <tbody><tr v-for="r in data.heat.rows" :key="r.district || r.name">
            <td>{{ r.name || r.district || '未填写' }}</td><td><b>{{ r.total }}</b></td>
            <td v-for="(n, i) in r.counts" :key="i" :style="{ background: heatColor(n, heatMax), color: n > heatMax * 0.6 ? '#fff' : '' }">{{ n }}</td>
          </tr></tbody>
        </table>
        <el-empty v-if="!data.heat.rows.length" description="区间内没有工单" :image-size="60" />
      </div>
    </el-card>
  </div>`,
};
