// 用户与角色 /admin/users (center_admin): staff accounts with roles, department, region, window.
import { get, post, put } from '../../api.js';
import { codes, label } from '../../store.js';
import { useEditDialog } from '../../components.js';
import { showError } from '../../util.js';

const { ref, reactive, computed, onMounted } = Vue;
const PAGE_SIZE = 20;

export default {
  name: 'UsersPage',
  setup() {
    const filter = reactive({ q: '', role: '' });
    const result = reactive({ total: 0, page: 1, items: [] });
    const loading = ref(false);
    const departments = ref([]);
    const regions = ref([]);
    const windows = ref([]);
    const staffRoles = computed(() => codes.roles.filter((r) => r.code !== 'applicant'));
    const deptName = (id) => (departments.value.find((d) => d.id === id) || {}).name || '—';
    const regionName = (code) => (regions.value.find((r) => r.code === code) || {}).name || code || '—';

    async function load(page = 1) {
      loading.value = true;
      try {
        const data = await get('/api/v1/users', { ...filter, page, page_size: PAGE_SIZE });
        Object.assign(result, { total: data.total || 0, page: data.page || page, items: data.items || [] });
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }

    const fields = (u) => ({
      username: u.username, name: u.name, password: '', roles: [...(u.roles || [])], dept_id: u.dept_id ?? null,
      region_code: u.region_code ?? '', window_id: u.window_id ?? null, disabled: !!u.disabled,
    });
    const clean = (f) => ({ ...f, dept_id: f.dept_id || null, region_code: f.region_code || null, window_id: f.window_id || null });
    const { dlg, open, save } = useEditDialog({
      blank: () => fields({ username: '', name: '', roles: [] }),
      fromRow: fields,
      create: (f) => {
        const { disabled, ...body } = clean(f);
        return post('/api/v1/users', body);
      },
      update: (u, f) => {
        const { username, password, ...body } = clean(f);
        return put('/api/v1/users/' + u.id, password ? { ...body, password } : body);
      },
      saved: () => load(result.page),
    });

    onMounted(async () => {
      load();
      const all = await Promise.allSettled([get('/api/v1/departments'), get('/api/v1/regions'), get('/api/v1/windows')]);
      [departments.value, regions.value, windows.value] = all.map((r) => (r.status === 'fulfilled' ? r.value.items || [] : []));
    });

    return { filter, result, loading, departments, regions, windows, staffRoles, deptName, regionName, load, dlg, open, save, label, PAGE_SIZE };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head"><h2>用户与角色</h2>
      <el-button type="primary" @click="open()"><el-icon><Plus /></el-icon>&nbsp;新增用户</el-button></div>
    <el-form :inline="true" class="filter-form" @submit.prevent="load()">
      <el-form-item label="关键词"><el-input v-model="filter.q" placeholder="用户名或姓名" clearable @clear="load()" @keyup.enter="load()" /></el-form-item>
      <el-form-item label="角色">
        <el-select v-model="filter.role" placeholder="全部角色" clearable style="width: 150px" @change="load()">
          <el-option v-for="r in staffRoles" :key="r.code" :label="r.label" :value="r.code" /></el-select>
      </el-form-item>
      <el-form-item><el-button type="primary" @click="load()">查询</el-button></el-form-item>
    </el-form>
    <el-table :data="result.items" v-loading="loading" border stripe empty-text="暂无用户">
      <el-table-column prop="username" label="用户名" min-width="120" class-name="mono" />
      <el-table-column prop="name" label="姓名" min-width="90" />
      <el-table-column label="角色" min-width="200">
        <template #default="{ row }"><el-tag v-for="r in row.roles" :key="r" size="small" class="role-tag">{{ label('roles', r) }}</el-tag></template>
      </el-table-column>
      <el-table-column label="部门" min-width="150"><template #default="{ row }">{{ deptName(row.dept_id) }}</template></el-table-column>
      <el-table-column label="区划" min-width="90"><template #default="{ row }">{{ regionName(row.region_code) }}</template></el-table-column>
      <el-table-column label="状态" width="70" align="center">
        <template #default="{ row }"><el-tag size="small" :type="row.disabled ? 'danger' : 'success'">{{ row.disabled ? '停用' : '正常' }}</el-tag></template>
      </el-table-column>
      <el-table-column label="操作" width="70" fixed="right"><template #default="{ row }"><el-button link type="primary" @click="open(row)">编辑</el-button></template></el-table-column>
    </el-table>
    <el-pagination v-if="result.total > PAGE_SIZE" class="pager" background layout="total, prev, pager, next"
                   :total="result.total" :page-size="PAGE_SIZE" :current-page="result.page" @current-change="load" />

    <el-dialog v-model="dlg.visible" :title="dlg.editing ? '编辑用户' : '新增用户'" width="min(600px, 96vw)">
      <el-form :model="dlg.form" label-width="90px">
        <el-form-item label="用户名" required :error="dlg.errors.username">
          <el-input v-model="dlg.form.username" :disabled="!!dlg.editing" autocomplete="off" /></el-form-item>
        <el-form-item label="姓名" required :error="dlg.errors.name"><el-input v-model="dlg.form.name" /></el-form-item>
        <el-form-item :label="dlg.editing ? '重置密码' : '初始密码'" :required="!dlg.editing" :error="dlg.errors.password">
          <el-input v-model="dlg.form.password" type="password" show-password autocomplete="new-password"
                    :placeholder="dlg.editing ? '留空则不修改' : ''" /></el-form-item>
        <el-form-item label="角色" required :error="dlg.errors.roles">
          <el-checkbox-group v-model="dlg.form.roles" class="role-checks">
            <el-checkbox v-for="r in staffRoles" :key="r.code" :value="r.code">{{ r.label }}</el-checkbox>
          </el-checkbox-group>
        </el-form-item>
        <el-form-item label="所属部门" :error="dlg.errors.dept_id">
          <el-select v-model="dlg.form.dept_id" filterable clearable placeholder="无（中心人员）">
            <el-option v-for="d in departments" :key="d.id" :label="d.name" :value="d.id" /></el-select>
        </el-form-item>
        <el-form-item label="管辖区划" :error="dlg.errors.region_code">
          <el-select v-model="dlg.form.region_code" filterable clearable>
            <el-option v-for="r in regions" :key="r.code" :label="r.name + '（' + r.code + '）'" :value="r.code" /></el-select>
        </el-form-item>
        <el-form-item label="所在窗口" :error="dlg.errors.window_id">
          <el-select v-model="dlg.form.window_id" filterable clearable placeholder="无">
            <el-option v-for="w in windows" :key="w.id" :label="w.number + '号 ' + w.name" :value="w.id" /></el-select>
        </el-form-item>
        <el-form-item v-if="dlg.editing" label="停用账号"><el-switch v-model="dlg.form.disabled" /></el-form-item>
      </el-form>
      <template #footer><el-button @click="dlg.visible = false">取消</el-button>
        <el-button type="primary" :loading="dlg.saving" @click="save">保存</el-button></template>
    </el-dialog>
  </div>`,
};
