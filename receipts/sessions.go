package receipts

import (
	"context"
	"time"
)

// The console's sessions are kept beside the receipts, whose statistics
// they open: every host on one database knows a session another host
// opened, and a logout on one ends it on all. A session is kept under a key
// the host derives from the cookie's value and the admin token, never
// under the value itself, so that the table opens nothing, and a new token
// ends every session.

// StartSession keeps the session key until expires; sessions already
// expired are forgotten.
func (s *Store) StartSession(ctx context.Context, key string, expires time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM console_sessions WHERE expires_at <= $1`, time.Now().Unix()); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO console_sessions (id, expires_at) VALUES ($1, $2)`, key, expires.Unix()); err != nil {
		return err
	}
	return tx.Commit()
}

// SessionOpen tells whether the session key was started and has not
// expired at now, nor ended.
func (s *Store) SessionOpen(ctx context.Context, key string, now time.Time) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM console_sessions WHERE id = $1 AND expires_at > $2`, key, now.Unix()).Scan(&n)
	return n == 1, err
}

// EndSession forgets the session key (a logout).
func (s *Store) EndSession(ctx context.Context, key string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM console_sessions WHERE id = $1`, key)
	return err
}
