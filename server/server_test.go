package server_test

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/server"
	"github.com/opendata-consent/consent/web"
)

func newHost(t *testing.T) *httptest.Server {
	t.Helper()
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(server.Options{Portals: list, Files: web.Files})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	return send(t, "GET", url, "", header...)
}

// send makes one request, header as name, value pairs, without following
// redirects, and returns the response and its body.
func send(t *testing.T, method, url, body string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	return res, string(got)
}

func TestWasmIsHashedImmutableAndCompressed(t *testing.T) {
	srv := newHost(t)
	wasm := wasmPath(t, srv)
	for _, c := range []struct{ accept, encoding string }{{"br, gzip", "br"}, {"gzip", "gzip"}, {"", ""}} {
		res, body := get(t, srv.URL+wasm, "Accept-Encoding", c.accept)
		h := res.Header
		if res.StatusCode != 200 || h.Get("Content-Type") != "application/wasm" || h.Get("Content-Encoding") != c.encoding {
			t.Errorf("Accept-Encoding %q: status %d, type %q, encoding %q", c.accept, res.StatusCode, h.Get("Content-Type"), h.Get("Content-Encoding"))
		}
		if h.Get("Cache-Control") != "public, max-age=31536000, immutable" || h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Vary") != "Accept-Encoding" {
			t.Errorf("headers %v", h)
		}
		if c.encoding == "" && !strings.HasPrefix(body, "\x00asm") {
			t.Error("identity body is not WebAssembly")
		}
	}
	res, _ := get(t, srv.URL+"/embed.js")
	if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("embed.js cached %q: it names the hashed files, it must stay short-lived", cc)
	}
}

func TestCharterPageIsReadableWithoutJavaScript(t *testing.T) {
	srv := newHost(t)
	res, page := get(t, srv.URL+"/charte")
	if res.StatusCode != 200 {
		t.Fatal(res.Status)
	}
	for _, want := range []string{"Charte cookies", "Qu&#39;est ce qu&#39;un cookie ?", "https://opendata.pau.fr",
		"<code>sessionid</code>", "<code>django_language</code>", "<code>csrftoken</code>", "<code>cookies_preferences</code>",
		"Activez JavaScript pour modifier vos choix"} {
		if !strings.Contains(page, want) {
			t.Errorf("charter page lacks %q", want)
		}
	}
	_, en := get(t, srv.URL+"/portails/aveyron/charte?lang=en")
	if !strings.Contains(en, "Cookie policy") || !strings.Contains(en, "https://data-aveyron-occitanie.opendatasoft.com") {
		t.Error("English Aveyron charter missing")
	}
}

func TestUnknownPathsAndPortals(t *testing.T) {
	srv := newHost(t)
	for _, path := range []string{"/portails/nowhere/", "/assets/consent.wasm", "/assets/../go.mod", "/web/dist/consent.wasm"} {
		if res, _ := get(t, srv.URL+path); res.StatusCode == 200 {
			t.Errorf("%s: %d", path, res.StatusCode)
		}
	}
	if res, body := get(t, srv.URL+"/healthz"); res.StatusCode != 200 || body != "ok\n" {
		t.Errorf("healthz: %d %q", res.StatusCode, body)
	}
}

// The WebAssembly client must not carry the host: its net/http handlers,
// templates and compression would weigh on every visitor.
func TestWasmClientHasNoHostCode(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "../cmd/consent-wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	deps := string(out)
	if !strings.Contains(deps, "github.com/opendata-consent/consent/app\n") {
		t.Fatalf("go list gave no dependencies of the client: %s", deps)
	}
	for _, pkg := range []string{"github.com/opendata-consent/consent/server", "github.com/andybalholm/brotli", "html/template"} {
		if strings.Contains(deps, pkg+"\n") {
			t.Errorf("the WebAssembly client links %s", pkg)
		}
	}
	// The built client, go-app's own HTTP handler left out: its function
	// table names no function of the HTTP or TLS stacks.
	wasm, err := fs.ReadFile(web.Files, "dist/consent.wasm")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(wasm, []byte("syscall/js.")) {
		t.Fatal("consent.wasm names no function at all: the check below would prove nothing")
	}
	for _, pkg := range []string{"net/http.", "crypto/tls.", "crypto/x509."} {
		if bytes.Contains(wasm, []byte(pkg)) {
			t.Errorf("web/dist/consent.wasm links %s*", pkg)
		}
	}
}

// The embed script is what a visitor waits for before the banner shows: with
// the built-in portals (two portals, two languages each, banners and their
// styles inside) it arrives in the first round trip once brotli-compressed,
// with receipts (the default) or without; the script of one portal is
// lighter still.
func TestEmbedScriptFitsItsBudget(t *testing.T) {
	// The first round trip: a server's initial congestion window is ten
	// segments (RFC 6928), 14,600 bytes, of which the response's headers
	// and TLS's records take about a kilobyte. What arrives in it costs a
	// slow phone only its transfer and its parse, not another round trip
	// before the banner paints (the banner first, not a fixed
	// 4 KB); the bench's ratios against vanilla-cookieconsent say whether
	// what it carries pays.
	const budget = 13 * 1024
	withReceipts, _, _ := newHostWithReceipts(t, 0)
	for name, srv := range map[string]*httptest.Server{"without receipts": newHost(t), "with receipts": withReceipts} {
		// embed.js carries every portal's banner; embed.js?portal=pau
		// Pau's alone, and its loader, with the dialog.
		for _, path := range []string{"/embed.js", "/embed.js?portal=pau"} {
			res, body := get(t, srv.URL+path, "Accept-Encoding", "br")
			if res.Header.Get("Content-Encoding") != "br" {
				t.Fatalf("%s not served with brotli: %v", path, res.Header)
			}
			t.Logf("%s, %s: %d bytes with brotli", path, name, len(body))
			if len(body) > budget {
				t.Errorf("%s, %s, is %d bytes with brotli, over its %d-byte budget", path, name, len(body), budget)
			}
		}
	}
}

// embed.js?portal=<id> carries that portal alone, as the default one, for
// a page without data-portal; an unknown portal gets a 404 that says which
// portals the host serves.
func TestEmbedScriptForOnePortal(t *testing.T) {
	srv := newHost(t)
	res, aveyron := get(t, srv.URL+"/embed.js?portal=aveyron")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !strings.Contains(aveyron, `"defaultPortal":"aveyron"`) || !strings.Contains(aveyron, "loader-aveyron.") || strings.Contains(aveyron, "loader-pau.") {
		t.Error("embed.js?portal=aveyron does not carry Aveyron alone")
	}
	// With its loader ahead of embed.js's own code: the dialog comes with
	// the banner (the browser tests open it).
	_, loader := get(t, srv.URL+"/"+regexp.MustCompile(`assets/loader-aveyron\.[0-9a-f]+\.js`).FindString(aveyron))
	const inlineLoader = "(self.consentBanner=self.consentBanner||{})._loader=function(){"
	if !strings.HasPrefix(aveyron, inlineLoader+loader+"\n};\n") {
		t.Error("embed.js?portal=aveyron does not begin with Aveyron's loader")
	}
	if _, all := get(t, srv.URL+"/embed.js"); strings.Contains(all, inlineLoader) {
		t.Error("embed.js, for every portal, carries a loader")
	}
	res, msg := get(t, srv.URL+"/embed.js?portal=nowhere")
	if res.StatusCode != 404 || !strings.Contains(msg, `unknown portal "nowhere": this host serves pau, aveyron`) {
		t.Errorf("unknown portal: status %d, %q", res.StatusCode, msg)
	}
}

// The banner's charter link goes to the portal's own charter page when its
// configuration names one, else to the host's charter page of the portal.
func TestBannerLinksToThePortalsCharterWhenItHasOne(t *testing.T) {
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	withPage := *list[0]
	withPage.CharterURL = "https://opendata.pau.fr/pages/charte-cookies/"
	h, err := server.New(server.Options{Portals: []*consent.Portal{&withPage, list[1]}, Files: web.Files})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	_, embed := get(t, srv.URL+"/embed.js")
	for _, want := range []string{`"charterHref":"https://opendata.pau.fr/pages/charte-cookies/"`, `"charterHref":"portails/aveyron/charte"`} {
		if !strings.Contains(embed, want) {
			t.Errorf("embed.js lacks %s", want)
		}
	}
}

// No directory listing, no way out of the embedded files, and the host's
// own pages carry their security headers.
func TestNoTraversalNoListingAndSecurityHeaders(t *testing.T) {
	srv := newHost(t)
	for _, path := range []string{"/assets/", "/assets", "/assets/..%2fgo.mod", "/assets/%2e%2e/%2e%2e/go.mod", "/../go.mod",
		"/assets/..%5cweb.go", "/dist/consent.wasm", "/pages/demo.html", "/portails/../../etc/passwd"} {
		// Followed as a browser would: net/http cleans "..", redirecting to
		// the clean path, which must not exist either.
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, res.StatusCode)
		}
		if strings.Contains(string(body), "module ") || strings.Contains(string(body), "<a href") || strings.Contains(string(body), "root:") {
			t.Errorf("GET %s leaked %.80q", path, body)
		}
	}
	for _, page := range []string{"/", "/charte", "/portails/aveyron/"} {
		res, _ := get(t, srv.URL+page)
		h := res.Header
		if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: security headers %v", page, h)
		}
	}
}

// Search crawlers get an embed script that shows nothing; caches keep a
// copy per User-Agent, so that a visitor never gets theirs.
func TestSearchCrawlersGetAnEmbedScriptThatDoesNothing(t *testing.T) {
	srv := newHost(t)
	for _, c := range []struct {
		userAgent string
		banner    bool
	}{
		{"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", false},
		{"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", false},
		{"Mozilla/5.0 (compatible; Qwantbot/1.0_CEX; +https://help.qwant.com/bot/)", false},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36", true},
	} {
		for _, path := range []string{"/embed.js", "/embed.js?portal=pau"} {
			res, body := get(t, srv.URL+path, "User-Agent", c.userAgent, "Accept-Encoding", "identity")
			vary := strings.Join(res.Header.Values("Vary"), ", ")
			if res.StatusCode != 200 || strings.Contains(body, "cb-banner") != c.banner || !strings.Contains(vary, "User-Agent") || !strings.Contains(vary, "Accept-Encoding") {
				t.Errorf("%s for %.40q: status %d, banner %v (want %v), Vary %q", path, c.userAgent, res.StatusCode, strings.Contains(body, "cb-banner"), c.banner, vary)
			}
			// A shared cache that ignores Vary must never keep the
			// crawler's script and serve it to visitors.
			if !c.banner && res.Header.Get("Cache-Control") != "private, no-store" {
				t.Errorf("%s for a crawler: Cache-Control %q, want private, no-store", path, res.Header.Get("Cache-Control"))
			}
		}
	}
}

// The integrations' code (web/integrations.js) goes only into the loader
// of a portal that declares an integration, with its declarations.
func TestOnlyPortalsWithIntegrationsGetTheirCode(t *testing.T) {
	list, err := portals.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../portals/aveyron.json")
	if err != nil {
		t.Fatal(err)
	}
	tooled, err := consent.Parse("tooled", bytes.Replace(data, []byte(`"id": "aveyron"`), []byte(`"id": "outils", "integrations": {"matomo": {"purpose": "statistics"}}`), 1))
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(server.Options{Portals: append(list, tooled), Files: web.Files})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	loader := func(id string) string {
		_, embed := get(t, srv.URL+"/embed.js?portal="+id)
		path := regexp.MustCompile(`"assets/loader-` + id + `\.[0-9a-f]{12}\.js"`).FindString(embed)
		if path == "" {
			t.Fatalf("embed.js?portal=%s names no loader", id)
		}
		_, script := get(t, srv.URL+"/"+strings.Trim(path, `"`))
		return script
	}
	if pau := loader("pau"); strings.Contains(pau, "requireCookieConsent") {
		t.Error("Pau's loader carries the integrations' code, which Pau does not declare")
	}
	if tooledLoader := loader("outils"); !strings.Contains(tooledLoader, "requireCookieConsent") || !strings.Contains(tooledLoader, `{"matomo":{"purpose":"statistics","mode":"cookies"}}`) {
		t.Error("the loader of a portal that declares Matomo lacks the integrations' code or its declaration")
	}
}

// The demo page speaks the language asked for, its own texts included, its
// search form has a button to submit it (pa11y, WCAG H32), and it names its
// icon, so that no /favicon.ico 404 shows in the console.
func TestDemoPageSpeaksTheLanguageAskedFor(t *testing.T) {
	srv := newHost(t)
	for lang, want := range map[string][]string{
		"fr": {`<html lang="fr">`, "Jeux de données populaires", "Horaires des piscines", `<button type="submit">Rechercher</button>`, `<link rel="icon" href="data:,">`},
		"en": {`<html lang="en">`, "Popular datasets", "Swimming pool hours", `<button type="submit">Search</button>`, `aria-label="Main navigation"`},
	} {
		_, body := get(t, srv.URL+"/?lang="+lang)
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("the demo page in %s lacks %q", lang, w)
			}
		}
		if lang == "en" && strings.Contains(body, "Horaires des piscines") {
			t.Error("the English demo page shows French datasets")
		}
	}
}
