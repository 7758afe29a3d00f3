package server_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/server"
)

// loginWith posts token to the statistics' form with the headers given,
// and returns the response and the session cookie it set, if any.
func loginWith(t *testing.T, srv *httptest.Server, token string, header ...string) (*http.Response, *http.Cookie) {
	t.Helper()
	form := url.Values{"token": {token}}.Encode()
	res, _ := send(t, "POST", srv.URL+"/console/stats?lang=en", form, append([]string{"Content-Type", "application/x-www-form-urlencoded", "Origin", srv.URL}, header...)...)
	for _, c := range res.Cookies() {
		if c.Name == "consent_console" && c.MaxAge > 0 {
			return res, c
		}
	}
	return res, nil
}

// statsWith asks for the statistics with a session cookie.
func statsWith(t *testing.T, srv *httptest.Server, session *http.Cookie) int {
	t.Helper()
	res, _ := get(t, srv.URL+"/console/stats?lang=en", "Cookie", session.Name+"="+session.Value)
	return res.StatusCode
}

// A session is random and held by the host, which checks its expiry and
// ends it at a logout: two logins give two sessions, a logout ends one and
// not the other, an expired one opens nothing. Its cookie is Secure when
// the console is reached over HTTPS, through a proxy that says so too.
func TestConsoleSessionsExpireAndEndAtALogout(t *testing.T) {
	db := filepath.Join(t.TempDir(), "receipts.db")
	srv, store, p := newHostAt(t, db, server.Options{AdminToken: adminToken})
	record(t, store, p, time.Now().Add(-time.Hour), 7, consent.AcceptAll(p, time.Now()).Accepted)

	_, first := loginWith(t, srv, adminToken)
	_, second := loginWith(t, srv, adminToken, "X-Forwarded-Proto", "https")
	switch {
	case first == nil || second == nil:
		t.Fatalf("logins set no session: %v %v", first, second)
	case first.Value == second.Value:
		t.Errorf("two logins gave the same session %q", first.Value)
	case first.Secure || !second.Secure:
		t.Errorf("Secure over http: %t, over https through a proxy: %t", first.Secure, second.Secure)
	case first.MaxAge != 12*3600:
		t.Errorf("a session's cookie lasts %d s, want 12 h", first.MaxAge)
	}
	if statsWith(t, srv, first) != 200 || statsWith(t, srv, second) != 200 {
		t.Fatal("the sessions open nothing")
	}
	res, _ := send(t, "POST", srv.URL+"/console/logout", "", "Cookie", first.Name+"="+first.Value, "Origin", srv.URL)
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("logout: %d, Set-Cookie %q", res.StatusCode, res.Header.Get("Set-Cookie"))
	}
	if status := statsWith(t, srv, first); status != http.StatusUnauthorized {
		t.Errorf("a session after its logout: %d, want 401", status)
	}
	if statsWith(t, srv, second) != 200 {
		t.Error("a logout ended another session")
	}
	// 12 hours later: the host, not the cookie, says the session is over.
	direct, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	if _, err := direct.Exec(`UPDATE console_sessions SET expires_at = $1`, time.Now().Add(-time.Second).Unix()); err != nil {
		t.Fatal(err)
	}
	if status := statsWith(t, srv, second); status != http.StatusUnauthorized {
		t.Errorf("an expired session: %d, want 401", status)
	}
}

// Wrong tokens lock their address out for a minute: the lock never
// refuses a session already open, and a flood of wrong tokens makes one
// log line, not one a try.
func TestTheConsoleLockSparesOpenSessionsAndTheLog(t *testing.T) {
	srv, store, p, log := newConsoleHost(t, server.Options{AdminToken: adminToken})
	record(t, store, p, time.Now().Add(-time.Hour), 7, consent.AcceptAll(p, time.Now()).Accepted)
	_, session := loginWith(t, srv, adminToken)
	if session == nil {
		t.Fatal("no session")
	}
	for range 50 {
		loginWith(t, srv, "a-wrong-token-tried-again")
	}
	if res, _ := loginWith(t, srv, adminToken); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the right token from a locked address: %d, want 429", res.StatusCode)
	}
	if status := statsWith(t, srv, session); status != http.StatusOK {
		t.Errorf("a session open before the lock: %d, want 200", status)
	}
	if n := strings.Count(log.String(), "admin token refused"); n != 1 {
		t.Errorf("51 refused tries logged %d times, want once:\n%s", n, log.String())
	}
}

// Behind a trusted proxy, an IPv6 client is locked out by its /64: the
// addresses of one subscriber's block share one count, another block has
// its own.
func TestTheConsoleLockCountsAnIPv6ClientByItsSlash64(t *testing.T) {
	srv, _, _, _ := newConsoleHost(t, server.Options{AdminToken: adminToken, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	for i := range 5 {
		loginWith(t, srv, "a-wrong-token-tried-again", "X-Forwarded-For", fmt.Sprintf("2001:db8:1:2::%x", i+1))
	}
	if res, _ := loginWith(t, srv, adminToken, "X-Forwarded-For", "2001:db8:1:2:ffff::9"); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the right token from the same /64 after 5 wrong ones from 5 of its addresses: %d, want 429", res.StatusCode)
	}
	if res, session := loginWith(t, srv, adminToken, "X-Forwarded-For", "2001:db8:1:3::1"); res.StatusCode != http.StatusSeeOther || session == nil {
		t.Errorf("the right token from another /64: %d, want a session", res.StatusCode)
	}
}
