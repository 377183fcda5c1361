// 账号安全: the signed-in user changes their password (every other session and API token of the
// account ends, docs/api.md) and manages their API tokens: list, create (the secret is shown
// once), revoke.
import { get, post, request } from '../api.js';
import { session } from '../store.js';
import { fmtTime, showError } from '../util.js';

const { reactive, ref, onMounted } = Vue;

const STATE = { active: ['有效', 'success'], expired: ['已过期', 'info'], revoked: ['已撤销', 'danger'] };

export const SecurityPage = {
  name: 'SecurityPage',
  setup() {
    const pw = reactive({ current: '', next: '', confirm: '' });
    const pwErrors = ref({});
    const pwSaving = ref(false);
    const tokens = ref([]);
    const loading = ref(false);
    const creating = reactive({ name: '', days: 90 });
    const createErrors = ref({});
    const secret = ref('');

    async function loadTokens() {
      loading.value = true;
      try {
        tokens.value = (await get('/api/v1/auth/tokens')).items;
      } catch (err) {
        showError(err);
      } finally {
        loading.value = false;
      }
    }
    onMounted(loadTokens);

    async function changePassword() {
      pwErrors.value = {};
      if (!pw.current) pwErrors.value.current_password = '请输入当前密码';
      if (!pw.next) pwErrors.value.new_password = '请输入新密码';
      else if (pw.confirm !== pw.next) pwErrors.value.confirm = '两次输入的密码不一致';
      if (Object.keys(pwErrors.value).length) return;
      pwSaving.value = true;
      try {
        const r = await post('/api/v1/auth/password', { current_password: pw.current, new_password: pw.next });
        session.user = r.user;
        Object.assign(pw, { current: '', next: '', confirm: '' });
        ElementPlus.ElMessage.success('密码已修改，其他设备上的登录和全部 API 令牌已失效');
        await loadTokens();
      } catch (err) {
        pwErrors.value = err.fields || {};
        showError(err);
      } finally {
        pwSaving.value = false;
      }
    }

    async function createToken() {
      createErrors.value = {};
      try {
        const r = await post('/api/v1/auth/tokens', { name: creating.name.trim(), expires_days: Number(creating.days) });
        secret.value = r.token;
        creating.name = '';
        await loadTokens();
      } catch (err) {
        createErrors.value = err.fields || {};
        showError(err);
      }
    }

    async function revoke(t) {
      try {
        await ElementPlus.ElMessageBox.confirm(`撤销令牌“${t.name}”后，使用它的系统将无法再访问。确定撤销吗？`, '撤销令牌',
          { type: 'warning', confirmButtonText: '撤销', cancelButtonText: '取消' });
      } catch {
        return;
      }
      try {
        await request('DELETE', `/api/v1/auth/tokens/${t.id}`);
        ElementPlus.ElMessage.success('令牌已撤销');
        await loadTokens();
      } catch (err) {
        showError(err);
      }
    }

    return { pw, pwErrors, pwSaving, changePassword, tokens, loading, creating, createErrors, createToken, secret, revoke, fmtTime, STATE };
  },
  template: `
  <div class="container page">
    <h1 class="page-title">账号安全</h1>
    <el-card shadow="never" class="panel">
      <template #header><b>修改密码</b></template>
      <p class="muted">修改后，您在其他设备上的登录和全部 API 令牌立即失效，本设备保持登录。</p>
      <el-form label-width="110px" style="max-width: 520px">
        <el-form-item label="当前密码" :error="pwErrors.current_password">
          <el-input v-model="pw.current" type="password" show-password autocomplete="current-password" data-test="pw-current" />
        </el-form-item>
        <el-form-item label="新密码" :error="pwErrors.new_password">
          <el-input v-model="pw.next" type="password" show-password autocomplete="new-password" placeholder="至少8位，含字母和数字" data-test="pw-new" />
        </el-form-item>
        <el-form-item label="确认新密码" :error="pwErrors.confirm">
          <el-input v-model="pw.confirm" type="password" show-password autocomplete="new-password" data-test="pw-confirm" />
        </el-form-item>
        <el-form-item><el-button type="primary" :loading="pwSaving" @click="changePassword" data-test="pw-save">修改密码</el-button></el-form-item>
      </el-form>
    </el-card>
    <el-card shadow="never" class="panel">
      <template #header><b>API 令牌</b></template>
      <p class="muted">供其他系统以您的身份调用接口。令牌只在创建时显示一次，请妥善保存；不再使用时请撤销。</p>
      <el-form inline>
        <el-form-item label="名称" :error="createErrors.name">
          <el-input v-model="creating.name" maxlength="50" placeholder="如：统计报表对接" data-test="token-name" />
        </el-form-item>
        <el-form-item label="有效期（天）" :error="createErrors.expires_days">
          <el-input-number v-model="creating.days" :min="1" :max="3650" data-test="token-days" />
        </el-form-item>
        <el-form-item><el-button type="primary" @click="createToken" data-test="token-create">创建令牌</el-button></el-form-item>
      </el-form>
      <el-alert v-if="secret" type="success" :closable="true" @close="secret = ''" show-icon title="令牌已创建，只显示这一次：">
        <code data-test="token-secret" style="user-select: all; word-break: break-all">{{ secret }}</code>
      </el-alert>
      <el-table :data="tokens" v-loading="loading" empty-text="暂无令牌" data-test="token-list" style="margin-top: 12px">
        <el-table-column prop="name" label="名称" />
        <el-table-column label="创建时间" width="170"><template #default="{ row }">{{ fmtTime(row.created_at) }}</template></el-table-column>
        <el-table-column label="到期时间" width="170"><template #default="{ row }">{{ fmtTime(row.expires_at) }}</template></el-table-column>
        <el-table-column label="状态" width="100">
          <template #default="{ row }"><el-tag :type="STATE[row.state][1]" size="small">{{ STATE[row.state][0] }}</el-tag></template>
        </el-table-column>
        <el-table-column label="操作" width="100">
          <template #default="{ row }">
            <el-button v-if="row.state === 'active'" link type="danger" @click="revoke(row)" :data-test="'token-revoke-' + row.id">撤销</el-button>
          </template>
        </el-table-column>
      </el-table>
    </el-card>
  </div>`,
};
