package receipts

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Purge deletes the receipts of the choices made before before, and their
// counts, and returns how many receipts it deleted. The statistics go on
// counting exactly the receipts that remain: the cut falls on the quarter
// hour (the counts' slot) that holds before, and each slot is deleted
// whole, its receipts and its counts in one transaction, so the receipts
// of the quarter hour that holds before are kept until the next purge.
// Counts of those slots that no receipt backs (receipts deleted by other
// means) go as well. A purge is done an hour of receipts at a time, from
// the oldest: the receipts being recorded meanwhile wait for one
// transaction at most, however much there is to purge.
func (s *Store) Purge(ctx context.Context, before time.Time) (int64, error) {
	// The slot of a date is decided_at / 900, in SQL's integer division as
	// in Go's: the receipts decided before the first second of before's
	// slot are exactly those of the slots before it.
	cut := before.Unix() / slotSeconds
	var purged int64
	for {
		var oldest sql.NullInt64
		if err := s.db.QueryRowContext(ctx, `SELECT MIN(decided_at) FROM receipts`).Scan(&oldest); err != nil {
			return purged, fmt.Errorf("receipts (%s, %s): purge: %w", s.kind, s.where, err)
		}
		end := cut
		if oldest.Valid && oldest.Int64/slotSeconds+purgeBatch < cut {
			end = oldest.Int64/slotSeconds + purgeBatch
		}
		n, err := s.purgeSlots(ctx, end)
		purged += n
		if err != nil {
			return purged, fmt.Errorf("receipts (%s, %s): purge: %w", s.kind, s.where, err)
		}
		if end == cut {
			return purged, nil
		}
	}
}

// purgeBatch is the span a purge's transaction deletes at most: four
// quarter hours.
const purgeBatch = 4

// purgeSlots deletes, in one transaction, the receipts and the counts of
// the slots before slot.
func (s *Store) purgeSlots(ctx context.Context, slot int64) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	// No Record changes a count until the commit, so both deletions see
	// the same receipts and counts: in SQLite the first deletion takes the
	// write lock; in PostgreSQL this lock (which reads do not wait for,
	// and which a Record waits for before it counts its receipt) is taken
	// first. A receipt a Record is writing meanwhile is not seen by the
	// deletion of the receipts, and is counted after the commit.
	if s.kind == "postgres" {
		if _, err := tx.ExecContext(ctx, `LOCK TABLE receipt_counts IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return 0, err
		}
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM receipts WHERE decided_at < $1`, slot*slotSeconds)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM receipt_counts WHERE slot < $1`, slot); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return n, nil
}
