// 工作日历 /admin/calendar: the year's holiday overrides as 12 month grids (click a day to
// cycle 默认 → 休 → 班), the year's published flag and source, and a deadline calculator.
import { get, put } from '../../api.js';
import { isoDate, showError } from '../../util.js';

const { ref, reactive, computed, onMounted } = Vue;

const NEXT_KIND = { default: 'off', off: 'work', work: 'default' };
const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

// Cells of a month grid, Monday first; null pads the first week.
function monthCells(year, month) {
  const first = new Date(year, month, 1);
  const cells = Array((first.getDay() + 6) % 7).fill(null);
  for (let d = new Date(first); d.getMonth() === month; d.setDate(d.getDate() + 1)) {
    cells.push({ date: isoDate(d), day: d.getDate(), weekend: d.getDay() === 0 || d.getDay() === 6 });
  }
  return cells;
}

export default {
  name: 'CalendarPage',
  setup() {
    const year = ref(String(new Date().getFullYear()));
    const cal = reactive({ published: false, source: '', days: {} });
    const note = ref('');
    const loading = ref(false);
    const savingYear = ref(false);
    const calc = reactive({ from: isoDate(new Date()), workdays: 20, result: null, busy: false });
    const today = isoDate(new Date());

    const months = computed(() => Array.from({ length: 12 }, (_, m) => ({ month: m + 1, cells: monthCells(Number(year.value), m) })));
    const summary = computed(() => {
      const kinds = Object.values(cal.days).map((d) => d.kind);
      return { off: kinds.filter((k) => k === 'off').length, work: kinds.filter((k) => k === 'work').length };
    });

    async function load() {
      loading.value = true;
      try {
        const data = await get('/api/v1/calendar', { year: year.value });
        cal.published = !!data.published;
        cal.source = data.source || '';
        cal.days = Object.fromEntries((data.days || []).map((d) => [d.date, d]));
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }

    async function cycle(cell) {
      const current = (cal.days[cell.date] || {}).kind || 'default';
      const kind = NEXT_KIND[current];
      const body = { kind, note: kind === 'default' ? '' : note.value.trim() };
      try {
        await put('/api/v1/calendar/days/' + cell.date, body);
        if (kind === 'default') delete cal.days[cell.date];
        else cal.days[cell.date] = { date: cell.date, ...body };
      } catch (err) {
        showError(err);
      }
    }

    async function saveYear() {
      savingYear.value = true;
      try {
        await put('/api/v1/calendar/years/' + year.value, { published: cal.published, source: cal.source });
        ElementPlus.ElMessage.success(year.value + '年日历' + (cal.published ? '已发布' : '已保存'));
      } catch (err) {
        showError(err);
      } finally {
        savingYear.value = false;
      }
    }

    async function compute() {
      calc.busy = true;
      try {
        calc.result = await get('/api/v1/calendar/deadline', { from: calc.from, workdays: calc.workdays });
      } catch (err) {
        calc.result = null;
        showError(err);
      } finally {
        calc.busy = false;
      }
    }
    const weekday = (date) => '星期' + '日一二三四五六'[new Date(date + 'T00:00:00').getDay()];

    onMounted(load);
    return { year, cal, note, loading, savingYear, calc, today, months, summary, load, cycle, saveYear, compute, weekday, WEEKDAYS };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head"><h2>工作日历</h2>
      <el-date-picker v-model="year" type="year" value-format="YYYY" :clearable="false" style="width: 120px" @change="load" />
    </div>

    <el-row :gutter="16">
      <el-col :xs="24" :md="12">
        <el-card shadow="never" class="panel">
          <template #header><span class="panel-title">{{ year }}年放假安排</span></template>
          <el-form label-width="90px">
            <el-form-item label="发布状态">
              <el-switch v-model="cal.published" active-text="已发布" inactive-text="未发布" />
            </el-form-item>
            <el-form-item label="依据文件"><el-input v-model="cal.source" placeholder="如：国办发明电〔2025〕7号" /></el-form-item>
            <el-form-item>
              <el-button type="primary" :loading="savingYear" @click="saveYear">保存</el-button>
              <span class="muted cal-summary">放假 {{ summary.off }} 天 · 调休上班 {{ summary.work }} 天</span>
            </el-form-item>
          </el-form>
          <el-alert v-if="!cal.published" type="warning" :closable="false" show-icon
                    title="本年度放假安排尚未发布：跨入本年的期限将被标记为“超出已发布日历”。" />
        </el-card>
      </el-col>
      <el-col :xs="24" :md="12">
        <el-card shadow="never" class="panel">
          <template #header><span class="panel-title">期限计算器</span></template>
          <el-form label-width="90px">
            <el-form-item label="起算日期"><el-date-picker v-model="calc.from" type="date" value-format="YYYY-MM-DD" :clearable="false" /></el-form-item>
            <el-form-item label="工作日数"><el-input-number v-model="calc.workdays" :min="0" :max="3650" /></el-form-item>
            <el-form-item><el-button type="primary" :loading="calc.busy" @click="compute">计算到期日</el-button></el-form-item>
          </el-form>
          <div v-if="calc.result" class="calc-result">
            到期日：<b>{{ calc.result.date }}</b>（{{ weekday(calc.result.date) }}）
            <el-alert v-if="calc.result.beyond_published" type="warning" :closable="false" show-icon class="editor-alert"
                      title="期限超出已发布的放假安排，结果按常规周末推算，国务院发布新安排后可能变化。" />
          </div>
          <p class="muted small">起算日当天不计入，自次日起按工作日计算（周一至周五，扣除法定节假日，计入调休上班日）。</p>
        </el-card>
      </el-col>
    </el-row>

    <el-card shadow="never" class="panel" v-loading="loading">
      <template #header>
        <div class="panel-head-row">
          <span class="panel-title">日历（点击日期切换：常规 → 休 → 班 → 常规）</span>
          <el-input v-model="note" placeholder="备注，如：春节" clearable style="width: 200px" />
        </div>
      </template>
      <div class="cal-legend">
        <span><i class="cal-dot off"></i>放假（休）</span><span><i class="cal-dot work"></i>调休上班（班）</span>
        <span><i class="cal-dot weekend"></i>周末</span><span><i class="cal-dot"></i>工作日</span>
      </div>
      <el-row :gutter="12">
        <el-col v-for="m in months" :key="m.month" :xs="24" :sm="12" :md="8" :lg="6">
          <div class="cal-month">
            <div class="cal-month-title">{{ m.month }}月</div>
            <div class="cal-grid">
              <div v-for="w in WEEKDAYS" :key="w" class="cal-wd">{{ w }}</div>
              <template v-for="(c, i) in m.cells" :key="i">
                <div v-if="!c" class="cal-cell empty"></div>
                <button v-else type="button" class="cal-cell"
                        :class="[cal.days[c.date] ? cal.days[c.date].kind : (c.weekend ? 'weekend' : ''), { today: c.date === today }]"
                        :title="c.date + (cal.days[c.date] && cal.days[c.date].note ? ' ' + cal.days[c.date].note : '')"
                        @click="cycle(c)">
                  <span class="cal-day">{{ c.day }}</span>
                  <span v-if="cal.days[c.date]" class="cal-badge">{{ cal.days[c.date].kind === 'off' ? '休' : '班' }}</span>
                </button>
              </template>
            </div>
          </div>
        </el-col>
      </el-row>
    </el-card>
  </div>`,
};
