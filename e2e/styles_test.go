package e2e

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// bannerLooks returns, for each visible part of the banner, the computed
// styles a visitor sees and its size.
func (p *page) bannerLooks() map[string]map[string]string {
	p.t.Helper()
	var looks map[string]map[string]string
	p.eval(`(() => {
		const props = ["font-size", "font-family", "font-weight", "font-style", "line-height", "color",
			"background-color", "padding-top", "padding-left", "margin-top", "margin-left", "border-top-width",
			"border-top-style", "border-top-color", "border-top-left-radius", "text-transform", "letter-spacing",
			"text-align", "text-decoration-line", "display", "position", "float", "transition-duration"];
		const parts = ["#cb-root .cb-banner", "#cb-root .cb-banner__inner", "#cb-root .cb-title", "#cb-root .cb-text",
			"#cb-root .cb-actions", "#cb-root .cb-link",
			...["accept-all", "reject-all", "customise"].map(a => '#cb-root [data-cb-action="' + a + '"]')];
		const looks = {};
		for (const sel of parts) {
			const el = document.querySelector(sel), cs = getComputedStyle(el), r = el.getBoundingClientRect();
			looks[sel] = Object.fromEntries(props.map(p => [p, cs.getPropertyValue(p)]));
			looks[sel].size = Math.round(r.width) + "x" + Math.round(r.height);
			looks[sel].bottom = String(Math.round(innerHeight - r.bottom));
		}
		return looks;
	})()`, &looks)
	return looks
}

func lookDifferences(want, got map[string]map[string]string) []string {
	var diffs []string
	for _, part := range slices.Sorted(maps.Keys(want)) {
		for _, prop := range slices.Sorted(maps.Keys(want[part])) {
			if w, g := want[part][prop], got[part][prop]; w != g {
				diffs = append(diffs, fmt.Sprintf("%s %s: %q, not %q", part, prop, g, w))
			}
		}
	}
	return diffs
}

// On a page whose theme restyles every element (html { font-size: 10px },
// *, div, button, a rules, even the banner's class names), the banner looks
// exactly as on the demo page, before and after Go takes over; and the
// banner's styles never reach the page's own elements.
func TestBannerLooksTheSameUnderAggressivePageCSS(t *testing.T) {
	demo := newPage(t, 1280, 800)
	demo.visit(hostURL + "/portails/essai/")
	demo.waitLoader()
	demo.run(chromedp.Poll(`document.getAnimations().length === 0`, nil)) // the banner's rise
	want := demo.bannerLooks()
	demo.screenshot("banner-demo-essai")

	portal := portalServer(t, nil)
	p := newPage(t, 1280, 800)
	release := holdWasmResponses(t)
	// With the charter, where Go runs and takes the banner over.
	p.visit(portal + "/aggressive.html?charte")
	if !p.bannerVisible() {
		t.Fatal("no pre-rendered banner on the aggressive page")
	}
	p.run(chromedp.Poll(`document.getAnimations().length === 0`, nil)) // the banner's rise
	if diffs := lookDifferences(want, p.bannerLooks()); len(diffs) > 0 {
		t.Errorf("pre-rendered banner under aggressive CSS differs from the demo:\n%s", diffs)
	}
	release()
	p.waitGo()
	if diffs := lookDifferences(want, p.bannerLooks()); len(diffs) > 0 {
		t.Errorf("banner under aggressive CSS, once Go runs, differs from the demo:\n%s", diffs)
	}
	p.screenshot("banner-aggressive-css")

	var own struct {
		ButtonBackground, ButtonWidth, ButtonFont, BoxPosition, BoxBorder string
	}
	p.eval(`(() => {
		const b = getComputedStyle(document.getElementById("portal-button")), box = getComputedStyle(document.getElementById("portal-box"));
		return { buttonBackground: b.backgroundColor, buttonWidth: b.width, buttonFont: b.fontStyle + " " + b.fontSize,
			boxPosition: box.position, boxBorder: box.borderTopWidth + " " + box.borderTopStyle };
	})()`, &own)
	if own.ButtonBackground != "rgb(0, 255, 0)" || own.ButtonWidth != "90px" || own.ButtonFont != "italic 30px" ||
		own.BoxPosition != "static" || own.BoxBorder != "5px solid" {
		t.Errorf("the portal's own .cb-banner / .cb-btn elements were restyled by the banner's CSS: %+v", own)
	}
	if errs := p.consoleErrors(); len(errs) > 0 {
		t.Errorf("console: %q", errs)
	}
}
