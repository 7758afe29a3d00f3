package e2e

import (
	"context"
	"slices"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// cookieNames returns the names of the cookies the browser sends to url.
func (p *page) cookieNames(url string) []string {
	p.t.Helper()
	var names []string
	p.run(chromedp.ActionFunc(func(ctx context.Context) error {
		cookies, err := network.GetCookies().WithURLs([]string{url}).Do(ctx)
		for _, c := range cookies {
			names = append(names, c.Name)
		}
		return err
	}))
	slices.Sort(names)
	return names
}

func (p *page) strings(js string) []string {
	p.t.Helper()
	var list []string
	p.eval(js, &list)
	slices.Sort(list)
	return list
}

var statisticsTags = []string{"statistics-and-video", "statistics-inline", "statistics-src"}

// Gated tags run only once their categories are accepted, and again on a
// later page; Go runs on neither (no charter there), and the WebAssembly
// is not fetched; withdrawing statistics from the
// dialog deletes the cookies its tags set on the page's host and on the
// parent domain, keeps the others, and tells the page.
func TestGatedTagsRunAfterConsentAndWithdrawalClearsTheirCookies(t *testing.T) {
	portal := onPortalDomain(portalServer(t, nil))
	p := newPage(t, 1280, 800)
	p.visit(portal + "/gated.html")
	p.noClientFetched()
	if ran := p.strings(`window.ran`); len(ran) != 0 {
		t.Fatalf("gated tags ran before any choice: %q", ran)
	}
	var videoSrc string
	p.eval(`String(document.getElementById("video").getAttribute("src"))`, &videoSrc)
	if videoSrc != "null" {
		t.Fatalf("the gated iframe loaded %q before any choice", videoSrc)
	}

	p.choose("accept-all")
	p.run(chromedp.Poll(`window.ran.length === 3 && document.getElementById("video").src !== ""`, nil))
	if ran := p.strings(`window.ran`); !slices.Equal(ran, statisticsTags) {
		t.Errorf("after Tout accepter, ran %q, want %q", ran, statisticsTags)
	}
	p.eval(`document.getElementById("video").src`, &videoSrc)
	if videoSrc != portal+"/video.html" {
		t.Errorf("gated iframe src %q after consent", videoSrc)
	}
	wantCookies := []string{"_pk_id.1.abcd", "_pk_id.1.efgh", "_pk_ses.1.abcd", "cookies_preferences", "portal_theme"}
	if got := p.cookieNames(portal); !slices.Equal(got, wantCookies) {
		t.Fatalf("cookies after consent %q, want %q", got, wantCookies)
	}

	// A later page: the stored consent runs the tags at once, and nothing
	// is fetched for Go.
	p.visit(portal + "/gated.html")
	p.run(chromedp.Poll(`window.ran.length === 3`, nil))
	if ran := p.strings(`window.ran`); !slices.Equal(ran, statisticsTags) {
		t.Errorf("on a later page: %q, want %q", ran, statisticsTags)
	}
	p.noClientFetched()

	p.eval(`window.changes = []; document.addEventListener("consent:change", e => changes.push(e.detail)); true`, nil)
	p.click("#manage")
	p.run(chromedp.WaitVisible("dialog.cb-dialog[open]", chromedp.ByQuery))
	p.click("#cb-pref-statistics")
	p.click(`dialog [data-cb-action="save"]`)
	p.run(chromedp.Poll(`window.changes.length === 1`, nil))
	if got := p.strings(`changes[0].withdrawn`); !slices.Equal(got, []string{"statistics"}) {
		t.Errorf("consent:change withdrawn %q, want [statistics]", got)
	}
	if got := p.strings(`changes[0].cleared`); !slices.Equal(got, []string{"_pk_id.1.abcd", "_pk_id.1.efgh", "_pk_ses.1.abcd"}) {
		t.Errorf("consent:change cleared %q", got)
	}
	if got := p.cookieNames(portal); !slices.Equal(got, []string{"cookies_preferences", "portal_theme"}) {
		t.Errorf("cookies after withdrawing statistics %q: the statistics cookies must go (host and parent domain), the others stay", got)
	}
	var accepted struct{ Statistics, Video bool }
	p.eval(`({statistics: consentBanner.acceptedCategory("statistics"), video: consentBanner.acceptedCategory("video")})`, &accepted)
	if accepted.Statistics || !accepted.Video {
		t.Errorf("acceptedCategory after the withdrawal: %+v", accepted)
	}
	if errs := p.consoleErrors(); len(errs) > 0 {
		t.Errorf("console: %q", errs)
	}
}

// The WebAssembly is fetched on a page without the charter only when the
// visitor heads there: the banner's link to the charter under the pointer,
// or the preferences dialog opened; into the cache, not run. A browser
// that asks to save data is sent nothing.
func TestTheClientIsFetchedOnlyForAVisitorHeadingToTheCharter(t *testing.T) {
	portal := portalServer(t, nil)
	for name, head := range map[string]func(p *page){
		"the charter link under the pointer": func(p *page) { p.headForCharter() },
		"the dialog opened":                  func(p *page) { p.eval(`consentBanner.showPreferences(), true`, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			p := newPage(t, 1280, 800)
			p.visit(portal + "/portal.html")
			p.noClientFetched()
			head(p)
			p.waitClientFetched()
		})
	}
	t.Run("save data", func(t *testing.T) {
		p := newPage(t, 1280, 800)
		p.beforeEveryPage(`Object.defineProperty(navigator, "connection", { value: { saveData: true, effectiveType: "4g" } });`)
		p.visit(portal + "/portal.html")
		p.headForCharter()
		p.eval(`consentBanner.showPreferences(), true`, nil)
		p.noClientFetched()
	})
}
