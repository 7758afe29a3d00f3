/*
 * Consent manager embed script: <script src="…/embed.js?portal=pau" async>.
 *
 * It paints the banner the host pre-rendered from the Go components at once,
 * reads the stored choice as Go does, sends Consent Mode's signals, stores a
 * choice clicked on the banner at once, and runs the portal's second script
 * (web/loader.js: in embed.js?portal=pau the host puts it ahead of this
 * code; else this script loads it), which runs the gated scripts, makes every other action
 * work before Go, shows the charter and starts the WebAssembly client.
 *
 * `make` bundles it with the modules of web/src/ and minifies it
 * (esbuild), and the host puts the manifest in place of
 * __CONSENT_MANIFEST__ when it serves it. What it says to the loader and
 * to Go is declared in web/src/protocol.ts. It is what delays the banner:
 * nothing runs before the paint that the banner does not need, and once
 * minified and brotli-compressed, with the built-in portals' banners, it
 * arrives in the first round trip (server_test.go,
 * TestEmbedScriptFitsItsBudget).
 */
"use strict";
// The modules come in the bundle in the order of these imports, the
// manifest first (src/manifest.js).
import { manifest } from "./src/manifest.js";
import { cookiesToClear, eraseConsentCookies, eraseCookie, readChoice, storedChoice, writeChoiceCookie } from "./src/cookie.js";
import { installPageApi } from "./src/api.js";
import { pickLanguage } from "./src/lang.js";
import { keepReceipts, queuedReceipts } from "./src/receipts.js";
import { startConsentMode, updateConsentMode } from "./src/consentmode.js";
import { Action, Markup, Member, PageEvent } from "./src/protocol.ts";
import { api, useEmbed } from "./src/context.js";
import { addStyles } from "./src/styles.js";
import { choicesOf, gpcState, withdrawnBy } from "./src/choice.js";

const start = () => {
  const script = document.currentScript;
  const portalId = (script && script.getAttribute("data-portal")) || manifest.defaultPortal;
  const portal = manifest.portals[portalId];
  const url = (path) => new URL(path, script ? script.src : location.href).href;
  if (api[Member.boot]) return; // the snippet is on the page twice
  if (!portal) {
    console.error(`consent manager: no portal "${portalId}" (data-portal) here, only ${Object.keys(manifest.portals)}`);
    return;
  }
  useEmbed(manifest, portal);
  // The portal's second script (web/loader.js), which carries the dialog:
  // in embed.js?portal=<id> it came with this one, in the same response
  // (Member.loader); else it is asked for first of all, since one round
  // trip on a slow network is longer than all this script does before
  // the banner shows. It runs once the banner is painted (paint).
  const inlineLoader = api[Member.loader];
  delete api[Member.loader];
  if (!inlineLoader) {
    const preload = document.createElement("link");
    preload.rel = "preload";
    preload.as = "script";
    preload.href = url(portal.loader);
    document.head.append(preload);
  }

  const lang = pickLanguage(portal.languages);
  // The stored choice, or the refusal Global Privacy Control stands for.
  api[Member.state] = api[Member.state] || storedChoice() || gpcState() || null;
  startConsentMode();
  // The charter link is made absolute: on a portal's page a host path would
  // resolve against the portal.
  /** @type {import("./src/protocol.ts").Boot} */
  const boot = api[Member.boot] = { lang, pending: "", charterHref: url(portal.charterHref), charterTarget: "", receipts: manifest.receipts ? url(manifest.receipts) : "" };
  installPageApi();

  let root;
  const banner = () => root.querySelector(Markup.banner);

  // Stores a choice as Go does (consent.Portal.Store), all in this task:
  // the cookie's stale copies deleted, the cookie written, the cookies of
  // the categories it refuses deleted; then the page told, the receipt
  // queued (the loader sends it). The shared table
  // consent/testdata/choices.json holds it to Go's writes, to the byte.
  const writeChoice = (choices) => {
    const now = Date.now(), before = api[Member.state];
    eraseConsentCookies();
    const cleared = cookiesToClear(choices);
    const value = writeChoiceCookie(choices, now - now % 1000);
    for (const name of cleared) eraseCookie(name, "/");
    const state = api[Member.state] = readChoice(value, now);
    banner().hidden = true;
    if (boot.receipts) keepReceipts([...queuedReceipts(), { url: boot.receipts, body: JSON.stringify({ consentId: state.id, portal: portalId, revision: portal.revision, choices, decidedAt: state.decidedAt }) }]);
    document.dispatchEvent(new CustomEvent(PageEvent.change, { detail: { ...state, withdrawn: withdrawnBy(before, choices), cleared } }));
  };

  // A click on the pre-rendered banner: the loader handles it once there
  // (Member.decide), and Go once it runs (Member.ready); before, "Tout
  // accepter" and "Tout refuser" are stored at once, and "Personnaliser"
  // waits for the loader's dialog.
  const earlyClick = (e) => {
    const button = e.target.closest(Markup.action);
    if (!button || api[Member.ready]) return;
    const action = button.dataset.cbAction;
    if (api[Member.decide]) return api[Member.decide](action);
    if (action != Action.customise) return writeChoice(choicesOf(action));
    boot.pending = action;
    button.setAttribute("aria-busy", "true");
  };

  const paint = () => {
    addStyles(manifest.bannerCSS);
    const holder = document.createElement("div");
    holder.innerHTML = portal.html[lang];
    root = holder.firstElementChild;
    root.classList.add("cb-enter");
    if (api[Member.state]) banner().hidden = true;
    root.querySelector(Markup.charterLink).href = boot.charterHref;
    root.addEventListener("click", earlyClick);
    document.body.prepend(root);
    document.addEventListener("click", (e) => {
      // The page's openers, and the button Opendatasoft renders for its
      // footer's "Gérer mes cookies" (Markup.opener).
      if (e.target.closest && e.target.closest(Markup.opener)) {
        e.preventDefault();
        api[Member.showPreferences]();
      }
    });
    document.addEventListener(PageEvent.change, updateConsentMode);
    // The rest comes in the second script: run once the banner's first
    // frame is painted (a hidden page paints no frame: after 100 ms then),
    // or loaded, as this script asked for it as it began (preload).
    /** @type {import("./src/protocol.ts").EmbedHandOff} */
    api[Member.embed] = { portalId, portal, root, url, writeChoice };
    if (inlineLoader) {
      let ran = false;
      const run = () => {
        if (ran) return;
        ran = true;
        inlineLoader();
      };
      requestAnimationFrame(() => setTimeout(run));
      setTimeout(run, 100);
      return;
    }
    const loader = document.createElement("script");
    loader.src = url(portal.loader);
    loader.onerror = () => console.error(`consent manager: cannot load ${loader.src}`);
    document.head.appendChild(loader);
  };

  if (document.body) paint();
  else document.addEventListener("DOMContentLoaded", paint);
};

start();
