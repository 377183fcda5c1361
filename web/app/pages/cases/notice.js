// /cases/{id}/notice/{kind}: the printable A4 notices of a case, each a complete legal document —
// addressee, the facts, the legal basis with its article, the decision, for refusals the
// applicant's remedies (行政复议 within 60 days, 行政诉讼 within 6 months), the issuing organ with
// its seal and the date — and the case's QR code pointing at the public verify page:
//   accept      受理通知书        行政许可法 §32 ①(五), §42
//   refuse      不予受理通知书    行政许可法 §32, 行政复议法 §20, 行政诉讼法 §46
//   correction  补正告知书        行政许可法 §32 ①(四) (一次性告知)
//   decision    准予 / 不予行政许可决定书  行政许可法 §38 ①/②, §44; the approver's opinion (审批意见)
//   delivery    送达回证          行政许可法 §44
import { get } from '../../api.js';
import { CASE_STATE, isDecided } from '../../codes.js';
import { route } from '../../router.js';
import { fmtTime } from '../../util.js';
import { DELIVERY_METHODS, caseUrl, fieldLabel, lastEvent } from './common.js';

const { ref, computed, onMounted } = Vue;

const TITLES = { accept: '受理通知书', refuse: '不予受理通知书', correction: '补正告知书', delivery: '送达回证' };

const LAW = '《中华人民共和国行政许可法》';
// The applicant's remedies against a refusal (行政许可法 §38 ②: the refusal must tell them).
export const remediesText = (doc) => `如对本决定不服，可以自收到本${doc}之日起六十日内依照《中华人民共和国行政复议法》第二十条的规定依法申请行政复议，`
  + `或者自收到本${doc}之日起六个月内依照《中华人民共和国行政诉讼法》第四十六条的规定依法向人民法院提起行政诉讼。`;
// The server's default remedies of a 不予受理 (cases_store.c): the notice states them in full instead.
const SERVER_DEFAULT = /^如对本决定不服[,，]可以自收到本通知之日起六十日内依法申请行政复议[,，]或者六个月内依法提起行政诉讼。?$/u;

// 2026-11-24 or Unix seconds -> 2026年11月24日
export function cnDate(v) {
  if (!v) return '____年__月__日';
  const s = typeof v === 'number' ? fmtTime(v).slice(0, 10) : String(v);
  const [y, m, d] = s.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

// A free text (an opinion, a reason) as the end of a sentence: trimmed, closed with 。
export function sentence(t) {
  const s = String(t || '').trim().replace(/[，,；;：:、\s]+$/u, '');
  if (!s) return '';
  return /[。！？.!?]$/u.test(s) ? s.replace(/[.!?]$/u, '。') : s + '。';
}

// The decision event: a back-office 准予 / 不予, or 告知承诺 decided on the spot.
function decisionEvent(c) {
  if (!c || !isDecided(c.state)) return null;
  return lastEvent(c, 'approve') || lastEvent(c, 'deny') || lastEvent(c, 'commitment') || c.events.at(-1) || null;
}

// What the approver wrote with the decision (审批意见): the event's opinion, else its note; a
// refusal's note is its reason, so there only an explicit opinion counts.
export function opinionOf(ev, denied) {
  if (!ev) return '';
  const d = ev.data || {};
  return (d.opinion || (denied ? '' : ev.note) || '').trim();
}

export const NoticePage = {
  name: 'NoticePage',
  setup() {
    const id = route.params.id;
    const kind = route.params.kind;
    const c = ref(null);
    const guide = ref(null);
    const error = ref('');
    const qrOk = ref(true);
    onMounted(async () => {
      try {
        c.value = await get(caseUrl(id));
        document.title = title.value || '文书';
      } catch (err) {
        error.value = err.status === 404 ? '办件不存在或您无权查看' : err.message;
        return;
      }
      // The guide names the permit the decision grants and the 送达回证 delivers; the notice reads well without it.
      if (['decision', 'delivery'].includes(kind) && c.value.item_code) {
        guide.value = await get('/api/v1/items/' + encodeURIComponent(c.value.item_code)).catch(() => null);
      }
    });
    const denied = computed(() => !!(c.value && c.value.state === CASE_STATE.DONE_DENIED));
    const title = computed(() => {
      if (kind === 'decision') return denied.value ? '不予行政许可决定书' : '准予行政许可决定书';
      return TITLES[kind] || '';
    });
    const ev = computed(() => {
      if (!c.value) return null;
      if (kind === 'decision') return decisionEvent(c.value);
      if (kind === 'delivery') return c.value.delivery && c.value.delivery.method ? lastEvent(c.value, 'deliver') || { at: c.value.delivery.at } : null;
      if (kind === 'refuse' && c.value.state !== CASE_STATE.REFUSED) return null;
      return TITLES[kind] ? lastEvent(c.value, kind) : null;
    });
    const list = computed(() => ((ev.value && ev.value.data && (ev.value.data.items || ev.value.data.reasons)) || [])
      .map((x) => (typeof x === 'string' ? { material: x, reason: '' } : { material: x.material || (x.field ? fieldLabel(x.field) : ''), reason: x.reason || '' })));
    // 不予受理: the reasons, numbered, as part of one sentence.
    const reasons = computed(() => {
      const r = list.value.map((x) => [x.material, x.reason].filter(Boolean).join('：'));
      if (ev.value && ev.value.note && !r.includes(ev.value.note)) r.push(ev.value.note);
      const cn = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
      const clean = r.map((x) => x.trim().replace(/[。；;，,\s]+$/u, '')).filter(Boolean);
      return clean.length > 1 ? clean.map((x, i) => `（${cn[i] || i + 1}）${x}`).join('；') : clean[0] || '';
    });
    const remedies = computed(() => {
      // a clerk's own wording (naming the 复议 organ, say) is printed; without both remedies it is completed
      const std = remediesText(kind === 'refuse' ? '通知书' : '决定书');
      const own = ((ev.value && ev.value.data && ev.value.data.remedies) || '').trim();
      if (!own || SERVER_DEFAULT.test(own)) return std;
      return /复议/.test(own) && /诉讼/.test(own) ? sentence(own) : sentence(own) + std;
    });
    const opinion = computed(() => sentence(opinionOf(ev.value, denied.value)));
    const denyReason = computed(() => (denied.value ? sentence((ev.value && ev.value.note) || c.value.decision_note || '') : ''));
    const permit = computed(() => {
      const r = guide.value && guide.value.result;
      return r && r.name ? `《${r.name.replace(/^《|》$/g, '')}》` : '行政许可证件';
    });
    const docNo = computed(() => (c.value && c.value.case_no ? c.value.case_no : '—'));
    const verifyUrl = computed(() => {
      const v = c.value && c.value.verify_url;
      return v ? (v.startsWith('/') ? location.origin + v : v) : '';
    });
    const qr = computed(() => caseUrl(id, '/qr.svg'));
    const valid = computed(() => !!(c.value && title.value && ev.value));
    const applied = computed(() => cnDate(c.value && (c.value.submitted_at || c.value.created_at)));
    // The day the notice was issued: the decision day for decisions, else the event's day.
    const issued = computed(() => cnDate(kind === 'decision' && c.value && c.value.decided_day ? c.value.decided_day : ev.value && ev.value.at));
    const delivery = computed(() => (c.value && c.value.delivery) || {});
    const deliveredDoc = computed(() => (c.value && c.value.state === CASE_STATE.DONE_DENIED ? '不予行政许可决定书' : `准予行政许可决定书及${permit.value}`));
    return {
      id, kind, c, error, title, ev, list, reasons, remedies, opinion, denyReason, permit, docNo, verifyUrl, qr, qrOk, valid,
      applied, issued, delivery, deliveredDoc, DELIVERY_METHODS, CASE_STATE, LAW, cnDate, sentence, fmtTime, print: () => window.print(),
    };
  },
  template: `
  <div class="print-page">
    <div class="print-toolbar no-print">
      <el-button tag="a" :href="'/cases/' + id"><el-icon><Back /></el-icon>&nbsp;返回办件</el-button>
      <span class="print-toolbar-title">{{ title }} · A4</span>
      <el-button type="primary" @click="print" data-test="notice-print"><el-icon><Printer /></el-icon>&nbsp;打印</el-button>
    </div>
    <div class="a4 notice" data-test="notice">
      <div v-if="error" class="print-error">{{ error }}</div>
      <div v-else-if="c && !valid" class="print-error" data-test="notice-none">该办件暂无此文书</div>
      <template v-else-if="c">
        <div class="notice-org">{{ c.dept }}</div>
        <h1 class="print-title center" data-test="notice-title">{{ title }}</h1>
        <div class="notice-no">办件编号：{{ docNo }}</div>
        <p v-if="kind !== 'delivery'" class="notice-to" data-test="notice-to">{{ c.applicant_name }}：</p>

        <template v-if="kind === 'accept'">
          <p class="notice-text">你（单位）于{{ applied }}提出的<b>{{ c.item_name }}</b>申请，经审查，申请事项属于本机关职权范围，申请材料齐全、符合法定形式。根据{{ LAW }}第三十二条第一款第（五）项的规定，本机关决定予以受理。</p>
          <p class="notice-text">依照{{ LAW }}第四十二条的规定，本机关承诺于{{ cnDate(c.promised_day) }}前作出行政许可决定；依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在上述期限内。</p>
          <p v-if="(c.pending_materials || []).length" class="notice-text">本件为容缺受理，请于作出决定前补交下列材料：{{ c.pending_materials.join('、') }}。</p>
          <p v-if="c.commitment" class="notice-text">本件按告知承诺制办理，本机关将于{{ cnDate(c.followup_due_day) }}前对承诺内容进行核查。</p>
          <p class="notice-text">你（单位）可以凭办件编号或扫描下方二维码查询办理进度。</p>
        </template>

        <template v-if="kind === 'refuse'">
          <p class="notice-text">你（单位）于{{ applied }}提出的<b>{{ c.item_name }}</b>申请，经审查，存在下列情形：{{ reasons }}。根据{{ LAW }}第三十二条的规定，本机关决定不予受理。</p>
          <p class="notice-text" data-test="notice-remedies">{{ remedies }}</p>
        </template>

        <template v-if="kind === 'correction'">
          <p class="notice-text">你（单位）于{{ applied }}提出的<b>{{ c.item_name }}</b>申请，经审查，申请材料不齐全或者不符合法定形式。根据{{ LAW }}第三十二条第一款第（四）项的规定，现将需要补正的全部内容一次性告知如下表。</p>
          <table class="doc-table">
            <thead><tr><th class="num">序号</th><th>材料</th><th>补正要求</th></tr></thead>
            <tbody><tr v-for="(x, i) in list" :key="i" data-test="notice-item"><td class="num">{{ i + 1 }}</td><td>{{ x.material }}</td><td>{{ x.reason || '请提交' }}</td></tr></tbody>
          </table>
          <p v-if="ev.note" class="notice-text">{{ sentence(ev.note) }}</p>
          <p class="notice-text">请你（单位）按上述要求补正后重新提交；补正的材料齐全、符合法定形式的，本机关将依法受理。补正所需时间不计入办理期限。</p>
        </template>

        <template v-if="kind === 'decision'">
          <p class="notice-text">你（单位）于{{ applied }}提出的<b>{{ c.item_name }}</b>申请，本机关于{{ cnDate(c.accepted_day || c.decided_day) }}依法受理。<template v-if="c.state === CASE_STATE.DONE_APPROVED && c.commitment">你（单位）已书面承诺符合法定条件、标准，本机关依照告知承诺制的规定当场作出决定。根据{{ LAW }}第三十八条第一款的规定，本机关决定准予行政许可。</template><template v-else-if="c.state === CASE_STATE.DONE_APPROVED">经审查，你（单位）的申请符合法定条件、标准。根据{{ LAW }}第三十八条第一款的规定，本机关决定准予行政许可。</template><template v-else>经审查，你（单位）的申请不符合法定条件、标准。根据{{ LAW }}第三十八条第二款的规定，本机关决定不予行政许可。</template></p>
          <p v-if="c.state === CASE_STATE.DONE_DENIED && denyReason" class="notice-text" data-test="notice-reason">不予行政许可的理由：{{ denyReason }}</p>
          <p v-if="opinion && opinion !== denyReason" class="notice-text" data-test="notice-opinion">审批意见：{{ opinion }}</p>
          <template v-if="c.state === CASE_STATE.DONE_APPROVED">
            <p class="notice-text">依照{{ LAW }}第四十四条的规定，本机关将自作出本决定之日起十日内向你（单位）颁发、送达{{ permit }}。</p>
            <p v-if="c.commitment" class="notice-text">本机关将于{{ cnDate(c.followup_due_day) }}前对你（单位）的承诺内容进行核查；经核查发现实际情况与承诺内容不符的，本机关将依法处理。</p>
          </template>
          <p v-else class="notice-text" data-test="notice-remedies">{{ remedies }}</p>
        </template>

        <template v-if="kind === 'delivery'">
          <p class="notice-text">根据{{ LAW }}第四十四条的规定，本机关将{{ c.item_name }}一案的{{ deliveredDoc }}送达受送达人。</p>
          <table class="doc-table form-table" data-test="delivery-table">
            <tbody>
              <tr><th>送达文书</th><td>{{ deliveredDoc }}</td></tr>
              <tr><th>受送达人</th><td>{{ c.applicant_name }}</td></tr>
              <tr><th>送达方式</th><td>{{ DELIVERY_METHODS[delivery.method] || delivery.method }}<template v-if="delivery.ref">（{{ delivery.method === 'express' ? '快递单号' : '证照编号' }}：{{ delivery.ref }}）</template></td></tr>
              <tr><th>送达机关</th><td>{{ c.dept }}</td></tr>
              <tr><th>送达时间</th><td>{{ fmtTime(delivery.at) }}</td></tr>
              <tr><th>送达人（签名）</th><td class="sign-cell">　</td></tr>
              <tr><th>受送达人签收</th><td class="sign-cell">　</td></tr>
            </tbody>
          </table>
          <p class="notice-text">受送达人应当在本送达回证上签名或者盖章，并注明收到日期。</p>
        </template>

        <div class="notice-foot">
          <div class="print-qr">
            <img v-if="qrOk" :src="qr" alt="办件验证二维码" @error="qrOk = false" data-test="notice-qr" />
            <div>扫码核验办件真伪</div>
            <div v-if="verifyUrl" class="mono small verify-link">{{ verifyUrl }}</div>
          </div>
          <div class="notice-seal" data-test="notice-seal">
            <div class="notice-seal-org" data-test="notice-seal-org">{{ c.dept }}（印章）</div>
            <div class="notice-seal-date" data-test="notice-date">{{ issued }}</div>
          </div>
        </div>
        <p class="muted small">本文书由一网通办政务服务平台生成，可扫描二维码或登录平台“办件核验”页面核对。</p>
      </template>
    </div>
  </div>`,
};
