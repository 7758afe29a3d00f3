// Starts the configurator (cmd/consent-console) on the host's /console/
// page: Go's wasm_exec.js, then console.wasm, both named by this script's
// data attributes. Portal pages never load it.
(function () {
  const me = document.currentScript, d = document;
  // The configurator, pre-rendered by the host, says it loads until Go
  // runs; if Go cannot, the same place says why.
  const fail = (err) => {
    const status = d.getElementById("console-loading");
    status.textContent = me.dataset.failed + " (" + err.message + ")";
    status.setAttribute("role", "alert");
  };
  const exec = new Promise((resolve, reject) => {
    const s = d.createElement("script");
    s.src = me.dataset.exec;
    s.onload = resolve;
    s.onerror = () => reject(Error("cannot load " + s.src));
    d.head.appendChild(s);
  });
  const wasm = WebAssembly.compileStreaming(fetch(me.dataset.wasm).then((r) => {
    if (!r.ok) throw Error(me.dataset.wasm + ": HTTP " + r.status);
    return r;
  }));
  Promise.all([wasm, exec]).then(([module]) => {
    const go = new Go();
    return WebAssembly.instantiate(module, go.importObject).then((instance) => go.run(instance));
  }).catch(fail);
})();
