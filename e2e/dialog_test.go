package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The preferences dialog before Go, on a phone and on a desktop: opened
// from the banner and from the page's data-consent-open link, it saves a
// switch, and its choice is the cookie.
func TestThePreferencesWorkBeforeGo(t *testing.T) {
	for _, size := range []struct {
		name          string
		width, height int
	}{{"phone", 390, 844}, {"desktop", 1280, 800}} {
		t.Run(size.name, func(t *testing.T) {
			holdWasmResponses(t)
			portal := portalServer(t, nil)
			p := newPage(t, size.width, size.height)
			// The held WebAssembly keeps the page loading in the
			// browser's eyes: no wait for the load event.
			p.visitBeforeLoad(portal + "/measured.html")
			p.waitLoader()
			p.click(`.cb-banner [data-cb-action="customise"]`)
			p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
			// The videos' cookie list, open.
			p.eval(`[...document.querySelectorAll("dialog .cb-dialog__category")].find(c => c.querySelector('[data-category="video"]')).querySelector("details").open = true`, nil)
			p.screenshot("dialog-before-go-" + size.name)
			// The category's switch turns its services on; one service
			// off turns the category's off.
			p.click("#cb-pref-video")
			var services struct{ YouTube, Vimeo bool }
			p.eval(`({ youTube: document.getElementById("cb-pref-video-youtube").checked, vimeo: document.getElementById("cb-pref-video-vimeo").checked })`, &services)
			if !services.YouTube || !services.Vimeo {
				t.Errorf("the videos' switch left its services %+v", services)
			}
			p.click("#cb-pref-video-vimeo")
			var whole bool
			p.eval(`document.getElementById("cb-pref-video").checked`, &whole)
			if whole {
				t.Error("the videos' switch is on with one service of two")
			}
			p.click(`dialog [data-cb-action="save"]`)
			p.run(chromedp.WaitNotPresent("dialog.cb-dialog[open]", chromedp.ByQuery))
			c := decode(t, mesure, p.cookie(portal))
			if !c.Accepted["video/youtube"] || c.Accepted["video/vimeo"] || !c.Accepted["audience"] {
				t.Errorf("saved %v, want YouTube and the exempt measurement", c.Accepted)
			}
			if p.bannerVisible() {
				t.Error("the banner is still shown after the choice")
			}
			// Again from the page's own link: the dialog shows the choice.
			p.click("#manage")
			p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
			var shown struct{ YouTube, Vimeo bool }
			p.eval(`({ youTube: document.getElementById("cb-pref-video-youtube").checked, vimeo: document.getElementById("cb-pref-video-vimeo").checked })`, &shown)
			if !shown.YouTube || shown.Vimeo {
				t.Errorf("reopened, the dialog shows %+v, not the stored choice", shown)
			}
			var goRan bool
			p.eval(`!!consentBanner._ready`, &goRan)
			if goRan {
				t.Fatal("Go ran: the WebAssembly was held")
			}
		})
	}
}

// When Go arrives (on the charter page, where it runs) while the visitor is
// in the dialog, Go's dialog takes its place open, with the switches as the
// visitor set them and the focus where it was; the choice then made is
// stored and receipted once.
func TestGoContinuesFromTheDialogTheVisitorLeft(t *testing.T) {
	for _, size := range []struct {
		name          string
		width, height int
	}{{"phone", 390, 844}, {"desktop", 1280, 800}} {
		t.Run(size.name, func(t *testing.T) {
			release := holdWasmResponses(t)
			p := newPage(t, size.width, size.height)
			p.visit(hostURL + "/portails/essai/charte")
			p.waitLoader()
			p.click(`.cb-banner [data-cb-action="customise"]`)
			p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
			p.click("#cb-pref-statistics")
			p.run(chromedp.Focus("#cb-pref-statistics", chromedp.ByQuery))
			// Every frame painted while Go takes over shows an open modal
			// with the focus on the switch: Go's dialog replaces the page's
			// without a frame between.
			p.eval(`(() => { window.cbFramesWithoutDialog = [];
				const look = () => { if (!document.querySelector("dialog.cb-dialog:modal") || document.activeElement.id != "cb-pref-statistics") window.cbFramesWithoutDialog.push(performance.now().toFixed(0) + " " + (document.activeElement.id || document.activeElement.tagName)); requestAnimationFrame(look); };
				requestAnimationFrame(look); return true; })()`, nil)
			release()
			p.waitGo()
			// Go opens its dialog as its first render ends.
			_ = chromedp.Run(p.ctx, chromedp.Poll(`document.activeElement.id === "cb-pref-statistics"`, nil, chromedp.WithPollingTimeout(5*time.Second)))
			var after struct {
				Open, Statistics, Video bool
				Focused                 string
			}
			p.eval(`({ open: !!document.querySelector("dialog.cb-dialog[open]"), statistics: document.getElementById("cb-pref-statistics").checked,
					video: document.getElementById("cb-pref-video").checked, focused: document.activeElement.id })`, &after)
			if !after.Open || !after.Statistics || after.Video || after.Focused != "cb-pref-statistics" {
				t.Errorf("once Go runs: %+v, want the dialog open, statistics on, videos off, the focus on the statistics switch", after)
			}
			var gaps []string
			p.eval(`window.cbFramesWithoutDialog`, &gaps)
			if len(gaps) > 0 {
				t.Errorf("frames without the dialog or the focus on its switch while Go took over, at %v ms", gaps)
			}
			p.screenshot("dialog-after-go-" + size.name)
			p.click(`dialog [data-cb-action="save"]`)
			p.run(chromedp.WaitNotPresent("dialog.cb-dialog[open]", chromedp.ByQuery))
			c := decode(t, essai, p.cookie(hostURL))
			if !c.Accepted["statistics"] || c.Accepted["video"] {
				t.Errorf("saved %v", c.Accepted)
			}
			time.Sleep(500 * time.Millisecond)
			if kept, err := receiptStore.ByID(context.Background(), c.ID); err != nil || len(kept) != 1 {
				t.Errorf("the host holds %d receipts of the choice (%v), want 1", len(kept), err)
			}
		})
	}
}
