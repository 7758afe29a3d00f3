package server

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/opendata-consent/consent/receipts"
)

// healthz tells a supervisor the host is up: it answers as long as the
// process serves.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	probeHeaders(w.Header())
	w.Write([]byte("ok\n"))
}

// readyz tells a load balancer whether to send the host requests: not
// while the receipts it is given cannot be written, which /healthz does not
// see.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	probeHeaders(w.Header())
	if s.receipts != nil {
		if since := s.receipts.writes.failingSince(r.Context()); !since.IsZero() {
			// The store's error stays in the log: it may name the
			// database's address or a file's path.
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("receipts cannot be written since " + since.UTC().Format(time.RFC3339) + ": the host's log says why\n"))
			return
		}
	}
	w.Write([]byte("ok\n"))
}

// probeHeaders are those of /healthz and /readyz: plain text, never kept
// by a cache between the probe and the host.
func probeHeaders(h http.Header) {
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
}

// writeHealth follows whether receipts are being written. Once a write
// fails, /readyz reports it until a receipt is written again, or until a
// trial write (rolled back) succeeds: a load balancer that took the host out
// of service sends it no receipt to prove it well again.
type writeHealth struct {
	store *receipts.Store
	log   *slog.Logger

	mu sync.Mutex
	// failing is when writes began to fail; zero while they work.
	failing time.Time
	// probing is held by the one trial write at a time: /readyz asked
	// meanwhile reports what is known.
	probing sync.Mutex
}

func (wh *writeHealth) failed(now time.Time) {
	wh.mu.Lock()
	defer wh.mu.Unlock()
	if wh.failing.IsZero() {
		wh.failing = now
	}
}

func (wh *writeHealth) succeeded() {
	wh.mu.Lock()
	defer wh.mu.Unlock()
	if !wh.failing.IsZero() {
		wh.log.Info("receipts are written again", "failing_since", wh.failing)
		wh.failing = time.Time{}
	}
}

// failingSince returns when writes began to fail, zero when they work; if
// they fail, it tries a write first.
func (wh *writeHealth) failingSince(ctx context.Context) time.Time {
	wh.mu.Lock()
	since := wh.failing
	wh.mu.Unlock()
	if since.IsZero() || !wh.probing.TryLock() {
		return since
	}
	defer wh.probing.Unlock()
	ctx, cancel := context.WithTimeout(ctx, recordTimeout)
	defer cancel()
	if err := wh.store.CheckWritable(ctx); err != nil {
		wh.log.Error("receipts still cannot be written", "err", err)
		return since
	}
	wh.succeeded()
	return time.Time{}
}
