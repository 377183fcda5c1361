// One work order (/admin/hotline/orders/:id, hotline.view, scoped by the server: a unit gets 404 for
// an order never sent to it): every field, the units, the steps with the time each took and whom it
// counts against, returns, extensions, call-backs, 会商, merged orders and, for the centre, the
// caller's earlier orders. The actions offered follow the viewer's permissions and the order's state
// (docs/api.md "Hotline"); the server decides (409 with its reason, 422 naming the fields).
// 附件: the order's attachments (the citizen's photos, the centre's and the units' files, the reply's),
// downloaded through the order's scope; the centre and the unit the order is with add more (uploaded
// first to /api/v1/files, then attached by id), and the lead unit's reply carries its own.
import { get, post, uploadFile } from '../../api.js';
import { session, can } from '../../store.js';
import { route } from '../../router.js';
import { fmtTime, showError, viewport } from '../../util.js';
import { fmtSize } from '../cases/common.js';
import {
  EXTENSION_STATES, ORDER_STATES, PARTIES, RETURN_STATES, SATISFACTION, OrderSignal, OrderState, fmtElapsed, loadUnits, orderUrl,
  showFieldErrors,
} from './common.js';

const { ref, reactive, computed, onMounted } = Vue;

function blankDialogs() {
  return {
    dispatch: { unit_id: null, co_unit_ids: [], note: '' },
    returnReview: { accept: true, unit_id: null, co_unit_ids: [], note: '' },
    review: { approve: true, reason: '' },
    callback: { reached: true, satisfaction: 'satisfied', solved: true, note: '' },
    merge: { into: null },
    directClose: { answer: '' },
    decide: { ext: null, approve: true, note: '' },
    reopen: { note: '', unit_id: null },
    consult: { unit_ids: [], meeting_at: null, place: '', hard_class: '', decision: '', lead_unit_id: null },
    supervise: { note: '' },
    sign: { note: '' },
    ret: { reason: '', suggested_unit_id: null },
    extension: { days: 3, hours: 2, reason: '' },
    opinion: { text: '' },
    reply: { text: '', files: [] },
  };
}

const TITLES = {
  dispatch: '派单', redispatch: '改派', returnReview: '退单审核', review: '审核答复', callback: '回访', merge: '并单',
  directClose: '直接办结', decide: '延期审批', reopen: '重办', consult: '会商记录', supervise: '督办', sign: '签收',
  ret: '退单', extension: '申请延期', opinion: '协办意见', reply: '答复',
};

// Checks in the browser before sending (the server checks again and names the same fields).
function check(kind, f, o) {
  const e = {};
  const len = (s) => [...String(s || '').trim()].length;
  if ((kind === 'dispatch' || (kind === 'returnReview' && f.accept)) && !f.unit_id) e.unit_id = '请选择承办单位';
  if (kind === 'returnReview' && !f.accept && len(f.note) < 2) e.note = '驳回退单须说明理由';
  if (kind === 'returnReview' && f.accept && o.returns.some((r) => r.state === 'pending' && r.unit_id === f.unit_id)) e.unit_id = '不能改派给退单的单位';
  if (kind === 'review' && !f.approve && len(f.reason) < 2) e.reason = '退回重办须说明理由（如答复为空、答非所问或推诿）';
  if (kind === 'callback' && f.reached && !f.satisfaction) e.satisfaction = '请选择满意度';
  if (kind === 'merge' && !f.into) e.into = '请选择要并入的工单';
  if (kind === 'directClose' && len(f.answer) < 5) e.answer = '答复口径不少于5个字';
  if (kind === 'reopen' && len(f.note) < 2) e.note = '请说明重办的理由';
  if (kind === 'reopen' && o.direct && !f.unit_id) e.unit_id = '直接办结的工单重办须指定承办单位';
  if (kind === 'consult') {
    if (!f.unit_ids.length) e.unit_ids = '请选择参加会商的单位';
    if (!f.meeting_at) e.meeting_at = '请选择会商时间';
    if (len(f.decision) < 2) e.decision = '请填写会商结论';
  }
  if (kind === 'supervise' && len(f.note) < 2) e.note = '请填写督办意见';
  if (kind === 'ret' && len(f.reason) < 5) e.reason = '退单理由不少于5个字';
  if (kind === 'extension' && len(f.reason) < 5) e.reason = '延期理由不少于5个字';
  if (kind === 'opinion' && len(f.text) < 2) e.text = '请填写协办意见';
  if (kind === 'reply' && (len(f.text) < 10 || len(f.text) > 4000)) e.text = '答复内容应为10至4000个字';
  return e;
}

export const OrderDetailPage = {
  name: 'HotlineOrderDetailPage',
  components: { OrderState, OrderSignal },
  setup() {
    const id = route.params.id;
    const o = ref(null);
    const error = ref('');
    const busy = ref(false);
    const units = ref([]);
    const dlg = reactive({ kind: '', title: '', visible: false, errors: {}, f: blankDialogs(), dups: [], dupsLoading: false, hints: [] });

    async function load() {
      try {
        o.value = await get(orderUrl(id));
        document.title = o.value.number + ' · 12345工单';
      } catch (err) {
        error.value = err.status === 404 ? '工单不存在，或未派给本单位，无权查看' : err.message;
      }
    }
    onMounted(async () => {
      load();
      units.value = await loadUnits().catch(() => []);
    });

    const operate = computed(() => can('hotline.operate'));
    const manage = computed(() => can('hotline.manage'));
    const supervise = computed(() => can('hotline.supervise'));
    const handle = computed(() => can('hotline.handle'));
    // the viewer's unit on this order (a handling unit's account is its department)
    const mine = computed(() => {
      if (!o.value || !handle.value || !session.user) return null;
      return (o.value.units || []).find((u) => u.active && u.unit_id === session.user.dept_id) || null;
    });
    const pendingExt = computed(() => ((o.value && o.value.extensions) || []).filter((x) => x.state === 'pending'));
    const pendingReturn = computed(() => ((o.value && o.value.returns) || []).find((x) => x.state === 'pending') || null);
    const acts = computed(() => {
      const x = o.value;
      if (!x) return {};
      const s = x.state;
      const m = mine.value;
      const lead = m && m.role === 'lead';
      const co = m && m.role === 'co';
      const open = ['dispatched', 'handling', 'returned', 'replied'].includes(s);
      return {
        dispatch: operate.value && s === 'pending',
        redispatch: operate.value && (s === 'dispatched' || s === 'handling'),
        returnReview: operate.value && s === 'returned',
        review: operate.value && s === 'replied',
        callback: operate.value && s === 'closed',
        merge: operate.value && ['pending', 'dispatched', 'handling', 'returned'].includes(s),
        directClose: operate.value && s === 'pending',
        decide: manage.value && pendingExt.value.length > 0 && s === 'handling',
        reopen: manage.value && s === 'visited' && x.satisfaction === 'dissatisfied' && !x.reopen_count,
        consult: manage.value && s !== 'merged',
        supervise: supervise.value && open,
        sign: !!m && !m.signed_at && (lead ? s === 'dispatched' : co && (s === 'dispatched' || s === 'handling')),
        ret: lead && (s === 'dispatched' || s === 'handling'),
        extension: lead && s === 'handling' && !pendingExt.value.length,
        opinion: co && (s === 'dispatched' || s === 'handling'),
        reply: lead && s === 'handling',
        // POST /orders/{id}/attachments: the centre on any order not merged; a unit (lead or co)
        // while the order is with it, dispatched or in handling
        attach: can('file.upload') && ((operate.value && s !== 'merged') || (!!m && (s === 'dispatched' || s === 'handling'))),
      };
    });
    const anyAct = computed(() => Object.entries(acts.value).some(([k, v]) => v && k !== 'attach'));

    async function suggestFor() {
      dlg.hints = [];
      if (!operate.value || !o.value) return;
      try {
        dlg.hints = (await get('/api/v1/hotline/suggest', { text: (o.value.title + '。' + o.value.text).slice(0, 600), k: 3 })).units || [];
      } catch {
        dlg.hints = [];
      }
    }
    async function open(kind, init = {}) {
      const x = o.value;
      const base = { ...blankDialogs()[kind === 'redispatch' ? 'dispatch' : kind], ...init };
      if (kind === 'redispatch') base.note = '';
      if (kind === 'returnReview' && pendingReturn.value) base.unit_id = pendingReturn.value.suggested_unit_id || null;
      if (kind === 'extension' && x.urgent) base.days = null;
      dlg.f[kind === 'redispatch' ? 'dispatch' : kind] = base;
      dlg.kind = kind;
      dlg.title = TITLES[kind] + (kind === 'decide' && init.ext ? '：' + init.ext.unit : '');
      dlg.errors = {};
      dlg.visible = true;
      if (['dispatch', 'redispatch', 'returnReview', 'reopen'].includes(kind)) suggestFor();
      if (kind === 'merge') {
        dlg.dups = [];
        dlg.dupsLoading = true;
        try {
          dlg.dups = (await get(orderUrl(id, '/duplicates'), { days: 30 })).items || [];
        } catch (err) {
          showError(err);
        } finally {
          dlg.dupsLoading = false;
        }
      }
    }
    const formOf = (kind) => dlg.f[kind === 'redispatch' ? 'dispatch' : kind];
    const clean = (b) => Object.fromEntries(Object.entries(b).filter(([, v]) => v !== '' && v !== null && v !== undefined));
    function bodyOf(kind, f) {
      const t = (s) => String(s || '').trim();
      switch (kind) {
        case 'dispatch':
        case 'redispatch': return clean({ unit_id: f.unit_id, co_unit_ids: f.co_unit_ids, note: t(f.note) });
        case 'returnReview': return f.accept ? clean({ accept: true, unit_id: f.unit_id, co_unit_ids: f.co_unit_ids, note: t(f.note) })
          : { accept: false, note: t(f.note) };
        case 'review': return f.approve ? { approve: true } : { approve: false, reason: t(f.reason) };
        case 'callback': return f.reached ? clean({ reached: true, satisfaction: f.satisfaction, solved: f.solved, note: t(f.note) })
          : clean({ reached: false, note: t(f.note) });
        case 'merge': return { into: f.into };
        case 'directClose': return { answer: t(f.answer) };
        case 'decide': return clean({ approve: f.approve, note: t(f.note) });
        case 'reopen': return clean({ note: t(f.note), unit_id: f.unit_id });
        case 'consult': return clean({ unit_ids: f.unit_ids, meeting_at: f.meeting_at ? Math.floor(new Date(f.meeting_at).getTime() / 1000) : null,
          place: t(f.place), hard_class: t(f.hard_class), decision: t(f.decision), lead_unit_id: f.lead_unit_id });
        case 'supervise': return { note: t(f.note) };
        case 'sign': return clean({ note: t(f.note) });
        case 'ret': return clean({ reason: t(f.reason), suggested_unit_id: f.suggested_unit_id });
        case 'extension': return o.value.urgent ? { hours: f.hours, reason: t(f.reason) } : { days: f.days, reason: t(f.reason) };
        case 'opinion': return { text: t(f.text) };
        case 'reply': return f.files.length ? { text: t(f.text), attachments: f.files.map((x) => x.id) } : { text: t(f.text) };
        default: return {};
      }
    }
    const PATHS = {
      dispatch: '/dispatch', redispatch: '/dispatch', returnReview: '/return-review', review: '/review', callback: '/callback',
      merge: '/merge', directClose: '/direct-close', reopen: '/reopen', consult: '/consultations', supervise: '/supervise',
      sign: '/sign', ret: '/return', extension: '/extension', opinion: '/opinion', reply: '/reply',
    };
    const DONE = {
      dispatch: '已派单', redispatch: '已改派', returnReview: '退单已审核', review: '审核完成', callback: '回访已记录', merge: '已并单',
      directClose: '已直接办结', decide: '延期已审批', reopen: '已重办，工单重新派发', consult: '会商已记录', supervise: '已督办',
      sign: '已签收', ret: '已退单，等待中心审核', extension: '延期申请已提交，等待中心审批', opinion: '协办意见已提交', reply: '已答复，等待中心审核',
    };
    async function confirm() {
      const kind = dlg.kind;
      const f = formOf(kind);
      dlg.errors = check(kind === 'redispatch' ? 'dispatch' : kind, f, o.value);
      if (Object.keys(dlg.errors).length) return;
      busy.value = true;
      try {
        const url = kind === 'decide' ? `/api/v1/hotline/extensions/${f.ext.id}/decide` : orderUrl(id, PATHS[kind]);
        const r = await post(url, bodyOf(kind, f));
        dlg.visible = false;
        ElementPlus.ElMessage.success(DONE[kind]);
        if (r && r.id === o.value.id && Array.isArray(r.steps)) o.value = r;
        else await load();
      } catch (err) {
        const errs = {};
        showFieldErrors(err, errs);
        dlg.errors = errs;
        if (err.status === 409 || err.status === 403) await load();
      } finally {
        busy.value = false;
      }
    }

    // Uploads the picked files one by one (the server types each by its content: PDF, JPG, PNG, OFD,
    // DOCX, XLSX); a refused file is named with the server's reason and the others go on.
    const ACCEPT = '.pdf,.ofd,.docx,.xlsx,.jpg,.jpeg,.png';
    async function uploadAll(list) {
      const done = [];
      for (const f of list) {
        try {
          const up = await uploadFile(f);
          done.push({ id: up.id, name: up.name, size: up.size });
        } catch (err) {
          const why = err.status === 413 ? '文件过大' : err.status === 415 ? '只接受 PDF、OFD、DOCX、XLSX、JPG、PNG 文件（按内容识别）'
            : err.status === 403 ? '当前账号不能上传附件' : err.message;
          ElementPlus.ElMessage.error(`${f.name}：${why}`);
        }
      }
      return done;
    }
    const uploading = ref(false);
    async function pickAttach(ev) {
      const list = [...(ev.target.files || [])].slice(0, 10);
      ev.target.value = '';
      if (!list.length) return;
      uploading.value = true;
      try {
        const ups = await uploadAll(list);
        if (!ups.length) return;
        const r = await post(orderUrl(id, '/attachments'), { attachments: ups.map((x) => x.id) });
        ElementPlus.ElMessage.success(`已上传 ${ups.length} 个附件`);
        if (r && r.id === o.value.id && Array.isArray(r.attachments)) o.value = r;
        else await load();
      } catch (err) {
        // 409: the order is no longer with this unit, or merged; 422: attachments[i]
        ElementPlus.ElMessage.error(err.status === 422 ? Object.values(err.fields).join('；') || err.message : err.message);
        if (err.status === 409 || err.status === 403) await load();
      } finally {
        uploading.value = false;
      }
    }
    async function pickReplyFiles(ev) {
      const f = dlg.f.reply;
      const list = [...(ev.target.files || [])].slice(0, 10 - f.files.length);
      ev.target.value = '';
      uploading.value = true;
      try {
        f.files.push(...(await uploadAll(list)));
      } finally {
        uploading.value = false;
      }
    }
    const attachUrl = (a) => orderUrl(id, '/attachments/' + a.id);
    const ATTACH_PARTIES = { citizen: '市民', centre: '热线中心', unit: '承办单位' };

    const unitName = (uid) => (units.value.find((u) => u.id === uid) || {}).name || ('#' + uid);
    const pickHint = (u) => {
      const f = formOf(dlg.kind);
      f.unit_id = u.id;
      if (f.co_unit_ids) f.co_unit_ids = f.co_unit_ids.filter((x) => x !== u.id);
    };
    const pct = (s) => Math.round((s || 0) * 100) + '%';
    const limitText = computed(() => (o.value ? (o.value.urgent ? o.value.limit_hours + '小时' : o.value.limit_days + '个工作日') : ''));
    const centreView = computed(() => operate.value || supervise.value);
    const ORDER_STATE_LABEL = (st) => (ORDER_STATES[st] || [st])[0];
    return {
      uploading, pickAttach, pickReplyFiles, attachUrl, ATTACH_PARTIES, ACCEPT, fmtSize,
      id, o, error, busy, units, dlg, acts, anyAct, mine, pendingExt, pendingReturn, open, confirm, formOf, unitName, pickHint, pct,
      limitText, centreView, manage, ORDER_STATE_LABEL, fmtTime, fmtElapsed, viewport, PARTIES, RETURN_STATES, EXTENSION_STATES, SATISFACTION,
    };
  },
  template: `
  <div class="admin-page hl-detail">
    <el-result v-if="error" icon="warning" :title="error" data-test="order-error">
      <template #extra><el-button tag="a" href="/admin/hotline/orders" type="primary">返回工单列表</el-button></template>
    </el-result>
    <el-skeleton v-else-if="!o" :rows="10" animated />
    <template v-else>
      <div class="hl-crumbs"><a href="/admin/hotline/orders">工单管理</a> / {{ o.number }}</div>
      <div class="admin-head">
        <h2><span data-test="order-number">{{ o.number }}</span>
          <order-state :o="o" /><order-signal :signal="o.signal" />
          <el-tag v-if="o.urgent" type="danger" effect="dark" size="small">紧急</el-tag>
          <el-tag v-if="o.confidential" type="warning" size="small">保密</el-tag>
          <el-tag v-if="o.overdue" type="danger" size="small" data-test="order-overdue">已超期</el-tag>
        </h2>
      </div>
      <h3 class="hl-title" data-test="order-title">{{ o.title }}</h3>

      <el-card v-if="anyAct" shadow="never" class="panel action-panel" data-test="order-actions">
        <template #header><span class="panel-title">办理</span></template>
        <div class="action-buttons">
          <el-button v-if="acts.dispatch" type="primary" @click="open('dispatch')" data-test="act-dispatch">派单</el-button>
          <el-button v-if="acts.directClose" type="success" plain @click="open('directClose')" data-test="act-direct-close">直接办结</el-button>
          <el-button v-if="acts.redispatch" @click="open('redispatch')" data-test="act-redispatch">改派</el-button>
          <el-button v-if="acts.returnReview" type="primary" @click="open('returnReview')" data-test="act-return-review">退单审核</el-button>
          <el-button v-if="acts.review" type="primary" @click="open('review')" data-test="act-review">审核答复</el-button>
          <el-button v-if="acts.callback" type="primary" @click="open('callback')" data-test="act-callback">回访</el-button>
          <el-button v-if="acts.reopen" type="warning" @click="open('reopen')" data-test="act-reopen">重办</el-button>
          <el-button v-if="acts.merge" @click="open('merge')" data-test="act-merge">并单</el-button>
          <el-button v-for="x in (acts.decide ? pendingExt : [])" :key="x.id" type="warning" @click="open('decide', { ext: x })" :data-test="'act-decide-' + x.id">延期审批（{{ x.days ? x.days + '个工作日' : x.hours + '小时' }}）</el-button>
          <el-button v-if="acts.consult" @click="open('consult')" data-test="act-consult">会商</el-button>
          <el-button v-if="acts.supervise" type="danger" plain @click="open('supervise')" data-test="act-supervise">督办</el-button>
          <el-button v-if="acts.sign" type="primary" @click="open('sign')" data-test="act-sign">签收</el-button>
          <el-button v-if="acts.reply" type="primary" @click="open('reply')" data-test="act-reply">答复</el-button>
          <el-button v-if="acts.opinion" type="primary" @click="open('opinion')" data-test="act-opinion">协办意见</el-button>
          <el-button v-if="acts.extension" @click="open('extension')" data-test="act-extension">申请延期</el-button>
          <el-button v-if="acts.ret" type="danger" plain @click="open('ret')" data-test="act-return">退单</el-button>
        </div>
        <div v-if="mine" class="muted small hl-mine">本单位为该工单的{{ mine.role === 'lead' ? '主办单位' : '协办单位' }}<template v-if="mine.signed_at">，{{ fmtTime(mine.signed_at) }} 已签收</template>。</div>
      </el-card>

      <el-card shadow="never" class="panel">
        <template #header><span class="panel-title">工单信息</span></template>
        <div class="info-grid" data-test="order-info">
          <div class="info-label">渠道</div><div class="info-value">{{ o.channel_label }}<template v-if="o.source_name">（{{ o.source_name }}）</template></div>
          <div class="info-label">诉求类别</div><div class="info-value">{{ o.category_label }}</div>
          <div class="info-label">事项分类</div><div class="info-value" data-test="order-matter">{{ o.matter || '—' }}</div>
          <div class="info-label">所属区域</div><div class="info-value">{{ o.district_name || o.district || '—' }}</div>
          <div class="info-label">来电人</div><div class="info-value">{{ o.caller_name || '—' }}</div>
          <div class="info-label">来电号码</div><div class="info-value" data-test="order-phone">{{ o.caller_phone || '—' }}</div>
          <div class="info-label wide">地址</div><div class="info-value wide">{{ o.address || '—' }}<template v-if="o.lat != null">（{{ o.lat }}, {{ o.lng }}）</template></div>
          <div class="info-label">承办单位</div><div class="info-value" data-test="order-unit">{{ o.unit || '—' }}</div>
          <div class="info-label">办理时限</div><div class="info-value">{{ limitText }}</div>
          <div class="info-label">受理时间</div><div class="info-value">{{ fmtTime(o.created_at) }}</div>
          <div class="info-label">派单时间</div><div class="info-value">{{ fmtTime(o.dispatched_at) || '—' }}</div>
          <div class="info-label">签收期限</div><div class="info-value">{{ fmtTime(o.sign_due_at) || '—' }}</div>
          <div class="info-label">签收时间</div><div class="info-value">{{ fmtTime(o.signed_at) || '—' }}</div>
          <div class="info-label">办理期限</div><div class="info-value" :class="{ 'text-danger': o.overdue }" data-test="order-due">{{ fmtTime(o.due_at) || '—' }}<template v-if="o.overdue">（已超期）</template></div>
          <div class="info-label">答复时间</div><div class="info-value">{{ fmtTime(o.replied_at) || '—' }}</div>
          <div class="info-label">办结时间</div><div class="info-value">{{ fmtTime(o.closed_at) || '—' }}<template v-if="o.direct">（直接办结）</template></div>
          <div class="info-label">回访</div><div class="info-value">{{ o.visited_at ? fmtTime(o.visited_at) + ' ' + (o.satisfaction_label || '') + (o.solved === true ? '，已解决' : o.solved === false ? '，未解决' : '') : o.callback_due_at ? '回访期限 ' + fmtTime(o.callback_due_at) : '—' }}</div>
          <div class="info-label">退单/重办/督办</div><div class="info-value">{{ o.return_count }} / {{ o.reopen_count }} / {{ o.supervise_count }}</div>
          <div class="info-label">电子监察</div><div class="info-value">{{ o.signal_label }}<template v-if="o.overdue">，已超期</template></div>
          <template v-if="o.merged_into"><div class="info-label">并入工单</div><div class="info-value"><a :href="'/admin/hotline/orders/' + o.merged_into" data-test="order-merged-into">{{ o.merged_into_number }}</a></div></template>
          <template v-if="o.kb_article"><div class="info-label">引用知识库</div><div class="info-value">{{ o.kb_article.title }}（第{{ o.kb_article.version }}版）</div></template>
          <div class="info-label wide">诉求内容</div><div class="info-value wide pre-text" data-test="order-text">{{ o.text }}</div>
          <template v-if="o.reply"><div class="info-label wide">答复</div><div class="info-value wide pre-text" data-test="order-reply">{{ o.reply }}</div></template>
        </div>
      </el-card>

      <el-card v-if="(o.attachments || []).length || acts.attach" shadow="never" class="panel" data-test="order-attachments">
        <template #header><div class="hl-form-head"><span class="panel-title">附件</span>
          <label v-if="acts.attach" class="el-button el-button--small upload-button" :class="{ 'is-disabled': uploading }">
            <input type="file" multiple :accept="ACCEPT" :disabled="uploading" @change="pickAttach" data-test="attach-upload" />
            <span>{{ uploading ? '上传中…' : '上传附件' }}</span></label></div></template>
        <div v-if="!(o.attachments || []).length" class="muted small" data-test="attach-none">暂无附件。可上传 PDF、OFD、DOCX、XLSX、JPG、PNG 文件，一次最多10个。</div>
        <div v-else class="table-scroll"><table class="doc-table" data-test="attach-list">
          <thead><tr><th>文件</th><th>大小</th><th>提供方</th><th>时间</th></tr></thead>
          <tbody><tr v-for="a in o.attachments" :key="a.id" data-test="attach-row">
            <td><a :href="attachUrl(a)" target="_blank" rel="noopener" data-test="attach-link">{{ a.name }}</a>
              <el-tag v-if="a.reply" size="small" type="success" class="hl-late">答复附件</el-tag></td>
            <td>{{ fmtSize(a.size) }}</td>
            <td data-test="attach-party">{{ ATTACH_PARTIES[a.party] || a.party }}<div v-if="a.unit" class="muted small">{{ a.unit }}</div></td>
            <td>{{ fmtTime(a.created_at) }}</td>
          </tr></tbody>
        </table></div>
      </el-card>

      <el-card v-if="(o.units || []).length" shadow="never" class="panel">
        <template #header><span class="panel-title">承办单位</span></template>
        <div class="table-scroll"><table class="doc-table" data-test="order-units">
          <thead><tr><th>单位</th><th>角色</th><th>派单</th><th>签收</th><th>答复</th><th>意见</th></tr></thead>
          <tbody><tr v-for="u in o.units" :key="u.unit_id + u.role + u.dispatched_at" :class="{ muted: !u.active }">
            <td>{{ u.unit }}<span v-if="!u.active" class="small">（已撤出）</span></td><td>{{ u.role === 'lead' ? '主办' : '协办' }}</td>
            <td>{{ fmtTime(u.dispatched_at) }}</td><td>{{ fmtTime(u.signed_at) || '未签收' }}</td><td>{{ fmtTime(u.replied_at) || '—' }}</td>
            <td class="hl-pre">{{ u.opinion || '—' }}</td>
          </tr></tbody>
        </table></div>
      </el-card>

      <el-card shadow="never" class="panel">
        <template #header><span class="panel-title">办理过程</span><span class="muted small"> 用时计入：中心、承办单位或市民；超时的环节标红</span></template>
        <div class="table-scroll"><table class="doc-table hl-steps" data-test="order-steps">
          <thead><tr><th>时间</th><th>环节</th><th>办理人</th><th>状态</th><th>用时</th><th>计入</th><th>说明</th></tr></thead>
          <tbody><tr v-for="s in o.steps" :key="s.id" :class="{ 'hl-step-overdue': s.overdue }" data-test="order-step">
            <td>{{ fmtTime(s.at) }}</td>
            <td><b>{{ s.action_label }}</b><el-tag v-if="s.overdue" type="danger" size="small" class="hl-late">超时</el-tag></td>
            <td>{{ s.actor }}<div v-if="s.unit" class="muted small">{{ s.unit }}</div></td>
            <td class="small">{{ s.state_to ? ((s.state_from && s.state_from !== s.state_to ? (ORDER_STATE_LABEL(s.state_from) + ' → ') : '') + ORDER_STATE_LABEL(s.state_to)) : '' }}</td>
            <td>{{ s.elapsed ? fmtElapsed(s.elapsed) : '—' }}</td>
            <td class="small">{{ s.elapsed ? (PARTIES[s.party] || s.party) + (s.party_unit ? '（' + s.party_unit + '）' : '') : '—' }}</td>
            <td class="hl-pre small">{{ s.note }}</td>
          </tr></tbody>
        </table></div>
      </el-card>

      <el-card v-if="o.returns.length" shadow="never" class="panel" data-test="order-returns">
        <template #header><span class="panel-title">退单</span></template>
        <div v-for="r in o.returns" :key="r.id" class="hl-record">
          <el-tag size="small" :type="(RETURN_STATES[r.state] || [])[1]">{{ (RETURN_STATES[r.state] || [r.state])[0] }}</el-tag>
          <b>{{ r.unit }}</b> {{ fmtTime(r.returned_at) }} 退单：{{ r.reason }}
          <span v-if="r.suggested_unit" class="muted">（建议改派：{{ r.suggested_unit }}）</span>
          <div v-if="r.decided_at" class="muted small">{{ fmtTime(r.decided_at) }} 审核<template v-if="r.decision_note">：{{ r.decision_note }}</template></div>
        </div>
      </el-card>

      <el-card v-if="o.extensions.length" shadow="never" class="panel" data-test="order-extensions">
        <template #header><span class="panel-title">延期</span></template>
        <div v-for="x in o.extensions" :key="x.id" class="hl-record">
          <el-tag size="small" :type="(EXTENSION_STATES[x.state] || [])[1]" data-test="extension-state">{{ (EXTENSION_STATES[x.state] || [x.state])[0] }}</el-tag>
          <b>{{ x.unit }}</b> {{ fmtTime(x.requested_at) }} 申请延期{{ x.days ? x.days + '个工作日' : x.hours + '小时' }}：{{ x.reason }}
          <div v-if="x.decided_at" class="muted small">{{ fmtTime(x.decided_at) }} 审批<template v-if="x.decision_note">：{{ x.decision_note }}</template>
            <template v-if="x.state === 'approved'">；办理期限 {{ fmtTime(x.old_due_at) }} → {{ fmtTime(x.new_due_at) }}</template></div>
        </div>
      </el-card>

      <el-card v-if="o.callbacks.length" shadow="never" class="panel" data-test="order-callbacks">
        <template #header><span class="panel-title">回访</span></template>
        <div v-for="c in o.callbacks" :key="c.id" class="hl-record">
          {{ fmtTime(c.at) }} {{ c.by_name }}：<template v-if="c.reached"><b>{{ c.satisfaction_label }}</b>，{{ c.solved ? '已解决' : '未解决' }}</template><template v-else>未接通</template>
          <span v-if="c.note" class="muted">；{{ c.note }}</span>
        </div>
      </el-card>

      <el-card v-if="o.consultations.length" shadow="never" class="panel" data-test="order-consultations">
        <template #header><span class="panel-title">会商</span></template>
        <div v-for="c in o.consultations" :key="c.id" class="hl-record">
          <b>{{ fmtTime(c.meeting_at) }}</b><template v-if="c.place"> · {{ c.place }}</template><template v-if="c.hard_class"> · {{ c.hard_class }}</template>
          <div class="small">参加单位：{{ (c.unit_ids || []).map(unitName).join('、') }}<template v-if="c.lead_unit">；牵头单位：{{ c.lead_unit }}</template></div>
          <div class="small pre-text">结论：{{ c.decision }}</div>
        </div>
      </el-card>

      <el-card v-if="o.merged.length" shadow="never" class="panel" data-test="order-merged">
        <template #header><span class="panel-title">已并入本工单的工单</span></template>
        <div v-for="m in o.merged" :key="m.id" class="hl-record">
          <a :href="'/admin/hotline/orders/' + m.id">{{ m.number }}</a> {{ m.title }} <span class="muted small">{{ fmtTime(m.created_at) }}</span>
        </div>
      </el-card>

      <el-card v-if="centreView && (o.earlier || []).length" shadow="never" class="panel" data-test="order-earlier">
        <template #header><span class="panel-title">来电人历史工单</span></template>
        <div v-for="e in o.earlier" :key="e.id" class="hl-record">
          <a :href="'/admin/hotline/orders/' + e.id">{{ e.number }}</a> <order-state v-if="e.state" :o="e" /> {{ e.title }}
          <span class="muted small">{{ fmtTime(e.created_at) }}</span>
        </div>
      </el-card>

      <el-dialog v-model="dlg.visible" :width="viewport.narrow ? '94%' : '620px'" append-to-body :title="dlg.title" data-test="order-dialog">
        <el-form label-position="top">
          <template v-if="dlg.kind === 'dispatch' || dlg.kind === 'redispatch' || (dlg.kind === 'returnReview') || dlg.kind === 'reopen'">
            <template v-if="dlg.kind === 'returnReview'">
              <el-alert v-if="pendingReturn" type="warning" :closable="false" class="hl-dialog-note"
                :title="pendingReturn.unit + ' 退单：' + pendingReturn.reason + (pendingReturn.suggested_unit ? '（建议改派：' + pendingReturn.suggested_unit + '）' : '')" />
              <el-form-item label="审核结果" :error="dlg.errors.accept">
                <el-radio-group v-model="dlg.f.returnReview.accept">
                  <el-radio :value="true" data-test="rr-accept">同意退单，改派</el-radio><el-radio :value="false" data-test="rr-reject">驳回，退回原单位办理</el-radio>
                </el-radio-group>
              </el-form-item>
            </template>
            <template v-if="dlg.kind !== 'returnReview' || dlg.f.returnReview.accept">
              <el-form-item :label="dlg.kind === 'reopen' ? '重办单位（不选则派回原单位）' : '承办单位'" :required="dlg.kind !== 'reopen'" :error="dlg.errors.unit_id">
                <el-select v-model="formOf(dlg.kind).unit_id" filterable clearable placeholder="选择承办单位" data-test="dlg-unit" style="width:100%">
                  <el-option v-for="u in units" :key="u.id" :label="u.name" :value="u.id" />
                </el-select>
                <div v-if="dlg.hints.length" class="hl-chips">
                  <span class="muted small">建议：</span>
                  <el-check-tag v-for="u in dlg.hints" :key="u.id" :checked="formOf(dlg.kind).unit_id === u.id" @change="pickHint(u)" data-test="dlg-suggest">{{ u.name }} {{ pct(u.score) }}</el-check-tag>
                </div>
              </el-form-item>
              <el-form-item v-if="dlg.kind !== 'reopen'" label="协办单位" :error="dlg.errors.co_unit_ids">
                <el-select v-model="formOf(dlg.kind).co_unit_ids" multiple filterable :multiple-limit="10" placeholder="可选，最多10个" data-test="dlg-co" style="width:100%">
                  <el-option v-for="u in units" :key="u.id" :label="u.name" :value="u.id" :disabled="u.id === formOf(dlg.kind).unit_id" />
                </el-select>
              </el-form-item>
            </template>
            <el-form-item :label="dlg.kind === 'reopen' ? '重办理由' : dlg.kind === 'returnReview' ? '审核意见' : '派单说明'" :required="dlg.kind === 'reopen' || (dlg.kind === 'returnReview' && !dlg.f.returnReview.accept)" :error="dlg.errors.note">
              <el-input v-model="formOf(dlg.kind).note" type="textarea" :rows="2" maxlength="1000" data-test="dlg-note" />
            </el-form-item>
            <div v-if="dlg.kind === 'reopen'" class="muted small">回访不满意的工单可重办一次，重新计算办理时限。</div>
          </template>
          <template v-if="dlg.kind === 'review'">
            <el-form-item label="答复内容"><div class="pre-text hl-reply-box">{{ o.reply }}</div></el-form-item>
            <el-form-item label="审核结果" :error="dlg.errors.approve">
              <el-radio-group v-model="dlg.f.review.approve">
                <el-radio :value="true" data-test="review-approve">通过，办结</el-radio><el-radio :value="false" data-test="review-return">退回重办</el-radio>
              </el-radio-group>
            </el-form-item>
            <el-form-item v-if="!dlg.f.review.approve" label="退回理由" required :error="dlg.errors.reason">
              <el-input v-model="dlg.f.review.reason" type="textarea" :rows="2" maxlength="1000" placeholder="如：答复为空、答非所问或推诿" data-test="review-reason" />
            </el-form-item>
          </template>
          <template v-if="dlg.kind === 'callback'">
            <el-form-item label="是否接通" :error="dlg.errors.reached">
              <el-radio-group v-model="dlg.f.callback.reached"><el-radio :value="true" data-test="cb-reached">已接通</el-radio><el-radio :value="false" data-test="cb-unreached">未接通</el-radio></el-radio-group>
            </el-form-item>
            <template v-if="dlg.f.callback.reached">
              <el-form-item label="满意度" required :error="dlg.errors.satisfaction">
                <el-radio-group v-model="dlg.f.callback.satisfaction"><el-radio v-for="(l, k) in SATISFACTION" :key="k" :value="k" :data-test="'cb-' + k">{{ l }}</el-radio></el-radio-group>
              </el-form-item>
              <el-form-item label="问题是否解决" :error="dlg.errors.solved">
                <el-radio-group v-model="dlg.f.callback.solved"><el-radio :value="true" data-test="cb-solved">已解决</el-radio><el-radio :value="false" data-test="cb-unsolved">未解决</el-radio></el-radio-group>
              </el-form-item>
            </template>
            <el-form-item label="回访记录" :error="dlg.errors.note"><el-input v-model="dlg.f.callback.note" type="textarea" :rows="2" maxlength="1000" data-test="cb-note" /></el-form-item>
          </template>
          <template v-if="dlg.kind === 'merge'">
            <el-form-item label="将本工单并入（按相似度排列的候选工单）" :error="dlg.errors.into">
              <div v-loading="dlg.dupsLoading" class="hl-dups">
                <div v-if="!dlg.dupsLoading && !dlg.dups.length" class="muted small" data-test="merge-none">近30天内没有相似的工单。</div>
                <el-radio-group v-model="dlg.f.merge.into" class="hl-dup-list">
                  <el-radio v-for="d in dlg.dups" :key="d.id" :value="d.id" data-test="merge-candidate" class="hl-dup">
                    <b>{{ d.number }}</b> {{ d.state_label }} · 相似度 {{ pct(d.similarity) }}
                    <span v-if="d.same_caller" class="muted">· 同一来电人</span><span v-if="d.same_address" class="muted">· 同一地址</span><span v-if="d.same_district" class="muted">· 同一区域</span>
                    <div class="small">{{ d.title }}</div>
                  </el-radio>
                </el-radio-group>
              </div>
            </el-form-item>
            <div class="muted small">并单后本工单不再单独办理，随主工单一并答复；主工单已办结的，本工单随即以其答复办结。</div>
          </template>
          <template v-if="dlg.kind === 'directClose'">
            <el-form-item label="答复口径" required :error="dlg.errors.answer">
              <el-input v-model="dlg.f.directClose.answer" type="textarea" :rows="4" maxlength="4000" data-test="dc-answer" />
            </el-form-item>
          </template>
          <template v-if="dlg.kind === 'decide' && dlg.f.decide.ext">
            <el-alert type="info" :closable="false" class="hl-dialog-note"
              :title="dlg.f.decide.ext.unit + ' 申请延期' + (dlg.f.decide.ext.days ? dlg.f.decide.ext.days + '个工作日' : dlg.f.decide.ext.hours + '小时') + '：' + dlg.f.decide.ext.reason" />
            <el-form-item label="审批" :error="dlg.errors.approve">
              <el-radio-group v-model="dlg.f.decide.approve"><el-radio :value="true" data-test="decide-approve">同意延期</el-radio><el-radio :value="false" data-test="decide-refuse">不同意</el-radio></el-radio-group>
            </el-form-item>
            <el-form-item label="审批意见" :error="dlg.errors.note"><el-input v-model="dlg.f.decide.note" maxlength="1000" data-test="decide-note" /></el-form-item>
          </template>
          <template v-if="dlg.kind === 'consult'">
            <el-form-item label="参加单位" required :error="dlg.errors.unit_ids">
              <el-select v-model="dlg.f.consult.unit_ids" multiple filterable :multiple-limit="20" data-test="consult-units" style="width:100%">
                <el-option v-for="u in units" :key="u.id" :label="u.name" :value="u.id" />
              </el-select>
            </el-form-item>
            <el-form-item label="会商时间" required :error="dlg.errors.meeting_at">
              <div data-test="consult-time"><el-date-picker v-model="dlg.f.consult.meeting_at" type="datetime" placeholder="选择时间" /></div>
            </el-form-item>
            <el-form-item label="会商地点" :error="dlg.errors.place"><el-input v-model="dlg.f.consult.place" maxlength="200" data-test="consult-place" /></el-form-item>
            <el-form-item label="疑难类型" :error="dlg.errors.hard_class"><el-input v-model="dlg.f.consult.hard_class" maxlength="100" placeholder="如：职责交叉、历史遗留" data-test="consult-class" /></el-form-item>
            <el-form-item label="会商结论" required :error="dlg.errors.decision"><el-input v-model="dlg.f.consult.decision" type="textarea" :rows="3" maxlength="4000" data-test="consult-decision" /></el-form-item>
            <el-form-item label="牵头单位" :error="dlg.errors.lead_unit_id">
              <el-select v-model="dlg.f.consult.lead_unit_id" filterable clearable data-test="consult-lead" style="width:100%">
                <el-option v-for="u in units" :key="u.id" :label="u.name" :value="u.id" />
              </el-select>
            </el-form-item>
          </template>
          <template v-if="dlg.kind === 'supervise'">
            <el-form-item label="督办意见" required :error="dlg.errors.note"><el-input v-model="dlg.f.supervise.note" type="textarea" :rows="3" maxlength="1000" data-test="supervise-note" /></el-form-item>
          </template>
          <template v-if="dlg.kind === 'sign'">
            <div class="small">签收后开始办理；签收期限 {{ fmtTime(o.sign_due_at) }}，办理期限 {{ fmtTime(o.due_at) }}。</div>
            <el-form-item label="备注" :error="dlg.errors.note"><el-input v-model="dlg.f.sign.note" maxlength="500" placeholder="可选" data-test="sign-note" /></el-form-item>
          </template>
          <template v-if="dlg.kind === 'ret'">
            <el-form-item label="退单理由" required :error="dlg.errors.reason">
              <el-input v-model="dlg.f.ret.reason" type="textarea" :rows="3" maxlength="1000" placeholder="说明不属于本单位职责的依据" data-test="return-reason" />
            </el-form-item>
            <el-form-item label="建议承办单位" :error="dlg.errors.suggested_unit_id">
              <el-select v-model="dlg.f.ret.suggested_unit_id" filterable clearable data-test="return-unit" style="width:100%">
                <el-option v-for="u in units" :key="u.id" :label="u.name" :value="u.id" />
              </el-select>
            </el-form-item>
          </template>
          <template v-if="dlg.kind === 'extension'">
            <el-form-item v-if="o.urgent" label="延期小时数（紧急工单）" :error="dlg.errors.hours || dlg.errors.days">
              <el-input-number v-model="dlg.f.extension.hours" :min="1" :max="72" data-test="ext-hours" />
            </el-form-item>
            <el-form-item v-else label="延期工作日数" :error="dlg.errors.days">
              <el-input-number v-model="dlg.f.extension.days" :min="1" :max="30" data-test="ext-days" />
            </el-form-item>
            <el-form-item label="延期理由" required :error="dlg.errors.reason"><el-input v-model="dlg.f.extension.reason" type="textarea" :rows="2" maxlength="1000" data-test="ext-reason" /></el-form-item>
            <div class="muted small">延期须经热线中心审批；当前办理期限 {{ fmtTime(o.due_at) }}。</div>
          </template>
          <template v-if="dlg.kind === 'opinion'">
            <el-form-item label="协办意见" required :error="dlg.errors.text"><el-input v-model="dlg.f.opinion.text" type="textarea" :rows="3" maxlength="2000" data-test="opinion-text" /></el-form-item>
          </template>
          <template v-if="dlg.kind === 'reply'">
            <el-form-item label="答复内容（办理情况和结果）" required :error="dlg.errors.text">
              <el-input v-model="dlg.f.reply.text" type="textarea" :rows="5" maxlength="4000" show-word-limit data-test="reply-text" />
            </el-form-item>
            <el-form-item label="答复附件（答复公开后市民可查看）" :error="dlg.errors.attachments">
              <div>
                <el-tag v-for="(a, i) in dlg.f.reply.files" :key="a.id" closable @close="dlg.f.reply.files.splice(i, 1)" type="success" data-test="reply-file">{{ a.name }} · {{ fmtSize(a.size) }}</el-tag>
                <label v-if="dlg.f.reply.files.length < 10" class="el-button el-button--small upload-button">
                  <input type="file" multiple :accept="ACCEPT" :disabled="uploading" @change="pickReplyFiles" data-test="reply-upload" />
                  <span>{{ uploading ? '上传中…' : '添加附件' }}</span></label>
              </div>
            </el-form-item>
            <div class="muted small">答复经热线中心审核后办结并向市民公开；答复为空、答非所问或推诿的将被退回重办。</div>
          </template>
        </el-form>
        <template #footer>
          <el-button @click="dlg.visible = false" data-test="dialog-cancel">取消</el-button>
          <el-button type="primary" :loading="busy" data-test="dialog-confirm" @click="confirm">确定</el-button>
        </template>
      </el-dialog>
    </template>
  </div>`,
};
