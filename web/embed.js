/*
 * Consent manager embed script: <script src="…/embed.js" data-portal="pau" async>.
 *
 * It paints the banner the host pre-rendered from the Go components at once,
 * keeps any click made before Go runs (in sessionStorage until Go has written
 * the cookie), queues the page API, and starts the WebAssembly client: now on
 * a first visit, after the page's load and at idle time for a returning
 * visitor. The host fills in M (the manifest) when it serves this file.
 */
(function () {
  "use strict";
  var M = /*MANIFEST*/null;
  var KEY = "consentBanner.pending";
  var script = document.currentScript;
  var id = (script && script.getAttribute("data-portal")) || M.defaultPortal;
  var P = M.portals[id];
  var api = window.consentBanner = window.consentBanner || {};
  var url = function (path) { return new URL(path, script ? script.src : location.href).href; };
  if (!P) {
    console.error("consent manager: unknown portal \"" + id + "\" in data-portal; this host serves: " + Object.keys(M.portals).join(", "));
    return;
  }

  function pickLang() {
    var wanted = [document.documentElement.lang].concat(navigator.languages || [navigator.language]);
    for (var i = 0; i < wanted.length; i++) {
      var w = String(wanted[i] || "").toLowerCase().split("-")[0];
      if (P.languages.indexOf(w) >= 0) return w;
    }
    return P.languages[0];
  }

  // A quick check of the stored choice, so that a returning visitor never
  // sees the banner flash; Go checks it strictly again when it runs.
  function storedChoice() {
    var m = document.cookie.match(/(?:^|;\s*)cookies_preferences=([^;]*)/);
    var f = m ? m[1].split(".") : [];
    if (f.length !== 5 || f[0] !== "1" || +f[1] !== P.revision) return null;
    var cats = {}, accepted = false;
    f[4].split("&").forEach(function (pair) {
      var kv = pair.split("=");
      cats[kv[0]] = kv[1] === "1";
      accepted = accepted || cats[kv[0]];
    });
    for (var i = 0; i < P.optional.length; i++) if (!(P.optional[i] in cats)) return null;
    var days = accepted ? P.consentDays : P.refusalDays;
    if ((+f[2] + days * 86400) * 1000 <= Date.now()) return null;
    return cats;
  }

  function readPending() {
    try {
      var p = JSON.parse(sessionStorage.getItem(KEY));
      return p && p.portal === id && p.revision === P.revision ? p.action : "";
    } catch (e) { return ""; }
  }

  var lang = pickLang();
  var pending = readPending();
  var stored = storedChoice();
  // The charter link is made absolute: on a portal's page a host path would
  // resolve against the portal.
  var boot = { lang: lang, pending: pending, charterHref: url(P.charterHref), charterTarget: "" };
  api._boot = boot;
  api._queue = api._queue || [];
  api._state = api._state || null;
  function command(name) {
    return function () {
      if (api._go) api._go(name); else { api._queue.push(name); start(); }
    };
  }
  api.show = command("show");
  api.showPreferences = command("showPreferences");
  api.get = function () { return api._state; };
  api.acceptedCategory = function (name) {
    return !!(api._state && api._state.categories && api._state.categories[name]);
  };

  function addStyles() {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(M.css);
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat(sheet);
    } catch (e) {
      var style = document.createElement("style");
      style.textContent = M.css;
      document.head.appendChild(style);
    }
  }

  var root;
  function paint() {
    addStyles();
    var holder = document.createElement("div");
    holder.innerHTML = P.html[lang];
    root = holder.firstElementChild;
    if (stored || pending === "accept-all" || pending === "reject-all") {
      root.querySelector(".cb-banner").hidden = true;
    }
    root.querySelector(".cb-link").href = boot.charterHref;
    root.addEventListener("click", earlyClick);
    document.body.prepend(root);
    var target = document.querySelector("[data-consent-charter]");
    if (target) {
      if (!target.id) target.id = "cb-charter-" + id;
      boot.charterTarget = "#" + CSS.escape(target.id);
    }
    document.addEventListener("click", function (e) {
      var opener = e.target.closest && e.target.closest("[data-consent-open]");
      if (opener) { e.preventDefault(); api.showPreferences(); }
    });
    if (!stored || pending || target) start();
    else if (document.readyState === "complete") idle(start);
    else addEventListener("load", function () { idle(start); });
  }

  function idle(fn) { (window.requestIdleCallback || setTimeout)(fn, { timeout: 3000 }); }

  // A click on the pre-rendered banner before Go runs: hide the banner in
  // the same frame and keep the choice until Go writes the cookie.
  function earlyClick(e) {
    var button = e.target.closest("[data-cb-action]");
    if (!button || api._ready) return;
    var action = button.getAttribute("data-cb-action");
    boot.pending = action;
    if (action === "customise") {
      button.setAttribute("aria-busy", "true");
      return;
    }
    root.querySelector(".cb-banner").hidden = true;
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ portal: id, revision: P.revision, action: action }));
    } catch (err) { /* storage refused: the choice still applies if Go loads on this page */ }
  }

  var started;
  function start() {
    if (started) return;
    started = true;
    var config = fetch(url(P.config)).then(function (r) {
      if (!r.ok) throw new Error("configuration: HTTP " + r.status);
      return r.text();
    });
    var exec = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = url(M.exec);
      s.onload = resolve;
      s.onerror = function () { reject(new Error("cannot load " + s.src)); };
      document.head.appendChild(s);
    });
    var module = WebAssembly.compileStreaming(fetch(url(M.wasm))).catch(function (err) {
      throw new Error("WebAssembly " + M.wasm + ": " + err.message);
    });
    Promise.all([config, exec, module]).then(function (r) {
      boot.config = r[0];
      var go = new Go();
      return WebAssembly.instantiate(r[2], go.importObject).then(function (instance) {
        if (document.body.firstElementChild !== root) document.body.prepend(root);
        go.run(instance);
      });
    }).catch(function (err) {
      api._failed = err.message;
      console.error("consent manager: Go could not start, the banner keeps your choice for the next page (" + err.message + ")");
    });
  }

  if (document.body) paint();
  else document.addEventListener("DOMContentLoaded", paint);
})();
