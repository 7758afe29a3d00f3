package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// consentModeLog records, before the page's scripts, every Consent Mode
// command pushed to dataLayer, with its time since navigation.
const consentModeLog = `window.dataLayer = []; window.cmLog = [];
	dataLayer.push = function (...items) {
		for (const a of items) cmLog.push({ at: performance.now(), args: Array.from(a) });
		return Array.prototype.push.apply(this, items);
	};`

type consentCommand struct {
	At   float64
	Args []any
}

func (p *page) consentCommands() []consentCommand {
	p.t.Helper()
	var log []consentCommand
	p.eval(`cmLog`, &log)
	return log
}

func checkCommand(t *testing.T, c consentCommand, kind string, want map[string]any) {
	t.Helper()
	if len(c.Args) != 3 || c.Args[0] != "consent" || c.Args[1] != kind {
		t.Fatalf("Consent Mode command %v, want consent %s", c.Args, kind)
	}
	got, _ := c.Args[2].(map[string]any)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("consent %s: %s = %v, want %v (all: %v)", kind, k, got[k], v, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("consent %s sends %v, want exactly %v", kind, got, want)
	}
}

// Google Consent Mode v2: every signal denied before anything else, each
// choice followed by an update from the configured mapping, and on a later
// page the stored choice's update right after the default, before the
// page's load and without Go.
func TestConsentModeV2(t *testing.T) {
	portal := portalServer(t, nil)
	p := newPage(t, 1280, 800)
	p.beforeEveryPage(consentModeLog)
	p.visit(portal + "/portal.html")
	p.waitLoader()
	denied := map[string]any{"ad_storage": "denied", "analytics_storage": "denied", "ad_user_data": "denied", "ad_personalization": "denied"}
	withWait := map[string]any{"wait_for_update": 500.0}
	for k, v := range denied {
		withWait[k] = v
	}
	log := p.consentCommands()
	if len(log) != 1 {
		t.Fatalf("before any choice, Consent Mode commands %v, want the default only", log)
	}
	checkCommand(t, log[0], "default", withWait)

	p.click(`.cb-banner [data-cb-action="customise"]`)
	p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
	p.click("#cb-pref-statistics")
	p.click(`dialog [data-cb-action="save"]`)
	p.run(chromedp.Poll(`cmLog.length === 2`, nil))
	statsOnly := map[string]any{"ad_storage": "denied", "analytics_storage": "granted", "ad_user_data": "denied", "ad_personalization": "denied"}
	checkCommand(t, p.consentCommands()[1], "update", statsOnly)

	p.visit(portal + "/portal2.html")
	p.run(chromedp.Poll(`document.readyState === "complete"`, nil))
	log = p.consentCommands()
	if len(log) != 2 {
		t.Fatalf("on a later page, Consent Mode commands %v, want the default and the stored choice", log)
	}
	checkCommand(t, log[0], "default", withWait)
	checkCommand(t, log[1], "update", statsOnly)
	var timing struct {
		Load      float64
		GoRunning bool
	}
	p.eval(`({ load: performance.getEntriesByType("navigation")[0].loadEventStart, goRunning: !!consentBanner._ready })`, &timing)
	if log[1].At > timing.Load || timing.GoRunning {
		t.Errorf("stored choice's update at %.0f ms, page load at %.0f ms, Go running %v: it must come before the load, without Go", log[1].At, timing.Load, timing.GoRunning)
	}
	t.Logf("later page: Consent Mode update %.1f ms after navigation (default at %.1f ms), page load at %.1f ms", log[1].At, log[0].At, timing.Load)

	p.click("#manage")
	p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
	p.click(`dialog [data-cb-action="reject-all"]`)
	p.run(chromedp.Poll(`cmLog.length === 3`, nil, chromedp.WithPollingTimeout(10*time.Second)))
	checkCommand(t, p.consentCommands()[2], "update", denied)
}

// A browser that sends Global Privacy Control has refused: no banner, no
// cookie, every optional category refused for the page and its tags; the
// dialog says why, and the visitor may still accept there.
func TestGlobalPrivacyControl(t *testing.T) {
	portal := portalServer(t, nil)
	p := newPage(t, 1280, 800)
	p.beforeEveryPage(`Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true });`)
	p.visit(portal + "/gated.html")
	p.run(chromedp.Poll(`document.readyState === "complete"`, nil))
	if p.bannerVisible() {
		t.Error("banner shown although the browser sends Global Privacy Control")
	}
	var state struct {
		GPC        bool
		Categories map[string]bool
	}
	p.eval(`consentBanner.get()`, &state)
	if !state.GPC || state.Categories["statistics"] || state.Categories["video"] || !state.Categories["necessary"] {
		t.Errorf("get() under Global Privacy Control: %+v", state)
	}
	if ran := p.strings(`window.ran`); len(ran) != 0 {
		t.Errorf("gated tags ran under Global Privacy Control: %q", ran)
	}
	if c := p.cookie(portal); c != nil {
		t.Errorf("a cookie was written without a choice: %q", c.Value)
	}

	p.click("#manage")
	p.run(chromedp.WaitVisible("dialog.cb-dialog[open] .cb-gpc", chromedp.ByQuery))
	var note string
	p.eval(`document.querySelector("dialog .cb-gpc").textContent`, &note)
	if note != essai.Texts["fr"].Preferences.GPC {
		t.Errorf("the dialog's Global Privacy Control note reads %q", note)
	}
	var switches map[string]bool
	p.eval(`Object.fromEntries([...document.querySelectorAll("dialog .cb-switch")].map(s => [s.id, s.checked]))`, &switches)
	if switches["cb-pref-statistics"] || switches["cb-pref-video"] {
		t.Errorf("optional switches on under Global Privacy Control: %v", switches)
	}
	p.screenshot("dialog-gpc")
	p.click("#cb-pref-statistics")
	p.click(`dialog [data-cb-action="save"]`)
	p.run(chromedp.Poll(`window.ran.length === 2`, nil))
	if c := decode(t, essai, p.cookie(portal)); !c.Accepted["statistics"] || c.Accepted["video"] {
		t.Errorf("an explicit choice under Global Privacy Control stored %v", c.Accepted)
	}
}

// Refusing is as easy as accepting: "Tout refuser" sits beside "Tout
// accepter" with the same size and style, one click each; "Continuer sans
// accepter" closes the banner as a refusal of every optional category; no
// cookie is written before the visitor chooses, and the page behind the
// banner stays usable.
func TestRefusingIsAsEasyAsAccepting(t *testing.T) {
	for _, size := range []struct{ width, height int }{{1280, 800}, {390, 844}} {
		p := newPage(t, size.width, size.height)
		p.visit(hostURL + "/portails/essai/")
		p.waitLoader()
		var looks map[string]string
		p.eval(`(() => {
			const style = (a) => { const el = document.querySelector('.cb-banner [data-cb-action="' + a + '"]'), cs = getComputedStyle(el), r = el.getBoundingClientRect();
				return [Math.round(r.width), Math.round(r.height), cs.backgroundColor, cs.color, cs.fontSize, cs.fontWeight, cs.borderTopWidth, cs.borderTopColor].join(" "); };
			return { accept: style("accept-all"), reject: style("reject-all") };
		})()`, &looks)
		if looks["accept"] != looks["reject"] {
			t.Errorf("%dpx: Tout accepter looks %q, Tout refuser %q: they must weigh the same", size.width, looks["accept"], looks["reject"])
		}
		if c := p.cookie(hostURL); c != nil {
			t.Fatalf("a cookie before any choice: %q", c.Value)
		}
		var pageUsable bool
		p.eval(`(() => { const a = document.querySelector("main h1"), r = a.getBoundingClientRect();
			return document.elementFromPoint(r.left + 5, r.top + 5) === a; })()`, &pageUsable)
		if !pageUsable {
			t.Errorf("%dpx: the page behind the banner is covered", size.width)
		}
		p.choose("continue")
		if c := decode(t, essai, p.cookie(hostURL)); acceptsAny(c) {
			t.Errorf("Continuer sans accepter stored %v, want a refusal of everything optional", c.Accepted)
		}
	}
}

// Audience measurement exempt from consent runs before any choice and after
// "Tout refuser"; the dialog and the charter list it as exempt, switched on,
// and a visitor who objects turns it off.
func TestExemptAudienceMeasurement(t *testing.T) {
	portal := portalServer(t, nil)
	p := newPage(t, 1280, 800)
	p.visit(portal + "/measured.html")
	if !p.bannerVisible() {
		t.Fatal("no banner: videos still need consent")
	}
	p.run(chromedp.Poll(`window.ran.length === 2`, nil))
	if ran := p.strings(`window.ran`); !slices.Equal(ran, []string{"statistics-inline", "statistics-src"}) {
		t.Errorf("before any choice, ran %q: the exempt measurement only", ran)
	}
	p.waitLoader()
	p.click(`.cb-banner [data-cb-action="customise"]`)
	p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
	var audience struct {
		On    bool
		State string
	}
	p.eval(`({ on: document.getElementById("cb-pref-audience").checked,
		state: document.querySelector('dialog [data-category="audience"] .cb-category__state').textContent })`, &audience)
	if !audience.On || audience.State != mesure.Texts["fr"].Preferences.Exempt {
		t.Errorf("exempt measurement in the dialog: %+v", audience)
	}
	p.screenshot("dialog-exempt")
	p.click(`dialog [data-cb-action="reject-all"]`)
	p.run(chromedp.WaitNotPresent("dialog.cb-dialog[open]", chromedp.ByQuery))
	if c := decode(t, mesure, p.cookie(portal)); !c.Accepted["audience"] || c.Accepted["video"] {
		t.Errorf("Tout refuser stored %v: videos refused, exempt measurement still on", c.Accepted)
	}

	p.visit(hostURL + "/portails/mesure/charte")
	p.waitGo()
	var charter string
	p.eval(drawWholeCharter+`document.querySelector('[data-consent-charter] .cb-category[data-category="audience"]').innerText`, &charter)
	if !strings.Contains(charter, mesure.Texts["fr"].Preferences.Exempt) {
		t.Errorf("the charter does not mark the measurement as exempt: %q", charter)
	}
	// Later, the visitor objects from the charter.
	p.choose("reject-all")
	p.click("#cb-charter-audience")
	p.click(`[data-consent-charter] [data-cb-action="save"]`)
	p.run(chromedp.Poll(`document.querySelector('[data-consent-charter] dd[data-category="audience"]')?.textContent === "Refusé"`, nil))
	if c := decode(t, mesure, p.cookie(hostURL)); c.Accepted["audience"] {
		t.Errorf("objecting from the charter stored %v", c.Accepted)
	}
}

// Consent per service: a category that lists services gets a switch per
// service; accepting YouTube alone runs YouTube's tags, not Vimeo's nor
// those that need the whole category, and the cookie records each service.
func TestConsentPerService(t *testing.T) {
	portal := portalServer(t, nil)
	p := newPage(t, 1280, 800)
	p.visit(portal + "/measured.html")
	p.waitLoader()
	p.click(`.cb-banner [data-cb-action="customise"]`)
	p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
	var services []string
	p.eval(`[...document.querySelectorAll('dialog [data-category="video"] .cb-service')].map(s => s.dataset.purpose + " " + s.querySelector("label").textContent)`, &services)
	if !slices.Equal(services, []string{"video/youtube YouTube", "video/vimeo Vimeo"}) {
		t.Fatalf("services in the dialog: %q", services)
	}
	p.screenshot("dialog-services")
	p.click("#cb-pref-video-youtube")
	var whole bool
	p.eval(`document.getElementById("cb-pref-video").checked`, &whole)
	if whole {
		t.Error("the category's switch is on with one service of two")
	}
	p.click(`dialog [data-cb-action="save"]`)
	p.run(chromedp.Poll(`window.ran.includes("youtube")`, nil))
	if ran := p.strings(`window.ran`); slices.Contains(ran, "vimeo") || slices.Contains(ran, "statistics-and-video") {
		t.Errorf("with YouTube alone accepted, ran %q", ran)
	}
	c := decode(t, mesure, p.cookie(portal))
	if !c.Accepted["video/youtube"] || c.Accepted["video/vimeo"] {
		t.Errorf("stored %v", c.Accepted)
	}
	// A later page: the loader reads the services from the cookie alone.
	p.visit(portal + "/measured.html")
	p.run(chromedp.Poll(`window.ran.includes("youtube")`, nil))
	var api struct{ Video, YouTube, Vimeo bool }
	p.eval(`({ video: consentBanner.acceptedCategory("video"), youTube: consentBanner.acceptedCategory("video/youtube"), vimeo: consentBanner.acceptedCategory("video/vimeo") })`, &api)
	if api.Video || !api.YouTube || api.Vimeo {
		t.Errorf("acceptedCategory on a later page: %+v", api)
	}
}
