package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
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
	live := srv.URL + "/portails/pau/charte/live?lang=fr&tz=60&cookie=" + url.QueryEscape("other=1; cookies_preferences=broken; cookies_preferences="+choice.Encode(pau))

	res, body := get(t, live)
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
		res, compressed := get(t, live, "Accept-Encoding", coding)
		if res.Header.Get("Content-Encoding") != coding || len(compressed) >= len(body)/2 {
			t.Errorf("Accept-Encoding %s: Content-Encoding %q, %d bytes for %d", coding, res.Header.Get("Content-Encoding"), len(compressed), len(body))
		}
	}

	_, none := get(t, srv.URL+"/portails/pau/charte/live?lang=en&tz=0&cookie=")
	if !strings.Contains(none, pau.Texts["en"].Charter.NoChoice) {
		t.Error("without a cookie the English charter does not say that no choice was made")
	}
	for _, bad := range []string{"tz=abc", "tz=900", "tz=0&cookie=" + strings.Repeat("x", 5000)} {
		if res, _ := get(t, srv.URL+"/portails/pau/charte/live?"+bad); res.StatusCode != 400 {
			t.Errorf("%.30s: status %d, want 400", bad, res.StatusCode)
		}
	}
}
