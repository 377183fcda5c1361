// /cases/{id}: one case for everyone who may see it — status, clock, steps, timeline, files,
// notices — and the actions the server lists for the viewer (`actions`, docs/api.md "Cases"):
// applicant: submit a draft, 撤件, 补正 resubmission with new uploads, 补交容缺材料, rating;
// window: 受理 (容缺 / 告知承诺), 不予受理, 补正 (one notice), delivery after 办结;
// back office: pass / return / 准予 / 不予, 特别程序 suspend and resume, 并联 opinion, 告知承诺 follow-up.
import { get, post } from '../../api.js';
import { session } from '../../store.js';
import { route } from '../../router.js';
import { fmtTime, showError, viewport } from '../../util.js';
import {
  CaseClock, CaseFiles, CaseSteps, CaseTimeline, DELIVERY_METHODS, MaterialUploader, REVIEW_LEVELS, SHARED_SOURCES,
  SignalTag, StateTag, attachAll, caseUrl, fieldLabel, lastEvent, noticesFor,
} from './common.js';
import { CASE_STATE, isDecided } from '../../codes.js';

const { ref, reactive, computed, onMounted } = Vue;

const REFUSE_REASONS = ['申请事项依法不需要取得行政许可', '申请事项不属于本机关职权范围', '申请人不具备申请资格',
  '申请材料存在虚假内容'];
const DEFAULT_REMEDIES = '如对本决定不服，可以自收到本通知之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。';
// 并联 co-department opinion states (case_parallel.state).
const PARALLEL_STATES = { pending: ['待反馈', 'warning'], agreed: ['同意', 'success'], disagreed: ['不同意', 'danger'],
  default_agreed: ['超时默认同意', 'info'] };
const SPECIAL_KINDS = ['听证', '招标', '拍卖', '检验', '检测', '检疫', '鉴定', '专家评审', '现场勘验', '延期'];
const COMMITMENT_TEXT = '本人（单位）承诺所填写信息及提交材料真实有效，已知晓并符合许可条件，愿意承担不实承诺的法律责任，并接受事后核查。';

// The state of each action dialog; open(kind) resets it.
function useDialogs() {
  const dlg = reactive({
    kind: '', visible: false, errors: {},
    accept: { mode: 'normal', missing: [], signed_by: '', text: COMMITMENT_TEXT },
    refuse: { picked: [], other: '', remedies: DEFAULT_REMEDIES },
    correction: { picked: [], reasons: {}, other: '' },
    step: { action: 'pass', note: '', reason: '' },
    suspend: { kind: '', reason: '', days: 10 },
    opinion: { item_code: '', agree: true, opinion: '' },
    followup: { result: '合格', note: '' },
    deliver: { method: 'pickup', ref: '' },
  });
  function open(kind, init = {}) {
    Object.assign(dlg[kind], init);
    dlg.kind = kind;
    dlg.errors = {};
    dlg.visible = true;
  }
  return { dlg, open };
}

export const CaseDetailPage = {
  name: 'CaseDetailPage',
  components: { CaseClock, CaseFiles, CaseSteps, CaseTimeline, MaterialUploader, SignalTag, StateTag },
  setup() {
    const id = route.params.id;
    const c = ref(null);
    const files = ref([]);
    const guide = ref(null);
    const review = ref(null);
    const error = ref('');
    const busy = ref(false);
    const { dlg, open } = useDialogs();
    const resub = reactive({ uploads: {}, note: '' });
    const supply = reactive({ uploads: {} });
    const draft = reactive({ uploads: {} });
    const rating = reactive({ level: 0, comment: '' });

    async function load() {
      // the case and its files together, so the page never shows one without the other
      try {
        const [got, attached] = await Promise.all([get(caseUrl(id)), get(caseUrl(id, '/files')).catch(() => ({ items: [] }))]);
        c.value = got;
        files.value = attached.items || [];
        document.title = got.item_name + ' · 办件详情';
      } catch (err) {
        error.value = err.status === 404 ? '办件不存在或您无权查看' : err.message;
        return;
      }
      if (!guide.value) guide.value = await get('/api/v1/items/' + encodeURIComponent(c.value.item_code)).catch(() => null);
      // a decided or refused case may have its rating (一事一评)
      const s = c.value.state;
      review.value = isDecided(s) || s === CASE_STATE.REFUSED ? await loadReview() : null;
    }
    onMounted(load);
    onMounted(async () => {
      const mine = session.user && session.user.dept_id;
      if (!mine) return;
      const all = await get('/api/v1/departments').catch(() => ({ items: [] }));
      myDept.value = ((all.items || []).find((d) => d.id === mine) || {}).name || '';
    });

    // The case's rating, or null before there is one ({"review": {...}} or the review itself).
    async function loadReview() {
      const r = await get(caseUrl(id, '/review')).catch(() => null);
      const v = r && r.review !== undefined ? r.review : r;
      return v && v.level ? v : null;
    }

    // Runs an action, then reads the case again with its files (not every answer is the case).
    async function act(path, body, done) {
      busy.value = true;
      dlg.errors = {};
      try {
        await post(caseUrl(id, path), body);
        dlg.visible = false;
        ElementPlus.ElMessage.success(done);
        await load();
        return true;
      } catch (err) {
        dlg.errors = err.fields || {};
        showError(err);
        return false;
      } finally {
        busy.value = false;
      }
    }

    const materials = computed(() => (guide.value && guide.value.materials) || []);
    const correction = computed(() => lastEvent(c.value, 'correction'));
    const correctionItems = computed(() => ((correction.value && correction.value.data && correction.value.data.items) || [])
      .map((x) => (typeof x === 'string' ? { material: x, reason: '' } : x)));
    // Materials the applicant re-supplies: those of the notice the guide names, or all of them.
    const resubMaterials = computed(() => {
      const named = materials.value.filter((m) => correctionItems.value.some((x) => x.material === m.name));
      return named.length ? named : materials.value;
    });
    const pending = computed(() => (c.value && c.value.pending_materials) || []);
    // 预审: each material the guide names against what came with the application.
    const checklist = computed(() => materials.value.map((m) => {
      const submitted = (((c.value && c.value.form) || {}).materials || []).includes(m.name);
      const n = files.value.filter((f) => f.material === m.name).length;
      const shared = SHARED_SOURCES.includes(m.source);
      return { name: m.name, required: m.required, source: m.source, shared, submitted, files: n,
        pending: pending.value.includes(m.name), missing: m.required && !shared && !submitted && !n };
    }));
    // 告知承诺制 is offered where the guide allows it (its boolean commitment).
    const commitmentAllowed = computed(() => !!(guide.value && guide.value.commitment));
    // 容缺 only for the materials the guide marks tolerable; i is the guide's index.
    const tolerable = computed(() => materials.value.map((m, i) => ({ ...m, i })).filter((m) => m.tolerable));
    // The case and its 并联 co-items name departments; the viewer's own is looked up once.
    const myDept = ref('');
    const myParallel = computed(() => ((c.value && c.value.parallel) || [])
      .filter((p) => p.state === 'pending' && myDept.value && p.dept === myDept.value));

    // What the viewer may do now: the server's list (`actions`, by the rule its handlers enforce),
    // never re-derived here from roles and states.
    const can = computed(() => {
      const has = new Set((c.value && c.value.actions) || []);
      return {
        submit: has.has('submit'), withdraw: has.has('withdraw'), resubmit: has.has('resubmit'), supply: has.has('supply'),
        accept: has.has('accept'), correction: has.has('correction'), refuse: has.has('refuse'),
        pass: has.has('pass'), back: has.has('return'), approve: has.has('approve'), deny: has.has('deny'),
        suspend: has.has('suspend'), resume: has.has('resume'), opinion: has.has('opinion'), followup: has.has('followup'),
        deliver: has.has('deliver'), rate: has.has('review') && !review.value,
      };
    });
    const anyAction = computed(() => Object.values(can.value).some(Boolean));
    const notices = computed(() => (c.value ? noticesFor(c.value) : []));

    // --- actions ---
    // A draft: files added on this page are attached, then the application goes in.
    async function submit() {
      busy.value = true;
      try {
        await attachAll(id, draft.uploads, post);
        draft.uploads = {};
      } catch (err) {
        busy.value = false;
        return showError(err);
      }
      busy.value = false;
      await act('/submit', {}, '申请已提交');
    }
    async function withdraw() {
      try {
        await ElementPlus.ElMessageBox.confirm('撤件后本申请将终止办理，确定撤件吗？', '撤件', { type: 'warning', confirmButtonText: '确定撤件', cancelButtonText: '取消' });
      } catch {
        return;
      }
      await act('/withdraw', {}, '已撤件');
    }
    async function resubmit() {
      busy.value = true;
      try {
        await attachAll(id, resub.uploads, post);
      } catch (err) {
        busy.value = false;
        return showError(err);
      }
      busy.value = false;
      if (await act('/resubmit', { note: resub.note }, '补正材料已提交')) resub.uploads = {};
    }
    async function supplyMissing() {
      busy.value = true;
      try {
        await attachAll(id, supply.uploads, post);
      } catch (err) {
        busy.value = false;
        return showError(err);
      }
      busy.value = false;
      const names = Object.keys(supply.uploads).filter((k) => supply.uploads[k].length);
      if (await act('/supply', { materials: names }, '容缺材料已补交')) supply.uploads = {};
    }
    function acceptBody() {
      const a = dlg.accept;
      if (a.mode === 'missing') return { missing: a.missing };
      if (a.mode === 'commitment') return { commitment: { signed_by: a.signed_by, text: a.text } };
      return {};
    }
    const accept = () => act('/accept', acceptBody(), '已受理');
    function refuse() {
      const r = dlg.refuse;
      const reasons = [...r.picked, ...(r.other.trim() ? [r.other.trim()] : [])];
      return act('/refuse', { reasons, remedies: r.remedies }, '已作出不予受理决定');
    }
    function correct() {
      const k = dlg.correction;
      const items = k.picked.map((m) => ({ material: m, reason: k.reasons[m] || '未提交或不符合要求' }));
      if (k.other.trim()) items.push({ material: '其他', reason: k.other.trim() });
      return act('/correction', { items }, '补正告知已发出');
    }
    function step() {
      const s = dlg.step;
      const body = { action: s.action, note: s.note };
      if (s.action === 'deny') body.reason = s.reason;
      const done = { pass: '已通过，转下一环节', return: '已退回上一环节', approve: '已准予，办结', deny: '已作出不予决定，办结' };
      return act('/step', body, done[s.action]);
    }
    const suspend = () => act('/suspend', { ...dlg.suspend }, '特别程序已开始，计时暂停');
    const resume = () => act('/resume', {}, '特别程序已结束，计时恢复');
    const opinion = () => act('/opinion', { ...dlg.opinion }, '并联审批意见已提交');
    const followup = () => act('/followup', { ...dlg.followup }, '核查结果已记录');
    const deliver = () => act('/deliver', { ...dlg.deliver }, '已送达');
    async function rate() {
      if (!rating.level) return ElementPlus.ElMessage.warning('请选择评价等级');
      busy.value = true;
      try {
        await post(caseUrl(id, '/review'), { level: rating.level, channel: 'pc', comment: rating.comment });
        review.value = (await loadReview()) || { level: rating.level, comment: rating.comment };
        ElementPlus.ElMessage.success('感谢您的评价');
      } catch (err) {
        showError(err);
      } finally {
        busy.value = false;
      }
    }
    const levelLabel = (n) => (REVIEW_LEVELS.find((l) => l.level === n) || {}).label || '';
    const stepDialog = (action) => open('step', { action, note: '', reason: '' });

    return {
      id, c, files, guide, review, error, busy, dlg, open, resub, supply, draft, rating, materials, correction, correctionItems,
      resubMaterials, pending, checklist, commitmentAllowed, tolerable, myParallel, can, anyAction, notices, viewport, fmtTime, fieldLabel,
      REFUSE_REASONS, SPECIAL_KINDS, PARALLEL_STATES, REVIEW_LEVELS, DELIVERY_METHODS, levelLabel, stepDialog,
      submit, withdraw, resubmit, supplyMissing, accept, refuse, correct, step, suspend, resume, opinion, followup, deliver, rate,
    };
  },
  template: `
  <div class="container page case-page">
    <el-result v-if="error" icon="warning" :title="error" />
    <el-skeleton v-else-if="!c" :rows="10" animated class="panel" />
    <template v-else>
      <el-card shadow="never" class="panel">
        <div class="case-head">
          <div>
            <h1 class="page-title" data-test="case-title">{{ c.item_name }}</h1>
            <div class="case-card-meta">
              <span>办件编号：<b data-test="case-no">{{ c.case_no || '受理后生成' }}</b></span>
              <span>{{ c.dept }}</span>
              <span>申请人：{{ c.applicant_name }}</span>
              <span>{{ c.channel === 'window' ? '窗口收件' : '网上申请' }}<template v-if="c.agent">（帮代办）</template></span>
              <span v-if="c.bundle">一件事：{{ c.bundle.name || c.bundle }}</span>
              <span v-if="c.commitment">告知承诺</span>
            </div>
          </div>
          <div class="case-head-state"><state-tag :state="c.state" :label="c.state_label" /><signal-tag :signal="c.signal" /></div>
        </div>
        <case-clock :c="c" />
        <div v-if="notices.length" class="notice-links">
          <span class="muted">文书：</span>
          <a v-for="n in notices" :key="n[0]" :href="'/cases/' + c.id + '/notice/' + n[0]" target="_blank" :data-test="'notice-' + n[0]">
            <el-icon><Printer /></el-icon>{{ n[1] }}</a>
        </div>
      </el-card>

      <el-card v-if="anyAction" shadow="never" class="panel action-panel" data-test="case-actions">
        <template #header><span class="panel-title">办理</span></template>
        <div v-if="can.resubmit" class="correction-box" data-test="correction-notice">
          <el-alert type="warning" :closable="false" title="补正告知：请一次性补齐以下材料后重新提交">
            <ul class="event-items"><li v-for="(x, i) in correctionItems" :key="i">{{ x.material }}<template v-if="x.reason">：{{ x.reason }}</template></li></ul>
          </el-alert>
          <material-uploader :materials="resubMaterials" v-model="resub.uploads" />
          <el-input v-model="resub.note" type="textarea" :rows="2" maxlength="2000" placeholder="补正说明（可选）" data-test="resubmit-note" />
          <el-button type="primary" :loading="busy" @click="resubmit" data-test="resubmit-confirm">提交补正材料</el-button>
        </div>
        <div v-if="can.submit" class="correction-box" data-test="draft-box">
          <el-alert type="info" :closable="false" title="草稿：可继续上传材料，确认无误后提交申请" />
          <material-uploader :materials="materials" v-model="draft.uploads" />
        </div>
        <div v-if="can.supply" class="correction-box">
          <el-alert type="info" :closable="false" :title="'容缺受理：请在办结前补交 ' + pending.join('、')" />
          <material-uploader :materials="pending.map(n => ({ name: n, required: true }))" v-model="supply.uploads" />
          <el-button type="primary" :loading="busy" @click="supplyMissing" data-test="supply-confirm">补交材料</el-button>
        </div>
        <div v-if="can.rate" class="rating-box" data-test="rating">
          <div class="muted">请对本次办事服务进行评价（一事一评）：</div>
          <el-radio-group v-model="rating.level">
            <el-radio v-for="l in REVIEW_LEVELS" :key="l.level" :value="l.level" :data-test="'review-level-' + l.level">{{ l.label }}</el-radio>
          </el-radio-group>
          <el-input v-model="rating.comment" type="textarea" :rows="2" maxlength="500" placeholder="意见建议（可选）" data-test="review-comment" />
          <el-button type="primary" :loading="busy" @click="rate" data-test="review-submit">提交评价</el-button>
        </div>
        <div class="action-buttons">
          <el-button v-if="can.submit" type="primary" :loading="busy" @click="submit" data-test="case-submit">提交申请</el-button>
          <el-button v-if="can.accept" type="primary" @click="open('accept', { mode: 'normal', missing: [], signed_by: c.applicant_name })" data-test="case-accept">受理</el-button>
          <el-button v-if="can.correction" type="warning" @click="open('correction', { picked: [], reasons: {}, other: '' })" data-test="case-correction">补正告知</el-button>
          <el-button v-if="can.refuse" type="danger" plain @click="open('refuse', { picked: [], other: '' })" data-test="case-refuse">不予受理</el-button>
          <el-button v-if="can.pass" type="primary" @click="stepDialog('pass')" data-test="step-pass">审核通过</el-button>
          <el-button v-if="can.approve" type="success" @click="stepDialog('approve')" data-test="step-approve">准予</el-button>
          <el-button v-if="can.deny" type="danger" plain @click="stepDialog('deny')" data-test="step-deny">不予</el-button>
          <el-button v-if="can.back" @click="stepDialog('return')" data-test="step-return">退回</el-button>
          <el-button v-if="can.suspend" @click="open('suspend', { kind: '', reason: '', days: 10 })" data-test="case-suspend">特别程序</el-button>
          <el-button v-if="can.resume" type="primary" :loading="busy" @click="resume" data-test="case-resume">结束特别程序</el-button>
          <el-button v-if="can.opinion" @click="open('opinion', { item_code: (myParallel[0] || {}).item_code, agree: true, opinion: '' })" data-test="case-opinion">并联审批意见</el-button>
          <el-button v-if="can.followup" @click="open('followup', { result: '合格', note: '' })" data-test="case-followup">告知承诺核查</el-button>
          <el-button v-if="can.deliver" type="primary" @click="open('deliver', { method: 'pickup', ref: '' })" data-test="case-deliver">送达</el-button>
          <el-button v-if="can.withdraw" type="danger" plain :loading="busy" @click="withdraw" data-test="case-withdraw">撤件</el-button>
        </div>
      </el-card>

      <el-row :gutter="16">
        <el-col :xs="24" :md="15">
          <el-card shadow="never" class="panel">
            <template #header><span class="panel-title">办理环节</span></template>
            <case-steps :c="c" />
          </el-card>
          <el-card v-if="(c.parallel || []).length" shadow="never" class="panel" data-test="case-parallel">
            <template #header><span class="panel-title">并联审批</span> <span class="muted small">协办部门逾期未反馈的视为同意（超时默认）</span></template>
            <div class="table-scroll">
              <table class="doc-table">
                <thead><tr><th>协办部门</th><th>事项</th><th>开始</th><th>时限</th><th>到期日</th><th>意见</th></tr></thead>
                <tbody><tr v-for="p in c.parallel" :key="p.item_code" data-test="parallel-row">
                  <td>{{ p.dept }}</td><td>{{ p.item_name || p.item_code }}</td><td>{{ p.started_day || '受理后开始' }}</td>
                  <td class="num">{{ p.budget_days }} 个工作日</td><td>{{ p.due_day || '—' }}</td>
                  <td><el-tag :type="PARALLEL_STATES[p.state] ? PARALLEL_STATES[p.state][1] : 'info'" size="small" data-test="parallel-state">{{ PARALLEL_STATES[p.state] ? PARALLEL_STATES[p.state][0] : p.state }}</el-tag>
                    <span v-if="p.opinion" class="small"> {{ p.opinion }}</span></td>
                </tr></tbody>
              </table>
            </div>
          </el-card>
          <el-card shadow="never" class="panel">
            <template #header><span class="panel-title">申请信息</span></template>
            <div class="info-grid case-info">
              <div class="info-label">证件号码</div><div class="info-value">{{ c.applicant_no || '—' }}</div>
              <template v-if="c.applicant_phone">
                <div class="info-label">联系电话</div><div class="info-value">{{ c.applicant_phone }}</div>
              </template>
              <template v-for="(v, k) in c.form || {}" :key="k">
                <template v-if="k !== 'materials'">
                  <div class="info-label">{{ fieldLabel(k) }}</div><div class="info-value">{{ v }}</div>
                </template>
              </template>
              <template v-if="pending.length">
                <div class="info-label wide">容缺材料</div><div class="info-value wide">{{ pending.join('、') }}</div>
              </template>
              <template v-if="c.delivery && c.delivery.method">
                <div class="info-label wide">送达</div>
                <div class="info-value wide">{{ DELIVERY_METHODS[c.delivery.method] || c.delivery.method }} {{ c.delivery.ref || '' }} {{ fmtTime(c.delivery.at) }}</div>
              </template>
              <template v-if="c.followup_due_day">
                <div class="info-label wide">承诺核查</div>
                <div class="info-value wide">{{ c.followup_due_day }} 前核查{{ c.followup_result ? '，结果：' + c.followup_result : '' }}</div>
              </template>
              <template v-if="review">
                <div class="info-label wide">评价</div>
                <div class="info-value wide" data-test="review-result">{{ levelLabel(review.level) }} {{ review.comment || '' }}</div>
              </template>
            </div>
          </el-card>
          <el-card shadow="never" class="panel">
            <template #header><span class="panel-title">材料核对</span> <span class="muted small">按办事指南逐项核对（预审）</span></template>
            <div class="table-scroll">
              <table class="doc-table" data-test="material-check">
                <thead><tr><th>材料</th><th>必要性</th><th>申请时提交</th><th class="num">电子材料</th></tr></thead>
                <tbody>
                  <tr v-for="m in checklist" :key="m.name" :class="{ 'check-missing': m.missing }">
                    <td>{{ m.name }}</td><td>{{ m.required ? '必要' : '非必要' }}</td>
                    <td>{{ m.shared ? '免提交（' + m.source + '）' : m.submitted ? '已提交' : '未提交' }}<template v-if="m.pending">，容缺待补</template></td>
                    <td class="num">{{ m.files || '—' }}</td>
                  </tr>
                  <tr v-if="!checklist.length"><td colspan="4" class="empty-cell">该事项无需提交材料</td></tr>
                </tbody>
              </table>
            </div>
          </el-card>
          <el-card shadow="never" class="panel">
            <template #header><span class="panel-title">电子材料</span></template>
            <case-files :files="files" />
          </el-card>
        </el-col>
        <el-col :xs="24" :md="9">
          <el-card shadow="never" class="panel">
            <template #header><span class="panel-title">办理进度</span></template>
            <case-timeline :events="c.events" />
          </el-card>
        </el-col>
      </el-row>

      <el-dialog v-model="dlg.visible" :width="viewport.narrow ? '94%' : '560px'" append-to-body
                 :title="{ accept: '受理', refuse: '不予受理', correction: '补正告知（一次性告知）', step: '审批', suspend: '特别程序', opinion: '并联审批意见', followup: '告知承诺核查', deliver: '送达' }[dlg.kind]">
        <el-form label-position="top" v-if="dlg.kind === 'accept'">
          <el-radio-group v-model="dlg.accept.mode" class="mode-group">
            <el-radio value="normal" data-test="accept-mode-normal">材料齐全，予以受理</el-radio>
            <el-radio value="missing" :disabled="!tolerable.length" data-test="accept-mode-missing">容缺受理</el-radio>
            <el-radio v-if="commitmentAllowed" value="commitment" data-test="accept-mode-commitment">告知承诺</el-radio>
          </el-radio-group>
          <el-form-item v-if="dlg.accept.mode === 'missing'" label="容缺的材料（办结前补交）" :error="dlg.errors.missing">
            <el-checkbox-group v-model="dlg.accept.missing">
              <el-checkbox v-for="m in tolerable" :key="m.name" :value="m.name" :data-test="'accept-missing-' + m.i">{{ m.name }}</el-checkbox>
            </el-checkbox-group>
            <div v-if="!tolerable.length" class="muted small">办事指南未标注可容缺的材料，本事项不能容缺受理</div>
          </el-form-item>
          <template v-if="dlg.accept.mode === 'commitment'">
            <el-form-item label="承诺人" :error="dlg.errors['commitment.signed_by']"><el-input v-model="dlg.accept.signed_by" data-test="commitment-signed-by" /></el-form-item>
            <el-form-item label="承诺内容" :error="dlg.errors['commitment.text']"><el-input v-model="dlg.accept.text" type="textarea" :rows="3" data-test="commitment-text" /></el-form-item>
          </template>
        </el-form>
        <el-form label-position="top" v-if="dlg.kind === 'refuse'">
          <el-form-item label="不予受理理由" :error="dlg.errors.reasons">
            <el-checkbox-group v-model="dlg.refuse.picked" class="stack">
              <el-checkbox v-for="(r, i) in REFUSE_REASONS" :key="r" :value="r" :data-test="'refuse-reason-' + i">{{ r }}</el-checkbox>
            </el-checkbox-group>
            <el-input v-model="dlg.refuse.other" placeholder="其他理由" data-test="refuse-other" />
          </el-form-item>
          <el-form-item label="救济途径" :error="dlg.errors.remedies"><el-input v-model="dlg.refuse.remedies" type="textarea" :rows="3" data-test="refuse-remedies" /></el-form-item>
        </el-form>
        <el-form label-position="top" v-if="dlg.kind === 'correction'">
          <el-form-item label="需要补正的材料（请一次列全）" :error="dlg.errors.items">
            <div v-for="(m, i) in materials" :key="m.name" class="correction-row">
              <el-checkbox v-model="dlg.correction.picked" :value="m.name" :data-test="'correction-item-' + i">{{ m.name }}</el-checkbox>
              <el-input v-if="dlg.correction.picked.includes(m.name)" v-model="dlg.correction.reasons[m.name]" size="small"
                        placeholder="补正要求，如：未提交、需加盖公章" :data-test="'correction-reason-' + i" />
            </div>
            <el-input v-model="dlg.correction.other" placeholder="其他需要补正的内容" data-test="correction-other" />
          </el-form-item>
        </el-form>
        <el-form label-position="top" v-if="dlg.kind === 'step'">
          <div class="muted">{{ { pass: '审核通过，转入下一环节', return: '退回上一环节重新审查', approve: '作出准予决定，办结', deny: '作出不予决定，办结' }[dlg.step.action] }}</div>
          <el-form-item v-if="dlg.step.action === 'deny'" label="不予理由（必填）" :error="dlg.errors.reason">
            <el-input v-model="dlg.step.reason" type="textarea" :rows="3" data-test="step-reason" />
          </el-form-item>
          <el-form-item label="审批意见" :error="dlg.errors.note"><el-input v-model="dlg.step.note" type="textarea" :rows="2" data-test="step-note" /></el-form-item>
        </el-form>
        <el-form label-position="top" v-if="dlg.kind === 'suspend'">
          <el-form-item label="特别程序种类" :error="dlg.errors.kind">
            <el-radio-group v-model="dlg.suspend.kind"><el-radio-button v-for="(k, i) in SPECIAL_KINDS" :key="k" :value="k" :data-test="'suspend-kind-' + i">{{ k }}</el-radio-button></el-radio-group>
          </el-form-item>
          <el-form-item label="理由" :error="dlg.errors.reason"><el-input v-model="dlg.suspend.reason" type="textarea" :rows="2" data-test="suspend-reason" /></el-form-item>
          <el-form-item label="最长天数" :error="dlg.errors.days"><el-input-number v-model="dlg.suspend.days" :min="1" :max="365" data-test="suspend-days" /></el-form-item>
        </el-form>
        <el-form label-position="top" v-if="dlg.kind === 'opinion'">
          <el-form-item label="协办事项" :error="dlg.errors.item_code">
            <el-radio-group v-model="dlg.opinion.item_code" class="stack">
              <el-radio v-for="(p, i) in myParallel" :key="p.item_code" :value="p.item_code" :data-test="'opinion-item-' + i">{{ p.item_name }}（{{ p.due_day }} 前）</el-radio>
            </el-radio-group>
          </el-form-item>
          <el-form-item label="意见"><el-radio-group v-model="dlg.opinion.agree"><el-radio :value="true" data-test="opinion-agree">同意</el-radio><el-radio :value="false" data-test="opinion-disagree">不同意</el-radio></el-radio-group></el-form-item>
          <el-form-item label="说明" :error="dlg.errors.opinion"><el-input v-model="dlg.opinion.opinion" type="textarea" :rows="2" data-test="opinion-text" /></el-form-item>
        </el-form>
        <el-form label-position="top" v-if="dlg.kind === 'followup'">
          <el-form-item label="核查结果" :error="dlg.errors.result"><el-radio-group v-model="dlg.followup.result"><el-radio value="合格" data-test="followup-pass">合格</el-radio><el-radio value="不合格" data-test="followup-fail">不合格</el-radio></el-radio-group></el-form-item>
          <el-form-item label="核查情况" :error="dlg.errors.note"><el-input v-model="dlg.followup.note" type="textarea" :rows="2" data-test="followup-note" /></el-form-item>
        </el-form>
        <el-form label-position="top" v-if="dlg.kind === 'deliver'">
          <el-form-item label="送达方式" :error="dlg.errors.method">
            <el-radio-group v-model="dlg.deliver.method"><el-radio v-for="(l, k) in DELIVERY_METHODS" :key="k" :value="k" :data-test="'deliver-' + k">{{ l }}</el-radio></el-radio-group>
          </el-form-item>
          <el-form-item v-if="dlg.deliver.method !== 'pickup'" :label="dlg.deliver.method === 'express' ? '快递单号' : '电子证照编号'" :error="dlg.errors.ref">
            <el-input v-model="dlg.deliver.ref" data-test="deliver-ref" />
          </el-form-item>
        </el-form>
        <template #footer>
          <el-button @click="dlg.visible = false" data-test="dialog-cancel">取消</el-button>
          <el-button type="primary" :loading="busy" data-test="dialog-confirm"
                     @click="({ accept, refuse, correction: correct, step, suspend, opinion, followup, deliver })[dlg.kind]()">确定</el-button>
        </template>
      </el-dialog>
    </template>
  </div>`,
};
