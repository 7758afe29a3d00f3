/*
 * The consent APIs of the analytics tools a portal declares in its
 * configuration (consent.Integrations): the host appends this script to that
 * portal's loader (web/loader.js), with the declarations in place of
 * __CONSENT_INTEGRATIONS__; a portal that declares none is sent none of it.
 *
 * For each tool: its default calls first, before any of its tags can run;
 * then the tags the portal marked <script type="text/plain"
 * data-integration="matomo"> (inline, or with data-src) run; then the tool
 * is told the stored choice, and every later change of the purpose it
 * follows, once. portals/README.md lists the exact calls.
 *
 * `make` bundles it (the names of web/src/protocol.ts) and minifies it
 * (esbuild). It runs after the loader, whose runTag it uses (protocol.ts,
 * Member.embed).
 */
"use strict";
import { Global, Member, PageEvent } from "./src/protocol.ts";

const declared = __CONSENT_INTEGRATIONS__;
const api = window[Global.api], { runTag } = api[Member.embed];
// The purpose's state: undefined before any choice, then true or false.
const stateOf = (purpose) => api[Member.state] ? !!api[Member.state].categories[purpose] : undefined;
const queue = (name) => (window[name] = window[name] || []);
const pianoMode = (on) => (on === undefined ? "essential" : on ? "opt-in" : "opt-out");

const tools = {
  // Matomo: cookieless measurement before consent (requireCookieConsent),
  // or none at all (requireConsent); consent remembered, or forgotten.
  matomo: {
    before: (c) => queue("_paq").push([c.mode == "tracking" ? "requireConsent" : "requireCookieConsent"]),
    apply: (c, on) => queue("_paq").push([(on ? "remember" : "forget") + (c.mode == "tracking" ? "ConsentGiven" : "CookieConsentGiven")]),
  },
  // Piano Analytics: the CNIL-exempt mode before a choice, opt-in or
  // opt-out after it. The consent module (SDK 6.8+) reads window.pdl as
  // it loads and takes pa.consent.setMode once loaded; the older privacy
  // module only takes pa.privacy.setMode.
  piano: {
    before: (c, on) => {
      if (c.api == "privacy") return;
      const pdl = window.pdl = window.pdl || {};
      pdl.requireConsent = "v2";
      pdl.consent = { products: ["PA"], defaultPreset: { PA: pianoMode(on) } };
    },
    apply: (c, on) => {
      const pa = window.pa;
      if (c.api == "privacy") {
        if (pa && pa.privacy) pa.privacy.setMode({ "essential": "exempt", "opt-in": "optin", "opt-out": "optout" }[pianoMode(on)]);
        return;
      }
      window.pdl.consent.defaultPreset.PA = pianoMode(on);
      if (pa && pa.consent) pa.consent.setMode(pianoMode(on));
    },
  },
  // Microsoft Clarity, consent v2: both storages denied before any tag,
  // then granted or denied from the choice.
  clarity: {
    before: () => {
      window.clarity = window.clarity || function () { (window.clarity.q = window.clarity.q || []).push(arguments); };
      window.clarity("consentv2", { ad_Storage: "denied", analytics_Storage: "denied" });
    },
    apply: (c, on) => {
      const v = on ? "granted" : "denied";
      window.clarity("consentv2", { ad_Storage: v, analytics_Storage: v });
    },
  },
};

const told = {};
// Tells each tool the purpose's state when it changed since last told;
// before any choice the defaults stand (Piano's privacy module, which has
// none, is told the exempt mode).
const tell = (name) => {
  const c = declared[name], on = stateOf(c.purpose);
  if (on === told[name] && name in told) return;
  if (on === undefined && !(name == "piano" && c.api == "privacy")) return;
  told[name] = on;
  tools[name].apply(c, on);
};

// Defaults, then the stored choice, then the tags: a tag's first hit
// already has the visitor's consent.
for (const name in declared) tools[name].before(declared[name], stateOf(declared[name].purpose));
for (const name in declared) tell(name);
for (const el of document.querySelectorAll('script[type="text/plain"][data-integration]')) {
  const name = el.dataset.integration;
  if (!declared[name]) {
    console.error(`consent manager: this tag asks for the ${name} integration, which the portal's configuration does not declare (integrations)`);
    continue;
  }
  // A tool reads its defaults and queued calls as it loads; Piano's
  // privacy module, which has neither, is told once it has loaded.
  runTag(el, name == "piano" && declared.piano.api == "privacy" ? () => { delete told.piano; tell("piano"); } : undefined);
}
document.addEventListener(PageEvent.change, () => { for (const name in declared) tell(name); });
