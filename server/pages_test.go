package server_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/opendata-consent/consent/web"
)

// hostPages are the pages the host draws itself, on a first visit.
var hostPages = []string{"/", "/charte", "/portails/aveyron/charte?lang=en", "/console/", "/console/stats"}

// A browser that accepts brotli or gzip gets the host's pages in it, the
// same page once decoded; one that accepts neither gets them as they are.
// Caches are told the page depends on Accept-Encoding, and a HEAD request
// is answered with the headers a GET gets.
func TestHostPagesAreCompressedWhenTheBrowserAcceptsIt(t *testing.T) {
	srv := newHost(t)
	for _, page := range hostPages {
		res, plain := get(t, srv.URL+page, "Accept-Encoding", "identity")
		if res.Header.Get("Content-Encoding") != "" || res.Header.Get("Content-Length") != strconv.Itoa(len(plain)) {
			t.Errorf("%s, identity: Content-Encoding %q, Content-Length %q for %d bytes", page, res.Header.Get("Content-Encoding"), res.Header.Get("Content-Length"), len(plain))
		}
		if !strings.Contains(plain, "</html>") {
			t.Fatalf("%s is not a page: %.80q", page, plain)
		}
		for _, c := range []struct{ accept, coding string }{{"br, gzip", "br"}, {"gzip, deflate", "gzip"}, {"deflate", ""}} {
			res, body := get(t, srv.URL+page, "Accept-Encoding", c.accept)
			h := res.Header
			if h.Get("Content-Encoding") != c.coding || h.Get("Vary") != "Accept-Encoding" || h.Get("Content-Length") != strconv.Itoa(len(body)) {
				t.Errorf("%s, Accept-Encoding %q: Content-Encoding %q, Vary %q, Content-Length %q for %d bytes",
					page, c.accept, h.Get("Content-Encoding"), h.Get("Vary"), h.Get("Content-Length"), len(body))
				continue
			}
			decoded := decode(t, c.coding, body)
			if decoded != plain {
				t.Errorf("%s, Accept-Encoding %q: the page decoded differs from the page sent as it is", page, c.accept)
			}
			if c.coding != "" && len(body) >= len(plain) {
				t.Errorf("%s in %s: %d bytes of %d", page, c.coding, len(body), len(plain))
			}
			head, headBody := send(t, "HEAD", srv.URL+page, "", "Accept-Encoding", c.accept)
			if headBody != "" || head.StatusCode != res.StatusCode || head.Header.Get("Content-Encoding") != c.coding || head.Header.Get("Content-Length") != h.Get("Content-Length") {
				t.Errorf("HEAD %s, Accept-Encoding %q: %d, Content-Encoding %q, Content-Length %q, body %.40q; GET: %d, Content-Length %q",
					page, c.accept, head.StatusCode, head.Header.Get("Content-Encoding"), head.Header.Get("Content-Length"), headBody, res.StatusCode, h.Get("Content-Length"))
			}
		}
	}
}

// decode undoes coding ("" for none) as a browser does.
func decode(t *testing.T, coding, body string) string {
	t.Helper()
	var r io.Reader = strings.NewReader(body)
	switch coding {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		var err error
		if r, err = gzip.NewReader(r); err != nil {
			t.Fatal(err)
		}
	}
	decoded, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", coding, err)
	}
	return string(decoded)
}

var (
	inlineStyle   = regexp.MustCompile(`(?s)<style>(.*?)</style>`)
	linkedStyle   = regexp.MustCompile(`(?i)<link[^>]*rel="?stylesheet`)
	styleSrc      = regexp.MustCompile(`(?:^|;)\s*style-src ([^;]*)`)
	headOfThePage = regexp.MustCompile(`(?s)<head>.*</head>`)
)

// The demo and charter pages paint from their HTML alone: their
// stylesheets are inline, no <link> holds the first paint back, and the
// Content-Security-Policy allows each inline stylesheet by the hash of its
// exact bytes (a stylesheet changed without its hash would be refused, and
// the page drawn unstyled). The charter page carries the charter's
// stylesheet, the one portals' loaders carry.
func TestDemoAndCharterPagesInlineTheStylesheetsTheirPolicyAllows(t *testing.T) {
	srv := newHost(t)
	charterCSS, err := fs.ReadFile(web.Files, "dist/consent.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"/", "/charte", "/portails/aveyron/?lang=en", "/portails/aveyron/charte?lang=en"} {
		res, body := get(t, srv.URL+page)
		policy := res.Header.Get("Content-Security-Policy")
		allowed := styleSrc.FindStringSubmatch(policy)
		if allowed == nil || strings.Contains(allowed[1], "'unsafe-inline'") {
			t.Fatalf("%s: style-src of %q", page, policy)
		}
		head := headOfThePage.FindString(body)
		if link := linkedStyle.FindString(head); link != "" {
			t.Errorf("%s: its head links a stylesheet, which holds the first paint back: %s", page, link)
		}
		styles := inlineStyle.FindAllStringSubmatch(head, -1)
		if len(styles) == 0 {
			t.Errorf("%s: no inline stylesheet", page)
		}
		hasCharterCSS := false
		for _, style := range styles {
			sum := sha256.Sum256([]byte(style[1]))
			if hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(allowed[1], hash) {
				t.Errorf("%s: the policy's style-src %q does not allow the inline stylesheet of hash %s, %.60q…", page, allowed[1], hash, style[1])
			}
			hasCharterCSS = hasCharterCSS || bytes.Equal([]byte(style[1]), charterCSS)
		}
		if strings.Contains(page, "charte") != hasCharterCSS {
			t.Errorf("%s: the charter's stylesheet inline: %t", page, hasCharterCSS)
		}
	}
}
