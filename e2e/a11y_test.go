package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// axeSource is axe-core, fetched by `make deps` (scripts/ensure-axe.sh).
func axeSource(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("../.build/axe/axe.min.js")
	if err != nil {
		t.Fatalf("axe-core is missing (%v): `make deps` fetches it", err)
	}
	return string(src)
}

type axeViolation struct {
	ID, Impact, Help string
	Nodes            []struct {
		Target         []any
		FailureSummary string
	}
}

// axe runs axe-core's WCAG 2.1 A and AA rules and its best practices on the
// page as it is, and fails the test on any violation.
func (p *page) axe(t *testing.T, what string) {
	t.Helper()
	var injected bool
	p.eval(`typeof axe === "object"`, &injected)
	if !injected {
		p.eval(axeSource(t)+";true", nil)
	}
	var violations []axeViolation
	p.run(chromedp.Evaluate(`axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }).then(r => r.violations)`,
		&violations, func(e *runtime.EvaluateParams) *runtime.EvaluateParams { return e.WithAwaitPromise(true) }))
	for _, v := range violations {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprint(n.Target)+": "+n.FailureSummary)
		}
		t.Errorf("axe, %s: %s (%s): %s\n  %s", what, v.ID, v.Impact, v.Help, strings.Join(where, "\n  "))
	}
}

func emulateMedia(features ...*emulation.MediaFeature) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return emulation.SetEmulatedMedia().WithFeatures(features).Do(ctx)
	})
}

// axe-core finds nothing on the demo page with the banner, with the dialog
// open, and on the charter page, in the light and the dark colour schemes.
func TestAxeFindsNoViolations(t *testing.T) {
	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) {
			p := newPage(t, 1280, 800)
			p.run(emulateMedia(&emulation.MediaFeature{Name: "prefers-color-scheme", Value: scheme}))
			p.visit(hostURL + "/")
			p.waitLoader()
			p.axe(t, "demo page with the banner")
			p.click(`.cb-banner [data-cb-action="customise"]`)
			p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
			p.axe(t, "preferences dialog")
			p.screenshot("dialog-" + scheme)
			p.visit(hostURL + "/charte")
			p.waitGo()
			p.axe(t, "charter page")
		})
	}
}

func (p *page) key(keys string) {
	p.t.Helper()
	p.run(chromedp.KeyEvent(keys))
}

// focused describes the element that has the focus.
type focused struct {
	ID, Action, Text, Tag string
	InDialog, InBanner    bool
	Outline               string
}

func (p *page) focused() focused {
	p.t.Helper()
	var f focused
	p.eval(`(() => { const f = document.activeElement, cs = getComputedStyle(f);
		return { id: f.id, action: f.dataset.cbAction || "", text: f.textContent.trim(), tag: f.tagName.toLowerCase(),
			inDialog: !!f.closest("dialog[open]"), inBanner: !!f.closest(".cb-banner"),
			outline: cs.outlineStyle + " " + cs.outlineWidth }; })()`, &f)
	return f
}

// tabTo presses Tab until the focus is on the element with that id or
// data-cb-action, and fails if it never gets there.
func (p *page) tabTo(target string) {
	p.t.Helper()
	for range 30 {
		if f := p.focused(); f.ID == target || f.Action == target {
			return
		}
		p.key(kb.Tab)
	}
	p.t.Fatalf("Tab never reached %q", target)
}

// With the keyboard alone, in a logical order and with a visible focus ring:
// the banner's controls come first and let the focus go on into the page;
// "Personnaliser" opens a real modal that keeps the focus, a switch turns
// with Space, Enter saves; Escape closes the dialog and gives the focus
// back to what opened it. The same before Go runs (the WebAssembly held
// for the whole visit) as once it runs (on the charter page, where it does).
func TestKeyboardOnlyJourneys(t *testing.T) {
	beforeAndWithGo(t, func(t *testing.T, goRuns bool, _ string) {
		p := newPage(t, 1280, 800)
		if goRuns {
			p.visit(hostURL + "/portails/essai/charte")
			p.waitGo()
		} else {
			p.visit(hostURL + "/portails/essai/")
			p.waitLoader()
		}
		keyboardJourney(t, p)
	})
}

func keyboardJourney(t *testing.T, p *page) {

	var order []string
	for range 6 {
		p.key(kb.Tab)
		f := p.focused()
		if f.InBanner && f.Outline != "solid 3px" {
			t.Errorf("no visible focus ring on %q: outline %q", f.Text, f.Outline)
		}
		order = append(order, f.Text)
	}
	t.Logf("Tab order: %q", order)
	banner := essai.Texts["fr"].Banner
	want := []string{banner.ContinueWithout, banner.AcceptAll, banner.RejectAll, banner.Customise, banner.CharterLink}
	if strings.Join(order[:5], "|") != strings.Join(want, "|") {
		t.Errorf("Tab order through the banner %q, want %q", order[:5], want)
	}
	if f := p.focused(); f.InBanner {
		t.Error("the focus stays in the banner after its last control: it must go on into the page")
	}

	p.run(chromedp.Focus(`.cb-banner [data-cb-action="customise"]`, chromedp.ByQuery))
	p.key(kb.Enter)
	p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
	var dialog struct{ Role, Modal, Label, Description string }
	p.eval(`(() => { const d = document.querySelector("dialog.cb-dialog");
		const text = (ids) => ids.split(" ").map(id => document.getElementById(id).textContent).join(" ");
		return { role: d.getAttribute("role"), modal: d.getAttribute("aria-modal"),
			label: text(d.getAttribute("aria-labelledby")), description: text(d.getAttribute("aria-describedby")) }; })()`, &dialog)
	prefs := essai.Texts["fr"].Preferences
	if dialog.Role != "dialog" || dialog.Modal != "true" || dialog.Label != prefs.Title || dialog.Description != prefs.Intro {
		t.Errorf("dialog semantics %+v", dialog)
	}
	if f := p.focused(); !f.InDialog || f.ID != "cb-dialog-title" {
		t.Fatalf("opening the dialog put the focus on %+v, not on its title", f)
	}
	for i := range 25 {
		p.key(kb.Tab)
		if f := p.focused(); !f.InDialog {
			t.Fatalf("Tab %d left the open dialog for %+v", i+1, f)
		}
	}
	var switchLabel string
	p.eval(`(() => { const s = document.getElementById("cb-pref-statistics");
		return s.type + " " + s.getAttribute("role") + " " + s.labels[0].textContent; })()`, &switchLabel)
	if switchLabel != "checkbox switch "+essai.Categories[1].Name["fr"] {
		t.Errorf("the statistics switch is %q: a labelled checkbox with the switch role is wanted", switchLabel)
	}
	p.tabTo("cb-pref-statistics")
	p.key(" ")
	p.tabTo("save")
	p.key(kb.Enter)
	p.run(chromedp.WaitNotPresent("dialog.cb-dialog[open]", chromedp.ByQuery))
	if c := decode(t, essai, p.cookie(hostURL)); !c.Accepted["statistics"] || c.Accepted["video"] {
		t.Errorf("keyboard journey stored %v, want statistics only", c.Accepted)
	}

	p.run(chromedp.Focus(`footer [data-consent-open]`, chromedp.ByQuery))
	p.key(kb.Enter)
	p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
	p.key(kb.Escape)
	p.run(chromedp.WaitNotPresent("dialog.cb-dialog[open]", chromedp.ByQuery))
	if f := p.focused(); f.Text != essai.Texts["fr"].Charter.ManageLink {
		t.Errorf("after Escape the focus is on %+v, not on the link that opened the dialog", f)
	}
}

// The banner and the dialog reflow: at 320 CSS px (400 % zoom of a 1280 px
// window) and at 640 × 400 (200 % zoom of 1280 × 800) nothing scrolls
// sideways and every action can be reached.
func TestLayoutHoldsAtNarrowWidthAndZoom(t *testing.T) {
	for _, size := range []struct{ width, height int }{{320, 568}, {640, 400}} {
		t.Run(fmt.Sprintf("%dx%d", size.width, size.height), func(t *testing.T) {
			p := newPage(t, size.width, size.height)
			p.visit(hostURL + "/portails/essai/")
			p.waitLoader()
			p.screenshot(fmt.Sprintf("banner-%dx%d", size.width, size.height))
			var layout struct {
				Sideways  bool
				Reachable []bool
			}
			reach := `(sel) => [...document.querySelectorAll(sel)].map(el => {
				el.scrollIntoView({ block: "nearest" });
				const r = el.getBoundingClientRect();
				return r.width > 0 && r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight;
			})`
			p.eval(`(() => { const reach = `+reach+`;
				return { sideways: document.documentElement.scrollWidth > innerWidth,
					reachable: reach("#cb-root .cb-banner button, #cb-root .cb-banner a") }; })()`, &layout)
			if layout.Sideways || len(layout.Reachable) != 5 || strings.Contains(fmt.Sprint(layout.Reachable), "false") {
				t.Errorf("banner: scrolls sideways %v, actions reachable %v", layout.Sideways, layout.Reachable)
			}
			p.click(`.cb-banner [data-cb-action="customise"]`)
			p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
			p.eval(`(() => { const reach = `+reach+`;
				return { sideways: document.querySelector("dialog").scrollWidth > document.querySelector("dialog").clientWidth + 1,
					reachable: reach("dialog .cb-btn, dialog .cb-switch:not(:disabled)") }; })()`, &layout)
			if layout.Sideways || len(layout.Reachable) != 5 || strings.Contains(fmt.Sprint(layout.Reachable), "false") {
				t.Errorf("dialog: scrolls sideways %v, controls reachable %v", layout.Sideways, layout.Reachable)
			}
			p.screenshot(fmt.Sprintf("dialog-%dx%d", size.width, size.height))
		})
	}
}

// On a phone the banner leaves most of the page in view, and refusing is
// as easy as accepting: the two buttons side by side, one size.
func TestBannerLeavesAPhoneMostOfItsScreen(t *testing.T) {
	for _, size := range []struct{ width, height int }{{390, 844}, {360, 740}} {
		p := newPage(t, size.width, size.height)
		p.visit(hostURL + "/portails/essai/")
		var banner struct {
			Share          float64
			Accept, Reject []float64
		}
		// Measured once the banner has risen into place: mid-way, it
		// covers less than it will.
		p.run(chromedp.Poll(`document.getAnimations().length === 0`, nil))
		p.eval(`(() => { const box = (sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return [r.top, r.width, r.height]; };
			const inner = document.querySelector("#cb-root .cb-banner__inner").getBoundingClientRect();
			return { share: (innerHeight - inner.top) / innerHeight,
				accept: box('#cb-root [data-cb-action="accept-all"]'), reject: box('#cb-root [data-cb-action="reject-all"]') }; })()`, &banner)
		if banner.Share > 0.5 {
			t.Errorf("%dx%d: the banner covers %.0f %% of the screen, want at most half", size.width, size.height, 100*banner.Share)
		}
		if fmt.Sprint(banner.Accept) != fmt.Sprint(banner.Reject) {
			t.Errorf("%dx%d: accepting is %v (top, width, height), refusing %v", size.width, size.height, banner.Accept, banner.Reject)
		}
		p.screenshot(fmt.Sprintf("banner-phone-%dx%d", size.width, size.height))
	}
}

// contrast is WCAG's contrast ratio of two CSS colours, in the page.
const contrast = `(a, b) => {
	const lum = (c) => {
		const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
		return 0.2126 * r + 0.7152 * g + 0.0722 * b;
	};
	const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
	return (hi + 0.05) / (lo + 0.05);
}`

// Controls keep 3:1 against what surrounds them (text is axe's job: 4.5:1),
// in both colour schemes; reduced motion removes the banner's animation.
func TestControlContrastDarkSchemeAndReducedMotion(t *testing.T) {
	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) {
			p := newPage(t, 1280, 800)
			p.run(emulateMedia(&emulation.MediaFeature{Name: "prefers-color-scheme", Value: scheme},
				&emulation.MediaFeature{Name: "prefers-reduced-motion", Value: "reduce"}))
			p.visit(hostURL + "/portails/essai/")
			var banner struct {
				Surface, Animation string
				Button             float64
			}
			p.eval(`(() => { const contrast = `+contrast+`;
				const inner = getComputedStyle(document.querySelector("#cb-root .cb-banner__inner"));
				const button = getComputedStyle(document.querySelector('#cb-root [data-cb-action="reject-all"]'));
				return { surface: inner.backgroundColor, animation: inner.animationName, button: contrast(button.backgroundColor, inner.backgroundColor) }; })()`, &banner)
			if banner.Animation != "none" {
				t.Errorf("prefers-reduced-motion: the banner still animates (%s)", banner.Animation)
			}
			dark := banner.Surface == "rgb(28, 31, 36)"
			if dark != (scheme == "dark") {
				t.Errorf("prefers-color-scheme %s: banner surface %s", scheme, banner.Surface)
			}
			if banner.Button < 3 {
				t.Errorf("buttons against the banner: %.2f:1, want at least 3:1", banner.Button)
			}
			p.waitLoader()
			p.click(`.cb-banner [data-cb-action="customise"]`)
			p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
			var dialog struct{ SwitchOff, SwitchOn float64 }
			p.eval(`(() => { const contrast = `+contrast+`;
				const bg = getComputedStyle(document.querySelector("dialog")).backgroundColor;
				const off = getComputedStyle(document.getElementById("cb-pref-statistics"));
				const on = document.getElementById("cb-pref-video");
				on.click();
				return { switchOff: contrast(off.borderTopColor, bg), switchOn: contrast(getComputedStyle(on).backgroundColor, bg) }; })()`, &dialog)
			for name, ratio := range map[string]float64{"switch off": dialog.SwitchOff, "switch on": dialog.SwitchOn} {
				if ratio < 3 {
					t.Errorf("%s against the dialog: %.2f:1, want at least 3:1", name, ratio)
				}
			}
		})
	}
}

// The dialog's cookie lists fit its width at every size, one card a cookie
// (six columns did not: the last was cut on a desktop, and nothing showed
// the table scrolled sideways), and a category's name stands beside its
// switch however long it is.
func TestDialogCookieListsAndNamesFitEveryWidth(t *testing.T) {
	for _, size := range []struct{ width, height int }{{320, 568}, {390, 844}, {640, 400}, {1280, 800}} {
		t.Run(fmt.Sprintf("%dx%d", size.width, size.height), func(t *testing.T) {
			p := newPage(t, size.width, size.height)
			p.visit(hostURL + "/")
			p.waitLoader()
			p.click(`.cb-banner [data-cb-action="customise"]`)
			p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
			var fit struct {
				Cut     []string
				Apart   []string
				Caption string
			}
			p.eval(`(() => {
				for (const d of document.querySelectorAll("dialog .cb-details")) d.open = true;
				const cut = [...document.querySelectorAll("dialog .cb-table-wrap")].filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.querySelector("table").dataset.category);
				const apart = [...document.querySelectorAll("dialog .cb-category__head")].filter(h =>
					Math.abs(h.querySelector(".cb-switch").getBoundingClientRect().top - h.querySelector(".cb-category__name").getBoundingClientRect().top) > 2).map(h => h.parentElement.dataset.category);
				const caption = document.querySelector("dialog .cb-table caption");
				return { cut, apart, caption: caption ? String(caption.getBoundingClientRect().width) : "" };
			})()`, &fit)
			if len(fit.Cut) > 0 {
				t.Errorf("cookie lists wider than the dialog: %q", fit.Cut)
			}
			if len(fit.Apart) > 0 {
				t.Errorf("categories whose name is not beside its switch: %q", fit.Apart)
			}
			if fit.Caption != "1" {
				t.Errorf("the list's caption, which repeats the category's name, is %s px wide on screen, want only for screen readers", fit.Caption)
			}
			p.screenshot(fmt.Sprintf("dialog-lists-%dx%d", size.width, size.height))
		})
	}
}

// "Enregistrer mes choix" in the dialog opened from the banner hides both:
// the focus lands on the page's main content, as a skip link would take
// it, not on <body> (where the browser puts it when the opener is gone);
// before Go runs and with Go.
func TestFocusLandsOnTheMainContentAfterSavingFromTheBanner(t *testing.T) {
	portal := portalServer(t, nil)
	beforeAndWithGo(t, func(t *testing.T, goRuns bool, who string) {
		p := newPage(t, 1280, 800)
		p.visitReady(portal+"/portal.html", goRuns)
		p.click(`.cb-banner [data-cb-action="customise"]`)
		p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
		p.click(`dialog.cb-dialog [data-cb-action="save"]`)
		var focused string
		err := chromedp.Run(p.ctx, chromedp.Poll(`!document.querySelector("dialog.cb-dialog[open]") && document.activeElement != document.body && document.activeElement.id`,
			&focused, chromedp.WithPollingTimeout(5*time.Second)))
		if err != nil || focused != "view" {
			p.eval(`document.activeElement.tagName + "#" + document.activeElement.id`, &focused)
			t.Errorf("%s: after saving from the banner's dialog the focus is on %s, want the page's <main id=view>", who, focused)
		}
	})
}
