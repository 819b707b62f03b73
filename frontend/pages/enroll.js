// The guide's enrollment samples, SMS and TOTP, as the first-time and optional flows run them:
// choose a method, then send a code to a phone and check it, or register an authenticator app
// (its QR code) and check its code. The optional flow adds set_mfa_enrollment: 'enroll' (and
// may make the app the default); the headless SDK adds the intermediate session token, or the
// session, by itself.
import * as ui from '/ui.js';

const STEPS = `
  <section class="step" id="step-method" hidden>
    <h2>2. Secure your account</h2>
    <p class="intro"></p>
    <div class="choices" id="method-choices">
      <button type="button" data-method="sms_otp">Text me a code (SMS)</button>
      <button type="button" data-method="totp">Use an authenticator app</button>
    </div>
    <p class="status" role="status"></p>
  </section>
  <section class="step" id="step-sms" hidden>
    <h2>3. Enroll your phone</h2>
    <form id="phone-form">
      <label for="phone-input">Mobile number, E.164 format (e.g. +14155550123)</label>
      <input type="tel" id="phone-input" placeholder="Enter phone number" autocomplete="tel" />
      <button type="submit">Send OTP</button>
    </form>
    <form id="otp-form">
      <label for="otp-input">Enter code</label>
      <input id="otp-input" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9]*">
      <button type="submit">Submit</button>
    </form>
    <p class="status" role="status"></p>
    <button type="button" class="secondary back-to-methods">Choose another method</button>
  </section>
  <section class="step" id="step-totp" hidden>
    <h2>3. Register an authenticator app</h2>
    <form id="totp-create-form">
      <button type="submit">Create TOTP</button>
    </form>
    <div id="totp-registration" hidden>
      <div class="qr">
        <img id="totp-qr" alt="QR code for your authenticator app">
        <div>Scan the QR code with your authenticator app, or type this secret into it:<br>
          <code class="secret" id="totp-secret"></code></div>
      </div>
      <p>Keep these recovery codes somewhere safe; each one logs you in once without the app:</p>
      <ul class="codes" id="totp-recovery-codes"></ul>
    </div>
    <form id="totp-form">
      <label for="totp-input">Enter code</label>
      <input id="totp-input" autocomplete="one-time-code" inputmode="numeric">
      <label class="default-choice" hidden><input type="checkbox" id="totp-default"> Make the
        authenticator app my default method</label>
      <button type="submit">Submit</button>
    </form>
    <p class="status" role="status"></p>
    <button type="button" class="secondary back-to-methods">Choose another method</button>
  </section>`;

// Renders the steps into #enroll-steps. `optional`: the member has a session already and opts
// in (set_mfa_enrollment: 'enroll'). `onEnrolled` gets the authenticate response.
export function enrollment(stytch, { intro, optional = false, onEnrolled, onPhone }) {
  document.getElementById('enroll-steps').outerHTML = STEPS;
  document.querySelector('#step-method .intro').textContent = intro;
  document.querySelector('#step-totp .default-choice').hidden = !optional;
  const optIn = optional ? { set_mfa_enrollment: 'enroll' } : {};

  // The guide's SMS sample. Its `onclick="sendOtp()"` would call sendOtp without the event that
  // `e.preventDefault()` needs: the function listens to the form's submit event instead.
  const sendOtp = async (e) => {
    e.preventDefault();
    const phone = document.getElementById('phone-input').value.trim();
    await ui.run(e.target, async () => {
      await stytch.otps.sms.send({
        member_id: ui.recall('member_id'),
        organization_id: ui.recall('organization_id'),
        mfa_phone_number: phone,
      });
      ui.remember({ phone_number: phone });
      ui.setStatus(ui.statusLine(e.target), `We texted a code to ${phone}.`, 'ok');
      document.getElementById('otp-input').focus();
      onPhone(phone);
    });
  };

  const authenticateOtp = async (e) => {
    e.preventDefault();
    const response = await ui.run(e.target, () =>
      stytch.otps.sms.authenticate({
        member_id: ui.recall('member_id'),
        organization_id: ui.recall('organization_id'),
        code: document.getElementById('otp-input').value.trim(),
        session_duration_minutes: 60,
        ...optIn,
      }));
    if (response) onEnrolled(response);
  };

  // The guide's TOTP samples.
  const createTotp = async (e) => {
    e.preventDefault();
    const response = await ui.run(e.target, () =>
      stytch.totp.create({
        member_id: ui.recall('member_id'),
        organization_id: ui.recall('organization_id'),
        expiration_minutes: 60,
      }));
    if (response) ui.showTotpRegistration(response, e.target);
  };

  const authenticateTotp = async (e) => {
    e.preventDefault();
    const response = await ui.run(e.target, () =>
      stytch.totp.authenticate({
        member_id: ui.recall('member_id'),
        organization_id: ui.recall('organization_id'),
        code: document.getElementById('totp-input').value.trim(),
        session_duration_minutes: 60,
        ...(optional ? { ...optIn, set_default_mfa: document.getElementById('totp-default').checked } : {}),
      }));
    if (response) onEnrolled(response);
  };

  document.getElementById('phone-input').value = ui.recall('phone_number') || '';  // after a reload
  document.getElementById('phone-form').addEventListener('submit', sendOtp);
  document.getElementById('otp-form').addEventListener('submit', authenticateOtp);
  document.getElementById('totp-create-form').addEventListener('submit', createTotp);
  document.getElementById('totp-form').addEventListener('submit', authenticateTotp);
  for (const choice of document.querySelectorAll('#method-choices button')) {
    choice.addEventListener('click', () => ui.showStep(choice.dataset.method === 'totp' ? 'step-totp' : 'step-sms'));
  }
  for (const back of document.querySelectorAll('.back-to-methods')) back.addEventListener('click', () => ui.showStep('step-method'));

  return {
    // Offer the methods the organization allows (the guide: if mfa_methods is RESTRICTED, only
    // allowed_mfa_methods; else both).
    offer(organization) {
      const allowed = organization.mfa_methods === 'RESTRICTED' ? organization.allowed_mfa_methods : ['sms_otp', 'totp'];
      for (const choice of document.querySelectorAll('#method-choices button')) choice.hidden = !allowed.includes(choice.dataset.method);
      ui.showStep('step-method');
    },
    steps: ['step-method', 'step-sms', 'step-totp'],
  };
}
