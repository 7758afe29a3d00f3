/*
 * The consent manager's second script, which web/embed.js loads once the
 * banner is painted: it starts the WebAssembly client, at once on a first
 * visit (or when the visitor clicked, the page asks, or the page holds the
 * charter); for a returning visitor it is only fetched and compiled after
 * the page's load, at idle time, and runs when the visitor or the page asks.
 * `make build` minifies it; the host serves it under a hashed name that the
 * embed script's manifest gives.
 */
(() => {
  "use strict";
  const d = document, api = window.consentBanner, boot = api._boot;
  const { M, P, root, url, addStyles } = api._embed;
  let prepared, started;

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

  const start = api._start = () => {
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
      console.error(`consent manager: Go could not start, the banner keeps your choice for the next page (${err.message})`);
    });
  };

  // A returning visitor's client is fetched and compiled after the page's
  // load, at idle time and low priority, and runs only when asked for (the
  // preferences, the API): the page pays nothing for it meanwhile.
  const idle = () => (window.requestIdleCallback || setTimeout)(() => prepare("low").catch(() => {}), { timeout: 3000 });

  if (!api._state || boot.pending || boot.charterTarget || api._queue.length) start();
  else if (d.readyState === "complete") idle();
  else addEventListener("load", idle);
})();
