/*
 * Consent manager embed script: <script src="…/embed.js" data-portal="pau" async>.
 *
 * It paints the banner the host pre-rendered from the Go components at once,
 * keeps any click made before Go runs (in sessionStorage until Go has written
 * the cookie), runs the page's gated scripts that the stored choice allows,
 * queues the page API, and starts the WebAssembly client: at once on a first
 * visit; for a returning visitor it is only fetched and compiled after the
 * page's load, at idle time, and runs when the visitor or the page asks.
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

  // A quick reading of the stored choice, in the shape Go publishes, so that
  // a returning visitor never sees the banner flash and gated scripts run
  // before the late WebAssembly; Go checks the cookie strictly when it runs.
  const storedChoice = () => {
    const m = d.cookie.match(/(?:^|;\s*)cookies_preferences=([^;]*)/);
    const f = m ? m[1].split(".") : [];
    if (f.length !== 5 || f[0] !== "1" || +f[1] !== P.revision) return null;
    const categories = {};
    let any = false;
    for (const c of P.required) categories[c] = true;
    for (const pair of f[4].split("&")) {
      const [c, v] = pair.split("=");
      if (P.optional.includes(c)) any = ((categories[c] = v === "1") && !P.exempt.includes(c)) || any;
    }
    if (P.optional.some((c) => !(c in categories))) return null;
    // A category consented to service by service is accepted when all are.
    for (const k of P.optional) if (k.includes("/")) categories[k.split("/")[0]] = categories[k] && categories[k.split("/")[0]] !== false;
    const at = +f[2] * 1000, until = at + (any ? P.consentDays : P.refusalDays) * 864e5;
    const iso = (t) => new Date(t).toISOString().slice(0, 19) + "Z";
    return until > Date.now() ? { id: f[3], revision: P.revision, decidedAt: iso(at), expiresAt: iso(until), categories } : null;
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
  const command = (name) => () => {
    if (api._go) api._go(name); else { api._queue.push(name); start(); }
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

  let root, prepared, started;
  const paint = () => {
    addStyles(M.bannerCSS);
    const holder = d.createElement("div");
    holder.innerHTML = P.html[lang];
    root = holder.firstElementChild;
    root.classList.add("cb-enter");
    if (api._state || (pending && pending !== "customise")) banner().hidden = true;
    root.querySelector(".cb-link").href = boot.charterHref;
    root.addEventListener("click", earlyClick);
    d.body.prepend(root);
    const target = d.querySelector("[data-consent-charter]");
    if (target) {
      if (!target.id) target.id = "cb-charter-" + id;
      boot.charterTarget = "#" + CSS.escape(target.id);
    }
    d.addEventListener("click", (e) => {
      if (e.target.closest && e.target.closest("[data-consent-open]")) {
        e.preventDefault();
        api.showPreferences();
      }
    });
    d.addEventListener("consent:change", () => { gate(); consentMode(); });
    gate();
    if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", gate);
    if (!api._state || pending || target) start();
    else if (d.readyState === "complete") idle();
    else addEventListener("load", idle);
  };
  const banner = () => root.querySelector(".cb-banner");
  // A returning visitor's client is fetched and compiled after the page's
  // load, at idle time and low priority, and runs only when asked for (the
  // preferences, the API): the page pays nothing for it meanwhile.
  const idle = () => (window.requestIdleCallback || setTimeout)(() => prepare("low").catch(() => {}), { timeout: 3000 });

  // A click on the pre-rendered banner before Go runs: hide the banner in
  // the same frame and keep the choice until Go writes the cookie.
  const earlyClick = (e) => {
    const button = e.target.closest("[data-cb-action]");
    if (!button || api._ready) return;
    const action = boot.pending = button.dataset.cbAction;
    if (action === "customise") return button.setAttribute("aria-busy", "true");
    banner().hidden = true;
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ portal: id, revision: P.revision, action }));
    } catch (err) { /* storage refused: the choice still applies if Go loads on this page */ }
  };

  // A file that never arrives fails after M.timeout ms, like one that fails.
  const get = (path, what, priority) => fetch(url(path), { priority, signal: AbortSignal.timeout(M.timeout) }).then((r) => {
    if (r.ok) return r;
    throw Error("HTTP " + r.status);
  }).catch((err) => { throw Error(`${what} ${url(path)}: ${err.message}`); });
  // Fetches the configuration, the dialog's styles and the WebAssembly, and
  // compiles it while it streams; nothing runs yet.
  const prepare = (priority) => prepared = prepared || Promise.all([
    get(P.config, "configuration", priority).then((r) => r.text()),
    get(M.css, "stylesheet", priority).then((r) => r.text()),
    WebAssembly.compileStreaming(get(M.wasm, "WebAssembly", priority)),
  ]);

  const start = () => {
    if (started) return;
    started = true;
    // What wasm_exec.js adds to window, deleted once Go has read it.
    const leaks = ["Go", "fs", "process", "path"].filter((k) => !(k in window));
    const exec = new Promise((resolve, reject) => {
      const s = d.createElement("script");
      s.src = url(M.exec);
      s.onload = resolve;
      s.onerror = () => reject(new Error("cannot load " + s.src));
      d.head.appendChild(s);
    });
    Promise.all([prepare(), exec]).then(([[config, css, module]]) => {
      boot.config = config;
      addStyles(css);
      const go = new Go();
      return WebAssembly.instantiate(module, go.importObject).then((instance) => {
        if (d.body.firstElementChild !== root) d.body.prepend(root);
        // go-app replaces the painted root with its own elements: the
        // visitor's focus moves to the same control in them.
        const controls = (r) => r.querySelectorAll("button,a");
        const focused = [...controls(root)].indexOf(d.activeElement);
        if (focused >= 0) d.addEventListener("consent:ready", () => controls(d.getElementById("cb-root"))[focused].focus(), { once: true });
        go.run(instance); // returns once Go's initialisation is done
        for (const k of leaks) delete window[k];
      });
    }).catch((err) => {
      api._failed = err.message;
      console.error(`consent manager: Go could not start, the banner keeps your choice for the next page (${err.message})`);
    });
  };

  if (d.body) paint();
  else d.addEventListener("DOMContentLoaded", paint);
})();
