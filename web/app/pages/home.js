// Portal home: search, entry tiles, browse by life event and department, 四办 tags and counts, the
// 12345 hotline's 留言 entry.
import { get } from '../api.js';
import { codes } from '../store.js';
import { href, navigate } from '../router.js';
import { percent } from '../components.js';

const { reactive, ref, computed, onMounted } = Vue;

const HOT_WORDS = ['身份证', '社保', '公积金', '营业执照', '出生', '结婚登记', '医保', '不动产'];
const SIDA = ['马上办', '网上办', '就近办', '一次办'];
const EVENT_ICONS = ['User', 'House', 'Reading', 'Briefcase', 'Present', 'Umbrella', 'FirstAidKit', 'HomeFilled',
  'Van', 'Shop', 'OfficeBuilding', 'Coin', 'Sunset', 'Medal', 'Help', 'Postcard'];

export default {
  name: 'HomePage',
  setup() {
    const q = ref('');
    const departments = ref([]);
    const counts = reactive({ rows: [], tags: [], lists: [] });

    const totals = computed(() => {
      const sum = (k) => counts.rows.reduce((s, r) => s + (Number(r[k]) || 0), 0);
      const items = sum('items');
      return { items, zuiduo: sum('zuiduo'), yici_bu: sum('yici_bu'), share: items ? percent(sum('online') / items) : '—' };
    });
    const tagCount = (name) => (counts.tags.find((t) => t.name === name) || {}).items;
    const otherTags = computed(() => codes.tags.filter((t) => !SIDA.includes(t.code)));

    function search() {
      navigate(href('/search', { q: q.value.trim() }));
    }

    onMounted(async () => {
      const [depts, lists] = await Promise.allSettled([get('/api/v1/departments'), get('/api/v1/lists')]);
      if (depts.status === 'fulfilled') departments.value = depts.value.items || [];
      if (lists.status === 'fulfilled') Object.assign(counts, lists.value);
    });

    return { q, search, departments, totals, tagCount, otherTags, codes, href, HOT_WORDS, SIDA, EVENT_ICONS };
  },
  template: `
  <div class="home">
    <section class="hero">
      <div class="container">
        <h1 class="hero-title">一网通办 · 让群众少跑腿</h1>
        <p class="hero-sub">政务服务事项一网查询、指南一次告知、材料一次提交</p>
        <div class="hero-search">
          <el-input v-model="q" size="large" placeholder="请输入事项名称或关键词，如：营业执照、社保" clearable
                    data-test="search-input" @keyup.enter="search">
            <template #prefix><el-icon><Search /></el-icon></template>
          </el-input>
          <el-button type="warning" size="large" data-test="search-button" @click="search">搜 索</el-button>
        </div>
        <div class="hot-words">热门：<a v-for="w in HOT_WORDS" :key="w" :href="href('/search', { q: w })">{{ w }}</a></div>
      </div>
    </section>

    <div class="container home-body">
      <el-row :gutter="16" class="entry-row">
        <el-col :xs="12" :sm="6">
          <a class="entry-tile tile-person" :href="href('/search', { target: 1 })">
            <el-icon :size="34"><User /></el-icon><b>个人办事</b><span>自然人服务事项</span></a>
        </el-col>
        <el-col :xs="12" :sm="6">
          <a class="entry-tile tile-legal" :href="href('/search', { target: 2 })">
            <el-icon :size="34"><OfficeBuilding /></el-icon><b>法人办事</b><span>企业、社会组织等</span></a>
        </el-col>
        <el-col :xs="12" :sm="6">
          <a class="entry-tile tile-once" :href="href('/lists', { tab: '最多跑一次' })">
            <el-icon :size="34"><Promotion /></el-icon><b>最多跑一次</b><span>{{ tagCount('最多跑一次') ?? '—' }} 项</span></a>
        </el-col>
        <el-col :xs="12" :sm="6">
          <a class="entry-tile tile-lists" href="/lists">
            <el-icon :size="34"><Tickets /></el-icon><b>清单公开</b><span>权力清单 · 责任清单</span></a>
        </el-col>
      </el-row>

      <el-row :gutter="16">
        <el-col :xs="24" :md="16">
          <el-card shadow="never" class="panel">
            <template #header><span class="panel-title">按主题办事</span>
              <a href="/bundles" class="panel-more" data-test="home-bundles">一件事一次办 ›</a></template>
            <div class="event-grid">
              <a v-for="(e, i) in codes.life_events" :key="e.code" class="event-tile" :href="href('/search', { life_event: e.code })">
                <el-icon :size="24"><component :is="EVENT_ICONS[i % EVENT_ICONS.length]" /></el-icon>
                <span>{{ e.label }}</span>
              </a>
            </div>
          </el-card>
        </el-col>
        <el-col :xs="24" :md="8">
          <el-card shadow="never" class="panel" data-test="home-hotline">
            <template #header><span class="panel-title">12345 政务服务便民热线</span>
              <a href="/12345/query" class="panel-more">查询留言 ›</a></template>
            <div class="home-hotline"><b>12345</b><span>咨询、求助、投诉、举报、建议，电话、网上留言和市长信箱都可以反映</span></div>
            <div class="home-hotline-actions">
              <el-button type="primary" tag="a" href="/12345" data-test="home-12345">我要留言</el-button>
              <el-button tag="a" href="/12345/query" data-test="home-12345-query">查询办理进度</el-button>
            </div>
          </el-card>
          <el-card shadow="never" class="panel">
            <template #header><span class="panel-title">事项统计</span></template>
            <div class="stat-grid">
              <div><b>{{ totals.items }}</b><span>政务服务事项</span></div>
              <div><b>{{ totals.zuiduo }}</b><span>最多跑一次</span></div>
              <div><b>{{ totals.yici_bu }}</b><span>一次也不跑</span></div>
              <div><b>{{ totals.share }}</b><span>网上可办比例</span></div>
            </div>
          </el-card>
          <el-card shadow="never" class="panel">
            <template #header><span class="panel-title">四办清单</span></template>
            <div class="sida-grid">
              <a v-for="t in SIDA" :key="t" :href="href('/lists', { tab: t })" class="sida-tile">
                <b>{{ t }}</b><span>{{ tagCount(t) ?? '—' }} 项</span></a>
            </div>
            <div class="tag-line">
              <a v-for="t in otherTags" :key="t.code" :href="href('/search', { tag: t.code })">
                <el-tag effect="plain" round>{{ t.label }} {{ tagCount(t.code) ?? '' }}</el-tag></a>
            </div>
          </el-card>
        </el-col>
      </el-row>

      <el-card shadow="never" class="panel">
        <template #header><span class="panel-title">按部门办事</span></template>
        <el-row :gutter="12">
          <el-col v-for="d in departments" :key="d.id" :xs="12" :sm="8" :md="6" :lg="4">
            <a class="dept-tile" :href="href('/search', { dept_id: d.id })">
              <span class="dept-name">{{ d.short_name || d.name }}</span>
              <span class="dept-count">{{ d.item_count ?? 0 }} 项</span>
            </a>
          </el-col>
        </el-row>
        <el-empty v-if="!departments.length" description="暂无部门信息" :image-size="60" />
      </el-card>
    </div>
  </div>`,
};
