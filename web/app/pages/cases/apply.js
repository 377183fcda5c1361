// The applicant's side: /apply/{code} (在线申请: a form built from the item's materials, the
// profile pre-filled — 一次输入、终生受用 — kept in the browser across reloads until it is saved as
// a draft or, after a confirmation step, submitted), /bundles/{code}/apply
// (the same for a 一件事: one form, one set of materials for all its items), /my/cases (我的办件)
// and /my/profile (我的资料, the profile itself).
import { get, post, put } from '../../api.js';
import { session } from '../../store.js';
import { route, navigate } from '../../router.js';
import { fmtTime, showError, viewport } from '../../util.js';
import { MaterialUploader, SHARED_SOURCES, StateTag, attachAll, caseUrl, formFields } from './common.js';

const { ref, reactive, computed, onMounted, watch } = Vue;

// A 一件事 as the form needs it: its lead item's department and the materials of all its items,
// each named once (the first guide naming it decides whether it is required).
async function loadBundle(code) {
  const bundle = ((await get('/api/v1/bundles')).items || []).find((b) => b.code === code);
  if (!bundle) throw Object.assign(new Error('该一件事不存在'), { status: 404 });
  const guides = await Promise.all(bundle.items.map((x) => get('/api/v1/items/' + encodeURIComponent(x.item_code))));
  const materials = [];
  for (const g of guides) {
    for (const m of g.materials || []) if (!materials.some((x) => x.name === m.name)) materials.push(m);
  }
  const lead = bundle.items.find((x) => x.lead) || bundle.items[0];
  return { name: bundle.name, dept: lead.dept, materials, bundle };
}

// Who applies is the signed-in account (实名): its name is shown as 申请人, never typed again
// (a company's contact person is 单位联系人).
const IDENTITY_KEYS = { person: ['name'], legal: ['name', 'company_name'] };
const PHONE_RE = /^[0-9+-]{7,20}$/;

// The form typed so far survives a reload: localStorage keyed by user and item, with the ids of
// the files already uploaded (the server keeps uploads until they are attached). Cleared once the
// application (or its server-side draft) exists.
function draftStore(user, target) {
  const key = `yw.apply.${user && (user.id || user.username)}.${target}`;
  return {
    load() {
      try {
        const d = JSON.parse(localStorage.getItem(key) || 'null');
        return d && typeof d === 'object' ? d : null;
      } catch {
        return null;
      }
    },
    save(d) {
      try {
        localStorage.setItem(key, JSON.stringify({ ...d, saved_at: Date.now() }));
      } catch {
        // storage full or disabled: the form still works, it just does not survive a reload
      }
    },
    clear() {
      try {
        localStorage.removeItem(key);
      } catch {
        // nothing stored
      }
    },
  };
}

// Only uploads as the server described them: {id, name, size, ...}.
function cleanUploads(u) {
  const out = {};
  for (const [m, list] of Object.entries(u && typeof u === 'object' ? u : {})) {
    const ok = (Array.isArray(list) ? list : []).filter((x) => x && x.id && x.name);
    if (ok.length) out[m] = ok;
  }
  return out;
}

export const ApplyPage = {
  name: 'ApplyPage',
  components: { MaterialUploader },
  setup() {
    const code = route.params.code;
    const bundleCode = route.params.bundle;
    const item = ref(null);
    const error = ref('');
    const profile = reactive({ data: {}, fields: [] });
    const form = reactive({});
    const uploads = ref({});
    const saveProfile = ref(false);
    const errors = ref({});
    const saving = ref(false);
    const stage = ref('fill'); // fill → confirm → (submitted: the case page)
    const restored = ref(false);
    const draft = draftStore(session.user, bundleCode ? 'bundle:' + bundleCode : code);
    let ready = false;

    const fields = computed(() => {
      const kind = (session.user && session.user.kind) || 'person';
      const hidden = IDENTITY_KEYS[kind] || IDENTITY_KEYS.person;
      return formFields(profile.fields, kind).filter((f) => !hidden.includes(f.key));
    });

    onMounted(async () => {
      try {
        item.value = bundleCode ? await loadBundle(bundleCode) : await get('/api/v1/items/' + encodeURIComponent(code));
        document.title = '在线申请 · ' + item.value.name;
      } catch (err) {
        error.value = err.status === 404 ? '该事项不存在或已停止办理' : err.message;
        return;
      }
      try {
        const p = await get('/api/v1/me/profile');
        profile.data = p.profile || {};
        profile.fields = p.fields || [];
      } catch {
        // no saved profile: the form starts empty
      }
      for (const f of fields.value) form[f.key] = profile.data[f.key] || '';
      const d = draft.load();
      if (d) {
        for (const f of fields.value) if (d.form && typeof d.form[f.key] === 'string') form[f.key] = d.form[f.key];
        const names = new Set(materials.value.map((m) => m.name));
        uploads.value = Object.fromEntries(Object.entries(cleanUploads(d.uploads)).filter(([m]) => names.has(m)));
        saveProfile.value = !!d.save_profile;
        restored.value = Object.keys(uploads.value).length > 0 || fields.value.some((f) => (form[f.key] || '') !== (profile.data[f.key] || ''));
      }
      ready = true;
    });
    watch([form, uploads, saveProfile], () => {
      if (ready) draft.save({ form: { ...form }, uploads: uploads.value, save_profile: saveProfile.value });
    }, { deep: true });

    const materials = computed(() => (item.value && item.value.materials) || []);
    // Required materials without a file; those the department takes from shared data or
    // e-licences (免提交) need none.
    const missing = computed(() => materials.value.filter((m) => m.required && !SHARED_SOURCES.includes(m.source)
      && !(uploads.value[m.name] || []).length));
    const changed = computed(() => fields.value.filter((f) => (form[f.key] || '') !== (profile.data[f.key] || '')));
    const filled = () => Object.fromEntries(fields.value.filter((f) => form[f.key]).map((f) => [f.key, form[f.key].trim()]));
    // The summary the confirmation step shows: every field and every material with its files.
    const summary = computed(() => ({
      fields: fields.value.map((f) => ({ key: f.key, label: f.label, value: (form[f.key] || '').trim() })),
      materials: materials.value.map((m) => ({
        name: m.name, required: m.required, shared: SHARED_SOURCES.includes(m.source), source: m.source,
        files: (uploads.value[m.name] || []).map((u) => u.name),
      })),
    }));

    // The form's own checks: the phone is required (the department calls back on it).
    function check() {
      const e = {};
      const phone = (form.phone || '').trim();
      if (!phone) e['form.phone'] = '请填写联系电话';
      else if (!PHONE_RE.test(phone)) e['form.phone'] = '联系电话只能包含数字、+ 和 -，7 至 20 位';
      errors.value = e;
      return !Object.keys(e).length;
    }

    // 提交申请: checks, then the confirmation step.
    function review() {
      if (!check()) {
        ElementPlus.ElMessage.warning('请完善申请人信息：' + Object.values(errors.value).join('；'));
        return;
      }
      if (missing.value.length) {
        ElementPlus.ElMessage.warning('请上传必要材料：' + missing.value.map((m) => m.name).join('、'));
        return;
      }
      stage.value = 'confirm';
      window.scrollTo(0, 0);
    }
    function back() {
      stage.value = 'fill';
    }
    function discard() {
      draft.clear();
      for (const f of fields.value) form[f.key] = profile.data[f.key] || '';
      uploads.value = {};
      saveProfile.value = false;
      restored.value = false;
      errors.value = {};
    }

    async function save(submit) {
      if (submit && !check()) {
        stage.value = 'fill';
        return;
      }
      saving.value = true;
      try {
        const values = filled();
        const names = materials.value.filter((m) => (uploads.value[m.name] || []).length).map((m) => m.name);
        const target = bundleCode ? { bundle_code: bundleCode } : { item_code: code };
        const c = await post('/api/v1/cases', { ...target, materials: names, form: values, submit: false });
        // the application exists on the server now: the local copy has done its job
        ready = false;
        draft.clear();
        try {
          await attachAll(c.id, uploads.value, post);
        } catch (err) {
          // the draft exists: continue there rather than create another one
          showError(err);
          navigate('/cases/' + c.id);
          return;
        }
        if (submit) await post(caseUrl(c.id, '/submit'));
        if (saveProfile.value && changed.value.length) {
          await put('/api/v1/me/profile', { profile: { ...profile.data, ...values } }).catch(showError);
        }
        ElementPlus.ElMessage.success(submit ? '申请已提交' : '草稿已保存');
        navigate('/cases/' + c.id);
      } catch (err) {
        errors.value = err.fields || {};
        stage.value = 'fill';
        showError(err);
      } finally {
        saving.value = false;
      }
    }
    return {
      code, bundleCode, item, error, fields, form, uploads, materials, missing, changed, saveProfile, errors, saving, stage,
      restored, summary, review, back, discard, save, viewport, session,
    };
  },
  template: `
  <div class="container page">
    <el-breadcrumb separator="/" class="crumbs">
      <el-breadcrumb-item><a href="/">首页</a></el-breadcrumb-item>
      <el-breadcrumb-item v-if="bundleCode"><a href="/bundles">一件事</a></el-breadcrumb-item>
      <el-breadcrumb-item v-else><a :href="'/guide/' + encodeURIComponent(code)">办事指南</a></el-breadcrumb-item>
      <el-breadcrumb-item>在线申请</el-breadcrumb-item>
    </el-breadcrumb>
    <el-result v-if="error" icon="warning" :title="error" />
    <el-skeleton v-else-if="!item" :rows="8" animated class="panel" />
    <template v-else>
      <el-card shadow="never" class="panel">
        <h1 class="page-title" data-test="apply-title">在线申请：{{ item.name }}</h1>
        <div v-if="item.bundle" class="muted">{{ item.dept }}牵头，{{ item.bundle.items.length - 1 }} 个协办事项并联审批 · 一次申请、一套材料</div>
        <div v-else class="muted">{{ item.dept }} · 承诺 {{ item.promised_limit_days }} 个工作日办结 · 到现场 {{ item.visits }} 次</div>
        <el-steps :active="stage === 'fill' ? 0 : 1" finish-status="success" simple class="apply-steps">
          <el-step title="填写申请" /><el-step title="确认提交" />
        </el-steps>
      </el-card>

      <template v-if="stage === 'fill'">
        <el-alert v-if="restored" type="info" show-icon :closable="false" class="panel" data-test="apply-restored"
                  title="已恢复您上次未提交的填写内容和已上传的材料">
          <el-button link type="primary" @click="discard" data-test="apply-discard">清空重填</el-button>
        </el-alert>
        <el-card shadow="never" class="panel">
          <template #header><span class="panel-title">申请人信息</span></template>
          <el-form :label-position="viewport.narrow ? 'top' : 'right'" label-width="110px" class="apply-form">
            <el-form-item label="申请人">
              <span data-test="apply-applicant">{{ session.user.name }}</span><span class="muted">（与账号实名信息一致，不可修改）</span>
            </el-form-item>
            <el-form-item v-for="f in fields" :key="f.key" :label="f.label" :error="errors['form.' + f.key]" :required="f.key === 'phone'">
              <el-input v-model="form[f.key]" :maxlength="f.max || 200" :data-test="'apply-field-' + f.key" />
            </el-form-item>
            <el-form-item>
              <el-checkbox v-model="saveProfile" data-test="apply-save-profile">保存到我的资料（下次申请自动填写）</el-checkbox>
              <span v-if="saveProfile && changed.length" class="muted small">&nbsp;将更新：{{ changed.map(f => f.label).join('、') }}</span>
            </el-form-item>
          </el-form>
        </el-card>
        <el-card shadow="never" class="panel">
          <template #header><span class="panel-title">申请材料</span> <span class="muted small">带 * 为必要材料</span></template>
          <material-uploader :materials="materials" v-model="uploads" />
          <el-alert v-if="errors.materials" type="error" :title="errors.materials" :closable="false" />
        </el-card>
        <div class="form-actions">
          <el-button :loading="saving" @click="save(false)" data-test="apply-draft">保存草稿</el-button>
          <el-button type="primary" :loading="saving" @click="review" data-test="apply-submit">提交申请</el-button>
        </div>
      </template>

      <template v-else>
        <el-card shadow="never" class="panel" data-test="apply-summary">
          <template #header><span class="panel-title">请确认申请信息</span> <span class="muted small">确认无误后提交；提交后可在“我的办件”查看进度</span></template>
          <table class="doc-table form-table apply-summary">
            <tbody>
              <tr><th>申请事项</th><td>{{ item.name }}</td></tr>
              <tr><th>实施部门</th><td>{{ item.dept }}</td></tr>
              <tr><th>申请人</th><td>{{ session.user.name }}</td></tr>
              <tr v-for="f in summary.fields" :key="f.key" :data-test="'summary-field-' + f.key"><th>{{ f.label }}</th><td>{{ f.value || '未填写' }}</td></tr>
            </tbody>
          </table>
          <h3 class="doc-h">申请材料</h3>
          <table class="doc-table apply-summary">
            <tbody>
              <tr v-for="m in summary.materials" :key="m.name" data-test="summary-material">
                <th>{{ m.name }}</th>
                <td>
                  <div v-for="n in m.files" :key="n" data-test="summary-file">{{ n }}</div>
                  <span v-if="!m.files.length" class="muted">{{ m.shared ? '免提交（' + m.source + '）' : m.required ? '未上传' : '未上传（非必要）' }}</span>
                </td>
              </tr>
            </tbody>
          </table>
          <p v-if="saveProfile && changed.length" class="muted small">提交后将更新我的资料：{{ changed.map(f => f.label).join('、') }}。</p>
        </el-card>
        <div class="form-actions">
          <el-button :disabled="saving" @click="back" data-test="apply-back">返回修改</el-button>
          <el-button type="primary" :loading="saving" @click="save(true)" data-test="apply-confirm">确认提交</el-button>
        </div>
      </template>
    </template>
  </div>`,
};

export const MyCasesPage = {
  name: 'MyCasesPage',
  components: { StateTag },
  setup() {
    const rows = ref([]);
    const total = ref(0);
    const page = ref(1);
    const loading = ref(false);
    async function load() {
      loading.value = true;
      try {
        const r = await get('/api/v1/cases', { page: page.value, page_size: 20 });
        rows.value = r.items || [];
        total.value = r.total || 0;
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }
    onMounted(load);
    return { rows, total, page, loading, load, fmtTime };
  },
  template: `
  <div class="container page">
    <div class="panel-head-row"><h1 class="page-title">我的办件</h1>
      <el-button tag="a" href="/my/profile" size="small" data-test="my-profile"><el-icon><User /></el-icon>&nbsp;我的资料</el-button></div>
    <div v-loading="loading" class="case-cards">
      <a v-for="c in rows" :key="c.id" class="case-card" :href="'/cases/' + c.id" data-test="case-row">
        <div class="case-card-head"><b>{{ c.item_name }}</b><state-tag :state="c.state" :label="c.state_label" /></div>
        <div class="case-card-meta">
          <span>办件编号：{{ c.case_no || '受理后生成' }}</span>
          <span>{{ c.dept }}</span>
          <span>申请时间：{{ fmtTime(c.submitted_at || c.created_at) }}</span>
          <span v-if="c.promised_day">承诺办结：{{ c.promised_day }}</span>
        </div>
      </a>
      <el-empty v-if="!loading && !rows.length" description="您还没有办件">
        <el-button tag="a" href="/search" type="primary">查找办事事项</el-button>
      </el-empty>
    </div>
    <el-pagination v-if="total > 20" class="pager" layout="prev, pager, next" :total="total" :page-size="20"
                   v-model:current-page="page" @current-change="load" />
  </div>`,
};

export const ProfilePage = {
  name: 'ProfilePage',
  setup() {
    const form = reactive({});
    const fields = ref([]);
    const errors = ref({});
    const saving = ref(false);
    const updated = ref(null);
    onMounted(async () => {
      try {
        const p = await get('/api/v1/me/profile');
        fields.value = formFields(p.fields, session.user && session.user.kind);
        for (const f of fields.value) form[f.key] = (p.profile || {})[f.key] || '';
        updated.value = p.updated_at;
      } catch (err) {
        showError(err);
      }
    });
    async function save() {
      saving.value = true;
      errors.value = {};
      try {
        const p = await put('/api/v1/me/profile', { profile: { ...form } });
        updated.value = p.updated_at;
        ElementPlus.ElMessage.success('资料已保存，下次申请将自动填写');
      } catch (err) {
        errors.value = err.fields || {};
        showError(err);
      } finally {
        saving.value = false;
      }
    }
    return { form, fields, errors, saving, updated, save, viewport, fmtTime };
  },
  template: `
  <div class="container page">
    <h1 class="page-title">我的资料</h1>
    <el-card shadow="never" class="panel">
      <p class="muted">一次输入、终生受用：这里保存的信息会在您下次在线申请时自动填写。<span v-if="updated">最近更新：{{ fmtTime(updated) }}</span></p>
      <el-form :label-position="viewport.narrow ? 'top' : 'right'" label-width="110px">
        <el-form-item v-for="f in fields" :key="f.key" :label="f.label" :error="errors[f.key]">
          <el-input v-model="form[f.key]" :maxlength="f.max || 200" :data-test="'profile-' + f.key" />
        </el-form-item>
        <el-form-item><el-button type="primary" :loading="saving" @click="save" data-test="profile-save">保存</el-button></el-form-item>
      </el-form>
    </el-card>
  </div>`,
};
