// Stands in for Microsoft Clarity's tag: records every call of its clarity()
// queue, those queued before it loaded first, in their order.
(() => {
  const calls = (window.vendorCalls = window.vendorCalls || []);
  const record = (args) => calls.push("clarity " + [...args].map((a) => (typeof a == "string" ? a : JSON.stringify(a))).join(" "));
  for (const args of (window.clarity && window.clarity.q) || []) record(args);
  window.clarity = function () { record(arguments); };
  window.clarityLoaded = true;
})();
