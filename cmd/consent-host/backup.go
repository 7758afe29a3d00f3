package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/opendata-consent/consent/receipts"
)

// backup writes a consistent copy of a SQLite store, live, to a new file:
// the receipts committed when it starts (SQLite's VACUUM INTO), which a
// host can be started on.
func backup(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	store := fs.String("receipts", defaultReceipts(), "the SQLite file the host keeps its receipts in")
	to := fs.String("to", "", "the new file the copy goes to (an existing file is never overwritten)")
	if err := parseCommand(fs, args); err != nil {
		return err
	}
	if strings.HasPrefix(*store, "postgres://") || strings.HasPrefix(*store, "postgresql://") {
		return &usageError{fmt.Sprintf("-receipts names a PostgreSQL database: back it up with pg_dump, which copies a live database consistently: pg_dump -Fc -f consent.dump '%s' (and restore it with pg_restore -d URL consent.dump)", withoutPassword(*store))}
	}
	if *to == "" {
		return &usageError{"give -to, the new file the copy goes to"}
	}
	if _, err := os.Lstat(*to); err == nil {
		return fmt.Errorf("-to %s: the file exists already: a backup never overwrites one", *to)
	}
	ctx := context.Background()
	s, err := receipts.OpenExisting(ctx, *store)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now().UTC()
	if err := s.Backup(ctx, *to); err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "%s: a copy of %s as it was at %s\n", *to, *store, start.Format(time.RFC3339))
	return err
}

// withoutPassword is a PostgreSQL URL fit to be printed: no password, in
// its user part or its parameters.
func withoutPassword(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	if q := u.Query(); q.Has("password") {
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String()
}
