package e2e

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// On a portal that is not ours (another origin), the banner and Go leave the
// portal's content, its window.onclick, its pushState routing and its back
// button as they were, and the choice lands on the portal's origin: on a
// page without the charter, where Go does not run, and on one with it.
func TestPortalPageKeepsItsLinksHistoryAndHandlers(t *testing.T) {
	for _, c := range []struct {
		name, page string
		goRuns     bool
	}{{"without Go", "/portal.html", false}, {"Go", "/portal.html?charte", true}} {
		t.Run(c.name, func(t *testing.T) { portalPageKeepsItsLinksHistoryAndHandlers(t, c.page, c.goRuns) })
	}
}

func portalPageKeepsItsLinksHistoryAndHandlers(t *testing.T, page string, goRuns bool) {
	portal := portalServer(t, nil)
	p := newPage(t, 1280, 800)
	p.beforeEveryPage(`window.globalsAtStart = Object.keys(window);`)
	p.visit(portal + page)
	if !p.bannerVisible() {
		t.Fatal("no banner on the portal page")
	}
	if goRuns {
		p.waitGo()
	} else {
		p.noClientFetched()
	}
	p.screenshot("embed-portal-" + map[bool]string{false: "without-go", true: "go"}[goRuns])
	var added []string
	p.eval(`Object.keys(window).filter(k => !globalsAtStart.includes(k) && !["globalsAtStart", "portalClicks", "show"].includes(k))`, &added)
	// dataLayer is Google's, for the Consent Mode signals this portal's
	// configuration asks for.
	if !slices.Equal(added, []string{"consentBanner", "dataLayer"}) {
		t.Errorf("globals added to the portal's window: %q, want only consentBanner and dataLayer", added)
	}
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
	p.backButton(portal + "/about")
	if err := chromedp.Run(p.ctx, chromedp.Poll(`location.pathname === "/datasets" && document.getElementById("view").textContent === "Vue /datasets"`,
		nil, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		var state string
		p.eval(`location.pathname + " showing " + JSON.stringify(document.getElementById("view").textContent)`, &state)
		t.Fatalf("back button: %v; the page is at %s", err, state)
	}
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

// A choice is stored at the click, whether Go runs yet or not: with the
// WebAssembly still on its way, "Tout accepter" writes the cookie in the
// click's own task and sends the receipt. The visitor leaves a second
// later: the next visit asks nothing and the host holds the receipt. When
// Go runs at last it reads the choice and sends no second receipt.
func TestAChoiceIsStoredAtTheClickBeforeGoRuns(t *testing.T) {
	release := holdWasmResponses(t)
	// The host's own page of the portal: receipts come from origins the
	// configuration names.
	portal := hostURL + "/portails/essai"
	p := newPage(t, 1280, 800)
	p.visit(portal + "/")
	p.waitLoader()
	var sameTask string
	p.eval(`(() => { document.querySelector('.cb-banner [data-cb-action="accept-all"]').click(); return document.cookie; })()`, &sameTask)
	if !strings.Contains(sameTask, "cookies_preferences=") {
		t.Fatal("the cookie was not written in the click's task")
	}
	if p.bannerVisible() {
		t.Error("the banner stayed after the click")
	}
	choice := decode(t, essai, p.cookie(hostURL))
	if !choice.Accepted["statistics"] || !choice.Accepted["video"] {
		t.Errorf("Tout accepter stored %v", choice.Accepted)
	}
	time.Sleep(time.Second)
	p.visit("about:blank")
	p.visit(portal + "/")
	if p.bannerVisible() {
		t.Error("the next visit asks again")
	}
	receipts := func() int {
		t.Helper()
		kept, err := receiptStore.ByID(context.Background(), choice.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(kept)
	}
	if n := receipts(); n != 1 {
		t.Fatalf("the host holds %d receipts of the choice, want 1", n)
	}
	release()
	p.visit(portal + "/charte")
	p.waitGo()
	if again := decode(t, essai, p.cookie(hostURL)); again.ID != choice.ID {
		t.Errorf("Go rewrote the choice %s as %s", choice.ID, again.ID)
	}
	time.Sleep(500 * time.Millisecond)
	if n := receipts(); n != 1 {
		t.Errorf("after Go ran the host holds %d receipts, want 1", n)
	}
}

// A click on the banner before even the portal's loader has arrived is
// stored at once, in the click's task (embed.js holds the same writer as
// the loader); its receipt waits in the page for the loader, which sends it.
func TestAClickBeforeTheLoaderArrivesIsStoredAtOnce(t *testing.T) {
	release := holdLoaderResponses(t)
	// A portal's page with embed.js, which loads the loader
	// (embed.js?portal= carries it).
	portal := portalServer(t, nil) + "/portal.html"
	p := newPage(t, 1280, 800)
	// The held loader holds the page's load event too.
	p.visitBeforeLoad(portal)
	var sameTask string
	p.eval(`(() => { document.querySelector('.cb-banner [data-cb-action="reject-all"]').click(); return document.cookie; })()`, &sameTask)
	if !strings.Contains(sameTask, "cookies_preferences=") {
		t.Fatal("the cookie was not written in the click's task")
	}
	if p.bannerVisible() {
		t.Fatal("the banner stayed after the click")
	}
	choice := decode(t, essai, p.cookie(portal))
	if acceptsAny(choice) {
		t.Errorf("Tout refuser stored %v", choice.Accepted)
	}
	p.visitBeforeLoad(portal)
	if p.bannerVisible() {
		t.Error("the next page asks again")
	}
	release()
	if n := waitReceipts(t, choice.ID, 1); n != 1 {
		t.Fatalf("the host holds %d receipts of the choice once the loader came, want 1", n)
	}
}

// embed.js?portal=<id> carries the portal's loader: "Personnaliser"
// clicked as the banner shows opens the dialog, the focus in it, with no
// other request (every loader response is held here: with embed.js, which
// loads the loader, the dialog would never come).
func TestOnePortalsScriptBringsTheDialogWithTheBanner(t *testing.T) {
	holdLoaderResponses(t)
	p := newPage(t, 1280, 800)
	p.visitBeforeLoad(hostURL + "/portails/essai/")
	p.click(`.cb-banner [data-cb-action="customise"]`)
	p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
	var got struct {
		Focused bool
		Loaders int
	}
	p.eval(`({ focused: !!document.activeElement.closest("dialog.cb-dialog[open]"),
		loaders: performance.getEntriesByType("resource").filter((e) => e.name.includes("/assets/loader-")).length })`, &got)
	if !got.Focused || got.Loaders != 0 {
		t.Errorf("the dialog has the focus: %v; loaders fetched: %d, want none", got.Focused, got.Loaders)
	}
	p.screenshot("one-portal-script-dialog")
}

// A keyboard visitor who reached "Tout refuser" before Go ran is still on
// it once go-app has replaced the painted banner with its own elements,
// and in every frame painted meanwhile: a screen reader never hears the
// focus leave, a Tab pressed then goes on from there.
func TestFocusStaysOnTheBannerWhenGoTakesOver(t *testing.T) {
	release := holdWasmResponses(t)
	portal := portalServer(t, nil)
	p := newPage(t, 1280, 800)
	p.visit(portal + "/charter.html")
	p.eval(`(() => { document.querySelector('#cb-root [data-cb-action="reject-all"]').focus(); window.cbFramesFocusElsewhere = [];
		const look = () => { if (document.activeElement.dataset.cbAction != "reject-all") window.cbFramesFocusElsewhere.push(performance.now().toFixed(0) + " " + document.activeElement.tagName); requestAnimationFrame(look); };
		requestAnimationFrame(look); return true; })()`, nil)
	release()
	p.waitGo()
	// Go says it is ready after its first render's frame: one more frame.
	time.Sleep(100 * time.Millisecond)
	var elsewhere []string
	p.eval(`window.cbFramesFocusElsewhere`, &elsewhere)
	if len(elsewhere) > 0 {
		t.Errorf("frames with the focus elsewhere while Go took over: %v", elsewhere)
	}
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

// A data-consent-charter element of a portal's own page receives the whole
// charter: text, cookie tables, the visitor's choice and controls that
// change it, alike before Go (the WebAssembly held for the whole visit: the
// host's rendering, the loader's controls) and from Go.
func TestCharterOnThePortalsOwnPage(t *testing.T) {
	beforeAndWithGo(t, func(t *testing.T, goRuns bool, name string) {
		portal := portalServer(t, nil)
		p := newPage(t, 1280, 800)
		p.visit(portal + "/charter.html")
		if goRuns {
			p.waitGo()
		} else {
			p.waitLoader()
			p.run(chromedp.WaitVisible(`#charte [data-cb-action="save"]`, chromedp.ByQuery))
		}
		checkCharterOnPortalPage(t, p, portal, name)
	})
}

// Go takes the charter over in a task after the banner's: until then the
// page's charter stays live, and Go's continues from it. A visitor who set a
// switch there and kept the focus on it sees, in every frame painted while
// Go takes over, the switch as they set it with the focus on it; what they
// save then is what they set, receipted once.
func TestGoContinuesFromTheCharterTheVisitorLeft(t *testing.T) {
	release := holdWasmResponses(t)
	// The host's charter page of the portal: receipts come from origins the
	// configuration names.
	p := newPage(t, 1280, 800)
	p.visit(hostURL + "/portails/essai/charte")
	p.waitLoader()
	p.run(chromedp.WaitVisible(`[data-consent-charter] [data-cb-action="save"]`, chromedp.ByQuery))
	p.click("#cb-charter-video")
	p.run(chromedp.Focus("#cb-charter-video", chromedp.ByQuery))
	p.eval(`(() => { window.cbPageCharter = document.querySelector("[data-consent-charter] article"); window.cbFramesElsewhere = [];
		const look = () => { const s = document.getElementById("cb-charter-video");
			if (!s || !s.checked || document.activeElement !== s) window.cbFramesElsewhere.push(performance.now().toFixed(0) + " " + (s && s.checked) + " " + (document.activeElement.id || document.activeElement.tagName));
			requestAnimationFrame(look); };
		requestAnimationFrame(look); return true; })()`, nil)
	release()
	p.waitGo()
	p.run(chromedp.Poll(`document.querySelector("[data-consent-charter] article") !== window.cbPageCharter && document.activeElement.id === "cb-charter-video"`, nil,
		chromedp.WithPollingTimeout(10*time.Second)))
	var elsewhere []string
	p.eval(`window.cbFramesElsewhere`, &elsewhere)
	if len(elsewhere) > 0 {
		t.Errorf("frames without the switch as set or the focus on it while Go took the charter over, at %v", elsewhere)
	}
	p.screenshot("charter-after-go")
	p.click(`[data-consent-charter] [data-cb-action="save"]`)
	p.run(chromedp.Poll(`document.querySelector('[data-consent-charter] dd[data-category="video"]')?.textContent === "Accepté"`, nil))
	c := decode(t, essai, p.cookie(hostURL))
	if !c.Accepted["video"] || c.Accepted["statistics"] {
		t.Errorf("saved from Go's charter: %v, want videos only", c.Accepted)
	}
	waitReceipts(t, c.ID, 1)
	time.Sleep(500 * time.Millisecond)
	if n := waitReceipts(t, c.ID, 1); n != 1 {
		t.Errorf("the host holds %d receipts of the choice, want 1", n)
	}
}

func checkCharterOnPortalPage(t *testing.T, p *page, portal, name string) {
	var layout struct {
		Before, Inside, After bool
		Cookies               []string
		Text                  string
	}
	p.eval(`(() => {
		`+drawWholeCharter+`
		const c = document.getElementById("charte");
		return {
			before: c.previousElementSibling.id === "before", after: c.nextElementSibling.id === "after",
			inside: !!c.querySelector("article.cb-charter h1"),
			cookies: [...c.querySelectorAll("table tbody tr td:nth-child(3)")].map(td => td.textContent),
			text: c.innerText,
		};
	})()`, &layout)
	if !layout.Before || !layout.After || !layout.Inside {
		t.Fatalf("the charter is not in the page's data-consent-charter element: %+v", layout)
	}
	wantCookies := "sessionid django_language csrftoken cookies_preferences _pk_id.* _pk_ses.* VISITOR_INFO1_LIVE"
	if got := strings.Join(layout.Cookies, " "); got != wantCookies {
		t.Errorf("charter tables list %q, want %q", got, wantCookies)
	}
	csrf := essai.Categories[0].Cookies[2]
	for _, want := range []string{"Charte cookies", "Qu'est ce qu'un cookie ?", essai.Texts["fr"].Charter.NoChoice, csrf.Name + "\t" + csrf.Purpose["fr"] + "\t" + csrf.Duration["fr"] + "\t" + csrf.Justification["fr"]} {
		if !strings.Contains(layout.Text, want) {
			t.Errorf("the charter on the portal's page lacks %q", want)
		}
	}

	p.click("#cb-charter-video")
	p.click(`#charte [data-cb-action="save"]`)
	p.run(chromedp.Poll(`document.querySelector('#charte dd[data-category="video"]')?.textContent === "Accepté"`, nil))
	choice := decode(t, essai, p.cookie(portal))
	if !choice.Accepted["video"] || choice.Accepted["statistics"] {
		t.Errorf("the charter's save stored %v, want videos only", choice.Accepted)
	}
	var shownID string
	p.eval(`document.querySelector("#charte .cb-consent-id").textContent`, &shownID)
	if shownID != choice.ID {
		t.Errorf("the charter shows consent id %q, the cookie holds %q", shownID, choice.ID)
	}
	if p.bannerVisible() {
		t.Error("the banner stayed after a choice made in the charter")
	}
	p.fullScreenshot("embed-charter-portal-" + strings.ReplaceAll(name, " ", "-"))

	p.click(`#charte [data-cb-action="reject-all"]`)
	p.run(chromedp.Poll(`document.querySelector('#charte dd[data-category="video"]')?.textContent === "Refusé"`, nil))
	if c := decode(t, essai, p.cookie(portal)); acceptsAny(c) {
		t.Errorf("withdrawing from the charter stored %v", c.Accepted)
	}
	if errs := p.consoleErrors(); len(errs) > 0 {
		t.Errorf("console: %q", errs)
	}
}

// The page API: a call made before Go runs (on the charter page, where it
// does) is carried out at once and Go continues from it; get(),
// acceptedCategory() and the consent:change event follow the visitor's
// choice; show() brings the banner back.
func TestPageAPI(t *testing.T) {
	release := holdWasmResponses(t)
	portal := portalServer(t, nil)
	p := newPage(t, 1280, 800)
	p.visit(portal + "/charter.html")
	var before struct {
		State    any
		Accepted bool
	}
	p.eval(`consentBanner.showPreferences();
		window.changes = []; document.addEventListener("consent:change", e => changes.push(e.detail));
		({ state: consentBanner.get(), accepted: consentBanner.acceptedCategory("video") })`, &before)
	if before.State != nil || before.Accepted {
		t.Errorf("before any choice: get() = %v, acceptedCategory(video) = %v", before.State, before.Accepted)
	}
	release()
	p.waitGo()
	p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
	p.click("#cb-pref-video")
	p.click(`dialog [data-cb-action="save"]`)
	p.run(chromedp.Poll(`window.changes.length === 1`, nil))

	choice := decode(t, essai, p.cookie(portal))
	var after struct {
		Event, State struct {
			ID         string
			Revision   int
			Categories map[string]bool
		}
		Video, Statistics bool
	}
	p.eval(`({ event: changes[0], state: consentBanner.get(),
		video: consentBanner.acceptedCategory("video"), statistics: consentBanner.acceptedCategory("statistics") })`, &after)
	want := map[string]bool{"necessary": true, "statistics": false, "video": true}
	for _, got := range []struct {
		ID         string
		Revision   int
		Categories map[string]bool
	}{after.Event, after.State} {
		if got.ID != choice.ID || got.Revision != essai.Revision || !maps.Equal(got.Categories, want) {
			t.Errorf("API reports %+v, the cookie holds %+v", got, choice)
		}
	}
	if !after.Video || after.Statistics {
		t.Errorf("acceptedCategory: video %v, statistics %v", after.Video, after.Statistics)
	}
	p.run(chromedp.WaitNotVisible(".cb-banner", chromedp.ByQuery))
	p.eval(`consentBanner.show(); true`, nil)
	p.run(chromedp.WaitVisible(".cb-banner", chromedp.ByQuery))
}

// A page with a strict Content-Security-Policy that allows the consent host
// exactly as docs/embedding.md says works, with no violation reported: the banner,
// the dialog, the live charter and Go, whose WebAssembly is fetched and
// compiled, and whose start is run first, in a Web Worker that is gone once
// Go runs (web/src/gostart.js). A policy without the worker-src line of
// docs/embedding.md refuses that worker: the browser reports it, and Go
// starts all the same, compiled on the page.
func TestStrictContentSecurityPolicy(t *testing.T) {
	readme := "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self' " + hostURL + " 'wasm-unsafe-eval'; " +
		"connect-src 'self' " + hostURL + "; worker-src blob:; base-uri 'none'; form-action 'self'"
	for _, c := range []struct {
		name, policy string
		violations   []string
		workers      int
	}{
		{"readme", readme, nil, 1},
		{"without-worker-src", strings.Replace(readme, " worker-src blob:;", "", 1), []string{"worker-src blob"}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			portal := portalServer(t, func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Security-Policy", c.policy)
					next.ServeHTTP(w, r)
				})
			})
			p := newPage(t, 1280, 800)
			p.watchWorkers()
			p.beforeEveryPage(`window.violations = [];
				document.addEventListener("securitypolicyviolation", e => violations.push(e.violatedDirective + " " + e.blockedURI));`)
			p.visit(portal + "/csp.html")
			p.waitGo()
			if started, gone := p.workerCount(); started != c.workers || gone != started {
				t.Errorf("as Go is ready, %d workers started and %d are gone; want %d, all gone", started, gone, c.workers)
			}
			// The worker fetched and compiled the WebAssembly: the page's
			// own thread did not, unless there was no worker.
			var pageFetchedWasm bool
			p.eval(`performance.getEntriesByType("resource").some((e) => new URL(e.name).pathname.endsWith(".wasm"))`, &pageFetchedWasm)
			if want := c.workers == 0; pageFetchedWasm != want {
				t.Errorf("the page fetched the WebAssembly itself: %v, want %v", pageFetchedWasm, want)
			}
			var styled struct{ Button, Dialog string }
			p.eval(`({ button: getComputedStyle(document.querySelector('#cb-root [data-cb-action="reject-all"]')).backgroundColor })`, &styled)
			p.click("#manage")
			p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
			p.eval(`({ button: getComputedStyle(document.querySelector('#cb-root [data-cb-action="reject-all"]')).backgroundColor,
				dialog: getComputedStyle(document.querySelector("dialog.cb-dialog")).borderTopLeftRadius })`, &styled)
			if styled.Button != "rgb(27, 75, 140)" || styled.Dialog != "8px" {
				t.Errorf("under a strict CSP the banner or the dialog lost its styles: %+v", styled)
			}
			p.screenshot("embed-strict-csp-dialog-" + c.name)
			p.click(`dialog [data-cb-action="save"]`)
			p.run(chromedp.WaitNotPresent("dialog.cb-dialog[open]", chromedp.ByQuery))
			decode(t, essai, p.cookie(portal))
			var violations []string
			p.eval(`window.violations`, &violations)
			if !slices.Equal(violations, c.violations) {
				t.Errorf("CSP violations: %q, want %q", violations, c.violations)
			}
			if errs := p.consoleErrors(); len(errs) > 0 {
				t.Errorf("console: %q", errs)
			}
		})
	}
}

// A first visit leaves localStorage unread until the visitor chooses: no
// receipt can be waiting there without a stored choice, and the browser's
// first read of a portal's storage was a long task after the banner on a
// slow phone. The choice then queues its receipt there, as before.
func TestAFirstVisitReadsNoStorageBeforeAChoice(t *testing.T) {
	p := newPage(t, 1280, 800)
	p.beforeEveryPage(`(() => {
		window.storageReads = 0;
		const get = Storage.prototype.getItem;
		Storage.prototype.getItem = function (key) { window.storageReads++; return get.call(this, key); };
	})()`)
	p.visit(hostURL + "/portails/essai/")
	p.waitLoader()
	// The loader's tasks after its first, the dialog's included.
	p.run(chromedp.WaitReady("#cb-root dialog", chromedp.ByQuery))
	time.Sleep(300 * time.Millisecond)
	var reads int
	p.eval(`window.storageReads`, &reads)
	if reads != 0 {
		t.Errorf("a first visit read localStorage %d times before any choice", reads)
	}
	p.click(`.cb-banner [data-cb-action="reject-all"]`)
	p.eval(`window.storageReads`, &reads)
	if reads == 0 {
		t.Error("the choice queued no receipt in localStorage")
	}
	// A later page, the choice stored, sends what an earlier one left
	// waiting (TestAReceiptTheHostMissedIsSentAgain): it reads the queue.
	p.visit(hostURL + "/portails/essai/")
	p.waitLoader()
	p.run(chromedp.Poll(`window.storageReads > 0`, nil, chromedp.WithPollingTimeout(5*time.Second)))
}

// A receipt the host could not take (503 here, or a network failure) stays
// on the page's side and is sent again from the next page; once the host
// has answered, it is no longer kept.
func TestAReceiptTheHostMissedIsSentAgain(t *testing.T) {
	var unavailable atomic.Bool
	unavailable.Store(true)
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/receipts" && unavailable.Load() {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		hostHandler.ServeHTTP(w, r)
	}))
	t.Cleanup(host.Close)
	p := newPage(t, 1280, 800)
	p.visit(host.URL + "/portails/essai/")
	p.waitLoader()
	p.click(`.cb-banner [data-cb-action="reject-all"]`)
	choice := decode(t, essai, p.cookie(host.URL))
	queued := func() int {
		var n int
		p.eval(`(JSON.parse(localStorage.getItem("consentBanner.receipts")) || []).length`, &n)
		return n
	}
	kept := func() int {
		list, err := receiptStore.ByID(context.Background(), choice.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	time.Sleep(500 * time.Millisecond)
	if n := kept(); n != 0 || queued() != 1 {
		t.Fatalf("with the host unavailable: %d receipts kept, %d waiting on the page; want 0 and 1", n, queued())
	}
	unavailable.Store(false)
	p.visit(host.URL + "/portails/essai/")
	p.run(chromedp.Poll(`(JSON.parse(localStorage.getItem("consentBanner.receipts")) || []).length === 0`, nil, chromedp.WithPollingTimeout(10*time.Second)))
	if n := kept(); n != 1 {
		t.Errorf("after the next page the host holds %d receipts of the choice, want 1", n)
	}
}

// On a page still arriving (a heavy portal page, its end 2 s behind its
// start), the loader comes at once: "Personnaliser" opens a working dialog
// while the page is still parsing, and the charter element at the page's
// end receives the charter once it is there.
func TestTheDialogWorksWhileThePageIsStillArriving(t *testing.T) {
	holdWasmResponses(t)
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Portail lent</title>
<script src="%s/embed.js" data-portal="essai" async></script></head><body><main><h1>Portail lent</h1>`, hostURL)
		// Enough bytes for the browser to parse and run what came.
		fmt.Fprintf(w, "<!-- %s -->\n", strings.Repeat(" ", 4096))
		w.(http.Flusher).Flush()
		time.Sleep(2 * time.Second)
		fmt.Fprint(w, `<div id="charte" data-consent-charter></div></main></body></html>`)
	})
	portal := portalServer(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/slow.html" {
				slow.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	p := newPage(t, 1280, 800)
	p.visitBeforeLoad(portal + "/slow.html")
	p.waitLoader()
	p.click(`.cb-banner [data-cb-action="customise"]`)
	p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
	var parsing string
	p.eval(`document.readyState`, &parsing)
	if parsing != "loading" {
		t.Errorf("the page was %q when the dialog opened; the test needs it still arriving", parsing)
	}
	p.run(chromedp.Poll(`document.querySelector("#charte [data-cb-action=save]") !== null`, nil, chromedp.WithPollingTimeout(10*time.Second)))
}
