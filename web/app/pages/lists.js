// /lists: the published lists (权力清单 ... and the tag lists 最多跑一次, 四办, 即来即办) as
// tabs, with the counts table per level on top. ?tab= selects a tab.
import { get } from '../api.js';
import { codes } from '../store.js';
import { route, href, navigate } from '../router.js';
import { CountsTable, ResultItem } from '../components.js';
import { viewport } from '../util.js';

const { ref, reactive, computed, watch, onMounted } = Vue;
const PAGE_SIZE = 20;

export default {
  name: 'ListsPage',
  components: { CountsTable, ResultItem },
  setup() {
    const counts = reactive({ rows: [], lists: [], tags: [] });
    const result = reactive({ total: 0, page: 1, items: [] });
    const loading = ref(false);

    // One tab per list, then one per tag; counts from /api/v1/lists when known.
    const tabs = computed(() => {
      const count = (arr, name) => (arr.find((x) => x.name === name) || {}).items;
      return [
        ...codes.lists.map((c) => ({ name: c.code, kind: 'list', count: count(counts.lists, c.code) })),
        ...codes.tags.map((c) => ({ name: c.code, kind: 'tag', count: count(counts.tags, c.code) })),
      ];
    });
    const active = computed(() => route.query.tab || (tabs.value[0] && tabs.value[0].name));
    const page = computed(() => Number(route.query.page) || 1);

    async function load() {
      const tab = tabs.value.find((t) => t.name === active.value);
      if (!tab) return;
      loading.value = true;
      try {
        const data = await get('/api/v1/items', { [tab.kind]: tab.name, page: page.value, page_size: PAGE_SIZE });
        Object.assign(result, { total: data.total || 0, page: data.page || 1, items: data.items || [] });
      } catch {
        Object.assign(result, { total: 0, page: 1, items: [] });
      } finally {
        loading.value = false;
      }
    }

    function select(name) {
      navigate(href('/lists', { tab: name }), { replace: true });
    }
    function goPage(p) {
      navigate(href('/lists', { tab: active.value, page: p }));
    }

    watch(() => route.fullPath, () => route.path === '/lists' && load());
    onMounted(async () => {
      load();
      try {
        Object.assign(counts, await get('/api/v1/lists'));
      } catch {
        // the tabs still work without counts
      }
    });

    return { counts, result, loading, tabs, active, select, goPage, viewport, PAGE_SIZE };
  },
  template: `
  <div class="container page">
    <h2 class="page-title">清单公开</h2>
    <el-card shadow="never" class="panel">
      <template #header><span class="panel-title">各层级事项统计</span></template>
      <counts-table :rows="counts.rows" />
    </el-card>
    <el-card shadow="never" class="panel">
      <el-tabs :model-value="active" @tab-change="select" class="list-tabs">
        <el-tab-pane v-for="t in tabs" :key="t.name" :name="t.name">
          <template #label>{{ t.name }}<span v-if="t.count != null" class="tab-count">{{ t.count }}</span></template>
        </el-tab-pane>
      </el-tabs>
      <div v-loading="loading" class="result-list">
        <result-item v-for="it in result.items" :key="it.code" :item="it" />
        <el-empty v-if="!loading && !result.items.length" description="该清单暂无事项" />
      </div>
      <el-pagination v-if="result.total > PAGE_SIZE" class="pager" background :size="viewport.narrow ? 'small' : 'default'"
                     layout="total, prev, pager, next" :total="result.total" :page-size="PAGE_SIZE"
                     :current-page="result.page" @current-change="goPage" />
    </el-card>
  </div>`,
};
