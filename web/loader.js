/*
 * The portal's second script, which web/embed.js loads once the banner is
 * painted; the host serves one per portal, carrying the preferences dialog
 * pre-rendered by the same Go component as Go's, in each language, in place
 * of __CONSENT_PORTAL__. Before Go runs, it makes every action work: the
 * dialog (switches, cookie lists, its three buttons, Escape, focus kept
 * inside and given back), a choice stored at the click (the cookie written
 * as Go writes it, the receipt sent and kept until the host acknowledges
 * it), the charter, the page API. It starts the WebAssembly client on a
 * page that holds the charter; elsewhere the client is fetched only when the
 * visitor heads for the charter (headingToCharter).
 * Go continues from what the visitor left: the dialog open or not, its
 * switches, the focus, the stored choice.
 */
(() => {
  "use strict";
  const X = __CONSENT_PORTAL__;
  const d = document, api = window.consentBanner, boot = api._boot;
  const { P, id, root, url, addStyles, defaults, write, choicesOf, queued, keep } = api._embed;
  const banner = root.querySelector(".cb-banner");
  const categoryOf = (k) => k.split("/")[0];
  // What runs now: the stored choice, or before any the defaults.
  const accepted = () => (api._state || { categories: defaults() }).categories;
  // The styles of the dialog, the charter and the placeholders: parsing
  // them is a task of its own on a slow phone (a constructed stylesheet is
  // parsed whole), so it comes just after this script's, or at once when
  // one of them is shown first.
  let styled = false;
  const styles = () => {
    if (!styled) addStyles(X.css);
    styled = true;
  };
  setTimeout(styles);

  // Gating: <script type="text/plain" data-category="statistics"> (inline,
  // or with data-src) and any element with data-category and data-src (an
  // iframe, say) come to life once every category they name is accepted.
  // Until then such an element shows, at its size, the placeholder the host
  // rendered for what it needs (app.Placeholder): a button there accepts it.
  const gate = () => {
    const on = accepted();
    // (A tag of an integration runs after its defaults: web/integrations.js.)
    for (const el of d.querySelectorAll('script[type="text/plain"][data-category]:not([data-integration]),[data-category][data-src]')) {
      const missing = el.dataset.category.split(" ").find((c) => !on[c]);
      if (el.tagName === "SCRIPT") {
        if (!missing) runTag(el);
        continue;
      }
      if (el.cbPlaceholder && el.cbPlaceholder.cbKey != missing) {
        el.cbPlaceholder.remove();
        el.cbPlaceholder = null;
        el.style.display = el.cbDisplay;
      }
      if (missing) {
        hold(el, missing);
        continue;
      }
      el.src = el.dataset.src;
      el.removeAttribute("data-src");
    }
  };
  // Runs a held <script type="text/plain">: the same script, its type
  // restored (data-type), its data-src as src; onload runs once it has
  // (at once for an inline one).
  const runTag = api._embed.runTag = (el, onload) => {
    const src = el.dataset.src, s = d.createElement("script");
    for (const a of el.attributes) if (a.name !== "data-src") s.setAttribute(a.name, a.value);
    s.type = el.dataset.type || "text/javascript";
    // Tags keep the page's order, as they would have without gating.
    if (src) {
      s.src = src;
      s.async = el.hasAttribute("async");
      if (onload) s.onload = onload;
    } else s.text = el.text;
    el.replaceWith(s);
    if (!src && onload) onload();
  };
  const hold = (el, key) => {
    const html = X.placeholders[boot.lang][key];
    if (el.cbPlaceholder || !html) return;
    styles();
    const box = el.getBoundingClientRect(), holder = d.createElement("div");
    holder.innerHTML = html;
    const ph = el.cbPlaceholder = holder.firstElementChild;
    ph.cbFor = el;
    ph.cbKey = key;
    // The element's size (CSSOM, which a strict CSP allows), never wider
    // than the page.
    if (box.width) ph.style.width = box.width + "px";
    if (box.height) ph.style.minHeight = box.height + "px";
    el.before(ph);
    // Over any display the page's stylesheet gives it; the page's own
    // inline one comes back with the element.
    el.cbDisplay = el.style.display;
    el.style.setProperty("display", "none", "important");
  };
  // A placeholder's button accepts what it names, on top of the stored
  // choice; the element shows as soon as all it needs is accepted, and
  // takes the focus the button had.
  d.addEventListener("click", (e) => {
    const button = e.target.closest && e.target.closest("[data-cb-accept]"), ph = button && button.closest(".cb-placeholder");
    if (!ph || !ph.cbFor) return;
    e.preventDefault();
    const el = ph.cbFor, key = button.dataset.cbAccept, on = accepted();
    const choices = Object.fromEntries(P.optional.map((k) => [k, !!on[k] || k == key || categoryOf(k) == key]));
    store(choices);
    if (api._go) api._go("stored");
    const next = el.cbPlaceholder && el.cbPlaceholder.querySelector("[data-cb-accept]");
    if (next) return next.focus();
    if (el.tabIndex < 0) el.setAttribute("tabindex", "-1");
    el.focus();
  });

  gate();
  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", gate);
  d.addEventListener("consent:change", gate);

  // The switches of the dialog and of the charter. A category that lists
  // services has a switch of its own, on when all of its services are,
  // turning them all on or off.
  const switchesIn = (box) => {
    const list = [...box.querySelectorAll("input[data-key]:not([disabled])")];
    const services = (cat) => list.filter((i) => categoryOf(i.dataset.key) == cat && i.dataset.key != cat);
    list.sync = () => {
      for (const i of list) if (services(i.dataset.key).length) i.checked = services(i.dataset.key).every((s) => s.checked);
    };
    for (const i of list) {
      i.addEventListener("change", () => {
        for (const s of services(i.dataset.key)) s.checked = i.checked;
        list.sync();
      });
    }
    return list;
  };
  const positions = (list) => Object.fromEntries(list.map((i) => [i.dataset.key, i.checked]));
  // The controls of a part of the page, in order: the focus moves to the
  // same one when that part is drawn again.
  const controls = (box) => box.querySelectorAll("button,a,input,summary");

  // The dialog.
  root.insertAdjacentHTML("beforeend", X.dialogs[boot.lang]);
  const dialog = root.querySelector("dialog.cb-dialog");
  const switches = switchesIn(dialog);
  // The switches as the stored choice (or, before any, the defaults) sets
  // them, as Go's dialog shows them.
  const reset = () => {
    const on = accepted();
    for (const i of switches) i.checked = !!on[i.dataset.key];
    switches.sync();
    const gpc = dialog.querySelector(".cb-gpc");
    if (gpc) gpc.hidden = !(api._state && api._state.gpc);
  };
  reset();

  // Go runs only on the page that holds the charter. Elsewhere nothing is
  // fetched for it, but when the visitor shows they are heading there: a
  // link to the charter hovered, focused or touched, or the preferences
  // dialog opened (its charter link is one step away). Then the client is
  // fetched at low priority into the browser's cache, not compiled (the
  // charter page compiles it as it starts), so that the charter page finds
  // it there. Never on a connection that asks to save data or is 2G: 1.1 MB
  // is a minute there.
  let headed = false;
  const headingToCharter = () => {
    const c = navigator.connection;
    if (headed || (c && (c.saveData || /2g/.test(c.effectiveType || "")))) return;
    headed = true;
    fetch(url(X.wasm), { priority: "low" }).then((r) => r.arrayBuffer()).catch(() => { /* the charter page fetches it again */ });
  };
  const towardsCharter = (e) => {
    const a = e.target.closest && e.target.closest("a[href]");
    if (a && a.href.split("#")[0] == boot.charterHref.split("#")[0]) headingToCharter();
  };
  for (const type of ["pointerover", "focusin", "touchstart"]) d.addEventListener(type, towardsCharter, { capture: true, passive: true });

  const open = () => {
    headingToCharter();
    styles();
    reset();
    // A modal <dialog>: the page is inert behind it, focus goes to its
    // title (autofocus), Escape closes it and the browser gives the focus
    // back to the opener.
    if (!dialog.open) dialog.showModal();
  };
  dialog.querySelector(".cb-close").addEventListener("click", () => dialog.close());
  // Tab and Shift+Tab go round inside the dialog, as in Go's.
  dialog.addEventListener("keydown", (e) => {
    if (e.key != "Tab") return;
    const controls = dialog.querySelectorAll("button:not([disabled]), input:not([disabled]), summary, a[href]");
    const first = controls[0], last = controls[controls.length - 1];
    if (e.shiftKey ? d.activeElement == first : d.activeElement == last) {
      (e.shiftKey ? last : first).focus();
      e.preventDefault();
    }
  });

  // A choice is stored at the click, as Go stores it (bridge.WriteChoice):
  // stale copies of the cookie at other paths and domains deleted, one
  // cookie written, the cookies of refused categories deleted, the page
  // told, the receipt sent.
  const domains = () => {
    const h = location.hostname, list = [""];
    if (h.includes(".") && !/^[\d.]+$|:/.test(h)) {
      list.push("; Domain=" + h);
      const parent = h.slice(h.indexOf(".") + 1);
      if (parent.includes(".")) list.push("; Domain=" + parent);
    }
    return list;
  };
  const paths = () => {
    const p = location.pathname, list = ["/"];
    for (let i = 1; i < p.length; i++) if (p[i] == "/") list.push(p.slice(0, i), p.slice(0, i + 1));
    if (!p.endsWith("/")) list.push(p);
    return list;
  };
  const erase = (name, path) => { for (const domain of domains()) d.cookie = `${name}=; Path=${path}; Max-Age=0${domain}`; };
  const store = (choices) => {
    for (const path of paths()) erase("cookies_preferences", path);
    // consent.CookiesToClear: a category none of whose purposes is
    // accepted loses its cookies.
    const present = d.cookie.split(";").map((c) => c.split("=")[0].trim());
    const cleared = present.filter((name) => Object.keys(X.cookies).some((cat) => !P.optional.some((k) => categoryOf(k) == cat && choices[k]) &&
      X.cookies[cat].some((n) => (n.endsWith("*") ? name.startsWith(n.slice(0, -1)) : name == n))));
    for (const name of cleared) erase(name, "/");
    write(choices, cleared);
    if (dialog.open) dialog.close();
    flush();
  };
  const decide = api._decide = (action) => {
    if (action == "customise") return open();
    const choices = choicesOf(action);
    if (action == "save") for (const i of switches) if (i.dataset.key in choices) choices[i.dataset.key] = i.checked;
    store(choices);
  };

  // Receipts, Go's and the page's, wait in localStorage until the host
  // answers; one the network lost is sent again by a later page. The host
  // keeps a receipt sent twice once.
  const send = (r) => fetch(r.url, { method: "POST", body: r.body, keepalive: true, credentials: "omit" }).then((res) => {
    // An answer other than "try later" (5xx, 429) is final; a refusal says
    // why on the console (a portal's address missing from its
    // configuration, above all).
    if (res.status >= 500 || res.status == 429) return;
    keep(queued().filter((q) => q.body != r.body));
    if (res.status >= 400) res.text().then((why) => console.warn(`consent manager: receipt refused (HTTP ${res.status}): ${why}`));
  }, () => { /* offline, or the page is leaving: sent again later */ });
  const flush = () => { for (const r of queued()) send(r); };
  api._receipt = (body) => {
    if (boot.receipts) keep([...queued(), { url: boot.receipts, body }]);
    flush();
  };
  flush();

  // The page API before Go, and what was asked before this script came.
  api._local = (name) => {
    if (name == "showPreferences") open();
    if (name == "show") banner.hidden = false;
  };
  for (const name of api._queue.splice(0)) api._local(name);
  for (const b of root.querySelectorAll("[aria-busy]")) b.removeAttribute("aria-busy");
  if (boot.pending) decide(boot.pending);

  // The copies of the consent cookie, as the page's cookie header holds them.
  const storedCookies = () => d.cookie.split(/;\s*/).filter((c) => c.startsWith("cookies_preferences=")).join("; ");

  // A file that never arrives fails after X.timeout ms, like one that fails.
  const get = (path, what) => fetch(url(path), { signal: AbortSignal.timeout(X.timeout) }).then((r) => {
    if (r.ok) return r;
    throw Error("HTTP " + r.status);
  }).catch((err) => { throw Error(`${what} ${url(path)}: ${err.message}`); });
  // Fetches the configuration and the WebAssembly, and compiles it while it
  // streams; nothing runs yet.
  const prepare = () => Promise.all([
    get(X.config, "configuration").then((r) => r.text()),
    WebAssembly.compileStreaming(get(X.wasm, "WebAssembly")),
  ]);

  const nextTask = () => new Promise((resolve) => setTimeout(resolve));
  // The benchmark's phone (CPU 4× slower) warms up in 230 to 370 ms: ten
  // times that, and a worker stuck for any reason delays Go's start by no
  // more.
  const WARM_UP_LIMIT = 3000;
  // Most of Go's start is the browser compiling each Go function the first
  // time it runs, on the thread that runs it. A Web Worker runs the Go code
  // of that start first, on the page's configuration and cookie
  // (bridge.ReadWarmUp, app.WarmUp), from the same module: its compiled
  // code is shared by the module's instances, so the page's own start runs
  // that code already compiled, in shorter tasks (the README's benchmark).
  // The worker has no page and no cookie jar; it fetches wasm_exec.js alone.
  // Without it (a policy without worker-src blob:, a browser that refuses,
  // a worker that fails or takes longer than WARM_UP_LIMIT) Go starts all
  // the same, compiling as it goes.
  const warmUp = (module, config) => new Promise((done) => {
    let worker, src;
    const finish = () => {
      clearTimeout(late);
      if (worker) worker.terminate();
      URL.revokeObjectURL(src);
      done();
    };
    const late = setTimeout(finish, WARM_UP_LIMIT);
    try {
      const request = { config, lang: boot.lang, page: location.href,
        cookie: storedCookies() };
      src = URL.createObjectURL(new Blob([`self.consentWarmUp = ${JSON.stringify(request)}; importScripts(${JSON.stringify(url(X.exec))});
        onmessage = (e) => { const go = new Go(); WebAssembly.instantiate(e.data, go.importObject).then((i) => go.run(i))
          .finally(() => postMessage(consentWarmUp.done ? consentWarmUp.error || "" : "it did not run")); };`], { type: "text/javascript" }));
      worker = new Worker(src);
      // A worker the page's policy refuses fires error: that case is
      // known (Content-Security-Policy in the README), Go starts as before.
      worker.onerror = finish;
      worker.onmessage = (e) => {
        if (e.data) console.warn(`consent manager: Go's warm-up failed (${e.data}); Go starts without it`);
        finish();
      };
      worker.postMessage(module);
    } catch {
      // Go's instantiation still comes in a task of its own.
      setTimeout(finish);
    }
  });
  const start = () => {
    // What wasm_exec.js adds to window, deleted once Go has read it.
    const leaks = ["Go", "fs", "process", "path"].filter((k) => !(k in window));
    const exec = new Promise((resolve, reject) => {
      const s = d.createElement("script");
      s.src = url(X.exec);
      s.onload = resolve;
      s.onerror = () => reject(new Error("cannot load " + s.src));
      d.head.appendChild(s);
    });
    Promise.all([prepare(), exec]).then(([[config, module]]) => {
      boot.config = config;
      const go = new Go();
      // Go's start is cut into tasks (here, and at each bridge.Yield in
      // Go): the page never freezes while it starts.
      return warmUp(module, config).then(() => WebAssembly.instantiate(module, go.importObject)).then((instance) => nextTask().then(() => instance)).then((instance) => {
        // Go's root takes the place of the painted one, the same
        // component's elements: Go opens its dialog with the visitor's
        // switches, and the focus moves to the same control. Go asks for
        // that state as its root mounts (bridge.HandOver), in the same task,
        // a task after go-app's start: the visitor goes on using the page
        // while Go starts.
        api._handover = () => {
          const focused = [...controls(root)].indexOf(d.activeElement);
          // In the dialog, once Go's is open: opening it focuses its title.
          if (focused >= 0) {
            // As soon as Go's root replaces this one, in the same task (a
            // mutation's microtask), so that no frame is painted with the
            // focus on the page's body.
            new MutationObserver((m, o) => {
              if (root.isConnected) return;
              o.disconnect();
              const el = controls(d.getElementById("cb-root"))[focused], box = el && el.closest("dialog");
              if (box && !box.open) {
                new MutationObserver((m, o) => { if (box.open) { o.disconnect(); el.focus(); } }).observe(box, { attributes: true });
              } else if (el) el.focus();
            }).observe(root.parentNode, { childList: true });
          }
          const state = { dialogOpen: dialog.open, draft: positions(switches) };
          // Go's root takes its place later in this task.
          root.remove();
          return state;
        };
        // Go takes the charter over later than the root, in a task of its
        // own (its first render is the longest): this one stays live until
        // then, and Go's replaces it in the task that asks for its state.
        api._handoverCharter = () => {
          charterHandedOver = true;
          const at = [...controls(charter)].indexOf(d.activeElement), ours = charter.firstElementChild;
          if (at >= 0) {
            new MutationObserver((m, o) => {
              if (charter.firstElementChild === ours) return;
              o.disconnect();
              if (controls(charter)[at]) controls(charter)[at].focus();
            }).observe(charter, { childList: true });
          }
          return positions(charterSwitches);
        };
        // Returns at Go's first bridge.Yield, its package variables (the
        // globals above included) read.
        go.run(instance);
        for (const k of leaks) delete window[k];
      });
    }).catch((err) => {
      console.error(`consent manager: Go could not start (${err.message}); the banner and the preferences work without it`);
    });
  };

  // The charter in the page's data-consent-charter element, before Go: the
  // host renders it, live, for the stored choice (server/charter.go, the
  // component Go renders), and again after each choice; its switches and
  // buttons work here until Go takes it over. The element is looked for
  // once the page is parsed: this script can run before it exists.
  let charter = null;
  // charterHandedOver: Go has the charter. shown counts the requests: only
  // the last one's answer is shown.
  let charterSwitches = [], savedHere = false, charterHandedOver = false, shown = 0;
  const showCharter = (saved) => {
    const q = new URLSearchParams({ lang: boot.lang, tz: -new Date().getTimezoneOffset(), saved: saved ? 1 : 0,
      cookie: storedCookies() });
    const request = ++shown;
    // Posted as text: no preflight, the consent id out of URLs.
    fetch(url(X.charter), { method: "POST", body: q.toString(), credentials: "omit", signal: AbortSignal.timeout(X.timeout) }).then((r) => {
      if (!r.ok) throw Error("HTTP " + r.status);
      return r.text();
    }).then((html) => {
      if (charterHandedOver || request != shown) return;
      const at = [...controls(charter)].indexOf(d.activeElement);
      styles();
      charter.innerHTML = html;
      charterSwitches = switchesIn(charter);
      // A live region announces what changes in it, not what it held when
      // inserted: "saved" is said once the region is there.
      const live = charter.querySelector("[aria-live]"), said = live && live.textContent;
      if (said) {
        live.textContent = "";
        setTimeout(() => { live.textContent = said; }, 100);
      }
      if (at >= 0 && controls(charter)[at]) controls(charter)[at].focus();
    }).catch((err) => console.error(`consent manager: charter ${url(X.charter)}: ${err.message}`));
  };
  const showCharterIn = (target) => {
    if (!target.id) target.id = "cb-charter-" + id;
    boot.charterTarget = "#" + CSS.escape(target.id);
    charter = target;
    charter.addEventListener("click", (e) => {
      const button = e.target.closest("[data-cb-action]");
      if (!button || charterHandedOver) return;
      const choices = choicesOf("reject-all");
      if (button.dataset.cbAction == "save") for (const i of charterSwitches) if (i.dataset.key in choices) choices[i.dataset.key] = i.checked;
      savedHere = true;
      store(choices);
      // Go may run already, with the banner and the dialog: it adopts it.
      if (api._go) api._go("stored");
    });
    // After any choice, from here, the banner or the dialog; "saved" is
    // said after a choice made here, as in Go's charter.
    d.addEventListener("consent:change", () => {
      if (!charterHandedOver) showCharter(savedHere);
      savedHere = false;
    });
    showCharter();
  };

  // Go runs where the page needs it: on a page that holds the charter,
  // which it keeps live. Everywhere else everything works without it, on a
  // first visit as on a later one (headingToCharter).
  const parsed = () => {
    const target = d.querySelector("[data-consent-charter]");
    if (target) {
      showCharterIn(target);
      start();
    }
  };
  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", parsed);
  else parsed();
})();
