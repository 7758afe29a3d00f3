package server

import (
	"bytes"
	"crypto/sha256"
	"html/template"
	"net/http"
	"strconv"
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
	Portal *consent.Portal
	Lang   string
	Name   string
	Texts  *consent.Texts
	// DemoCSS is the pages' own stylesheet, inlined: one request less
	// before the page (and the banner on it) can paint. The CSP allows it
	// by its hash.
	DemoCSS template.CSS
	// CharterCSS is the charter's stylesheet (consent.css), inlined in the
	// charter page as DemoCSS is, for its first paint: the charter is in
	// the page's HTML, and a <link> to the file held that paint back by a
	// round trip (Lighthouse's render-blocking resources, 150 to 300 ms
	// on its phone). Loading it without blocking would paint the charter
	// unstyled, then move it: a flash and a layout shift. Inlined, it
	// costs about 2 KB of the compressed page. The banner's stylesheet
	// is not the first paint's: the banner is not in the page's HTML, and
	// embed.js applies banner.css before it paints it, as on any portal.
	CharterCSS template.CSS
	Charter    template.HTML
	CharterOf  string
	DemoOf     string
	Other      string
	// Root leads from the page to the host's root ("./", "../../"): the
	// paths the page names are relative to it.
	Root string
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, data pageData) {
	s.writePage(w, r, http.StatusOK, name, data, pageHeaders{cache: "no-cache", referrer: "strict-origin-when-cross-origin", policy: s.pagePolicy})
}

// hostPagePolicy is the demo and charter pages' Content-Security-Policy,
// which allows their inline stylesheets by styleHashes. worker-src blob:
// the portal's loader compiles Go's start in a worker of its own on the
// charter page (web/loader.js), as on any portal.
func hostPagePolicy(styleHashes ...string) string {
	return "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src blob:; style-src 'self' " + strings.Join(styleHashes, " ") +
		"; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
}

// pageHeaders are the headers in which the host's pages differ: the demo's
// may be cached and name their origin to the portals they link to; the
// console's are private.
type pageHeaders struct{ cache, referrer, policy string }

// writePage executes the template name with data and sends it with
// status, or a 500 when it fails, before anything is sent. It is
// compressed when r accepts it: a page of 3 to 17 KB is a quarter to a
// half of that. No page puts a secret beside text the
// request chose, which compression would let another site guess at
// (BREACH): a charter page's consent id is the cookie's, and the
// statistics' login form, which keeps the request's query, shows nothing
// else.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, status int, name string, data any, ph pageHeaders) {
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
	h.Add("Vary", "Accept-Encoding")
	page := b.Bytes()
	// A header that refuses every coding gets the page as it is, as the
	// live charter does.
	if coding, _ := negotiateEncoding(strings.Join(r.Header.Values("Accept-Encoding"), ",")); coding == "br" || coding == "gzip" {
		h.Set("Content-Encoding", coding)
		page = s.compressPage(coding, page)
	}
	h.Set("Content-Length", strconv.Itoa(len(page)))
	w.WriteHeader(status)
	w.Write(page)
}

// compressedPagesCached is how many compressed pages are kept, a few KB
// each: the demo page and a first visit's charter page are the same bytes
// for every visitor of a portal and language; a returning visitor's
// charter page names their consent id, and is theirs alone.
const compressedPagesCached = 1024

// compressPage returns page compressed in coding, kept by the hash of its
// bytes, so that a page is compressed once however many visitors get it:
// hashing the charter page takes about 10 µs, compressing it 1.5 to 2 ms
// (brotli, on a 2-core test machine), rendering it 0.25 ms. The key is
// what is sent, so a page changed in any way is compressed anew.
func (s *Server) compressPage(coding string, page []byte) []byte {
	sum := sha256.Sum256(page)
	key := coding + " " + string(sum[:])
	if compressed, ok := s.compressedPages.get(key); ok {
		return compressed
	}
	compressed := compress(coding, page)
	s.compressedPages.put(key, compressed)
	return compressed
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
	return pageData{Portal: p, Lang: lang, Name: p.Name.In(lang), Texts: p.Texts[lang], DemoCSS: template.CSS(s.demoCSS),
		CharterOf: root + charterPath(p), DemoOf: root + demoPath(p), Other: other, Root: root}
}

func (s *Server) demo(w http.ResponseWriter, r *http.Request, p *consent.Portal) {
	s.render(w, r, "demo.html", s.newPageData(r, p))
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
	data.CharterCSS = template.CSS(s.charterCSS)
	s.render(w, r, "charter.html", data)
}
