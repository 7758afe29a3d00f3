/*
 * What the host tells embed.js (protocol.ts, Manifest): it puts it in place
 * of __CONSENT_MANIFEST__ as it serves the script. embed.js imports this
 * module first, so that the manifest comes first in the script, as it
 * always did: the script compresses best that way. Only embed.js may
 * import it (the other modules find it in context.js): in any other script
 * the name would stay, unreplaced, and throw.
 */

/** @type {import("./protocol.ts").Manifest} */
export const manifest = __CONSENT_MANIFEST__;
