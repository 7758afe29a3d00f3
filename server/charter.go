package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/opendata-consent/consent/app"
	"github.com/opendata-consent/consent/consent"
)

// liveCharterPath is where a portal's loader asks for its live charter,
// relative to the host's root.
func liveCharterPath(p *consent.Portal) string { return "portails/" + p.ID + "/charte/live" }

// maxCookieParam bounds the cookie copies a page sends: a few copies of a
// value of about 500 bytes; maxLiveCharterBody the whole request.
const (
	maxCookieParam     = 4096
	maxLiveCharterBody = 8192
)

// liveCharterRate is how many live charters one client may ask for a
// second on average, bursts of four times that: a page asks for one as it
// loads and one after each save from the charter.
const liveCharterRate = 5

// rendersPerSecond bounds the live charters the whole host renders (those
// not in the cache), bursts of twice that: a few percent of a core, and
// 180,000 an hour, far above a portal's visitors; past it a flood from
// many addresses gets a 503, which costs what embed.js does.
const rendersPerSecond = 50

// hostWide is the key of a limiter that counts the whole host as one
// client.
const hostWide = "host"

// liveCharter serves the charter as Go renders it in the browser, controls
// included, for the loader to put in the page's data-consent-charter element
// before the WebAssembly runs (web/loader.js). The page posts what only it
// knows, as a form in a text/plain body (a request without a preflight,
// and the visitor's consent id out of URLs and their logs): its copies of
// the cookie (cookie, as in a Cookie header), the visitor's time zone as Go
// in the browser sees it (tz, minutes east of UTC), the language, and
// saved=1 after a save from the charter.
//
// Each client may ask for a few a second (liveCharterRate); the responses
// are kept by what they depend on (portal, language, time zone, stored
// choice, saved, coding); the host renders rendersPerSecond at most, and
// renderSlots at once.
func (s *Server) liveCharter(w http.ResponseWriter, r *http.Request, p *consent.Portal) {
	allowCrossOrigin(w.Header())
	if !s.liveCharterLimit.allow(clientAddress(r, s.trustedProxies), time.Now()) {
		s.metrics.rateLimited.WithLabelValues(limiterLiveCharter).Inc()
		w.Header().Set("Retry-After", "1")
		http.Error(w, "too many charters asked from this address", http.StatusTooManyRequests)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxLiveCharterBody))
	if err != nil {
		http.Error(w, fmt.Sprintf("the request is over %d bytes", maxLiveCharterBody), http.StatusRequestEntityTooLarge)
		return
	}
	q, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "the body must be a form (lang=fr&tz=60&cookie=…)", http.StatusBadRequest)
		return
	}
	minutes, err := strconv.Atoi(q.Get("tz"))
	if err != nil || minutes < -14*60 || minutes > 14*60 {
		http.Error(w, fmt.Sprintf("tz must be the visitor's offset from UTC in minutes, from -840 to 840, not %.20q", q.Get("tz")), http.StatusBadRequest)
		return
	}
	cookie := q.Get("cookie")
	if len(cookie) > maxCookieParam {
		http.Error(w, fmt.Sprintf("cookie is over %d bytes", maxCookieParam), http.StatusBadRequest)
		return
	}
	var stored *consent.Choice
	if c, err := consent.StoredChoice(cookie, p, time.Now()); err == nil {
		stored = &c
	}
	lang, saved := p.PickLanguage(q.Get("lang")), q.Get("saved") == "1"
	coding, _ := negotiateEncoding(strings.Join(r.Header.Values("Accept-Encoding"), ","))
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	// It carries the visitor's consent id: no shared cache keeps it.
	h.Set("Cache-Control", "private, no-store")
	h.Set("Vary", "Accept-Encoding")
	if coding != "" {
		h.Set("Content-Encoding", coding)
	}
	key := fmt.Sprintf("%s|%s|%d|%t|%s|%v", p.ID, lang, minutes, saved, coding, stored)
	body, ok := s.liveCharters.get(key)
	if ok {
		s.metrics.charterCacheHits.Inc()
	} else {
		if !s.renderBudget.allow(hostWide, time.Now()) {
			s.metrics.rateLimited.WithLabelValues(limiterRenders).Inc()
			h.Del("Content-Encoding")
			h.Set("Retry-After", "1")
			http.Error(w, "the host renders no more charters this second: the page keeps the charter it has", http.StatusServiceUnavailable)
			return
		}
		var err error
		if body, err = s.renderLiveCharter(r.Context(), p, lang, stored, minutes, saved, coding); err != nil {
			h.Del("Content-Encoding")
			h.Set("Retry-After", "1")
			http.Error(w, "the host is busy rendering charters: the page keeps the charter it has", http.StatusServiceUnavailable)
			return
		}
		s.liveCharters.put(key, body)
	}
	w.Write(body)
}

// renderLiveCharter renders a live charter and compresses it with coding
// ("" for none), waiting for one of the render slots: at most half the
// host's cores render charters at once, so that a flood of them leaves the
// rest to embed.js, the assets and the probes.
func (s *Server) renderLiveCharter(ctx context.Context, p *consent.Portal, lang string, stored *consent.Choice, minutes int, saved bool, coding string) ([]byte, error) {
	wait, cancel := context.WithTimeout(ctx, renderWait)
	defer cancel()
	select {
	case s.renderSlots <- struct{}{}:
		defer func() { <-s.renderSlots }()
	case <-wait.Done():
		return nil, wait.Err()
	}
	html := app.PrerenderLiveCharter(p, lang, stored, time.FixedZone("", minutes*60), saved)
	s.metrics.charterRenders.Inc()
	// A charter is about 12 KB, 3 KB compressed: worth it on a phone.
	return compress(coding, []byte(html)), nil
}

// renderWait is how long a live charter waits for a render slot before
// the host answers 503.
const renderWait = 2 * time.Second

// renderSlots is how many live charters are rendered at once: half the
// host's cores, one at least.
func renderSlots() int { return max(1, runtime.GOMAXPROCS(0)/2) }

// responseCache keeps responses already made, by key, up to max of them;
// when full it forgets them all, which keeps it small and simple: the
// charters visitors ask for again (the first visit's, by portal, language
// and time zone) are made again once.
type responseCache struct {
	max int
	mu  sync.Mutex
	m   map[string][]byte
}

// liveChartersCached is how many live charters are kept: about 3 KB each
// compressed, 12 KB not, so 6 to 24 MB at most.
const liveChartersCached = 2048

func newResponseCache(max int) *responseCache {
	return &responseCache{max: max, m: map[string][]byte{}}
}

func (c *responseCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[key]
	return b, ok
}

func (c *responseCache) put(key string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[key] = b
}
