// 主动公开 for the organ (docs/api.md "Disclosure", documents): /admin/disclosure/documents (the
// organ's documents, each as its latest version) and /admin/disclosure/documents/{id|new} (edit a
// draft, send it to 保密审查, review someone else's, withdraw a published one, change its validity, or
// start the next version; a published version never changes).
import { get, post, put, uploadFile } from '../../api.js';
import { session, can } from '../../store.js';
import { route, navigate, href } from '../../router.js';
import { fmtTime, showError, viewport } from '../../util.js';
import { fmtSize } from '../cases/common.js';
import { DOC_KINDS, DOC_STATES, VALIDITY, categoryTree } from './common.js';

const { ref, reactive, computed, onMounted, watch } = Vue;
const PAGE_SIZE = 20;

export const DocumentsPage = {
  name: 'DocumentsPage',
  setup() {
    const f = reactive({ state: route.query.state || '', q: route.query.q || '' });
    const result = reactive({ total: 0, page: 1, items: [] });
    const loading = ref(false);
    async function load(page = 1) {
      loading.value = true;
      try {
        const data = await get('/api/v1/disclosure/manage/documents', { state: f.state, q: f.q.trim(), page, page_size: PAGE_SIZE });
        Object.assign(result, { total: data.total || 0, page: data.page || 1, items: data.items || [] });
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }
    function apply() {
      navigate(href('/admin/disclosure/documents', { state: f.state, q: f.q.trim() }), { replace: true });
      load();
    }
    onMounted(() => {
      document.title = '主动公开 · 信息公开工作台';
      load();
    });
    return { f, result, loading, load, apply, DOC_STATES, PAGE_SIZE, viewport };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head">
      <h2>主动公开</h2>
      <el-button type="primary" tag="a" href="/admin/disclosure/documents/new" data-test="doc-new">新建文件</el-button>
    </div>
    <div class="panel-head-row inbox-head">
      <el-radio-group v-model="f.state" size="small" @change="apply">
        <el-radio-button value="">全部</el-radio-button>
        <el-radio-button v-for="(s, k) in DOC_STATES" :key="k" :value="k" :data-test="'doc-state-' + k">{{ s[0] }}</el-radio-button>
      </el-radio-group>
      <div class="gk-inbox-search">
        <el-input v-model="f.q" size="small" placeholder="标题、文号、索引号" clearable style="width:220px" @keyup.enter="apply" data-test="doc-q" />
        <el-button size="small" @click="apply"><el-icon><Search /></el-icon></el-button>
      </div>
    </div>
    <div class="table-scroll" v-loading="loading">
      <table class="doc-table" data-test="doc-list">
        <thead><tr><th>标题</th><th>分类</th><th>索引号</th><th>版本</th><th>状态</th><th>发布日期</th><th>有效性</th></tr></thead>
        <tbody>
          <tr v-for="d in result.items" :key="d.version_id" data-test="doc-row">
            <td><a :href="'/admin/disclosure/documents/' + d.id">{{ d.title }}</a><div class="muted small">{{ d.doc_no }} {{ d.dept }}</div></td>
            <td>{{ d.category }}</td><td>{{ d.index_no || '—' }}</td><td class="num">{{ d.version }}</td>
            <td><el-tag size="small" :type="(DOC_STATES[d.state] || [])[1]">{{ d.state_label }}</el-tag></td>
            <td>{{ d.published_date || '—' }}</td><td>{{ d.validity_label }}</td>
          </tr>
          <tr v-if="!loading && !result.items.length"><td colspan="7" class="empty-cell">暂无文件</td></tr>
        </tbody>
      </table>
    </div>
    <el-pagination v-if="result.total > PAGE_SIZE" class="pager" background layout="total, prev, pager, next" :total="result.total"
                   :page-size="PAGE_SIZE" :current-page="result.page" @current-change="load" />
  </div>`,
};

const FIELDS = ['category_id', 'title', 'doc_no', 'publisher', 'written_date', 'topic', 'keywords', 'kind', 'validity', 'body'];

export const DocumentEditPage = {
  name: 'DocumentEditPage',
  setup() {
    const isNew = route.params.id === 'new';
    const doc = ref(null);
    const cats = ref([]);
    const organs = ref([]);
    const error = ref('');
    const busy = ref(false);
    const errors = ref({});
    const form = reactive({ dept_id: session.user.dept_id || null, category_id: null, title: '', doc_no: '', publisher: '',
      written_date: '', topic: '', keywords: '', kind: 'other', validity: 'valid', body: '' });
    const files = ref([]); // [{upload_id, name, size}]
    const dlg = reactive({ kind: '', visible: false, errors: {}, note: '', reason: '', validity: 'expired', date: '', published_date: '' });
    const tree = computed(() => categoryTree(cats.value));
    const centre = computed(() => can('disclosure.config'));

    function fill(v) {
      if (!v) return;
      for (const k of FIELDS) form[k] = v[k] == null ? (k === 'category_id' ? null : '') : v[k];
      files.value = (v.attachments || []).map((a) => ({ upload_id: a.upload_id, name: a.name, size: a.size }));
    }
    async function load() {
      try {
        doc.value = await get('/api/v1/disclosure/documents/' + route.params.id);
        form.dept_id = doc.value.dept_id;
        fill(doc.value.working || doc.value.published || (doc.value.versions || [])[0]);
      } catch (err) {
        error.value = err.status === 404 ? '文件不存在或不属于本机关' : err.message;
      }
    }
    onMounted(async () => {
      document.title = (isNew ? '新建文件' : '文件') + ' · 主动公开';
      const [c, o] = await Promise.all([get('/api/v1/disclosure/categories').catch(() => ({ items: [] })),
        get('/api/v1/disclosure/organs').catch(() => ({ items: [] }))]);
      cats.value = c.items || [];
      organs.value = o.items || [];
      if (isNew) {
        const mine = organs.value.find((x) => x.dept_id === form.dept_id);
        form.publisher = mine ? mine.name : '';
        if (route.query.category) form.category_id = (cats.value.find((x) => x.code === route.query.category) || {}).id || null;
      } else {
        await load();
      }
    });

    // the centre drafting for an organ: 发布机构 follows the organ unless typed otherwise
    watch(() => form.dept_id, (now, before) => {
      const name = (id) => (organs.value.find((x) => x.dept_id === id) || {}).name || '';
      if (isNew && (!form.publisher || form.publisher === name(before))) form.publisher = name(now);
    });

    const working = computed(() => doc.value && doc.value.working);
    const published = computed(() => doc.value && doc.value.published);
    // the form edits a draft, or starts the next version of a published document
    const editable = computed(() => isNew || !working.value || working.value.state === 'draft');
    const mineDraft = computed(() => working.value && working.value.author_id === session.user.id);

    async function pick(ev) {
      const list = [...(ev.target.files || [])];
      ev.target.value = '';
      for (const f of list) {
        try {
          const up = await uploadFile(f);
          files.value.push({ upload_id: up.id, name: up.name, size: up.size });
        } catch (err) {
          ElementPlus.ElMessage.error(`${f.name}：${err.status === 413 ? '文件过大' : err.status === 403 ? '当前账号不能上传附件，请联系系统管理员' : err.message}`);
        }
      }
    }
    function body() {
      const b = Object.fromEntries(FIELDS.map((k) => [k, form[k]]));
      if (!b.written_date) delete b.written_date;
      b.attachments = files.value.map((x) => x.upload_id);
      if (isNew && centre.value) b.dept_id = form.dept_id;
      return b;
    }
    async function save() {
      busy.value = true;
      errors.value = {};
      try {
        if (isNew) {
          const d = await post('/api/v1/disclosure/documents', body());
          ElementPlus.ElMessage.success('草稿已保存');
          navigate('/admin/disclosure/documents/' + d.id, { replace: true });
          return;
        }
        doc.value = await put('/api/v1/disclosure/documents/' + doc.value.id, body());
        ElementPlus.ElMessage.success(published.value && working.value && working.value.version > published.value.version ? '新版本草稿已保存' : '草稿已保存');
      } catch (err) {
        errors.value = err.fields || {};
        showError(err);
      } finally {
        busy.value = false;
      }
    }
    async function act(path, payload, done) {
      busy.value = true;
      dlg.errors = {};
      try {
        doc.value = await post(`/api/v1/disclosure/documents/${doc.value.id}/${path}`, payload);
        fill(doc.value.working || doc.value.published || (doc.value.versions || [])[0]);
        dlg.visible = false;
        ElementPlus.ElMessage.success(done);
      } catch (err) {
        dlg.errors = err.fields || {};
        showError(err);
      } finally {
        busy.value = false;
      }
    }
    const submit = () => act('submit', {}, '已提交保密审查');
    function open(kind) {
      Object.assign(dlg, { kind, visible: true, errors: {}, note: '', reason: '', validity: 'expired', date: '', published_date: '' });
    }
    const confirm = {
      pass: () => act('review', { result: 'pass', note: dlg.note, ...(dlg.published_date ? { published_date: dlg.published_date } : {}) }, '保密审查通过，已发布'),
      fail: () => act('review', { result: 'fail', note: dlg.note }, '已退回修改'),
      withdraw: () => act('withdraw', { reason: dlg.reason }, '已撤回'),
      validity: () => act('validity', { validity: dlg.validity, date: dlg.date || undefined, reason: dlg.reason }, '有效性已变更，新版本已发布'),
    };
    const TITLES = { pass: '保密审查：通过并发布', fail: '保密审查：退回修改', withdraw: '撤回已发布的文件', validity: '变更有效性' };
    return { isNew, doc, cats, organs, error, busy, errors, form, files, dlg, tree, centre, working, published, editable, mineDraft,
      pick, save, submit, open, confirm, TITLES, DOC_STATES, DOC_KINDS, VALIDITY, fmtTime, fmtSize, viewport };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head">
      <h2>{{ isNew ? '新建主动公开文件' : (working || published || {}).title || '文件' }}</h2>
      <el-button tag="a" href="/admin/disclosure/documents">返回列表</el-button>
    </div>
    <el-result v-if="error" icon="warning" :title="error" />
    <template v-else-if="isNew || doc">
      <el-card v-if="doc" shadow="never" class="panel" data-test="doc-status">
        <div class="gk-doc-status">
          <span>索引号：<b data-test="doc-index-no">{{ doc.index_no || '发布时生成' }}</b></span>
          <span v-if="published">已发布第 {{ published.version }} 版（{{ published.published_date }}）<a :href="'/gongkai/doc/' + doc.id" target="_blank" data-test="doc-public-link">查看公开页面</a></span>
          <span v-if="working">工作版本：第 {{ working.version }} 版 <el-tag size="small" :type="(DOC_STATES[working.state] || [])[1]" data-test="doc-state">{{ working.state_label }}</el-tag></span>
          <el-tag v-else-if="published" size="small" type="success" data-test="doc-state">已发布</el-tag>
          <el-tag v-else size="small" type="info" data-test="doc-state">{{ (doc.versions || [])[0]?.state_label }}</el-tag>
        </div>
        <el-alert v-if="working && working.state === 'draft' && working.review_result === 'fail'" type="warning" :closable="false" style="margin-top:8px"
                  :title="'保密审查退回：' + (working.review_note || '')" />
        <div class="action-buttons" style="margin-top:10px">
          <el-button v-if="working && working.state === 'draft'" type="primary" :loading="busy" @click="submit" data-test="doc-submit">提交保密审查</el-button>
          <template v-if="working && working.state === 'review'">
            <el-button type="success" @click="open('pass')" :disabled="mineDraft" data-test="doc-review-pass">审查通过并发布</el-button>
            <el-button type="warning" @click="open('fail')" :disabled="mineDraft" data-test="doc-review-fail">退回修改</el-button>
            <span v-if="mineDraft" class="muted small">保密审查须由起草人以外的工作人员进行</span>
          </template>
          <template v-if="published && !working">
            <el-button @click="open('validity')" data-test="doc-validity">变更有效性（失效／废止）</el-button>
            <el-button type="danger" plain @click="open('withdraw')" data-test="doc-withdraw">撤回</el-button>
          </template>
        </div>
      </el-card>
      <el-card shadow="never" class="panel">
        <template #header><span class="panel-title">{{ isNew ? '起草' : working && working.state === 'draft' ? '编辑草稿（第 ' + working.version + ' 版）' : published && !working ? '修订：保存后生成新版本草稿，已发布版本保持不变' : '内容（审查中不可修改）' }}</span></template>
        <el-form :label-position="viewport.narrow ? 'top' : 'right'" label-width="100px" :disabled="!editable" data-test="doc-form">
          <el-form-item v-if="isNew && centre" label="发布机关" :error="errors.dept_id">
            <el-select v-model="form.dept_id" filterable style="width:100%"><el-option v-for="o in organs" :key="o.dept_id" :label="o.name" :value="o.dept_id" /></el-select>
          </el-form-item>
          <el-form-item label="主题分类" required :error="errors.category_id" data-test="doc-category">
            <el-cascader v-model="form.category_id" :options="tree" :props="{ emitPath: false, checkStrictly: true }" style="width:100%" />
          </el-form-item>
          <el-form-item label="标题" required :error="errors.title"><el-input v-model="form.title" maxlength="200" data-test="doc-title" /></el-form-item>
          <el-row :gutter="12">
            <el-col :xs="24" :md="12"><el-form-item label="文号" :error="errors.doc_no"><el-input v-model="form.doc_no" maxlength="100" placeholder="如：长政办发〔2026〕1号" data-test="doc-no" /></el-form-item></el-col>
            <el-col :xs="24" :md="12"><el-form-item label="发布机构" required :error="errors.publisher"><el-input v-model="form.publisher" maxlength="100" data-test="doc-publisher" /></el-form-item></el-col>
            <el-col :xs="24" :md="12"><el-form-item label="成文日期" :error="errors.written_date"><el-date-picker v-model="form.written_date" type="date" value-format="YYYY-MM-DD" data-test="doc-written" /></el-form-item></el-col>
            <el-col :xs="24" :md="12"><el-form-item label="主题词" :error="errors.topic"><el-input v-model="form.topic" maxlength="100" data-test="doc-topic" /></el-form-item></el-col>
            <el-col :xs="24" :md="12"><el-form-item label="文件类型" :error="errors.kind">
              <el-select v-model="form.kind" data-test="doc-kind"><el-option v-for="(l, k) in DOC_KINDS" :key="k" :label="l" :value="k" /></el-select></el-form-item></el-col>
            <el-col :xs="24" :md="12"><el-form-item label="有效性" :error="errors.validity">
              <el-select v-model="form.validity"><el-option v-for="(l, k) in VALIDITY" :key="k" :label="l" :value="k" /></el-select></el-form-item></el-col>
          </el-row>
          <el-form-item label="关键词" :error="errors.keywords"><el-input v-model="form.keywords" maxlength="200" /></el-form-item>
          <el-form-item label="正文" required :error="errors.body"><el-input v-model="form.body" type="textarea" :rows="12" data-test="doc-body" /></el-form-item>
          <el-form-item label="附件" :error="errors.attachments">
            <div class="material-files">
              <el-tag v-for="(a, i) in files" :key="a.upload_id" :closable="editable" @close="files.splice(i, 1)" type="success" data-test="doc-file">{{ a.name }}<template v-if="a.size"> · {{ fmtSize(a.size) }}</template></el-tag>
              <label v-if="editable" class="el-button el-button--small upload-button"><input type="file" multiple accept=".pdf,.ofd,.docx,.xlsx,.jpg,.jpeg,.png" @change="pick" data-test="doc-upload" /><span>上传附件</span></label>
            </div>
          </el-form-item>
          <el-form-item v-if="editable"><el-button type="primary" :loading="busy" @click="save" data-test="doc-save">保存草稿</el-button></el-form-item>
        </el-form>
      </el-card>
      <el-card v-if="doc && (doc.versions || []).length" shadow="never" class="panel">
        <template #header><span class="panel-title">版本记录</span></template>
        <div class="table-scroll"><table class="doc-table" data-test="doc-versions">
          <thead><tr><th class="num">版本</th><th>状态</th><th>起草</th><th>保密审查</th><th>发布日期</th><th>有效性</th><th>说明</th></tr></thead>
          <tbody><tr v-for="v in doc.versions" :key="v.version_id">
            <td class="num">{{ v.version }}</td><td>{{ v.state_label }}</td><td>{{ v.author }} {{ fmtTime(v.created_at) }}</td>
            <td>{{ v.reviewer ? v.reviewer + '：' + (v.review_result === 'pass' ? '通过' : '退回') : '—' }}<div v-if="v.review_note" class="muted small">{{ v.review_note }}</div></td>
            <td>{{ v.published_date || '—' }}</td><td>{{ v.validity_label }}</td><td>{{ v.end_reason }}</td>
          </tr></tbody>
        </table></div>
      </el-card>
    </template>
    <el-dialog v-model="dlg.visible" :width="viewport.narrow ? '94%' : '520px'" append-to-body :title="TITLES[dlg.kind]">
      <el-form label-position="top">
        <template v-if="dlg.kind === 'pass' || dlg.kind === 'fail'">
          <el-form-item :label="dlg.kind === 'fail' ? '退回理由（必填）' : '审查意见'" :error="dlg.errors.note"><el-input v-model="dlg.note" type="textarea" :rows="3" data-test="review-note" /></el-form-item>
          <el-form-item v-if="dlg.kind === 'pass'" label="发布日期" :error="dlg.errors.published_date"><el-date-picker v-model="dlg.published_date" type="date" value-format="YYYY-MM-DD" placeholder="默认今天" /></el-form-item>
          <div v-if="dlg.kind === 'pass'" class="muted small">通过后即发布到主动公开目录；首次发布时按本机关规则生成索引号。</div>
        </template>
        <template v-if="dlg.kind === 'validity'">
          <el-form-item label="有效性" :error="dlg.errors.validity"><el-radio-group v-model="dlg.validity"><el-radio value="expired">失效</el-radio><el-radio value="repealed">废止</el-radio><el-radio value="valid">有效</el-radio></el-radio-group></el-form-item>
          <el-form-item label="自何日起" :error="dlg.errors.date"><el-date-picker v-model="dlg.date" type="date" value-format="YYYY-MM-DD" placeholder="默认今天" /></el-form-item>
        </template>
        <el-form-item v-if="dlg.kind === 'withdraw' || dlg.kind === 'validity'" label="理由" :error="dlg.errors.reason"><el-input v-model="dlg.reason" maxlength="500" data-test="doc-reason" /></el-form-item>
      </el-form>
      <template #footer>
        <el-button @click="dlg.visible = false">取消</el-button>
        <el-button type="primary" :loading="busy" data-test="dialog-confirm" @click="confirm[dlg.kind]()">确定</el-button>
      </template>
    </el-dialog>
  </div>`,
};
