package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/opendata-consent/consent/consent"
)

// receiptPath is where clients post receipts, relative to the host's root
// as every path embed.js names.
const receiptPath = "receipts"

// routes registers every path the host answers. GET patterns answer HEAD
// too; anything else is a 404 or a 405 from the mux.
func (s *Server) routes() {
	s.mux.HandleFunc("GET /embed.js", s.serveEmbedJS)
	s.mux.HandleFunc("GET /assets/{name}", s.serveAsset)
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { s.demo(w, r, s.defaultP) })
	s.mux.HandleFunc("GET /charte", func(w http.ResponseWriter, r *http.Request) { s.charter(w, r, s.defaultP) })
	s.mux.HandleFunc("GET /portails/{id}/{$}", s.withPortal(s.demo))
	s.mux.HandleFunc("GET /portails/{id}/charte", s.withPortal(s.charter))
	s.mux.HandleFunc("POST /portails/{id}/charte/live", s.withPortal(s.liveCharter))
	s.mux.HandleFunc("GET /console/{$}", s.configurator)
	s.mux.HandleFunc("GET /console", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "console/", http.StatusMovedPermanently)
	})
	s.mux.HandleFunc("GET /console/stats", s.consoleStats)
	s.mux.HandleFunc("POST /console/stats", s.consoleLogin)
	s.mux.HandleFunc("POST /console/logout", s.consoleLogout)
	s.mux.HandleFunc("GET /console/stats.csv", s.consoleStatsCSV)
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	if s.receipts != nil {
		s.mux.Handle("POST /"+receiptPath, s.receipts)
		s.mux.Handle("OPTIONS /"+receiptPath, s.receipts)
	}
}

// serveEmbedJS serves embed.js, or embed.js?portal=<id>: one portal's; a
// search crawler gets a script that does nothing (crawlers.go).
func (s *Server) serveEmbedJS(w http.ResponseWriter, r *http.Request) {
	// Caches keep one copy per browser: a crawler's must not reach a
	// visitor.
	w.Header().Add("Vary", "User-Agent")
	if isSearchCrawler(r.UserAgent()) {
		s.crawlerEmbedJS.ServeHTTP(w, r)
		return
	}
	id := r.URL.Query().Get("portal")
	if id == "" {
		s.embedJS.ServeHTTP(w, r)
		return
	}
	a, ok := s.portalEmbedJS[id]
	if !ok {
		allowCrossOrigin(w.Header())
		http.Error(w, fmt.Sprintf("unknown portal %.40q: this host serves %s", id, strings.Join(s.portalIDs(), ", ")), http.StatusNotFound)
		return
	}
	a.ServeHTTP(w, r)
}

// serveAsset serves a hashed file: the WebAssembly, wasm_exec.js, the
// stylesheet, a configuration.
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request) {
	a, ok := s.assets[r.PathValue("name")]
	if !ok {
		// Readable from a portal's page too, so that the embed script
		// can say "HTTP 404" (an old embed.js naming a replaced file).
		w.Header().Set("Access-Control-Allow-Origin", "*")
		http.NotFound(w, r)
		return
	}
	a.ServeHTTP(w, r)
}

// withPortal serves page for the portal the path names.
func (s *Server) withPortal(page func(http.ResponseWriter, *http.Request, *consent.Portal)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.portals[r.PathValue("id")]
		if !ok {
			// Readable from a portal's page (the live charter).
			allowCrossOrigin(w.Header())
			http.Error(w, "unknown portal", http.StatusNotFound)
			return
		}
		page(w, r, p)
	}
}
