package server_test

import (
	"database/sql"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/opendata-consent/consent/server"
)

// scrape asks srv's metrics handler for its metrics, as Prometheus does,
// and returns each series (name and labels, as the text format writes
// them) with its value.
func scrape(t *testing.T, srv *httptest.Server) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.Config.Handler.(*server.Server).Metrics().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics: status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	series := map[string]float64{}
	for line := range strings.Lines(rec.Body.String()) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if i < 0 || err != nil {
			t.Fatalf("/metrics: a line not in the text format: %q", line)
		}
		series[line[:i]] = v
	}
	return series
}

// expect checks the value of each series named in want.
func expect(t *testing.T, got map[string]float64, want map[string]float64) {
	t.Helper()
	for name, v := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("no series %s in the metrics", name)
		} else if g != v {
			t.Errorf("%s = %v, want %v", name, g, v)
		}
	}
}

// After a few requests, the metrics count them by route and status, the
// receipts stored and refused, the live charters rendered and those the
// cache served, and say the store is ready and which version serves;
// never a path a client chose.
func TestMetricsShowWhatTheHostServed(t *testing.T) {
	srv, _, pau := newHostWithOptions(t, server.Options{Version: "v1.2.3-test"})
	if status, msg, _ := post(t, srv.URL, pauOrigin, receiptBody(t, pau, nil)); status != http.StatusNoContent {
		t.Fatalf("a receipt: %d %q", status, msg)
	}
	if status, _, _ := post(t, srv.URL, "https://evil.example", receiptBody(t, pau, nil)); status != http.StatusForbidden {
		t.Fatalf("a receipt from another origin: %d, want 403", status)
	}
	live := srv.URL + "/portails/pau/charte/live"
	for range 2 {
		if res, _ := postForm(t, live, "lang=fr&tz=60&cookie="); res.StatusCode != http.StatusOK {
			t.Fatalf("a live charter: %d", res.StatusCode)
		}
	}
	if res, _ := postForm(t, srv.URL+"/portails/nowhere/charte/live", "tz=0"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("an unknown portal's live charter: %d, want 404", res.StatusCode)
	}
	if res, _ := get(t, srv.URL+"/no/such/path"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("/no/such/path: %d, want 404", res.StatusCode)
	}

	got := scrape(t, srv)
	expect(t, got, map[string]float64{
		`consent_host_http_requests_total{code="204",route="POST /receipts"}`:                       1,
		`consent_host_http_requests_total{code="403",route="POST /receipts"}`:                       1,
		`consent_host_http_requests_total{code="200",route="POST /portails/{id}/charte/live"}`:      2,
		`consent_host_http_requests_total{code="404",route="POST /portails/{id}/charte/live"}`:      1,
		`consent_host_http_requests_total{code="404",route="unmatched"}`:                            1,
		`consent_host_http_request_duration_seconds_count{route="POST /receipts"}`:                  2,
		`consent_host_http_request_duration_seconds_count{route="POST /portails/{id}/charte/live"}`: 3,
		`consent_host_receipts_stored_total`:                                                        1,
		`consent_host_receipts_refused_total{reason="origin"}`:                                      1,
		`consent_host_receipts_refused_total{reason="rate"}`:                                        0,
		`consent_host_receipts_refused_total{reason="store_error"}`:                                 0,
		`consent_host_live_charter_renders_total`:                                                   1,
		`consent_host_live_charter_cache_hits_total`:                                                1,
		`consent_host_receipt_store_ready`:                                                          1,
		`consent_host_rate_limited_total{limiter="receipts"}`:                                       0,
		`consent_host_build_info{go_version="` + runtime.Version() + `",version="v1.2.3-test"}`:     1,
	})
	for _, name := range []string{"go_goroutines", "process_start_time_seconds"} {
		if _, ok := got[name]; !ok {
			t.Errorf("no %s: the Go and process collectors are missing", name)
		}
	}
	for name := range got {
		if strings.Contains(name, "/no/such/path") || strings.Contains(name, "nowhere") {
			t.Errorf("a series names the path a client asked for: %s", name)
		}
	}
}

// The metrics are for the monitoring: the host's public handler does not
// serve them.
func TestThePublicHandlerDoesNotServeMetrics(t *testing.T) {
	srv, _, _ := newHostWithOptions(t, server.Options{})
	res, body := get(t, srv.URL+"/metrics")
	if res.StatusCode != http.StatusNotFound || strings.Contains(body, "consent_host_") {
		t.Errorf("/metrics on the public handler: %d %.100q, want a 404", res.StatusCode, body)
	}
}

// The readiness gauge says what /readyz says, as soon as a write fails and
// again once writes work, and store errors are counted as refusals.
func TestStoreReadinessGaugeFollowsTheStore(t *testing.T) {
	db := filepath.Join(t.TempDir(), "receipts.db")
	srv, _, pau := newHostAt(t, db, server.Options{ReceiptRate: 1000})
	direct, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	if _, err := direct.Exec("CREATE TRIGGER refuse_writes BEFORE INSERT ON receipts BEGIN SELECT RAISE(ABORT, 'attempt to write a readonly database'); END"); err != nil {
		t.Fatal(err)
	}
	if status, msg, _ := post(t, srv.URL, pauOrigin, receiptBody(t, pau, nil)); status != http.StatusInternalServerError {
		t.Fatalf("a receipt the store refuses: %d %q", status, msg)
	}
	expect(t, scrape(t, srv), map[string]float64{
		`consent_host_receipt_store_ready`:                          0,
		`consent_host_receipts_refused_total{reason="store_error"}`: 1,
		`consent_host_receipts_stored_total`:                        0,
	})
	if _, err := direct.Exec("DROP TRIGGER refuse_writes"); err != nil {
		t.Fatal(err)
	}
	if status, msg, _ := post(t, srv.URL, pauOrigin, receiptBody(t, pau, nil)); status != http.StatusNoContent {
		t.Fatalf("a receipt once the store writes again: %d %q", status, msg)
	}
	expect(t, scrape(t, srv), map[string]float64{
		`consent_host_receipt_store_ready`:   1,
		`consent_host_receipts_stored_total`: 1,
	})
}

// Each rate limit's refusals are counted under its own name, one for each
// 429 a client got.
func TestRateLimitRefusalsAreCountedByLimiter(t *testing.T) {
	srv, _, pau, _ := newConsoleHost(t, server.Options{ReceiptRate: 1, AdminToken: adminToken,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	receiptsLimited := 0
	for range 6 {
		if status, _, _ := post(t, srv.URL, pauOrigin, receiptBody(t, pau, nil)); status == http.StatusTooManyRequests {
			receiptsLimited++
		}
	}
	chartersLimited := 0
	for range 40 {
		res, _ := postForm(t, srv.URL+"/portails/pau/charte/live", "lang=fr&tz=60&cookie=", "X-Forwarded-For", "203.0.113.7")
		if res.StatusCode == http.StatusTooManyRequests {
			chartersLimited++
		}
	}
	consoleLimited := 0
	for range 8 {
		form := url.Values{"token": {"not-the-token-at-all"}}.Encode()
		res, _ := send(t, "POST", srv.URL+"/console/stats?lang=en", form, "Content-Type", "application/x-www-form-urlencoded", "Origin", srv.URL)
		if res.StatusCode == http.StatusTooManyRequests {
			consoleLimited++
		}
	}
	if receiptsLimited == 0 || chartersLimited == 0 || consoleLimited == 0 {
		t.Fatalf("refused: %d receipts, %d live charters, %d console logins; want some of each", receiptsLimited, chartersLimited, consoleLimited)
	}
	expect(t, scrape(t, srv), map[string]float64{
		`consent_host_rate_limited_total{limiter="receipts"}`:     float64(receiptsLimited),
		`consent_host_receipts_refused_total{reason="rate"}`:      float64(receiptsLimited),
		`consent_host_rate_limited_total{limiter="live_charter"}`: float64(chartersLimited),
		`consent_host_rate_limited_total{limiter="console"}`:      float64(consoleLimited),
	})
}
