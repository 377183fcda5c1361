// 区划管理, 部门管理, 大厅与窗口 (center_admin): tables with create/edit dialogs.
import { get, post, put } from '../../api.js';
import { useEditDialog } from '../../components.js';
import { showError } from '../../util.js';

const { ref, computed, onMounted } = Vue;

const REGION_LEVELS = { 1: '市', 2: '区县', 3: '乡镇（街道）', 4: '村（社区）' };
const WINDOW_KINDS = ['综合受理', '专业窗口', '出件窗口', '咨询导办', '帮办代办'];

async function fetchItems(path, query) {
  try {
    return (await get(path, query)).items || [];
  } catch (err) {
    showError(err);
    return [];
  }
}

export const RegionsPage = {
  name: 'RegionsPage',
  setup() {
    const regions = ref([]);
    const loading = ref(false);
    // Nest by parent for the tree table; orphans stay at the top.
    const tree = computed(() => {
      const nodes = new Map(regions.value.map((r) => [r.code, { ...r, children: [] }]));
      const roots = [];
      for (const n of nodes.values()) (nodes.get(n.parent) || { children: roots }).children.push(n);
      for (const n of nodes.values()) if (!n.children.length) delete n.children;
      return roots;
    });
    const rootKeys = computed(() => tree.value.map((r) => r.code));

    async function load() {
      loading.value = true;
      regions.value = await fetchItems('/api/v1/regions');
      loading.value = false;
    }
    const { dlg, open, save } = useEditDialog({
      blank: () => ({ code: '', name: '', level: 2, parent: '' }),
      fromRow: (r) => ({ code: r.code, name: r.name, level: r.level, parent: r.parent }),
      create: (f) => post('/api/v1/regions', { ...f, parent: f.parent || null }),
      update: (r, f) => put('/api/v1/regions/' + r.code, { name: f.name }),
      saved: load,
    });
    function addChild(row) {
      open();
      Object.assign(dlg.form, { parent: row.code, level: Math.min(row.level + 1, 4), code: row.code });
    }
    onMounted(load);
    return { regions, tree, rootKeys, loading, dlg, open, save, addChild, REGION_LEVELS };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head"><h2>区划管理</h2>
      <el-button type="primary" @click="open()"><el-icon><Plus /></el-icon>&nbsp;新增区划</el-button></div>
    <el-table :data="tree" v-loading="loading" row-key="code" border :expand-row-keys="rootKeys" empty-text="暂无区划">
      <el-table-column prop="name" label="名称" min-width="200" />
      <el-table-column prop="code" label="区划代码" min-width="130" class-name="mono" />
      <el-table-column label="层级" width="110"><template #default="{ row }">{{ REGION_LEVELS[row.level] || row.level }}</template></el-table-column>
      <el-table-column label="操作" width="160">
        <template #default="{ row }">
          <el-button link type="primary" @click="open(row)">编辑</el-button>
          <el-button v-if="row.level < 4" link type="primary" @click="addChild(row)">添加下级</el-button>
        </template>
      </el-table-column>
    </el-table>
    <el-dialog v-model="dlg.visible" :title="dlg.editing ? '编辑区划' : '新增区划'" width="min(480px, 96vw)">
      <el-form :model="dlg.form" label-width="90px">
        <el-form-item label="区划代码" required :error="dlg.errors.code">
          <el-input v-model="dlg.form.code" :disabled="!!dlg.editing" maxlength="12" placeholder="6、9 或 12 位 GB/T 2260 代码" />
        </el-form-item>
        <el-form-item label="名称" required :error="dlg.errors.name"><el-input v-model="dlg.form.name" /></el-form-item>
        <el-form-item label="层级" :error="dlg.errors.level">
          <el-select v-model="dlg.form.level" :disabled="!!dlg.editing">
            <el-option v-for="(t, k) in REGION_LEVELS" :key="k" :label="t" :value="Number(k)" /></el-select>
        </el-form-item>
        <el-form-item label="上级区划" :error="dlg.errors.parent">
          <el-select v-model="dlg.form.parent" :disabled="!!dlg.editing" filterable clearable placeholder="无（顶级）">
            <el-option v-for="r in regions.filter(x => x.level < dlg.form.level)" :key="r.code" :label="r.name + '（' + r.code + '）'" :value="r.code" />
          </el-select>
        </el-form-item>
      </el-form>
      <template #footer><el-button @click="dlg.visible = false">取消</el-button>
        <el-button type="primary" :loading="dlg.saving" @click="save">保存</el-button></template>
    </el-dialog>
  </div>`,
};

export const DepartmentsPage = {
  name: 'DepartmentsPage',
  setup() {
    const departments = ref([]);
    const regions = ref([]);
    const q = ref('');
    const loading = ref(false);
    const shown = computed(() => departments.value.filter((d) => !q.value || d.name.includes(q.value) || (d.short_name || '').includes(q.value)));
    const regionName = (code) => (regions.value.find((r) => r.code === code) || {}).name || code;

    async function load() {
      loading.value = true;
      departments.value = await fetchItems('/api/v1/departments');
      loading.value = false;
    }
    const fields = (d) => ({ name: d.name, short_name: d.short_name, uscc: d.uscc, region_code: d.region_code, phone: d.phone, address: d.address });
    const { dlg, open, save } = useEditDialog({
      blank: () => fields({ name: '', short_name: '', uscc: '', region_code: '', phone: '', address: '' }),
      fromRow: fields,
      create: (f) => post('/api/v1/departments', f),
      update: (d, f) => put('/api/v1/departments/' + d.id, f),
      saved: load,
    });
    onMounted(async () => {
      load();
      regions.value = await fetchItems('/api/v1/regions');
    });
    return { shown, regions, q, loading, regionName, dlg, open, save };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head"><h2>部门管理</h2>
      <div class="head-tools">
        <el-input v-model="q" placeholder="筛选部门名称" clearable style="width: 180px"><template #prefix><el-icon><Search /></el-icon></template></el-input>
        <el-button type="primary" @click="open()"><el-icon><Plus /></el-icon>&nbsp;新增部门</el-button>
      </div>
    </div>
    <el-table :data="shown" v-loading="loading" border stripe empty-text="暂无部门">
      <el-table-column prop="name" label="部门名称" min-width="200" />
      <el-table-column prop="short_name" label="简称" min-width="110" />
      <el-table-column prop="uscc" label="统一社会信用代码" min-width="180" class-name="mono" />
      <el-table-column label="所属区划" min-width="100"><template #default="{ row }">{{ regionName(row.region_code) }}</template></el-table-column>
      <el-table-column prop="phone" label="电话" min-width="120" />
      <el-table-column prop="item_count" label="事项数" width="80" align="right" />
      <el-table-column label="操作" width="70" fixed="right"><template #default="{ row }"><el-button link type="primary" @click="open(row)">编辑</el-button></template></el-table-column>
    </el-table>
    <el-dialog v-model="dlg.visible" :title="dlg.editing ? '编辑部门' : '新增部门'" width="min(560px, 96vw)">
      <el-form :model="dlg.form" label-width="120px">
        <el-form-item label="部门名称" required :error="dlg.errors.name"><el-input v-model="dlg.form.name" /></el-form-item>
        <el-form-item label="简称" :error="dlg.errors.short_name"><el-input v-model="dlg.form.short_name" /></el-form-item>
        <el-form-item label="统一社会信用代码" required :error="dlg.errors.uscc">
          <el-input v-model="dlg.form.uscc" maxlength="18" @input="dlg.form.uscc = dlg.form.uscc.toUpperCase()" /></el-form-item>
        <el-form-item label="所属区划" required :error="dlg.errors.region_code">
          <el-select v-model="dlg.form.region_code" filterable>
            <el-option v-for="r in regions" :key="r.code" :label="r.name + '（' + r.code + '）'" :value="r.code" /></el-select>
        </el-form-item>
        <el-form-item label="电话" :error="dlg.errors.phone"><el-input v-model="dlg.form.phone" /></el-form-item>
        <el-form-item label="地址" :error="dlg.errors.address"><el-input v-model="dlg.form.address" /></el-form-item>
      </el-form>
      <template #footer><el-button @click="dlg.visible = false">取消</el-button>
        <el-button type="primary" :loading="dlg.saving" @click="save">保存</el-button></template>
    </el-dialog>
  </div>`,
};

export const HallsPage = {
  name: 'HallsPage',
  setup() {
    const halls = ref([]);
    const windows = ref([]);
    const regions = ref([]);
    const departments = ref([]);
    const current = ref(null);
    const deptName = (id) => (departments.value.find((d) => d.id === id) || {}).name || '—';
    const regionName = (code) => (regions.value.find((r) => r.code === code) || {}).name || code;

    async function loadHalls() {
      halls.value = await fetchItems('/api/v1/halls');
      if (!current.value && halls.value.length) selectHall(halls.value[0]);
    }
    async function selectHall(h) {
      current.value = h;
      windows.value = await fetchItems('/api/v1/windows', { hall_id: h.id });
    }
    const hall = useEditDialog({
      blank: () => ({ name: '', region_code: '', address: '', hours: '' }),
      fromRow: (h) => ({ name: h.name, region_code: h.region_code, address: h.address, hours: h.hours }),
      create: (f) => post('/api/v1/halls', f),
      update: (h, f) => put('/api/v1/halls/' + h.id, f),
      saved: loadHalls,
    });
    const win = useEditDialog({
      blank: () => ({ number: windows.value.reduce((m, w) => Math.max(m, w.number), 0) + 1, name: '', dept_id: null, kind: '综合受理', active: true }),
      fromRow: (w) => ({ number: w.number, name: w.name, dept_id: w.dept_id, kind: w.kind, active: !!w.active }),
      create: (f) => post('/api/v1/windows', { hall_id: current.value.id, number: f.number, name: f.name, dept_id: f.dept_id || null, kind: f.kind }),
      update: (w, f) => put('/api/v1/windows/' + w.id, { hall_id: w.hall_id, ...f, dept_id: f.dept_id || null }),
      saved: () => selectHall(current.value),
    });

    onMounted(async () => {
      loadHalls();
      [regions.value, departments.value] = await Promise.all([fetchItems('/api/v1/regions'), fetchItems('/api/v1/departments')]);
    });
    return { halls, windows, regions, departments, current, deptName, regionName, selectHall, hall, win, WINDOW_KINDS };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head"><h2>大厅与窗口</h2></div>
    <el-row :gutter="16">
      <el-col :xs="24" :lg="10">
        <el-card shadow="never" class="panel">
          <template #header><div class="panel-head-row"><span class="panel-title">政务服务大厅</span>
            <el-button size="small" type="primary" plain @click="hall.open()"><el-icon><Plus /></el-icon>&nbsp;新增大厅</el-button></div></template>
          <el-table :data="halls" border size="small" empty-text="暂无大厅" @row-click="selectHall"
                    :row-class-name="({ row }) => current && row.id === current.id ? 'current-row' : ''">
            <el-table-column prop="name" label="大厅名称" min-width="150" />
            <el-table-column label="区划" min-width="80"><template #default="{ row }">{{ regionName(row.region_code) }}</template></el-table-column>
            <el-table-column label="操作" width="64"><template #default="{ row }"><el-button link type="primary" @click.stop="hall.open(row)">编辑</el-button></template></el-table-column>
          </el-table>
          <div v-if="current" class="hall-info muted">
            <div><el-icon><Location /></el-icon> {{ current.address || '—' }}</div>
            <div><el-icon><Clock /></el-icon> {{ current.hours || '—' }}</div>
          </div>
        </el-card>
      </el-col>
      <el-col :xs="24" :lg="14">
        <el-card shadow="never" class="panel">
          <template #header><div class="panel-head-row"><span class="panel-title">{{ current ? current.name + ' · 窗口' : '窗口' }}</span>
            <el-button size="small" type="primary" plain :disabled="!current" @click="win.open()"><el-icon><Plus /></el-icon>&nbsp;新增窗口</el-button></div></template>
          <el-table :data="windows" border size="small" empty-text="请选择大厅或新增窗口">
            <el-table-column prop="number" label="号" width="56" align="center" />
            <el-table-column prop="name" label="窗口名称" min-width="140" />
            <el-table-column prop="kind" label="类型" width="96" />
            <el-table-column label="进驻部门" min-width="140"><template #default="{ row }">{{ deptName(row.dept_id) }}</template></el-table-column>
            <el-table-column label="状态" width="70" align="center">
              <template #default="{ row }"><el-tag size="small" :type="row.active ? 'success' : 'info'">{{ row.active ? '启用' : '停用' }}</el-tag></template>
            </el-table-column>
            <el-table-column label="操作" width="64" fixed="right"><template #default="{ row }"><el-button link type="primary" @click="win.open(row)">编辑</el-button></template></el-table-column>
          </el-table>
        </el-card>
      </el-col>
    </el-row>

    <el-dialog v-model="hall.dlg.visible" :title="hall.dlg.editing ? '编辑大厅' : '新增大厅'" width="min(520px, 96vw)">
      <el-form :model="hall.dlg.form" label-width="90px">
        <el-form-item label="大厅名称" required :error="hall.dlg.errors.name"><el-input v-model="hall.dlg.form.name" /></el-form-item>
        <el-form-item label="所属区划" required :error="hall.dlg.errors.region_code">
          <el-select v-model="hall.dlg.form.region_code" filterable>
            <el-option v-for="r in regions" :key="r.code" :label="r.name + '（' + r.code + '）'" :value="r.code" /></el-select>
        </el-form-item>
        <el-form-item label="地址" :error="hall.dlg.errors.address"><el-input v-model="hall.dlg.form.address" /></el-form-item>
        <el-form-item label="办公时间" :error="hall.dlg.errors.hours"><el-input v-model="hall.dlg.form.hours" placeholder="工作日 9:00-17:00" /></el-form-item>
      </el-form>
      <template #footer><el-button @click="hall.dlg.visible = false">取消</el-button>
        <el-button type="primary" :loading="hall.dlg.saving" @click="hall.save">保存</el-button></template>
    </el-dialog>

    <el-dialog v-model="win.dlg.visible" :title="win.dlg.editing ? '编辑窗口' : '新增窗口'" width="min(520px, 96vw)">
      <el-form :model="win.dlg.form" label-width="90px">
        <el-form-item label="窗口号" required :error="win.dlg.errors.number"><el-input-number v-model="win.dlg.form.number" :min="1" :max="999" /></el-form-item>
        <el-form-item label="窗口名称" required :error="win.dlg.errors.name"><el-input v-model="win.dlg.form.name" placeholder="综合受理1号窗口" /></el-form-item>
        <el-form-item label="窗口类型" :error="win.dlg.errors.kind">
          <el-select v-model="win.dlg.form.kind" allow-create filterable><el-option v-for="k in WINDOW_KINDS" :key="k" :label="k" :value="k" /></el-select>
        </el-form-item>
        <el-form-item label="进驻部门" :error="win.dlg.errors.dept_id">
          <el-select v-model="win.dlg.form.dept_id" filterable clearable placeholder="综合窗口（不限部门）">
            <el-option v-for="d in departments" :key="d.id" :label="d.name" :value="d.id" /></el-select>
        </el-form-item>
        <el-form-item v-if="win.dlg.editing" label="启用"><el-switch v-model="win.dlg.form.active" /></el-form-item>
      </el-form>
      <template #footer><el-button @click="win.dlg.visible = false">取消</el-button>
        <el-button type="primary" :loading="win.dlg.saving" @click="win.save">保存</el-button></template>
    </el-dialog>
  </div>`,
};
