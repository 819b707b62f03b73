// The simulated phone: polls the emulator-only API once a second while the page is visible
// (nothing while it is hidden), and moves the clock on request. Every text from the emulator
// goes in through textContent, never as HTML: organization names and emails are user input.
"use strict";

(() => {
  const API = "/emulator/v1";
  const POLL_MS = 1000;
  const RETRY_MS = 3000;
  const MESSAGES_SHOWN = 6;
  const FRESH_MS = 4000;

  const $ = (id) => document.getElementById(id);
  let skew = 0;            // the emulator's clock minus this browser's, in seconds
  let offset = 0;          // the emulator's clock minus real time, in seconds
  let authenticator = null; // the last GET totp_registrations answer
  let messagesSeen = null;  // ids already shown (null before the first answer: nothing is "fresh")
  let timer = null;
  let polling = false;
  let pollAgain = false;    // asked to poll while a poll was under way (after a clock move)

  const theme = new URLSearchParams(location.search).get("theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;

  const emulatorNow = () => Date.now() / 1000 + skew;
  const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const dateFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", year: "numeric", month: "short", day: "numeric" });

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function duration(seconds) {
    seconds = Math.round(Math.abs(seconds));
    const units = [["d", 86400], ["h", 3600], ["min", 60], ["s", 1]];
    const parts = [];
    for (const [name, size] of units) {
      if (seconds >= size && parts.length < 2) {
        parts.push(`${Math.floor(seconds / size)} ${name}`);
        seconds %= size;
      }
    }
    return parts.join(" ") || "0 s";
  }

  function age(sentAt) {
    const seconds = emulatorNow() - Date.parse(sentAt) / 1000;
    return seconds < 5 ? "just now" : `${duration(seconds)} ago`;
  }

  // A code as two groups of three digits; copying it gives the digits alone.
  function fillCode(node, code) {
    if (node.dataset.code === code) return;
    node.dataset.code = code;
    node.replaceChildren(element("span", "", code.slice(0, 3)), element("span", "", code.slice(3)));
    node.setAttribute("aria-label", `code ${code.split("").join(" ")}`);
  }

  async function getJSON(path) {
    const answer = await fetch(API + path, { cache: "no-store", headers: { Accept: "application/json" } });
    const body = await answer.json();
    if (!answer.ok) throw new Error(body.error_message || `HTTP ${answer.status}`);
    return body;
  }

  async function postJSON(path, body) {
    // The gate takes state changes only as JSON from the emulator's own origin.
    const answer = await fetch(API + path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const data = await answer.json();
    if (!answer.ok) throw new Error(data.error_message || `HTTP ${answer.status}`);
    return data;
  }

  // Messages ---------------------------------------------------------------------------------

  function messageCard(message) {
    const card = element("li", `card ${message.channel}`);
    card.dataset.id = message.message_id;
    const meta = element("p", "meta");
    const sent = element("time", "", timeFormat.format(new Date(message.sent_at)));
    sent.dateTime = message.sent_at;
    meta.append(element("span", "kind", message.channel === "sms" ? "SMS" : "Email"),
                element("span", "to", `to ${message.to}`), sent, element("span", "age", age(message.sent_at)));
    card.append(meta);
    if (message.channel === "sms") {
      const code = element("p", "code");
      fillCode(code, message.code || "");
      card.append(code, element("p", "tag"), element("p", "body", message.body));
    } else {
      // The subject says what came; the body (a long link a lesson reads by itself) folds away.
      const body = element("details", "body");
      body.append(element("summary", "", "Show the email"), element("p", "", message.body));
      card.append(element("p", "subject", message.subject || "(no subject)"), body);
    }
    return card;
  }

  function showMessages(messages) {
    const list = $("messages");
    const cards = new Map(Array.from(list.children, (card) => [card.dataset.id, card]));
    const newestTo = new Set();  // channel and recipient of the newer messages
    const ordered = messages.map((message) => {
      const card = cards.get(message.message_id) || messageCard(message);
      cards.delete(message.message_id);
      if (messagesSeen && !messagesSeen.has(message.message_id)) {
        card.classList.add("fresh");
        setTimeout(() => card.classList.remove("fresh"), FRESH_MS);
      }
      const recipient = `${message.channel} ${message.to}`;
      const older = newestTo.has(recipient);
      newestTo.add(recipient);
      card.classList.toggle("older", older);
      if (message.channel === "sms") {
        // One active code per member: a newer SMS to the same number replaced this one.
        setText(card.querySelector(".tag"), older ? "Replaced: a newer code was sent to this number." : "");
      }
      return card;
    });
    for (const gone of cards.values()) gone.remove();
    ordered.forEach((card, index) => {
      if (list.children[index] !== card) list.insertBefore(card, list.children[index] || null);
    });
    messagesSeen = new Set(messages.map((message) => message.message_id));
    $("messages-empty").hidden = messages.length > 0;
  }

  // Authenticator ----------------------------------------------------------------------------

  function totpCard(registration) {
    const card = element("li", "card totp");
    card.dataset.id = registration.totp_registration_id;
    const countdown = element("div", "countdown");
    const bar = element("span", "bar");
    bar.append(element("span"));
    countdown.append(bar, element("span", "seconds"));
    card.append(element("p", "issuer"), element("p", "account"), element("p", "code"), countdown,
                element("p", "status"));
    return card;
  }

  function showAuthenticator() {
    const list = $("totps");
    const registrations = authenticator ? authenticator.totp_registrations : [];
    const cards = new Map(Array.from(list.children, (card) => [card.dataset.id, card]));
    registrations.forEach((registration, index) => {
      const card = cards.get(registration.totp_registration_id) || totpCard(registration);
      cards.delete(registration.totp_registration_id);
      if (list.children[index] !== card) list.insertBefore(card, list.children[index] || null);
    });
    for (const gone of cards.values()) gone.remove();
    $("totps-empty").hidden = registrations.length > 0;
    tickAuthenticator();
  }

  function statusOf(registration, used, secondsLeft) {
    if (registration.expired) return ["warn", "Expired before it was confirmed: create a new registration."];
    if (used) return ["warn", `Active. This code was used (each works once): the next comes in ${Math.ceil(secondsLeft)} s.`];
    if (registration.status === "pending") {
      return ["", `Pending: confirm a code (totps.authenticate) by ${timeFormat.format(new Date(registration.expires_at))}.`];
    }
    return ["ok", "Active"];
  }

  function tickAuthenticator() {
    if (!authenticator) return;
    const period = authenticator.period_seconds;
    const now = emulatorNow();
    // Past the window of the last answer: show the next code until the next answer comes.
    const later = now >= authenticator.step_ends_at_unix;
    const stale = now >= authenticator.step_ends_at_unix + period;
    const ends = authenticator.step_ends_at_unix + (later ? period : 0);
    const secondsLeft = Math.max(0, ends - now);
    const byId = new Map(authenticator.totp_registrations.map((r) => [r.totp_registration_id, r]));
    for (const card of $("totps").children) {
      const registration = byId.get(card.dataset.id);
      const used = !later && registration.code_used;
      setText(card.querySelector(".issuer"), registration.organization_name || "(organization deleted)");
      setText(card.querySelector(".account"), registration.email_address || registration.member_id);
      const code = card.querySelector(".code");
      if (stale) {
        code.replaceChildren("––– –––");
        code.dataset.code = "";
      } else {
        fillCode(code, later ? registration.next_code : registration.code);
      }
      card.classList.toggle("unusable", used || registration.expired);
      card.querySelector(".bar > span").style.transform = `scaleX(${secondsLeft / period})`;
      setText(card.querySelector(".seconds"), `${Math.ceil(secondsLeft)} s`);
      const [tone, text] = statusOf(registration, used, secondsLeft);
      const status = card.querySelector(".status");
      status.className = `status ${tone}`;
      setText(status, text);
    }
  }

  // Clock ------------------------------------------------------------------------------------

  function tickClock() {
    const now = new Date(emulatorNow() * 1000);
    setText($("clock-now"), timeFormat.format(now));
    $("clock-now").dateTime = now.toISOString();
    const when = offset < 1 ? "Real time" : `${duration(offset)} ahead of real time`;
    setText($("clock-offset"), `${dateFormat.format(now)} · ${when}`);
    for (const card of $("messages").children) {
      setText(card.querySelector(".age"), age(card.querySelector("time").dateTime));
    }
  }

  function tick() {
    tickClock();
    tickAuthenticator();
  }

  async function moveClock(path, body) {
    const buttons = document.querySelectorAll(".buttons button");
    buttons.forEach((button) => { button.disabled = true; });
    $("clock-error").hidden = true;
    try {
      await postJSON(path, body);
      await poll();
    } catch (error) {
      setText($("clock-error"), `The clock did not move: ${error.message}`);
      $("clock-error").hidden = false;
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
    }
  }

  // Polling ----------------------------------------------------------------------------------

  async function poll() {
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = true;
    clearTimeout(timer);
    let next = POLL_MS;
    try {
      const asked = Date.now() / 1000;
      const [messages, registrations, clock] = await Promise.all([
        getJSON(`/messages?limit=${MESSAGES_SHOWN}`), getJSON("/totp_registrations"), getJSON("/clock"),
      ]);
      skew = clock.now_unix - (asked + Date.now() / 1000) / 2;
      offset = clock.offset_seconds;
      authenticator = registrations;
      showMessages(messages.messages);
      showAuthenticator();
      tick();
      const connection = $("connection");
      connection.classList.remove("down");
      setText(connection, "Live: updates every second.");
    } catch (error) {
      next = RETRY_MS;
      const connection = $("connection");
      connection.classList.add("down");
      setText(connection, `The emulator is not answering (${error.message}); trying again every ${RETRY_MS / 1000} s.`);
    } finally {
      polling = false;
      if (pollAgain) {
        pollAgain = false;
        next = 0;
      }
      if (!document.hidden) timer = setTimeout(poll, next);
    }
  }

  for (const button of document.querySelectorAll("[data-advance]")) {
    button.addEventListener("click", () => moveClock("/clock/advance", { seconds: Number(button.dataset.advance) }));
  }
  $("clock-reset").addEventListener("click", () => moveClock("/clock/reset", {}));
  document.addEventListener("visibilitychange", () => {
    clearTimeout(timer);
    if (!document.hidden) poll();
  });
  setInterval(tick, 250);
  poll();
})();
