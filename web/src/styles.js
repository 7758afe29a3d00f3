/*
 * Stylesheets, constructed: no inline style for a strict CSP to refuse.
 */
import { loaderPortal } from "./context.js";

export const addStyles = (css) => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
};

// The loader's styles (consent.css: the dialog, the charter and the
// placeholders): parsing them is a task of its own on a slow phone (a
// constructed stylesheet is parsed whole), so the loader adds them in the
// task after its own, or at once when one of them is shown first.
let styled = false;
export const addLoaderStyles = () => {
  if (!styled) addStyles(loaderPortal.css);
  styled = true;
};
