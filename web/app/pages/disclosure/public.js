// The public side of 政府信息公开, no sign-in: /gongkai (主动公开目录: published documents by organ,
// category tree and year, with search; the URL holds the state), /gongkai/doc/{id} (a document
// with its metadata and body), /gongkai/doc/{id}/print (the same on A4) and /gongkai/guide/{dept_id}
// (the organ's 政府信息公开指南, GET /api/v1/disclosure/organs/{id}/guide).
import { get } from '../../api.js';
import { session, can, hasRole } from '../../store.js';
import { route, href, navigate } from '../../router.js';
import { viewport } from '../../util.js';
import { categoryTree, thisYear } from './common.js';

const { ref, reactive, computed, watch, onMounted } = Vue;

const PAGE_SIZE = 20;
const FILTERS = ['q', 'dept_id', 'category_id', 'year', 'validity'];

// Years a catalogue offers: this one and the ten before.
export function recentYears(n = 11) {
  const y = thisYear();
  return Array.from({ length: n }, (_, i) => y - i);
}

const VALIDITY_TAG = { valid: 'success', expired: 'info', repealed: 'danger' };

export const CatalogPage = {
  name: 'CatalogPage',
  setup() {
    const f = reactive(Object.fromEntries(FILTERS.map((k) => [k, ''])));
    const result = reactive({ total: 0, page: 1, items: [] });
    const loading = ref(false);
    const error = ref('');
    const organs = ref([]);
    const cats = ref([]);
    const tree = computed(() => categoryTree(cats.value));
    // the server lists the category's documents with its subcategories'
    const catName = computed(() => {
      const c = cats.value.find((x) => String(x.id) === String(f.category_id));
      if (!c) return '';
      return cats.value.some((x) => x.parent_id === c.id) ? c.name + '（含下级分类）' : c.name;
    });
    const organName = computed(() => (organs.value.find((o) => String(o.dept_id) === String(f.dept_id)) || {}).name || '');

    function apply(page = 1) {
      navigate(href('/gongkai', { ...f, q: f.q.trim(), page: page > 1 ? page : '' }));
    }
    function pickCategory(node) {
      f.category_id = String(f.category_id) === String(node.id) ? '' : String(node.id);
      apply();
    }
    function reset() {
      FILTERS.forEach((k) => (f[k] = ''));
      apply();
    }
    async function load() {
      FILTERS.forEach((k) => (f[k] = route.query[k] || ''));
      loading.value = true;
      error.value = '';
      try {
        const data = await get('/api/v1/disclosure/documents', { ...f, page: route.query.page || 1, page_size: PAGE_SIZE });
        Object.assign(result, { total: data.total || 0, page: data.page || 1, items: data.items || [] });
      } catch (err) {
        error.value = err.message;
        Object.assign(result, { total: 0, page: 1, items: [] });
      } finally {
        loading.value = false;
      }
    }
    watch(() => route.fullPath, () => route.path === '/gongkai' && load());
    onMounted(async () => {
      document.title = '政府信息公开 · 主动公开目录';
      load();
      const [o, c] = await Promise.all([get('/api/v1/disclosure/organs').catch(() => ({ items: [] })),
        get('/api/v1/disclosure/categories').catch(() => ({ items: [] }))]);
      organs.value = o.items || [];
      cats.value = c.items || [];
    });
    const applicant = computed(() => !session.user || can('disclosure.apply'));
    return { f, result, loading, error, organs, tree, catName, organName, years: recentYears(), apply, pickCategory, reset,
      viewport, PAGE_SIZE, VALIDITY_TAG, session, applicant, hasRole };
  },
  template: `
  <div class="container page gk-page">
    <div class="gk-banner">
      <div>
        <h1 class="page-title">政府信息公开</h1>
        <div class="muted">依据《中华人民共和国政府信息公开条例》，各机关主动公开的政府信息在此集中发布，可按机关、主题分类和年度查阅。</div>
      </div>
      <div class="gk-banner-actions" v-if="applicant">
        <el-button type="primary" tag="a" href="/gongkai/apply" data-test="gk-apply"><el-icon><EditPen /></el-icon>&nbsp;依申请公开</el-button>
        <el-button v-if="hasRole('applicant')" tag="a" href="/my/disclosure" data-test="gk-my">我的申请</el-button>
      </div>
    </div>
    <div class="search-bar">
      <el-input v-model="f.q" size="large" placeholder="输入标题、文号、索引号或正文关键词" clearable data-test="gk-search" @keyup.enter="apply()">
        <template #prefix><el-icon><Search /></el-icon></template>
      </el-input>
      <el-button type="primary" size="large" data-test="gk-search-button" @click="apply()">检索</el-button>
    </div>
    <el-row :gutter="16">
      <el-col :xs="24" :md="6">
        <el-card shadow="never" class="panel gk-side">
          <template #header><span class="panel-title">主题分类</span></template>
          <el-tree :data="tree" node-key="id" :props="{ label: 'label', children: 'children' }" default-expand-all
                   :expand-on-click-node="false" highlight-current :current-node-key="f.category_id ? Number(f.category_id) : undefined"
                   @node-click="pickCategory" data-test="gk-categories">
            <template #default="{ data }"><span :data-test="'gk-cat-' + data.code" :class="{ 'gk-cat-on': String(data.id) === String(f.category_id) }">{{ data.label }}</span></template>
          </el-tree>
        </el-card>
      </el-col>
      <el-col :xs="24" :md="18">
        <el-card shadow="never" class="panel filter-panel">
          <el-row :gutter="12">
            <el-col :xs="24" :sm="10">
              <el-select v-model="f.dept_id" placeholder="发布机构" clearable filterable @change="apply()" data-test="gk-organ">
                <el-option v-for="o in organs" :key="o.dept_id" :label="o.name" :value="String(o.dept_id)" />
              </el-select>
            </el-col>
            <el-col :xs="12" :sm="7">
              <el-select v-model="f.year" placeholder="发布年度" clearable @change="apply()" data-test="gk-year">
                <el-option v-for="y in years" :key="y" :label="y + '年'" :value="String(y)" />
              </el-select>
            </el-col>
            <el-col :xs="12" :sm="7">
              <el-select v-model="f.validity" placeholder="有效性" clearable @change="apply()" data-test="gk-validity">
                <el-option label="有效" value="valid" /><el-option label="失效" value="expired" /><el-option label="废止" value="repealed" />
              </el-select>
            </el-col>
          </el-row>
          <div class="filter-foot">
            <span v-if="catName" class="filter-chip">分类：<el-tag closable @close="f.category_id = ''; apply()">{{ catName }}</el-tag></span>
            <a v-if="f.dept_id && organName" :href="'/gongkai/guide/' + f.dept_id" class="gk-guide-link" data-test="gk-guide-link">{{ organName }}政府信息公开指南</a>
            <el-button link type="primary" @click="reset">清空筛选</el-button>
          </div>
        </el-card>
        <div class="result-head">
          <span v-if="!loading" data-test="gk-total">共 <b>{{ result.total }}</b> 条政府信息<template v-if="f.q">（关键词“{{ f.q }}”）</template></span>
        </div>
        <el-alert v-if="error" :title="error" type="error" show-icon :closable="false" />
        <div v-loading="loading" class="gk-list">
          <a v-for="d in result.items" :key="d.id" class="gk-item" :href="'/gongkai/doc/' + d.id" data-test="gk-doc">
            <div class="gk-item-title">{{ d.title }}</div>
            <div class="case-card-meta">
              <span>索引号：{{ d.index_no }}</span>
              <span v-if="d.doc_no">文号：{{ d.doc_no }}</span>
              <span>{{ d.dept }}</span>
              <span>{{ d.category }}</span>
              <span>发布日期：{{ d.published_date }}</span>
              <el-tag size="small" :type="VALIDITY_TAG[d.validity] || 'info'" effect="plain">{{ d.validity_label }}</el-tag>
            </div>
          </a>
          <el-empty v-if="!loading && !error && !result.items.length" description="没有找到相关政府信息" />
        </div>
        <el-pagination v-if="result.total > PAGE_SIZE" class="pager" background :size="viewport.narrow ? 'small' : 'default'"
                       :layout="viewport.narrow ? 'prev, pager, next' : 'total, prev, pager, next, jumper'"
                       :total="result.total" :page-size="PAGE_SIZE" :current-page="result.page"
                       :pager-count="viewport.narrow ? 5 : 7" @current-change="apply" />
      </el-col>
    </el-row>
  </div>`,
};

function useDocument() {
  const doc = ref(null);
  const error = ref('');
  onMounted(async () => {
    try {
      doc.value = await get('/api/v1/disclosure/documents/' + encodeURIComponent(route.params.id));
      const v = doc.value.published || doc.value.working || {};
      document.title = (v.title || '政府信息') + ' · 政府信息公开';
    } catch (err) {
      error.value = err.status === 404 ? '该政府信息不存在或尚未公开' : err.message;
    }
  });
  // what is shown: the published version (officers of the organ may also see a working draft)
  const v = computed(() => doc.value && (doc.value.published || doc.value.working));
  return { doc, v, error };
}

// The document as published: the metadata table (索引号 … 有效性), title, body, attachments.
export const DocBody = {
  name: 'DocBody',
  props: { doc: { type: Object, required: true }, v: { type: Object, required: true } },
  setup(props) {
    const fileUrl = (a) => `/api/v1/disclosure/documents/${props.doc.id}/files/${a.upload_id}`;
    const validity = computed(() => props.v.validity_label + (props.v.validity !== 'valid' && props.v.validity_date ? `（${props.v.validity_date}起）` : ''));
    return { fileUrl, validity };
  },
  template: `
  <div class="gk-doc">
    <table class="gk-meta" data-test="gk-meta">
      <tbody>
        <tr><th>索引号</th><td data-test="gk-index-no">{{ doc.index_no || v.index_no || '发布时生成' }}</td><th>主题分类</th><td>{{ v.category }}<template v-if="v.topic"> · {{ v.topic }}</template></td></tr>
        <tr><th>发布机构</th><td>{{ v.publisher }}</td><th>文号</th><td data-test="gk-doc-no">{{ v.doc_no || '无' }}</td></tr>
        <tr><th>成文日期</th><td>{{ v.written_date || '—' }}</td><th>发布日期</th><td>{{ v.published_date || '—' }}</td></tr>
        <tr><th>有效性</th><td data-test="gk-validity-value">{{ validity }}</td><th>文件类型</th><td>{{ v.kind_label }}</td></tr>
        <tr v-if="v.keywords"><th>关键词</th><td colspan="3">{{ v.keywords }}</td></tr>
      </tbody>
    </table>
    <h1 class="gk-doc-title" data-test="gk-doc-title">{{ v.title }}</h1>
    <div v-if="v.doc_no" class="gk-doc-no">{{ v.doc_no }}</div>
    <div class="gk-doc-body" data-test="gk-doc-body">{{ v.body }}</div>
    <div v-if="(v.attachments || []).length" class="gk-attachments">
      <div class="muted">附件：</div>
      <ol><li v-for="a in v.attachments" :key="a.upload_id"><a :href="fileUrl(a)" target="_blank" rel="noopener">{{ a.name }}</a></li></ol>
    </div>
    <div v-if="v.validity !== 'valid' && v.end_reason" class="muted small">说明：{{ v.end_reason }}</div>
  </div>`,
};

export const DocumentPage = {
  name: 'DocumentPage',
  components: { DocBody },
  setup() {
    return { ...useDocument(), href };
  },
  template: `
  <div class="container page gk-page">
    <el-result v-if="error" icon="warning" :title="error"><template #extra><el-button tag="a" href="/gongkai" type="primary">返回主动公开目录</el-button></template></el-result>
    <el-skeleton v-else-if="!v" :rows="10" animated class="panel" />
    <template v-else>
      <div class="gk-crumbs no-print">
        <a href="/gongkai">主动公开目录</a> / <a :href="href('/gongkai', { category_id: v.category_id })">{{ v.category }}</a>
        · <a :href="'/gongkai/guide/' + doc.dept_id" data-test="gk-doc-guide">{{ doc.dept }}政府信息公开指南</a>
        <el-button class="gk-print-btn" size="small" tag="a" :href="'/gongkai/doc/' + doc.id + '/print'" data-test="gk-print"><el-icon><Printer /></el-icon>&nbsp;打印</el-button>
      </div>
      <el-card shadow="never" class="panel"><doc-body :doc="doc" :v="v" /></el-card>
    </template>
  </div>`,
};

export const DocumentPrintPage = {
  name: 'DocumentPrintPage',
  components: { DocBody },
  setup() {
    return { ...useDocument(), id: route.params.id, print: () => window.print() };
  },
  template: `
  <div class="print-page">
    <div class="print-toolbar no-print">
      <el-button tag="a" :href="'/gongkai/doc/' + id"><el-icon><Back /></el-icon>&nbsp;返回</el-button>
      <span class="print-toolbar-title">政府信息 · A4</span>
      <el-button type="primary" @click="print" data-test="gk-print-now"><el-icon><Printer /></el-icon>&nbsp;打印</el-button>
    </div>
    <div class="a4">
      <div v-if="error" class="print-error">{{ error }}</div>
      <doc-body v-else-if="v" :doc="doc" :v="v" />
    </div>
  </div>`,
};

// 政府信息公开指南 of one organ: how to reach what it publishes and how to request the rest, with
// the office's contacts; another organ's guide is a choice away. Printable as it is.
export const DisclosureGuidePage = {
  name: 'DisclosureGuidePage',
  setup() {
    const g = ref(null);
    const error = ref('');
    const organs = ref([]);
    const pick = ref(null);
    async function load() {
      if (!route.path.startsWith('/gongkai/guide/')) return;
      error.value = '';
      try {
        g.value = await get(`/api/v1/disclosure/organs/${route.params.id}/guide`);
        pick.value = g.value.dept_id;
        document.title = g.value.organ + '政府信息公开指南';
      } catch (err) {
        g.value = null;
        error.value = err.status === 404 ? '没有这个机关' : err.message;
      }
    }
    watch(() => route.fullPath, load);
    onMounted(async () => {
      load();
      organs.value = (await get('/api/v1/disclosure/organs').catch(() => ({ items: [] }))).items || [];
    });
    const paras = (t) => String(t || '').split('\n').filter((x) => x.trim());
    const NO = ['一', '二', '三', '四', '五', '六', '七'];
    const go = (id) => navigate('/gongkai/guide/' + id);
    return { g, error, organs, pick, paras, NO, go, print: () => window.print() };
  },
  template: `
  <div class="container page gk-page">
    <div class="gk-crumbs no-print">
      <a href="/gongkai">主动公开目录</a> / 政府信息公开指南
      <el-select v-model="pick" filterable placeholder="选择机关" size="small" class="gk-guide-pick" @change="go" data-test="guide-organ">
        <el-option v-for="o in organs" :key="o.dept_id" :label="o.name" :value="o.dept_id" />
      </el-select>
    </div>
    <el-result v-if="error" icon="warning" :title="error" />
    <el-skeleton v-else-if="!g" :rows="10" animated class="panel" />
    <el-card v-else shadow="never" class="panel gk-guide" data-test="guide">
      <h1 class="gk-doc-title" data-test="guide-title">{{ g.organ }}政府信息公开指南</h1>
      <table class="gk-meta gk-guide-contact" data-test="guide-contact">
        <tbody>
          <tr><th>受理机构</th><td data-test="guide-office">{{ g.office }}</td></tr>
          <tr v-if="g.address"><th>地址</th><td data-test="guide-address">{{ g.address }}<template v-if="g.postcode">（邮政编码 {{ g.postcode }}）</template></td></tr>
          <tr v-if="g.phone"><th>咨询电话</th><td data-test="guide-phone">{{ g.phone }}</td></tr>
          <tr v-if="g.fax"><th>传真</th><td>{{ g.fax }}</td></tr>
          <tr v-if="g.email"><th>电子邮箱</th><td>{{ g.email }}</td></tr>
          <tr v-if="g.hours"><th>办公时间</th><td data-test="guide-hours">{{ g.hours }}</td></tr>
        </tbody>
      </table>
      <section v-for="(s, i) in g.sections" :key="s.key" class="gk-report-sec" :data-test="'guide-sec-' + s.key">
        <h3>{{ NO[i] }}、{{ s.title }}</h3>
        <p v-for="(p, k) in paras(s.text)" :key="k" class="gk-para">{{ p }}</p>
      </section>
      <div class="action-buttons no-print">
        <el-button type="primary" tag="a" :href="'/gongkai/apply?dept_id=' + g.dept_id" data-test="guide-apply">向本机关申请公开</el-button>
        <el-button tag="a" :href="'/gongkai?dept_id=' + g.dept_id" data-test="guide-catalog">本机关主动公开目录</el-button>
        <el-button @click="print"><el-icon><Printer /></el-icon>&nbsp;打印</el-button>
      </div>
    </el-card>
  </div>`,
};
