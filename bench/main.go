// Command bench measures what a visitor on a phone pays for the consent
// manager, on the mobile profile of the performance issue (Chromium driven
// through the DevTools protocol: 150 ms latency, 1.6 Mbit/s, CPU 4× slower,
// a fresh browser for every first visit), the sizes of what is sent, and the
// host under load on loopback. It prints medians as a table, writes them as
// JSON for comparing runs, and can refresh the tables of docs/performance.md
// (docs/testing.md for the fuzz run's), between their <!-- marker --> lines.
//
//	go run ./bench -host bin/consent-host -doc docs/performance.md
//
// With -mode browser it runs the browser cases alone (make bench-browser),
// with -mode load it only loads the host (make load), with -mode fuzz it
// runs the fuzz targets (make fuzz, and briefly make test), with -mode stats
// it only times the statistics query on many receipts, in SQLite and in the
// PostgreSQL server that scripts/with-postgres.sh starts (make bench-stats;
// make bench runs it too), with -mode lighthouse it only runs Lighthouse
// on the portal pages and the host's pages (make bench runs it too).
package main

import (
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"maps"
	"mime"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// A portal's page with this consent manager, and its charter page, the
// one page where Go runs.
var (
	//go:embed pages/portal.html
	portalPage string
	//go:embed pages/charter.html
	charterPage string
)

// The same portal page with vanilla-cookieconsent, then tarteaucitron.js,
// instead of this consent manager.
var (
	//go:embed pages/vanilla-cookieconsent.html
	vanillaCookieconsentPage string
	//go:embed pages/tarteaucitron.html
	tarteaucitronPage string
	// The floor: the same page, its script only inserting a banner.
	//go:embed pages/floor.js
	floorScript []byte
)

func main() {
	hostBin := flag.String("host", "bin/consent-host", "the host binary to measure (make build)")
	runs := flag.Int("runs", 5, "repetitions of each browser case")
	loadFor := flag.Duration("load", 10*time.Second, "duration of each load run")
	workers := flag.Int("workers", 32, "concurrent keep-alive connections of the load runs")
	results := flag.String("results", "bench/results", "directory of the JSON results")
	doc := flag.String("doc", "", "the page whose tables between markers are refreshed: docs/performance.md (docs/testing.md with -mode fuzz); none when empty")
	fuzzFor := flag.Duration("fuzztime", 5*time.Minute, "how long each fuzz target runs in the fuzz mode")
	statsReceipts := flag.Int("stats-receipts", 10_000_000, "receipts in each database of the statistics part")
	mode := flag.String("mode", "all", "all: the whole benchmark; browser: its browser cases alone, printed (-doc is left as it is); load: the host alone under load, receipts included (make load); fuzz: the fuzz targets (make fuzz); stats: the statistics query on -stats-receipts receipts (make bench-stats); lighthouse: Lighthouse alone on the portal and host pages")
	lighthouse := flag.String("lighthouse", ".build/lighthouse/node_modules/.bin/lighthouse", "the Lighthouse command of the all and lighthouse modes (scripts/ensure-lighthouse.sh installs it)")
	lighthouseRuns := flag.Int("lighthouse-runs", 3, "Lighthouse runs on each page, of which the table gives the medians")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("bench: ")
	// A page without the markers this mode refreshes is refused now, not
	// after a run of many minutes.
	if *doc != "" && *mode != "browser" {
		if err := checkMarkers(*doc, markersOf[*mode]...); err != nil {
			log.Fatal(err)
		}
	}
	// So is a missing Lighthouse.
	if *mode == "all" || *mode == "lighthouse" {
		if err := checkLighthouse(*lighthouse, *lighthouseRuns); err != nil {
			log.Fatal(err)
		}
	}

	switch *mode {
	case "load":
		if err := runLoadTest(*hostBin, *loadFor, *workers, *doc); err != nil {
			log.Fatal(err)
		}
		return
	case "fuzz":
		if err := runFuzz(*fuzzFor, *doc); err != nil {
			log.Fatal(err)
		}
		return
	case "stats":
		r, err := runStats(*statsReceipts)
		if err != nil {
			log.Fatal(err)
		}
		publish(r.table(), *results, "-stats", r, *doc, "stats")
		return
	}
	host, stopHost, err := startHost(*hostBin, "-receipts", "off")
	if err != nil {
		log.Fatal(err)
	}
	defer stopHost()
	counted, err := countWasm(host)
	if err != nil {
		log.Fatal(err)
	}
	portal, err := servePortal(counted)
	if err != nil {
		log.Fatal(err)
	}
	if *mode == "lighthouse" {
		lh, err := runLighthouse(*lighthouse, host, portal, *results, *lighthouseRuns)
		if err != nil {
			log.Fatal(err)
		}
		publish(lh.table(), *results, "-lighthouse", lh, *doc, "lighthouse")
		return
	}

	report := report{Date: time.Now().UTC().Format(time.RFC3339), Machine: describeMachine(), Runs: *runs,
		Profile: fmt.Sprintf("%d ms latency, %.1f Mbit/s down, %.2f Mbit/s up, CPU %d× slower, cold cache for first visits",
			latencyMs, downBytesPerS*8/1e6, upBytesPerS*8/1e6, cpuSlowdown)}
	if report.Sizes, err = measureSizes(host); err != nil {
		log.Fatal(err)
	}
	// -mode browser: the browser cases alone, printed, -doc left as it
	// is.
	browserOnly := *mode == "browser"
	if !browserOnly {
		log.Print("weighing the WebAssembly build steps")
		if report.Steps, err = measureBuildSteps(); err != nil {
			log.Fatal(err)
		}
		if report.Weights, err = weighClient(); err != nil {
			log.Fatal(err)
		}
	}
	for i := range *runs {
		log.Printf("browser run %d/%d", i+1, *runs)
		r, err := runBrowserCases(portal, i)
		if err != nil {
			log.Fatal(err)
		}
		report.Browser = append(report.Browser, r)
	}
	if browserOnly {
		fmt.Println(report.table())
		writeResults(*results, "-browser", report)
		return
	}
	if report.Lighthouse, err = runLighthouse(*lighthouse, host, portal, *results, *lighthouseRuns); err != nil {
		log.Fatal(err)
	}
	for _, path := range []string{"/embed.js", report.Sizes.WasmPath} {
		log.Printf("load on %s for %s", path, *loadFor)
		report.Load = append(report.Load, load(host, path, *workers, *loadFor))
	}
	// The host sits idle meanwhile.
	if report.Stats, err = runStats(*statsReceipts); err != nil {
		log.Fatal(err)
	}

	publish(report.table(), *results, "", report, *doc, "bench")
}

// publish prints table, writes result as JSON in dir (named by the time
// and suffix), and puts table between doc's marker lines when doc is set.
func publish(table, dir, suffix string, result any, doc, marker string) {
	fmt.Println(table)
	writeResults(dir, suffix, result)
	if doc == "" {
		return
	}
	if err := replaceBetweenMarkers(doc, marker, table); err != nil {
		log.Fatal(err)
	}
	log.Printf("the %s table refreshed in %s", marker, doc)
}

// writeResults writes v as JSON in dir, named by the time and suffix.
func writeResults(dir, suffix string, v any) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	out := filepath.Join(dir, time.Now().UTC().Format("20060102-150405")+suffix+".json")
	data, _ := json.MarshalIndent(v, "", "  ")
	if err := os.WriteFile(out, data, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("results written to %s", out)
}

// startHost runs the host binary on a free loopback port and waits for its
// /healthz.
func startHost(bin string, args ...string) (url string, stop func(), err error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, append([]string{"-addr", addr}, args...)...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("starting the host (make build makes %s): %w", bin, err)
	}
	stop = func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}
	url = "http://" + addr
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(url + "/healthz"); err == nil {
			res.Body.Close()
			return url, stop, nil
		}
	}
	stop()
	return "", nil, errors.New("the host did not answer /healthz within 10 s")
}

// servePortal serves the portal-like pages on another origin (localhost
// rather than the host's 127.0.0.1): /portal.html and /charter.html
// embedding the host's script, /vanilla-cookieconsent.html and /tarteaucitron.html the peers',
// which a third origin serves (.build/peers, scripts/ensure-peers.sh) as the
// host serves ours, and /floor.html the floor's (bench/pages/floor.js), from
// that origin too.
func servePortal(host string) (string, error) {
	// The peers' files as a CDN serves them and the host serves ours:
	// compressed, with brotli at its best (cmd/precompress), once before
	// any visit. Uncompressed, they would cost the peers three to six
	// times their weight on the slow network (vanilla-cookieconsent's page
	// 60 KB instead of 18, tarteaucitron.js's 322 KB instead of 55).
	compressed := map[string][]byte{}
	err := filepath.WalkDir(".build/peers", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(".build/peers", name)
		compressed["/"+filepath.ToSlash(rel)] = brotliBytes(data)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("the peers' files (scripts/ensure-peers.sh fetches them): %w", err)
	}
	compressed["/floor.js"] = brotliBytes(floorScript)
	peerFiles, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	files := http.FileServer(http.Dir(".build/peers"))
	go http.Serve(peerFiles, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=31536000")
		w.Header().Set("Vary", "Accept-Encoding")
		if body, ok := compressed[r.URL.Path]; ok && strings.Contains(r.Header.Get("Accept-Encoding"), "br") {
			w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(r.URL.Path)))
			w.Header().Set("Content-Encoding", "br")
			w.Write(body)
			return
		}
		if r.URL.Path == "/floor.js" {
			w.Header().Set("Content-Type", mime.TypeByExtension(".js"))
			w.Write(floorScript)
			return
		}
		files.ServeHTTP(w, r)
	}))
	peer := fmt.Sprintf("http://127.0.0.1:%d", peerFiles.Addr().(*net.TCPAddr).Port)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	pages := map[string]string{
		"/portal.html":                strings.ReplaceAll(portalPage, "{{HOST}}", host),
		"/charter.html":               strings.ReplaceAll(charterPage, "{{HOST}}", host),
		"/vanilla-cookieconsent.html": strings.ReplaceAll(vanillaCookieconsentPage, "{{PEER}}", peer),
		"/tarteaucitron.html":         strings.ReplaceAll(tarteaucitronPage, "{{PEER}}", peer),
		// The floor's script from the peers' origin, as ours comes from the
		// host's: the same request, the same latency.
		"/floor.html": strings.ReplaceAll(portalPage, "{{HOST}}/embed.js?portal=pau", peer+"/floor.js"),
	}
	// The charter page under a policy that refuses the worker compiling
	// Go's start: Go starts on the page alone, as before that worker, in
	// the same runs.
	pages["/charter-without-worker.html"] = pages["/charter.html"]
	// Each page again, its own styles in a stylesheet of its own, as a
	// portal's are (Opendatasoft's are): the page paints nothing, banner
	// included, before that file arrives from the portal, one round trip
	// after the page, while the consent manager's script comes from
	// another origin.
	for name, page := range maps.Clone(pages) {
		start, end := strings.Index(page, "<style>"), strings.Index(page, "</style>")
		base := strings.TrimSuffix(name, ".html")
		pages[base+".css"] = page[start+len("<style>") : end]
		pages[base+stylesheetFile] = page[:start] + `<link rel="stylesheet" href="` + base + `.css">` + page[end+len("</style>"):]
	}
	go http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// No icon, and no 404 for it in the console, which Lighthouse's
		// best practices would count against every consent manager alike.
		if r.URL.Path == "/favicon.ico" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		page, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path == "/charter-without-worker.html" {
			w.Header().Set("Content-Security-Policy", "worker-src 'none'")
		}
		w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(r.URL.Path)))
		w.Header().Set("Cache-Control", "no-cache")
		w.Write([]byte(page))
	}))
	return fmt.Sprintf("http://localhost:%d", l.Addr().(*net.TCPAddr).Port), nil
}

// stylesheetFile ends the address of a page whose styles are in a file of
// its own (servePortal): "/portal.html" is also "/portal" + stylesheetFile.
const stylesheetFile = "-stylesheet.html"

// markersOf names the markers each mode refreshes in -doc: the whole
// benchmark writes its table between the bench markers, the statistics'
// and Lighthouse's within it between their own.
var markersOf = map[string][]string{
	"all":        {"bench", "stats", "lighthouse"},
	"stats":      {"stats"},
	"load":       {"load"},
	"fuzz":       {"fuzz"},
	"lighthouse": {"lighthouse"},
}

// between matches the <!-- marker --> and <!-- /marker --> lines and what
// they hold.
func between(marker string) (*regexp.Regexp, string, string) {
	open, end := "<!-- "+marker+" -->", "<!-- /"+marker+" -->"
	return regexp.MustCompile(`(?s)` + regexp.QuoteMeta(open) + `\n.*?` + regexp.QuoteMeta(end)), open, end
}

// checkMarkers tells whether the page at path holds each marker pair.
func checkMarkers(path string, markers ...string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for _, marker := range markers {
		if re, open, end := between(marker); !re.Match(data) {
			return fmt.Errorf("%s has no %s … %s markers (the benchmark's tables are in docs/performance.md, the fuzz run's in docs/testing.md)", path, open, end)
		}
	}
	return nil
}

// replaceBetweenMarkers puts table between the <!-- marker --> and
// <!-- /marker --> lines of the page at path (docs/performance.md,
// docs/testing.md).
func replaceBetweenMarkers(path, marker, table string) error {
	if err := checkMarkers(path, marker); err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	re, open, end := between(marker)
	return os.WriteFile(path, re.ReplaceAllLiteral(data, []byte(open+"\n"+table+"\n"+end)), 0o644)
}
