/*
 * Go's start: the WebAssembly client runs only on a page that holds the
 * live charter (the loader's parsed), which it keeps live; everywhere else
 * everything works without it, on a first visit as on a later one, and
 * the client is only fetched ahead when the visitor heads for the charter.
 */
import { api, boot, loaderPortal, url } from "./context.js";
import { consentCookies } from "./cookie.js";
import { Global, Member } from "./protocol.ts";

// Go runs only on the page that holds the charter. Elsewhere nothing is
// fetched for it, but when the visitor shows they are heading there: a
// link to the charter hovered, focused or touched, or the preferences
// dialog opened (its charter link is one step away). Then the client is
// fetched at low priority into the browser's cache, not compiled (the
// charter page compiles it as it starts), so that the charter page finds
// it there. Never on a connection that asks to save data or is 2G: 1.1 MB
// is a minute there.
let headed = false;
export const headingToCharter = () => {
  const c = navigator.connection;
  if (headed || (c && (c.saveData || /2g/.test(c.effectiveType || "")))) return;
  headed = true;
  fetch(url(loaderPortal.wasm), { priority: "low" }).then((r) => r.arrayBuffer()).catch(() => { /* the charter page fetches it again */ });
};
const towardsCharter = (e) => {
  const a = e.target.closest && e.target.closest("a[href]");
  if (a && a.href.split("#")[0] == boot.charterHref.split("#")[0]) headingToCharter();
};
/** Watches for the visitor heading to the charter. */
export const watchForCharterVisit = () => {
  for (const type of ["pointerover", "focusin", "touchstart"]) document.addEventListener(type, towardsCharter, { capture: true, passive: true });
};

// A file that never arrives fails after loaderPortal.timeout ms, like one
// that fails.
const get = (path, what) => fetch(url(path), { signal: AbortSignal.timeout(loaderPortal.timeout) }).then((r) => {
  if (r.ok) return r;
  throw Error("HTTP " + r.status);
}).catch((err) => { throw Error(`${what} ${url(path)}: ${err.message}`); });

// Fetches the configuration and the WebAssembly, and compiles it while it
// streams; nothing runs yet.
const prepare = () => Promise.all([
  get(loaderPortal.config, "configuration").then((r) => r.text()),
  WebAssembly.compileStreaming(get(loaderPortal.wasm, "WebAssembly")),
]);

const nextTask = () => new Promise((resolve) => setTimeout(resolve));

// Ten times what the benchmark's phone (CPU 4× slower) takes to warm up
// (docs/performance.md): a worker stuck for any reason delays Go's start
// by no more.
const WARM_UP_LIMIT = 3000;

// Most of Go's start is the browser compiling each Go function the first
// time it runs, on the thread that runs it. A Web Worker runs the Go code
// of that start first, on the page's configuration and cookie
// (bridge.ReadWarmUp, app.WarmUp; protocol.ts, Global.warmUp), from the same
// module: its compiled code is shared by the module's instances, so the
// page's own start runs that code already compiled, in shorter tasks
// (docs/performance.md). The worker has no page and no cookie jar; it
// fetches wasm_exec.js alone. Without it (a policy without worker-src
// blob:, a browser that refuses, a worker that fails or takes longer than
// WARM_UP_LIMIT) Go starts all the same, compiling as it goes.
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
    /** @type {import("./protocol.ts").WarmUp} */
    const request = { config, lang: boot.lang, page: location.href,
      cookie: consentCookies() };
    src = URL.createObjectURL(new Blob([`self.${Global.warmUp} = ${JSON.stringify(request)}; importScripts(${JSON.stringify(url(loaderPortal.exec))});
        onmessage = (e) => { const go = new Go(); WebAssembly.instantiate(e.data, go.importObject).then((i) => go.run(i))
          .finally(() => postMessage(${Global.warmUp}.done ? ${Global.warmUp}.error || "" : "it did not run")); };`], { type: "text/javascript" }));
    worker = new Worker(src);
    // A worker the page's policy refuses fires error: that case is
    // known (Content-Security-Policy in docs/embedding.md), Go starts as before.
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

/** Starts Go: wasm_exec.js, the configuration and the WebAssembly fetched
 * at once, the warm-up, then Go's run, cut into tasks (here, and at each
 * bridge.Yield in Go): the page never freezes while it starts. Go takes
 * the page's state over with handOverRoot and handOverCharter (protocol.ts,
 * Member.handOver and Member.handOverCharter). */
export const startGo = (handOverRoot, handOverCharter) => {
  // What wasm_exec.js adds to window, deleted once Go has read it.
  const leaks = ["Go", "fs", "process", "path"].filter((k) => !(k in window));
  const exec = new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = url(loaderPortal.exec);
    s.onload = resolve;
    s.onerror = () => reject(new Error("cannot load " + s.src));
    document.head.appendChild(s);
  });
  Promise.all([prepare(), exec]).then(([[config, module]]) => {
    boot.config = config;
    const go = new Go();
    return warmUp(module, config).then(() => WebAssembly.instantiate(module, go.importObject)).then((instance) => nextTask().then(() => instance)).then((instance) => {
      api[Member.handOver] = handOverRoot;
      // Go takes the charter over later than the root, in a task of its
      // own (its first render is the longest).
      api[Member.handOverCharter] = handOverCharter;
      // Returns at Go's first bridge.Yield, its package variables (the
      // globals above included) read.
      go.run(instance);
      for (const k of leaks) delete window[k];
    });
  }).catch((err) => {
    console.error(`consent manager: Go could not start (${err.message}); the banner and the preferences work without it`);
  });
};
