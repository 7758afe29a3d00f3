package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/server"
)

// The names the configurations of deploy/ serve the host under: at the
// root of its own, and under /consent/ of the portal's site.
const (
	ownName    = "consent.example.org"
	portalName = "portal.example.org"
)

// A reverse proxy the host is tested behind, with its configuration in
// deploy/.
type tlsProxy struct {
	// name is its binary's, looked up in PATH and /usr/sbin.
	name string
	// start runs it, from bin, in front of the host at upstream, with the
	// certificate and key in files, on the loopback port port; exited is
	// closed when it exits.
	start func(t *testing.T, bin, upstream, cert, key string, port int) (exited <-chan struct{})
}

var tlsProxies = []tlsProxy{
	{name: "nginx", start: startNginx},
	{name: "caddy", start: startCaddy},
}

// TestBehindTLSProxies puts nginx and Caddy, each with its committed
// configuration (deploy/nginx.conf, deploy/Caddyfile) changed only where a
// test must (ports, certificate, the host's address), in front of the host
// over TLS, and checks through them what the host needs from a proxy:
// the pages and files come through, over HTTP/2; the rate limits count the
// visitor (X-Forwarded-For), not the proxy nor what the visitor wrote; the
// console's cookie is Secure (X-Forwarded-Proto); and, under /consent/ of the
// portal's site, a receipt posted by the portal's page is same-origin (Host)
// and the console's session works.
//
// The visitors dial the proxy from addresses of their own (127.0.0.3,
// 127.0.0.4, …), the proxy reaches the host from 127.0.0.1, the one address
// -trusted-proxies names: without X-Forwarded-For every visitor would have
// the proxy's address, and with the visitor's own header passed through,
// the address the visitor wrote.
func TestBehindTLSProxies(t *testing.T) {
	certFile, keyFile, roots := selfSignedCertificate(t)
	for _, proxy := range tlsProxies {
		t.Run(proxy.name, func(t *testing.T) {
			bin := lookProxy(proxy.name)
			if bin == "" {
				// make test installs it; CI never skips it.
				if os.Getenv("CI") != "" {
					t.Fatalf("%s is not installed: scripts/ensure-proxies.sh installs it", proxy.name)
				}
				t.Skipf("%s is not installed: scripts/ensure-proxies.sh installs it (make test runs it)", proxy.name)
			}
			token := rand.Text()
			trusted, err := server.ParseTrustedProxies("127.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			hostURL, hostLog, stop := startHostWith(t,
				settings{receipts: filepath.Join(t.TempDir(), "receipts.db"), shutdownTimeout: 5 * time.Second},
				func(o *server.Options) {
					o.TrustedProxies = trusted
					// Bursts of one receipt, then one every 2 s.
					o.ReceiptRate = 0.5
					o.AdminToken = token
				})
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("the host's log:\n%s", hostLog)
				}
				stop()
			})
			port := freePort(t)
			exited := proxy.start(t, bin, strings.TrimPrefix(hostURL, "http://"), certFile, keyFile, port)
			visitor := func(from string) *http.Client { return proxyClient(t, roots, port, from) }
			own := fmt.Sprintf("https://%s:%d", ownName, port)
			portal := fmt.Sprintf("https://%s:%d", portalName, port)
			waitForProxy(t, exited, visitor("127.0.0.1"), own+"/healthz")

			t.Run("pages and files come through over HTTP/2", func(t *testing.T) {
				c := visitor("127.0.0.3")
				res, body := fetch(t, c, "GET", own+"/", nil, nil)
				expect(t, res, body, http.StatusOK, "text/html")
				if res.ProtoMajor != 2 {
					t.Errorf("the demo page came over %s, not HTTP/2", res.Proto)
				}
				res, body = fetch(t, c, "GET", own+"/portails/aveyron/", nil, nil)
				expect(t, res, body, http.StatusOK, "text/html")
				res, embed := fetch(t, c, "GET", own+"/embed.js", nil, nil)
				expect(t, res, embed, http.StatusOK, "text/javascript")
				loader := regexp.MustCompile(`assets/loader-pau\.[0-9a-f]+\.js`).Find(embed)
				if loader == nil {
					t.Fatalf("embed.js names no loader: %.200s", embed)
				}
				res, script := fetch(t, c, "GET", own+"/"+string(loader), nil, nil)
				expect(t, res, script, http.StatusOK, "text/javascript")
				if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
					t.Errorf("the loader's Cache-Control through the proxy: %q", cc)
				}
				// The WebAssembly as the host compressed it, byte for byte.
				wasm := regexp.MustCompile(`assets/consent\.[0-9a-f]+\.wasm`).Find(script)
				if wasm == nil {
					t.Fatalf("the loader names no WebAssembly")
				}
				br := http.Header{"Accept-Encoding": {"br"}}
				res, proxied := fetch(t, c, "GET", own+"/"+string(wasm), br, nil)
				expect(t, res, proxied, http.StatusOK, "application/wasm")
				_, direct := fetch(t, http.DefaultClient, "GET", hostURL+"/"+string(wasm), br, nil)
				if res.Header.Get("Content-Encoding") != "br" || !bytes.Equal(proxied, direct) || len(direct) < 100<<10 {
					t.Errorf("the WebAssembly through the proxy: %s, %d bytes; from the host: %d bytes", res.Header.Get("Content-Encoding"), len(proxied), len(direct))
				}
			})

			t.Run("receipts are counted by visitor", func(t *testing.T) {
				a, b := visitor("127.0.0.3"), visitor("127.0.0.4")
				// A writes a new address in X-Forwarded-For each time: a
				// proxy that passed the header on as it came would make
				// each receipt another client's.
				if code := postReceiptThrough(t, a, own, "https://opendata.pau.fr", "203.0.113.1"); code != http.StatusNoContent {
					t.Fatalf("a receipt through the proxy: %d, not 204", code)
				}
				if code := postReceiptThrough(t, a, own, "https://opendata.pau.fr", "203.0.113.2"); code != http.StatusTooManyRequests {
					t.Errorf("a second receipt at once from the same visitor, who wrote another X-Forwarded-For: %d, not 429: the host counted an address the visitor wrote, not the one the proxy saw", code)
				}
				if code := postReceiptThrough(t, b, own, "https://opendata.pau.fr", ""); code != http.StatusNoContent {
					t.Errorf("another visitor's receipt meanwhile: %d, not 204: the host counts the proxy's address, not the visitor's (X-Forwarded-For)", code)
				}
			})

			t.Run("the console's cookie is Secure", func(t *testing.T) {
				consoleLoginThrough(t, visitor("127.0.0.3"), own, "/console/", token)
			})

			t.Run("under /consent/ of the portal's site", func(t *testing.T) {
				c := visitor("127.0.0.5")
				base := portal + "/consent/"
				res, embed := fetch(t, c, "GET", base+"embed.js", nil, nil)
				expect(t, res, embed, http.StatusOK, "text/javascript")
				loader := regexp.MustCompile(`assets/loader-pau\.[0-9a-f]+\.js`).Find(embed)
				if loader == nil {
					t.Fatalf("embed.js names no loader: %.200s", embed)
				}
				res, body := fetch(t, c, "GET", base+string(loader), nil, nil)
				expect(t, res, body, http.StatusOK, "text/javascript")
				res, body = fetch(t, c, "GET", base+"portails/pau/charte", nil, nil)
				expect(t, res, body, http.StatusOK, "text/html")
				// The live charter carries the visitor's consent id: no
				// cache keeps it, and the proxy leaves the host's word.
				res, body = fetch(t, c, "POST", base+"portails/pau/charte/live",
					http.Header{"Content-Type": {"text/plain;charset=UTF-8"}, "Origin": {portal}}, []byte("lang=fr&tz=60"))
				expect(t, res, body, http.StatusOK, "text/html")
				if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" {
					t.Errorf("the live charter's Cache-Control through the proxy: %q", cc)
				}
				// The portal's page posts its receipt to its own origin.
				switch code := postReceiptThrough(t, c, portal+"/consent", portal, ""); code {
				case http.StatusNoContent:
				case http.StatusForbidden:
					t.Errorf("a receipt posted under /consent/ from the portal's own origin: 403, not 204: does the proxy pass the Host the browser sent?")
				default:
					t.Errorf("a receipt posted under /consent/ from the portal's own origin: %d, not 204", code)
				}
				if code := postReceiptThrough(t, visitor("127.0.0.6"), portal+"/consent", "https://elsewhere.example", ""); code != http.StatusForbidden {
					t.Errorf("a receipt under /consent/ from another origin: %d, not 403", code)
				}
				consoleLoginThrough(t, c, portal+"/consent", "/consent/console/", token)
			})
		})
	}
}

// The configurations of deploy/ let a response last as long as the host
// lets it (responseTimeout: the WebAssembly on a slow link): in nginx's,
// each location that proxies to the host sets its timeouts to that or
// more; Caddy's sets no write timeout under it.
func TestProxyTimeoutsOutlastASlowDownload(t *testing.T) {
	comments := regexp.MustCompile(`(?m)#.*$`)
	read := func(file string) string {
		data, err := os.ReadFile(filepath.Join("..", "..", "deploy", file))
		if err != nil {
			t.Fatal(err)
		}
		return comments.ReplaceAllString(string(data), "")
	}
	proxied := 0
	for _, location := range regexp.MustCompile(`location ([^{]+?)\s*\{([^{}]*)\}`).FindAllStringSubmatch(read("nginx.conf"), -1) {
		if !strings.Contains(location[2], "proxy_pass") {
			continue
		}
		proxied++
		for _, directive := range []string{"proxy_read_timeout", "proxy_send_timeout", "send_timeout"} {
			m := regexp.MustCompile(`(?m)^\s*` + directive + `\s+(\w+);`).FindStringSubmatch(location[2])
			if m == nil {
				t.Errorf("nginx.conf, location %s: no %s (60 s by default)", location[1], directive)
				continue
			}
			value := m[1]
			if value[len(value)-1] >= '0' && value[len(value)-1] <= '9' {
				value += "s"
			}
			if d, err := time.ParseDuration(value); err != nil || d < responseTimeout {
				t.Errorf("nginx.conf, location %s: %s %s, under the host's %s", location[1], directive, m[1], responseTimeout)
			}
		}
	}
	if proxied != 2 {
		t.Errorf("nginx.conf: %d locations proxy to the host, not 2", proxied)
	}
	for _, m := range regexp.MustCompile(`\bwrite\s+(\S+)`).FindAllStringSubmatch(read("Caddyfile"), -1) {
		if d, err := time.ParseDuration(m[1]); err != nil || d < responseTimeout {
			t.Errorf("Caddyfile: a write timeout of %s, under the host's %s", m[1], responseTimeout)
		}
	}
}

// postReceiptThrough posts a new receipt of the Pau portal to base/receipts
// as a page of origin does, with X-Forwarded-For forged when not empty; it
// returns the status.
func postReceiptThrough(t *testing.T, c *http.Client, base, origin, forged string) int {
	t.Helper()
	list, _ := portals.Builtin()
	body, err := json.Marshal(consent.NewReceiptRequest(list[0], consent.AcceptAll(list[0], time.Now())))
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"Content-Type": {"text/plain;charset=UTF-8"}, "Origin": {origin}}
	if forged != "" {
		h.Set("X-Forwarded-For", forged)
	}
	res, _ := fetch(t, c, "POST", base+"/receipts", h, body)
	return res.StatusCode
}

// consoleLoginThrough logs into the console at base/console/stats as its
// form does, and checks the session: a Secure cookie for path, which opens
// the statistics, sent never to be cached.
func consoleLoginThrough(t *testing.T, c *http.Client, base, path, token string) {
	t.Helper()
	form := url.Values{"token": {token}}
	res, body := fetch(t, c, "POST", base+"/console/stats",
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Origin": {originOf(base)}},
		[]byte(form.Encode()))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logging into the console through the proxy: %s, not 303 (does the proxy pass the Host the browser sent?): %.300s", res.Status, body)
	}
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "consent_console" {
			session = c
		}
	}
	switch {
	case session == nil:
		t.Fatalf("no session cookie: %q", res.Header.Values("Set-Cookie"))
	case !session.Secure:
		t.Errorf("the console's cookie over HTTPS through the proxy is not Secure (does the proxy send X-Forwarded-Proto?): %q", res.Header.Get("Set-Cookie"))
	}
	if session.Path != path || !session.HttpOnly {
		t.Errorf("the console's cookie: %q, for %s", res.Header.Get("Set-Cookie"), path)
	}
	res, body = fetch(t, c, "GET", base+"/console/stats", http.Header{"Cookie": {session.Name + "=" + session.Value}}, nil)
	expect(t, res, body, http.StatusOK, "text/html")
	if !bytes.Contains(body, []byte(`action="logout`)) {
		t.Errorf("the session does not open the statistics: %.300s", body)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("the statistics' Cache-Control through the proxy: %q", cc)
	}
}

// originOf is the origin of an absolute URL.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	return u.Scheme + "://" + u.Host
}

// fetch sends a request and reads its answer.
func fetch(t *testing.T, c *http.Client, method, target string, h http.Header, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, target, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, target, err)
	}
	return res, data
}

// expect checks a response's status and media type.
func expect(t *testing.T, res *http.Response, body []byte, status int, mediaType string) {
	t.Helper()
	if res.StatusCode != status || !strings.HasPrefix(res.Header.Get("Content-Type"), mediaType) {
		t.Fatalf("%s %s: %s, %q; want %d, %s: %.200s", res.Request.Method, res.Request.URL, res.Status, res.Header.Get("Content-Type"), status, mediaType, body)
	}
}

// proxyClient is a visitor that dials the proxy on port, from the loopback
// address from, for every name, trusting roots; it follows no redirect.
func proxyClient(t *testing.T, roots *x509.CertPool, port int, from string) *http.Client {
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	proxy := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	transport := &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: roots},
		ForceAttemptHTTP2: true,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, proxy)
		},
	}
	t.Cleanup(transport.CloseIdleConnections)
	return &http.Client{
		Transport:     transport,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// selfSignedCertificate writes a certificate for the test's names,
// localhost and 127.0.0.1, and its key, to files; roots trusts it.
func selfSignedCertificate(t *testing.T) (certFile, keyFile string, roots *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "consent-host proxy test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{ownName, portalName, "localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), 0o600); err != nil {
		t.Fatal(err)
	}
	roots = x509.NewCertPool()
	roots.AddCert(cert)
	return certFile, keyFile, roots
}

// lookProxy finds a proxy's binary in PATH or /usr/sbin (not in every
// user's PATH); "" when it is not installed.
func lookProxy(name string) string {
	for _, p := range []string{name, filepath.Join("/usr/sbin", name)} {
		if p, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	return ""
}

// freePort is a loopback port nothing listens on, for a proxy to take.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// render changes the committed configuration file of deploy/ for the
// test: each of changes (a regular expression and what replaces it, $1
// naming its first group) must
// apply at least once, so that a configuration changed in a way the test
// does not follow fails it rather than going untested.
func render(t *testing.T, file string, changes ...string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "deploy", file))
	if err != nil {
		t.Fatal(err)
	}
	conf := string(data)
	for i := 0; i < len(changes); i += 2 {
		re := regexp.MustCompile(changes[i])
		if !re.MatchString(conf) {
			t.Fatalf("deploy/%s has no %q any more: update %s to what it became", file, changes[i], t.Name())
		}
		conf = re.ReplaceAllString(conf, changes[i+1])
	}
	return conf
}

// startNginx runs nginx with deploy/nginx.conf's server blocks in an http
// block of the test's, its files (pid, logs, buffers) in a directory of
// the test's.
func startNginx(t *testing.T, bin, upstream, cert, key string, port int) <-chan struct{} {
	dir := t.TempDir()
	servers := render(t, "nginx.conf",
		`server 127\.0\.0\.1:8080;`, "server "+upstream+";",
		// No IPv6 on every test machine; 80 and 443 on loopback ports.
		`(?m)^\s*listen \[::\]:\d+[^;]*;\n`, "",
		`listen 443 `, fmt.Sprintf("listen 127.0.0.1:%d ", port),
		`listen 80;`, fmt.Sprintf("listen 127.0.0.1:%d;", freePort(t)),
		`ssl_certificate\s+\S+;`, "ssl_certificate "+cert+";",
		`ssl_certificate_key\s+\S+;`, "ssl_certificate_key "+key+";",
		`root /var/www/portal;`, "root "+dir+";",
	)
	var main strings.Builder
	// One process, in the foreground, as the test's user: without a
	// master process, nginx run by root does not switch to nobody (who
	// could not write the test's directory), and the test stops it with
	// one signal.
	fmt.Fprintf(&main, "daemon off;\nmaster_process off;\npid %s/nginx.pid;\nerror_log stderr notice;\nevents { worker_connections 256; }\nhttp {\n", dir)
	fmt.Fprintf(&main, "access_log %s/access.log;\n", dir)
	// Every temporary path in the test's directory: the built-in ones
	// (/var/lib/nginx) are root's.
	version, _ := exec.Command(bin, "-V").CombinedOutput()
	for _, module := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		if !strings.Contains(string(version), "--without-http_"+module+"_module") {
			fmt.Fprintf(&main, "%s_temp_path %s/%s;\n", module, dir, module)
		}
	}
	main.WriteString(servers)
	main.WriteString("}\n")
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(main.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return startProxyProcess(t, exec.Command(bin, "-p", dir, "-e", "stderr", "-c", conf))
}

// startCaddy runs Caddy with deploy/Caddyfile, with global options of the
// test's (no admin endpoint, no certificates to obtain, loopback ports)
// and the test's certificate in each site.
func startCaddy(t *testing.T, bin, upstream, cert, key string, port int) <-chan struct{} {
	dir := t.TempDir()
	sites := render(t, "Caddyfile",
		`127\.0\.0\.1:8080`, upstream,
		`(?m)^([a-z.]+\.example\.org) \{$`, "$1 {\n\ttls "+cert+" "+key,
	)
	global := fmt.Sprintf("{\n\tadmin off\n\tauto_https off\n\tdefault_bind 127.0.0.1\n\thttp_port %d\n\thttps_port %d\n}\n\n", freePort(t), port)
	conf := filepath.Join(dir, "Caddyfile")
	if err := os.WriteFile(conf, []byte(global+sites), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "run", "--config", conf, "--adapter", "caddyfile")
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir)
	return startProxyProcess(t, cmd)
}

// startProxyProcess starts cmd, in a process group of its own, and stops
// it at the test's end; its output is logged if the test failed. The
// channel is closed when it exits.
func startProxyProcess(t *testing.T, cmd *exec.Cmd) <-chan struct{} {
	t.Helper()
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		if t.Failed() {
			t.Logf("%s's output:\n%s", filepath.Base(cmd.Path), out)
		}
	})
	return exited
}

// waitForProxy waits until the host answers through the proxy at health,
// for 15 s at most, or until the proxy exits.
func waitForProxy(t *testing.T, exited <-chan struct{}, c *http.Client, health string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		res, err := c.Get(health)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-exited:
			t.Fatalf("the proxy exited: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the proxy does not answer at %s: %v %v", health, res, err)
		}
	}
}
