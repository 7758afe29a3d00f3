package server_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/receipts"
	"github.com/opendata-consent/consent/server"
	"github.com/opendata-consent/consent/web"
)

const adminToken = "c0ns0le-t0ken-f0r-the-tests"

// newConsoleHost is newHostWithOptions, and returns the host's log.
func newConsoleHost(t *testing.T, opts server.Options) (*httptest.Server, *receipts.Store, *consent.Portal, *bytes.Buffer) {
	t.Helper()
	var log bytes.Buffer
	opts.Log = slog.New(slog.NewTextHandler(&log, nil))
	srv, store, p := newHostWithOptions(t, opts)
	return srv, store, p, &log
}

// record stores n receipts of the choice accepted, decided at.
func record(t *testing.T, s *receipts.Store, p *consent.Portal, at time.Time, n int, accepted map[string]bool) {
	t.Helper()
	for range n {
		c := consent.NewChoice(p, accepted, at)
		r := receipts.Receipt{ConsentID: c.ID, Portal: p.ID, Revision: c.Revision, Choices: c.Accepted, Answer: p.AnswerOf(c.Accepted), DecidedAt: at, ReceivedAt: at}
		if err := s.Record(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
}

// login posts token to the statistics' form and returns the response.
func login(t *testing.T, srv *httptest.Server, token string) (*http.Response, string) {
	t.Helper()
	form := url.Values{"token": {token}, "query": {"by=week"}}.Encode()
	return send(t, "POST", srv.URL+"/console/stats?lang=en", form, "Content-Type", "application/x-www-form-urlencoded", "Origin", srv.URL)
}

// Without -admin-token-file, the statistics say how to enable them and
// show nothing else; neither page nor CSV gives a figure.
func TestStatisticsAreDisabledWithoutAToken(t *testing.T) {
	srv, store, p, _ := newConsoleHost(t, server.Options{})
	record(t, store, p, time.Now().Add(-time.Hour), 7, consent.AcceptAll(p, time.Now()).Accepted)
	res, body := get(t, srv.URL+"/console/stats?lang=en")
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "start the host with -admin-token-file admin-token") {
		t.Errorf("statistics without a token: status %d, body %.300q", res.StatusCode, body)
	}
	if strings.Contains(body, "<table") || strings.Contains(body, "<svg") || strings.Contains(body, "<form") {
		t.Errorf("the disabled page shows figures or a form: %.500q", body)
	}
	if res, _ := get(t, srv.URL+"/console/stats.csv", "Authorization", "Bearer "+adminToken); res.StatusCode != http.StatusForbidden {
		t.Errorf("the CSV without a token on the host: status %d", res.StatusCode)
	}
	// The configurator needs no token: it reads only the configurations
	// every portal page already gets.
	if res, body := get(t, srv.URL+"/console/"); res.StatusCode != http.StatusOK || !strings.Contains(body, `id="console-boot"`) {
		t.Errorf("the configurator: status %d", res.StatusCode)
	}
}

// A wrong token is refused, logged without itself, and after 5 the
// address must wait, even with the right one; the right token opens a
// session cookie that scripts cannot read and other sites cannot send.
func TestStatisticsNeedTheAdminToken(t *testing.T) {
	srv, store, p, log := newConsoleHost(t, server.Options{AdminToken: adminToken})
	record(t, store, p, time.Now().Add(-time.Hour), 7, consent.AcceptAll(p, time.Now()).Accepted)

	res, body := get(t, srv.URL+"/console/stats?lang=en")
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `name="token"`) || strings.Contains(body, "<table") {
		t.Errorf("statistics without the token: status %d, body %.300q", res.StatusCode, body)
	}
	if res, body := login(t, srv, "not-the-token-at-all"); res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "This is not the token.") {
		t.Errorf("a wrong token: status %d, body %.300q", res.StatusCode, body)
	}
	if !strings.Contains(log.String(), "admin token refused") || strings.Contains(log.String(), "not-the-token-at-all") {
		t.Errorf("the log of a wrong token: %q", log.String())
	}
	if res, _ := get(t, srv.URL+"/console/stats.csv", "Authorization", "Bearer also-wrong-token"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the CSV with a wrong bearer token: status %d", res.StatusCode)
	}
	if res, _ := send(t, "POST", srv.URL+"/console/stats", "token="+adminToken, "Content-Type", "application/x-www-form-urlencoded", "Origin", "https://elsewhere.example"); res.StatusCode != http.StatusForbidden {
		t.Errorf("the login form posted from another site: status %d", res.StatusCode)
	}

	res, _ = login(t, srv, adminToken)
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "consent_console" {
			session = c
		}
	}
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console/stats?by=week" || session == nil ||
		!session.HttpOnly || session.SameSite != http.SameSiteStrictMode || session.Path != "/console/" || strings.Contains(session.Value, adminToken) {
		t.Fatalf("the right token: status %d, location %q, cookie %+v", res.StatusCode, res.Header.Get("Location"), session)
	}
	res, body = get(t, srv.URL+"/console/stats?lang=en", "Cookie", session.Name+"="+session.Value)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "<strong>7</strong> Choices") {
		t.Errorf("statistics with the session: status %d, body %.300q", res.StatusCode, body)
	}

	// 2 wrong tokens so far; 3 more, then the address waits.
	for range 3 {
		login(t, srv, "wrong-again-and-again")
	}
	res, body = login(t, srv, adminToken)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(body, "Too many attempts") {
		t.Errorf("the right token after 5 wrong ones: status %d, body %.300q", res.StatusCode, body)
	}
}

// The page and the CSV show what visitors chose, by the database's counts:
// shares of each answer, each purpose's acceptance; no consent id.
func TestStatisticsShowWhatVisitorsChose(t *testing.T) {
	// Pau with a video category consented to service by service.
	builtin, _ := portals.Builtin()
	p := builtin[0]
	video := p.Categories[1]
	video.ID, video.Services = "video", []consent.Service{{ID: "youtube", Name: video.Name, Description: video.Description}, {ID: "vimeo", Name: video.Name, Description: video.Description}}
	p.Categories = append(p.Categories, video)
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	srv, store, _, _ := newConsoleHost(t, server.Options{AdminToken: adminToken, Portals: []*consent.Portal{p}})
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Now().In(paris)
	yesterday := time.Date(now.Year(), now.Month(), now.Day()-1, 12, 0, 0, 0, paris)
	record(t, store, p, yesterday, 6, consent.AcceptAll(p, yesterday).Accepted)
	record(t, store, p, yesterday, 3, nil)
	record(t, store, p, yesterday.AddDate(0, 0, -4), 2, nil)
	record(t, store, p, yesterday, 1, map[string]bool{"statistics": true, "video/youtube": true})
	bearer := []string{"Authorization", "Bearer " + adminToken}

	res, body := get(t, srv.URL+"/console/stats?lang=en&portal=pau", bearer...)
	for _, want := range []string{"<strong>12</strong> Choices", "Accept all 50.0 %", "Customised 8.3 %", "Reject all 41.7 %", "<svg", `href="stats.csv?by=day&amp;portal=pau`,
		"How each choice is counted", `or by &#34;Customise&#34; saved with nothing on`} {
		if !strings.Contains(body, want) {
			t.Errorf("the statistics page lacks %q", want)
		}
	}
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'none'") || res.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("statistics page: status %d, headers %v", res.StatusCode, res.Header)
	}
	res, csv := get(t, srv.URL+"/console/stats.csv?portal=pau", bearer...)
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" || len(lines) < 2 ||
		!strings.HasPrefix(lines[0], "from,to,choices,accept_all,accept_all_percent") || !strings.Contains(lines[len(lines)-1], ",12,6,50.0,") {
		t.Errorf("CSV: status %d, type %q:\n%s", res.StatusCode, res.Header.Get("Content-Type"), csv)
	}
	all, _ := store.Between(context.Background(), time.Time{}, time.Now().Add(time.Hour))
	for _, r := range all {
		if strings.Contains(body, r.ConsentID) || strings.Contains(csv, r.ConsentID) {
			t.Fatalf("the statistics show the consent id %s", r.ConsentID)
		}
	}
	if res, body := get(t, srv.URL+"/console/stats?lang=en&since=2026-13-01", bearer...); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `role="alert"`) {
		t.Errorf("a date that is not one: status %d", res.StatusCode)
	}
	if res, _ := get(t, srv.URL+"/console/stats?portal=nowhere", bearer...); res.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown portal: status %d", res.StatusCode)
	}
}

// A host that keeps no receipts says so.
func TestStatisticsWithoutReceipts(t *testing.T) {
	list, _ := portals.Builtin()
	h, err := server.New(server.Options{Portals: list, Files: web.Files, AdminToken: adminToken, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	if res, body := get(t, srv.URL+"/console/stats?lang=en", "Authorization", "Bearer "+adminToken); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "keeps no consent receipts") {
		t.Errorf("no receipts: status %d, body %.300q", res.StatusCode, body)
	}
}

// A bar of the chart that merges days says which: 30 days of which only
// the last had choices make one bar, labelled with its first and last day.
func TestAMergedBarNamesItsDays(t *testing.T) {
	srv, store, p, _ := newConsoleHost(t, server.Options{AdminToken: adminToken})
	record(t, store, p, time.Now().Add(-time.Hour), 7, consent.AcceptAll(p, time.Now()).Accepted)
	res, _ := login(t, srv, adminToken)
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "consent_console" {
			session = c
		}
	}
	if session == nil {
		t.Fatal("no session")
	}
	_, body := get(t, srv.URL+"/console/stats", "Cookie", session.Name+"="+session.Value)
	loc, _ := time.LoadLocation("Europe/Paris")
	today := time.Now().In(loc)
	want := ">" + today.AddDate(0, 0, -29).Format("02/01") + "–" + today.Format("02/01") + "</text>"
	if !strings.Contains(body, want) {
		t.Errorf("the chart's one bar is not labelled %q", want)
	}
}

// The configurator's page shows the configurator before its WebAssembly
// runs, its controls disabled and saying it loads (a click is never
// taken and lost), and tells it the host's portals' names, which a new
// configuration's texts must not carry.
func TestConfiguratorPageIsDrawnBeforeGoRuns(t *testing.T) {
	srv, _, _, _ := newConsoleHost(t, server.Options{})
	res, body := get(t, srv.URL+"/console/?lang=fr")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{`disabled id="open-host-button"`, `disabled id="new-config"`, `accept="application/json,.json" disabled id="open-file"`, `id="console-loading"`, "Chargement…", `"identity":["Open Data Pau","Pau Open Data","opendata.pau.fr"]`, `"dark":"../assets/preview-dark.`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
}
