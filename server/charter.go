package server

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/opendata-consent/consent/app"
	"github.com/opendata-consent/consent/consent"
)

// liveCharterPath is where a portal's loader asks for its live charter,
// relative to the host's root.
func liveCharterPath(p *consent.Portal) string { return "portails/" + p.ID + "/charte/live" }

// maxCookieParam bounds the cookie copies a page sends: a few copies of a
// value of about 500 bytes; maxLiveCharterBody the whole request.
const (
	maxCookieParam     = 4096
	maxLiveCharterBody = 8192
)

// liveCharter serves the charter as Go renders it in the browser, controls
// included, for the loader to put in the page's data-consent-charter element
// before the WebAssembly runs (web/loader.js). The page posts what only it
// knows, as a form in a text/plain body (a request without a preflight,
// and the visitor's consent id out of URLs and their logs): its copies of
// the cookie (cookie, as in a Cookie header), the visitor's time zone as Go
// in the browser sees it (tz, minutes east of UTC), the language, and
// saved=1 after a save from the charter.
func (s *Server) liveCharter(w http.ResponseWriter, r *http.Request, p *consent.Portal) {
	allowCrossOrigin(w.Header())
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxLiveCharterBody))
	if err != nil {
		http.Error(w, fmt.Sprintf("the request is over %d bytes", maxLiveCharterBody), http.StatusRequestEntityTooLarge)
		return
	}
	q, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "the body must be a form (lang=fr&tz=60&cookie=…)", http.StatusBadRequest)
		return
	}
	minutes, err := strconv.Atoi(q.Get("tz"))
	if err != nil || minutes < -14*60 || minutes > 14*60 {
		http.Error(w, fmt.Sprintf("tz must be the visitor's offset from UTC in minutes, from -840 to 840, not %.20q", q.Get("tz")), http.StatusBadRequest)
		return
	}
	cookie := q.Get("cookie")
	if len(cookie) > maxCookieParam {
		http.Error(w, fmt.Sprintf("cookie is over %d bytes", maxCookieParam), http.StatusBadRequest)
		return
	}
	var stored *consent.Choice
	if c, err := consent.StoredChoice(cookie, p, time.Now()); err == nil {
		stored = &c
	}
	html := app.PrerenderLiveCharter(p, p.PickLanguage(q.Get("lang")), stored, time.FixedZone("", minutes*60), q.Get("saved") == "1")
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	// It carries the visitor's consent id: no shared cache keeps it.
	h.Set("Cache-Control", "private, no-store")
	h.Set("Vary", "Accept-Encoding")
	// A charter is about 12 KB, 3 KB compressed: worth it on a phone.
	coding, _ := negotiateEncoding(strings.Join(r.Header.Values("Accept-Encoding"), ","))
	var out io.WriteCloser
	switch coding {
	case "br":
		out = brotli.NewWriterLevel(w, brotli.DefaultCompression)
	case "gzip":
		out = gzip.NewWriter(w)
	default:
		fmt.Fprint(w, html)
		return
	}
	h.Set("Content-Encoding", coding)
	fmt.Fprint(out, html)
	out.Close()
}
