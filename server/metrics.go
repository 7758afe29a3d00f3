package server

import (
	"net/http"
	"runtime"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are what the host counts for its operator, in a registry of the
// Server's own (several servers in one process each count their own),
// served in the Prometheus text format by Server.Metrics. Every label
// takes its values from a small fixed set: route patterns, status codes,
// refusal reasons, limiters.
type metrics struct {
	registry *prometheus.Registry
	// requests and duration are by route: the ServeMux pattern that
	// served the request ("GET /assets/{name}"), never its path.
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	// receiptsStored and receiptsRefused count the receipts posted;
	// receiptsRefused by reason (receiptRefusals).
	receiptsStored  prometheus.Counter
	receiptsRefused *prometheus.CounterVec
	// storeReady is 1 while a receipt written now would be kept, 0 while
	// not: what /readyz reports, as storeHealth holds it.
	storeReady prometheus.Gauge
	// rateLimited counts the requests a per-client limiter refused, by
	// limiter (rateLimiters).
	rateLimited *prometheus.CounterVec
	// charterRenders and charterCacheHits count the live charters rendered
	// and those served from the response cache.
	charterRenders   prometheus.Counter
	charterCacheHits prometheus.Counter
}

// unmatchedRoute is the route label of a request no pattern matched (a
// 404, a 405).
const unmatchedRoute = "unmatched"

// Reasons a receipt is refused, the values of
// consent_host_receipts_refused_total's reason label.
const (
	refusedOrigin     = "origin"      // no Origin, or not a portal's
	refusedRate       = "rate"        // the client's rate limit
	refusedBudget     = "budget"      // the host-wide budget of the hour
	refusedInvalid    = "invalid"     // not a valid receipt, or not read
	refusedTooBig     = "too_big"     // over maxReceiptBytes
	refusedConflict   = "conflict"    // another receipt under its consent id
	refusedStoreError = "store_error" // the store failed to write it
)

var receiptRefusals = []string{refusedOrigin, refusedRate, refusedBudget, refusedInvalid, refusedTooBig, refusedConflict, refusedStoreError}

// Limiters, the values of consent_host_rate_limited_total's limiter label.
const (
	limiterReceipts    = "receipts"
	limiterLiveCharter = "live_charter"
	// limiterRenders is the whole host's budget of live charters rendered.
	limiterRenders = "live_charter_renders"
	limiterConsole = "console"
)

var rateLimiters = []string{limiterReceipts, limiterLiveCharter, limiterRenders, limiterConsole}

// durationBuckets span a probe's millisecond to a download of the
// WebAssembly over a slow link (DefaultClientTimeout).
var durationBuckets = []float64{0.001, 0.005, 0.025, 0.1, 0.25, 1, 2.5, 10, 30, 90}

// newMetrics registers the host's metrics, the Go runtime's and the
// process's; version is the host's, for consent_host_build_info.
// storeReady is registered only when the host keeps receipts.
func newMetrics(version string, keepsReceipts bool) *metrics {
	if version == "" {
		version = "unknown"
	}
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "consent_host_http_requests_total",
			Help: "HTTP requests served, by route (the pattern that matched, \"unmatched\" for none) and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "consent_host_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, the response's writing included, by route.",
			Buckets: durationBuckets,
		}, []string{"route"}),
		receiptsStored: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "consent_host_receipts_stored_total",
			Help: "Consent receipts written to the store.",
		}),
		receiptsRefused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "consent_host_receipts_refused_total",
			Help: "Consent receipts refused, by reason: origin, rate, budget, invalid, too_big, conflict, store_error.",
		}, []string{"reason"}),
		storeReady: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "consent_host_receipt_store_ready",
			Help: "1 while a receipt written now would be kept, 0 while not (what /readyz reports).",
		}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "consent_host_rate_limited_total",
			Help: "Requests refused by a rate limit, by limiter: receipts, live_charter and console (admin token tries) per client, live_charter_renders for the whole host.",
		}, []string{"limiter"}),
		charterRenders: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "consent_host_live_charter_renders_total",
			Help: "Live charters rendered.",
		}),
		charterCacheHits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "consent_host_live_charter_cache_hits_total",
			Help: "Live charters served from the cache of those already rendered.",
		}),
	}
	buildInfo := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "consent_host_build_info",
		Help: "Always 1: the host's version and the Go version it was built with, as labels.",
	}, []string{"version", "go_version"})
	buildInfo.WithLabelValues(version, runtime.Version()).Set(1)
	// Every reason and limiter is there from the start, at 0, so that a
	// rate over them needs no first refusal.
	for _, reason := range receiptRefusals {
		m.receiptsRefused.WithLabelValues(reason)
	}
	for _, l := range rateLimiters {
		m.rateLimited.WithLabelValues(l)
	}
	m.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		buildInfo, m.requests, m.duration, m.rateLimited, m.charterRenders, m.charterCacheHits,
	)
	if keepsReceipts {
		m.storeReady.Set(1)
		m.registry.MustRegister(m.receiptsStored, m.receiptsRefused, m.storeReady)
	}
	return m
}

// Metrics serves the host's metrics in the Prometheus text format. The
// host's own handler does not answer /metrics: serve this one on an
// address of its own, for the monitoring only (consent-host -metrics-addr).
func (s *Server) Metrics() http.Handler {
	return promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})
}

// observe counts a request served: route is the pattern that matched.
func (m *metrics) observe(route string, status int, seconds float64) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(seconds)
}
