// 智能大厅 (hall manager) /admin/hall (hall.manage): per hall the live queue status with the long-queue alert
// and 引导分流 (windows to open), the queues (CRUD), each window's queues in calling order, and
// the day's statistics with ECharts charts, per-window ratings (好差评) and the XLSX report, and
// the hall's devices (kiosks, boards, rating pads: pairing codes and revocation).
import { get, post, put } from '../../api.js';
import { session } from '../../store.js';
import { showError, fmtTime } from '../../util.js';

const { ref, reactive, computed, onMounted, onBeforeUnmount, nextTick, watch } = Vue;

const COLORS = ['#1f5fbf', '#3ba272', '#fac858', '#ee6666', '#73c0de', '#9a60b4', '#fc8452'];
const minutes = (s) => (s == null ? '—' : (s / 60).toFixed(1));
const percent = (v) => (v == null ? '—' : (v * 100).toFixed(1) + '%');

function hourOption(queues) {
  const hours = [];
  for (let h = 8; h <= 18; h++) hours.push(h);
  for (const q of queues) for (const p of q.per_hour) if (!hours.includes(p.hour)) hours.push(p.hour);
  hours.sort((a, b) => a - b);
  return {
    color: COLORS,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 40, right: 16, bottom: 28, top: 44 },
    xAxis: { type: 'category', data: hours.map((h) => h + '时') },
    yAxis: { type: 'value', name: '张', minInterval: 1 },
    series: queues.map((q) => ({
      name: q.letter + ' ' + q.name, type: 'bar', stack: 'tickets', barMaxWidth: 32,
      data: hours.map((h) => (q.per_hour.find((p) => p.hour === h) || { tickets: 0 }).tickets),
    })),
  };
}

function waitOption(queues) {
  return {
    color: COLORS,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 48, right: 48, bottom: 28, top: 56 },
    xAxis: { type: 'category', data: queues.map((q) => q.letter) },
    yAxis: [
      { type: 'value', name: '分钟' },
      { type: 'value', name: '过号率', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      { name: '平均等候', type: 'bar', data: queues.map((q) => +(q.avg_wait_seconds / 60).toFixed(1)) },
      { name: '最长等候', type: 'bar', data: queues.map((q) => +(q.max_wait_seconds / 60).toFixed(1)) },
      { name: '平均办理', type: 'bar', data: queues.map((q) => +(q.avg_service_seconds / 60).toFixed(1)) },
      { name: '过号率', type: 'line', yAxisIndex: 1, data: queues.map((q) => Math.round(q.no_show_rate * 1000) / 10) },
    ],
  };
}

function utilisationOption(windows) {
  return {
    color: COLORS,
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, bottom: 28, top: 24 },
    xAxis: { type: 'category', data: windows.map((w) => w.number + '号') },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [{ name: '利用率', type: 'bar', barMaxWidth: 32, data: windows.map((w) => Math.round(w.utilisation * 1000) / 10) }],
  };
}

// 实时状态: refreshed every 10 seconds.
const StatusPane = {
  name: 'StatusPane',
  props: { hallId: { type: Number, required: true } },
  setup(props) {
    const status = ref(null);
    let timer = null;
    async function load() {
      try {
        status.value = await get(`/api/v1/hall/${props.hallId}/status`);
      } catch (err) {
        showError(err);
      }
    }
    watch(() => props.hallId, load);
    onMounted(() => {
      load();
      timer = setInterval(load, 10000);
    });
    onBeforeUnmount(() => clearInterval(timer));
    const alerts = computed(() => (status.value ? status.value.queues.filter((q) => q.alert) : []));
    // 大厅公告: sent to the hall's display boards at once (not stored).
    const notice = ref('');
    async function announce() {
      try {
        const r = await post(`/api/v1/hall/${props.hallId}/announce`, { text: notice.value.trim() });
        ElementPlus.ElMessage.success(`公告已发送到 ${r.boards} 块叫号屏`);
        notice.value = '';
      } catch (err) {
        showError(err);
      }
    }
    return { status, alerts, minutes, load, notice, announce };
  },
  template: `
  <div v-if="status">
    <el-alert v-if="status.alert" type="error" :closable="false" show-icon title="排队预警：部分队列等候过长，请及时引导分流" data-test="hall-alert" class="hall-alert">
      <div v-for="q in alerts" :key="q.queue_id" data-test="hall-alert-queue">{{ q.suggestion || (q.letter + ' ' + q.name + '：等候 ' + q.waiting + ' 人') }}
        <b v-if="q.open_more">（建议增开 {{ q.open_more }} 个窗口）</b></div>
    </el-alert>
    <el-alert v-else type="success" :closable="false" show-icon title="各队列等候正常" data-test="hall-ok" class="hall-alert" />
    <p class="muted small">预警阈值：等候 {{ status.thresholds.waiting }} 人或最长等候 {{ status.thresholds.wait_minutes }} 分钟。
      <el-button link type="primary" @click="load">刷新</el-button></p>
    <div class="toolbar">
      <el-input v-model="notice" maxlength="200" show-word-limit placeholder="大厅公告：发送到本大厅的叫号屏滚动显示" style="max-width:560px" data-test="hall-notice" />
      <el-button :disabled="!notice.trim()" data-test="hall-notice-send" @click="announce">发布公告</el-button>
    </div>
    <el-table :data="status.queues" data-test="hall-status">
      <el-table-column label="队列" min-width="180"><template #default="{ row }"><b>{{ row.letter }}</b> {{ row.name }}</template></el-table-column>
      <el-table-column label="等候人数" width="100"><template #default="{ row }"><span :data-test="'status-waiting-' + row.letter">{{ row.waiting }}</span></template></el-table-column>
      <el-table-column label="最长等候" width="100"><template #default="{ row }">{{ row.longest_wait_minutes }} 分钟</template></el-table-column>
      <el-table-column label="预计等候" width="100"><template #default="{ row }">{{ row.estimated_wait_minutes }} 分钟</template></el-table-column>
      <el-table-column label="开放窗口" width="90" prop="open_windows" />
      <el-table-column label="平均办理" width="100"><template #default="{ row }">{{ minutes(row.mean_service_seconds) }} 分钟</template></el-table-column>
      <el-table-column label="状态" width="150"><template #default="{ row }">
        <el-tag v-if="row.alert" type="danger" effect="dark" :data-test="'status-alert-' + row.letter">预警<template v-if="row.open_more">·增开{{ row.open_more }}窗</template></el-tag>
        <el-tag v-else type="success">正常</el-tag></template></el-table-column>
    </el-table>
  </div>`,
};

const EMPTY_QUEUE = { letter: '', name: '', dept_id: null, items: [], active: true, slot_periods: '09:00-12:00,13:00-17:00', slot_minutes: 30, slot_capacity: 0 };

// 队列管理 and 窗口配置.
const QueuesPane = {
  name: 'QueuesPane',
  props: { hallId: { type: Number, required: true } },
  setup(props) {
    const queues = ref([]);
    const windows = ref([]);
    const departments = ref([]);
    const dialog = reactive({ open: false, id: 0, form: { ...EMPTY_QUEUE }, errors: {}, itemsText: '' });
    const winDialog = reactive({ open: false, window: null, ids: [], errors: {} });
    async function load() {
      try {
        const [q, w, d] = await Promise.all([
          get('/api/v1/hall/queues', { hall_id: props.hallId }),
          get('/api/v1/windows', { hall_id: props.hallId }),
          get('/api/v1/departments'),
        ]);
        // the queues each window serves now, from the hall's status
        const status = await get(`/api/v1/hall/${props.hallId}/status`).catch(() => ({ windows: [] }));
        const served = new Map((status.windows || []).map((x) => [x.window_id, x.queue_ids]));
        queues.value = q.items || [];
        windows.value = (w.items || []).filter((x) => x.active !== false).map((x) => ({ ...x, queue_ids: served.get(x.id) || [] }));
        departments.value = d.items || [];
      } catch (err) {
        showError(err);
      }
    }
    watch(() => props.hallId, load);
    onMounted(load);
    function edit(q) {
      dialog.id = q ? q.id : 0;
      dialog.form = { ...EMPTY_QUEUE, ...(q || {}) };
      dialog.itemsText = (dialog.form.items || []).join('\n');
      dialog.errors = {};
      dialog.open = true;
    }
    async function save() {
      dialog.errors = {};
      const f = dialog.form;
      const body = {
        letter: f.letter, name: f.name, dept_id: f.dept_id || null, active: f.active, slot_periods: f.slot_periods,
        slot_minutes: f.slot_minutes, slot_capacity: f.slot_capacity,
        items: dialog.itemsText.split(/\s+/).filter(Boolean),
      };
      try {
        if (dialog.id) await put(`/api/v1/hall/queues/${dialog.id}`, body);
        else await post('/api/v1/hall/queues', { hall_id: props.hallId, ...body });
        ElementPlus.ElMessage.success('已保存');
        dialog.open = false;
        await load();
      } catch (err) {
        dialog.errors = err.fields || {};
        showError(err);
      }
    }
    function editWindow(w) {
      winDialog.window = w;
      winDialog.ids = [...(w.queue_ids || [])];
      winDialog.errors = {};
      winDialog.open = true;
    }
    async function saveWindow() {
      try {
        await put(`/api/v1/hall/windows/${winDialog.window.id}/queues`, { queue_ids: winDialog.ids });
        ElementPlus.ElMessage.success(`${winDialog.window.number} 号窗口的叫号队列已更新`);
        winDialog.window.queue_ids = [...winDialog.ids];
        winDialog.open = false;
      } catch (err) {
        winDialog.errors = err.fields || {};
        showError(err);
      }
    }
    const deptName = (id) => (departments.value.find((d) => d.id === id) || {}).name || '—';
    return { queues, windows, departments, dialog, winDialog, edit, save, editWindow, saveWindow, deptName };
  },
  template: `
  <div>
    <div class="toolbar"><el-button type="primary" data-test="queue-new" @click="edit(null)">新增队列</el-button></div>
    <el-table :data="queues" data-test="queue-table">
      <el-table-column label="字母" width="70" prop="letter" />
      <el-table-column label="队列名称" min-width="180" prop="name" />
      <el-table-column label="部门" min-width="160"><template #default="{ row }">{{ deptName(row.dept_id) }}</template></el-table-column>
      <el-table-column label="预约时段" min-width="200"><template #default="{ row }">{{ row.slot_periods }} · {{ row.slot_minutes }} 分钟 · 每段 {{ row.slot_capacity }} 人</template></el-table-column>
      <el-table-column label="状态" width="80"><template #default="{ row }"><el-tag :type="row.active ? 'success' : 'info'">{{ row.active ? '启用' : '停用' }}</el-tag></template></el-table-column>
      <el-table-column label="操作" width="80"><template #default="{ row }"><el-button link type="primary" data-test="queue-edit" @click="edit(row)">编辑</el-button></template></el-table-column>
    </el-table>
    <h3 class="hall-subtitle">窗口叫号队列</h3>
    <p class="muted small">每个窗口按顺序服务所选队列：先叫第一个有人等候的队列（主队列在前，协办队列在后）。</p>
    <el-table :data="windows" data-test="window-table">
      <el-table-column label="窗口" width="90"><template #default="{ row }">{{ row.number }} 号</template></el-table-column>
      <el-table-column label="名称" min-width="200" prop="name" />
      <el-table-column label="叫号队列" min-width="160"><template #default="{ row }"><span data-test="window-queue-letters">{{ row.queue_ids.map((id) => (queues.find((q) => q.id === id) || {}).letter || '?').join(' → ') || '—' }}</span></template></el-table-column>
      <el-table-column label="操作" width="120"><template #default="{ row }"><el-button link type="primary" data-test="window-queues-edit" @click="editWindow(row)">设置叫号队列</el-button></template></el-table-column>
    </el-table>

    <el-dialog v-model="dialog.open" :title="dialog.id ? '编辑队列' : '新增队列'" width="560px">
      <el-form label-width="100px">
        <el-form-item label="字母" :error="dialog.errors.letter"><el-input v-model="dialog.form.letter" maxlength="1" style="width:80px" data-test="queue-letter" /></el-form-item>
        <el-form-item label="名称" :error="dialog.errors.name"><el-input v-model="dialog.form.name" maxlength="60" data-test="queue-name" /></el-form-item>
        <el-form-item label="部门" :error="dialog.errors.dept_id">
          <el-select v-model="dialog.form.dept_id" clearable filterable placeholder="综合受理可不选" style="width:100%">
            <el-option v-for="d in departments" :key="d.id" :value="d.id" :label="d.name" /></el-select></el-form-item>
        <el-form-item label="事项编码" :error="dialog.errors.items"><el-input v-model="dialog.itemsText" type="textarea" :rows="2" placeholder="实施编码，每行一个（可不填）" /></el-form-item>
        <el-form-item label="预约时段" :error="dialog.errors.slot_periods"><el-input v-model="dialog.form.slot_periods" placeholder="09:00-12:00,13:00-17:00" /></el-form-item>
        <el-form-item label="每段分钟" :error="dialog.errors.slot_minutes"><el-input-number v-model="dialog.form.slot_minutes" :min="5" :max="240" /></el-form-item>
        <el-form-item label="每段人数" :error="dialog.errors.slot_capacity"><el-input-number v-model="dialog.form.slot_capacity" :min="0" :max="1000" /><span class="muted small">&nbsp;0 为不开放预约</span></el-form-item>
        <el-form-item label="启用" :error="dialog.errors.active"><el-switch v-model="dialog.form.active" /></el-form-item>
      </el-form>
      <template #footer><el-button @click="dialog.open = false">取消</el-button><el-button type="primary" data-test="queue-save" @click="save">保存</el-button></template>
    </el-dialog>
    <el-dialog v-model="winDialog.open" :title="winDialog.window ? winDialog.window.number + ' 号窗口的叫号队列' : ''" width="520px">
      <p class="muted small">按叫号顺序依次选择队列（最多 16 个）。</p>
      <el-form-item :error="winDialog.errors.queue_ids">
        <el-select v-model="winDialog.ids" multiple style="width:100%" placeholder="选择队列" data-test="window-queues-select">
          <el-option v-for="q in queues" :key="q.id" :value="q.id" :label="q.letter + ' · ' + q.name" /></el-select>
      </el-form-item>
      <template #footer><el-button @click="winDialog.open = false">取消</el-button><el-button type="primary" :disabled="!winDialog.ids.length" data-test="window-queues-save" @click="saveWindow">保存</el-button></template>
    </el-dialog>
  </div>`,
};

// 统计分析: the day's report with charts, the windows' ratings and the XLSX download.
const StatsPane = {
  name: 'StatsPane',
  props: { hallId: { type: Number, required: true }, hallName: { type: String, default: '' } },
  setup(props) {
    const day = ref(''); // empty: the server's today (local day, UTC+8)
    const stats = ref(null);
    const ratings = ref({}); // window name → {count, sum, satisfied}
    const loading = ref(false);
    const els = { hours: ref(null), waits: ref(null), util: ref(null) };
    const charts = {};
    const resize = () => Object.values(charts).forEach((c) => c.resize());

    // 好差评 given at this hall's windows on the day (reviews of the manager's scope).
    async function loadRatings() {
      const out = {};
      const r = await get('/api/v1/reviews', { from: day.value, to: day.value, page_size: 100 });
      for (const v of r.items || []) {
        if (!v.window_id || (props.hallName && v.hall_name !== props.hallName)) continue;
        const e = (out[v.window_id] = out[v.window_id] || { count: 0, satisfied: 0, levels: [] });
        e.count++;
        if (v.level <= 3) e.satisfied++;
        e.levels.push(v.level_label);
      }
      ratings.value = out;
    }
    async function load() {
      loading.value = true;
      try {
        stats.value = await get(`/api/v1/hall/${props.hallId}/stats`, { date: day.value });
        day.value = stats.value.date;
        await loadRatings().catch(() => (ratings.value = {}));
        await nextTick();
        const s = stats.value;
        const options = { hours: hourOption(s.queues), waits: waitOption(s.queues), util: utilisationOption(s.windows) };
        for (const [name, el] of Object.entries(els)) {
          if (!el.value) continue;
          if (!charts[name]) charts[name] = echarts.init(el.value);
          charts[name].setOption(options[name], true);
        }
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }
    watch(() => props.hallId, load);
    onMounted(() => {
      load();
      window.addEventListener('resize', resize);
    });
    onBeforeUnmount(() => {
      window.removeEventListener('resize', resize);
      Object.values(charts).forEach((c) => c.dispose());
    });
    const totals = computed(() => {
      const qs = stats.value ? stats.value.queues : [];
      const tickets = qs.reduce((n, q) => n + q.tickets, 0);
      const called = qs.reduce((n, q) => n + q.called, 0);
      return { tickets, called, windows: stats.value ? stats.value.windows.length : 0 };
    });
    const xlsx = computed(() => `/api/v1/hall/${props.hallId}/stats.xlsx?date=${day.value}`);
    return { day, stats, ratings, loading, totals, xlsx, load, minutes, percent, ...els };
  },
  template: `
  <div v-loading="loading">
    <div class="toolbar">
      <el-date-picker v-model="day" type="date" value-format="YYYY-MM-DD" :clearable="false" data-test="stats-date" @change="load" />
      <el-button tag="a" :href="xlsx" download data-test="stats-xlsx"><el-icon><Download /></el-icon>&nbsp;导出 XLSX</el-button>
    </div>
    <template v-if="stats">
      <p class="hall-report" data-test="stats-report">{{ stats.date }} 共取号 {{ totals.tickets }} 张，叫号 {{ totals.called }} 次，{{ totals.windows }} 个窗口提供服务。</p>
      <div class="hall-charts">
        <div class="hall-chart"><h4>各队列分时段取号量</h4><div ref="hours" class="chart"></div></div>
        <div class="hall-chart"><h4>等候、办理时长与过号率</h4><div ref="waits" class="chart"></div></div>
        <div class="hall-chart"><h4>窗口利用率</h4><div ref="util" class="chart"></div></div>
      </div>
      <el-table :data="stats.queues" data-test="stats-queues">
        <el-table-column label="队列" min-width="160"><template #default="{ row }"><b>{{ row.letter }}</b> {{ row.name }}</template></el-table-column>
        <el-table-column label="取号" width="70" prop="tickets" />
        <el-table-column label="叫号" width="70" prop="called" />
        <el-table-column label="平均等候" width="100"><template #default="{ row }">{{ minutes(row.avg_wait_seconds) }} 分钟</template></el-table-column>
        <el-table-column label="最长等候" width="100"><template #default="{ row }">{{ minutes(row.max_wait_seconds) }} 分钟</template></el-table-column>
        <el-table-column label="平均办理" width="100"><template #default="{ row }">{{ minutes(row.avg_service_seconds) }} 分钟</template></el-table-column>
        <el-table-column label="过号率" width="90"><template #default="{ row }">{{ percent(row.no_show_rate) }}</template></el-table-column>
      </el-table>
      <h3 class="hall-subtitle">窗口服务与评价</h3>
      <el-table :data="stats.windows" empty-text="当日暂无窗口服务" data-test="stats-windows">
        <el-table-column label="窗口" min-width="180"><template #default="{ row }">{{ row.number }} 号 · {{ row.name }}</template></el-table-column>
        <el-table-column label="服务人次" width="90" prop="served" />
        <el-table-column label="办理时长" width="100"><template #default="{ row }">{{ minutes(row.busy_seconds) }} 分钟</template></el-table-column>
        <el-table-column label="利用率" width="90"><template #default="{ row }">{{ percent(row.utilisation) }}</template></el-table-column>
        <el-table-column label="评价" min-width="200"><template #default="{ row }">
          <span v-if="ratings[row.window_id]" :data-test="'stats-rating-' + row.number">{{ ratings[row.window_id].count }} 条，满意 {{ ratings[row.window_id].satisfied }} 条（{{ ratings[row.window_id].levels.join('、') }}）</span>
          <span v-else class="muted">暂无评价</span></template></el-table-column>
      </el-table>
    </template>
  </div>`,
};

const DEVICE_KINDS = { kiosk: '自助取号机', board: '叫号显示屏', pad: '窗口评价器' };
const DEVICE_PAGES = { kiosk: 'kiosk', board: 'board', pad: 'pad' };
const DEVICE_STATES = {
  pending: { label: '待配对', tag: 'warning' }, paired: { label: '已配对', tag: 'success' },
  expired: { label: '配对码已过期', tag: 'info' }, revoked: { label: '已停用', tag: 'danger' },
};

// 设备管理: the hall's kiosks, boards and rating pads. A new device gets a six-digit pairing code,
// shown once here and typed on the device's own screen within ten minutes; a device is revoked at once.
const DevicesPane = {
  name: 'DevicesPane',
  props: { hallId: { type: Number, required: true } },
  setup(props) {
    const devices = ref([]);
    const windows = ref([]);
    const dialog = reactive({ open: false, form: { kind: 'kiosk', name: '', window_id: null }, errors: {} });
    const issued = ref(null); // the device whose pairing code is shown
    async function load() {
      try {
        const [d, w] = await Promise.all([get(`/api/v1/hall/${props.hallId}/devices`), get('/api/v1/windows', { hall_id: props.hallId })]);
        devices.value = d.items || [];
        windows.value = (w.items || []).filter((x) => x.active !== false);
      } catch (err) {
        showError(err);
      }
    }
    watch(() => props.hallId, load);
    onMounted(load);
    function create() {
      dialog.form = { kind: 'kiosk', name: '', window_id: null };
      dialog.errors = {};
      dialog.open = true;
    }
    async function save() {
      dialog.errors = {};
      const body = { kind: dialog.form.kind, name: dialog.form.name.trim() };
      if (dialog.form.kind === 'pad' && dialog.form.window_id) body.window_id = dialog.form.window_id;
      try {
        issued.value = await post(`/api/v1/hall/${props.hallId}/devices`, body);
        dialog.open = false;
        await load();
      } catch (err) {
        dialog.errors = err.fields || {};
        showError(err);
      }
    }
    async function recode(d) {
      try {
        issued.value = await post(`/api/v1/hall/devices/${d.id}/code`);
        await load();
      } catch (err) {
        showError(err);
      }
    }
    async function revoke(d) {
      try {
        await ElementPlus.ElMessageBox.confirm(`停用“${d.name}”后，该设备须重新配对才能使用。确定停用？`, '停用设备', { type: 'warning' });
      } catch {
        return;
      }
      try {
        devices.value = (await post(`/api/v1/hall/devices/${d.id}/revoke`)).items || [];
        ElementPlus.ElMessage.success('设备已停用');
      } catch (err) {
        showError(err);
      }
    }
    const pageOf = (d) => `/hall/${props.hallId}/${DEVICE_PAGES[d.kind]}`;
    const when = (t) => (t ? fmtTime(t) : '—');
    return { devices, windows, dialog, issued, create, save, recode, revoke, pageOf, when, DEVICE_KINDS, DEVICE_STATES };
  },
  template: `
  <div>
    <div class="toolbar"><el-button type="primary" data-test="device-new" @click="create">新增设备</el-button>
      <span class="muted small">取号机、叫号屏、评价器须经配对方可使用；设备丢失或更换时请立即停用。</span></div>
    <el-alert v-if="issued" type="success" :closable="true" show-icon class="hall-alert" data-test="device-issued" @close="issued = null"
      :title="DEVICE_KINDS[issued.kind] + '“' + issued.name + '”的配对码'">
      <div class="device-issued-code" data-test="device-pairing-code">{{ issued.pairing_code }}</div>
      请在 {{ when(issued.pairing_expires_at) }} 前，在该设备上打开 <b>{{ pageOf(issued) }}</b> 并输入此配对码（仅可使用一次）。
    </el-alert>
    <el-table :data="devices" empty-text="尚未登记设备" data-test="device-table">
      <el-table-column label="类型" width="110"><template #default="{ row }">{{ DEVICE_KINDS[row.kind] }}</template></el-table-column>
      <el-table-column label="名称" min-width="140" prop="name" />
      <el-table-column label="绑定窗口" min-width="140"><template #default="{ row }">{{ row.window_number ? row.window_number + ' 号 · ' + row.window_name : '—' }}</template></el-table-column>
      <el-table-column label="状态" width="120"><template #default="{ row }"><el-tag :type="DEVICE_STATES[row.state].tag" :data-test="'device-state-' + row.id">{{ DEVICE_STATES[row.state].label }}</el-tag></template></el-table-column>
      <el-table-column label="配对时间" width="150"><template #default="{ row }">{{ when(row.paired_at) }}</template></el-table-column>
      <el-table-column label="最近在线" width="150"><template #default="{ row }">{{ when(row.last_seen) }}</template></el-table-column>
      <el-table-column label="操作" width="220"><template #default="{ row }">
        <el-button v-if="row.state === 'pending' || row.state === 'expired'" link type="primary" data-test="device-recode" @click="recode(row)">重新生成配对码</el-button>
        <el-button v-if="row.state !== 'revoked'" link type="danger" data-test="device-revoke" @click="revoke(row)">停用</el-button></template></el-table-column>
    </el-table>
    <el-dialog v-model="dialog.open" title="新增设备" width="480px">
      <el-form label-width="90px">
        <el-form-item label="设备类型" :error="dialog.errors.kind">
          <el-radio-group v-model="dialog.form.kind" data-test="device-kind">
            <el-radio-button v-for="(label, k) in DEVICE_KINDS" :key="k" :value="k" :data-test="'device-kind-' + k">{{ label }}</el-radio-button>
          </el-radio-group></el-form-item>
        <el-form-item label="名称" :error="dialog.errors.name"><el-input v-model="dialog.form.name" maxlength="40" placeholder="如：一楼东门取号机" data-test="device-name" /></el-form-item>
        <el-form-item v-if="dialog.form.kind === 'pad'" label="绑定窗口" :error="dialog.errors.window_id">
          <el-select v-model="dialog.form.window_id" placeholder="选择窗口" style="width:100%" data-test="device-window">
            <el-option v-for="w in windows" :key="w.id" :value="w.id" :label="w.number + ' 号 · ' + w.name" /></el-select></el-form-item>
      </el-form>
      <template #footer><el-button @click="dialog.open = false">取消</el-button><el-button type="primary" data-test="device-save" @click="save">生成配对码</el-button></template>
    </el-dialog>
  </div>`,
};

export default {
  name: 'HallManagerPage',
  components: { StatusPane, QueuesPane, StatsPane, DevicesPane },
  setup() {
    const halls = ref([]);
    const hallId = ref(null);
    const tab = ref('status');
    onMounted(async () => {
      try {
        // the halls of the manager's region (the server refuses the others)
        const region = session.user.region_code || '';
        halls.value = ((await get('/api/v1/halls')).items || []).filter((h) => (h.region_code || '').startsWith(region));
        if (halls.value.length) hallId.value = halls.value[0].id;
      } catch (err) {
        showError(err);
      }
    });
    const hall = computed(() => halls.value.find((h) => h.id === hallId.value) || null);
    return { halls, hallId, hall, tab };
  },
  template: `
  <div>
    <div class="admin-title-row">
      <h1 class="page-title">智能大厅</h1>
      <el-select v-model="hallId" style="width:280px" data-test="hall-select">
        <el-option v-for="h in halls" :key="h.id" :value="h.id" :label="h.name" /></el-select>
      <template v-if="hall">
        <el-button tag="a" :href="'/hall/' + hall.id + '/board'" target="_blank">叫号大屏</el-button>
        <el-button tag="a" :href="'/hall/' + hall.id + '/kiosk'" target="_blank">取号机</el-button>
      </template>
    </div>
    <el-card v-if="hall" shadow="never" class="panel">
      <el-tabs v-model="tab">
        <el-tab-pane name="status"><template #label><span data-test="tab-status">实时状态</span></template><status-pane v-if="tab === 'status'" :hall-id="hall.id" /></el-tab-pane>
        <el-tab-pane name="queues"><template #label><span data-test="tab-queues">队列与窗口</span></template><queues-pane v-if="tab === 'queues'" :hall-id="hall.id" /></el-tab-pane>
        <el-tab-pane name="stats"><template #label><span data-test="tab-stats">统计分析</span></template><stats-pane v-if="tab === 'stats'" :hall-id="hall.id" :hall-name="hall.name" /></el-tab-pane>
        <el-tab-pane name="devices"><template #label><span data-test="tab-devices">设备管理</span></template><devices-pane v-if="tab === 'devices'" :hall-id="hall.id" /></el-tab-pane>
      </el-tabs>
    </el-card>
  </div>`,
};
