package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
)

// wasmServed is how many bytes of WebAssembly the host sent since the
// visit began, as sent (compressed).
var wasmServed atomic.Int64

// countWasm puts a reverse proxy before the host that counts every
// WebAssembly response's bytes in wasmServed, and returns its address, for
// the pages to load the consent manager through. On the charter page a Web
// Worker fetches the WebAssembly, and the DevTools protocol reports a
// worker's requests only to a session attached to that worker, not to the
// page's: counted at the host instead, the WebAssembly is counted whoever
// fetches it.
func countWasm(host string) (string, error) {
	target, err := url.Parse(host)
	if err != nil {
		return "", err
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	// The host sees the browser's requests as they are: without an
	// X-Forwarded-For from a peer it does not trust, which it would warn of.
	direct := proxy.Director
	proxy.Director = func(r *http.Request) {
		direct(r)
		r.Header["X-Forwarded-For"] = nil
	}
	proxy.ModifyResponse = func(res *http.Response) error {
		if strings.HasSuffix(res.Request.URL.Path, ".wasm") {
			res.Body = countedBody{res.Body}
		}
		return nil
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go http.Serve(l, proxy)
	return "http://" + l.Addr().String(), nil
}

// countedBody adds what is read from it to wasmServed.
type countedBody struct{ io.ReadCloser }

func (b countedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	wasmServed.Add(int64(n))
	return n, err
}
