package server_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/server"
	"github.com/opendata-consent/consent/web"
)

// A server made to replace another (a configuration reloaded) serves the
// new texts, still serves the hashed files the old one named (a page
// loaded before the reload asks for them), and carries on the old one's
// limits: a client refused before the reload is refused after it.
func TestAReloadedServerKeepsWhatPagesAndLimitsNeed(t *testing.T) {
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	first, err := server.New(server.Options{Portals: list, Files: web.Files})
	if err != nil {
		t.Fatal(err)
	}
	var current atomic.Pointer[server.Server]
	current.Store(first)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { current.Load().ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	loaderOf := func() string {
		_, embed := get(t, srv.URL+"/embed.js")
		return regexp.MustCompile(`assets/loader-pau\.[0-9a-f]{12}\.js`).FindString(embed)
	}
	oldLoader := loaderOf()
	changed, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	changed[0].Texts["fr"].Preferences.Title = "Vos réglages de cookies"
	second, err := server.New(server.Options{Portals: changed, Files: web.Files, Previous: first})
	if err != nil {
		t.Fatal(err)
	}
	limited := 0
	for range 40 {
		if res, _ := postForm(t, srv.URL+"/portails/pau/charte/live", "lang=fr&tz=60&cookie="); res.StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("40 live charters at once were all served: the test limits nothing")
	}

	current.Store(second)
	if res, _ := postForm(t, srv.URL+"/portails/pau/charte/live", "lang=fr&tz=60&cookie="); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a client refused before the reload: %d after it, want 429", res.StatusCode)
	}

	newLoader := loaderOf()
	if newLoader == oldLoader || newLoader == "" {
		t.Fatalf("the loader's name did not change with its dialog: %q", newLoader)
	}
	if _, loader := get(t, srv.URL+"/"+newLoader); !strings.Contains(loader, "Vos réglages de cookies") {
		t.Error("the new loader lacks the new title")
	}
	if res, loader := get(t, srv.URL+"/"+oldLoader); res.StatusCode != http.StatusOK || strings.Contains(loader, "Vos réglages de cookies") {
		t.Errorf("the loader a page loaded before the reload names: %d", res.StatusCode)
	}
}
