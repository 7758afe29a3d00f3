package server

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/receipts"
)

// maxReceiptBytes bounds a receipt's body: a real one is about 200 bytes.
const maxReceiptBytes = 4096

// recordTimeout bounds the writing of one receipt.
const recordTimeout = 10 * time.Second

// receiptHandler records the receipts clients post after each choice
// (navigator.sendBeacon, a text/plain body holding JSON).
type receiptHandler struct {
	store   *receipts.Store
	portals map[string]*consent.Portal
	origins map[string]bool
	limiter *limiter
	// trustedProxies: see clientAddress.
	trustedProxies []netip.Prefix
	// writes tells /readyz whether receipts are being written.
	writes *writeHealth
	log    *slog.Logger
}

func newReceiptHandler(opts Options, portals map[string]*consent.Portal) *receiptHandler {
	rate := cmp.Or(opts.ReceiptRate, 10)
	return &receiptHandler{store: opts.Receipts, portals: portals,
		origins: portalOrigins(opts.Portals, opts.ReceiptOrigins), limiter: newLimiter(rate, int(2*rate)),
		trustedProxies: opts.TrustedProxies, writes: &writeHealth{store: opts.Receipts, log: opts.Log}, log: opts.Log}
}

func (h *receiptHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if origin := r.Header.Get("Origin"); origin != "" {
		if !h.origins[origin] && !sameOrigin(r, origin) {
			http.Error(w, "origin not allowed: add the portal's address to its configuration", http.StatusForbidden)
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Add("Vary", "Origin")
	}
	if r.Method == http.MethodOptions {
		w.Header().Set("Access-Control-Allow-Methods", "POST")
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
		w.Header().Set("Access-Control-Max-Age", "86400")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	tooBig := func() {
		http.Error(w, "receipt over "+strconv.Itoa(maxReceiptBytes)+" bytes", http.StatusRequestEntityTooLarge)
	}
	// A body announced too big is refused before a byte of it is read.
	if r.ContentLength > maxReceiptBytes {
		tooBig()
		return
	}
	if !h.limiter.allow(clientAddress(r, h.trustedProxies), time.Now()) {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "too many receipts from this address", http.StatusTooManyRequests)
		return
	}
	body := http.MaxBytesReader(w, r.Body, maxReceiptBytes)
	rec, err := receipts.Decode(body, func(id string) (*consent.Portal, bool) { p, ok := h.portals[id]; return p, ok }, time.Now())
	var maxBytes *http.MaxBytesError
	switch {
	case errors.As(err, &maxBytes):
		tooBig()
		return
	case errors.Is(err, receipts.ErrInvalid):
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	case err != nil:
		// The body could not be read (the client went away, or was too
		// slow): the error names the connection's addresses, which the
		// answer does not repeat.
		h.log.Debug("reading a receipt", "err", err)
		http.Error(w, "could not read the receipt", http.StatusBadRequest)
		return
	}
	// The receipt is written even if the client goes away meanwhile: a
	// beacon's page may be gone, the choice it reports is not.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), recordTimeout)
	defer cancel()
	err = h.store.Record(ctx, rec)
	switch {
	case errors.Is(err, receipts.ErrConflict):
		h.writes.succeeded()
		http.Error(w, "consentId: another receipt is kept under this consent id, with other choices, portal, revision or date", http.StatusConflict)
	case err != nil:
		h.log.Error("recording a receipt", "consent_id", rec.ConsentID, "err", err)
		h.writes.failed(time.Now())
		http.Error(w, "could not record the receipt", http.StatusInternalServerError)
	default:
		h.writes.succeeded()
		w.WriteHeader(http.StatusNoContent)
	}
}

// portalOrigins returns the origins of the portals' addresses and charter
// pages: the pages allowed to post receipts.
func portalOrigins(portals []*consent.Portal, extra []string) map[string]bool {
	origins := map[string]bool{}
	for _, o := range extra {
		origins[o] = true
	}
	for _, p := range portals {
		for _, raw := range []string{p.Address, p.CharterURL} {
			if u, err := url.Parse(raw); err == nil && u.Scheme != "" && u.Host != "" {
				origins[u.Scheme+"://"+u.Host] = true
			}
		}
	}
	return origins
}

// limiter is a token bucket per client address: perSecond receipts a
// second on average, burst at once.
type limiter struct {
	mu        sync.Mutex
	perSecond float64
	burst     float64
	buckets   map[string]*bucket
	calls     int
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(perSecond float64, burst int) *limiter {
	return &limiter{perSecond: perSecond, burst: float64(burst), buckets: map[string]*bucket{}}
}

// sameOrigin tells whether origin, a request's Origin header, is the
// host's own.
func sameOrigin(r *http.Request, origin string) bool {
	return origin == "http://"+r.Host || origin == "https://"+r.Host
}

// exhausted tells whether key has no token left, without taking one.
func (l *limiter) exhausted(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	return ok && b.tokens+now.Sub(b.last).Seconds()*l.perSecond < 1
}

func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.calls++; l.calls%4096 == 0 {
		// Forget addresses whose bucket has refilled: they are back to
		// where a new address starts.
		for k, b := range l.buckets {
			if now.Sub(b.last).Seconds()*l.perSecond >= l.burst {
				delete(l.buckets, k)
			}
		}
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.perSecond)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
