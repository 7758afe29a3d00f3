/*
 * Consent manager embed script: <script src="…/embed.js" data-portal="pau" async>.
 *
 * It paints the banner the host pre-rendered from the Go components at once,
 * reads the stored choice as Go does, sends Consent Mode's signals, stores a
 * choice clicked on the banner at once, and loads the portal's second script
 * (web/loader.js), which runs the gated scripts, makes every other action
 * work before Go, shows the charter and starts the WebAssembly client.
 * `make build` minifies it (esbuild) and the host puts the manifest in place
 * of __CONSENT_MANIFEST__ when it serves it. Keep it small: it is what
 * delays the banner, and it must stay under 4 KB with brotli.
 */
(() => {
  "use strict";
  const M = __CONSENT_MANIFEST__;
  const RECEIPTS = "consentBanner.receipts";
  const d = document, script = d.currentScript;
  const id = (script && script.getAttribute("data-portal")) || M.defaultPortal;
  const P = M.portals[id];
  const api = window.consentBanner = window.consentBanner || {};
  const url = (path) => new URL(path, script ? script.src : location.href).href;
  if (api._boot) return; // the snippet is on the page twice
  if (!P) {
    console.error(`consent manager: no portal "${id}" (data-portal) here, only ${Object.keys(M.portals)}`);
    return;
  }
  // The portal's second script (web/loader.js) is asked for first of all:
  // it carries the dialog, and one round trip on a slow network is longer
  // than all this script does before the banner shows. It runs once the
  // banner is painted (paint).
  const preload = d.createElement("link");
  preload.rel = "preload";
  preload.as = "script";
  preload.href = url(P.loader);
  d.head.append(preload);

  const pickLang = () => {
    for (const w of [d.documentElement.lang, ...(navigator.languages || [navigator.language])]) {
      const l = String(w || "").toLowerCase().split("-")[0];
      if (P.languages.includes(l)) return l;
    }
    return P.languages[0];
  };

  // The stored choice, read exactly as Go reads it (consent/cookie.go; the
  // cases of consent/testdata/cookies.json check that both agree), so that
  // a returning visitor never sees the banner and gated scripts run before
  // the late WebAssembly. The first valid copy of the cookie counts.
  const K = M.platformKeys;
  const bool = (v) => typeof v == "boolean";
  const categoryOf = (k) => k.split("/")[0];
  // The cookie value of a choice, exactly as Go's Choice.Encode writes it:
  // every platform key (the purpose it stands for allowed), the time of the
  // choice in milliseconds, and this manager's own fields.
  const encode = (choices, t, id) => {
    const allows = (k) => (P.optional.includes(k) ? [k] : P.optional.filter((pk) => categoryOf(pk) == k)).every((pk) => choices[pk]);
    const v = {};
    for (const k of K) v[k] = k in P.trackers && allows(P.trackers[k]);
    v.timestamp = t;
    v.consent = { version: 1, revision: P.revision, id, choices: Object.fromEntries([...P.optional].sort().map((k) => [k, choices[k]])) };
    return encodeURIComponent(JSON.stringify(v));
  };
  // How long a choice is kept: a consent (exempt measurement aside) as
  // long as the portal keeps consents, a refusal as long as refusals.
  const days = (choices) => P.optional.some((k) => choices[k] && !P.exempt.includes(categoryOf(k))) ? P.consentDays : P.refusalDays;
  const read = (raw, now) => {
    let o, at, choices, legacy;
    try { o = JSON.parse(decodeURIComponent(raw)); } catch (e) { return null; }
    // (A list, a string or a number has no timestamp.)
    if (!o || Object.keys(o).some((k) => !K.includes(k) && k != "timestamp" && k != "consent")) return null;
    const t = o.timestamp, c = o.consent;
    if (typeof t != "number") return null;
    // A tracker's key stands for a purpose, or for its whole category.
    const mapped = (k) => Object.keys(P.trackers).filter((key) => P.trackers[key] == k || P.trackers[key] == categoryOf(k));
    if (c != null) {
      choices = c.choices || {};
      if (encode(choices, t, c.id) !== raw || !/^[a-z2-7]{16}$/.test(c.id) || !Number.isInteger(t) || t <= 0 || !P.optional.every((k) => bool(choices[k]))) return null;
      at = t;
    } else {
      if (K.some((k) => o[k] != null && !bool(o[k]))) return null;
      legacy = 1;
      choices = {};
      let consented;
      for (const k of P.optional) {
        const keys = mapped(k), refused = keys.filter((key) => o[key] === false).length;
        if (refused && refused < keys.length) return null;
        choices[k] = keys.length ? !refused : P.exempt.includes(categoryOf(k));
        consented = consented || (keys.length && !refused && !P.exempt.includes(categoryOf(k)));
      }
      if (consented && !P.honour) return null;
      at = Math.trunc(t) * (t < 1e11 ? 1000 : 1);
    }
    const until = at + (legacy ? M.platformDays : days(choices)) * 864e5;
    if (at > now + 36e5 || until <= now) return null;
    const categories = {};
    for (const k of P.required) categories[k] = true;
    // A category consented to service by service is accepted when all are.
    for (const k of P.optional) {
      const cat = categoryOf(k);
      categories[k] = choices[k];
      categories[cat] = categories[cat] !== false && choices[k];
    }
    const iso = (ms) => new Date(ms).toISOString().slice(0, 19) + "Z";
    return { id: legacy ? "" : c.id, revision: P.revision, decidedAt: iso(at), expiresAt: iso(until), categories, ...(legacy && { platformBanner: true }) };
  };
  const storedChoice = () => {
    for (const m of [...d.cookie.matchAll(/(?:^|;\s*)cookies_preferences=([^;]*)/g)].slice(0, M.cookieCopies)) {
      const c = read(m[1], Date.now());
      if (c) return c;
    }
    return null;
  };

  const lang = pickLang();
  // What runs before any choice: necessary and exempt categories.
  const defaults = () => Object.fromEntries([...P.required, ...P.optional].map((c) => [c, P.required.includes(c) || P.exempt.includes(c.split("/")[0])]));
  // A browser that sends Global Privacy Control has refused: categories
  // that need consent start refused, and no banner asks again.
  const gpc = () => P.gpc && navigator.globalPrivacyControl === true && {
    gpc: true, categories: defaults(),
  };
  api._state = api._state || storedChoice() || gpc() || null;

  // Google Consent Mode v2, when the portal asks for it: every signal denied
  // before any tag can run, then granted or denied from the stored choice at
  // once, and again after each choice. Tags stay gated all the same.
  const CM = P.consentMode;
  function gtag() { (window.dataLayer = window.dataLayer || []).push(arguments); }
  const signals = (choice) => {
    const o = {};
    for (const s in CM) o[s] = choice && CM[s].length && CM[s].every((c) => choice.categories[c]) ? "granted" : "denied";
    return o;
  };
  const consentMode = () => { if (CM && api._state) gtag("consent", "update", signals(api._state)); };
  if (CM) gtag("consent", "default", { ...signals(), wait_for_update: 500 });
  consentMode();
  // The charter link is made absolute: on a portal's page a host path would
  // resolve against the portal.
  const boot = api._boot = { lang, pending: "", charterHref: url(P.charterHref), charterTarget: "", receipts: M.receipts ? url(M.receipts) : "" };
  api._queue = api._queue || [];
  // Commands go to Go once it runs, to the loader before, and wait for the
  // loader until it arrives.
  const command = (name) => () => {
    if (api._go) api._go(name); else if (api._local) api._local(name); else api._queue.push(name);
  };
  api.show = command("show");
  api.showPreferences = command("showPreferences");
  api.get = () => api._state;
  api.acceptedCategory = (name) => !!(api._state && api._state.categories[name]);

  // Constructed stylesheets: no inline style for a strict CSP to refuse.
  const addStyles = (css) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    d.adoptedStyleSheets = [...d.adoptedStyleSheets, sheet];
  };

  let root;
  const paint = () => {
    addStyles(M.bannerCSS);
    const holder = d.createElement("div");
    holder.innerHTML = P.html[lang];
    root = holder.firstElementChild;
    root.classList.add("cb-enter");
    if (api._state) banner().hidden = true;
    root.querySelector(".cb-link").href = boot.charterHref;
    root.addEventListener("click", earlyClick);
    d.body.prepend(root);
    d.addEventListener("click", (e) => {
      // Opendatasoft renders its footer's "Gérer mes cookies" as this button.
      if (e.target.closest && e.target.closest("[data-consent-open],.ods-manage-cookies-preferences__show-button")) {
        e.preventDefault();
        api.showPreferences();
      }
    });
    d.addEventListener("consent:change", consentMode);
    // The rest comes in the second script, which this script asked for as
    // it began (preload).
    api._embed = { M, P, id, root, url, addStyles, read, defaults, write, choicesOf, queued, keep };
    const loader = d.createElement("script");
    loader.src = preload.href;
    loader.onerror = () => console.error(`consent manager: cannot load ${loader.src}`);
    d.head.appendChild(loader);
  };
  const banner = () => root.querySelector(".cb-banner");
  // Receipts wait in localStorage until the host has answered them; the
  // loader sends them (web/loader.js).
  const queued = () => {
    try { return JSON.parse(localStorage.getItem(RECEIPTS)) || []; } catch (e) { return []; }
  };
  const keep = (list) => {
    try { localStorage.setItem(RECEIPTS, JSON.stringify(list.slice(-20))); } catch (e) { /* storage refused: sent once */ }
  };
  // The choices of a banner or dialog action: everything, or what needs no
  // consent (exempt measurement).
  const choicesOf = (action) => Object.fromEntries(P.optional.map((k) => [k, action == "accept-all" || P.exempt.includes(categoryOf(k))]));
  // Stores a choice as Go does (bridge.WriteChoice): the cookie, in this
  // task, the page told, the receipt queued. cleared names the cookies of
  // refused categories the loader deleted.
  const write = (choices, cleared) => {
    const now = Date.now(), at = now - now % 1000, before = api._state;
    const value = encode(choices, at, Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => "abcdefghijklmnopqrstuvwxyz234567"[b & 31]).join(""));
    // The cookie first: nothing the visitor does waits for the rest.
    d.cookie = `cookies_preferences=${value}; Path=/; Max-Age=${days(choices) * 86400}; SameSite=Lax${location.protocol == "https:" ? "; Secure" : ""}`;
    const state = api._state = read(value, now);
    banner().hidden = true;
    if (boot.receipts) keep([...queued(), { url: boot.receipts, body: JSON.stringify({ consentId: state.id, portal: id, revision: P.revision, choices, decidedAt: state.decidedAt }) }]);
    const withdrawn = before && before.id != null ? P.optional.filter((k) => before.categories[k] && !choices[k]) : [];
    d.dispatchEvent(new CustomEvent("consent:change", { detail: { ...state, withdrawn, cleared } }));
  };
  // A click on the pre-rendered banner: the loader handles it once there;
  // before, "Tout accepter" and "Tout refuser" are stored at once, and
  // "Personnaliser" waits for the loader's dialog.
  const earlyClick = (e) => {
    const button = e.target.closest("[data-cb-action]");
    if (!button || api._ready) return;
    const action = button.dataset.cbAction;
    if (api._decide) return api._decide(action);
    if (action != "customise") return write(choicesOf(action), []);
    boot.pending = action;
    button.setAttribute("aria-busy", "true");
  };

  if (d.body) paint();
  else d.addEventListener("DOMContentLoaded", paint);
})();
