// Hall devices (大厅设备): what the kiosk, the display board and the rating pad share. A device page
// without a token shows the pairing screen: the code the hall manager created (智能大厅 → 设备管理)
// is typed on the on-screen keypad, the server answers with the device's token, kept in this
// browser's localStorage and sent in the X-Device-Token header (the board's event stream, which
// cannot send headers, puts it in the URL). A revoked device is told so and pairs again.
import { ApiError, buildQuery } from '../../api.js';

const { ref, computed } = Vue;

const KINDS = { kiosk: '自助取号机', board: '叫号显示屏', pad: '窗口评价器' };
const storageKey = (kind, hallId) => `yw_device_${kind}_${hallId}`;

export function deviceToken(kind, hallId) {
  try {
    return localStorage.getItem(storageKey(kind, hallId)) || '';
  } catch {
    return '';
  }
}

export function setDeviceToken(kind, hallId, token) {
  try {
    if (token) localStorage.setItem(storageKey(kind, hallId), token);
    else localStorage.removeItem(storageKey(kind, hallId));
  } catch {
    // private mode: the device pairs again next time
  }
}

// A JSON request as the device (api.js's request, plus the device's token; no session redirect).
export async function deviceRequest(method, path, { token, body, query } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers['X-Device-Token'] = token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path + buildQuery(query), {
      method, headers, credentials: 'omit', body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试');
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    throw new ApiError(res.status, err.code || 'http_' + res.status, err.message || '服务器错误（' + res.status + '）', err.details);
  }
  return data;
}

// 触屏数字键盘: large keys for a short numeric code or an ID number (digits and X). Each key is a
// button with data-test `${prefix}${key}`; '←' deletes, '清空' clears.
export const KeyPad = {
  name: 'KeyPad',
  props: {
    modelValue: { type: String, default: '' },
    maxlength: { type: Number, default: 18 },
    allowX: { type: Boolean, default: false },
    prefix: { type: String, default: 'keypad-' },
  },
  emits: ['update:modelValue', 'key'],
  setup(props, { emit }) {
    const keys = computed(() => ['1', '2', '3', '4', '5', '6', '7', '8', '9', props.allowX ? 'X' : '清空', '0', '←']);
    function press(k) {
      emit('key', k);
      const v = props.modelValue || '';
      if (k === '←') emit('update:modelValue', v.slice(0, -1));
      else if (k === '清空') emit('update:modelValue', '');
      else if (v.length < props.maxlength) emit('update:modelValue', v + k);
    }
    return { keys, press };
  },
  template: `
  <div class="kiosk-keys" role="group" aria-label="数字键盘">
    <button v-for="k in keys" :key="k" type="button" class="kiosk-key" :data-test="prefix + k" @click="press(k)">{{ k }}</button>
  </div>`,
};

// 设备配对: the six-digit code on the keypad; emits `paired` with the token.
export const PairScreen = {
  name: 'PairScreen',
  components: { KeyPad },
  props: { kind: { type: String, required: true }, hallId: { type: Number, required: true }, revoked: { type: Boolean, default: false } },
  emits: ['paired'],
  setup(props, { emit }) {
    const code = ref('');
    const error = ref('');
    const busy = ref(false);
    async function pair() {
      error.value = '';
      busy.value = true;
      try {
        const r = await deviceRequest('POST', `/api/v1/hall/${props.hallId}/devices/pair`, { body: { code: code.value, kind: props.kind } });
        setDeviceToken(props.kind, props.hallId, r.device_token);
        emit('paired', r.device_token, r.device);
      } catch (err) {
        error.value = (err.details && err.details[0] && err.details[0].message) || err.message;
        code.value = '';
      } finally {
        busy.value = false;
      }
    }
    return { code, error, busy, pair, label: KINDS[props.kind] || '设备' };
  },
  template: `
  <section class="device-pair" data-test="device-pair">
    <h2>{{ label }}配对</h2>
    <p v-if="revoked" class="kiosk-error" data-test="device-revoked">本机已被停用或配对已失效，请重新配对</p>
    <p class="kiosk-hint">请大厅管理员在“智能大厅 → 设备管理”中新增{{ label }}，并在下方输入 6 位配对码（10 分钟内有效，仅可使用一次）</p>
    <div class="kiosk-id-value device-code" data-test="device-code">{{ code || '　' }}</div>
    <p v-if="error" class="kiosk-error" data-test="device-pair-error">{{ error }}</p>
    <key-pad v-model="code" :maxlength="6" prefix="pair-key-" />
    <button type="button" class="kiosk-btn kiosk-primary" :disabled="busy || code.length !== 6" data-test="device-pair-submit" @click="pair">配对</button>
  </section>`,
};
