package server_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/server"
)

// The live charter a portal's page shows before Go: the visitor's choice
// from the cookie copies the page sends, its date in the visitor's time
// zone, working controls, readable from any portal's origin.
func TestLiveCharterShowsTheChoiceThePageSends(t *testing.T) {
	srv := newHost(t)
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	pau := list[0]
	for _, p := range list {
		if p.ID == "pau" {
			pau = p
		}
	}
	decided := time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC)
	choice := consent.NewChoice(pau, map[string]bool{"statistics": true}, decided)
	live := srv.URL + "/portails/pau/charte/live"
	form := "lang=fr&tz=60&cookie=" + url.QueryEscape("other=1; cookies_preferences=broken; cookies_preferences="+choice.Encode(pau))

	res, body := postForm(t, live, form)
	if res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, headers %v", res.StatusCode, res.Header)
	}
	for _, want := range []string{choice.ID, `data-cb-action="save"`, `data-cb-action="reject-all"`, `id="cb-charter-statistics" role="switch" type="checkbox"`, `>01/12/2026`} {
		if !strings.Contains(body, want) {
			t.Errorf("the live charter lacks %q", want)
		}
	}
	if strings.Contains(body, "disabled id=\"cb-charter-statistics\"") {
		t.Error("the statistics switch is disabled in the live charter")
	}

	for _, coding := range []string{"br", "gzip"} {
		res, compressed := postForm(t, live, form, "Accept-Encoding", coding)
		if res.Header.Get("Content-Encoding") != coding || len(compressed) >= len(body)/2 {
			t.Errorf("Accept-Encoding %s: Content-Encoding %q, %d bytes for %d", coding, res.Header.Get("Content-Encoding"), len(compressed), len(body))
		}
	}

	_, none := postForm(t, live, "lang=en&tz=0&cookie=")
	if !strings.Contains(none, pau.Texts["en"].Charter.NoChoice) {
		t.Error("without a cookie the English charter does not say that no choice was made")
	}
	for bad, status := range map[string]int{"tz=abc": 400, "tz=900": 400, "tz=0&cookie=" + strings.Repeat("x", 5000): 400, "tz=0&cookie=" + strings.Repeat("x", 9000): 413, "tz=%zz": 400} {
		if res, _ := postForm(t, live, bad); res.StatusCode != status {
			t.Errorf("%.30s: status %d, want %d", bad, res.StatusCode, status)
		}
	}
	if res, _ := postForm(t, srv.URL+"/portails/nowhere/charte/live", "tz=0"); res.StatusCode != 404 || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("unknown portal: status %d, CORS %q; want a 404 the page can read", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
}

// postForm sends form as a text/plain body, as the loader does.
func postForm(t *testing.T, url, form string, header ...string) (*http.Response, string) {
	t.Helper()
	return send(t, "POST", url, form, append([]string{"Content-Type", "text/plain;charset=UTF-8"}, header...)...)
}

// A client may ask for a few live charters a second, not a flood of them:
// the budget is its own (another client is served), and a refusal is
// readable by the page.
func TestLiveChartersHaveABudgetPerClient(t *testing.T) {
	srv, _, _ := newHostWithOptions(t, server.Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	live := srv.URL + "/portails/pau/charte/live"
	limited := 0
	for range 60 {
		res, _ := postForm(t, live, "lang=fr&tz=60&cookie=", "X-Forwarded-For", "203.0.113.7")
		if res.StatusCode == http.StatusTooManyRequests {
			limited++
			if res.Header.Get("Retry-After") == "" || res.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("a refusal without Retry-After or CORS: %v", res.Header)
			}
		}
	}
	if limited < 30 {
		t.Errorf("%d of 60 live charters asked at once by one client refused, want most", limited)
	}
	if res, _ := postForm(t, live, "lang=fr&tz=60&cookie=", "X-Forwarded-For", "198.51.100.9"); res.StatusCode != http.StatusOK {
		t.Errorf("another client meanwhile: %d, want 200", res.StatusCode)
	}
}

// Only the first consent.MaxCookieCopies copies of the consent cookie are
// read, whatever the Cookie header holds: a header of thousands of copies
// costs the host no more than one of eight.
func TestOnlyTheFirstCopiesOfTheCookieAreRead(t *testing.T) {
	srv := newHost(t)
	list, _ := portals.Builtin()
	choice := consent.NewChoice(list[0], map[string]bool{"statistics": true}, time.Now())
	header := func(broken int) string {
		return strings.Repeat("cookies_preferences=broken; ", broken) + "cookies_preferences=" + choice.Encode(list[0])
	}
	for broken, read := range map[int]bool{consent.MaxCookieCopies - 1: true, consent.MaxCookieCopies: false, 2200: false} {
		_, page := get(t, srv.URL+"/charte", "Cookie", header(broken))
		_, live := postForm(t, srv.URL+"/portails/pau/charte/live", "lang=fr&tz=60&cookie="+url.QueryEscape(header(min(broken, 100))))
		for name, body := range map[string]string{"charter page": page, "live charter": live} {
			if strings.Contains(body, choice.ID) != read {
				t.Errorf("%s, the valid copy after %d broken ones: read %t, want %t", name, broken, !read, read)
			}
		}
	}
}

// A flood of live charters from many addresses, each with a choice of its
// own (the cache cannot answer them), is bounded by the whole host's
// budget of renders: past it, 503s that cost nothing to make, while a
// charter already made is still served.
func TestLiveChartersRenderedAreBoundedHostWide(t *testing.T) {
	srv, _, _ := newHostWithOptions(t, server.Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	list, _ := portals.Builtin()
	live := srv.URL + "/portails/pau/charte/live"
	postForm(t, live, "lang=fr&tz=60&cookie=", "X-Forwarded-For", "192.0.2.1")
	served, busy := 0, 0
	for i := range 200 {
		c := consent.NewChoice(list[0], map[string]bool{"statistics": i%2 == 0}, time.Now())
		res, _ := postForm(t, live, "lang=fr&tz=60&cookie="+url.QueryEscape("cookies_preferences="+c.Encode(list[0])), "X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i))
		switch res.StatusCode {
		case http.StatusOK:
			served++
		case http.StatusServiceUnavailable:
			busy++
			if res.Header.Get("Retry-After") == "" {
				t.Errorf("a 503 without Retry-After")
			}
		default:
			t.Fatalf("live charter %d: %d", i, res.StatusCode)
		}
	}
	if busy == 0 || served < 100 {
		t.Errorf("200 charters from 200 addresses at once: %d rendered, %d refused; want the budget's burst rendered and the rest refused", served, busy)
	}
	if res, _ := postForm(t, live, "lang=fr&tz=60&cookie=", "X-Forwarded-For", "203.0.113.50"); res.StatusCode != http.StatusOK {
		t.Errorf("a charter in the cache while the budget is spent: %d, want 200", res.StatusCode)
	}
}
