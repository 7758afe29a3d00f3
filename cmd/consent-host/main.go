// Command consent-host serves the consent manager: the embed script, the
// WebAssembly client, the portal configurations, a demo portal page and the
// charter pages, from one binary with its assets embedded.
//
// Usage:
//
//	consent-host [-addr :8080] [-config FILE_OR_DIR]
//
// Without -config it serves the built-in portals (Pau, the default, and
// Aveyron). It refuses to start on an invalid configuration, naming the
// file, the field and the problem.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/portals"
	"github.com/opendata-consent/consent/server"
	"github.com/opendata-consent/consent/web"
)

func main() {
	addr := flag.String("addr", "localhost:8080", "address to listen on")
	config := flag.String("config", "", "portal configuration: a JSON file, or a directory of them (default: the built-in Pau and Aveyron portals)")
	verbose := flag.Bool("v", false, "log every request")
	flag.Parse()

	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	if err := run(*addr, *config, log); err != nil {
		fmt.Fprintln(os.Stderr, "consent-host:", err)
		os.Exit(1)
	}
}

func run(addr, config string, log *slog.Logger) error {
	var list []*consent.Portal
	var err error
	if config == "" {
		list, err = portals.Builtin()
	} else {
		list, err = consent.Load(config)
	}
	if err != nil {
		return fmt.Errorf("invalid configuration: %w", err)
	}
	handler, err := server.New(server.Options{Portals: list, Files: web.Files, Log: log})
	if err != nil {
		return err
	}
	srv := &http.Server{
		Addr:              addr,
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	ids := make([]string, len(list))
	for i, p := range list {
		ids[i] = p.ID
	}
	log.Info("serving", "url", "http://"+addr+"/", "portals", ids, "default", ids[0])

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
