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
// it there. Never on a connection that asks to save data or is 2G: 1 MB
// is a minute there.
// It is fetched by a worker of its own, as the charter page's worker
// fetches it (the same request, so the same cache entry): read on the
// page's thread, the end of the 5.8 MB body was one task of 450 to 600 ms
// on the benchmark's phone, whether read whole or streamed and dropped. A
// policy that refuses the worker (without worker-src blob:) gets nothing
// ahead: the charter page fetches the client as it starts.
const prefetchScript = (wasm, timeout) => `fetch(${JSON.stringify(wasm)}, { priority: "low", signal: AbortSignal.timeout(${timeout}) })
  .then((r) => r.arrayBuffer()).catch(() => { /* the charter page fetches it again */ }).finally(() => postMessage(0));`;
// A worker running code from a blob: URL (what a policy allows by
// worker-src blob:), and end, which stops it and frees the URL. Throws
// where the browser refuses a worker outright.
const blobWorker = (code) => {
  const src = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
  try {
    const worker = new Worker(src);
    return { worker, end: () => { worker.terminate(); URL.revokeObjectURL(src); } };
  } catch (err) {
    URL.revokeObjectURL(src);
    throw err;
  }
};

let headed = false;
export const headingToCharter = () => {
  const c = navigator.connection;
  if (headed || (c && (c.saveData || /2g/.test(c.effectiveType || "")))) return;
  headed = true;
  try {
    const { worker, end } = blobWorker(prefetchScript(url(loaderPortal.wasm), loaderPortal.timeout));
    worker.onmessage = worker.onerror = end;
  } catch { /* the charter page fetches it as it starts */ }
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

// Ten times what the benchmark's phone (CPU 4× slower) takes to warm up
// (docs/performance.md): a worker stuck for any reason delays Go's start
// by no more, once the module is compiled.
const WARM_UP_LIMIT = 3000;

// The worker's script: it compiles the WebAssembly as it streams, hands
// the module to the page at once ("module"), runs Go's start on the
// page's configuration and cookie when the page sends them, and says how
// that ended ("warmed"); or says why it could not compile ("failed").
// Its fetch is the page's own (the same address, time-out and cache),
// started before wasm_exec.js, which only the warm-up needs.
// The warm-up also mounts Go's root as the page does (app.WarmUpMount),
// and go-app mounts on the document, which a worker has not: it gets a
// stand-in (bridge.UseStandInDocument) that answers every property and
// call with itself, but for what Go reads as a value there: a dialog's
// open (closed) and a list's length (empty). The worker copies the
// module's data into its memory at once (copyData, below, does it a piece
// per task on the page).
const workerScript = (exec, wasm, timeout) => `const compiled = WebAssembly.compileStreaming(fetch(${JSON.stringify(wasm)}, { signal: AbortSignal.timeout(${timeout}) }).then((r) => {
  if (r.ok) return r;
  throw Error("HTTP " + r.status);
}));
compiled.then((module) => postMessage({ module }), (err) => postMessage({ failed: ${JSON.stringify(`WebAssembly ${wasm}: `)} + err.message }));
importScripts(${JSON.stringify(exec)});
const standIn = new Proxy(function () {}, { get: (_, key) => key == "open" ? false : key == "length" ? 0 : typeof key == "symbol" ? undefined : standIn, apply: () => standIn, construct: () => standIn, set: () => true });
onmessage = (e) => {
  self.${Global.warmUp} = Object.assign(e.data, { document: standIn });
  compiled.then((module) => { const go = new Go(); return WebAssembly.instantiate(module, go.importObject).then((i) => { for (let piece = 0; i.exports.initData(piece); piece++); return go.run(i); }); })
    .finally(() => postMessage({ warmed: ${Global.warmUp}.done ? ${Global.warmUp}.error || "" : "it did not run" }));
};`;

// Go's WebAssembly is compiled in a Web Worker, never on the page: on
// Chromium 156 the end of a streaming compile on the page's main thread
// is one task of 450 to 550 ms on the benchmark's phone
// (docs/performance.md), and a compiled module can be posted to the page.
// The same worker then runs the Go code of Go's start once, on the
// page's configuration and cookie (bridge.ReadWarmUp, app.WarmUp;
// protocol.ts, Global.warmUp): the browser compiles each Go function on
// the thread that first calls it, and that compiled code is shared by
// the module's instances, so the page's own start runs code already
// compiled, in shorter tasks. compileInWorker resolves with the module
// once the warm-up ended or took WARM_UP_LIMIT ms, rejects when the
// WebAssembly could not be fetched or compiled, and resolves with
// nothing when there is no worker: a policy without worker-src blob:
// (docs/embedding.md), a browser that refuses it or cannot post a module.
// The page then compiles it itself, at the cost of that long task.
const compileInWorker = (config) => new Promise((resolve, reject) => {
  let started, late, compiled;
  const finish = (settle, value) => {
    clearTimeout(late);
    if (started) started.end();
    settle(value);
  };
  try {
    started = blobWorker(workerScript(url(loaderPortal.exec), url(loaderPortal.wasm), loaderPortal.timeout));
    const worker = started.worker;
    // A worker the page's policy refuses fires error, as one that cannot
    // run at all: the page compiles. One that ran its warm-up has posted
    // the module already.
    worker.onerror = () => finish(resolve, compiled);
    worker.onmessageerror = () => finish(resolve, compiled);
    worker.onmessage = ({ data }) => {
      if (data.failed) return finish(reject, Error(data.failed));
      if (data.module) {
        compiled = data.module;
        late = setTimeout(() => finish(resolve, compiled), WARM_UP_LIMIT);
        return;
      }
      if (data.warmed) console.warn(`consent manager: Go's warm-up failed (${data.warmed}); Go starts without it`);
      finish(resolve, compiled);
    };
    config.then((text) => {
      /** @type {import("./protocol.ts").WarmUp} */
      const request = { config: text, lang: boot.lang, page: location.href, cookie: consentCookies() };
      worker.postMessage(request);
    }, () => { /* startGo reports it */ });
  } catch {
    finish(resolve, undefined);
  }
});

const nextTask = () => new Promise((resolve) => setTimeout(resolve));

// Copies the module's data into its memory, a piece in each task (the
// module's initData, cmd/wasmdata -split), then resolves with the
// instance: as one segment, instantiating copied its 3.1 MB in one task
// of the page's main thread, 41 to 61 ms on the benchmark's phone.
const copyData = (instance, piece = 0) => nextTask().then(() => instance.exports.initData(piece) ? copyData(instance, piece + 1) : instance);

/** Starts Go: wasm_exec.js and the configuration fetched at once, the
 * WebAssembly by the worker started in the next task, the warm-up, then
 * Go's run, cut into tasks (here, and at each bridge.Yield in Go): the
 * page never freezes while it starts. Go takes the page's state over with
 * handOverRoot and handOverCharter (protocol.ts, Member.handOver and
 * Member.handOverCharter). */
export const startGo = (handOverRoot, handOverCharter) => {
  // What wasm_exec.js adds to window, deleted once Go has read it.
  const leaks = ["Go", "fs", "process", "path"].filter((k) => !(k in window));
  const exec = new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = url(loaderPortal.exec);
    // wasm_exec.js's Go made in the script's own load task: its first
    // call took 11 ms of the task that instantiates the module on the
    // benchmark's phone. A script that ran but threw (an error page
    // served in its place) still fires load: then there is no Go.
    s.onload = () => {
      try {
        resolve(new Go());
      } catch (err) {
        reject(new Error(`${s.src} did not define Go (${err.message})`));
      }
    };
    s.onerror = () => reject(new Error("cannot load " + s.src));
    document.head.appendChild(s);
  });
  const config = get(loaderPortal.config, "configuration").then((r) => r.text());
  // The worker is started in a task of its own: that alone took 16 to 69
  // ms on the benchmark's phone, asking for wasm_exec.js and the
  // configuration 2 to 28.
  const module = nextTask().then(() => compileInWorker(config)).then((m) => m || WebAssembly.compileStreaming(get(loaderPortal.wasm, "WebAssembly")));
  // The module is instantiated in a task of its own (16 to 54 ms on the
  // benchmark's phone), not in the task of the worker's last message,
  // which ends the worker: the two were one task of 17 to 215 ms.
  Promise.all([config, module, exec]).then((started) => nextTask().then(() => started)).then(([text, compiled, go]) => {
    boot.config = text;
    return WebAssembly.instantiate(compiled, go.importObject).then((instance) => copyData(instance)).then((instance) => {
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
