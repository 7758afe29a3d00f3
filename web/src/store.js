/*
 * A choice made in the loader (the dialog, a placeholder, the live
 * charter) is stored at the click, as Go stores it (bridge.WriteChoice,
 * bridge.ClearRefused): stale copies of the cookie at other paths and
 * domains deleted, the cookies of refused categories deleted, then
 * embed.js's writeChoice (protocol.ts, Member.embed: one cookie written, the page
 * told, the receipt queued), the dialog closed, the receipts sent.
 */
import { loaderPortal, writeChoice } from "./context.js";
import { cookiesToClear, eraseConsentCookies, eraseCookie } from "./cookie.js";
import { dialog } from "./dialog.js";
import { sendReceipts } from "./receipts.js";

export const storeChoice = (choices) => {
  eraseConsentCookies();
  const cleared = cookiesToClear(choices, loaderPortal.cookies);
  for (const name of cleared) eraseCookie(name, "/");
  writeChoice(choices, cleared);
  if (dialog.open) dialog.close();
  sendReceipts();
};
