// 审计日志 /admin/audit (center_admin, supervisor): audit records newest first, with the
// before/after of each change in a dialog.
import { get } from '../../api.js';
import { DiffTable } from '../../components.js';
import { fmtTime, showError } from '../../util.js';

const { ref, reactive, onMounted } = Vue;
const PAGE_SIZE = 30;

const ENTITIES = { items: '事项', item_versions: '事项版本', users: '用户', departments: '部门', regions: '区划',
  halls: '大厅', windows: '窗口', calendar_days: '日历', calendar_years: '日历年度', api_tokens: '访问令牌' };
const ACTIONS = { create: '新增', insert: '新增', update: '修改', delete: '删除', submit: '提交审核', publish: '发布',
  reject: '退回', withdraw: '撤回', 'new-version': '新版本', import: '导入', login: '登录' };

export default {
  name: 'AuditPage',
  components: { DiffTable },
  setup() {
    const filter = reactive({ entity: '', entity_id: '' });
    const result = reactive({ total: 0, page: 1, items: [] });
    const loading = ref(false);
    const detail = reactive({ visible: false, record: null });

    async function load(page = 1) {
      loading.value = true;
      try {
        const data = await get('/api/v1/audit', { ...filter, page, page_size: PAGE_SIZE });
        Object.assign(result, { total: data.total || 0, page: data.page || page, items: data.items || [] });
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }
    function open(record) {
      Object.assign(detail, { visible: true, record });
    }
    onMounted(load);
    return { filter, result, loading, detail, load, open, fmtTime, ENTITIES, ACTIONS, PAGE_SIZE };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head"><h2>审计日志</h2></div>
    <el-form :inline="true" class="filter-form" @submit.prevent="load()">
      <el-form-item label="对象类型">
        <el-select v-model="filter.entity" placeholder="全部" clearable filterable allow-create style="width: 140px" @change="load()">
          <el-option v-for="(t, k) in ENTITIES" :key="k" :label="t" :value="k" /></el-select>
      </el-form-item>
      <el-form-item label="对象ID"><el-input v-model="filter.entity_id" clearable style="width: 160px" @clear="load()" @keyup.enter="load()" /></el-form-item>
      <el-form-item><el-button type="primary" @click="load()">查询</el-button></el-form-item>
    </el-form>
    <el-table :data="result.items" v-loading="loading" border stripe size="small" empty-text="暂无审计记录" @row-dblclick="open">
      <el-table-column prop="id" label="序号" width="80" />
      <el-table-column label="时间" width="150"><template #default="{ row }">{{ fmtTime(row.at) }}</template></el-table-column>
      <el-table-column label="操作人" min-width="110"><template #default="{ row }">{{ row.actor || '系统' }}</template></el-table-column>
      <el-table-column label="动作" width="100"><template #default="{ row }">{{ ACTIONS[row.action] || row.action }}</template></el-table-column>
      <el-table-column label="对象" min-width="110"><template #default="{ row }">{{ ENTITIES[row.entity] || row.entity }}</template></el-table-column>
      <el-table-column prop="entity_id" label="对象ID" min-width="120" class-name="mono" />
      <el-table-column label="变更" width="80" align="center">
        <template #default="{ row }"><el-button link type="primary" @click="open(row)">查看</el-button></template>
      </el-table-column>
    </el-table>
    <el-pagination v-if="result.total > PAGE_SIZE" class="pager" background layout="total, prev, pager, next"
                   :total="result.total" :page-size="PAGE_SIZE" :current-page="result.page" @current-change="load" />

    <el-dialog v-model="detail.visible" title="变更详情" width="min(900px, 96vw)">
      <template v-if="detail.record">
        <el-descriptions :column="2" border size="small" class="review-meta">
          <el-descriptions-item label="时间">{{ fmtTime(detail.record.at) }}</el-descriptions-item>
          <el-descriptions-item label="操作人">{{ detail.record.actor || '系统' }}</el-descriptions-item>
          <el-descriptions-item label="动作">{{ ACTIONS[detail.record.action] || detail.record.action }}</el-descriptions-item>
          <el-descriptions-item label="对象">{{ ENTITIES[detail.record.entity] || detail.record.entity }} #{{ detail.record.entity_id }}</el-descriptions-item>
          <el-descriptions-item label="校验值" :span="2"><span class="mono small">{{ detail.record.hash }}</span></el-descriptions-item>
        </el-descriptions>
        <diff-table :before="detail.record.before" :after="detail.record.after" />
      </template>
    </el-dialog>
  </div>`,
};
