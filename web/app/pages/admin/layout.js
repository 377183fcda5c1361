// The admin console frame: a menu of the functions the user's roles allow.
import { session, can, label } from '../../store.js';
import { route, navigate } from '../../router.js';
import { viewport } from '../../util.js';

const { computed, onMounted } = Vue;

export const ADMIN_MENU = [
  { path: '/admin/items', title: '事项管理', icon: 'Files', perm: 'catalog.view' },
  { path: '/admin/review', title: '审核发布', icon: 'Stamp', perm: 'catalog.review' },
  { path: '/admin/lists', title: '清单统计', icon: 'DataAnalysis', perm: 'catalog.view' },
  { path: '/admin/regions', title: '区划管理', icon: 'MapLocation', perm: 'org.manage' },
  { path: '/admin/departments', title: '部门管理', icon: 'OfficeBuilding', perm: 'org.manage' },
  { path: '/admin/halls', title: '大厅与窗口', icon: 'Shop', perm: 'org.manage' },
  { path: '/admin/hall', title: '智能大厅', icon: 'Monitor', perm: 'hall.manage' },
  { path: '/admin/users', title: '用户与角色', icon: 'Avatar', perm: 'users.manage' },
  { path: '/admin/calendar', title: '工作日历', icon: 'Calendar', perm: 'calendar.edit' },
  { path: '/admin/audit', title: '审计日志', icon: 'Document', perm: 'audit.read' },
  { path: '/admin/supervision', title: '电子监察', icon: 'Warning', perm: 'supervise' },
  { path: '/admin/supervision-dept', title: '督办与黄红牌', icon: 'Bell', perm: 'dept.respond' },
  { path: '/admin/reviews', title: '好差评', icon: 'Star', perm: ['supervise', 'dept.respond', 'stats.view'] },
  { path: '/admin/dashboard', title: '统计看板', icon: 'TrendCharts', perm: 'stats.view' },
  { path: '/admin/report', title: '月度报告', icon: 'Tickets', perm: 'stats.view' },
  // 政府信息公开 (web/app/pages/disclosure/): for an organ's disclosure officer these are the whole menu
  { path: '/admin/disclosure/requests', title: '依申请公开', icon: 'Message', perm: 'disclosure.handle' },
  { path: '/admin/disclosure/documents', title: '主动公开', icon: 'Reading', perm: 'disclosure.handle' },
  { path: '/admin/disclosure/report', title: '公开年报', icon: 'Notebook', perm: 'disclosure.handle' },
  { path: '/admin/disclosure/settings', title: '公开设置', icon: 'Setting', perm: 'disclosure.handle' },
  // 12345 热线 (web/app/pages/hotline/): an operator's or a handling unit's whole menu
  { path: '/admin/hotline/console', title: '话务台', icon: 'PhoneFilled', perm: 'hotline.operate' },
  { path: '/admin/hotline/orders', title: '工单管理', icon: 'List', perm: 'hotline.view' },
  // 12345 热线 (web/app/pages/hotline/): statistics, knowledge base, matter classification
  { path: '/admin/hotline/rankings', title: '热线排名', icon: 'Histogram', perm: 'hotline.view' },
  { path: '/admin/hotline/dashboard', title: '热线数据看板', icon: 'PieChart', perm: 'hotline.stats' },
  { path: '/admin/hotline/kb', title: '热线知识库', icon: 'Collection', perm: 'hotline.view' },
  { path: '/admin/hotline/matters', title: '事项分类', icon: 'Operation', perm: 'hotline.manage' },
];

export const AdminLayout = {
  name: 'AdminLayout',
  setup() {
    const menu = computed(() => ADMIN_MENU.filter((m) => can(m.perm)));
    const active = computed(() => {
      const hit = menu.value.find((m) => route.path === m.path || route.path.startsWith(m.path + '/'));
      return hit ? hit.path : '';
    });
    const roles = computed(() => ((session.user && session.user.roles) || []).map((r) => label('roles', r)).join('、'));
    return { menu, active, roles, session, viewport, navigate };
  },
  template: `
  <div class="admin-wrap container-wide">
    <aside class="admin-side" :class="{ narrow: viewport.narrow }">
      <div v-if="!viewport.narrow" class="admin-user">
        <b>{{ session.user.name }}</b><span>{{ roles }}</span>
      </div>
      <el-menu :default-active="active" :mode="viewport.narrow ? 'horizontal' : 'vertical'" @select="navigate" class="admin-menu">
        <el-menu-item v-for="m in menu" :key="m.path" :index="m.path">
          <el-icon><component :is="m.icon" /></el-icon><span>{{ m.title }}</span>
        </el-menu-item>
      </el-menu>
    </aside>
    <section class="admin-main"><slot /></section>
  </div>`,
};

// /admin: open the first function the user may use.
export const AdminHome = {
  name: 'AdminHome',
  setup() {
    const first = ADMIN_MENU.find((m) => can(m.perm));
    onMounted(() => first && navigate(first.path, { replace: true }));
    return { first };
  },
  template: `<el-result v-if="!first" icon="info" title="暂无可用的管理功能"
    sub-title="当前账号的角色没有后台管理权限；窗口受理、审批等业务请使用对应工作台。" />`,
};
