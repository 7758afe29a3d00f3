package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// A search crawler (Googlebot's smartphone user agent here) indexes the
// portal's page as it is: no banner, no dialog, no loader, no WebAssembly.
// A visitor's banner and dialog carry data-nosnippet, so that no search
// result quotes them.
func TestSearchCrawlersSeeThePageAlone(t *testing.T) {
	portal := portalServer(t, nil)

	p := newPage(t, 412, 915)
	const googlebot = "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.7390.122 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
	p.run(chromedp.ActionFunc(func(ctx context.Context) error {
		return emulation.SetUserAgentOverride(googlebot).Do(ctx)
	}))
	p.visit(portal + "/portal.html")
	var crawled struct {
		Root, Content bool
		Fetched       []string
	}
	p.eval(`({ root: !!document.getElementById("cb-root"), content: document.body.innerText.includes("Portail tiers"),
		fetched: performance.getEntriesByType("resource").map((e) => e.name) })`, &crawled)
	if crawled.Root || !crawled.Content {
		t.Errorf("the crawler's page: consent manager's root %v, the page's content %v; want the content alone", crawled.Root, crawled.Content)
	}
	for _, url := range crawled.Fetched {
		if strings.Contains(url, "/assets/") {
			t.Errorf("the crawler fetched %s", url)
		}
	}

	v := newPage(t, 412, 915)
	v.visit(portal + "/portal.html")
	v.waitLoader()
	var marked struct{ Root, Dialog bool }
	v.eval(`({ root: document.getElementById("cb-root").hasAttribute("data-nosnippet"),
		dialog: !!document.querySelector("[data-nosnippet] dialog.cb-dialog") })`, &marked)
	if !marked.Root || !marked.Dialog || !v.bannerVisible() {
		t.Errorf("a visitor's page: banner shown %v, root marked data-nosnippet %v, dialog inside it %v", v.bannerVisible(), marked.Root, marked.Dialog)
	}
}
