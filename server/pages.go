package server

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/opendata-consent/consent/app"
	"github.com/opendata-consent/consent/consent"
)

// charterPath and demoPath are relative to the host's root, as every path
// the host names: the embed script resolves them against its own address,
// the pages against theirs (pageData.Root), so that the host also works
// behind a reverse proxy that mounts it under a path of the portal's site.
func charterPath(p *consent.Portal) string { return "portails/" + p.ID + "/charte" }

func demoPath(p *consent.Portal) string { return "portails/" + p.ID + "/" }

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
	// worker-src blob: the portal's loader compiles Go's start in a worker
	// of its own on the charter page (web/loader.js), as on any portal.
	s.writePage(w, http.StatusOK, name, data, pageHeaders{cache: "no-cache", referrer: "strict-origin-when-cross-origin",
		policy: "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src blob:; style-src 'self' " + s.demoCSSHash + "; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"})
}

// pageHeaders are the headers in which the host's pages differ: the demo's
// may be cached and name their origin to the portals they link to; the
// console's are private.
type pageHeaders struct{ cache, referrer, policy string }

// writePage executes the template name with data and sends it with
// status, or a 500 when it fails, before anything is sent.
func (s *Server) writePage(w http.ResponseWriter, status int, name string, data any, ph pageHeaders) {
	var b bytes.Buffer
	if err := s.pages.ExecuteTemplate(&b, name, data); err != nil {
		s.log.Error("rendering page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", ph.cache)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", ph.referrer)
	h.Set("Content-Security-Policy", ph.policy)
	w.WriteHeader(status)
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
