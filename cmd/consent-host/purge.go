package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/opendata-consent/consent/consent"
	"github.com/opendata-consent/consent/receipts"
)

// defaultRetentionDays is how long the host keeps a receipt, from the date
// of its choice: as long as the choice may be in use, 395 days (13 months,
// the longest a configuration keeps a choice, consent.MaxLifetimeDays),
// then as long as a visitor may sue the portal over what was done under
// it, five years (the limitation period of article 2224 of the Code civil,
// which runs from the day they knew of the facts: at the latest, the last
// day the choice was used), counted as 1827 days for their leap days.
const defaultRetentionDays = consent.MaxLifetimeDays + 5*365 + 2

// maxRetentionDays bounds -retention: a century.
const maxRetentionDays = 36525

// purgeEvery is how often a serving host purges the receipts past the
// retention.
const purgeEvery = time.Hour

// startPurge purges the receipts of s decided more than days ago, at once
// and then every purgeEvery, until ctx ends or stop is called; stop waits
// for a purge in flight to be abandoned (its transaction rolled back). It
// does nothing when s is nil (-receipts off) or days is not positive.
func startPurge(ctx context.Context, s *receipts.Store, days int, portals []*consent.Portal, log *slog.Logger) (stop func()) {
	if s == nil || days <= 0 {
		return func() {}
	}
	for _, p := range portals {
		if longest := max(p.Lifetime.ConsentDays, p.Lifetime.RefusalDays, consent.PlatformChoiceDays); days < longest {
			log.Warn("-retention is shorter than a portal keeps a choice: the receipts of choices still in use are purged", "retention_days", days, "portal", p.ID, "choice_days", longest)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	purge := func(always bool) {
		before := time.Now().AddDate(0, 0, -days)
		n, err := s.Purge(ctx, before)
		switch {
		case ctx.Err() != nil:
			// A stop: the transaction in flight was rolled back.
		case err != nil:
			log.Error("purging the receipts past the retention", "err", err, "purged", n)
		case n > 0 || always:
			// The cut falls on the quarter hour that holds before.
			cut := time.Unix(before.Unix()/900*900, 0).UTC()
			log.Info("receipts purged", "count", n, "decided_before", cut.Format(time.RFC3339), "retention_days", days)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		purge(true)
		tick := time.NewTicker(purgeEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				purge(false)
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
