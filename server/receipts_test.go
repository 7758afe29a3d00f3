package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/receipts"
	"github.com/opendata-consent/consent/server"
	"github.com/opendata-consent/consent/web"
)

func newHostWithReceipts(t *testing.T, rate float64) (*httptest.Server, *receipts.Store, *consent.Portal) {
	t.Helper()
	return newHostWithOptions(t, server.Options{ReceiptRate: rate})
}

// newHostWithOptions serves the built-in portals with receipts kept in a
// fresh SQLite file, and opts' other settings.
func newHostWithOptions(t *testing.T, opts server.Options) (*httptest.Server, *receipts.Store, *consent.Portal) {
	t.Helper()
	return newHostAt(t, filepath.Join(t.TempDir(), "receipts.db"), opts)
}

// newHostAt is newHostWithOptions with the receipts in the SQLite file db;
// opts.Portals, when nil, are the built-in ones, and opts.Log, when nil,
// discards what the host logs.
func newHostAt(t *testing.T, db string, opts server.Options) (*httptest.Server, *receipts.Store, *consent.Portal) {
	t.Helper()
	if opts.Portals == nil {
		var err error
		if opts.Portals, err = portals.Builtin(); err != nil {
			t.Fatal(err)
		}
	}
	store, err := receipts.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	opts.Files, opts.Receipts = web.Files, store
	if opts.Log == nil {
		// The errors the tests cause on purpose stay out of their output.
		opts.Log = slog.New(slog.DiscardHandler)
	}
	h, err := server.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, store, opts.Portals[0]
}

// pauOrigin is the origin of the built-in default portal's pages.
const pauOrigin = "https://opendata.pau.fr"

func post(t *testing.T, url, origin, body string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/receipts", strings.NewReader(body))
	req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	msg, _ := io.ReadAll(res.Body)
	return res.StatusCode, strings.TrimSpace(string(msg)), res.Header
}

func receiptBody(t *testing.T, p *consent.Portal, edit func(m map[string]any)) string {
	t.Helper()
	c := consent.NewChoice(p, map[string]bool{"statistics": true}, time.Now())
	data, _ := json.Marshal(consent.NewReceiptRequest(p, c))
	var m map[string]any
	json.Unmarshal(data, &m)
	if edit != nil {
		edit(m)
	}
	out, _ := json.Marshal(m)
	return string(out)
}

func TestReceiptIsRecordedFromThePortalsOrigin(t *testing.T) {
	srv, store, pau := newHostWithReceipts(t, 0)
	body := receiptBody(t, pau, nil)
	status, msg, h := post(t, srv.URL, "https://opendata.pau.fr", body)
	if status != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != "https://opendata.pau.fr" {
		t.Fatalf("status %d %q, CORS %q", status, msg, h.Get("Access-Control-Allow-Origin"))
	}
	var sent consent.ReceiptRequest
	json.Unmarshal([]byte(body), &sent)
	got, err := store.ByID(context.Background(), sent.ConsentID)
	if err != nil || len(got) != 1 || !got[0].Choices["statistics"] || got[0].Revision != pau.Revision {
		t.Fatalf("stored %+v, %v", got, err)
	}
	if status, _, _ := post(t, srv.URL, "https://evil.example", receiptBody(t, pau, nil)); status != http.StatusForbidden {
		t.Errorf("a receipt from another origin: %d, want 403", status)
	}
}

func TestBadReceiptsAreRefusedWithAReason(t *testing.T) {
	srv, store, pau := newHostWithReceipts(t, 1000)
	many := map[string]any{}
	for i := range 40 {
		many[fmt.Sprint("c", i)] = true
	}
	for name, c := range map[string]struct {
		body   string
		status int
		reason string
	}{
		"unknown field":  {receiptBody(t, pau, func(m map[string]any) { m["ip"] = "1.2.3.4" }), 400, `unknown field "ip"`},
		"wrong type":     {receiptBody(t, pau, func(m map[string]any) { m["revision"] = "1" }), 400, "revision: expected int, got a JSON string"},
		"wrong choice":   {receiptBody(t, pau, func(m map[string]any) { m["choices"] = map[string]any{"statistics": "yes"} }), 400, "choices: expected bool, got a JSON string"},
		"oversized map":  {receiptBody(t, pau, func(m map[string]any) { m["choices"] = many }), 400, "choices: 40 entries, the portal has 1 purposes"},
		"other revision": {receiptBody(t, pau, func(m map[string]any) { m["revision"] = 9 }), 400, "revision: 9, the configuration is at revision 1"},
		"unknown portal": {receiptBody(t, pau, func(m map[string]any) { m["portal"] = "lyon" }), 400, `portal: unknown portal "lyon"`},
		"bad consent id": {receiptBody(t, pau, func(m map[string]any) { m["consentId"] = "<script>" }), 400, "consentId:"},
		"future date":    {receiptBody(t, pau, func(m map[string]any) { m["decidedAt"] = "2099-01-01T00:00:00Z" }), 400, "decidedAt: 2099-01-01T00:00:00Z is ahead of the host's clock"},
		"two objects":    {receiptBody(t, pau, nil) + "{}", 400, "one JSON object only"},
		"not JSON":       {"consent=yes", 400, "not JSON"},
		"over the limit": {`{"consentId":"` + strings.Repeat("a", 5000) + `"}`, 413, "receipt over 4096 bytes"},
	} {
		status, msg, _ := post(t, srv.URL, pauOrigin, c.body)
		if status != c.status || !strings.Contains(msg, c.reason) {
			t.Errorf("%s: %d %q, want %d with %q", name, status, msg, c.status, c.reason)
		}
	}
	if n, _ := store.Count(context.Background()); n != 0 {
		t.Errorf("%d bad receipts were recorded", n)
	}
}

// postForwarded posts n receipts as a proxy would, with X-Forwarded-For
// set to forwarded, and returns how many were refused with 429.
func postForwarded(t *testing.T, url, forwarded, body string, n int) (limited int) {
	t.Helper()
	for range n {
		req, _ := http.NewRequest("POST", url+"/receipts", strings.NewReader(body))
		req.Header.Set("X-Forwarded-For", forwarded)
		req.Header.Set("Origin", pauOrigin)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	return limited
}

func TestForwardedAddressesAreIgnoredUnlessTheProxyIsTrusted(t *testing.T) {
	srv, _, pau := newHostWithReceipts(t, 5)
	body := receiptBody(t, pau, nil)
	limited := 0
	for i := range 30 {
		// A client inventing a new address for each receipt.
		limited += postForwarded(t, srv.URL, fmt.Sprintf("198.51.100.%d", i), body, 1)
	}
	if limited < 15 {
		t.Errorf("only %d of 30 receipts refused: a forged X-Forwarded-For escaped the limit", limited)
	}
}

func TestBehindATrustedProxyEachClientHasItsOwnLimit(t *testing.T) {
	proxies, err := server.ParseTrustedProxies("127.0.0.1, ::1")
	if err != nil {
		t.Fatal(err)
	}
	srv, _, pau := newHostWithOptions(t, server.Options{ReceiptRate: 5, TrustedProxies: proxies})
	body := receiptBody(t, pau, nil)
	if limited := postForwarded(t, srv.URL, "203.0.113.7", body, 30); limited < 15 {
		t.Fatalf("only %d of 30 receipts from one client refused at once", limited)
	}
	if limited := postForwarded(t, srv.URL, "192.0.2.44", body, 5); limited != 0 {
		t.Errorf("another client behind the same proxy was refused %d times: the limit counted the proxy", limited)
	}
	// What the client writes left of the address the proxy saw is not believed.
	if limited := postForwarded(t, srv.URL, "192.0.2.200, 203.0.113.7", body, 1); limited != 1 {
		t.Error("a client escaped its limit by prepending an address to X-Forwarded-For")
	}
}

func TestTrustedProxiesMustBeAddressesOrNetworks(t *testing.T) {
	if got, err := server.ParseTrustedProxies(" 10.0.0.0/8 ,192.0.2.10,, 2001:db8::/32"); err != nil || len(got) != 3 {
		t.Errorf("valid list: %v, %v", got, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "load-balancer.internal", "10.0.0.1:8080"} {
		_, err := server.ParseTrustedProxies("10.0.0.1," + bad)
		if err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%q: error %v, want one naming it", bad, err)
		}
	}
}

func TestReceiptsAreRateLimitedPerAddress(t *testing.T) {
	srv, _, pau := newHostWithReceipts(t, 5)
	var limited int
	for range 30 {
		if status, _, h := post(t, srv.URL, pauOrigin, receiptBody(t, pau, nil)); status == http.StatusTooManyRequests {
			limited++
			if h.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		}
	}
	// A burst of twice the rate passes, the rest of 30 at once does not.
	if limited < 15 || limited > 21 {
		t.Errorf("%d of 30 receipts refused at once, want about 20 (rate 5/s, burst 10)", limited)
	}
}

// A receipt sent again is accepted (a page's request may leave twice); another
// receipt under the same consent id is refused with 409, and the first
// stays as it was.
func TestAReusedConsentIDIsAConflict(t *testing.T) {
	srv, store, pau := newHostWithReceipts(t, 0)
	body := receiptBody(t, pau, nil)
	for range 2 {
		if status, msg, _ := post(t, srv.URL, pauOrigin, body); status != http.StatusNoContent {
			t.Fatalf("the receipt, sent once or twice: %d %q", status, msg)
		}
	}
	var sent consent.ReceiptRequest
	json.Unmarshal([]byte(body), &sent)
	for name, edit := range map[string]func(m map[string]any){
		"other choices": func(m map[string]any) { m["choices"] = map[string]any{"statistics": false} },
		"other date":    func(m map[string]any) { m["decidedAt"] = time.Now().Add(-time.Hour).UTC().Format(time.RFC3339) },
	} {
		other := receiptBody(t, pau, func(m map[string]any) { m["consentId"] = sent.ConsentID; edit(m) })
		if status, msg, _ := post(t, srv.URL, pauOrigin, other); status != http.StatusConflict || !strings.Contains(msg, "another receipt is kept under this consent id") {
			t.Errorf("%s under the same consent id: %d %q, want 409", name, status, msg)
		}
	}
	got, err := store.ByID(context.Background(), sent.ConsentID)
	if n, _ := store.Count(context.Background()); err != nil || n != 1 || len(got) != 1 || !got[0].Choices["statistics"] {
		t.Errorf("kept %d receipts, %+v (%v); want the first alone", n, got, err)
	}
}

// A body announced over the limit is refused at once, without waiting for
// it (the client here never sends it).
func TestAHugeBodyIsRefusedBeforeItIsRead(t *testing.T) {
	srv, _, _ := newHostWithReceipts(t, 0)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "POST /receipts HTTP/1.1\r\nHost: x\r\nOrigin: %s\r\nContent-Type: text/plain\r\nContent-Length: 1000000000000\r\n\r\n", pauOrigin)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer before the body: %v", err)
	}
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a body of 1 TB announced: %d, want 413", res.StatusCode)
	}
}

// What the host answers to a bad request quotes a few dozen bytes of it at
// most, and never the addresses of the connection.
func TestErrorsQuoteLittleOfTheRequest(t *testing.T) {
	srv, _, pau := newHostWithReceipts(t, 1000)
	long := strings.Repeat("x", 3000)
	for name, body := range map[string]string{
		"unknown field": receiptBody(t, pau, func(m map[string]any) { m[long] = 1 }),
		"choices":       receiptBody(t, pau, func(m map[string]any) { m["choices"] = map[string]any{long: true} }),
		"portal":        receiptBody(t, pau, func(m map[string]any) { m["portal"] = long }),
	} {
		if status, msg, _ := post(t, srv.URL, pauOrigin, body); status != http.StatusBadRequest || len(msg) > 200 {
			t.Errorf("%s: %d, %d bytes: %.300q", name, status, len(msg), msg)
		}
	}
	if res, msg := get(t, srv.URL+"/embed.js?portal="+long); res.StatusCode != http.StatusNotFound || len(msg) > 200 {
		t.Errorf("embed.js of an unknown portal: %d, %d bytes: %.300q", res.StatusCode, len(msg), msg)
	}
	// A body that breaks off: the error reading it names the connection.
	list, _ := portals.Builtin()
	store, err := receipts.Open(context.Background(), filepath.Join(t.TempDir(), "receipts.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	h, err := server.New(server.Options{Portals: list, Files: web.Files, Receipts: store})
	if err != nil {
		t.Fatal(err)
	}
	broken := &net.OpError{Op: "read", Net: "tcp", Source: &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 8080},
		Addr: &net.TCPAddr{IP: net.IPv4(198, 51, 100, 7), Port: 51234}, Err: errors.New("i/o timeout")}
	req := httptest.NewRequest("POST", "/receipts", io.MultiReader(strings.NewReader(`{"consentId":`), errReader{broken}))
	req.Header.Set("Origin", pauOrigin)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || strings.Contains(rec.Body.String(), "198.51.100.7") || strings.Contains(rec.Body.String(), "192.0.2.1") {
		t.Errorf("a body that broke off: %d %q", rec.Code, rec.Body)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// A receipt comes from a portal's page, which browsers make say its
// Origin: one without is refused, and one from an origin that is not a
// portal's is refused in a way the page can read (its console says why,
// and it does not send it again), logged once an hour per origin.
func TestReceiptsWithoutAPortalsOriginAreRefusedReadably(t *testing.T) {
	log := &syncBuffer{}
	srv, store, pau := newHostWithOptions(t, server.Options{ReceiptRate: 1000, Log: slog.New(slog.NewTextHandler(log, nil))})
	if status, msg, _ := post(t, srv.URL, "", receiptBody(t, pau, nil)); status != http.StatusForbidden || !strings.Contains(msg, "no Origin header") {
		t.Errorf("a receipt without Origin: %d %q, want 403 with the reason", status, msg)
	}
	for range 5 {
		status, msg, h := post(t, srv.URL, "https://staging.pau.example", receiptBody(t, pau, nil))
		if status != http.StatusForbidden || h.Get("Access-Control-Allow-Origin") != "https://staging.pau.example" || !strings.Contains(msg, "add the portal's address") {
			t.Errorf("a receipt from an origin not configured: %d %q, CORS %q", status, msg, h.Get("Access-Control-Allow-Origin"))
		}
	}
	if n := logCount(log, "origin=https://staging.pau.example"); n != 1 {
		t.Errorf("5 receipts from an unknown origin logged %d times, want once (at WARN, without -v):\n%s", n, log.String())
	}
	if n, _ := store.Count(context.Background()); n != 0 {
		t.Errorf("%d refused receipts were recorded", n)
	}
}

// A receipt's date is one a stored choice can have now: not ahead of the
// host's clock by more than a few minutes, not older than such a choice is
// kept (a receipt the page kept and sends again included), not before the
// portal's revision took effect.
func TestReceiptsDatedOutsideTheChoicesLifeAreRefused(t *testing.T) {
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	list[0].RevisedAt = time.Now().AddDate(0, 0, -30).Format(time.DateOnly)
	srv, _, pau := newHostWithOptions(t, server.Options{ReceiptRate: 1000, Portals: list})
	dated := func(d time.Duration) string {
		return receiptBody(t, pau, func(m map[string]any) { m["decidedAt"] = time.Now().Add(d).UTC().Format(time.RFC3339) })
	}
	day := 24 * time.Hour
	for name, c := range map[string]struct {
		body   string
		status int
		reason string
	}{
		"half an hour ahead":          {dated(30 * time.Minute), 204, ""},
		"two hours ahead":             {dated(2 * time.Hour), 400, "ahead of the host's clock"},
		"sent again after 20 days":    {dated(-20 * day), 204, ""},
		"before the revision":         {dated(-40 * day), 400, "before revision 1 took effect"},
		"older than a choice is kept": {dated(-394 * day), 400, "older than such a choice is kept on this portal (182 days)"},
	} {
		status, msg, _ := post(t, srv.URL, pauOrigin, c.body)
		if status != c.status || !strings.Contains(msg, c.reason) {
			t.Errorf("%s: %d %q, want %d with %q", name, status, msg, c.status, c.reason)
		}
	}
}

// The host writes at most ReceiptsPerHour receipts an hour, all clients
// together: past it, receipts are answered 503 with when to come back (the
// page keeps them and sends them again), and the log says so once.
func TestAHostWideBudgetBoundsTheReceiptsAnHour(t *testing.T) {
	log := &syncBuffer{}
	srv, store, pau := newHostWithOptions(t, server.Options{ReceiptRate: 1000, ReceiptsPerHour: 3, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
		Log: slog.New(slog.NewTextHandler(log, nil))})
	for i := range 10 {
		// Ten clients, each well within its own rate.
		req, _ := http.NewRequest("POST", srv.URL+"/receipts", strings.NewReader(receiptBody(t, pau, nil)))
		req.Header.Set("Origin", pauOrigin)
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		want := http.StatusNoContent
		if i >= 3 {
			want = http.StatusServiceUnavailable
		}
		if retry, _ := strconv.Atoi(res.Header.Get("Retry-After")); res.StatusCode != want || (want == 503 && (retry < 1 || retry > 3600)) {
			t.Errorf("receipt %d: %d, Retry-After %q; want %d", i, res.StatusCode, res.Header.Get("Retry-After"), want)
		}
	}
	if n, _ := store.Count(context.Background()); n != 3 {
		t.Errorf("%d receipts kept, want the budget's 3", n)
	}
	if n := logCount(log, "host-wide budget is spent"); n != 1 {
		t.Errorf("7 receipts over the budget logged %d times, want once", n)
	}
}
