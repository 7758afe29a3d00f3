package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// placeholderOf describes what the visitor sees in place of a gated element.
type placeholderOf struct {
	Present             bool
	Name, Why, Button   string
	Label               string
	Width, Height       float64
	ElementShown        bool
	ElementSrc, Focused string
}

func (p *page) placeholderOf(id string) placeholderOf {
	p.t.Helper()
	var ph placeholderOf
	p.eval(`(() => { const el = document.getElementById(`+"`"+id+"`"+`), ph = el.previousElementSibling;
		const r = { elementShown: el.getBoundingClientRect().height > 0, elementSrc: String(el.getAttribute("src")), focused: document.activeElement.id };
		if (!ph || !ph.classList.contains("cb-placeholder")) return r;
		const b = ph.getBoundingClientRect();
		return { ...r, present: true, name: ph.querySelector(".cb-placeholder__name").textContent, why: ph.querySelector(".cb-placeholder__why").textContent,
			button: ph.querySelector("[data-cb-accept]").textContent, label: ph.getAttribute("aria-label"), width: b.width, height: b.height };
	})()`, &ph)
	return ph
}

// An element gated by a service shows, until accepted, a placeholder of its
// size that names the service and says why it needs consent; its button,
// pressed from the keyboard, accepts that one service, stores the choice
// and shows the element at once, focused. The placeholder's other button
// opens the preferences, and accepting there shows the rest. Alike before
// Go (the WebAssembly held for the whole visit) and with Go (the page
// holding the charter, where Go runs).
func TestGatedEmbedsAskInPlace(t *testing.T) {
	var youTube struct{ Name, Description string }
	for _, pu := range mesure.Purposes() {
		if pu.Key == "video/youtube" {
			youTube.Name, youTube.Description = pu.Service.Name["fr"], pu.Service.Description["fr"]
		}
	}
	beforeAndWithGo(t, func(t *testing.T, goRuns bool, name string) {
		portal := portalServer(t, nil)
		p := newPage(t, 1280, 800)
		if goRuns {
			p.visit(portal + "/measured.html?charte")
			p.waitGo()
		} else {
			p.visitBeforeLoad(portal + "/measured.html")
			p.waitLoader()
		}
		ph := p.placeholderOf("youtube")
		if !ph.Present || ph.ElementShown || ph.ElementSrc != "null" {
			t.Fatalf("before any choice: %+v, want a placeholder and the iframe hidden, not loaded", ph)
		}
		wantButton := "Autoriser " + youTube.Name + " et afficher le contenu"
		if ph.Name != youTube.Name || ph.Label != youTube.Name || ph.Why != youTube.Description || ph.Button != wantButton {
			t.Errorf("placeholder says %+v, want %q, %q, %q", ph, youTube.Name, youTube.Description, wantButton)
		}
		// The iframe's box: 560×315 and its default 2 px border.
		if ph.Width != 564 || ph.Height < 319 {
			t.Errorf("placeholder is %v×%v, the iframe's box 564×319", ph.Width, ph.Height)
		}
		p.screenshot("placeholder-" + name)

		// The receipts the page posts (this portal's origin is not one
		// the test host takes them from: the post itself is checked).
		p.eval(`window.posted = []; const send = window.fetch;
			window.fetch = (url, init) => { if (init && init.method === "POST") posted.push(init.body); return send(url, init); }; true`, nil)
		p.eval(`document.getElementById("youtube").previousElementSibling.querySelector("[data-cb-accept]").focus(); true`, nil)
		p.key("\r")
		p.run(chromedp.Poll(`document.getElementById("youtube").getAttribute("src") !== null`, nil))
		ph = p.placeholderOf("youtube")
		if ph.Present || !ph.ElementShown || ph.Focused != "youtube" {
			t.Errorf("after accepting YouTube: %+v, want the iframe shown and focused, the placeholder gone", ph)
		}
		c := decode(t, mesure, p.cookie(portal))
		if !c.Accepted["video/youtube"] || c.Accepted["video/vimeo"] {
			t.Errorf("accepting YouTube stored %v, want YouTube alone among the videos", c.Accepted)
		}
		var posted []string
		p.eval(`posted`, &posted)
		if len(posted) != 1 || !strings.Contains(posted[0], `"consentId":"`+c.ID+`"`) || !strings.Contains(posted[0], `"video/youtube":true`) {
			t.Errorf("receipts posted: %q, want one for consent %s with YouTube accepted", posted, c.ID)
		}
		if ran := p.strings(`window.ran`); !slices.Contains(ran, "youtube") || slices.Contains(ran, "vimeo") {
			t.Errorf("gated tags that ran: %q, want YouTube's, not Vimeo's", ran)
		}
		if p.bannerVisible() {
			t.Error("the banner stayed after a choice made from a placeholder")
		}
		if ph := p.placeholderOf("video"); !ph.Present {
			t.Error("the element that needs every video service lost its placeholder with YouTube alone accepted")
		}

		p.click(`.cb-placeholder:has(+ #video) .cb-placeholder__prefs`)
		p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
		p.click(`dialog.cb-dialog[open] [data-cb-action="accept-all"]`)
		p.run(chromedp.Poll(`document.getElementById("video").getAttribute("src") !== null`, nil))
		if ph := p.placeholderOf("video"); ph.Present || !ph.ElementShown {
			t.Errorf("after Tout accepter in the dialog: %+v, want the video shown", ph)
		}
		if errs := p.consoleErrors(); len(errs) > 0 {
			t.Errorf("console: %q", errs)
		}
	})
}

// A placeholder reads the same on a page whose theme restyles every
// element, and breaks no accessibility rule (axe), light and dark.
func TestPlaceholderLooksRightUnderAggressiveCSS(t *testing.T) {
	portal := portalServer(t, nil)
	look := func(p *page) map[string]string {
		var l map[string]string
		p.eval(`(() => { const ph = document.getElementById("video").previousElementSibling, b = ph.querySelector("[data-cb-accept]"), n = ph.querySelector(".cb-placeholder__name");
			const s = (el) => getComputedStyle(el);
			return { background: s(ph).backgroundColor, border: s(ph).borderTopStyle, display: s(ph).display, textTransform: s(n).textTransform, nameSize: s(n).fontSize,
				buttonBackground: s(b).backgroundColor, buttonColor: s(b).color, buttonSize: s(b).fontSize, buttonDisplay: s(b).display }; })()`, &l)
		return l
	}
	plain := newPage(t, 1280, 800)
	plain.visit(portal + "/embeds.html")
	plain.waitLoader()
	want := look(plain)
	plain.screenshot("placeholder-demo")
	plain.axe(t, "a page with a placeholder")
	plain.run(emulateMedia(&emulation.MediaFeature{Name: "prefers-color-scheme", Value: "dark"}))
	plain.axe(t, "a page with a placeholder, dark")

	p := newPage(t, 1280, 800)
	p.visit(portal + "/aggressive.html")
	p.waitLoader()
	got := look(p)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("under aggressive CSS the placeholder's %s is %q, on a plain page %q", k, got[k], v)
		}
	}
	p.screenshot("placeholder-aggressive-css")
}
