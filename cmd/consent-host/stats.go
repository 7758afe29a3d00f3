package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/receipts"
)

// stats prints what a portal's visitors chose, by day or week: the figures
// of the console's statistics page, as a table or as CSV.
func stats(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	store := fs.String("receipts", defaultReceipts(), "the receipts: a SQLite file or a postgres:// URL")
	config := fs.String("config", "", configUsage)
	id := fs.String("portal", "", "the portal (default: the first configured)")
	since := fs.String("since", "", "first day, 2026-11-01 (default: 30 days, or 12 weeks, before -until)")
	until := fs.String("until", "", "last day, included (default: today)")
	by := fs.String("by", "day", "day or week")
	zone := fs.String("tz", "Europe/Paris", "the time zone where days start")
	asCSV := fs.Bool("csv", false, "print CSV instead of a table")
	recount := fs.Bool("recount", false, "count the receipts again first: after receipts were imported into the database by other means than the host")
	if err := parseCommand(fs, args); err != nil {
		return err
	}
	list, err := loadPortals(*config, "")
	if err != nil {
		return err
	}
	p := list[0]
	if *id != "" {
		if p = find(list, *id); p == nil {
			where := "the built-in portals"
			if *config != "" {
				where = *config
			}
			return fmt.Errorf("-portal %q: not among the portals of %s (%s): give -config the configuration the host serves", *id, where, strings.Join(portalIDs(list), ", "))
		}
	}
	loc, err := time.LoadLocation(*zone)
	if err != nil {
		return fmt.Errorf("-tz: %w", err)
	}
	q, err := receipts.NewStatsQuery(p, *since, *until, receipts.Unit(*by), loc, time.Now())
	if err != nil {
		return err
	}
	ctx := context.Background()
	s, err := receipts.OpenExisting(ctx, *store)
	if err != nil {
		return err
	}
	defer s.Close()
	if *recount {
		if err := s.Recount(ctx); err != nil {
			return err
		}
	}
	r, err := s.Stats(ctx, q)
	if err != nil {
		return err
	}
	if *asCSV {
		return receipts.WriteCSV(out, r)
	}
	if len(r.Periods) == 0 {
		_, err := fmt.Fprintf(out, "%s, %s to %s: fewer than %d choices, nothing to show\n", p.ID, q.Since.Format(time.DateOnly), q.Until.AddDate(0, 0, -1).Format(time.DateOnly), receipts.MinChoicesShown)
		return err
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "period\tchoices\taccept all\tcustom\treject all\t%s\t\n", strings.Join(q.Keys, "\t"))
	row := func(name string, period receipts.Period) {
		fmt.Fprintf(w, "%s\t%d\t", name, period.Choices)
		for _, a := range consent.Answers {
			fmt.Fprintf(w, "%.1f%%\t", 100*period.Share(a))
		}
		for _, key := range q.Keys {
			fmt.Fprintf(w, "%.1f%%\t", 100*period.Rate(key))
		}
		fmt.Fprintln(w)
	}
	for _, period := range r.Periods {
		name := period.From.Format(time.DateOnly)
		if !period.Last().Equal(period.From) {
			name += " to " + period.Last().Format(time.DateOnly)
		}
		row(name, period)
	}
	row("total", r.Total)
	return w.Flush()
}

func find(list []*consent.Portal, id string) *consent.Portal {
	for _, p := range list {
		if p.ID == id {
			return p
		}
	}
	return nil
}
