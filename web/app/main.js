// App entry: routes, the app shell (header, search, sign-in state, footer), access checks.
import { setUnauthorizedHandler } from './api.js';
import { session, loadSession, loadCodes, logout, can, hasRole } from './store.js';
import { route, defineRoutes, navigate, href } from './router.js';
import HomePage from './pages/home.js';
import SearchPage from './pages/search.js';
import ListsPage from './pages/lists.js';
import { GuidePage, GuidePrintPage, ChecklistPage } from './pages/guide.js';
import { LoginPage, RegisterPage } from './pages/auth.js';
import { AdminLayout, ADMIN_MENU, AdminHome } from './pages/admin/layout.js';
import ItemsPage from './pages/admin/items.js';
import ItemEditor from './pages/admin/item-editor.js';
import { ReviewPage, ReviewDetail } from './pages/admin/review.js';
import { RegionsPage, DepartmentsPage, HallsPage } from './pages/admin/org.js';
import UsersPage from './pages/admin/users.js';
import CalendarPage from './pages/admin/calendar.js';
import StatsPage from './pages/admin/stats.js';
import AuditPage from './pages/admin/audit.js';
import ReviewsPage from './pages/admin/reviews.js';
import { SupervisionPage, SupervisionDeptPage } from './pages/admin/supervision.js';
import DashboardPage from './pages/admin/dashboard.js';
import { ReportPage, ReportPrintPage } from './pages/admin/report.js';
import { ApplyPage, MyCasesPage, ProfilePage } from './pages/cases/apply.js';
import { CaseDetailPage } from './pages/cases/detail.js';
import { WindowPage, OfficePage } from './pages/cases/work.js';
import { NoticePage } from './pages/cases/notice.js';
import VerifyPage from './pages/verify.js';
import BundlesPage from './pages/bundles.js';
import { KioskPage, TicketPage, BoardPage } from './pages/hall/public.js';
import { WindowConsolePage, RatingPadPage } from './pages/hall/window.js';
import { AppointmentsPage } from './pages/hall/appointments.js';
import HallManagerPage from './pages/admin/hall.js';
import { SecurityPage } from './pages/security.js';
import { CatalogPage, DocumentPage, DocumentPrintPage, DisclosureGuidePage } from './pages/disclosure/public.js';
import { RequestFormPage, MyRequestsPage, RequestPage, RequestsInboxPage } from './pages/disclosure/requests.js';
import { DocumentsPage, DocumentEditPage } from './pages/disclosure/documents.js';
import { AnnualReportPage, AnnualReportPrintPage } from './pages/disclosure/report.js';
import { DisclosureSettingsPage } from './pages/disclosure/settings.js';
import { ConsolePage as HotlineConsolePage } from './pages/hotline/console.js';
import { OrdersPage as HotlineOrdersPage } from './pages/hotline/orders.js';
import { OrderDetailPage as HotlineOrderPage } from './pages/hotline/detail.js';
import { HotlineFormPage, HotlineQueryPage } from './pages/hotline/public.js';
import { RankingsPage, BulletinPage, HotlineDashboardPage } from './pages/hotline/stats.js';
import { KbPage } from './pages/hotline/kb.js';
import { MattersPage } from './pages/hotline/matters.js';

const { createApp, ref, computed, watch } = Vue;

const NotFound = {
  template: `<div class="container page"><el-result icon="warning" title="页面不存在" sub-title="您访问的页面不存在或已被移除">
    <template #extra><el-button tag="a" href="/" type="primary">返回首页</el-button></template></el-result></div>`,
};

// perm: the permission a page needs (store.js); admin: shown inside the admin layout;
// bare: no header and footer (print pages).
defineRoutes([
  { path: '/', component: HomePage },
  { path: '/search', component: SearchPage },
  { path: '/dept/:id', redirect: (p) => href('/search', { dept_id: p.id }) },
  { path: '/guide/:code', component: GuidePage },
  { path: '/guide/:code/print', component: GuidePrintPage, bare: true },
  { path: '/guide/:code/checklist', component: ChecklistPage, bare: true },
  { path: '/lists', component: ListsPage },
  { path: '/login', component: LoginPage },
  { path: '/register', component: RegisterPage },
  { path: '/verify', component: VerifyPage },
  { path: '/bundles', component: BundlesPage },
  // case handling (受理 → 审批 → 办结): applicants, windows, back offices
  { path: '/apply/:code', component: ApplyPage, perm: 'case.apply' },
  { path: '/bundles/:bundle/apply', component: ApplyPage, perm: 'case.apply' },
  { path: '/my/cases', component: MyCasesPage, perm: 'signed_in' },
  { path: '/my/profile', component: ProfilePage, perm: 'signed_in' },
  { path: '/my/security', component: SecurityPage, perm: 'signed_in' },
  { path: '/cases/:id', component: CaseDetailPage, perm: 'signed_in' },
  { path: '/cases/:id/notice/:kind', component: NoticePage, perm: 'signed_in', bare: true },
  { path: '/window', component: WindowPage, perm: 'case.accept' },
  { path: '/office', component: OfficePage, perm: 'case.handle' },
  // service hall (智能大厅): kiosk, board and pad are full-screen devices without the frame
  { path: '/hall/:id/kiosk', component: KioskPage, bare: true },
  { path: '/hall/:id/board', component: BoardPage, bare: true },
  { path: '/ticket/:token', component: TicketPage },
  { path: '/hall/window', component: WindowConsolePage, perm: 'hall.serve' },
  { path: '/hall/:id/pad', component: RatingPadPage, bare: true },
  { path: '/my/appointments', component: AppointmentsPage, perm: 'case.apply' },
  // 政府信息公开: the public catalogue, requests (applicants and organs), the organ's workbench
  { path: '/gongkai', component: CatalogPage },
  { path: '/gongkai/doc/:id', component: DocumentPage },
  { path: '/gongkai/doc/:id/print', component: DocumentPrintPage, bare: true },
  { path: '/gongkai/guide/:id', component: DisclosureGuidePage },
  { path: '/gongkai/apply', component: RequestFormPage, perm: 'disclosure.apply' },
  { path: '/my/disclosure', component: MyRequestsPage, perm: 'signed_in' },
  { path: '/disclosure/requests/:id', component: RequestPage, perm: 'signed_in' },
  { path: '/admin/disclosure', redirect: () => '/admin/disclosure/requests' },
  { path: '/admin/disclosure/requests', component: RequestsInboxPage, admin: true, perm: 'disclosure.handle' },
  { path: '/admin/disclosure/documents', component: DocumentsPage, admin: true, perm: 'disclosure.handle' },
  { path: '/admin/disclosure/documents/:id', component: DocumentEditPage, admin: true, perm: 'disclosure.handle' },
  { path: '/admin/disclosure/report', component: AnnualReportPage, admin: true, perm: 'disclosure.handle' },
  { path: '/admin/disclosure/report/print', component: AnnualReportPrintPage, bare: true, perm: 'disclosure.handle' },
  { path: '/admin/disclosure/settings', component: DisclosureSettingsPage, admin: true, perm: 'disclosure.handle' },
  // 12345 热线: the centre's desk (话务台) and the work orders for the centre and the handling units
  { path: '/admin/hotline/console', component: HotlineConsolePage, admin: true, perm: 'hotline.operate' },
  { path: '/admin/hotline/orders', component: HotlineOrdersPage, admin: true, perm: 'hotline.view' },
  { path: '/admin/hotline/orders/:id', component: HotlineOrderPage, admin: true, perm: 'hotline.view' },
  // 12345 热线: citizens' 网上留言 / 市长信箱 and its follow page (anonymous); the centre's statistics,
  // knowledge base and matter classification
  { path: '/12345', component: HotlineFormPage },
  { path: '/12345/query', component: HotlineQueryPage },
  { path: '/admin/hotline/rankings', component: RankingsPage, admin: true, perm: 'hotline.view' },
  { path: '/admin/hotline/bulletin', component: BulletinPage, bare: true, perm: 'hotline.view' },
  { path: '/admin/hotline/dashboard', component: HotlineDashboardPage, admin: true, perm: 'hotline.stats' },
  { path: '/admin/hotline/kb', component: KbPage, admin: true, perm: 'hotline.view' },
  { path: '/admin/hotline/matters', component: MattersPage, admin: true, perm: 'hotline.manage' },
  { path: '/admin', component: AdminHome, admin: true, perm: 'signed_in' },
  { path: '/admin/items', component: ItemsPage, admin: true, perm: 'catalog.view' },
  { path: '/admin/items/new', component: ItemEditor, admin: true, perm: 'catalog.edit' },
  { path: '/admin/items/:id', component: ItemEditor, admin: true, perm: 'catalog.view' },
  { path: '/admin/review', component: ReviewPage, admin: true, perm: 'catalog.review' },
  { path: '/admin/review/:id', component: ReviewDetail, admin: true, perm: 'catalog.review' },
  { path: '/admin/regions', component: RegionsPage, admin: true, perm: 'org.manage' },
  { path: '/admin/departments', component: DepartmentsPage, admin: true, perm: 'org.manage' },
  { path: '/admin/halls', component: HallsPage, admin: true, perm: 'org.manage' },
  { path: '/admin/users', component: UsersPage, admin: true, perm: 'users.manage' },
  { path: '/admin/calendar', component: CalendarPage, admin: true, perm: 'calendar.edit' },
  { path: '/admin/lists', component: StatsPage, admin: true, perm: 'catalog.view' },
  { path: '/admin/audit', component: AuditPage, admin: true, perm: 'audit.read' },
  { path: '/admin/supervision', component: SupervisionPage, admin: true, perm: 'supervise' },
  { path: '/admin/supervision-dept', component: SupervisionDeptPage, admin: true, perm: 'dept.respond' },
  { path: '/admin/reviews', component: ReviewsPage, admin: true, perm: ['supervise', 'dept.respond', 'stats.view'] },
  { path: '/admin/dashboard', component: DashboardPage, admin: true, perm: 'stats.view' },
  { path: '/admin/hall', component: HallManagerPage, admin: true, perm: 'hall.manage' },
  { path: '/admin/report', component: ReportPage, admin: true, perm: 'stats.view' },
  // the print page has no frame; the report API itself refuses those without stats.view
  { path: '/admin/report/print', component: ReportPrintPage, bare: true },
  { path: '/(.*)', component: NotFound },
]);

const Forbidden = {
  template: `<el-result icon="error" title="无权访问" sub-title="当前账号的角色不能使用此功能，请联系中心管理员"></el-result>`,
};

const App = {
  components: { AdminLayout, Forbidden },
  setup() {
    const q = ref('');
    const def = computed(() => route.def || {});
    // Pages with their own search box hide the header one (one search-input per page).
    const headerSearch = computed(() => route.path !== '/' && route.path !== '/search');
    // An organ's disclosure officer, whose only admin pages are disclosure's, has the 信息公开工作台
    // link instead of 管理后台 (the same pages); the centre finds them in 管理后台.
    const disclosureOnly = (m) => m.path.startsWith('/admin/disclosure/');
    // Likewise a hotline operator or a handling unit has 12345工单 (the console or the order list).
    const hotlineOnly = (m) => m.path.startsWith('/admin/hotline/');
    const hasAdmin = computed(() => ADMIN_MENU.some((m) => can(m.perm) && !disclosureOnly(m) && !hotlineOnly(m)));
    // The workbenches of the user's roles: [link, label, data-test, the path prefix it is active on].
    const work = computed(() => [
      hasRole('applicant') && ['/my/cases', '我的办件', 'nav-my-cases'],
      // signed-out visitors see 预约取号 too: it asks them to sign in and comes back
      (hasRole('applicant') || (session.ready && !session.user)) && ['/my/appointments', '预约取号', 'nav-appointments'],
      can('case.accept') && ['/window', '综合受理', 'nav-window'],
      can('hall.serve') && ['/hall/window', '窗口叫号', 'nav-hall-window'],
      hasRole('approver') && ['/office', '审批办件', 'nav-office'],
      can('disclosure.handle') && !hasAdmin.value && ['/admin/disclosure/requests', '信息公开工作台', 'nav-disclosure', '/admin/disclosure'],
      can('hotline.view') && !hasAdmin.value && [can('hotline.operate') ? '/admin/hotline/console' : '/admin/hotline/orders', '12345工单', 'nav-hotline', '/admin/hotline'],
    ].filter(Boolean));
    const allowed = computed(() => !def.value.perm || (session.user && (def.value.perm === 'signed_in' || can(def.value.perm))));

    // Signed-out visitors of a protected page go to the login page and come back after.
    watch(() => [session.ready, session.user, route.fullPath], () => {
      if (session.ready && def.value.perm && !session.user) navigate(href('/login', { next: route.fullPath }), { replace: true });
    }, { immediate: true });

    function search() {
      navigate(href('/search', { q: q.value.trim() }));
      q.value = '';
    }
    async function signOut() {
      await logout().catch(() => {});
      navigate('/');
    }
    const year = new Date().getFullYear();
    return { route, session, def, q, headerSearch, hasAdmin, work, allowed, search, signOut, year };
  },
  template: `
  <div class="app-root" :class="{ 'is-bare': def.bare }">
    <header v-if="!def.bare" class="site-header">
      <div class="container header-inner">
        <a href="/" class="brand">
          <span class="brand-logo">一网</span>
          <span class="brand-text"><b>一网通办</b><small>政务服务平台</small></span>
        </a>
        <nav class="main-nav">
          <a href="/" :class="{ active: route.path === '/' }">首页</a>
          <a href="/search" :class="{ active: route.path === '/search' || route.path.startsWith('/guide') }">办事指南</a>
          <a href="/bundles" :class="{ active: route.path.startsWith('/bundles') }" data-test="nav-bundles">一件事</a>
          <a href="/lists" :class="{ active: route.path === '/lists' }">清单公开</a>
          <a href="/gongkai" :class="{ active: route.path.startsWith('/gongkai') && route.path !== '/gongkai/apply' }" data-test="nav-gongkai">政务公开</a>
          <a href="/12345" :class="{ active: route.path.startsWith('/12345') }" data-test="nav-12345">12345留言</a>
          <a v-for="w in work" :key="w[0]" :href="w[0]" :data-test="w[2]" :class="{ active: route.path.startsWith(w[3] || w[0]) }">{{ w[1] }}</a>
          <a v-if="hasAdmin" href="/admin" :class="{ active: route.path.startsWith('/admin') }">管理后台</a>
        </nav>
        <div v-if="headerSearch" class="header-search">
          <el-input v-model="q" placeholder="搜索办事事项" data-test="search-input" @keyup.enter="search">
            <template #append><el-button data-test="search-button" @click="search"><el-icon><Search /></el-icon></el-button></template>
          </el-input>
        </div>
        <div class="header-user">
          <template v-if="session.user">
            <a href="/my/security" class="user-name header-link" title="账号安全" data-test="account-security"><el-icon><UserFilled /></el-icon>{{ session.user.name || session.user.username }}</a>
            <button type="button" class="header-link" data-test="logout" @click="signOut">退出</button>
          </template>
          <template v-else-if="session.ready">
            <a href="/login" class="header-link">登录</a><span class="sep">|</span><a href="/register" class="header-link">注册</a>
          </template>
        </div>
      </div>
    </header>
    <main class="site-main">
      <template v-if="def.perm && !session.ready"><div class="container page" v-loading="true" style="height:200px"></div></template>
      <admin-layout v-else-if="def.admin && session.user">
        <component v-if="allowed" :is="def.component" :key="route.path" />
        <forbidden v-else />
      </admin-layout>
      <template v-else-if="def.perm && session.user">
        <component v-if="allowed" :is="def.component" :key="route.path" />
        <div v-else class="container page"><forbidden /></div>
      </template>
      <component v-else-if="!def.perm" :is="def.component" :key="route.path" />
    </main>
    <footer v-if="!def.bare" class="site-footer">
      <div class="container">
        <p>主办：市人民政府办公厅　承办：市政务服务中心　政务服务便民热线：12345</p>
        <p>© {{ year }} 一网通办 · 政务服务平台　建议使用 1280×800 以上分辨率或手机浏览</p>
      </div>
    </footer>
  </div>`,
};

setUnauthorizedHandler(() => {
  session.user = null;
});

const app = createApp(App);
app.use(ElementPlus, { locale: ElementPlusLocaleZhCn });
for (const [name, comp] of Object.entries(ElementPlusIconsVue)) app.component(name, comp);
app.mount('#app');

loadCodes();
loadSession();
