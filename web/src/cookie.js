/*
 * The consent cookie, cookies_preferences, read and written exactly as Go
 * reads and writes it (consent/cookie.go; the cases of
 * consent/testdata/cookies.json check that both read alike), and the
 * deletions a choice makes (consent/clear.go).
 *
 * embed.js reads the stored choice (a returning visitor never sees the
 * banner, and gated scripts run before the late WebAssembly) and writes a
 * choice made on the banner; the loader deletes stale copies and the
 * cookies of refused categories.
 */
import { manifest, portal } from "./context.js";
import { categoryOf } from "./choice.js";
import { Global } from "./protocol.ts";

const isBool = (v) => typeof v == "boolean";

/** The cookie value of a choice, exactly as Go's Choice.Encode writes it:
 * every platform key (the purpose it stands for allowed), the time of the
 * choice in milliseconds, and this manager's own fields. */
export const encodeChoice = (choices, time, id) => {
  const allows = (key) => (portal.optional.includes(key) ? [key] : portal.optional.filter((k) => categoryOf(k) == key)).every((k) => choices[k]);
  const value = {};
  for (const key of manifest.platformKeys) value[key] = key in portal.trackers && allows(portal.trackers[key]);
  value.timestamp = time;
  value.consent = { version: 1, revision: portal.revision, id, choices: Object.fromEntries([...portal.optional].sort().map((k) => [k, choices[k]])) };
  return encodeURIComponent(JSON.stringify(value));
};

/** How long a choice is kept, in days: a consent (exempt measurement
 * aside) as long as the portal keeps consents, a refusal as long as
 * refusals. */
export const lifetimeDays = (choices) =>
  portal.optional.some((k) => choices[k] && !portal.exempt.includes(categoryOf(k))) ? portal.consentDays : portal.refusalDays;

/** The state (protocol.ts, State) a cookie value stands for at now (ms),
 * or null when it is not a valid, current choice: this manager's own, or
 * the Opendatasoft platform's (its keys alone). */
export const readChoice = (raw, now) => {
  const platformKeys = manifest.platformKeys;
  let o, at, choices, legacy;
  try { o = JSON.parse(decodeURIComponent(raw)); } catch (e) { return null; }
  // (A list, a string or a number has no timestamp.)
  if (!o || Object.keys(o).some((k) => !platformKeys.includes(k) && k != "timestamp" && k != "consent")) return null;
  const t = o.timestamp, c = o.consent;
  if (typeof t != "number") return null;
  // A tracker's key stands for a purpose, or for its whole category.
  const keysOf = (purpose) => Object.keys(portal.trackers).filter((key) => portal.trackers[key] == purpose || portal.trackers[key] == categoryOf(purpose));
  if (c != null) {
    choices = c.choices || {};
    if (encodeChoice(choices, t, c.id) !== raw || !/^[a-z2-7]{16}$/.test(c.id) || !Number.isInteger(t) || t <= 0 || !portal.optional.every((k) => isBool(choices[k]))) return null;
    at = t;
  } else {
    if (platformKeys.some((k) => o[k] != null && !isBool(o[k]))) return null;
    legacy = 1;
    choices = {};
    let consented;
    for (const k of portal.optional) {
      const keys = keysOf(k), refused = keys.filter((key) => o[key] === false).length;
      if (refused && refused < keys.length) return null;
      choices[k] = keys.length ? !refused : portal.exempt.includes(categoryOf(k));
      consented = consented || (keys.length && !refused && !portal.exempt.includes(categoryOf(k)));
    }
    if (consented && !portal.honour) return null;
    at = Math.trunc(t) * (t < 1e11 ? 1000 : 1);
  }
  const until = at + (legacy ? manifest.platformDays : lifetimeDays(choices)) * 864e5;
  if (at > now + 36e5 || until <= now) return null;
  const categories = {};
  for (const k of portal.required) categories[k] = true;
  // A category consented to service by service is accepted when all are.
  for (const k of portal.optional) {
    const category = categoryOf(k);
    categories[k] = choices[k];
    categories[category] = categories[category] !== false && choices[k];
  }
  const iso = (ms) => new Date(ms).toISOString().slice(0, 19) + "Z";
  return { id: legacy ? "" : c.id, revision: portal.revision, decidedAt: iso(at), expiresAt: iso(until), categories, ...(legacy && { platformBanner: true }) };
};

/** The stored choice: the first valid one of the first copies of the
 * cookie (manifest.cookieCopies), or null. */
export const storedChoice = () => {
  // (The cookie's name, Global.cookie, in a regular expression.)
  for (const m of [...document.cookie.matchAll(/(?:^|;\s*)cookies_preferences=([^;]*)/g)].slice(0, manifest.cookieCopies)) {
    const choice = readChoice(m[1], Date.now());
    if (choice) return choice;
  }
  return null;
};

/** A new consent id: 16 characters of base32's alphabet. */
const newConsentId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => "abcdefghijklmnopqrstuvwxyz234567"[b & 31]).join("");

/** Writes the cookie of a new choice made at time (ms), with a new consent
 * id and the attributes Go gives it (consent.SetCookie): Domain the
 * portal's cookieDomain on a page inside it (consent.InCookieDomain), the
 * choice then holding on every site of that domain. Returns its value. */
export const writeChoiceCookie = (choices, time) => {
  const value = encodeChoice(choices, time, newConsentId());
  const host = location.hostname, shared = portal.cookieDomain;
  const domain = shared && (host == shared || host.endsWith("." + shared)) ? "; Domain=" + shared : "";
  document.cookie = `${Global.cookie}=${value}; Path=/; Max-Age=${lifetimeDays(choices) * 86400}; SameSite=Lax${location.protocol == "https:" ? "; Secure" : ""}${domain}`;
  return value;
};

/** The copies of the consent cookie, as the page's cookie header holds
 * them (for Go's warm-up and the live charter). */
export const consentCookies = () => document.cookie.split(/;\s*/).filter((c) => c.startsWith(`${Global.cookie}=`)).join("; ");

// Where a cookie of this page can have been set: every domain attribute
// (none, the host, its parent domain) and every path above the page.
const domains = () => {
  const host = location.hostname, list = [""];
  if (host.includes(".") && !/^[\d.]+$|:/.test(host)) {
    list.push("; Domain=" + host);
    const parent = host.slice(host.indexOf(".") + 1);
    if (parent.includes(".")) list.push("; Domain=" + parent);
  }
  return list;
};
const paths = () => {
  const p = location.pathname, list = ["/"];
  for (let i = 1; i < p.length; i++) if (p[i] == "/") list.push(p.slice(0, i), p.slice(0, i + 1));
  if (!p.endsWith("/")) list.push(p);
  return list;
};

/** Deletes a cookie at path, for every domain attribute it can have. */
export const eraseCookie = (name, path) => {
  for (const domain of domains()) document.cookie = `${name}=; Path=${path}; Max-Age=0${domain}`;
};

/** Deletes every copy of the consent cookie, at every path and domain
 * (consent.ClearEverywhere): a malformed or duplicated cookie is repaired
 * by the next choice. */
export const eraseConsentCookies = () => {
  for (const path of paths()) eraseCookie(Global.cookie, path);
};

/** The page's cookies a choice refuses (consent.CookiesToClear): those
 * named under a category none of whose purposes it accepts (the portal's
 * cookies: the names by category, "_pk_id.*" standing for every name it
 * starts), in Go's order: category by category, then as the page holds
 * them. */
export const cookiesToClear = (choices) => {
  const present = [...new Set(document.cookie.split(";").map((c) => c.split("=")[0].trim()).filter(Boolean))];
  const cleared = [];
  for (const category of new Set(portal.optional.map(categoryOf))) {
    const names = portal.cookies[category] || [];
    if (portal.optional.some((k) => categoryOf(k) == category && choices[k])) continue;
    for (const name of present) {
      if (!cleared.includes(name) && names.some((n) => (n.endsWith("*") ? name.startsWith(n.slice(0, -1)) : name == n))) cleared.push(name);
    }
  }
  return cleared;
};
