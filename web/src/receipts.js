/*
 * The receipt queue (protocol.ts, Global.receiptQueue). Every choice's
 * receipt, made before Go (embed.js, the loader) or by Go (Member.receipt),
 * waits in localStorage until the host has answered it; one the network
 * lost is sent again by a later page. The host keeps a receipt sent twice
 * once.
 */
import { Global } from "./protocol.ts";

/** @returns {import("./protocol.ts").QueuedReceipt[]} */
export const queuedReceipts = () => {
  try { return JSON.parse(localStorage.getItem(Global.receiptQueue)) || []; } catch (e) { return []; }
};

/** Keeps the last 20 of list. */
export const keepReceipts = (list) => {
  try { localStorage.setItem(Global.receiptQueue, JSON.stringify(list.slice(-20))); } catch (e) { /* storage refused: sent once */ }
};

const send = (receipt) => fetch(receipt.url, { method: "POST", body: receipt.body, keepalive: true, credentials: "omit" }).then((res) => {
  // An answer other than "try later" (5xx, 429) is final; a refusal says
  // why on the console (a portal's address missing from its
  // configuration, above all).
  if (res.status >= 500 || res.status == 429) return;
  keepReceipts(queuedReceipts().filter((q) => q.body != receipt.body));
  if (res.status >= 400) res.text().then((why) => console.warn(`consent manager: receipt refused (HTTP ${res.status}): ${why}`));
}, () => { /* offline, or the page is leaving: sent again later */ });

/** Sends every receipt waiting (the loader's). */
export const sendReceipts = () => { for (const receipt of queuedReceipts()) send(receipt); };
