// Service hall (智能大厅) pages without sign-in: the touch-screen kiosk /hall/:id/kiosk (取号 and
// 预约签到), the phone's ticket follow page /ticket/:token and the large display board
// /hall/:id/board (叫号上屏 with voice), fed by the hall's event stream or, failing that, by polling.
// The kiosk and the board are paired hall devices (device.js).
import { get, post } from '../../api.js';
import { route } from '../../router.js';
import { showError } from '../../util.js';
import { KeyPad, PairScreen, deviceToken, setDeviceToken, deviceRequest } from './device.js';

const { ref, computed, onMounted, onBeforeUnmount } = Vue;

export const TICKET_STATES = {
  waiting: { label: '等候中', tag: 'primary' },
  called: { label: '请前往窗口', tag: 'warning' },
  serving: { label: '办理中', tag: 'success' },
  done: { label: '已办结', tag: 'info' },
  no_show: { label: '已过号', tag: 'danger' },
};

export const CATEGORY_LABELS = { normal: '普通', appointment: '预约', elderly: '老年人', disabled: '残疾人', green: '绿色通道' };

// The ticket's number, queue, people ahead, estimate and the QR code of its follow page.
const TicketCard = {
  name: 'TicketCard',
  props: { ticket: { type: Object, required: true }, message: { type: String, default: '' } },
  template: `
  <div class="kiosk-ticket" data-test="kiosk-ticket">
    <div class="kiosk-ticket-hall">{{ ticket.hall.name }}</div>
    <div class="kiosk-ticket-number" data-test="ticket-number">{{ ticket.number }}</div>
    <div class="kiosk-ticket-queue">{{ ticket.queue.letter }} · {{ ticket.queue.name }}
      <el-tag v-if="ticket.category !== 'normal'" type="warning" effect="dark" size="large">{{ CATEGORY_LABELS[ticket.category] }}</el-tag></div>
    <p v-if="message" class="kiosk-ticket-message">{{ message }}</p>
    <div class="kiosk-ticket-figures">
      <div><b data-test="ticket-ahead">{{ ticket.ahead }}</b><span>前面等候（人）</span></div>
      <div><b data-test="ticket-wait">{{ ticket.wait_minutes }}</b><span>预计等候（分钟）</span></div>
    </div>
    <img class="kiosk-qr" :src="'/api/v1/hall/tickets/' + ticket.token + '/qr.svg'" alt="扫码查看排队进度" data-test="ticket-qr">
    <p class="kiosk-hint">手机扫码，随时查看排队进度；叫号时请留意大屏与语音提示</p>
  </div>`,
  setup() {
    return { CATEGORY_LABELS };
  },
};

// What a scan or a typed code carries: the booking's token (its QR code, possibly inside a link)
// or the six-digit check-in code.
export function checkinCode(text) {
  const t = String(text || '').trim();
  const m = t.match(/(?:checkin[=/:]|\/)([A-Za-z0-9_-]{6,40})\/?$/);
  return (m ? m[1] : t).slice(0, 40);
}

// 取号机: pick a queue, then take a normal ticket (with an optional ID number typed on the keypad:
// the server makes people of 70 or over 老年人优先; other priorities are the 导服台's), or check in
// an appointment by its six-digit code on the keypad, a hand scanner (types the code and Enter)
// or the camera (BarcodeDetector). Without a device token the kiosk shows its pairing screen.
export const KioskPage = {
  name: 'KioskPage',
  components: { TicketCard, KeyPad, PairScreen },
  setup() {
    const hallId = Number(route.params.id);
    const token = ref(deviceToken('kiosk', hallId));
    const revoked = ref(false);
    const hall = ref(null);
    const queues = ref([]);
    const step = ref('queue'); // queue → category → ticket, or checkin → ticket
    const queue = ref(null);
    const idNumber = ref('');
    const code = ref('');
    const ticket = ref(null);
    const message = ref('');
    const errors = ref({});
    const busy = ref(false);
    const loaded = ref(false);
    const scanning = ref(false);
    const canScan = typeof window !== 'undefined' && 'BarcodeDetector' in window && !!navigator.mediaDevices?.getUserMedia;
    const codeInput = ref(null);
    const video = ref(null);
    let idle = null;
    let stream = null;
    let scanTimer = null;

    function stopScan() {
      scanning.value = false;
      clearTimeout(scanTimer);
      if (stream) stream.getTracks().forEach((t) => t.stop());
      stream = null;
    }
    function reset() {
      clearTimeout(idle);
      stopScan();
      step.value = 'queue';
      queue.value = null;
      idNumber.value = '';
      code.value = '';
      ticket.value = null;
      message.value = '';
      errors.value = {};
    }
    // A kiosk left alone goes back to the start.
    function touch() {
      clearTimeout(idle);
      idle = setTimeout(reset, ticket.value ? 30000 : 90000);
    }
    // A revoked or unknown token: back to the pairing screen.
    function unpaired(err) {
      if (err.status !== 401) return false;
      setDeviceToken('kiosk', hallId, '');
      token.value = '';
      revoked.value = true;
      reset();
      return true;
    }
    function pick(q) {
      queue.value = q;
      step.value = 'category';
      touch();
    }
    async function issue(category) {
      errors.value = {};
      busy.value = true;
      try {
        const body = { queue_id: queue.value.id, category };
        if (idNumber.value.trim()) body.id_number = idNumber.value.trim().toUpperCase();
        ticket.value = await deviceRequest('POST', '/api/v1/hall/tickets', { token: token.value, body });
        message.value = ticket.value.category === 'elderly' ? '已为您办理老年人优先取号' : '';
        step.value = 'ticket';
        touch();
      } catch (err) {
        if (unpaired(err)) return;
        errors.value = err.fields || {};
        showError(err);
      } finally {
        busy.value = false;
      }
    }
    async function checkin(scanned) {
      const c = checkinCode(typeof scanned === 'string' ? scanned : code.value);
      if (!c) return;
      stopScan();
      errors.value = {};
      busy.value = true;
      try {
        ticket.value = await deviceRequest('POST', '/api/v1/hall/checkin', { token: token.value, body: { code: c } });
        message.value = ticket.value.message || '';
        step.value = 'ticket';
        touch();
      } catch (err) {
        if (unpaired(err)) return;
        errors.value = err.fields || {};
        if (!errors.value.code) errors.value = { code: err.message };
        code.value = '';
      } finally {
        busy.value = false;
      }
    }
    function openCheckin() {
      step.value = 'checkin';
      code.value = '';
      errors.value = {};
      touch();
      // the field keeps the focus, so a hand scanner's keystrokes (code, then Enter) land in it
      Vue.nextTick(() => codeInput.value && codeInput.value.focus());
    }
    // 扫码签到 with the kiosk's camera, where the browser reads QR codes itself.
    async function scan() {
      if (!canScan) return;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
      } catch {
        errors.value = { code: '无法打开摄像头，请输入签到码或使用扫码枪' };
        return;
      }
      scanning.value = true;
      await Vue.nextTick();
      video.value.srcObject = stream;
      await video.value.play().catch(() => {});
      const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
      const round = async () => {
        if (!scanning.value) return;
        try {
          const found = await detector.detect(video.value);
          if (found.length) {
            checkin(found[0].rawValue);
            return;
          }
        } catch {
          // a frame not ready yet
        }
        scanTimer = setTimeout(round, 250);
      };
      round();
    }
    async function load() {
      try {
        await deviceRequest('GET', '/api/v1/hall/device', { token: token.value });
      } catch (err) {
        if (unpaired(err)) return;
      }
      try {
        const [halls, qs] = await Promise.all([get('/api/v1/halls'), get('/api/v1/hall/queues', { hall_id: hallId })]);
        hall.value = (halls.items || []).find((h) => h.id === hallId) || null;
        queues.value = (qs.items || []).filter((q) => q.active);
      } catch (err) {
        showError(err);
      }
      loaded.value = true;
    }
    function paired(t) {
      token.value = t;
      revoked.value = false;
      load();
    }
    onMounted(() => {
      if (token.value) load();
      else get('/api/v1/halls').then((h) => (hall.value = (h.items || []).find((x) => x.id === hallId) || null)).catch(() => {});
    });
    onBeforeUnmount(() => {
      clearTimeout(idle);
      stopScan();
    });
    return {
      hallId, token, revoked, hall, queues, loaded, step, queue, idNumber, code, ticket, message, errors, busy, scanning, canScan,
      codeInput, video, pick, issue, checkin, openCheckin, scan, stopScan, reset, touch, paired,
    };
  },
  template: `
  <div class="kiosk" @pointerdown="touch">
    <header class="kiosk-head">
      <h1>{{ hall ? hall.name : '政务服务中心' }}</h1>
      <p>自助取号机</p>
    </header>
    <div v-if="!token" class="kiosk-body"><pair-screen kind="kiosk" :hall-id="hallId" :revoked="revoked" @paired="paired" /></div>
    <section v-else-if="step === 'queue'" class="kiosk-body">
      <h2>请选择办理业务</h2>
      <p v-if="loaded && !queues.length" class="kiosk-hint" data-test="kiosk-closed">本大厅暂未开放自助取号，请到导服台咨询</p>
      <div class="kiosk-queues">
        <button v-for="q in queues" :key="q.id" type="button" class="kiosk-btn kiosk-queue" data-test="kiosk-queue" @click="pick(q)">
          <span class="kiosk-letter">{{ q.letter }}</span><span>{{ q.name }}</span></button>
      </div>
      <button type="button" class="kiosk-btn kiosk-checkin-open" data-test="kiosk-checkin-open" @click="openCheckin">预约签到</button>
    </section>
    <section v-else-if="step === 'category'" class="kiosk-body">
      <h2>{{ queue.letter }} · {{ queue.name }}</h2>
      <div class="kiosk-id">
        <label>身份证号码（选填，70 周岁以上自动优先）</label>
        <div class="kiosk-id-value" :class="{ error: errors.id_number }" data-test="kiosk-id">{{ idNumber || '　' }}</div>
        <p v-if="errors.id_number" class="kiosk-error">{{ errors.id_number }}</p>
        <key-pad v-model="idNumber" :maxlength="18" allow-x prefix="kiosk-key-" @key="touch" />
      </div>
      <button type="button" class="kiosk-btn kiosk-primary" :disabled="busy" data-test="kiosk-category-normal" @click="issue('normal')">取号</button>
      <p class="kiosk-hint" data-test="kiosk-priority-hint">残疾人、军人、绿色通道等优先服务，请持相关证件到导服台取号</p>
      <button type="button" class="kiosk-btn kiosk-back" @click="reset">返回</button>
    </section>
    <section v-else-if="step === 'checkin'" class="kiosk-body">
      <h2>预约签到</h2>
      <p class="kiosk-hint">请输入预约成功后收到的 6 位签到码，或将预约二维码对准扫码口（预约时段开始前 30 分钟至开始后 15 分钟内签到优先叫号）</p>
      <input ref="codeInput" v-model="code" class="kiosk-code" maxlength="40" inputmode="none" autocomplete="off" placeholder="签到码"
        data-test="kiosk-code" @keyup.enter="checkin">
      <p v-if="errors.code" class="kiosk-error" data-test="kiosk-checkin-error">{{ errors.code }}</p>
      <video v-show="scanning" ref="video" class="kiosk-video" muted playsinline data-test="kiosk-video"></video>
      <key-pad v-if="!scanning" v-model="code" :maxlength="6" prefix="checkin-key-" @key="touch" />
      <button type="button" class="kiosk-btn kiosk-primary" :disabled="busy || !code.trim()" data-test="kiosk-checkin" @click="checkin">签到取号</button>
      <button v-if="canScan && !scanning" type="button" class="kiosk-btn kiosk-scan" data-test="kiosk-scan" @click="scan">摄像头扫码签到</button>
      <button v-if="scanning" type="button" class="kiosk-btn kiosk-back" @click="stopScan">停止扫码</button>
      <button type="button" class="kiosk-btn kiosk-back" @click="reset">返回</button>
    </section>
    <section v-else class="kiosk-body">
      <ticket-card :ticket="ticket" :message="message" />
      <button type="button" class="kiosk-btn kiosk-primary" data-test="kiosk-done" @click="reset">完成</button>
    </section>
  </div>`,
};

// 排队进度: the phone follows its ticket, refreshed every 5 seconds until it is finished.
export const TicketPage = {
  name: 'TicketPage',
  setup() {
    const ticket = ref(null);
    const missing = ref(false);
    let timer = null;
    const final = computed(() => ticket.value && ['done', 'no_show'].includes(ticket.value.state));
    async function load() {
      try {
        ticket.value = await get('/api/v1/hall/tickets/' + encodeURIComponent(route.params.token));
        if (final.value) clearInterval(timer);
      } catch (err) {
        if (err.status === 404) {
          missing.value = true;
          clearInterval(timer);
        }
      }
    }
    onMounted(() => {
      load();
      timer = setInterval(load, 5000);
    });
    onBeforeUnmount(() => clearInterval(timer));
    const state = computed(() => TICKET_STATES[ticket.value?.state] || { label: '', tag: 'info' });
    return { ticket, missing, state, CATEGORY_LABELS };
  },
  template: `
  <div class="container page ticket-follow">
    <el-result v-if="missing" icon="warning" title="号票不存在" sub-title="请核对二维码或重新取号" />
    <el-card v-else-if="ticket" shadow="never" class="panel">
      <div class="follow-hall">{{ ticket.hall.name }} · {{ ticket.queue.name }}</div>
      <div class="follow-number" data-test="follow-number">{{ ticket.number }}</div>
      <el-tag :type="state.tag" size="large" effect="dark" data-test="follow-state">{{ state.label }}</el-tag>
      <el-tag v-if="ticket.category !== 'normal'" type="warning" size="large">{{ CATEGORY_LABELS[ticket.category] }}</el-tag>
      <div v-if="ticket.state === 'waiting'" class="follow-figures">
        <div><b data-test="follow-ahead">{{ ticket.ahead }}</b><span>前面等候（人）</span></div>
        <div><b>{{ ticket.wait_minutes }}</b><span>预计等候（分钟）</span></div>
      </div>
      <p v-else-if="ticket.state === 'called'" class="follow-call" data-test="follow-call">请到 {{ ticket.window_number }} 号窗口（{{ ticket.window_name }}）办理</p>
      <p v-else-if="ticket.state === 'serving'" class="follow-call">正在 {{ ticket.window_number }} 号窗口办理</p>
      <p v-else-if="ticket.state === 'no_show'" class="muted">您的号码已过号，如需办理请重新取号。</p>
      <p class="muted small">页面每 5 秒自动刷新；叫号时请留意大厅显示屏。</p>
    </el-card>
    <div v-else v-loading="true" style="height:200px"></div>
  </div>`,
};

// 叫号语音: the zh-CN voice when the browser has one.
function speak(text) {
  if (!('speechSynthesis' in window) || !text) return;
  const u = new SpeechSynthesisUtterance(text);
  u.lang = 'zh-CN';
  const voice = speechSynthesis.getVoices().find((v) => /^zh(-|_)?CN/i.test(v.lang)) ||
    speechSynthesis.getVoices().find((v) => /^zh/i.test(v.lang));
  if (voice) u.voice = voice;
  speechSynthesis.speak(u);
}

// A call as the board lists it (its time included: the same number at the same window another day
// is another call) and as it is spoken (the stream's event and the board's list describe one call).
const callKey = (c) => `${c.window_id}|${c.number}|${c.at}|${c.recalls}`;
const voiceKey = (c) => `${c.window_id}|${c.number}|${c.recalls}`;
const SEEN_MAX = 5000;
const VOICE_REPEAT_MS = 10 * 60 * 1000;
const callText = (c) => c.text || `请${c.number}号到${c.window_number}号窗口办理`;

// 叫号大屏: the latest call of each window, the newest highlighted and spoken; waiting per queue;
// 大厅公告 scrolling at the bottom. Calls come from the event stream (GET /api/v1/hall/:id/events);
// while it is not open the board polls GET /api/v1/hall/:id/board twice a second (every 5 s with it).
export const BoardPage = {
  name: 'BoardPage',
  components: { PairScreen },
  setup() {
    const hallId = Number(route.params.id);
    const token = ref(deviceToken('board', hallId));
    const revoked = ref(false);
    const hall = ref(null);
    const calls = ref([]);
    const queues = ref([]);
    const announce = ref('');
    const latest = ref(null);
    const now = ref(new Date());
    const missing = ref(false);
    const seen = new Set();
    const voiced = new Map(); // voiceKey → when it was spoken
    let first = true;
    let rounds = 0;
    let es = null;
    let poller = null;
    let clock = null;
    let busy = false;

    // New calls (and recalls: their count changes) are highlighted and spoken, oldest first.
    function take(list) {
      if (seen.size > SEEN_MAX) {
        seen.clear();
        for (const c of calls.value) seen.add(callKey(c));
      }
      const fresh = list.filter((c) => !seen.has(callKey(c))).sort((a, b) => a.at - b.at);
      for (const c of fresh) {
        seen.add(callKey(c));
        const spokenAt = voiced.get(voiceKey(c));
        if (spokenAt && Date.now() - spokenAt < VOICE_REPEAT_MS) continue;
        voiced.set(voiceKey(c), Date.now());
        latest.value = { ...c, text: callText(c) };
        if (!first) speak(callText(c)); // the calls already made when the board opens are shown, not spoken
      }
      for (const [k, t] of voiced) if (Date.now() - t >= VOICE_REPEAT_MS) voiced.delete(k);
      first = false;
    }
    function merge(c) {
      calls.value = [c, ...calls.value.filter((x) => x.window_id !== c.window_id)];
      take([c]);
    }
    async function refresh() {
      if (busy) return;
      busy = true;
      try {
        const b = await get(`/api/v1/hall/${hallId}/board`);
        take(b.calls || []);
        calls.value = b.calls || [];
        queues.value = b.queues || [];
      } catch (err) {
        // a hall that does not exist says so; otherwise the next round tries again and the board keeps what it shows
        missing.value = err.status === 404;
      } finally {
        busy = false;
      }
    }
    function connect() {
      if (!('EventSource' in window)) return;
      // an EventSource sends no headers: the board's token goes in the URL (a registered board is
      // never turned away by the streams' cap)
      es = new EventSource(`/api/v1/hall/${hallId}/events?device_token=${encodeURIComponent(token.value)}`);
      es.onopen = refresh; // catch up with what happened while the stream was down
      es.addEventListener('call', (e) => {
        try {
          merge(JSON.parse(e.data));
        } catch {
          return;
        }
        refresh(); // the waiting counts
      });
      es.addEventListener('announce', (e) => {
        try {
          const d = JSON.parse(e.data);
          announce.value = d.text || '';
        } catch {
          announce.value = e.data;
        }
      });
    }
    async function start() {
      try {
        await deviceRequest('GET', '/api/v1/hall/device', { token: token.value });
      } catch (err) {
        if (err.status === 401) {
          setDeviceToken('board', hallId, '');
          token.value = '';
          revoked.value = true;
          return;
        }
      }
      await refresh();
      connect();
      // Twice a second without the stream; with it every 5 s, for the waiting counts (tickets are not events).
      poller = setInterval(() => {
        rounds++;
        if (!es || es.readyState !== EventSource.OPEN || rounds % 10 === 0) refresh();
      }, 500);
    }
    function paired(t) {
      token.value = t;
      revoked.value = false;
      start();
    }
    onMounted(() => {
      get('/api/v1/halls').then((h) => (hall.value = (h.items || []).find((x) => x.id === hallId) || null)).catch(() => {});
      clock = setInterval(() => (now.value = new Date()), 1000);
      if (token.value) start();
    });
    onBeforeUnmount(() => {
      clearInterval(poller);
      clearInterval(clock);
      if (es) es.close();
    });
    const sorted = computed(() => [...calls.value].sort((a, b) => b.at - a.at || b.recalls - a.recalls));
    const newest = computed(() => sorted.value[0] || null);
    const time = computed(() => {
      const p = (n) => String(n).padStart(2, '0');
      const d = now.value;
      return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    });
    const voiceOn = ref(false);
    function enableVoice() {
      voiceOn.value = true;
      speak('语音播报已开启');
    }
    return { hallId, token, revoked, paired, hall, sorted, newest, queues, announce, latest, time, missing, voiceOn, enableVoice };
  },
  template: `
  <div v-if="!token" class="kiosk board-pairing"><div class="kiosk-body"><pair-screen kind="board" :hall-id="hallId" :revoked="revoked" @paired="paired" /></div></div>
  <div v-else class="board">
    <header class="board-head">
      <h1>{{ hall ? hall.name : '政务服务中心' }} · 叫号信息</h1>
      <span class="board-time">{{ time }}</span>
      <button v-if="!voiceOn" type="button" class="board-voice" @click="enableVoice">开启语音播报</button>
    </header>
    <div class="board-now" data-test="board-latest">
      <template v-if="missing">大厅不存在，请检查叫号屏的地址</template>
      <template v-else-if="latest">{{ latest.text }}</template>
      <template v-else>欢迎光临，请留意叫号信息</template>
    </div>
    <div class="board-main">
      <table class="board-calls">
        <thead><tr><th>号码</th><th>窗口</th><th>业务</th></tr></thead>
        <tbody>
          <tr v-for="c in sorted" :key="c.window_id" :class="{ newest: newest && c.window_id === newest.window_id }" data-test="board-call">
            <td class="board-number">{{ c.number }}</td>
            <td>{{ c.window_number }} 号窗口</td>
            <td>{{ c.queue_name }}<span v-if="c.recalls" class="board-recall">重呼</span></td>
          </tr>
          <tr v-if="!sorted.length"><td colspan="3" class="board-empty">暂无叫号</td></tr>
        </tbody>
      </table>
      <aside class="board-queues">
        <h2>等候人数</h2>
        <div v-for="q in queues" :key="q.queue_id" class="board-queue" data-test="board-queue">
          <span class="board-letter">{{ q.letter }}</span><span class="board-qname">{{ q.name }}</span>
          <b :data-test="'board-waiting-' + q.letter">{{ q.waiting }}</b>
        </div>
      </aside>
    </div>
    <footer class="board-foot">
      <span class="board-label">大厅公告</span>
      <div class="board-ticker"><span :key="announce" data-test="board-announce">{{ announce || '请取号后在等候区休息，留意叫号信息；办事过程中如有疑问请咨询导服台或拨打 12345。' }}</span></div>
    </footer>
  </div>`,
};
