// Item editor /admin/items/new and /admin/items/{id}: every field of the catalogue format
// (docs/catalog-format.md). Saves the draft (POST or PUT) and submits it for review.
import { get, post, put } from '../../api.js';
import { session, codes, can } from '../../store.js';
import { route, navigate } from '../../router.js';
import {
  ITEM_STATUS, MATERIAL_FORMS, MATERIAL_SOURCES, ONLINE_DEPTH, RESULT_TYPES, STEP_ROLES, showError,
} from '../../util.js';

const { ref, reactive, computed, onMounted } = Vue;

function blankItem() {
  return {
    code: '', base_code: '', name: '', dept: '', type: '01', level: 3, region: '', targets: [1], handling_class: 2,
    legal_limit_days: 20, promised_limit_days: 5, basis: '', conditions: '', keywords: [], aliases: [], life_events: [],
    forms: [1], visits: 1, online_depth: 3, appointment: false, express: false, online_payment: false,
    tongban: '无', tags: [], lists: [], result: { type: '证照', name: '', sample: '' }, intermediaries: [],
    place: '', hours: '工作日 上午9:00-12:00 下午13:30-17:00', phone_consult: '', phone_complaint: '12345',
    materials: [], fees: [], steps: [{ name: '受理', role: 'window', days: 1 }],
  };
}
const blankMaterial = () => ({ name: '', required: true, form: '原件', copies: 1, source: '申请人自备', note: '', blank_form: '', sample: '' });
const blankFee = () => ({ item: '', standard: '', basis: '', waivable: false, amount_fen: 0 });
const blankStep = () => ({ name: '', role: 'approver', days: 1 });

const FIELD_LABELS = {
  code: '实施编码', base_code: '基本编码', name: '事项名称', dept: '实施部门', type: '事项类型', level: '行使层级',
  region: '行政区划', targets: '服务对象', handling_class: '办件类型', legal_limit_days: '法定办结时限',
  promised_limit_days: '承诺办结时限', basis: '设定依据', conditions: '受理条件', keywords: '关键词', aliases: '俗称',
  life_events: '主题', forms: '办理形式', visits: '到现场次数', online_depth: '网上办理深度', tongban: '通办范围',
  tags: '服务标签', lists: '所属清单', result: '办理结果', intermediaries: '中介服务', place: '办理地点',
  hours: '办理时间', phone_consult: '咨询电话', phone_complaint: '监督投诉电话', materials: '申请材料',
  fees: '收费', steps: '办理流程',
};

const SUB_LABELS = {
  name: '名称', required: '必要性', form: '材料形式', copies: '份数', source: '来源', note: '备注', item: '收费项目',
  standard: '收费标准', amount_fen: '金额', role: '办理人员', days: '时限', type: '类型', sample: '样本',
};

// 'materials.0.name' -> '申请材料 第1行 名称'
function fieldTitle(field) {
  const [head, ...rest] = field.split('.');
  return [FIELD_LABELS[head] || head,
    ...rest.map((p) => (/^\d+$/.test(p) ? `第${Number(p) + 1}行` : SUB_LABELS[p] || p))].join(' ');
}

export default {
  name: 'ItemEditor',
  setup() {
    const id = route.params.id;
    const form = reactive(blankItem());
    const meta = reactive({ code: '', versions: [], status: id ? '' : 'draft', version: 0 });
    const errors = ref({});
    const loading = ref(!!id);
    const saving = ref(false);
    const departments = ref([]);
    const regions = ref([]);

    const readonly = computed(() => !can('catalog.edit') || (id && meta.status !== 'draft'));
    const stepSum = computed(() => form.steps.reduce((s, x) => s + (Number(x.days) || 0), 0));
    const reviewNote = computed(() => {
      const latest = meta.versions.find((v) => v.version === meta.version);
      return meta.status === 'draft' && latest && latest.review_note;
    });
    const errorList = computed(() => Object.entries(errors.value).map(([f, m]) => fieldTitle(f) + '：' + m));
    const rowError = (list, i, key) => errors.value[`${list}.${i}.${key}`] || errors.value[`${list}.${i}`];

    async function load() {
      try {
        const data = await get('/api/v1/admin/items/' + id);
        Object.assign(form, blankItem(), data.latest || {});
        form.result = { ...blankItem().result, ...(form.result || {}) };
        Object.assign(meta, { code: data.code, versions: data.versions || [], status: data.latest_status, version: data.latest_version });
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }

    function payload() {
      const body = JSON.parse(JSON.stringify(form));
      if (!body.code) delete body.code;
      return body;
    }

    // Returns the item id once saved, or null when the server refused.
    async function save(quiet) {
      saving.value = true;
      errors.value = {};
      try {
        if (id) {
          await put('/api/v1/admin/items/' + id, payload());
          if (!quiet) ElementPlus.ElMessage.success('草稿已保存');
          return id;
        }
        const created = await post('/api/v1/admin/items', payload());
        if (!quiet) {
          ElementPlus.ElMessage.success('事项已创建（草稿）');
          navigate('/admin/items/' + created.id, { replace: true });
        }
        return created.id;
      } catch (err) {
        errors.value = err.fields || {};
        showError(err);
        return null;
      } finally {
        saving.value = false;
      }
    }

    async function submit() {
      const savedId = await save(true);
      if (!savedId) return;
      try {
        await post(`/api/v1/admin/items/${savedId}/submit`);
        ElementPlus.ElMessage.success('已提交审核');
        navigate('/admin/items');
      } catch (err) {
        showError(err);
        if (!id) navigate('/admin/items/' + savedId, { replace: true });
      }
    }

    async function newVersion() {
      try {
        await post(`/api/v1/admin/items/${id}/new-version`);
        ElementPlus.ElMessage.success('已创建新版本草稿');
        loading.value = true;
        await load();
      } catch (err) {
        showError(err);
      }
    }

    function move(list, i, delta) {
      const j = i + delta;
      if (j < 0 || j >= list.length) return;
      [list[i], list[j]] = [list[j], list[i]];
    }

    onMounted(async () => {
      if (id) load();
      const [d, r] = await Promise.allSettled([get('/api/v1/departments'), get('/api/v1/regions')]);
      departments.value = d.status === 'fulfilled' ? d.value.items || [] : [];
      regions.value = r.status === 'fulfilled' ? r.value.items || [] : [];
      if (!id) {
        const own = departments.value.find((x) => x.id === session.user.dept_id);
        if (own) form.dept = own.name;
        form.region = (own && own.region_code) || session.user.region_code || '';
      }
    });

    return {
      id, form, meta, errors, loading, saving, departments, regions, readonly, stepSum, reviewNote, errorList,
      rowError, save, submit, newVersion, move, navigate, codes, can,
      blankMaterial, blankFee, blankStep, ITEM_STATUS, MATERIAL_FORMS, MATERIAL_SOURCES, ONLINE_DEPTH, RESULT_TYPES, STEP_ROLES,
    };
  },
  template: `
  <div class="admin-page item-editor" v-loading="loading">
    <div class="admin-head">
      <h2>{{ id ? (form.name || '事项') : '新建事项' }}
        <small v-if="id" class="muted">{{ meta.code }} · v{{ meta.version }}</small>
        <el-tag v-if="id" :type="(ITEM_STATUS[meta.status] || {}).tag">{{ (ITEM_STATUS[meta.status] || {}).label || meta.status }}</el-tag>
      </h2>
      <el-button @click="navigate('/admin/items')"><el-icon><Back /></el-icon>&nbsp;返回列表</el-button>
    </div>

    <el-alert v-if="id && readonly && can('catalog.edit')" type="info" show-icon :closable="false" class="editor-alert"
              :title="'当前最新版本为“' + ((ITEM_STATUS[meta.status] || {}).label || meta.status) + '”状态，不能直接修改。'">
      <template v-if="meta.status === 'published' || meta.status === 'withdrawn'">
        如需修改，请 <el-button size="small" type="primary" @click="newVersion">创建新版本</el-button>
      </template>
    </el-alert>
    <el-alert v-if="reviewNote" type="warning" show-icon :closable="false" class="editor-alert" :title="'审核退回意见：' + reviewNote" />
    <el-alert v-if="errorList.length" type="error" show-icon :closable="false" class="editor-alert" title="保存失败，请修改以下内容：">
      <ul class="error-list"><li v-for="e in errorList" :key="e">{{ e }}</li></ul>
    </el-alert>

    <el-form :model="form" label-position="top" :disabled="readonly" class="editor-form">
      <el-card shadow="never" class="panel">
        <template #header><span class="panel-title">基本信息</span></template>
        <el-row :gutter="16">
          <el-col :xs="24" :md="12">
            <el-form-item label="事项名称" required :error="errors.name">
              <el-input v-model="form.name" maxlength="100" show-word-limit data-test="item-form-name" />
            </el-form-item>
          </el-col>
          <el-col :xs="24" :sm="12" :md="6">
            <el-form-item label="实施编码" :error="errors.code">
              <el-input v-model="form.code" :disabled="!!id" maxlength="32" placeholder="留空由系统生成"
                        @input="form.code = form.code.toUpperCase()" />
            </el-form-item>
          </el-col>
          <el-col :xs="24" :sm="12" :md="6">
            <el-form-item label="基本编码" :error="errors.base_code"><el-input v-model="form.base_code" maxlength="10" /></el-form-item>
          </el-col>
          <el-col :xs="24" :sm="12" :md="8">
            <el-form-item label="实施部门" required :error="errors.dept">
              <el-select v-model="form.dept" filterable placeholder="选择部门">
                <el-option v-for="d in departments" :key="d.id" :label="d.name" :value="d.name" />
              </el-select>
            </el-form-item>
          </el-col>
          <el-col :xs="24" :sm="12" :md="8">
            <el-form-item label="事项类型" required :error="errors.type">
              <el-select v-model="form.type"><el-option v-for="c in codes.item_types" :key="c.code" :label="c.code + ' ' + c.label" :value="c.code" /></el-select>
            </el-form-item>
          </el-col>
          <el-col :xs="12" :sm="12" :md="4">
            <el-form-item label="行使层级" required :error="errors.level">
              <el-select v-model="form.level"><el-option v-for="c in codes.levels" :key="c.code" :label="c.label" :value="c.code" /></el-select>
            </el-form-item>
          </el-col>
          <el-col :xs="12" :sm="12" :md="4">
            <el-form-item label="行政区划" :error="errors.region">
              <el-select v-model="form.region" filterable>
                <el-option v-for="r in regions" :key="r.code" :label="r.name" :value="r.code"><span>{{ r.name }}</span> <span class="muted">{{ r.code }}</span></el-option>
              </el-select>
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="12">
            <el-form-item label="服务对象" required :error="errors.targets">
              <el-checkbox-group v-model="form.targets">
                <el-checkbox v-for="c in codes.targets" :key="c.code" :value="c.code">{{ c.label }}</el-checkbox>
              </el-checkbox-group>
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="12">
            <el-form-item label="办件类型" required :error="errors.handling_class">
              <el-radio-group v-model="form.handling_class">
                <el-radio v-for="c in codes.handling_classes" :key="c.code" :value="c.code">{{ c.label }}</el-radio>
              </el-radio-group>
            </el-form-item>
          </el-col>
          <el-col :span="24">
            <el-form-item label="设定依据" :error="errors.basis"><el-input v-model="form.basis" type="textarea" :autosize="{ minRows: 2, maxRows: 6 }" /></el-form-item>
          </el-col>
          <el-col :span="24">
            <el-form-item label="受理条件" :error="errors.conditions"><el-input v-model="form.conditions" type="textarea" :autosize="{ minRows: 2, maxRows: 8 }" /></el-form-item>
          </el-col>
          <el-col :xs="24" :md="12">
            <el-form-item label="关键词（回车添加）" :error="errors.keywords">
              <el-select v-model="form.keywords" multiple filterable allow-create default-first-option :reserve-keyword="false" placeholder="如：开餐馆">
              </el-select>
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="12">
            <el-form-item label="俗称（回车添加）" :error="errors.aliases">
              <el-select v-model="form.aliases" multiple filterable allow-create default-first-option :reserve-keyword="false"
                         :multiple-limit="20" placeholder="群众的叫法，如：驾照、身份证丢了" data-test="item-aliases">
              </el-select>
              <div class="muted">群众搜索时常用的说法，最多20个，每个不超过20个字；关键词最多50个。</div>
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="12">
            <el-form-item label="中介服务（回车添加）" :error="errors.intermediaries">
              <el-select v-model="form.intermediaries" multiple filterable allow-create default-first-option :reserve-keyword="false" placeholder="无" />
            </el-form-item>
          </el-col>
        </el-row>
      </el-card>

      <el-card shadow="never" class="panel">
        <template #header><span class="panel-title">时限与办理方式</span></template>
        <el-row :gutter="16">
          <el-col :xs="12" :sm="8" :md="6">
            <el-form-item label="法定办结时限（工作日）" required :error="errors.legal_limit_days">
              <el-input-number v-model="form.legal_limit_days" :min="0" :max="999" controls-position="right" />
            </el-form-item>
          </el-col>
          <el-col :xs="12" :sm="8" :md="6">
            <el-form-item label="承诺办结时限（工作日）" required
                          :error="errors.promised_limit_days || (form.promised_limit_days > form.legal_limit_days ? '不能超过法定办结时限' : '')">
              <el-input-number v-model="form.promised_limit_days" :min="0" :max="999" controls-position="right" />
            </el-form-item>
          </el-col>
          <el-col :xs="12" :sm="8" :md="6">
            <el-form-item label="到现场次数" required :error="errors.visits">
              <el-radio-group v-model="form.visits"><el-radio-button v-for="n in [0, 1, 2]" :key="n" :value="n">{{ n }}次</el-radio-button></el-radio-group>
            </el-form-item>
          </el-col>
          <el-col :xs="12" :sm="8" :md="6">
            <el-form-item label="网上办理深度" required :error="errors.online_depth">
              <el-select v-model="form.online_depth"><el-option v-for="(t, k) in ONLINE_DEPTH" :key="k" :label="t" :value="Number(k)" /></el-select>
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="12">
            <el-form-item label="办理形式" required :error="errors.forms">
              <el-checkbox-group v-model="form.forms">
                <el-checkbox v-for="c in codes.forms" :key="c.code" :value="c.code">{{ c.label }}</el-checkbox>
              </el-checkbox-group>
            </el-form-item>
          </el-col>
          <el-col :xs="12" :md="6">
            <el-form-item label="通办范围" :error="errors.tongban">
              <el-select v-model="form.tongban"><el-option v-for="c in codes.tongban" :key="c.code" :label="c.label" :value="c.code" /></el-select>
            </el-form-item>
          </el-col>
          <el-col :xs="12" :md="6">
            <el-form-item label="便民服务">
              <div class="switch-col">
                <el-switch v-model="form.appointment" active-text="网上预约" />
                <el-switch v-model="form.express" active-text="快递送达" />
                <el-switch v-model="form.online_payment" active-text="网上支付" />
              </div>
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="12">
            <el-form-item label="办理地点" :error="errors.place"><el-input v-model="form.place" /></el-form-item>
          </el-col>
          <el-col :xs="24" :md="12">
            <el-form-item label="办理时间" :error="errors.hours"><el-input v-model="form.hours" /></el-form-item>
          </el-col>
          <el-col :xs="12" :md="6">
            <el-form-item label="咨询电话" :error="errors.phone_consult"><el-input v-model="form.phone_consult" /></el-form-item>
          </el-col>
          <el-col :xs="12" :md="6">
            <el-form-item label="监督投诉电话" :error="errors.phone_complaint"><el-input v-model="form.phone_complaint" /></el-form-item>
          </el-col>
        </el-row>
      </el-card>

      <el-card shadow="never" class="panel">
        <template #header><span class="panel-title">分类与结果</span></template>
        <el-row :gutter="16">
          <el-col :xs="24" :md="8">
            <el-form-item label="服务标签" :error="errors.tags">
              <el-select v-model="form.tags" multiple placeholder="选择标签"><el-option v-for="c in codes.tags" :key="c.code" :label="c.label" :value="c.code" /></el-select>
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="8">
            <el-form-item label="所属清单" :error="errors.lists">
              <el-select v-model="form.lists" multiple placeholder="选择清单"><el-option v-for="c in codes.lists" :key="c.code" :label="c.label" :value="c.code" /></el-select>
            </el-form-item>
          </el-col>
          <el-col :xs="24" :md="8">
            <el-form-item label="主题（生命周期）" :error="errors.life_events">
              <el-select v-model="form.life_events" multiple placeholder="选择主题"><el-option v-for="c in codes.life_events" :key="c.code" :label="c.label" :value="c.code" /></el-select>
            </el-form-item>
          </el-col>
          <el-col :xs="24" :sm="8">
            <el-form-item label="结果名称" :error="errors['result.name']"><el-input v-model="form.result.name" placeholder="如：食品经营许可证" /></el-form-item>
          </el-col>
          <el-col :xs="12" :sm="4">
            <el-form-item label="结果类型" :error="errors['result.type']">
              <el-select v-model="form.result.type" allow-create filterable><el-option v-for="t in RESULT_TYPES" :key="t" :label="t" :value="t" /></el-select>
            </el-form-item>
          </el-col>
          <el-col :xs="12" :sm="12">
            <el-form-item label="结果样本" :error="errors['result.sample']"><el-input v-model="form.result.sample" /></el-form-item>
          </el-col>
        </el-row>
      </el-card>

      <el-card shadow="never" class="panel">
        <template #header>
          <div class="panel-head-row"><span class="panel-title">申请材料（{{ form.materials.length }}）</span>
            <el-button size="small" type="primary" plain @click="form.materials.push(blankMaterial())"><el-icon><Plus /></el-icon>&nbsp;添加材料</el-button></div>
        </template>
        <el-table :data="form.materials" border size="small" empty-text="暂无材料，点击“添加材料”" class="edit-table">
          <el-table-column type="index" label="#" width="44" align="center" />
          <el-table-column label="材料名称" min-width="200">
            <template #default="{ row, $index }">
              <el-input v-model="row.name" placeholder="必填" />
              <div v-if="rowError('materials', $index, 'name')" class="cell-error">{{ rowError('materials', $index, 'name') }}</div>
            </template>
          </el-table-column>
          <el-table-column label="必要" width="70" align="center"><template #default="{ row }"><el-switch v-model="row.required" /></template></el-table-column>
          <el-table-column label="材料形式" width="130">
            <template #default="{ row }"><el-select v-model="row.form" allow-create filterable><el-option v-for="t in MATERIAL_FORMS" :key="t" :label="t" :value="t" /></el-select></template>
          </el-table-column>
          <el-table-column label="份数" width="110">
            <template #default="{ row }"><el-input-number v-model="row.copies" :min="0" :max="99" size="small" controls-position="right" style="width: 90px" /></template>
          </el-table-column>
          <el-table-column label="来源" width="140">
            <template #default="{ row }"><el-select v-model="row.source" allow-create filterable><el-option v-for="t in MATERIAL_SOURCES" :key="t" :label="t" :value="t" /></el-select></template>
          </el-table-column>
          <el-table-column label="备注" min-width="160"><template #default="{ row }"><el-input v-model="row.note" /></template></el-table-column>
          <el-table-column label="空白表格" min-width="130"><template #default="{ row }"><el-input v-model="row.blank_form" /></template></el-table-column>
          <el-table-column label="填写样例" min-width="130"><template #default="{ row }"><el-input v-model="row.sample" /></template></el-table-column>
          <el-table-column v-if="!readonly" label="操作" width="110" align="center" fixed="right">
            <template #default="{ $index }">
              <el-button link icon="Top" title="上移" @click="move(form.materials, $index, -1)" />
              <el-button link type="danger" @click="form.materials.splice($index, 1)">删除</el-button>
            </template>
          </el-table-column>
        </el-table>
      </el-card>

      <el-card shadow="never" class="panel">
        <template #header>
          <div class="panel-head-row"><span class="panel-title">收费（{{ form.fees.length ? form.fees.length + '项' : '不收费' }}）</span>
            <el-button size="small" type="primary" plain @click="form.fees.push(blankFee())"><el-icon><Plus /></el-icon>&nbsp;添加收费项</el-button></div>
        </template>
        <el-table :data="form.fees" border size="small" empty-text="不收费" class="edit-table">
          <el-table-column label="收费项目" min-width="150">
            <template #default="{ row, $index }">
              <el-input v-model="row.item" />
              <div v-if="rowError('fees', $index, 'item')" class="cell-error">{{ rowError('fees', $index, 'item') }}</div>
            </template>
          </el-table-column>
          <el-table-column label="收费标准" min-width="160"><template #default="{ row }"><el-input v-model="row.standard" /></template></el-table-column>
          <el-table-column label="收费依据" min-width="180"><template #default="{ row }"><el-input v-model="row.basis" /></template></el-table-column>
          <el-table-column label="可减免" width="76" align="center"><template #default="{ row }"><el-switch v-model="row.waivable" /></template></el-table-column>
          <el-table-column label="金额（元）" width="150">
            <template #default="{ row }">
              <el-input-number :model-value="row.amount_fen / 100" @update:model-value="v => row.amount_fen = Math.round((v || 0) * 100)"
                               :min="0" :precision="2" :step="1" size="small" controls-position="right" style="width: 130px" />
            </template>
          </el-table-column>
          <el-table-column v-if="!readonly" label="操作" width="70" align="center" fixed="right">
            <template #default="{ $index }"><el-button link type="danger" @click="form.fees.splice($index, 1)">删除</el-button></template>
          </el-table-column>
        </el-table>
      </el-card>

      <el-card shadow="never" class="panel">
        <template #header>
          <div class="panel-head-row">
            <span class="panel-title">办理流程
              <el-tag :type="stepSum > form.promised_limit_days ? 'danger' : 'success'" class="sum-tag">
                环节合计 {{ stepSum }} / 承诺时限 {{ form.promised_limit_days }} 个工作日</el-tag>
            </span>
            <el-button size="small" type="primary" plain @click="form.steps.push(blankStep())"><el-icon><Plus /></el-icon>&nbsp;添加环节</el-button>
          </div>
        </template>
        <el-alert v-if="stepSum > form.promised_limit_days" type="error" :closable="false" show-icon class="editor-alert"
                  title="各环节时限之和超过承诺办结时限，请调整。" />
        <div v-if="errors.steps" class="cell-error">{{ errors.steps }}</div>
        <el-table :data="form.steps" border size="small" empty-text="请添加办理环节" class="edit-table">
          <el-table-column type="index" label="环节" width="56" align="center" />
          <el-table-column label="环节名称" min-width="160">
            <template #default="{ row, $index }">
              <el-input v-model="row.name" placeholder="如：受理、审核、决定" />
              <div v-if="rowError('steps', $index, 'name')" class="cell-error">{{ rowError('steps', $index, 'name') }}</div>
            </template>
          </el-table-column>
          <el-table-column label="办理人员" min-width="140">
            <template #default="{ row }">
              <el-select v-model="row.role" allow-create filterable><el-option v-for="(t, k) in STEP_ROLES" :key="k" :label="t" :value="k" /></el-select>
            </template>
          </el-table-column>
          <el-table-column label="时限（工作日）" width="140">
            <template #default="{ row, $index }">
              <el-input-number v-model="row.days" :min="0" :max="999" size="small" controls-position="right" style="width: 110px" />
              <div v-if="rowError('steps', $index, 'days')" class="cell-error">{{ rowError('steps', $index, 'days') }}</div>
            </template>
          </el-table-column>
          <el-table-column v-if="!readonly" label="操作" width="110" align="center" fixed="right">
            <template #default="{ $index }">
              <el-button link icon="Top" title="上移" @click="move(form.steps, $index, -1)" />
              <el-button link type="danger" @click="form.steps.splice($index, 1)">删除</el-button>
            </template>
          </el-table-column>
        </el-table>
      </el-card>
    </el-form>

    <div v-if="!readonly" class="editor-actions">
      <el-button @click="navigate('/admin/items')">取消</el-button>
      <el-button type="primary" plain :loading="saving" data-test="item-save" @click="save(false)">保存草稿</el-button>
      <el-button type="primary" :loading="saving" data-test="item-submit" @click="submit">提交审核</el-button>
    </div>
  </div>`,
};
