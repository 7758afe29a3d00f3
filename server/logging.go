package server

import (
	"net/http"
	"time"
)

// ServeHTTP logs each request and serves it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if r.Header.Get("X-Forwarded-For") != "" && !fromTrustedProxy(r, s.trustedProxies) && s.untrustedProxies.first(peerAddress(r), start) {
		// Behind a proxy the host was not told of, every client has the
		// proxy's address: one client's refusals are everyone's.
		s.log.Warn("a request carries X-Forwarded-For from a peer -trusted-proxies does not name: if it is your proxy, name it, or every visitor shares its rate limits and the console's lock (logged once an hour per peer)", "peer", peerAddress(r))
	}
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(rec, r)
	took := time.Since(start)
	s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", took)
	s.metrics.observe(route(r), rec.status, took.Seconds())
}

// route is the pattern that served r, set by the mux, for the metrics: a
// label from the fixed set of the host's routes, never the raw path.
func route(r *http.Request) string {
	// The mux names no pattern for a 404 or a 405; for a CONNECT it may
	// name the path it redirects to, which the client chose.
	if r.Pattern == "" || r.Method == http.MethodConnect {
		return unmatchedRoute
	}
	return r.Pattern
}

// statusRecorder notes the status a handler sends, for the log and the
// metrics.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}
