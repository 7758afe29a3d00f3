/*
 * The live charter in the page's data-consent-charter element, before Go:
 * the host renders it, live, for the stored choice (server/charter.go, the
 * component Go renders), and again after each choice; its switches and
 * buttons work here until Go takes it over (protocol.ts, Member.handOverCharter).
 */
import { api, boot, loaderPortal, portalId, url } from "./context.js";
import { choicesOf } from "./choice.js";
import { consentCookies } from "./cookie.js";
import { Action, Command, Markup, Member, PageEvent } from "./protocol.ts";
import { storeChoice } from "./store.js";
import { addLoaderStyles } from "./styles.js";
import { controls, positions, switchesIn, withSwitches } from "./switches.js";

let charter = null, charterSwitches = [];
// savedHere: the last choice was made here. handedOver: Go has the
// charter. shown counts the requests: only the last one's answer is shown;
// drawn is the request whose answer is shown.
let savedHere = false, handedOver = false, shown = 0, drawn = 0;

const showCharter = (saved) => {
  const query = new URLSearchParams({ lang: boot.lang, tz: -new Date().getTimezoneOffset(), saved: saved ? 1 : 0,
    cookie: consentCookies() });
  const request = ++shown;
  // Posted as text: no preflight, the consent id out of URLs.
  fetch(url(loaderPortal.charter), { method: "POST", body: query.toString(), credentials: "omit", signal: AbortSignal.timeout(loaderPortal.timeout) }).then((r) => {
    if (!r.ok) throw Error("HTTP " + r.status);
    return r.text();
  }).then((html) => {
    if (handedOver || request != shown) return;
    const at = [...controls(charter)].indexOf(document.activeElement);
    addLoaderStyles();
    charter.innerHTML = html;
    drawn = request;
    charterSwitches = switchesIn(charter);
    // A live region announces what changes in it, not what it held when
    // inserted: "saved" is said once the region is there.
    const live = charter.querySelector(Markup.liveRegion), said = live && live.textContent;
    if (said) {
      live.textContent = "";
      setTimeout(() => { live.textContent = said; }, 100);
    }
    if (at >= 0 && controls(charter)[at]) controls(charter)[at].focus();
  }).catch((err) => console.error(`consent manager: charter ${url(loaderPortal.charter)}: ${err.message}`));
};

/** Shows the live charter in target, and keeps it live. */
export const showCharterIn = (target) => {
  if (!target.id) target.id = "cb-charter-" + portalId;
  boot.charterTarget = "#" + CSS.escape(target.id);
  charter = target;
  charter.addEventListener("click", (e) => {
    const button = e.target.closest(Markup.action);
    if (!button || handedOver) return;
    const choices = choicesOf(Action.rejectAll);
    if (button.dataset.cbAction == Action.save) withSwitches(choices, charterSwitches);
    savedHere = true;
    storeChoice(choices);
    // Go may run already, with the banner and the dialog: it adopts it.
    if (api[Member.go]) api[Member.go](Command.stored);
  });
  // After any choice, from here, the banner or the dialog; "saved" is
  // said after a choice made here, as in Go's charter.
  document.addEventListener(PageEvent.change, () => {
    if (!handedOver) showCharter(savedHere);
    savedHere = false;
  });
  showCharter();
};

/** Go takes the charter over (bridge.HandOverCharter) later than the root,
 * in a task of its own: this one stays live until then, and Go's replaces
 * it in the task that asks for its state; the focus stays on the same
 * control.
 * @returns {import("./protocol.ts").Switches} */
export const handOverCharter = () => {
  handedOver = true;
  const at = [...controls(charter)].indexOf(document.activeElement), ours = charter.firstElementChild;
  if (at >= 0) {
    new MutationObserver((m, o) => {
      if (charter.firstElementChild === ours) return;
      o.disconnect();
      if (controls(charter)[at]) controls(charter)[at].focus();
    }).observe(charter, { childList: true });
  }
  // After a choice, until its answer is shown, the switches here are the
  // last choice's: Go's, which show the new one, stay as they are.
  return drawn == shown ? positions(charterSwitches) : {};
};
