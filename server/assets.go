package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
)

// asset is one file the host serves, in each of its encodings.
type asset struct {
	name         string
	contentType  string
	cacheControl string
	// encoded holds the file's bodies by coding: identity, br, gzip.
	encoded map[string]encodedBody
}

// encodedBody is the file in one coding, with the ETag of that body: the
// brotli, gzip and plain bodies are different representations, each with
// its own strong validator (RFC 9110, section 8.8.3).
type encodedBody struct {
	data []byte
	etag string
}

const (
	immutable = "public, max-age=31536000, immutable"
	// shortLived is for what names the hashed files (embed.js) and for the
	// pages: a new release reaches visitors within minutes.
	shortLived = "public, max-age=300"
)

// addAsset serves a under assets/ and returns its path.
func (s *Server) addAsset(a *asset) string {
	s.assets[a.name] = a
	return "assets/" + a.name
}

// loadAssets reads the built files and prepares them under hashed names.
func (s *Server) loadAssets(files fs.FS) error {
	built := func(name string) ([]byte, error) {
		b, err := fs.ReadFile(files, "dist/"+name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("web/dist/%s is missing: %w", name, ErrNotBuilt)
		}
		return b, err
	}
	// The WebAssembly of the client and of the console, with their
	// brotli and gzip variants.
	for name, path := range map[string]*string{"consent.wasm": &s.wasmPath, "console.wasm": &s.consoleWasmPath} {
		var variants [3][]byte
		for i, suffix := range []string{"", ".br", ".gz"} {
			var err error
			if variants[i], err = built(name + suffix); err != nil {
				return err
			}
		}
		*path = s.addAsset(newAsset(hashedName(name, variants[0]), "application/wasm", immutable, variants[0], variants[1], variants[2]))
	}
	for name, path := range map[string]*string{
		"wasm_exec.js": &s.execPath,
		"banner.css":   &s.bannerCSSPath,
		"consent.css":  &s.cssPath,
		"console.css":  &s.consoleCSSPath,
		"console.js":   &s.consoleJSPath,
	} {
		data, err := built(name)
		if err != nil {
			return err
		}
		contentType := "text/css; charset=utf-8"
		if strings.HasSuffix(name, ".js") {
			contentType = "text/javascript; charset=utf-8"
		}
		*path = s.addAsset(newAsset(hashedName(name, data), contentType, immutable, data, nil, nil))
	}
	// The console's dark preview: the banner's and the dialog's dark
	// rules without their media query, which a preview frame cannot
	// switch (it follows the team's system, not the theme they picked).
	var dark []byte
	for _, name := range []string{"banner.css", "consent.css"} {
		data, err := built(name)
		if err != nil {
			return err
		}
		dark = append(dark, darkRules(data)...)
	}
	s.darkCSSPath = s.addAsset(newAsset(hashedName("preview-dark.css", dark), "text/css; charset=utf-8", immutable, dark, nil, nil))
	// The stylesheets the host's pages inline, and the policy that allows
	// them, from the very bytes the pages carry: they cannot drift apart.
	demo, err := built("demo.css")
	if err != nil {
		return err
	}
	charter, err := built("consent.css")
	if err != nil {
		return err
	}
	s.demoCSS, s.charterCSS = string(demo), string(charter)
	s.pagePolicy = hostPagePolicy(styleHash(demo), styleHash(charter))
	for _, p := range s.order {
		data, err := json.Marshal(p)
		if err != nil {
			return err
		}
		s.configs[p.ID] = s.addAsset(newAsset(hashedName("config-"+p.ID+".json", data), "application/json", immutable, data, nil, nil))
	}
	return nil
}

// styleHash is the Content-Security-Policy source expression that allows
// an inline <style> element whose text is exactly css.
func styleHash(css []byte) string {
	sum := sha256.Sum256(css)
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// hashedName inserts a content hash before the extension:
// consent.wasm → consent.3f2a9c1d0b7e.wasm.
func hashedName(name string, data []byte) string {
	sum := sha256.Sum256(data)
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
}

// newAsset prepares data for serving. br and gz are variants built ahead of
// time (the WebAssembly's, by the Makefile); when nil, they are compressed
// here, which is quick for small text files.
func newAsset(name, contentType, cacheControl string, data, br, gz []byte) *asset {
	if br == nil {
		var b bytes.Buffer
		w := brotli.NewWriterLevel(&b, brotli.BestCompression)
		w.Write(data)
		w.Close()
		br = b.Bytes()
	}
	if gz == nil {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		w.Write(data)
		w.Close()
		gz = b.Bytes()
	}
	sum := sha256.Sum256(data)
	tag := hex.EncodeToString(sum[:12])
	return &asset{name: name, contentType: contentType, cacheControl: cacheControl, encoded: map[string]encodedBody{
		identity: {data, `"` + tag + `"`},
		"br":     {br, `"` + tag + `-br"`},
		"gzip":   {gz, `"` + tag + `-gz"`},
	}}
}

// ServeHTTP sends the asset in the best encoding the client accepts, or
// 304 when the client already holds that body (If-None-Match).
func (a *asset) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", a.cacheControl)
	h.Add("Vary", "Accept-Encoding")
	h.Set("X-Content-Type-Options", "nosniff")
	allowCrossOrigin(h)
	coding, ok := negotiateEncoding(strings.Join(r.Header.Values("Accept-Encoding"), ","))
	if !ok {
		http.Error(w, "Accept-Encoding refuses every coding this file comes in: br, gzip, identity", http.StatusNotAcceptable)
		return
	}
	body := a.encoded[coding]
	h.Set("ETag", body.etag)
	if coding != identity {
		h.Set("Content-Encoding", coding)
		// ServeContent leaves Content-Length out of a response with a
		// Content-Encoding, not knowing whether the bytes it is given
		// are the encoded ones; they are, and the length lets a browser
		// show the download's progress. A 304 or a range drops or
		// replaces it.
		h.Set("Content-Length", strconv.Itoa(len(body.data)))
	}
	// ServeContent answers HEAD, ranges and the conditional requests
	// (If-None-Match lists, weak tags and "*") as RFC 9110 has them.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body.data))
}

// allowCrossOrigin lets portal pages on other origins fetch the file: the
// embed script fetches the WebAssembly and the configuration with CORS.
func allowCrossOrigin(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
}
