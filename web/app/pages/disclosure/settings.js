// /admin/disclosure/settings (公开设置): an organ's 索引号 rule (its code and the pattern of
// {organ}, {category}, {year}, {seq}: PUT /api/v1/disclosure/organs/{id}, the organ's own officer or
// the centre) and, for the centre (disclosure.config), the category tree of 主动公开
// (POST / PUT /api/v1/disclosure/categories); and the organ's 政府信息公开指南 (its office, address,
// hours and own text: PUT /api/v1/disclosure/organs/{id}/guide; the public reads it at /gongkai/guide/{id}).
import { get, post, put } from '../../api.js';
import { session, can } from '../../store.js';
import { showError, viewport } from '../../util.js';
import { categoryTree, thisYear } from './common.js';

const { ref, reactive, computed, onMounted } = Vue;

export const DisclosureSettingsPage = {
  name: 'DisclosureSettingsPage',
  setup() {
    const centre = computed(() => can('disclosure.config'));
    const organs = ref([]);
    const organ = reactive({ dept_id: session.user.dept_id || null, code: '', index_rule: '' });
    const organErrors = ref({});
    const cats = ref([]);
    const busy = ref(false);
    const dlg = reactive({ visible: false, editing: null, errors: {}, form: {} });

    const guide = reactive({ office: '', address: '', postcode: '', phone: '', fax: '', email: '', hours: '', notes: '' });
    const guideErrors = ref({});
    const guideStored = ref(false);
    async function loadGuide() {
      guideErrors.value = {};
      if (!organ.dept_id) return;
      try {
        const g = await get(`/api/v1/disclosure/organs/${organ.dept_id}/guide`);
        for (const k of Object.keys(guide)) guide[k] = g[k] || '';
        guideStored.value = g.stored;
      } catch (err) {
        showError(err);
      }
    }
    async function saveGuide() {
      busy.value = true;
      guideErrors.value = {};
      try {
        await put(`/api/v1/disclosure/organs/${organ.dept_id}/guide`, Object.fromEntries(Object.entries(guide).map(([k, v]) => [k, v.trim()])));
        guideStored.value = true;
        ElementPlus.ElMessage.success('政府信息公开指南已保存并公开');
      } catch (err) {
        guideErrors.value = err.fields || {};
        showError(err);
      } finally {
        busy.value = false;
      }
    }
    function pickOrgan() {
      const o = organs.value.find((x) => x.dept_id === organ.dept_id);
      organ.code = o ? o.code || '' : '';
      organ.index_rule = o ? o.index_rule || '' : '';
      organErrors.value = {};
      loadGuide();
    }
    async function loadCats() {
      cats.value = (await get('/api/v1/disclosure/categories', { all: centre.value ? 1 : '' }).catch(() => ({ items: [] }))).items || [];
    }
    onMounted(async () => {
      document.title = '公开设置 · 信息公开工作台';
      organs.value = (await get('/api/v1/disclosure/organs').catch(() => ({ items: [] }))).items || [];
      if (!organ.dept_id && organs.value.length) organ.dept_id = organs.value[0].dept_id;
      pickOrgan();
      await loadCats();
    });
    // An example of the rule as it would number this year's first document in the first category.
    const example = computed(() => {
      const cat = cats.value[0] ? cats.value[0].code : 'org';
      return (organ.index_rule || '').replace('{organ}', organ.code || '').replace('{category}', cat)
        .replace('{year}', String(thisYear())).replace('{seq}', '00001');
    });
    async function saveOrgan() {
      busy.value = true;
      organErrors.value = {};
      try {
        await put('/api/v1/disclosure/organs/' + organ.dept_id, { code: organ.code.trim(), index_rule: organ.index_rule.trim() });
        organs.value = (await get('/api/v1/disclosure/organs')).items || [];
        ElementPlus.ElMessage.success('索引号规则已保存，此后首次发布的文件按新规则编号');
      } catch (err) {
        organErrors.value = err.fields || {};
        showError(err);
      } finally {
        busy.value = false;
      }
    }

    const tree = computed(() => categoryTree(cats.value));
    const byId = computed(() => Object.fromEntries(cats.value.map((c) => [c.id, c])));
    function open(c) {
      dlg.editing = c || null;
      dlg.form = c ? { name: c.name, sort: c.sort, active: c.active, parent_id: c.parent_id }
        : { code: '', name: '', sort: (cats.value.length + 1) * 10, parent_id: null };
      dlg.errors = {};
      dlg.visible = true;
    }
    async function saveCategory() {
      busy.value = true;
      dlg.errors = {};
      try {
        if (dlg.editing) await put('/api/v1/disclosure/categories/' + dlg.editing.id, dlg.form);
        else await post('/api/v1/disclosure/categories', dlg.form);
        dlg.visible = false;
        ElementPlus.ElMessage.success('分类已保存');
        await loadCats();
      } catch (err) {
        dlg.errors = err.fields || {};
        showError(err);
      } finally {
        busy.value = false;
      }
    }
    return { centre, organs, organ, organErrors, guide, guideErrors, guideStored, saveGuide, cats, busy, dlg, example, tree, byId, pickOrgan, saveOrgan, open, saveCategory, viewport };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head"><h2>公开设置</h2></div>
    <el-card shadow="never" class="panel" data-test="settings-organ">
      <template #header><span class="panel-title">索引号规则</span></template>
      <el-form :label-position="viewport.narrow ? 'top' : 'right'" label-width="110px">
        <el-form-item label="机关">
          <el-select v-model="organ.dept_id" filterable :disabled="!centre" style="width:100%" @change="pickOrgan">
            <el-option v-for="o in organs" :key="o.dept_id" :label="o.name" :value="o.dept_id" />
          </el-select>
        </el-form-item>
        <el-form-item label="机关代码" :error="organErrors.code"><el-input v-model="organ.code" maxlength="30" placeholder="数字、大写字母和 -，如统一社会信用代码" data-test="organ-code" /></el-form-item>
        <el-form-item label="编号规则" :error="organErrors.index_rule">
          <el-input v-model="organ.index_rule" maxlength="100" data-test="organ-rule" />
          <div class="muted small">可用 {organ}（机关代码）、{category}（分类代码）、{year}（发布年度）、{seq}（顺序号，必填）。示例：{{ example }}</div>
        </el-form-item>
        <el-form-item><el-button type="primary" :loading="busy" @click="saveOrgan" data-test="organ-save">保存</el-button></el-form-item>
      </el-form>
    </el-card>
    <el-card shadow="never" class="panel" data-test="settings-guide">
      <template #header><div class="panel-head-row"><span class="panel-title">政府信息公开指南</span>
        <a v-if="organ.dept_id" :href="'/gongkai/guide/' + organ.dept_id" target="_blank" data-test="guide-view">查看公开的指南</a></div></template>
      <div class="muted small gk-form-note">指南中的主动公开途径、申请方式、办理时限、收费标准和救济途径按条例和本系统的规则自动生成；请填写受理机构的联系方式，并可补充其他说明。<template v-if="!guideStored">尚未保存：目前显示机关的地址和电话。</template></div>
      <el-form :label-position="viewport.narrow ? 'top' : 'right'" label-width="110px">
        <el-form-item label="受理机构" :error="guideErrors.office"><el-input v-model="guide.office" maxlength="100" placeholder="如：某某局政务公开办公室" data-test="guide-office" /></el-form-item>
        <el-form-item label="地址" :error="guideErrors.address"><el-input v-model="guide.address" maxlength="200" data-test="guide-address" /></el-form-item>
        <el-form-item label="邮政编码" :error="guideErrors.postcode"><el-input v-model="guide.postcode" maxlength="6" style="max-width:160px" data-test="guide-postcode" /></el-form-item>
        <el-form-item label="咨询电话" :error="guideErrors.phone"><el-input v-model="guide.phone" maxlength="50" data-test="guide-phone" /></el-form-item>
        <el-form-item label="传真" :error="guideErrors.fax"><el-input v-model="guide.fax" maxlength="50" placeholder="不受理传真申请可不填" data-test="guide-fax" /></el-form-item>
        <el-form-item label="电子邮箱" :error="guideErrors.email"><el-input v-model="guide.email" maxlength="100" placeholder="不受理电子邮件申请可不填" data-test="guide-email" /></el-form-item>
        <el-form-item label="办公时间" :error="guideErrors.hours"><el-input v-model="guide.hours" maxlength="200" placeholder="如：工作日上午9:00—12:00，下午13:30—17:00" data-test="guide-hours" /></el-form-item>
        <el-form-item label="其他说明" :error="guideErrors.notes"><el-input v-model="guide.notes" type="textarea" :rows="4" maxlength="5000" show-word-limit data-test="guide-notes" /></el-form-item>
        <el-form-item><el-button type="primary" :loading="busy" :disabled="!organ.dept_id" @click="saveGuide" data-test="guide-save">保存指南</el-button></el-form-item>
      </el-form>
    </el-card>
    <el-card shadow="never" class="panel" data-test="settings-categories">
      <template #header><div class="panel-head-row"><span class="panel-title">主题分类</span>
        <el-button v-if="centre" size="small" type="primary" @click="open()" data-test="category-new">新增分类</el-button></div></template>
      <el-tree :data="tree" node-key="id" default-expand-all :expand-on-click-node="false">
        <template #default="{ data }">
          <span class="gk-cat-row">
            <span :class="{ muted: byId[data.id] && !byId[data.id].active }">{{ data.label }}</span>
            <span class="muted small">{{ data.code }}<template v-if="byId[data.id] && !byId[data.id].active">（已停用）</template></span>
            <el-button v-if="centre" link type="primary" size="small" @click.stop="open(byId[data.id])">编辑</el-button>
          </span>
        </template>
      </el-tree>
      <div v-if="!centre" class="muted small">分类由中心统一配置。</div>
    </el-card>
    <el-dialog v-model="dlg.visible" :width="viewport.narrow ? '94%' : '480px'" append-to-body :title="dlg.editing ? '编辑分类' : '新增分类'">
      <el-form label-position="top">
        <el-form-item v-if="!dlg.editing" label="分类代码" :error="dlg.errors.code"><el-input v-model="dlg.form.code" maxlength="30" placeholder="小写字母、数字和下划线" data-test="category-code" /></el-form-item>
        <el-form-item label="名称" :error="dlg.errors.name"><el-input v-model="dlg.form.name" maxlength="50" data-test="category-name" /></el-form-item>
        <el-form-item label="上级分类" :error="dlg.errors.parent_id">
          <el-select v-model="dlg.form.parent_id" clearable placeholder="无（一级分类）" style="width:100%">
            <el-option v-for="c in cats.filter((x) => !dlg.editing || x.id !== dlg.editing.id)" :key="c.id" :label="c.name" :value="c.id" />
          </el-select>
        </el-form-item>
        <el-form-item label="排序" :error="dlg.errors.sort"><el-input-number v-model="dlg.form.sort" :min="0" :max="100000" /></el-form-item>
        <el-form-item v-if="dlg.editing" label="状态"><el-switch v-model="dlg.form.active" active-text="启用" inactive-text="停用" /></el-form-item>
      </el-form>
      <template #footer>
        <el-button @click="dlg.visible = false">取消</el-button>
        <el-button type="primary" :loading="busy" @click="saveCategory" data-test="dialog-confirm">确定</el-button>
      </template>
    </el-dialog>
  </div>`,
};
