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
// (fetch with keepalive, a text/plain body holding JSON: a request without
// a preflight).
type receiptHandler struct {
	store   *receipts.Store
	portals map[string]*consent.Portal
	origins map[string]bool
	limiter *limiter
	// budget bounds the receipts the whole host writes in an hour, and so
	// the store's growth, whatever the number of clients.
	budget *hourlyBudget
	// trustedProxies: see clientAddress.
	trustedProxies []netip.Prefix
	// health tells /readyz whether receipts are being written.
	health *storeHealth
	// refusedOrigins logs an origin refused once an hour.
	refusedOrigins *onceEvery
	log            *slog.Logger
	metrics        *metrics
}

// DefaultReceiptsPerHour bounds the receipts a host writes in an hour: ten
// a second all hour long, far above a portal's visitors, and about 3 MB of
// store an hour at most.
const DefaultReceiptsPerHour = 36000

func newReceiptHandler(opts Options, portals map[string]*consent.Portal, m *metrics) *receiptHandler {
	rate := cmp.Or(opts.ReceiptRate, 10)
	return &receiptHandler{store: opts.Receipts, portals: portals,
		origins: portalOrigins(opts.Portals, opts.ReceiptOrigins), limiter: newLimiter(rate, int(2*rate)),
		budget:         &hourlyBudget{limit: cmp.Or(opts.ReceiptsPerHour, DefaultReceiptsPerHour), log: opts.Log},
		trustedProxies: opts.TrustedProxies, health: newStoreHealth(opts.Receipts, opts.Log, m.storeReady),
		refusedOrigins: newOnceEvery(time.Hour), log: opts.Log, metrics: m}
}

func (h *receiptHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	// The answer is readable by the page that posted, even a refusal: its
	// console then says why, and the page does not send it again.
	if origin != "" {
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Add("Vary", "Origin")
	}
	switch {
	case origin == "":
		// Browsers send Origin with every POST: a request without one is
		// not a portal's page.
		h.refused(refusedOrigin)
		http.Error(w, "a receipt is posted by a portal's page: the request has no Origin header", http.StatusForbidden)
		return
	case !h.origins[origin] && !sameOrigin(r, origin):
		if h.refusedOrigins.first(origin, time.Now()) {
			h.log.Warn("receipts: an origin that is not a portal's posts receipts: add it to the portal's address or -origins if it is one (logged once an hour per origin)", "origin", origin)
		}
		h.refused(refusedOrigin)
		http.Error(w, "origin "+origin+" not allowed: add the portal's address to its configuration, or the origin to the host's -origins", http.StatusForbidden)
		return
	}
	if r.Method == http.MethodOptions {
		w.Header().Set("Access-Control-Allow-Methods", "POST")
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
		w.Header().Set("Access-Control-Max-Age", "86400")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	tooBig := func() {
		h.refused(refusedTooBig)
		http.Error(w, "receipt over "+strconv.Itoa(maxReceiptBytes)+" bytes", http.StatusRequestEntityTooLarge)
	}
	// A body announced too big is refused before a byte of it is read.
	if r.ContentLength > maxReceiptBytes {
		tooBig()
		return
	}
	if !h.limiter.allow(clientAddress(r, h.trustedProxies), time.Now()) {
		h.refused(refusedRate)
		h.metrics.rateLimited.WithLabelValues(limiterReceipts).Inc()
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
		h.refused(refusedInvalid)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	case err != nil:
		// The body could not be read (the client went away, or was too
		// slow): the error names the connection's addresses, which the
		// answer does not repeat.
		h.log.Debug("reading a receipt", "err", err)
		h.refused(refusedInvalid)
		http.Error(w, "could not read the receipt", http.StatusBadRequest)
		return
	}
	if wait, ok := h.budget.take(time.Now()); !ok {
		h.refused(refusedBudget)
		// A 503: the page keeps the receipt and sends it again later.
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		http.Error(w, "this host has taken all the receipts it takes in an hour: sent again later", http.StatusServiceUnavailable)
		return
	}
	// The receipt is written even if the client goes away meanwhile: the
	// page that posted it may be gone, the choice it reports is not.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), recordTimeout)
	defer cancel()
	err = h.store.Record(ctx, rec)
	switch {
	case errors.Is(err, receipts.ErrConflict):
		h.health.wrote(ctx, nil)
		h.refused(refusedConflict)
		http.Error(w, "consentId: another receipt is kept under this consent id, with other choices, portal, revision or date", http.StatusConflict)
	case err != nil:
		h.log.Debug("recording a receipt", "consent_id", rec.ConsentID, "err", err)
		// Nothing was written: the page's retries of a receipt the store
		// failed do not spend the hour's budget.
		h.budget.refund()
		h.health.wrote(ctx, err)
		h.refused(refusedStoreError)
		http.Error(w, "could not record the receipt", http.StatusInternalServerError)
	default:
		h.health.wrote(ctx, nil)
		h.metrics.receiptsStored.Inc()
		w.WriteHeader(http.StatusNoContent)
	}
}

// refused counts a receipt refused for reason, one of receiptRefusals.
func (h *receiptHandler) refused(reason string) {
	h.metrics.receiptsRefused.WithLabelValues(reason).Inc()
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

// sameOrigin tells whether origin, a request's Origin header, is the
// host's own.
func sameOrigin(r *http.Request, origin string) bool {
	return origin == "http://"+r.Host || origin == "https://"+r.Host
}

// hourlyBudget bounds how many receipts the host writes in an hour: once
// they are taken, receipts wait for the next hour (503, sent again by the
// page), and the hour's refusals are logged once, with the first
// receipt of the next hour.
type hourlyBudget struct {
	limit int
	log   *slog.Logger

	mu      sync.Mutex
	start   time.Time
	taken   int
	refused int
}

// take takes one receipt of the hour's budget; when none is left, it tells
// how long until the next hour.
func (b *hourlyBudget) take(now time.Time) (time.Duration, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Sub(b.start) >= time.Hour {
		if b.refused > 0 {
			b.log.Warn("receipts: the host-wide budget refused receipts in the last hour (-receipts-per-hour)", "refused", b.refused, "taken", b.taken, "hour_from", b.start)
		}
		b.start, b.taken, b.refused = now, 0, 0
	}
	if b.taken >= b.limit {
		if b.refused++; b.refused == 1 {
			b.log.Warn("receipts: the host-wide budget is spent: receipts are refused until the hour ends (-receipts-per-hour)", "limit", b.limit, "until", b.start.Add(time.Hour))
		}
		return b.start.Add(time.Hour).Sub(now), false
	}
	b.taken++
	return 0, true
}

// refund gives back a receipt taken but not written.
func (b *hourlyBudget) refund() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.taken = max(0, b.taken-1)
}

// onceEvery tells whether a key (an origin, an address) is seen for the
// first time in a period: for a log line once a period rather than once a
// request. It keeps at most maxClients keys, forgetting them all when full.
type onceEvery struct {
	period time.Duration
	mu     sync.Mutex
	seen   map[string]time.Time
}

func newOnceEvery(period time.Duration) *onceEvery {
	return &onceEvery{period: period, seen: map[string]time.Time{}}
}

func (o *onceEvery) first(key string, now time.Time) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if at, ok := o.seen[key]; ok && now.Sub(at) < o.period {
		return false
	}
	if len(o.seen) >= maxClients {
		clear(o.seen)
	}
	o.seen[key] = now
	return true
}
