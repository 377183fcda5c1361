// /cases/{id}/notice/{kind}: the printable A4 notices of a case — 受理通知书 (accept),
// 不予受理通知书 (refuse), 补正告知书 (correction, 行政许可法 §32 一次性告知) and the 准予 /
// 不予 decision (decision) — each with the case's QR code pointing at the public verify page.
import { get } from '../../api.js';
import { route } from '../../router.js';
import { fmtTime } from '../../util.js';
import { caseUrl, lastEvent } from './common.js';

const { ref, computed, onMounted } = Vue;

const TITLES = { accept: '受理通知书', refuse: '不予受理通知书', correction: '补正告知书' };

// 2026-11-24 or Unix seconds -> 2026年11月24日
function cnDate(v) {
  if (!v) return '____年__月__日';
  const s = typeof v === 'number' ? fmtTime(v).slice(0, 10) : String(v);
  const [y, m, d] = s.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

export const NoticePage = {
  name: 'NoticePage',
  setup() {
    const id = route.params.id;
    const kind = route.params.kind;
    const c = ref(null);
    const error = ref('');
    const qrOk = ref(true);
    onMounted(async () => {
      try {
        c.value = await get(caseUrl(id));
      } catch (err) {
        error.value = err.status === 404 ? '办件不存在或您无权查看' : err.message;
      }
    });
    const title = computed(() => {
      if (kind === 'decision') return c.value && c.value.state === 13 ? '不予行政许可决定书' : '准予行政许可决定书';
      return TITLES[kind] || '';
    });
    const ev = computed(() => {
      const name = { accept: 'accept', refuse: 'refuse', correction: 'correction' }[kind];
      if (name) return lastEvent(c.value, name);
      // a decision: the step that decided, or (告知承诺, decided on the spot) the last event of a closed case
      const done = c.value && [11, 13].includes(c.value.state);
      return lastEvent(c.value, 'approve') || lastEvent(c.value, 'deny') || (done ? c.value.events.at(-1) : null);
    });
    const list = computed(() => ((ev.value && ev.value.data && (ev.value.data.items || ev.value.data.reasons)) || [])
      .map((x) => (typeof x === 'string' ? { material: x, reason: '' } : x)));
    const docNo = computed(() => (c.value && c.value.case_no ? c.value.case_no : '—'));
    const verifyUrl = computed(() => {
      const v = c.value && c.value.verify_url;
      return v ? (v.startsWith('/') ? location.origin + v : v) : '';
    });
    const qr = computed(() => caseUrl(id, '/qr.svg'));
    const valid = computed(() => !!(c.value && title.value && ev.value));
    return { id, kind, c, error, title, ev, list, docNo, verifyUrl, qr, qrOk, valid, cnDate, print: () => window.print() };
  },
  template: `
  <div class="print-page">
    <div class="print-toolbar no-print">
      <el-button tag="a" :href="'/cases/' + id"><el-icon><Back /></el-icon>&nbsp;返回办件</el-button>
      <span class="print-toolbar-title">{{ title }} · A4</span>
      <el-button type="primary" @click="print" data-test="notice-print"><el-icon><Printer /></el-icon>&nbsp;打印</el-button>
    </div>
    <div class="a4 notice">
      <div v-if="error" class="print-error">{{ error }}</div>
      <div v-else-if="c && !valid" class="print-error">该办件暂无此文书</div>
      <template v-else-if="c">
        <div class="notice-org">{{ c.dept }}</div>
        <h1 class="print-title center" data-test="notice-title">{{ title }}</h1>
        <div class="notice-no">办件编号：{{ docNo }}</div>
        <p class="notice-to">{{ c.applicant_name }}：</p>

        <template v-if="kind === 'accept'">
          <p class="notice-text">你（单位）于{{ cnDate(c.submitted_at || c.created_at) }}提出的<b>{{ c.item_name }}</b>申请，经审查，申请事项属于本机关职权范围，申请材料齐全、符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定，决定予以受理。</p>
          <p class="notice-text">本机关承诺于<b>{{ cnDate(c.promised_day) }}</b>前作出决定（依法需要听证、检验、检测、鉴定、专家评审等特别程序的时间不计入期限）。</p>
          <p v-if="(c.pending_materials || []).length" class="notice-text">本件为容缺受理，请于办结前补交：{{ c.pending_materials.join('、') }}。</p>
          <p v-if="c.commitment" class="notice-text">本件按告知承诺制办理，本机关将于{{ cnDate(c.followup_due_day) }}前对承诺内容进行核查。</p>
        </template>

        <template v-if="kind === 'refuse'">
          <p class="notice-text">你（单位）于{{ cnDate(c.submitted_at || c.created_at) }}提出的<b>{{ c.item_name }}</b>申请，经审查，根据《中华人民共和国行政许可法》第三十二条的规定，决定不予受理。理由如下：</p>
          <ol class="notice-list">
            <li v-if="ev.note">{{ ev.note }}</li>
            <li v-for="(x, i) in list" :key="i">{{ x.material }}</li>
          </ol>
          <p class="notice-text">{{ (ev.data && ev.data.remedies) || '' }}</p>
        </template>

        <template v-if="kind === 'correction'">
          <p class="notice-text">你（单位）于{{ cnDate(c.submitted_at || c.created_at) }}提出的<b>{{ c.item_name }}</b>申请，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，现一次性告知需要补正的全部内容：</p>
          <table class="doc-table">
            <thead><tr><th class="num">序号</th><th>材料</th><th>补正要求</th></tr></thead>
            <tbody><tr v-for="(x, i) in list" :key="i" data-test="notice-item"><td class="num">{{ i + 1 }}</td><td>{{ x.material }}</td><td>{{ x.reason }}</td></tr></tbody>
          </table>
          <p class="notice-text">请补齐上述材料后重新提交。补正告知于{{ cnDate(ev.at) }}作出；补正期间不计入办理期限。</p>
        </template>

        <template v-if="kind === 'decision'">
          <p class="notice-text">你（单位）于{{ cnDate(c.submitted_at || c.created_at) }}提出的<b>{{ c.item_name }}</b>申请，本机关于{{ cnDate(c.accepted_day) }}受理。经审查，</p>
          <p v-if="c.state === 11" class="notice-text">申请符合法定条件、标准，根据《中华人民共和国行政许可法》第三十八条第一款的规定，决定准予行政许可。{{ ev.note }}</p>
          <template v-else>
            <p class="notice-text">根据《中华人民共和国行政许可法》第三十八条第二款的规定，决定不予行政许可。理由如下：{{ ev.note || c.decision_note }}</p>
            <p class="notice-text">如对本决定不服，可以自收到本决定书之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。</p>
          </template>
        </template>

        <div class="notice-foot">
          <div class="print-qr">
            <img v-if="qrOk" :src="qr" alt="办件验证二维码" @error="qrOk = false" data-test="notice-qr" />
            <div>扫码核验办件真伪</div>
            <div v-if="verifyUrl" class="mono small">{{ verifyUrl }}</div>
          </div>
          <div class="notice-seal">
            <p>{{ c.dept }}（印章）</p>
            <p>{{ cnDate(ev.at) }}</p>
          </div>
        </div>
        <p class="muted small">本文书由一网通办政务服务平台生成，可扫描二维码或登录平台“办件核验”页面核对。</p>
      </template>
    </div>
  </div>`,
};
