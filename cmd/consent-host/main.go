// Command consent-host serves the consent manager: the embed script, the
// WebAssembly client, the portal configurations, a demo portal page, the
// charter pages and the receipt endpoint, from one binary with its assets
// embedded.
//
// Usage:
//
//	consent-host [-addr :8080] [-config FILE_OR_DIR] [-receipts FILE|postgres://…|off] [-shutdown-timeout 90s] [-metrics-addr 127.0.0.1:9090] [-log-format text|json]
//	consent-host -version
//	consent-host export [-receipts …] (-id CONSENT_ID | -since DATE [-until DATE])
//	consent-host stats [-receipts …] [-config …] [-portal ID] [-since DAY] [-until DAY] [-by day|week] [-tz ZONE] [-csv]
//	consent-host backup [-receipts FILE] -to BACKUP.db
//
// Without -config it serves the built-in portals (Pau, the default, and
// Aveyron). It refuses to start on an invalid configuration, naming the
// file, the field and the problem, and on a receipt store it cannot write.
// Receipts go to receipts.db next to the binary unless -receipts names
// another SQLite file or a PostgreSQL URL; they are purged -retention days
// after their choice (purge.go). On SIGHUP it reads its configuration again,
// and serves it if every file is valid. On SIGINT or SIGTERM it finishes
// the requests in flight, for -shutdown-timeout at most, and exits 0.
// With -metrics-addr it serves its metrics, in the Prometheus text format,
// at /metrics on that address only, never on -addr.
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	_ "time/tzdata" // -tz and the console's days, on a machine without a time zone database

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/receipts"
	"github.com/opendata-consent/consent/server"
	"github.com/opendata-consent/consent/web"
)

// commands are the host's subcommands; without one, it serves.
var commands = map[string]func([]string, io.Writer) error{"export": export, "stats": stats, "backup": backup}

func main() {
	var set settings
	flag.StringVar(&set.addr, "addr", "localhost:8080", "address to listen on")
	flag.StringVar(&set.config, "config", "", configUsage)
	flag.StringVar(&set.lang, "lang", "", "the language of the host's messages about a configuration that is wrong: fr or en; by default the configuration's first language")
	flag.StringVar(&set.receipts, "receipts", defaultReceipts(), "where consent receipts are kept: a SQLite file, a postgres:// URL, or off")
	flag.IntVar(&set.retentionDays, "retention", defaultRetentionDays, "days a receipt is kept from its choice's date, then purged (at start-up and every hour); by default 13 months of use and the 5 years of the civil limitation period")
	flag.DurationVar(&set.shutdownTimeout, "shutdown-timeout", defaultShutdownTimeout, "how long a stop (SIGINT, SIGTERM) waits for the requests in flight, downloads of the client above all, before it cuts them")
	origins := flag.String("origins", "", "comma-separated origins allowed to post receipts besides the portals' addresses")
	rate := flag.Float64("receipt-rate", 10, "receipts a second one client address (an IPv6 client's /64) may post on average")
	perHour := flag.Int("receipts-per-hour", server.DefaultReceiptsPerHour, "receipts the host writes in an hour, all clients together: bounds the store's growth")
	proxies := flag.String("trusted-proxies", "", "comma-separated addresses or networks of the load balancers in front of the host, whose X-Forwarded-For the receipt rate limit believes")
	clientTimeout := flag.Duration("client-timeout", server.DefaultClientTimeout, "how long a page waits for each file of the client before it says it failed")
	tokenFile := flag.String("admin-token-file", "", "a file holding the token that opens the console's statistics (/console/stats); without it they are disabled")
	zone := flag.String("tz", "Europe/Paris", "the time zone where the console's statistics start their days")
	verbose := flag.Bool("v", false, "log every request")
	flag.StringVar(&set.metricsAddr, "metrics-addr", "", "address where /metrics serves the host's metrics in the Prometheus text format, for the monitoring only (127.0.0.1:9090, say); none when empty")
	logFormat := flag.String("log-format", "text", "the log's format: text or json (one JSON object a line)")
	showVersion := flag.Bool("version", false, "print the host's version and exit")
	flag.Usage = usage
	if len(os.Args) > 1 && !strings.HasPrefix(os.Args[1], "-") {
		command, ok := commands[os.Args[1]]
		if !ok {
			fmt.Fprintf(os.Stderr, "consent-host: unknown command %q\n", os.Args[1])
			flag.Usage()
			os.Exit(2)
		}
		err := command(os.Args[2:], os.Stdout)
		var bad *usageError
		switch {
		case errors.Is(err, flag.ErrHelp):
			os.Exit(0)
		case errors.As(err, &bad):
			fmt.Fprintf(os.Stderr, "consent-host %s: %v\n", os.Args[1], err)
			os.Exit(2)
		case err != nil:
			fmt.Fprintf(os.Stderr, "consent-host %s: %v\n", os.Args[1], err)
			os.Exit(1)
		}
		return
	}
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "consent-host: unexpected argument %q: the flags come before, and the commands are export, stats and backup\n", flag.Arg(0))
		flag.Usage()
		os.Exit(2)
	}
	if *showVersion {
		fmt.Println("consent-host", hostVersion())
		return
	}

	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logOptions := &slog.HandlerOptions{Level: level}
	var logHandler slog.Handler
	switch *logFormat {
	case "text":
		logHandler = slog.NewTextHandler(os.Stderr, logOptions)
	case "json":
		logHandler = slog.NewJSONHandler(os.Stderr, logOptions)
	default:
		fmt.Fprintf(os.Stderr, "consent-host: -log-format: %q is not a log format: give text or json\n", *logFormat)
		os.Exit(2)
	}
	log := slog.New(logHandler)
	opts := server.Options{Files: web.Files, Log: log, ReceiptRate: *rate, ReceiptsPerHour: *perHour, ClientTimeout: *clientTimeout, Version: hostVersion()}
	if *origins != "" {
		opts.ReceiptOrigins = strings.Split(*origins, ",")
	}
	var err error
	if opts.TrustedProxies, err = server.ParseTrustedProxies(*proxies); err != nil {
		fmt.Fprintln(os.Stderr, "consent-host: -trusted-proxies:", err)
		os.Exit(2)
	}
	if *tokenFile != "" {
		if opts.AdminToken, err = readAdminToken(*tokenFile); err != nil {
			fmt.Fprintln(os.Stderr, "consent-host: -admin-token-file:", err)
			os.Exit(2)
		}
	}
	if opts.Location, err = time.LoadLocation(*zone); err != nil {
		fmt.Fprintln(os.Stderr, "consent-host: -tz:", err)
		os.Exit(2)
	}
	if set.retentionDays < 1 || set.retentionDays > maxRetentionDays {
		fmt.Fprintf(os.Stderr, "consent-host: -retention %d: receipts are kept from 1 to %d days (the default, %d, is 13 months of use and 5 years of limitation period)\n", set.retentionDays, maxRetentionDays, defaultRetentionDays)
		os.Exit(2)
	}
	hangup := make(chan os.Signal, 1)
	signal.Notify(hangup, syscall.SIGHUP)
	set.reload = hangup
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal, a second one stops the host at once, as
	// without this handler.
	context.AfterFunc(ctx, stop)
	if err := run(ctx, set, opts, nil); err != nil {
		fmt.Fprintln(os.Stderr, "consent-host:", err)
		os.Exit(1)
	}
}

// settings are the flags run applies itself; the others are in
// server.Options.
type settings struct {
	addr, config string
	// lang is the language of the configuration's errors: "" for each
	// configuration's own.
	lang string
	// receipts is a SQLite file, a postgres:// URL, or "off".
	receipts string
	// shutdownTimeout bounds the wait for the requests in flight at a stop.
	shutdownTimeout time.Duration
	// metricsAddr is where /metrics is served; nowhere when empty.
	metricsAddr string
	// retentionDays is how long receipts are kept (purge.go); none is
	// purged when it is 0.
	retentionDays int
	// reload tells the host to read its configuration again (SIGHUP).
	reload <-chan os.Signal
}

// responseTimeout bounds the writing of a response, a download of the
// client included: as long as a page waits for it (the WebAssembly, 1.1 MB,
// takes 35 s at 256 kbit/s).
const responseTimeout = server.DefaultClientTimeout

// defaultShutdownTimeout lets every response finish (responseTimeout): a
// stop lets each download in flight end, on the slowest link too. A shorter
// -shutdown-timeout fits an orchestrator that kills the host sooner.
const defaultShutdownTimeout = responseTimeout

// defaultReceipts is receipts.db next to the binary.
func defaultReceipts() string {
	exe, err := os.Executable()
	if err != nil {
		return "receipts.db"
	}
	return filepath.Join(filepath.Dir(exe), "receipts.db")
}

// minAdminToken is the shortest admin token the host accepts: the
// statistics are behind it, and wrong tokens are only slowed down, to one
// a minute, so it must be long enough not to be guessed.
const minAdminToken = 16

// readAdminToken reads the token in file, without the spaces and line
// ends around it. It is read from a file, not a flag, so that it does not
// show in the host's command line.
func readAdminToken(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	token := strings.TrimSpace(string(data))
	if len(token) < minAdminToken || strings.ContainsAny(token, " \t\r\n") {
		return "", fmt.Errorf("%s: the token must be one word of %d characters or more (openssl rand -hex 24 makes one)", file, minAdminToken)
	}
	return token, nil
}

const configUsage = "portal configuration: a JSON file, or a directory of them (default: the built-in Pau and Aveyron portals)"

// portalIDs lists the ids of portals, in their order.
func portalIDs(portals []*consent.Portal) []string {
	ids := make([]string, len(portals))
	for i, p := range portals {
		ids[i] = p.ID
	}
	return ids
}

// loadPortals reads the -config flag's portals. A configuration's error
// is in lang, or, when lang is "", in the language the configuration's
// team writes in (its first).
func loadPortals(config, lang string) ([]*consent.Portal, error) {
	var list []*consent.Portal
	var err error
	if config == "" {
		list, err = portals.Builtin()
	} else {
		var files []string
		if list, files, err = consent.LoadFiles(config); err == nil {
			err = portals.CheckCookieDomains(list, files)
		}
	}
	var ce *consent.ConfigError
	switch {
	case errors.As(err, &ce):
		return nil, &configError{ce, cmp.Or(lang, ce.Lang)}
	case err != nil:
		return nil, fmt.Errorf("invalid configuration: %w", err)
	}
	return list, nil
}

// configError is a configuration's error as the host says it, in lang.
type configError struct {
	*consent.ConfigError
	lang string
}

func (e *configError) Error() string {
	if e.lang == "fr" {
		return "configuration invalide : " + e.In("fr")
	}
	return "invalid configuration: " + e.In(e.lang)
}

func (e *configError) Unwrap() error { return e.ConfigError }

// run serves until ctx ends, then finishes the requests in flight, for
// set.shutdownTimeout at most: past it, it cuts them and says which in the
// log. That is the stop asked for, not an error. ready, when not nil,
// receives the address it listens on, once the "serving" line is logged
// (it names the metrics' address, when set.metricsAddr is set).
func run(ctx context.Context, set settings, opts server.Options, ready chan<- string) error {
	var err error
	if opts.Version == "" {
		opts.Version = hostVersion()
	}
	if opts.Portals, err = loadPortals(set.config, set.lang); err != nil {
		return err
	}
	if set.receipts != "off" {
		if u, err := url.Parse(set.receipts); err == nil && u.Scheme != "" && u.User != nil {
			if _, ok := u.User.Password(); ok {
				opts.Log.Warn("the -receipts URL carries a password, which every user of this machine can read in the process list: give it in PGPASSWORD or a password file (PGPASSFILE) instead")
			}
		}
		if opts.Receipts, err = receipts.Open(context.Background(), set.receipts); err != nil {
			return err
		}
		defer opts.Receipts.Close()
		// A store that can be read but not written would lose every
		// receipt: the host does not start on it.
		if err := opts.Receipts.CheckWritable(context.Background()); err != nil {
			return err
		}
		// The receipts past the retention are purged now and every hour,
		// until the stop.
		defer startPurge(ctx, opts.Receipts, set.retentionDays, opts.Portals, opts.Log)()
	}
	handler, err := server.New(opts)
	if err != nil {
		return err
	}
	// A reload replaces the server in force; the requests in flight end on
	// the one that took them.
	var current atomic.Pointer[server.Server]
	current.Store(handler)
	flight := &inFlight{next: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { current.Load().ServeHTTP(w, r) }), requests: map[*http.Request]time.Time{}}
	srv := &http.Server{
		Addr:              set.addr,
		Handler:           flight,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      responseTimeout,
		IdleTimeout:       120 * time.Second,
	}
	l, err := net.Listen("tcp", set.addr)
	if err != nil {
		return err
	}
	errc := make(chan error, 2)
	// The metrics have a listener of their own: the public one does not
	// answer /metrics.
	var metrics *http.Server
	var metricsURL string
	if set.metricsAddr != "" {
		ml, err := net.Listen("tcp", set.metricsAddr)
		if err != nil {
			l.Close()
			return fmt.Errorf("-metrics-addr: %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", handler.Metrics())
		metrics = &http.Server{
			Handler:           mux,
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       10 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       120 * time.Second,
		}
		defer metrics.Close()
		metricsURL = "http://" + ml.Addr().String() + "/metrics"
		go func() { errc <- metrics.Serve(ml) }()
	}
	go func() { errc <- srv.Serve(l) }()
	ids := portalIDs(opts.Portals)
	receiptsAt := "off"
	if opts.Receipts != nil {
		receiptsAt = opts.Receipts.Kind()
	}
	serving := []any{"url", "http://" + l.Addr().String() + "/", "portals", ids, "default", ids[0], "receipts", receiptsAt, "version", opts.Version}
	if metricsURL != "" {
		serving = append(serving, "metrics", metricsURL)
	}
	opts.Log.Info("serving", serving...)
	if ready != nil {
		ready <- l.Addr().String()
	}

serving:
	for {
		select {
		case err := <-errc:
			return err
		case <-set.reload:
			reload(set, opts, &current)
		case <-ctx.Done():
			break serving
		}
	}
	opts.Log.Info("shutting down: finishing the requests in flight (a second signal stops at once)", "requests", flight.count(), "timeout", set.shutdownTimeout)
	shutdown, cancel := context.WithTimeout(context.Background(), set.shutdownTimeout)
	defer cancel()
	// The metrics are served until the requests in flight are done, the
	// scrapes of the shutdown included.
	defer shutdownMetrics(metrics)
	if err := srv.Shutdown(shutdown); !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	flight.logCut(opts.Log, time.Now())
	// Its listener is closed already: Close only cuts the connections
	// still open, and has nothing to report.
	srv.Close()
	return nil
}

// reload reads the configuration again and, when every file of it is
// valid, serves it in place of the one in force, which keeps serving the
// hashed files it named (server.Options.Previous); on any error it keeps
// the configuration in force and logs why, naming the file, the field and
// the problem.
func reload(set settings, opts server.Options, current *atomic.Pointer[server.Server]) {
	list, err := loadPortals(set.config, set.lang)
	if err == nil {
		opts.Portals, opts.Previous = list, current.Load()
		var next *server.Server
		if next, err = server.New(opts); err == nil {
			current.Store(next)
			ids := portalIDs(list)
			opts.Log.Info("configuration reloaded", "portals", ids, "default", ids[0])
			return
		}
	}
	opts.Log.Error("reload refused: the configuration in force is kept", "err", err)
}

// shutdownMetrics lets a scrape in flight end, for a few seconds at most.
func shutdownMetrics(metrics *http.Server) {
	if metrics == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	metrics.Shutdown(ctx)
}

// inFlight keeps the requests being served, to name those a shutdown cuts.
type inFlight struct {
	next     http.Handler
	mu       sync.Mutex
	requests map[*http.Request]time.Time // when each began
}

func (f *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests[r] = time.Now()
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.requests, r)
		f.mu.Unlock()
	}()
	f.next.ServeHTTP(w, r)
}

func (f *inFlight) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

// logCut logs each request still in flight, about to be cut.
func (f *inFlight) logCut(log *slog.Logger, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for r, began := range f.requests {
		log.Warn("shutdown timeout: cutting a request in flight", "method", r.Method, "path", r.URL.Path, "running", now.Sub(began).Round(time.Millisecond))
	}
	log.Warn("shutdown timeout: requests cut", "count", len(f.requests))
}

// export prints receipts as JSON lines: those of one consent id, or those
// of the choices made in a time range.
func export(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	store := fs.String("receipts", defaultReceipts(), "the receipts: a SQLite file or a postgres:// URL")
	id := fs.String("id", "", "the consent id a visitor quotes")
	since := fs.String("since", "", "first date, RFC 3339 (2026-11-01T00:00:00Z) or a day (2026-11-01)")
	until := fs.String("until", "", "date after the last, same forms (default: none, up to the latest receipt)")
	if err := parseCommand(fs, args); err != nil {
		return err
	}
	if (*id == "") == (*since == "") {
		return &usageError{"give -id, or -since (and -until)"}
	}
	ctx := context.Background()
	s, err := receipts.OpenExisting(ctx, *store)
	if err != nil {
		return err
	}
	defer s.Close()
	var list []receipts.Receipt
	if *id != "" {
		list, err = s.ByID(ctx, *id)
	} else {
		var from, to time.Time
		if from, err = parseDate(*since); err != nil {
			return err
		}
		// No -until: every receipt since, those of the current second and
		// those the host accepted with a clock a little ahead included.
		if *until != "" {
			if to, err = parseDate(*until); err != nil {
				return err
			}
		}
		list, err = s.Between(ctx, from, to)
	}
	if err != nil {
		return err
	}
	enc := json.NewEncoder(out)
	for _, r := range list {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// usage prints how to run the host and its commands.
func usage() {
	fmt.Fprint(flag.CommandLine.Output(), `Usage:
  consent-host [flags]          serve (the flags below)
  consent-host export [flags]   print receipts as JSON lines (consent-host export -h)
  consent-host stats [flags]    print the statistics (consent-host stats -h)
  consent-host backup [flags]   copy a live SQLite store to a new file (consent-host backup -h)

Flags:
`)
	flag.PrintDefaults()
}

// usageError is a command line a command cannot run: exit status 2, as
// for a flag it does not know.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// parseCommand parses a command's flags, refusing arguments left over.
func parseCommand(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("unexpected argument %q: every value follows its flag (-id ID)", fs.Arg(0))}
	}
	return nil
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 date nor a day like 2026-11-01", s)
}
