// /search: published catalogue search with filters and pagination; the URL holds the state.
import { get } from '../api.js';
import { codes } from '../store.js';
import { route, href, navigate } from '../router.js';
import { ResultItem } from '../components.js';
import { viewport } from '../util.js';

const { ref, reactive, watch, onMounted } = Vue;

const FILTERS = ['dept_id', 'level', 'type', 'target', 'tag', 'list', 'life_event'];
const PAGE_SIZE = 20;

export default {
  name: 'SearchPage',
  components: { ResultItem },
  setup() {
    const q = ref('');
    const filters = reactive(Object.fromEntries(FILTERS.map((k) => [k, ''])));
    const result = reactive({ total: 0, page: 1, items: [] });
    const loading = ref(false);
    const error = ref('');
    const departments = ref([]);

    // Push the form state into the URL; the watcher below fetches.
    function apply(page = 1) {
      navigate(href('/search', { q: q.value.trim(), ...filters, page: page > 1 ? page : '' }));
    }
    function reset() {
      FILTERS.forEach((k) => (filters[k] = ''));
      apply();
    }

    async function load() {
      const query = route.query;
      q.value = query.q || '';
      FILTERS.forEach((k) => (filters[k] = query[k] || ''));
      loading.value = true;
      error.value = '';
      try {
        const data = await get('/api/v1/items', { q: q.value, ...filters, page: query.page || 1, page_size: PAGE_SIZE });
        Object.assign(result, { total: data.total || 0, page: data.page || 1, items: data.items || [] });
      } catch (err) {
        error.value = err.message;
        Object.assign(result, { total: 0, page: 1, items: [] });
      } finally {
        loading.value = false;
      }
    }

    watch(() => route.fullPath, () => route.path === '/search' && load());
    onMounted(async () => {
      load();
      try {
        departments.value = (await get('/api/v1/departments')).items || [];
      } catch {
        departments.value = [];
      }
    });

    return { q, filters, result, loading, error, departments, codes, apply, reset, viewport, PAGE_SIZE };
  },
  template: `
  <div class="container page">
    <div class="search-bar">
      <el-input v-model="q" size="large" placeholder="输入事项名称、俗称或关键词，如：身份证丢了、开饭店" clearable data-test="search-input"
                @keyup.enter="apply()">
        <template #prefix><el-icon><Search /></el-icon></template>
      </el-input>
      <el-button type="primary" size="large" data-test="search-button" @click="apply()">搜索</el-button>
    </div>

    <el-card shadow="never" class="panel filter-panel">
      <el-row :gutter="12">
        <el-col :xs="12" :sm="8" :md="6" :lg="4">
          <el-select v-model="filters.dept_id" placeholder="实施部门" clearable filterable @change="apply()">
            <el-option v-for="d in departments" :key="d.id" :label="d.name" :value="String(d.id)" />
          </el-select>
        </el-col>
        <el-col :xs="12" :sm="8" :md="6" :lg="4">
          <el-select v-model="filters.level" placeholder="行使层级" clearable @change="apply()">
            <el-option v-for="c in codes.levels" :key="c.code" :label="c.label" :value="String(c.code)" />
          </el-select>
        </el-col>
        <el-col :xs="12" :sm="8" :md="6" :lg="4">
          <el-select v-model="filters.type" placeholder="事项类型" clearable @change="apply()">
            <el-option v-for="c in codes.item_types" :key="c.code" :label="c.label" :value="String(c.code)" />
          </el-select>
        </el-col>
        <el-col :xs="12" :sm="8" :md="6" :lg="4">
          <el-select v-model="filters.target" placeholder="服务对象" clearable @change="apply()">
            <el-option v-for="c in codes.targets" :key="c.code" :label="c.label" :value="String(c.code)" />
          </el-select>
        </el-col>
        <el-col :xs="12" :sm="8" :md="6" :lg="4">
          <el-select v-model="filters.tag" placeholder="服务标签" clearable @change="apply()">
            <el-option v-for="c in codes.tags" :key="c.code" :label="c.label" :value="String(c.code)" />
          </el-select>
        </el-col>
        <el-col :xs="12" :sm="8" :md="6" :lg="4">
          <el-select v-model="filters.list" placeholder="所属清单" clearable @change="apply()">
            <el-option v-for="c in codes.lists" :key="c.code" :label="c.label" :value="String(c.code)" />
          </el-select>
        </el-col>
      </el-row>
      <div class="filter-foot">
        <span v-if="filters.life_event" class="filter-chip">
          主题：<el-tag closable @close="filters.life_event = ''; apply()">{{ filters.life_event }}</el-tag>
        </span>
        <el-button link type="primary" @click="reset">清空筛选</el-button>
      </div>
    </el-card>

    <div class="result-head">
      <span v-if="!loading">共找到 <b>{{ result.total }}</b> 个事项<template v-if="q">（关键词“{{ q }}”）</template></span>
    </div>
    <el-alert v-if="error" :title="error" type="error" show-icon :closable="false" />
    <div v-loading="loading" class="result-list">
      <result-item v-for="it in result.items" :key="it.code" :item="it" />
      <el-empty v-if="!loading && !error && !result.items.length" description="没有找到相关事项，请换个关键词试试" />
    </div>
    <el-pagination v-if="result.total > PAGE_SIZE" class="pager" background :size="viewport.narrow ? 'small' : 'default'"
                   :layout="viewport.narrow ? 'prev, pager, next' : 'total, prev, pager, next, jumper'"
                   :total="result.total" :page-size="PAGE_SIZE" :current-page="result.page"
                   :pager-count="viewport.narrow ? 5 : 7" @current-change="apply" />
  </div>`,
};
