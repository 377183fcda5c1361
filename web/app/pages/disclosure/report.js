// 政府信息公开工作年度报告 (docs/api.md "Disclosure annual report"): /admin/disclosure/report?year=&dept_id=
// shows the report the server drafts from the records — its six sections with tables 二, 三 and 四 in
// the layout of the 2021 template (国办公开办函〔2021〕30号) and the cross-checks — lets the officer edit
// the narrative (kept in this browser until published), enter table 二's figures the records cannot
// know, download the XLSX, print it on A4 (/admin/disclosure/report/print) and publish it as a
// proactive-disclosure document (category 政府信息公开年报: a draft with the text and the XLSX
// attached, sent to 保密审查; a second officer's review publishes it).
import { get, put, post, uploadFile } from '../../api.js';
import { session, can } from '../../store.js';
import { route, navigate, href } from '../../router.js';
import { showError, viewport } from '../../util.js';
import { localDraft, thisYear } from './common.js';

const { ref, reactive, computed, watch, onMounted } = Vue;

const num = (v) => (v == null ? '—' : String(v));

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

// Plain text of the tables, for the published document's body (its XLSX is attached too).
function tablesText(rep) {
  const lines = [];
  const t2 = rep.table2;
  lines.push('表二　' + t2.title);
  for (const s of t2.sections) {
    for (const r of s.rows) lines.push(`${s.label}　${r.label}：` + s.columns.map((c) => `${c.label}${num(r.values[c.key])}`).join('，'));
  }
  const t3 = rep.table3;
  lines.push('', '表三　' + t3.title);
  for (const r of table3Rows(t3)) {
    const name = `${r.no || ''}${r.no && r.depth === 0 ? '、' : ''}${r.label}`;
    lines.push(r.values ? `${name}：` + t3.columns.map((c) => `${c.label}${num(r.values[c.key])}`).join('，') : name);
  }
  const t4 = rep.table4;
  lines.push('', '表四　' + t4.title);
  for (const r of t4.rows) lines.push(`${r.group && r.group !== r.label ? r.group + '（' + r.label + '）' : r.label}：` + t4.columns.map((c) => `${c.label}${num(r.values[c.key])}`).join('，'));
  return lines.join('\n');
}

// The whole report as the document's body: preface, the six sections with their tables.
export function reportText(rep, texts) {
  const parts = [rep.preface];
  for (const s of rep.sections) {
    parts.push(`${s.no}、${s.title}`, texts[s.key] ?? s.text);
    if (s.table === 'table2' || s.table === 'table3' || s.table === 'table4') {
      const all = tablesText(rep).split('\n\n');
      parts.push({ table2: all[0], table3: all[1], table4: all[2] }[s.table]);
    }
  }
  return parts.filter((x) => x != null && x !== '').join('\n\n');
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
  props: { rep: Object, texts: Object, editable: Boolean },
  setup() {
    const paras = (s) => String(s || '').split('\n').filter((x) => x.trim());
    return { paras };
  },
  template: `
  <div class="gk-report" data-test="report-doc">
    <h1 class="gk-report-title" data-test="report-title">{{ rep.title }}</h1>
    <p class="gk-para">{{ rep.preface }}</p>
    <section v-for="s in rep.sections" :key="s.key" class="gk-report-sec" :data-test="'report-sec-' + s.key">
      <h3>{{ s.no }}、{{ s.title }}</h3>
      <template v-if="editable">
        <el-input v-model="texts[s.key]" type="textarea" :autosize="{ minRows: 3, maxRows: 16 }" :data-test="'report-text-' + s.key" />
        <ul v-if="s.todo && s.todo.length" class="gk-todo muted small"><li v-for="(x, i) in s.todo" :key="i">待补充：{{ x }}</li></ul>
      </template>
      <p v-else v-for="(p, i) in paras(texts[s.key])" :key="i" class="gk-para">{{ p }}</p>
      <table2 v-if="s.table === 'table2'" :t="rep.table2" />
      <table3 v-if="s.table === 'table3'" :t="rep.table3" />
      <table4 v-if="s.table === 'table4'" :t="rep.table4" />
    </section>
  </div>`,
};

function useReport() {
  const rep = ref(null);
  const error = ref('');
  const loading = ref(false);
  const texts = reactive({});
  const year = computed(() => Number(route.query.year) || thisYear() - 1);
  const dept = computed(() => (can('disclosure.config') ? route.query.dept_id || '' : (session.user && session.user.dept_id) || ''));
  const store = computed(() => localDraft(`yw.disclosure.report.${session.user && session.user.id}.${dept.value || 'all'}.${year.value}`));
  const edited = ref(false);
  async function load() {
    loading.value = true;
    error.value = '';
    try {
      rep.value = await get('/api/v1/disclosure/report', { year: year.value, dept_id: dept.value });
      const saved = store.value.load() || {};
      edited.value = false;
      for (const s of rep.value.sections) {
        texts[s.key] = typeof saved[s.key] === 'string' ? saved[s.key] : s.text;
        if (typeof saved[s.key] === 'string' && saved[s.key] !== s.text) edited.value = true;
      }
    } catch (err) {
      rep.value = null;
      error.value = err.message || '年度报告生成失败';
    } finally {
      loading.value = false;
    }
  }
  watch([year, dept], load, { immediate: true });
  return { rep, error, loading, texts, year, dept, store, edited, load };
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
    const busy = ref(false);
    const published = ref(null); // the report's document, when one exists
    const cats = ref([]);

    onMounted(async () => {
      document.title = '政府信息公开工作年度报告';
      const [o, c] = await Promise.all([get('/api/v1/disclosure/organs').catch(() => ({ items: [] })),
        get('/api/v1/disclosure/categories').catch(() => ({ items: [] }))]);
      organs.value = o.items || [];
      cats.value = c.items || [];
    });
    function pick() {
      navigate(href('/admin/disclosure/report', { year: picked.year, dept_id: centre.value ? picked.dept : '' }));
    }
    // edits survive a reload (this browser) until the report is published
    watch(r.texts, (t) => {
      if (!r.rep.value) return;
      r.store.value.save({ ...t });
      r.edited.value = r.rep.value.sections.some((s) => t[s.key] !== s.text);
    }, { deep: true });
    function restore() {
      for (const s of r.rep.value.sections) r.texts[s.key] = s.text;
      r.store.value.clear();
      r.edited.value = false;
    }

    async function loadFigures() {
      published.value = null;
      if (!r.dept.value) return;
      try {
        const f = (await get('/api/v1/disclosure/figures', { dept_id: r.dept.value, year: r.year.value })).figures || {};
        figures.penalty = f.penalty ?? null;
        figures.coercion = f.coercion ?? null;
        figures.fee_yuan = f.fee_amount == null ? null : f.fee_amount / 100;
      } catch {
        // the report still shows; the figures form starts empty
      }
      await findDocument();
    }
    watch([r.year, r.dept], loadFigures, { immediate: true });
    async function saveFigures() {
      figErrors.value = {};
      busy.value = true;
      try {
        // only the figures filled in (the API takes numbers; an empty box is "not entered")
        const f = { penalty: figures.penalty, coercion: figures.coercion,
          fee_amount: figures.fee_yuan == null ? null : Math.round(figures.fee_yuan * 100) };
        await put('/api/v1/disclosure/figures', { dept_id: Number(r.dept.value), year: r.year.value,
          figures: Object.fromEntries(Object.entries(f).filter(([, v]) => v != null)) });
        ElementPlus.ElMessage.success('表二数据已保存，报告已重新生成');
        await r.load();
      } catch (err) {
        figErrors.value = Object.fromEntries(Object.entries(err.fields || {}).map(([k, v]) => [k.replace(/^figures\./, ''), v]));
        showError(err);
      } finally {
        busy.value = false;
      }
    }

    const category = computed(() => cats.value.find((c) => c.code === 'annual_report'));
    // The report's document: one of the organ's in category 政府信息公开年报 with the report's title.
    async function findDocument() {
      if (!r.rep.value || !r.dept.value) return;
      try {
        const list = (await get('/api/v1/disclosure/manage/documents', { q: r.rep.value.title, page_size: 20 })).items || [];
        const hit = list.find((d) => d.title === r.rep.value.title && String(d.dept_id) === String(r.dept.value));
        published.value = hit ? await get('/api/v1/disclosure/documents/' + hit.id) : null;
      } catch {
        published.value = null;
      }
    }
    watch(r.rep, findDocument);
    const docState = computed(() => {
      const d = published.value;
      if (!d) return '';
      if (d.working) return d.working.state;
      return d.published ? 'published' : '';
    });
    const xlsxUrl = computed(() => href('/api/v1/disclosure/report', { year: r.year.value, dept_id: r.dept.value, format: 'xlsx' }));
    const failed = computed(() => (r.rep.value ? r.rep.value.checks.filter((c) => !c.ok) : []));

    // 发布: the XLSX uploaded as the attachment, the document drafted (or its next version), then
    // sent to 保密审查. Publication itself is the reviewer's (docs/api.md: never the author).
    async function publish() {
      const rep = r.rep.value;
      if (!category.value) return ElementPlus.ElMessage.error('缺少“政府信息公开年报”分类，请联系中心管理员');
      try {
        await ElementPlus.ElMessageBox.confirm(failed.value.length ? `有 ${failed.value.length} 项校验未通过，仍要提交吗？` : '将以当前编辑的文字生成主动公开文件（附表格 XLSX），并提交保密审查；审查通过后发布。',
          '发布年度报告', { type: failed.value.length ? 'warning' : 'info', confirmButtonText: '提交保密审查', cancelButtonText: '取消' });
      } catch {
        return;
      }
      busy.value = true;
      let noUpload = false;
      try {
        const res = await fetch(xlsxUrl.value, { credentials: 'same-origin' });
        if (!res.ok) throw new Error('表格下载失败（' + res.status + '）');
        const blob = await res.blob();
        // The tables are in the body as text either way; the XLSX goes along when this account
        // may upload files (POST /api/v1/files).
        let attachments = [];
        try {
          attachments = [(await uploadFile(new File([blob], `${rep.title}.xlsx`, { type: blob.type }))).id];
        } catch (err) {
          if (err.status !== 403) throw err;
          noUpload = true;
        }
        const body = { category_id: category.value.id, title: rep.title, publisher: rep.organ, topic: '政府信息公开年报', kind: 'other',
          body: reportText(rep, r.texts), attachments };
        let doc = published.value;
        if (doc) doc = await put('/api/v1/disclosure/documents/' + doc.id, body);
        else doc = await post('/api/v1/disclosure/documents', { ...body, dept_id: Number(r.dept.value) });
        published.value = await post(`/api/v1/disclosure/documents/${doc.id}/submit`, {});
        r.store.value.clear();
        if (noUpload) ElementPlus.ElMessage.warning('已提交保密审查；当前账号不能上传附件，表格已写入正文，XLSX 未能附上');
        else ElementPlus.ElMessage.success('已提交保密审查，审查通过后发布到主动公开目录');
      } catch (err) {
        showError(err);
      } finally {
        busy.value = false;
      }
    }
    return { ...r, centre, organs, picked, years, pick, restore, figures, figErrors, saveFigures, busy, published, docState,
      xlsxUrl, failed, publish, category, href, viewport };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head">
      <h2>年度报告</h2>
      <div class="gk-report-pick">
        <el-select v-model="picked.year" style="width:110px" @change="pick" data-test="report-year">
          <el-option v-for="y in years" :key="y" :label="y + '年'" :value="y" />
        </el-select>
        <el-select v-if="centre" v-model="picked.dept" filterable placeholder="全市（各机关合计）" style="width:220px" @change="pick" data-test="report-organ">
          <el-option label="全市（各机关合计）" value="" />
          <el-option v-for="o in organs" :key="o.dept_id" :label="o.name" :value="o.dept_id" />
        </el-select>
      </div>
    </div>
    <el-alert v-if="error" type="error" :title="error" :closable="false" show-icon />
    <div v-else-if="rep" v-loading="loading">
      <el-card shadow="never" class="panel">
        <div class="action-buttons">
          <el-button tag="a" :href="xlsxUrl" download data-test="report-xlsx"><el-icon><Download /></el-icon>&nbsp;下载表格（XLSX）</el-button>
          <el-button tag="a" :href="href('/admin/disclosure/report/print', { year, dept_id: dept })" data-test="report-print"><el-icon><Printer /></el-icon>&nbsp;打印预览（A4）</el-button>
          <el-button v-if="edited" @click="restore" data-test="report-restore">恢复系统草稿</el-button>
          <el-button type="primary" :loading="busy" :disabled="!dept || docState === 'review'" @click="publish" data-test="report-publish">
            {{ docState === 'published' ? '修订并重新提交审查' : '发布（提交保密审查）' }}</el-button>
        </div>
        <div class="muted small gk-report-note" data-test="report-publish-note">
          <template v-if="!dept">全市汇总报告不属于某一机关的文件，请选择机关后发布各机关的报告。</template>
          <template v-else-if="docState === 'review'">报告已提交保密审查，请由起草人以外的工作人员在<a :href="'/admin/disclosure/documents/' + published.id">主动公开</a>中审查发布。</template>
          <template v-else-if="docState === 'published'">报告已发布：<a :href="'/gongkai/doc/' + published.id" target="_blank" data-test="report-doc-link">{{ published.index_no }}</a>。</template>
          <template v-else-if="docState === 'draft'">报告已存为草稿：<a :href="'/admin/disclosure/documents/' + published.id">查看</a>。</template>
          <template v-else>编辑的文字暂存在本浏览器中；发布时生成“政府信息公开年报”主动公开文件（正文含表格，附 XLSX），经保密审查后发布。</template>
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
      <el-card v-if="dept" shadow="never" class="panel" data-test="report-figures">
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
        <report-doc :rep="rep" :texts="texts" editable />
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
