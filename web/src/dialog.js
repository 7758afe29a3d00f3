/*
 * The preferences dialog before Go: the host pre-rendered it from the same
 * Go component as Go's (app.Preferences), in the portal's loader. A modal
 * <dialog>: the page is inert behind it, focus goes to its title
 * (autofocus), Escape closes it and the browser gives the focus back to
 * the opener; Tab goes round inside it, as in Go's.
 */
import { api, boot, loaderPortal, root } from "./context.js";
import { acceptedCategories } from "./choice.js";
import { headingToCharter } from "./gostart.js";
import { Markup, Member } from "./protocol.ts";
import { addLoaderStyles } from "./styles.js";
import { controls, positions, switchesIn } from "./switches.js";

/** @type {HTMLDialogElement} */
export let dialog;
/** Its switches (switchesIn). */
export let switches;

// The switches as the stored choice (or, before any, the defaults) sets
// them, as Go's dialog shows them, and the notice of Global Privacy
// Control when that is the state.
const reset = () => {
  const on = acceptedCategories();
  for (const i of switches) i.checked = !!on[i.dataset.key];
  switches.sync();
  const gpc = dialog.querySelector(Markup.gpcNotice);
  if (gpc) gpc.hidden = !(api[Member.state] && api[Member.state].gpc);
};

/** Adds the dialog, closed, to the painted root, its close button and
 * its focus trap working; once: the loader prepares it in a task of its
 * own, and whatever needs it before (a visitor quick to click
 * "Personnaliser", Go's take-over) prepares it then. Its markup, which the
 * host rendered with Go (every text escaped), is parsed in a detached
 * element of the page's own document, as the banner's is: a <template>'s
 * content belongs to another document and is adopted, node by node, as it
 * is put in place; parsing and placing the dialog took 10 ms that way
 * against 7 this way on the benchmark's phone (medians of 6 fresh pages). */
export const prepareDialog = () => {
  if (dialog) return;
  const holder = document.createElement("div");
  holder.innerHTML = loaderPortal.dialogs[boot.lang];
  root.append(...holder.childNodes);
  dialog = root.querySelector(Markup.dialog);
  switches = switchesIn(dialog);
  reset();
  dialog.querySelector(Markup.close).addEventListener("click", () => dialog.close());
  dialog.addEventListener("keydown", (e) => {
    if (e.key != "Tab") return;
    const reached = dialog.querySelectorAll(loaderPortal.focusable);
    const first = reached[0], last = reached[reached.length - 1];
    if (e.shiftKey ? document.activeElement == first : document.activeElement == last) {
      (e.shiftKey ? last : first).focus();
      e.preventDefault();
    }
  });
};

/** Where the focus lands when the consent manager's dialog closes and the
 * browser gave it back to nothing: the dialog was opened from the banner,
 * which the choice just hid, and a keyboard or screen reader user would
 * start again from the top of the page (body). It lands on the page's main
 * content, as a skip link would take them; Go's dialog closes the same
 * <dialog> element (app.Preferences.sync), so the loader, which stays when
 * Go runs, lands its focus too. */
export const landFocusAfterClose = () => {
  document.addEventListener("close", (e) => {
    const closed = e.target, at = document.activeElement;
    // Given back to the hidden opener, the focus stays on a control of the
    // closed dialog until the browser drops it to <body>: both are lost.
    if (!closed.closest || !closed.closest("#" + Markup.rootId) || (at && at != document.body && at.getClientRects().length)) return;
    const land = document.querySelector("main, [role=main]") || document.querySelector("h1");
    if (!land) return;
    if (!land.hasAttribute("tabindex")) {
      land.setAttribute("tabindex", "-1");
      land.addEventListener("blur", () => land.removeAttribute("tabindex"), { once: true });
    }
    land.focus({ preventScroll: true });
  }, true);
};

/** Opens it, its switches as the stored choice sets them. */
export const openDialog = () => {
  // The worker that fetches the WebAssembly ahead starts in a task after
  // the dialog's frame (its start took 20 ms of the phone's main thread
  // in a trace, between the click and that frame when it was only the
  // task after the click's).
  requestAnimationFrame(() => setTimeout(headingToCharter));
  prepareDialog();
  addLoaderStyles();
  reset();
  if (!dialog.open) dialog.showModal();
};

/** Go's root takes the place of the painted one, the same component's
 * elements (protocol.ts, Member.handOver): Go opens its dialog with the visitor's
 * switches, and the focus moves to the same control. Go asks for that
 * state as its root mounts (bridge.HandOver), in the same task, a task
 * after go-app's start: the visitor goes on using the page while Go
 * starts.
 * @returns {import("./protocol.ts").HandOver} */
export const handOverRoot = () => {
  prepareDialog();
  const focused = [...controls(root)].indexOf(document.activeElement);
  // In the dialog, once Go's is open: opening it focuses its title.
  if (focused >= 0) {
    // As soon as Go's root replaces this one, in the same task (a
    // mutation's microtask), so that no frame is painted with the focus
    // on the page's body.
    new MutationObserver((m, o) => {
      if (root.isConnected) return;
      o.disconnect();
      const el = controls(document.getElementById(Markup.rootId))[focused], box = el && el.closest("dialog");
      if (box && !box.open) {
        new MutationObserver((m, o) => { if (box.open) { o.disconnect(); el.focus(); } }).observe(box, { attributes: true });
      } else if (el) el.focus();
    }).observe(root.parentNode, { childList: true });
  }
  const state = { dialogOpen: dialog.open, draft: positions(switches) };
  // Go's root takes its place later in this task.
  root.remove();
  return state;
};
