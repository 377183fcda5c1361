// 话务台 (/admin/hotline/console, hotline.operate; docs/api.md "Hotline"): the operator takes a call.
// The caller's number brings their earlier orders and the call centre's latest pushed call events
// (the order links the call); as the operator types the caller's words, the dispatch suggestion
// (matters and units with scores) and the knowledge base (articles and the catalogue's guides) answer,
// the stale answers dropped. An answer picked from the knowledge base closes the order on the spot
// (直接办结); otherwise 受理 opens the order, shows its number and query code once to read to the
// caller, and offers 派单 to the suggested or chosen unit with co-units.
import { get, post } from '../../api.js';
import { navigate } from '../../router.js';
import { fmtTime, viewport } from '../../util.js';
import {
  CATEGORIES, CHANNELS, DESK_CHANNELS, SOURCED_CHANNELS, OrderState, latest, loadMatters, loadRegions, loadUnits, normPhone,
  orderUrl, plausiblePhone, showFieldErrors,
} from './common.js';

const { ref, reactive, computed, onMounted, onBeforeUnmount, watch } = Vue;

const blank = () => ({
  channel: 'phone', source_name: '', category: '', matter_id: null, title: '', text: '', caller_name: '', caller_phone: '',
  address: '', district: '', urgent: false, confidential: false, call_id: '',
});

// The knowledge base for the caller's words: the whole text, and each of its first clauses on its own
// (the search wants every term of a query, and a caller says several things in one breath); the
// answers merged, each at its best score, best first.
async function searchKb(text) {
  const clauses = text.split(/[，。！？；、,.!?;\n]+/).map((c) => c.trim()).filter((c) => c.length >= 2);
  const queries = [...new Set([text.slice(0, 100), ...clauses.slice(0, 4).map((c) => c.slice(0, 100))])];
  const answers = await Promise.all(queries.map((q) => get('/api/v1/hotline/kb/search', { q, limit: 5 })));
  const best = new Map();
  for (const a of answers) {
    for (const it of a.items || []) {
      const key = it.kind + ':' + (it.id || it.code);
      if (!best.has(key) || best.get(key).score < it.score) best.set(key, it);
    }
  }
  return { items: [...best.values()].sort((x, y) => y.score - x.score).slice(0, 5) };
}

// A guide of the catalogue as an answer to read to the caller.
function guideAnswer(g) {
  const parts = [`可办理“${g.name}”（${g.dept}）。`];
  if ((g.materials || []).length) parts.push(`需要材料：${g.materials.join('、')}。`);
  if (g.promised_limit_days) parts.push(`承诺时限${g.promised_limit_days}个工作日。`);
  parts.push('办事指南可在一网通办平台查询。');
  return parts.join('');
}

export const ConsolePage = {
  name: 'HotlineConsolePage',
  components: { OrderState },
  setup() {
    const form = reactive(blank());
    const errors = reactive({});
    const units = ref([]);
    const regions = ref([]);
    const matters = ref({ tree: [], path: () => '' });
    const history = reactive({ phone: '', orders: [], total: 0, calls: [], loading: false });
    const hints = reactive({ matters: [], units: [], trained: 0, kb: [], loading: false, error: '' });
    const pick = reactive({ key: '', answer: '', article_id: null, title: '' });
    const dispatch = reactive({ unit_id: null, co_unit_ids: [], note: '' });
    const dispatchErrors = reactive({});
    const created = ref(null);
    const busy = ref('');

    onMounted(async () => {
      document.title = '话务台 · 12345';
      const [u, r, m] = await Promise.allSettled([loadUnits(), loadRegions(), loadMatters()]);
      units.value = u.status === 'fulfilled' ? u.value : [];
      regions.value = r.status === 'fulfilled' ? r.value : [];
      if (m.status === 'fulfilled') matters.value = m.value;
    });

    // the caller's number: earlier orders and pushed call events
    const lookup = latest(async (phone) => Promise.all([
      get('/api/v1/hotline/orders', { phone, page_size: 10 }),
      get('/api/v1/hotline/calls', { caller: phone, limit: 5 }),
    ]), (res, err) => {
      history.loading = false;
      if (err) return;
      const [o, c] = res;
      history.orders = o.items || [];
      history.total = o.total || 0;
      history.calls = c.items || [];
      // the newest call not yet on an order is the one being taken
      const open = history.calls.find((x) => !x.order_id);
      if (open && !form.call_id) form.call_id = open.call_id;
    });
    watch(() => form.caller_phone, (v) => {
      const phone = normPhone(v);
      if (!plausiblePhone(v)) {
        lookup.cancel();
        Object.assign(history, { phone: '', orders: [], total: 0, calls: [], loading: false });
        form.call_id = '';
        return;
      }
      if (phone === history.phone) return;
      history.phone = phone;
      history.loading = true;
      form.call_id = '';
      lookup(phone);
    });

    // the caller's words: suggestions and knowledge-base answers
    const think = latest(async (text) => Promise.all([
      get('/api/v1/hotline/suggest', { text: text.slice(0, 600), k: 3 }),
      searchKb(text),
    ]), (res, err) => {
      hints.loading = false;
      if (err) {
        hints.error = err.message;
        return;
      }
      const [s, k] = res;
      hints.error = '';
      hints.matters = s.matters || [];
      hints.units = s.units || [];
      hints.trained = s.trained_on || 0;
      hints.kb = k.items || [];
    });
    watch(() => form.text, (v) => {
      const t = (v || '').trim();
      if (t.length < 2) {
        think.cancel();
        Object.assign(hints, { matters: [], units: [], kb: [], loading: false, error: '' });
        return;
      }
      hints.loading = true;
      think(t);
    });
    onBeforeUnmount(() => {
      lookup.cancel();
      think.cancel();
    });

    const needsSource = computed(() => SOURCED_CHANNELS.includes(form.channel));
    const unitName = (id) => (units.value.find((u) => u.id === id) || {}).name || '';
    const pct = (s) => Math.round((s || 0) * 100) + '%';

    function useMatter(m) {
      form.matter_id = m.id;
    }
    function useUnit(u) {
      dispatch.unit_id = u.id;
      dispatch.co_unit_ids = dispatch.co_unit_ids.filter((x) => x !== u.id);
    }
    function useAnswer(item) {
      const key = item.kind + ':' + (item.id || item.code);
      Object.assign(pick, item.kind === 'article'
        ? { key, answer: item.answer, article_id: item.id, title: item.title }
        : { key, answer: guideAnswer(item), article_id: null, title: item.name });
      if (!form.category) form.category = 'consult';
      if (item.kind === 'article' && item.matter_id && !form.matter_id) form.matter_id = item.matter_id;
    }
    function dropAnswer() {
      Object.assign(pick, { key: '', answer: '', article_id: null, title: '' });
    }

    function body(withAnswer) {
      const b = {};
      for (const [k, v] of Object.entries(form)) {
        if (typeof v === 'string') {
          if (v.trim() !== '') b[k] = v.trim();
        } else if (v !== null && v !== undefined) {
          b[k] = v;
        }
      }
      if (!needsSource.value) delete b.source_name;
      if (b.caller_phone) b.caller_phone = normPhone(b.caller_phone) || b.caller_phone;
      if (withAnswer) {
        b.answer = pick.answer.trim();
        if (pick.article_id) b.article_id = pick.article_id;
      }
      return b;
    }
    async function submit(withAnswer) {
      busy.value = withAnswer ? 'close' : 'create';
      try {
        const o = await post('/api/v1/hotline/orders', body(withAnswer));
        for (const k of Object.keys(errors)) delete errors[k];
        created.value = o;
        if (!dispatch.unit_id && hints.units.length) dispatch.unit_id = hints.units[0].id;
        ElementPlus.ElMessage.success(o.state === 'closed' ? '已直接办结' : '工单已受理');
      } catch (err) {
        showFieldErrors(err, errors);
      } finally {
        busy.value = '';
      }
    }
    async function doDispatch() {
      busy.value = 'dispatch';
      try {
        const b = { unit_id: dispatch.unit_id, co_unit_ids: dispatch.co_unit_ids };
        if (dispatch.note.trim()) b.note = dispatch.note.trim();
        created.value = { ...(await post(orderUrl(created.value.id, '/dispatch'), b)), query_code: created.value.query_code };
        for (const k of Object.keys(dispatchErrors)) delete dispatchErrors[k];
        ElementPlus.ElMessage.success('已派单至' + created.value.unit);
      } catch (err) {
        showFieldErrors(err, dispatchErrors);
      } finally {
        busy.value = '';
      }
    }
    function next() {
      Object.assign(form, blank());
      for (const k of Object.keys(errors)) delete errors[k];
      for (const k of Object.keys(dispatchErrors)) delete dispatchErrors[k];
      Object.assign(dispatch, { unit_id: null, co_unit_ids: [], note: '' });
      dropAnswer();
      created.value = null;
    }
    const open = (o) => navigate('/admin/hotline/orders/' + o.id);

    return {
      form, errors, units, regions, matters, history, hints, pick, dispatch, dispatchErrors, created, busy, needsSource,
      unitName, pct, useMatter, useUnit, useAnswer, dropAnswer, submit, doDispatch, next, open, fmtTime, viewport,
      CATEGORIES, CHANNELS, DESK_CHANNELS,
    };
  },
  template: `
  <div class="admin-page hl-console">
    <div class="admin-head">
      <h2>话务台 <small class="muted">12345 市民诉求受理</small></h2>
      <el-button tag="a" href="/admin/hotline/orders" data-test="console-orders">工单管理</el-button>
    </div>

    <el-card v-if="created" shadow="never" class="panel hl-created" data-test="console-created">
      <el-result :icon="created.state === 'closed' ? 'success' : 'info'" :title="created.state === 'closed' ? '已直接办结' : '工单已受理'">
        <template #sub-title>
          <div class="hl-readout">
            <div>工单编号<b data-test="created-number">{{ created.number }}</b></div>
            <div>查询码<b data-test="created-code">{{ created.query_code }}</b></div>
          </div>
          <p class="muted small">请向来电人读出工单编号和查询码：凭这两项可在“12345 诉求查询”查看办理进度和答复。查询码只显示这一次。</p>
        </template>
      </el-result>
      <div v-if="created.state === 'pending'" class="hl-dispatch" data-test="console-dispatch">
        <h3>派单</h3>
        <el-form :label-position="viewport.narrow ? 'top' : 'right'" label-width="90px">
          <el-form-item label="承办单位" required :error="dispatchErrors.unit_id">
            <el-select v-model="dispatch.unit_id" filterable placeholder="选择承办单位" data-test="dispatch-unit" style="width:100%">
              <el-option v-for="u in units" :key="u.id" :label="u.name" :value="u.id" />
            </el-select>
            <div v-if="hints.units.length" class="hl-chips">
              <span class="muted small">建议：</span>
              <el-check-tag v-for="u in hints.units" :key="u.id" :checked="dispatch.unit_id === u.id" @change="useUnit(u)" data-test="dispatch-suggest">{{ u.name }} {{ pct(u.score) }}</el-check-tag>
            </div>
          </el-form-item>
          <el-form-item label="协办单位" :error="dispatchErrors.co_unit_ids">
            <el-select v-model="dispatch.co_unit_ids" multiple filterable :multiple-limit="10" placeholder="可选，最多10个" data-test="dispatch-co" style="width:100%">
              <el-option v-for="u in units" :key="u.id" :label="u.name" :value="u.id" :disabled="u.id === dispatch.unit_id" />
            </el-select>
          </el-form-item>
          <el-form-item label="派单说明" :error="dispatchErrors.note">
            <el-input v-model="dispatch.note" maxlength="500" placeholder="可选，如：请核实处理并按时答复" data-test="dispatch-note" />
          </el-form-item>
          <el-form-item>
            <el-button type="primary" :loading="busy === 'dispatch'" :disabled="!dispatch.unit_id" @click="doDispatch" data-test="dispatch-submit">派单</el-button>
          </el-form-item>
        </el-form>
      </div>
      <el-alert v-else-if="created.state === 'dispatched'" type="success" :closable="false" show-icon data-test="console-dispatched"
        :title="'已派单至' + created.unit + '，签收期限 ' + fmtTime(created.sign_due_at) + '，办理期限 ' + fmtTime(created.due_at)" />
      <div class="action-buttons hl-created-actions">
        <el-button @click="open(created)" data-test="created-open">查看工单</el-button>
        <el-button type="primary" plain @click="next" data-test="console-next">受理下一个来电</el-button>
      </div>
    </el-card>

    <el-row v-else :gutter="16">
      <el-col :xs="24" :md="14">
        <el-form :label-position="viewport.narrow ? 'top' : 'right'" label-width="90px" data-test="console-form">
          <el-form-item label="来电号码" :error="errors.caller_phone">
            <el-input v-model="form.caller_phone" maxlength="24" placeholder="来电号码，输入后显示该号码的历史工单" data-test="console-phone" />
          </el-form-item>
          <el-form-item label="渠道" required :error="errors.channel">
            <el-select v-model="form.channel" data-test="console-channel" style="width:160px">
              <el-option v-for="c in DESK_CHANNELS" :key="c" :label="CHANNELS[c]" :value="c" />
            </el-select>
          </el-form-item>
          <el-form-item v-if="needsSource" label="来源" required :error="errors.source_name">
            <el-input v-model="form.source_name" maxlength="100" placeholder="如：人民网领导留言板、长沙晚报民生信箱" data-test="console-source" />
          </el-form-item>
          <el-form-item label="诉求类别" required :error="errors.category">
            <el-radio-group v-model="form.category" data-test="console-category">
              <el-radio-button v-for="(l, k) in CATEGORIES" :key="k" :value="k" :data-test="'category-' + k">{{ l }}</el-radio-button>
            </el-radio-group>
          </el-form-item>
          <el-form-item label="诉求内容" required :error="errors.text">
            <el-input v-model="form.text" type="textarea" :rows="5" maxlength="4000" show-word-limit
              placeholder="记录来电人反映的问题：时间、地点、事情经过和诉求" data-test="console-text" />
          </el-form-item>
          <el-form-item label="标题" :error="errors.title">
            <el-input v-model="form.title" maxlength="100" placeholder="可不填，默认取诉求内容的前30个字" data-test="console-title" />
          </el-form-item>
          <el-form-item label="事项分类" :error="errors.matter_id">
            <el-tree-select v-model="form.matter_id" :data="matters.tree" filterable clearable check-strictly :render-after-expand="false"
              placeholder="选择事项分类" data-test="console-matter" style="width:100%" />
          </el-form-item>
          <el-form-item label="来电人" :error="errors.caller_name">
            <el-input v-model="form.caller_name" maxlength="50" placeholder="姓名或称呼" data-test="console-name" />
          </el-form-item>
          <el-form-item label="所属区域" :error="errors.district">
            <el-select v-model="form.district" filterable clearable placeholder="区县或街道" data-test="console-district" style="width:100%">
              <el-option v-for="r in regions" :key="r.code" :label="r.label" :value="r.code" />
            </el-select>
          </el-form-item>
          <el-form-item label="地址" :error="errors.address">
            <el-input v-model="form.address" maxlength="200" placeholder="事发地址" data-test="console-address" />
          </el-form-item>
          <el-form-item label="拟派单位">
            <el-select v-model="dispatch.unit_id" filterable clearable placeholder="可选，受理后派单时使用" data-test="console-unit" style="width:100%">
              <el-option v-for="u in units" :key="u.id" :label="u.name" :value="u.id" />
            </el-select>
          </el-form-item>
          <el-form-item label="">
            <el-checkbox v-model="form.urgent" data-test="console-urgent">紧急（按小时计时限）</el-checkbox>
            <el-checkbox v-model="form.confidential" data-test="console-confidential">保密（承办单位看不到来电人信息）</el-checkbox>
          </el-form-item>
          <el-form-item v-if="form.call_id" label="关联来电">
            <span class="small" data-test="console-call">{{ form.call_id }}</span>
            <el-button link type="info" size="small" @click="form.call_id = ''">不关联</el-button>
          </el-form-item>
          <el-form-item v-if="pick.key" label="直接办结" :error="errors.answer || errors.article_id" data-test="console-answer">
            <div class="hl-answer-box">
              <div class="small">采用：<b>{{ pick.title }}</b> <el-button link type="info" size="small" @click="dropAnswer" data-test="answer-drop">不采用</el-button></div>
              <el-input v-model="pick.answer" type="textarea" :rows="4" maxlength="4000" data-test="answer-text" />
            </div>
          </el-form-item>
          <el-form-item>
            <el-button type="primary" :loading="busy === 'create'" :disabled="!!busy" @click="submit(false)" data-test="console-create">受理</el-button>
            <el-button v-if="pick.key" type="success" :loading="busy === 'close'" :disabled="!!busy" @click="submit(true)" data-test="console-direct-close">直接办结</el-button>
          </el-form-item>
        </el-form>
      </el-col>

      <el-col :xs="24" :md="10">
        <el-card shadow="never" class="panel" data-test="console-history">
          <template #header><span class="panel-title">来电人历史工单</span>
            <span v-if="history.phone" class="muted small"> {{ history.phone }}，共 {{ history.total }} 件</span></template>
          <div v-loading="history.loading">
            <div v-if="!history.phone" class="muted small">输入来电号码后显示。</div>
            <template v-else>
              <div v-if="history.calls.length" class="hl-calls" data-test="console-calls">
                <div class="muted small">最近来电：</div>
                <div v-for="c in history.calls" :key="c.id" class="small hl-call">
                  <el-radio v-model="form.call_id" :value="c.call_id" :disabled="!!c.order_id" size="small" data-test="console-call-pick">
                    {{ fmtTime(c.started_at) }}<template v-if="c.agent"> · 坐席 {{ c.agent }}</template></el-radio>
                  <a v-if="c.order_id" :href="'/admin/hotline/orders/' + c.order_id">{{ c.order_number }}</a>
                  <a v-if="c.recording_url" :href="c.recording_url" target="_blank" rel="noopener">录音</a>
                </div>
              </div>
              <div v-for="o in history.orders" :key="o.id" class="hl-hist" data-test="console-earlier">
                <a :href="'/admin/hotline/orders/' + o.id" target="_blank" rel="noopener">{{ o.number }}</a>
                <order-state :o="o" />
                <div class="small">{{ o.title }}</div>
                <div class="muted small">{{ fmtTime(o.created_at) }} · {{ o.category_label }}<template v-if="o.unit"> · {{ o.unit }}</template></div>
              </div>
              <div v-if="!history.orders.length" class="muted small" data-test="console-no-earlier">该号码没有历史工单。</div>
            </template>
          </div>
        </el-card>

        <el-card shadow="never" class="panel" data-test="console-suggest">
          <template #header><span class="panel-title">派单建议</span>
            <span v-if="hints.trained" class="muted small"> 学习了 {{ hints.trained }} 件已办结工单</span></template>
          <div v-loading="hints.loading" class="hl-suggest">
            <div v-if="!hints.matters.length && !hints.units.length" class="muted small">{{ form.text.trim().length < 2 ? '输入诉求内容后显示建议的事项分类和承办单位。' : '暂无建议。' }}</div>
            <template v-else>
              <div class="muted small">事项分类（点击选用）</div>
              <div class="hl-chips">
                <el-check-tag v-for="m in hints.matters" :key="m.id" :checked="form.matter_id === m.id" @change="useMatter(m)" data-test="suggest-matter">
                  {{ m.path || m.name }} <b>{{ pct(m.score) }}</b></el-check-tag>
              </div>
              <div class="muted small">承办单位（点击作为派单单位）</div>
              <div class="hl-chips">
                <el-check-tag v-for="u in hints.units" :key="u.id" :checked="dispatch.unit_id === u.id" @change="useUnit(u)" data-test="suggest-unit">
                  {{ u.name }} <b>{{ pct(u.score) }}</b></el-check-tag>
              </div>
            </template>
          </div>
        </el-card>

        <el-card shadow="never" class="panel" data-test="console-kb">
          <template #header><span class="panel-title">知识库</span></template>
          <div v-if="hints.error" class="text-danger small">{{ hints.error }}</div>
          <div v-else-if="!hints.kb.length" class="muted small">{{ form.text.trim().length < 2 ? '输入诉求内容后显示知识库答复和办事指南。' : '知识库中没有相关答复。' }}</div>
          <div v-for="k in hints.kb" :key="k.kind + (k.id || k.code)" class="hl-kb" :class="{ picked: pick.key === k.kind + ':' + (k.id || k.code) }" data-test="kb-item">
            <div class="hl-kb-head">
              <el-tag size="small" :type="k.kind === 'article' ? 'success' : 'primary'">{{ k.kind === 'article' ? '知识库' : '办事指南' }}</el-tag>
              <b>{{ k.kind === 'article' ? k.title : k.name }}</b>
            </div>
            <template v-if="k.kind === 'article'">
              <div v-if="k.question" class="muted small">问：{{ k.question }}</div>
              <div class="small hl-kb-answer">{{ k.answer }}</div>
              <div class="muted small">{{ k.unit }}<template v-if="k.matter"> · {{ k.matter }}</template> · 已引用 {{ k.uses }} 次</div>
            </template>
            <template v-else>
              <div class="small">{{ k.dept }}<template v-if="k.promised_limit_days"> · 承诺{{ k.promised_limit_days }}个工作日</template></div>
              <div v-if="(k.materials || []).length" class="muted small">材料：{{ k.materials.join('、') }}</div>
              <a class="small" :href="'/guide/' + k.code" target="_blank" rel="noopener">查看办事指南</a>
            </template>
            <el-button size="small" type="success" plain @click="useAnswer(k)" data-test="kb-use">采用此答复</el-button>
          </div>
        </el-card>
      </el-col>
    </el-row>
  </div>`,
};
