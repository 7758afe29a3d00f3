// Package server is the consent manager's host: it serves the embed script,
// the WebAssembly client and its files under content-hashed names, the portal
// configurations, a demo portal page and the charter pages, all from assets
// embedded in the binary, and keeps the receipts clients post.
//
// New (server.go) builds the Server from Options. Start reading at
// routes.go: it registers every path the host answers with the handler
// that serves it. The other files are named after what they hold:
// receipts.go the receipt endpoint, console_stats.go the console's
// statistics, and so on.
package server

import (
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/receipts"
)

// Server is the host's HTTP handler.
type Server struct {
	mux      *http.ServeMux
	log      *slog.Logger
	portals  map[string]*consent.Portal
	order    []*consent.Portal
	defaultP *consent.Portal
	assets   map[string]*asset
	embedJS  *asset
	// crawlerEmbedJS is embed.js for search crawlers (crawlers.go).
	crawlerEmbedJS *asset
	// portalEmbedJS holds embed.js?portal=<id>, by portal id.
	portalEmbedJS map[string]*asset
	configs       map[string]string // portal id → hashed configuration path
	pages         *template.Template
	// receipts takes POST /receipts; nil when receipts are not kept.
	receipts *receiptHandler
	// clientTimeout bounds each download of the embed script.
	clientTimeout time.Duration
	// Paths of the hashed assets that embed.js and the pages name.
	wasmPath, execPath, bannerCSSPath, cssPath string
	// The console's stylesheet, script and WebAssembly.
	consoleCSSPath, consoleJSPath, consoleWasmPath string
	// darkCSSPath is the console preview's dark theme (darkRules).
	darkCSSPath string
	// store is where receipts are kept (nil when they are not): the
	// console's statistics read it.
	store *receipts.Store
	// console checks access to the statistics; location is where their
	// days start.
	console  *consoleAccess
	location *time.Location
	// trustedProxies: see clientAddress; untrustedProxies logs once an
	// hour a peer that forwards requests without being one of them.
	trustedProxies   []netip.Prefix
	untrustedProxies *onceEvery
	// liveCharterLimit is each client's budget of live charters,
	// liveCharters the responses already made, renderSlots the renders
	// that may run at once (charter.go).
	liveCharterLimit *limiter
	// renderBudget is the whole host's budget of live charters rendered.
	renderBudget *limiter
	liveCharters *responseCache
	renderSlots  chan struct{}
	// demoCSS and charterCSS are the stylesheets the host's pages inline
	// (demo.css; consent.css on the charter page), and pagePolicy those
	// pages' Content-Security-Policy, which allows them by their hashes:
	// all three made at start-up from the same built files.
	demoCSS, charterCSS, pagePolicy string
	// compressedPages keeps the pages' compressed bodies (compressPage).
	compressedPages *responseCache
	// metrics are served by Metrics (metrics.go).
	metrics *metrics
}

// Options configure a Server.
type Options struct {
	// Portals are the configured portals; the first is the default one,
	// served at / and /charte.
	Portals []*consent.Portal
	// Files holds pages/ and the built dist/ (see package web).
	Files fs.FS
	Log   *slog.Logger
	// Receipts, when set, enables POST /receipts: clients post a receipt
	// of each choice, kept there.
	Receipts *receipts.Store
	// ReceiptOrigins are origins allowed to post receipts besides the
	// portals' own addresses (a staging portal, say).
	ReceiptOrigins []string
	// ReceiptRate is how many receipts a second one client address may
	// post, on average (10 when zero); bursts of twice that pass.
	ReceiptRate float64
	// ReceiptsPerHour bounds the receipts the host writes in an hour, all
	// clients together (DefaultReceiptsPerHour when zero).
	ReceiptsPerHour int
	// TrustedProxies are the load balancers in front of the host: for a
	// request from one of them, the rate limit counts the client address
	// it reports in X-Forwarded-For instead of its own.
	TrustedProxies []netip.Prefix
	// AdminToken opens the console's statistics (/console/stats); they
	// are disabled when it is empty.
	AdminToken string
	// Location is where the statistics' days start; Europe/Paris when nil.
	Location *time.Location
	// ClientTimeout is how long the embed script waits for each file of the
	// client (the WebAssembly above all) before it gives up and says so;
	// DefaultClientTimeout when zero.
	ClientTimeout time.Duration
	// Version is the host's version, for the consent_host_build_info
	// metric.
	Version string
	// Previous is the server this one replaces, when the host reloads its
	// configuration: the hashed files it served are still served (a page
	// loaded before names them), and its metrics, rate limits, budgets,
	// the console's locks and the store's health carry on, so that a
	// reload resets no counter and frees no client from its limit.
	Previous *Server
}

// DefaultClientTimeout lets the WebAssembly arrive over a slow 2G link
// (about 40 s for 1.2 MB at 256 kbit/s) and still ends a stalled download.
const DefaultClientTimeout = 90 * time.Second

// ErrNotBuilt is returned when the WebAssembly client is missing from the
// files: the host was compiled before `make build` made it.
var ErrNotBuilt = errors.New("not built: build the host with `make build` (or `make run`), which builds the WebAssembly client and the minified web files first")

// New prepares every response: hashed assets, their compressed variants and
// the pre-rendered banners, so that serving is only copying bytes.
func New(opts Options) (*Server, error) {
	if len(opts.Portals) == 0 {
		return nil, errors.New("no portal configured")
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	prev := opts.Previous
	var m *metrics
	if prev != nil {
		m = prev.metrics
	} else {
		m = newMetrics(opts.Version, opts.Receipts != nil)
	}
	s := &Server{
		mux:              http.NewServeMux(),
		log:              opts.Log,
		portals:          map[string]*consent.Portal{},
		order:            opts.Portals,
		defaultP:         opts.Portals[0],
		assets:           map[string]*asset{},
		configs:          map[string]string{},
		clientTimeout:    cmp.Or(opts.ClientTimeout, DefaultClientTimeout),
		store:            opts.Receipts,
		console:          newConsoleAccess(opts, m),
		location:         opts.Location,
		trustedProxies:   opts.TrustedProxies,
		untrustedProxies: newOnceEvery(time.Hour),
		liveCharterLimit: newLimiter(liveCharterRate, 4*liveCharterRate),
		renderBudget:     newLimiter(rendersPerSecond, 2*rendersPerSecond),
		liveCharters:     newResponseCache(liveChartersCached),
		compressedPages:  newResponseCache(compressedPagesCached),
		renderSlots:      make(chan struct{}, renderSlots()),
		metrics:          m,
	}
	if s.location == nil {
		var err error
		if s.location, err = time.LoadLocation("Europe/Paris"); err != nil {
			return nil, fmt.Errorf("the statistics' time zone: %w", err)
		}
	}
	for _, p := range opts.Portals {
		s.portals[p.ID] = p
	}
	var err error
	if s.pages, err = template.ParseFS(opts.Files, "pages/*.html"); err != nil {
		return nil, fmt.Errorf("page templates: %w", err)
	}
	if err := s.loadAssets(opts.Files); err != nil {
		return nil, err
	}
	if opts.Receipts != nil {
		s.receipts = newReceiptHandler(opts, s.portals, m)
	}
	if err := s.buildEmbed(opts.Files); err != nil {
		return nil, err
	}
	if prev != nil {
		s.carryOn(prev)
	}
	s.routes()
	return s, nil
}

// carryOn takes over from prev, the server this one replaces: the state
// that is not the configuration's (Options.Previous).
func (s *Server) carryOn(prev *Server) {
	for name, a := range prev.assets {
		if _, ok := s.assets[name]; !ok {
			s.assets[name] = a
		}
	}
	s.untrustedProxies, s.liveCharterLimit, s.renderBudget, s.renderSlots = prev.untrustedProxies, prev.liveCharterLimit, prev.renderBudget, prev.renderSlots
	s.console.failures, s.console.refusals = prev.console.failures, prev.console.refusals
	if s.receipts != nil && prev.receipts != nil {
		r, p := s.receipts, prev.receipts
		r.limiter, r.budget, r.health, r.refusedOrigins = p.limiter, p.budget, p.health, p.refusedOrigins
		r.health.publish()
	}
}

// portalIDs lists the portals the host serves, in the configuration's order.
func (s *Server) portalIDs() []string {
	ids := make([]string, len(s.order))
	for i, p := range s.order {
		ids[i] = p.ID
	}
	return ids
}
