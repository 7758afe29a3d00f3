// A test page's #charte element holds the charter, and Go runs there, only
// with ?charte: the same page is then a plain portal page and a charter
// page. Loaded without async at the end of the body, it runs before the
// consent manager looks for the charter (DOMContentLoaded).
if (!new URLSearchParams(location.search).has("charte")) document.getElementById("charte").remove();
