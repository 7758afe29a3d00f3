/*
 * A choice made in the loader (the dialog, a placeholder, the live
 * charter) is stored at the click, as Go stores it (consent.Portal.Store):
 * embed.js's writeChoice (protocol.ts, Member.embed: the cookie's stale
 * copies deleted, the cookie written, the refused categories' cookies
 * deleted, the page told, the receipt queued), then the dialog closed and
 * the receipts sent.
 */
import { writeChoice } from "./context.js";
import { dialog } from "./dialog.js";
import { sendReceipts } from "./receipts.js";

export const storeChoice = (choices) => {
  writeChoice(choices);
  if (dialog && dialog.open) dialog.close();
  sendReceipts();
};
