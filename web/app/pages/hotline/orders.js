// 工单管理 (/admin/hotline/orders, hotline.view; docs/api.md "Hotline"): the work orders, the server
// scoping them (the centre and supervisors see every order, a handling unit those sent to it). The
// 待办 tab is the default: for the centre what waits for it (待派单, 退单待审, 待审核, 待回访), for a
// unit what waits for the unit (待签收, 办理中, a co-unit's part). Filters by state, category, channel,
// unit, words and the caller's number; urgent orders first, then by due time.
import { get } from '../../api.js';
import { can } from '../../store.js';
import { route, navigate, href } from '../../router.js';
import { fmtTime, showError, viewport } from '../../util.js';
import { CATEGORIES, CHANNELS, ORDER_STATES, OrderSignal, OrderState, loadUnits } from './common.js';

const { ref, reactive, computed, onMounted } = Vue;

const PAGE_SIZE = 20;

export const OrdersPage = {
  name: 'HotlineOrdersPage',
  components: { OrderState, OrderSignal },
  setup() {
    const q = route.query;
    const f = reactive({
      tab: q.tab === 'all' ? 'all' : 'todo', state: q.state || '', category: q.category || '', channel: q.channel || '',
      unit_id: q.unit_id ? Number(q.unit_id) : '', q: q.q || '', phone: q.phone || '',
    });
    const page = ref(Number(q.page) || 1);
    const rows = ref([]);
    const total = ref(0);
    const loading = ref(false);
    const units = ref([]);
    const centre = computed(() => can('hotline.operate') || can('hotline.supervise'));
    const unitView = computed(() => can('hotline.handle') && !centre.value);

    async function load() {
      loading.value = true;
      try {
        const query = {
          todo: f.tab === 'todo' ? 1 : '', state: f.state, category: f.category, channel: f.channel,
          unit_id: centre.value ? f.unit_id : '', q: f.q.trim(), phone: f.phone.trim(), page: page.value, page_size: PAGE_SIZE,
        };
        const data = await get('/api/v1/hotline/orders', query);
        rows.value = data.items || [];
        total.value = data.total || 0;
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }
    function apply(resetPage = true) {
      if (resetPage) page.value = 1;
      navigate(href('/admin/hotline/orders', {
        tab: f.tab === 'all' ? 'all' : '', state: f.state, category: f.category, channel: f.channel, unit_id: f.unit_id,
        q: f.q.trim(), phone: f.phone.trim(), page: page.value > 1 ? page.value : '',
      }), { replace: true });
      load();
    }
    function reset() {
      Object.assign(f, { state: '', category: '', channel: '', unit_id: '', q: '', phone: '' });
      apply();
    }
    onMounted(async () => {
      document.title = '工单管理 · 12345';
      load();
      if (centre.value) units.value = await loadUnits().catch(() => []);
    });
    // a click on the row opens the order (a click on its link is the router's)
    const open = (row, col, e) => !(e && e.target.closest && e.target.closest('a')) && navigate('/admin/hotline/orders/' + row.id);
    const now = () => Date.now() / 1000;
    const todoHint = computed(() => (unitView.value ? '待签收、办理中和待提出协办意见的工单'
      : '待派单、退单待审、待审核和待回访的工单'));
    return {
      f, page, rows, total, loading, units, centre, unitView, load, apply, reset, open, now, todoHint, fmtTime, viewport,
      PAGE_SIZE, CATEGORIES, CHANNELS, ORDER_STATES,
    };
  },
  template: `
  <div class="admin-page hl-orders">
    <div class="admin-head">
      <h2>工单管理 <small class="muted">{{ unitView ? '本单位承办的12345工单' : '12345 市民诉求工单' }}</small></h2>
      <el-button v-if="centre && !unitView" type="primary" tag="a" href="/admin/hotline/console" data-test="orders-console">话务台</el-button>
    </div>
    <div class="panel-head-row">
      <el-radio-group v-model="f.tab" @change="apply()" data-test="orders-tabs">
        <el-radio-button value="todo" data-test="orders-tab-todo">待办</el-radio-button>
        <el-radio-button value="all" data-test="orders-tab-all">全部工单</el-radio-button>
      </el-radio-group>
      <span v-if="f.tab === 'todo'" class="muted small">{{ todoHint }}</span>
    </div>
    <div class="hl-filters" data-test="orders-filters">
      <el-select v-model="f.state" placeholder="状态" clearable @change="apply()" data-test="orders-state">
        <el-option v-for="(s, k) in ORDER_STATES" :key="k" :label="s[0]" :value="k" />
      </el-select>
      <el-select v-model="f.category" placeholder="类别" clearable @change="apply()" data-test="orders-category">
        <el-option v-for="(l, k) in CATEGORIES" :key="k" :label="l" :value="k" />
      </el-select>
      <el-select v-model="f.channel" placeholder="渠道" clearable @change="apply()" data-test="orders-channel">
        <el-option v-for="(l, k) in CHANNELS" :key="k" :label="l" :value="k" />
      </el-select>
      <el-select v-if="centre" v-model="f.unit_id" placeholder="承办单位" clearable filterable @change="apply()" data-test="orders-unit" class="hl-filter-wide">
        <el-option v-for="u in units" :key="u.id" :label="u.name" :value="u.id" />
      </el-select>
      <el-input v-model="f.q" placeholder="编号、标题、内容" clearable @keyup.enter="apply()" @clear="apply()" data-test="orders-q" class="hl-filter-wide" />
      <el-input v-if="centre" v-model="f.phone" placeholder="来电号码" clearable @keyup.enter="apply()" @clear="apply()" data-test="orders-phone" />
      <el-button type="primary" @click="apply()" data-test="orders-search"><el-icon><Search /></el-icon><span>查询</span></el-button>
      <el-button @click="reset">重置</el-button>
    </div>
    <el-table v-loading="loading" :data="rows" stripe class="hl-table" data-test="orders-table" @row-click="open" row-class-name="hl-row"
      empty-text="暂无工单">
      <el-table-column label="工单编号" width="170">
        <template #default="{ row }">
          <a :href="'/admin/hotline/orders/' + row.id" data-test="order-link">{{ row.number }}</a>
          <el-tag v-if="row.urgent" type="danger" size="small" effect="dark" class="hl-urgent">急</el-tag>
          <div class="muted small">{{ fmtTime(row.created_at) }}</div>
        </template>
      </el-table-column>
      <el-table-column label="标题" min-width="200" show-overflow-tooltip>
        <template #default="{ row }"><span data-test="order-title">{{ row.title }}</span></template>
      </el-table-column>
      <el-table-column label="类别" width="70"><template #default="{ row }">{{ row.category_label }}</template></el-table-column>
      <el-table-column v-if="!unitView" label="渠道" width="100"><template #default="{ row }">{{ row.channel_label }}</template></el-table-column>
      <el-table-column label="承办单位" min-width="150" show-overflow-tooltip><template #default="{ row }">{{ row.unit || '—' }}</template></el-table-column>
      <el-table-column label="状态" width="110"><template #default="{ row }"><order-state :o="row" /></template></el-table-column>
      <el-table-column label="监察" width="80"><template #default="{ row }"><order-signal :signal="row.signal" /></template></el-table-column>
      <el-table-column label="办理期限" width="150">
        <template #default="{ row }">
          <span v-if="row.due_at" :class="{ 'text-danger': row.overdue }" data-test="order-due">{{ fmtTime(row.due_at) }}<template v-if="row.overdue">（已超期）</template></span>
          <span v-else class="muted">—</span>
        </template>
      </el-table-column>
    </el-table>
    <el-pagination v-if="total > PAGE_SIZE" class="pager" background :layout="viewport.narrow ? 'prev, pager, next' : 'total, prev, pager, next'"
      :total="total" :page-size="PAGE_SIZE" v-model:current-page="page" @current-change="apply(false)" />
    <div v-else class="muted small hl-total" data-test="orders-total">共 {{ total }} 件</div>
  </div>`,
};
