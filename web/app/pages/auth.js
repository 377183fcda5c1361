// /login and /register (applicants: 自然人 with 身份证号, 法人 with 统一社会信用代码).
import { post } from '../api.js';
import { session, login, loadSession, can } from '../store.js';
import { route, navigate } from '../router.js';

const { ref, reactive } = Vue;

function afterSignIn() {
  const next = route.query.next;
  if (next && next.startsWith('/') && !next.startsWith('//')) return navigate(next, { replace: true });
  navigate(can('catalog.view') || can('org.manage') || can('audit.read') || can('disclosure.handle') || can('hotline.view') ? '/admin' : '/', { replace: true });
}

export const LoginPage = {
  name: 'LoginPage',
  setup() {
    const form = reactive({ username: '', password: '' });
    const error = ref('');
    const busy = ref(false);
    async function submit() {
      if (!form.username || !form.password) {
        error.value = '请输入用户名和密码';
        return;
      }
      busy.value = true;
      error.value = '';
      try {
        await login(form.username.trim(), form.password);
        ElementPlus.ElMessage.success('欢迎，' + (session.user.name || session.user.username));
        afterSignIn();
      } catch (err) {
        error.value = err.status === 401 ? '用户名或密码错误' : err.message;
      } finally {
        busy.value = false;
      }
    }
    return { form, error, busy, submit };
  },
  template: `
  <div class="auth-page">
    <el-card shadow="never" class="auth-card">
      <h2 class="auth-title">用户登录</h2>
      <el-form :model="form" label-position="top" @submit.prevent="submit">
        <el-form-item label="用户名">
          <el-input v-model="form.username" autocomplete="username" placeholder="用户名" data-test="login-username" size="large">
            <template #prefix><el-icon><User /></el-icon></template>
          </el-input>
        </el-form-item>
        <el-form-item label="密码">
          <el-input v-model="form.password" type="password" show-password autocomplete="current-password" placeholder="密码"
                    data-test="login-password" size="large">
            <template #prefix><el-icon><Lock /></el-icon></template>
          </el-input>
        </el-form-item>
        <el-alert v-if="error" :title="error" type="error" show-icon :closable="false" class="auth-error" />
        <el-button type="primary" size="large" class="auth-submit" native-type="submit" :loading="busy" data-test="login-submit">登 录</el-button>
      </el-form>
      <div class="auth-foot">还没有账号？<a href="/register">注册个人/法人账号</a></div>
    </el-card>
  </div>`,
};

const ID_RE = /^\d{17}[\dXx]$/;
const USCC_RE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

export const RegisterPage = {
  name: 'RegisterPage',
  setup() {
    const form = reactive({ kind: 'person', username: '', password: '', confirm: '', name: '', id_number: '', uscc: '', phone: '' });
    const errors = ref({});
    const busy = ref(false);

    function check() {
      const e = {};
      if (!form.username) e.username = '请输入用户名';
      if (!form.password) e.password = '请输入密码';
      if (form.confirm !== form.password) e.confirm = '两次输入的密码不一致';
      if (!form.name) e.name = form.kind === 'person' ? '请输入姓名' : '请输入单位名称';
      if (form.kind === 'person' && !ID_RE.test(form.id_number)) e.id_number = '请输入 18 位居民身份证号码';
      if (form.kind === 'legal' && !USCC_RE.test(form.uscc)) e.uscc = '请输入 18 位统一社会信用代码';
      if (!/^1\d{10}$/.test(form.phone)) e.phone = '请输入 11 位手机号码';
      return e;
    }

    async function submit() {
      errors.value = check();
      if (Object.keys(errors.value).length) return;
      const body = { kind: form.kind, username: form.username.trim(), password: form.password, name: form.name.trim(), phone: form.phone };
      if (form.kind === 'person') body.id_number = form.id_number.toUpperCase();
      else body.uscc = form.uscc;
      busy.value = true;
      try {
        await post('/api/v1/auth/register', body);
        await loadSession();
        ElementPlus.ElMessage.success('注册成功，已为您登录');
        navigate('/', { replace: true });
      } catch (err) {
        errors.value = err.fields || {};
        ElementPlus.ElMessage.error(err.message);
      } finally {
        busy.value = false;
      }
    }
    return { form, errors, busy, submit };
  },
  template: `
  <div class="auth-page">
    <el-card shadow="never" class="auth-card auth-wide">
      <h2 class="auth-title">注册账号</h2>
      <el-radio-group v-model="form.kind" class="kind-switch">
        <el-radio-button value="person">自然人注册</el-radio-button>
        <el-radio-button value="legal">法人注册</el-radio-button>
      </el-radio-group>
      <el-form :model="form" label-position="top" @submit.prevent="submit">
        <el-form-item label="用户名" required :error="errors.username">
          <el-input v-model="form.username" autocomplete="username" placeholder="字母、数字或下划线" />
        </el-form-item>
        <el-form-item :label="form.kind === 'person' ? '姓名' : '单位名称'" required :error="errors.name">
          <el-input v-model="form.name" />
        </el-form-item>
        <el-form-item v-if="form.kind === 'person'" label="居民身份证号码" required :error="errors.id_number">
          <el-input v-model="form.id_number" maxlength="18" placeholder="18 位身份证号码" />
        </el-form-item>
        <el-form-item v-else label="统一社会信用代码" required :error="errors.uscc">
          <el-input v-model="form.uscc" maxlength="18" placeholder="18 位统一社会信用代码" @input="form.uscc = form.uscc.toUpperCase()" />
        </el-form-item>
        <el-form-item label="手机号码" required :error="errors.phone">
          <el-input v-model="form.phone" maxlength="11" />
        </el-form-item>
        <el-form-item label="密码" required :error="errors.password">
          <el-input v-model="form.password" type="password" show-password autocomplete="new-password" />
        </el-form-item>
        <el-form-item label="确认密码" required :error="errors.confirm">
          <el-input v-model="form.confirm" type="password" show-password autocomplete="new-password" />
        </el-form-item>
        <el-button type="primary" size="large" class="auth-submit" native-type="submit" :loading="busy">注 册</el-button>
      </el-form>
      <div class="auth-foot">已有账号？<a href="/login">直接登录</a></div>
    </el-card>
  </div>`,
};
