// /verify?no=&code=: the public check of a notice (办件核验), opened from the QR code printed on
// it. No sign-in: it shows only what the notice itself says, with the applicant's name masked.
import { get } from '../api.js';
import { route, navigate, href } from '../router.js';

const { ref, reactive, onMounted } = Vue;

export default {
  name: 'VerifyPage',
  setup() {
    const form = reactive({ no: route.query.no || '', code: route.query.code || '' });
    const result = ref(null);
    const error = ref('');
    const loading = ref(false);
    async function check() {
      result.value = null;
      error.value = '';
      if (!form.no.trim() || !form.code.trim()) {
        error.value = '请输入办件编号和验证码';
        return;
      }
      loading.value = true;
      try {
        result.value = await get('/api/v1/public/verify', { no: form.no.trim(), code: form.code.trim() });
      } catch (err) {
        error.value = err.status === 404 ? '未查到该办件，请核对办件编号和验证码；如有疑问请拨打 12345 咨询' : err.message;
      } finally {
        loading.value = false;
      }
    }
    function submit() {
      navigate(href('/verify', { no: form.no.trim(), code: form.code.trim() }), { replace: true });
      check();
    }
    onMounted(() => {
      if (form.no && form.code) check();
    });
    return { form, result, error, loading, submit };
  },
  template: `
  <div class="container page verify-page">
    <el-card shadow="never" class="panel verify-card">
      <h1 class="page-title center">办件核验</h1>
      <p class="muted center">核对通知书、决定书上的办件信息是否与平台记录一致</p>
      <el-form label-position="top" @submit.prevent="submit">
        <el-form-item label="办件编号"><el-input v-model="form.no" maxlength="40" data-test="verify-no" /></el-form-item>
        <el-form-item label="验证码"><el-input v-model="form.code" maxlength="40" data-test="verify-code" /></el-form-item>
        <el-button type="primary" native-type="submit" :loading="loading" class="auth-submit" data-test="verify-submit">核验</el-button>
      </el-form>
      <el-alert v-if="error" :title="error" type="error" :closable="false" class="verify-alert" data-test="verify-error" />
      <div v-if="result" class="verify-result" data-test="verify-result">
        <el-alert title="核验通过：该办件为本平台真实办件" type="success" :closable="false" show-icon />
        <table class="doc-table">
          <tr><th>办件编号</th><td>{{ result.case_no }}</td></tr>
          <tr><th>办理事项</th><td>{{ result.item_name }}</td></tr>
          <tr><th>办理部门</th><td>{{ result.dept }}</td></tr>
          <tr><th>申请人</th><td>{{ result.applicant }}</td></tr>
          <tr><th>办理状态</th><td data-test="verify-state">{{ result.state_label }}</td></tr>
          <tr><th>受理日期</th><td>{{ result.accepted_day || '—' }}</td></tr>
          <tr><th>承诺办结日期</th><td>{{ result.promised_day || '—' }}</td></tr>
          <tr><th>办结日期</th><td>{{ result.decided_day || '—' }}</td></tr>
        </table>
      </div>
    </el-card>
  </div>`,
};
