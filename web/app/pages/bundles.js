// /bundles: 高效办成一件事 — the bundles of items handled as one application (GET /api/v1/bundles),
// each with its lead item and the co-items approved in parallel within their budgets; 在线申请
// opens the one form for the whole bundle (/bundles/{code}/apply).
import { get } from '../api.js';
import { href } from '../router.js';
import { showError } from '../util.js';

const { ref, onMounted } = Vue;

export default {
  name: 'BundlesPage',
  setup() {
    const bundles = ref(null);
    onMounted(async () => {
      document.title = '一件事一次办';
      try {
        bundles.value = (await get('/api/v1/bundles')).items || [];
      } catch (err) {
        bundles.value = [];
        showError(err);
      }
    });
    return { bundles, href };
  },
  template: `
  <div class="container page">
    <h1 class="page-title">一件事一次办</h1>
    <p class="muted">多个关联事项“一次告知、一表申请、一套材料、一窗受理”：牵头部门受理，协办部门在时限内并联审批，逾期未反馈的视为同意。</p>
    <el-skeleton v-if="!bundles" :rows="6" animated class="panel" />
    <el-empty v-else-if="!bundles.length" description="暂无一件事主题" />
    <el-card v-for="b in bundles || []" :key="b.code" shadow="never" class="panel" data-test="bundle">
      <div class="bundle-head">
        <h2 class="bundle-title" data-test="bundle-name">{{ b.name }}</h2>
        <el-button type="primary" tag="a" :href="'/bundles/' + encodeURIComponent(b.code) + '/apply'" data-test="bundle-apply">在线申请</el-button>
      </div>
      <p class="muted">{{ b.description }}</p>
      <div class="table-scroll">
        <table class="doc-table">
          <thead><tr><th>事项</th><th>部门</th><th>分工</th><th class="num">时限</th></tr></thead>
          <tbody><tr v-for="x in b.items" :key="x.item_code">
            <td><a :href="'/guide/' + encodeURIComponent(x.item_code)">{{ x.item_name }}</a></td><td>{{ x.dept }}</td>
            <td><el-tag :type="x.lead ? 'primary' : 'info'" size="small">{{ x.lead ? '牵头' : '并联协办' }}</el-tag></td>
            <td class="num">{{ x.budget_days }} 个工作日</td>
          </tr></tbody>
        </table>
      </div>
    </el-card>
  </div>`,
};
