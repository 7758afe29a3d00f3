/*
 * Consent manager embed script: <script src="…/embed.js" data-portal="pau" async>.
 *
 * It paints the banner the host pre-rendered from the Go components at once,
 * reads the stored choice as Go does, runs the page's gated scripts that it
 * allows, sends Consent Mode's signals, and loads the portal's second script
 * (web/loader.js), which makes every action work before Go and starts the
 * WebAssembly client. A click on the banner before the loader arrives is
 * kept (in sessionStorage, across a navigation) for the loader to store.
 * `make build` minifies it (esbuild) and the host puts the manifest in place
 * of __CONSENT_MANIFEST__ when it serves it. Keep it small: it is what
 * delays the banner, and it must stay under 4 KB with brotli.
 */
(() => {
  "use strict";
  const M = __CONSENT_MANIFEST__;
  const KEY = "consentBanner.pending";
  const d = document, script = d.currentScript;
  const id = (script && script.getAttribute("data-portal")) || M.defaultPortal;
  const P = M.portals[id];
  const api = window.consentBanner = window.consentBanner || {};
  const url = (path) => new URL(path, script ? script.src : location.href).href;
  if (api._boot) return; // the snippet is on the page twice
  if (!P) {
    console.error(`consent manager: unknown portal "${id}" in data-portal; this host serves: ${Object.keys(M.portals)}`);
    return;
  }

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
    const any = P.optional.some((k) => choices[k] && !P.exempt.includes(categoryOf(k)));
    const until = at + (legacy ? M.platformDays : any ? P.consentDays : P.refusalDays) * 864e5;
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
    for (const m of d.cookie.matchAll(/(?:^|;\s*)cookies_preferences=([^;]*)/g)) {
      const c = read(m[1], Date.now());
      if (c) return c;
    }
    return null;
  };

  const readPending = () => {
    try {
      const p = JSON.parse(sessionStorage.getItem(KEY));
      return p && p.portal === id && p.revision === P.revision ? p.action : "";
    } catch (e) { return ""; }
  };

  // Gating: <script type="text/plain" data-category="statistics"> (inline,
  // or with data-src) and any element with data-category and data-src (an
  // iframe, say) come to life once every category they name is accepted.
  const gate = () => {
    const accepted = (api._state || { categories: defaults() }).categories;
    for (const el of d.querySelectorAll('script[type="text/plain"][data-category],[data-category][data-src]')) {
      if (!el.dataset.category.split(" ").every((c) => accepted[c])) continue;
      const src = el.dataset.src;
      if (el.tagName !== "SCRIPT") {
        el.removeAttribute("data-src");
        el.src = src;
        continue;
      }
      const s = d.createElement("script");
      for (const a of el.attributes) if (a.name !== "data-src") s.setAttribute(a.name, a.value);
      s.type = el.dataset.type || "text/javascript";
      // Tags keep the page's order, as they would have without gating.
      if (src) { s.src = src; s.async = el.hasAttribute("async"); } else s.text = el.text;
      el.replaceWith(s);
    }
  };

  const lang = pickLang();
  const pending = readPending();
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
  const boot = api._boot = { lang, pending, charterHref: url(P.charterHref), charterTarget: "", receipts: M.receipts ? url(M.receipts) : "" };
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

  const addStyles = (css) => {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      d.adoptedStyleSheets = [...d.adoptedStyleSheets, sheet];
    } catch (e) {
      d.head.appendChild(d.createElement("style")).textContent = css;
    }
  };

  let root;
  const paint = () => {
    addStyles(M.bannerCSS);
    const holder = d.createElement("div");
    holder.innerHTML = P.html[lang];
    root = holder.firstElementChild;
    root.classList.add("cb-enter");
    if (api._state || pending) banner().hidden = true;
    root.querySelector(".cb-link").href = boot.charterHref;
    root.addEventListener("click", earlyClick);
    d.body.prepend(root);
    const target = d.querySelector("[data-consent-charter]");
    if (target) {
      if (!target.id) target.id = "cb-charter-" + id;
      boot.charterTarget = "#" + CSS.escape(target.id);
    }
    d.addEventListener("click", (e) => {
      // Opendatasoft renders its footer's "Gérer mes cookies" as this button.
      if (e.target.closest && e.target.closest("[data-consent-open],.ods-manage-cookies-preferences__show-button")) {
        e.preventDefault();
        api.showPreferences();
      }
    });
    d.addEventListener("consent:change", () => { gate(); consentMode(); });
    gate();
    if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", gate);
    // What only Go's arrival needs comes in a second script, after the
    // banner: web/loader.js.
    api._embed = { M, P, id, root, url, addStyles, encode, read, defaults, KEY };
    const loader = d.createElement("script");
    loader.src = url(P.loader);
    loader.onerror = () => console.error(`consent manager: cannot load ${loader.src}, the banner keeps your choice for the next page`);
    d.head.appendChild(loader);
  };
  const banner = () => root.querySelector(".cb-banner");
  // A click on the pre-rendered banner before Go runs: the loader stores the
  // choice at once. Before the loader arrives, the banner hides in the same
  // frame and the choice waits for it (in sessionStorage, so that a
  // navigation does not lose it).
  const earlyClick = (e) => {
    const button = e.target.closest("[data-cb-action]");
    if (!button || api._ready) return;
    const action = button.dataset.cbAction;
    if (api._decide) return api._decide(action);
    boot.pending = action;
    if (action === "customise") return button.setAttribute("aria-busy", "true");
    banner().hidden = true;
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ portal: id, revision: P.revision, action }));
    } catch (err) { /* storage refused: the loader still stores it if it arrives on this page */ }
  };

  if (d.body) paint();
  else d.addEventListener("DOMContentLoaded", paint);
})();
