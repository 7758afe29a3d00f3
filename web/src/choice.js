/*
 * Choices: which purposes an action allows, what holds before any choice,
 * Global Privacy Control, and what a new choice takes back. The same rules
 * as Go's (consent/choice.go, app/root.go, bridge/api.go, consent/clear.go).
 *
 * A choice here is an object of booleans by purpose key (portal.optional:
 * categories, or "category/service"); the categories of a state
 * (Member.state) hold every category and purpose key.
 */
import { api, portal } from "./context.js";
import { Action, Member } from "./protocol.ts";

/** The category of a purpose key: "video" for "video/youtube". */
export const categoryOf = (key) => key.split("/")[0];

/** What runs before any choice (consent.Portal.Opening): the necessary
 * categories, and the exempt ones (audience measurement the CNIL exempts
 * from consent); a category that lists services is off, as Go has it, its
 * services each on their own. */
export const defaultCategories = () => Object.fromEntries([
  ...portal.optional.filter((key) => key.includes("/")).map((key) => [categoryOf(key), false]),
  ...[...portal.required, ...portal.optional].map((key) => [key, portal.required.includes(key) || portal.exempt.includes(categoryOf(key))]),
]);

/** The state a browser that sends Global Privacy Control starts in, when
 * the portal honours it: refused, every category that needs consent off,
 * and no banner asking again. Falsy otherwise. */
export const gpcState = () => portal.gpc && navigator.globalPrivacyControl === true && {
  gpc: true, categories: defaultCategories(),
};

/** The choices of a banner or dialog action: everything ("accept-all"),
 * or what needs no consent (exempt measurement). */
export const choicesOf = (action) =>
  Object.fromEntries(portal.optional.map((key) => [key, action == Action.acceptAll || portal.exempt.includes(categoryOf(key))]));

/** The purposes a new choice takes back from the one before (a state;
 * none when that was no choice: Global Privacy Control's state, say). */
export const withdrawnBy = (before, choices) =>
  before && before.id != null ? portal.optional.filter((key) => before.categories[key] && !choices[key]) : [];

/** The categories allowed now: the current choice's, or before any the
 * defaults. */
export const acceptedCategories = () => (api[Member.state] || { categories: defaultCategories() }).categories;

/** The choices that accept key (a category or a purpose) on top of what
 * is allowed now: a placeholder's button. */
export const choicesAccepting = (key) => {
  const on = acceptedCategories();
  return Object.fromEntries(portal.optional.map((k) => [k, !!on[k] || k == key || categoryOf(k) == key]));
};
