package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// On a portal that is not ours (another origin), the banner and Go leave the
// portal's content, its window.onclick, its pushState routing and its back
// button as they were, and the choice lands on the portal's origin.
func TestPortalPageKeepsItsLinksHistoryAndHandlers(t *testing.T) {
	portal := portalServer(t, nil)
	p := newPage(t, 1280, 800)
	p.visit(portal + "/portal.html")
	if !p.bannerVisible() {
		t.Fatal("no banner on the portal page")
	}
	p.waitGo()
	p.screenshot("embed-portal")
	var focused string
	p.eval(`document.activeElement.id`, &focused)
	if focused != "search" {
		t.Errorf("focus moved from the portal's search field to %q", focused)
	}

	var charterHref string
	p.eval(`document.querySelector("#cb-root .cb-link").href`, &charterHref)
	if charterHref != hostURL+"/portails/essai/charte" {
		t.Errorf("the banner's charter link goes to %q, not to the host's charter", charterHref)
	}
	var ownHandlers bool
	p.eval(`String(window.onclick).includes("portalClicks") && String(window.onpopstate).includes("portalPops")`, &ownHandlers)
	if !ownHandlers {
		t.Fatal("the portal's window.onclick / onpopstate were replaced")
	}
	p.click("#to-datasets")
	var path, view string
	p.eval(`location.pathname`, &path)
	p.eval(`document.getElementById("view").textContent`, &view)
	if path != "/datasets" || view != "Vue /datasets" {
		t.Errorf("portal router after a click: path %q, view %q", path, view)
	}
	p.choose("reject-all")
	p.click("#to-about")
	p.run(chromedp.NavigateBack())
	p.run(chromedp.Poll(`location.pathname === "/datasets" && document.getElementById("view").textContent === "Vue /datasets"`, nil))
	var header string
	p.eval(`document.getElementById("portal-header").querySelector("h1").textContent`, &header)
	if header != "Portail tiers" {
		t.Errorf("portal header now %q", header)
	}
	decode(t, essai, p.cookie(portal))
	if c := p.cookie(hostURL); c != nil {
		t.Error("the choice landed on the host's origin, not the portal's")
	}
	if errs := p.consoleErrors(); len(errs) > 0 {
		t.Errorf("console: %q", errs)
	}
}

// A click on the pre-rendered banner while the WebAssembly is still on its
// way hides the banner at once; the visitor goes to another page, and the
// choice is written there as soon as Go runs.
func TestEarlyClickSurvivesANavigationBeforeGoRuns(t *testing.T) {
	release := holdWasmResponses(t)
	portal := portalServer(t, nil)
	p := newPage(t, 1280, 800)
	p.visit(portal + "/portal.html")
	if !p.bannerVisible() {
		t.Fatal("no pre-rendered banner while the WebAssembly is held")
	}
	p.click(`.cb-banner [data-cb-action="accept-all"]`)
	if p.bannerVisible() {
		t.Fatal("the banner stayed after an early click")
	}
	if c := p.cookie(portal); c != nil {
		t.Fatal("cookie written although Go has not run")
	}
	p.visit(portal + "/portal2.html")
	if p.bannerVisible() {
		t.Error("the banner came back on the next page although a choice is pending")
	}
	release()
	p.waitGo()
	p.run(chromedp.Poll(`document.cookie.includes("cookies_preferences=")`, nil))
	choice := decode(t, essai, p.cookie(portal))
	if !choice.Accepted["statistics"] || !choice.Accepted["video"] {
		t.Errorf("early Tout accepter stored %v", choice.Accepted)
	}
	var pending string
	p.eval(`String(sessionStorage.getItem("consentBanner.pending"))`, &pending)
	if pending != "null" {
		t.Errorf("pending choice left in sessionStorage: %s", pending)
	}
}

// A keyboard visitor who reached "Tout refuser" before Go ran is still on
// it once go-app has replaced the painted banner with its own elements.
func TestFocusStaysOnTheBannerWhenGoTakesOver(t *testing.T) {
	release := holdWasmResponses(t)
	portal := portalServer(t, nil)
	p := newPage(t, 1280, 800)
	p.visit(portal + "/portal.html")
	p.eval(`document.querySelector('#cb-root [data-cb-action="reject-all"]').focus(); true`, nil)
	release()
	p.waitGo()
	var focus struct {
		Action    string
		Connected bool
	}
	p.eval(`(() => { const f = document.activeElement;
		return { action: f.dataset.cbAction || f.id, connected: f.isConnected && document.getElementById("cb-root").contains(f) }; })()`, &focus)
	if focus.Action != "reject-all" || !focus.Connected {
		t.Errorf("after Go took over, focus is on %+v, want the live Tout refuser button", focus)
	}
}
