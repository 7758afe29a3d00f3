// The floor of the banner's time: a script that only inserts a banner (a
// title, a paragraph and three buttons, in the system's font) and does
// nothing else. The benchmark runs it from the same tag on the same page as
// ours: no consent manager can show a banner sooner there, and how far the
// floor itself stands from vanilla-cookieconsent's time says what a ratio
// to it can reach on that machine.
const insertBanner = () => {
  const root = document.createElement("div");
  root.id = "cb-root";
  root.innerHTML = '<div class="cb-banner" role="region" aria-label="Cookies" style="position:fixed;left:16px;right:16px;bottom:16px;padding:20px 24px;background:#fff;color:#1e1e1e;border:1px solid #6b7280;border-radius:8px;font:16px/1.5 system-ui,sans-serif">' +
    '<h2 style="margin:0 0 8px;font-size:18px">Cookies sur Open Data Pau</h2>' +
    "<p style=\"margin:0 0 16px\">Afin de vous proposer le meilleur service possible nous utilisons des cookies. Les cookies statistiques ne sont déposés qu'avec votre accord.</p>" +
    '<button type="button">Tout accepter</button> <button type="button">Tout refuser</button> <button type="button">Personnaliser</button></div>';
  document.body.append(root);
};
if (document.body) insertBanner();
else document.addEventListener("DOMContentLoaded", insertBanner);
