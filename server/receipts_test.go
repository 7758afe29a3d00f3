package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
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
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	store, err := receipts.Open(context.Background(), filepath.Join(t.TempDir(), "receipts.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	h, err := server.New(server.Options{Portals: list, Files: web.Files, Receipts: store, ReceiptRate: rate})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, store, list[0]
}

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
		"future date":    {receiptBody(t, pau, func(m map[string]any) { m["decidedAt"] = "2099-01-01T00:00:00Z" }), 400, "decidedAt: 2099-01-01T00:00:00Z is not a date"},
		"two objects":    {receiptBody(t, pau, nil) + "{}", 400, "one JSON object only"},
		"not JSON":       {"consent=yes", 400, "not JSON"},
		"over the limit": {`{"consentId":"` + strings.Repeat("a", 5000) + `"}`, 413, "receipt over 4096 bytes"},
	} {
		status, msg, _ := post(t, srv.URL, "", c.body)
		if status != c.status || !strings.Contains(msg, c.reason) {
			t.Errorf("%s: %d %q, want %d with %q", name, status, msg, c.status, c.reason)
		}
	}
	if n, _ := store.Count(context.Background()); n != 0 {
		t.Errorf("%d bad receipts were recorded", n)
	}
}

func TestReceiptsAreRateLimitedPerAddress(t *testing.T) {
	srv, _, pau := newHostWithReceipts(t, 5)
	var limited int
	for range 30 {
		if status, _, h := post(t, srv.URL, "", receiptBody(t, pau, nil)); status == http.StatusTooManyRequests {
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
