package e2e

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/server"
	"github.com/opendata-consent/consent/web"
)

// failingWasm serves the host but breaks its WebAssembly the way a network
// or a server does; once healed, it serves it again.
func failingWasm(fault string, healed *atomic.Bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, ".wasm") || healed.Load() {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", "*")
		switch fault {
		case "404":
			http.NotFound(w, r)
		case "500":
			http.Error(w, "internal error", http.StatusInternalServerError)
		case "timeout":
			// Never answers: the client gives up after its timeout.
			<-r.Context().Done()
		case "truncated":
			// Headers announce the whole file, the body stops early.
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Set("Content-Length", "1000000")
			w.Header().Del("Content-Encoding")
			w.WriteHeader(http.StatusOK)
			w.Write([]byte("\x00asm\x01\x00\x00\x00"))
			if hj, ok := w.(http.Hijacker); ok {
				conn, _, _ := hj.Hijack()
				conn.Close()
			}
		}
	})
}

// When the WebAssembly cannot load (404, 500, a truncated body, or a page
// whose CSP forbids WebAssembly), the painted banner stays usable: a click
// hides it and is kept; the portal's page and handlers are unaffected; one
// clear console message says what failed; and on a later page where the
// client loads, the kept choice is written.
func TestWebAssemblyThatFailsToLoad(t *testing.T) {
	for _, fault := range []string{"404", "500", "truncated", "timeout", "csp"} {
		t.Run(fault, func(t *testing.T) {
			host := hostURL
			var healed atomic.Bool
			var wrap func(http.Handler) http.Handler
			if fault == "csp" {
				wrap = func(next http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						if r.URL.Path == "/portal.html" {
							w.Header().Set("Content-Security-Policy", "script-src 'self' 'unsafe-inline' "+hostURL+"; connect-src 'self' "+hostURL)
						}
						next.ServeHTTP(w, r)
					})
				}
			} else {
				handler := hostHandler
				if fault == "timeout" {
					handler = hostWithClientTimeout(t, 1500*time.Millisecond)
				}
				failing := httptest.NewServer(failingWasm(fault, &healed, handler))
				t.Cleanup(failing.Close)
				host = failing.URL
			}
			portal := portalServerFor(t, host, wrap)
			p := newPage(t, 1280, 800)
			p.visit(portal + "/portal.html")
			p.waitConsoleError("consent manager: Go could not start")
			if !p.bannerVisible() {
				t.Fatal("the painted banner went away")
			}
			p.click(`.cb-banner [data-cb-action="reject-all"]`)
			if p.bannerVisible() {
				t.Error("a click on the banner did not hide it")
			}
			p.click("#to-datasets")
			var portalOK bool
			p.eval(`location.pathname === "/datasets" && window.portalClicks === 2`, &portalOK)
			if !portalOK {
				t.Error("the portal's router or click handler stopped working")
			}
			errs := p.consoleErrors()
			if len(errs) != 1 || !strings.Contains(errs[0], "consent manager: Go could not start") {
				t.Errorf("console, want one clear message: %q", errs)
			} else {
				t.Logf("%s: %s", fault, errs[0])
			}
			if c := p.cookie(portal); c != nil {
				t.Fatalf("cookie written without Go: %q", c.Value)
			}
			// A later page, where the client loads: the kept refusal is written.
			healed.Store(true)
			p.visit(portal + "/portal2.html")
			p.waitGo()
			p.run(chromedp.Poll(`document.cookie.includes("cookies_preferences=")`, nil))
			if c := decode(t, essai, p.cookie(portal)); c.AcceptsAny() {
				t.Errorf("the kept Tout refuser was written as %v", c.Accepted)
			}
		})
	}
}

// hostWithClientTimeout is the test host whose embed script gives up on a
// file after d.
func hostWithClientTimeout(t *testing.T, d time.Duration) http.Handler {
	t.Helper()
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(server.Options{Portals: append(list, essai), Files: web.Files, ClientTimeout: d})
	if err != nil {
		t.Fatal(err)
	}
	return h
}
