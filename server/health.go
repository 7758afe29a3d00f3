package server

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/opendata-consent/consent/receipts"
)

// healthz tells a supervisor the host is up: it answers as long as the
// process serves.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	probeHeaders(w.Header())
	w.Write([]byte("ok\n"))
}

// readyz tells a load balancer whether to send the host requests: not
// while a receipt written now would not be kept, which /healthz does not
// see.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	probeHeaders(w.Header())
	if s.receipts != nil {
		if since, reason := s.receipts.health.state(r.Context()); !since.IsZero() {
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("receipts cannot be written since " + since.UTC().Format(time.RFC3339) + ": " + reason + "\n"))
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

// storeHealth follows whether a receipt written now would be kept. A
// failed receipt write, or a failed check (receipts.Store.Health: the
// file still there, the disk not full, a trial write committed), makes
// the store failing; only a check that passes makes it healthy again, so
// that writes that fail now and then on a nearly full disk do not flap the
// state. Each change of state is logged once.
type storeHealth struct {
	store *receipts.Store
	log   *slog.Logger
	// every is how often at most the check runs while writes work:
	// /readyz asked more often reports what the last one found. While they
	// fail, every probe checks, so that the host is back in service as
	// soon as they work.
	every time.Duration

	mu sync.Mutex
	// failing is when writes began to fail, zero while they work; reason
	// says why, for the probe.
	failing time.Time
	reason  string
	checked time.Time
	// checking is held by the one check at a time.
	checking sync.Mutex
	// ready is the consent_host_receipt_store_ready gauge: 1 while
	// failing is zero, 0 while not.
	ready prometheus.Gauge
}

// checkTimeout bounds a check: a load balancer's probe gives up after a
// few seconds, and an unreachable database is a failing store.
const checkTimeout = 3 * time.Second

func newStoreHealth(store *receipts.Store, log *slog.Logger, ready prometheus.Gauge) *storeHealth {
	return &storeHealth{store: store, log: log, every: time.Second, ready: ready}
}

// wrote takes the outcome of a receipt's write: a failure makes the store
// failing at once; a success while failing runs a check.
func (h *storeHealth) wrote(ctx context.Context, err error) {
	if err != nil {
		h.set(err)
		return
	}
	h.mu.Lock()
	failing := !h.failing.IsZero()
	h.mu.Unlock()
	if failing {
		h.check(ctx)
	}
}

// state returns when writes began to fail and why, zero while they work,
// after a check (see check).
func (h *storeHealth) state(ctx context.Context) (time.Time, string) {
	h.check(ctx)
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.failing, h.reason
}

// check runs the store's check unless one runs already, or writes work
// and the last check is less than h.every old.
func (h *storeHealth) check(ctx context.Context) {
	if !h.checking.TryLock() {
		return
	}
	defer h.checking.Unlock()
	h.mu.Lock()
	recent := h.failing.IsZero() && time.Since(h.checked) < h.every
	h.mu.Unlock()
	if recent {
		return
	}
	started := time.Now()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), checkTimeout)
	defer cancel()
	err := h.store.Health(ctx)
	h.mu.Lock()
	h.checked = time.Now()
	// A receipt that failed while the check ran says more than a check
	// that began before it.
	stale := err == nil && h.failing.After(started)
	h.mu.Unlock()
	if !stale {
		h.set(err)
	}
}

// publish sets the readiness gauge from the state held: after a reload,
// whose new gauge setter started at 1.
func (h *storeHealth) publish() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.publishLocked()
}

func (h *storeHealth) publishLocked() {
	if h.failing.IsZero() {
		h.ready.Set(1)
	} else {
		h.ready.Set(0)
	}
}

// set records the store's state, logging a change, and sets the
// readiness gauge.
func (h *storeHealth) set(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	defer h.publishLocked()
	switch {
	case err == nil && !h.failing.IsZero():
		h.log.Info("receipts are written again", "failing_since", h.failing)
		h.failing, h.reason = time.Time{}, ""
	case err != nil && h.failing.IsZero():
		h.failing, h.reason = time.Now(), receipts.FailureReason(err)
		h.log.Error("receipts cannot be written: /readyz answers 503 until a check passes", "reason", h.reason, "err", err)
	case err != nil:
		h.log.Debug("receipts still cannot be written", "err", err)
	}
}
