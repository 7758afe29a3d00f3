package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/opendata-consent/consent/internal/chromium"
)

// The mobile profile of the issue: 150 ms latency, 1.6 Mbit/s down,
// 750 kbit/s up, a CPU four times slower.
const (
	latencyMs      = 150
	downBytesPerS  = 1.6e6 / 8
	upBytesPerS    = 750e3 / 8
	cpuSlowdown    = 4
	visitTimeout   = 90 * time.Second
	settleAfterRun = time.Second // for late long tasks and layout shifts
)

// instrument runs in every page before its own scripts. It stamps, in ms
// since navigation: the first frame showing the banner and when the files
// the page asked for by then had arrived (on the benchmark's pages, the
// consent manager's: the rest of the banner's time is its script's work and
// its frames), Go's consent:ready,
// the page's load, a gated tag's run; it sums layout shifts and blocking
// time (long tasks beyond 50 ms), keeps the longest task and lists every
// long task with its start (which one, and when, is what a sum hides) and
// every long animation frame with its scripts (what each task was; its own
// checks of the banner, a frame callback without a file, force a style and
// layout the frame would otherwise do in its rendering). With
// ?benchclick=banner it clicks "Tout refuser" as the banner shows (=ready:
// as Go is ready) and stamps the frame after the click (banner hidden?) and
// the cookie's write; with ?benchclick=customise it clicks "Personnaliser"
// as the banner shows and stamps the dialog's first usable frame, with
// ?benchclick=customise-late half a second later, as a visitor who reads
// the banner first would. A page
// with another consent manager names its elements in window.__benchTarget.
const instrument = `(() => {
	const b = window.__bench = { banner: 0, arrived: 0, ready: 0, load: 0, gated: 0, cls: 0, tbt: 0, longest: 0, clicked: 0, hidden: 0, stored: 0, dialog: 0, longTasks: [], frames: [] };
	const T = () => window.__benchTarget || { banner: "#cb-root .cb-banner", reject: '#cb-root .cb-banner [data-cb-action="reject-all"]',
		customise: '#cb-root .cb-banner [data-cb-action="customise"]', dialog: "#cb-root dialog[open]", cookie: "cookies_preferences=" };
	const visible = (sel) => { const el = document.querySelector(sel); return !!el && !el.hidden && el.getBoundingClientRect().height > 0; };
	const mode = new URLSearchParams(location.search).get("benchclick");
	new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) b.cls += e.value; }).observe({ type: "layout-shift", buffered: true });
	new PerformanceObserver((l) => { for (const e of l.getEntries()) { b.tbt += Math.max(0, e.duration - 50); b.longest = Math.max(b.longest, e.duration); b.longTasks.push({ start: e.startTime, duration: e.duration }); } }).observe({ type: "longtask", buffered: true });
	// What a long task was: the long animation frame that holds it names
	// its scripts (each over 5 ms: which file, called how) and its
	// rendering; a task with neither is the browser's own work.
	new PerformanceObserver((l) => { for (const e of l.getEntries()) b.frames.push({ start: e.startTime, duration: e.duration, renderStart: e.renderStart,
		scripts: e.scripts.map((s) => ({ source: s.sourceURL == location.href ? "the page" : s.sourceURL.replace(/^.*\//, "") || "no file",
			invoker: s.invokerType == "classic-script" ? "evaluation" : s.invoker.replace(/https?:\/\/[^/"]*/g, ""), start: s.startTime, duration: s.duration })) }); }).observe({ type: "long-animation-frame", buffered: true });
	addEventListener("load", () => { b.load = performance.now(); });
	// The moment a consent manager writes its cookie (a value, not the
	// deletion of a stale copy), from any script, Go's included: reading
	// document.cookie back would add the browser's commit of the write.
	const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
	Object.defineProperty(Document.prototype, "cookie", { configurable: true, enumerable: true,
		get() { return cookie.get.call(this); },
		set(v) {
			cookie.set.call(this, v);
			const s = String(v);
			if (b.clicked && !b.stored && s.startsWith(T().cookie) && !s.startsWith(T().cookie + ";") && !/max-age=0\b/i.test(s)) b.stored = performance.now();
		} });
	const reject = () => {
		// From the click's start: the consent manager's handler up to the
		// write is part of the time.
		b.clicked = performance.now();
		document.querySelector(T().reject).click();
		requestAnimationFrame(() => { if (!visible(T().banner)) b.hidden = performance.now(); });
	};
	const customise = () => {
		b.clicked = performance.now();
		document.querySelector(T().customise).click();
		const poll = () => { if (visible(T().dialog)) requestAnimationFrame(() => { b.dialog = performance.now(); }); else requestAnimationFrame(poll); };
		poll();
	};
	document.addEventListener("consent:ready", () => { b.ready = performance.now(); if (mode === "ready") reject(); });
	const watch = () => {
		if (visible(T().banner)) {
			requestAnimationFrame(() => {
				b.banner = performance.now();
				b.arrived = Math.max(0, ...performance.getEntriesByType("resource").filter((e) => e.initiatorType == "script" || e.initiatorType == "link").map((e) => e.responseEnd));
				if (mode === "banner") reject(); if (mode === "customise") customise(); if (mode === "customise-late") setTimeout(customise, 500);
			});
			return;
		}
		requestAnimationFrame(watch);
	};
	requestAnimationFrame(watch);
})();`

// visit is what one page load measured; times are in ms since navigation.
type visit struct {
	Banner    float64 `json:"banner"`    // first frame showing the banner
	Arrived   float64 `json:"arrived"`   // the page's scripts and stylesheets arrived, by the banner's frame
	Ready     float64 `json:"ready"`     // Go running (consent:ready)
	Load      float64 `json:"load"`      // the page's load event
	Gated     float64 `json:"gated"`     // a gated tag ran
	CLS       float64 `json:"cls"`       // cumulative layout shift
	TBT       float64 `json:"tbt"`       // total blocking time
	Longest   float64 `json:"longest"`   // longest main-thread task
	Dialog    float64 `json:"dialog"`    // the preferences usable after "Personnaliser"
	Clicked   float64 `json:"clicked"`   // "Tout refuser" clicked
	Hidden    float64 `json:"hidden"`    // banner hidden at the frame after the click (0: not yet)
	Stored    float64 `json:"stored"`    // cookie written
	OpenPrefs float64 `json:"openPrefs"` // "Gérer mes cookies" clicked → dialog open, ms
	Bytes     int64   `json:"bytes"`     // transferred over the network
	WasmBytes int64   `json:"wasmBytes"` // of which the WebAssembly
	Requests  int     `json:"requests"`  // requests that went to the network

	LongTasks []longTask `json:"longTasks"` // every task over 50 ms, as the page observed it
	Frames    []frame    `json:"frames"`    // every frame over 50 ms, with its scripts (long-animation-frame)
}

// session is one fresh browser (empty cache, no cookie) on the mobile
// profile.
type session struct {
	ctx  context.Context
	stop func()

	mu        sync.Mutex
	urls      map[network.RequestID]string
	fromCache map[network.RequestID]bool
	bytes     int64
	requests  int
}

func newSession() (*session, error) {
	tab, stop, err := chromium.Start(context.Background(), 412, 915, func(string, ...any) {})
	if err != nil {
		return nil, err
	}
	s := &session{ctx: tab, stop: stop, urls: map[network.RequestID]string{}, fromCache: map[network.RequestID]bool{}}
	chromedp.ListenTarget(tab, func(ev any) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			s.urls[ev.RequestID] = ev.Request.URL
		case *network.EventRequestServedFromCache:
			s.fromCache[ev.RequestID] = true
		case *network.EventResponseReceived:
			if ev.Response.FromDiskCache || ev.Response.FromPrefetchCache {
				s.fromCache[ev.RequestID] = true
			}
		case *network.EventLoadingFinished:
			if s.fromCache[ev.RequestID] {
				return
			}
			s.requests++
			// The WebAssembly is counted at the host (countWasm),
			// whether the page or its worker fetched it.
			if !strings.HasSuffix(s.urls[ev.RequestID], ".wasm") {
				s.bytes += int64(ev.EncodedDataLength)
			}
		}
	})
	err = chromedp.Run(tab,
		network.Enable(),
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := network.EmulateNetworkConditionsByRule([]*network.Conditions{{
				Latency: latencyMs, DownloadThroughput: downBytesPerS, UploadThroughput: upBytesPerS,
			}}).Do(ctx)
			if err == nil {
				return nil
			}
			// Debian's Chromium before 150 has only the command that later
			// releases replace (the same profile, for every request).
			return cdp.Execute(ctx, "Network.emulateNetworkConditions", map[string]any{
				"offline": false, "latency": latencyMs, "downloadThroughput": downBytesPerS, "uploadThroughput": upBytesPerS,
			}, nil)
		}),
		emulation.SetCPUThrottlingRate(cpuSlowdown),
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := cdppage.AddScriptToEvaluateOnNewDocument(instrument).Do(ctx)
			return err
		}),
	)
	if err != nil {
		stop()
		return nil, err
	}
	return s, nil
}

// visit loads url and waits until done (a JavaScript condition on __bench)
// holds, then returns the page's measurements.
func (s *session) visit(url, done string) (visit, error) {
	s.mu.Lock()
	s.bytes, s.requests = 0, 0
	s.mu.Unlock()
	wasmServed.Store(0)
	ctx, cancel := context.WithTimeout(s.ctx, visitTimeout)
	defer cancel()
	var v visit
	err := chromedp.Run(ctx,
		chromedp.Navigate(url),
		chromedp.Poll(done, nil, chromedp.WithPollingInterval(20*time.Millisecond)),
		chromedp.Sleep(settleAfterRun),
		chromedp.Evaluate(`window.__bench`, &v),
	)
	if err != nil {
		var b map[string]any
		chromedp.Run(s.ctx, chromedp.Evaluate(`window.__bench`, &b))
		return v, fmt.Errorf("%s: %w (measured so far: %v)", url, err, b)
	}
	s.mu.Lock()
	v.WasmBytes = wasmServed.Load()
	v.Bytes, v.Requests = s.bytes+v.WasmBytes, s.requests
	s.mu.Unlock()
	return v, nil
}

// browserRun is one repetition of every browser case.
type browserRun struct {
	// A portal page, where Go does not run: a first visit without a click
	// (12 s), then a later one.
	PortalFirst    visit `json:"portalFirstVisit"`
	PortalReturned visit `json:"portalReturningVisit"`
	// The portal's charter page, where Go runs: a first visit without a
	// click, over 12 s; the same page under a policy that refuses the
	// worker compiling Go's start (worker-src 'none': Go starts on the
	// page alone, as before that worker); a first visit that clicks
	// "Tout refuser" as Go says it is ready.
	CharterFirst    visit `json:"charterFirstVisit"`
	CharterNoWorker visit `json:"charterWithoutWorker"`
	CharterClick    visit `json:"charterClickOnceGoRuns"`
	ClickBeforeGo   visit `json:"clickBeforeGo"`
	// Ours, vanilla-cookieconsent and tarteaucitron.js on the same portal
	// page, in the same run; ours on the charter page as well, where Go
	// runs and the WebAssembly is fetched at once: every case of the
	// plain page, there too.
	Ours                 peerCases `json:"ours"`
	OursCharter          peerCases `json:"oursCharterPage"`
	VanillaCookieconsent peerCases `json:"vanillaCookieconsent"`
	Tarteaucitron        peerCases `json:"tarteaucitron"`
	// The floor (bench/pages/floor.js): the banner's cases alone.
	Floor peerCases `json:"floor"`
}

// peerCases are one consent manager's first visits, each in a fresh
// browser: 12 s without a click; until the banner shows on the same page
// with its styles in a file of its own; "Personnaliser" clicked as the
// banner shows and half a second later; "Tout refuser" clicked as the
// banner shows (none when not measured). The cases with a target are
// visited repeatsPerRun times in each run: one visit a run leaves a
// median of five, which this machine's load moves by half from one run
// to the next. A manager that is not clicked (tarteaucitron.js, the
// floor) visits its page until the banner shows in each click's turn
// (Unclicked), so that its banner's time comes from as many visits as a
// clicked manager's.
type peerCases struct {
	Idle          visit   `json:"idle"`
	Stylesheet    []visit `json:"stylesheetFile"`
	Customise     []visit `json:"customise"`
	CustomiseLate visit   `json:"customiseLate"`
	Reject        []visit `json:"reject"`
	Unclicked     []visit `json:"unclicked"`
}

// repeatsPerRun is how many times each run visits a case with a target.
const repeatsPerRun = 3

// onPlainPage are the visits to the manager's page, its styles in the
// page: each stamped the banner before any click (the click comes in the
// frame after), so every one of them says when the banner showed.
func (c peerCases) onPlainPage() []visit {
	visits := append([]visit{c.Idle}, c.Customise...)
	if c.CustomiseLate.Banner > 0 {
		visits = append(visits, c.CustomiseLate)
	}
	visits = append(visits, c.Reject...)
	return append(visits, c.Unclicked...)
}

// peerPage is one consent manager on a page: the cases it runs go to dst;
// without clicks, the click cases' turns visit the page unclicked
// (peerCases.Unclicked).
type peerPage struct {
	dst        *peerCases
	url        string
	withClicks bool
	// Until the banner shows, not 12 s: the floor, whose long tasks and
	// bytes are not a consent manager's.
	bannerOnly bool
}

// runPeerCases runs each case on every page in turn before the next case
// (or the case's next visit), the pages' order turned by one each time
// (turn): on a shared machine the load comes and goes within minutes, and
// a ratio between two managers is meant to compare them, not two moments.
// Run one manager's cases after another's and their same case was minutes
// apart.
func runPeerCases(pages []peerPage, turn int) error {
	cases := []struct {
		clicks, stylesheet bool
		visits             int
		keep               func(*peerCases, visit)
		query, done        string
	}{
		{false, false, 1, func(c *peerCases, v visit) { c.Idle = v }, "", `performance.now() > 12000`},
		{false, true, repeatsPerRun, func(c *peerCases, v visit) { c.Stylesheet = append(c.Stylesheet, v) }, "", `__bench.banner > 0`},
		{true, false, repeatsPerRun, func(c *peerCases, v visit) { c.Customise = append(c.Customise, v) }, "?benchclick=customise", `__bench.dialog > 0`},
		{true, false, 1, func(c *peerCases, v visit) { c.CustomiseLate = v }, "?benchclick=customise-late", `__bench.dialog > 0`},
		{true, false, repeatsPerRun, func(c *peerCases, v visit) { c.Reject = append(c.Reject, v) }, "?benchclick=banner", `__bench.stored > 0`},
	}
	for _, v := range cases {
		for n := range v.visits {
			for i := range pages {
				p := pages[(i+turn+n)%len(pages)]
				done, query, keep := v.done, v.query, v.keep
				if v.clicks && !p.withClicks {
					// The page without the click, in the click's turn.
					done, query, keep = `__bench.banner > 0`, "", func(c *peerCases, v visit) { c.Unclicked = append(c.Unclicked, v) }
				}
				if p.bannerOnly {
					done = `__bench.banner > 0`
				}
				page := p.url
				if v.stylesheet {
					page = strings.TrimSuffix(page, ".html") + stylesheetFile
				}
				s, err := newSession()
				if err != nil {
					return fmt.Errorf("a fresh browser: %w", err)
				}
				got, err := s.visit(page+query, done)
				s.stop()
				if err != nil {
					return err
				}
				keep(p.dst, got)
			}
		}
	}
	return nil
}

// runBrowserCases measures, each in a fresh browser: a first visit to a
// portal page on another origin, over 12 s without a click, then a later
// visit to it (warm cache, stored choice, a gated tag); first visits to
// the portal's charter page: without a click, the same under a policy that
// refuses the worker, and one that clicks once Go runs; a click on the
// painted banner before Go runs; then the peer cases (runPeerCases) with
// ours on the portal page and on the charter page, and with each peer on
// the portal page, each case on every page in turn (turn: runPeerCases),
// and the floor's banner among them.
func runBrowserCases(portal string, turn int) (browserRun, error) {
	var r browserRun
	s, err := newSession()
	if err != nil {
		return r, err
	}
	defer func() { s.stop() }()
	// 12 s, as the other first visits: a plain page fetches no WebAssembly
	// any more (nothing to wait for), and one fetched late must still show.
	if r.PortalFirst, err = s.visit(portal+"/portal.html", `performance.now() > 12000`); err != nil {
		return r, fmt.Errorf("first visit to the portal page: %w", err)
	}
	// Accepted for the later visit, which then runs the gated tag.
	if err := chromedp.Run(s.ctx, chromedp.Evaluate(`consentBanner.showPreferences(); true`, nil),
		chromedp.Click(`dialog [data-cb-action="accept-all"]`, chromedp.ByQuery, chromedp.NodeVisible),
		chromedp.Poll(`consentBanner.acceptedCategory("statistics")`, nil)); err != nil {
		return r, fmt.Errorf("accepting before the later visit: %w", err)
	}
	if r.PortalReturned, err = s.visit(portal+"/portal.html", `__bench.gated > 0`); err != nil {
		return r, fmt.Errorf("later visit to the portal page: %w", err)
	}
	// The time from a click on "Gérer mes cookies" to the open dialog.
	err = chromedp.Run(s.ctx, chromedp.Evaluate(`new Promise((done) => {
		const t0 = performance.now();
		document.querySelector("[data-consent-open]").click();
		const poll = () => document.querySelector("#cb-root dialog[open]") ? done(performance.now() - t0) : requestAnimationFrame(poll);
		poll();
	})`, &r.PortalReturned.OpenPrefs, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if err != nil {
		return r, fmt.Errorf("opening the preferences on a later page: %w", err)
	}
	s.stop()

	for _, c := range []struct {
		dst        *visit
		path, done string
	}{
		{&r.CharterFirst, "/charter.html", `__bench.ready > 0 && performance.now() > 12000`},
		{&r.CharterNoWorker, "/charter-without-worker.html", `__bench.ready > 0 && performance.now() > 12000`},
		{&r.CharterClick, "/charter.html?benchclick=ready", `__bench.stored > 0`},
	} {
		if s, err = newSession(); err != nil {
			return r, err
		}
		if *c.dst, err = s.visit(portal+c.path, c.done); err != nil {
			return r, fmt.Errorf("first visit to the charter page (%s): %w", c.path, err)
		}
		s.stop()
	}

	if s, err = newSession(); err != nil {
		return r, err
	}
	r.ClickBeforeGo, err = s.visit(portal+"/portal.html?benchclick=banner", `__bench.stored > 0`)
	s.stop()
	if err != nil {
		return r, err
	}
	// tarteaucitron.js only without a click: what it costs a page that
	// nobody clicks on (its blocking time is the yardstick).
	err = runPeerCases([]peerPage{
		{&r.Ours, portal + "/portal.html", true, false},
		{&r.OursCharter, portal + "/charter.html", true, false},
		{&r.VanillaCookieconsent, portal + "/vanilla-cookieconsent.html", true, false},
		{&r.Tarteaucitron, portal + "/tarteaucitron.html", false, false},
		{&r.Floor, portal + "/floor.html", false, true},
	}, turn)
	return r, err
}
