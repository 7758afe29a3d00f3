// Package server is the consent manager's host: it serves the embed script,
// the WebAssembly client and its files under content-hashed names, the portal
// configurations, a demo portal page and the charter pages, all from assets
// embedded in the binary.
package server

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/opendata-consent/consent/app"
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
	// portalEmbedJS holds embed.js?portal=<id>, by portal id.
	portalEmbedJS map[string]*asset
	configs       map[string]string // portal id → hashed configuration path
	pages         *template.Template
	// receiptPath is where clients post receipts, "" when not kept.
	receiptPath string
	// clientTimeout bounds each download of the embed script.
	clientTimeout time.Duration
	// Paths of the hashed assets that embed.js and the pages name.
	wasmPath, execPath, loaderPath, bannerCSSPath, cssPath string
	// demoCSS is the host pages' stylesheet, inlined in them, and
	// demoCSSHash its CSP source expression.
	demoCSS, demoCSSHash string
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
	// TrustedProxies are the load balancers in front of the host: for a
	// request from one of them, the rate limit counts the client address
	// it reports in X-Forwarded-For instead of its own.
	TrustedProxies []netip.Prefix
	// ClientTimeout is how long the embed script waits for each file of the
	// client (the WebAssembly above all) before it gives up and says so;
	// DefaultClientTimeout when zero.
	ClientTimeout time.Duration
}

// DefaultClientTimeout lets the WebAssembly arrive over a slow 2G link
// (about 40 s for 1.2 MB at 256 kbit/s) and still ends a stalled download.
const DefaultClientTimeout = 90 * time.Second

const receiptPath = "/receipts"

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
	s := &Server{
		mux:      http.NewServeMux(),
		log:      opts.Log,
		portals:  map[string]*consent.Portal{},
		order:    opts.Portals,
		defaultP: opts.Portals[0],
		assets:   map[string]*asset{},
		configs:  map[string]string{},
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
		s.receiptPath = strings.TrimPrefix(receiptPath, "/")
	}
	s.clientTimeout = cmp.Or(opts.ClientTimeout, DefaultClientTimeout)
	if err := s.buildEmbed(opts.Files); err != nil {
		return nil, err
	}
	s.routes()
	if opts.Receipts != nil {
		rate := opts.ReceiptRate
		if rate == 0 {
			rate = 10
		}
		h := &receiptHandler{store: opts.Receipts, portals: s.portals,
			origins: portalOrigins(opts.Portals, opts.ReceiptOrigins), limiter: newLimiter(rate, int(2*rate)),
			trustedProxies: opts.TrustedProxies, log: s.log}
		s.mux.Handle("POST "+receiptPath, h)
		s.mux.Handle("OPTIONS "+receiptPath, h)
	}
	return s, nil
}

func (s *Server) addAsset(a *asset) string {
	s.assets[a.name] = a
	return "assets/" + a.name
}

func (s *Server) loadAssets(files fs.FS) error {
	built := func(name string) ([]byte, error) {
		b, err := fs.ReadFile(files, "dist/"+name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("web/dist/%s is missing: %w", name, ErrNotBuilt)
		}
		return b, err
	}
	wasm, err := built("consent.wasm")
	if err != nil {
		return err
	}
	br, err := built("consent.wasm.br")
	if err != nil {
		return err
	}
	gz, err := built("consent.wasm.gz")
	if err != nil {
		return err
	}
	s.wasmPath = s.addAsset(newAsset(hashedName("consent.wasm", wasm), "application/wasm", immutable, wasm, br, gz))
	for name, path := range map[string]*string{
		"wasm_exec.js": &s.execPath,
		"loader.js":    &s.loaderPath,
		"banner.css":   &s.bannerCSSPath,
		"consent.css":  &s.cssPath,
	} {
		data, err := built(name)
		if err != nil {
			return err
		}
		contentType := "text/css; charset=utf-8"
		if strings.HasSuffix(name, ".js") {
			contentType = "text/javascript; charset=utf-8"
		}
		*path = s.addAsset(newAsset(hashedName(name, data), contentType, immutable, data, nil, nil))
	}
	demo, err := built("demo.css")
	if err != nil {
		return err
	}
	sum := sha256.Sum256(demo)
	s.demoCSS, s.demoCSSHash = string(demo), "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'"
	for _, p := range s.order {
		data, err := json.Marshal(p)
		if err != nil {
			return err
		}
		s.configs[p.ID] = s.addAsset(newAsset(hashedName("config-"+p.ID+".json", data), "application/json", immutable, data, nil, nil))
	}
	return nil
}

// embedPortal is what embed.js knows of a portal: enough to paint its
// banner in each language and to tell whether a stored choice still holds.
type embedPortal struct {
	Revision  int      `json:"revision"`
	Languages []string `json:"languages"`
	Required  []string `json:"required"`
	// Optional lists the purposes, as the cookie names them: categories,
	// or "category/service".
	Optional []string `json:"optional"`
	// Exempt lists the optional categories on before any choice (exempt
	// audience measurement).
	Exempt      []string          `json:"exempt"`
	ConsentDays int               `json:"consentDays"`
	RefusalDays int               `json:"refusalDays"`
	Config      string            `json:"config"`
	CharterHref string            `json:"charterHref"`
	HTML        map[string]string `json:"html"`
	// ConsentMode maps each Consent Mode signal the portal sends to the
	// categories that grant it (empty: always denied).
	ConsentMode map[string][]string `json:"consentMode,omitempty"`
	// GPC is true when the portal honours Global Privacy Control.
	GPC bool `json:"gpc"`
	// Trackers and Honour are the portal's Opendatasoft settings: which
	// purpose each platform key stands for, and whether a consent given on
	// the platform's own banner is honoured.
	Trackers map[string]string `json:"trackers"`
	Honour   bool              `json:"honour,omitempty"`
}

// buildEmbed prepares embed.js, which carries the banner of every portal,
// and embed.js?portal=<id>, which carries only that portal's: lighter for a
// host that serves many portals.
func (s *Server) buildEmbed(files fs.FS) error {
	src, err := fs.ReadFile(files, "dist/embed.js")
	if err != nil {
		return fmt.Errorf("web/dist/embed.js: %w", ErrNotBuilt)
	}
	bannerCSS, err := fs.ReadFile(files, "dist/banner.css")
	if err != nil {
		return fmt.Errorf("web/dist/banner.css: %w", ErrNotBuilt)
	}
	const placeholder = "__CONSENT_MANIFEST__"
	if bytes.Count(src, []byte(placeholder)) != 1 {
		return fmt.Errorf("web/dist/embed.js must name %s once, where the host puts the manifest", placeholder)
	}
	// Each portal is pre-rendered once; embed.js carries them all, and
	// embed.js?portal=<id> the one.
	portals := map[string]*embedPortal{}
	for _, p := range s.order {
		portals[p.ID] = s.embedPortal(p)
	}
	build := func(defaultPortal string, portals map[string]*embedPortal) (*asset, error) {
		// The banner's styles travel inside embed.js, to paint without
		// another request; the dialog's and the charter's (consent.css) are
		// fetched with the WebAssembly, which is what shows them.
		manifest := embedManifest{
			DefaultPortal: defaultPortal,
			WASM:          s.wasmPath,
			Exec:          s.execPath,
			Loader:        s.loaderPath,
			BannerCSS:     string(bannerCSS),
			CSS:           s.cssPath,
			Receipts:      s.receiptPath,
			Timeout:       s.clientTimeout.Milliseconds(),
			Portals:       portals,
			PlatformKeys:  consent.PlatformKeys,
			PlatformDays:  consent.PlatformChoiceDays,
		}
		// The manifest is a script's literal, never inside HTML: <, > and &
		// stay as they are (as \u003c they would cost six bytes each).
		var data bytes.Buffer
		enc := json.NewEncoder(&data)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(manifest); err != nil {
			return nil, err
		}
		js := bytes.Replace(src, []byte(placeholder), bytes.TrimSuffix(data.Bytes(), []byte("\n")), 1)
		return newAsset("embed.js", "text/javascript; charset=utf-8", shortLived, js, nil, nil), nil
	}
	if s.embedJS, err = build(s.defaultP.ID, portals); err != nil {
		return err
	}
	s.portalEmbedJS = map[string]*asset{}
	for id, ep := range portals {
		if s.portalEmbedJS[id], err = build(id, map[string]*embedPortal{id: ep}); err != nil {
			return err
		}
	}
	return nil
}

// embedManifest is what the host tells embed.js, in place of
// __CONSENT_MANIFEST__.
type embedManifest struct {
	DefaultPortal string                  `json:"defaultPortal"`
	WASM          string                  `json:"wasm"`
	Exec          string                  `json:"exec"`
	Loader        string                  `json:"loader"`
	BannerCSS     string                  `json:"bannerCSS"`
	CSS           string                  `json:"css"`
	Receipts      string                  `json:"receipts,omitempty"`
	Timeout       int64                   `json:"timeout"`
	Portals       map[string]*embedPortal `json:"portals"`
	// PlatformKeys and PlatformDays are what the page needs to read the
	// cookie as Go does (consent.PlatformKeys, consent.PlatformChoiceDays).
	PlatformKeys []string `json:"platformKeys"`
	PlatformDays int      `json:"platformDays"`
}

// embedPortal describes p for embed.js, its banner pre-rendered in each of
// its languages.
func (s *Server) embedPortal(p *consent.Portal) *embedPortal {
	ep := &embedPortal{
		Revision:    p.Revision,
		Languages:   p.Languages,
		ConsentDays: p.Lifetime.ConsentDays,
		RefusalDays: p.Lifetime.RefusalDays,
		Config:      s.configs[p.ID],
		CharterHref: p.CharterHref(charterPath(p)),
		HTML:        map[string]string{},
		GPC:         !p.IgnoreGlobalPrivacyControl,
		Exempt:      []string{},
		Trackers:    map[string]string{},
		Honour:      p.Opendatasoft.HonourEarlierConsent,
	}
	maps.Copy(ep.Trackers, p.Opendatasoft.Trackers)
	for _, c := range p.Categories {
		if c.Required {
			ep.Required = append(ep.Required, c.ID)
		}
		if c.Exempt != nil {
			ep.Exempt = append(ep.Exempt, c.ID)
		}
	}
	for _, pu := range p.Purposes() {
		ep.Optional = append(ep.Optional, pu.Key)
	}
	for _, signal := range p.ConsentModeDefault() {
		if ep.ConsentMode == nil {
			ep.ConsentMode = map[string][]string{}
		}
		ep.ConsentMode[signal] = append([]string{}, p.ConsentMode[signal]...)
	}
	for _, lang := range p.Languages {
		ep.HTML[lang] = app.PrerenderRoot(&app.Root{Portal: p, Lang: lang, CharterHref: ep.CharterHref})
	}
	return ep
}

// charterPath and demoPath are relative to the host's root, as every path
// the host names: the embed script resolves them against its own address,
// the pages against theirs (pageData.Root), so that the host also works
// behind a reverse proxy that mounts it under a path of the portal's site.
func charterPath(p *consent.Portal) string { return "portails/" + p.ID + "/charte" }

func demoPath(p *consent.Portal) string { return "portails/" + p.ID + "/" }

func (s *Server) routes() {
	s.mux.HandleFunc("GET /embed.js", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("portal")
		if id == "" {
			s.embedJS.ServeHTTP(w, r)
			return
		}
		a, ok := s.portalEmbedJS[id]
		if !ok {
			allowCrossOrigin(w.Header())
			http.Error(w, fmt.Sprintf("unknown portal %q: this host serves %s", id, strings.Join(s.portalIDs(), ", ")), http.StatusNotFound)
			return
		}
		a.ServeHTTP(w, r)
	})
	s.mux.HandleFunc("GET /assets/{name}", func(w http.ResponseWriter, r *http.Request) {
		a, ok := s.assets[r.PathValue("name")]
		if !ok {
			// Readable from a portal's page too, so that the embed script
			// can say "HTTP 404" (an old embed.js naming a replaced file).
			w.Header().Set("Access-Control-Allow-Origin", "*")
			http.NotFound(w, r)
			return
		}
		a.ServeHTTP(w, r)
	})
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { s.demo(w, r, s.defaultP) })
	s.mux.HandleFunc("GET /charte", func(w http.ResponseWriter, r *http.Request) { s.charter(w, r, s.defaultP) })
	s.mux.HandleFunc("GET /portails/{id}/{$}", s.withPortal(s.demo))
	s.mux.HandleFunc("GET /portails/{id}/charte", s.withPortal(s.charter))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
}

func (s *Server) withPortal(page func(http.ResponseWriter, *http.Request, *consent.Portal)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.portals[r.PathValue("id")]
		if !ok {
			http.Error(w, "unknown portal", http.StatusNotFound)
			return
		}
		page(w, r, p)
	}
}

// ServeHTTP logs each request and serves it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(rec, r)
	s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// pageLanguage picks the language of the host's pages: ?lang= when it names
// one of the portal's languages, else the portal's default. Like a portal's
// own pages, they declare it in <html lang>, which the banner then follows.
func pageLanguage(r *http.Request, p *consent.Portal) string {
	return p.PickLanguage(r.URL.Query().Get("lang"))
}

type pageData struct {
	Portal    *consent.Portal
	Lang      string
	Name      string
	Texts     *consent.Texts
	BannerCSS string
	CSS       string
	// DemoCSS is the pages' own stylesheet, inlined: one request less
	// before the page (and the banner on it) can paint. The CSP allows it
	// by its hash.
	DemoCSS   template.CSS
	Charter   template.HTML
	CharterOf string
	DemoOf    string
	Other     string
	// Root leads from the page to the host's root ("./", "../../"): the
	// paths the page names are relative to it.
	Root string
}

func (s *Server) render(w http.ResponseWriter, name string, data pageData) {
	var b bytes.Buffer
	if err := s.pages.ExecuteTemplate(&b, name, data); err != nil {
		s.log.Error("rendering page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' "+s.demoCSSHash+"; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
	w.Write(b.Bytes())
}

func (s *Server) newPageData(r *http.Request, p *consent.Portal) pageData {
	lang := pageLanguage(r, p)
	other := ""
	for _, l := range p.Languages {
		if l != lang {
			other = l
			break
		}
	}
	root := strings.Repeat("../", strings.Count(r.URL.Path, "/")-1)
	if root == "" {
		root = "./"
	}
	return pageData{Portal: p, Lang: lang, Name: p.Name.In(lang), Texts: p.Texts[lang], BannerCSS: root + s.bannerCSSPath, CSS: root + s.cssPath,
		DemoCSS: template.CSS(s.demoCSS), CharterOf: root + charterPath(p), DemoOf: root + demoPath(p), Other: other, Root: root}
}

func (s *Server) demo(w http.ResponseWriter, r *http.Request, p *consent.Portal) {
	s.render(w, "demo.html", s.newPageData(r, p))
}

// charter serves the charter page, readable without JavaScript: the charter
// is rendered here, with the choice the request's cookie holds.
func (s *Server) charter(w http.ResponseWriter, r *http.Request, p *consent.Portal) {
	data := s.newPageData(r, p)
	var stored *consent.Choice
	if c, err := consent.StoredChoice(r.Header.Get("Cookie"), p, time.Now()); err == nil {
		stored = &c
	}
	data.Charter = template.HTML(app.PrerenderCharter(p, data.Lang, stored))
	s.render(w, "charter.html", data)
}

// portalIDs lists the portals the host serves, in the configuration's order.
func (s *Server) portalIDs() []string {
	ids := make([]string, len(s.order))
	for i, p := range s.order {
		ids[i] = p.ID
	}
	return ids
}
