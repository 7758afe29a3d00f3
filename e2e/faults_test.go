package e2e

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/server"
	"github.com/opendata-consent/consent/web"
)

// failingWasm serves the host but breaks its WebAssembly, or with "exec"
// the wasm_exec.js that runs it, the way a network or a server does.
func failingWasm(fault string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fault == "exec" {
			if !strings.Contains(r.URL.Path, "wasm_exec") {
				next.ServeHTTP(w, r)
				return
			}
			// Cut in the middle, with a length that says so: the browser
			// runs what came, which throws, and fires load all the same,
			// with no Go defined.
			plain := r.Clone(r.Context())
			plain.Header.Del("Accept-Encoding")
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, plain)
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(rec.Body.Bytes()[:rec.Body.Len()/2])
			return
		}
		if !strings.HasSuffix(r.URL.Path, ".wasm") {
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

// When the WebAssembly cannot load (404, 500, a truncated body, a download
// that stalls, a page whose CSP forbids WebAssembly, or a wasm_exec.js cut
// short), the banner works all the same: a click hides it and stores the
// choice; the portal's page and handlers are unaffected; one clear console
// message says what failed (beside, for a script cut short, the browser's
// own syntax error).
func TestWebAssemblyThatFailsToLoad(t *testing.T) {
	for _, fault := range []string{"404", "500", "truncated", "timeout", "csp", "exec"} {
		t.Run(fault, func(t *testing.T) {
			host := hostURL
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
				failing := httptest.NewServer(failingWasm(fault, handler))
				t.Cleanup(failing.Close)
				host = failing.URL
			}
			portal := portalServerFor(t, host, wrap)
			p := newPage(t, 1280, 800)
			// The page that holds the charter, where Go starts.
			p.visit(portal + "/portal.html?charte")
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
			var ours []string
			for _, e := range p.consoleErrors() {
				switch {
				case strings.Contains(e, "consent manager: Go could not start"):
					ours = append(ours, e)
				case fault == "exec" && strings.Contains(e, "SyntaxError"):
					// The browser's own, for the script cut short.
				default:
					t.Errorf("console: %q", e)
				}
			}
			if len(ours) != 1 {
				t.Errorf("console, want one clear message: %q", p.consoleErrors())
			} else {
				t.Logf("%s: %s", fault, ours[0])
			}
			// The choice is stored at the click, without Go: the next
			// page asks nothing.
			if c := decode(t, essai, p.cookie(portal)); acceptsAny(c) {
				t.Errorf("Tout refuser was stored as %v", c.Accepted)
			}
			p.visit(portal + "/portal2.html")
			if p.bannerVisible() {
				t.Error("the next page asks again")
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

// A portal whose address the host was not given: its receipts are refused
// in a way the page can read, so that its console says why (the fix is in
// the message) and it does not send them again from every later page.
func TestAReceiptFromAnOriginNotConfiguredIsRefusedOnce(t *testing.T) {
	var posts atomic.Int32
	counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/receipts" {
			posts.Add(1)
		}
		hostHandler.ServeHTTP(w, r)
	}))
	t.Cleanup(counting.Close)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	portal := portalServerOn(t, l, counting.URL, nil)
	p := newPage(t, 1280, 800)
	p.visit(portal + "/portal.html")
	p.click(`.cb-banner [data-cb-action="reject-all"]`)
	p.waitConsoleError("consent manager: receipt refused (HTTP 403): origin " + portal + " not allowed: add the portal's address")
	var queued string
	p.eval(`localStorage.getItem("consentBanner.receipts") || "[]"`, &queued)
	if queued != "[]" {
		t.Errorf("the refused receipt is still queued to be sent again: %s", queued)
	}
	p.visit(portal + "/portal2.html")
	p.waitLoader()
	time.Sleep(time.Second)
	if n := posts.Load(); n != 1 {
		t.Errorf("the receipt was posted %d times, want once", n)
	}
}
