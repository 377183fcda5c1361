// 12345 knowledge base (知识库, docs/api.md "Hotline knowledge base"): /admin/hotline/kb lists the
// articles the user may see, by state and matter, and searches them as the operators' console does
// (GET /api/v1/hotline/kb/search). A handling unit (hotline.handle) writes its department's
// articles, edits a draft, submits it and starts a new version of a published one; the centre
// (hotline.manage) approves or returns a submitted version with a reason, and withdraws a published one.
import { get, post, put } from '../../api.js';
import { session, can } from '../../store.js';
import { fmtTime, isoDate, showError, viewport } from '../../util.js';

const { ref, reactive, computed, onMounted } = Vue;

export const KB_STATES = { draft: '草稿', submitted: '待审核', published: '已发布', withdrawn: '已撤回', expired: '已过期' };
const STATUS_TAGS = { draft: 'info', submitted: 'warning', published: 'success', superseded: 'info', withdrawn: 'danger', expired: 'danger', scheduled: 'warning' };
const FIELD_LABELS = { matter_id: '诉求事项', title: '标题', question: '常见问法', answer: '答复口径', keywords: '关键词', effective_from: '生效日期', expires_on: '失效日期', note: '意见' };

// Matters as "parent / child" paths for a select, leaves only (a matter with no active child).
export function matterOptions(items) {
  const byId = new Map(items.map((m) => [m.id, m]));
  const parents = new Set(items.filter((m) => m.parent_id).map((m) => m.parent_id));
  return items.filter((m) => !parents.has(m.id)).map((m) => {
    const p = m.parent_id ? byId.get(m.parent_id) : null;
    return { id: m.id, label: p ? `${p.name} / ${m.name}` : m.name };
  });
}

const errorList = (fields) => Object.entries(fields).map(([k, v]) => (FIELD_LABELS[k] || k) + '：' + v).join('；');

export const KbPage = {
  name: 'KbPage',
  setup() {
    const unit = computed(() => can('hotline.handle'));
    const centre = computed(() => can('hotline.manage'));
    const filter = reactive({ state: '', matter_id: null, q: '' });
    const rows = ref([]);
    const total = ref(0);
    const page = ref(1);
    const loading = ref(false);
    const matters = ref([]);
    const hits = ref(null); // search results, or null while browsing the list
    const current = ref(null);
    const drawer = ref(false);

    async function loadMatters() {
      matters.value = (await get('/api/v1/hotline/matters').catch(() => ({ items: [] }))).items || [];
    }
    const options = computed(() => matterOptions(matters.value));
    // a matter filter takes the matter and, for a top-level one, its children
    const inMatter = (id) => {
      if (!filter.matter_id) return true;
      if (id === filter.matter_id) return true;
      const m = matters.value.find((x) => x.id === id);
      return !!m && m.parent_id === filter.matter_id;
    };

    async function load() {
      loading.value = true;
      try {
        const r = await get('/api/v1/hotline/kb/articles', { state: filter.state, page: page.value, page_size: 100 });
        rows.value = r.items || [];
        total.value = r.total || 0;
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }
    const shown = computed(() => rows.value.filter((a) => inMatter(a.matter_id)));

    async function search() {
      const q = filter.q.trim();
      if (!q) {
        hits.value = null;
        return;
      }
      loading.value = true;
      try {
        hits.value = ((await get('/api/v1/hotline/kb/search', { q, limit: 20 })).items || []).filter((h) => h.kind !== 'article' || inMatter(h.matter_id));
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }

    async function open(id) {
      try {
        current.value = await get('/api/v1/hotline/kb/articles/' + id);
        drawer.value = true;
      } catch (err) {
        showError(err);
      }
    }

    // the editor (new article or a draft)
    const editor = reactive({ open: false, id: null, saving: false, errors: {}, form: {} });
    const blank = () => ({ title: '', matter_id: null, question: '', answer: '', keywords: [], effective_from: isoDate(new Date()), expires_on: null });
    function edit(a) {
      editor.id = a ? a.id : null;
      editor.form = a ? {
        title: a.title, matter_id: a.matter_id, question: a.question || '', answer: a.answer || '', keywords: [...(a.keywords || [])],
        effective_from: a.effective_from, expires_on: a.expires_on,
      } : blank();
      editor.errors = {};
      editor.open = true;
    }
    function check(f) {
      const e = {};
      const n = (s) => [...(s || '').trim()].length;
      if (n(f.title) < 4 || n(f.title) > 100) e.title = '标题应为4至100个字';
      if (!f.matter_id) e.matter_id = '请选择诉求事项';
      if (n(f.question) > 500) e.question = '常见问法不超过500个字';
      if (n(f.answer) < 10 || n(f.answer) > 4000) e.answer = '答复口径应为10至4000个字';
      if (f.keywords.length > 20) e.keywords = '关键词最多20个';
      else if (f.keywords.some((k) => n(k) < 1 || n(k) > 20)) e.keywords = '关键词应为1至20个字';
      if (f.expires_on && f.effective_from && f.expires_on < f.effective_from) e.expires_on = '失效日期不能早于生效日期';
      return e;
    }
    async function save() {
      const f = editor.form;
      editor.errors = check(f);
      if (Object.keys(editor.errors).length) return;
      editor.saving = true;
      const body = { ...f, title: f.title.trim(), question: f.question.trim(), answer: f.answer.trim(), keywords: f.keywords.map((k) => k.trim()) };
      try {
        const a = editor.id ? await put('/api/v1/hotline/kb/articles/' + editor.id, body) : await post('/api/v1/hotline/kb/articles', body);
        ElementPlus.ElMessage.success(editor.id ? '草稿已保存' : '文章已创建为草稿，提交审核后由12345中心发布');
        editor.open = false;
        current.value = a;
        drawer.value = true;
        load();
      } catch (err) {
        if (err.status === 422) {
          editor.errors = err.fields;
          ElementPlus.ElMessage.error('请按提示修改：' + errorList(err.fields));
        } else showError(err);
      } finally {
        editor.saving = false;
      }
    }

    // steps on the open article
    async function step(path, body, done) {
      try {
        current.value = await post(`/api/v1/hotline/kb/articles/${current.value.id}/${path}`, body);
        ElementPlus.ElMessage.success(done);
        load();
        return true;
      } catch (err) {
        if (err.status === 422) ElementPlus.ElMessage.error(errorList(err.fields) || err.message);
        else showError(err);
        return false;
      }
    }
    const submit = () => step('submit', {}, '已提交审核');
    const newVersion = async () => {
      if (await step('new-version', {}, '已建立新版本草稿；新版本发布前，现行版本继续有效')) edit(current.value);
    };
    const approve = () => step('review', { approve: true, note: '' }, '已审核通过并发布');
    // 退回 and 撤回 need a reason: asked in a prompt
    async function withReason(title, path, body, done) {
      let note;
      try {
        ({ value: note } = await ElementPlus.ElMessageBox.prompt('请填写理由（必填）', title, {
          confirmButtonText: '确定', cancelButtonText: '取消', inputType: 'textarea',
          inputValidator: (v) => (v && v.trim() ? true : '理由不能为空'), customClass: 'hl-reason-box',
        }));
      } catch {
        return;
      }
      await step(path, { ...body, note: note.trim() }, done);
    }
    const reject = () => withReason('退回修改', 'review', { approve: false }, '已退回承办单位修改');
    const withdraw = () => withReason('撤回文章', 'withdraw', {}, '已撤回，不再提供检索和引用');

    const mine = computed(() => current.value && unit.value && current.value.unit_id === session.user.dept_id);
    const latest = computed(() => current.value && current.value.state);

    onMounted(() => {
      document.title = '12345热线知识库';
      loadMatters();
      load();
    });
    return {
      unit, centre, filter, rows, shown, total, page, loading, options, hits, current, drawer, editor, mine, latest,
      load, search, open, edit, save, submit, newVersion, approve, reject, withdraw, fmtTime, viewport, KB_STATES, STATUS_TAGS,
    };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head">
      <h2>12345热线知识库</h2>
      <div class="hl-toolbar">
        <el-button v-if="unit" type="primary" data-test="kb-new" @click="edit(null)"><el-icon><Plus /></el-icon>&nbsp;新建文章</el-button>
      </div>
    </div>
    <el-card shadow="never" class="panel">
      <div class="hl-toolbar" style="margin-bottom:10px">
        <el-input v-model="filter.q" placeholder="按市民的问法检索，如：身份证丢了怎么办" clearable style="max-width:320px" data-test="kb-q"
                  @keyup.enter="search" @clear="search" />
        <el-button data-test="kb-search" @click="search"><el-icon><Search /></el-icon>&nbsp;检索</el-button>
        <el-select v-model="filter.state" placeholder="全部状态" clearable style="width:130px" data-test="kb-state" @change="page = 1; load()">
          <el-option v-for="(l, k) in KB_STATES" :key="k" :label="l" :value="k" />
        </el-select>
        <el-select v-model="filter.matter_id" placeholder="全部事项" clearable filterable style="width:200px" data-test="kb-matter" @change="search">
          <el-option v-for="m in options" :key="m.id" :label="m.label" :value="m.id" />
        </el-select>
      </div>
      <div v-if="hits" v-loading="loading" data-test="kb-hits">
        <div class="hl-form-head" style="margin-bottom:6px"><span>检索到 {{ hits.length }} 条（只含现行有效的文章和已发布的办事指南）</span>
          <el-button link type="primary" @click="filter.q = ''; search()">返回列表</el-button></div>
        <el-table :data="hits" size="small" stripe empty-text="没有找到相关内容" @row-click="(h) => h.kind === 'article' && open(h.id)">
          <el-table-column label="类型" width="80"><template #default="{ row }"><el-tag size="small" :type="row.kind === 'article' ? 'success' : 'info'">{{ row.kind === 'article' ? '知识' : '办事指南' }}</el-tag></template></el-table-column>
          <el-table-column label="标题" min-width="220"><template #default="{ row }">
            <a v-if="row.kind === 'guide'" :href="'/guide/' + row.code" target="_blank">{{ row.name }}</a><span v-else data-test="kb-hit-title">{{ row.title }}</span></template></el-table-column>
          <el-table-column label="事项/部门" min-width="150"><template #default="{ row }">{{ row.kind === 'article' ? row.matter + ' · ' + row.unit : row.dept_name || row.dept || '' }}</template></el-table-column>
        </el-table>
      </div>
      <div v-else v-loading="loading">
        <el-table :data="shown" size="small" stripe empty-text="暂无文章" data-test="kb-table" @row-click="(a) => open(a.id)" style="cursor:pointer">
          <el-table-column prop="title" label="标题" min-width="200" />
          <el-table-column v-if="!viewport.narrow" prop="matter" label="诉求事项" min-width="100" />
          <el-table-column v-if="!viewport.narrow" prop="unit" label="承办单位" min-width="140" />
          <el-table-column v-if="!viewport.narrow" label="版本" width="60" align="center"><template #default="{ row }">v{{ row.version }}</template></el-table-column>
          <el-table-column label="状态" width="110"><template #default="{ row }">
            <el-tag size="small" :type="STATUS_TAGS[row.status] || 'info'" data-test="kb-row-state">{{ row.status_label }}</el-tag></template></el-table-column>
          <el-table-column v-if="!viewport.narrow" label="有效期" min-width="170"><template #default="{ row }">{{ row.effective_from }} 至 {{ row.expires_on || '长期' }}</template></el-table-column>
          <el-table-column v-if="!viewport.narrow" prop="uses" label="引用" width="64" align="right" />
          <el-table-column v-if="!viewport.narrow" label="更新" min-width="130"><template #default="{ row }">{{ fmtTime(row.updated_at) }}</template></el-table-column>
        </el-table>
        <div class="hl-form-head" style="margin-top:6px">
          <span class="hl-muted">共 {{ total }} 篇。其他单位的文章只在发布后可见。</span>
          <el-pagination v-if="total > 100" v-model:current-page="page" :page-size="100" :total="total" layout="prev, pager, next" small @current-change="load" />
        </div>
      </div>
    </el-card>

    <el-drawer v-model="drawer" :size="viewport.narrow ? '100%' : '560px'" :title="current ? current.title : ''" data-test="kb-drawer">
      <template v-if="current">
        <div class="hl-kb-meta">
          <el-tag :type="STATUS_TAGS[current.status] || 'info'" data-test="kb-state-tag">{{ current.status_label }}</el-tag>
          <span>v{{ current.version }}</span><span>{{ current.matter }}</span><span>{{ current.unit }}</span>
          <span>有效期：{{ current.effective_from }} 至 {{ current.expires_on || '长期' }}</span><span>引用 {{ current.uses }} 次</span>
          <span v-if="current.published_version && current.published_version !== current.version">现行发布版本：v{{ current.published_version }}</span>
        </div>
        <el-alert v-if="current.note && current.state === 'draft'" type="warning" :closable="false" show-icon :title="'审核意见：' + current.note" class="hl-keep" />
        <div class="hl-toolbar" style="margin-bottom:12px">
          <template v-if="mine && current.can_edit">
            <el-button v-if="latest === 'draft'" data-test="kb-edit" @click="edit(current)">编辑</el-button>
            <el-button v-if="latest === 'draft'" type="primary" data-test="kb-submit" @click="submit">提交审核</el-button>
            <el-button v-if="latest === 'published' || latest === 'withdrawn'" data-test="kb-new-version" @click="newVersion">修订（新版本）</el-button>
          </template>
          <template v-if="centre">
            <el-button v-if="latest === 'submitted'" type="success" data-test="kb-approve" @click="approve">审核通过并发布</el-button>
            <el-button v-if="latest === 'submitted'" type="warning" data-test="kb-reject" @click="reject">退回修改</el-button>
            <el-button v-if="current.published_version" type="danger" plain data-test="kb-withdraw" @click="withdraw">撤回</el-button>
          </template>
        </div>
        <h4 v-if="current.question">常见问法</h4><p v-if="current.question">{{ current.question }}</p>
        <h4>答复口径</h4>
        <div class="hl-kb-answer" data-test="kb-answer">{{ current.answer }}</div>
        <p v-if="current.keywords && current.keywords.length"><el-tag v-for="k in current.keywords" :key="k" size="small" effect="plain" style="margin:2px">{{ k }}</el-tag></p>
        <h4>版本记录</h4>
        <el-timeline>
          <el-timeline-item v-for="v in current.versions" :key="v.version_id || v.version" :timestamp="fmtTime(v.reviewed_at || v.submitted_at || v.created_at)">
            v{{ v.version }} · {{ v.status_label }} · {{ v.created_by }}<span v-if="v.reviewed_by">，审核：{{ v.reviewed_by }}</span><span v-if="v.note">（{{ v.note }}）</span>
          </el-timeline-item>
        </el-timeline>
      </template>
    </el-drawer>

    <el-dialog v-model="editor.open" :title="editor.id ? '编辑草稿' : '新建知识库文章'" :width="viewport.narrow ? '96%' : '640px'" data-test="kb-editor">
      <el-form :label-position="viewport.narrow ? 'top' : 'right'" label-width="90px">
        <el-form-item label="标题" required :error="editor.errors.title">
          <el-input v-model="editor.form.title" maxlength="100" data-test="kb-title" /></el-form-item>
        <el-form-item label="诉求事项" required :error="editor.errors.matter_id">
          <el-select v-model="editor.form.matter_id" filterable placeholder="选择事项分类" style="width:100%" data-test="kb-form-matter">
            <el-option v-for="m in options" :key="m.id" :label="m.label" :value="m.id" />
          </el-select></el-form-item>
        <el-form-item label="常见问法" :error="editor.errors.question">
          <el-input v-model="editor.form.question" maxlength="500" placeholder="市民通常怎么问（可选）" data-test="kb-question" /></el-form-item>
        <el-form-item label="答复口径" required :error="editor.errors.answer">
          <el-input v-model="editor.form.answer" type="textarea" :rows="7" maxlength="4000" show-word-limit data-test="kb-body" /></el-form-item>
        <el-form-item label="关键词" :error="editor.errors.keywords">
          <el-select v-model="editor.form.keywords" multiple filterable allow-create default-first-option :reserve-keyword="false"
                     placeholder="输入后回车，最多20个" style="width:100%" data-test="kb-keywords" /></el-form-item>
        <el-form-item label="生效日期" :error="editor.errors.effective_from">
          <el-date-picker v-model="editor.form.effective_from" type="date" value-format="YYYY-MM-DD" :clearable="false" data-test="kb-from" /></el-form-item>
        <el-form-item label="失效日期" :error="editor.errors.expires_on">
          <el-date-picker v-model="editor.form.expires_on" type="date" value-format="YYYY-MM-DD" placeholder="长期有效" data-test="kb-to" /></el-form-item>
      </el-form>
      <template #footer>
        <el-button @click="editor.open = false">取消</el-button>
        <el-button type="primary" :loading="editor.saving" data-test="kb-save" @click="save">保存草稿</el-button>
      </template>
    </el-dialog>
  </div>`,
};
