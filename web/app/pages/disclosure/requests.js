// 依申请公开 (docs/api.md "Disclosure"): /gongkai/apply (the request form: an applicant files
// online; a disclosure officer also enters letters, visits, faxes and emails), /my/disclosure (我的申请),
// /disclosure/requests/{id} (one request for the applicant and the organ: its clock, notices, letters
// and, for the organ, every step the API offers) and the officer's inbox (/admin/disclosure/requests).
import { get, post, put } from '../../api.js';
import { session, can } from '../../store.js';
import { route, navigate, href } from '../../router.js';
import { fmtTime, showError, viewport } from '../../util.js';
import {
  APPLICANT_TYPES, DELIVERY, FEE_BASIS, FEE_STATES, OPINIONS, REMEDY_RESULTS, REMEDY_STAGES, REQUEST_STATES, RESULT_GROUPS,
  RequestClock, RequestSignal, RequestState, RequestTimeline, letterUrl, lettersOf, requestUrl, thisYear, todayIso, yuanOf,
} from './common.js';

const { ref, reactive, computed, onMounted, watch } = Vue;

const CHANNELS = { letter: '信函', in_person: '当面提交', fax: '传真', email: '电子邮件' };
const FIELD_LABELS = {
  dept_id: '受理机关', channel: '申请方式', received_date: '收到日期', applicant_type: '申请人类型', applicant_name: '申请人',
  applicant_no: '证件号码', contact_person: '联系人', phone: '联系电话', email: '电子邮箱', address: '通信地址', content: '所需信息',
  purpose: '用途', delivery: '获取方式',
};

export const RequestFormPage = {
  name: 'RequestFormPage',
  setup() {
    const officer = computed(() => can('disclosure.handle'));
    const kind = computed(() => (session.user && session.user.kind) || 'person');
    const organs = ref([]);
    const form = reactive({
      dept_id: route.query.dept_id ? Number(route.query.dept_id) : (officer.value && session.user.dept_id) || null,
      applicant_type: kind.value === 'legal' ? '' : 'person', contact_person: '', phone: '', email: '', address: '',
      content: '', purpose: '', delivery: 'online',
      channel: 'letter', applicant_name: '', applicant_no: '', received_date: '',
    });
    const errors = ref({});
    const saving = ref(false);
    onMounted(async () => {
      document.title = '政府信息公开申请';
      organs.value = (await get('/api/v1/disclosure/organs').catch(() => ({ items: [] }))).items || [];
      if (!officer.value) {
        const p = await get('/api/v1/me/profile').catch(() => null);
        const d = (p && p.profile) || {};
        form.phone = d.phone || d.company_phone || '';
        form.email = d.email || '';
        form.address = d.address || '';
        form.contact_person = d.company_contact || '';
      }
    });
    // A person files as 自然人; an organisation's account picks one of the five; an officer any.
    const types = computed(() => (officer.value ? APPLICANT_TYPES
      : kind.value === 'legal' ? APPLICANT_TYPES.filter((t) => t.code !== 'person') : APPLICANT_TYPES.slice(0, 1)));
    const organisation = computed(() => form.applicant_type && form.applicant_type !== 'person');
    // the centre enters for any organ; an organ's officer for its own
    const pickOrgan = computed(() => !officer.value || !session.user.dept_id || can('disclosure.config'));

    async function submit() {
      errors.value = {};
      saving.value = true;
      const body = {
        dept_id: form.dept_id, applicant_type: form.applicant_type, phone: form.phone.trim(), email: form.email.trim(),
        address: form.address.trim(), content: form.content.trim(), purpose: form.purpose.trim(), delivery: form.delivery,
      };
      if (organisation.value) body.contact_person = form.contact_person.trim();
      if (officer.value) {
        Object.assign(body, { channel: form.channel, applicant_name: form.applicant_name.trim(),
          applicant_no: form.applicant_no.trim().toUpperCase() });
        if (form.received_date) body.received_date = form.received_date;
      }
      for (const k of Object.keys(body)) if (body[k] === '' && k !== 'content') delete body[k];
      try {
        const r = await post('/api/v1/disclosure/requests', body);
        ElementPlus.ElMessage.success(`申请已提交，申请编号 ${r.request_no}`);
        navigate('/disclosure/requests/' + r.id);
      } catch (err) {
        errors.value = err.fields || {};
        if (err.status === 422) {
          const list = Object.entries(errors.value).map(([k, v]) => (FIELD_LABELS[k] || k) + (/^[应须不只]/.test(v) ? '' : '：') + v);
          ElementPlus.ElMessage.error('请按提示修改：' + list.join('；'));
        }
        else showError(err);
      } finally {
        saving.value = false;
      }
    }
    return { officer, organs, form, errors, saving, types, organisation, pickOrgan, submit, viewport, CHANNELS, DELIVERY, session, todayIso };
  },
  template: `
  <div class="container page">
    <el-card shadow="never" class="panel gk-form">
      <template #header><span class="panel-title">政府信息公开申请</span></template>
      <el-alert type="info" :closable="false" show-icon class="gk-form-note"
        :title="officer ? '登记通过信函、当面、传真或电子邮件提出的申请。收到申请之日起20个工作日内答复。' : '申请人姓名（名称）和证件号码取自您的实名账号。行政机关收到申请之日起20个工作日内答复；需要补正的，将一次性告知。'" />
      <el-form :label-position="viewport.narrow ? 'top' : 'right'" label-width="120px" data-test="request-form">
        <el-form-item label="受理机关" required :error="errors.dept_id">
          <el-select v-model="form.dept_id" filterable placeholder="选择掌握所需信息的行政机关" :disabled="!pickOrgan" data-test="req-organ" style="width:100%">
            <el-option v-for="o in organs" :key="o.dept_id" :label="o.name" :value="o.dept_id" />
          </el-select>
        </el-form-item>
        <template v-if="officer">
          <el-form-item label="申请方式" required :error="errors.channel">
            <el-radio-group v-model="form.channel"><el-radio v-for="(l, k) in CHANNELS" :key="k" :value="k" :data-test="'req-channel-' + k">{{ l }}</el-radio></el-radio-group>
          </el-form-item>
          <el-form-item label="收到日期" :error="errors.received_date">
            <el-date-picker v-model="form.received_date" type="date" value-format="YYYY-MM-DD" placeholder="默认今天" data-test="req-received" />
          </el-form-item>
        </template>
        <el-form-item label="申请人类型" required :error="errors.applicant_type">
          <el-radio-group v-model="form.applicant_type" data-test="req-type">
            <el-radio v-for="t in types" :key="t.code" :value="t.code" :data-test="'req-type-' + t.code">{{ t.label }}</el-radio>
          </el-radio-group>
        </el-form-item>
        <template v-if="officer">
          <el-form-item :label="organisation ? '申请人名称' : '申请人姓名'" required :error="errors.applicant_name">
            <el-input v-model="form.applicant_name" maxlength="100" data-test="req-name" />
          </el-form-item>
          <el-form-item :label="organisation ? '统一社会信用代码' : '身份证号码'" required :error="errors.applicant_no">
            <el-input v-model="form.applicant_no" maxlength="18" data-test="req-no" />
          </el-form-item>
        </template>
        <el-form-item v-else label="申请人">
          <span data-test="req-applicant">{{ session.user.name }}</span>
        </el-form-item>
        <el-form-item v-if="organisation" label="联系人" required :error="errors.contact_person">
          <el-input v-model="form.contact_person" maxlength="50" data-test="req-contact" />
        </el-form-item>
        <el-form-item label="联系电话" :required="officer" :error="errors.phone">
          <el-input v-model="form.phone" maxlength="20" placeholder="11位手机号码" data-test="req-phone" />
        </el-form-item>
        <el-form-item label="电子邮箱" :error="errors.email"><el-input v-model="form.email" maxlength="100" data-test="req-email" /></el-form-item>
        <el-form-item label="通信地址" :error="errors.address"><el-input v-model="form.address" maxlength="200" data-test="req-address" /></el-form-item>
        <el-form-item label="所需信息" required :error="errors.content">
          <el-input v-model="form.content" type="textarea" :rows="4" maxlength="2000" show-word-limit
                    placeholder="请写明所需政府信息的名称、文号或者便于行政机关查询的其他特征性描述" data-test="req-content" />
        </el-form-item>
        <el-form-item label="用途" :error="errors.purpose">
          <el-input v-model="form.purpose" maxlength="500" placeholder="可选" data-test="req-purpose" />
        </el-form-item>
        <el-form-item label="获取方式" :error="errors.delivery">
          <el-radio-group v-model="form.delivery"><el-radio v-for="(l, k) in DELIVERY" :key="k" :value="k" :data-test="'req-delivery-' + k">{{ l }}</el-radio></el-radio-group>
        </el-form-item>
        <el-form-item>
          <el-button type="primary" :loading="saving" @click="submit" data-test="req-submit">提交申请</el-button>
          <el-button tag="a" :href="officer ? '/admin/disclosure/requests' : '/gongkai'">取消</el-button>
        </el-form-item>
      </el-form>
    </el-card>
  </div>`,
};

// A request as one line of a list.
const RequestCard = {
  name: 'RequestCard',
  components: { RequestState, RequestSignal },
  props: { r: { type: Object, required: true }, staff: Boolean },
  template: `
  <a class="case-card" :href="'/disclosure/requests/' + r.id" data-test="request-row">
    <div class="case-card-head"><b class="gk-one-line">{{ r.content }}</b><span class="case-head-state"><request-state :r="r" /><request-signal :signal="r.signal" /></span></div>
    <div class="case-card-meta">
      <span>编号：{{ r.request_no }}</span>
      <span>{{ r.dept }}</span>
      <span v-if="staff">申请人：{{ r.applicant_name }}（{{ r.applicant_type_label }}）</span>
      <span>{{ r.channel_label }}</span>
      <span>收到：{{ r.received_date }}</span>
      <span v-if="r.state !== 'replied'">{{ r.state === 'correction' ? '补正截止' : '答复截止' }}：<b>{{ r.due_date }}</b></span>
      <span v-else>答复：{{ r.reply_date }} · {{ r.result_label }}</span>
    </div>
  </a>`,
};

export const MyRequestsPage = {
  name: 'MyRequestsPage',
  components: { RequestCard },
  setup() {
    const rows = ref([]);
    const loading = ref(true);
    onMounted(async () => {
      document.title = '我的政府信息公开申请';
      try {
        rows.value = (await get('/api/v1/disclosure/requests', { page_size: 200 })).items || [];
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    });
    const waiting = computed(() => rows.value.filter((r) => r.state === 'correction' || r.state === 'fee').length);
    return { rows, loading, waiting };
  },
  template: `
  <div class="container page">
    <div class="panel-head-row"><h1 class="page-title">我的政府信息公开申请</h1>
      <el-button type="primary" tag="a" href="/gongkai/apply" data-test="my-new-request">新的申请</el-button></div>
    <el-alert v-if="waiting" type="warning" :closable="false" show-icon class="gk-form-note" :title="'有 ' + waiting + ' 件申请需要您补正或缴费，请及时处理'" />
    <div v-loading="loading" class="case-cards">
      <request-card v-for="r in rows" :key="r.id" :r="r" />
      <el-empty v-if="!loading && !rows.length" description="您还没有提出过政府信息公开申请" />
    </div>
  </div>`,
};

// The dialogs of the request page: their forms, reset by open(kind).
function blankDialogs() {
  return {
    reply: { result: '', note: '', reply_date: '', on_spot: false },
    correction: { items: [''], due_workdays: 10, note: '', notice_date: '' },
    corrected: { content: '', received_date: '' },
    consult: { third_party: '', contact: '', sent_date: '' },
    answer: { cid: null, opinion: 'agree', note: '', answered_date: '' },
    extend: { days: 20, reason: '', approver: '', notice_date: '' },
    fee: { basis: 'page', quantity: 31, items_before: 10, notice_date: '' },
    paid: { paid_date: '' },
    withdraw: { reason: '', date: '' },
    remedy: { stage: 'reconsideration', result: 'pending', filed_date: '', decided_date: '', authority: '', case_ref: '', note: '' },
    remedyResult: { rid: null, result: 'upheld', decided_date: '', note: '' },
  };
}

const DIALOG_TITLES = {
  reply: '答复', correction: '补正告知（一次性告知）', corrected: '收到补正', consult: '征求第三方意见', answer: '第三方答复',
  extend: '延期答复', fee: '收费通知', paid: '缴费确认', withdraw: '撤回申请', remedy: '登记行政复议、行政诉讼', remedyResult: '复议诉讼结果',
};

export const RequestPage = {
  name: 'RequestPage',
  components: { RequestClock, RequestSignal, RequestState, RequestTimeline },
  setup() {
    const id = route.params.id;
    const r = ref(null);
    const error = ref('');
    const busy = ref(false);
    // preview: the reply letter the server renders for the reply form as it stands (previewFor: that form)
    const dlg = reactive({ kind: '', visible: false, errors: {}, f: blankDialogs(), preview: '', previewFor: '' });
    const staff = computed(() => can('disclosure.handle'));
    const letterKey = ref(0);

    async function load() {
      try {
        r.value = await get(requestUrl(id));
        document.title = r.value.request_no + ' · 政府信息公开申请';
        letterKey.value++;
      } catch (err) {
        error.value = err.status === 404 ? '申请不存在或您无权查看' : err.message;
      }
    }
    onMounted(load);

    function open(kind, init = {}) {
      dlg.f[kind] = { ...blankDialogs()[kind], ...init };
      dlg.kind = kind;
      dlg.errors = {};
      dlg.preview = '';
      dlg.previewFor = '';
      dlg.visible = true;
    }
    // Empty dates are left out: the server takes today.
    const clean = (o) => Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== '' && v !== null && k !== 'cid' && k !== 'rid'));
    async function act(path, body, done, method = post) {
      busy.value = true;
      dlg.errors = {};
      try {
        r.value = await method(requestUrl(id, path), body);
        dlg.visible = false;
        ElementPlus.ElMessage.success(done);
        letterKey.value++;
        return true;
      } catch (err) {
        dlg.errors = err.fields || {};
        showError(err);
        return false;
      } finally {
        busy.value = false;
      }
    }
    // 答复 in two steps: the letter the server would send, shown in the dialog, then sent as shown
    const replyBody = () => clean(dlg.f.reply);
    const previewed = computed(() => !!dlg.preview && dlg.previewFor === JSON.stringify(replyBody()));
    async function previewReply() {
      busy.value = true;
      dlg.errors = {};
      try {
        const body = replyBody();
        dlg.preview = (await post(requestUrl(id, '/letter-preview'), body)).html;
        dlg.previewFor = JSON.stringify(body);
      } catch (err) {
        dlg.preview = '';
        dlg.errors = err.fields || {};
        showError(err);
      } finally {
        busy.value = false;
      }
    }
    const confirm = {
      reply: () => (previewed.value ? act('/reply', replyBody(), '已答复，答复告知书已发送') : previewReply()),
      correction: () => act('/correction', { ...clean(dlg.f.correction), items: dlg.f.correction.items.map((s) => s.trim()).filter(Boolean) }, '补正告知已发出'),
      corrected: () => act('/corrected', clean(dlg.f.corrected), '补正已收到，答复期限自收到补正之日起重新计算'),
      consult: () => act('/consult', clean(dlg.f.consult), '已发出征求意见，计时暂停'),
      answer: () => act(`/consult/${dlg.f.answer.cid}/answer`, clean(dlg.f.answer), '第三方意见已记录'),
      extend: () => act('/extend', clean(dlg.f.extend), '已延期，延期答复告知书已生成'),
      fee: () => act('/fee', dlg.f.fee.basis === 'page' ? clean({ ...dlg.f.fee, items_before: '' }) : clean(dlg.f.fee), '收费通知已发出，计时暂停'),
      paid: () => act('/fee/paid', clean(dlg.f.paid), '已确认缴费，计时恢复'),
      withdraw: () => act('/withdraw', clean(dlg.f.withdraw), '申请已撤回'),
      remedy: () => act('/remedies', clean(dlg.f.remedy.result === 'pending' ? { ...dlg.f.remedy, decided_date: '' } : dlg.f.remedy), '已登记'),
      remedyResult: () => act(`/remedies/${dlg.f.remedyResult.rid}`, clean(dlg.f.remedyResult), '结果已记录', put),
    };

    // What the viewer may do now: the request's `actions` from the server (docs/api.md); the server
    // still decides each step when it is taken (409 with its reason).
    const can2 = computed(() => {
      const x = r.value;
      if (!x) return {};
      const a = new Set(x.actions || []);
      return {
        reply: a.has('reply'), correction: a.has('correction'), corrected: a.has('corrected'), consult: a.has('consult'),
        answer: a.has('consult_answer'), extend: a.has('extend'), fee: a.has('fee'), paid: a.has('fee_paid'),
        withdraw: a.has('withdraw'), remedy: a.has('remedy'), remedyResult: a.has('remedy_result'),
      };
    });
    const anyAction = computed(() => Object.values(can2.value).some(Boolean));
    const onSpot = computed(() => r.value && r.value.received_date === todayIso() && (r.value.events || []).length === 1);
    const letters = computed(() => (r.value ? lettersOf(r.value) : []));
    const fee = computed(() => (r.value && (r.value.fees || []).find((f) => f.state === 'notified')) || null);
    const pendingConsults = computed(() => ((r.value && r.value.consultations) || []).filter((c) => !c.opinion));
    const resultLabel = (code) => RESULT_GROUPS.flatMap((g) => g.items).find((i) => i[0] === code)?.[1] || '';
    const groupOf = (code) => RESULT_GROUPS.find((g) => g.items.some((i) => i[0] === code));

    return {
      id, r, error, busy, dlg, staff, letterKey, open, confirm, previewed, can2, anyAction, onSpot, letters, fee, pendingConsults,
      resultLabel, groupOf, letterUrl, yuanOf, fmtTime, viewport, href, DELIVERY, FEE_BASIS, FEE_STATES, OPINIONS, REMEDY_RESULTS,
      REMEDY_STAGES, RESULT_GROUPS, DIALOG_TITLES, REQUEST_STATES,
    };
  },
  template: `
  <div class="container page case-page">
    <el-result v-if="error" icon="warning" :title="error" />
    <el-skeleton v-else-if="!r" :rows="10" animated class="panel" />
    <template v-else>
      <div class="gk-crumbs">
        <a v-if="staff" href="/admin/disclosure/requests">依申请公开</a><a v-else href="/my/disclosure">我的申请</a> / {{ r.request_no }}
      </div>
      <el-card shadow="never" class="panel">
        <div class="case-head">
          <div>
            <h1 class="page-title" data-test="request-title">政府信息公开申请 {{ r.request_no }}</h1>
            <div class="case-card-meta">
              <span>{{ r.dept }}</span>
              <span>申请人：{{ r.applicant_name }}（{{ r.applicant_type_label }}）</span>
              <span>{{ r.channel_label }}</span>
              <span>获取方式：{{ DELIVERY[r.delivery] || r.delivery }}</span>
            </div>
          </div>
          <div class="case-head-state"><request-state :r="r" /><request-signal v-if="staff" :signal="r.signal" /></div>
        </div>
        <request-clock :r="r" />
        <div class="info-grid gk-req-info">
          <div class="info-label wide">所需信息</div><div class="info-value wide gk-pre" data-test="request-content">{{ r.content }}</div>
          <template v-if="r.purpose"><div class="info-label wide">用途</div><div class="info-value wide">{{ r.purpose }}</div></template>
          <template v-if="staff">
            <div class="info-label">证件号码</div><div class="info-value">{{ r.applicant_no }}</div>
            <div class="info-label">联系电话</div><div class="info-value">{{ r.phone || '—' }}</div>
            <div class="info-label">联系人</div><div class="info-value">{{ r.contact_person || '—' }}</div>
            <div class="info-label">电子邮箱</div><div class="info-value">{{ r.email || '—' }}</div>
            <div class="info-label wide">通信地址</div><div class="info-value wide">{{ r.address || '—' }}</div>
          </template>
        </div>
        <div v-if="letters.length" class="notice-links" data-test="request-letters">
          <span class="muted">告知书：</span>
          <a v-for="l in letters" :key="l[0]" :href="letterUrl(r.id, l[0])" target="_blank" rel="noopener" :data-test="'letter-' + l[0]">
            <el-icon><Printer /></el-icon>{{ l[1] }}</a>
        </div>
      </el-card>

      <el-card v-if="r.correction && (r.state === 'correction' || r.correction.received_date || r.correction.lapsed)" shadow="never" class="panel" data-test="request-correction">
        <template #header><span class="panel-title">补正告知</span></template>
        <el-alert :type="r.state === 'correction' ? 'warning' : 'info'" :closable="false"
          :title="r.state === 'correction' ? '请在 ' + r.correction.due_date + ' 前补正以下内容（一次性告知），逾期未补正的视为放弃申请：' : '补正告知（' + r.correction.notice_date + '）：'">
          <ul class="event-items"><li v-for="(x, i) in r.correction.items" :key="i" data-test="correction-item">{{ x }}</li></ul>
        </el-alert>
        <div v-if="r.correction.received_date" class="muted small" style="margin-top:8px">{{ r.correction.received_date }} 收到补正：{{ r.correction.content || '（已补正）' }}</div>
        <div v-if="r.correction.lapsed" class="text-danger small" style="margin-top:8px">逾期未补正，本申请已终止办理。</div>
      </el-card>

      <el-card v-if="fee" shadow="never" class="panel" data-test="request-fee">
        <template #header><span class="panel-title">信息处理费</span></template>
        <el-alert type="warning" :closable="false" show-icon
          :title="'应缴纳信息处理费 ' + yuanOf(fee.amount_fen) + ' 元（' + (FEE_BASIS[fee.basis] || fee.basis) + '，' + fee.quantity + '），请于 ' + fee.due_date + ' 前缴纳；逾期未缴纳的，行政机关不再处理该申请。'" />
      </el-card>

      <el-card v-if="r.state === 'replied'" shadow="never" class="panel" data-test="request-reply">
        <template #header><span class="panel-title">答复结果</span></template>
        <div class="gk-reply-head">
          <el-tag :type="r.result_group === 'public' ? 'success' : r.result_group === 'partial' ? 'primary' : 'warning'" effect="dark" data-test="request-result">{{ r.result_label }}</el-tag>
          <span class="muted">{{ r.result_group_label }} · {{ r.reply_date }}<template v-if="r.on_spot"> · 当场答复</template></span>
          <a :href="letterUrl(r.id, 'reply')" target="_blank" rel="noopener" data-test="reply-letter-open"><el-icon><Printer /></el-icon>打印答复告知书</a>
        </div>
        <div v-if="r.reply_note" class="pre-text">{{ r.reply_note }}</div>
        <iframe :key="letterKey" class="gk-letter" :src="letterUrl(r.id, 'reply')" title="答复告知书" data-test="reply-letter"></iframe>
      </el-card>

      <el-card v-if="staff && anyAction" shadow="never" class="panel action-panel" data-test="request-actions">
        <template #header><span class="panel-title">办理</span></template>
        <div class="action-buttons">
          <el-button v-if="can2.reply" type="primary" @click="open('reply', { on_spot: onSpot })" data-test="act-reply">{{ onSpot ? '答复（可当场答复）' : '答复' }}</el-button>
          <el-button v-if="can2.correction" type="warning" @click="open('correction')" data-test="act-correction">补正告知</el-button>
          <el-button v-if="can2.corrected" type="primary" @click="open('corrected')" data-test="act-corrected">收到补正</el-button>
          <el-button v-if="can2.consult" @click="open('consult')" data-test="act-consult">征求第三方意见</el-button>
          <el-button v-for="c in (can2.answer ? pendingConsults : [])" :key="c.id" @click="open('answer', { cid: c.id })" :data-test="'act-answer-' + c.id">记录{{ c.third_party }}意见</el-button>
          <el-button v-if="can2.extend" @click="open('extend')" data-test="act-extend">延期答复</el-button>
          <el-button v-if="can2.fee" @click="open('fee')" data-test="act-fee">收费通知</el-button>
          <el-button v-if="can2.paid" type="primary" @click="open('paid')" data-test="act-paid">确认已缴费</el-button>
          <el-button v-if="can2.remedy" @click="open('remedy')" data-test="act-remedy">登记复议诉讼</el-button>
          <el-button v-if="can2.withdraw" type="danger" plain @click="open('withdraw')" data-test="act-withdraw">申请人撤回</el-button>
        </div>
      </el-card>
      <el-card v-else-if="!staff && (can2.corrected || can2.withdraw)" shadow="never" class="panel action-panel" data-test="request-actions">
        <div class="action-buttons">
          <el-button v-if="can2.corrected" type="primary" @click="open('corrected')" data-test="act-corrected">提交补正</el-button>
          <el-button v-if="can2.withdraw" type="danger" plain @click="open('withdraw')" data-test="act-withdraw">撤回申请</el-button>
        </div>
      </el-card>

      <el-card v-if="staff && (r.consultations || []).length" shadow="never" class="panel" data-test="request-consultations">
        <template #header><span class="panel-title">征求第三方意见</span></template>
        <div class="table-scroll"><table class="doc-table">
          <thead><tr><th>第三方</th><th>发出</th><th>答复期限</th><th>意见</th><th>函件</th></tr></thead>
          <tbody><tr v-for="c in r.consultations" :key="c.id">
            <td>{{ c.third_party }}<div class="muted small">{{ c.contact }}</div></td><td>{{ c.sent_date }}</td><td>{{ c.due_date }}</td>
            <td>{{ c.opinion ? OPINIONS[c.opinion] + '（' + c.answered_date + '）' : '待答复' }}<div v-if="c.note" class="muted small">{{ c.note }}</div></td>
            <td><a :href="letterUrl(r.id, 'consult') + '&cid=' + c.id" target="_blank" rel="noopener" :data-test="'letter-consult-' + c.id">征求意见函</a></td>
          </tr></tbody>
        </table></div>
      </el-card>
      <el-card v-if="(r.fees || []).length" shadow="never" class="panel">
        <template #header><span class="panel-title">收费</span></template>
        <div v-for="f in r.fees" :key="f.id" class="small">{{ FEE_BASIS[f.basis] }} {{ f.quantity }}，{{ yuanOf(f.amount_fen) }} 元，通知 {{ f.notice_date }}，缴费期限 {{ f.due_date }}，{{ FEE_STATES[f.state] || f.state }}<template v-if="f.paid_date">（{{ f.paid_date }}）</template></div>
      </el-card>
      <el-card v-if="staff && (r.remedies || []).length" shadow="never" class="panel" data-test="request-remedies">
        <template #header><span class="panel-title">行政复议、行政诉讼</span></template>
        <div v-for="m in r.remedies" :key="m.id" class="gk-remedy">
          <b>{{ m.stage_label }}</b> · {{ m.filed_date }} 立案 · {{ m.result_label }}<template v-if="m.decided_date">（{{ m.decided_date }}）</template>
          <div class="muted small">{{ [m.authority, m.case_ref, m.note].filter(Boolean).join('；') }}</div>
          <el-button v-if="m.result === 'pending' && can2.remedyResult" size="small" link type="primary" @click="open('remedyResult', { rid: m.id })" :data-test="'act-remedy-result-' + m.id">记录结果</el-button>
        </div>
      </el-card>
      <el-card shadow="never" class="panel">
        <template #header><span class="panel-title">办理过程</span></template>
        <request-timeline :events="staff ? r.events : r.events.filter((e) => e.action !== 'signal')" />
      </el-card>

      <el-dialog v-model="dlg.visible" :width="viewport.narrow ? '94%' : '600px'" append-to-body :title="DIALOG_TITLES[dlg.kind]">
        <el-form label-position="top">
          <template v-if="dlg.kind === 'reply'">
            <el-form-item label="办理结果" :error="dlg.errors.result">
              <el-select v-model="dlg.f.reply.result" placeholder="按年度报告表三的分类选择" filterable style="width:100%" data-test="reply-result">
                <el-option-group v-for="g in RESULT_GROUPS" :key="g.key" :label="g.label">
                  <el-option v-for="i in g.items" :key="i[0]" :label="(g.items.length > 1 ? g.label + '：' : '') + i[1]" :value="i[0]" :data-test="'reply-result-' + i[0]" />
                </el-option-group>
              </el-select>
            </el-form-item>
            <el-form-item :label="dlg.f.reply.result === 'other' ? '具体说明（必填）' : '具体说明（写入答复告知书）'" :error="dlg.errors.note">
              <el-input v-model="dlg.f.reply.note" type="textarea" :rows="3" maxlength="2000" data-test="reply-note" />
            </el-form-item>
            <el-form-item v-if="onSpot"><el-checkbox v-model="dlg.f.reply.on_spot" data-test="reply-on-spot">当场答复</el-checkbox></el-form-item>
            <el-form-item v-else label="答复日期" :error="dlg.errors.reply_date"><el-date-picker v-model="dlg.f.reply.reply_date" type="date" value-format="YYYY-MM-DD" placeholder="默认今天" /></el-form-item>
            <div v-if="dlg.f.reply.result && !previewed" class="muted small" data-test="reply-preview-hint">
              将生成《政府信息公开申请答复告知书》：处理结果“{{ groupOf(dlg.f.reply.result).label }}<template v-if="groupOf(dlg.f.reply.result).items.length > 1">（{{ resultLabel(dlg.f.reply.result) }}）</template>”，
              写明所依据的《中华人民共和国政府信息公开条例》条款和申请人的救济途径。请先预览告知书，确认无误后发送。
            </div>
            <div v-if="previewed" data-test="reply-preview">
              <div class="muted small">以下是将发送给申请人的答复告知书，修改上面的内容后需重新预览：</div>
              <iframe class="gk-letter gk-letter-preview" :srcdoc="dlg.preview" sandbox="" title="答复告知书预览" data-test="reply-preview-letter"></iframe>
            </div>
          </template>
          <template v-if="dlg.kind === 'correction'">
            <el-form-item label="需要补正的内容（请一次列全）" :error="dlg.errors.items">
              <div v-for="(x, i) in dlg.f.correction.items" :key="i" class="correction-row">
                <el-input v-model="dlg.f.correction.items[i]" maxlength="500" :placeholder="'第' + (i + 1) + '项，如：请明确所需信息的年份'" :data-test="'correction-text-' + i" />
                <el-button v-if="dlg.f.correction.items.length > 1" link type="danger" @click="dlg.f.correction.items.splice(i, 1)">删除</el-button>
              </div>
              <el-button size="small" @click="dlg.f.correction.items.push('')" :disabled="dlg.f.correction.items.length >= 20" data-test="correction-add">增加一项</el-button>
            </el-form-item>
            <el-form-item label="补正期限（工作日）" :error="dlg.errors.due_workdays"><el-input-number v-model="dlg.f.correction.due_workdays" :min="1" :max="30" data-test="correction-days" /></el-form-item>
            <el-form-item label="告知日期" :error="dlg.errors.notice_date"><el-date-picker v-model="dlg.f.correction.notice_date" type="date" value-format="YYYY-MM-DD" placeholder="默认今天" /></el-form-item>
            <div class="muted small">补正告知应在收到申请之日起7个工作日内一次性发出；答复期限自收到补正之日起重新计算。</div>
          </template>
          <template v-if="dlg.kind === 'corrected'">
            <el-form-item label="补正内容" :error="dlg.errors.content"><el-input v-model="dlg.f.corrected.content" type="textarea" :rows="3" maxlength="2000" data-test="corrected-content" /></el-form-item>
            <el-form-item v-if="staff" label="收到补正日期" :error="dlg.errors.received_date"><el-date-picker v-model="dlg.f.corrected.received_date" type="date" value-format="YYYY-MM-DD" placeholder="默认今天" /></el-form-item>
          </template>
          <template v-if="dlg.kind === 'consult'">
            <el-form-item label="第三方名称" :error="dlg.errors.third_party"><el-input v-model="dlg.f.consult.third_party" maxlength="200" data-test="consult-party" /></el-form-item>
            <el-form-item label="联系方式" :error="dlg.errors.contact"><el-input v-model="dlg.f.consult.contact" maxlength="100" data-test="consult-contact" /></el-form-item>
            <el-form-item label="发出日期" :error="dlg.errors.sent_date"><el-date-picker v-model="dlg.f.consult.sent_date" type="date" value-format="YYYY-MM-DD" placeholder="默认今天" /></el-form-item>
            <div class="muted small">第三方应在15个工作日内提出意见；征求意见期间不计入答复期限。</div>
          </template>
          <template v-if="dlg.kind === 'answer'">
            <el-form-item label="第三方意见" :error="dlg.errors.opinion">
              <el-radio-group v-model="dlg.f.answer.opinion"><el-radio v-for="(l, k) in OPINIONS" :key="k" :value="k" :data-test="'answer-' + k">{{ l }}</el-radio></el-radio-group>
            </el-form-item>
            <el-form-item label="说明" :error="dlg.errors.note"><el-input v-model="dlg.f.answer.note" type="textarea" :rows="2" maxlength="1000" data-test="answer-note" /></el-form-item>
            <el-form-item label="答复日期" :error="dlg.errors.answered_date"><el-date-picker v-model="dlg.f.answer.answered_date" type="date" value-format="YYYY-MM-DD" placeholder="默认今天" /></el-form-item>
          </template>
          <template v-if="dlg.kind === 'extend'">
            <el-form-item label="延长（工作日）" :error="dlg.errors.days"><el-input-number v-model="dlg.f.extend.days" :min="1" :max="20" data-test="extend-days" /></el-form-item>
            <el-form-item label="延期理由" :error="dlg.errors.reason"><el-input v-model="dlg.f.extend.reason" maxlength="500" data-test="extend-reason" /></el-form-item>
            <el-form-item label="批准人" :error="dlg.errors.approver"><el-input v-model="dlg.f.extend.approver" maxlength="50" data-test="extend-approver" /></el-form-item>
            <el-form-item label="告知日期" :error="dlg.errors.notice_date"><el-date-picker v-model="dlg.f.extend.notice_date" type="date" value-format="YYYY-MM-DD" placeholder="默认今天" /></el-form-item>
            <div class="muted small">延期只能一次，最长20个工作日，须经政府信息公开工作机构负责人同意并告知申请人。</div>
          </template>
          <template v-if="dlg.kind === 'fee'">
            <el-form-item label="计收方式" :error="dlg.errors.basis">
              <el-radio-group v-model="dlg.f.fee.basis"><el-radio v-for="(l, k) in FEE_BASIS" :key="k" :value="k" :data-test="'fee-basis-' + k">{{ l }}</el-radio></el-radio-group>
            </el-form-item>
            <el-form-item :label="dlg.f.fee.basis === 'page' ? '页数' : '本次申请件数'" :error="dlg.errors.quantity"><el-input-number v-model="dlg.f.fee.quantity" :min="1" :max="100000" data-test="fee-quantity" /></el-form-item>
            <el-form-item v-if="dlg.f.fee.basis === 'item'" label="该申请人本月此前已提出的申请件数" :error="dlg.errors.items_before"><el-input-number v-model="dlg.f.fee.items_before" :min="0" :max="100000" data-test="fee-before" /></el-form-item>
            <el-form-item label="通知日期" :error="dlg.errors.notice_date"><el-date-picker v-model="dlg.f.fee.notice_date" type="date" value-format="YYYY-MM-DD" placeholder="默认今天" /></el-form-item>
            <div class="muted small">仅对超过合理数量的申请收取信息处理费（国办函〔2020〕109号），按件或按量计收，不得同时适用；金额由系统按标准计算。申请人应在20个工作日内缴纳。</div>
          </template>
          <template v-if="dlg.kind === 'paid'">
            <el-form-item label="缴费日期" :error="dlg.errors.paid_date"><el-date-picker v-model="dlg.f.paid.paid_date" type="date" value-format="YYYY-MM-DD" placeholder="默认今天" /></el-form-item>
          </template>
          <template v-if="dlg.kind === 'withdraw'">
            <el-form-item label="撤回理由" :error="dlg.errors.reason"><el-input v-model="dlg.f.withdraw.reason" maxlength="500" data-test="withdraw-reason" /></el-form-item>
            <div class="muted small">撤回后本申请终止办理，按“其他处理”答复。</div>
          </template>
          <template v-if="dlg.kind === 'remedy'">
            <el-form-item label="类型" :error="dlg.errors.stage">
              <el-radio-group v-model="dlg.f.remedy.stage"><el-radio v-for="(l, k) in REMEDY_STAGES" :key="k" :value="k">{{ l }}</el-radio></el-radio-group>
            </el-form-item>
            <el-form-item label="立案日期" :error="dlg.errors.filed_date"><el-date-picker v-model="dlg.f.remedy.filed_date" type="date" value-format="YYYY-MM-DD" placeholder="默认今天" /></el-form-item>
            <el-form-item label="结果" :error="dlg.errors.result">
              <el-radio-group v-model="dlg.f.remedy.result"><el-radio v-for="(l, k) in REMEDY_RESULTS" :key="k" :value="k">{{ l }}</el-radio></el-radio-group>
            </el-form-item>
            <el-form-item v-if="dlg.f.remedy.result !== 'pending'" label="审结日期" :error="dlg.errors.decided_date"><el-date-picker v-model="dlg.f.remedy.decided_date" type="date" value-format="YYYY-MM-DD" /></el-form-item>
            <el-form-item label="复议机关或法院" :error="dlg.errors.authority"><el-input v-model="dlg.f.remedy.authority" maxlength="100" /></el-form-item>
            <el-form-item label="案号" :error="dlg.errors.case_ref"><el-input v-model="dlg.f.remedy.case_ref" maxlength="100" /></el-form-item>
          </template>
          <template v-if="dlg.kind === 'remedyResult'">
            <el-form-item label="结果" :error="dlg.errors.result">
              <el-radio-group v-model="dlg.f.remedyResult.result"><el-radio v-for="k in ['upheld', 'corrected', 'other']" :key="k" :value="k">{{ REMEDY_RESULTS[k] }}</el-radio></el-radio-group>
            </el-form-item>
            <el-form-item label="审结日期" :error="dlg.errors.decided_date"><el-date-picker v-model="dlg.f.remedyResult.decided_date" type="date" value-format="YYYY-MM-DD" /></el-form-item>
            <el-form-item label="说明" :error="dlg.errors.note"><el-input v-model="dlg.f.remedyResult.note" maxlength="500" /></el-form-item>
          </template>
        </el-form>
        <template #footer>
          <el-button @click="dlg.visible = false" data-test="dialog-cancel">取消</el-button>
          <el-button type="primary" :loading="busy" data-test="dialog-confirm" @click="confirm[dlg.kind]()">{{ dlg.kind !== 'reply' ? '确定' : previewed ? '确认答复并发送告知书' : '预览答复告知书' }}</el-button>
        </template>
      </el-dialog>
    </template>
  </div>`,
};

// The organ's inbox (GET /api/v1/disclosure/requests): the open requests (办理中, 待补正, 征求意见,
// 待缴费) or one state, the overdue ones, or those due within N working days; sorted by due day or by
// receipt, searched, paged; counts per state on top.
const PAGE_SIZE = 50;
const SORTS = { due: '截止日期（最近的在前）', due_desc: '截止日期（最远的在前）', received: '收到日期（最新的在前）', received_asc: '收到日期（最早的在前）' };
// the filters that look at the clock read best soonest-due first
const CLOCK_FILTERS = ['open', 'overdue', 'due', 'processing', 'correction', 'consulting', 'fee'];

export const RequestsInboxPage = {
  name: 'RequestsInboxPage',
  components: { RequestCard },
  setup() {
    const f = reactive({ state: route.query.state || 'open', q: route.query.q || '', year: route.query.year || '',
      within: Number(route.query.within) || 5, sort: route.query.sort || '' });
    const rows = ref([]);
    const total = ref(0);
    const page = ref(1);
    const loading = ref(false);
    const sum = ref(null);
    const dept = computed(() => (can('disclosure.config') ? route.query.dept_id || '' : ''));
    const sort = computed(() => f.sort || (CLOCK_FILTERS.includes(f.state) ? 'due' : 'received'));

    // the organ's figures (GET /api/v1/disclosure/summary): requests by state and signal, documents
    async function countAll() {
      try {
        sum.value = await get('/api/v1/disclosure/summary', { dept_id: dept.value });
      } catch {
        sum.value = null;
      }
    }
    async function load() {
      loading.value = true;
      try {
        const q = { q: f.q.trim(), year: f.year, dept_id: dept.value, page: page.value, page_size: PAGE_SIZE, sort: sort.value };
        if (f.state === 'open') q.open = 1;
        else if (f.state === 'overdue') q.overdue = 1;
        else if (f.state === 'due') q.due_within = f.within;
        else if (f.state !== 'all') q.state = f.state;
        const data = await get('/api/v1/disclosure/requests', q);
        rows.value = data.items || [];
        total.value = data.total || 0;
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }
    function apply() {
      page.value = 1;
      navigate(href('/admin/disclosure/requests', { state: f.state === 'open' ? '' : f.state, q: f.q.trim(), year: f.year,
        within: f.state === 'due' ? f.within : '', sort: f.sort }), { replace: true });
      load();
    }
    onMounted(() => {
      document.title = '依申请公开 · 信息公开工作台';
      load();
      countAll();
    });
    return { f, rows, total, page, loading, sum, sort, apply, load, PAGE_SIZE, SORTS, viewport, years: Array.from({ length: 6 }, (_, i) => thisYear() - i), REQUEST_STATES };
  },
  template: `
  <div class="admin-page">
    <div class="admin-head">
      <h2>依申请公开</h2>
      <el-button type="primary" tag="a" href="/gongkai/apply" data-test="inbox-new">登记申请</el-button>
    </div>
    <div v-if="sum" class="sv-tiles gk-tiles" data-test="inbox-counts">
      <div class="sv-tile"><b>{{ sum.requests.by_state.processing || 0 }}</b><span>办理中</span></div>
      <div class="sv-tile warn"><b>{{ sum.requests.by_state.correction || 0 }}</b><span>待补正</span></div>
      <div class="sv-tile warn"><b>{{ sum.requests.by_state.consulting || 0 }}</b><span>征求意见</span></div>
      <div class="sv-tile warn"><b>{{ sum.requests.by_state.fee || 0 }}</b><span>待缴费</span></div>
      <div class="sv-tile warn"><b>{{ sum.requests.open_by_signal.warning || 0 }}</b><span>预警</span></div>
      <div class="sv-tile yellow"><b>{{ sum.requests.open_by_signal.yellow || 0 }}</b><span>黄牌</span></div>
      <div class="sv-tile red"><b>{{ sum.requests.open_by_signal.red || 0 }}</b><span>红牌</span></div>
      <div class="sv-tile red"><b data-test="inbox-overdue">{{ sum.requests.overdue || 0 }}</b><span>已超期</span></div>
      <div class="sv-tile ok"><b>{{ sum.requests.received_this_year || 0 }}</b><span>{{ sum.year }}年收到</span></div>
      <div class="sv-tile ok"><b>{{ sum.requests.replied_this_year || 0 }}</b><span>{{ sum.year }}年答复</span></div>
      <a class="sv-tile" href="/admin/disclosure/documents?state=review"><b data-test="inbox-doc-review">{{ sum.documents.versions_by_state.review || 0 }}</b><span>文件待保密审查</span></a>
      <a class="sv-tile" href="/admin/disclosure/documents?state=draft"><b>{{ sum.documents.versions_by_state.draft || 0 }}</b><span>文件草稿</span></a>
    </div>
    <div class="panel-head-row inbox-head">
      <el-radio-group v-model="f.state" size="small" @change="apply">
        <el-radio-button value="open" data-test="inbox-open">待办</el-radio-button>
        <el-radio-button v-for="(s, k) in REQUEST_STATES" :key="k" :value="k" :data-test="'inbox-state-' + k">{{ s[0] }}</el-radio-button>
        <el-radio-button value="overdue" data-test="inbox-overdue-filter">超期</el-radio-button>
        <el-radio-button value="due" data-test="inbox-due-filter">即将到期</el-radio-button>
        <el-radio-button value="all" data-test="inbox-all">全部</el-radio-button>
      </el-radio-group>
      <div class="gk-inbox-search">
        <span v-if="f.state === 'due'" class="gk-inbox-within small">
          <el-input-number v-model="f.within" :min="0" :max="60" size="small" controls-position="right" style="width:90px" @change="apply" data-test="inbox-within" />
          个工作日内到期
        </span>
        <el-select :model-value="sort" size="small" style="width:190px" @change="(v) => { f.sort = v; apply(); }" data-test="inbox-sort">
          <el-option v-for="(label, k) in SORTS" :key="k" :label="'按' + label" :value="k" />
        </el-select>
        <el-select v-model="f.year" placeholder="收到年度" clearable size="small" style="width:110px" @change="apply">
          <el-option v-for="y in years" :key="y" :label="y + '年'" :value="String(y)" />
        </el-select>
        <el-input v-model="f.q" size="small" placeholder="编号、申请人、内容" clearable style="width:200px" @keyup.enter="apply" data-test="inbox-q" />
        <el-button size="small" @click="apply"><el-icon><Search /></el-icon></el-button>
      </div>
    </div>
    <div v-loading="loading" class="case-cards">
      <request-card v-for="r in rows" :key="r.id" :r="r" staff />
      <el-empty v-if="!loading && !rows.length" description="暂无申请" />
    </div>
    <div class="muted small" data-test="inbox-total">共 {{ total }} 件</div>
    <el-pagination v-if="total > PAGE_SIZE" class="pager" background layout="total, prev, pager, next" :total="total"
                   :page-size="PAGE_SIZE" v-model:current-page="page" @current-change="load" />
  </div>`,
};
