// 12345 matter classification (事项分类, docs/api.md "Hotline": GET/POST/PUT /api/v1/hotline/matters):
// /admin/hotline/matters shows the tree the centre (hotline.manage) keeps: add a top-level matter
// or one under a parent, rename, move under another parent, deactivate or reactivate, and order
// siblings. The server refuses a name taken under the same parent and a move under the matter
// itself or its own children (422), shown at the field.
import { get, post, put } from '../../api.js';
import { showError, viewport } from '../../util.js';

const { ref, reactive, computed, onMounted } = Vue;

// Flat rows (parents before children) → el-tree nodes, siblings by sort then id.
export function buildTree(items) {
  const nodes = new Map(items.map((m) => [m.id, { ...m, children: [] }]));
  const roots = [];
  for (const m of items) {
    const n = nodes.get(m.id);
    const p = m.parent_id ? nodes.get(m.parent_id) : null;
    (p ? p.children : roots).push(n);
  }
  const order = (list) => {
    list.sort((a, b) => a.sort - b.sort || a.id - b.id);
    list.forEach((n) => order(n.children));
    return list;
  };
  return order(roots);
}

// Every matter with its path, for the parent picker.
function paths(items) {
  const byId = new Map(items.map((m) => [m.id, m]));
  const path = (m) => {
    const parts = [];
    for (let x = m, guard = 0; x && guard < 20; x = x.parent_id ? byId.get(x.parent_id) : null, guard++) parts.unshift(x.name);
    return parts.join(' / ');
  };
  return items.map((m) => ({ id: m.id, label: path(m), active: m.active })).sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
}

export const MattersPage = {
  name: 'MattersPage',
  setup() {
    const items = ref([]);
    const loading = ref(false);
    const showInactive = ref(true);
    async function load() {
      loading.value = true;
      try {
        items.value = (await get('/api/v1/hotline/matters', { all: 1 })).items || [];
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }
    const tree = computed(() => buildTree(showInactive.value ? items.value : items.value.filter((m) => m.active)));
    const parentOptions = computed(() => paths(items.value));

    const dlg = reactive({ open: false, id: null, saving: false, errors: {}, form: {} });
    function openNew(parent) {
      const siblings = items.value.filter((m) => (m.parent_id || null) === (parent ? parent.id : null));
      dlg.id = null;
      dlg.form = { name: '', parent_id: parent ? parent.id : null, active: true, sort: siblings.length ? Math.max(...siblings.map((s) => s.sort)) + 1 : 0 };
      dlg.errors = {};
      dlg.open = true;
    }
    function openEdit(m) {
      dlg.id = m.id;
      dlg.form = { name: m.name, parent_id: m.parent_id || null, active: !!m.active, sort: m.sort };
      dlg.errors = {};
      dlg.open = true;
    }
    const body = (f) => ({ name: f.name.trim(), parent_id: f.parent_id || null, active: f.active, sort: Number(f.sort) || 0 });
    async function save() {
      const name = dlg.form.name.trim();
      dlg.errors = {};
      if (!name) dlg.errors = { name: '请填写名称' };
      else if ([...name].length > 50) dlg.errors = { name: '名称不超过50个字' };
      if (Object.keys(dlg.errors).length) return;
      dlg.saving = true;
      try {
        if (dlg.id) await put('/api/v1/hotline/matters/' + dlg.id, body(dlg.form));
        else await post('/api/v1/hotline/matters', body(dlg.form));
        ElementPlus.ElMessage.success(dlg.id ? '已保存' : '已添加');
        dlg.open = false;
        await load();
      } catch (err) {
        if (err.status === 422) {
          dlg.errors = err.fields;
          ElementPlus.ElMessage.error('请按提示修改：' + Object.values(err.fields).join('；'));
        } else showError(err);
      } finally {
        dlg.saving = false;
      }
    }
    async function toggle(m) {
      try {
        await put('/api/v1/hotline/matters/' + m.id, body({ ...m, name: m.name, active: !m.active }));
        ElementPlus.ElMessage.success(m.active ? `已停用“${m.name}”，新工单不能再选用` : `已启用“${m.name}”`);
        await load();
      } catch (err) {
        showError(err);
      }
    }
    // Moves a matter one place up or down among its siblings: the siblings are numbered 0, 1, 2 …
    // in the new order and those whose number changed are saved.
    async function shift(m, delta) {
      const siblings = items.value.filter((x) => (x.parent_id || null) === (m.parent_id || null))
        .sort((a, b) => a.sort - b.sort || a.id - b.id);
      const i = siblings.findIndex((x) => x.id === m.id);
      const j = i + delta;
      if (j < 0 || j >= siblings.length) return;
      [siblings[i], siblings[j]] = [siblings[j], siblings[i]];
      try {
        for (const [k, s] of siblings.entries()) {
          if (s.sort !== k) await put('/api/v1/hotline/matters/' + s.id, body({ ...s, active: !!s.active, sort: k }));
        }
        await load();
      } catch (err) {
        showError(err);
        await load();
      }
    }
    // the phone's menu of the same actions
    function act(c, m) {
      if (c === 'up') shift(m, -1);
      else if (c === 'down') shift(m, 1);
      else if (c === 'child') openNew(m);
      else if (c === 'edit') openEdit(m);
      else toggle(m);
    }
    onMounted(() => {
      document.title = '12345事项分类';
      load();
    });
    return { items, tree, loading, showInactive, parentOptions, dlg, openNew, openEdit, save, toggle, shift, act, viewport };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head">
      <h2>12345事项分类</h2>
      <div class="hl-toolbar">
        <el-checkbox v-model="showInactive">显示已停用</el-checkbox>
        <el-button type="primary" data-test="matter-add-top" @click="openNew(null)"><el-icon><Plus /></el-icon>&nbsp;新增大类</el-button>
      </div>
    </div>
    <el-card shadow="never" class="panel" v-loading="loading">
      <p class="hl-muted" style="margin-top:0">话务员受理、派单和知识库按此分类选择诉求事项；停用的事项不能再被新工单选用，已有工单不受影响。</p>
      <el-tree :data="tree" node-key="id" default-expand-all :expand-on-click-node="false" :props="{ label: 'name', children: 'children' }" data-test="matter-tree">
        <template #default="{ data }">
          <div class="hl-tree-row" :data-test="'matter-' + data.name">
            <span :class="{ 'hl-off': !data.active }">{{ data.name }}<el-tag v-if="!data.active" size="small" type="info" style="margin-left:6px">已停用</el-tag></span>
            <el-dropdown v-if="viewport.narrow" trigger="click" @command="(c) => act(c, data)" @click.stop>
              <el-button link size="small" type="primary" @click.stop>操作<el-icon><ArrowDown /></el-icon></el-button>
              <template #dropdown><el-dropdown-menu>
                <el-dropdown-item command="up">上移</el-dropdown-item><el-dropdown-item command="down">下移</el-dropdown-item>
                <el-dropdown-item command="child">添加子类</el-dropdown-item><el-dropdown-item command="edit">编辑</el-dropdown-item>
                <el-dropdown-item command="toggle">{{ data.active ? '停用' : '启用' }}</el-dropdown-item>
              </el-dropdown-menu></template>
            </el-dropdown>
            <span v-else class="hl-tree-actions">
              <el-button link size="small" title="上移" data-test="matter-up" @click.stop="shift(data, -1)"><el-icon><Top /></el-icon></el-button>
              <el-button link size="small" title="下移" data-test="matter-down" @click.stop="shift(data, 1)"><el-icon><Bottom /></el-icon></el-button>
              <el-button link size="small" type="primary" data-test="matter-add-child" @click.stop="openNew(data)">添加子类</el-button>
              <el-button link size="small" type="primary" data-test="matter-edit" @click.stop="openEdit(data)">编辑</el-button>
              <el-button link size="small" :type="data.active ? 'danger' : 'success'" data-test="matter-toggle" @click.stop="toggle(data)">{{ data.active ? '停用' : '启用' }}</el-button>
            </span>
          </div>
        </template>
      </el-tree>
    </el-card>
    <el-dialog v-model="dlg.open" :title="dlg.id ? '编辑事项' : '新增事项'" :width="viewport.narrow ? '96%' : '480px'" data-test="matter-dialog">
      <el-form label-width="80px" @submit.prevent>
        <el-form-item label="名称" required :error="dlg.errors.name">
          <el-input v-model="dlg.form.name" maxlength="50" data-test="matter-name" @keyup.enter="save" /></el-form-item>
        <el-form-item label="上级" :error="dlg.errors.parent_id">
          <el-select v-model="dlg.form.parent_id" clearable filterable placeholder="无（大类）" style="width:100%" data-test="matter-parent">
            <el-option v-for="p in parentOptions.filter((p) => p.id !== dlg.id)" :key="p.id" :label="p.label + (p.active ? '' : '（已停用）')" :value="p.id" />
          </el-select></el-form-item>
        <el-form-item label="排序" :error="dlg.errors.sort"><el-input-number v-model="dlg.form.sort" :min="0" :max="9999" /></el-form-item>
        <el-form-item label="启用" :error="dlg.errors.active"><el-switch v-model="dlg.form.active" /></el-form-item>
      </el-form>
      <template #footer>
        <el-button @click="dlg.open = false">取消</el-button>
        <el-button type="primary" :loading="dlg.saving" data-test="matter-save" @click="save">保存</el-button>
      </template>
    </el-dialog>
  </div>`,
};
