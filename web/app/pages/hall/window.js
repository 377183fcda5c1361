// The clerk's side of the service hall (智能大厅): the window console /hall/window (叫号, 重呼, 过号,
// 转移, 暂停/恢复, 开始办理, 办结 with a case link) and the rating pad /hall/:id/pad (窗口评价器, a
// paired device bound to one window: 好差评 after each service, GB/T 39046 levels 1..5).
import { get, post } from '../../api.js';
import { session } from '../../store.js';
import { route } from '../../router.js';
import { showError, fmtTime } from '../../util.js';
import { TICKET_STATES, CATEGORY_LABELS } from './public.js';
import { PairScreen, deviceToken, setDeviceToken, deviceRequest } from './device.js';

const { ref, computed, onMounted, onBeforeUnmount } = Vue;

const WINDOW_STATES = { closed: { label: '未开窗', tag: 'info' }, open: { label: '服务中', tag: 'success' }, paused: { label: '暂停服务', tag: 'warning' } };
const RECALL_LIMIT = 2;
const DESK_CATEGORIES = ['normal', 'elderly', 'disabled', 'green'];

export const WindowConsolePage = {
  name: 'WindowConsolePage',
  setup() {
    const windowId = session.user.window_id;
    const win = ref(null);
    const title = ref('');
    const waiting = ref({}); // queue id → waiting count
    const hallQueues = ref([]);
    const preview = ref(null);
    const reason = ref('');
    const busy = ref(false);
    const transferTo = ref(null);
    const caseId = ref('');
    const inbox = ref([]);
    let timer = null;

    async function load() {
      if (!windowId) return;
      try {
        win.value = await get(`/api/v1/hall/windows/${windowId}`);
        const [board, p] = await Promise.all([
          get(`/api/v1/hall/${win.value.hall_id}/board`),
          get(`/api/v1/hall/windows/${windowId}/next-preview`).catch(() => null),
        ]);
        waiting.value = Object.fromEntries((board.queues || []).map((q) => [q.queue_id, q.waiting]));
        preview.value = p;
      } catch (err) {
        showError(err);
      }
    }
    async function act(what, body, done) {
      busy.value = true;
      try {
        const w = await post(`/api/v1/hall/windows/${windowId}/${what}`, body);
        win.value = w;
        if (w.reason) reason.value = w.reason;
        if (done) ElementPlus.ElMessage.success(done);
        await load();
      } catch (err) {
        showError(err);
      } finally {
        busy.value = false;
      }
    }
    const call = () => { reason.value = ''; return act('call'); };
    const recall = () => act('recall');
    const skip = () => act('skip', undefined, '已过号');
    const pause = () => act('pause', undefined, '已暂停叫号');
    const resume = () => act('resume', undefined, '已恢复叫号');
    const loadInbox = () => get('/api/v1/cases', { scope: 'todo', page_size: 50 }).then((r) => (inbox.value = r.items || [])).catch(() => {});
    // The inbox is read again when a service starts: the case may have come in meanwhile.
    const start = () => act('start').then(loadInbox);
    async function transfer() {
      if (!transferTo.value) return;
      await act('transfer', { queue_id: transferTo.value }, '已转移到其他队列');
      transferTo.value = null;
    }
    async function finish() {
      const id = String(caseId.value || '').trim();
      if (id && !/^\d+$/.test(id)) {
        ElementPlus.ElMessage.error('办件编号应为数字');
        return;
      }
      await act('finish', id ? { case_id: Number(id) } : {}, '本次服务已办结');
      caseId.value = '';
    }
    onMounted(async () => {
      await load();
      if (!win.value) return;
      get('/api/v1/windows', { hall_id: win.value.hall_id }).then((r) => {
        const w = (r.items || []).find((x) => x.id === windowId);
        if (w) title.value = `${w.number} 号窗口 · ${w.name}`;
      }).catch(() => {});
      get('/api/v1/hall/queues', { hall_id: win.value.hall_id }).then((r) => (hallQueues.value = (r.items || []).filter((q) => q.active))).catch(() => {});
      loadInbox();
      timer = setInterval(load, 5000);
    });
    onBeforeUnmount(() => clearInterval(timer));

    // 导服台取号: the hall's staff issue a ticket with the priority they checked (残疾人证, 绿色通道).
    const desk = ref({ queue: null, category: 'normal', idNumber: '', errors: {} });
    const issued = ref(null);
    async function deskIssue() {
      desk.value.errors = {};
      const body = { queue_id: desk.value.queue, category: desk.value.category };
      if (desk.value.idNumber.trim()) body.id_number = desk.value.idNumber.trim().toUpperCase();
      try {
        issued.value = await post('/api/v1/hall/tickets', body);
        desk.value.idNumber = '';
        await load();
      } catch (err) {
        desk.value.errors = err.fields || {};
        showError(err);
      }
    }

    const ticket = computed(() => win.value && win.value.ticket);
    const state = computed(() => WINDOW_STATES[win.value?.state] || WINDOW_STATES.closed);
    const ticketState = computed(() => TICKET_STATES[ticket.value?.state] || { label: '', tag: 'info' });
    const others = computed(() => hallQueues.value.filter((q) => !ticket.value || q.id !== ticket.value.queue.id));
    return {
      windowId, win, title, waiting, preview, reason, busy, transferTo, caseId, inbox, ticket, state, ticketState, others,
      RECALL_LIMIT, CATEGORY_LABELS, call, recall, skip, pause, resume, start, transfer, finish, fmtTime,
      hallQueues, desk, issued, deskIssue, DESK_CATEGORIES,
    };
  },
  template: `
  <div class="container page hall-console">
    <h1 class="page-title">窗口叫号</h1>
    <el-result v-if="!windowId" icon="info" title="当前账号未分配窗口" sub-title="请联系中心管理员在“用户与角色”中为您设置所在窗口" />
    <template v-else-if="win">
      <el-card shadow="never" class="panel">
        <div class="console-head">
          <span class="console-title" data-test="window-title">{{ title || ('窗口 #' + win.window_id) }}</span>
          <el-tag :type="state.tag" effect="dark" data-test="window-state">{{ state.label }}</el-tag>
          <span class="console-spacer"></span>
          <el-button v-if="win.state === 'paused'" :disabled="busy" data-test="window-resume" @click="resume">恢复叫号</el-button>
          <el-button v-else :disabled="busy || win.state === 'closed'" data-test="window-pause" @click="pause">暂停叫号</el-button>
          <el-button tag="a" :href="'/hall/' + win.hall_id + '/pad'" target="_blank" data-test="window-pad-link">打开评价器</el-button>
        </div>
        <div class="console-queues">
          <div v-for="(q, i) in win.queues" :key="q.id" class="console-queue" data-test="window-queue">
            <span class="muted">{{ i === 0 ? '主队列' : '协办' }}</span>
            <b>{{ q.letter }} · {{ q.name }}</b>
            <span>等候 <b :data-test="'window-waiting-' + q.letter">{{ waiting[q.id] ?? 0 }}</b> 人</span>
          </div>
        </div>
      </el-card>
      <el-card shadow="never" class="panel">
        <template #header><b>当前号票</b></template>
        <div v-if="ticket" class="console-ticket" data-test="window-ticket">
          <span class="console-number" data-test="window-ticket-number">{{ ticket.number }}</span>
          <el-tag :type="ticketState.tag" size="large" data-test="window-ticket-state">{{ ticketState.label }}</el-tag>
          <el-tag v-if="ticket.category !== 'normal'" type="warning">{{ CATEGORY_LABELS[ticket.category] }}</el-tag>
          <span class="muted">{{ ticket.queue.name }} · 取号 {{ fmtTime(ticket.queued_at) }}</span>
        </div>
        <p v-else class="muted" data-test="window-no-ticket">暂无号票。
          <template v-if="preview && preview.ticket">下一位：<b data-test="window-preview">{{ preview.ticket.number }}</b>（{{ preview.reason }}）</template>
          <template v-else-if="preview">当前没有等候的群众。</template></p>
        <p v-if="reason" class="console-reason" data-test="window-reason">叫号依据：{{ reason }}</p>
        <div class="console-actions">
          <el-button type="primary" size="large" :disabled="busy || win.state === 'paused' || !!ticket" data-test="window-call" @click="call">叫号</el-button>
          <el-button size="large" :disabled="busy || !ticket || ticket.state !== 'called'" data-test="window-recall" @click="recall">
            重呼（{{ ticket ? ticket.recalls : 0 }}/{{ RECALL_LIMIT }}）</el-button>
          <el-button size="large" :disabled="busy || !ticket || ticket.state !== 'called'" data-test="window-skip" @click="skip">过号</el-button>
          <el-button type="success" size="large" :disabled="busy || !ticket || ticket.state !== 'called'" data-test="window-start" @click="start">开始办理</el-button>
        </div>
        <p v-if="ticket && ticket.state === 'called' && ticket.recalls >= RECALL_LIMIT" class="muted small">已重呼 {{ RECALL_LIMIT }} 次，再次重呼将按过号处理。</p>
        <div v-if="ticket" class="console-row">
          <el-select v-model="transferTo" placeholder="转移到其他队列" style="width:240px" data-test="window-transfer-queue">
            <el-option v-for="q in others" :key="q.id" :value="q.id" :label="q.letter + ' · ' + q.name" />
          </el-select>
          <el-button :disabled="busy || !transferTo" data-test="window-transfer" @click="transfer">转移</el-button>
        </div>
        <div v-if="ticket && ticket.state === 'serving'" class="console-row">
          <el-select v-model="caseId" filterable allow-create clearable placeholder="关联办件（可选：选择待办或输入办件编号）" style="width:360px" data-test="window-case">
            <el-option v-for="c in inbox" :key="c.id" :value="String(c.id)" :label="c.case_no + ' ' + (c.item_name || '') + ' ' + (c.applicant_name || '')" />
          </el-select>
          <el-button type="success" :disabled="busy" data-test="window-finish" @click="finish">办结</el-button>
        </div>
      </el-card>
      <el-card shadow="never" class="panel">
        <template #header><b>导服台取号</b><span class="muted small">&nbsp;核验证件后为残疾人、老年人、绿色通道等群众发放优先号</span></template>
        <div class="console-row">
          <el-select v-model="desk.queue" placeholder="办理业务" style="width:220px" data-test="desk-queue">
            <el-option v-for="q in hallQueues" :key="q.id" :value="q.id" :label="q.letter + ' · ' + q.name" />
          </el-select>
          <el-radio-group v-model="desk.category" data-test="desk-category">
            <el-radio-button v-for="c in DESK_CATEGORIES" :key="c" :value="c" :data-test="'desk-category-' + c">{{ CATEGORY_LABELS[c] }}</el-radio-button>
          </el-radio-group>
          <el-input v-model="desk.idNumber" maxlength="18" placeholder="身份证号码（选填）" style="width:200px" data-test="desk-id" />
          <el-button type="primary" :disabled="!desk.queue" data-test="desk-issue" @click="deskIssue">取号</el-button>
        </div>
        <p v-if="desk.errors.id_number" class="kiosk-error small">{{ desk.errors.id_number }}</p>
        <p v-if="issued" data-test="desk-issued">已发放 <b class="console-number">{{ issued.number }}</b>
          <el-tag v-if="issued.category !== 'normal'" type="warning">{{ CATEGORY_LABELS[issued.category] }}</el-tag>
          <span class="muted">前面等候 {{ issued.ahead }} 人 · <a :href="'/ticket/' + issued.token" target="_blank">排队进度</a></span></p>
      </el-card>
    </template>
    <div v-else v-loading="true" style="height:200px"></div>
  </div>`,
};

// GB/T 39046 levels; `smile` bends the drawn face's mouth (no emoji font is needed on the pad).
const LEVELS = [
  { level: 1, label: '非常满意', smile: 10 },
  { level: 2, label: '满意', smile: 6 },
  { level: 3, label: '基本满意', smile: 0 },
  { level: 4, label: '不满意', smile: -6 },
  { level: 5, label: '非常不满意', smile: -10 },
];
const mouth = (smile) => `M14 ${smile < 0 ? 34 : 29} Q24 ${(smile < 0 ? 34 : 29) + smile} 34 ${smile < 0 ? 34 : 29}`;

// 窗口评价器 /hall/:id/pad: a paired pad device of one window (device.js). It asks the server once a
// second what its window is doing; when the window has just finished a ticket (within the rating
// time), the applicant rates that ticket, once; a thank-you screen, then it waits for the next one.
export const RatingPadPage = {
  name: 'RatingPadPage',
  components: { PairScreen },
  setup() {
    const hallId = Number(route.params.id);
    const token = ref(deviceToken('pad', hallId));
    const revoked = ref(false);
    const mode = ref('idle'); // idle | serving | rate | thanks
    const current = ref(null); // the ticket being served
    const rated = ref(null); // the finished ticket to rate
    const busy = ref(false);
    const windowName = ref('');
    const done = new Set(); // tickets rated (or refused) here, not offered again
    let timer = null;
    let back = null;

    function unpaired() {
      setDeviceToken('pad', hallId, '');
      token.value = '';
      revoked.value = true;
      clearInterval(timer);
    }
    async function poll() {
      let w;
      try {
        w = await deviceRequest('GET', '/api/v1/hall/pad', { token: token.value });
      } catch (err) {
        if (err.status === 401) unpaired();
        return;
      }
      if (w.window_name) windowName.value = `${w.window_number} 号窗口 · ${w.window_name}`;
      const t = w.ticket && (w.ticket.state === 'called' || w.ticket.state === 'serving') ? w.ticket : null;
      current.value = t;
      if (mode.value === 'thanks') return;
      if (w.rate && !done.has(w.rate.id)) {
        rated.value = w.rate;
        mode.value = 'rate';
      } else if (mode.value === 'rate' && (!w.rate || done.has(w.rate.id))) {
        rated.value = null; // the rating time ran out
        mode.value = t && t.state === 'serving' ? 'serving' : 'idle';
      } else if (mode.value !== 'rate') {
        mode.value = t && t.state === 'serving' ? 'serving' : 'idle';
      }
    }
    async function rate(level) {
      const ticket = rated.value;
      if (!ticket) return;
      busy.value = true;
      try {
        await deviceRequest('POST', '/api/v1/reviews', { token: token.value, body: { ticket_id: ticket.id, level } });
        done.add(ticket.id);
        rated.value = null;
        mode.value = 'thanks';
        clearTimeout(back);
        back = setTimeout(() => {
          if (mode.value === 'thanks') mode.value = 'idle';
          poll();
        }, 5000);
      } catch (err) {
        if (err.status === 401) {
          unpaired();
          return;
        }
        done.add(ticket.id); // rated already, or too late: not offered again
        rated.value = null;
        mode.value = 'idle';
        showError(err);
      } finally {
        busy.value = false;
      }
    }
    function start() {
      clearInterval(timer);
      poll();
      timer = setInterval(poll, 1000);
    }
    function paired(t) {
      token.value = t;
      revoked.value = false;
      start();
    }
    onMounted(() => {
      if (token.value) start();
    });
    onBeforeUnmount(() => {
      clearInterval(timer);
      clearTimeout(back);
    });
    return { hallId, token, revoked, paired, windowName, mode, current, rated, busy, LEVELS, mouth, rate };
  },
  template: `
  <div v-if="!token" class="kiosk"><div class="kiosk-body"><pair-screen kind="pad" :hall-id="hallId" :revoked="revoked" @paired="paired" /></div></div>
  <div v-else class="pad" :data-mode="mode" data-test="pad">
    <header class="pad-head">{{ windowName || '窗口评价器' }} · 服务评价</header>
    <section v-if="mode === 'rate' && rated" class="pad-body">
      <h1>请您对本次服务进行评价</h1>
      <p class="pad-sub" data-test="pad-ticket">号票 {{ rated.number }} · {{ rated.queue.name }}</p>
      <div class="pad-levels">
        <button v-for="l in LEVELS" :key="l.level" type="button" class="pad-level" :class="'pad-level-' + l.level" :disabled="busy"
          :data-test="'pad-level-' + l.level" @click="rate(l.level)"><svg class="pad-face" viewBox="0 0 48 48" aria-hidden="true"><circle cx="24" cy="24" r="21" /><circle cx="17" cy="19" r="2.6" class="eye" /><circle cx="31" cy="19" r="2.6" class="eye" /><path :d="mouth(l.smile)" /></svg>{{ l.label }}</button>
      </div>
    </section>
    <section v-else-if="mode === 'thanks'" class="pad-body" data-test="pad-thanks">
      <h1>感谢您的评价！</h1>
      <p class="pad-sub">您的意见是我们改进工作的动力</p>
    </section>
    <section v-else-if="mode === 'serving' && current" class="pad-body" data-test="pad-serving">
      <h1>正在为您办理</h1>
      <p class="pad-sub">号票 {{ current.number }}，办结后请对本次服务进行评价</p>
    </section>
    <section v-else class="pad-body" data-test="pad-idle">
      <h1>欢迎您！</h1>
      <p class="pad-sub">政务服务“好差评”，请对我们的服务进行监督</p>
    </section>
  </div>`,
};
