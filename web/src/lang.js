/*
 * The language the banner speaks, picked as Go picks it (consent/lang.go):
 * the page's own language, then the browser's, the first the portal speaks;
 * else the portal's first.
 */

/** @param {string[]} languages the portal's, its default first. */
export const pickLanguage = (languages) => {
  for (const wanted of [document.documentElement.lang, ...(navigator.languages || [navigator.language])]) {
    const lang = String(wanted || "").trim().toLowerCase().split("-")[0];
    if (languages.includes(lang)) return lang;
  }
  return languages[0];
};
