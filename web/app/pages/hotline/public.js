// 12345 for citizens, anonymous (docs/api.md "Hotline", the two public routes): /12345 is the
// 网上留言 / 市长信箱 form (POST /api/v1/hotline/public/orders), which answers with the order's
// number and its query code (查询码, shown once); /12345/query follows a message by number and code
// (GET /api/v1/hotline/public/orders/{number}) to its status and, once closed, the published
// reply. Both are laid out for a 375 px phone and WeChat's in-app browser. A citizen adds up to 5
// photos (JPG or PNG, 5 MiB each) to the message once it is accepted, and on the follow page until it
// is answered (POST .../attachments?name=, the raw image as the body); the follow page shows them and
// the published reply's attachments. The code always travels in the X-Query-Code header, never in
// an address.
import { get, ApiError } from '../../api.js';
import { session } from '../../store.js';
import { route, navigate } from '../../router.js';
import { fmtTime, viewport } from '../../util.js';
import { CATEGORIES } from './common.js';
import { fmtSize } from '../cases/common.js';

const { ref, reactive, computed, watch, onMounted, onBeforeUnmount } = Vue;

// What the server takes from the public form (hotline_store.c read_order, public_form): the limits
// are mirrored here so that a citizen learns of a mistake before sending.
export const LIMITS = { title: [2, 100], text: [10, 2000], caller_name: [1, 50], caller_phone: [1, 30], address: [0, 200] };
const FIELD_LABELS = {
  channel: '留言方式', category: '诉求类别', title: '标题', text: '诉求内容', caller_name: '姓名', caller_phone: '联系电话',
  address: '详细地址', district: '所在区县', confidential: '保密',
};
const PUBLIC_CHANNELS = { web: '网上留言', mayor_mailbox: '市长信箱' };

const chars = (s) => [...(s || '')].length;
// A number or code as typed, read as ASCII: a Chinese input method's full-width letters and digits
// (ＲＸ２０２６…) as their ASCII forms, and spaces anywhere (a code copied in groups) left out.
const typedAscii = (s) => String(s || '').replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
  .replace(/[\s\u3000]/g, '');

// The server's phone rule (hotline.c hotline_phone_normalize): an optional +86, then digits with
// spaces or dashes, 5 to 20 digits; full-width digits, ＋, － and the ideographic space count as ASCII.
export function phoneOk(s) {
  const p = String(s || '').replace(/[\uff10-\uff19\uff0b\uff0d]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ').trim().replace(/^\+86/, '');
  if (!/^[\d -]*$/.test(p)) return false;
  const digits = p.replace(/\D/g, '').length;
  return digits >= 5 && digits <= 20;
}

// Field → Chinese reason, or {} when the form may be sent.
export function checkForm(f) {
  const e = {};
  const len = (k, what) => {
    const n = chars(f[k].trim());
    const [min, max] = LIMITS[k];
    if (min > 0 && n === 0) e[k] = `请填写${what}`;
    else if (n < min) e[k] = `${what}不少于${min}个字`;
    else if (n > max) e[k] = `${what}不超过${max}个字`;
  };
  if (!f.category) e.category = '请选择诉求类别';
  len('title', '标题');
  len('text', '诉求内容');
  len('caller_name', '姓名');
  if (!f.caller_phone.trim()) e.caller_phone = '请填写联系电话';
  else if (!phoneOk(f.caller_phone)) e.caller_phone = '电话号码格式不正确（手机或固定电话，只含数字、空格和短横线）';
  len('address', '详细地址');
  return e;
}

// A wait in seconds as Chinese words: 45 秒, 3 分钟, 1 小时 10 分钟.
export function waitText(s) {
  s = Math.max(1, Math.ceil(Number(s) || 60));
  if (s < 60) return `${s} 秒`;
  const m = Math.ceil(s / 60);
  return m < 60 ? `${m} 分钟` : `${Math.floor(m / 60)} 小时${m % 60 ? ` ${m % 60} 分钟` : ''}`;
}

// The public POST with fetch of its own: a 429's Retry-After header must be read, which api.js
// does not keep. A signed-in visitor's browser sends the session cookie, so the CSRF token is sent
// as the server asks of every write with a session (taken from /auth/me, which answers it).
async function postPublic(path, body) {
  const headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
  if (session.user) {
    const me = await get('/api/v1/auth/me').catch(() => null);
    if (me && me.csrf_token) headers['X-CSRF-Token'] = me.csrf_token;
  }
  let res;
  try {
    res = await fetch(path, { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试');
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    const e = new ApiError(res.status, err.code || 'http_' + res.status, err.message || '提交失败（' + res.status + '）', err.details);
    e.retryAfter = Number(res.headers.get('Retry-After')) || 0;
    throw e;
  }
  return data;
}

// The follow-up GET with the query code in the X-Query-Code header rather than ?code=: a reverse
// proxy's access log keeps query strings, and the code is the citizen's only key.
async function getPublic(path, code) {
  let res;
  try {
    res = await fetch(path, { headers: { Accept: 'application/json', 'X-Query-Code': code }, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试');
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const err = (data && data.error) || {};
    throw new ApiError(res.status, err.code || 'http_' + res.status, err.message || '查询失败（' + res.status + '）', err.details);
  }
  return data;
}

// Photos of a public message (docs/api.md "Hotline", the public attachment routes).
export const PHOTO_MAX = 5;
export const PHOTO_BYTES = 5 * 1024 * 1024;
// The browser's first check, by the file's type and size (the server types the photo by its content
// and refuses anything else with 415; its reason is shown as it comes).
export function photoProblem(file) {
  const okType = ['image/jpeg', 'image/png'].includes(file.type) || /\.(jpe?g|png)$/i.test(file.name || '');
  if (!okType) return '只能上传 JPG 或 PNG 格式的图片';
  if (file.size > PHOTO_BYTES) return '图片不能超过 5 MB，请压缩后再上传';
  if (!file.size) return '图片内容为空';
  return '';
}
// The server takes names of 1-100 characters; a phone's camera names are long and may be missing.
const photoName = (file) => {
  const n = [...String(file.name || '').trim()];
  return n.length ? (n.length > 100 ? n.slice(n.length - 100).join('') : n.join('')) : '图片.jpg';
};
// The message's photos and the reply's files as blob: addresses. An <img> or a link cannot send
// the X-Query-Code header, and ?code= would put the code in a proxy's access log, so each file is
// fetched once with the header and shown from memory; '' until it has come. Released with the page.
function usePublicFiles() {
  const urls = reactive({});
  const asked = new Set();
  onBeforeUnmount(() => Object.values(urls).forEach((u) => URL.revokeObjectURL(u)));
  return (number, code, aid) => {
    const key = `${number}/${aid}`;
    if (!asked.has(key)) {
      asked.add(key);
      fetch(`/api/v1/hotline/public/orders/${encodeURIComponent(number)}/attachments/${aid}`,
        { headers: { 'X-Query-Code': code }, credentials: 'same-origin' })
        .then((res) => (res.ok ? res.blob() : null))
        .then((b) => { if (b) urls[key] = URL.createObjectURL(b); })
        .catch(() => asked.delete(key)); // the network: asked again at the next render
    }
    return urls[key] || '';
  };
}

async function postPhoto(number, code, file) {
  const headers = { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream', 'X-Query-Code': code };
  if (session.user) {
    const me = await get('/api/v1/auth/me').catch(() => null);
    if (me && me.csrf_token) headers['X-CSRF-Token'] = me.csrf_token;
  }
  const q = new URLSearchParams({ name: photoName(file) }).toString();
  let res;
  try {
    res = await fetch(`/api/v1/hotline/public/orders/${encodeURIComponent(number)}/attachments?${q}`,
      { method: 'POST', headers, credentials: 'same-origin', body: file });
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试');
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const err = (data && data.error) || {};
    const fallback = { 404: '编号或查询码不正确', 413: '图片不能超过 5 MB', 415: '只接受 JPG 或 PNG 图片', 429: '上传过于频繁，请稍后再试' };
    throw new ApiError(res.status, err.code || 'http_' + res.status, err.message || fallback[res.status] || '上传失败（' + res.status + '）', err.details);
  }
  return data;
}

// Adds photos to a message: the pick, the browser's check, the upload one by one, the thumbnails.
// `photos` are the message's photos so far ({id, name, size, mime}); `uploaded` gives each new one.
const PhotoUploader = {
  name: 'HotlinePhotoUploader',
  props: { number: { type: String, required: true }, code: { type: String, required: true }, photos: { type: Array, default: () => [] } },
  emits: ['uploaded'],
  setup(props, { emit }) {
    const busy = ref(false);
    const problems = ref([]);
    const left = computed(() => Math.max(0, PHOTO_MAX - props.photos.length));
    async function pick(ev) {
      const list = [...(ev.target.files || [])];
      ev.target.value = '';
      problems.value = [];
      if (list.length > left.value) problems.value.push(`最多还能上传 ${left.value} 张图片，多出的未上传`);
      busy.value = true;
      try {
        for (const f of list.slice(0, left.value)) {
          const why = photoProblem(f);
          if (why) {
            problems.value.push(`${f.name}：${why}`);
            continue;
          }
          try {
            emit('uploaded', await postPhoto(props.number, props.code, f));
          } catch (err) {
            problems.value.push(`${f.name}：${err.message}`);
            if (err.status === 409 || err.status === 429) break;
          }
        }
      } finally {
        busy.value = false;
      }
    }
    const fileUrl = usePublicFiles();
    const url = (p) => fileUrl(props.number, props.code, p.id);
    return { busy, problems, left, pick, url, PHOTO_MAX };
  },
  template: `
  <div class="hl-photos" data-test="hl-photos">
    <div class="hl-photo-list" style="display:flex; flex-wrap:wrap; gap:8px; margin:6px 0">
      <template v-for="(p, i) in photos" :key="p.id">
        <el-image v-if="url(p)" :src="url(p)" fit="cover" class="hl-photo" style="width:88px; height:88px; border-radius:4px; border:1px solid #dcdfe6" :alt="p.name"
                  :preview-src-list="photos.map(url)" :initial-index="i" preview-teleported data-test="hl-photo" />
      </template>
    </div>
    <label v-if="left > 0" class="el-button upload-button" :class="{ 'is-disabled': busy }">
      <input type="file" accept="image/jpeg,image/png" multiple :disabled="busy" @change="pick" data-test="hl-photo-input" />
      <span>{{ busy ? '上传中…' : '添加图片' }}</span></label>
    <p class="hl-muted">可上传现场照片 {{ PHOTO_MAX }} 张以内，JPG 或 PNG 格式，每张不超过 5 MB；已上传 {{ photos.length }} 张。</p>
    <el-alert v-for="(m, i) in problems" :key="i" type="error" :closable="false" show-icon :title="m" class="hl-keep" data-test="hl-photo-error" />
  </div>`,
};

// Copies text to the clipboard (the Clipboard API needs a secure context; an http page in a WeChat
// browser has none, so a selected textarea and execCommand are the fallback).
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back */
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  document.body.removeChild(ta);
  return ok;
}

// The follow page's address for a message. The query code goes in the fragment (#), never in the
// query string: a fragment never leaves the browser (no access log of the server or of a proxy in
// front of it, no Referer header), while the link still opens the page filled in. The router keeps a
// fragment given to navigate() and the page reads location.hash; the page then sends the code to
// the API in a header (getPublic), not in the API's ?code=, for the same reason.
export function followUrl(number, code) {
  return '/12345/query#' + new URLSearchParams({ number, code }).toString();
}

export const HotlineFormPage = {
  name: 'HotlineFormPage',
  components: { PhotoUploader },
  setup() {
    const districts = ref([]);
    const blank = () => ({
      channel: 'web', category: '', title: '', text: '', caller_name: '', caller_phone: '', district: '', address: '',
      confidential: false,
    });
    const form = reactive(blank());
    // What the citizen typed survives a reload or a switch away in WeChat (this tab only: the
    // session store, not the local one, since a shared phone should not keep a stranger's message).
    const DRAFT = 'yw-12345-draft';
    try {
      const saved = JSON.parse(sessionStorage.getItem(DRAFT) || 'null');
      if (saved && typeof saved === 'object') for (const k of Object.keys(form)) if (k in saved) form[k] = saved[k];
    } catch {
      /* no draft */
    }
    watch(form, () => {
      try {
        sessionStorage.setItem(DRAFT, JSON.stringify(form));
      } catch {
        /* storage full or disabled: nothing kept */
      }
    });
    const errors = ref({});
    const saving = ref(false);
    const throttled = ref('');
    const done = ref(null);

    onMounted(async () => {
      document.title = '12345网上留言 · 一网通办';
      const r = await get('/api/v1/regions').catch(() => ({ items: [] }));
      const items = r.items || [];
      // the city's districts and counties (the level below the city)
      const city = items.find((x) => x.level === 1);
      districts.value = items.filter((x) => x.level === 2 && (!city || x.parent === city.code));
      // a signed-in applicant need not type their name and phone again (anonymous visitors are the rule)
      if (session.user && session.user.kind !== 'staff') {
        const p = ((await get('/api/v1/me/profile').catch(() => null)) || {}).profile || {};
        if (!form.caller_name) form.caller_name = p.name || session.user.name || '';
        if (!form.caller_phone) form.caller_phone = p.phone || p.company_phone || '';
      }
    });

    // A field checked again as soon as the citizen leaves it or corrects it.
    function recheck(k) {
      if (!errors.value[k]) return;
      const e = checkForm(form);
      const next = { ...errors.value };
      if (e[k]) next[k] = e[k];
      else delete next[k];
      errors.value = next;
    }

    async function submit() {
      throttled.value = '';
      const e = checkForm(form);
      errors.value = e;
      if (Object.keys(e).length) {
        ElementPlus.ElMessage.error('请按提示修改后再提交');
        return;
      }
      saving.value = true;
      const body = {
        channel: form.channel, category: form.category, title: form.title.trim(), text: form.text.trim(),
        caller_name: form.caller_name.trim(), caller_phone: form.caller_phone.trim(), address: form.address.trim(),
        confidential: form.confidential,
      };
      if (form.district) body.district = form.district;
      try {
        const r = await postPublic('/api/v1/hotline/public/orders', body);
        done.value = { ...r, channel: form.channel, photos: [] };
        sessionStorage.removeItem(DRAFT);
        window.scrollTo(0, 0);
      } catch (err) {
        if (err.status === 422) {
          errors.value = err.fields;
          const list = Object.entries(err.fields).map(([k, v]) => (FIELD_LABELS[k] || k) + '：' + v);
          ElementPlus.ElMessage.error('请按提示修改：' + list.join('；'));
        } else if (err.status === 429) {
          throttled.value = `提交过于频繁，为防止恶意提交，请在 ${waitText(err.retryAfter)}后再试。您填写的内容已保留。`;
        } else {
          ElementPlus.ElMessage.error(err.message || '提交失败，请稍后再试');
        }
      } finally {
        saving.value = false;
      }
    }

    async function copy(what) {
      const d = done.value;
      const text = what === 'all' ? `12345留言编号：${d.number}　查询码：${d.query_code}` : d[what];
      if (await copyText(text)) ElementPlus.ElMessage.success('已复制');
      else ElementPlus.ElMessage.warning('无法自动复制，请长按选中后手动复制');
    }
    const follow = computed(() => (done.value ? followUrl(done.value.number, done.value.query_code) : ''));
    const fullFollow = computed(() => location.origin + follow.value);
    function again() {
      Object.assign(form, blank());
      sessionStorage.removeItem(DRAFT);
      errors.value = {};
      done.value = null;
    }
    return {
      form, errors, saving, throttled, done, districts, submit, recheck, copy, follow, fullFollow, again, navigate, viewport,
      CATEGORIES, PUBLIC_CHANNELS, LIMITS,
    };
  },
  template: `
  <div class="container page hl-public">
    <div class="hl-banner">
      <div class="hl-banner-logo">12345</div>
      <div><h1>政务服务便民热线 · 网上留言</h1>
        <p>咨询、求助、投诉、举报、建议、表扬，网上留言与拨打12345电话同等受理，由承办单位在规定时限内办理答复。</p></div>
    </div>

    <el-card v-if="done" shadow="never" class="panel hl-done" data-test="hl-done">
      <el-result icon="success" title="留言已受理" :sub-title="(PUBLIC_CHANNELS[done.channel] || '') + '已收到，我们将尽快派往承办单位办理。'" />
      <div class="hl-codes">
        <div class="hl-code"><span>留言编号</span><b data-test="hl-number">{{ done.number }}</b>
          <el-button link type="primary" @click="copy('number')">复制</el-button></div>
        <div class="hl-code"><span>查询码</span><b data-test="hl-code">{{ done.query_code }}</b>
          <el-button link type="primary" @click="copy('query_code')">复制</el-button></div>
      </div>
      <el-alert type="warning" :closable="false" show-icon class="hl-keep"
        title="请务必保存留言编号和查询码（可截图或复制）。查询码只显示这一次，工作人员也无法找回；凭编号和查询码可随时查询办理进度和答复。" />
      <div class="hl-actions">
        <el-button type="primary" data-test="hl-copy" @click="copy('all')"><el-icon><DocumentCopy /></el-icon>&nbsp;复制编号和查询码</el-button>
        <el-button data-test="hl-follow" @click="navigate(follow)">查看办理进度</el-button>
        <el-button link @click="again">再写一条留言</el-button>
      </div>
      <div class="hl-reply">
        <h3>补充现场照片（可选）</h3>
        <photo-uploader :number="done.number" :code="done.query_code" :photos="done.photos" @uploaded="(p) => done.photos.push(p)" />
      </div>
      <p class="hl-muted">也可收藏此查询链接（已含查询码，请勿转发他人）：<a :href="follow" class="hl-link" @click.prevent="navigate(follow)">{{ fullFollow }}</a></p>
    </el-card>

    <el-card v-else shadow="never" class="panel hl-form">
      <template #header><div class="hl-form-head"><span class="panel-title">我要留言</span>
        <a href="/12345/query" data-test="hl-to-query">查询办理进度 ›</a></div></template>
      <el-alert v-if="throttled" type="error" :closable="false" show-icon class="hl-keep" data-test="hl-throttled" :title="throttled" />
      <el-form :label-position="viewport.narrow ? 'top' : 'right'" label-width="96px" data-test="hl-form" @submit.prevent>
        <el-form-item label="留言方式" required :error="errors.channel">
          <el-radio-group v-model="form.channel">
            <el-radio v-for="(l, k) in PUBLIC_CHANNELS" :key="k" :value="k" :data-test="'hl-channel-' + k">{{ l }}</el-radio>
          </el-radio-group>
        </el-form-item>
        <el-form-item label="诉求类别" required :error="errors.category">
          <el-radio-group v-model="form.category" class="hl-cats" data-test="hl-category" @change="recheck('category')">
            <el-radio-button v-for="(l, k) in CATEGORIES" :key="k" :value="k" :data-test="'hl-cat-' + k">{{ l }}</el-radio-button>
          </el-radio-group>
        </el-form-item>
        <el-form-item label="标题" required :error="errors.title">
          <el-input v-model="form.title" :maxlength="LIMITS.title[1]" placeholder="一句话概括您的诉求，如：文艺路夜间施工噪音扰民"
                    data-test="hl-title" @blur="recheck('title')" @input="recheck('title')" />
        </el-form-item>
        <el-form-item label="诉求内容" required :error="errors.text">
          <el-input v-model="form.text" type="textarea" :rows="6" :maxlength="LIMITS.text[1]" show-word-limit
                    placeholder="请写明时间、地点、事情经过和您的诉求（不少于10个字）" data-test="hl-text"
                    @blur="recheck('text')" @input="recheck('text')" />
        </el-form-item>
        <el-form-item label="姓名" required :error="errors.caller_name">
          <el-input v-model="form.caller_name" :maxlength="LIMITS.caller_name[1]" autocomplete="name" data-test="hl-name"
                    @blur="recheck('caller_name')" @input="recheck('caller_name')" />
        </el-form-item>
        <el-form-item label="联系电话" required :error="errors.caller_phone">
          <el-input v-model="form.caller_phone" :maxlength="LIMITS.caller_phone[1]" type="tel" autocomplete="tel"
                    placeholder="承办单位将通过此电话与您联系" data-test="hl-phone" @blur="recheck('caller_phone')" @input="recheck('caller_phone')" />
        </el-form-item>
        <el-form-item label="所在区县" :error="errors.district">
          <el-select v-model="form.district" clearable placeholder="选择事发地所在区县（可选）" data-test="hl-district" style="width:100%">
            <el-option v-for="d in districts" :key="d.code" :label="d.name" :value="d.code" />
          </el-select>
        </el-form-item>
        <el-form-item label="详细地址" :error="errors.address">
          <el-input v-model="form.address" :maxlength="LIMITS.address[1]" placeholder="事发地的街道、小区、门牌号（可选）" data-test="hl-address"
                    @blur="recheck('address')" @input="recheck('address')" />
        </el-form-item>
        <el-form-item label="保密" :error="errors.confidential">
          <el-checkbox v-model="form.confidential" data-test="hl-confidential">我要求保密</el-checkbox>
          <div class="hl-muted hl-hint" data-test="hl-publish-hint">不保密时，留言内容、事发地址和办理答复会在网上公开，您的姓名和电话不公开，留言中的电话号码、证件号码以*号遮盖；举报类留言不公开。保密后，承办单位看不到您的姓名、电话和地址，查询页也不显示标题和答复内容，答复结果由12345中心电话告知。</div>
        </el-form-item>
        <el-form-item>
          <el-button type="primary" :loading="saving" class="hl-submit" data-test="hl-submit" @click="submit">提交留言</el-button>
        </el-form-item>
      </el-form>
      <p class="hl-muted">紧急情况请直接拨打 110、119、120。涉及诉讼、仲裁、信访等法定途径的事项，请通过相应渠道办理。</p>
    </el-card>
  </div>`,
};

const STATUS_STEPS = ['已受理', '办理中', '已办结'];

export const HotlineQueryPage = {
  name: 'HotlineQueryPage',
  components: { PhotoUploader },
  setup() {
    const form = reactive({ number: '', code: '' });
    const errors = ref({});
    const loading = ref(false);
    const result = ref(null);
    const failed = ref('');
    const asked = ref(null); // the number and code the result was fetched with (the photos' addresses)

    async function query() {
      errors.value = {};
      failed.value = '';
      const number = typedAscii(form.number).toUpperCase();
      const code = typedAscii(form.code);
      if (!number) errors.value.number = '请填写留言编号';
      if (!code) errors.value.code = '请填写查询码';
      if (!number || !code) return;
      loading.value = true;
      try {
        result.value = await getPublic('/api/v1/hotline/public/orders/' + encodeURIComponent(number), code);
        asked.value = { number, code };
      } catch (err) {
        result.value = null;
        if (err.status === 404) failed.value = '编号或查询码不正确，请核对后重新输入。';
        else if (err.status === 429) failed.value = '查询过于频繁，请稍后再试。';
        else failed.value = err.message || '查询失败，请稍后再试';
      } finally {
        loading.value = false;
      }
    }

    // #number=RX...&code=...: the link shown after a message (see followUrl)
    // (?number= alone may be in the query string: a number without its code tells nobody anything)
    function fromHash() {
      if (route.query.number && !form.number) form.number = route.query.number;
      const h = new URLSearchParams(location.hash.replace(/^#/, ''));
      if (h.get('number')) form.number = h.get('number');
      if (h.get('code')) form.code = h.get('code');
      if (form.number && form.code) query();
    }
    onMounted(() => {
      document.title = '12345留言办理进度查询 · 一网通办';
      fromHash();
      window.addEventListener('hashchange', fromHash);
    });
    onBeforeUnmount(() => window.removeEventListener('hashchange', fromHash));
    // the current status is the step in process; once closed every step is finished
    const active = computed(() => {
      const i = result.value ? STATUS_STEPS.indexOf(result.value.status) : 0;
      return i === STATUS_STEPS.length - 1 ? STATUS_STEPS.length : Math.max(0, i);
    });
    // the citizen's own photos, and the published reply's attachments (the unit's)
    const photos = computed(() => ((result.value && result.value.attachments) || []).filter((a) => a.party === 'citizen'));
    const replyFiles = computed(() => ((result.value && result.value.attachments) || []).filter((a) => a.party !== 'citizen'));
    const canAdd = computed(() => result.value && result.value.status !== '已办结' && !result.value.merged);
    const publicFile = usePublicFiles();
    const fileUrl = (a) => publicFile(asked.value.number, asked.value.code, a.id);
    const isImage = (a) => /^image\//.test(a.mime || '');
    const added = (p) => (result.value.attachments ||= []).push({ ...p, party: 'citizen', created_at: Math.floor(Date.now() / 1000) });
    return {
      form, errors, loading, result, failed, query, active, fmtTime, viewport, STATUS_STEPS, asked, photos, replyFiles, canAdd, fileUrl, isImage,
      added, fmtSize,
    };
  },
  template: `
  <div class="container page hl-public">
    <div class="hl-banner">
      <div class="hl-banner-logo">12345</div>
      <div><h1>留言办理进度查询</h1><p>凭留言编号和查询码查询网上留言、市长信箱的办理进度和答复。</p></div>
    </div>
    <el-card shadow="never" class="panel hl-form">
      <el-form :label-position="viewport.narrow ? 'top' : 'right'" label-width="96px" data-test="hl-query-form" @submit.prevent="query">
        <el-form-item label="留言编号" required :error="errors.number">
          <el-input v-model="form.number" maxlength="24" placeholder="如 RX2026120300001" data-test="hlq-number" autocomplete="off" />
        </el-form-item>
        <el-form-item label="查询码" required :error="errors.code">
          <el-input v-model="form.code" maxlength="64" placeholder="提交留言时显示的查询码" data-test="hlq-code" autocomplete="off"
                    @keyup.enter="query" />
        </el-form-item>
        <el-form-item>
          <el-button type="primary" native-type="submit" :loading="loading" data-test="hlq-submit" @click.prevent="query">查 询</el-button>
          <el-button tag="a" href="/12345">我要留言</el-button>
        </el-form-item>
      </el-form>
      <el-alert v-if="failed" type="error" :closable="false" show-icon data-test="hlq-error" :title="failed" />
    </el-card>

    <el-card v-if="result" shadow="never" class="panel" data-test="hlq-result">
      <template #header><div class="hl-form-head"><span class="panel-title">留言 {{ result.number }}</span>
        <el-tag :type="result.status === '已办结' ? 'success' : result.status === '办理中' ? 'primary' : 'info'" data-test="hlq-status">{{ result.status }}</el-tag></div></template>
      <el-steps :active="active" finish-status="success" align-center class="hl-steps">
        <el-step v-for="s in STATUS_STEPS" :key="s" :title="s" />
      </el-steps>
      <dl class="hl-info">
        <template v-if="result.title"><dt>标题</dt><dd data-test="hlq-title">{{ result.title }}</dd></template>
        <dt>留言方式</dt><dd>{{ result.channel_label }}</dd>
        <dt>诉求类别</dt><dd>{{ result.category_label }}</dd>
        <dt>提交时间</dt><dd>{{ fmtTime(result.created_at) }}</dd>
        <template v-if="result.closed_at"><dt>办结时间</dt><dd>{{ fmtTime(result.closed_at) }}</dd></template>
      </dl>
      <div v-if="photos.length || canAdd" class="hl-reply" data-test="hlq-photos">
        <h3>我上传的图片</h3>
        <photo-uploader v-if="canAdd" :number="asked.number" :code="asked.code" :photos="photos" @uploaded="added" />
        <div v-else class="hl-photo-list" style="display:flex; flex-wrap:wrap; gap:8px; margin:6px 0">
          <template v-for="(p, i) in photos" :key="p.id">
            <el-image v-if="fileUrl(p)" :src="fileUrl(p)" fit="cover" class="hl-photo" style="width:88px; height:88px; border-radius:4px; border:1px solid #dcdfe6" :alt="p.name"
                      :preview-src-list="photos.map(fileUrl)" :initial-index="i" preview-teleported data-test="hl-photo" />
          </template>
        </div>
      </div>
      <el-alert v-if="result.merged" type="info" :closable="false" show-icon class="hl-keep"
        title="您的留言与其他市民反映的同一问题已合并办理，进度和答复与合并后的工单一致。" />
      <div v-if="result.reply" class="hl-reply" data-test="hlq-reply">
        <h3>答复意见</h3>
        <p class="gk-pre">{{ result.reply }}</p>
        <p v-if="result.reply_unit" class="hl-muted">答复单位：<span data-test="hlq-reply-unit">{{ result.reply_unit }}</span></p>
        <div v-if="replyFiles.length" data-test="hlq-reply-files">
          <div class="hl-muted">答复附件：</div>
          <div class="hl-photo-list" style="display:flex; flex-wrap:wrap; gap:8px; margin:6px 0">
            <template v-for="a in replyFiles" :key="a.id">
              <el-image v-if="isImage(a) && fileUrl(a)" :src="fileUrl(a)" fit="cover" class="hl-photo" style="width:88px; height:88px; border-radius:4px; border:1px solid #dcdfe6" :alt="a.name"
                        :preview-src-list="[fileUrl(a)]" preview-teleported data-test="hlq-reply-file" />
              <a v-else-if="!isImage(a)" :href="fileUrl(a) || undefined" :download="a.name" class="hl-link" data-test="hlq-reply-file">{{ a.name }}（{{ fmtSize(a.size) }}）</a>
            </template>
          </div>
        </div>
      </div>
      <el-alert v-else-if="result.reply_withheld" type="info" :closable="false" show-icon data-test="hlq-withheld"
        title="您的留言已与同一问题的其他诉求合并办理并已办结。答复内容不在网上显示，由12345中心电话告知您。" />
      <el-alert v-else-if="result.confidential" type="info" :closable="false" show-icon
        :title="result.status === '已办结' ? '您的留言已办结。按您的保密要求，答复内容不在网上显示，已由12345中心电话告知。' : '您要求了保密，标题和答复内容不在网上显示。'" />
      <p v-else-if="result.status !== '已办结'" class="hl-muted">承办单位正在办理，办结后答复将在此公开。</p>
    </el-card>
  </div>`,
};
