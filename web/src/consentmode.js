/*
 * Google Consent Mode v2, when the portal asks for it: every signal denied
 * before any tag can run, then granted or denied from the stored choice at
 * once, and again after each choice. Tags stay gated all the same.
 */
import { api, portal } from "./context.js";
import { Member } from "./protocol.ts";

function gtag() { (window.dataLayer = window.dataLayer || []).push(arguments); }

// Each signal the portal sends, granted when every category it names is
// accepted (a signal that names none stays denied).
const signals = (state) => {
  const modes = portal.consentMode, out = {};
  for (const signal in modes) out[signal] = state && modes[signal].length && modes[signal].every((c) => state.categories[c]) ? "granted" : "denied";
  return out;
};

/** The current choice's signals, once there is one: as it starts, and on
 * each PageEvent.change. */
export const updateConsentMode = () => {
  if (portal.consentMode && api[Member.state]) gtag("consent", "update", signals(api[Member.state]));
};

/** The defaults, then the stored choice. */
export const startConsentMode = () => {
  if (portal.consentMode) gtag("consent", "default", { ...signals(), wait_for_update: 500 });
  updateConsentMode();
};
