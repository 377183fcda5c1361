// /guide/{code}: the 办事指南 (full and 简版), and its printable forms: /guide/{code}/print
// (A4 guide) and /guide/{code}/checklist (一次性告知单).
import { get } from '../api.js';
import { label, session, hasRole } from '../store.js';
import { route, href } from '../router.js';
import { GuideDoc, GuideBrief } from '../components.js';
import { fmtTime } from '../util.js';

const { ref, computed, onMounted } = Vue;

function useGuide() {
  const code = route.params.code;
  const item = ref(null);
  const error = ref('');
  const qr = '/api/v1/items/' + encodeURIComponent(code) + '/qr.svg';
  onMounted(async () => {
    try {
      item.value = await get('/api/v1/items/' + encodeURIComponent(code));
      document.title = item.value.name + ' · 办事指南';
    } catch (err) {
      error.value = err.status === 404 ? '该事项不存在或已停止办理' : err.message;
    }
  });
  return { code, item, error, qr };
}

// The 文号 and titles an item's 设定依据 cites: 《title》, and numbers such as 国发〔2014〕25号 or
// 公安部令第162号 (brackets written [ ] ［ ］ ( ) are read as 〔 〕, as the catalogue writes them).
export function basisRefs(basis) {
  const text = String(basis || '').replace(/[[［(（](\d{4})[\]］)）]/g, '〔$1〕');
  const refs = new Set();
  for (const m of text.matchAll(/《([^《》]{2,100})》/g)) refs.add(m[1].trim());
  for (const m of text.matchAll(/[\u4e00-\u9fa5]{1,20}(?:〔\d{4}〕\d{1,5}号|令第\d{1,5}号)/g)) refs.add(m[0]);
  return [...refs].slice(0, 20);
}

// The published policy documents (政策文件) of the 主动公开目录 that the 设定依据 cites, looked up by
// the disclosure module's public /lookup (the catalogue itself reads no disclosure records).
function usePolicyDocs(item) {
  const docs = ref([]);
  Vue.watch(item, async (it) => {
    const refs = it ? basisRefs(it.basis) : [];
    if (!refs.length) return;
    try {
      const seen = new Set();
      docs.value = ((await get('/api/v1/disclosure/lookup', { ref: refs.join('|') })).items || [])
        .filter((d) => !seen.has(d.id) && seen.add(d.id));
    } catch {
      docs.value = []; // the guide reads well without the links
    }
  });
  return docs;
}

export const GuidePage = {
  name: 'GuidePage',
  components: { GuideDoc, GuideBrief },
  setup() {
    const view = ref(route.query.view === 'brief' ? 'brief' : 'full');
    // Applicants apply online; signed-out visitors sign in first and come back to the form;
    // staff take applications at the window instead.
    const g = useGuide();
    // 办理形式: only an item taken on a computer (2) or a phone (3) is applied for online; a
    // window-only one says so instead (the server refuses it the same way).
    const online = computed(() => (g.item.value?.forms || []).some((f) => f === 2 || f === 3));
    const applyHref = computed(() => {
      if (!online.value) return '';
      const to = '/apply/' + encodeURIComponent(g.code);
      if (!session.user) return href('/login', { next: to });
      return hasRole('applicant') ? to : '';
    });
    const policyDocs = usePolicyDocs(g.item);
    return { ...g, view, label, fmtTime, applyHref, online, policyDocs };
  },
  template: `
  <div class="container page">
    <el-breadcrumb separator="/" class="crumbs">
      <el-breadcrumb-item><a href="/">首页</a></el-breadcrumb-item>
      <el-breadcrumb-item><a href="/search">办事指南</a></el-breadcrumb-item>
      <el-breadcrumb-item>{{ item ? item.name : '' }}</el-breadcrumb-item>
    </el-breadcrumb>
    <el-result v-if="error" icon="warning" :title="error">
      <template #extra><el-button tag="a" href="/search" type="primary">返回搜索</el-button></template>
    </el-result>
    <el-skeleton v-else-if="!item" :rows="10" animated class="panel" />
    <template v-else>
      <el-card shadow="never" class="panel guide-head">
        <el-row :gutter="20">
          <el-col :xs="24" :sm="18">
            <h1 class="guide-title" data-test="guide-title">{{ item.name }}</h1>
            <div class="guide-sub">
              <span>{{ item.dept }}</span>
              <span>{{ label('item_types', item.type) }}</span>
              <span>{{ label('handling_classes', item.handling_class) }}</span>
              <span v-if="item.version">第 {{ item.version }} 版</span>
              <span v-if="item.published_at">发布于 {{ fmtTime(item.published_at) }}</span>
            </div>
            <div class="guide-kpis">
              <div><b>{{ item.promised_limit_days }}</b><span>承诺时限（工作日）</span></div>
              <div><b>{{ item.legal_limit_days }}</b><span>法定时限（工作日）</span></div>
              <div><b>{{ item.visits }}</b><span>到现场次数</span></div>
              <div><b>{{ (item.fees || []).length ? '收费' : '不收费' }}</b><span>收费情况</span></div>
            </div>
            <div class="result-tags">
              <el-tag v-for="t in item.tags || []" :key="t" effect="plain">{{ t }}</el-tag>
              <el-tag v-for="t in item.life_events || []" :key="t" type="success" effect="plain">{{ t }}</el-tag>
            </div>
            <div class="guide-actions">
              <el-button v-if="applyHref" tag="a" :href="applyHref" type="primary" data-test="guide-apply">
                <el-icon><EditPen /></el-icon>&nbsp;在线申请</el-button>
              <el-tag v-else-if="item && !online" type="warning" effect="plain" size="large" data-test="guide-window-only">本事项仅支持窗口办理，请携带材料到政务服务大厅</el-tag>
              <el-button tag="a" :href="'/guide/' + encodeURIComponent(code) + '/print'" type="primary" plain>
                <el-icon><Printer /></el-icon>&nbsp;打印指南</el-button>
              <el-button tag="a" :href="'/guide/' + encodeURIComponent(code) + '/checklist'" type="primary" plain>
                <el-icon><List /></el-icon>&nbsp;一次性告知单</el-button>
            </div>
          </el-col>
          <el-col :xs="24" :sm="6" class="qr-col">
            <img class="qr" :src="qr" alt="办事指南二维码" />
            <div class="qr-text">扫码获取办事指南</div>
          </el-col>
        </el-row>
      </el-card>
      <el-card shadow="never" class="panel">
        <el-tabs v-model="view">
          <el-tab-pane label="完整版指南" name="full"><guide-doc :item="item" /></el-tab-pane>
          <el-tab-pane label="简版指南" name="brief"><guide-brief :item="item" /></el-tab-pane>
        </el-tabs>
      </el-card>
      <el-card v-if="policyDocs.length" shadow="never" class="panel" data-test="guide-policy-docs">
        <template #header><span class="panel-title">设定依据中的政策文件（政府信息公开）</span></template>
        <ul class="guide-policy-list">
          <li v-for="d in policyDocs" :key="d.id" :data-test="'guide-policy-' + d.id">
            <a :href="'/gongkai/doc/' + d.id" data-test="guide-policy-link">{{ d.title }}</a>
            <span class="muted small"><template v-if="d.doc_no">（{{ d.doc_no }}）</template>{{ d.dept }}公开<template v-if="d.validity !== 'valid'"> · {{ d.validity_label }}</template></span>
          </li>
        </ul>
      </el-card>
    </template>
  </div>`,
};

const PrintToolbar = {
  props: { code: String, title: String },
  setup() {
    return { print: () => window.print() };
  },
  template: `
  <div class="print-toolbar no-print">
    <el-button tag="a" :href="'/guide/' + encodeURIComponent(code)"><el-icon><Back /></el-icon>&nbsp;返回指南</el-button>
    <span class="print-toolbar-title">{{ title }}</span>
    <el-button type="primary" @click="print"><el-icon><Printer /></el-icon>&nbsp;打印</el-button>
  </div>`,
};

export const GuidePrintPage = {
  name: 'GuidePrintPage',
  components: { GuideDoc, PrintToolbar },
  setup() {
    const today = new Date().toLocaleDateString('zh-CN');
    return { ...useGuide(), today };
  },
  template: `
  <div class="print-page">
    <print-toolbar :code="code" title="打印预览 · A4" />
    <div class="a4">
      <div v-if="error" class="print-error">{{ error }}</div>
      <template v-else-if="item">
        <div class="print-head">
          <div>
            <div class="print-org">一网通办 · 政务服务平台</div>
            <h1 class="print-title" data-test="guide-title">{{ item.name }} 办事指南</h1>
            <div class="print-meta">实施主体：{{ item.dept }}　版本：{{ item.version || '—' }}　打印日期：{{ today }}</div>
          </div>
          <div class="print-qr"><img :src="qr" alt="二维码" /><div>扫码获取办事指南</div></div>
        </div>
        <guide-doc :item="item" print />
      </template>
    </div>
  </div>`,
};

export const ChecklistPage = {
  name: 'ChecklistPage',
  components: { PrintToolbar },
  setup() {
    const g = useGuide();
    const materials = computed(() => (g.item.value && g.item.value.materials) || []);
    return { ...g, materials, label };
  },
  template: `
  <div class="print-page">
    <print-toolbar :code="code" title="一次性告知单" />
    <div class="a4 checklist">
      <div v-if="error" class="print-error">{{ error }}</div>
      <template v-else-if="item">
        <h1 class="print-title center">一次性告知单</h1>
        <div class="print-meta center">（申请材料一次性告知，请妥善保管）</div>
        <table class="doc-table form-table">
          <tr><th>申请事项</th><td colspan="3" data-test="guide-title">{{ item.name }}</td></tr>
          <tr><th>实施主体</th><td colspan="3">{{ item.dept }}</td></tr>
          <tr><th>承诺时限</th><td>{{ item.promised_limit_days }} 个工作日（法定 {{ item.legal_limit_days }} 个工作日）</td>
              <th>到现场次数</th><td>{{ item.visits }} 次</td></tr>
          <tr><th>办理地点</th><td colspan="3">{{ item.place }}</td></tr>
          <tr><th>办理时间</th><td colspan="3">{{ item.hours }}</td></tr>
          <tr><th>咨询电话</th><td>{{ item.phone_consult }}</td><th>监督投诉</th><td>{{ item.phone_complaint }}</td></tr>
        </table>
        <p class="notice-text">您申请办理的事项需提交以下材料。根据《中华人民共和国行政许可法》第三十二条，材料不齐全或不符合法定形式的，我们将一次性告知需要补正的全部内容。请对照下表逐项核对。</p>
        <table class="doc-table" data-test="guide-materials">
          <thead><tr><th class="num">核对</th><th class="num">序号</th><th>材料名称</th><th>必要性</th><th>形式</th><th class="num">份数</th><th>备注</th></tr></thead>
          <tbody>
            <tr v-for="(m, i) in materials" :key="i">
              <td class="num"><input type="checkbox" :aria-label="m.name" /></td>
              <td class="num">{{ i + 1 }}</td><td>{{ m.name }}</td>
              <td>{{ m.required ? '必要' : '非必要' }}</td><td>{{ m.form }}</td><td class="num">{{ m.copies }}</td>
              <td>{{ [m.source, m.note].filter(Boolean).join('；') }}</td>
            </tr>
            <tr v-if="!materials.length"><td colspan="7" class="empty-cell">无需提交材料</td></tr>
          </tbody>
        </table>
        <div class="checklist-foot">
          <div class="print-qr"><img :src="qr" alt="二维码" /><div>扫码获取办事指南</div></div>
          <div class="sign-lines">
            <p>告知单位（盖章）：________________________</p>
            <p>窗口经办人：______________　日期：______年____月____日</p>
            <p>申请人签字：______________　日期：______年____月____日</p>
          </div>
        </div>
      </template>
    </div>
  </div>`,
};
