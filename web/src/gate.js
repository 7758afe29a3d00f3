/*
 * Gating: <script type="text/plain" data-category="statistics"> (inline, or
 * with data-src) and any element with data-category and data-src (an
 * iframe, say) come to life once every category they name is accepted.
 * Until then such an element shows, at its size, the placeholder the host
 * rendered for what it needs (app.Placeholder): a button there accepts it.
 */
import { api, boot, loaderPortal } from "./context.js";
import { acceptedCategories, choicesAccepting } from "./choice.js";
import { Command, Markup, Member, PageEvent } from "./protocol.ts";
import { storeChoice } from "./store.js";
import { addLoaderStyles } from "./styles.js";

/** Runs a held <script type="text/plain">: the same script, its type
 * restored (data-type), its data-src as src; onload runs once it has (at
 * once for an inline one). integrations.js runs its tags with it
 * (protocol.ts, Member.embed's runTag). */
export const runTag = (el, onload) => {
  const src = el.dataset.src, s = document.createElement("script");
  for (const a of el.attributes) if (a.name !== "data-src") s.setAttribute(a.name, a.value);
  s.type = el.dataset.type || "text/javascript";
  // Tags keep the page's order, as they would have without gating.
  if (src) {
    s.src = src;
    s.async = el.hasAttribute("async");
    if (onload) s.onload = onload;
  } else s.text = el.text;
  el.replaceWith(s);
  if (!src && onload) onload();
};

// Shows the placeholder of key in place of el.
const hold = (el, key) => {
  const html = loaderPortal.placeholders[boot.lang][key];
  if (el.cbPlaceholder || !html) return;
  addLoaderStyles();
  const box = el.getBoundingClientRect(), holder = document.createElement("div");
  holder.innerHTML = html;
  const placeholder = el.cbPlaceholder = holder.firstElementChild;
  placeholder.cbFor = el;
  placeholder.cbKey = key;
  // The element's size (CSSOM, which a strict CSP allows), never wider
  // than the page.
  if (box.width) placeholder.style.width = box.width + "px";
  if (box.height) placeholder.style.minHeight = box.height + "px";
  el.before(placeholder);
  // Over any display the page's stylesheet gives it; the page's own
  // inline one comes back with the element.
  el.cbDisplay = el.style.display;
  el.style.setProperty("display", "none", "important");
};

// Brings to life what is accepted now, holds the rest.
const gate = () => {
  const on = acceptedCategories();
  // (A tag of an integration runs after its defaults: integrations.js.)
  for (const el of document.querySelectorAll('script[type="text/plain"][data-category]:not([data-integration]),[data-category][data-src]')) {
    const missing = el.dataset.category.split(" ").find((c) => !on[c]);
    if (el.tagName === "SCRIPT") {
      if (!missing) runTag(el);
      continue;
    }
    if (el.cbPlaceholder && el.cbPlaceholder.cbKey != missing) {
      el.cbPlaceholder.remove();
      el.cbPlaceholder = null;
      el.style.display = el.cbDisplay;
    }
    if (missing) {
      hold(el, missing);
      continue;
    }
    el.src = el.dataset.src;
    el.removeAttribute("data-src");
  }
};

/** Gates the page now, once it is parsed, and after every choice; a
 * placeholder's button accepts what it names, on top of the stored choice:
 * the element shows as soon as all it needs is accepted, and takes the
 * focus the button had. */
export const startGating = () => {
  document.addEventListener("click", (e) => {
    const button = e.target.closest && e.target.closest(Markup.accept), placeholder = button && button.closest(Markup.placeholder);
    if (!placeholder || !placeholder.cbFor) return;
    e.preventDefault();
    const el = placeholder.cbFor;
    storeChoice(choicesAccepting(button.dataset.cbAccept));
    if (api[Member.go]) api[Member.go](Command.stored);
    const next = el.cbPlaceholder && el.cbPlaceholder.querySelector(Markup.accept);
    if (next) return next.focus();
    if (el.tabIndex < 0) el.setAttribute("tabindex", "-1");
    el.focus();
  });
  gate();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", gate);
  document.addEventListener(PageEvent.change, gate);
};
