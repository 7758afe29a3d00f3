package server

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/opendata-consent/consent/receipts"
)

// Signing in to the console's statistics: the admin token opens a session,
// kept in the receipt store (every host on one database knows it), and a
// logout or its expiry ends it.

// consoleCookie holds a console session: a random value, which the host
// keeps only as an HMAC keyed by the admin token (sessionKey), so that the
// store opens nothing and a new token ends every session.
const consoleCookie = "consent_console"

// consoleSession is how long a console session lasts.
const consoleSession = 12 * time.Hour

// lockWindow is how long an address that gave lockAfter wrong tokens in a
// row waits before its next try: 5 at once, then one a minute.
const (
	lockWindow = time.Minute
	lockAfter  = 5
)

// consoleAccess checks who may read the statistics.
type consoleAccess struct {
	// token is empty when statistics are disabled.
	token string
	// store keeps the sessions; nil when the host keeps no receipts (and
	// so has no statistics).
	store *receipts.Store
	// failures limits wrong tokens by client address (an IPv6 client by
	// its /64): lockAfter at once, then one a lockWindow. A session
	// cookie is never refused by it.
	failures *limiter
	// refusals logs a refused address once a lockWindow, with the count
	// of the window before.
	refusals       *refusalLog
	trustedProxies []netip.Prefix
	log            *slog.Logger
	// limited counts the tries the lock refuses.
	limited prometheus.Counter
}

func newConsoleAccess(opts Options, m *metrics) *consoleAccess {
	return &consoleAccess{token: opts.AdminToken, store: opts.Receipts, failures: newLimiter(1/lockWindow.Seconds(), lockAfter),
		refusals: &refusalLog{window: lockWindow, counts: map[string]*refusalCount{}}, trustedProxies: opts.TrustedProxies, log: opts.Log,
		limited: m.rateLimited.WithLabelValues(limiterConsole)}
}

// sessionKey is what the store keeps of a session's cookie value.
func (a *consoleAccess) sessionKey(value string) string {
	mac := hmac.New(sha256.New, []byte(a.token))
	mac.Write([]byte("consent console session\x00" + value))
	return hex.EncodeToString(mac.Sum(nil))
}

// granted tells whether r carries an open session's cookie or the token
// (Authorization: Bearer, for scripts that fetch the CSV).
func (a *consoleAccess) granted(r *http.Request) bool {
	if a.token == "" || a.store == nil {
		return false
	}
	if c, err := r.Cookie(consoleCookie); err == nil {
		open, err := a.store.SessionOpen(r.Context(), a.sessionKey(c.Value), time.Now())
		if err != nil {
			a.log.Error("console: reading a session", "err", err)
		}
		if open {
			return true
		}
	}
	bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && a.check(r, bearer) == nil
}

// startSession opens a session and returns its cookie.
func (a *consoleAccess) startSession(ctx context.Context, r *http.Request) (*http.Cookie, error) {
	value := rand.Text()
	if err := a.store.StartSession(ctx, a.sessionKey(value), time.Now().Add(consoleSession)); err != nil {
		return nil, err
	}
	return a.cookie(r, value, int(consoleSession.Seconds())), nil
}

// cookie is the session cookie: for /console/ only, unreadable by scripts,
// never sent from another site, and Secure whenever the console is reached
// over HTTPS, directly or through a proxy that says so.
func (a *consoleAccess) cookie(r *http.Request, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: consoleCookie, Value: value, Path: "/console/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: overHTTPS(r)}
}

// overHTTPS tells whether the browser reached the host over HTTPS: a TLS
// connection, or a proxy's X-Forwarded-Proto or Forwarded saying so.
func overHTTPS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") ||
		strings.Contains(strings.ToLower(r.Header.Get("Forwarded")), "proto=https")
}

// errTooManyAttempts and errWrongToken are check's refusals.
var (
	errTooManyAttempts = errors.New("too many wrong tokens")
	errWrongToken      = errors.New("wrong token")
)

// check compares a token given by r's client with the admin token, in
// constant time. A wrong one counts against the client's address; from an
// address that gave lockAfter wrong ones, even the right one is refused
// until the lock window has passed, so that guessing gains nothing by
// speed. Refusals are logged once an address and window.
func (a *consoleAccess) check(r *http.Request, token string) error {
	addr := clientAddress(r, a.trustedProxies)
	now := time.Now()
	// Each try takes a token before the comparison, in one step, so that
	// tries made at once cannot all pass a check made before any counts;
	// the right token gives it back.
	err := errWrongToken
	switch {
	case !a.failures.allow(addr, now):
		err = errTooManyAttempts
		a.limited.Inc()
	case subtle.ConstantTimeCompare([]byte(token), []byte(a.token)) == 1:
		a.failures.refund(addr)
		return nil
	}
	if logNow, before := a.refusals.add(clientKey(addr), now); logNow {
		a.log.Warn("console: admin token refused (logged once a minute per address)", "addr", addr, "reason", err, "refused_in_the_minute_before", before)
	}
	return err
}

// consoleLogin takes the admin token from the login form and opens a
// session.
func (s *Server) consoleLogin(w http.ResponseWriter, r *http.Request) {
	page := statsPage{T: consoleLanguage(r), CSS: "../" + s.consoleCSSPath, Login: true}
	switch {
	case s.console.token == "":
		page.Login, page.Disabled = false, true
		s.renderConsole(w, r, http.StatusForbidden, page)
		return
	case s.store == nil:
		page.Login, page.NoStore = false, true
		s.renderConsole(w, r, http.StatusNotFound, page)
		return
	}
	if origin := r.Header.Get("Origin"); origin != "" && !sameOrigin(r, origin) {
		http.Error(w, "the console's form is posted from the console", http.StatusForbidden)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	query := r.PostFormValue("query")
	page.Query = query
	switch err := s.console.check(r, r.PostFormValue("token")); err {
	case nil:
	case errTooManyAttempts:
		w.Header().Set("Retry-After", "60")
		page.Refusal = page.T.TooMany
		s.renderConsole(w, r, http.StatusTooManyRequests, page)
		return
	default:
		page.Refusal = page.T.WrongToken
		s.renderConsole(w, r, http.StatusUnauthorized, page)
		return
	}
	cookie, err := s.console.startSession(r.Context(), r)
	if err != nil {
		s.log.Error("console: opening a session", "err", err)
		http.Error(w, "the session could not be opened: see the host's log", http.StatusInternalServerError)
		return
	}
	http.SetCookie(w, cookie)
	if _, err := url.ParseQuery(query); err != nil {
		query = ""
	}
	http.Redirect(w, r, "stats?"+query, http.StatusSeeOther)
}

// consoleLogout ends the session r carries, on every host, and clears its
// cookie.
func (s *Server) consoleLogout(w http.ResponseWriter, r *http.Request) {
	if origin := r.Header.Get("Origin"); origin != "" && !sameOrigin(r, origin) {
		http.Error(w, "the console's form is posted from the console", http.StatusForbidden)
		return
	}
	// The cookie goes whatever happens: this browser is signed out.
	http.SetCookie(w, s.console.cookie(r, "", -1))
	if c, err := r.Cookie(consoleCookie); err == nil && s.console.store != nil && s.console.token != "" {
		if err := s.console.store.EndSession(r.Context(), s.console.sessionKey(c.Value)); err != nil {
			s.log.Error("console: ending a session", "err", err)
			http.Error(w, "the session could not be ended: see the host's log", http.StatusInternalServerError)
			return
		}
	}
	http.Redirect(w, r, "stats?lang="+consoleLanguage(r).Lang, http.StatusSeeOther)
}

// refusalLog counts the refused tries of each address by window, so that
// a flood of wrong tokens makes one log line a minute per address, not one
// a try. It keeps at most maxClients addresses, forgetting them all when
// full.
type refusalLog struct {
	window time.Duration
	mu     sync.Mutex
	counts map[string]*refusalCount
}

type refusalCount struct {
	start       time.Time
	n, previous int
}

// add counts a refusal of key at now; it tells whether it is the window's
// first, to be logged, and how many the window before counted.
func (l *refusalLog) add(key string, now time.Time) (first bool, before int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.counts[key]
	if !ok {
		if len(l.counts) >= maxClients {
			clear(l.counts)
		}
		c = &refusalCount{}
		l.counts[key] = c
	}
	if now.Sub(c.start) >= l.window {
		// The window before is the one just ended; an older one counted
		// nothing since.
		c.previous = 0
		if now.Sub(c.start) < 2*l.window {
			c.previous = c.n
		}
		c.start, c.n = now, 0
		first = true
	}
	c.n++
	return first, c.previous
}
