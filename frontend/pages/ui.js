// The pages' plumbing, apart from the Stytch calls (those stand in each page, as the guide
// writes them): steps, busy buttons, readable errors, what a reload must not forget, the
// logged-in panel and the emulator's outbox.

const PREFIX = 'samples:';

// Steps -----------------------------------------------------------------------------------

export function showStep(id) {
  for (const section of document.querySelectorAll('section.step')) section.hidden = section.id !== id;
  sessionStorage.setItem(PREFIX + 'step:' + location.pathname, id);
  const first = document.querySelector(`#${id} input:not([readonly]), #${id} button`);
  if (first) first.focus();
}

export function rememberedStep() {
  return sessionStorage.getItem(PREFIX + 'step:' + location.pathname);
}

// The organization and member the MFA calls name: kept from the primary authentication's
// response (the SDK keeps only the IST, in its cookie), so a reload mid-flow can go on.
export function remember(values) {
  for (const [key, value] of Object.entries(values)) sessionStorage.setItem(PREFIX + key, value);
}

export function recall(key) {
  return sessionStorage.getItem(PREFIX + key);
}

export function forget() {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith(PREFIX)) sessionStorage.removeItem(key);
}

export function hasIntermediateSession() {
  return document.cookie.split('; ').some((c) => c.startsWith('stytch_intermediate_session_token='));
}

// Forms -----------------------------------------------------------------------------------

// Run one submit: its buttons disabled meanwhile (a double click sends once), its status line
// showing Stytch's error if the call fails. Returns what `work` returned, or undefined.
export async function run(form, work) {
  const buttons = form.querySelectorAll('button');
  const line = statusLine(form);
  buttons.forEach((b) => (b.disabled = true));
  setStatus(line, 'Working…');
  try {
    const result = await work();
    if (line.textContent === 'Working…') setStatus(line, '');  // unless `work` said something
    return result;
  } catch (err) {
    showError(line, err);
    return undefined;
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
}

export function statusLine(element) {
  const section = element.closest('section') || document.body;
  return element.querySelector('.status') || section.querySelector('.status');
}

export function setStatus(line, text, kind = '') {
  line.className = 'status' + (kind ? ' ' + kind : '');
  line.textContent = text;
}

// Stytch's messages say what went wrong; these add what to do about it on these pages.
const HINTS = {
  intermediate_session_not_found: 'Log in again.',
  no_match_for_provided_magic_link_url: 'This page is not a registered redirect URL of the project (make frontend registers it).',
  email_jit_provisioning_not_allowed: 'Use an address at the organization\'s allowed domain.',
  organization_not_found: 'The organization is missing: restart make frontend (it creates it).',
  unable_to_auth_magic_link: 'That link was used or expired: send a new one.',
  bad_domain_for_stytch_sdk: 'This page\'s origin is not allowed to call the SDK (project setting sdk_allowed_origins).',
};

export function showError(line, err) {
  line.className = 'status error';
  line.replaceChildren();
  if (err && err.error_type) {  // StytchAPIError: Stytch's own error body
    const type = document.createElement('code');
    type.textContent = err.error_type;
    line.append(type, `: ${err.error_message}`);
    if (HINTS[err.error_type]) line.append(` ${HINTS[err.error_type]}`);
  } else {
    line.textContent = String(err && err.message ? err.message : err);
  }
}

export function mask(token) {
  return token ? `${token.slice(0, 6)}…` : '';
}

// What the page holds, shown without handing out a usable token: (first 6 characters).
export function showResponse(container, title, response) {
  const masked = JSON.parse(JSON.stringify(response, (key, value) =>
    typeof value === 'string' && /(session_token|session_jwt|intermediate_session_token)$/.test(key) ? mask(value)
      : typeof value === 'string' && value.startsWith('data:image/') ? value.slice(0, 30) + '…' : value));
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  const pre = document.createElement('pre');
  summary.textContent = title;
  pre.textContent = JSON.stringify(masked, null, 2);
  details.append(summary, pre);
  container.replaceChildren(details);
}

// The last step: what happened, and the response (tokens shortened).
export function finish(message, response) {
  document.getElementById('done-message').textContent = message;
  showResponse(document.getElementById('last-response'), 'The last response (tokens shortened)', response);
  showStep('step-done');
}

// An authenticator app's registration from totp.create(): the QR code, the secret to type
// instead, and the recovery codes, shown once.
export function showTotpRegistration(response, createForm) {
  document.getElementById('totp-qr').src = response.qr_code;
  document.getElementById('totp-secret').textContent = response.secret;
  document.getElementById('totp-recovery-codes').replaceChildren(...response.recovery_codes.map((code) => {
    const item = document.createElement('li');
    item.textContent = code;
    return item;
  }));
  document.getElementById('totp-registration').hidden = false;
  createForm.hidden = true;
  document.getElementById('totp-input').focus();
}

// The logged-in panel ------------------------------------------------------------------------

// Who is logged in, from the SDK's state (its cookies and local storage). A session found at
// load is checked with Stytch (session.authenticate(); the SDK also does it in the background
// every few minutes), as an app checks it before trusting it. Reads the member and organization
// with self.get() and organization.get().
export function sessionPanel(stytch, element) {
  let latest = 0;  // the SDK may report twice in a row: only the newest rendering is shown
  let checked = 'issued by Stytch just now';
  const check = async () => {
    checked = 'checking with Stytch…';
    try {
      await stytch.session.authenticate();
      checked = `by Stytch (session.authenticate) at ${new Date().toLocaleTimeString()}`;
    } catch (err) {
      checked = `refused: ${err.error_type || err.message}`;
    }
    render(stytch.session.getSync());
  };
  const render = async (session) => {
    const mine = ++latest;
    const parts = [heading('Session')];
    if (!session) {
      const none = document.createElement('p');
      none.id = 'logged-out';
      none.textContent = 'Not logged in.';
      element.replaceChildren(...parts, none);
      return;
    }
    const facts = document.createElement('dl');
    facts.className = 'facts';
    facts.id = 'session-facts';
    const add = (term, value, id) => {
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = term;
      dd.textContent = value;
      if (id) dd.id = id;
      facts.append(dt, dd);
    };
    add('factors', session.authentication_factors.map((f) => `${f.type} (${f.delivery_method})`).join(', '), 'session-factors');
    add('expires', session.expires_at);
    add('checked', checked, 'session-checked');
    add('session token', mask(stytch.session.getTokens()?.session_token), 'session-token');
    try {
      const [member, organization] = await Promise.all([stytch.self.get(), stytch.organization.get()]);
      add('email', member.email_address, 'member-email');
      add('organization', organization.organization_name);
      add('MFA', member.mfa_enrolled ? `enrolled, default ${member.default_mfa_method || 'none'}` : 'not enrolled', 'member-mfa');
      add('phone', member.mfa_phone_number || '—');
      add('authenticator app', member.totp_registration_id ? 'registered' : '—');
    } catch (err) {
      add('member', `not readable: ${err.error_type || err.message}`);
    }
    if (mine !== latest) return;
    const logout = button('Log out', '', async () => {
      logout.disabled = true;
      try { await stytch.session.revoke(); } catch { await stytch.session.revoke({ forceClear: true }).catch(() => {}); }
      forget();
      location.replace(location.pathname);
    });
    logout.id = 'logout';
    const copy = button('Copy session token', 'secondary', async () => {
      await navigator.clipboard.writeText(stytch.session.getTokens()?.session_token || '');
      copy.textContent = 'Copied';
    });
    const actions = document.createElement('div');
    actions.className = 'choices';
    actions.append(logout, copy);
    element.replaceChildren(...parts, facts, actions);
  };
  stytch.session.onChange(render);
  if (stytch.session.getSync()) check();
  else render(null);
}

function heading(text) {
  const h = document.createElement('h2');
  h.textContent = text;
  return h;
}

function button(text, kind, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  if (kind) b.className = kind;
  b.addEventListener('click', onClick);
  return b;
}

// The emulator's outbox --------------------------------------------------------------------

// Emulator only: the newest email or SMS to `recipient`, {to: address or phone number} or
// {member: member_id} (an SMS to the member's phone, whose number the page sees masked), read
// by the page server from the emulator. On a real project it arrives in the member's inbox or
// on their phone.
let outboxRequests = 0;

export async function showOutbox(element, recipient) {
  if (!recipient) return;
  // The page asks at load and again once the login says who the member is: only the newest
  // request's answer may fill the panel, whichever arrives last.
  const request = ++outboxRequests;
  const list = element.querySelector('.messages');
  const answer = await fetch(`/outbox?${new URLSearchParams(recipient)}`);
  const { messages } = await answer.json();
  if (request !== outboxRequests) return;
  list.replaceChildren();
  if (!messages.length) {
    list.textContent = `Nothing sent to ${recipient.to || 'this member\'s phone'} yet.`;
    return;
  }
  const message = messages[0];
  const card = document.createElement('div');
  card.className = 'message';
  card.dataset.channel = message.channel;
  if (message.channel === 'email') {
    const link = document.createElement('a');
    link.href = message.url;
    link.textContent = 'Open the login link';
    link.id = 'outbox-link';
    card.append(`${message.subject} `, link);
  } else {
    card.textContent = message.body;
    card.id = 'outbox-sms';
  }
  const when = document.createElement('div');
  when.className = 'label';
  when.textContent = `to ${message.to}, ${message.sent_at}`;
  list.append(card, when);
}

// The frame every page shares -------------------------------------------------------------

const FLOWS = [
  ['/first-time-enrollment.html', 'First-time enrollment'],
  ['/returning-login.html', 'Returning login'],
  ['/optional-enrollment.html', 'Optional enrollment'],
];

// The header with the flows, and beside the page the session panel and the emulator's outbox.
export function frame() {
  const header = document.createElement('header');
  header.innerHTML = '<span class="brand">Acme · Stytch headless SDK samples</span><nav><a href="/">All flows</a></nav>';
  for (const [href, title] of FLOWS) {
    const link = document.createElement('a');
    link.href = href;
    link.textContent = title;
    if (location.pathname === href) link.setAttribute('aria-current', 'page');
    header.querySelector('nav').append(link);
  }
  const aside = document.createElement('aside');
  aside.innerHTML = `
    <div id="session-panel"></div>
    <div id="outbox">
      <h2>Emulator outbox</h2>
      <p class="label">Emulator only, not part of the app: what Stytch would email or text.</p>
      <div class="messages"></div>
      <button type="button" class="secondary" id="outbox-refresh">Refresh</button>
    </div>`;
  document.body.prepend(header);
  document.querySelector('.layout').append(aside);
  return { sessionPanel: aside.querySelector('#session-panel'), outbox: aside.querySelector('#outbox') };
}
