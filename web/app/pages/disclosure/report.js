// 政府信息公开工作年度报告 (docs/api.md "Disclosure annual report"): /admin/disclosure/report?year=&dept_id=
// shows the organ's report as stored on the server (GET /api/v1/disclosure/reports/{year}: the saved
// draft, or the one the server drafts from the records) — its six sections with tables 二, 三 and 四 in
// the layout of the 2021 template (国办公开办函〔2021〕30号) and the cross-checks — lets the officer edit
// the preface and the narrative and save them (PUT), enter table 二's figures the records cannot know,
// download the XLSX, print it on A4 (/admin/disclosure/report/print) and publish it (POST .../publish:
// a proactive-disclosure document of category 政府信息公开年报 with the text and the XLSX attached, sent
// to 保密审查; a second officer's review publishes it). Under review or published it is read only. The
// centre without an organ edits and publishes the whole government's report (本级政府) through an organ
// it names.
import { get, put, post, buildQuery } from '../../api.js';
import { session, can } from '../../store.js';
import { route, navigate, href } from '../../router.js';
import { showError, viewport } from '../../util.js';
import { thisYear } from './common.js';

const { ref, reactive, computed, watch, onMounted } = Vue;

// Table 三's rows flattened in the template's order, each with its depth and numbering.
export function table3Rows(t) {
  const out = [];
  const walk = (rows, depth) => {
    for (const r of rows) {
      out.push({ ...r, depth });
      if (r.rows) walk(r.rows, depth + 1);
    }
  };
  walk(t.rows, 0);
  return out;
}

const Table2 = {
  name: 'Table2',
  props: { t: Object },
  template: `
  <table class="doc-table gk-rt" data-test="report-table2">
    <template v-for="s in t.sections" :key="s.key">
      <thead><tr><th colspan="4" class="gk-rt-sec">{{ s.label }}</th></tr>
        <tr><th>信息内容</th><th v-for="c in s.columns" :key="c.key" :colspan="s.columns.length === 1 ? 3 : 1">{{ c.label }}</th></tr></thead>
      <tbody><tr v-for="r in s.rows" :key="r.key" :data-test="'t2-' + r.key">
        <td>{{ r.label }}</td><td v-for="c in s.columns" :key="c.key" class="num" :colspan="s.columns.length === 1 ? 3 : 1">{{ r.values[c.key] }}</td>
      </tr></tbody>
    </template>
  </table>`,
};

const Table3 = {
  name: 'Table3',
  props: { t: Object },
  setup(props) {
    const rows = computed(() => table3Rows(props.t));
    const orgCols = computed(() => props.t.columns.filter((c) => c.group));
    const person = computed(() => props.t.columns.find((c) => c.key === 'person'));
    const total = computed(() => props.t.columns.find((c) => c.key === 'total'));
    return { rows, orgCols, person, total };
  },
  template: `
  <div class="table-scroll">
  <table class="doc-table gk-rt" data-test="report-table3">
    <thead>
      <tr><th rowspan="3" colspan="2">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th><th :colspan="t.columns.length">申请人情况</th></tr>
      <tr><th rowspan="2">{{ person.label }}</th><th :colspan="orgCols.length">{{ orgCols[0].group }}</th><th rowspan="2">{{ total.label }}</th></tr>
      <tr><th v-for="c in orgCols" :key="c.key">{{ c.label }}</th></tr>
    </thead>
    <tbody>
      <tr v-for="r in rows" :key="r.key" :class="'d' + r.depth" :data-test="'t3-' + r.key">
        <td class="gk-rt-no">{{ r.no }}</td>
        <td class="gk-rt-label" :style="{ paddingLeft: 6 + r.depth * 14 + 'px' }">{{ r.label }}</td>
        <template v-if="r.values"><td v-for="c in t.columns" :key="c.key" class="num" :data-test="'t3-' + r.key + '-' + c.key">{{ r.values[c.key] }}</td></template>
        <td v-else :colspan="t.columns.length"></td>
      </tr>
    </tbody>
  </table>
  </div>`,
};

// Table 四 as the template has it: one line, 行政复议 then 行政诉讼's two kinds, five columns each.
const Table4 = {
  name: 'Table4',
  props: { t: Object },
  setup(props) {
    const suits = computed(() => props.t.rows.filter((r) => r.group === '行政诉讼'));
    return { suits };
  },
  template: `
  <div class="table-scroll">
  <table class="doc-table gk-rt" data-test="report-table4">
    <thead>
      <tr><th :colspan="t.columns.length" rowspan="2">行政复议</th><th :colspan="t.columns.length * suits.length">行政诉讼</th></tr>
      <tr><th v-for="r in suits" :key="r.key" :colspan="t.columns.length">{{ r.label }}</th></tr>
      <tr><template v-for="r in t.rows" :key="r.key"><th v-for="c in t.columns" :key="c.key">{{ c.label }}</th></template></tr>
    </thead>
    <tbody><tr><template v-for="r in t.rows" :key="r.key"><td v-for="c in t.columns" :key="c.key" class="num" :data-test="'t4-' + r.key + '-' + c.key">{{ r.values[c.key] }}</td></template></tr></tbody>
  </table>
  </div>`,
};

// The report, on screen with its text areas (editable) or as printed.
const ReportDoc = {
  name: 'ReportDoc',
  components: { Table2, Table3, Table4 },
  props: { rep: Object, texts: Object, editable: Boolean, errors: { type: Object, default: () => ({}) } },
  setup() {
    const paras = (s) => String(s || '').split('\n').filter((x) => x.trim());
    return { paras };
  },
  template: `
  <div class="gk-report" data-test="report-doc">
    <h1 class="gk-report-title" data-test="report-title">{{ rep.title }}</h1>
    <el-input v-if="editable" v-model="texts.preface" type="textarea" :autosize="{ minRows: 2, maxRows: 8 }" placeholder="前言（可选）" data-test="report-text-preface" />
    <p v-else-if="texts.preface" class="gk-para">{{ texts.preface }}</p>
    <div v-if="errors.preface" class="cell-error">{{ errors.preface }}</div>
    <section v-for="s in rep.sections" :key="s.key" class="gk-report-sec" :data-test="'report-sec-' + s.key">
      <h3>{{ s.no }}、{{ s.title }}</h3>
      <template v-if="editable">
        <el-input v-model="texts[s.key]" type="textarea" :autosize="{ minRows: 3, maxRows: 16 }" :data-test="'report-text-' + s.key" />
        <div v-if="errors[s.key]" class="cell-error" :data-test="'report-error-' + s.key">{{ errors[s.key] }}</div>
        <ul v-if="s.todo && s.todo.length" class="gk-todo muted small"><li v-for="(x, i) in s.todo" :key="i">待补充：{{ x }}</li></ul>
      </template>
      <p v-else v-for="(p, i) in paras(texts[s.key])" :key="i" class="gk-para">{{ p }}</p>
      <table2 v-if="s.table === 'table2'" :t="rep.table2" />
      <table3 v-if="s.table === 'table3'" :t="rep.table3" />
      <table4 v-if="s.table === 'table4'" :t="rep.table4" />
    </section>
  </div>`,
};

const STATE_TAGS = { new: 'info', draft: 'warning', review: 'warning', published: 'success', withdrawn: 'danger' };

// The stored report of the year for the organ (or, for the centre without one, the whole government).
function useReport() {
  const view = ref(null); // {dept_id, year, state, state_label, document_id, updated_at, updated_by_name, report}
  const rep = computed(() => view.value && view.value.report);
  const error = ref('');
  const loading = ref(false);
  const texts = reactive({});
  const year = computed(() => Number(route.query.year) || thisYear() - 1);
  const dept = computed(() => (can('disclosure.config') ? route.query.dept_id || '' : (session.user && session.user.dept_id) || ''));
  const url = computed(() => `/api/v1/disclosure/reports/${year.value}`);
  const editable = computed(() => !!view.value && (view.value.state === 'new' || view.value.state === 'draft'));
  // the texts as the server has them: what "edited" compares against
  const savedTexts = (v) => Object.fromEntries([['preface', v.report.preface || ''], ...v.report.sections.map((s) => [s.key, s.text || ''])]);
  const dirty = computed(() => {
    if (!view.value) return false;
    const saved = savedTexts(view.value);
    return Object.keys(saved).some((k) => texts[k] !== saved[k]);
  });
  function show(v) {
    view.value = v;
    Object.assign(texts, savedTexts(v));
  }
  async function load() {
    loading.value = true;
    error.value = '';
    try {
      show(await get(url.value, { dept_id: dept.value }));
    } catch (err) {
      view.value = null;
      error.value = err.message || '年度报告生成失败';
    } finally {
      loading.value = false;
    }
  }
  // PUT the preface and every section's text: the server generates the figures again and keeps these
  const sentKeys = ref([]); // the sections of the last save, in order: the server names them by index
  async function save() {
    const v = view.value;
    // every section with text, and any the officer emptied (the server names it: a section is never empty)
    const body = { preface: texts.preface || '',
      sections: v.report.sections.filter((s) => (texts[s.key] || '') !== '' || (s.text || '') !== '').map((s) => ({ key: s.key, text: texts[s.key] || '' })) };
    sentKeys.value = body.sections.map((x) => x.key);
    show(await put(url.value + buildQuery({ dept_id: dept.value }), body));
  }
  watch([year, dept], load, { immediate: true });
  return { view, rep, error, loading, texts, year, dept, url, editable, dirty, load, save, show, sentKeys };
}

export const AnnualReportPage = {
  name: 'AnnualReportPage',
  components: { ReportDoc },
  setup() {
    const r = useReport();
    const centre = computed(() => can('disclosure.config'));
    const organs = ref([]);
    const picked = reactive({ year: r.year.value, dept: r.dept.value ? Number(r.dept.value) : '' });
    const years = Array.from({ length: 8 }, (_, i) => thisYear() - i);
    const figures = reactive({ penalty: null, coercion: null, fee_yuan: null });
    const figErrors = ref({});
    const fieldErrors = ref({});
    const busy = ref(false);
    const doc = ref(null); // the report's document (GET /documents/{id}), once it has one
    const publisher = ref(''); // the whole government's: the organ publishing it
    const whole = computed(() => !r.dept.value);

    onMounted(async () => {
      document.title = '政府信息公开工作年度报告';
      organs.value = (await get('/api/v1/disclosure/organs').catch(() => ({ items: [] }))).items || [];
    });
    function pick() {
      navigate(href('/admin/disclosure/report', { year: picked.year, dept_id: centre.value ? picked.dept : '' }));
    }
    // leaving with unsaved text asks first
    const beforeUnload = (e) => {
      if (r.dirty.value) e.preventDefault();
    };
    onMounted(() => window.addEventListener('beforeunload', beforeUnload));
    Vue.onBeforeUnmount(() => window.removeEventListener('beforeunload', beforeUnload));

    async function loadFigures() {
      if (!r.dept.value) return;
      try {
        const f = (await get('/api/v1/disclosure/figures', { dept_id: r.dept.value, year: r.year.value })).figures || {};
        figures.penalty = f.penalty ?? null;
        figures.coercion = f.coercion ?? null;
        figures.fee_yuan = f.fee_amount == null ? null : f.fee_amount / 100;
      } catch {
        // the report still shows; the figures form starts empty
      }
    }
    watch([r.year, r.dept], loadFigures, { immediate: true });
    async function loadDoc() {
      const id = r.view.value && r.view.value.document_id;
      doc.value = id ? await get('/api/v1/disclosure/documents/' + id).catch(() => null) : null;
    }
    watch(() => r.view.value && r.view.value.document_id, loadDoc);

    function fail(err) {
      fieldErrors.value = Object.fromEntries(Object.entries(err.fields || {}).map(([k, v]) => [k.replace(/^sections\.(\d+)\.text$/, (m, i) => r.sentKeys.value[i] || m), v]));
      showError(err);
    }
    async function save(quiet) {
      fieldErrors.value = {};
      busy.value = true;
      try {
        await r.save();
        if (!quiet) ElementPlus.ElMessage.success('年度报告已保存');
        return true;
      } catch (err) {
        fail(err);
        return false;
      } finally {
        busy.value = false;
      }
    }
    // 恢复系统草稿: the texts the server drafts from the records (saved only when the officer saves)
    async function restore() {
      try {
        const gen = await get('/api/v1/disclosure/report', { year: r.year.value, dept_id: r.dept.value });
        r.texts.preface = gen.preface || '';
        for (const s of gen.sections) r.texts[s.key] = s.text || '';
        ElementPlus.ElMessage.info('已恢复系统草稿，保存后生效');
      } catch (err) {
        showError(err);
      }
    }

    async function saveFigures() {
      figErrors.value = {};
      busy.value = true;
      try {
        // only the figures filled in (the API takes numbers; an empty box is "not entered")
        const f = { penalty: figures.penalty, coercion: figures.coercion,
          fee_amount: figures.fee_yuan == null ? null : Math.round(figures.fee_yuan * 100) };
        await put('/api/v1/disclosure/figures', { dept_id: Number(r.dept.value), year: r.year.value,
          figures: Object.fromEntries(Object.entries(f).filter(([, v]) => v != null)) });
        // a saved draft takes the new figures when saved again (with the texts on screen); an
        // unsaved one is generated again
        if (r.view.value.state === 'draft') await r.save();
        else await r.load();
        ElementPlus.ElMessage.success('表二数据已保存，报告已重新生成');
      } catch (err) {
        figErrors.value = Object.fromEntries(Object.entries(err.fields || {}).map(([k, v]) => [k.replace(/^figures\./, ''), v]));
        showError(err);
      } finally {
        busy.value = false;
      }
    }

    const xlsxUrl = computed(() => href(r.url.value, { dept_id: r.dept.value, format: 'xlsx' }));
    const failed = computed(() => (r.rep.value ? r.rep.value.checks.filter((c) => !c.ok) : []));
    const state = computed(() => (r.view.value ? r.view.value.state : ''));

    // 发布: the text on screen saved, then the server makes (or revises) the document, attaches the
    // XLSX and sends it to 保密审查. Publication itself is the reviewer's (never the author).
    async function publish() {
      if (whole.value && !r.view.value.document_id && !publisher.value) {
        fieldErrors.value = { publisher_dept_id: '请选择代表本级政府发布年度报告的机关' };
        return ElementPlus.ElMessage.error('请选择发布机关');
      }
      try {
        await ElementPlus.ElMessageBox.confirm('将以当前的文字生成“政府信息公开年报”主动公开文件（正文含表格，附 XLSX），并提交保密审查；审查通过后发布，发布后不能再修改。',
          '发布年度报告', { type: 'info', confirmButtonText: '提交保密审查', cancelButtonText: '取消' });
      } catch {
        return;
      }
      if ((r.dirty.value || state.value === 'new') && !(await save(true))) return;
      fieldErrors.value = {};
      busy.value = true;
      try {
        const body = whole.value && publisher.value ? { publisher_dept_id: Number(publisher.value) } : {};
        r.show(await post(`${r.url.value}/publish` + buildQuery({ dept_id: r.dept.value }), body));
        ElementPlus.ElMessage.success('已提交保密审查，审查通过后发布到主动公开目录');
      } catch (err) {
        fail(err);
      } finally {
        busy.value = false;
      }
    }
    return { ...r, centre, organs, picked, years, pick, restore, figures, figErrors, fieldErrors, saveFigures, busy, doc,
      state, STATE_TAGS, whole, publisher, xlsxUrl, failed, publish, save, href, viewport };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head">
      <h2>年度报告</h2>
      <div class="gk-report-pick">
        <el-select v-model="picked.year" style="width:110px" @change="pick" data-test="report-year">
          <el-option v-for="y in years" :key="y" :label="y + '年'" :value="y" />
        </el-select>
        <el-select v-if="centre" v-model="picked.dept" filterable placeholder="本级政府（全市）" style="width:220px" @change="pick" data-test="report-organ">
          <el-option label="本级政府（全市）" value="" />
          <el-option v-for="o in organs" :key="o.dept_id" :label="o.name" :value="o.dept_id" />
        </el-select>
      </div>
    </div>
    <el-alert v-if="error" type="error" :title="error" :closable="false" show-icon />
    <div v-else-if="rep" v-loading="loading">
      <el-card shadow="never" class="panel">
        <div class="gk-report-state">
          <el-tag :type="STATE_TAGS[state]" effect="dark" data-test="report-state">{{ view.state_label }}</el-tag>
          <span v-if="view.updated_at" class="muted small" data-test="report-saved">{{ view.updated_by_name }} 于 {{ new Date(view.updated_at * 1000).toLocaleString('zh-CN', { hour12: false }) }} 保存</span>
          <el-tag v-if="editable && dirty" type="danger" size="small" data-test="report-dirty">有未保存的修改</el-tag>
        </div>
        <div class="action-buttons">
          <el-button v-if="editable" type="primary" plain :loading="busy" :disabled="!dirty && state !== 'new'" @click="save()" data-test="report-save">保存草稿</el-button>
          <el-button tag="a" :href="xlsxUrl" download data-test="report-xlsx"><el-icon><Download /></el-icon>&nbsp;下载表格（XLSX）</el-button>
          <el-button tag="a" :href="href('/admin/disclosure/report/print', { year, dept_id: dept })" data-test="report-print"><el-icon><Printer /></el-icon>&nbsp;打印预览（A4）</el-button>
          <el-button v-if="editable" @click="restore" data-test="report-restore">恢复系统草稿</el-button>
          <el-select v-if="editable && whole && !view.document_id" v-model="publisher" filterable placeholder="发布机关（代表本级政府）" style="width:220px" data-test="report-publisher">
            <el-option v-for="o in organs" :key="o.dept_id" :label="o.name" :value="o.dept_id" />
          </el-select>
          <el-button v-if="editable" type="primary" :loading="busy" :disabled="failed.length > 0" @click="publish" data-test="report-publish">发布（提交保密审查）</el-button>
        </div>
        <div v-if="fieldErrors.publisher_dept_id" class="cell-error" data-test="report-publisher-error">{{ fieldErrors.publisher_dept_id }}</div>
        <div class="muted small gk-report-note" data-test="report-publish-note">
          <template v-if="state === 'review'">报告已提交保密审查，请由起草人以外的工作人员在<a :href="'/admin/disclosure/documents/' + view.document_id">主动公开</a>中审查发布。</template>
          <template v-else-if="state === 'published'">报告已发布，不能再修改：<a :href="'/gongkai/doc/' + view.document_id" target="_blank" data-test="report-doc-link">{{ doc && doc.index_no ? doc.index_no : '查看主动公开文件' }}</a>。</template>
          <template v-else-if="state === 'withdrawn'">报告的主动公开文件已撤回。</template>
          <template v-else-if="failed.length">有 {{ failed.length }} 项校验未通过，请核对记录后再发布。</template>
          <template v-else-if="state === 'draft' && view.document_id">保密审查退回了报告，修改后可再次提交：<a :href="'/admin/disclosure/documents/' + view.document_id">查看审查意见</a>。</template>
          <template v-else>编辑的文字保存在服务器上；发布时生成“政府信息公开年报”主动公开文件（正文含表格，附 XLSX），经保密审查后发布。</template>
        </div>
      </el-card>
      <el-card shadow="never" class="panel" data-test="report-checks">
        <template #header><span class="panel-title">数据校验</span>
          <el-tag :type="failed.length ? 'danger' : 'success'" style="margin-left:8px" data-test="report-checks-summary">{{ failed.length ? failed.length + ' 项未通过' : '全部通过' }}</el-tag></template>
        <div v-for="c in rep.checks" :key="c.name" class="gk-check" :data-test="'check-' + c.name">
          <el-tag size="small" :type="c.ok ? 'success' : 'danger'" effect="dark">{{ c.ok ? '通过' : '未通过' }}</el-tag>
          <b>{{ c.label }}</b><span class="muted">{{ c.detail }}</span>
        </div>
      </el-card>
      <el-card v-if="dept && editable" shadow="never" class="panel" data-test="report-figures">
        <template #header><span class="panel-title">表二补充数据（记录中没有的数字）</span></template>
        <el-form :inline="!viewport.narrow" label-position="top">
          <el-form-item label="行政处罚决定（件）" :error="figErrors.penalty" data-test="fig-penalty"><el-input-number v-model="figures.penalty" :min="0" :max="10000000" /></el-form-item>
          <el-form-item label="行政强制决定（件）" :error="figErrors.coercion" data-test="fig-coercion"><el-input-number v-model="figures.coercion" :min="0" :max="10000000" /></el-form-item>
          <el-form-item label="行政事业性收费（元）" :error="figErrors.fee_amount" data-test="fig-fee"><el-input-number v-model="figures.fee_yuan" :min="0" :precision="2" :step="100" /></el-form-item>
          <el-form-item label=" "><el-button :loading="busy" @click="saveFigures" data-test="fig-save">保存并重新生成</el-button></el-form-item>
        </el-form>
        <div class="muted small">行政许可决定数取自办件系统的办结记录，无需填报。</div>
      </el-card>
      <el-card shadow="never" class="panel">
        <report-doc :rep="rep" :texts="texts" :editable="editable" :errors="fieldErrors" />
      </el-card>
    </div>
  </div>`,
};

export const AnnualReportPrintPage = {
  name: 'AnnualReportPrintPage',
  components: { ReportDoc },
  setup() {
    return { ...useReport(), print: () => window.print(), href };
  },
  template: `
  <div class="print-page">
    <div class="print-toolbar no-print">
      <el-button tag="a" :href="href('/admin/disclosure/report', { year, dept_id: dept })"><el-icon><Back /></el-icon>&nbsp;返回</el-button>
      <span class="print-toolbar-title">年度报告 · A4</span>
      <el-button type="primary" @click="print"><el-icon><Printer /></el-icon>&nbsp;打印</el-button>
    </div>
    <div class="a4 gk-report-a4">
      <div v-if="error" class="print-error">{{ error }}</div>
      <report-doc v-else-if="rep" :rep="rep" :texts="texts" />
    </div>
  </div>`,
};
