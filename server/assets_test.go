package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/opendata-consent/consent/consent"
)

// wasmPath returns the path of the hashed WebAssembly that the default
// portal's loader names, itself named by embed.js.
func wasmPath(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	_, embed := get(t, srv.URL+"/embed.js")
	loader := regexp.MustCompile(`"assets/loader-pau\.[0-9a-f]{12}\.js"`).FindString(embed)
	if loader == "" {
		t.Fatal("embed.js names no hashed loader of Pau, relative to the host's root")
	}
	_, script := get(t, srv.URL+"/"+strings.Trim(loader, `"`))
	wasm := regexp.MustCompile(`"assets/consent\.[0-9a-f]{12}\.wasm"`).FindString(script)
	if wasm == "" {
		t.Fatal("the loader names no hashed WebAssembly, relative to the host's root")
	}
	return "/" + strings.Trim(wasm, `"`)
}

// Accept-Encoding as RFC 9110 reads it: weights in any spelling, "*" for
// the codings not named, identity acceptable unless refused, brotli first.
func TestAcceptEncodingPicksTheCoding(t *testing.T) {
	srv := newHost(t)
	wasm := wasmPath(t, srv)
	for _, c := range []struct {
		accept string
		want   string // the Content-Encoding, or "406"
	}{
		{"", ""},
		{"gzip, deflate, br, zstd", "br"},
		{"gzip", "gzip"},
		{"GZIP", "gzip"},
		{"x-gzip", "gzip"},
		{"deflate", ""},
		{"br;q=0, gzip", "gzip"},
		{"br;Q=0, gzip", "gzip"},
		{"br;q=0.0, gzip", "gzip"},
		{"br;q=0.000, gzip", "gzip"},
		{"br ; q = 0.00 , gzip", "gzip"},
		{"br;q=0, gzip;q=0", ""},
		{"gzip;q=0.5, br;q=0.4", "gzip"},
		{"gzip;q=0.5, identity", ""},
		{"br;q=nonsense, gzip", "gzip"},
		{"*", "br"},
		{"br;q=0, *", "gzip"},
		{"*;q=0, gzip", "gzip"},
		{"*;q=0, identity", ""},
		{"*;q=0", "406"},
		{"identity;q=0", "406"},
		{"identity;q=0, deflate", "406"},
	} {
		req, _ := http.NewRequest("HEAD", srv.URL+wasm, nil)
		req.Header.Set("Accept-Encoding", c.accept)
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		got := res.Header.Get("Content-Encoding")
		if res.StatusCode == http.StatusNotAcceptable {
			got = "406"
		} else if res.StatusCode != http.StatusOK {
			t.Errorf("Accept-Encoding %q: status %d", c.accept, res.StatusCode)
		}
		if got != c.want {
			t.Errorf("Accept-Encoding %q: %q, want %q", c.accept, got, c.want)
		}
		if res.Header.Get("Vary") != "Accept-Encoding" || res.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("Accept-Encoding %q: headers %v", c.accept, res.Header)
		}
	}
}

// Each body of a file (plain, brotli, gzip) has its own ETag, and
// If-None-Match matches as RFC 9110 has it: lists, weak tags, "*".
func TestConditionalRequestsPerEncoding(t *testing.T) {
	srv := newHost(t)
	wasm := wasmPath(t, srv)
	etags := map[string]string{}
	for _, coding := range []string{"identity", "br", "gzip"} {
		res, body := get(t, srv.URL+wasm, "Accept-Encoding", coding)
		etags[coding] = res.Header.Get("ETag")
		if !regexp.MustCompile(`^"[0-9a-f]+(-br|-gz)?"$`).MatchString(etags[coding]) {
			t.Fatalf("%s: ETag %q", coding, etags[coding])
		}
		if res.ContentLength != int64(len(body)) {
			t.Errorf("%s: Content-Length %d, body %d bytes", coding, res.ContentLength, len(body))
		}
	}
	if etags["identity"] == etags["br"] || etags["identity"] == etags["gzip"] || etags["br"] == etags["gzip"] {
		t.Fatalf("bodies of different codings share an ETag: %v", etags)
	}
	br := etags["br"]
	for _, c := range []struct {
		accept, match string
		status        int
	}{
		{"br", br, 304},
		{"br", "W/" + br, 304},
		{"br", `"0123", ` + br, 304},
		{"br", `W/"0123",W/` + br + `, "4567"`, 304},
		{"br", "*", 304},
		{"gzip", "*", 304},
		{"br", `"0123"`, 200},
		{"br", etags["identity"], 200},
		{"identity", br, 200},
		{"gzip", br, 200},
		{"identity", etags["identity"], 304},
		{"gzip", "W/" + etags["gzip"], 304},
	} {
		for _, method := range []string{"GET", "HEAD"} {
			req, _ := http.NewRequest(method, srv.URL+wasm, nil)
			req.Header.Set("Accept-Encoding", c.accept)
			req.Header.Set("If-None-Match", c.match)
			res, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			h := res.Header
			if res.StatusCode != c.status {
				t.Errorf("%s, Accept-Encoding %q, If-None-Match %s: %d, want %d", method, c.accept, c.match, res.StatusCode, c.status)
			}
			if h.Get("ETag") != etags[c.accept] || h.Get("Vary") != "Accept-Encoding" || h.Get("Cache-Control") == "" || h.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("%s, Accept-Encoding %q, If-None-Match %s: headers %v", method, c.accept, c.match, h)
			}
		}
	}
}

// The WebAssembly client decodes the configuration the loader names and
// does not validate it again (cmd/consent-wasm): what the host serves must
// already be a valid configuration, with the defaults validation fills in.
func TestServedConfigurationNeedsNoValidation(t *testing.T) {
	srv := newHost(t)
	for _, id := range []string{"pau", "aveyron"} {
		_, embed := get(t, srv.URL+"/embed.js?portal="+id)
		loader := regexp.MustCompile(`"assets/loader-` + id + `\.[0-9a-f]{12}\.js"`).FindString(embed)
		_, script := get(t, srv.URL+"/"+strings.Trim(loader, `"`))
		config := regexp.MustCompile(`"assets/config-` + id + `\.[0-9a-f]{12}\.json"`).FindString(script)
		if loader == "" || config == "" {
			t.Fatalf("%s: no hashed loader (%q) naming a hashed configuration (%q)", id, loader, config)
		}
		res, served := get(t, srv.URL+"/"+strings.Trim(config, `"`))
		if res.StatusCode != 200 {
			t.Fatalf("%s: configuration: status %d", id, res.StatusCode)
		}
		p, err := consent.DecodePortal(id, []byte(served))
		if err != nil {
			t.Fatalf("%s: the client cannot decode the served configuration: %v", id, err)
		}
		if problems := p.Problems(); len(problems) > 0 {
			t.Errorf("%s: the served configuration is not valid: %v", id, problems)
		}
		if p.Lifetime.ConsentDays == 0 || p.Lifetime.RefusalDays == 0 {
			t.Errorf("%s: the served configuration lacks the lifetimes validation fills in: %+v", id, p.Lifetime)
		}
		if validated, _ := json.Marshal(p); string(validated) != served {
			t.Errorf("%s: validating the served configuration changes it:\n served    %s\n validated %s", id, served, validated)
		}
	}
}
