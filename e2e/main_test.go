// Package e2e drives Debian's Chromium through the DevTools protocol against
// the real host (and, for the embed tests, portal pages on another origin),
// the way a visitor uses the consent manager.
package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/internal/chromium"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/receipts"
	"github.com/opendata-consent/consent/server"
	"github.com/opendata-consent/consent/web"
)

// hostURL is the consent host, on 127.0.0.1; hostHandler serves it, for
// tests that need a host of their own (one that fails, say).
var (
	hostURL     string
	hostHandler http.Handler
)

// essai is a test portal with two optional categories that list cookies;
// mesure has exempt audience measurement and videos; hostile's texts are
// markup and scripts that must stay text; outils and outils-anciens declare
// the analytics integrations (current and older APIs); partage shares its
// visitors' choice across portail.consent.test (cookieDomain), the portal
// of the shared table of choices (consent/testdata/choices.json).
var essai, mesure, hostile, outils, outilsAnciens, partage *consent.Portal

// receiptStore keeps the receipts the host receives.
var receiptStore *receipts.Store

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	list, err := portals.Builtin()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if essai, err = consent.LoadFile("testdata/essai.json"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if partage, err = consent.LoadFile("../consent/testdata/partage.json"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if mesure, err = consent.LoadFile("testdata/mesure.json"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for _, f := range []struct {
		dst  **consent.Portal
		file string
	}{{&hostile, "hostile"}, {&outils, "outils"}, {&outilsAnciens, "outils-anciens"}} {
		if *f.dst, err = consent.LoadFile("testdata/" + f.file + ".json"); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	dir, err := os.MkdirTemp("", "e2e-receipts-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if receiptStore, err = receipts.Open(context.Background(), filepath.Join(dir, "receipts.db")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer receiptStore.Close()
	// The test portals' pages post receipts from their own origins, which
	// the host is told of as an operator tells it of a portal's.
	origins, err := openPortalListeners(portalListeners)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	h, err := server.New(server.Options{Portals: append(list, essai, mesure, hostile, outils, outilsAnciens, partage), Files: web.Files, Receipts: receiptStore, ReceiptOrigins: origins})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	hostHandler = h
	host := httptest.NewServer(holdWasm(h))
	defer host.Close()
	hostURL = host.URL
	return m.Run()
}

// holds, by kind of file ("wasm", "loader"), hold every response for such
// a file until the channel is closed: a visitor on a slow network, before
// Go runs or before the portal's loader arrives.
var (
	holdsMu sync.Mutex
	holds   = map[string]chan struct{}{}
)

// heldKind is the kind of file at path that holds apply to, "" for others.
func heldKind(path string) string {
	switch {
	case strings.HasSuffix(path, ".wasm"):
		return "wasm"
	case strings.Contains(path, "/assets/loader-"):
		return "loader"
	}
	return ""
}

// wasmRequests counts the requests for the WebAssembly the host was sent,
// the page's and its workers' (a worker's are not in the page's resource
// timing). The tests run one at a time.
var wasmRequests atomic.Int64

func holdWasm(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind := heldKind(r.URL.Path)
		if kind == "wasm" {
			wasmRequests.Add(1)
		}
		holdsMu.Lock()
		hold := holds[kind]
		holdsMu.Unlock()
		if hold != nil {
			<-hold
		}
		next.ServeHTTP(w, r)
	})
}

// holdWasmResponses holds the WebAssembly until the returned function is
// called (or the test ends).
func holdWasmResponses(t *testing.T) (release func()) { return holdResponses(t, "wasm") }

// beforeAndWithGo runs test twice, as subtests: "before Go", the
// WebAssembly held for the whole visit, and "Go". goRuns tells which; Go
// runs only on a page that holds the charter.
func beforeAndWithGo(t *testing.T, test func(t *testing.T, goRuns bool, name string)) {
	for _, goRuns := range []bool{false, true} {
		name := map[bool]string{false: "before Go", true: "Go"}[goRuns]
		t.Run(name, func(t *testing.T) {
			if !goRuns {
				holdWasmResponses(t)
			}
			test(t, goRuns, name)
		})
	}
}

// holdLoaderResponses holds the portals' loaders (web/loader.js) likewise.
func holdLoaderResponses(t *testing.T) (release func()) { return holdResponses(t, "loader") }

func holdResponses(t *testing.T, kind string) (release func()) {
	hold := make(chan struct{})
	holdsMu.Lock()
	holds[kind] = hold
	holdsMu.Unlock()
	var once sync.Once
	release = func() {
		once.Do(func() {
			holdsMu.Lock()
			delete(holds, kind)
			holdsMu.Unlock()
			close(hold)
		})
	}
	t.Cleanup(release)
	return release
}

// waitReceipts waits up to 10 s until the host holds want receipts of the
// consent id, and returns how many it holds.
func waitReceipts(t *testing.T, id string, want int) int {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		kept, err := receiptStore.ByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(kept) == want || time.Now().After(deadline) {
			return len(kept)
		}
	}
}

// page is one browser tab of a fresh browser, with what its console said.
type page struct {
	t      *testing.T
	ctx    context.Context
	mu     sync.Mutex
	errors []string
	// workers holds the page's Web Workers, true once gone, from
	// watchWorkers on.
	workers map[target.ID]bool
	// wasmRequestsBefore is wasmRequests as the last visit began.
	wasmRequestsBefore int64
}

// newPage starts a headless Chromium of its own (fresh profile, no cookie)
// with a window of width × height.
func newPage(t *testing.T, width, height int) *page {
	t.Helper()
	tab, stop, err := chromium.Start(context.Background(), width, height, quietErrorf(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(tab, 90*time.Second)
	t.Cleanup(func() {
		cancel()
		stop()
	})
	p := &page{t: t, ctx: ctx, workers: map[target.ID]bool{}}
	chromedp.ListenTarget(ctx, func(ev any) {
		p.mu.Lock()
		defer p.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError || ev.Type == runtime.APITypeWarning {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				p.errors = append(p.errors, string(ev.Type)+": "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			p.errors = append(p.errors, "exception: "+ev.ExceptionDetails.Error())
		case *target.EventTargetCreated:
			if ev.TargetInfo.Type == "worker" {
				p.workers[ev.TargetInfo.TargetID] = false
			}
		case *target.EventTargetDestroyed:
			if _, ok := p.workers[ev.TargetID]; ok {
				p.workers[ev.TargetID] = true
			}
		}
	})
	return p
}

// quietErrorf logs chromedp's errors but for the DevTools events it does
// not know (a newer Chromium than its protocol tables), which are harmless.
func quietErrorf(t *testing.T) func(string, ...any) {
	return func(format string, args ...any) {
		if msg := fmt.Sprintf(format, args...); !strings.Contains(msg, "unhandled node event") {
			t.Log(msg)
		}
	}
}

// watchWorkers makes the browser report the Web Workers pages start, for
// workerCount.
func (p *page) watchWorkers() {
	p.run(target.SetDiscoverTargets(true))
}

// workerCount returns how many Web Workers started and how many are gone.
func (p *page) workerCount() (started, gone int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, isGone := range p.workers {
		started++
		if isGone {
			gone++
		}
	}
	return started, gone
}

func (p *page) run(actions ...chromedp.Action) {
	p.t.Helper()
	if err := chromedp.Run(p.ctx, actions...); err != nil {
		p.t.Fatal(err)
	}
}

func (p *page) eval(js string, out any) {
	p.t.Helper()
	p.run(chromedp.Evaluate(js, out))
}

// beforeEveryPage runs js in every page this tab loads, before the page's
// own scripts.
func (p *page) beforeEveryPage(js string) {
	p.t.Helper()
	p.run(chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := cdppage.AddScriptToEvaluateOnNewDocument(js).Do(ctx)
		return err
	}))
}

// visitReady opens a test portal's page, with ?charte when goRuns (the
// page then holds the charter, and Go runs there), and waits for Go or,
// before Go, for the loader.
func (p *page) visitReady(url string, goRuns bool) {
	p.t.Helper()
	if goRuns {
		url += "?charte"
	}
	p.visit(url)
	if goRuns {
		p.waitGo()
	} else {
		p.waitLoader()
	}
}

func (p *page) visit(url string) {
	p.t.Helper()
	p.wasmRequestsBefore = wasmRequests.Load()
	p.run(chromedp.Navigate(url), chromedp.WaitReady("body"))
}

// visitBeforeLoad opens url and returns once its banner is painted, without
// waiting for the page's load event.
func (p *page) visitBeforeLoad(url string) {
	p.t.Helper()
	p.wasmRequestsBefore = wasmRequests.Load()
	p.run(chromedp.ActionFunc(func(ctx context.Context) error {
		_, _, _, _, err := cdppage.Navigate(url).Do(ctx)
		return err
	}), chromedp.WaitReady("#cb-root .cb-banner", chromedp.ByQuery))
}

// waitLoader waits until the portal's loader (web/loader.js) has made every
// action work, Go or no Go.
func (p *page) waitLoader() {
	p.t.Helper()
	p.run(chromedp.Poll(`!!(window.consentBanner && consentBanner._decide)`, nil, chromedp.WithPollingTimeout(20*time.Second)))
}

// clientFetchedSinceVisit tells whether the WebAssembly was asked of the
// host since the last visit began, by the page or one of its workers.
func (p *page) clientFetchedSinceVisit() bool {
	return wasmRequests.Load() > p.wasmRequestsBefore
}

// waitClientFetched waits until a page where Go does not run (one without
// the charter) has fetched the WebAssembly, for the charter page to find
// in the cache, and fails the test if Go runs there all the same.
func (p *page) waitClientFetched() {
	p.t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for !p.clientFetchedSinceVisit() {
		if time.Now().After(deadline) {
			p.t.Fatal("the WebAssembly was not fetched")
		}
		time.Sleep(50 * time.Millisecond)
	}
	var goRuns bool
	p.eval(`!!consentBanner._ready || !!consentBanner._go`, &goRuns)
	if goRuns {
		p.t.Error("Go runs on a page without the charter")
	}
}

// noClientFetched fails the test if the page fetched the WebAssembly by
// the time it has loaded and been idle for two seconds: a page without the
// charter, where the visitor did not head for it.
func (p *page) noClientFetched() {
	p.t.Helper()
	p.waitLoader()
	p.run(chromedp.Poll(`document.readyState === "complete"`, nil, chromedp.WithPollingTimeout(30*time.Second)), chromedp.Sleep(2*time.Second))
	var goRuns bool
	p.eval(`!!consentBanner._ready || !!consentBanner._go`, &goRuns)
	if fetched := p.clientFetchedSinceVisit(); fetched || goRuns {
		p.t.Errorf("a page without the charter, the visitor not heading there: WebAssembly fetched %v, Go running %v", fetched, goRuns)
	}
}

// headForCharter moves the pointer over the banner's link to the charter,
// as a visitor about to follow it.
func (p *page) headForCharter() {
	p.t.Helper()
	p.run(chromedp.ScrollIntoView("#cb-root .cb-link", chromedp.ByQuery))
	var box []float64
	p.eval(`(() => { const r = document.querySelector("#cb-root .cb-link").getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`, &box)
	p.run(chromedp.MouseEvent(input.MouseMoved, box[0], box[1]))
}

// waitGo waits until the WebAssembly client has taken over the page, on a
// page that holds the charter (the only pages where Go runs).
func (p *page) waitGo() {
	p.t.Helper()
	err := chromedp.Run(p.ctx, chromedp.Poll(`window.consentBanner && window.consentBanner._ready === true`, nil, chromedp.WithPollingTimeout(45*time.Second)))
	if err != nil {
		p.t.Fatalf("Go did not take over the page: %v; console: %q", err, p.consoleErrors())
	}
}

// bannerVisible tells whether the visitor sees the banner.
func (p *page) bannerVisible() bool {
	p.t.Helper()
	var visible bool
	p.eval(`(() => { const b = document.querySelector("#cb-root .cb-banner");
		return !!b && !b.hidden && getComputedStyle(b).display !== "none" && b.getBoundingClientRect().height > 0; })()`, &visible)
	return visible
}

// backButton presses the browser's back button once the browser's history
// has the entry at current, the address the page last pushed: pushState
// reaches the browser's history a moment after the page's script runs, and
// a back press before that would skip it.
func (p *page) backButton(current string) {
	p.t.Helper()
	p.run(chromedp.ActionFunc(func(ctx context.Context) error {
		for {
			index, entries, err := cdppage.GetNavigationHistory().Do(ctx)
			if err != nil {
				return err
			}
			if entries[index].URL == current {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("the browser's history never reached %s (at %s)", current, entries[index].URL)
			case <-time.After(20 * time.Millisecond):
			}
		}
	}), chromedp.NavigateBack())
}

func (p *page) click(selector string) {
	p.t.Helper()
	// Go may draw the same control again between finding it and clicking
	// it (as it takes over the page): a visitor's click would land on the
	// new one, so the click is made again on it.
	for attempt := 1; ; attempt++ {
		err := chromedp.Run(p.ctx, chromedp.Click(selector, chromedp.ByQuery, chromedp.NodeVisible))
		if err == nil {
			return
		}
		if attempt == 3 || !strings.Contains(err.Error(), "Could not find node") {
			p.t.Fatalf("clicking %s: %v", selector, err)
		}
	}
}

// choose clicks one of the banner's actions and waits for the banner to go.
func (p *page) choose(action string) {
	p.t.Helper()
	p.click(`.cb-banner [data-cb-action="` + action + `"]`)
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.WaitNotVisible(".cb-banner", chromedp.ByQuery)); err != nil {
		var state any
		chromedp.Run(p.ctx, chromedp.Evaluate(`({ banners: document.querySelectorAll(".cb-banner").length, roots: document.querySelectorAll("#cb-root").length,
			ready: !!(window.consentBanner && consentBanner._ready), state: window.consentBanner && consentBanner.get(), cookie: document.cookie })`, &state))
		p.t.Fatalf("the banner stayed after %s (%v): %v; console: %q", action, err, state, p.consoleErrors())
	}
}

// cookie returns the cookies_preferences cookie the browser holds for url.
func (p *page) cookie(url string) *network.Cookie {
	p.t.Helper()
	var cookies []*network.Cookie
	p.run(chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		cookies, err = network.GetCookies().WithURLs([]string{url}).Do(ctx)
		return err
	}))
	for _, c := range cookies {
		if c.Name == consent.CookieName {
			return c
		}
	}
	return nil
}

// waitConsoleError waits until the page logs an error or warning containing
// text.
func (p *page) waitConsoleError(text string) {
	p.t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for !slices.ContainsFunc(p.consoleErrors(), func(e string) bool { return strings.Contains(e, text) }) {
		if time.Now().After(deadline) {
			p.t.Fatalf("the console never said %q; it said %q", text, p.consoleErrors())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// drawWholeCharter is a script that draws every part of the charter the
// browser leaves undrawn until it nears the screen (content-visibility:
// auto, web/consent.css), as a reader scrolling through it would: an
// element's innerText holds only what is drawn.
const drawWholeCharter = `for (const e of document.querySelectorAll(".cb-charter *")) if (getComputedStyle(e).contentVisibility === "auto") e.style.contentVisibility = "visible";`

// consoleErrors returns what the page logged as errors or warnings.
func (p *page) consoleErrors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errors...)
}

// screenshot saves a PNG of the viewport in $E2E_SCREENSHOTS, when set, for a person to
// look at.
func (p *page) screenshot(name string) {
	dir := os.Getenv("E2E_SCREENSHOTS")
	if dir == "" {
		return
	}
	var png []byte
	p.run(chromedp.Sleep(300*time.Millisecond), chromedp.CaptureScreenshot(&png))
	p.save(name, png)
}

// fullScreenshot saves a PNG of the whole page in $E2E_SCREENSHOTS.
func (p *page) fullScreenshot(name string) {
	if os.Getenv("E2E_SCREENSHOTS") == "" {
		return
	}
	var png []byte
	p.run(chromedp.Sleep(300*time.Millisecond), chromedp.FullScreenshot(&png, 100))
	p.save(name, png)
}

func (p *page) save(name string, png []byte) {
	dir := os.Getenv("E2E_SCREENSHOTS")
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		p.t.Error(err)
	}
}

// portalServer serves the HTML pages of testdata on its own origin
// (localhost rather than the host's 127.0.0.1), with {{HOST}} replaced by the
// host's URL: a portal that is not ours, embedding the consent manager.
func portalServer(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	return portalServerFor(t, hostURL, wrap)
}

// portalServerFor is portalServer embedding the consent host at host.
func portalServerFor(t *testing.T, host string, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	return portalServerOn(t, nextPortalListener(t), host, wrap)
}

// portalServerOn is portalServerFor listening on l: a portal whose origin
// the host may not know.
func portalServerOn(t *testing.T, l net.Listener, host string, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	files := http.FileServer(http.Dir("testdata/portal"))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, ".html") {
			files.ServeHTTP(w, r)
			return
		}
		data, err := os.ReadFile(filepath.Join("testdata/portal", filepath.Base(r.URL.Path)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(strings.ReplaceAll(string(data), "{{HOST}}", host)))
	})
	var handler http.Handler = h
	if wrap != nil {
		handler = wrap(h)
	}
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: handler}}
	srv.Start()
	t.Cleanup(srv.Close)
	return "http://localhost:" + fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

// portalListeners is how many test portal servers a run may start: each
// listens on a port opened before the host starts, so that the host allows
// receipts from its origins (-origins).
const portalListeners = 64

var (
	portalListenersMu   sync.Mutex
	freePortalListeners []net.Listener
)

// openPortalListeners opens n loopback listeners for the test portals'
// servers and returns their origins, under both names the tests give them.
func openPortalListeners(n int) ([]string, error) {
	var origins []string
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		port := l.Addr().(*net.TCPAddr).Port
		origins = append(origins, fmt.Sprintf("http://localhost:%d", port), fmt.Sprintf("http://www.portail.consent.test:%d", port), fmt.Sprintf("http://data.portail.consent.test:%d", port))
		freePortalListeners = append(freePortalListeners, l)
	}
	return origins, nil
}

// nextPortalListener takes a listener opened by openPortalListeners.
func nextPortalListener(t *testing.T) net.Listener {
	t.Helper()
	portalListenersMu.Lock()
	defer portalListenersMu.Unlock()
	if len(freePortalListeners) == 0 {
		t.Fatalf("more than %d test portal servers: raise portalListeners", portalListeners)
	}
	l := freePortalListeners[0]
	freePortalListeners = freePortalListeners[1:]
	return l
}

// onPortalDomain moves a portalServer URL to www.portail.consent.test (the
// browser resolves it to the loopback), where a page's cookies can be set
// on the parent domain, as a portal's tags often do.
func onPortalDomain(portal string) string {
	return strings.Replace(portal, "//localhost:", "//www.portail.consent.test:", 1)
}

// acceptsAny tells whether c accepts at least one purpose, exempt audience
// measurement included: a refusal accepts none.
func acceptsAny(c consent.Choice) bool {
	for _, on := range c.Accepted {
		if on {
			return true
		}
	}
	return false
}
