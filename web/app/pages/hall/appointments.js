// 预约取号 /my/appointments (applicants): 远程取号, a ticket for today taken from the phone (tied to
// the account; followed on /ticket/{token}); and appointments: pick a hall, a queue, a working day
// up to 365 days ahead and a 30-minute slot with places left; book it (at most
// hall_max_open_bookings open at once); the list of one's appointments with the six-digit check-in
// code (签到码, typed on the kiosk's keypad) and the booking's QR code (scanned at the kiosk), and
// cancelling.
import { get, post } from '../../api.js';
import { showError, viewport } from '../../util.js';

const { ref, computed, onMounted, watch } = Vue;

const APPT_STATES = {
  booked: { label: '已预约', tag: 'primary' },
  checked_in: { label: '已签到', tag: 'success' },
  cancelled: { label: '已取消', tag: 'info' },
  no_show: { label: '已爽约', tag: 'danger' },
};

export const AppointmentsPage = {
  name: 'AppointmentsPage',
  setup() {
    const halls = ref([]);
    const hallId = ref(null);
    const queues = ref([]);
    const queueId = ref(null);
    const day = ref('');
    const slots = ref(null);
    const slot = ref('');
    const list = ref([]);
    const busy = ref(false);
    const loadingSlots = ref(false);
    const allQueues = ref([]); // every active queue of the hall, for 远程取号
    const remoteQueue = ref(null);
    const remote = ref(null); // the ticket just taken
    const qr = ref(null); // the appointment whose QR code is shown

    const today = new Date();
    today.setHours(0, 0, 0, 0);
    const last = new Date(today.getTime() + 365 * 86400000);
    const disabledDate = (d) => d < today || d > last;

    async function loadList() {
      try {
        list.value = (await get('/api/v1/hall/appointments')).items || [];
      } catch (err) {
        showError(err);
      }
    }
    async function loadSlots() {
      slots.value = null;
      slot.value = '';
      if (!queueId.value || !day.value) return;
      loadingSlots.value = true;
      try {
        slots.value = await get(`/api/v1/hall/queues/${queueId.value}/slots`, { date: day.value });
      } catch (err) {
        showError(err);
      } finally {
        loadingSlots.value = false;
      }
    }
    watch(hallId, async (id) => {
      queueId.value = null;
      remoteQueue.value = null;
      queues.value = [];
      allQueues.value = [];
      if (!id) return;
      try {
        allQueues.value = ((await get('/api/v1/hall/queues', { hall_id: id })).items || []).filter((q) => q.active);
        queues.value = allQueues.value.filter((q) => q.slot_capacity > 0);
      } catch (err) {
        showError(err);
      }
    });
    watch([queueId, day], loadSlots);

    // Slots not yet started today and with places left.
    const open = (s) => s.left > 0 && s.start * 1000 > Date.now();
    async function book() {
      busy.value = true;
      try {
        const a = await post('/api/v1/hall/appointments', { queue_id: queueId.value, date: day.value, time: slot.value });
        ElementPlus.ElMessageBox.alert(`预约成功！您的签到码为 ${a.checkin_code}，请于 ${a.date} ${slot.value} 前后到大厅自助取号机输入签到码或扫描预约二维码签到。`, '预约成功', { type: 'success' });
        await Promise.all([loadList(), loadSlots()]);
      } catch (err) {
        showError(err);
      } finally {
        busy.value = false;
      }
    }
    // 远程取号: a normal ticket for today, tied to the signed-in applicant
    async function takeTicket() {
      busy.value = true;
      try {
        remote.value = await post('/api/v1/hall/tickets', { queue_id: remoteQueue.value });
      } catch (err) {
        showError(err);
      } finally {
        busy.value = false;
      }
    }
    async function cancel(a) {
      try {
        await ElementPlus.ElMessageBox.confirm(`取消 ${a.date} ${a.queue.name} 的预约？`, '取消预约', { type: 'warning' });
      } catch {
        return;
      }
      try {
        await post(`/api/v1/hall/appointments/${a.id}/cancel`);
        ElementPlus.ElMessage.success('预约已取消');
        await Promise.all([loadList(), loadSlots()]);
      } catch (err) {
        showError(err);
      }
    }
    onMounted(async () => {
      loadList();
      try {
        halls.value = (await get('/api/v1/halls')).items || [];
        if (halls.value.length) hallId.value = halls.value[0].id;
      } catch (err) {
        showError(err);
      }
    });
    // The slot's start as HH:MM in the hall's time (UTC+8), whatever the browser's zone.
    const slotTime = (a) => new Date((a.slot_start + 8 * 3600) * 1000).toISOString().slice(11, 16);
    const cancellable = (a) => a.state === 'booked' && a.slot_start * 1000 > Date.now();
    const noSlots = computed(() => slots.value && (!slots.value.workday || !slots.value.slots.length));
    return {
      halls, hallId, queues, queueId, day, slots, slot, list, busy, loadingSlots, disabledDate, open, book, cancel,
      allQueues, remoteQueue, remote, takeTicket, qr,
      slotTime, cancellable, noSlots, APPT_STATES, viewport,
    };
  },
  template: `
  <div class="container page">
    <h1 class="page-title">预约取号</h1>
    <el-card shadow="never" class="panel">
      <template #header><b>远程取号</b><span class="muted small">&nbsp;今日到厅办理，在手机上取号、看排队进度</span></template>
      <el-form label-width="90px" class="appt-form">
        <el-form-item label="办事大厅">
          <el-select v-model="hallId" style="width:100%" data-test="remote-hall">
            <el-option v-for="h in halls" :key="h.id" :value="h.id" :label="h.name" />
          </el-select>
        </el-form-item>
        <el-form-item label="办理业务">
          <el-select v-model="remoteQueue" placeholder="请选择业务队列" style="width:100%" data-test="remote-queue">
            <el-option v-for="q in allQueues" :key="q.id" :value="q.id" :label="q.letter + ' · ' + q.name" />
          </el-select>
        </el-form-item>
        <el-form-item>
          <el-button type="primary" :disabled="!remoteQueue" :loading="busy" data-test="remote-take" @click="takeTicket">立即取号</el-button>
        </el-form-item>
      </el-form>
      <el-alert v-if="remote" type="success" :closable="false" data-test="remote-ticket"
        :title="'您的号码 ' + remote.number + '（' + remote.queue.name + '）'">
        前面还有 {{ remote.ahead }} 人，预计等候约 {{ remote.wait_minutes }} 分钟。
        <a :href="'/ticket/' + remote.token" data-test="remote-follow">查看排队进度</a>
      </el-alert>
    </el-card>
    <el-card shadow="never" class="panel">
      <template #header><b>预约办理</b></template>
      <el-form label-width="90px" class="appt-form">
        <el-form-item label="办事大厅">
          <el-select v-model="hallId" style="width:100%" data-test="appt-hall">
            <el-option v-for="h in halls" :key="h.id" :value="h.id" :label="h.name" />
          </el-select>
        </el-form-item>
        <el-form-item label="办理业务">
          <el-select v-model="queueId" placeholder="请选择业务队列" style="width:100%" data-test="appt-queue">
            <el-option v-for="q in queues" :key="q.id" :value="q.id" :label="q.letter + ' · ' + q.name" />
          </el-select>
        </el-form-item>
        <el-form-item label="预约日期">
          <el-date-picker v-model="day" type="date" value-format="YYYY-MM-DD" placeholder="选择工作日（365 天内）"
            :disabled-date="disabledDate" data-test="appt-date" />
        </el-form-item>
        <el-form-item label="预约时段">
          <div v-loading="loadingSlots" class="appt-slots">
            <span v-if="!slots" class="muted">请先选择业务和日期</span>
            <span v-else-if="slots.beyond_published" class="muted" data-test="appt-unpublished">该日期所在年度的节假日安排尚未发布，暂不能预约，请选择其他日期</span>
            <span v-else-if="noSlots" class="muted" data-test="appt-no-slots">该日为非工作日或无可预约时段，请选择其他日期</span>
            <el-radio-group v-else v-model="slot">
              <el-radio-button v-for="s in slots.slots" :key="s.time" :value="s.time" :disabled="!open(s)" :data-test="'appt-slot-' + s.time">
                {{ s.time }}<small class="appt-left">余 {{ s.left }}</small></el-radio-button>
            </el-radio-group>
          </div>
        </el-form-item>
        <el-form-item>
          <el-button type="primary" :disabled="!slot" :loading="busy" data-test="appt-book" @click="book">预约</el-button>
        </el-form-item>
      </el-form>
    </el-card>
    <el-card shadow="never" class="panel">
      <template #header><b>我的预约</b></template>
      <div v-if="viewport.narrow" data-test="appt-list">
        <p v-if="!list.length" class="muted center">暂无预约</p>
        <div v-for="row in list" :key="row.id" class="appt-row appt-card">
          <div class="appt-card-head"><span>签到码 <b class="mono" data-test="appt-code">{{ row.checkin_code }}</b></span>
            <el-tag :type="(APPT_STATES[row.state] || {}).tag" data-test="appt-state">{{ (APPT_STATES[row.state] || {}).label || row.state }}</el-tag></div>
          <div>{{ row.date }} {{ slotTime(row) }} · {{ row.queue.letter }} · {{ row.queue.name }}</div>
          <div class="muted small">{{ row.hall }}</div>
          <el-button v-if="row.state === 'booked'" link type="primary" data-test="appt-qr" @click="qr = row">预约二维码</el-button>
          <el-button v-if="cancellable(row)" link type="danger" data-test="appt-cancel" @click="cancel(row)">取消预约</el-button>
        </div>
      </div>
      <el-table v-else :data="list" empty-text="暂无预约" row-class-name="appt-row" data-test="appt-list">
        <el-table-column label="签到码" width="110"><template #default="{ row }"><b class="mono" data-test="appt-code">{{ row.checkin_code }}</b></template></el-table-column>
        <el-table-column label="大厅 / 业务" min-width="200"><template #default="{ row }">{{ row.hall }}<br><span class="muted">{{ row.queue.letter }} · {{ row.queue.name }}</span></template></el-table-column>
        <el-table-column label="时段" width="150"><template #default="{ row }">{{ row.date }} {{ slotTime(row) }}</template></el-table-column>
        <el-table-column label="状态" width="90"><template #default="{ row }"><el-tag :type="(APPT_STATES[row.state] || {}).tag" data-test="appt-state">{{ (APPT_STATES[row.state] || {}).label || row.state }}</el-tag></template></el-table-column>
        <el-table-column label="操作" width="150"><template #default="{ row }">
          <el-button v-if="row.state === 'booked'" link type="primary" data-test="appt-qr" @click="qr = row">二维码</el-button>
          <el-button v-if="cancellable(row)" link type="danger" data-test="appt-cancel" @click="cancel(row)">取消</el-button></template></el-table-column>
      </el-table>
      <p class="muted small">请于预约时段开始前 30 分钟至开始后 15 分钟内，在大厅自助取号机点“预约签到”，输入 6 位签到码或扫描预约二维码，优先叫号。</p>
      <el-dialog :model-value="!!qr" title="预约二维码" width="340px" @close="qr = null">
        <div v-if="qr" class="center" data-test="appt-qr-dialog">
          <img :src="'/api/v1/hall/appointments/' + qr.id + '/qr.svg'" alt="预约二维码" style="width:240px;height:240px">
          <p>{{ qr.date }} {{ slotTime(qr) }} · {{ qr.queue.name }}</p>
          <p>签到码 <b class="mono">{{ qr.checkin_code }}</b></p>
        </div>
      </el-dialog>
    </el-card>
  </div>`,
};
