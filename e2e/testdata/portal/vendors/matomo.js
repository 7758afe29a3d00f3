// Stands in for Matomo's matomo.js: records every command of the _paq
// queue, those queued before it loaded first, in their order.
(() => {
  const calls = (window.vendorCalls = window.vendorCalls || []);
  const record = (command) => calls.push("matomo " + command.join(" "));
  for (const command of window._paq || []) record(command);
  window._paq = { push: record };
  window.matomoLoaded = true;
})();
