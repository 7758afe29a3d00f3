// Stands in for Piano Analytics' piano-analytics.js: records the window.pdl
// configuration it reads as it loads, then every consent (SDK 6.8+) and
// privacy (earlier SDKs) call.
(() => {
  const calls = (window.vendorCalls = window.vendorCalls || []);
  calls.push("piano loaded " + JSON.stringify(window.pdl || null));
  window.pa = {
    consent: { setMode: (mode) => calls.push("piano consent.setMode " + mode) },
    privacy: { setMode: (mode) => calls.push("piano privacy.setMode " + mode) },
  };
  window.pianoLoaded = true;
})();
