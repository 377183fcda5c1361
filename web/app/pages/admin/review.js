// 审核发布 /admin/review: the queue of submitted versions and the published items (to
// withdraw); /admin/review/{id} opens a submitted version to publish or return it.
import { get, post } from '../../api.js';
import { route, navigate } from '../../router.js';
import { GuideDoc, DiffTable } from '../../components.js';
import { ITEM_STATUS, fmtTime, showError } from '../../util.js';

const { ref, reactive, computed, onMounted } = Vue;

export const ReviewPage = {
  name: 'ReviewPage',
  setup() {
    const tab = ref('queue');
    const queue = ref([]);
    const published = reactive({ total: 0, page: 1, items: [] });
    const loading = ref(false);

    async function loadQueue() {
      loading.value = true;
      try {
        queue.value = (await get('/api/v1/admin/review-queue')).items || [];
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }
    async function loadPublished(page = 1) {
      loading.value = true;
      try {
        const data = await get('/api/v1/admin/items', { status: 'published', page, page_size: 20 });
        Object.assign(published, { total: data.total || 0, page: data.page || page, items: data.items || [] });
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }
    function switchTab(name) {
      if (name === 'published') loadPublished();
      else loadQueue();
    }
    async function withdraw(row) {
      try {
        await ElementPlus.ElMessageBox.confirm(`撤回后“${row.name}”将不再对公众展示，确定撤回？`, '撤回事项', { type: 'warning' });
      } catch {
        return;
      }
      try {
        await post(`/api/v1/admin/items/${row.id}/withdraw`);
        ElementPlus.ElMessage.success('已撤回');
        loadPublished(published.page);
      } catch (err) {
        showError(err);
      }
    }
    const itemId = (row) => row.item_id ?? row.id;

    onMounted(loadQueue);
    return { tab, queue, published, loading, switchTab, loadPublished, withdraw, itemId, navigate, fmtTime };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head"><h2>审核发布</h2></div>
    <el-tabs v-model="tab" @tab-change="switchTab">
      <el-tab-pane :label="'待审核（' + queue.length + '）'" name="queue">
        <div v-loading="loading" class="table-scroll">
          <table class="data-table">
            <thead><tr><th>事项名称</th><th>实施部门</th><th>版本</th><th>提交时间</th><th></th></tr></thead>
            <tbody>
              <tr v-for="row in queue" :key="itemId(row) + '-' + row.version" data-test="review-row" class="clickable"
                  @click="navigate('/admin/review/' + itemId(row))">
                <td><b>{{ row.name }}</b><div class="muted mono">{{ row.code }}</div></td>
                <td>{{ row.dept }}</td>
                <td>v{{ row.version }}</td>
                <td>{{ fmtTime(row.submitted_at) }}</td>
                <td class="right"><el-button type="primary" link>审核 <el-icon><ArrowRight /></el-icon></el-button></td>
              </tr>
              <tr v-if="!queue.length"><td colspan="5" class="empty-cell">暂无待审核事项</td></tr>
            </tbody>
          </table>
        </div>
      </el-tab-pane>
      <el-tab-pane label="已发布事项" name="published">
        <el-table :data="published.items" v-loading="loading" border stripe empty-text="暂无已发布事项">
          <el-table-column prop="name" label="事项名称" min-width="200" />
          <el-table-column prop="dept" label="实施部门" min-width="160" />
          <el-table-column label="线上版本" width="90" align="center"><template #default="{ row }">v{{ row.published_version || row.version }}</template></el-table-column>
          <el-table-column label="更新时间" width="150"><template #default="{ row }">{{ fmtTime(row.updated_at) }}</template></el-table-column>
          <el-table-column label="操作" width="90" align="center">
            <template #default="{ row }"><el-button link type="danger" @click="withdraw(row)">撤回</el-button></template>
          </el-table-column>
        </el-table>
        <el-pagination v-if="published.total > 20" class="pager" background layout="total, prev, pager, next"
                       :total="published.total" :page-size="20" :current-page="published.page" @current-change="loadPublished" />
      </el-tab-pane>
    </el-tabs>
  </div>`,
};

export const ReviewDetail = {
  name: 'ReviewDetail',
  components: { GuideDoc, DiffTable },
  setup() {
    const id = route.params.id;
    const data = ref(null);
    const online = ref(null);
    const busy = ref(false);
    const version = computed(() => data.value && (data.value.versions || []).find((v) => v.version === data.value.latest_version));
    const pending = computed(() => data.value && data.value.latest_status === 'submitted');

    async function act(action, body, message) {
      busy.value = true;
      try {
        await post(`/api/v1/admin/items/${id}/${action}`, body);
        ElementPlus.ElMessage.success(message);
        navigate('/admin/review');
      } catch (err) {
        showError(err);
      } finally {
        busy.value = false;
      }
    }
    async function reject() {
      let note;
      try {
        ({ value: note } = await ElementPlus.ElMessageBox.prompt('请填写退回意见，申请部门将看到此意见：', '退回修改', {
          inputType: 'textarea', inputValidator: (v) => (v && v.trim() ? true : '请填写退回意见'), confirmButtonText: '退回',
        }));
      } catch {
        return;
      }
      act('reject', { note: note.trim() }, '已退回');
    }

    onMounted(async () => {
      try {
        data.value = await get('/api/v1/admin/items/' + id);
      } catch (err) {
        showError(err);
        return;
      }
      try {
        online.value = await get('/api/v1/items/' + encodeURIComponent(data.value.code));
      } catch {
        online.value = null; // never published yet
      }
    });

    return { data, online, busy, version, pending, act, reject, navigate, fmtTime, ITEM_STATUS };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head">
      <h2>审核：{{ data ? data.latest.name : '' }}</h2>
      <el-button @click="navigate('/admin/review')"><el-icon><Back /></el-icon>&nbsp;返回队列</el-button>
    </div>
    <el-skeleton v-if="!data" :rows="8" animated />
    <template v-else>
      <el-card shadow="never" class="panel">
        <el-descriptions :column="3" border size="small" class="review-meta">
          <el-descriptions-item label="实施编码">{{ data.code }}</el-descriptions-item>
          <el-descriptions-item label="实施部门">{{ data.latest.dept }}</el-descriptions-item>
          <el-descriptions-item label="版本">v{{ data.latest_version }}
            <el-tag size="small" :type="(ITEM_STATUS[data.latest_status] || {}).tag">{{ (ITEM_STATUS[data.latest_status] || {}).label }}</el-tag></el-descriptions-item>
          <el-descriptions-item label="提交时间">{{ fmtTime(version && version.submitted_at) }}</el-descriptions-item>
          <el-descriptions-item label="线上版本">{{ online ? 'v' + online.version : '尚未发布（新事项）' }}</el-descriptions-item>
        </el-descriptions>
        <el-alert v-if="!pending" type="info" :closable="false" show-icon class="editor-alert" title="该版本不在待审核状态，无需处理。" />
        <div class="review-actions">
          <el-button type="success" :disabled="!pending" :loading="busy" data-test="review-publish"
                     @click="act('publish', {}, '已发布')"><el-icon><Select /></el-icon>&nbsp;发布</el-button>
          <el-button type="warning" :disabled="!pending || busy" @click="reject"><el-icon><RefreshLeft /></el-icon>&nbsp;退回</el-button>
        </div>
      </el-card>
      <el-card v-if="online" shadow="never" class="panel">
        <template #header><span class="panel-title">与线上版本（v{{ online.version }}）的差异</span></template>
        <diff-table :before="online" :after="data.latest" :ignore="['version', 'published_at', 'dept_id', 'guide_url']" />
      </el-card>
      <el-card shadow="never" class="panel">
        <template #header><span class="panel-title">指南预览</span></template>
        <guide-doc :item="{ ...data.latest, code: data.latest.code || data.code }" />
      </el-card>
    </template>
  </div>`,
};
