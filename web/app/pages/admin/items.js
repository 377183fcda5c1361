// 事项管理 /admin/items: the items in the user's scope with their latest version.
import { get, post } from '../../api.js';
import { can } from '../../store.js';
import { navigate } from '../../router.js';
import { ITEM_STATUS, fmtTime, showError } from '../../util.js';

const { ref, reactive, onMounted } = Vue;
const PAGE_SIZE = 20;

export default {
  name: 'ItemsPage',
  setup() {
    const filter = reactive({ status: '', dept_id: '', q: '' });
    const result = reactive({ total: 0, page: 1, items: [] });
    const loading = ref(false);
    const departments = ref([]);
    const history = reactive({ visible: false, title: '', versions: [], loading: false });

    async function load(page = 1) {
      loading.value = true;
      try {
        const data = await get('/api/v1/admin/items', { ...filter, page, page_size: PAGE_SIZE });
        Object.assign(result, { total: data.total || 0, page: data.page || page, items: data.items || [] });
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }

    async function act(row, action, message) {
      try {
        await post(`/api/v1/admin/items/${row.id}/${action}`);
        ElementPlus.ElMessage.success(message);
        if (action === 'new-version') navigate('/admin/items/' + row.id);
        else load(result.page);
      } catch (err) {
        showError(err);
      }
    }

    async function withdraw(row) {
      try {
        await ElementPlus.ElMessageBox.confirm(`撤回后“${row.name}”将不再对公众展示，确定撤回？`, '撤回事项', { type: 'warning' });
      } catch {
        return;
      }
      act(row, 'withdraw', '已撤回');
    }

    async function showHistory(row) {
      Object.assign(history, { visible: true, title: row.name, versions: [], loading: true });
      try {
        history.versions = (await get('/api/v1/admin/items/' + row.id)).versions || [];
      } catch (err) {
        showError(err);
      } finally {
        history.loading = false;
      }
    }

    onMounted(async () => {
      load();
      try {
        departments.value = (await get('/api/v1/departments')).items || [];
      } catch {
        departments.value = [];
      }
    });

    return {
      filter, result, loading, departments, history, load, act, withdraw, showHistory,
      can, navigate, fmtTime, ITEM_STATUS, PAGE_SIZE,
    };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head">
      <h2>事项管理</h2>
      <el-button v-if="can('catalog.edit')" type="primary" data-test="item-new" @click="navigate('/admin/items/new')">
        <el-icon><Plus /></el-icon>&nbsp;新建事项</el-button>
    </div>
    <el-form :inline="true" class="filter-form" @submit.prevent="load()">
      <el-form-item label="状态">
        <el-select v-model="filter.status" placeholder="全部" clearable style="width: 120px" @change="load()">
          <el-option v-for="s in ['draft', 'submitted', 'published', 'withdrawn']" :key="s" :label="ITEM_STATUS[s].label" :value="s" />
        </el-select>
      </el-form-item>
      <el-form-item v-if="departments.length > 1" label="部门">
        <el-select v-model="filter.dept_id" placeholder="全部部门" clearable filterable style="width: 200px" @change="load()">
          <el-option v-for="d in departments" :key="d.id" :label="d.name" :value="d.id" />
        </el-select>
      </el-form-item>
      <el-form-item label="名称">
        <el-input v-model="filter.q" placeholder="事项名称或编码" clearable @clear="load()" @keyup.enter="load()" />
      </el-form-item>
      <el-form-item><el-button type="primary" @click="load()">查询</el-button></el-form-item>
    </el-form>

    <el-table :data="result.items" v-loading="loading" border stripe row-key="id" empty-text="暂无事项">
      <el-table-column prop="name" label="事项名称" min-width="200">
        <template #default="{ row }"><a :href="'/admin/items/' + row.id" class="cell-link">{{ row.name }}</a></template>
      </el-table-column>
      <el-table-column prop="code" label="实施编码" min-width="150" class-name="mono" />
      <el-table-column prop="dept" label="实施部门" min-width="150" />
      <el-table-column label="版本" width="70" align="center"><template #default="{ row }">v{{ row.version }}</template></el-table-column>
      <el-table-column label="状态" width="90" align="center">
        <template #default="{ row }">
          <el-tag :type="(ITEM_STATUS[row.status] || {}).tag" size="small">{{ (ITEM_STATUS[row.status] || {}).label || row.status }}</el-tag>
        </template>
      </el-table-column>
      <el-table-column label="线上版本" width="90" align="center">
        <template #default="{ row }">{{ row.published_version ? 'v' + row.published_version : '—' }}</template>
      </el-table-column>
      <el-table-column label="更新时间" width="150"><template #default="{ row }">{{ fmtTime(row.updated_at) }}</template></el-table-column>
      <el-table-column label="操作" min-width="260" fixed="right">
        <template #default="{ row }">
          <el-button v-if="row.status === 'draft' && can('catalog.edit')" link type="primary" @click="navigate('/admin/items/' + row.id)">编辑</el-button>
          <el-button v-else link type="primary" @click="navigate('/admin/items/' + row.id)">查看</el-button>
          <el-button v-if="row.status === 'draft' && can('catalog.edit')" link type="warning" @click="act(row, 'submit', '已提交审核')">提交审核</el-button>
          <el-button v-if="(row.status === 'published' || row.status === 'withdrawn') && can('catalog.edit')" link type="primary"
                     @click="act(row, 'new-version', '已创建新版本草稿')">新版本</el-button>
          <el-button v-if="row.status === 'published' && can('catalog.review')" link type="danger" @click="withdraw(row)">撤回</el-button>
          <el-button link @click="showHistory(row)">查看历史</el-button>
        </template>
      </el-table-column>
    </el-table>
    <el-pagination v-if="result.total > PAGE_SIZE" class="pager" background layout="total, prev, pager, next"
                   :total="result.total" :page-size="PAGE_SIZE" :current-page="result.page" @current-change="load" />

    <el-dialog v-model="history.visible" :title="'版本历史 · ' + history.title" width="min(760px, 96vw)">
      <el-table :data="history.versions" v-loading="history.loading" border size="small">
        <el-table-column label="版本" width="64" align="center"><template #default="{ row }">v{{ row.version }}</template></el-table-column>
        <el-table-column label="状态" width="84">
          <template #default="{ row }"><el-tag :type="(ITEM_STATUS[row.status] || {}).tag" size="small">{{ (ITEM_STATUS[row.status] || {}).label || row.status }}</el-tag></template>
        </el-table-column>
        <el-table-column label="创建" min-width="130"><template #default="{ row }">{{ fmtTime(row.created_at) }}</template></el-table-column>
        <el-table-column label="提交" min-width="130"><template #default="{ row }">{{ fmtTime(row.submitted_at) }}</template></el-table-column>
        <el-table-column label="发布" min-width="130"><template #default="{ row }">{{ fmtTime(row.published_at) }}</template></el-table-column>
        <el-table-column prop="review_note" label="审核意见" min-width="140" />
      </el-table>
    </el-dialog>
  </div>`,
};
