package e2e

import (
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"
)

// A portal can serve the consent host from its own site, behind its
// reverse proxy under a path (/consent/ here): one origin, no third-party
// request. Every file, the receipt and the charter page are then reached
// under that path.
func TestHostMountedUnderAPathOfThePortal(t *testing.T) {
	target, _ := url.Parse(hostURL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	// The WebAssembly requests that came through the portal's /consent/.
	var proxiedWasm atomic.Int64
	counted := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			proxiedWasm.Add(1)
		}
		proxy.ServeHTTP(w, r)
	})
	portal := portalServerFor(t, "/consent", func(pages http.Handler) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("/consent/", http.StripPrefix("/consent", counted))
		mux.Handle("/", pages)
		return mux
	})
	p := newPage(t, 1280, 800)
	p.visit(portal + "/portal.html")
	if !p.bannerVisible() {
		t.Fatal("no banner with the host under /consent/")
	}
	p.waitLoader()
	p.headForCharter()
	// The WebAssembly, fetched by a worker whose requests the page's own
	// entries do not list, reached the host through the proxy, under
	// /consent/.
	p.waitClientFetched()
	if proxiedWasm.Load() == 0 {
		t.Error("the WebAssembly fetched ahead did not come through the portal's /consent/")
	}
	assetsUnderPath := func(want int, what string) {
		t.Helper()
		var assets []string
		p.eval(`performance.getEntriesByType("resource").map(e => e.name).filter(n => n.includes("/assets/"))`, &assets)
		for _, a := range assets {
			if !strings.HasPrefix(a, portal+"/consent/assets/") {
				t.Errorf("%s fetched outside /consent/", a)
			}
		}
		if len(assets) < want {
			t.Errorf("%s: %q", what, assets)
		}
	}
	assetsUnderPath(1, "the portal's loader")
	var charterHref string
	p.eval(`document.querySelector("#cb-root .cb-link").href`, &charterHref)
	if charterHref != portal+"/consent/portails/essai/charte" {
		t.Errorf("the banner's charter link goes to %q", charterHref)
	}

	p.choose("accept-all")
	choice := decode(t, essai, p.cookie(portal))
	if n := waitReceipts(t, choice.ID, 1); n != 1 {
		t.Fatalf("the receipt posted under /consent/ was not kept (%d)", n)
	}

	// The host's charter page, under the same path: styled, with Go running
	// and links that stay under /consent/.
	p.visit(charterHref)
	p.waitGo()
	// The loader comes inside embed.js?portal=, and the WebAssembly is
	// fetched by the loader's worker, whose requests the page's own
	// entries do not list: Go running says it came, from under /consent/.
	assetsUnderPath(2, "wasm_exec.js and the configuration")
	// Its stylesheets are inline, allowed by the policy that came through
	// the proxy: the page's own sheet styles the charter.
	var styled bool
	p.eval(`[...document.styleSheets].some(s => s.ownerNode && s.ownerNode.localName == "style" && [...s.cssRules].some(r => (r.selectorText || "").startsWith(".cb-charter")))`, &styled)
	if !styled {
		t.Error("the charter page under /consent/ lost its stylesheet")
	}
	var back string
	p.eval(`document.querySelector(".site-header nav a").href`, &back)
	if !strings.HasPrefix(back, portal+"/consent/portails/essai/") {
		t.Errorf("the charter page's link back goes to %q", back)
	}
	p.run(chromedp.WaitVisible(`[data-consent-charter] .cb-charter`, chromedp.ByQuery))
	p.screenshot("proxied-charter")
	if errs := p.consoleErrors(); len(errs) > 0 {
		t.Errorf("console: %q", errs)
	}
}
