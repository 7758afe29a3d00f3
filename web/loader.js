/*
 * The portal's second script, which web/embed.js runs once the banner is
 * painted: it comes inside embed.js?portal=<id>, or embed.js loads it. The
 * host makes one per portal (server/embed.go), carrying the preferences dialog
 * pre-rendered by the same Go component as Go's, in each language, in place
 * of __CONSENT_PORTAL__. Before Go runs, it makes every action work: the
 * dialog (switches, cookie lists, its three buttons, Escape, focus kept
 * inside and given back), a choice stored at the click (the cookie written
 * as Go writes it, the receipt sent and kept until the host acknowledges
 * it), the charter, the page API. It starts the WebAssembly client on a
 * page that holds the charter; elsewhere the client is fetched only when the
 * visitor heads for the charter (headingToCharter).
 * Go continues from what the visitor left: the dialog open or not, its
 * switches, the focus, the stored choice.
 *
 * `make` bundles it with the modules of web/src/ and minifies it
 * (esbuild); what it says to embed.js, integrations.js and Go is declared
 * in web/src/protocol.ts.
 */
"use strict";
import { serveCommandsBeforeGo } from "./src/api.js";
import { showCharterIn, handOverCharter } from "./src/charter.js";
import { choicesOf } from "./src/choice.js";
import { api, boot, root, useLoader } from "./src/context.js";
import { handOverRoot, landFocusAfterClose, openDialog, prepareDialog, switches } from "./src/dialog.js";
import { runTag, startGating } from "./src/gate.js";
import { startGo, watchForCharterVisit } from "./src/gostart.js";
import { Action, Command, Markup, Member } from "./src/protocol.ts";
import { keepReceipts, queuedReceipts, sendReceipts } from "./src/receipts.js";
import { storeChoice } from "./src/store.js";
import { addLoaderStyles } from "./src/styles.js";
import { withSwitches } from "./src/switches.js";

useLoader(__CONSENT_PORTAL__);
const banner = root.querySelector(Markup.banner);
// integrations.js's way to run a tag.
api[Member.embed].runTag = runTag;
landFocusAfterClose();

// A banner or dialog action: "Personnaliser" opens the dialog, the others
// are stored at the click.
const decide = api[Member.decide] = (action) => {
  if (action == Action.customise) return openDialog();
  const choices = choicesOf(action);
  if (action == Action.save) withSwitches(choices, switches);
  storeChoice(choices);
};

// Go's receipts join the queue.
api[Member.receipt] = (body) => {
  if (boot.receipts) keepReceipts([...queuedReceipts(), { url: boot.receipts, body }]);
  sendReceipts();
};

// The page API before Go, and what was asked before this script came.
serveCommandsBeforeGo((name) => {
  if (name == Command.showPreferences) openDialog();
  if (name == Command.show) banner.hidden = false;
});
for (const b of root.querySelectorAll("[aria-busy]")) b.removeAttribute("aria-busy");
if (boot.pending) decide(boot.pending);

// The loader's styles: a visitor may click "Personnaliser" as soon as the
// banner shows, and a stylesheet added in the click's task restyles the
// whole page there. Left to a task of its own, they came after the frame
// that follows the banner's, where the benchmark clicks: "Personnaliser"
// clicked there took 77 ms to a usable dialog, against 64 with the styles
// here, and 60 with the dialog put in place here too (medians of 20 visits
// in turn on the benchmark's phone). The styles cost this task 1 to 11 ms
// (median 4, ten visits); the dialog would cost it 2 to 18 more, which made it a long task in 4 of
// the 55 visits to the portal page of a benchmark run: the dialog comes
// next.
addLoaderStyles();

// The rest, each in a task of its own after this one, in this order, none
// a long task on a slow phone (50 ms; this task with all of them in it
// was 47 ms on the benchmark's, busy, phone): the dialog, its markup
// parsed and put in place, closed; gating (a tag the stored choice accepts
// runs, a refused frame gets its placeholder); the receipts an earlier
// page left waiting, only where a choice is stored (a receipt is queued
// with its choice; where none is stored, as when it expired, the banner
// asks for one, and the queue goes with it): a first visit leaves
// localStorage unread until the visitor chooses, since that first read,
// the browser loading the portal's storage, took 112 and 114 ms after the
// banner in 2 of 10 first visits on the benchmark's phone; the charter
// link watched.
setTimeout(prepareDialog);
setTimeout(startGating);
if (api[Member.state] && api[Member.state].id != null) setTimeout(sendReceipts);
setTimeout(watchForCharterVisit);

// Go runs where the page needs it: on a page that holds the charter,
// which it keeps live. Everywhere else everything works without it, on a
// first visit as on a later one (headingToCharter). The charter and Go's
// start come in tasks of their own, after this one: each costs a slow phone
// 20 to 100 ms (requests made, a worker started).
const parsed = () => {
  const target = document.querySelector(Markup.charter);
  if (target) {
    setTimeout(() => showCharterIn(target));
    setTimeout(() => startGo(handOverRoot, handOverCharter));
  }
};
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", parsed);
else parsed();
