/*
 * What the modules of one script share, set once by its entry as it starts:
 * web/embed.js calls useEmbed, web/loader.js calls useLoader. Nothing here
 * is read before that call.
 */
import { Global, Member } from "./protocol.ts";

/** window.consentBanner (protocol.ts): created by embed.js, which runs
 * first; the loader finds it there. */
export const api = window[Global.api] = window[Global.api] || {};

/** @type {import("./protocol.ts").Manifest} What the host told embed.js
 * (src/manifest.js; embed.js's alone). */
export let manifest;
/** @type {import("./protocol.ts").Portal} The portal of this page. */
export let portal;

// The loader's alone: what embed.js handed it (protocol.ts: Member.embed,
// Member.boot) and what the host put in it.
/** @type {string} The portal's id. */
export let portalId;
/** @type {(path: string) => string} Resolves a path of the host's
 * against embed.js's own address. */
export let url;
/** @type {import("./protocol.ts").Boot} */
export let boot;
/** @type {Element} The painted root (#cb-root). */
export let root;
/** @type {import("./protocol.ts").EmbedHandOff["writeChoice"]} embed.js's
 * way of storing a choice. */
export let writeChoice;
/** @type {import("./protocol.ts").LoaderPortal} */
export let loaderPortal;

/** Called by embed.js once it knows its portal. */
export const useEmbed = (hostManifest, itsPortal) => {
  manifest = hostManifest;
  portal = itsPortal;
};

/** Called by the loader as it starts. */
export const useLoader = (fromHost) => {
  loaderPortal = fromHost;
  boot = api[Member.boot];
  ({ portalId, portal, root, url, writeChoice } = api[Member.embed]);
};
