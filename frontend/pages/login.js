// Primary authentication, the guide's prerequisite: an email magic link. The page asks Stytch to
// email a link that leads back to the page itself (a registered redirect URL), and redeems the
// token the link carries with magicLinks.authenticate(). MFA, each page's own, starts from the
// response.
import * as ui from '/ui.js';

const STEPS = `
  <section class="step" id="step-login">
    <h2>1. Log in with an email magic link</h2>
    <form id="login-form">
      <label for="email-input">Work email (any address at <span class="domain"></span> signs up)</label>
      <input id="email-input" type="email" required autocomplete="email">
      <button type="submit">Email me a login link</button>
    </form>
    <p class="status" role="status"></p>
  </section>
  <section class="step" id="step-check-email" hidden>
    <h2>Check your email</h2>
    <p>We sent a login link to <b class="email"></b>. Open it in this browser.
      (On the emulator the email is in the outbox beside this page.)</p>
    <button type="button" class="secondary" id="restart">Use another address</button>
    <p class="status" role="status"></p>
  </section>`;

// Renders the login steps into #login-steps and wires them; `onAuthenticated` gets the response
// of magicLinks.authenticate().
export function magicLinkLogin(stytch, { organization, emailDomain, outbox, onAuthenticated }) {
  document.getElementById('login-steps').outerHTML = STEPS;
  const form = document.getElementById('login-form');
  const here = location.origin + location.pathname;
  let recipient = JSON.parse(ui.recall('recipient') || 'null');

  const sendLoginLink = async (e) => {
    e.preventDefault();
    const email = document.getElementById('email-input').value.trim();
    await ui.run(e.target, async () => {
      await stytch.magicLinks.email.loginOrSignup({
        organization_id: organization,  // Stytch also takes the organization's slug here
        email_address: email,
        login_redirect_url: here,
        signup_redirect_url: here,
      });
      ui.remember({ email });
      document.querySelector('#step-check-email .email').textContent = email;
      ui.showStep('step-check-email');
      setRecipient({ to: email });
    });
  };

  // The link leads back here with ?stytch_token_type=multi_tenant_magic_links&token=...
  const authenticateLink = async (token) => {
    ui.showStep('step-login');
    const response = await ui.run(form, () =>
      stytch.magicLinks.authenticate({ magic_links_token: token, session_duration_minutes: 60 }));
    history.replaceState(null, '', location.pathname);  // a reload must not spend the token again
    if (response) {
      // Keep what the MFA calls need; the SDK itself keeps the intermediate session token.
      ui.remember({ organization_id: response.organization_id, member_id: response.member_id });
      onAuthenticated(response);
    }
  };

  // Which messages the outbox beside the page shows: {to: address or number} or {member: id}.
  const setRecipient = (value) => {
    ui.remember({ recipient: JSON.stringify(value) });
    ui.showOutbox(outbox, (recipient = value));
  };

  form.addEventListener('submit', sendLoginLink);
  document.getElementById('restart').addEventListener('click', () => { ui.forget(); ui.showStep('step-login'); });
  document.getElementById('outbox-refresh').addEventListener('click', () => ui.showOutbox(outbox, recipient));
  document.querySelector('#step-login .domain').textContent = '@' + emailDomain;
  const params = new URLSearchParams(location.search);
  document.getElementById('email-input').value = params.get('email') || ui.recall('email') || '';
  document.querySelector('#step-check-email .email').textContent = ui.recall('email') || '';
  ui.showOutbox(outbox, recipient);

  return {
    // Where a page starts: true if it redeemed a link (the flow goes on from its response).
    redeemLink() {
      if (params.get('stytch_token_type') === 'multi_tenant_magic_links' && params.get('token')) {
        authenticateLink(params.get('token'));
        return true;
      }
      return false;
    },
    setRecipient,
    restartStep() {
      return ui.rememberedStep() === 'step-check-email' ? 'step-check-email' : 'step-login';
    },
  };
}
