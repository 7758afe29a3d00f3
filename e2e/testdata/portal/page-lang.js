// A test page's <html lang> is ?htmllang's, when given ("" removes it):
// loaded without async before the consent manager's tag, it runs first.
const htmlLang = new URLSearchParams(location.search).get("htmllang");
if (htmlLang !== null) document.documentElement.setAttribute("lang", htmlLang);
