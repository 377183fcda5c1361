// Staff workbenches: /window (综合受理窗口: the inbox of cases waiting for the window and the
// walk-in form for any department's item) and /office (the back office's 待办 list).
import { get, post } from '../../api.js';
import { route, navigate, href } from '../../router.js';
import { showError, viewport } from '../../util.js';
import { CaseInbox, MaterialUploader, attachAll } from './common.js';

const { ref, reactive, computed } = Vue;

// 综合收件: find the item, name the applicant, tick and scan the materials brought.
const WalkIn = {
  name: 'WalkIn',
  components: { MaterialUploader },
  setup() {
    const q = ref('');
    const found = ref([]);
    const item = ref(null);
    const form = reactive({ name: '', id_number: '', phone: '', agent: false, brought: [] });
    const uploads = ref({});
    const errors = ref({});
    const saving = ref(false);
    async function find() {
      try {
        found.value = (await get('/api/v1/items', { q: q.value.trim(), page_size: 10 })).items || [];
        if (!found.value.length) ElementPlus.ElMessage.info('没有找到匹配的事项');
      } catch (err) {
        showError(err);
      }
    }
    async function pick(code) {
      try {
        item.value = await get('/api/v1/items/' + encodeURIComponent(code));
        found.value = [];
        form.brought = [];
        uploads.value = {};
      } catch (err) {
        showError(err);
      }
    }
    const materials = computed(() => (item.value && item.value.materials) || []);
    async function save() {
      errors.value = {};
      saving.value = true;
      try {
        // A material counts as brought when ticked or scanned.
        const names = materials.value.map((m) => m.name)
          .filter((n) => form.brought.includes(n) || (uploads.value[n] || []).length);
        const c = await post('/api/v1/cases', {
          item_code: item.value.code, materials: names, agent: form.agent,
          applicant: { name: form.name, id_number: form.id_number.toUpperCase(), phone: form.phone },
        });
        await attachAll(c.id, uploads.value, post);
        ElementPlus.ElMessage.success('已收件，请进行受理审查');
        navigate('/cases/' + c.id);
      } catch (err) {
        errors.value = err.fields || {};
        showError(err);
      } finally {
        saving.value = false;
      }
    }
    return { q, found, item, form, uploads, errors, saving, materials, find, pick, save, viewport };
  },
  template: `
  <div class="walkin">
    <el-form :label-position="viewport.narrow ? 'top' : 'right'" label-width="100px">
      <el-form-item label="办理事项" :error="errors.item_code">
        <div class="walkin-find">
          <el-input v-model="q" placeholder="输入事项名称、办理结果或俗称，如：营业执照" data-test="walkin-item-search" @keyup.enter="find" />
          <el-button @click="find" data-test="walkin-item-find">查找</el-button>
        </div>
        <div v-if="found.length" class="walkin-options">
          <button v-for="it in found" :key="it.code" type="button" class="walkin-option" data-test="walkin-item-option" @click="pick(it.code)">
            <b>{{ it.name }}</b><span class="muted">{{ it.dept }} · {{ it.code }}</span></button>
        </div>
        <div v-if="item" class="walkin-picked" data-test="walkin-item">{{ item.name }} <span class="muted">（{{ item.dept }}，承诺 {{ item.promised_limit_days }} 个工作日）</span></div>
      </el-form-item>
      <template v-if="item">
        <el-form-item label="申请人" :error="errors['applicant.name']"><el-input v-model="form.name" maxlength="100" data-test="walkin-name" /></el-form-item>
        <el-form-item label="证件号码" :error="errors['applicant.id_number']"><el-input v-model="form.id_number" maxlength="18" placeholder="18 位居民身份证号码或统一社会信用代码" data-test="walkin-id" /></el-form-item>
        <el-form-item label="联系电话" :error="errors['applicant.phone']"><el-input v-model="form.phone" maxlength="20" data-test="walkin-phone" /></el-form-item>
        <el-form-item label="帮代办"><el-checkbox v-model="form.agent" data-test="walkin-agent">由工作人员或代办员代为办理</el-checkbox></el-form-item>
        <el-form-item label="收取材料" :error="errors.materials">
          <el-checkbox-group v-model="form.brought" class="stack">
            <el-checkbox v-for="(m, i) in materials" :key="m.name" :value="m.name" :data-test="'walkin-material-' + i">{{ m.name }}<span v-if="m.required" class="req"> *</span></el-checkbox>
          </el-checkbox-group>
        </el-form-item>
        <el-form-item label="扫描件"><material-uploader :materials="materials" v-model="uploads" /></el-form-item>
        <el-form-item><el-button type="primary" :loading="saving" @click="save" data-test="walkin-submit">收件</el-button></el-form-item>
      </template>
    </el-form>
  </div>`,
};

export const WindowPage = {
  name: 'WindowPage',
  components: { CaseInbox, WalkIn },
  setup() {
    const tab = ref(route.query.tab === 'walkin' ? 'walkin' : 'inbox');
    const switchTab = (t) => navigate(href('/window', { tab: t === 'walkin' ? 'walkin' : '' }), { replace: true });
    return { tab, switchTab };
  },
  template: `
  <div class="container page">
    <h1 class="page-title">综合受理窗口</h1>
    <el-card shadow="never" class="panel">
      <el-tabs v-model="tab" @tab-change="switchTab">
        <el-tab-pane label="待受理办件" name="inbox"><case-inbox /></el-tab-pane>
        <el-tab-pane name="walkin"><template #label><span data-test="tab-walkin">综合收件</span></template><walk-in /></el-tab-pane>
      </el-tabs>
    </el-card>
  </div>`,
};

export const OfficePage = {
  name: 'OfficePage',
  components: { CaseInbox },
  template: `
  <div class="container page">
    <h1 class="page-title">审批待办</h1>
    <el-card shadow="never" class="panel"><case-inbox /></el-card>
  </div>`,
};
